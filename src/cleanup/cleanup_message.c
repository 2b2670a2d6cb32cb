/*++
/* NAME
/*	cleanup_message 3
/* SUMMARY
/*	cleanup daemon: the message content and the end of a message
/* SYNOPSIS
/*	#include "cleanup.h"
/*
/*	int	cleanup_message(state)
/* DESCRIPTION
/*	cleanup_message() is called after the M record. It builds the
/*	Received: header and the values of missing headers, reads the C
/*	records through the header processor (cleanup_header.c) into the
/*	queue file, then expects X and E. It enforces message_size_limit
/*	(on the content bytes the client sent; past it the rest is read
/*	and discarded so the protocol stays in step: CLEANUP_STAT_SIZE)
/*	and hopcount_limit (a message that already has hopcount_limit or
/*	more Received: headers would exceed the limit with ours:
/*	CLEANUP_STAT_HOPS); no recipients is CLEANUP_STAT_RCPT. When all
/*	is well it writes X, Z and E and commits the file.
/*
/*	Return values as cleanup_envelope(); the outcome is in
/*	state->status.
/* DIAGNOSTICS
/*	"ID: message-id=<...>" (the existing or the added one; also
/*	"resent-message-id=" for a resent message); warnings for rejected
/*	messages and protocol violations.
/*--*/
#include <string.h>

#include <msg.h>
#include <vstring.h>

#include <cleanup_clnt.h>
#include <mail_date.h>
#include <mail_params.h>
#include <rec.h>

#include "cleanup.h"

#define STR(x)	vstring_str(x)
#define LEN(x)	vstring_len(x)

/* cleanup_display_name - "Full Name" and a space, quoted (RFC 5322) */

static void cleanup_display_name(struct vstring *buf, const char *name)
{
    const char *cp;

    vstring_appendc(buf, '"');
    for (cp = name; *cp; cp++) {
	if (*cp == '"' || *cp == '\\')
	    vstring_appendc(buf, '\\');
	vstring_appendc(buf, *cp);
    }
    vstring_appends(buf, "\" ");
}

/* cleanup_message_start - set up header processing */

static void cleanup_message_start(struct cleanup_state *state)
{
    struct cleanup_received r;
    struct vstring *date = vstring_alloc(64);
    struct vstring *msgid = vstring_alloc(100);
    struct vstring *from = vstring_alloc(100);
    time_t  when = state->arrival.tv_sec;

    state->hdr = cleanup_header_alloc((size_t) var_header_limit,
				      cleanup_out_content, (void *) state);
    mail_date(date, when);
    cleanup_header_msgid(msgid, when, STR(state->queue_id), var_myhostname);
    if (state->sender == 0 || *state->sender == 0) {
	vstring_strcpy(from, "MAILER-DAEMON");
    } else {
	vstring_strcpy(from, "");
	if (state->full_name && *state->full_name)
	    cleanup_display_name(from, state->full_name);
	vstring_appends(from, "<");
	vstring_appends(from, state->sender);
	vstring_appends(from, ">");
	{
	    char   *cp;

	    for (cp = STR(from); *cp; cp++)
		if ((unsigned char) *cp < 32 || *cp == 127)
		    *cp = '?';
	}
    }
    cleanup_header_missing(state->hdr, STR(date), STR(msgid), STR(from));
    memset(&r, 0, sizeof(r));
    r.helo = state->helo_name;
    r.client_name = state->client_name;
    r.client_addr = state->client_addr;
    r.protocol = state->protocol;
    r.hostname = var_myhostname;
    r.mail_name = var_mail_name;
    r.queue_id = STR(state->queue_id);
    r.rcpt = state->rcpt_count == 1 ? state->first_rcpt : 0;
    r.date = STR(date);
    r.uid = state->uid;
    /* smtpd's PREPEND headers go above our Received: header. */
    if (LEN(state->act_prepend) > 0)
	cleanup_header_prepend(state->hdr, STR(state->act_prepend),
			       LEN(state->act_prepend));
    cleanup_header_received(state->temp, &r);
    cleanup_header_prepend(state->hdr, STR(state->temp), LEN(state->temp));
    vstring_free(&date);
    vstring_free(&msgid);
    vstring_free(&from);
}

/* cleanup_message_reject - note a rejected message */

static void cleanup_message_reject(struct cleanup_state *state, int bit,
				           const char *reason)
{
    if ((state->status & bit) == 0)
	msg_warn("%s: message rejected: %s", STR(state->queue_id), reason);
    state->status |= bit;
    vstring_strcpy(state->reason, reason);
}

/* cleanup_message - content, end of message, commit */

int     cleanup_message(struct cleanup_state *state)
{
    struct cleanup_header *h;
    int     type;

    cleanup_message_start(state);
    h = state->hdr;

    /*
     * Content: C* X.
     */
    for (;;) {
	if ((type = cleanup_read_record(state)) < 0)
	    return (-type);
	if (type == REC_TYPE_XTRA && LEN(state->buf) == 0)
	    break;
	if (type != REC_TYPE_CONT) {
	    cleanup_unexpected(state, type);
	    return (CLEANUP_READ_BAD);
	}
	state->client_size += (off_t) LEN(state->buf);
	if (var_message_limit > 0 && state->client_size > var_message_limit)
	    cleanup_message_reject(state, CLEANUP_STAT_SIZE,
				   "message file too big");
	if (state->status != CLEANUP_STAT_OK)
	    continue;
	cleanup_header_feed(h, STR(state->buf), LEN(state->buf));
	if (h->received >= var_hopcount_limit)
	    cleanup_message_reject(state, CLEANUP_STAT_HOPS, "too many hops");
    }

    /*
     * The end record.
     */
    if ((type = cleanup_read_record(state)) < 0)
	return (-type);
    if (type != REC_TYPE_END || LEN(state->buf) != 0) {
	cleanup_unexpected(state, type);
	return (CLEANUP_READ_BAD);
    }
    if (state->status == CLEANUP_STAT_OK) {
	cleanup_header_end(h);
	if (h->received >= var_hopcount_limit)
	    cleanup_message_reject(state, CLEANUP_STAT_HOPS, "too many hops");
	if (h->oversize)
	    msg_info("%s: a header exceeds header_size_limit (%ld bytes): "
		     "it and the rest of the content are message body",
		     STR(state->queue_id), var_header_limit);
    }
    if (h->msgid)
	msg_info("%s: message-id=%s", STR(state->queue_id), h->msgid);
    if (h->resent_msgid)
	msg_info("%s: resent-message-id=%s", STR(state->queue_id),
		 h->resent_msgid);
    if (state->rcpt_count == 0)
	cleanup_message_reject(state, CLEANUP_STAT_RCPT, "no recipients");
    if (state->status == CLEANUP_STAT_OK)
	(void) cleanup_out_finish(state);
    return (CLEANUP_READ_DONE);
}
