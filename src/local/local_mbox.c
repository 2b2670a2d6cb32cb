/*++
/* NAME
/*	local_mbox 3
/* SUMMARY
/*	deliver to an mbox file
/* SYNOPSIS
/*	#include "local.h"
/*
/*	void	local_mbox(state, path, result)
/*
/*	int	local_mbox_append(state, path, flags, why)
/* DESCRIPTION
/*	local_mbox() appends one message to the mbox file path: dot-lock
/*	(dot_lock(3h): path.lock, exclusive create, waited for at most
/*	LOCAL_LOCK_TIMEOUT seconds, stale after LOCAL_LOCK_STALE
/*	seconds), fcntl() write lock (waited for at most
/*	LOCAL_LOCK_TIMEOUT seconds), "From " line, the message with
/*	mboxrd ">From " quoting, an empty line, fsync. On error the file is
/*	truncated to its original size and the delivery deferred (4.2.0).
/*
/*	A missing mailbox is created with mode 0600 for the user; in the
/*	spool directory (state->spool_priv) the mailbox and the dot-lock
/*	are created with root privileges (exclusive, no symbolic links)
/*	and the mailbox handed to the user; everything else runs with the
/*	user's effective uid.
/*
/*	local_mbox_append() is the append itself, 0 or -1 with a reason
/*	in why. With flags LOCAL_MBOX_MAILBOX the file must belong to
/*	state->uid (a mailbox); with LOCAL_MBOX_FILE (a /file of an alias
/*	or .forward) it may belong to anyone who lets the current identity
/*	write it, a dot-lock that cannot be made for lack of permission in
/*	the folder is done without, and a missing file is created by the
/*	current identity. Either way the file must be a regular file with
/*	one link, opened without following a symbolic link.
/* DIAGNOSTICS
/*	Result only.
/*--*/
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vstream.h>
#include <vstring.h>

#include <deliver_request.h>
#include <dot_lock.h>

#include "local.h"

/* local_mbox_alarm - interrupt a lock wait */

static void local_mbox_alarm(int sig)
{
    /* Interrupts fcntl(F_SETLKW). */
}

/* local_mbox_priv - dot_lock()'s privilege callback */

static void local_mbox_priv(void *context, int on)
{
    (void) local_priv((struct local_state *) context, on);
}

/* local_mbox_dotlock - create path.lock; 0, 1 (none: FILE only) or -1 */

static int local_mbox_dotlock(struct local_state *state, const char *lock,
			              int flags, struct vstring *why)
{
    if (dot_lock(lock, LOCAL_LOCK_TIMEOUT, LOCAL_LOCK_STALE, local_mbox_priv,
		 (void *) state, why) == 0)
	return (0);
    if (flags == LOCAL_MBOX_FILE
	&& (errno == EACCES || errno == EPERM || errno == EROFS))
	return (1);
    return (-1);
}

/* local_mbox_open - open or create the mailbox for appending */

static int local_mbox_open(struct local_state *state, const char *path,
			           int flags, struct vstring *why)
{
    struct stat st;
    int     fd;

    /* O_NONBLOCK: a FIFO cannot hang the open; cleared below. */
    fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
	(void) local_priv(state, 1);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW
		  | O_CLOEXEC, 0600);
	if (fd >= 0 && geteuid() == 0
	    && fchown(fd, state->uid, state->gid) < 0) {
	    vstring_sprintf(why, "chown mailbox %s: %m", path);
	    (void) close(fd);
	    (void) unlink(path);
	    (void) local_priv(state, 0);
	    return (-1);
	}
	(void) local_priv(state, 0);
    }
    if (fd < 0) {
	vstring_sprintf(why, "open %s %s: %m",
			flags == LOCAL_MBOX_FILE ? "file" : "mailbox", path);
	return (-1);
    }
    if (flags == LOCAL_MBOX_FILE) {
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
	    vstring_sprintf(why, "file %s: not a regular file with one link",
			    path);
	    (void) close(fd);
	    return (-1);
	}
    } else if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1
	       || st.st_uid != state->uid) {
	vstring_sprintf(why, "mailbox %s: not a regular file owned by %s with "
			"one link", path, state->user);
	(void) close(fd);
	return (-1);
    }
    if (fcntl(fd, F_SETFL, O_WRONLY | O_APPEND) < 0) {
	vstring_sprintf(why, "fcntl %s: %m", path);
	(void) close(fd);
	return (-1);
    }
    return (fd);
}

int     local_mbox_append(struct local_state *state, const char *path,
			          int flags, struct vstring *why)
{
    struct vstring *lock = vstring_alloc(100);
    struct vstream *out = 0;
    struct sigaction sa;
    struct flock fl;
    char    date[64];
    time_t  now;
    off_t   orig = -1;
    int     locked = 0;
    int     fd = -1;
    int     ret;
    const char *what = (flags == LOCAL_MBOX_FILE ? "file" : "mailbox");

    vstring_reset(why);
    vstring_sprintf(lock, "%s.lock", path);
    if ((ret = local_mbox_dotlock(state, vstring_str(lock), flags, why)) < 0)
	goto fail;
    locked = (ret == 0);
    if ((fd = local_mbox_open(state, path, flags, why)) < 0)
	goto fail;

    /* fcntl lock, waited for with a deadline. */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = local_mbox_alarm;
    sigemptyset(&sa.sa_mask);
    (void) sigaction(SIGALRM, &sa, (struct sigaction *) 0);
    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    alarm(LOCAL_LOCK_TIMEOUT);
    ret = fcntl(fd, F_SETLKW, &fl);
    alarm(0);
    if (ret < 0) {
	vstring_sprintf(why, "lock %s %s: %s", what, path,
			errno == EINTR ? "timeout" : strerror(errno));
	goto fail;
    }
    if ((orig = lseek(fd, 0, SEEK_END)) < 0) {
	vstring_sprintf(why, "seek %s %s: %m", what, path);
	goto fail;
    }
    now = time((time_t *) 0);
    strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", localtime(&now));
    out = vstream_fdopen(fd, 0);
    if (vstream_printf(out, "From %s %s\n",
		       *state->sender ? state->sender : "MAILER-DAEMON",
		       date) < 0
	|| local_copy(state, out, 1, why) < 0
	|| vstream_write(out, "\n", 1) < 0
	|| vstream_flush(out) < 0
	|| fsync(fd) < 0) {
	if (vstring_len(why) == 0)
	    vstring_sprintf(why, "write %s %s: %m", what, path);
	goto fail;
    }
    (void) vstream_close(&out);
    ret = 0;
    goto out;

fail:
    if (out)
	(void) vstream_close(&out);
    if (orig >= 0 && ftruncate(fd, orig) < 0)
	vstring_sprintf_append(why, "; truncate failed: %m");
    ret = -1;
out:
    if (fd >= 0)
	(void) close(fd);
    if (locked) {
	(void) local_priv(state, 1);
	(void) unlink(vstring_str(lock));
	(void) local_priv(state, 0);
    }
    vstring_free(&lock);
    return (ret);
}

void    local_mbox(struct local_state *state, const char *path,
		           struct local_result *res)
{
    struct vstring *why = vstring_alloc(100);

    if (local_mbox_append(state, path, LOCAL_MBOX_MAILBOX, why) == 0)
	local_result_set(res, DELIVER_STAT_SENT, "2.0.0",
			 "delivered to mailbox");
    else
	local_result_set(res, DELIVER_STAT_DEFER, "4.2.0",
			 "mailbox delivery failed: %s", vstring_str(why));
    vstring_free(&why);
}
