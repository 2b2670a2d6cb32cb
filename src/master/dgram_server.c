/*++
/* NAME
/*	dgram_server 3
/* SUMMARY
/*	skeleton for datagram and fifo servers
/* SYNOPSIS
/*	#include <mail_server.h>
/*
/*	void	dgram_server_main(argc, argv, service, key, value, ...,
/*				MAIL_SERVER_END)
/*	int	argc;
/*	char	**argv;
/*	void	(*service)(const char *buf, size_t len, const char *name,
/*				char **argv);
/* DESCRIPTION
/*	See mail_server.h for the contract. After the common set-up
/*	(mail_server_common.c) the process reads datagrams from the
/*	unix-dgram socket or fifo master passed and calls the service for
/*	each (for a fifo, for each read of at most DGRAM_SERVER_MAX bytes).
/*	A read that holds only wake-up bytes (MASTER_TRIG_WAKEUP, sent by
/*	master per the master.cf wakeup column) calls the MAIL_SERVER_WAKEUP
/*	hook instead, or is ignored when there is none. After the datagrams
/*	one readiness event found (at most 256), and before an exit, the
/*	MAIL_SERVER_BATCH_END hook runs.
/*
/*	One process serves the socket for as long as master runs: it does
/*	not report busy/idle (it is always available) and is not limited by
/*	max_use or max_idle. It exits on SIGTERM or when master closes the
/*	status pipe; before it exits it first serves what is still queued
/*	on its descriptors, so records sent just before a stop (such as
/*	master's own last log record, when this is the log service) are
/*	not lost. A service with a MAIL_SERVER_STOP hook instead leaves
/*	the queued datagrams to its next process and finishes its work in
/*	progress first (mail_server.h).
/*
/*	With -S the process reads standard input until end of file and
/*	treats each read as one datagram.
/* DIAGNOSTICS
/*	Fatal: see mail_server_common.c. Read errors are warnings.
/*--*/
#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <unistd.h>

#include <events.h>
#include <msg.h>
#include <mymalloc.h>
#include <sock.h>

#include <master_conf.h>

#include "mail_server_common.h"
#include "master_proto.h"

#define DGRAM_SERVER_MAX	65536	/* largest datagram */
#define DGRAM_SERVER_BATCH	256	/* reads per event */
#define DGRAM_SERVER_DRAIN	100000	/* reads when stopping */

static struct mail_server_ctx dgram_ctx;
static mail_server_dgram_fn dgram_service;
static char *dgram_buf;

/* dgram_server_dispatch - one datagram or trigger */

static void dgram_server_dispatch(const char *buf, size_t len)
{
    size_t  i;

    for (i = 0; i < len && buf[i] == MASTER_TRIG_WAKEUP; i++)
	 /* void */ ;
    if (i == len) {
	if (dgram_ctx.wakeup)
	    dgram_ctx.wakeup(dgram_ctx.service, dgram_ctx.argv);
	return;
    }
    dgram_service(buf, len, dgram_ctx.service, dgram_ctx.argv);
}

/* dgram_server_read_fd - serve up to limit datagrams; -1 when none left */

static int dgram_server_read_fd(int fd, int limit)
{
    ssize_t n;

    while (limit-- > 0) {
	if ((n = read(fd, dgram_buf, DGRAM_SERVER_MAX)) < 0) {
	    if (errno == EINTR)
		continue;
	    if (errno != EAGAIN && errno != EWOULDBLOCK)
		msg_warn("read descriptor %d: %m", fd);
	    return (-1);
	}
	if (n == 0)
	    return (-1);
	dgram_server_dispatch(dgram_buf, (size_t) n);
    }
    return (0);
}

/* dgram_server_batch_end - the service's MAIL_SERVER_BATCH_END hook */

static void dgram_server_batch_end(void)
{
    if (dgram_ctx.batch_end_fn)
	dgram_ctx.batch_end_fn();
}

/* dgram_server_done - serve what is queued (or finish), then exit */

static void dgram_server_done(void)
{
    static int stopping;
    int     i;

    if (stopping)				/* SIGTERM while finishing */
	mail_server_exit(&dgram_ctx);
    stopping = 1;
    if (dgram_ctx.stop_fn) {
	event_disable_readwrite(MASTER_STATUS_FD);
	for (i = 0; i < dgram_ctx.listen_count; i++)
	    event_disable_readwrite(MASTER_LISTEN_FD + i);
	while (dgram_ctx.stop_fn())
	    event_loop(1000);
    } else {
	for (i = 0; i < dgram_ctx.listen_count; i++)
	    (void) dgram_server_read_fd(MASTER_LISTEN_FD + i,
					DGRAM_SERVER_DRAIN);
    }
    dgram_server_batch_end();
    mail_server_exit(&dgram_ctx);
}

/* dgram_server_gone - master closed the status pipe */

static void dgram_server_gone(int event, void *context)
{
    if (msg_verbose)
	msg_info("master closed the status pipe: exiting");
    dgram_server_done();
}

/* dgram_server_event - a listener is readable */

static void dgram_server_event(int event, void *context)
{
    (void) dgram_server_read_fd((int) (intptr_t) context, DGRAM_SERVER_BATCH);
    dgram_server_batch_end();
}

void    dgram_server_main(int argc, char **argv, mail_server_dgram_fn service,...)
{
    static const int types[] = {MASTER_TYPE_UNIX_DGRAM, MASTER_TYPE_FIFO, 0};
    va_list ap;
    ssize_t n;

    dgram_service = service;
    dgram_buf = mymalloc(DGRAM_SERVER_MAX + 1);
    va_start(ap, service);
    mail_server_args(&dgram_ctx, "dgram_server", argc, argv, ap, types);
    va_end(ap);
    mail_server_setup(&dgram_ctx);

    if (dgram_ctx.standalone) {
	while ((n = read(0, dgram_buf, DGRAM_SERVER_MAX)) != 0) {
	    if (n < 0) {
		if (errno == EINTR)
		    continue;
		msg_fatal("read standard input: %m");
	    }
	    dgram_server_dispatch(dgram_buf, (size_t) n);
	    dgram_server_batch_end();
	}
	mail_server_exit(&dgram_ctx);
    }
    dgram_ctx.on_term = dgram_server_done;
    mail_server_signals(&dgram_ctx);
    mail_server_listen(&dgram_ctx, dgram_server_event, dgram_server_gone, 0);
    for (;;)
	event_loop(-1);
}
