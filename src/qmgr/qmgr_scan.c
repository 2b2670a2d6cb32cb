/*++
/* NAME
/*	qmgr_scan 3
/* SUMMARY
/*	find queue files: crash recovery, incoming and deferred scans
/* SYNOPSIS
/*	#include "qmgr.h"
/*
/*	void	qmgr_scan_recover(void)
/*
/*	void	qmgr_scan_request(int what)
/*
/*	void	qmgr_scan_flush(void)
/*
/*	void	qmgr_scan_timer_start(void)
/* DESCRIPTION
/*	qmgr_scan_recover() runs once at start: every file in active/
/*	goes back to incoming/ (the previous qmgr died while working on
/*	it), and temporary files (incoming/tmp.*, recycle/tmp.*) that a
/*	crashed cleanup left and that are older than QMGR_ABANDON_AGE are
/*	removed.
/*
/*	qmgr_scan_flush() makes every file that is in deferred/ now due
/*	(by its change time: a file deferred again later waits as usual);
/*	the caller then asks for a scan.
/*
/*	qmgr_scan_request() asks for a scan of incoming/ and/or deferred/
/*	(QMGR_SCAN_INCOMING, QMGR_SCAN_DEFERRED). Requests are merged and
/*	served from the event loop (a zero-delay timer), so a burst of
/*	triggers costs one scan. A scan walks the 16 subfolders: in
/*	incoming/, files with the ready bit are activated and unready ones
/*	older than QMGR_ABANDON_AGE are removed; in deferred/, files whose
/*	modification time (the next attempt) has come are activated. While
/*	the active queue is full the scan stops and is requested again
/*	when a message leaves.
/*
/*	qmgr_scan_timer_start() starts the periodic scan of both folders
/*	every $queue_run_delay.
/* DIAGNOSTICS
/*	Warnings for folders or files that cannot be read or moved.
/*--*/
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <events.h>
#include <msg.h>
#include <vstring.h>

#include <mail_params.h>
#include <qfile.h>

#include "qmgr.h"

static int qmgr_scan_pending;		/* QMGR_SCAN_* bits */
static struct timespec qmgr_flush_time;	/* deferred before: due now */
static int qmgr_catchup_armed;		/* catch-up scan requested */

static void qmgr_scan_tmp(const char *);

static const char qmgr_hex[] = "0123456789ABCDEF";

/* qmgr_scan_dir - call fn for each entry of queue/X, all 16 X */

static int qmgr_scan_dir(const char *queue,
		              int (*fn) (const char *, const char *, void *),
			         void *context)
{
    struct vstring *dir = vstring_alloc(100);
    struct dirent *dp;
    DIR    *dirp;
    int     i;
    int     stop = 0;

    for (i = 0; i < 16 && !stop; i++) {
	vstring_sprintf(dir, "%s/%c", queue, qmgr_hex[i]);
	if ((dirp = opendir(vstring_str(dir))) == 0) {
	    if (errno != ENOENT)
		msg_warn("open folder %s: %m", vstring_str(dir));
	    continue;
	}
	while (!stop && (dp = readdir(dirp)) != 0) {
	    if (dp->d_name[0] == '.')
		continue;
	    stop = fn(vstring_str(dir), dp->d_name, context);
	}
	closedir(dirp);
    }
    vstring_free(&dir);
    return (stop);
}

/* qmgr_scan_back - move one active file back to incoming */

static int qmgr_scan_back(const char *dir, const char *name, void *context)
{
    struct vstring *why = vstring_alloc(100);

    if (!qfile_id_valid(name))
	msg_warn("%s/%s: not a queue file name: ignored", dir, name);
    else if (qfile_move_lazy(QFILE_ACTIVE, QFILE_INCOMING, name, why) < 0)
	msg_warn("%s: move to %s: %s", name, QFILE_INCOMING, vstring_str(why));
    else
	msg_info("%s: recovered from %s", name, QFILE_ACTIVE);
    vstring_free(&why);
    return (0);
}

void    qmgr_scan_recover(void)
{
    (void) qmgr_scan_dir(QFILE_ACTIVE, qmgr_scan_back, (void *) 0);
    qmgr_scan_tmp(QFILE_INCOMING);
    qmgr_scan_tmp(QFILE_RECYCLE);
}

/* qmgr_scan_entry - stat one folder entry; QMGR_SCAN_STOP at the limit */

#define QMGR_SCAN_STOP	(-1)		/* enough messages in memory */
#define QMGR_SCAN_SKIP	0		/* gone or not a regular file */
#define QMGR_SCAN_FILE	1		/* a regular file, *st filled */

static int qmgr_scan_entry(const char *dir, const char *name,
			           struct vstring *path, struct stat *st)
{
    if (qmgr_message_count >= (size_t) var_qmgr_active_limit)
	return (QMGR_SCAN_STOP);
    vstring_sprintf(path, "%s/%s", dir, name);
    if (lstat(vstring_str(path), st) < 0) {
	if (errno != ENOENT)
	    msg_warn("stat %s: %m", vstring_str(path));
	return (QMGR_SCAN_SKIP);
    }
    if (!S_ISREG(st->st_mode)) {
	msg_warn("%s: not a regular file: ignored", vstring_str(path));
	return (QMGR_SCAN_SKIP);
    }
    return (QMGR_SCAN_FILE);
}

/* qmgr_scan_incoming_file - activate a ready file, remove an abandoned one */

static int qmgr_scan_incoming_file(const char *dir, const char *name,
				           void *context)
{
    struct vstring *path = vstring_alloc(100);
    struct stat st;
    int     status;

    if ((status = qmgr_scan_entry(dir, name, path, &st)) != QMGR_SCAN_FILE) {
	/* Skip. */
    } else if ((st.st_mode & S_IXUSR) == 0) {
	if (st.st_mtime < time((time_t *) 0) - QMGR_ABANDON_AGE) {
	    if (unlink(vstring_str(path)) < 0 && errno != ENOENT)
		msg_warn("remove abandoned %s: %m", vstring_str(path));
	    else
		msg_info("%s: removed abandoned incomplete file", name);
	}
    } else if (!qfile_id_valid(name)) {
	msg_warn("%s: not a queue file name: ignored", vstring_str(path));
    } else {
	qmgr_message_activate(QFILE_INCOMING, name);
    }
    vstring_free(&path);
    return (status == QMGR_SCAN_STOP);
}

/* qmgr_scan_deferred_file - activate a file whose time has come */

static int qmgr_scan_deferred_file(const char *dir, const char *name,
				           void *context)
{
    struct vstring *path = vstring_alloc(100);
    struct stat st;
    int     status;

    if ((status = qmgr_scan_entry(dir, name, path, &st)) != QMGR_SCAN_FILE) {
	/* Skip. */
    } else if (!qfile_id_valid(name)) {
	msg_warn("%s: not a queue file name: ignored", vstring_str(path));
    } else if (st.st_mtime <= time((time_t *) 0)
	       || st.st_ctim.tv_sec < qmgr_flush_time.tv_sec
	       || (st.st_ctim.tv_sec == qmgr_flush_time.tv_sec
		   && st.st_ctim.tv_nsec < qmgr_flush_time.tv_nsec)) {
	/* Its time has come, or it was deferred before a flush. */
	qmgr_message_activate(QFILE_DEFERRED, name);
    }
    vstring_free(&path);
    return (status == QMGR_SCAN_STOP);
}

/* qmgr_scan_catchup - the scan that finds what a lost trigger named */

static void qmgr_scan_catchup(int event, void *context)
{
    qmgr_catchup_armed = 0;
    qmgr_scan_request(QMGR_SCAN_INCOMING);
}

/* qmgr_scan_one - activate the one new file a trigger names */

void    qmgr_scan_one(const char *id)
{
    struct vstring *dir;

    if (!qfile_id_valid(id)) {
	msg_warn("trigger with a malformed queue ID ignored");
	return;
    }
    if (qmgr_stopping)				/* the next qmgr scans */
	return;
    dir = vstring_alloc(32);
    vstring_sprintf(dir, "%s/%c", QFILE_INCOMING, id[strlen(id) - 1]);
    if (qmgr_scan_incoming_file(vstring_str(dir), id, (void *) 0))
	qmgr_scan_request(QMGR_SCAN_INCOMING);	/* full: scan when there is room */
    vstring_free(&dir);

    /*
     * cleanup does not wait when qmgr's socket is full, so a trigger can be
     * lost (the kernel queues only net.unix.max_dgram_qlen datagrams, 10 by
     * default): one coalesced scan a little later finds such files, instead
     * of a scan of all 16 folders for every message.
     */
    if (!qmgr_catchup_armed) {
	qmgr_catchup_armed = 1;
	event_request_timer(qmgr_scan_catchup, (void *) 0, QMGR_CATCHUP_MS);
    }
    qmgr_deliver_schedule();
}

/* qmgr_scan_tmp - remove temporary names that a crashed cleanup left */

static void qmgr_scan_tmp(const char *folder)
{
    struct vstring *path = vstring_alloc(100);
    struct dirent *dp;
    struct stat st;
    DIR    *dirp;
    time_t  now = time((time_t *) 0);

    if ((dirp = opendir(folder)) == 0) {
	if (errno != ENOENT || strcmp(folder, QFILE_RECYCLE) != 0)
	    msg_warn("open folder %s: %m", folder);
	vstring_free(&path);
	return;
    }
    while ((dp = readdir(dirp)) != 0) {
	if (strncmp(dp->d_name, "tmp.", 4) != 0)
	    continue;
	vstring_sprintf(path, "%s/%s", folder, dp->d_name);
	if (lstat(vstring_str(path), &st) == 0 && S_ISREG(st.st_mode)
	    && st.st_mtime < now - QMGR_ABANDON_AGE) {
	    if (unlink(vstring_str(path)) < 0 && errno != ENOENT)
		msg_warn("remove abandoned %s: %m", vstring_str(path));
	    else
		msg_info("removed abandoned temporary file %s",
			 vstring_str(path));
	}
    }
    closedir(dirp);
    vstring_free(&path);
}

/* qmgr_scan_event - serve the pending scan requests */

static void qmgr_scan_event(int event, void *context)
{
    int     what = qmgr_scan_pending;
    int     full = 0;

    if (qmgr_stopping)				/* the next qmgr scans */
	return;
    qmgr_scan_pending = 0;
    if (what & QMGR_SCAN_DEFERRED)
	full |= qmgr_scan_dir(QFILE_DEFERRED, qmgr_scan_deferred_file,
			      (void *) 0);
    if (what & QMGR_SCAN_INCOMING)
	full |= qmgr_scan_dir(QFILE_INCOMING, qmgr_scan_incoming_file,
			      (void *) 0);
    if (full)
	qmgr_scan_pending |= what;		/* again when there is room */
    qmgr_deliver_schedule();
}

/* qmgr_scan_flush - files deferred until now are due */

void    qmgr_scan_flush(void)
{
    clock_gettime(CLOCK_REALTIME, &qmgr_flush_time);
    msg_info("flush: every deferred message is tried now");
}

void    qmgr_scan_request(int what)
{
    qmgr_scan_pending |= what;
    if (qmgr_message_count < (size_t) var_qmgr_active_limit)
	event_request_timer(qmgr_scan_event, (void *) 0, 0);
}

/* qmgr_scan_periodic - the $queue_run_delay timer */

static void qmgr_scan_periodic(int event, void *context)
{
    qmgr_scan_request(QMGR_SCAN_INCOMING | QMGR_SCAN_DEFERRED);
    qmgr_scan_timer_start();
}

void    qmgr_scan_timer_start(void)
{
    long    delay = var_queue_run_delay > 0 ? var_queue_run_delay : 1;

    event_request_timer(qmgr_scan_periodic, (void *) 0, delay * 1000);
}

/* qmgr_scan_room - a message left the active queue */

void    qmgr_scan_room(void)
{
    /*
     * With nothing left to deliver, look at incoming/ at once rather than
     * wait for a trigger that a full socket may have dropped.
     */
    if (qmgr_message_count == 0 && qmgr_catchup_armed)
	qmgr_scan_pending |= QMGR_SCAN_INCOMING;
    if (qmgr_scan_pending && qmgr_message_count < (size_t) var_qmgr_active_limit)
	event_request_timer(qmgr_scan_event, (void *) 0, 0);
}
