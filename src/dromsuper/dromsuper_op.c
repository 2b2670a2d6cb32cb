/*++
/* NAME
/*	dromsuper_op 3
/* SUMMARY
/*	delete, hold, release, requeue and expire one message
/* SYNOPSIS
/*	#include "dromsuper.h"
/*
/*	int	dromsuper_delete(queue, id)
/*
/*	int	dromsuper_hold(queue, id)
/*
/*	int	dromsuper_release(queue, id)
/*
/*	int	dromsuper_requeue(queue, id)
/*
/*	int	dromsuper_expire(queue, id)
/*	const char *queue;
/*	const char *id;
/* DESCRIPTION
/*	Each acts on the message id found in queue and logs one line per
/*	message to the mail log. Only qmgr moves files between incoming/,
/*	active/ and deferred/; these functions claim a file from qmgr with
/*	one rename (or unlink), which either wins or finds the file gone
/*	(qmgr took it to active/ first: DROMSUPER_GONE, and the caller
/*	looks for it again).
/*
/*	dromsuper_delete() unlinks the file (and fsyncs its folder) and
/*	then its notice logs: "ID: removed". dromsuper_hold() renames it
/*	to hold/: "ID: placed on hold". Both work on active/ too: qmgr
/*	opens active/ID each time it records a recipient's result, finds
/*	it gone, logs that and drops the message from memory (a recipient
/*	that was at a delivery agent at that moment and succeeded is not
/*	marked done in a held file, and is delivered again on release).
/*
/*	dromsuper_release() renames hold/ID to deferred/ with the time now
/*	as its modification time (due now): "ID: released from hold".
/*
/*	dromsuper_requeue() and dromsuper_expire() must read and rewrite
/*	the whole file, so they do not touch active/ (DROMSUPER_BUSY).
/*	They first rename the file to hold/, where qmgr never looks, so
/*	that qmgr cannot activate it while they work; on failure it is put
/*	back. dromsuper_requeue() sends the envelope (sender, dsn_ret and
/*	dsn_envid, each recipient still to do with its O and N records)
/*	and the content to cleanup as a new message, then removes the old
/*	file: "OLDID: requeued as NEWID". A message whose failure notice is
/*	still pending (bounce/X/ID) is left alone (DROMSUPER_BUSY).
/*	dromsuper_expire() writes a copy with the attribute
/*	"forced_expire=1" right after the T record under a temporary name
/*	in hold/, fsyncs it, renames it over the original, then renames
/*	it to deferred/ due now: "ID: expired by the administrator"; qmgr
/*	bounces its recipients at activation.
/* DIAGNOSTICS
/*	msg_warn() with the reason when an operation fails.
/*--*/
#include <sys/stat.h>
#include <sys/time.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <vstream.h>
#include <vstring.h>

#include <cleanup_clnt.h>
#include <dsn.h>
#include <dsn_log.h>
#include <qfile.h>
#include <rec.h>

#include "dromsuper.h"

#define FORCED_EXPIRE_ATTR	"forced_expire"

/* dromsuper_gone - the file is no longer there */

static int dromsuper_gone(const char *queue, const char *id)
{
    struct vstring *path = vstring_alloc(100);
    struct stat st;
    int     gone;

    gone = (lstat(dromsuper_path(path, queue, id), &st) < 0 && errno == ENOENT);
    vstring_free(&path);
    return (gone);
}

/* dromsuper_failed - GONE or FAIL after a failed step */

static int dromsuper_failed(const char *queue, const char *id,
			            const char *what, struct vstring *why)
{
    if (dromsuper_gone(queue, id))
	return (DROMSUPER_GONE);
    msg_warn("%s: %s: %s", id, what, vstring_str(why));
    return (DROMSUPER_FAIL);
}

int     dromsuper_delete(const char *queue, const char *id)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *path;
    int     ret = DROMSUPER_DONE;

    if (strcmp(queue, DROMSUPER_Q_MAILDROP) == 0) {
	path = vstring_alloc(100);
	if (unlink(dromsuper_path(path, queue, id)) < 0) {
	    vstring_sprintf(why, "%m");
	    ret = dromsuper_failed(queue, id, "remove", why);
	}
	vstring_free(&path);
    } else if (qfile_remove(queue, id, why) < 0) {
	ret = dromsuper_failed(queue, id, "remove", why);
    } else {
	dromsuper_forget(id);
    }
    if (ret == DROMSUPER_DONE)
	msg_info_log("%s: removed", id);
    vstring_free(&why);
    return (ret);
}

int     dromsuper_hold(const char *queue, const char *id)
{
    struct vstring *why;
    int     ret = DROMSUPER_DONE;

    if (strcmp(queue, QFILE_HOLD) == 0)
	return (DROMSUPER_SKIP);
    why = vstring_alloc(100);
    if (qfile_move(queue, QFILE_HOLD, id, why) < 0)
	ret = dromsuper_failed(queue, id, "place on hold", why);
    else
	msg_info_log("%s: placed on hold", id);
    vstring_free(&why);
    return (ret);
}

/* dromsuper_due_now - deferred/ID: try it now */

static int dromsuper_due_now(const char *id, struct vstring *why)
{
    struct vstring *path = vstring_alloc(100);
    int     ret = 0;

    if (utimes(qfile_path(path, QFILE_DEFERRED, id),
	       (struct timeval *) 0) < 0) {
	vstring_sprintf(why, "set the time of %s: %m", vstring_str(path));
	ret = -1;
    }
    vstring_free(&path);
    return (ret);
}

/* dromsuper_to_deferred - hold/ID to deferred/, due now */

static int dromsuper_to_deferred(const char *id, struct vstring *why)
{
    if (qfile_move(QFILE_HOLD, QFILE_DEFERRED, id, why) < 0)
	return (-1);
    /* A file moved but not due is only late: qmgr tries it later. */
    if (dromsuper_due_now(id, why) < 0)
	msg_warn("%s: %s", id, vstring_str(why));
    return (0);
}

int     dromsuper_release(const char *queue, const char *id)
{
    struct vstring *why;
    int     ret = DROMSUPER_DONE;

    if (strcmp(queue, QFILE_HOLD) != 0)
	return (DROMSUPER_SKIP);
    why = vstring_alloc(100);
    if (dromsuper_to_deferred(id, why) < 0)
	ret = dromsuper_failed(queue, id, "release from hold", why);
    else
	msg_info_log("%s: released from hold", id);
    vstring_free(&why);
    return (ret);
}

/* dromsuper_claim - take a file out of qmgr's reach (to hold/) */

static int dromsuper_claim(const char *queue, const char *id)
{
    struct vstring *why;
    struct vstring *path;
    struct stat st;
    int     ret = DROMSUPER_DONE;

    if (strcmp(queue, QFILE_ACTIVE) == 0)
	return (DROMSUPER_BUSY);
    if (strcmp(queue, QFILE_HOLD) == 0)
	return (DROMSUPER_DONE);
    why = vstring_alloc(100);
    path = vstring_alloc(100);
    /* cleanup still writes an incoming file without the ready bit. */
    if (lstat(qfile_path(path, queue, id), &st) == 0
	&& (st.st_mode & S_IXUSR) == 0)
	ret = DROMSUPER_BUSY;
    else if (qfile_move(queue, QFILE_HOLD, id, why) < 0)
	ret = dromsuper_failed(queue, id, "move to hold", why);
    vstring_free(&path);
    vstring_free(&why);
    return (ret);
}

/* dromsuper_unclaim - give a claimed file back */

static void dromsuper_unclaim(const char *queue, const char *id)
{
    struct vstring *why;

    if (strcmp(queue, QFILE_HOLD) == 0)
	return;
    why = vstring_alloc(100);
    if (qfile_move(QFILE_HOLD, queue, id, why) < 0)
	msg_warn("%s: it stays in %s: %s", id, QFILE_HOLD, vstring_str(why));
    vstring_free(&why);
}

/* dromsuper_open - open and read a claimed file */

static int dromsuper_open(const char *id, struct qfile_info *info,
			          struct vstring *why)
{
    struct vstring *path = vstring_alloc(100);
    int     fd;

    memset(info, 0, sizeof(*info));
    if ((fd = open(qfile_path(path, QFILE_HOLD, id), O_RDWR | O_CLOEXEC)) < 0) {
	vstring_sprintf(why, "open %s: %m", vstring_str(path));
    } else if (qfile_read_envelope(fd, info, why) < 0) {
	(void) close(fd);
	fd = -1;
    }
    vstring_free(&path);
    return (fd);
}

/* dromsuper_resubmit - the message's envelope and content to cleanup */

static int dromsuper_resubmit(int fd, const struct qfile_info *info,
			              struct vstring *new_id, struct vstring *why)
{
    static const char *const keep[] = {"dsn_ret", "dsn_envid", 0};
    const char *const * name;
    struct cleanup_clnt *clnt;
    struct vstream *out;
    struct vstream *in;
    struct vstring *buf;
    const struct qfile_rcpt *rcpt;
    const char *value;
    off_t   left = info->content_size;
    ssize_t len = 0;
    size_t  i;
    int     err = 0;
    int     status;

    if ((clnt = cleanup_clnt_open(why)) == 0)
	return (-1);
    if (cleanup_clnt_begin(clnt, CLEANUP_FLAG_NONE, new_id, why) < 0) {
	cleanup_clnt_close(&clnt);
	return (-1);
    }
    out = cleanup_clnt_stream(clnt);
    buf = vstring_alloc(100);
    for (name = keep; *name; name++)
	if ((value = qfile_attr(info, *name)) != 0) {
	    vstring_sprintf(buf, "%s=%s", *name, value);
	    err |= rec_fputs(out, REC_TYPE_ATTR, vstring_str(buf));
	}
    err |= rec_fputs(out, REC_TYPE_FROM, info->sender);
    for (i = 0; i < info->rcpt_count; i++) {
	rcpt = info->rcpts + i;
	if (rcpt->state != REC_RCPT_TODO)
	    continue;
	if (rcpt->orig)
	    err |= rec_fputs(out, REC_TYPE_ORCP, rcpt->orig);
	if (rcpt->dsn_notify || rcpt->dsn_orcpt)
	    err |= rec_fputs(out, REC_TYPE_DSN,
			     dsn_rec_format(buf, rcpt->dsn_notify,
					    rcpt->dsn_orcpt));
	err |= rec_fputs(out, REC_TYPE_RCPT, rcpt->address);
    }
    err |= rec_put(out, REC_TYPE_MESG, "", 0);
    if ((in = qfile_content_open(fd, info)) == 0) {
	vstring_sprintf(why, "seek to the content: %m");
	err = -1;
    } else {
	while (err == 0 && (len = qfile_content_read(in, buf, &left)) > 0)
	    err |= rec_put(out, REC_TYPE_CONT, vstring_str(buf), (size_t) len);
	if (len < 0) {
	    vstring_sprintf(why, "malformed content record");
	    err = -1;
	}
	(void) vstream_close(&in);
	if (err == 0 && (err |= rec_put(out, REC_TYPE_XTRA, "", 0)
			 | rec_put(out, REC_TYPE_END, "", 0)) != 0)
	    vstring_sprintf(why, "cleanup: write error");
    }
    if (err == 0 && (status = cleanup_clnt_finish(clnt, buf)) != 0) {
	vstring_sprintf(why, "cleanup: %s", vstring_str(buf));
	err = -1;
    }
    cleanup_clnt_close(&clnt);
    vstring_free(&buf);
    return (err ? -1 : 0);
}

int     dromsuper_requeue(const char *queue, const char *id)
{
    struct vstring *why;
    struct vstring *new_id;
    struct qfile_info info;
    size_t  i;
    size_t  todo = 0;
    int     ret;
    int     fd;

    if (strcmp(queue, QFILE_ACTIVE) != 0 && dsn_log_exists(QFILE_BOUNCE, id)) {
	msg_warn("%s: a notice is still pending: not requeued", id);
	return (DROMSUPER_BUSY);
    }
    if ((ret = dromsuper_claim(queue, id)) != DROMSUPER_DONE)
	return (ret);
    why = vstring_alloc(100);
    new_id = vstring_alloc(40);
    if ((fd = dromsuper_open(id, &info, why)) < 0) {
	msg_warn("%s: %s", id, vstring_str(why));
	dromsuper_unclaim(queue, id);
	ret = DROMSUPER_FAIL;
    } else {
	for (i = 0; i < info.rcpt_count; i++)
	    if (info.rcpts[i].state == REC_RCPT_TODO)
		todo++;
	if (todo == 0) {
	    dromsuper_unclaim(queue, id);
	    ret = DROMSUPER_SKIP;
	} else if (dromsuper_resubmit(fd, &info, new_id, why) < 0) {
	    msg_warn("%s: not requeued: %s", id, vstring_str(why));
	    dromsuper_unclaim(queue, id);
	    ret = DROMSUPER_FAIL;
	} else {
	    /* The new message is safe: a failure here only duplicates. */
	    if (qfile_remove(QFILE_HOLD, id, why) < 0)
		msg_warn("%s: requeued as %s, but the old file stays: %s", id,
			 vstring_str(new_id), vstring_str(why));
	    else
		dromsuper_forget(id);
	    msg_info_log("%s: requeued as %s", id, vstring_str(new_id));
	}
	(void) close(fd);
	qfile_info_free(&info);
    }
    vstring_free(&new_id);
    vstring_free(&why);
    return (ret);
}

/* dromsuper_copy_expired - the records of in, plus the attribute */

static int dromsuper_copy_expired(int in_fd, int out_fd, struct vstring *why)
{
    struct vstream *in;
    struct vstream *out;
    struct vstring *buf = vstring_alloc(100);
    int     type = 0;
    int     err = 0;

    if (lseek(in_fd, 0, SEEK_SET) < 0) {
	vstring_sprintf(why, "seek: %m");
	vstring_free(&buf);
	return (-1);
    }
    in = vstream_fdopen(in_fd, 0);
    out = vstream_fdopen(out_fd, 0);
    while (err == 0 && type != REC_TYPE_END) {
	if ((type = rec_get(in, buf, REC_CONT_MAX)) < 0) {
	    vstring_sprintf(why, "read error");
	    err = -1;
	    break;
	}
	err = rec_put(out, type, vstring_str(buf), vstring_len(buf));
	if (err == 0 && type == REC_TYPE_TIME)
	    err = rec_fputs(out, REC_TYPE_ATTR, FORCED_EXPIRE_ATTR "=1");
    }
    if (vstream_flush(out) != 0 && err == 0)
	err = -1;
    if (err && vstring_len(why) == 0)
	vstring_sprintf(why, "write error: %m");
    (void) vstream_close(&in);
    (void) vstream_close(&out);
    vstring_free(&buf);
    return (err);
}

/* dromsuper_mark_expired - rewrite hold/ID with forced_expire=1 */

static int dromsuper_mark_expired(int fd, const char *id, struct vstring *why)
{
    struct vstring *tmp = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct timeval tv;
    struct stat st;
    int     out;
    int     ret = -1;

    gettimeofday(&tv, (struct timezone *) 0);
    vstring_sprintf(tmp, "%s/tmp.%ld.%ld.%ld", QFILE_HOLD, (long) getpid(),
		    (long) tv.tv_sec, (long) tv.tv_usec);
    vstring_reset(why);
    if (fstat(fd, &st) < 0) {
	vstring_sprintf(why, "fstat: %m");
    } else if ((out = open(vstring_str(tmp), O_RDWR | O_CREAT | O_EXCL
			   | O_CLOEXEC, QFILE_MODE_WRITING)) < 0) {
	vstring_sprintf(why, "create %s: %m", vstring_str(tmp));
    } else {
	if (dromsuper_copy_expired(fd, out, why) < 0) {
	    /* why is set. */
	} else if (fchown(out, st.st_uid, st.st_gid) < 0
		   || fchmod(out, QFILE_MODE_READY) < 0 || fsync(out) < 0) {
	    vstring_sprintf(why, "%s: %m", vstring_str(tmp));
	} else if (rename(vstring_str(tmp), qfile_path(path, QFILE_HOLD, id)) < 0) {
	    vstring_sprintf(why, "rename %s: %m", vstring_str(tmp));
	} else {
	    ret = qfile_sync_name(QFILE_HOLD, id, why);
	}
	(void) close(out);
	if (ret < 0)
	    (void) unlink(vstring_str(tmp));
    }
    vstring_free(&path);
    vstring_free(&tmp);
    return (ret);
}

int     dromsuper_expire(const char *queue, const char *id)
{
    struct vstring *why;
    struct qfile_info info;
    const char *value;
    int     ret;
    int     fd;

    if ((ret = dromsuper_claim(queue, id)) != DROMSUPER_DONE)
	return (ret);
    why = vstring_alloc(100);
    if ((fd = dromsuper_open(id, &info, why)) < 0) {
	msg_warn("%s: %s", id, vstring_str(why));
	dromsuper_unclaim(queue, id);
	ret = DROMSUPER_FAIL;
    } else {
	value = qfile_attr(&info, FORCED_EXPIRE_ATTR);
	if ((value == 0 || strcmp(value, "1") != 0)
	    && dromsuper_mark_expired(fd, id, why) < 0) {
	    msg_warn("%s: not expired: %s", id, vstring_str(why));
	    dromsuper_unclaim(queue, id);
	    ret = DROMSUPER_FAIL;
	} else if (dromsuper_to_deferred(id, why) < 0) {
	    msg_warn("%s: expired, but it stays in %s: %s", id, QFILE_HOLD,
		     vstring_str(why));
	    ret = DROMSUPER_FAIL;
	} else {
	    msg_info_log("%s: expired by the administrator", id);
	}
	(void) close(fd);
	qfile_info_free(&info);
    }
    vstring_free(&why);
    return (ret);
}
