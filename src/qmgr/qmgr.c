/*++
/* NAME
/*	qmgr 8
/* SUMMARY
/*	dromos queue manager
/* SYNOPSIS
/*	qmgr [generic daemon options]
/* DESCRIPTION
/*	qmgr moves mail through the queue and hands each recipient to a
/*	delivery agent. It is the only program that moves queue files
/*	between the queue folders (incoming, active, deferred, corrupt),
/*	and it puts finished files in recycle.
/*	master runs one qmgr process from this master.cf line:
/*
/* .nf
/*	qmgr  unix-dgram  -  -  -  60  1  qmgr
/* .fi
/*
/*	Triggers arrive as datagrams on private/qmgr: "A" followed by a
/*	queue ID (cleanup committed that file to incoming/) activates that
/*	one file without a scan, and arms one catch-up scan of incoming/
/*	100 ms later for files whose trigger was lost (cleanup never waits
/*	for a full socket, and a datagram socket queues only a few); "I" (something is in incoming/) and "D" (look at
/*	deferred/) start a queue scan; "F" (dromos flush) also makes every
/*	file that was deferred before it due now, whatever its back-off
/*	(a message deferred again after the flush waits as usual); master's
/*	wakeup trigger (every 60 seconds per
/*	the wakeup column) scans both, and so does an internal timer every
/*	$queue_run_delay. Triggers that arrive together are served by one
/*	scan.
/*
/*	Queue scan: every file in the 16 subfolders of incoming/ that has
/*	its ready bit (owner-execute, see qfile(3h)) is moved to active/,
/*	its envelope is read and validated, the line
/*
/* .nf
/*	ID: from=<sender>, size=N, nrcpt=N (queue active)
/* .fi
/*
/*	is logged, and each recipient still in state "to do" is
/*	scheduled. A file without the ready bit is being written by
/*	cleanup and is left alone, unless it is older than an hour (an
/*	abandoned write), when it is removed. In deferred/ a file's
/*	modification time is the time of its next delivery attempt; files
/*	whose time has come are moved to active/ the same way. At most
/*	$qmgr_message_active_limit messages are in the active queue at
/*	once (their envelopes in memory, no file kept open); the rest wait
/*	for the next scan.
/*
/*	Delivery: every recipient that is this host's (addr_class(3): no
/*	domain, a domain in $mydestination, or an address literal of this
/*	host) goes to the local delivery agent over private/local with the
/*	deliver protocol (deliver_request(3h)). qmgr keeps up to
/*	$default_process_limit connections open and reuses them, with at
/*	most $local_destination_concurrency_limit of them working for any
/*	one recipient at once (the local destination is the recipient, as
/*	in Postfix); a connection holds up to twice
/*	$local_delivery_batch_limit requests, which local commits in groups,
/*	and all connections are served by the one event loop, so a slow
/*	delivery holds up only its own connection. A recipient elsewhere (relayed
/*	for mynetworks or relay_domains; delivery to other hosts is a later
/*	issue) is bounced by qmgr itself with "5.1.2 mail for
/*	non-local domain: relaying is not implemented".
/*
/*	For each result qmgr records the recipient's state in the queue
/*	file before anything else: sent and bounced recipients are done
/*	(the state byte is rewritten in place and the file synced), a
/*	deferred one stays "to do". A bounced recipient (and one delivered
/*	that asked for NOTIFY=SUCCESS) is first recorded in the notice
/*	log bounce/X/ID (dsn_log(3h)); when the message is done with for
/*	now, qmgr asks bounce(8) for the notice (bounce_clnt(3h)) while
/*	the file is still in active/, and removes the log once bounce has
/*	queued it. When bounce cannot (it is down, cleanup is down), the
/*	message goes to deferred/ with its log and the notice is asked
/*	for again at its next attempt. A message deferred for longer than
/*	$delay_warning_time (when set) gets one delay warning, from
/*	defer/X/ID. When every recipient is done the file is removed
/*	("ID: removed"): out of the queue, into recycle/ (up to
/*	$queue_file_recycle_limit files of at most 256 KiB), where cleanup
/*	takes it for a new message instead of making a new file. On a
/*	file system that does not reuse a freed inode at once (ext4
/*	without a journal skips inodes freed in the last minutes, scanning
/*	past each of them), removing and making one file per message costs
/*	more CPU the more mail went through recently; reusing files costs
/*	a rename each way. When some were deferred the file moves to
/*	deferred/, with its modification time set to the next attempt:
/*	now plus the message's age since arrival, but at least
/*	$minimal_backoff_time and at most $maximal_backoff_time (so the
/*	interval doubles with each attempt). A file that fails validation
/*	goes to corrupt/ and is logged.
/*
/*	Stopping (dromos reload or stop; master closes the status pipe or
/*	sends SIGTERM): qmgr takes no new work -- no scan, no new delivery;
/*	the triggers still queued are left on the socket for the next qmgr
/*	-- and waits up to 60 seconds for the deliveries in progress, whose
/*	results it records as usual, then exits. Messages with recipients
/*	not yet handed out stay in active/. One qmgr works on the queue at
/*	a time: a new process first takes an flock on the active folder
/*	and, while the previous one still holds it, logs "waiting for the
/*	previous qmgr process to finish" and waits.
/*
/*	Crash recovery, at start: files left in active/ by a previous qmgr
/*	go back to incoming/ and are processed as new. Recipients already
/*	marked done are not delivered again; one whose delivery finished
/*	but whose result was not yet recorded is delivered a second time
/*	(mail may be duplicated, never lost).
/* SECURITY
/*	qmgr runs as mail_owner, chrooted into queue_directory (master.cf
/*	defaults). It opens only queue files, which cleanup wrote and which
/*	are validated in full before use; it talks to master (triggers) and
/*	to the local delivery agent. Trigger datagrams are reduced to
/*	single letters; unknown ones are logged and ignored.
/* DIAGNOSTICS
/*	Problems are logged with the queue ID. A queue file that cannot
/*	be updated (recipient state) is fatal: the file stays in active/
/*	and the next qmgr process starts over with it.
/* BUGS
/*	The reasons for deferral are kept in memory only until a delay
/*	warning records them in defer/.
/* CONFIGURATION PARAMETERS
/* .IP queue_run_delay
/*	How often deferred/ (and incoming/) are scanned.
/* .IP queue_file_recycle_limit
/*	How many finished queue files wait in recycle/ for reuse (0:
/*	none; every finished file is removed).
/* .IP minimal_backoff_time
/*	The shortest time a deferred message waits.
/* .IP maximal_backoff_time
/*	The longest time a deferred message waits.
/* .IP local_destination_concurrency_limit
/*	How many local processes work for one recipient at once.
/* .IP local_delivery_batch_limit
/*	Half the requests that may wait, unanswered, at one local
/*	process (default 16: up to 32).
/* .IP default_process_limit
/*	Parallel connections to the local delivery agent in all.
/* .IP mydestination
/*	The domains delivered locally.
/* .IP ipc_timeout
/*	How long a delivery agent may take for one request.
/* .IP queue_directory
/*	The queue (qmgr's root directory).
/* FILES
/*	$queue_directory/incoming, new mail.
/*	$queue_directory/active, mail qmgr is working on.
/*	$queue_directory/deferred, mail waiting for another attempt.
/*	$queue_directory/corrupt, damaged queue files.
/*	$queue_directory/recycle, finished files kept for reuse.
/*	$queue_directory/private/qmgr, the trigger socket.
/*	$queue_directory/private/local, the local delivery agent.
/* SEE ALSO
/*	local(8), the local delivery agent.
/*	bounce(8), the notices; dsn_log(3h), the notice logs.
/*	master(8), the process manager.
/*	qfile(3h), the queue file format and states.
/*--*/
#include <sys/file.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <vstring.h>

#include <addr_class.h>
#include <mail_params.h>
#include <mail_server.h>

#include "qmgr.h"

#define QMGR_STOP_WAIT	60		/* seconds for deliveries at a stop */

int     qmgr_stopping;			/* told to stop: no new work */

/* qmgr_trigger - datagram from cleanup or another program */

static void qmgr_trigger(const char *buf, size_t len, const char *service,
			         char **argv)
{
    int     scan = 0;
    size_t  i;
    char    id[QMGR_TRIGGER_ID_MAX + 1];

    /* "A" and a queue ID: cleanup names the new file. */
    if (len > 1 && buf[0] == 'A') {
	if (len - 1 > QMGR_TRIGGER_ID_MAX) {
	    msg_warn("trigger with an over-long queue ID ignored");
	    return;
	}
	memcpy(id, buf + 1, len - 1);
	id[len - 1] = 0;
	qmgr_scan_one(id);
	return;
    }
    for (i = 0; i < len; i++) {
	switch (buf[i]) {
	case 'I':
	    scan |= QMGR_SCAN_INCOMING;
	    break;
	case 'D':
	case 'W':
	    scan |= QMGR_SCAN_INCOMING | QMGR_SCAN_DEFERRED;
	    break;
	case 'F':
	    qmgr_scan_flush();
	    qmgr_deliver_unthrottle();
	    scan |= QMGR_SCAN_INCOMING | QMGR_SCAN_DEFERRED;
	    break;
	case '\n':
	case '\0':
	    break;
	default:
	    msg_warn("unknown trigger 0x%02x ignored", (unsigned char) buf[i]);
	    break;
	}
    }
    if (scan)
	qmgr_scan_request(scan);
}

/* qmgr_wakeup - master's periodic trigger */

static void qmgr_wakeup(const char *service, char **argv)
{
    qmgr_scan_request(QMGR_SCAN_INCOMING | QMGR_SCAN_DEFERRED);
}

/* qmgr_stop - finish the deliveries in progress (MAIL_SERVER_STOP) */

static int qmgr_stop(void)
{
    static time_t deadline;
    struct qmgr_message *msg;
    size_t  busy = 0;

    for (msg = qmgr_message_list; msg; msg = msg->next_msg)
	busy += msg->busy;
    if (!qmgr_stopping) {
	qmgr_stopping = 1;
	deadline = time((time_t *) 0) + QMGR_STOP_WAIT;
	if (busy > 0)
	    msg_info("stopping: waiting for %zu deliveries in progress", busy);
    }
    if (busy == 0)
	return (0);
    if (time((time_t *) 0) >= deadline) {
	msg_warn("stopping with %zu deliveries still in progress after %ds: "
		 "the next qmgr may deliver them again", busy, QMGR_STOP_WAIT);
	return (0);
    }
    return (1);
}

/* qmgr_lock - one qmgr at a time works on the queue */

static void qmgr_lock(void)
{
    int     fd;

    /*
     * After a reload the new qmgr starts while the old one may still be
     * finishing its deliveries (qmgr_stop): its recovery of active/ must
     * wait, or both would deliver the same files. The lock is an flock on
     * the active folder, held until the process exits.
     */
    if ((fd = open(QFILE_ACTIVE, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
	msg_fatal("open folder %s: %m", QFILE_ACTIVE);
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
	return;
    if (errno != EWOULDBLOCK)
	msg_fatal("lock folder %s: %m", QFILE_ACTIVE);
    msg_info("waiting for the previous qmgr process to finish");
    while (flock(fd, LOCK_EX) < 0)
	if (errno != EINTR)
	    msg_fatal("lock folder %s: %m", QFILE_ACTIVE);
}

/* qmgr_post_init - recover from a crash, then start the first scan */

static void qmgr_post_init(const char *service, char **argv)
{
    qmgr_lock();
    qmgr_deliver_init();
    qmgr_scan_recover();
    qmgr_scan_request(QMGR_SCAN_INCOMING | QMGR_SCAN_DEFERRED);
    qmgr_scan_timer_start();
}

/* qmgr_pre_init - address classes (their tables), before the chroot */

static void qmgr_pre_init(const char *service, char **argv)
{
    struct vstring *why = vstring_alloc(100);

    (void) service;
    (void) argv;
    if (addr_class_init(why) < 0)
	msg_fatal("%s", vstring_str(why));
    (void) qmgr_route_init(why);
    vstring_free(&why);
}

int     main(int argc, char **argv)
{
    dgram_server_main(argc, argv, qmgr_trigger,
		      MAIL_SERVER_PRE_INIT, qmgr_pre_init,
		      MAIL_SERVER_POST_INIT, qmgr_post_init,
		      MAIL_SERVER_WAKEUP, qmgr_wakeup,
		      MAIL_SERVER_STOP, qmgr_stop,
		      MAIL_SERVER_END);
}
