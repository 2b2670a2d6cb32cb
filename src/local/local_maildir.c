/*++
/* NAME
/*	local_maildir 3
/* SUMMARY
/*	deliver to a Maildir
/* SYNOPSIS
/*	#include "local.h"
/*
/*	void	local_maildir(state, path, result)
/* DESCRIPTION
/*	local_maildir() delivers one message to the Maildir path (with
/*	the user's privileges; see local(8) for the steps and the file
/*	names). It makes path, tmp, new and cur when missing (mode 0700).
/*	Any error leaves no file behind and defers with "4.2.0" and the
/*	reason.
/* DIAGNOSTICS
/*	Result only.
/*--*/
#include <sys/stat.h>
#include <sys/time.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <vstream.h>
#include <vstring.h>

#include <deliver_request.h>
#include <mail_params.h>

#include "local.h"

/* local_maildir_mkdir - make a folder unless it is there */

static int local_maildir_mkdir(const char *path, struct vstring *why)
{
    struct stat st;

    if (mkdir(path, 0700) < 0 && errno != EEXIST) {
	vstring_sprintf(why, "create maildir folder %s: %m", path);
	return (-1);
    }
    if (stat(path, &st) < 0) {
	vstring_sprintf(why, "stat %s: %m", path);
	return (-1);
    }
    if (!S_ISDIR(st.st_mode)) {
	vstring_sprintf(why, "create maildir folder %s: not a directory", path);
	return (-1);
    }
    return (0);
}

/* local_maildir_host - the host name with "/" and ":" escaped */

static void local_maildir_host(struct vstring *buf)
{
    const char *cp;

    vstring_reset(buf);
    for (cp = var_myhostname; *cp; cp++) {
	if (*cp == '/')
	    vstring_appends(buf, "\\057");
	else if (*cp == ':')
	    vstring_appends(buf, "\\072");
	else
	    vstring_appendc(buf, *cp);
    }
}

void    local_maildir(struct local_state *state, const char *path,
		              struct local_result *res)
{
    struct vstring *base = vstring_alloc(100);
    struct vstring *dir = vstring_alloc(100);
    struct vstring *tmp = vstring_alloc(100);
    struct vstring *newp = vstring_alloc(100);
    struct vstring *host = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstream *out;
    struct timeval tv;
    struct stat st;
    static const char *subs[] = {"tmp", "new", "cur"};
    int     fd = -1;
    int     dfd;
    int     i;
    int     made = 0;

    vstring_strcpy(base, path);
    while (vstring_len(base) > 1 && vstring_end(base)[-1] == '/')
	vstring_truncate(base, vstring_len(base) - 1);
    if (local_maildir_mkdir(vstring_str(base), why) < 0)
	goto fail;
    for (i = 0; i < 3; i++) {
	vstring_sprintf(dir, "%s/%s", vstring_str(base), subs[i]);
	if (local_maildir_mkdir(vstring_str(dir), why) < 0)
	    goto fail;
    }
    local_maildir_host(host);
    gettimeofday(&tv, (struct timezone *) 0);
    vstring_sprintf(tmp, "%s/tmp/%ld.M%ldP%ld.%s", vstring_str(base),
		    (long) tv.tv_sec, (long) tv.tv_usec, (long) getpid(),
		    vstring_str(host));
    if ((fd = open(vstring_str(tmp), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW
		   | O_CLOEXEC, 0600)) < 0) {
	vstring_sprintf(why, "create maildir file %s: %m", vstring_str(tmp));
	goto fail;
    }
    made = 1;
    out = vstream_fdopen(fd, 0);
    if (local_copy(state, out, 0, why) < 0) {
	(void) vstream_close(&out);
	vstring_sprintf_append(why, " (maildir file %s)", vstring_str(tmp));
	goto fail;
    }
    if (vstream_close(&out) < 0 || fsync(fd) < 0 || fstat(fd, &st) < 0) {
	vstring_sprintf(why, "write maildir file %s: %m", vstring_str(tmp));
	goto fail;
    }
    vstring_sprintf(newp, "%s/new/%ld.M%ldP%ldV%lxI%lx.%s,S=%ld",
		    vstring_str(base), (long) tv.tv_sec, (long) tv.tv_usec,
		    (long) getpid(), (unsigned long) st.st_dev,
		    (unsigned long) st.st_ino, vstring_str(host),
		    (long) st.st_size);
    if (link(vstring_str(tmp), vstring_str(newp)) < 0) {
	vstring_sprintf(why, "link maildir file %s: %m", vstring_str(newp));
	goto fail;
    }
    (void) unlink(vstring_str(tmp));
    made = 0;
    vstring_sprintf(dir, "%s/new", vstring_str(base));
    if ((dfd = open(vstring_str(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0
	|| fsync(dfd) < 0) {
	vstring_sprintf(why, "sync maildir folder %s: %m", vstring_str(dir));
	if (dfd >= 0)
	    (void) close(dfd);
	/* Linked but not synced: defer; a duplicate is better than a loss. */
	goto fail;
    }
    (void) close(dfd);
    local_result_set(res, DELIVER_STAT_SENT, "2.0.0", "delivered to maildir");
    goto out;

fail:
    if (made)
	(void) unlink(vstring_str(tmp));
    local_result_set(res, DELIVER_STAT_DEFER, "4.2.0",
		     "maildir delivery failed: %s", vstring_str(why));
out:
    if (fd >= 0)
	(void) close(fd);
    vstring_free(&base);
    vstring_free(&dir);
    vstring_free(&tmp);
    vstring_free(&newp);
    vstring_free(&host);
    vstring_free(&why);
}
