/*++
/* NAME
/*	smtpd_cmd_data 3
/* SUMMARY
/*	DATA: stream the message to cleanup
/* SYNOPSIS
/*	#include "smtpd.h"
/*
/*	int	smtpd_cmd_data(state, args)
/*	struct smtpd_state *state;
/*	char	*args;
/* DESCRIPTION
/*	smtpd_cmd_data() needs MAIL and at least one accepted RCPT
/*	(503 5.5.1 "Error: need RCPT command", or 554 5.5.1 "Error: no
/*	valid recipients" when every RCPT was refused). The message was
/*	usually started in cleanup already, at the first accepted RCPT
/*	(smtpd_cleanup_start(): connect to cleanup unless the session's
/*	connection is open, and send the request without waiting, so that
/*	cleanup makes the queue file while the client goes on); DATA (which
/*	connects and starts the message now when the early start failed)
/*	sends the A records (client_name, client_addr, client_port,
/*	helo_name, protocol; dsn_ret and dsn_envid when MAIL had RET= or
/*	ENVID=), S, then for each recipient O, N (when RCPT had NOTIFY= or
/*	ORCPT=) and R, then M,
/*	and replies "354 End data with <CR><LF>.<CR><LF>" at once: no client
/*	waits for the file to be made. cleanup's answer to the start (the
/*	queue ID) is read when it has come: whenever smtpd is about to wait
/*	for the client's content it waits for the client or for cleanup,
/*	whichever comes first (and it reads the answer at the end of the
/*	data at the latest, or, when the client times out or goes away
/*	during the data, before it gives up, waiting a second at most);
/*	then smtpd logs "ID: client=name[addr]". When
/*	cleanup could not make a file, smtpd reads on to the end of the
/*	data and replies cleanup_stat_reply()'s 4xx.
/*
/*	The content is read in bounded pieces (vstream_get_line() with
/*	SMTPD_DATA_CHUNK) and pushed through the filter stack of
/*	smtpd_data.c, which streams it to cleanup as it arrives. The data
/*	ends only at CR LF "." CR LF. Then:
/* .IP \(bu
/*	with $smtpd_forbid_bare_newline, a message that contained a bare
/*	LF or bare CR is refused: "550 5.5.2 Error: bare <LF> received"
/*	(or "bare <CR>");
/* .IP \(bu
/*	a message over $message_size_limit is refused: "552 5.3.4
/*	Message size exceeds fixed limit" (smtpd stops passing content
/*	to cleanup once the limit is passed, but reads on to the end);
/* .IP \(bu
/*	otherwise X and E are sent, and "250 2.0.0 Ok: queued as ID" is
/*	the reply only when cleanup_clnt_finish() returns 0 (the file is
/*	on disk); any other status gets cleanup_stat_reply()'s text.
/* .PP
/*	smtpd_data_restrictions are checked before anything else (a
/*	reject leaves the transaction as it was), and
/*	smtpd_end_of_data_restrictions after the content, before the
/*	message is committed. What access tables asked for (HOLD, DISCARD,
/*	REDIRECT, PREPEND) goes to cleanup as A records action_hold,
/*	action_discard, action_redirect and action_prepend, before S.
/*
/*	A refused or broken message is abandoned by closing the cleanup
/*	connection: cleanup then removes the partial file. The same
/*	happens when the client disconnects or times out during DATA.
/* DIAGNOSTICS
/*	Trouble with cleanup is logged with msg_warn() and answered with
/*	a 4xx reply.
/*--*/

/* System library. */

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <time.h>

/* Utility library. */

#include <argv.h>
#include <msg.h>
#include <vstream.h>
#include <vstring.h>

/* Global library. */

#include <cleanup_clnt.h>
#include <mail_params.h>
#include <rec.h>

/* Application-specific. */

#include "smtpd.h"

/* smtpd_cleanup_start - connect if need be, start a message */

void    smtpd_cleanup_start(struct smtpd_state *state)
{
    if (state->cleanup_begun)
	return;
    if (state->cleanup == 0
	&& (state->cleanup = cleanup_clnt_connect(state->why)) == 0) {
	msg_warn("connect to cleanup service: %s", vstring_str(state->why));
	return;
    }
    if (cleanup_clnt_begin_send(state->cleanup, CLEANUP_FLAG_NONE,
				state->why) != 0) {
	msg_warn("%s", vstring_str(state->why));
	cleanup_clnt_close(&state->cleanup);
	return;
    }
    state->cleanup_begun = 1;
}

/* smtpd_data_qid - read cleanup's answer to the start: 1 good, -1 bad */

static int smtpd_data_qid(struct smtpd_state *state)
{
    if (cleanup_clnt_begin_wait(state->cleanup, state->queue_id,
				state->why) != 0) {
	msg_warn("cleanup service: %s", vstring_str(state->why));
	return (-1);
    }
    msg_info("%s: client=%s", vstring_str(state->queue_id), state->namaddr);
    return (1);
}

/*
 * smtpd_data_wait - before smtpd waits for the client's content: wait for
 * the client or for cleanup's answer, whichever comes first. 1 or -1: the
 * answer was read (see smtpd_data_qid()); 0: the client has sent more;
 * SMTPD_DATA_IDLE: neither within the client's time limit.
 */
#define SMTPD_DATA_IDLE	(-2)

static int smtpd_data_wait(struct smtpd_state *state)
{
    struct pollfd pfd[2];
    time_t  left = state->deadline - time((time_t *) 0);
    long long until;
    long long now;
    struct timespec ts;
    int     n;

    if (left <= 0)
	return (SMTPD_DATA_IDLE);
    if (var_smtpd_tmout > 0 && var_smtpd_tmout < left)
	left = var_smtpd_tmout;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    until = (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000
	+ (long long) left * 1000;
    for (;;) {
	pfd[0].fd = vstream_fileno(cleanup_clnt_stream(state->cleanup));
	pfd[1].fd = vstream_fileno(state->client);
	pfd[0].events = pfd[1].events = POLLIN;
	pfd[0].revents = pfd[1].revents = 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (now >= until)
	    return (SMTPD_DATA_IDLE);
	n = poll(pfd, 2, until - now > INT_MAX ? INT_MAX : (int) (until - now));
	if (n > 0)
	    break;
	if (n < 0 && errno != EINTR)
	    return (0);				/* the client read will tell */
    }
    if (pfd[0].revents)
	return (smtpd_data_qid(state));
    return (0);
}

/* smtpd_data_qid_soon - cleanup's answer, when it comes within a second */

static int smtpd_data_qid_soon(struct smtpd_state *state)
{
    struct pollfd pfd;

    pfd.fd = vstream_fileno(cleanup_clnt_stream(state->cleanup));
    pfd.events = POLLIN;
    pfd.revents = 0;
    if (poll(&pfd, 1, 1000) <= 0)
	return (0);
    return (smtpd_data_qid(state));
}

/* smtpd_data_abandon - drop the cleanup transaction */

static void smtpd_data_abandon(struct smtpd_state *state)
{
    if (state->cleanup)
	cleanup_clnt_close(&state->cleanup);
}

/* smtpd_data_reject - log and reply a refused message */

static void smtpd_data_reject(struct smtpd_state *state, const char *reply)
{
    msg_info("%s: reject: END-OF-MESSAGE from %s: %s; from=<%s> proto=%s "
	     "helo=<%s>", vstring_str(state->queue_id), state->namaddr, reply,
	     state->sender, state->esmtp ? "ESMTP" : "SMTP", state->helo_name);
    smtpd_reply(state, "%s", reply);
}

/* smtpd_data_envelope - A, S, O/R and M records */

static int smtpd_data_envelope(struct smtpd_state *state,
			               struct vstream *stream)
{
    int     err = 0;
    size_t  i;

    err |= rec_fprintf(stream, REC_TYPE_ATTR, "client_name=%s", state->name);
    err |= rec_fprintf(stream, REC_TYPE_ATTR, "client_addr=%s", state->addr);
    err |= rec_fprintf(stream, REC_TYPE_ATTR, "client_port=%s", state->port);
    err |= rec_fprintf(stream, REC_TYPE_ATTR, "helo_name=%s",
		       state->helo_name);
    err |= rec_fprintf(stream, REC_TYPE_ATTR, "protocol=%s",
		       state->esmtp ? "ESMTP" : "SMTP");
    if (state->act_hold)
	err |= rec_fprintf(stream, REC_TYPE_ATTR, "action_hold=%s",
			   state->act_hold);
    if (state->act_discard)
	err |= rec_fprintf(stream, REC_TYPE_ATTR, "action_discard=%s",
			   state->act_discard);
    if (state->act_redirect)
	err |= rec_fprintf(stream, REC_TYPE_ATTR, "action_redirect=%s",
			   state->act_redirect);
    for (i = 0; i < state->act_prepend->argc; i++)
	err |= rec_fprintf(stream, REC_TYPE_ATTR, "action_prepend=%s",
			   state->act_prepend->argv[i]);
    if (state->dsn_ret)
	err |= rec_fprintf(stream, REC_TYPE_ATTR, "dsn_ret=%s", state->dsn_ret);
    if (state->dsn_envid)
	err |= rec_fprintf(stream, REC_TYPE_ATTR, "dsn_envid=%s",
			   state->dsn_envid);
    err |= rec_fputs(stream, REC_TYPE_FROM, state->sender);
    for (i = 0; i < state->rcpts->argc; i++) {
	err |= rec_fputs(stream, REC_TYPE_ORCP, state->rcpts->argv[i]);
	if (*state->rcpt_dsn->argv[i])
	    err |= rec_fputs(stream, REC_TYPE_DSN, state->rcpt_dsn->argv[i]);
	err |= rec_fputs(stream, REC_TYPE_RCPT, state->rcpts->argv[i]);
    }
    err |= rec_put(stream, REC_TYPE_MESG, "", 0);
    return (err ? -1 : 0);
}

int     smtpd_cmd_data(struct smtpd_state *state, char *args)
{
    struct vstream *stream;
    struct smtpd_data data;
    int     status;
    int     write_err;
    int     have_qid = 0;		/* cleanup's answer: see above */
    int     n;
    int     ret = -1;

    if (*args) {
	smtpd_reply(state, "501 5.5.2 Syntax: DATA");
	return (-1);
    }
    if (state->sender == 0 || state->rcpts->argc == 0) {
	if (state->sender != 0 && state->rcpt_tries > 0)
	    smtpd_reply(state, "554 5.5.1 Error: no valid recipients");
	else
	    smtpd_reply(state, "503 5.5.1 Error: need RCPT command");
	return (-1);
    }
    if (smtpd_check_data(state) < 0)
	return (-1);

    /*
     * The message in cleanup: started at RCPT time, or now.
     */
    if (!state->cleanup_begun)
	smtpd_cleanup_start(state);
    if (!state->cleanup_begun) {
	smtpd_reply(state, "%s", cleanup_stat_reply(CLEANUP_STAT_PROXY));
	return (-1);
    }
    state->cleanup_begun = 0;

    /*
     * cleanup's answer (the queue ID) is read after the content: the
     * client need not wait for the file to be made before it hears 354.
     * Until then the envelope and content queue up in the connection.
     */
    stream = cleanup_clnt_stream(state->cleanup);
    write_err = smtpd_data_envelope(state, stream);

    smtpd_reply(state, "354 End data with <CR><LF>.<CR><LF>");
    if (vstream_flush(state->client) < 0) {
	smtpd_data_abandon(state);
	smtpd_reset(state);
	smtpd_lost_exit(state);
	return (-1);
    }

    /*
     * Read the content. Stay in sync with the client whatever happens
     * to the message: read up to the real end of data.
     */
    smtpd_data_init(&data, write_err ? (struct vstream *) 0 : stream,
		    var_message_limit);
    for (;;) {
	/* Before smtpd waits for the client: cleanup's answer, or more. */
	if (have_qid == 0 && vstream_pending(state->client) == 0) {
	    if ((n = smtpd_data_wait(state)) == SMTPD_DATA_IDLE) {
		status = VSTREAM_TIMEOUT;
		break;
	    }
	    if ((have_qid = n) < 0)
		write_err = 1;			/* read on; 4xx at the end */
	}
	if (smtpd_read_timeout(state) < 0) {
	    status = VSTREAM_TIMEOUT;
	    break;
	}
	status = vstream_get_line(state->client, state->buf, SMTPD_DATA_CHUNK);
	if (status != VSTREAM_OK && status != VSTREAM_TOOLONG)
	    break;
	if (smtpd_dot_feed(&data.dot, vstring_str(state->buf),
			   vstring_len(state->buf)) < 0)
	    write_err = 1;
	if (data.dot.done)
	    break;
    }
    if (!data.dot.done) {
	/* The log still names the file: cleanup has answered by now. */
	if (have_qid == 0)
	    (void) smtpd_data_qid_soon(state);
	smtpd_data_free(&data);
	smtpd_data_abandon(state);
	smtpd_reset(state);
	if (status == VSTREAM_TIMEOUT)
	    smtpd_timeout_exit(state);
	else
	    smtpd_lost_exit(state);
	return (-1);
    }
    if (smtpd_filter_finish(&data.bare.filter) < 0 || data.sink.error)
	write_err = 1;

    /*
     * Now the queue file's name, unless it came during the content.
     */
    if (have_qid == 0)
	have_qid = smtpd_data_qid(state);
    if (have_qid < 0) {
	smtpd_data_abandon(state);
	smtpd_reply(state, "%s", cleanup_stat_reply(CLEANUP_STAT_PROXY));
	smtpd_data_free(&data);
	smtpd_reset(state);
	return (-1);
    }

    /*
     * Decide.
     */
    if (var_smtpd_forbid_bare_nl && data.bare.found) {
	smtpd_data_abandon(state);
	smtpd_data_reject(state, (data.bare.found & SMTPD_BARE_LF) ?
			  "550 5.5.2 Error: bare <LF> received" :
			  "550 5.5.2 Error: bare <CR> received");
    } else if (data.limit.exceeded) {
	smtpd_data_abandon(state);
	smtpd_data_reject(state, "552 5.3.4 Message size exceeds fixed limit");
    } else if (smtpd_check_eod(state) < 0) {
	/* The restrictions replied and logged. */
	smtpd_data_abandon(state);
    } else if (write_err
	       || rec_put(stream, REC_TYPE_XTRA, "", 0) < 0
	       || rec_put(stream, REC_TYPE_END, "", 0) < 0
	       || vstream_flush(stream) < 0) {
	msg_warn("%s: cannot send the message to cleanup",
		 vstring_str(state->queue_id));
	smtpd_data_abandon(state);
	smtpd_reply(state, "%s", cleanup_stat_reply(CLEANUP_STAT_PROXY));
    } else if ((status = cleanup_clnt_finish(state->cleanup,
					     state->why)) != 0) {
	if (status & (CLEANUP_STAT_PROXY | CLEANUP_STAT_BAD))
	    smtpd_data_abandon(state);
	smtpd_data_reject(state, cleanup_stat_reply(status));
    } else {
	smtpd_reply(state, "250 2.0.0 Ok: queued as %s",
		    vstring_str(state->queue_id));
	ret = 0;
    }
    smtpd_data_free(&data);
    smtpd_reset(state);
    return (ret);
}
