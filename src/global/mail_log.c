/*++
/* NAME
/*	mail_log 3
/* SUMMARY
/*	connect a program's log output as main.cf says
/* SYNOPSIS
/*	#include <mail_log.h>
/* DESCRIPTION
/*	See mail_log.h. master, the server skeletons and the dromos command
/*	all set up logging here, so they agree on the socket and the
/*	fallback rules.
/* DIAGNOSTICS
/*	Return values and why.
/*--*/
#include <msg.h>
#include <vstring.h>

#include <mail_params.h>
#include <mail_log.h>

const char *mail_log_socket(struct vstring *buf, const char *queue_dir)
{
    vstring_sprintf(buf, "%s/%s/%s", queue_dir, MAIL_LOG_DIR, MAIL_LOG_SERVICE);
    return (vstring_str(buf));
}

int     mail_log_open(const char *queue_dir, struct vstring *why)
{
    struct vstring *path;
    int     status = MAIL_LOG_SYSLOG;

    msg_set_syslog_name(var_syslog_name);
    msg_set_hostname(var_myhostname);
    vstring_reset(why);
    if (*var_maillog_file) {
	path = vstring_alloc(100);
	status = msg_logd_init(mail_log_socket(path, queue_dir), why) == 0 ?
	    MAIL_LOG_LOGD : MAIL_LOG_FALLBACK;
	vstring_free(&path);
	if (status == MAIL_LOG_LOGD) {
	    msg_syslog_close();
	    return (status);
	}
    } else {
	msg_logd_close();
    }
    if (msg_syslog_init(var_syslog_facility, why) < 0) {
	(void) msg_syslog_init(DEF_SYSLOG_FACILITY, (struct vstring *) 0);
	status = MAIL_LOG_BADFAC;
    }
    return (status);
}
