#ifndef MAIL_SERVER_H
#define MAIL_SERVER_H
/*++
/* NAME
/*	mail_server 3h
/* SUMMARY
/*	server skeletons every dromos daemon is written against
/* SYNOPSIS
/*	#include <mail_server.h>
/*
/*	void	single_server_main(argc, argv, service, key, value, ...,
/*				MAIL_SERVER_END)
/*
/*	void	dgram_server_main(argc, argv, service, key, value, ...,
/*				MAIL_SERVER_END)
/* DESCRIPTION
/*	A daemon is a service function plus hooks, handed to a skeleton.
/*	The skeleton, not the daemon, does everything privileged, in this
/*	order: parse the arguments master passes (below); read main.cf from
/*	the config directory and apply -o overrides (mail_conf_load);
/*	set up logging (logd socket $queue_directory/public/dromlog when
/*	maillog_file is set, syslog otherwise, stderr as well with -f) --
/*	connected before chroot; run the PRE_INIT hook (still root: open
/*	files, load keys); chdir to queue_directory; chroot there when
/*	master.cf says so (-r); drop to mail_owner's uid, gid and groups
/*	when master.cf says unprivileged (-u), verifying that the drop
/*	cannot be undone; run the POST_INIT hook; then serve.
/*
/*	single_server_main() accepts one connection at a time on the
/*	listening socket(s) master passed, calls service(stream, service
/*	name, argv) with a vstream on the connection (closed by the skeleton
/*	after the call), and tells master it is busy or available again.
/*	It exits after $max_use connections, after $max_idle seconds
/*	without one, when master goes away, or on SIGTERM. For type pass,
/*	each accepted connection carries one client descriptor (SCM_RIGHTS)
/*	and that descriptor is what the service gets.
/*
/*	dgram_server_main() reads datagrams from the unix-dgram or fifo
/*	descriptor and calls the DGRAM service, void fn(const char *buf,
/*	size_t len, const char *service, char **argv), for each; it exits on
/*	SIGTERM or when master goes away. A wakeup trigger (master.cf wakeup
/*	column) calls the MAIL_SERVER_WAKEUP hook when one is set.
/*
/*	mail_server_watchdog() restarts the $daemon_timeout watchdog that
/*	single_server_main() starts for each client; a service that serves
/*	many requests on one connection calls it for each request.
/*
/*	Keys (each followed by its value):
/* .IP "MAIL_SERVER_PRE_INIT, void (*)(const char *service, char **argv)"
/*	before chroot and the privilege drop.
/* .IP "MAIL_SERVER_POST_INIT, void (*)(const char *service, char **argv)"
/*	after them.
/* .IP "MAIL_SERVER_PRE_ACCEPT, void (*)(const char *service, char **argv)"
/*	before each accept (e.g. to notice changed tables).
/* .IP "MAIL_SERVER_EXIT, void (*)(void)"
/*	just before a normal exit.
/* .IP "MAIL_SERVER_WAKEUP, void (*)(const char *service, char **argv)"
/*	on each wakeup trigger.
/* .IP "MAIL_SERVER_HUP, void (*)(void)"
/*	on SIGHUP (e.g. logd reopens its file).
/* .IP "MAIL_SERVER_BATCH_END, void (*)(void)"
/*	dgram_server only: after the datagrams that one readiness event
/*	found (at most 256) have gone to the service, and before an exit;
/*	a service that gathers output per datagram writes it out here.
/* .IP "MAIL_SERVER_STOP, int (*)(void)"
/*	dgram_server only: the process was told to stop (master closed
/*	the status pipe, or SIGTERM) and has work in progress to finish
/*	(qmgr: deliveries whose results are not recorded yet). The
/*	skeleton stops reading its sockets, so the datagrams still queued
/*	are left to the service's next process instead of being served,
/*	then calls the hook and runs the event loop for as long as it
/*	returns non-zero; the hook bounds that time itself. A second
/*	SIGTERM meanwhile ends the process at once (EXIT hook, exit).
/* .IP "MAIL_SERVER_PRIVILEGED, (no value... pass 0)"
/*	the daemon needs root after init (local, pop3d): the skeleton does
/*	not drop privileges even when master.cf says unprivileged, and
/*	refuses a chroot; the daemon switches to each user itself.
/* .PP
/*	Arguments master passes (also usable by hand for debugging):
/*	-c config_dir, -n service name, -t transport type (inet, unix,
/*	unix-dgram, fifo, pass), -s count of listening descriptors
/*	(starting at MASTER_LISTEN_FD), -u (drop privileges), -r (chroot),
/*	-o name=value (repeatable), -f (foreground: log to stderr too),
/*	-v (verbose, repeatable). Remaining arguments go to argv. Without
/*	master (no MASTER_STATUS_FD open) the skeleton refuses to start
/*	unless -S (stand-alone, serving stdin/stdout once) is given.
/*
/*	Descriptors from master: MASTER_STATUS_FD is the write end of a
/*	pipe on which the child reports its state; MASTER_LISTEN_FD and up
/*	are the listening sockets. The status record and the master side
/*	are described in src/master/master_proto.h.
/* DIAGNOSTICS
/*	Fatal: bad arguments, configuration errors, a failed chroot or
/*	privilege drop.
/*--*/
#include <stddef.h>

struct vstream;

#define MASTER_STATUS_FD	3
#define MASTER_LISTEN_FD	4

#define MAIL_SERVER_END		0
#define MAIL_SERVER_PRE_INIT	1
#define MAIL_SERVER_POST_INIT	2
#define MAIL_SERVER_PRE_ACCEPT	3
#define MAIL_SERVER_EXIT	4
#define MAIL_SERVER_WAKEUP	5
#define MAIL_SERVER_HUP		6
#define MAIL_SERVER_PRIVILEGED	7
#define MAIL_SERVER_CONNECT	8	/* multi_server: a new connection */
#define MAIL_SERVER_BATCH_END	9	/* dgram_server: after a batch */
#define MAIL_SERVER_STOP	10	/* dgram_server: finish, then exit */

typedef void (*mail_server_stream_fn) (struct vstream *, const char *, char **);
typedef void (*mail_server_dgram_fn) (const char *, size_t, const char *, char **);
typedef void (*mail_server_init_fn) (const char *, char **);
typedef void (*mail_server_void_fn) (void);
typedef int (*mail_server_stop_fn) (void);
typedef int (*mail_server_multi_fn) (struct vstream *, const char *, char **);

extern void single_server_main(int, char **, mail_server_stream_fn,...)
	__attribute__((noreturn));
extern void dgram_server_main(int, char **, mail_server_dgram_fn,...)
	__attribute__((noreturn));
extern void multi_server_main(int, char **, mail_server_multi_fn,...)
	__attribute__((noreturn));
extern void mail_server_watchdog(void);

#endif
