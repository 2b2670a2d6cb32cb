/*++
/* NAME
/*	cleanup_envelope 3
/* SUMMARY
/*	cleanup daemon: the client's envelope records
/* SYNOPSIS
/*	#include "cleanup.h"
/*
/*	int	cleanup_read_record(state)
/*	void	cleanup_unexpected(state, type)
/*	int	cleanup_envelope(state)
/* DESCRIPTION
/*	cleanup_read_record() reads one record from the client into
/*	state->buf (at most CLEANUP_REC_MAX bytes) and returns its type,
/*	or -CLEANUP_READ_GONE (end of input, read error, timeout) or
/*	-CLEANUP_READ_BAD (a record longer than the limit). cleanup_unexpected() records a
/*	protocol violation (CLEANUP_STAT_BAD) and logs it.
/*
/*	cleanup_envelope() reads the records before the content, in the
/*	order the client may send them: A* S (O? R)* M. It copies them to
/*	the queue file (an R record gets the state byte REC_RCPT_TODO in
/*	front of the address) and keeps what the Received: header needs
/*	(the A attributes helo_name, client_name, client_addr, protocol,
/*	uid; the first recipient). It returns CLEANUP_READ_DONE after the
/*	M record, CLEANUP_READ_GONE when the client went away, or
/*	CLEANUP_READ_BAD for a record of a type or at a place the
/*	protocol does not allow (V, T, Z and unknown types included), an
/*	over-long record, an A record that is not "name=value" with a name
/*	of [a-z0-9_] (at most 64) and a value without NUL, CR or LF, an
/*	address with a control character, or an empty recipient address:
/*	the queue file reader would refuse such a file.
/* DIAGNOSTICS
/*	"warning: ID: unexpected record type X from client"; other
/*	violations are warnings too. A client that disconnects is logged
/*	at info level; a timeout is a warning.
/*--*/
#include <stdlib.h>
#include <string.h>

#include <msg.h>
#include <mymalloc.h>
#include <stringops.h>
#include <vstream.h>
#include <vstring.h>

#include <cleanup_clnt.h>
#include <dsn.h>
#include <rec.h>

#include <mail_params.h>

#include "cleanup.h"

#define STR(x)	vstring_str(x)
#define LEN(x)	vstring_len(x)

/* cleanup_bad - a protocol violation */

static int cleanup_bad(struct cleanup_state *state, const char *what)
{
    msg_warn("%s: %s from client", STR(state->queue_id), what);
    state->status |= CLEANUP_STAT_BAD;
    vstring_sprintf(state->reason, "protocol error: %s", what);
    return (CLEANUP_READ_BAD);
}

/* cleanup_unexpected - a record the protocol does not allow here */

void    cleanup_unexpected(struct cleanup_state *state, int type)
{
    if (type >= 33 && type <= 126)
	vstring_sprintf(state->temp, "unexpected record type %c", type);
    else
	vstring_sprintf(state->temp, "unexpected record type %d", type);
    (void) cleanup_bad(state, STR(state->temp));
}

/* cleanup_read_record - read one client record */

int     cleanup_read_record(struct cleanup_state *state)
{
    int     type = rec_get(state->client, state->buf, CLEANUP_REC_MAX);

    switch (type) {
    case REC_ERR_EOF:
    case REC_ERR_TRUNC:
	msg_info("%s: client disconnected before the end of the message",
		 STR(state->queue_id));
	return (-CLEANUP_READ_GONE);
    case REC_ERR_TOOLONG:
	(void) cleanup_bad(state, "record too long");
	return (-CLEANUP_READ_BAD);
    case REC_ERR_IO:
	if (vstream_status(state->client) == VSTREAM_TIMEOUT)
	    msg_warn("%s: timeout reading from client", STR(state->queue_id));
	else
	    msg_info("%s: read error from client: %m", STR(state->queue_id));
	return (-CLEANUP_READ_GONE);
    default:
	return (type);
    }
}

/* cleanup_attr_prepend - "Name: value", a name of printable ASCII */

static void cleanup_attr_prepend(struct cleanup_state *state,
				         const char *value)
{
    const char *cp;

    for (cp = value; *cp && *cp != ':'; cp++)
	if ((unsigned char) *cp <= 32 || (unsigned char) *cp >= 127)
	    break;
    if (cp == value || *cp != ':') {
	msg_warn("%s: ignoring a malformed header to prepend: %.100s",
		 STR(state->queue_id), value);
	return;
    }
    vstring_appends(state->act_prepend, value);
    vstring_appendc(state->act_prepend, '\n');
}

/* cleanup_attr - keep the attributes the Received: header uses */

static void cleanup_attr(struct cleanup_state *state, const char *name,
			         const char *value)
{
    char  **slot = 0;
    long    num;

    if (strcmp(name, "helo_name") == 0)
	slot = &state->helo_name;
    else if (strcmp(name, "client_name") == 0)
	slot = &state->client_name;
    else if (strcmp(name, "client_addr") == 0)
	slot = &state->client_addr;
    else if (strcmp(name, "protocol") == 0)
	slot = &state->protocol;
    else if (strcmp(name, "full_name") == 0)
	slot = &state->full_name;
    else if (strcmp(name, "action_hold") == 0)
	slot = &state->act_hold;
    else if (strcmp(name, "action_discard") == 0)
	slot = &state->act_discard;
    else if (strcmp(name, "action_redirect") == 0)
	slot = &state->act_redirect;
    else if (strcmp(name, "action_prepend") == 0) {
	cleanup_attr_prepend(state, value);
	return;
    } else if (strcmp(name, "uid") == 0) {
	if (str_to_long(value, &num, (struct vstring *) 0) == 0 && num >= 0)
	    state->uid = num;
	return;
    }
    if (slot) {
	myfree(*slot);
	*slot = mystrdup(value);
    }
}

/* cleanup_text_ok - no NUL, CR or LF; with ctl no control character */

static int cleanup_text_ok(const char *cp, size_t len, int ctl)
{
    const unsigned char *p = (const unsigned char *) cp;
    size_t  i;

    for (i = 0; i < len; i++) {
	if (p[i] == 0 || p[i] == '\r' || p[i] == '\n')
	    return (0);
	if (ctl && (p[i] < 0x20 || p[i] == 0x7f))
	    return (0);
    }
    return (1);
}

/* cleanup_attr_ok - "name=value" as the queue file reader wants it */

static char *cleanup_attr_ok(struct vstring *buf)
{
    char   *cp = STR(buf);
    char   *eq = memchr(cp, '=', LEN(buf));
    char   *np;

    if (eq == 0 || eq == cp || eq - cp > CLEANUP_ATTR_NAME_MAX)
	return (0);
    for (np = cp; np < eq; np++)
	if (!((*np >= 'a' && *np <= 'z') || (*np >= '0' && *np <= '9')
	      || *np == '_'))
	    return (0);
    if (!cleanup_text_ok(eq + 1, (size_t) (vstring_end(buf) - eq - 1), 0))
	return (0);
    return (eq);
}

/* cleanup_qualify - append @$myorigin to an address without a domain */

static void cleanup_qualify(struct vstring *buf)
{
    if (LEN(buf) > 0 && memchr(STR(buf), '@', LEN(buf)) == 0) {
	vstring_appendc(buf, '@');
	vstring_appends(buf, var_myorigin);
    }
}

/* cleanup_envelope - the records before the content */

int     cleanup_envelope(struct cleanup_state *state)
{
    int     type;
    char   *eq;
    struct vstring *buf = state->buf;

    for (;;) {
	if ((type = cleanup_read_record(state)) < 0)
	    return (-type);
	if ((type == REC_TYPE_FROM || type == REC_TYPE_ORCP
	     || type == REC_TYPE_RCPT)
	    && !cleanup_text_ok(STR(buf), LEN(buf), 1))
	    return (cleanup_bad(state, "control character in address"));
	switch (type) {
	case REC_TYPE_ATTR:
	    if (state->sender != 0) {
		cleanup_unexpected(state, type);
		return (CLEANUP_READ_BAD);
	    }
	    if ((eq = cleanup_attr_ok(buf)) == 0)
		return (cleanup_bad(state, "malformed attribute record"));
	    cleanup_out_rec(state, type, STR(buf), LEN(buf));
	    *eq = 0;
	    cleanup_attr(state, STR(buf), eq + 1);
	    break;
	case REC_TYPE_FROM:
	    if (state->sender != 0) {
		cleanup_unexpected(state, type);
		return (CLEANUP_READ_BAD);
	    }
	    cleanup_qualify(buf);
	    state->sender = mystrdup(STR(buf));
	    cleanup_out_rec(state, type, STR(buf), LEN(buf));
	    break;
	case REC_TYPE_ORCP:
	    if (state->sender == 0 || state->orcpt_pending) {
		cleanup_unexpected(state, type);
		return (CLEANUP_READ_BAD);
	    }
	    state->orcpt_pending = 1;
	    if (state->act_redirect == 0)
		cleanup_out_rec(state, type, STR(buf), LEN(buf));
	    break;
	case REC_TYPE_DSN:
	    if (state->sender == 0 || state->dsn_pending) {
		cleanup_unexpected(state, type);
		return (CLEANUP_READ_BAD);
	    }
	    if (dsn_rec_parse(STR(buf), LEN(buf), &state->dsn_notify,
			      state->temp) < 0)
		return (cleanup_bad(state, "malformed dsn request record"));
	    state->dsn_pending = 1;
	    if (state->act_redirect == 0 || state->rcpt_count == 0)
		cleanup_out_rec(state, type, STR(buf), LEN(buf));
	    break;
	case REC_TYPE_RCPT:
	    if (state->sender == 0) {
		cleanup_unexpected(state, type);
		return (CLEANUP_READ_BAD);
	    }
	    if (LEN(buf) == 0)
		return (cleanup_bad(state, "empty recipient address"));
	    cleanup_qualify(buf);
	    state->orcpt_pending = 0;
	    state->dsn_pending = 0;
	    state->rcpt_count++;
	    if (state->first_rcpt == 0)
		state->first_rcpt = mystrdup(STR(buf));
	    if (state->act_redirect != 0) {
		/* REDIRECT: one recipient replaces all; the first is ORCPT. */
		if (state->rcpt_count > 1) {
		    state->rcpt_count--;	/* Z counts what is written */
		    break;
		}
		cleanup_out_rec(state, REC_TYPE_ORCP, STR(buf), LEN(buf));
		vstring_strcpy(buf, state->act_redirect);
		cleanup_qualify(buf);
	    }
	    vstring_sprintf(state->temp, "%c", REC_RCPT_TODO);
	    vstring_append(state->temp, STR(buf), LEN(buf));
	    cleanup_out_rec(state, type, STR(state->temp), LEN(state->temp));
	    break;
	case REC_TYPE_MESG:
	    if (state->sender == 0 || state->orcpt_pending
		|| state->dsn_pending || LEN(buf) != 0) {
		cleanup_unexpected(state, type);
		return (CLEANUP_READ_BAD);
	    }
	    cleanup_out_rec(state, type, "", 0);
	    return (CLEANUP_READ_DONE);
	default:
	    cleanup_unexpected(state, type);
	    return (CLEANUP_READ_BAD);
	}
    }
}
