#ifndef MSG_H
#define MSG_H
/*++
/* NAME
/*	msg 3h
/* SUMMARY
/*	logging: info, warn, error, fatal, panic
/* SYNOPSIS
/*	#include <msg.h>
/* DESCRIPTION
/*	Every program logs through these functions. A record has Postfix's
/*	shape, so log analysers such as pflogsumm read it:
/*
/*	Mon DD HH:MM:SS host syslog_name/progname[pid]: severity: text
/*
/*	where severity is absent for info and is "warning", "error",
/*	"fatal" or "panic" otherwise. Control characters in the text are
/*	replaced with '?', so a client cannot forge log lines.
/*
/*	Records go to any combination of three sinks:
/* .IP stderr
/*	msg_stderr_init(enable, full): full = 0 prints "progname: severity:
/*	text" (interactive commands), full = 1 the whole record (daemons in
/*	the foreground, tests).
/* .IP syslog
/*	msg_syslog_init(facility, why) calls openlog() with LOG_NDELAY, so
/*	it connects before a chroot.
/* .IP logd
/*	msg_logd_init(path, why) connects a datagram socket to the dromos
/*	log service (normally $queue_directory/public/dromlog) and sends
/*	each record there. Call it before chroot. When the socket's queue
/*	is full (the kernel queues few datagrams: net.unix.max_dgram_qlen)
/*	the sender waits for logd, up to 5 seconds a record. When a send
/*	fails, the record goes to stderr and syslog instead, preceded once
/*	by a warning that says so; nothing is lost silently.
/* .PP
/*	msg_init() sets the program name (default: basename of argv[0]).
/*	msg_set_syslog_name() sets the "dromos" part; msg_set_hostname()
/*	the host (first label is used). msg_verbose counts -v options.
/*	msg_fatal() runs the cleanup hook (msg_cleanup()), logs, and exits
/*	with msg_fatal_status() (default 1); msg_panic() aborts.
/*	msg_error() logs at error level and returns.
/*	msg_info_log() logs at info level to syslog and logd only, never
/*	to stderr (a command's record of what it did, beside what it
/*	prints for the person who ran it).
/*	msg_format_record() formats a record into buf (for tests and logd).
/* DIAGNOSTICS
/*	None: logging cannot fail visibly, it falls back instead.
/*--*/
#include <stdarg.h>
#include <stddef.h>

struct vstring;

extern int msg_verbose;

extern void msg_init(const char *);
extern const char *msg_progname(void);
extern void msg_set_syslog_name(const char *);
extern const char *msg_syslog_name(void);
extern void msg_set_hostname(const char *);
extern void msg_stderr_init(int, int);
extern int msg_syslog_init(const char *, struct vstring *);
extern void msg_syslog_close(void);
extern int msg_logd_init(const char *, struct vstring *);
extern void msg_logd_close(void);
extern int msg_logd_fd(void);
extern void msg_fatal_status(int);
extern void msg_cleanup(void (*) (void));
extern size_t msg_format_record(char *, size_t, const char *, const char *);

extern void msg_info(const char *,...) __attribute__((format(printf, 1, 2)));
extern void msg_info_log(const char *,...) __attribute__((format(printf, 1, 2)));
extern void msg_warn(const char *,...) __attribute__((format(printf, 1, 2)));
extern void msg_error(const char *,...) __attribute__((format(printf, 1, 2)));
extern void msg_fatal(const char *,...)
	__attribute__((format(printf, 1, 2), noreturn));
extern void msg_panic(const char *,...)
	__attribute__((format(printf, 1, 2), noreturn));
extern void msg_vlog(int, const char *, va_list) __attribute__((format(printf, 2, 0)));

#define MSG_INFO	0
#define MSG_WARN	1
#define MSG_ERROR	2
#define MSG_FATAL	3
#define MSG_PANIC	4

#endif
