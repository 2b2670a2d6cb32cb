/*++
/* NAME
/*	logd 8
/* SUMMARY
/*	dromos log service: append every daemon's log records to maillog_file
/* SYNOPSIS
/*	logd [generic daemon options]
/* DESCRIPTION
/*	logd receives log records from the other dromos programs over the
/*	datagram socket $queue_directory/public/dromlog and appends each,
/*	one line per record, to the file named by maillog_file. It is for
/*	hosts and containers without a syslog daemon: set maillog_file in
/*	main.cf, and every daemon (chrooted ones included, since they
/*	connect before the chroot) logs through logd instead of syslog.
/*
/*	logd is started by master from this master.cf line (master owns
/*	the socket, so a restart of logd loses no queued record):
/*
/* .nf
/*	dromlog  unix-dgram  n  -  n  -  1  logd
/* .fi
/*
/*	A record is the text msg(3) formats, without a newline:
/*
/* .nf
/*	Mon DD HH:MM:SS host dromos/NAME[pid]: text
/* .fi
/*
/*	Records are appended to a descriptor opened with O_APPEND, each
/*	followed by a newline, whole lines only: the records that one
/*	wake-up finds waiting (up to 256) are gathered and written with one
/*	write(2) (a gathered batch is written out early when it reaches
/*	64 KiB), so a busy system costs one write a batch, not one a line. A trailing newline in the
/*	record is dropped; any other newline or control character is
/*	replaced with "?", so one record is always one line and a sender
/*	cannot forge lines. Records longer than 8192 bytes are cut and
/*	marked with "...". Empty records are dropped.
/*
/*	maillog_file must be an absolute path; /dev/stdout and /dev/stderr
/*	are allowed (for containers that collect a process's output, with
/*	master running in the foreground). When maillog_file is empty,
/*	logd discards what it receives (the daemons then use syslog and
/*	send it nothing).
/*
/*	Log rotation: "dromos logrotate" renames the file, creates a new
/*	empty one owned by mail_owner with mode 0600, and reloads master.
/*	logd notices that maillog_file names a new file (it compares the
/*	file's identity before each write, and on SIGHUP) and switches to
/*	it; a restart of logd by master opens it as well. Records that
/*	arrive before the new file exists go to the renamed file, so none
/*	are lost.
/*
/*	logd does not log through the socket it serves (that would loop):
/*	its own messages are written to maillog_file directly, in the same
/*	record format, and to the standard error stream.
/* SECURITY
/*	logd runs as mail_owner (master.cf unpriv "-" or "y"), not
/*	chrooted: it opens maillog_file as root before the privilege drop
/*	(O_WRONLY|O_APPEND|O_CREAT, mode 0600), then the skeleton drops
/*	to mail_owner. It refuses a symbolic link (other than /dev/stdout
/*	and /dev/stderr) and a regular file with more than one hard link,
/*	so that whoever can write the log folder cannot make root append
/*	to another file. After that it can only append to the open file, or
/*	open a replacement that "dromos logrotate" made and handed to
/*	mail_owner. Every record is untrusted input from a local process
/*	that can reach the public socket: logd only copies its bytes,
/*	neutralising control characters, and never interprets them.
/* DIAGNOSTICS
/*	Problems are written to maillog_file and the standard error
/*	stream. A maillog_file that is not an absolute path, or that cannot
/*	be opened, is fatal. A failed write is reported once a minute at
/*	most, with the number of records lost.
/* BUGS
/*	Records are not time-stamped by logd: the time is the sender's.
/*	While the disk is full, records are lost (and counted).
/* CONFIGURATION PARAMETERS
/* .IP maillog_file
/*	The file to append log records to; empty: none (use syslog).
/* .IP queue_directory
/*	Where the socket public/dromlog lives.
/* .IP mail_owner
/*	The user logd runs as after opening the file.
/* .IP syslog_name
/*	The name in logd's own records.
/* FILES
/*	$maillog_file, the log file.
/*	$queue_directory/public/dromlog, the log socket (made by master).
/* SEE ALSO
/*	dromos(1), "dromos logrotate".
/*	master(8), the process manager.
/*	msg(3), the record format.
/*--*/
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <vstring.h>

#include <mail_params.h>
#include <mail_server.h>

#include "logd.h"

#define LOGD_WARN_INTERVAL	60	/* seconds between write warnings */
#define LOGD_OWN_MAX		4500	/* own records */
#define LOGD_BATCH_MAX		65536	/* write a gathered batch early */

static int logd_fd = -1;		/* the open maillog_file */
static struct vstring *logd_scratch;
static struct vstring *logd_why;
static time_t logd_last_warn;
static dev_t logd_dev;			/* identity of the open file */
static ino_t logd_ino;
static int logd_regular;		/* it is a regular file */
static unsigned long logd_lost;
static struct vstring *logd_batch;	/* lines waiting for one write */
static unsigned long logd_batch_count;	/* how many */

static const char *logd_severity[] = {
    "", "warning: ", "error: ", "fatal: ", "panic: ",
};

/* logd_note - our own message: to the file directly, and to stderr */

static void __attribute__((format(printf, 2, 3))) logd_note(int level,
						            const char *fmt,...)
{
    char    rec[LOGD_OWN_MAX];
    struct vstring *text = vstring_alloc(100);
    struct vstring *scratch = vstring_alloc(100);
    size_t  len;
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf_append(text, fmt, ap);
    va_end(ap);
    if (logd_fd >= 0) {
	len = msg_format_record(rec, sizeof(rec), logd_severity[level],
				vstring_str(text));
	(void) logd_record_write(logd_fd, rec, len, scratch, logd_why);
    }
    if (level == MSG_FATAL)
	msg_fatal("%s", vstring_str(text));
    if (level == MSG_WARN)
	msg_warn("%s", vstring_str(text));
    else
	msg_info("%s", vstring_str(text));
    vstring_free(&text);
    vstring_free(&scratch);
}

/* logd_open - open maillog_file for appending; -1 with a reason */

static int logd_open(struct vstring *why)
{
    int     flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY;
    struct stat st;
    int     fd;

    /*
     * Root opens this file: no symbolic link (except the two standard
     * streams, which are links into /proc), no hard-linked file, so that
     * whoever can write the folder cannot point logd at another file.
     */
    if (strcmp(var_maillog_file, "/dev/stdout") != 0
	&& strcmp(var_maillog_file, "/dev/stderr") != 0)
	flags |= O_NOFOLLOW;
    if ((fd = open(var_maillog_file, flags, 0600)) < 0) {
	vstring_sprintf(why, "open %s: %s", var_maillog_file, strerror(errno));
	return (-1);
    }
    if (fstat(fd, &st) < 0) {
	vstring_sprintf(why, "fstat %s: %s", var_maillog_file, strerror(errno));
    } else if (S_ISREG(st.st_mode) && st.st_nlink != 1) {
	vstring_sprintf(why, "%s has %lu hard links; refusing to write it",
			var_maillog_file, (unsigned long) st.st_nlink);
    } else if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)
	       && !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode)) {
	vstring_sprintf(why, "%s is not a file", var_maillog_file);
    } else {
	return (fd);
    }
    (void) close(fd);
    return (-1);
}

/* logd_reopen - switch to the file maillog_file names now, when it differs */

static void logd_remember(void)
{
    struct stat cur;

    logd_regular = (logd_fd >= 0 && fstat(logd_fd, &cur) == 0
		    && S_ISREG(cur.st_mode));
    if (logd_regular) {
	logd_dev = cur.st_dev;
	logd_ino = cur.st_ino;
    }
}

static void logd_reopen(int force)
{
    struct stat now;
    time_t  when;
    int     fd;

    if (logd_fd < 0 || !logd_regular)
	return;
    if (stat(var_maillog_file, &now) < 0) {
	/* Renamed, and the new file is not there yet: keep writing. */
	if (!force)
	    return;
    } else if (now.st_dev == logd_dev && now.st_ino == logd_ino && !force) {
	return;
    }
    if ((fd = logd_open(logd_why)) < 0) {
	when = time((time_t *) 0);
	if (when - logd_last_warn >= LOGD_WARN_INTERVAL) {
	    logd_last_warn = when;
	    logd_note(MSG_WARN, "cannot reopen: %s; "
		      "still writing to the old file", vstring_str(logd_why));
	}
	return;
    }
    (void) close(logd_fd);
    logd_fd = fd;
    logd_remember();
    if (msg_verbose)
	logd_note(MSG_INFO, "reopened %s", var_maillog_file);
}

/* logd_flush - append the gathered lines with one write */

static void logd_flush(void)
{
    const char *data;
    size_t  left;
    ssize_t n;
    time_t  now;

    if (logd_batch == 0 || logd_batch_count == 0)
	return;
    /*
     * A rotated file: one stat(2) a write, so that every record that
     * arrives after "dromos logrotate" made the new file goes there.
     */
    logd_reopen(0);
    data = vstring_str(logd_batch);
    left = vstring_len(logd_batch);
    while (left > 0) {
	if ((n = write(logd_fd, data, left)) < 0 && errno == EINTR)
	    continue;
	if (n <= 0) {
	    vstring_sprintf(logd_why, "write: %s",
			    n < 0 ? strerror(errno) : "no progress");
	    break;
	}
	data += n;
	left -= (size_t) n;
    }
    if (left == 0 && logd_lost > 0) {
	logd_note(MSG_WARN, "%lu record(s) lost while writing %s failed",
		  logd_lost, var_maillog_file);
	logd_lost = 0;
    } else if (left > 0) {
	logd_lost += logd_batch_count;
	if ((now = time((time_t *) 0)) - logd_last_warn >= LOGD_WARN_INTERVAL) {
	    logd_last_warn = now;
	    msg_warn("%s: %s", var_maillog_file, vstring_str(logd_why));
	}
    }
    vstring_reset(logd_batch);
    logd_batch_count = 0;
}

/* logd_service - gather one record; logd_flush() writes it */

static void logd_service(const char *buf, size_t len, const char *service,
			         char **argv)
{
    size_t  n;

    if (logd_fd < 0)
	return;
    if ((n = logd_record_clean(logd_scratch, buf, len)) == 0)
	return;
    if (vstring_len(logd_batch) + n > LOGD_BATCH_MAX)
	logd_flush();
    vstring_append(logd_batch, vstring_str(logd_scratch), n);
    logd_batch_count++;
}

/* logd_hup - SIGHUP: switch to a rotated file */

static void logd_hup(void)
{
    logd_reopen(1);
}

/* logd_pre_init - still root: open the file */

static void logd_pre_init(const char *service, char **argv)
{
    /*
     * Never log through the socket we serve; our own messages go to the
     * file and stderr.
     */
    msg_logd_close();
    msg_stderr_init(1, 1);
    logd_scratch = vstring_alloc(1024);
    logd_why = vstring_alloc(100);
    logd_batch = vstring_alloc(LOGD_BATCH_MAX);
    if (var_maillog_file == 0 || *var_maillog_file == 0) {
	msg_info("maillog_file is not set; discarding log records");
	return;
    }
    if (var_maillog_file[0] != '/')
	msg_fatal("maillog_file must be an absolute path: \"%s\"",
		  var_maillog_file);
    if ((logd_fd = logd_open(logd_why)) < 0)
	msg_fatal("%s", vstring_str(logd_why));
    logd_remember();
    if (msg_verbose)
	logd_note(MSG_INFO, "appending log records to %s", var_maillog_file);
}

int     main(int argc, char **argv)
{
    dgram_server_main(argc, argv, logd_service,
		      MAIL_SERVER_PRE_INIT, logd_pre_init,
		      MAIL_SERVER_HUP, logd_hup,
		      MAIL_SERVER_BATCH_END, logd_flush,
		      MAIL_SERVER_EXIT, logd_flush,
		      MAIL_SERVER_END);
}
