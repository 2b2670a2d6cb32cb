/*++
/* NAME
/*	vstream 3
/* SUMMARY
/*	buffered streams over a descriptor, with deadlines and bounded lines
/* SYNOPSIS
/*	#include <vstream.h>
/*
/*	struct vstream *vstream_fdopen(fd, flags)
/*	int	vstream_close(&stream)
/*	int	vstream_get_line(stream, buf, maxlen)
/*	ssize_t	vstream_read(stream, buf, len)
/*	int	vstream_write(stream, buf, len)
/*	int	vstream_flush(stream)
/* DESCRIPTION
/*	See vstream.h for the interface. Implementation notes:
/*
/*	Waiting is done with poll(2) for the wanted direction, bounded by
/*	the stream timeout (one deadline per read or write call, restarted
/*	after EINTR with the time that is left). Sockets are read and
/*	written with MSG_DONTWAIT, so even a blocking socket never blocks
/*	past the deadline: a socket write is tried first and waits only
/*	after EAGAIN; a socket read waits first (the answer to a request
/*	is seldom there yet), except after a read that filled the whole
/*	buffer, when more is likely waiting. Regular files (and folders
/*	and block devices) never wait: their reads and writes do not block
/*	on a peer. Other descriptors (pipes, terminals) wait before each
/*	call and are written in chunks of at most PIPE_BUF bytes, which a
/*	pipe that polls writable always accepts without blocking. EAGAIN
/*	simply goes back to poll(), so non-blocking descriptors work too.
/*
/*	SIGPIPE: socket writes use MSG_NOSIGNAL; regular files cannot raise
/*	it. For other descriptors SIGPIPE is blocked around write(2) and a SIGPIPE raised by that
/*	write is consumed before the old mask is restored, so a closed
/*	peer turns into an EPIPE error (-1), never into a dead process.
/*
/*	Before it reads from the descriptor, a stream flushes its own
/*	pending output (request/response protocols need no explicit
/*	flush before waiting for the answer); a failed flush makes the
/*	read fail with the flush status.
/*
/*	A line longer than maxlen yields VSTREAM_TOOLONG with exactly
/*	maxlen bytes in buf; the newline counts towards maxlen.
/* DIAGNOSTICS
/*	Return values only; errno is kept from the failing system call
/*	(ETIMEDOUT for a deadline).
/*--*/
#include <sys/socket.h>
#include <sys/stat.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mymalloc.h>
#include <vstring.h>
#include <vstream.h>

#define VSTREAM_BUFSIZE	65536

struct vstream {
    int     fd;
    int     flags;			/* VSTREAM_FLAG_* */
    int     timeout;			/* seconds, 0 = none */
    int     status;			/* last status */
    int     werror;			/* sticky write status, 0 = fine */
    int     is_socket;			/* use send/recv */
    int     is_fifo;			/* write in PIPE_BUF chunks */
    int     is_file;			/* regular file: never poll */
    int     read_first;			/* last read filled the buffer */
    char   *rbuf;			/* read buffer */
    size_t  rpos;			/* next unread byte */
    size_t  rlen;			/* bytes in read buffer */
    char   *wbuf;			/* write buffer */
    size_t  wlen;			/* bytes waiting for output */
    struct vstring *fmt;		/* vstream_printf() scratch */
};

/* vstream_fdopen - wrap a descriptor */

struct vstream *vstream_fdopen(int fd, int flags)
{
    struct vstream *s = mymalloc(sizeof(*s));
    struct stat st;

    s->fd = fd;
    s->flags = flags;
    s->timeout = 0;
    s->status = VSTREAM_OK;
    s->werror = 0;
    s->is_socket = s->is_fifo = s->is_file = s->read_first = 0;
    if (fstat(fd, &st) == 0) {
	s->is_socket = S_ISSOCK(st.st_mode);
	s->is_fifo = S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode);
	s->is_file = S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)
	    || S_ISBLK(st.st_mode);
    }
    /* Buffers are made at first use: many streams only read or write. */
    s->rbuf = 0;
    s->rpos = s->rlen = 0;
    s->wbuf = 0;
    s->wlen = 0;
    s->fmt = 0;
    return (s);
}

/* vstream_close - flush, free, optionally close the descriptor */

int     vstream_close(struct vstream **sp)
{
    struct vstream *s = *sp;
    int     ret = 0;

    if (s == 0)
	return (0);
    if (s->wlen > 0 && vstream_flush(s) < 0)
	ret = -1;
    if ((s->flags & VSTREAM_FLAG_CLOSE) && close(s->fd) < 0 && ret == 0)
	ret = -1;
    myfree(s->rbuf);
    myfree(s->wbuf);
    vstring_free(&s->fmt);
    myfree(s);
    *sp = 0;
    return (ret);
}

void    vstream_set_timeout(struct vstream *s, int seconds)
{
    s->timeout = seconds > 0 ? seconds : 0;
}

static long long vstream_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* vstream_wait - wait until fd is ready for events or the deadline */

static int vstream_wait(struct vstream *s, short events)
{
    struct pollfd pfd;
    long long deadline = 0;
    long long left;
    int     n;

    if (s->timeout > 0)
	deadline = vstream_now_ms() + (long long) s->timeout * 1000;
    for (;;) {
	pfd.fd = s->fd;
	pfd.events = events;
	pfd.revents = 0;
	left = -1;
	if (s->timeout > 0 && (left = deadline - vstream_now_ms()) < 0)
	    left = 0;
	n = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int) left);
	if (n > 0) {
	    if (pfd.revents & POLLNVAL) {
		errno = EBADF;
		return (VSTREAM_ERROR);
	    }
	    return (VSTREAM_OK);		/* ready, hang-up or error */
	}
	if (n == 0) {
	    if (s->timeout > 0 && vstream_now_ms() >= deadline) {
		errno = ETIMEDOUT;
		return (VSTREAM_TIMEOUT);
	    }
	    continue;
	}
	if (errno != EINTR)
	    return (VSTREAM_ERROR);
    }
}

/* vstream_fill - refill the empty read buffer; returns a status */

static int vstream_fill(struct vstream *s)
{
    ssize_t n;
    int     st;

    if (s->wlen > 0 && vstream_flush(s) < 0)
	return (s->status);
    if (s->rbuf == 0)
	s->rbuf = mymalloc(VSTREAM_BUFSIZE);
    for (;;) {
	/* Regular files never wait; a socket may be tried first. */
	if (!s->is_file && !(s->is_socket && s->read_first)
	    && (st = vstream_wait(s, POLLIN)) != VSTREAM_OK)
	    return (s->status = st);
	s->read_first = 0;
	if (s->is_socket)
	    n = recv(s->fd, s->rbuf, VSTREAM_BUFSIZE, MSG_DONTWAIT);
	else
	    n = read(s->fd, s->rbuf, VSTREAM_BUFSIZE);
	if (n > 0) {
	    s->rpos = 0;
	    s->rlen = (size_t) n;
	    s->read_first = (n == VSTREAM_BUFSIZE);
	    return (VSTREAM_OK);
	}
	if (n == 0)
	    return (VSTREAM_EOF);
	if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
	    return (s->status = VSTREAM_ERROR);
    }
}

/* vstream_write_nosigpipe - write(2) that turns SIGPIPE into EPIPE */

static ssize_t vstream_write_nosigpipe(int fd, const char *buf, size_t len)
{
    sigset_t pipe_set;
    sigset_t saved;
    sigset_t pending;
    int     was_pending;
    ssize_t n;
    int     saved_errno;
    struct timespec zero = {0, 0};

    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigpending(&pending);
    was_pending = sigismember(&pending, SIGPIPE);
    sigprocmask(SIG_BLOCK, &pipe_set, &saved);
    n = write(fd, buf, len);
    saved_errno = errno;
    if (n < 0 && errno == EPIPE && !was_pending)
	while (sigtimedwait(&pipe_set, (siginfo_t *) 0, &zero) < 0
	       && errno == EINTR)
	     /* void */ ;
    sigprocmask(SIG_SETMASK, &saved, (sigset_t *) 0);
    errno = saved_errno;
    return (n);
}

/* vstream_flush - write out the write buffer */

int     vstream_flush(struct vstream *s)
{
    size_t  done = 0;
    size_t  chunk;
    ssize_t n;
    int     st;
    int     again = 0;			/* the last call said EAGAIN */

    if (s->werror) {
	s->status = s->werror;
	return (-1);
    }
    while (done < s->wlen) {
	/* Sockets wait only after EAGAIN; regular files never wait. */
	if (!s->is_file && (!s->is_socket || again)
	    && (st = vstream_wait(s, POLLOUT)) != VSTREAM_OK) {
	    s->status = s->werror = st;
	    break;
	}
	again = 0;
	chunk = s->wlen - done;
	if (s->is_socket) {
	    n = send(s->fd, s->wbuf + done, chunk, MSG_DONTWAIT | MSG_NOSIGNAL);
	} else if (s->is_file) {
	    n = write(s->fd, s->wbuf + done, chunk);
	} else {
	    if (s->is_fifo && chunk > PIPE_BUF)
		chunk = PIPE_BUF;
	    n = vstream_write_nosigpipe(s->fd, s->wbuf + done, chunk);
	}
	if (n > 0) {
	    done += (size_t) n;
	} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
	    again = 1;
	} else if (n < 0 && errno != EINTR) {
	    s->status = s->werror = VSTREAM_ERROR;
	    break;
	}
    }
    if (s->werror) {
	s->wlen = 0;				/* nothing more will go out */
	return (-1);
    }
    s->wlen = 0;
    return (0);
}

/* vstream_write - buffer output, flushing as the buffer fills */

int     vstream_write(struct vstream *s, const void *buf, size_t len)
{
    const char *cp = buf;
    size_t  chunk;

    if (s->werror) {
	s->status = s->werror;
	return (-1);
    }
    if (s->wbuf == 0 && len > 0)
	s->wbuf = mymalloc(VSTREAM_BUFSIZE);
    while (len > 0) {
	if (s->wlen == VSTREAM_BUFSIZE && vstream_flush(s) < 0)
	    return (-1);
	chunk = VSTREAM_BUFSIZE - s->wlen;
	if (chunk > len)
	    chunk = len;
	memcpy(s->wbuf + s->wlen, cp, chunk);
	s->wlen += chunk;
	cp += chunk;
	len -= chunk;
    }
    return (0);
}

int     vstream_puts(struct vstream *s, const char *str)
{
    return (vstream_write(s, str, strlen(str)));
}

int     vstream_printf(struct vstream *s, const char *fmt,...)
{
    va_list ap;

    if (s->fmt == 0)
	s->fmt = vstring_alloc(100);
    vstring_reset(s->fmt);
    va_start(ap, fmt);
    vstring_vsprintf_append(s->fmt, fmt, ap);
    va_end(ap);
    return (vstream_write(s, vstring_str(s->fmt), vstring_len(s->fmt)));
}

/* vstream_scan - common loop of get_line and skip_line */

static int vstream_scan(struct vstream *s, struct vstring *buf, size_t maxlen)
{
    size_t  got = 0;
    size_t  avail;
    char   *nl;
    int     st;

    for (;;) {
	if (buf != 0 && got >= maxlen)
	    return (s->status = VSTREAM_TOOLONG);
	if (s->rpos == s->rlen) {
	    if ((st = vstream_fill(s)) == VSTREAM_EOF)
		return (s->status = got ? VSTREAM_PARTIAL : VSTREAM_EOF);
	    if (st != VSTREAM_OK)
		return (s->status = st);
	}
	avail = s->rlen - s->rpos;
	if (buf != 0 && avail > maxlen - got)
	    avail = maxlen - got;
	nl = memchr(s->rbuf + s->rpos, '\n', avail);
	if (nl != 0)
	    avail = (size_t) (nl - (s->rbuf + s->rpos)) + 1;
	if (buf != 0)
	    vstring_append(buf, s->rbuf + s->rpos, avail);
	s->rpos += avail;
	got += avail;
	if (nl != 0)
	    return (s->status = VSTREAM_OK);
    }
}

int     vstream_get_line(struct vstream *s, struct vstring *buf, size_t maxlen)
{
    vstring_reset(buf);
    return (vstream_scan(s, buf, maxlen));
}

int     vstream_skip_line(struct vstream *s)
{
    return (vstream_scan(s, (struct vstring *) 0, 0));
}

/* vstream_read - read exactly len bytes unless EOF or error */

ssize_t vstream_read(struct vstream *s, void *buf, size_t len)
{
    char   *cp = buf;
    size_t  got = 0;
    size_t  chunk;
    int     st;

    while (got < len) {
	if (s->rpos == s->rlen) {
	    if ((st = vstream_fill(s)) == VSTREAM_EOF)
		break;
	    if (st != VSTREAM_OK)
		return (-1);
	}
	chunk = s->rlen - s->rpos;
	if (chunk > len - got)
	    chunk = len - got;
	memcpy(cp + got, s->rbuf + s->rpos, chunk);
	s->rpos += chunk;
	got += chunk;
    }
    if (got == len)
	s->status = VSTREAM_OK;
    else
	s->status = VSTREAM_EOF;
    return ((ssize_t) got);
}

int     vstream_getc(struct vstream *s)
{
    unsigned char ch;

    if (s->rpos < s->rlen) {
	s->status = VSTREAM_OK;
	return ((unsigned char) s->rbuf[s->rpos++]);
    }
    if (vstream_read(s, &ch, 1) != 1)
	return (-1);
    return (ch);
}

size_t  vstream_pending(struct vstream *s)
{
    return (s->rlen - s->rpos);
}

void    vstream_discard_input(struct vstream *s)
{
    s->rpos = s->rlen = 0;
}

int     vstream_fileno(struct vstream *s)
{
    return (s->fd);
}

int     vstream_status(struct vstream *s)
{
    return (s->status);
}

const char *vstream_status_str(int status)
{
    static const char *text[] = {
	"ok", "line too long", "partial line at end of file", "end of file",
	"timeout", "read/write error",
    };

    if (status < 0 || (size_t) status >= sizeof(text) / sizeof(text[0]))
	return ("unknown status");
    return (text[status]);
}
