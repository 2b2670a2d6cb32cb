/*++
/* NAME
/*	pop3d_session 3
/* SUMMARY
/*	the POP3 TRANSACTION and UPDATE states, as the mailbox owner
/* SYNOPSIS
/*	#include "pop3d.h"
/*	#include "pop3d_box.h"
/*
/*	int	pop3d_session(client, box, user, namaddr)
/*	struct vstream *client;
/*	struct pop3d_box *box;
/*	const char *user;
/*	const char *namaddr;
/* DESCRIPTION
/*	pop3d_session() runs in the session process, which has become
/*	the mailbox owner (uid, gid and groups, never root) and opened
/*	box. It answers the successful PASS or AUTH with "+OK maildrop
/*	locked and ready, N messages (M octets)" and then serves STAT,
/*	LIST, RETR, DELE, NOOP, RSET, TOP, UIDL, CAPA and QUIT (RFC 1939,
/*	2449). Message numbers stay those of the session's start; a
/*	deleted message is "no such message" to every command but DELE,
/*	which says "already deleted". QUIT enters the UPDATE state: the
/*	deleted messages are removed (pop3d_box_update()). A dropped
/*	connection, a timeout or an error removes nothing.
/*
/*	It returns 0 after QUIT, -1 when the session ended otherwise.
/*	It logs "logout: user=<name>, client=name[addr], retr=N, top=N,
/*	dele=N, left=N" at the end.
/* DIAGNOSTICS
/*	A message that cannot be read ends the session (a multi-line
/*	reply cannot be taken back) with a warning.
/*--*/
#include <string.h>

#include <msg.h>
#include <vstream.h>
#include <vstring.h>

#include <mail_params.h>

#include "pop3d.h"
#include "pop3d_box.h"

struct pop3d_sess {
    struct vstream *client;
    struct pop3d_box *box;
    long    errors;
    long    retr;
    long    top;
    long    dele;
    struct vstring *why;
};

/* sess_totals - messages and octets not deleted */

static void sess_totals(struct pop3d_sess *ss, long *count, long long *octets)
{
    int     i;

    *count = 0;
    *octets = 0;
    for (i = 0; i < ss->box->count; i++) {
	if (!ss->box->msgs[i].deleted) {
	    ++*count;
	    *octets += ss->box->msgs[i].size;
	}
    }
}

/* sess_msg - the message argument: index, or -1 after an error reply */

static int sess_msg(struct pop3d_sess *ss, const char *arg, int *index)
{
    long    n;
    int     status;

    status = pop3d_parse_msgno(arg, ss->box->count, &n);
    if (status < 0)
	return (pop3d_error(ss->client, &ss->errors, "syntax error") < 0 ?
		-2 : -1);
    if (status == 0 || ss->box->msgs[n - 1].deleted)
	return (pop3d_error(ss->client, &ss->errors, "no such message") < 0 ?
		-2 : -1);
    *index = (int) n - 1;
    return (0);
}

/* sess_capa - the capability list after login */

static int sess_capa(struct pop3d_sess *ss)
{
    (void) vstream_printf(ss->client, "+OK Capability list follows\r\n"
			  "TOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n"
			  "PIPELINING\r\nIMPLEMENTATION %s\r\n", var_mail_name);
    return (pop3d_reply(ss->client, "."));
}

/* sess_list - LIST and UIDL without an argument */

static int sess_list(struct pop3d_sess *ss, int uidl)
{
    long    count;
    long long octets;
    int     i;

    sess_totals(ss, &count, &octets);
    if (uidl)
	(void) vstream_puts(ss->client, "+OK unique-id listing follows\r\n");
    else
	(void) vstream_printf(ss->client, "+OK %ld messages (%lld octets)\r\n",
			      count, octets);
    for (i = 0; i < ss->box->count; i++) {
	if (ss->box->msgs[i].deleted)
	    continue;
	if (uidl)
	    (void) vstream_printf(ss->client, "%d %s\r\n", i + 1,
				  ss->box->msgs[i].uid);
	else
	    (void) vstream_printf(ss->client, "%d %lld\r\n", i + 1,
				  (long long) ss->box->msgs[i].size);
    }
    return (pop3d_reply(ss->client, "."));
}

/* sess_send - RETR and TOP */

static int sess_send(struct pop3d_sess *ss, int index, long lines)
{
    if (lines < 0)
	(void) vstream_printf(ss->client, "+OK %lld octets\r\n",
			      (long long) ss->box->msgs[index].size);
    else
	(void) vstream_puts(ss->client, "+OK top of message follows\r\n");
    if (pop3d_box_send(ss->box, index, lines, ss->client, ss->why) < 0) {
	msg_warn("%s: message %d: %s", ss->box->path, index + 1,
		 vstring_str(ss->why));
	return (-1);
    }
    if (vstream_flush(ss->client) < 0)
	return (-1);
    if (lines < 0) {
	pop3d_box_seen(ss->box, index);
	ss->retr++;
    } else {
	ss->top++;
    }
    return (0);
}

/* sess_top_lines - the line count of TOP: 0 to 999999999 */

static long sess_top_lines(const char *arg)
{
    long    n;

    if (strcmp(arg, "0") == 0)
	return (0);
    return (pop3d_parse_msgno(arg, 999999999L, &n) > 0 ? n : -1);
}

/* sess_command - one command; -1 ends the session, 1 after QUIT */

static int sess_command(struct pop3d_sess *ss, struct pop3d_req *req)
{
    long    count;
    long long octets;
    long    lines;
    int     index;
    int     status;
    int     i;

    switch (req->cmd->id) {
    case POP3D_CMD_CAPA:
	return (sess_capa(ss));
    case POP3D_CMD_NOOP:
	return (pop3d_reply(ss->client, "+OK"));
    case POP3D_CMD_STAT:
	sess_totals(ss, &count, &octets);
	return (pop3d_reply(ss->client, "+OK %ld %lld", count, octets));
    case POP3D_CMD_LIST:
    case POP3D_CMD_UIDL:
	if (req->argc == 0)
	    return (sess_list(ss, req->cmd->id == POP3D_CMD_UIDL));
	if ((status = sess_msg(ss, req->argv[0], &index)) < 0)
	    return (status == -2 ? -1 : 0);
	if (req->cmd->id == POP3D_CMD_UIDL)
	    return (pop3d_reply(ss->client, "+OK %d %s", index + 1,
				ss->box->msgs[index].uid));
	return (pop3d_reply(ss->client, "+OK %d %lld", index + 1,
			    (long long) ss->box->msgs[index].size));
    case POP3D_CMD_RETR:
	if ((status = sess_msg(ss, req->argv[0], &index)) < 0)
	    return (status == -2 ? -1 : 0);
	return (sess_send(ss, index, -1));
    case POP3D_CMD_TOP:
	if ((lines = sess_top_lines(req->argv[1])) < 0)
	    return (pop3d_error(ss->client, &ss->errors, "syntax error"));
	if ((status = sess_msg(ss, req->argv[0], &index)) < 0)
	    return (status == -2 ? -1 : 0);
	return (sess_send(ss, index, lines));
    case POP3D_CMD_DELE:
	status = pop3d_parse_msgno(req->argv[0], ss->box->count, &count);
	if (status < 0)
	    return (pop3d_error(ss->client, &ss->errors, "syntax error"));
	if (status == 0)
	    return (pop3d_error(ss->client, &ss->errors, "no such message"));
	if (ss->box->msgs[count - 1].deleted) {
	    vstring_sprintf(ss->why, "message %ld already deleted", count);
	    return (pop3d_error(ss->client, &ss->errors, vstring_str(ss->why)));
	}
	ss->box->msgs[count - 1].deleted = 1;
	ss->dele++;
	return (pop3d_reply(ss->client, "+OK message %ld deleted", count));
    case POP3D_CMD_RSET:
	for (i = 0; i < ss->box->count; i++)
	    ss->box->msgs[i].deleted = 0;
	ss->dele = 0;
	sess_totals(ss, &count, &octets);
	return (pop3d_reply(ss->client, "+OK maildrop has %ld messages "
			    "(%lld octets)", count, octets));
    case POP3D_CMD_QUIT:
	if (pop3d_box_update(ss->box, ss->why) < 0) {
	    msg_warn("%s: update: %s", ss->box->path, vstring_str(ss->why));
	    (void) pop3d_reply(ss->client, "-ERR [SYS/TEMP] some deleted "
			       "messages not removed");
	    return (1);
	}
	sess_totals(ss, &count, &octets);
	(void) pop3d_reply(ss->client, "+OK %s POP3 server signing off "
			   "(%ld messages left)", var_mail_name, count);
	return (1);
    }
    return (pop3d_error(ss->client, &ss->errors, "unknown command"));
}

/* pop3d_session - serve the mailbox */

int     pop3d_session(struct vstream *client, struct pop3d_box *box,
		              const char *user, const char *namaddr)
{
    struct pop3d_sess sess;
    struct pop3d_sess *ss = &sess;
    struct vstring *line = vstring_alloc(POP3D_LINE_MAX);
    struct pop3d_req req;
    long    count;
    long long octets;
    int     status;
    int     ret = -1;

    memset(ss, 0, sizeof(*ss));
    ss->client = client;
    ss->box = box;
    ss->why = vstring_alloc(100);
    vstream_set_timeout(client, var_pop3d_tmout);
    sess_totals(ss, &count, &octets);
    status = pop3d_reply(client, "+OK maildrop locked and ready, %ld messages "
			 "(%lld octets)", count, octets);
    while (status >= 0) {
	status = pop3d_stream_line(client, line, POP3D_LINE_MAX);
	if (status == POP3D_READ_TIMEOUT) {
	    (void) pop3d_reply(client, "-ERR idle timeout, closing connection");
	    break;
	}
	if (status == POP3D_READ_TOOLONG) {
	    status = pop3d_error(client, &ss->errors, "line too long");
	    continue;
	}
	if (status != POP3D_READ_OK)
	    break;
	pop3d_chop(line);
	status = pop3d_parse(vstring_str(line), vstring_len(line), &req);
	if (req.cmd && (req.cmd->states & POP3D_STATE_TRANS) == 0)
	    status = pop3d_error(client, &ss->errors,
				 "command not valid in this state");
	else if (status == POP3D_PARSE_UNKNOWN)
	    status = pop3d_error(client, &ss->errors, "unknown command");
	else if (status != POP3D_PARSE_OK)
	    status = pop3d_error(client, &ss->errors, "syntax error");
	else if ((status = sess_command(ss, &req)) > 0) {
	    ret = 0;
	    break;
	}
    }
    sess_totals(ss, &count, &octets);
    msg_info("logout: user=<%s>, client=%s, retr=%ld, top=%ld, dele=%ld, "
	     "left=%ld%s", user, namaddr, ss->retr, ss->top,
	     ret == 0 ? ss->dele : 0, ret == 0 ? count : (long) box->count,
	     ret == 0 ? "" : ", no update");
    vstring_free(&line);
    vstring_free(&ss->why);
    return (ret);
}
