/*++
/* NAME
/*	bounce_notice 3
/* SUMMARY
/*	bounce daemon: compose a delivery status notification
/* SYNOPSIS
/*	#include "bounce.h"
/*
/*	void	bounce_notice_compose(buf, notice)
/*	const char *bounce_notice_subject(notice)
/*	int	bounce_notice_entry_reported(type, entry)
/* DESCRIPTION
/*	bounce_notice_compose() sets buf to the whole notice, header and
/*	body, in lines ending in "\en" (as cleanup takes content): an RFC
/*	3464 multipart/report; report-type=delivery-status with three
/*	parts, (1) text/plain in plain words, (2) message/delivery-status,
/*	(3) the returned message as message/rfc822, or its header as
/*	text/rfc822-headers when notice->headers_only is set. The
/*	boundary is "QUEUEID.ARRIVAL/HOSTNAME", which the original
/*	message cannot contain unless it quotes a notice about itself.
/*
/*	The notice's own header: From: Mail Delivery System
/*	<notice->from>, To: <notice->to>, Subject:
/*	(bounce_notice_subject()), Date:, Auto-Submitted: auto-replied,
/*	MIME-Version and Content-Type. cleanup adds Message-ID and
/*	Received:.
/*
/*	The delivery-status part has the per-message fields Reporting-MTA:
/*	dns; HOSTNAME, X-Dromos-Queue-ID, X-Dromos-Sender, Original-
/*	Envelope-Id (when notice->envid is set) and Arrival-Date, then
/*	for each entry Final-Recipient: rfc822; ADDRESS, Original-Recipient
/*	(the ORCPT as given, when present), Action, Status, Remote-MTA:
/*	dns; HOST (when known), Diagnostic-Code (the remote reply as
/*	logged, "smtp; 550 ...", or "X-Dromos; REASON" for a result of our
/*	own), Last-Attempt-Date, and for a delay Will-Retry-Until.
/*
/*	Every text that came from a log or from another host goes through
/*	one filter: control characters and 8-bit bytes become "?", so a
/*	reason cannot add lines or headers and the text part stays US-ASCII.
/*	Header fields longer than 78 columns are folded at white space;
/*	a word longer than 900 bytes is split, so no line of the notice's
/*	own text exceeds the 998 bytes of RFC 5322.
/*	The returned message is copied as it is; the part is labelled
/*	8bit when it holds 8-bit bytes.
/*
/*	bounce_notice_entry_reported() says whether a log entry belongs
/*	in a notice of type: FAILURE reports "failed" and the success
/*	actions ("delivered", "relayed", "expanded"), SUCCESS only the
/*	success actions, DELAY only "delayed".
/* DIAGNOSTICS
/*	None.
/*--*/
#include <string.h>

#include <vstring.h>

#include <mail_date.h>

#include "bounce.h"

#define BOUNCE_FOLD_COLUMN	78
#define BOUNCE_WRAP_COLUMN	72
#define BOUNCE_WORD_MAX		900	/* longer words are split (RFC 5322: 998) */

/* bounce_clean_append - append text with control and 8-bit bytes as "?" */

static void bounce_clean_append(struct vstring *buf, const char *text)
{
    const unsigned char *cp;

    for (cp = (const unsigned char *) text; *cp; cp++)
	vstring_appendc(buf, (*cp == '\t') ? ' ' :
			(*cp < 32 || *cp >= 127) ? '?' : *cp);
}

/* bounce_words_append - append words, breaking lines before limit */

static void bounce_words_append(struct vstring *buf, const char *text,
				        size_t col, size_t limit,
				        const char *brk, size_t brk_col)
{
    struct vstring *clean = vstring_alloc(100);
    const char *cp;
    const char *sp;
    size_t  word;
    int     fresh = (col == 0);		/* no space before the next word */

    bounce_clean_append(clean, text);
    for (cp = vstring_str(clean); *cp; cp = sp) {
	while (*cp == ' ')
	    cp++;
	if (*cp == 0)
	    break;
	for (sp = cp; *sp && *sp != ' '; sp++)
	     /* void */ ;
	word = (size_t) (sp - cp);
	if (word > BOUNCE_WORD_MAX) {		/* split, lines stay short */
	    word = BOUNCE_WORD_MAX;
	    sp = cp + word;
	}
	if (!fresh && col > brk_col && col + 1 + word > limit) {
	    vstring_appends(buf, brk);
	    col = brk_col;
	    fresh = 1;
	}
	if (!fresh) {
	    vstring_appendc(buf, ' ');
	    col++;
	}
	vstring_append(buf, cp, word);
	col += word;
	fresh = 0;
    }
    vstring_appendc(buf, '\n');
    vstring_free(&clean);
}

/* bounce_fold_append - append "name: value\n", folded at white space */

static void bounce_fold_append(struct vstring *buf, const char *name,
			               const char *value)
{
    vstring_sprintf_append(buf, "%s:", name);
    bounce_words_append(buf, value, strlen(name) + 1, BOUNCE_FOLD_COLUMN,
			"\n\t", 8);
}

/* bounce_wrap_append - append a paragraph wrapped at 72 columns */

static void bounce_wrap_append(struct vstring *buf, const char *text,
			               const char *indent)
{
    struct vstring *brk = vstring_alloc(10);

    vstring_sprintf(brk, "\n%s", indent);
    bounce_words_append(buf, text, 0, BOUNCE_WRAP_COLUMN, vstring_str(brk),
			strlen(indent));
    vstring_free(&brk);
}

/* bounce_success_action - an action that reports a delivery */

static int bounce_success_action(const char *action)
{
    return (strcmp(action, "delivered") == 0
	    || strcmp(action, "relayed") == 0
	    || strcmp(action, "expanded") == 0);
}

/* bounce_notice_entry_reported - does a notice of this type report it */

int     bounce_notice_entry_reported(int type, const struct dsn_entry *e)
{
    switch (type) {
    case BOUNCE_TYPE_FAILURE:
	return (strcmp(e->action, "failed") == 0
		|| bounce_success_action(e->action));
    case BOUNCE_TYPE_SUCCESS:
	return (bounce_success_action(e->action));
    case BOUNCE_TYPE_DELAY:
	return (strcmp(e->action, "delayed") == 0);
    default:
	return (0);
    }
}

/* bounce_notice_subject - the Subject: of a notice */

const char *bounce_notice_subject(const struct bounce_notice *n)
{
    switch (n->type) {
    case BOUNCE_TYPE_SUCCESS:
	return ("Successful Mail Delivery Report");
    case BOUNCE_TYPE_DELAY:
	return ("Delayed Mail (still being retried)");
    default:
	return ("Undelivered Mail Returned to Sender");
    }
}

/* bounce_entry_text - one recipient in the text part */

static void bounce_entry_text(struct vstring *buf, const struct dsn_entry *e)
{
    struct vstring *line = vstring_alloc(200);

    vstring_sprintf(line, "<%s>", e->rcpt);
    if (e->orig && *e->orig && strcmp(e->orig, e->rcpt) != 0)
	vstring_sprintf_append(line, " (expanded from <%s>)", e->orig);
    vstring_sprintf_append(line, ": %s", e->reason && *e->reason ?
			   e->reason : e->status);
    if (e->diag && *e->diag && (e->reason == 0
				|| strstr(e->reason, e->diag) == 0))
	vstring_sprintf_append(line, " (remote reply: %s)", e->diag);
    vstring_appendc(buf, '\n');
    bounce_wrap_append(buf, vstring_str(line), "    ");
    vstring_free(&line);
}

/* bounce_text_part - the plain words */

static void bounce_text_part(struct vstring *buf, const struct bounce_notice *n)
{
    struct vstring *date = vstring_alloc(64);
    struct vstring *para = vstring_alloc(200);
    size_t  i;
    int     successes = 0;

    vstring_sprintf_append(buf, "This is the mail system at host %s.\n\n",
			   n->hostname);
    switch (n->type) {
    case BOUNCE_TYPE_FAILURE:
	if (n->postmaster_copy) {
	    vstring_sprintf(para, "A message with the sender <%s> could "
			    "not be delivered. It is mail about mail (a "
			    "delivery status notification or similar), so "
			    "it is not returned to its sender; this copy "
			    "goes to the postmaster instead. The reasons "
			    "are below, and the message is attached.",
			    n->sender);
	} else {
	    vstring_strcpy(para, "Your message could not be delivered to "
			   "one or more of its recipients. The reasons are "
			   "below, and the message (or its header) is "
			   "attached.");
	}
	bounce_wrap_append(buf, vstring_str(para), "");
	vstring_appends(buf, "\nFor further help, write to postmaster and "
			"include this report.\n");
	break;
    case BOUNCE_TYPE_SUCCESS:
	bounce_wrap_append(buf, "Your message was delivered to the "
			   "recipients below, as you asked. Where it went "
			   "into a mailbox you get no further notice; where "
			   "it was relayed to a system that does not report "
			   "deliveries, or expanded by an alias or a mailing "
			   "list, that is as far as this report can go.", "");
	break;
    case BOUNCE_TYPE_DELAY:
	vstring_appends(buf, "THIS IS A WARNING ONLY: you do not need to "
			"send your message again.\n\n");
	mail_date(date, (time_t) n->give_up);
	vstring_sprintf(para, "Your message could not yet be delivered to "
			"the recipients below. The mail system keeps "
			"trying until %s (%ld hours after it arrived); then "
			"it gives up and tells you.", vstring_str(date),
			(n->give_up - n->arrival) / 3600);
	bounce_wrap_append(buf, vstring_str(para), "");
	break;
    }
    vstring_appends(buf, "\n                   The mail system\n");
    for (i = 0; i < n->count; i++) {
	if (n->type == BOUNCE_TYPE_FAILURE
	    && bounce_success_action(n->entries[i].action)) {
	    successes++;
	    continue;
	}
	bounce_entry_text(buf, n->entries + i);
    }
    if (successes > 0) {
	vstring_appends(buf, "\nThe message was delivered to these "
			"recipients:\n");
	for (i = 0; i < n->count; i++)
	    if (bounce_success_action(n->entries[i].action))
		bounce_entry_text(buf, n->entries + i);
    }
    vstring_free(&date);
    vstring_free(&para);
}

/* bounce_status_part - message/delivery-status fields */

static void bounce_status_part(struct vstring *buf,
			               const struct bounce_notice *n)
{
    struct vstring *val = vstring_alloc(200);
    const struct dsn_entry *e;
    size_t  i;

    vstring_sprintf(val, "dns; %s", n->hostname);
    bounce_fold_append(buf, "Reporting-MTA", vstring_str(val));
    bounce_fold_append(buf, "X-Dromos-Queue-ID", n->queue_id);
    vstring_sprintf(val, "rfc822; %s", n->sender);
    bounce_fold_append(buf, "X-Dromos-Sender", vstring_str(val));
    if (n->envid && *n->envid)
	bounce_fold_append(buf, "Original-Envelope-Id", n->envid);
    bounce_fold_append(buf, "Arrival-Date",
		       vstring_str(mail_date(val, (time_t) n->arrival)));
    for (i = 0; i < n->count; i++) {
	e = n->entries + i;
	vstring_appendc(buf, '\n');
	vstring_sprintf(val, "rfc822; %s", e->rcpt);
	bounce_fold_append(buf, "Final-Recipient", vstring_str(val));
	if (e->orcpt && *e->orcpt)
	    bounce_fold_append(buf, "Original-Recipient", e->orcpt);
	bounce_fold_append(buf, "Action", e->action);
	bounce_fold_append(buf, "Status", e->status);
	if (e->mta && *e->mta) {
	    vstring_sprintf(val, "dns; %s", e->mta);
	    bounce_fold_append(buf, "Remote-MTA", vstring_str(val));
	}
	if (e->diag && *e->diag) {
	    bounce_fold_append(buf, "Diagnostic-Code", e->diag);
	} else if (e->reason && *e->reason) {
	    vstring_sprintf(val, "X-Dromos; %s", e->reason);
	    bounce_fold_append(buf, "Diagnostic-Code", vstring_str(val));
	}
	if (e->time > 0)
	    bounce_fold_append(buf, "Last-Attempt-Date",
			       vstring_str(mail_date(val, (time_t) e->time)));
	if (n->type == BOUNCE_TYPE_DELAY && n->give_up > 0)
	    bounce_fold_append(buf, "Will-Retry-Until",
			    vstring_str(mail_date(val, (time_t) n->give_up)));
    }
    vstring_free(&val);
}

/* bounce_has_8bit - any byte above 127 */

static int bounce_has_8bit(const char *text, size_t len)
{
    size_t  i;

    for (i = 0; i < len; i++)
	if ((unsigned char) text[i] > 127)
	    return (1);
    return (0);
}

/* bounce_notice_compose - the whole notice */

void    bounce_notice_compose(struct vstring *buf, const struct bounce_notice *n)
{
    struct vstring *boundary = vstring_alloc(100);
    struct vstring *val = vstring_alloc(100);
    int     eight = bounce_has_8bit(n->content, n->content_len);

    vstring_sprintf(boundary, "%s.%ld/", n->queue_id, n->arrival);
    bounce_clean_append(boundary, n->hostname);
    vstring_reset(buf);
    vstring_sprintf(val, "Mail Delivery System <%s>", n->from);
    bounce_fold_append(buf, "From", vstring_str(val));
    vstring_sprintf(val, "<%s>", n->to);
    bounce_fold_append(buf, "To", vstring_str(val));
    bounce_fold_append(buf, "Subject", bounce_notice_subject(n));
    bounce_fold_append(buf, "Date", vstring_str(mail_date(val,
							(time_t) n->now)));
    vstring_appends(buf, "Auto-Submitted: auto-replied\n"
		    "MIME-Version: 1.0\n"
		    "Content-Type: multipart/report; "
		    "report-type=delivery-status;\n");
    vstring_sprintf_append(buf, "\tboundary=\"%s\"\n", vstring_str(boundary));
    vstring_sprintf_append(buf, "Content-Transfer-Encoding: %s\n\n",
			   eight ? "8bit" : "7bit");
    vstring_appends(buf, "This is a MIME-encapsulated message.\n\n");

    vstring_sprintf_append(buf, "--%s\n", vstring_str(boundary));
    vstring_appends(buf, "Content-Description: Notification\n"
		    "Content-Type: text/plain; charset=us-ascii\n\n");
    bounce_text_part(buf, n);

    vstring_sprintf_append(buf, "\n--%s\n", vstring_str(boundary));
    vstring_appends(buf, "Content-Description: Delivery report\n"
		    "Content-Type: message/delivery-status\n\n");
    bounce_status_part(buf, n);

    vstring_sprintf_append(buf, "\n--%s\n", vstring_str(boundary));
    if (n->headers_only)
	vstring_sprintf_append(buf, "Content-Description: %s\n"
			       "Content-Type: text/rfc822-headers\n",
			       n->type == BOUNCE_TYPE_FAILURE ?
			       "Undelivered Message Headers" :
			       "Message Headers");
    else
	vstring_sprintf_append(buf, "Content-Description: %s\n"
			       "Content-Type: message/rfc822\n",
			       n->type == BOUNCE_TYPE_FAILURE ?
			       "Undelivered Message" : "Message");
    if (eight)
	vstring_appends(buf, "Content-Transfer-Encoding: 8bit\n");
    vstring_appendc(buf, '\n');
    vstring_append(buf, n->content, n->content_len);
    if (n->content_len > 0 && n->content[n->content_len - 1] != '\n')
	vstring_appendc(buf, '\n');
    vstring_sprintf_append(buf, "\n--%s--\n", vstring_str(boundary));
    vstring_free(&boundary);
    vstring_free(&val);
}
