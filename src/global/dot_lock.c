/*++
/* NAME
/*	dot_lock 3
/* SUMMARY
/*	the mbox dot-lock: FILE.lock, made by exclusive create
/* SYNOPSIS
/*	#include <dot_lock.h>
/* DESCRIPTION
/*	See dot_lock.h.
/*--*/
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <vstring.h>

#include "dot_lock.h"

#define DOT_LOCK_RETRY_US	200000	/* between two tries */

int     dot_lock(const char *lock, int wait, int stale,
		         void (*priv) (void *, int), void *context,
		         struct vstring *why)
{
    time_t  deadline = time((time_t *) 0) + wait;
    struct stat st;
    int     fd;
    int     err;

    for (;;) {
	if (priv)
	    priv(context, 1);
	fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	err = errno;
	if (priv)
	    priv(context, 0);
	if (fd >= 0) {
	    (void) close(fd);
	    return (0);
	}
	if (err != EEXIST) {
	    errno = err;
	    vstring_sprintf(why, "create lock file %s: %m", lock);
	    errno = err;
	    return (-1);
	}
	if (lstat(lock, &st) == 0
	    && st.st_mtime < time((time_t *) 0) - stale) {
	    msg_warn("removing stale lock file %s", lock);
	    if (priv)
		priv(context, 1);
	    (void) unlink(lock);
	    if (priv)
		priv(context, 0);
	    continue;
	}
	if (time((time_t *) 0) >= deadline) {
	    vstring_sprintf(why, "timeout waiting for lock file %s", lock);
	    errno = ETIMEDOUT;
	    return (-1);
	}
	(void) usleep(DOT_LOCK_RETRY_US);
    }
}
