/*++
/* NAME
/*	pop3d_login 3
/* SUMMARY
/*	the POP3 AUTHORIZATION state, unprivileged
/* SYNOPSIS
/*	#include "pop3d.h"
/*
/*	void	pop3d_login(client_fd, mon_fd, mechs)
/*	int	client_fd;
/*	int	mon_fd;
/*	const char *mechs;
/* DESCRIPTION
/*	pop3d_login() runs in the pre-login process: a child of the
/*	privileged part, already chrooted to $queue_directory/empty and
/*	running as $pop3d_login_user. It sends the greeting and reads
/*	every command until a login succeeds, the client quits, or a limit
/*	is hit. It never checks a password itself: USER/PASS credentials
/*	and each step of an AUTH exchange (RFC 5034; decoded from base64
/*	here, so the privileged part never parses protocol text) go over
/*	the monitor channel mon_fd, and the answer says what to reply. It
/*	reads the socket with pop3d_peek_line(), never past the end of the
/*	current command, so commands a client pipelines after a successful
/*	PASS or AUTH stay in the socket for the session process.
/*
/*	mechs lists the SASL mechanisms for CAPA and AUTH without an
/*	argument.
/*
/*	The process exits 0 when the monitor said the login succeeded
/*	(the session process then sends the +OK), 1 otherwise.
/* DIAGNOSTICS
/*	Nothing is logged here: the privileged part logs logins and
/*	failures; a closed or malformed monitor channel ends the process.
/*--*/
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <mail_params.h>
#include <dsasl.h>

#include "pop3d.h"

struct pop3d_login_state {
    int     fd;				/* client */
    int     mon;			/* monitor channel */
    struct vstream *out;
    const char *mechs;
    char   *user;			/* from USER, until PASS */
    long    errors;
    struct vstring *line;
    struct vstring *data;
    struct vstring *ans;
};

static void login_exit(struct pop3d_login_state *, int)
	__attribute__((noreturn));

/* login_exit - leave the process */

static void login_exit(struct pop3d_login_state *st, int status)
{
    (void) vstream_flush(st->out);
    _exit(status);
}

/* login_err - a -ERR reply, counted against the error limit */

static void login_err(struct pop3d_login_state *st, const char *text)
{
    if (pop3d_error(st->out, &st->errors, text) < 0)
	login_exit(st, 1);
}

/* login_ask - one request to the monitor, one answer */

static int login_ask(struct pop3d_login_state *st, int type, const char *data,
		             size_t len)
{
    int     ans;

    if (pop3d_mon_send(st->mon, type, data, len) < 0
	|| (ans = pop3d_mon_recv(st->mon, st->ans, 0)) <= 0) {
	(void) pop3d_reply(st->out, "-ERR [SYS/TEMP] internal error");
	login_exit(st, 1);
    }
    return (ans);
}

/* login_answer - act on a final answer (not a challenge) */

static void login_answer(struct pop3d_login_state *st, int ans)
{
    const char *text;

    if (ans == POP3D_ANS_OK)
	login_exit(st, 0);
    if (ans != POP3D_ANS_FAIL || vstring_len(st->ans) < 2) {
	(void) pop3d_reply(st->out, "-ERR [SYS/TEMP] internal error");
	login_exit(st, 1);
    }
    switch (vstring_str(st->ans)[1]) {
    case POP3D_FAIL_AUTH:
	text = "[AUTH] authentication failed";
	break;
    case POP3D_FAIL_LIMIT:
	(void) pop3d_reply(st->out, "-ERR [AUTH] authentication failed; "
			   "too many failures, closing connection");
	login_exit(st, 1);
    case POP3D_FAIL_MECH:
	text = "unsupported authentication mechanism";
	break;
    case POP3D_FAIL_PROT:
	text = "invalid authentication data";
	break;
    case POP3D_FAIL_INUSE:
	text = "[IN-USE] maildrop already in use";
	break;
    default:
	text = "[SYS/TEMP] cannot log in now, try again later";
	break;
    }
    login_err(st, text);
}

/* login_cancel - tell the monitor the exchange is over, then reply */

static void login_cancel(struct pop3d_login_state *st, const char *text)
{
    (void) login_ask(st, POP3D_REQ_CANCEL, "", 0);
    login_err(st, text);
}

/* login_capa - the capability list before login */

static void login_capa(struct pop3d_login_state *st)
{
    (void) vstream_puts(st->out, "+OK Capability list follows\r\n"
			"TOP\r\nUIDL\r\nUSER\r\n");
    if (*st->mechs)
	(void) vstream_printf(st->out, "SASL %s\r\n", st->mechs);
    (void) vstream_printf(st->out, "RESP-CODES\r\nAUTH-RESP-CODE\r\n"
			  "PIPELINING\r\nIMPLEMENTATION %s\r\n", var_mail_name);
    if (pop3d_reply(st->out, ".") < 0)
	login_exit(st, 1);
}

/* login_auth - AUTH [mech [initial-response]] */

static void login_auth(struct pop3d_login_state *st, struct pop3d_req *req)
{
    struct vstring *msg;
    const char *cp;
    int     ans;
    int     status;

    if (req->argc == 0) {
	(void) vstream_puts(st->out, "+OK\r\n");
	for (cp = st->mechs; *cp; cp += strcspn(cp, " ")) {
	    cp += strspn(cp, " ");
	    (void) vstream_write(st->out, cp, strcspn(cp, " "));
	    (void) vstream_puts(st->out, "\r\n");
	}
	if (pop3d_reply(st->out, ".") < 0)
	    login_exit(st, 1);
	return;
    }
    msg = vstring_alloc(100);
    vstring_appends(msg, req->argv[0]);
    vstring_appendc(msg, 0);
    if (req->argc > 1) {
	status = dsasl_frame_decode(req->argv[1], strlen(req->argv[1]),
				    st->data);
	if (status != DSASL_FRAME_OK) {
	    vstring_free(&msg);
	    login_err(st, status == DSASL_FRAME_CANCEL ?
		      "authentication cancelled" : "invalid base64 data");
	    return;
	}
	vstring_appendc(msg, '1');
	vstring_append(msg, vstring_str(st->data), vstring_len(st->data));
    } else {
	vstring_appendc(msg, '0');
    }
    ans = login_ask(st, POP3D_REQ_AUTH, vstring_str(msg), vstring_len(msg));
    memset(vstring_str(msg), 0, vstring_len(msg));
    vstring_free(&msg);
    while (ans == POP3D_ANS_CONT) {
	dsasl_frame_encode(vstring_str(st->ans) + 1, vstring_len(st->ans) - 1,
			   st->data);
	if (pop3d_reply(st->out, "+ %s", vstring_str(st->data)) < 0)
	    login_exit(st, 1);
	status = pop3d_peek_line(st->fd, st->line, POP3D_AUTH_LINE_MAX,
				 var_pop3d_tmout);
	if (status == POP3D_READ_TOOLONG) {
	    login_cancel(st, "line too long");
	    return;
	}
	if (status != POP3D_READ_OK)
	    login_exit(st, 1);
	pop3d_chop(st->line);
	status = dsasl_frame_decode(vstring_str(st->line),
				    vstring_len(st->line), st->data);
	memset(vstring_str(st->line), 0, vstring_len(st->line));
	if (status == DSASL_FRAME_CANCEL) {
	    login_cancel(st, "authentication cancelled");
	    return;
	}
	if (status != DSASL_FRAME_OK) {
	    login_cancel(st, "invalid base64 data");
	    return;
	}
	ans = login_ask(st, POP3D_REQ_STEP, vstring_str(st->data),
			vstring_len(st->data));
	memset(vstring_str(st->data), 0, vstring_len(st->data));
    }
    login_answer(st, ans);
}

/* login_pass - PASS after USER */

static void login_pass(struct pop3d_login_state *st, struct pop3d_req *req)
{
    struct vstring *msg;
    int     ans;

    if (st->user == 0) {
	login_err(st, "send USER first");
	return;
    }
    msg = vstring_alloc(100);
    vstring_appends(msg, st->user);
    vstring_appendc(msg, 0);
    vstring_appends(msg, req->argv[0]);
    myfree(st->user);
    st->user = 0;
    ans = login_ask(st, POP3D_REQ_PASS, vstring_str(msg), vstring_len(msg));
    memset(vstring_str(msg), 0, vstring_len(msg));
    vstring_free(&msg);
    login_answer(st, ans);
}

/* pop3d_login - the AUTHORIZATION state */

void    pop3d_login(int client_fd, int mon_fd, const char *mechs)
{
    struct pop3d_login_state state;
    struct pop3d_login_state *st = &state;
    struct pop3d_req req;
    int     status;

    memset(st, 0, sizeof(*st));
    st->fd = client_fd;
    st->mon = mon_fd;
    st->mechs = mechs;
    st->out = vstream_fdopen(client_fd, 0);
    vstream_set_timeout(st->out, var_pop3d_tmout);
    st->line = vstring_alloc(POP3D_LINE_MAX);
    st->data = vstring_alloc(100);
    st->ans = vstring_alloc(100);
    if (pop3d_reply(st->out, "+OK %s POP3 server ready", var_myhostname) < 0)
	login_exit(st, 1);
    for (;;) {
	status = pop3d_peek_line(client_fd, st->line, POP3D_LINE_MAX,
				 var_pop3d_tmout);
	if (status == POP3D_READ_TIMEOUT) {
	    (void) pop3d_reply(st->out, "-ERR idle timeout, closing connection");
	    login_exit(st, 1);
	}
	if (status == POP3D_READ_TOOLONG) {
	    login_err(st, "line too long");
	    continue;
	}
	if (status != POP3D_READ_OK)
	    login_exit(st, 1);
	pop3d_chop(st->line);
	status = pop3d_parse(vstring_str(st->line), vstring_len(st->line), &req);
	if (req.cmd && (req.cmd->states & POP3D_STATE_AUTH) == 0) {
	    login_err(st, "command not valid in this state");
	    continue;
	}
	if (status == POP3D_PARSE_UNKNOWN) {
	    login_err(st, "unknown command");
	    continue;
	}
	if (status != POP3D_PARSE_OK) {
	    login_err(st, "syntax error");
	    continue;
	}
	switch (req.cmd->id) {
	case POP3D_CMD_CAPA:
	    login_capa(st);
	    break;
	case POP3D_CMD_QUIT:
	    (void) pop3d_reply(st->out, "+OK %s POP3 server signing off",
			       var_mail_name);
	    login_exit(st, 1);
	case POP3D_CMD_USER:
	    if (st->user)
		myfree(st->user);
	    st->user = mystrdup(req.argv[0]);
	    if (pop3d_reply(st->out, "+OK send PASS") < 0)
		login_exit(st, 1);
	    break;
	case POP3D_CMD_PASS:
	    login_pass(st, &req);
	    break;
	case POP3D_CMD_AUTH:
	    login_auth(st, &req);
	    break;
	}
	memset(vstring_str(st->line), 0, vstring_len(st->line));
    }
}
