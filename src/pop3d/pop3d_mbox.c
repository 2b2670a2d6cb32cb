/*++
/* NAME
/*	pop3d_mbox 3
/* SUMMARY
/*	pop3d: mbox back-end
/* SYNOPSIS
/*	#include "pop3d_box.h"
/*
/*	int	pop3d_mbox_open(box, why)
/*
/*	int	pop3d_mbox_read(box, index, filter, why)
/*
/*	int	pop3d_mbox_update(box, why)
/* DESCRIPTION
/*	The mbox is the one local(8) writes: a "From SENDER DATE" line,
/*	the message with mboxrd quoting (a line that begins with
/*	">*From " got one more ">"), and an empty line.
/*
/*	pop3d_mbox_open() locks the mailbox like local(8) does: the
/*	dot-lock through box->lock(box->context, 1) when box->lock is
/*	not null, then an fcntl() write lock on the file, waited for at
/*	most MBOX_LOCK_TIMEOUT seconds. It reads the whole file once and
/*	unlocks. A message begins with a "From " line at the start of
/*	the file or after an empty line; its content is what follows
/*	that line up to, not including, the empty line before the next
/*	"From " line or the one at the end of the file (a file that
/*	ends without it, or without a final newline, loses nothing).
/*	Text before the first "From " line is not a message and is left
/*	alone. For each message it records the offsets, the raw length,
/*	the size (pop3d_box_filter with mboxrd unquoting) and the uid:
/*	the hash of the "From " line and the content (as if it ended
/*	with a newline, so that the uid stays when local appends to a
/*	file that did not), with "-N" for the Nth identical message.
/*	A missing file is an empty mailbox; box->snap_size is the size
/*	read.
/*
/*	pop3d_mbox_read() checks that the message's "From " line is
/*	still where it was and feeds the content to filter, in bounded
/*	chunks, without locking (local only appends).
/*
/*	pop3d_mbox_update() does nothing when no message is deleted.
/*	Otherwise it locks again, checks that the file is at least
/*	box->snap_size long and that every "From " line is still at its
/*	offset (if not, it changes nothing: "mailbox changed"), moves the
/*	kept messages and everything after box->snap_size (mail
/*	delivered during the session) forward over the deleted ones,
/*	truncates, fsyncs and unlocks.
/* DIAGNOSTICS
/*	-1 with a reason in why.
/* BUGS
/*	An error in the middle of the compaction leaves the mailbox
/*	partly rewritten, as with any in-place mbox update.
/*--*/
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include "pop3d_box.h"

#define MBOX_LOCK_TIMEOUT	20	/* seconds to wait for the fcntl lock */
#define MBOX_LINE_MAX		4096	/* read lines in pieces of this */
#define MBOX_CHUNK		16384	/* copy and send in chunks of this */

/* mbox_alarm - interrupt a lock wait */

static void mbox_alarm(int sig)
{
    /* Interrupts fcntl(F_SETLKW). */
}

/* mbox_lock - dot-lock, open, fcntl lock; 1 locked, 0 no file, -1 error */

static int mbox_lock(struct pop3d_box *box, int *fdp, struct vstring *why)
{
    struct sigaction sa;
    struct sigaction old;
    struct flock fl;
    struct stat st;
    int     fd;
    int     ret;
    int     err;

    if (box->lock && box->lock(box->context, 1) < 0) {
	vstring_sprintf(why, "cannot lock mailbox %s: lock file %s.lock",
			box->path, box->path);
	return (-1);
    }
    fd = open(box->path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
	err = errno;
	if (box->lock)
	    (void) box->lock(box->context, 0);
	if (err == ENOENT)
	    return (0);
	errno = err;
	vstring_sprintf(why, "open mailbox %s: %m", box->path);
	return (-1);
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
	vstring_sprintf(why, "mailbox %s: not a regular file", box->path);
	ret = -1;
    } else if (fcntl(fd, F_SETFL, O_RDWR) < 0) {
	vstring_sprintf(why, "fcntl mailbox %s: %m", box->path);
	ret = -1;
    } else {
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = mbox_alarm;
	sigemptyset(&sa.sa_mask);
	(void) sigaction(SIGALRM, &sa, &old);
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	alarm(MBOX_LOCK_TIMEOUT);
	ret = fcntl(fd, F_SETLKW, &fl);
	err = errno;
	alarm(0);
	(void) sigaction(SIGALRM, &old, (struct sigaction *) 0);
	if (ret < 0)
	    vstring_sprintf(why, "lock mailbox %s: %s", box->path,
			    err == EINTR ? "timeout" : strerror(err));
    }
    if (ret < 0) {
	(void) close(fd);
	if (box->lock)
	    (void) box->lock(box->context, 0);
	return (-1);
    }
    *fdp = fd;
    return (1);
}

/* mbox_unlock - undo mbox_lock */

static void mbox_unlock(struct pop3d_box *box, int fd)
{
    (void) close(fd);				/* drops the fcntl lock */
    if (box->lock)
	(void) box->lock(box->context, 0);
}

/* mbox_pread - pread all of len unless end of file; count or -1 */

static ssize_t mbox_pread(int fd, char *buf, size_t len, off_t off)
{
    size_t  done = 0;
    ssize_t n;

    while (done < len) {
	if ((n = pread(fd, buf + done, len - done, off + done)) < 0) {
	    if (errno == EINTR)
		continue;
	    return (-1);
	}
	if (n == 0)
	    break;
	done += n;
    }
    return ((ssize_t) done);
}

/* mbox_check_from - is the message's "From " line still there? */

static int mbox_check_from(int fd, struct pop3d_msg *msg)
{
    char    buf[MBOX_CHUNK];
    unsigned long long h = POP3D_BOX_HASH_INIT;
    off_t   off = msg->from_offset;
    size_t  want;
    ssize_t n;

    if (pread(fd, buf, 5, off) != 5 || memcmp(buf, "From ", 5) != 0)
	return (-1);
    while (off < msg->offset) {
	want = msg->offset - off > (off_t) sizeof(buf) ?
	    sizeof(buf) : (size_t) (msg->offset - off);
	if ((n = mbox_pread(fd, buf, want, off)) != (ssize_t) want)
	    return (-1);
	h = pop3d_box_hash(h, buf, want);
	off += want;
    }
    return (h == msg->from_hash ? 0 : -1);
}

/* mbox_end - finish a message */

static void mbox_end(struct pop3d_msg *msg, struct pop3d_box_filter *filter,
		             off_t end, int last)
{
    msg->length = end > msg->offset ? end - msg->offset : 0;
    /* The same uid once local appends after a last line without LF. */
    if (msg->length > 0 && last != '\n')
	msg->hash = pop3d_box_hash(msg->hash, "\n", 1);
    pop3d_box_filter_end(filter);
    msg->size = filter->count;
}

/* mbox_hash_order - sort by hash, then position */

static int mbox_hash_order(const void *a, const void *b)
{
    const struct pop3d_msg *ma = *(struct pop3d_msg * const *) a;
    const struct pop3d_msg *mb = *(struct pop3d_msg * const *) b;

    if (ma->hash != mb->hash)
	return (ma->hash < mb->hash ? -1 : 1);
    return (ma < mb ? -1 : ma > mb ? 1 : 0);
}

/* mbox_uids - hash in hex, "-N" for the Nth identical message */

static void mbox_uids(struct pop3d_box *box)
{
    struct pop3d_msg **order;
    int     occurrence = 1;
    int     i;

    if (box->count == 0)
	return;
    order = mymalloc(box->count * sizeof(*order));
    for (i = 0; i < box->count; i++)
	order[i] = box->msgs + i;
    qsort(order, box->count, sizeof(*order), mbox_hash_order);
    for (i = 0; i < box->count; i++) {
	occurrence = (i > 0 && order[i]->hash == order[i - 1]->hash) ?
	    occurrence + 1 : 1;
	order[i]->uid = pop3d_box_hex(order[i]->hash, occurrence);
    }
    myfree(order);
}

/* mbox_parse - read the locked file */

static int mbox_parse(struct pop3d_box *box, int fd, struct vstring *why)
{
    struct vstream *in = vstream_fdopen(fd, 0);
    struct vstring *buf = vstring_alloc(MBOX_LINE_MAX);
    struct pop3d_box_filter filter;
    struct pop3d_msg *cur = 0;
    const char *data;
    size_t  len;
    off_t   pos = 0;
    off_t   held_off = 0;
    int     space = 0;
    int     bol = 1;
    int     prev_empty = 1;
    int     in_from = 0;
    int     held = 0;
    int     last = '\n';
    int     empty;
    int     status;
    int     ret = 0;

    for (;;) {
	status = vstream_get_line(in, buf, MBOX_LINE_MAX);
	if (status == VSTREAM_EOF)
	    break;
	if (status != VSTREAM_OK && status != VSTREAM_TOOLONG
	    && status != VSTREAM_PARTIAL) {
	    vstring_sprintf(why, "read mailbox %s: %s", box->path,
			    vstream_status_str(status));
	    ret = -1;
	    break;
	}
	data = vstring_str(buf);
	len = vstring_len(buf);
	empty = (bol && len == 1 && data[0] == '\n');
	if (bol && prev_empty && len >= 5 && memcmp(data, "From ", 5) == 0) {
	    if (cur)
		mbox_end(cur, &filter, held ? held_off : pos, last);
	    if (box->count >= space) {
		space = space ? 2 * space : 64;
		box->msgs = myreallocarray(box->msgs, space,
					   sizeof(*box->msgs));
	    }
	    cur = box->msgs + box->count++;
	    memset(cur, 0, sizeof(*cur));
	    cur->from_offset = pos;
	    cur->from_hash = pop3d_box_hash(POP3D_BOX_HASH_INIT, data, len);
	    cur->hash = cur->from_hash;
	    pop3d_box_filter_init(&filter, (struct vstream *) 0, 1, -1);
	    held = 0;
	    if ((in_from = (data[len - 1] != '\n')) == 0)
		cur->offset = pos + len;
	    last = '\n';
	} else if (cur && in_from) {
	    cur->from_hash = pop3d_box_hash(cur->from_hash, data, len);
	    cur->hash = pop3d_box_hash(cur->hash, data, len);
	    if ((in_from = (data[len - 1] != '\n')) == 0)
		cur->offset = pos + len;
	} else if (cur) {
	    if (held) {
		pop3d_box_filter_feed(&filter, "\n", 1);
		cur->hash = pop3d_box_hash(cur->hash, "\n", 1);
		held = 0;
	    }
	    if (empty) {
		held = 1;
		held_off = pos;
	    } else {
		pop3d_box_filter_feed(&filter, data, len);
		cur->hash = pop3d_box_hash(cur->hash, data, len);
		last = (unsigned char) data[len - 1];
	    }
	}
	prev_empty = empty;
	bol = (data[len - 1] == '\n');
	pos += len;
    }
    if (cur) {
	if (in_from)
	    cur->offset = pos;
	mbox_end(cur, &filter, held ? held_off : pos, last);
    }
    box->snap_size = pos;
    (void) vstream_close(&in);
    vstring_free(&buf);
    return (ret);
}

/* pop3d_mbox_open - lock, read, unlock */

int     pop3d_mbox_open(struct pop3d_box *box, struct vstring *why)
{
    int     fd;
    int     ret;

    if ((ret = mbox_lock(box, &fd, why)) <= 0)
	return (ret);
    ret = mbox_parse(box, fd, why);
    mbox_unlock(box, fd);
    if (ret == 0)
	mbox_uids(box);
    return (ret);
}

/* pop3d_mbox_read - send one message through a filter */

int     pop3d_mbox_read(struct pop3d_box *box, int index,
			        struct pop3d_box_filter *filter,
			        struct vstring *why)
{
    struct pop3d_msg *msg = box->msgs + index;
    char    buf[MBOX_CHUNK];
    off_t   off = msg->offset;
    off_t   end = msg->offset + msg->length;
    size_t  want;
    ssize_t n;
    int     fd;
    int     ret = 0;

    if ((fd = open(box->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK
		   | O_CLOEXEC)) < 0) {
	vstring_sprintf(why, "open mailbox %s: %m", box->path);
	return (-1);
    }
    if (mbox_check_from(fd, msg) < 0) {
	vstring_sprintf(why, "mailbox %s changed", box->path);
	ret = -1;
    }
    while (ret == 0 && off < end && !filter->done && !filter->error) {
	want = end - off > (off_t) sizeof(buf) ?
	    sizeof(buf) : (size_t) (end - off);
	if ((n = mbox_pread(fd, buf, want, off)) != (ssize_t) want) {
	    vstring_sprintf(why, "mailbox %s changed", box->path);
	    ret = -1;
	    break;
	}
	pop3d_box_filter_feed(filter, buf, want);
	off += want;
    }
    (void) close(fd);
    return (ret);
}

/* mbox_copy - move len bytes from rpos to wpos <= rpos */

static int mbox_copy(int fd, off_t rpos, off_t wpos, off_t len)
{
    char    buf[MBOX_CHUNK];
    size_t  want;
    size_t  done;
    ssize_t n;

    if (rpos == wpos)
	return (0);
    while (len > 0) {
	want = len > (off_t) sizeof(buf) ? sizeof(buf) : (size_t) len;
	if (mbox_pread(fd, buf, want, rpos) != (ssize_t) want)
	    return (-1);
	for (done = 0; done < want; done += n) {
	    if ((n = pwrite(fd, buf + done, want - done, wpos + done)) < 0) {
		if (errno == EINTR) {
		    n = 0;
		    continue;
		}
		return (-1);
	    }
	}
	rpos += want;
	wpos += want;
	len -= want;
    }
    return (0);
}

/* pop3d_mbox_update - remove the deleted messages */

int     pop3d_mbox_update(struct pop3d_box *box, struct vstring *why)
{
    struct stat st;
    off_t   wpos;
    off_t   end;
    int     first;
    int     fd;
    int     ret;
    int     i;

    for (first = 0; first < box->count; first++)
	if (box->msgs[first].deleted)
	    break;
    if (first >= box->count)
	return (0);
    if ((ret = mbox_lock(box, &fd, why)) <= 0) {
	if (ret == 0)
	    vstring_sprintf(why, "mailbox %s disappeared", box->path);
	return (-1);
    }
    if (fstat(fd, &st) < 0) {
	vstring_sprintf(why, "stat mailbox %s: %m", box->path);
	mbox_unlock(box, fd);
	return (-1);
    }
    if (st.st_size < box->snap_size) {
	vstring_sprintf(why, "mailbox %s changed", box->path);
	mbox_unlock(box, fd);
	return (-1);
    }
    for (i = 0; i < box->count; i++) {
	if (mbox_check_from(fd, box->msgs + i) < 0) {
	    vstring_sprintf(why, "mailbox %s changed", box->path);
	    mbox_unlock(box, fd);
	    return (-1);
	}
    }
    wpos = box->msgs[first].from_offset;
    ret = 0;
    for (i = first; ret == 0 && i < box->count; i++) {
	end = (i + 1 < box->count) ? box->msgs[i + 1].from_offset :
	    box->snap_size;
	if (box->msgs[i].deleted)
	    continue;
	ret = mbox_copy(fd, box->msgs[i].from_offset, wpos,
			end - box->msgs[i].from_offset);
	wpos += end - box->msgs[i].from_offset;
    }
    if (ret == 0) {
	ret = mbox_copy(fd, box->snap_size, wpos, st.st_size - box->snap_size);
	wpos += st.st_size - box->snap_size;
    }
    if (ret < 0 || ftruncate(fd, wpos) < 0 || fsync(fd) < 0) {
	vstring_sprintf(why, "rewrite mailbox %s: %m", box->path);
	ret = -1;
    }
    mbox_unlock(box, fd);
    return (ret);
}
