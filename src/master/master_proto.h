#ifndef MASTER_PROTO_H
#define MASTER_PROTO_H
/*++
/* NAME
/*	master_proto 3h
/* SUMMARY
/*	what master and its children tell each other
/* SYNOPSIS
/*	#include <master_proto.h>
/*
/*	int	master_notify(pid, status)
/*	pid_t	pid;
/*	int	status;
/* DESCRIPTION
/*	Each service generation (a master.cf entry as master read it at
/*	start-up or at the last reload) has one status pipe. master keeps
/*	the read end; every child of that generation gets the write end as
/*	descriptor MASTER_STATUS_FD (mail_server.h). A child reports with
/*	fixed-size records, struct master_status: its pid and
/*	MASTER_STAT_TAKEN (it accepted a client and is busy) or
/*	MASTER_STAT_AVAIL (it is idle again). A record is far smaller than
/*	PIPE_BUF, so each write() is atomic even when many children share
/*	the pipe, and master reads whole records only.
/*
/*	master counts a child as available from the moment it starts it,
/*	so one readable listener starts one process, not one per poll.
/*	While a service has an available child, master does not watch its
/*	listeners; when none is available (and the process limit and
/*	back-off allow), it watches them and starts a child when a client
/*	waits.
/*
/*	Going away: master ends a generation (reload) or stops by closing
/*	its read end of the pipe. A child notices at once: poll() reports an
/*	error on the write end of a pipe without readers. An idle child then
/*	exits; a busy one finishes its client and exits. The pipe also tells
/*	a child when master died.
/*
/*	Wake-up triggers: master sends MASTER_TRIG_WAKEUP ("W", one byte)
/*	to a unix, unix-dgram or fifo service every wakeup seconds
/*	(master.cf). A datagram or fifo read that holds only wake-up bytes
/*	calls the service's MAIL_SERVER_WAKEUP hook; a stream service
/*	simply sees a connection that carries "W".
/*
/*	master_notify() writes one record to MASTER_STATUS_FD; it returns
/*	0, or -1 when master is gone (EPIPE) or the write failed.
/*
/*	MASTER_LOG_SERVICE is the name of the log service in master.cf;
/*	its socket is $queue_directory/public/MASTER_LOG_SERVICE.
/* DIAGNOSTICS
/*	Return values; no logging.
/*--*/
#include <sys/types.h>

#include <mail_log.h>

struct master_status {
    int     pid;			/* the child */
    int     status;			/* MASTER_STAT_* */
};

#define MASTER_STAT_TAKEN	0	/* busy with a client */
#define MASTER_STAT_AVAIL	1	/* idle, ready to accept */

#define MASTER_TRIG_WAKEUP	'W'

#define MASTER_LOG_SERVICE	MAIL_LOG_SERVICE
#define MASTER_LOG_DIR		MAIL_LOG_DIR

#define MASTER_VERSION		"0.1"

extern int master_notify(pid_t, int);

#endif
