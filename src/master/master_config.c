/*++
/* NAME
/*	master_config 3
/* SUMMARY
/*	master: read and check main.cf and master.cf
/* SYNOPSIS
/*	#include "master.h"
/*
/*	int	master_config_read(config_dir, list_r, why)
/*	const char *config_dir;
/*	struct master_ent **list_r;
/*	struct vstring *why;
/*
/*	int	master_config_check(config_dir, why)
/*	const char *config_dir;
/*	struct vstring *why;
/*
/*	void	master_logging()
/* DESCRIPTION
/*	master_config_read() reads config_dir/main.cf into this process
/*	(mail_conf_read, mail_conf_eval), checks mail_owner (it must exist
/*	and not be root), and parses config_dir/master.cf into *list_r.
/*
/*	master_config_check() does the same in a short-lived child
/*	process and only reports the outcome, so that master's own
/*	configuration is untouched when the files are broken: a reload
/*	checks first and changes nothing when the check fails.
/*
/*	master_logging() points master's logging where main.cf says: the
/*	log service socket ($queue_directory/public/dromlog) when
/*	maillog_file is set, syslog otherwise. When the log socket cannot
/*	be used master falls back to syslog and says so.
/* DIAGNOSTICS
/*	master_config_read() and master_config_check() return 0, or -1
/*	with the one-line reason (naming file and line) in why.
/*--*/
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <vstring.h>

#include <mail_conf.h>
#include <mail_log.h>
#include <mail_params.h>
#include <master_conf.h>

#include "master.h"
#include "master_proto.h"

#define MASTER_CHECK_MAX	4000	/* longest reason from a check */

int     master_config_read(const char *config_dir, struct master_ent **list_r,
			           struct vstring *why)
{
    struct passwd *pw;
    struct vstring *path;
    int     ret;

    *list_r = 0;
    if (mail_conf_read(config_dir, why) < 0 || mail_conf_eval(why) < 0)
	return (-1);
    if ((pw = getpwnam(var_mail_owner)) == 0) {
	vstring_sprintf(why, "%s: unknown user: %s (run post-install)",
			VAR_MAIL_OWNER, var_mail_owner);
	return (-1);
    }
    if (pw->pw_uid == 0) {
	vstring_sprintf(why, "%s: %s has uid 0; it must be an unprivileged "
			"account", VAR_MAIL_OWNER, var_mail_owner);
	return (-1);
    }
    path = vstring_alloc(100);
    vstring_sprintf(path, "%s/master.cf", config_dir);
    ret = master_conf_read(vstring_str(path), list_r, why);
    vstring_free(&path);
    return (ret);
}

int     master_config_check(const char *config_dir, struct vstring *why)
{
    struct master_ent *list;
    int     fds[2];
    pid_t   pid;
    int     status;
    char    buf[MASTER_CHECK_MAX];
    size_t  len = 0;
    ssize_t n;

    if (pipe2(fds, O_CLOEXEC) < 0) {
	vstring_sprintf(why, "pipe: %s", strerror(errno));
	return (-1);
    }
    if ((pid = fork()) < 0) {
	vstring_sprintf(why, "fork: %s", strerror(errno));
	(void) close(fds[0]);
	(void) close(fds[1]);
	return (-1);
    }
    if (pid == 0) {
	/* The checker: silent, reports through the pipe. */
	(void) close(fds[0]);
	msg_stderr_init(0, 0);
	msg_syslog_close();
	msg_logd_close();
	if (master_config_read(config_dir, &list, why) < 0) {
	    if (write(fds[1], vstring_str(why), vstring_len(why)) < 0) {
		/* The parent sees an empty reason. */
	    }
	    _exit(1);
	}
	_exit(0);
    }
    (void) close(fds[1]);
    for (;;) {
	n = read(fds[0], buf + len, sizeof(buf) - 1 - len);
	if (n < 0 && errno == EINTR)
	    continue;
	if (n <= 0)
	    break;
	len += (size_t) n;
	if (len >= sizeof(buf) - 1)
	    break;
    }
    (void) close(fds[0]);
    while (waitpid(pid, &status, 0) < 0) {
	if (errno != EINTR) {
	    vstring_sprintf(why, "waitpid: %s", strerror(errno));
	    return (-1);
	}
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
	return (0);
    if (len > 0)
	vstring_memcpy(why, buf, len);
    else
	vstring_sprintf(why, "configuration check process failed (status 0x%x)",
			(unsigned) status);
    return (-1);
}

void    master_logging(void)
{
    struct vstring *why = vstring_alloc(100);

    switch (mail_log_open(master_queue_dir, why)) {
    case MAIL_LOG_FALLBACK:
	msg_warn("%s is set but the log service is not available (%s): "
		 "logging to syslog; is the %s service in master.cf?",
		 VAR_MAILLOG_FILE, vstring_str(why), MAIL_LOG_SERVICE);
	break;
    case MAIL_LOG_BADFAC:
	msg_warn("%s; using %s", vstring_str(why), DEF_SYSLOG_FACILITY);
	break;
    }
    vstring_free(&why);
}
