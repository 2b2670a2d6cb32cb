/*++
/* NAME
/*	dromos_logrotate 3
/* SUMMARY
/*	dromos logrotate: rename maillog_file, start a new one
/* SYNOPSIS
/*	#include "dromos.h"
/*
/*	int	dromos_cmd_logrotate(void)
/* DESCRIPTION
/*	Renames maillog_file to FILE.SUFFIX (SUFFIX: the local time through
/*	strftime(3) and maillog_file_rotate_suffix), creates a new empty
/*	FILE owned by mail_owner (its primary group) with mode 0600, so
/*	that logd(8) can open it after dropping privileges, and sends
/*	SIGHUP to master when it runs. logd writes to the renamed file
/*	until it switches, so no record is lost.
/* DIAGNOSTICS
/*	Errors: maillog_file empty, not a regular file, the new name
/*	already taken, mail_owner unknown, a failed rename or create.
/*--*/
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <vstring.h>

#include <mail_params.h>

#include "dromos.h"

#define DROMOS_SUFFIX_MAX	200

/* dromos_suffix - strftime with the configured format */

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

static size_t dromos_suffix(char *buf, size_t len, const struct tm *tm)
{
    /* The format comes from main.cf, which root owns. */
    return (strftime(buf, len, var_maillog_rotate_suffix, tm));
}

#pragma GCC diagnostic pop

int     dromos_cmd_logrotate(void)
{
    struct vstring *rotated;
    struct passwd *pw;
    struct stat st;
    struct tm tm;
    char    suffix[DROMOS_SUFFIX_MAX];
    time_t  now;
    pid_t   pid;
    int     fd;

    if (*var_maillog_file == 0) {
	msg_error("logrotate: maillog_file is not set");
	return (1);
    }
    if (var_maillog_file[0] != '/') {
	msg_error("logrotate: maillog_file is not an absolute path: %s",
		  var_maillog_file);
	return (1);
    }
    if (lstat(var_maillog_file, &st) < 0) {
	msg_error("logrotate: %s: %s", var_maillog_file, strerror(errno));
	return (1);
    }
    if (!S_ISREG(st.st_mode)) {
	msg_error("logrotate: %s is not a regular file", var_maillog_file);
	return (1);
    }
    if ((pw = getpwnam(var_mail_owner)) == 0 || pw->pw_uid == 0) {
	msg_error("logrotate: mail_owner %s: %s", var_mail_owner,
		  pw ? "must not be root" : "no such user");
	return (1);
    }
    now = time((time_t *) 0);
    if (localtime_r(&now, &tm) == 0
	|| dromos_suffix(suffix, sizeof(suffix), &tm) == 0
	|| strchr(suffix, '/') != 0) {
	msg_error("logrotate: maillog_file_rotate_suffix \"%s\" gives an "
		  "empty, over-long or slashed suffix",
		  var_maillog_rotate_suffix);
	return (1);
    }
    rotated = vstring_alloc(100);
    vstring_sprintf(rotated, "%s.%s", var_maillog_file, suffix);
    if (lstat(vstring_str(rotated), &st) == 0 || errno != ENOENT) {
	msg_error("logrotate: %s already exists", vstring_str(rotated));
	vstring_free(&rotated);
	return (1);
    }
    dromos_log_open();
    if (rename(var_maillog_file, vstring_str(rotated)) < 0) {
	msg_error("logrotate: rename %s to %s: %s", var_maillog_file,
		  vstring_str(rotated), strerror(errno));
	vstring_free(&rotated);
	return (1);
    }

    /*
     * logd may have made the file already (when it may create files
     * there); either way it ends up ours, empty, and for mail_owner.
     */
    if ((fd = open(var_maillog_file, O_WRONLY | O_CREAT | O_NOFOLLOW
		   | O_CLOEXEC | O_NOCTTY, 0600)) < 0) {
	msg_error("logrotate: create %s: %s", var_maillog_file,
		  strerror(errno));
	vstring_free(&rotated);
	return (1);
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)
	|| fchown(fd, pw->pw_uid, pw->pw_gid) < 0 || fchmod(fd, 0600) < 0) {
	msg_error("logrotate: %s: %s", var_maillog_file, S_ISREG(st.st_mode) ?
		  strerror(errno) : "not a regular file");
	(void) close(fd);
	vstring_free(&rotated);
	return (1);
    }
    (void) close(fd);
    msg_info("rotated %s to %s", var_maillog_file, vstring_str(rotated));
    if (dromos_master_pid(&pid) == 1) {
	msg_info("refreshing the dromos mail system");
	if (kill(pid, SIGHUP) < 0)
	    msg_warn("kill master (pid %ld): %s", (long) pid, strerror(errno));
    } else {
	msg_info("the dromos mail system is not running; the new file is "
		 "used at the next start");
    }
    vstring_free(&rotated);
    return (0);
}
