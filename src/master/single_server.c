/*++
/* NAME
/*	single_server 3
/* SUMMARY
/*	skeleton for servers that handle one client at a time
/* SYNOPSIS
/*	#include <mail_server.h>
/*
/*	void	single_server_main(argc, argv, service, key, value, ...,
/*				MAIL_SERVER_END)
/*	int	argc;
/*	char	**argv;
/*	void	(*service)(struct vstream *stream, const char *name,
/*				char **argv);
/* DESCRIPTION
/*	See mail_server.h for the contract. After the common set-up
/*	(mail_server_common.c: arguments, main.cf, logging, PRE_INIT,
/*	chroot, privilege drop, POST_INIT) the process waits in the event
/*	loop for a client on any of the listening descriptors master passed
/*	(inet, unix or pass). For each client it tells master it is busy
/*	(MASTER_STAT_TAKEN), calls the service with a stream on the
/*	connection, closes the stream, and tells master it is available
/*	again (MASTER_STAT_AVAIL). For type pass, the accepted connection
/*	carries one client descriptor (SCM_RIGHTS), which is what the
/*	service gets.
/*
/*	The process exits normally after $max_use clients (0: no limit),
/*	after $max_idle seconds without a client (0: never), when master
/*	closes the status pipe (reload, stop, or master died) -- after the
/*	current client, when there is one, and never taking a new one once
/*	the pipe is closed -- and on SIGTERM (at once, even
/*	inside the service function). A watchdog ends the process with
/*	SIGALRM when one client takes longer than $daemon_timeout, so a
/*	wedged session cannot hold a process forever; master logs it as
/*	killed by signal 14. A service whose clients keep a connection for
/*	many requests (cleanup, local) restarts the watchdog for each
/*	request with mail_server_watchdog().
/*
/*	With -S the process serves one client on standard input (which must
/*	be a socket or a terminal, as it is also written) and exits.
/* DIAGNOSTICS
/*	Fatal: see mail_server_common.c. A failed accept() other than a
/*	lost race with a sibling process is logged as a warning.
/*--*/
#include <sys/types.h>
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <unistd.h>

#include <events.h>
#include <msg.h>
#include <sock.h>
#include <vstream.h>

#include <mail_params.h>
#include <master_conf.h>

#include "mail_server_common.h"
#include "master_proto.h"

static struct mail_server_ctx single_ctx;
static mail_server_stream_fn single_service;
static long single_use_count;

/* single_server_done - normal exit */

static void single_server_done(void)
{
    mail_server_exit(&single_ctx);
}

/* single_server_idle - max_idle passed without a client */

static void single_server_idle(int event, void *context)
{
    if (msg_verbose)
	msg_info("idle for %lds: exiting", var_max_idle);
    single_server_done();
}

/* single_server_gone - master closed the status pipe */

static void single_server_gone(int event, void *context)
{
    if (msg_verbose)
	msg_info("master closed the status pipe: exiting");
    single_server_done();
}

/* mail_server_watchdog - (re)start the per-request watchdog */

void    mail_server_watchdog(void)
{
    if (var_daemon_timeout > 0)
	alarm((unsigned) (var_daemon_timeout > UINT32_MAX / 2 ?
			  UINT32_MAX / 2 : var_daemon_timeout));
}

/* single_server_serve - one client */

static void single_server_serve(int fd)
{
    struct vstream *stream;

    stream = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    mail_server_busy = 1;
    /* Watchdog: a client session that hangs beyond this kills us. */
    mail_server_watchdog();
    single_service(stream, single_ctx.service, single_ctx.argv);
    alarm(0);
    mail_server_busy = 0;
    (void) vstream_close(&stream);
}

/* single_server_accept - a client is waiting on a listener */

static void single_server_accept(int event, void *context)
{
    int     listen_fd = (int) (intptr_t) context;
    int     fd;
    int     client;
    int     master_ok;

    /* A retired process leaves new clients to the new configuration. */
    if (mail_server_master_gone())
	single_server_gone(0, (void *) 0);
    if (single_ctx.pre_accept)
	single_ctx.pre_accept(single_ctx.service, single_ctx.argv);
    if ((fd = mail_server_accept(listen_fd)) < 0)
	return;
    event_cancel_timer(single_server_idle, (void *) 0);
    master_ok = (master_notify(getpid(), MASTER_STAT_TAKEN) == 0);
    if (single_ctx.type == MASTER_TYPE_PASS) {
	client = fd_recv(fd);
	(void) close(fd);
	if (client < 0)
	    msg_warn("service %s: no client descriptor received",
		     single_ctx.service);
	else
	    (void) close_on_exec(client, 1);
    } else {
	client = fd;
    }
    if (client >= 0) {
	single_server_serve(client);
	single_use_count++;
    }
    if (var_max_use > 0 && single_use_count >= var_max_use) {
	if (msg_verbose)
	    msg_info("served %ld clients: exiting", single_use_count);
	single_server_done();
    }
    if (!master_ok || master_notify(getpid(), MASTER_STAT_AVAIL) < 0)
	single_server_gone(0, (void *) 0);
    if (var_max_idle > 0)
	event_request_timer(single_server_idle, (void *) 0, var_max_idle * 1000);
}

void    single_server_main(int argc, char **argv, mail_server_stream_fn service,...)
{
    static const int types[] = {MASTER_TYPE_INET, MASTER_TYPE_UNIX,
    MASTER_TYPE_PASS, 0};
    va_list ap;

    single_service = service;
    va_start(ap, service);
    mail_server_args(&single_ctx, "single_server", argc, argv, ap, types);
    va_end(ap);
    mail_server_setup(&single_ctx);

    if (single_ctx.standalone) {
	single_server_serve(0);
	single_server_done();
    }
    single_ctx.on_term = single_server_done;
    mail_server_signals(&single_ctx);
    mail_server_listen(&single_ctx, single_server_accept, single_server_gone,
		       single_ctx.pre_accept == 0);
    if (var_max_idle > 0)
	event_request_timer(single_server_idle, (void *) 0, var_max_idle * 1000);
    for (;;)
	event_loop(-1);
}
