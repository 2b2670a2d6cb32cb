/*++
/* NAME
/*	mail_params 3
/* SUMMARY
/*	the parameter table: every configuration parameter, in one place
/* SYNOPSIS
/*	#include <mail_params.h>
/*
/*	const struct mail_param mail_param_table[];
/*
/*	const struct mail_param *mail_param_find(name)
/*	const char *name;
/*
/*	const char *mail_param_type_name(type)
/*	int	type;
/*
/*	const char *mail_param_default(row, buf)
/*	const struct mail_param *row;
/*	struct vstring *buf;
/* DESCRIPTION
/*	See mail_params.h. This file defines the var_ variables and the
/*	table that describes them; mail_conf_eval() fills the variables.
/*	The table is sorted by name (dromconf and the generated
/*	html/parameters.html list it in this order).
/*
/*	Computed defaults:
/* .IP myhostname
/*	the system's host name (gethostname(2)). When it has no dot, the
/*	canonical name from getaddrinfo(3) with AI_CANONNAME is used if
/*	that has a dot; otherwise ".localdomain" is appended to the bare
/*	name, so myhostname always looks fully qualified. The result is
/*	folded to lower case and computed once per process.
/* .IP mydomain
/*	myhostname without its first label; "localdomain" when nothing is
/*	left. (In effect, mail_conf derives mydomain from the myhostname
/*	value in effect, not from this built-in one.)
/* DIAGNOSTICS
/*	None. A failing gethostname() gives "localhost.localdomain".
/*--*/
#include <sys/types.h>
#include <sys/socket.h>
#include <ctype.h>
#include <netdb.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <mail_params.h>

char   *var_config_dir;
char   *var_queue_dir;
char   *var_daemon_dir;
char   *var_command_dir;
char   *var_data_dir;
char   *var_mail_owner;
char   *var_sgid_group;
char   *var_myhostname;
char   *var_mydomain;
char   *var_myorigin;
char   *var_mydest;
char   *var_inet_interfaces;
char   *var_inet_protocols;
char   *var_syslog_name;
char   *var_syslog_facility;
char   *var_maillog_file;
char   *var_maillog_rotate_suffix;
long    var_proc_limit;
long    var_max_use;
long    var_max_idle;
long    var_throttle_min;
long    var_throttle_time;
long    var_daemon_timeout;
char   *var_import_environ;
int     var_chroot_refresh;

#define STR(name, def, flags, descr, var) \
	{ name, MAIL_PARAM_STR, def, 0, 0, flags, descr, var }
#define INT(name, def, min, max, descr, var) \
	{ name, MAIL_PARAM_INT, def, min, max, 0, descr, var }
#define TIME(name, def, min, max, descr, var) \
	{ name, MAIL_PARAM_TIME, def, min, max, 0, descr, var }

#define DAY	86400L
#define WEEK	(7 * DAY)

const struct mail_param mail_param_table[] = {
    {VAR_CHROOT_REFRESH, MAIL_PARAM_BOOL, DEF_CHROOT_REFRESH, 0, 0, 0,
	"Whether dromos start first copies the chroot's etc/ files (resolv.conf, hosts, ...) from the system.",
    &var_chroot_refresh},
    STR(VAR_COMMAND_DIR, DEF_COMMAND_DIR, MAIL_PARAM_F_BUILD,
	"The folder with the administrator commands (dromos, dromconf).",
	&var_command_dir),
    STR(VAR_CONFIG_DIR, DEF_CONFIG_DIR, MAIL_PARAM_F_BUILD,
	"The folder with main.cf and master.cf: the -c option or MAIL_CONFIG when given.",
	&var_config_dir),
    STR(VAR_DAEMON_DIR, DEF_DAEMON_DIR, MAIL_PARAM_F_BUILD,
	"The folder with the daemon programs that master runs.",
	&var_daemon_dir),
    TIME(VAR_DAEMON_TIMEOUT, DEF_DAEMON_TIMEOUT, 1, WEEK,
	 "How long a daemon may take to handle one request before it is killed.",
	 &var_daemon_timeout),
    STR(VAR_DATA_DIR, DEF_DATA_DIR, MAIL_PARAM_F_BUILD,
	"The folder, owned by mail_owner, with data that must survive restarts.",
	&var_data_dir),
    INT(VAR_PROC_LIMIT, DEF_PROC_LIMIT, 1, 100000,
	"The most processes of one service at once, where master.cf says \"-\".",
	&var_proc_limit),
    STR(VAR_IMPORT_ENVIRON, DEF_IMPORT_ENVIRON, 0,
	"Environment variables that master passes on to the daemons it starts.",
	&var_import_environ),
    STR(VAR_INET_INTERFACES, DEF_INET_INTERFACES, 0,
	"The addresses inet services listen on: all, loopback-only, or a list.",
	&var_inet_interfaces),
    STR(VAR_INET_PROTOCOLS, DEF_INET_PROTOCOLS, 0,
	"The IP versions to use: all, ipv4 or ipv6.",
	&var_inet_protocols),
    STR(VAR_MAIL_OWNER, DEF_MAIL_OWNER, 0,
	"The account that owns the queue and runs the unprivileged daemons; never root.",
	&var_mail_owner),
    STR(VAR_MAILLOG_FILE, DEF_MAILLOG_FILE, 0,
	"The file that logd writes the log to; empty: log through syslog(3).",
	&var_maillog_file),
    STR(VAR_MAILLOG_ROTATE_SUFFIX, DEF_MAILLOG_ROTATE_SUFFIX, 0,
	"The strftime(3) suffix that dromos logrotate gives the old log file.",
	&var_maillog_rotate_suffix),
    TIME(VAR_MAX_IDLE, DEF_MAX_IDLE, 1, DAY,
	 "How long an idle daemon process waits for a client before it exits.",
	 &var_max_idle),
    INT(VAR_MAX_USE, DEF_MAX_USE, 1, 1000000,
	"How many clients a daemon process serves before it exits.",
	&var_max_use),
    STR(VAR_MYDEST, DEF_MYDEST, 0,
	"The domains this host delivers locally; mail for others is relayed.",
	&var_mydest),
    STR(VAR_MYDOMAIN, "", MAIL_PARAM_F_COMPUTED,
	"This host's domain: myhostname without its first label, or localdomain.",
	&var_mydomain),
    STR(VAR_MYHOSTNAME, "", MAIL_PARAM_F_COMPUTED,
	"This host's fully-qualified name: the system host name, made fully qualified.",
	&var_myhostname),
    STR(VAR_MYORIGIN, DEF_MYORIGIN, 0,
	"The domain that locally posted mail appears to come from.",
	&var_myorigin),
    STR(VAR_QUEUE_DIR, DEF_QUEUE_DIR, MAIL_PARAM_F_BUILD,
	"The folder with the mail queue and the daemons' sockets; the chroot jail.",
	&var_queue_dir),
    TIME(VAR_THROTTLE_MIN, DEF_THROTTLE_MIN, 1, DAY,
	 "How long master waits before restarting a crashed service the first time.",
	 &var_throttle_min),
    TIME(VAR_THROTTLE_TIME, DEF_THROTTLE_TIME, 1, DAY,
	 "The longest wait before restarting a service that keeps crashing.",
	 &var_throttle_time),
    STR(VAR_SGID_GROUP, DEF_SGID_GROUP, 0,
	"The group of the one set-gid submission program and of public/ and maildrop/.",
	&var_sgid_group),
    STR(VAR_SYSLOG_FACILITY, DEF_SYSLOG_FACILITY, 0,
	"The syslog(3) facility used when maillog_file is empty.",
	&var_syslog_facility),
    STR(VAR_SYSLOG_NAME, DEF_SYSLOG_NAME, 0,
	"The name in front of each program name in log records (dromos/smtpd).",
	&var_syslog_name),
    {0},
};

/* mail_param_find - look up a row by name */

const struct mail_param *mail_param_find(const char *name)
{
    const struct mail_param *p;

    for (p = mail_param_table; p->name; p++)
	if (strcmp(p->name, name) == 0)
	    return (p);
    return (0);
}

/* mail_param_type_name - printable type */

const char *mail_param_type_name(int type)
{
    switch (type) {
    case MAIL_PARAM_STR:
	return ("string");
    case MAIL_PARAM_INT:
	return ("integer");
    case MAIL_PARAM_BOOL:
	return ("boolean");
    case MAIL_PARAM_TIME:
	return ("time");
    default:
	return ("unknown");
    }
}

/* mail_param_hostname - compute the default myhostname, once */

static const char *mail_param_hostname(void)
{
    static char *hostname;
    char    name[256];
    struct addrinfo hints;
    struct addrinfo *res = 0;
    struct vstring *buf;
    char   *cp;

    if (hostname)
	return (hostname);
    buf = vstring_alloc(100);
    if (gethostname(name, sizeof(name) - 1) < 0 || name[0] == 0) {
	vstring_strcpy(buf, "localhost");
    } else {
	name[sizeof(name) - 1] = 0;
	vstring_strcpy(buf, name);
    }
    if (strchr(vstring_str(buf), '.') == 0) {
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_CANONNAME;
	if (getaddrinfo(vstring_str(buf), 0, &hints, &res) == 0) {
	    if (res && res->ai_canonname && strchr(res->ai_canonname, '.')
		&& res->ai_canonname[strlen(res->ai_canonname) - 1] != '.')
		vstring_strcpy(buf, res->ai_canonname);
	    freeaddrinfo(res);
	}
	if (strchr(vstring_str(buf), '.') == 0)
	    vstring_appends(buf, ".localdomain");
    }
    for (cp = vstring_str(buf); *cp; cp++)
	*cp = (char) tolower((unsigned char) *cp);
    hostname = vstring_export(&buf);
    return (hostname);
}

/* mail_param_default - the default as text */

const char *mail_param_default(const struct mail_param *p, struct vstring *buf)
{
    const char *host;
    const char *dot;

    if (strcmp(p->name, VAR_MYHOSTNAME) == 0) {
	vstring_strcpy(buf, mail_param_hostname());
    } else if (strcmp(p->name, VAR_MYDOMAIN) == 0) {
	host = mail_param_hostname();
	dot = strchr(host, '.');
	vstring_strcpy(buf, dot && dot[1] ? dot + 1 : "localdomain");
    } else {
	vstring_strcpy(buf, p->defval);
    }
    return (vstring_str(buf));
}
