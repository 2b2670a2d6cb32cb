/*++
/* NAME
/*	drommap_build 3
/* SUMMARY
/*	drommap: build a map atomically, add and delete in place
/* SYNOPSIS
/*	#include "drommap.h"
/*
/*	int	drommap_build(format, type, file, flags)
/*
/*	int	drommap_incremental(format, type, file, flags)
/*
/*	int	drommap_delete(type, file, key, flags)
/* DESCRIPTION
/*	Every change to a map happens under an exclusive lock on
/*	file.lock (lock_file_open(), retried for DROMMAP_LOCK_WAIT
/*	seconds), so two drommap processes never interleave.
/*
/*	drommap_build() makes the map from scratch: it creates a new file
/*	next to the map (O_EXCL, O_NOFOLLOW; mode and, when run as root,
/*	owner taken from the source file), writes every pair into it,
/*	syncs it, renames it over the old map and syncs the folder. A
/*	reader that has the old map open keeps reading the old file; one
/*	that opens the map finds the old or the new file, whole. On any
/*	error the new file is removed and the old map is untouched.
/*
/*	drommap_incremental() reads all of standard input first, then
/*	opens the map for writing (created when missing, with the source
/*	file's mode and owner when the source exists) and adds the pairs
/*	in place; readers wait for the table lock only while the pairs
/*	are written. drommap_delete() deletes one key, or each key read
/*	from standard input when key is "-", in place.
/*
/*	A key that is already in the map keeps its first value, with a
/*	warning naming the file and line, unless flags has
/*	DICT_FLAG_DUP_REPLACE (-r).
/* DIAGNOSTICS
/*	msg_warn() for malformed lines and duplicates; msg_fatal() for
/*	everything that stops the change.
/*--*/
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atomic_file.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <dict.h>

#include "drommap.h"

 /*
  * The new map file, removed by msg_fatal() through the cleanup hook.
  */
static char *drommap_temp;

/* drommap_cleanup - remove a half-built map */

static void drommap_cleanup(void)
{
    if (drommap_temp)
	(void) unlink(drommap_temp);
}

/* drommap_lock - exclusive lock on file.lock; the descriptor */

static int drommap_lock(const char *file)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct timespec nap = {0, 100 * 1000 * 1000};
    time_t  deadline = time((time_t *) 0) + DROMMAP_LOCK_WAIT;
    pid_t   pid;
    int     fd;

    vstring_sprintf(path, "%s.lock", file);
    while ((fd = lock_file_open(vstring_str(path), &pid, why)) < 0) {
	if (pid == 0 && access(vstring_str(path), F_OK) < 0)
	    msg_fatal("%s", vstring_str(why));
	if (time((time_t *) 0) >= deadline)
	    msg_fatal("%s: still locked after %d seconds (%s)",
		      vstring_str(path), DROMMAP_LOCK_WAIT, vstring_str(why));
	(void) nanosleep(&nap, (struct timespec *) 0);
    }
    vstring_free(&path);
    vstring_free(&why);
    return (fd);
}

/* drommap_spec - "type:name" */

static char *drommap_spec(const char *type, const char *name)
{
    struct vstring *buf = vstring_alloc(100);

    vstring_sprintf(buf, "%s:%s", type, name);
    return (vstring_export(&buf));
}

/* drommap_map_path - the map file of type:file */

static char *drommap_map_path(const char *type, const char *file)
{
    struct vstring *buf = vstring_alloc(100);

    vstring_sprintf(buf, "%s%s", file, dict_file_suffix(type));
    return (vstring_export(&buf));
}

/* drommap_set_owner - mode and (as root) owner of the source file */

static void drommap_set_owner(int fd, const char *path, const struct stat *src)
{
    if (geteuid() == 0 && fchown(fd, src->st_uid, src->st_gid) < 0)
	msg_fatal("fchown %s: %s", path, strerror(errno));
    if (fchmod(fd, src->st_mode & 0666) < 0)
	msg_fatal("fchmod %s: %s", path, strerror(errno));
}

 /*
  * What the pair callback needs.
  */
struct drommap_ctx {
    struct dict *dict;
    long    added;
    long    dups;
};

/* drommap_add - one pair from the source */

static void drommap_add(void *context, const char *key, const char *value,
			        const char *file, int line)
{
    struct drommap_ctx *ctx = context;

    switch (dict_update(ctx->dict, key, value)) {
    case DICT_STAT_FOUND:
	ctx->added++;
	break;
    case DICT_STAT_NOTFOUND:
	msg_warn("%s, line %d: duplicate entry \"%s\" ignored (the first"
		 " value stays)", file, line, key);
	ctx->dups++;
	break;
    default:
	msg_fatal("%s, line %d: %s", file, line, dict_error(ctx->dict));
    }
}

/* drommap_finish - sync and close a map that was written */

static void drommap_finish(struct dict **dictp)
{
    if (dict_sync(*dictp) < 0)
	msg_fatal("%s", dict_error(*dictp));
    dict_close(dictp);
}

int     drommap_build(const struct drommap_format *fmt, const char *type,
		              const char *file, int flags)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *base = vstring_alloc(100);
    struct drommap_ctx ctx;
    struct stat st;
    const char *slash;
    char   *map_path = drommap_map_path(type, file);
    char   *spec;
    int     lock_fd;
    int     fd;
    int     tries;
    int     malformed;

    lock_fd = drommap_lock(file);
    if (stat(file, &st) < 0)
	msg_fatal("%s: %s", file, strerror(errno));
    if (!S_ISREG(st.st_mode))
	msg_fatal("%s: not a regular file", file);

    /*
     * The new map: a fresh file in the same folder, so that rename(2) is
     * atomic; the table library opens the empty file.
     */
    slash = strrchr(file, '/');
    for (tries = 0; /* see below */ ; tries++) {
	vstring_sprintf(base, "%.*s.%s.drommap.%ld.%d",
			slash ? (int) (slash - file + 1) : 0, file,
			slash ? slash + 1 : file, (long) getpid(), tries);
	spec = drommap_spec(type, vstring_str(base));
	vstring_sprintf_append(base, "%s", dict_file_suffix(type));
	if ((fd = open(vstring_str(base), O_WRONLY | O_CREAT | O_EXCL
		       | O_NOFOLLOW | O_CLOEXEC, 0600)) >= 0)
	    break;
	if (errno != EEXIST || tries >= 100)
	    msg_fatal("create %s: %s", vstring_str(base), strerror(errno));
	myfree(spec);
    }
    drommap_temp = mystrdup(vstring_str(base));
    msg_cleanup(drommap_cleanup);
    drommap_set_owner(fd, drommap_temp, &st);
    if (close(fd) < 0)
	msg_fatal("close %s: %s", drommap_temp, strerror(errno));
    if ((ctx.dict = dict_open(spec, DICT_MODE_WRITE, flags, why)) == 0)
	msg_fatal("%s", vstring_str(why));
    ctx.added = ctx.dups = 0;
    if ((malformed = fmt->parse_file(file, drommap_add, &ctx, why)) < 0)
	msg_fatal("%s", vstring_str(why));
    drommap_finish(&ctx.dict);
    if (rename(drommap_temp, map_path) < 0)
	msg_fatal("rename %s to %s: %s", drommap_temp, map_path,
		  strerror(errno));
    myfree(drommap_temp);
    drommap_temp = 0;
    if (fsync_dir(map_path, why) < 0)
	msg_fatal("%s", vstring_str(why));
    if (msg_verbose)
	msg_info("%s: %ld entries, %ld duplicates, %d malformed lines",
		 map_path, ctx.added, ctx.dups, malformed);
    (void) close(lock_fd);
    myfree(spec);
    myfree(map_path);
    vstring_free(&base);
    vstring_free(&why);
    return (0);
}

/* drommap_read_stdin - all of standard input, bounded */

static void drommap_read_stdin(struct vstring *input)
{
    struct vstream *in = vstream_fdopen(0, 0);
    char    chunk[8192];
    ssize_t n;

    vstring_reset(input);
    while ((n = vstream_read(in, chunk, sizeof(chunk))) > 0) {
	if (vstring_len(input) + (size_t) n > DROMMAP_STDIN_MAX)
	    msg_fatal("standard input: more than %d bytes", DROMMAP_STDIN_MAX);
	vstring_append(input, chunk, (size_t) n);
    }
    if (n < 0)
	msg_fatal("read standard input: %s",
		  vstream_status_str(vstream_status(in)));
    (void) vstream_close(&in);
}

int     drommap_incremental(const struct drommap_format *fmt, const char *type,
			            const char *file, int flags)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *input = vstring_alloc(4096);
    struct drommap_ctx ctx;
    struct stat src_st;
    struct stat map_st;
    char   *map_path = drommap_map_path(type, file);
    char   *spec = drommap_spec(type, file);
    int     created;
    int     lock_fd;
    int     fd;

    drommap_read_stdin(input);
    lock_fd = drommap_lock(file);
    created = (stat(map_path, &map_st) < 0);
    if ((ctx.dict = dict_open(spec, DICT_MODE_WRITE, flags, why)) == 0)
	msg_fatal("%s", vstring_str(why));
    ctx.added = ctx.dups = 0;
    (void) fmt->parse_buf(vstring_str(input), vstring_len(input), "stdin",
			  drommap_add, &ctx);
    drommap_finish(&ctx.dict);
    if (created && stat(file, &src_st) == 0) {
	if ((fd = open(map_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
	    msg_fatal("open %s: %s", map_path, strerror(errno));
	drommap_set_owner(fd, map_path, &src_st);
	(void) close(fd);
    }
    if (msg_verbose)
	msg_info("%s: %ld entries added, %ld duplicates", map_path,
		 ctx.added, ctx.dups);
    (void) close(lock_fd);
    myfree(spec);
    myfree(map_path);
    vstring_free(&input);
    vstring_free(&why);
    return (0);
}

int     drommap_delete(const char *type, const char *file, const char *key,
		               int flags)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *line = vstring_alloc(100);
    struct vstream *in = 0;
    struct dict *dict;
    struct stat st;
    char   *map_path = drommap_map_path(type, file);
    char   *spec = drommap_spec(type, file);
    int     found = 0;
    int     lock_fd;
    int     status;

    lock_fd = drommap_lock(file);
    if (stat(map_path, &st) < 0)
	msg_fatal("%s: %s", map_path, strerror(errno));
    if ((dict = dict_open(spec, DICT_MODE_WRITE, flags, why)) == 0)
	msg_fatal("%s", vstring_str(why));
    if (strcmp(key, "-") != 0) {
	if ((status = dict_delete(dict, key)) == DICT_STAT_ERROR)
	    msg_fatal("%s", dict_error(dict));
	found = (status == DICT_STAT_FOUND);
    } else {
	in = vstream_fdopen(0, 0);
	while ((status = vstream_get_line(in, line, 65536)) == VSTREAM_OK
	       || status == VSTREAM_PARTIAL) {
	    if (vstring_len(line) > 0 && vstring_end(line)[-1] == '\n')
		vstring_truncate(line, vstring_len(line) - 1);
	    if (vstring_len(line) > 0 && vstring_end(line)[-1] == '\r')
		vstring_truncate(line, vstring_len(line) - 1);
	    if (vstring_len(line) == 0)
		continue;
	    if ((status = dict_delete(dict, vstring_str(line))) == DICT_STAT_ERROR)
		msg_fatal("%s", dict_error(dict));
	    if (status == DICT_STAT_FOUND)
		found = 1;
	}
	if (status != VSTREAM_EOF)
	    msg_fatal("read standard input: %s", vstream_status_str(status));
	(void) vstream_close(&in);
    }
    drommap_finish(&dict);
    (void) close(lock_fd);
    myfree(spec);
    myfree(map_path);
    vstring_free(&line);
    vstring_free(&why);
    return (found ? 0 : 1);
}
