/*++
/* NAME
/*	qfile 3
/* SUMMARY
/*	queue files: names, IDs, creation, reading, state changes
/* SYNOPSIS
/*	#include <qfile.h>
/*
/*	const char *qfile_path(buf, queue, id)
/*	int	qfile_id_valid(id)
/*	int	qfile_create(queue, id, fdp, why)
/*	int	qfile_commit(fd, queue, id, why)
/*	int	qfile_move(from, to, id, why)
/*	int	qfile_remove(queue, id, why)
/*	void	qfile_corrupt(queue, id, reason)
/*	int	qfile_read_envelope(fd, info, why)
/*	void	qfile_info_free(info)
/*	const char *qfile_attr(info, name)
/*	int	qfile_set_rcpt_state(fd, offset, state, why)
/*	struct vstream *qfile_content_open(fd, info)
/*	ssize_t	qfile_content_read(stream, buf, leftp)
/* DESCRIPTION
/*	See qfile.h for the contract and html/queue_format.html for the
/*	queue as a state machine. Details of this implementation:
/*
/*	qfile_create() opens "queue/tmp.PID.SEC.USEC.N" with O_EXCL and
/*	mode 0600 (fchmod, so the umask does not matter), reads its
/*	inode number, makes the subfolder when needed (and then fsyncs
/*	the queue folder, so the subfolder survives a crash), and renames
/*	the file to "queue/X/ID" without replacing anything that exists.
/*	A temporary name is left behind only by a crash between open and
/*	rename; qmgr removes such names when they are older than an hour.
/*
/*	qfile_move(), qfile_remove() and qfile_corrupt() check the queue
/*	ID syntax first, so a bad ID cannot name a path outside the queue.
/*
/*	qfile_read_envelope() reads the file from offset 0 through its own
/*	stream (the descriptor's offset changes), accepts records of at
/*	most REC_CONT_MAX data bytes, and checks the whole grammar,
/*	including that nothing follows the E record. Addresses (S, O, R)
/*	and attribute values (A) must hold no NUL, CR or LF byte nor other
/*	control characters (addresses) so that they can go into logs and
/*	C strings unchanged; an attribute is "name=value" with a name of
/*	[a-z0-9_]. T is "seconds.fraction" with 1 to 6 fraction digits
/*	(read as a decimal fraction of a second). Z is three decimal
/*	numbers separated by single spaces. M, X and E have empty data.
/*	On error the reason names the record number (1 = first), its type
/*	name and the offset of its header. info is zeroed first, and on
/*	error whatever was allocated is freed again.
/*
/*	qfile_info_free() frees what the members point to and zeroes the
/*	structure (which the caller owns); it is safe to call twice.
/*
/*	qfile_set_rcpt_state() accepts only REC_RCPT_* states and checks
/*	that offset is the header of an R record with data before it
/*	writes.
/*
/*	qfile_content_open() seeks fd to the content and returns a stream
/*	that does not close fd (vstream_close() it when done), or a null
/*	pointer when the seek failed. qfile_content_read() replaces buf
/*	with the data of the next C record, subtracts its size from *left
/*	and returns it; 0 when *left is 0; -1 when the file does not hold
/*	the content the envelope promised (or on a read error).
/* DIAGNOSTICS
/*	Return values and why; qfile_corrupt() logs with msg_warn().
/*--*/
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>
#include <dsn.h>
#include <rec.h>
#include <mail_params.h>
#include <qfile.h>

#define QFILE_ID_MIN	15
#define QFILE_ID_MAX	40
#define QFILE_ATTR_NAME_MAX 64

/* qfile_path - "queue/X/id" */

const char *qfile_path(struct vstring *buf, const char *queue, const char *id)
{
    size_t  len = strlen(id);

    vstring_sprintf(buf, "%s/%c/%s", queue, len ? id[len - 1] : '0', id);
    return (vstring_str(buf));
}

/* qfile_id_valid - check queue ID syntax */

int     qfile_id_valid(const char *id)
{
    size_t  len;

    for (len = 0; id[len]; len++) {
	if (len >= QFILE_ID_MAX)
	    return (0);
	if (!((id[len] >= '0' && id[len] <= '9')
	      || (id[len] >= 'A' && id[len] <= 'F')))
	    return (0);
    }
    return (len >= QFILE_ID_MIN);
}

/* qfile_fsync_dir - fsync a folder */

static int qfile_fsync_dir(const char *dir, struct vstring *why)
{
    int     fd;

    if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
	vstring_sprintf(why, "open folder %s: %s", dir, strerror(errno));
	return (-1);
    }
    if (fsync(fd) < 0) {
	vstring_sprintf(why, "fsync folder %s: %s", dir, strerror(errno));
	(void) close(fd);
	return (-1);
    }
    (void) close(fd);
    return (0);
}

/* qfile_subdir - make queue/X on demand; fsync queue when made */

static int qfile_subdir(const char *queue, const char *id, struct vstring *why)
{
    struct vstring *dir = vstring_alloc(100);
    size_t  len = strlen(id);
    int     ret = 0;

    vstring_sprintf(dir, "%s/%c", queue, len ? id[len - 1] : '0');
    if (mkdir(vstring_str(dir), 0700) == 0) {
	ret = qfile_fsync_dir(queue, why);
    } else if (errno != EEXIST) {
	vstring_sprintf(why, "make folder %s: %s", vstring_str(dir),
			strerror(errno));
	ret = -1;
    }
    vstring_free(&dir);
    return (ret);
}

/* qfile_folder_for - queue/X for a file of another kind (logs) */

int     qfile_folder_for(const char *queue, const char *id, struct vstring *why)
{
    return (qfile_subdir(queue, id, why));
}

/* qfile_rename - rename without replacing an existing file */

static int qfile_rename(const char *from, const char *to)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
	return (0);
    if (errno != EINVAL && errno != ENOSYS)
	return (-1);
    /* File system without RENAME_NOREPLACE: check, then rename. */
    if (access(to, F_OK) == 0) {
	errno = EEXIST;
	return (-1);
    }
    return (rename(from, to));
}

/*
 * Recycling. qmgr renames a finished file to recycle/ID (its old queue ID:
 * unique, so a rename never collides) while the folder holds fewer than
 * queue_file_recycle_limit files (and it is at most QFILE_RECYCLE_SIZE);
 * each cleanup lists the folder, keeps the first 128 names, and claims
 * them by renaming one to its temporary name. Several
 * cleanups share the folder, so a name may be gone when its turn comes
 * (ENOENT: the next one); each process walks its list from its own
 * starting point, so they seldom chase the same names, and reads the
 * folder again when its list runs out or three names in a row were gone
 * (twice at most for one file; an empty folder costs a read per new
 * file).
 */
#define QFILE_RECYCLE_TRIES	32	/* names tried for one file */
#define QFILE_RECYCLE_RECOUNT	8	/* full: removals between counts */
#define QFILE_RECYCLE_STALE	3	/* misses in a row: read again */
#define QFILE_RECYCLE_LIST	128	/* names kept from one read */

static struct argv *qfile_spares;	/* the folder as last read */
static size_t qfile_spare_next;		/* next index to try */
static size_t qfile_spare_left;		/* untried names */

/* qfile_read_spares - list recycle/; 0 names when it is empty or missing */

static void qfile_read_spares(void)
{
    DIR    *dp;
    struct dirent *de;
    struct timeval tv;

    if (qfile_spares)
	argv_free(&qfile_spares);
    qfile_spares = argv_alloc(16);
    if ((dp = opendir(QFILE_RECYCLE)) != 0) {
	while ((de = readdir(dp)) != 0
	       && qfile_spares->argc < QFILE_RECYCLE_LIST)
	    if (qfile_id_valid(de->d_name))
		argv_add(qfile_spares, de->d_name, (char *) 0);
	(void) closedir(dp);
    }
    qfile_spare_left = qfile_spares->argc;
    if (qfile_spares->argc) {
	gettimeofday(&tv, (struct timezone *) 0);
	qfile_spare_next = ((size_t) getpid() * 7919U + (size_t) tv.tv_usec)
	    % qfile_spares->argc;
    }
}

/* qfile_claim - take a recycled file as tmp; -1 when none */

static int qfile_claim(const char *tmp)
{
    struct vstring *spare;
    struct stat st;
    int     fd = -1;
    int     rereads = 0;
    int     misses = 0;
    int     tries;

    if (var_qfile_recycle <= 0)
	return (-1);
    spare = vstring_alloc(60);
    for (tries = 0; tries < QFILE_RECYCLE_TRIES && fd < 0; tries++) {
	/* A list run out, or gone stale (others took its names): again. */
	if (qfile_spare_left == 0 || misses >= QFILE_RECYCLE_STALE) {
	    if (rereads >= 2)
		break;
	    qfile_read_spares();
	    rereads++;
	    misses = 0;
	    if (qfile_spare_left == 0)
		break;
	}
	vstring_sprintf(spare, "%s/%s", QFILE_RECYCLE,
			qfile_spares->argv[qfile_spare_next]);
	qfile_spare_next = (qfile_spare_next + 1) % qfile_spares->argc;
	qfile_spare_left--;
	if (qfile_rename(vstring_str(spare), tmp) < 0) {
	    if (errno != ENOENT)
		break;				/* no folder, or worse */
	    misses++;				/* another cleanup took it */
	    continue;
	}
	if ((fd = open(tmp, O_RDWR | O_NOFOLLOW | O_CLOEXEC)) < 0
	    || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)
	    || st.st_nlink != 1 || st.st_uid != geteuid()) {
	    msg_warn("%s: unusable recycled file, removed", vstring_str(spare));
	    if (fd >= 0)
		(void) close(fd);
	    fd = -1;
	    (void) unlink(tmp);
	}
    }
    vstring_free(&spare);
    return (fd);
}

/* qfile_count_spares - files in recycle/; -1 when it cannot be read */

static long qfile_count_spares(void)
{
    DIR    *dp;
    struct dirent *de;
    long    n = 0;

    if ((dp = opendir(QFILE_RECYCLE)) == 0)
	return (-1);
    while ((de = readdir(dp)) != 0)
	if (de->d_name[0] != '.')
	    n++;
    (void) closedir(dp);
    return (n);
}

/* qfile_prepare - a new or recycled file, under a temporary name */

int     qfile_prepare(const char *queue, const char *where,
		              struct qfile_prep *prep, struct vstring *why)
{
    static unsigned counter;
    struct timeval tv;
    int     tries;

    prep->fd = -1;
    if (prep->tmp == 0)
	prep->tmp = vstring_alloc(100);
    /* The temporary name is in where, or in queue when where is missing. */
    for (tries = 0; tries < 10; tries++) {
	if (gettimeofday(&tv, (struct timezone *) 0) < 0)
	    msg_fatal("gettimeofday: %m");
	vstring_sprintf(prep->tmp, "%s/tmp.%ld.%ld.%ld.%u",
			tries < 9 ? where : queue, (long) getpid(),
			(long) tv.tv_sec, (long) tv.tv_usec, counter++);
	if (tries == 0 && (prep->fd = qfile_claim(vstring_str(prep->tmp))) >= 0)
	    break;
	if ((prep->fd = open(vstring_str(prep->tmp), O_RDWR | O_CREAT | O_EXCL
			     | O_CLOEXEC, QFILE_MODE_WRITING)) >= 0)
	    break;
	if (errno == ENOENT && tries < 9 && strcmp(where, queue) != 0)
	    tries = 8;				/* no such folder: queue then */
	else if (errno != EEXIST)
	    break;
    }
    if (prep->fd < 0) {
	vstring_sprintf(why, "create %s: %s", vstring_str(prep->tmp),
			strerror(errno));
	return (-1);
    }

    /*
     * A recycled file keeps its blocks (the writer overwrites them, and
     * the commit cuts what is left over: freeing blocks costs, on a file
     * system mounted with "discard" a device command each). It is made
     * unready at once but not synced: see qfile.h on what a kernel crash
     * can then bring back (a done message, whose recipients are done).
     */
    if (fchmod(prep->fd, QFILE_MODE_WRITING) < 0
	|| fstat(prep->fd, &prep->st) < 0) {
	vstring_sprintf(why, "fchmod/fstat %s: %s",
			vstring_str(prep->tmp), strerror(errno));
	qfile_unprepare(prep);
	return (-1);
    }
    return (0);
}

/* qfile_new_id - a queue ID: the time now and the inode number */

void    qfile_new_id(struct vstring *id, ino_t ino)
{
    struct timeval tv;

    if (gettimeofday(&tv, (struct timezone *) 0) < 0)
	msg_fatal("gettimeofday: %m");
    vstring_sprintf(id, "%09lX%05lX%lX", (unsigned long) tv.tv_sec & 0xFFFFFFFFFUL,
		    (unsigned long) tv.tv_usec, (unsigned long) ino);
}

/* qfile_unprepare - give a prepared file back, or remove it */

void    qfile_unprepare(struct qfile_prep *prep)
{
    struct vstring *spare;
    struct vstring *id;

    if (prep->fd < 0)
	return;
    (void) close(prep->fd);
    prep->fd = -1;
    if (var_qfile_recycle > 0) {
	/* A spare's name is a queue ID: the time and its inode, unique. */
	id = vstring_alloc(40);
	qfile_new_id(id, prep->st.st_ino);
	spare = vstring_alloc(60);
	vstring_sprintf(spare, "%s/%s", QFILE_RECYCLE, vstring_str(id));
	vstring_free(&id);
	if (qfile_rename(vstring_str(prep->tmp), vstring_str(spare)) == 0) {
	    vstring_free(&spare);
	    return;
	}
	vstring_free(&spare);
    }
    (void) unlink(vstring_str(prep->tmp));
}

/* qfile_name - give a prepared file its queue name */

int     qfile_name(struct qfile_prep *prep, const char *queue,
		           struct vstring *id, int *fdp, struct vstring *why)
{
    struct vstring *path = vstring_alloc(100);

    qfile_new_id(id, prep->st.st_ino);
    if (qfile_subdir(queue, vstring_str(id), why) < 0)
	goto fail;
    qfile_path(path, queue, vstring_str(id));
    if (qfile_rename(vstring_str(prep->tmp), vstring_str(path)) < 0) {
	vstring_sprintf(why, "rename %s to %s: %s", vstring_str(prep->tmp),
			vstring_str(path), strerror(errno));
	goto fail;
    }
    *fdp = prep->fd;
    prep->fd = -1;
    vstring_free(&path);
    return (0);

fail:
    (void) unlink(vstring_str(prep->tmp));
    (void) close(prep->fd);
    prep->fd = -1;
    vstring_free(&path);
    return (-1);
}

/* qfile_create - make a new queue file, named by its ID */

int     qfile_create(const char *queue, struct vstring *id, int *fdp,
		             struct vstring *why)
{
    struct qfile_prep prep;
    int     ret;

    memset(&prep, 0, sizeof(prep));
    if ((ret = qfile_prepare(queue, queue, &prep, why)) == 0)
	ret = qfile_name(&prep, queue, id, fdp, why);
    vstring_free(&prep.tmp);
    return (ret);
}

/* qfile_sync_name - make the file's name durable (fsync its folder) */

int     qfile_sync_name(const char *queue, const char *id, struct vstring *why)
{
    struct vstring *dir = vstring_alloc(100);
    size_t  len = strlen(id);
    int     ret;

    vstring_sprintf(dir, "%s/%c", queue, len ? id[len - 1] : '0');
    ret = qfile_fsync_dir(vstring_str(dir), why);
    vstring_free(&dir);
    return (ret);
}

/* qfile_commit_data - set the ready bit, make the file durable */

int     qfile_commit_data(int fd, const char *id, struct vstring *why)
{
    struct stat st;
    off_t   end;

    /* A recycled file may be longer than what was written: cut the rest. */
    if ((end = lseek(fd, 0, SEEK_CUR)) < 0 || fstat(fd, &st) < 0
	|| (st.st_size > end && ftruncate(fd, end) < 0)) {
	vstring_sprintf(why, "%s: trim: %s", id, strerror(errno));
	return (-1);
    }
    if (fchmod(fd, QFILE_MODE_READY) < 0) {
	vstring_sprintf(why, "%s: fchmod: %s", id, strerror(errno));
	return (-1);
    }
    if (fsync(fd) < 0) {
	vstring_sprintf(why, "%s: fsync: %s", id, strerror(errno));
	return (-1);
    }
    return (0);
}

/* qfile_commit - set the ready bit, make the file and its name durable */

int     qfile_commit(int fd, const char *queue, const char *id,
		             struct vstring *why)
{
    if (qfile_commit_data(fd, id, why) < 0)
	return (-1);
    return (qfile_sync_name(queue, id, why));
}

/* qfile_move - rename between queues */

static int qfile_move_how(const char *from, const char *to, const char *id,
			          int sync, struct vstring *why)
{
    struct vstring *src;
    struct vstring *dst;
    size_t  len = strlen(id);
    int     ret = -1;

    if (!qfile_id_valid(id)) {
	vstring_sprintf(why, "bad queue ID \"%.*s\"", QFILE_ID_MAX, id);
	return (-1);
    }
    if (qfile_subdir(to, id, why) < 0)
	return (-1);
    src = vstring_alloc(100);
    dst = vstring_alloc(100);
    qfile_path(src, from, id);
    qfile_path(dst, to, id);
    if (qfile_rename(vstring_str(src), vstring_str(dst)) < 0) {
	vstring_sprintf(why, "rename %s to %s: %s", vstring_str(src),
			vstring_str(dst), strerror(errno));
    } else if (sync) {
	vstring_sprintf(dst, "%s/%c", to, id[len - 1]);
	ret = qfile_fsync_dir(vstring_str(dst), why);
    } else {
	ret = 0;
    }
    vstring_free(&src);
    vstring_free(&dst);
    return (ret);
}

int     qfile_move(const char *from, const char *to, const char *id,
		           struct vstring *why)
{
    return (qfile_move_how(from, to, id, 1, why));
}

int     qfile_move_lazy(const char *from, const char *to, const char *id,
			        struct vstring *why)
{
    return (qfile_move_how(from, to, id, 0, why));
}

/* qfile_remove - unlink and fsync the folder */

static int qfile_remove_how(const char *queue, const char *id, int sync,
			            struct vstring *why)
{
    struct vstring *path;
    size_t  len = strlen(id);
    int     ret = -1;

    if (!qfile_id_valid(id)) {
	vstring_sprintf(why, "bad queue ID \"%.*s\"", QFILE_ID_MAX, id);
	return (-1);
    }
    path = vstring_alloc(100);
    qfile_path(path, queue, id);
    if (unlink(vstring_str(path)) < 0) {
	vstring_sprintf(why, "remove %s: %s", vstring_str(path), strerror(errno));
    } else if (sync) {
	vstring_sprintf(path, "%s/%c", queue, id[len - 1]);
	ret = qfile_fsync_dir(vstring_str(path), why);
    } else {
	ret = 0;
    }
    vstring_free(&path);
    return (ret);
}

int     qfile_remove(const char *queue, const char *id, struct vstring *why)
{
    return (qfile_remove_how(queue, id, 1, why));
}

/* qfile_recycle - keep a finished file for reuse, or remove it */

int     qfile_recycle(const char *queue, const char *id, off_t size,
		              struct vstring *why)
{
    static long in_pool = -1;		/* files in recycle/, at most */
    static int skip;			/* removals before the next count */
    struct vstring *src;
    struct vstring *dst;
    int     ret;

    if (var_qfile_recycle <= 0 || size > QFILE_RECYCLE_SIZE
	|| !qfile_id_valid(id))
	return (qfile_remove_lazy(queue, id, why));
    /*
     * Cleanups only take files away, so in_pool is an upper bound: count
     * again when it reaches the limit; while the folder really is full,
     * only every QFILE_RECYCLE_RECOUNT finished files.
     */
    if (skip > 0) {
	skip--;
	return (qfile_remove_lazy(queue, id, why));
    }
    if (in_pool < 0 || in_pool >= var_qfile_recycle) {
	if ((in_pool = qfile_count_spares()) < 0
	    || in_pool >= var_qfile_recycle) {
	    skip = QFILE_RECYCLE_RECOUNT - 1;
	    return (qfile_remove_lazy(queue, id, why));
	}
    }
    src = vstring_alloc(100);
    dst = vstring_alloc(60);
    qfile_path(src, queue, id);
    vstring_sprintf(dst, "%s/%s", QFILE_RECYCLE, id);
    ret = qfile_rename(vstring_str(src), vstring_str(dst));
    vstring_free(&src);
    vstring_free(&dst);
    if (ret == 0) {
	in_pool++;
	return (0);
    }
    return (qfile_remove_lazy(queue, id, why));
}

int     qfile_remove_lazy(const char *queue, const char *id, struct vstring *why)
{
    return (qfile_remove_how(queue, id, 0, why));
}

/* qfile_corrupt - move to corrupt/ and log */

void    qfile_corrupt(const char *queue, const char *id, const char *reason)
{
    struct vstring *why = vstring_alloc(100);

    if (qfile_move(queue, QFILE_CORRUPT, id, why) == 0)
	msg_warn("%s: corrupt queue file moved to %s: %s",
		 id, QFILE_CORRUPT, reason);
    else
	msg_warn("%s: corrupt queue file in %s: %s; cannot move it to %s: %s",
		 id, queue, reason, QFILE_CORRUPT, vstring_str(why));
    vstring_free(&why);
}

 /*
  * The reader: one state per position in the grammar
  * V T (A | S)* ((O | N)* R)+ M C* X Z E, at most one O and one N a
  * recipient.
  */
#define QR_MAGIC	0		/* expect V */
#define QR_TIME		1		/* expect T */
#define QR_ENV		2		/* expect A, S, O, R */
#define QR_ORCP		3		/* after O or N: expect O, N, R */
#define QR_RCPT		4		/* after R: expect O, R, M */
#define QR_CONT		5		/* after M: expect C, X */
#define QR_SIZE		6		/* expect Z */
#define QR_END		7		/* expect E */
#define QR_DONE		8		/* expect end of file */

static const char *qfile_expected[] = {
    "magic", "time", "attribute, sender, original recipient or recipient",
    "original recipient, dsn request or recipient",
    "original recipient, dsn request, recipient or message start",
    "content or content end", "size", "end", "end of file",
};

/* qfile_bad - format a reason that names the record */

static void __attribute__((format(printf, 5, 6)))
        qfile_bad(struct vstring *why, long recno, int type, off_t offset,
		          const char *fmt,...)
{
    va_list ap;

    if (rec_type_valid(type))
	vstring_sprintf(why, "record %ld (%s) at offset %lld: ", recno,
			rec_type_name(type), (long long) offset);
    else
	vstring_sprintf(why, "record %ld (unknown type 0x%02x) at offset %lld: ",
			recno, type & 0xff, (long long) offset);
    va_start(ap, fmt);
    vstring_vsprintf_append(why, fmt, ap);
    va_end(ap);
}

/* qfile_parse_ulong - decimal digits [first, end) into a bounded number */

static int qfile_parse_ulong(const char *cp, size_t len, unsigned long max,
			             unsigned long *result)
{
    unsigned long num = 0;
    size_t  i;

    if (len == 0)
	return (-1);
    for (i = 0; i < len; i++) {
	if (cp[i] < '0' || cp[i] > '9')
	    return (-1);
	if (__builtin_mul_overflow(num, 10UL, &num)
	    || __builtin_add_overflow(num, (unsigned long) (cp[i] - '0'), &num))
	    return (-1);
    }
    if (num > max)
	return (-1);
    *result = num;
    return (0);
}

/* qfile_parse_time - "seconds.fraction" */

static int qfile_parse_time(const struct vstring *buf, long *sec, long *usec)
{
    const char *cp = vstring_str(buf);
    const char *dot = memchr(cp, '.', vstring_len(buf));
    unsigned long s;
    unsigned long f;
    size_t  flen;

    if (dot == 0)
	return (-1);
    flen = vstring_len(buf) - (size_t) (dot + 1 - cp);
    if (flen < 1 || flen > 6)
	return (-1);
    if (qfile_parse_ulong(cp, (size_t) (dot - cp), 0x7FFFFFFFFFFFUL, &s) < 0
	|| qfile_parse_ulong(dot + 1, flen, 999999, &f) < 0)
	return (-1);
    for (; flen < 6; flen++)
	f *= 10;
    *sec = (long) s;
    *usec = (long) f;
    return (0);
}

/* qfile_parse_size - "content_size header_size rcpt_count" */

static int qfile_parse_size(const struct vstring *buf, unsigned long num[3])
{
    const char *cp = vstring_str(buf);
    const char *end = vstring_end(buf);
    const char *sp;
    int     i;

    for (i = 0; i < 3; i++) {
	if (i < 2) {
	    if ((sp = memchr(cp, ' ', (size_t) (end - cp))) == 0)
		return (-1);
	} else {
	    sp = end;
	}
	if (qfile_parse_ulong(cp, (size_t) (sp - cp), (unsigned long) LONG_MAX,
			      num + i) < 0)
	    return (-1);
	cp = sp + 1;
    }
    return (0);
}

/* qfile_text_ok - no NUL, CR, LF; with ctl also no other control chars */

static int qfile_text_ok(const char *cp, size_t len, int ctl)
{
    size_t  i;
    unsigned char ch;

    for (i = 0; i < len; i++) {
	ch = (unsigned char) cp[i];
	if (ch == 0 || ch == '\r' || ch == '\n')
	    return (0);
	if (ctl && (ch < 0x20 || ch == 0x7f))
	    return (0);
    }
    return (1);
}

/* qfile_attr_ok - "name=value" */

static int qfile_attr_ok(const struct vstring *buf)
{
    const char *cp = vstring_str(buf);
    const char *eq = memchr(cp, '=', vstring_len(buf));
    const char *np;

    if (eq == 0 || eq == cp || eq - cp > QFILE_ATTR_NAME_MAX)
	return (0);
    for (np = cp; np < eq; np++)
	if (!((*np >= 'a' && *np <= 'z') || (*np >= '0' && *np <= '9')
	      || *np == '_'))
	    return (0);
    return (qfile_text_ok(eq + 1, (size_t) (vstring_end(buf) - eq - 1), 0));
}

/* qfile_read_error - describe a rec_get() error */

static void qfile_read_error(int fd, struct vstream *stream, int err,
			             long recno, off_t offset, struct vstring *why)
{
    unsigned char hdr[REC_HDR_LEN];
    ssize_t got;
    unsigned long len;

    got = pread(fd, hdr, sizeof(hdr), offset);
    switch (err) {
    case REC_ERR_TRUNC:
	qfile_bad(why, recno, got > 0 ? hdr[0] : 0, offset, "truncated");
	break;
    case REC_ERR_TOOLONG:
	len = got == REC_HDR_LEN ? ((unsigned long) hdr[1] << 24)
	    | ((unsigned long) hdr[2] << 16) | ((unsigned long) hdr[3] << 8)
	    | hdr[4] : 0;
	qfile_bad(why, recno, got > 0 ? hdr[0] : 0, offset,
		  "length %lu exceeds the limit of %d bytes", len, REC_CONT_MAX);
	break;
    default:
	vstring_sprintf(why, "record %ld at offset %lld: read error: %s",
			recno, (long long) offset,
			vstream_status_str(vstream_status(stream)));
	break;
    }
}

/* qfile_read_envelope - read and validate a whole queue file */

int     qfile_read_envelope(int fd, struct qfile_info *info, struct vstring *why)
{
    struct vstream *stream;
    struct vstring *buf;
    int     state = QR_MAGIC;
    int     type;
    long    recno = 0;
    off_t   offset = 0;
    off_t   next = 0;
    char   *orig = 0;
    int     have_dsn = 0;
    int     dsn_notify = 0;
    struct vstring *dsn_orcpt = vstring_alloc(10);
    size_t  rcpt_alloc = 0;
    int     have_sender = 0;
    int     have_content = 0;
    int     at_line_start = 1;
    int     header_done = 0;
    unsigned long size[3];
    size_t  i;
    int     ret = -1;
    struct qfile_rcpt *rcpt;

    memset(info, 0, sizeof(*info));
    if (lseek(fd, (off_t) 0, SEEK_SET) < 0) {
	vstring_sprintf(why, "seek: %s", strerror(errno));
	return (-1);
    }
    info->attrs = argv_alloc(10);
    info->sender = 0;
    stream = vstream_fdopen(fd, 0);
    buf = vstring_alloc(1024);

    for (;;) {
	offset = next;
	recno++;
	type = rec_get(stream, buf, REC_CONT_MAX);

	/*
	 * After E only the end of the file may come.
	 */
	if (state == QR_DONE) {
	    if (type == REC_ERR_EOF) {
		ret = 0;
		break;
	    }
	    if (type == REC_ERR_IO) {
		qfile_read_error(fd, stream, type, recno, offset, why);
		break;
	    }
	    vstring_sprintf(why, "trailing garbage after end record at offset "
			    "%lld", (long long) offset);
	    break;
	}
	if (type == REC_ERR_EOF) {
	    if (state == QR_END)
		vstring_sprintf(why, "missing end record");
	    else
		vstring_sprintf(why, "unexpected end of file at offset %lld "
				"(record %ld): expected %s record", (long long) offset,
				recno, qfile_expected[state]);
	    break;
	}
	if (type < 0) {
	    qfile_read_error(fd, stream, type, recno, offset, why);
	    break;
	}
	next = offset + REC_HDR_LEN + (off_t) vstring_len(buf);
	if (!rec_type_valid(type)) {
	    qfile_bad(why, recno, type, offset, "unknown record type");
	    break;
	}

	/*
	 * Records with empty data.
	 */
	if ((type == REC_TYPE_MESG || type == REC_TYPE_XTRA
	     || type == REC_TYPE_END) && vstring_len(buf) != 0) {
	    qfile_bad(why, recno, type, offset, "data must be empty");
	    break;
	}
#define BAD_POSITION() \
	qfile_bad(why, recno, type, offset, "unexpected record (expected %s)", \
		  qfile_expected[state])

	switch (state) {
	case QR_MAGIC:
	    if (type != REC_TYPE_MAGIC) {
		qfile_bad(why, recno, type, offset,
			  "not a queue file (expected magic record)");
		goto out;
	    }
	    if (vstring_len(buf) != sizeof(REC_MAGIC_TEXT) - 1
		|| memcmp(vstring_str(buf), REC_MAGIC_TEXT, vstring_len(buf))) {
		qfile_bad(why, recno, type, offset, "bad magic text");
		goto out;
	    }
	    state = QR_TIME;
	    continue;

	case QR_TIME:
	    if (type != REC_TYPE_TIME) {
		BAD_POSITION();
		goto out;
	    }
	    if (qfile_parse_time(buf, &info->arrival_sec,
				 &info->arrival_usec) < 0) {
		qfile_bad(why, recno, type, offset, "bad arrival time");
		goto out;
	    }
	    state = QR_ENV;
	    continue;

	case QR_ENV:
	case QR_ORCP:
	case QR_RCPT:
	    if (state == QR_ORCP && type != REC_TYPE_RCPT
		&& type != REC_TYPE_ORCP && type != REC_TYPE_DSN) {
		qfile_bad(why, recno, type, offset, "%s not followed by "
			  "recipient", orig ? "original recipient" :
			  "dsn request");
		goto out;
	    }
	    switch (type) {
	    case REC_TYPE_ATTR:
		if (state != QR_ENV) {
		    BAD_POSITION();
		    goto out;
		}
		if (!qfile_attr_ok(buf)) {
		    qfile_bad(why, recno, type, offset, "bad attribute");
		    goto out;
		}
		argv_add(info->attrs, vstring_str(buf), (char *) 0);
		continue;
	    case REC_TYPE_FROM:
		if (state != QR_ENV) {
		    qfile_bad(why, recno, type, offset,
			      "sender record after recipients");
		    goto out;
		}
		if (have_sender) {
		    qfile_bad(why, recno, type, offset, "duplicate sender record");
		    goto out;
		}
		if (!qfile_text_ok(vstring_str(buf), vstring_len(buf), 1)) {
		    qfile_bad(why, recno, type, offset, "bad sender address");
		    goto out;
		}
		have_sender = 1;
		info->sender = mystrdup(vstring_str(buf));
		continue;
	    case REC_TYPE_DSN:
		if (have_dsn) {
		    qfile_bad(why, recno, type, offset,
			      "two dsn requests for one recipient");
		    goto out;
		}
		if (dsn_rec_parse(vstring_str(buf), vstring_len(buf),
				  &dsn_notify, dsn_orcpt) < 0) {
		    qfile_bad(why, recno, type, offset, "bad dsn request");
		    goto out;
		}
		have_dsn = 1;
		state = QR_ORCP;
		continue;
	    case REC_TYPE_ORCP:
		if (orig) {
		    qfile_bad(why, recno, type, offset,
			      "two original recipients for one recipient");
		    goto out;
		}
		if (!qfile_text_ok(vstring_str(buf), vstring_len(buf), 1)) {
		    qfile_bad(why, recno, type, offset,
			      "bad original recipient address");
		    goto out;
		}
		orig = mystrdup(vstring_str(buf));
		state = QR_ORCP;
		continue;
	    case REC_TYPE_RCPT:
		if (vstring_len(buf) < 2) {
		    qfile_bad(why, recno, type, offset, "empty recipient");
		    goto out;
		}
		if (vstring_str(buf)[0] != REC_RCPT_TODO
		    && vstring_str(buf)[0] != REC_RCPT_SENT
		    && vstring_str(buf)[0] != REC_RCPT_BOUNCED) {
		    qfile_bad(why, recno, type, offset, "bad recipient state");
		    goto out;
		}
		if (!qfile_text_ok(vstring_str(buf) + 1, vstring_len(buf) - 1, 1)) {
		    qfile_bad(why, recno, type, offset, "bad recipient address");
		    goto out;
		}
		if (info->rcpt_count == rcpt_alloc) {
		    rcpt_alloc = rcpt_alloc ? rcpt_alloc * 2 : 8;
		    info->rcpts = myrealloc(info->rcpts,
					    rcpt_alloc * sizeof(*info->rcpts));
		}
		rcpt = info->rcpts + info->rcpt_count++;
		rcpt->address = mystrdup(vstring_str(buf) + 1);
		rcpt->orig = orig;
		orig = 0;
		rcpt->dsn_notify = have_dsn ? dsn_notify : 0;
		rcpt->dsn_orcpt = (have_dsn && vstring_len(dsn_orcpt) ?
				   mystrdup(vstring_str(dsn_orcpt)) : 0);
		have_dsn = 0;
		rcpt->state = vstring_str(buf)[0];
		rcpt->offset = offset;
		state = QR_RCPT;
		continue;
	    case REC_TYPE_MESG:
		if (!have_sender) {
		    qfile_bad(why, recno, type, offset, "missing sender record");
		    goto out;
		}
		if (state != QR_RCPT) {
		    qfile_bad(why, recno, type, offset, "no recipient records");
		    goto out;
		}
		state = QR_CONT;
		continue;
	    default:
		BAD_POSITION();
		goto out;
	    }

	case QR_CONT:
	    if (type == REC_TYPE_CONT) {
		if (!have_content) {
		    info->content_offset = offset;
		    have_content = 1;
		}
		if (!header_done) {
		    for (i = 0; i < vstring_len(buf); i++) {
			if (at_line_start && vstring_str(buf)[i] == '\n') {
			    info->header_size = info->content_size + (off_t) i + 1;
			    header_done = 1;
			    break;
			}
			at_line_start = (vstring_str(buf)[i] == '\n');
		    }
		}
		info->content_size += (off_t) vstring_len(buf);
		continue;
	    }
	    if (type != REC_TYPE_XTRA) {
		BAD_POSITION();
		goto out;
	    }
	    if (!have_content)
		info->content_offset = offset;
	    if (!header_done)
		info->header_size = info->content_size;
	    state = QR_SIZE;
	    continue;

	case QR_SIZE:
	    if (type != REC_TYPE_SIZE) {
		BAD_POSITION();
		goto out;
	    }
	    if (qfile_parse_size(buf, size) < 0) {
		qfile_bad(why, recno, type, offset, "bad size record \"%.*s\"",
			  (int) (vstring_len(buf) > 80 ? 80 : vstring_len(buf)),
			  vstring_str(buf));
		goto out;
	    }
	    if (size[0] != (unsigned long) info->content_size) {
		qfile_bad(why, recno, type, offset, "content size %lu does not "
			  "match %lld bytes of content", size[0],
			  (long long) info->content_size);
		goto out;
	    }
	    if (size[1] != (unsigned long) info->header_size) {
		qfile_bad(why, recno, type, offset, "header size %lu does not "
			  "match %lld bytes of headers", size[1],
			  (long long) info->header_size);
		goto out;
	    }
	    if (size[2] != info->rcpt_count) {
		qfile_bad(why, recno, type, offset, "recipient count %lu does "
			  "not match %zu recipient records", size[2],
			  info->rcpt_count);
		goto out;
	    }
	    state = QR_END;
	    continue;

	case QR_END:
	    if (type != REC_TYPE_END) {
		BAD_POSITION();
		goto out;
	    }
	    state = QR_DONE;
	    continue;
	}
    }
out:
    if (orig)
	myfree(orig);
    vstring_free(&dsn_orcpt);
    vstring_free(&buf);
    (void) vstream_close(&stream);
    if (ret < 0)
	qfile_info_free(info);
    return (ret);
}

/* qfile_info_free - free what qfile_read_envelope() allocated */

void    qfile_info_free(struct qfile_info *info)
{
    size_t  i;

    if (info->sender)
	myfree(info->sender);
    if (info->attrs)
	argv_free(&info->attrs);
    for (i = 0; i < info->rcpt_count; i++) {
	myfree(info->rcpts[i].address);
	if (info->rcpts[i].orig)
	    myfree(info->rcpts[i].orig);
	if (info->rcpts[i].dsn_orcpt)
	    myfree(info->rcpts[i].dsn_orcpt);
    }
    if (info->rcpts)
	myfree(info->rcpts);
    memset(info, 0, sizeof(*info));
}

/* qfile_attr - look up an A record by name */

const char *qfile_attr(const struct qfile_info *info, const char *name)
{
    size_t  len = strlen(name);
    size_t  i;

    if (info->attrs == 0)
	return (0);
    for (i = 0; i < info->attrs->argc; i++)
	if (strncmp(info->attrs->argv[i], name, len) == 0
	    && info->attrs->argv[i][len] == '=')
	    return (info->attrs->argv[i] + len + 1);
    return (0);
}

/* qfile_set_rcpt_state - rewrite a recipient's state byte in place */

int     qfile_set_rcpt_state(int fd, off_t offset, int state, struct vstring *why)
{
    unsigned char hdr[REC_HDR_LEN];
    unsigned char ch = (unsigned char) state;
    ssize_t got;

    if (state != REC_RCPT_TODO && state != REC_RCPT_SENT
	&& state != REC_RCPT_BOUNCED) {
	vstring_sprintf(why, "bad recipient state %d", state);
	return (-1);
    }
    if ((got = pread(fd, hdr, sizeof(hdr), offset)) != (ssize_t) sizeof(hdr)
	|| hdr[0] != REC_TYPE_RCPT
	|| (hdr[1] | hdr[2] | hdr[3] | hdr[4]) == 0) {
	if (got < 0)
	    vstring_sprintf(why, "read at offset %lld: %s", (long long) offset,
			    strerror(errno));
	else
	    vstring_sprintf(why, "offset %lld is not a recipient record",
			    (long long) offset);
	return (-1);
    }
    if (pwrite(fd, &ch, 1, offset + REC_HDR_LEN) != 1) {
	vstring_sprintf(why, "write at offset %lld: %s",
			(long long) offset + REC_HDR_LEN, strerror(errno));
	return (-1);
    }
    /* No fdatasync: the page cache outlives a crashed qmgr or local;
     * only a kernel crash can undo this, and then a recipient is at worst
     * delivered twice. */
    return (0);
}

/* qfile_content_open - stream positioned at the content */

struct vstream *qfile_content_open(int fd, const struct qfile_info *info)
{
    if (lseek(fd, info->content_offset, SEEK_SET) < 0)
	return (0);
    return (vstream_fdopen(fd, 0));
}

/* qfile_content_read - next chunk of content */

ssize_t qfile_content_read(struct vstream *stream, struct vstring *buf,
			           off_t *left)
{
    int     type;

    vstring_reset(buf);
    while (*left > 0) {
	type = rec_get(stream, buf, REC_CONT_MAX);
	if (type != REC_TYPE_CONT || (off_t) vstring_len(buf) > *left)
	    return (-1);
	if (vstring_len(buf) == 0)
	    continue;
	*left -= (off_t) vstring_len(buf);
	return ((ssize_t) vstring_len(buf));
    }
    return (0);
}
