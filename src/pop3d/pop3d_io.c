/*++
/* NAME
/*	pop3d_io 3
/* SUMMARY
/*	pop3d line input, replies and the monitor channel
/* SYNOPSIS
/*	#include "pop3d.h"
/*
/*	int	pop3d_peek_line(fd, buf, maxlen, timeout)
/*	int	fd;
/*	struct vstring *buf;
/*	size_t	maxlen;
/*	int	timeout;
/*
/*	int	pop3d_stream_line(stream, buf, maxlen)
/*	struct vstream *stream;
/*
/*	void	pop3d_chop(buf)
/*
/*	int	pop3d_reply(stream, format, ...)
/*
/*	int	pop3d_mon_send(fd, type, data, len)
/*	int	type;
/*	const char *data;
/*	size_t	len;
/*
/*	int	pop3d_mon_recv(fd, buf, timeout)
/*
/*	int	pop3d_answer(fd, type, code)
/*
/*	void	pop3d_close_fds(keep, count)
/*	const int *keep;
/*	int	count;
/*
/*	void	pop3d_proc_name(name)
/*
/*	int	pop3d_error(stream, errors, text)
/*	long	*errors;
/* DESCRIPTION
/*	pop3d_peek_line() reads one line from the socket fd without ever
/*	reading past its newline (it peeks, then reads exactly up to the
/*	newline), so that the pre-login process leaves every later byte
/*	(pipelined commands) in the socket for the session process. It
/*	waits at most timeout seconds for each chunk. buf gets the line
/*	without its newline; a line longer than maxlen bytes (newline
/*	included) is read to its end and discarded (POP3D_READ_TOOLONG).
/*	Other results: POP3D_READ_OK, POP3D_READ_EOF (also for a last line
/*	without newline), POP3D_READ_TIMEOUT, POP3D_READ_ERROR.
/*
/*	pop3d_stream_line() is the same over a buffered stream, for the
/*	session (which is the only reader by then).
/*
/*	pop3d_chop() removes one CR at the end of buf.
/*
/*	pop3d_reply() formats one reply line, adds CR LF and flushes;
/*	0 or -1 (the client is gone).
/*
/*	pop3d_mon_send() sends one message (type byte, then len bytes) on
/*	the SOCK_SEQPACKET monitor channel; 0 or -1. pop3d_mon_recv()
/*	receives one into buf (type byte first) within timeout seconds (0:
/*	no limit); it returns the type, 0 at end of file, -1 on error,
/*	timeout or a message longer than POP3D_MON_MAX. pop3d_answer()
/*	sends an answer: the type byte and, when code is not 0, the code
/*	byte.
/*
/*	pop3d_close_fds() closes every descriptor from 3 up that is not
/*	listed in keep (master's status pipe, listening sockets): the
/*	login and session processes keep only what they use.
/*
/*	pop3d_proc_name() sets the name ps(1) and /proc/PID/comm show.
/*
/*	pop3d_error() sends "-ERR text" and counts it; at the
/*	$pop3d_hard_error_limit-th one it also sends "-ERR too many errors,
/*	closing connection". It returns -1 when the session must end (limit
/*	or the client is gone), 0 otherwise.
/* DIAGNOSTICS
/*	Results only.
/*--*/
#include <sys/prctl.h>
#include <sys/socket.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <vstream.h>
#include <vstring.h>

#include <mail_params.h>

#include "pop3d.h"

/* pop3d_wait - wait until fd is readable */

static int pop3d_wait(int fd, int timeout)
{
    struct pollfd pfd;
    int     n;

    pfd.fd = fd;
    pfd.events = POLLIN;
    for (;;) {
	n = poll(&pfd, 1, timeout > 0 ? timeout * 1000 : -1);
	if (n > 0)
	    return (0);
	if (n == 0)
	    return (POP3D_READ_TIMEOUT);
	if (errno != EINTR)
	    return (POP3D_READ_ERROR);
    }
}

/* pop3d_peek_line - one line, never reading past its newline */

int     pop3d_peek_line(int fd, struct vstring *buf, size_t maxlen, int timeout)
{
    char    chunk[512];
    ssize_t n;
    ssize_t want;
    char   *nl;
    size_t  total = 0;
    int     status;

    vstring_truncate(buf, 0);
    for (;;) {
	if ((status = pop3d_wait(fd, timeout)) != 0)
	    return (status);
	n = recv(fd, chunk, sizeof(chunk), MSG_PEEK);
	if (n < 0) {
	    if (errno == EINTR || errno == EAGAIN)
		continue;
	    return (POP3D_READ_ERROR);
	}
	if (n == 0)
	    return (POP3D_READ_EOF);
	nl = memchr(chunk, '\n', n);
	want = nl ? nl + 1 - chunk : n;
	if ((n = read(fd, chunk, want)) <= 0)
	    return (n == 0 ? POP3D_READ_EOF : POP3D_READ_ERROR);
	total += n;
	if (total <= maxlen)
	    vstring_append(buf, chunk, nl && n == want ? n - 1 : n);
	if (nl && n == want)
	    return (total > maxlen ? POP3D_READ_TOOLONG : POP3D_READ_OK);
    }
}

/* pop3d_stream_line - one line from the session's stream */

int     pop3d_stream_line(struct vstream *stream, struct vstring *buf,
			          size_t maxlen)
{
    int     status;

    switch (status = vstream_get_line(stream, buf, maxlen)) {
    case VSTREAM_OK:
	vstring_truncate(buf, vstring_len(buf) - 1);
	return (POP3D_READ_OK);
    case VSTREAM_TOOLONG:
	status = vstream_skip_line(stream);
	return (status == VSTREAM_OK ? POP3D_READ_TOOLONG :
		status == VSTREAM_TIMEOUT ? POP3D_READ_TIMEOUT :
		POP3D_READ_EOF);
    case VSTREAM_TIMEOUT:
	return (POP3D_READ_TIMEOUT);
    case VSTREAM_ERROR:
	return (POP3D_READ_ERROR);
    default:
	return (POP3D_READ_EOF);
    }
}

/* pop3d_chop - drop the CR of CR LF */

void    pop3d_chop(struct vstring *buf)
{
    size_t  len = vstring_len(buf);

    if (len > 0 && vstring_str(buf)[len - 1] == '\r')
	vstring_truncate(buf, len - 1);
}

/* pop3d_reply - one reply line */

int     pop3d_reply(struct vstream *stream, const char *fmt,...)
{
    va_list ap;
    struct vstring *buf = vstring_alloc(100);
    int     ret;

    va_start(ap, fmt);
    vstring_vsprintf_append(buf, fmt, ap);
    va_end(ap);
    vstring_append(buf, "\r\n", 2);
    ret = (vstream_write(stream, vstring_str(buf), vstring_len(buf)) < 0
	   || vstream_flush(stream) < 0) ? -1 : 0;
    vstring_free(&buf);
    return (ret);
}

/* pop3d_mon_send - one monitor message */

int     pop3d_mon_send(int fd, int type, const char *data, size_t len)
{
    struct vstring *buf;
    ssize_t n;

    if (len > POP3D_MON_MAX - 1)
	return (-1);
    buf = vstring_alloc(len + 1);
    vstring_appendc(buf, type);
    vstring_append(buf, data, len);
    do {
	n = send(fd, vstring_str(buf), vstring_len(buf), MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    vstring_free(&buf);
    return (n == (ssize_t) len + 1 ? 0 : -1);
}

/* pop3d_answer - one answer on the monitor channel */

int     pop3d_answer(int mon, int type, int code)
{
    char    c = (char) code;

    return (pop3d_mon_send(mon, type, &c, code ? 1 : 0));
}

/* pop3d_mon_recv - one monitor message */

int     pop3d_mon_recv(int fd, struct vstring *buf, int timeout)
{
    char    data[POP3D_MON_MAX];
    ssize_t n;

    vstring_truncate(buf, 0);
    if (pop3d_wait(fd, timeout) != 0)
	return (-1);
    do {
	n = recv(fd, data, sizeof(data), MSG_TRUNC);
    } while (n < 0 && errno == EINTR);
    if (n <= 0)
	return (n == 0 ? 0 : -1);
    if (n > (ssize_t) sizeof(data))
	return (-1);
    vstring_memcpy(buf, data, n);
    return ((unsigned char) data[0]);
}

/* pop3d_close_fds - keep only what this process uses */

void    pop3d_close_fds(const int *keep, int count)
{
    long    max = sysconf(_SC_OPEN_MAX);
    int     fd;
    int     i;

    if (max < 0 || max > 65536)
	max = 65536;
    for (fd = 3; fd < max; fd++) {
	for (i = 0; i < count; i++)
	    if (keep[i] == fd)
		break;
	if (i == count)
	    (void) close(fd);
    }
}

/* pop3d_proc_name - what ps shows */

void    pop3d_proc_name(const char *name)
{
    (void) prctl(PR_SET_NAME, name, 0, 0, 0);
}

/* pop3d_error - a -ERR reply counted against $pop3d_hard_error_limit */

int     pop3d_error(struct vstream *stream, long *errors, const char *text)
{
    if (pop3d_reply(stream, "-ERR %s", text) < 0)
	return (-1);
    if (++*errors >= var_pop3d_hard_erlim) {
	(void) pop3d_reply(stream, "-ERR too many errors, closing connection");
	return (-1);
    }
    return (0);
}
