#ifndef MAIL_LOG_H
#define MAIL_LOG_H
/*++
/* NAME
/*	mail_log 3h
/* SUMMARY
/*	connect a program's log output as main.cf says
/* SYNOPSIS
/*	#include <mail_log.h>
/* DESCRIPTION
/*	mail_log_open(queue_dir, why) sets the syslog name and host name
/*	of log records from syslog_name and myhostname, then connects the
/*	log sinks: with maillog_file set, the log service's socket
/*	queue_dir/MAIL_LOG_DIR/MAIL_LOG_SERVICE (call this before chroot);
/*	otherwise, or when that socket does not answer, syslog(3) with
/*	syslog_facility. It returns MAIL_LOG_LOGD, MAIL_LOG_SYSLOG,
/*	MAIL_LOG_FALLBACK (maillog_file is set but the log service did not
/*	answer; why says why, and syslog is used), or MAIL_LOG_BADFAC
/*	(syslog_facility is unknown; why says so, and the default facility
/*	is used). The caller decides whether that is a warning or fatal.
/*	mail_log_socket(buf, queue_dir) sets buf to the socket's path.
/* DIAGNOSTICS
/*	See the return values.
/*--*/
struct vstring;

#define MAIL_LOG_SERVICE	"dromlog"	/* its name in master.cf */
#define MAIL_LOG_DIR		"public"	/* its socket's folder */

#define MAIL_LOG_LOGD		0
#define MAIL_LOG_SYSLOG		1
#define MAIL_LOG_FALLBACK	2
#define MAIL_LOG_BADFAC		(-1)

extern int mail_log_open(const char *, struct vstring *);
extern const char *mail_log_socket(struct vstring *, const char *);

#endif
