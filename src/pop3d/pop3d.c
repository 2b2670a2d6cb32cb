/*++
/* NAME
/*	pop3d 8
/* SUMMARY
/*	dromos POP3 server
/* SYNOPSIS
/*	pop3d [generic daemon options]
/* DESCRIPTION
/*	pop3d serves mailboxes over POP3 (RFC 1939) with the extensions of
/*	RFC 2449 (CAPA, response codes), RFC 5034 (SASL AUTH) and RFC 3206
/*	(the [AUTH], [SYS/TEMP] and [IN-USE] codes). master(8) runs it from
/*	the master.cf line
/*
/* .nf
/*	pop3      inet  n  n  n  -  -  pop3d
/* .fi
/*
/*	(port 110; unprivileged "n" and chroot "n" because pop3d does its
/*	own privilege separation, below). One process serves one client at
/*	a time and is reused for up to $max_use clients.
/*
/*	Commands before login (AUTHORIZATION state): CAPA, USER name, PASS
/*	password (the rest of the line, spaces included), AUTH mechanism
/*	[initial-response] (and AUTH alone, which lists the mechanisms),
/*	QUIT. After login (TRANSACTION state): STAT, LIST [n], RETR n,
/*	DELE n, NOOP, RSET, TOP n lines, UIDL [n], CAPA, QUIT. Keywords are
/*	not case-sensitive. Deleted messages are removed only after QUIT
/*	(the UPDATE state), never when the connection drops. APOP is not
/*	offered.
/*
/*	CAPA lists TOP, UIDL, RESP-CODES, AUTH-RESP-CODE, PIPELINING,
/*	IMPLEMENTATION $mail_name, and before login USER and SASL with the
/*	mechanisms Cyrus SASL offers with the configured settings.
/*
/*	Replies to look for:
/* .IP "+OK maildrop locked and ready, N messages (M octets)"
/*	a successful PASS or AUTH.
/* .IP "-ERR [AUTH] authentication failed"
/*	a wrong password or an unknown user (not told apart), sent after
/*	$pop3d_auth_failure_delay; at the $pop3d_auth_failure_limit-th
/*	failure "-ERR [AUTH] authentication failed; too many failures,
/*	closing connection" and the connection closes.
/* .IP "-ERR [IN-USE] maildrop already in use"
/*	another session has the mailbox; one session per mailbox.
/* .IP "-ERR [SYS/TEMP] ..."
/*	the password database or the mailbox cannot be read now.
/* .IP "-ERR command not valid in this state"
/*	e.g. STAT before login, USER after it.
/* .IP "-ERR unknown command"
/*	an unknown keyword (also APOP, and LAST, which RFC 1939 dropped).
/* .IP "-ERR syntax error"
/*	a wrong number of arguments, a message number that is not a
/*	number, or a NUL or other control byte in the line.
/* .IP "-ERR no such message"
/*	a message number out of range, or of a deleted message.
/* .IP "-ERR message N already deleted"
/*	DELE of a deleted message.
/* .IP "-ERR invalid base64 data"
/*	a SASL answer (or initial response) that is not base64.
/* .IP "-ERR authentication cancelled"
/*	the client answered a SASL challenge with "*".
/* .IP "-ERR line too long"
/*	a command line longer than 255 octets (RFC 2449); the session
/*	goes on.
/* .IP "-ERR too many errors, closing connection"
/*	after $pop3d_hard_error_limit -ERR replies.
/* .PP
/*	Mailboxes are the ones local(8) delivers to: with home_mailbox
/*	ending in "/", the Maildir ~/$home_mailbox (messages move from
/*	new/ to cur/ with the S flag when retrieved; the unique id UIDL
/*	reports is the file's base name and never changes); otherwise the
/*	mbox ~/$home_mailbox, or $mail_spool_directory/USER when
/*	home_mailbox is empty (read and rewritten under the same fcntl and
/*	dot-lock that local takes; mail that arrives during the session is
/*	kept). Sizes in STAT, LIST and RETR are the exact octets of the
/*	message as sent, CR LF line ends included, without dot-stuffing.
/*
/*	Privilege separation. The process master starts runs as root but
/*	never reads the network. For each client it forks:
/* .IP "the login process (pop3d-login in ps)"
/*	chrooted to $queue_directory/empty and running as
/*	$pop3d_login_user (never root), with no descriptors but the client
/*	and a socket to its parent. It parses every command before login
/*	and decodes SASL data, and passes only credentials (a user name and
/*	password, or the decoded steps of a SASL exchange) to its parent.
/* .IP "the privileged part (the parent, pop3d in ps)"
/*	checks them with Cyrus SASL, delays each failure, counts failures
/*	per connection, logs logins and failures with the client address
/*	(never the password), takes the one-session-per-mailbox lock
/*	($data_directory/pop3d/USER.lock) and records the client address
/*	for POP-before-SMTP.
/* .IP "the session process (pop3d-user in ps)"
/*	started after a successful login: it becomes the mailbox owner
/*	(user and group ids and supplementary groups; never root: a login
/*	as root is refused) and serves the TRANSACTION and UPDATE states.
/*	The one thing it asks its parent for is the dot-lock of an mbox in
/*	a spool folder it cannot write.
/* .PP
/*	Passwords: Cyrus SASL with the settings in
/*	$cyrus_sasl_config_path/$pop3d_sasl_path.conf (default
/*	/etc/dromos/sasl/pop3d.conf): a sasldb2 file made with saslpasswd2
/*	(pwcheck_method: auxprop, auxprop_plugin: sasldb, sasldb_path) or
/*	saslauthd (pwcheck_method: saslauthd). USER/PASS is checked with the
/*	same settings. A login name without "@realm" is in the realm
/*	$pop3d_sasl_local_domain, or $myhostname when that is empty
/*	(saslpasswd2 -u). The authenticated name, up to an "@", must be a
/*	local account: it owns the mailbox.
/*
/*	Setting up a user: the account must exist (it owns the mailbox);
/*	its POP3 password goes into the sasldb, e.g. "saslpasswd2 -f
/*	/etc/dromos/sasl/sasldb2 -c -u $myhostname alice" (the file mode
/*	0600, owner root). A user who never had mail has an empty mailbox.
/*
/*	POP-before-SMTP: after each successful login the client address
/*	(IPv4 or IPv6) is recorded in $pop_before_smtp_database with an
/*	expiry $pop_before_smtp_timeout ahead, and expired entries are
/*	purged; smtpd's permit_pop_before_smtp lets that address relay
/*	until then. See roaming.html.
/* CONFIGURATION PARAMETERS
/* .IP pop3d_timeout
/*	idle time before the session is closed (no UPDATE).
/* .IP pop3d_auth_failure_delay
/*	the wait before a failed login is answered.
/* .IP pop3d_auth_failure_limit
/*	failed logins per connection.
/* .IP pop3d_hard_error_limit
/*	-ERR replies per connection.
/* .IP pop3d_login_user
/*	the user of the login process.
/* .IP "cyrus_sasl_config_path, pop3d_sasl_path, pop3d_sasl_local_domain"
/*	the SASL settings file and realm.
/* .IP "home_mailbox, mail_spool_directory"
/*	where the mailboxes are, as for local(8).
/* .IP "pop_before_smtp_database, pop_before_smtp_timeout"
/*	POP-before-SMTP.
/* LOGGING
/*	"connect from name[addr]"; "login: user=<name>, method=USER|PLAIN|
/*	LOGIN|..., client=name[addr]"; "warning: name[addr]: POP3
/*	authentication failed: user=<name>, method=...: reason"; "logout:
/*	user=<name>, client=name[addr], retr=N, top=N, dele=N, left=N";
/*	"disconnect from name[addr]".
/* SEE ALSO
/*	local(8), smtpd(8), master(8), roaming.html
/*--*/
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <mail_params.h>
#include <dot_lock.h>
#include <mail_server.h>
#include <dsasl.h>

#include "pop3d.h"
#include "pop3d_box.h"

#define POP3D_LOCK_STALE	300	/* an mbox dot-lock older than this */
#define POP3D_LOCK_WAIT		20	/* seconds to wait for a dot-lock */

static uid_t pop3d_login_uid;
static gid_t pop3d_login_gid;
static char *pop3d_empty_dir;

/* pop3d_child_signals - a forked process does not share the parent's */

static void pop3d_child_signals(void)
{
    (void) signal(SIGTERM, SIG_DFL);
    (void) signal(SIGHUP, SIG_DFL);
    (void) signal(SIGALRM, SIG_DFL);
    (void) signal(SIGPIPE, SIG_IGN);
}

/* pop3d_become - become uid/gid for good, or die */

static void pop3d_become(const char *who, uid_t uid, gid_t gid)
{
    uid_t   ruid, euid, suid;

    if (uid == 0)
	msg_fatal("refusing to run %s as root", who);
    if (initgroups(who, gid) < 0 && setgroups(1, &gid) < 0)
	msg_fatal("setgroups for %s: %m", who);
    if (setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
	msg_fatal("cannot become %s: %m", who);
    if (setuid(0) == 0 || seteuid(0) == 0
	|| getresuid(&ruid, &euid, &suid) < 0
	|| ruid != uid || euid != uid || suid != uid)
	msg_fatal("privilege drop to %s did not take effect", who);
    (void) prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
}

/* pop3d_fork - a child with its name and only the descriptors it uses */

static pid_t pop3d_fork(const char *name, int client_fd, int mon_fd,
			        int other_fd)
{
    int     keep[3];
    pid_t   pid;

    if ((pid = fork()) != 0)
	return (pid);
    pop3d_child_signals();
    (void) close(other_fd);
    pop3d_proc_name(name);
    keep[0] = client_fd;
    keep[1] = mon_fd;
    keep[2] = msg_logd_fd();
    pop3d_close_fds(keep, 3);
    return (0);
}

/* pop3d_start_login - fork the pre-login process */

static pid_t pop3d_start_login(int client_fd, int mon_fd, int other_fd,
			               const char *mechs)
{
    pid_t   pid;

    if ((pid = pop3d_fork("pop3d-login", client_fd, mon_fd, other_fd)) != 0)
	return (pid);
    if (chdir(pop3d_empty_dir) < 0 || chroot(pop3d_empty_dir) < 0
	|| chdir("/") < 0)
	msg_fatal("chroot %s: %m", pop3d_empty_dir);
    pop3d_become(var_pop3d_login_user, pop3d_login_uid, pop3d_login_gid);
    pop3d_login(client_fd, mon_fd, mechs);
}

/* pop3d_mailbox - where the user's mail is, as local delivers it */

static void pop3d_mailbox(struct pop3d_conn *conn)
{
    struct vstring *path = vstring_alloc(100);

    if (*var_home_mailbox) {
	vstring_sprintf(path, "%s/%s", conn->pw->pw_dir, var_home_mailbox);
	conn->box_format =
	    var_home_mailbox[strlen(var_home_mailbox) - 1] == '/' ?
	    POP3D_BOX_MAILDIR : POP3D_BOX_MBOX;
    } else {
	vstring_sprintf(path, "%s/%s", var_mail_spool_dir, conn->pw->pw_name);
	conn->box_format = POP3D_BOX_MBOX;
    }
    conn->box_path = vstring_export(&path);
}

/* pop3d_dotlock - the mbox dot-lock, made as root for the session */

static int pop3d_dotlock(struct pop3d_conn *conn)
{
    struct vstring *lock = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    int     ret;

    vstring_sprintf(lock, "%s.lock", conn->box_path);
    if ((ret = dot_lock(vstring_str(lock), POP3D_LOCK_WAIT, POP3D_LOCK_STALE,
			(void (*) (void *, int)) 0, (void *) 0, why)) == 0)
	conn->dotlock = vstring_export(&lock);
    else {
	msg_warn("%s: %s", conn->box_path, vstring_str(why));
	vstring_free(&lock);
    }
    vstring_free(&why);
    return (ret);
}

/* pop3d_undotlock - remove the dot-lock we made */

static void pop3d_undotlock(struct pop3d_conn *conn)
{
    if (conn->dotlock) {
	if (unlink(conn->dotlock) < 0 && errno != ENOENT)
	    msg_warn("remove %s: %m", conn->dotlock);
	myfree(conn->dotlock);
	conn->dotlock = 0;
    }
}

/* pop3d_lock_request - the session's dot-lock callback */

static int pop3d_lock_request(void *context, int on)
{
    int     fd = *(int *) context;
    struct vstring *ans = vstring_alloc(10);
    int     type;

    type = (pop3d_mon_send(fd, on ? POP3D_REQ_LOCK : POP3D_REQ_UNLOCK, "", 0)
	    < 0) ? -1 : pop3d_mon_recv(fd, ans, POP3D_LOCK_WAIT + 10);
    vstring_free(&ans);
    return (type == POP3D_ANS_OK ? 0 : -1);
}

/* pop3d_start_session - fork the session process as the user */

static pid_t pop3d_start_session(struct pop3d_conn *conn, int client_fd,
				         int lock_fd, int other_fd)
{
    struct pop3d_box *box;
    struct vstream *client;
    struct vstring *why;
    pid_t   pid;

    if ((pid = pop3d_fork("pop3d-user", client_fd, lock_fd, other_fd)) != 0)
	return (pid);
    pop3d_become(conn->pw->pw_name, conn->pw->pw_uid, conn->pw->pw_gid);
    (void) umask(077);
    if (chdir(conn->pw->pw_dir) < 0 && chdir("/") < 0)
	msg_fatal("chdir /: %m");
    client = vstream_fdopen(client_fd, 0);
    why = vstring_alloc(100);
    box = pop3d_box_open(conn->box_path, conn->box_format,
			 pop3d_lock_request, (void *) &lock_fd, why);
    if (box == 0) {
	msg_warn("%s: user=<%s>: %s", conn->client.namaddr, conn->pw->pw_name,
		 vstring_str(why));
	(void) pop3d_reply(client, "-ERR [SYS/TEMP] cannot open the maildrop "
			   "now, try again later");
	_exit(1);
    }
    (void) pop3d_session(client, box, conn->pw->pw_name, conn->client.namaddr);
    pop3d_box_close(&box);
    (void) vstream_close(&client);
    _exit(0);
}

/* pop3d_serve_locks - the session's dot-lock requests, until it ends */

static void pop3d_serve_locks(struct pop3d_conn *conn, int fd)
{
    struct vstring *req = vstring_alloc(10);
    struct pollfd pfd;
    int     type;
    int     ok;

    for (;;) {
	mail_server_watchdog();
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 60000) == 0)
	    continue;
	if ((type = pop3d_mon_recv(fd, req, 1)) <= 0)
	    break;
	if (type == POP3D_REQ_LOCK && conn->box_format == POP3D_BOX_MBOX
	    && conn->dotlock == 0)
	    ok = (pop3d_dotlock(conn) == 0);
	else if (type == POP3D_REQ_UNLOCK && conn->dotlock)
	    ok = (pop3d_undotlock(conn), 1);
	else
	    ok = 0;
	if (pop3d_answer(fd, ok ? POP3D_ANS_OK : POP3D_ANS_FAIL,
			 ok ? 0 : POP3D_FAIL_TEMP) < 0)
	    break;
    }
    pop3d_undotlock(conn);
    vstring_free(&req);
}

/* pop3d_wait_child - reap one child; its exit status or -1 */

static int pop3d_wait_child(pid_t pid)
{
    int     status;

    while (waitpid(pid, &status, 0) < 0)
	if (errno != EINTR)
	    return (-1);
    return (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* pop3d_conn_free - end of connection */

static void pop3d_conn_free(struct pop3d_conn *conn)
{
    if (conn->sasl)
	dsasl_server_free(&conn->sasl);
    if (conn->lock_fd >= 0)
	(void) close(conn->lock_fd);
    if (conn->pw) {
	myfree(conn->pw->pw_name);
	myfree(conn->pw->pw_dir);
	myfree((char *) conn->pw);
    }
    pop3d_set(&conn->method, 0);
    pop3d_set(&conn->attempt, 0);
    pop3d_set(&conn->box_path, 0);
    peer_info_free(&conn->client);
}

/* pop3d_service - one client */

static void pop3d_service(struct vstream *stream, const char *service,
			          char **argv)
{
    struct pop3d_conn conn;
    struct vstring *why = vstring_alloc(100);
    int     fd = vstream_fileno(stream);
    int     mon[2];
    char   *mechs = 0;
    pid_t   pid;
    int     status;

    memset(&conn, 0, sizeof(conn));
    conn.lock_fd = -1;
    peer_info_get(fd, &conn.client);
    msg_info("connect from %s", conn.client.namaddr);
    if (pop3d_sasl_new(&conn, why) < 0) {
	msg_warn("%s: SASL: %s", conn.client.namaddr, vstring_str(why));
	(void) pop3d_reply(stream, "-ERR [SYS/TEMP] authentication is not "
			   "available now, try again later");
	goto done;
    }
    mechs = mystrdup(dsasl_server_mechs(conn.sasl));
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, mon) < 0) {
	msg_warn("socketpair: %m");
	goto done;
    }
    if ((pid = pop3d_start_login(fd, mon[1], mon[0], mechs)) < 0) {
	msg_warn("fork: %m");
	(void) close(mon[0]);
	(void) close(mon[1]);
	goto done;
    }
    (void) close(mon[1]);
    status = pop3d_monitor(&conn, mon[0]);
    (void) close(mon[0]);
    if (pop3d_wait_child(pid) != 0 || status < 0)
	goto done;
    /* Logged in: the session, as the user. */
    dsasl_server_free(&conn.sasl);
    pop3d_mailbox(&conn);
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, mon) < 0) {
	msg_warn("socketpair: %m");
	goto done;
    }
    if ((pid = pop3d_start_session(&conn, fd, mon[1], mon[0])) < 0) {
	msg_warn("fork: %m");
	(void) close(mon[0]);
	(void) close(mon[1]);
	goto done;
    }
    (void) close(mon[1]);
    pop3d_serve_locks(&conn, mon[0]);
    (void) close(mon[0]);
    (void) pop3d_wait_child(pid);

done:
    msg_info("disconnect from %s", conn.client.namaddr);
    if (mechs)
	myfree(mechs);
    pop3d_conn_free(&conn);
    vstring_free(&why);
}

/* pop3d_pre_init - as root: SASL plugins, the login user */

static void pop3d_pre_init(const char *service, char **argv)
{
    struct vstring *why = vstring_alloc(100);
    struct passwd *pw;
    struct stat st;

    if (dsasl_server_init(var_pop3d_sasl_path, var_cyrus_sasl_conf, why) < 0)
	msg_fatal("SASL: %s", vstring_str(why));
    if ((pw = getpwnam(var_pop3d_login_user)) == 0)
	msg_fatal("%s: unknown user: %s", VAR_POP3D_LOGIN_USER,
		  var_pop3d_login_user);
    if (pw->pw_uid == 0)
	msg_fatal("%s %s has uid 0: refusing to parse POP3 as root",
		  VAR_POP3D_LOGIN_USER, var_pop3d_login_user);
    pop3d_login_uid = pw->pw_uid;
    pop3d_login_gid = pw->pw_gid;
    vstring_sprintf(why, "%s/empty", var_queue_dir);
    pop3d_empty_dir = vstring_export(&why);
    if (stat(pop3d_empty_dir, &st) < 0 || !S_ISDIR(st.st_mode))
	msg_fatal("%s: missing (dromos post-install makes it)",
		  pop3d_empty_dir);
    if (getuid() != 0)
	msg_fatal("pop3d must start as root (master.cf unpriv column n)");
}

/* pop3d_exit - library clean-up */

static void pop3d_exit(void)
{
    dsasl_server_done();
}

int     main(int argc, char **argv)
{
    single_server_main(argc, argv, pop3d_service,
		       MAIL_SERVER_PRE_INIT, pop3d_pre_init,
		       MAIL_SERVER_EXIT, pop3d_exit,
		       MAIL_SERVER_PRIVILEGED, 0,
		       MAIL_SERVER_END);
}
