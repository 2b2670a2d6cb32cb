/*++
/* NAME
/*	sock 3
/* SUMMARY
/*	sockets: listen, connect, descriptor flags and passing
/* SYNOPSIS
/*	#include <sock.h>
/*
/*	int	inet_listen(addr, backlog, fds_r, max, why)
/*	int	inet_parse(addr, host_r, port_r, why)
/*	int	unix_listen(path, backlog, mode, why)
/*	int	unix_dgram_listen(path, mode, why)
/*	int	fifo_listen(path, mode, why)
/*	int	unix_connect(path, nonblock, why)
/*	int	inet_connect(host, port, timeout_ms, why)
/*	int	non_blocking(fd, on)
/*	int	close_on_exec(fd, on)
/*	int	fd_send(sock, fd)
/*	int	fd_recv(sock)
/*	const char *sock_peer_str(fd, buf)
/* DESCRIPTION
/*	See sock.h. Implementation notes:
/*
/*	inet_parse() accepts "host:port", "[v6addr]:port", ":port" and
/*	"port"; host_r and port_r may be NULL. A bare IPv6 address without
/*	brackets is refused as ambiguous. The port may be a number or a
/*	service name; inet_listen() resolves both with getaddrinfo().
/*	With an empty host, an address family the kernel does not support
/*	(e.g. IPv6 disabled) is skipped, as long as one socket opens.
/*
/*	unix_listen() and unix_dgram_listen() remove an existing socket
/*	file at path, but refuse to remove anything else. They bind with
/*	a umask that already excludes what mode excludes, so the socket
/*	is never more accessible than mode, then chmod() it to mode.
/*
/*	fd_send() sends one data byte along with the descriptor; fd_recv()
/*	receives it with MSG_CMSG_CLOEXEC and refuses truncated control
/*	data (closing whatever arrived).
/* DIAGNOSTICS
/*	Return values and why; no logging. errno is kept where a system
/*	call failed.
/*--*/
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <vstring.h>
#include <sock.h>

/* sock_fail - fill why and return -1 */

static int __attribute__((format(printf, 2, 3)))
sock_fail(struct vstring *why, const char *fmt,...)
{
    va_list ap;
    int     saved_errno = errno;

    if (why) {
	va_start(ap, fmt);
	vstring_reset(why);
	vstring_vsprintf_append(why, fmt, ap);
	va_end(ap);
    }
    errno = saved_errno;
    return (-1);
}

int     inet_parse(const char *addr, struct vstring *host_r,
		           struct vstring *port_r, struct vstring *why)
{
    const char *host = addr;
    size_t  hostlen = 0;
    const char *port = addr;
    const char *cp;

    if (*addr == '[') {
	if ((cp = strchr(addr, ']')) == 0 || cp[1] != ':')
	    return (sock_fail(why, "bad address \"%s\": expected [v6addr]:port",
			      addr));
	host = addr + 1;
	hostlen = (size_t) (cp - host);
	port = cp + 2;
	if (hostlen == 0 || memchr(host, ':', hostlen) == 0)
	    return (sock_fail(why, "bad address \"%s\": bad IPv6 address", addr));
    } else if ((cp = strrchr(addr, ':')) != 0) {
	if (memchr(addr, ':', (size_t) (cp - addr)) != 0)
	    return (sock_fail(why, "bad address \"%s\": put an IPv6 address "
			      "in brackets", addr));
	hostlen = (size_t) (cp - addr);
	port = cp + 1;
    }
    if (*port == 0)
	return (sock_fail(why, "bad address \"%s\": no port", addr));
    if (strpbrk(port, " \t[]:/") != 0)
	return (sock_fail(why, "bad address \"%s\": bad port", addr));
    if (host_r)
	vstring_memcpy(host_r, host, hostlen);
    if (port_r)
	vstring_strcpy(port_r, port);
    return (0);
}

/* inet_listen_one - one listening socket for one address */

static int inet_listen_one(const struct addrinfo *ai, int backlog,
			           struct vstring *why)
{
    int     fd;
    int     on = 1;
    char    host[NI_MAXHOST];
    char    port[NI_MAXSERV];

    if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		     ai->ai_protocol)) < 0)
	return (sock_fail(why, "socket: %s", strerror(errno)));
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0
	|| (ai->ai_family == AF_INET6
	    && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0)) {
	sock_fail(why, "setsockopt: %s", strerror(errno));
	close(fd);
	return (-1);
    }
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, backlog) < 0) {
	int     saved_errno = errno;

	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host),
			port, sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV)) {
	    memcpy(host, "?", 2);
	    memcpy(port, "?", 2);
	}
	errno = saved_errno;
	sock_fail(why, "bind/listen %s%s%s:%s: %s",
		  ai->ai_family == AF_INET6 ? "[" : "", host,
		  ai->ai_family == AF_INET6 ? "]" : "", port, strerror(errno));
	close(fd);
	return (-1);
    }
    return (fd);
}

int     inet_listen(const char *addr, int backlog, int *fds_r, int max,
		            struct vstring *why)
{
    struct vstring *host = vstring_alloc(64);
    struct vstring *port = vstring_alloc(16);
    struct addrinfo hints;
    struct addrinfo *res = 0;
    struct addrinfo *ai;
    int     count = 0;
    int     wildcard;
    int     err;
    int     fd;

    if (inet_parse(addr, host, port, why) < 0) {
	count = -1;
	goto out;
    }
    wildcard = vstring_len(host) == 0;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    if ((err = getaddrinfo(wildcard ? (char *) 0 : vstring_str(host),
			   vstring_str(port), &hints, &res)) != 0) {
	count = sock_fail(why, "%s: %s", addr, gai_strerror(err));
	goto out;
    }
    for (ai = res; ai != 0; ai = ai->ai_next) {
	if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
	    continue;
	if (count >= max) {
	    sock_fail(why, "%s: more than %d addresses", addr, max);
	    goto fail;
	}
	if ((fd = inet_listen_one(ai, backlog, why)) < 0) {
	    if (wildcard && (errno == EAFNOSUPPORT || errno == EADDRNOTAVAIL))
		continue;
	    goto fail;
	}
	fds_r[count++] = fd;
    }
    if (count == 0) {
	if (why && vstring_len(why) == 0)
	    vstring_sprintf(why, "%s: no usable address", addr);
	count = -1;
    }
    goto out;

fail:
    while (count > 0)
	close(fds_r[--count]);
    count = -1;

out:
    if (res)
	freeaddrinfo(res);
    vstring_free(&host);
    vstring_free(&port);
    return (count);
}

/* unix_addr - fill in a sockaddr_un */

static int unix_addr(struct sockaddr_un *sun, const char *path,
		             struct vstring *why)
{
    size_t  len = strlen(path);

    if (len == 0 || len >= sizeof(sun->sun_path))
	return (sock_fail(why, "bad socket path length: \"%s\"", path));
    memset(sun, 0, sizeof(*sun));
    sun->sun_family = AF_UNIX;
    memcpy(sun->sun_path, path, len + 1);
    return (0);
}

/* unix_bind - socket, remove stale file, bind, listen, chmod */

static int unix_bind(const char *path, int type, int backlog, int mode,
		             struct vstring *why)
{
    struct sockaddr_un sun;
    struct stat st;
    mode_t  old_umask;
    int     fd;
    int     ret;

    if (unix_addr(&sun, path, why) < 0)
	return (-1);
    if (lstat(path, &st) == 0) {
	if (!S_ISSOCK(st.st_mode))
	    return (sock_fail(why, "%s exists and is not a socket", path));
	if (unlink(path) < 0 && errno != ENOENT)
	    return (sock_fail(why, "remove %s: %s", path, strerror(errno)));
    }
    if ((fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0)) < 0)
	return (sock_fail(why, "socket: %s", strerror(errno)));
    old_umask = umask(0777 & ~(mode_t) mode);
    ret = bind(fd, (struct sockaddr *) &sun, sizeof(sun));
    umask(old_umask);
    if (ret < 0) {
	sock_fail(why, "bind %s: %s", path, strerror(errno));
	close(fd);
	return (-1);
    }
    if (chmod(path, (mode_t) mode) < 0
	|| (type == SOCK_STREAM && listen(fd, backlog) < 0)) {
	sock_fail(why, "chmod/listen %s: %s", path, strerror(errno));
	close(fd);
	return (-1);
    }
    return (fd);
}

int     unix_listen(const char *path, int backlog, int mode, struct vstring *why)
{
    return (unix_bind(path, SOCK_STREAM, backlog, mode, why));
}

int     unix_dgram_listen(const char *path, int mode, struct vstring *why)
{
    return (unix_bind(path, SOCK_DGRAM, 0, mode, why));
}

int     fifo_listen(const char *path, int mode, struct vstring *why)
{
    struct stat st;
    int     fd;

    if (mkfifo(path, (mode_t) mode) < 0 && errno != EEXIST)
	return (sock_fail(why, "mkfifo %s: %s", path, strerror(errno)));
    if ((fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)) < 0)
	return (sock_fail(why, "open %s: %s", path, strerror(errno)));
    if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
	sock_fail(why, "%s is not a FIFO", path);
	close(fd);
	return (-1);
    }
    if (fchmod(fd, (mode_t) mode) < 0) {
	sock_fail(why, "chmod %s: %s", path, strerror(errno));
	close(fd);
	return (-1);
    }
    return (fd);
}

int     unix_connect(const char *path, int nonblock, struct vstring *why)
{
    struct sockaddr_un sun;
    int     fd;

    if (unix_addr(&sun, path, why) < 0)
	return (-1);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC
		     | (nonblock ? SOCK_NONBLOCK : 0), 0)) < 0)
	return (sock_fail(why, "socket: %s", strerror(errno)));
    while (connect(fd, (struct sockaddr *) &sun, sizeof(sun)) < 0) {
	if (errno == EINTR)
	    continue;
	if (nonblock && errno == EINPROGRESS)
	    break;
	sock_fail(why, "connect to %s: %s", path, strerror(errno));
	close(fd);
	return (-1);
    }
    return (fd);
}

/* inet_connect_one - connect one address within timeout_ms */

static int inet_connect_one(const struct addrinfo *ai, int timeout_ms)
{
    struct pollfd pfd;
    int     fd;
    int     err = 0;
    socklen_t errlen = sizeof(err);
    int     n;

    if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC
		     | SOCK_NONBLOCK, ai->ai_protocol)) < 0)
	return (-1);
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
	if (errno != EINPROGRESS && errno != EINTR) {
	    err = errno;
	} else {
	    pfd.fd = fd;
	    pfd.events = POLLOUT;
	    while ((n = poll(&pfd, 1, timeout_ms > 0 ? timeout_ms : -1)) < 0
		   && errno == EINTR)
		 /* void */ ;
	    if (n == 0)
		err = ETIMEDOUT;
	    else if (n < 0)
		err = errno;
	    else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0)
		err = errno;
	}
    }
    if (err == 0 && non_blocking(fd, 0) < 0)
	err = errno;
    if (err != 0) {
	close(fd);
	errno = err;
	return (-1);
    }
    return (fd);
}

int     inet_connect(const char *host, const char *port, int timeout_ms,
		             struct vstring *why)
{
    struct addrinfo hints;
    struct addrinfo *res;
    struct addrinfo *ai;
    int     err;
    int     fd = -1;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if ((err = getaddrinfo(host, port, &hints, &res)) != 0)
	return (sock_fail(why, "%s:%s: %s", host, port, gai_strerror(err)));
    for (ai = res; ai != 0; ai = ai->ai_next)
	if ((fd = inet_connect_one(ai, timeout_ms)) >= 0)
	    break;
    if (fd < 0)
	sock_fail(why, "connect to %s:%s: %s", host, port, strerror(errno));
    freeaddrinfo(res);
    return (fd);
}

/* sock_fd_flag - set or clear one flag bit; return its old state */

static int sock_fd_flag(int fd, int get_cmd, int set_cmd, int bit, int on)
{
    int     flags;
    int     want;

    if ((flags = fcntl(fd, get_cmd)) < 0)
	return (-1);
    want = on ? (flags | bit) : (flags & ~bit);
    if (want != flags && fcntl(fd, set_cmd, want) < 0)
	return (-1);
    return ((flags & bit) != 0);
}

int     non_blocking(int fd, int on)
{
    return (sock_fd_flag(fd, F_GETFL, F_SETFL, O_NONBLOCK, on));
}

int     close_on_exec(int fd, int on)
{
    return (sock_fd_flag(fd, F_GETFD, F_SETFD, FD_CLOEXEC, on));
}

/* fd_msg_init - a one-byte message with room for control data */

static void fd_msg_init(struct msghdr *msg, struct iovec *iov, char *byte,
			        void *control, size_t control_len)
{
    memset(msg, 0, sizeof(*msg));
    memset(control, 0, control_len);
    iov->iov_base = byte;
    iov->iov_len = 1;
    msg->msg_iov = iov;
    msg->msg_iovlen = 1;
    msg->msg_control = control;
    msg->msg_controllen = control_len;
}

int     fd_send(int sock, int fd)
{
    struct msghdr msg;
    struct iovec iov;
    union {
	struct cmsghdr align;
	char    buf[CMSG_SPACE(sizeof(int))];
    }       control;
    struct cmsghdr *cmsg;
    char    byte = 0;

    fd_msg_init(&msg, &iov, &byte, control.buf, sizeof(control.buf));
    cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    for (;;) {
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) == 1)
	    return (0);
	if (errno != EINTR)
	    return (-1);
    }
}

/* fd_recv_close_all - close every descriptor in a control message */

static void fd_recv_close_all(struct msghdr *msg)
{
    struct cmsghdr *cmsg;
    size_t  i;
    size_t  n;
    int     fd;

    for (cmsg = CMSG_FIRSTHDR(msg); cmsg != 0; cmsg = CMSG_NXTHDR(msg, cmsg)) {
	if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
	    continue;
	n = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	for (i = 0; i < n; i++) {
	    memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
	    close(fd);
	}
    }
}

int     fd_recv(int sock)
{
    struct msghdr msg;
    struct iovec iov;
    union {
	struct cmsghdr align;
	char    buf[CMSG_SPACE(sizeof(int) * 4)];
    }       control;
    struct cmsghdr *cmsg;
    char    byte;
    ssize_t n;
    int     fd;

    fd_msg_init(&msg, &iov, &byte, control.buf, sizeof(control.buf));
    while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
	 /* void */ ;
    if (n <= 0)
	return (-1);
    cmsg = CMSG_FIRSTHDR(&msg);
    if ((msg.msg_flags & MSG_CTRUNC) || cmsg == 0
	|| cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS
	|| cmsg->cmsg_len != CMSG_LEN(sizeof(int))
	|| CMSG_NXTHDR(&msg, cmsg) != 0) {
	fd_recv_close_all(&msg);
	errno = EBADMSG;
	return (-1);
    }
    memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
    return (fd);
}

const char *sock_peer_str(int fd, struct vstring *buf)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    char    addr[INET6_ADDRSTRLEN];

    if (getpeername(fd, (struct sockaddr *) &ss, &len) < 0) {
	vstring_strcpy(buf, "unknown");
    } else if (ss.ss_family == AF_INET) {
	struct sockaddr_in *sin = (struct sockaddr_in *) &ss;

	inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof(addr));
	vstring_sprintf(buf, "%s:%u", addr, (unsigned) ntohs(sin->sin_port));
    } else if (ss.ss_family == AF_INET6) {
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;

	inet_ntop(AF_INET6, &sin6->sin6_addr, addr, sizeof(addr));
	vstring_sprintf(buf, "[%s]:%u", addr, (unsigned) ntohs(sin6->sin6_port));
    } else if (ss.ss_family == AF_UNIX) {
	vstring_strcpy(buf, "unix");
    } else {
	vstring_strcpy(buf, "unknown");
    }
    return (vstring_str(buf));
}
