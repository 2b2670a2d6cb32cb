/*++
/* NAME
/*	local_maildir 3
/* SUMMARY
/*	deliver to a Maildir
/* SYNOPSIS
/*	#include "local.h"
/*
/*	void	local_maildir(state, path, result)
/*
/*	void	local_maildir_link(pending, result)
/*
/*	void	local_maildir_sync(pending, result)
/*
/*	void	local_pending_free(pending)
/* DESCRIPTION
/*	local_maildir() delivers one message to the Maildir path (with
/*	the user's privileges; see local(8) for the steps and the file
/*	names). It makes path, tmp, new and cur (mode 0700) when the tmp/
/*	file cannot be created for want of a folder (or says which of them
/*	is not a folder), and new and cur when
/*	the link into new/ fails that way: a Maildir that is there costs
/*	no checks.
/*	Any error leaves no file behind and defers with "4.2.0" and the
/*	reason.
/*
/*	With state->pending set (a group commit), local_maildir() only
/*	writes the file into tmp/, starts its write-back and returns
/*	LOCAL_STAT_PENDING with the open file in *state->pending; the
/*	caller later runs, with the user's identity, local_maildir_link()
/*	(sync the file, link it into new/, remove the tmp/ name) and then
/*	local_maildir_sync() (sync new/; skipped when an earlier member of
/*	the group synced the same folder after its link). A delivery counts
/*	only when both steps succeeded. local_pending_free() closes and
/*	frees what is left (and removes a tmp/ file that was not linked).
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

/* local_maildir_create - open a new tmp/ file */

static int local_maildir_create(const char *path)
{
    return (open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		 0600));
}

/* local_maildir_subdirs - make new/ and cur/ again after "no such file" */

static int local_maildir_subdirs(const char *base)
{
    struct vstring *dir = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    int     ret;

    vstring_sprintf(dir, "%s/new", base);
    ret = local_maildir_mkdir(vstring_str(dir), why);
    vstring_sprintf(dir, "%s/cur", base);
    if (ret == 0)
	ret = local_maildir_mkdir(vstring_str(dir), why);
    vstring_free(&dir);
    vstring_free(&why);
    return (ret);
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
    struct local_pending own;
    struct local_pending *pend = state->pending ? state->pending : &own;
    struct vstring *dir = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstream *out;
    static const char *subs[] = {"tmp", "new", "cur"};
    int     fd;
    int     i;

    if (pend == &own)
	local_pending_init(pend);
    vstring_strcpy(pend->base, path);
    while (vstring_len(pend->base) > 1 && vstring_end(pend->base)[-1] == '/')
	vstring_truncate(pend->base, vstring_len(pend->base) - 1);
    local_maildir_host(pend->host);
    gettimeofday(&pend->tv, (struct timezone *) 0);
    vstring_sprintf(pend->tmp, "%s/tmp/%ld.M%ldP%ld.%s",
		    vstring_str(pend->base), (long) pend->tv.tv_sec,
		    (long) pend->tv.tv_usec, (long) getpid(),
		    vstring_str(pend->host));
    /* The folders are made only when the file cannot be created. */
    if ((fd = local_maildir_create(vstring_str(pend->tmp))) < 0
	&& (errno == ENOENT || errno == ENOTDIR)) {
	if (local_maildir_mkdir(vstring_str(pend->base), why) < 0)
	    goto fail;
	for (i = 0; i < 3; i++) {
	    vstring_sprintf(dir, "%s/%s", vstring_str(pend->base), subs[i]);
	    if (local_maildir_mkdir(vstring_str(dir), why) < 0)
		goto fail;
	}
	fd = local_maildir_create(vstring_str(pend->tmp));
    }
    if (fd < 0) {
	vstring_sprintf(why, "create maildir file %s: %m",
			vstring_str(pend->tmp));
	goto fail;
    }
    pend->fd = fd;
    out = vstream_fdopen(fd, 0);
    if (local_copy(state, out, 0, why) < 0) {
	(void) vstream_close(&out);
	vstring_sprintf_append(why, " (maildir file %s)",
			       vstring_str(pend->tmp));
	goto fail;
    }
    if (vstream_close(&out) < 0) {
	vstring_sprintf(why, "write maildir file %s: %m",
			vstring_str(pend->tmp));
	goto fail;
    }
    if (pend != &own) {
	/* Start the write-back now; the group's syncs then find it done. */
#ifdef SYNC_FILE_RANGE_WRITE
	(void) sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
	res->status = LOCAL_STAT_PENDING;
	goto out;
    }
    local_maildir_link(pend, res);
    if (res->status == LOCAL_STAT_PENDING)
	local_maildir_sync(pend, res);
    local_pending_free(pend);
    goto out;

fail:
    local_result_set(res, DELIVER_STAT_DEFER, "4.2.0",
		     "maildir delivery failed: %s", vstring_str(why));
    if (pend == &own)
	local_pending_free(pend);
    else
	local_pending_reset(pend);
out:
    vstring_free(&dir);
    vstring_free(&why);
}

/* local_maildir_link - sync the file, give it its new/ name */

void    local_maildir_link(struct local_pending *pend, struct local_result *res)
{
    struct vstring *newp = vstring_alloc(100);
    struct stat st;

    if (fsync(pend->fd) < 0 || fstat(pend->fd, &st) < 0) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.2.0",
			 "maildir delivery failed: write maildir file %s: %m",
			 vstring_str(pend->tmp));
    } else {
	vstring_sprintf(newp, "%s/new/%ld.M%ldP%ldV%lxI%lx.%s,S=%ld",
			vstring_str(pend->base), (long) pend->tv.tv_sec,
			(long) pend->tv.tv_usec, (long) getpid(),
			(unsigned long) st.st_dev, (unsigned long) st.st_ino,
			vstring_str(pend->host), (long) st.st_size);
	if (link(vstring_str(pend->tmp), vstring_str(newp)) < 0
	    && (errno != ENOENT
		|| local_maildir_subdirs(vstring_str(pend->base)) < 0
		|| link(vstring_str(pend->tmp), vstring_str(newp)) < 0)) {
	    local_result_set(res, DELIVER_STAT_DEFER, "4.2.0",
			     "maildir delivery failed: link maildir file %s: %m",
			     vstring_str(newp));
	} else {
	    (void) unlink(vstring_str(pend->tmp));
	    pend->linked = 1;
	    res->status = LOCAL_STAT_PENDING;
	}
    }
    vstring_free(&newp);
}

/* local_maildir_sync - sync new/, the last step */

void    local_maildir_sync(struct local_pending *pend, struct local_result *res)
{
    struct vstring *dir = vstring_alloc(100);
    int     dfd;

    vstring_sprintf(dir, "%s/new", vstring_str(pend->base));
    if (pend->dir_synced) {
	local_result_set(res, DELIVER_STAT_SENT, "2.0.0",
			 "delivered to maildir");
    } else if ((dfd = open(vstring_str(dir), O_RDONLY | O_DIRECTORY
			   | O_CLOEXEC)) < 0 || fsync(dfd) < 0) {
	/* Linked but not synced: defer; a duplicate is better than a loss. */
	local_result_set(res, DELIVER_STAT_DEFER, "4.2.0",
			 "maildir delivery failed: sync maildir folder %s: %m",
			 vstring_str(dir));
	if (dfd >= 0)
	    (void) close(dfd);
    } else {
	(void) close(dfd);
	local_result_set(res, DELIVER_STAT_SENT, "2.0.0",
			 "delivered to maildir");
    }
    vstring_free(&dir);
}

/* local_pending_init - an empty pending delivery */

void    local_pending_init(struct local_pending *pend)
{
    pend->fd = -1;
    pend->linked = 0;
    pend->dir_synced = 0;
    pend->commit = 0;
    pend->uid = 0;
    pend->gid = 0;
    pend->base = vstring_alloc(100);
    pend->tmp = vstring_alloc(100);
    pend->host = vstring_alloc(100);
}

/* local_pending_reset - close the file, remove an unlinked tmp/ name */

void    local_pending_reset(struct local_pending *pend)
{
    if (pend->fd >= 0) {
	(void) close(pend->fd);
	if (!pend->linked)
	    (void) unlink(vstring_str(pend->tmp));
    }
    pend->fd = -1;
    pend->linked = 0;
    pend->dir_synced = 0;
}

/* local_pending_free - reset and free */

void    local_pending_free(struct local_pending *pend)
{
    local_pending_reset(pend);
    vstring_free(&pend->base);
    vstring_free(&pend->tmp);
    vstring_free(&pend->host);
}
