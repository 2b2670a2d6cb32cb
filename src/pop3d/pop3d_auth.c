/*++
/* NAME
/*	pop3d_auth 3
/* SUMMARY
/*	pop3d's privileged part: credentials, the in-use lock, logins
/* SYNOPSIS
/*	#include "pop3d.h"
/*
/*	int	pop3d_monitor(conn, mon)
/*	struct pop3d_conn *conn;
/*	int	mon;
/*
/*	int	pop3d_sasl_new(conn, why)
/*	struct vstring *why;
/*
/*	void	pop3d_set(member, value)
/*	char	**member;
/*	const char *value;
/* DESCRIPTION
/*	These run in the process master started, as root, never on data
/*	from the network: only on the bounded messages of the login
/*	process (pop3d_login(3)).
/*
/*	pop3d_monitor() answers the login process on the monitor channel
/*	mon until a login succeeds (it returns 0, conn->pw is the account
/*	and conn->lock_fd the in-use lock) or the login process ends or
/*	sends a malformed request (-1). A USER/PASS pair is checked with
/*	dsasl_server_check_pass(), an AUTH exchange driven with
/*	dsasl_server_start() and dsasl_server_step(). The authenticated
/*	name up to an "@" must be a local account other than root. A
/*	failure is logged with the client and the name tried (never the
/*	password), answered after $pop3d_auth_failure_delay, and counted:
/*	the $pop3d_auth_failure_limit-th closes the connection. A mailbox
/*	that another session holds ($data_directory/pop3d/USER.lock, an
/*	exclusive flock held until the session ends) is [IN-USE]. A
/*	success is logged ("login: user=<name>, method=..., client=...")
/*	and the client address recorded for POP-before-SMTP
/*	(pbs_record()).
/*
/*	pop3d_sasl_new() replaces conn->sasl with a fresh SASL context
/*	for the next attempt: 0, or -1 with a reason.
/*
/*	pop3d_set() replaces a string member (value may be null).
/* DIAGNOSTICS
/*	Warnings for failed logins and for problems with SASL, the lock
/*	folder and the POP-before-SMTP table.
/*--*/
#include <sys/file.h>
#include <sys/stat.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <mail_params.h>
#include <mail_server.h>
#include <pop_before_smtp.h>
#include <dsasl.h>

#include "pop3d.h"

/* pop3d_sasl_new - a fresh SASL context for the next attempt */

int     pop3d_sasl_new(struct pop3d_conn *conn, struct vstring *why)
{
    if (conn->sasl)
	dsasl_server_free(&conn->sasl);
    conn->in_exchange = 0;
    conn->sasl = dsasl_server_create("pop", var_myhostname,
				     var_pop3d_sasl_realm,
				     conn->client.laddr, conn->client.lport,
				     conn->client.addr, conn->client.port, why);
    return (conn->sasl ? 0 : -1);
}

/* pop3d_inuse_lock - one session per mailbox; fd, or -1 when in use */

static int pop3d_inuse_lock(const char *user, struct vstring *why)
{
    struct vstring *path = vstring_alloc(100);
    int     fd;

    vstring_sprintf(path, "%s/pop3d", var_data_dir);
    if (mkdir(vstring_str(path), 0700) < 0 && errno != EEXIST) {
	vstring_sprintf(why, "mkdir %s: %m", vstring_str(path));
	vstring_free(&path);
	return (-2);
    }
    vstring_sprintf_append(path, "/%s.lock", user);
    fd = open(vstring_str(path), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	      0600);
    if (fd < 0) {
	vstring_sprintf(why, "open %s: %m", vstring_str(path));
	vstring_free(&path);
	return (-2);
    }
    vstring_free(&path);
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
	(void) close(fd);
	return (-1);
    }
    return (fd);
}

/* pop3d_account - the local account of an authenticated name */

static struct passwd *pop3d_account(const char *sasl_name,
				            struct vstring *why)
{
    struct passwd *pw;
    struct passwd *copy;
    char   *name = mystrdup(sasl_name);
    char   *at;

    if ((at = strchr(name, '@')) != 0)
	*at = 0;
    if (*name == 0 || strchr(name, '/') || (pw = getpwnam(name)) == 0) {
	vstring_sprintf(why, "no local account for %s", sasl_name);
	myfree(name);
	return (0);
    }
    myfree(name);
    if (pw->pw_uid == 0) {
	vstring_sprintf(why, "login as %s (uid 0) refused", pw->pw_name);
	return (0);
    }
    copy = (struct passwd *) mymalloc(sizeof(*copy));
    memset(copy, 0, sizeof(*copy));
    copy->pw_name = mystrdup(pw->pw_name);
    copy->pw_dir = mystrdup(pw->pw_dir);
    copy->pw_uid = pw->pw_uid;
    copy->pw_gid = pw->pw_gid;
    return (copy);
}

/* pop3d_failed - a failed login: log, delay, count */

static int pop3d_failed(struct pop3d_conn *conn, int mon, const char *why)
{
    struct vstring *err = vstring_alloc(100);
    int     code;

    msg_warn("%s: POP3 authentication failed: user=<%s>, method=%s: %s",
	     conn->client.namaddr, conn->attempt ? conn->attempt : "unknown",
	     conn->method ? conn->method : "unknown", why);
    if (var_pop3d_auth_delay > 0)
	sleep((unsigned) var_pop3d_auth_delay);
    code = (++conn->failures >= var_pop3d_auth_limit) ?
	POP3D_FAIL_LIMIT : POP3D_FAIL_AUTH;
    if (pop3d_sasl_new(conn, err) < 0)
	msg_warn("SASL: %s", vstring_str(err));
    vstring_free(&err);
    return (pop3d_answer(mon, POP3D_ANS_FAIL, code));
}

/* pop3d_authenticated - the SASL part said yes: account, lock, record */

static int pop3d_authenticated(struct pop3d_conn *conn, int mon,
			               struct vstring *why)
{
    const char *name = dsasl_server_username(conn->sasl);
    int     fd;

    if (name == 0)
	name = conn->attempt ? conn->attempt : "";
    if ((conn->pw = pop3d_account(name, why)) == 0)
	return (pop3d_failed(conn, mon, vstring_str(why)));
    if ((fd = pop3d_inuse_lock(conn->pw->pw_name, why)) < 0) {
	if (fd == -2)
	    msg_warn("%s: %s", conn->client.namaddr, vstring_str(why));
	else
	    msg_info("%s: user=<%s>: maildrop already in use",
		     conn->client.namaddr, conn->pw->pw_name);
	myfree(conn->pw->pw_name);
	myfree(conn->pw->pw_dir);
	myfree((char *) conn->pw);
	conn->pw = 0;
	if (pop3d_sasl_new(conn, why) < 0)
	    msg_warn("SASL: %s", vstring_str(why));
	return (pop3d_answer(mon, POP3D_ANS_FAIL, fd == -2 ?
			     POP3D_FAIL_TEMP : POP3D_FAIL_INUSE));
    }
    conn->lock_fd = fd;
    msg_info("login: user=<%s>, method=%s, client=%s", conn->pw->pw_name,
	     conn->method, conn->client.namaddr);
    if (strcmp(conn->client.addr, "unknown") != 0
	&& pbs_record(conn->client.addr, time((time_t *) 0), why) < 0)
	msg_warn("%s: POP-before-SMTP: %s", var_pbs_database,
		 vstring_str(why));
    return (pop3d_answer(mon, POP3D_ANS_OK, 0));
}

/* pop3d_result - act on a SASL result */

static int pop3d_result(struct pop3d_conn *conn, int mon, int status,
			        struct vstring *chal, struct vstring *why)
{
    switch (status) {
    case DSASL_OK:
	conn->in_exchange = 0;
	return (pop3d_authenticated(conn, mon, why));
    case DSASL_CONTINUE:
	conn->in_exchange = 1;
	return (pop3d_mon_send(mon, POP3D_ANS_CONT, vstring_str(chal),
			       vstring_len(chal)));
    case DSASL_FAIL:
    case DSASL_BADPROT:
	return (pop3d_failed(conn, mon, vstring_str(why)));
    case DSASL_BADMECH:
	(void) pop3d_sasl_new(conn, why);
	return (pop3d_answer(mon, POP3D_ANS_FAIL, POP3D_FAIL_MECH));
    default:
	msg_warn("%s: SASL: %s", conn->client.namaddr, vstring_str(why));
	(void) pop3d_sasl_new(conn, why);
	return (pop3d_answer(mon, POP3D_ANS_FAIL, POP3D_FAIL_TEMP));
    }
}

/* pop3d_set - replace a string member */

void    pop3d_set(char **member, const char *value)
{
    if (*member)
	myfree(*member);
    *member = value ? mystrdup(value) : 0;
}

/* pop3d_monitor - answer the login process until it is done */

int     pop3d_monitor(struct pop3d_conn *conn, int mon)
{
    struct vstring *req = vstring_alloc(200);
    struct vstring *chal = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    const char *data;
    const char *nul;
    char   *cp;
    size_t  len;
    int     type;
    int     ret = -1;

    while (conn->pw == 0 && (type = pop3d_mon_recv(mon, req, 0)) > 0) {
	mail_server_watchdog();
	data = vstring_str(req) + 1;
	len = vstring_len(req) - 1;
	vstring_truncate(why, 0);
	switch (type) {
	case POP3D_REQ_PASS:
	    if (conn->in_exchange || (nul = memchr(data, 0, len)) == 0)
		goto bad;
	    pop3d_set(&conn->method, "USER");
	    pop3d_set(&conn->attempt, data);
	    ret = pop3d_result(conn, mon,
			       conn->sasl == 0 ? DSASL_TEMP :
			       dsasl_server_check_pass(conn->sasl, data,
						       nul + 1, why),
			       chal, why);
	    break;
	case POP3D_REQ_AUTH:
	    if (conn->in_exchange || (nul = memchr(data, 0, len)) == 0
		|| nul + 1 >= data + len)
		goto bad;
	    pop3d_set(&conn->method, data);
	    for (cp = conn->method; *cp; cp++)
		*cp = toupper((unsigned char) *cp);
	    pop3d_set(&conn->attempt, 0);
	    ret = pop3d_result(conn, mon,
			       conn->sasl == 0 ? DSASL_TEMP :
			       dsasl_server_start(conn->sasl, data,
						  nul[1] == '1' ? nul + 2 : 0,
						  data + len - nul - 2,
						  chal, why),
			       chal, why);
	    break;
	case POP3D_REQ_STEP:
	    if (!conn->in_exchange)
		goto bad;
	    ret = pop3d_result(conn, mon,
			       dsasl_server_step(conn->sasl, data, len,
						 chal, why),
			       chal, why);
	    break;
	case POP3D_REQ_CANCEL:
	    (void) pop3d_sasl_new(conn, why);
	    ret = pop3d_answer(mon, POP3D_ANS_FAIL, POP3D_FAIL_PROT);
	    break;
	default:
	    goto bad;
	}
	memset(vstring_str(req), 0, vstring_len(req));
	if (ret < 0)
	    break;
    }
    vstring_free(&req);
    vstring_free(&chal);
    vstring_free(&why);
    return (conn->pw ? 0 : -1);

bad:
    msg_warn("%s: malformed request from the login process",
	     conn->client.namaddr);
    memset(vstring_str(req), 0, vstring_len(req));
    vstring_free(&req);
    vstring_free(&chal);
    vstring_free(&why);
    return (-1);
}
