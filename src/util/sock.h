#ifndef SOCK_H
#define SOCK_H
/*++
/* NAME
/*	sock 3h
/* SUMMARY
/*	sockets: listen, connect, descriptor flags and passing
/* SYNOPSIS
/*	#include <sock.h>
/* DESCRIPTION
/*	inet_listen(addr, backlog, fds_r, max, why) opens listening TCP
/*	sockets for addr, which is "host:port", "[v6addr]:port", ":port"
/*	or "port" (all addresses: one IPv4 and one IPv6 socket, the IPv6 one
/*	with IPV6_V6ONLY). host may be a name or a numeric address; a name
/*	gives one socket per address it resolves to. SO_REUSEADDR is set.
/*	It fills at most max descriptors in fds_r and returns their count,
/*	or -1 with a reason. inet_parse(addr, host_r, port_r, why) splits
/*	addr without opening anything (used by config checks).
/*	unix_listen(path, backlog, mode, why) removes a stale socket file,
/*	binds and listens on a stream socket, and chmods it to mode.
/*	unix_dgram_listen(path, mode, why) binds a datagram socket.
/*	fifo_listen(path, mode, why) makes (if needed) and opens a FIFO
/*	read-write and non-blocking.
/*	unix_connect(path, nonblock, why) connects a stream socket;
/*	inet_connect(host, port, timeout_ms, why) connects TCP (tests and
/*	clients).
/*	non_blocking(fd, on) and close_on_exec(fd, on) set descriptor flags
/*	and return the previous state or -1.
/*	fd_send(sock, fd) and fd_recv(sock) pass one descriptor over a Unix
/*	stream socket (SCM_RIGHTS); -1 on failure.
/*	sock_peer_str(fd, buf) describes the peer address ("127.0.0.1:4711",
/*	"[::1]:4711" or "unix").
/*	All descriptors are opened close-on-exec.
/* DIAGNOSTICS
/*	Return values and why; no logging.
/*--*/
struct vstring;

extern int inet_listen(const char *, int, int *, int, struct vstring *);
extern int inet_parse(const char *, struct vstring *, struct vstring *, struct vstring *);
extern int unix_listen(const char *, int, int, struct vstring *);
extern int unix_dgram_listen(const char *, int, struct vstring *);
extern int fifo_listen(const char *, int, struct vstring *);
extern int unix_connect(const char *, int, struct vstring *);
extern int inet_connect(const char *, const char *, int, struct vstring *);
extern int non_blocking(int, int);
extern int close_on_exec(int, int);
extern int fd_send(int, int);
extern int fd_recv(int);
extern const char *sock_peer_str(int, struct vstring *);

#endif
