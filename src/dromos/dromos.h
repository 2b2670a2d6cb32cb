/*++
/* NAME
/*	dromos 3h
/* SUMMARY
/*	dromos command private interface
/* SYNOPSIS
/*	#include "dromos.h"
/* DESCRIPTION
/*	dromos_config_dir is the configuration folder in use.
/*
/*	dromos_check() runs every check of "dromos check" on the loaded
/*	configuration: it reports errors with msg_error() and warnings
/*	with msg_warn(), and returns the number of errors.
/*	dromos_manifest(&list) reads $daemon_directory/dromos-files with
/*	parameter expansion; -1 (reported) on error.
/*	dromos_chroot_refresh() copies each chroot file (manifest flag c)
/*	from the live system when it differs, with the manifest's owner,
/*	group and mode; it returns the number of errors.
/*	dromos_valid_hostname(name) is non-zero for a syntactically valid
/*	domain name.
/*
/*	dromos_pidfile(buf) sets buf to $queue_directory/pid/master.pid.
/*	dromos_master_pid(&pid) returns 1 and the pid when master runs, 0
/*	when it does not; an error is fatal.
/*	dromos_log_open() connects the log sinks (logd when maillog_file
/*	is set and its socket answers, syslog otherwise); msg_info_log()
/*	then writes a record there only, not to stderr.
/*
/*	The commands: dromos_cmd_check(), dromos_cmd_start(),
/*	dromos_cmd_start_fg(), dromos_cmd_stop(), dromos_cmd_reload(),
/*	dromos_cmd_status(), dromos_cmd_flush(), dromos_cmd_logrotate();
/*	each returns the exit
/*	status.
/* DIAGNOSTICS
/*	Through msg(3).
/*--*/
#ifndef DROMOS_H
#define DROMOS_H

#include <sys/types.h>

struct vstring;
struct manifest_ent;

extern const char *dromos_config_dir;

extern int dromos_check(void);
extern int dromos_manifest(struct manifest_ent **);
extern int dromos_chroot_refresh(void);
extern int dromos_valid_hostname(const char *);

extern const char *dromos_pidfile(struct vstring *);
extern int dromos_master_pid(pid_t *);
extern void dromos_log_open(void);

extern int dromos_cmd_check(void);
extern int dromos_cmd_start(void);
extern int dromos_cmd_start_fg(void);
extern int dromos_cmd_stop(void);
extern int dromos_cmd_reload(void);
extern int dromos_cmd_status(void);
extern int dromos_cmd_flush(void);
extern int dromos_cmd_logrotate(void);

#endif
