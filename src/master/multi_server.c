/*++
/* NAME
/*	multi_server 3
/* SUMMARY
/*	skeleton for servers that handle many clients at once
/* SYNOPSIS
/*	#include <mail_server.h>
/*
/*	void	multi_server_main(argc, argv, service, key, value, ...,
/*				MAIL_SERVER_END)
/*	int	argc;
/*	char	**argv;
/*	int	(*service)(struct vstream *stream, const char *name,
/*				char **argv);
/* DESCRIPTION
/*	For request/reply services whose clients keep a connection for a
/*	long time (proxymap: every smtpd keeps one): one process serves
/*	every client. After the common set-up (mail_server_common.c) the
/*	process accepts clients on the listening descriptors master passed
/*	(inet or unix) and watches each connection in the event loop. When
/*	a connection is readable, the service is called with its stream to
/*	answer one request (and again while requests are buffered); it
/*	returns 0 to keep the connection or -1 to close it. The
/*	MAIL_SERVER_CONNECT hook, when given, is called with the stream of
/*	each new connection (to send a protocol announcement); -1 closes
/*	it.
/*
/*	The process never tells master it is busy: it stays available, so
/*	master keeps one process for the service. It exits after $max_idle
/*	seconds without any client (0: never), once it has accepted
/*	$max_use clients and the last of them is gone (0: no limit), at
/*	once when master closes the status pipe (reload, stop; clients
/*	reconnect to the new generation), and on SIGTERM. The watchdog
/*	($daemon_timeout) runs during each request.
/*
/*	A request is read with the stream's deadline: a client that sends
/*	half a request holds up the others until $ipc_timeout. The clients
/*	are dromos daemons on a private socket.
/* DIAGNOSTICS
/*	Fatal: see mail_server_common.c. A failed accept() other than a
/*	lost race is logged as a warning.
/*--*/
#include <sys/types.h>
#include <sys/socket.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <unistd.h>

#include <events.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>

#include <mail_params.h>
#include <master_conf.h>

#include "mail_server_common.h"
#include "master_proto.h"

static struct mail_server_ctx multi_ctx;
static mail_server_multi_fn multi_service;
static long multi_use_count;
static int multi_clients;

/* multi_server_done - normal exit */

static void multi_server_done(void)
{
    mail_server_exit(&multi_ctx);
}

/* multi_server_idle - max_idle passed without a client */

static void multi_server_idle(int event, void *context)
{
    (void) event;
    (void) context;
    if (msg_verbose)
	msg_info("idle for %lds: exiting", var_max_idle);
    multi_server_done();
}

/* multi_server_gone - master closed the status pipe */

static void multi_server_gone(int event, void *context)
{
    (void) event;
    (void) context;
    if (msg_verbose)
	msg_info("master closed the status pipe: exiting");
    multi_server_done();
}

/* multi_server_close - one client gone */

static void multi_server_close(struct vstream *stream)
{
    event_disable_readwrite(vstream_fileno(stream));
    (void) vstream_close(&stream);
    if (--multi_clients > 0)
	return;
    if (var_max_use > 0 && multi_use_count >= var_max_use) {
	if (msg_verbose)
	    msg_info("served %ld clients: exiting", multi_use_count);
	multi_server_done();
    }
    if (var_max_idle > 0)
	event_request_timer(multi_server_idle, (void *) 0,
			    var_max_idle * 1000);
}

/* multi_server_read - requests of one client */

static void multi_server_read(int event, void *context)
{
    struct vstream *stream = (struct vstream *) context;
    int     keep;

    mail_server_busy = 1;
    mail_server_watchdog();
    do {
	keep = (event == EVENT_READ
		&& multi_service(stream, multi_ctx.service, multi_ctx.argv) == 0
		&& vstream_status(stream) == VSTREAM_OK);
    } while (keep && vstream_pending(stream) > 0);
    alarm(0);
    mail_server_busy = 0;
    if (!keep)
	multi_server_close(stream);
}

/* multi_server_accept - a new client */

static void multi_server_accept(int event, void *context)
{
    int     listen_fd = (int) (intptr_t) context;
    struct vstream *stream;
    int     fd;

    (void) event;
    /* A retired process leaves new clients to the new configuration. */
    if (mail_server_master_gone())
	multi_server_gone(0, (void *) 0);
    if ((fd = mail_server_accept(listen_fd)) < 0)
	return;
    event_cancel_timer(multi_server_idle, (void *) 0);
    multi_use_count++;
    multi_clients++;
    stream = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(stream, var_ipc_timeout > 0 ?
			(int) var_ipc_timeout : 3600);
    if (multi_ctx.connect_fn != 0
	&& multi_ctx.connect_fn(stream, multi_ctx.service,
				multi_ctx.argv) < 0) {
	multi_server_close(stream);
	return;
    }
    event_enable_read(fd, multi_server_read, (void *) stream);
}

void    multi_server_main(int argc, char **argv, mail_server_multi_fn service,...)
{
    static const int types[] = {MASTER_TYPE_INET, MASTER_TYPE_UNIX, 0};
    va_list ap;

    multi_service = service;
    va_start(ap, service);
    mail_server_args(&multi_ctx, "multi_server", argc, argv, ap, types);
    va_end(ap);
    mail_server_setup(&multi_ctx);
    if (multi_ctx.standalone)
	msg_fatal("%s: -S (one client on standard input) is not supported "
		  "by a multi-client server", multi_ctx.service);
    multi_ctx.on_term = multi_server_done;
    mail_server_signals(&multi_ctx);
    /*
     * One process per service: no herd to avoid, and the plain poll()
     * wait suits a process that watches many client connections.
     */
    mail_server_listen(&multi_ctx, multi_server_accept, multi_server_gone, 0);
    if (var_max_idle > 0)
	event_request_timer(multi_server_idle, (void *) 0, var_max_idle * 1000);
    for (;;)
	event_loop(-1);
}
