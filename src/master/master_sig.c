/*++
/* NAME
/*	master_sig 3
/* SUMMARY
/*	master: signals into the event loop
/* SYNOPSIS
/*	#include "master.h"
/*
/*	void	master_sig_init()
/* DESCRIPTION
/*	master_sig_init() ignores SIGPIPE and installs handlers for
/*	SIGCHLD, SIGHUP, SIGTERM and SIGINT that only write the signal
/*	number to a non-blocking self-pipe. The event loop reads the pipe
/*	and acts outside signal context: SIGCHLD reaps children, SIGHUP
/*	reloads the configuration, SIGTERM and SIGINT stop the mail system.
/*	Several SIGCHLDs may arrive as one byte; reaping collects every
/*	exited child each time.
/* DIAGNOSTICS
/*	Fatal: the pipe or a handler cannot be set up.
/*--*/
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <events.h>
#include <msg.h>

#include "master.h"

static int master_sig_pipe[2] = {-1, -1};

/* master_sig_handler - tell the event loop */

static void master_sig_handler(int sig)
{
    int     saved_errno = errno;
    unsigned char ch = (unsigned char) sig;

    if (write(master_sig_pipe[1], &ch, 1) < 0) {
	/* Full: the loop is behind anyway; SIGCHLD reaps all. */
    }
    errno = saved_errno;
}

/* master_sig_event - act on the signals that arrived */

static void master_sig_event(int event, void *context)
{
    unsigned char buf[64];
    ssize_t n;
    ssize_t i;
    int     reap = 0;
    int     reload = 0;
    int     stop = 0;

    while ((n = read(master_sig_pipe[0], buf, sizeof(buf))) > 0) {
	for (i = 0; i < n; i++) {
	    switch (buf[i]) {
	    case SIGCHLD:
		reap = 1;
		break;
	    case SIGHUP:
		reload = 1;
		break;
	    case SIGTERM:
	    case SIGINT:
		stop = buf[i];
		break;
	    }
	}
    }
    if (stop)
	master_serv_stop(stop);
    if (reap)
	master_serv_reap();
    if (reload)
	master_reload();
}

void    master_sig_init(void)
{
    struct sigaction sa;
    static const int sigs[] = {SIGCHLD, SIGHUP, SIGTERM, SIGINT};
    size_t  i;

    if (pipe2(master_sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
	msg_fatal("pipe: %m");
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN;
    if (sigaction(SIGPIPE, &sa, (struct sigaction *) 0) < 0)
	msg_fatal("sigaction SIGPIPE: %m");
    sa.sa_handler = master_sig_handler;
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
	if (sigaction(sigs[i], &sa, (struct sigaction *) 0) < 0)
	    msg_fatal("sigaction %d: %m", sigs[i]);
    event_enable_read(master_sig_pipe[0], master_sig_event, (void *) 0);
}
