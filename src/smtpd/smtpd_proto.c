/*++
/* NAME
/*	smtpd_proto 3
/* SUMMARY
/*	the SMTP session: command loop, replies, limits, timeouts
/* SYNOPSIS
/*	#include "smtpd.h"
/*
/*	void	smtpd_state_init(state, client)
/*	struct smtpd_state *state;
/*	struct vstream *client;
/*
/*	void	smtpd_session(state)
/*	struct smtpd_state *state;
/*
/*	void	smtpd_reply(state, format, ...)
/*	struct smtpd_state *state;
/*	const char *format;
/*
/*	void	smtpd_reset(state)
/*	struct smtpd_state *state;
/*
/*	int	smtpd_read_timeout(state)
/*	struct smtpd_state *state;
/*
/*	void	smtpd_timeout_exit(state)
/*	void	smtpd_lost_exit(state)
/*	struct smtpd_state *state;
/*
/*	void	smtpd_state_free(state)
/*	struct smtpd_state *state;
/* DESCRIPTION
/*	smtpd_state_init() sets up a session for the client stream: it
/*	finds the client's address and port (getpeername), its reverse
/*	name (getnameinfo with NI_NAMEREQD; "unknown" when there is none)
/*	and its name: the reverse name when that name resolves back to the
/*	address (getaddrinfo), else "unknown" (name_status says whether no
/*	name was found or a lookup failed temporarily).
/*
/*	smtpd_session() logs "connect from name[addr]", sends the 220
/*	greeting and runs the command loop until QUIT, a fatal condition
/*	(timeout, lost connection, too many errors) or the end of the
/*	session time; then it logs "disconnect from name[addr]" with the
/*	per-command counters (ok/total when some failed).
/*
/*	Pipelining (RFC 2920): replies are buffered and the buffer is
/*	written out only when no more client input is already buffered
/*	(vstream_pending() is zero), before a read could block, before
/*	the 354 reply to DATA, and at the end of the session.
/*
/*	Command lines are read with vstream_get_line() bounded by
/*	$line_length_limit; a longer line is discarded up to its newline
/*	and answered with "500 5.5.2 Error: line too long".
/*
/*	smtpd_reply() formats one reply line, replaces any control
/*	character in it (client text quoted in a reply) with "?", and
/*	buffers it with CR LF.
/*	A 4xx or 5xx reply counts as an error; once the count passes
/*	$smtpd_soft_error_limit, each error reply waits
/*	$smtpd_error_sleep_time first (after flushing what is buffered).
/*	At $smtpd_hard_error_limit errors the session ends with "421 4.7.0
/*	$myhostname Error: too many errors".
/*
/*	smtpd_read_timeout() sets the client stream's deadline for the
/*	next read: $smtpd_timeout, or less when $smtpd_session_timeout
/*	ends earlier; it returns -1 when the session time is used up.
/*	smtpd_timeout_exit() logs "timeout after CMD from name[addr]",
/*	replies "421 4.4.2 $myhostname Error: timeout exceeded" and ends
/*	the session. smtpd_lost_exit() logs "lost connection after CMD
/*	from name[addr]" and ends the session.
/*
/*	smtpd_reset() forgets the current mail transaction; a message that
/*	was started in cleanup (smtpd_cleanup_start()) and not finished is
/*	abandoned by closing the cleanup connection.
/*	smtpd_state_free() releases everything (the process may serve
/*	another client).
/* DIAGNOSTICS
/*	Problems with the client are logged (msg_info) and end the
/*	session; they are never fatal to the process.
/*--*/

/* System library. */

#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Utility library. */

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <stringops.h>
#include <vstream.h>
#include <vstring.h>

/* Global library. */

#include <cleanup_clnt.h>
#include <mail_params.h>
#include <peer_info.h>

/* Application-specific. */

#include "smtpd.h"

static const char *smtpd_count_names[SMTPD_CMD_COUNT] = {
    "helo", "ehlo", "mail", "rcpt", "data", "rset", "noop", "quit",
    "vrfy", "help", "unknown",
};

/* smtpd_peer - client address, port and names (peer_info(3h)) */

static void smtpd_peer(struct smtpd_state *state)
{
    struct peer_info peer;

    peer_info_get(vstream_fileno(state->client), &peer);
    state->addr = peer.addr;
    state->port = peer.port;
    state->name = peer.name;
    state->reverse_name = peer.reverse_name;
    state->name_status = peer.name_status;
    state->namaddr = peer.namaddr;
    myfree(peer.laddr);
    myfree(peer.lport);
}

/* smtpd_state_init - new session */

void    smtpd_state_init(struct smtpd_state *state, struct vstream *client)
{
    memset(state, 0, sizeof(*state));
    state->client = client;
    state->rcpts = argv_alloc(10);
    state->rcpt_dsn = argv_alloc(10);
    state->buf = vstring_alloc(512);
    state->scratch = vstring_alloc(512);
    state->why = vstring_alloc(100);
    state->queue_id = vstring_alloc(32);
    state->check_reply = vstring_alloc(100);
    state->act_prepend = argv_alloc(1);
    state->where = "CONNECT";
    state->deadline = time((time_t *) 0) + var_smtpd_session_tmout;
    smtpd_peer(state);
}

/* smtpd_reset - forget the mail transaction */

void    smtpd_reset(struct smtpd_state *state)
{
    myfree(state->sender);
    state->sender = 0;
    argv_truncate(state->rcpts, 0);
    argv_truncate(state->rcpt_dsn, 0);
    state->rcpt_tries = 0;
    state->size_param = 0;
    myfree(state->dsn_ret);
    myfree(state->dsn_envid);
    state->dsn_ret = state->dsn_envid = 0;
    myfree(state->act_hold);
    myfree(state->act_discard);
    myfree(state->act_redirect);
    state->act_hold = state->act_discard = state->act_redirect = 0;
    argv_truncate(state->act_prepend, 0);
    /* A message started in cleanup but not sent: cleanup drops it. */
    if (state->cleanup_begun) {
	cleanup_clnt_close(&state->cleanup);
	state->cleanup_begun = 0;
    }
}

/* smtpd_state_free - end of session */

void    smtpd_state_free(struct smtpd_state *state)
{
    smtpd_reset(state);
    if (state->cleanup)
	cleanup_clnt_close(&state->cleanup);
    argv_free(&state->rcpts);
    argv_free(&state->rcpt_dsn);
    vstring_free(&state->buf);
    vstring_free(&state->scratch);
    vstring_free(&state->why);
    vstring_free(&state->queue_id);
    myfree(state->name);
    myfree(state->reverse_name);
    myfree(state->client_reject);
    vstring_free(&state->check_reply);
    argv_free(&state->act_prepend);
    myfree(state->addr);
    myfree(state->port);
    myfree(state->namaddr);
    myfree(state->helo_name);
}

/* smtpd_reply - buffer one reply line */

void    smtpd_reply(struct smtpd_state *state, const char *fmt,...)
{
    va_list ap;
    struct vstring *line = vstring_alloc(100);

    va_start(ap, fmt);
    vstring_vsprintf_append(line, fmt, ap);
    va_end(ap);
    if ((vstring_str(line)[0] == '4' || vstring_str(line)[0] == '5')
	&& strncmp(vstring_str(line), "421", 3) != 0) {
	state->error_count++;
	if (state->error_count > var_smtpd_soft_erlim
	    && var_smtpd_err_sleep > 0) {
	    (void) vstream_flush(state->client);
	    sleep((unsigned) var_smtpd_err_sleep);
	}
    }
    /* Replies may quote client text: never send control characters. */
    (void) printable(vstring_str(line), '?');
    if (msg_verbose)
	msg_info("> %s: %s", state->namaddr, vstring_str(line));
    vstring_append(line, "\r\n", 2);
    (void) vstream_write(state->client, vstring_str(line), vstring_len(line));
    vstring_free(&line);
}

/* smtpd_read_timeout - deadline for the next read */

int     smtpd_read_timeout(struct smtpd_state *state)
{
    time_t  left = state->deadline - time((time_t *) 0);

    if (left <= 0)
	return (-1);
    if (var_smtpd_tmout > 0 && var_smtpd_tmout < left)
	left = var_smtpd_tmout;
    vstream_set_timeout(state->client, (int) (left > 86400 ? 86400 : left));
    return (0);
}

/* smtpd_timeout_exit - idle or session timeout */

void    smtpd_timeout_exit(struct smtpd_state *state)
{
    msg_info("timeout after %s from %s", state->where, state->namaddr);
    vstream_set_timeout(state->client, 10);
    smtpd_reply(state, "421 4.4.2 %s Error: timeout exceeded", var_myhostname);
    (void) vstream_flush(state->client);
    state->quit = 1;
}

/* smtpd_lost_exit - client went away */

void    smtpd_lost_exit(struct smtpd_state *state)
{
    msg_info("lost connection after %s from %s", state->where, state->namaddr);
    state->quit = 1;
}

/* smtpd_log_disconnect - Postfix-style counters */

static void smtpd_log_disconnect(struct smtpd_state *state)
{
    struct vstring *buf = vstring_alloc(100);
    int     ok = 0;
    int     total = 0;
    int     i;

    vstring_sprintf(buf, "disconnect from %s", state->namaddr);
    for (i = 0; i < SMTPD_CMD_COUNT; i++) {
	if (state->count[i].total == 0)
	    continue;
	ok += state->count[i].ok;
	total += state->count[i].total;
	if (state->count[i].ok == state->count[i].total)
	    vstring_sprintf_append(buf, " %s=%d", smtpd_count_names[i],
				   state->count[i].total);
	else
	    vstring_sprintf_append(buf, " %s=%d/%d", smtpd_count_names[i],
				   state->count[i].ok, state->count[i].total);
    }
    if (ok == total)
	vstring_sprintf_append(buf, " commands=%d", total);
    else
	vstring_sprintf_append(buf, " commands=%d/%d", ok, total);
    msg_info("%s", vstring_str(buf));
    vstring_free(&buf);
}

/* smtpd_session - the command loop */

void    smtpd_session(struct smtpd_state *state)
{
    const struct smtpd_cmd *cmd;
    char   *verb;
    char   *args;
    size_t  verb_len;
    int     status;

    msg_info("connect from %s", state->namaddr);
    (void) smtpd_check_client(state);	/* a reject is given to commands */
    smtpd_reply(state, "220 %s", var_smtpd_banner);

    while (!state->quit) {
	if (state->error_count >= var_smtpd_hard_erlim) {
	    msg_info("too many errors after %s from %s",
		     state->where, state->namaddr);
	    smtpd_reply(state, "421 4.7.0 %s Error: too many errors",
			var_myhostname);
	    break;
	}
	if (vstream_pending(state->client) == 0
	    && vstream_flush(state->client) < 0) {
	    if (vstream_status(state->client) == VSTREAM_TIMEOUT)
		smtpd_timeout_exit(state);
	    else
		smtpd_lost_exit(state);
	    break;
	}
	if (smtpd_read_timeout(state) < 0) {
	    smtpd_timeout_exit(state);
	    break;
	}
	status = vstream_get_line(state->client, state->buf,
				  (size_t) var_line_limit);
	if (status == VSTREAM_TIMEOUT) {
	    smtpd_timeout_exit(state);
	    break;
	}
	if (status != VSTREAM_OK && status != VSTREAM_TOOLONG) {
	    smtpd_lost_exit(state);
	    break;
	}
	if (status == VSTREAM_TOOLONG) {
	    state->count[SMTPD_CMD_UNKNOWN].total++;
	    status = vstream_skip_line(state->client);
	    if (status == VSTREAM_TIMEOUT) {
		smtpd_timeout_exit(state);
		break;
	    }
	    if (status != VSTREAM_OK) {
		smtpd_lost_exit(state);
		break;
	    }
	    smtpd_reply(state, "500 5.5.2 Error: line too long");
	    continue;
	}
	if (msg_verbose)
	    msg_info("< %s: %.*s", state->namaddr,
		     (int) vstring_len(state->buf), vstring_str(state->buf));
	verb = smtpd_cmd_split(vstring_str(state->buf), &verb_len, &args);
	if (verb_len == 0) {
	    state->count[SMTPD_CMD_UNKNOWN].total++;
	    smtpd_reply(state, "500 5.5.2 Error: bad syntax");
	    continue;
	}
	if ((cmd = smtpd_cmd_find(verb, verb_len)) == 0) {
	    state->where = "UNKNOWN";
	    state->count[SMTPD_CMD_UNKNOWN].total++;
	    smtpd_reply(state, "502 5.5.2 Error: command not recognized");
	    continue;
	}
	state->where = cmd->name;
	state->count[cmd->id].total++;
	if (cmd->action(state, args) == 0)
	    state->count[cmd->id].ok++;
    }
    vstream_set_timeout(state->client, 10);
    (void) vstream_flush(state->client);
    smtpd_log_disconnect(state);
}
