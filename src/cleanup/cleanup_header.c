/*++
/* NAME
/*	cleanup_header 3
/* SUMMARY
/*	cleanup daemon: message header processing
/* SYNOPSIS
/*	#include "cleanup.h"
/*
/*	struct cleanup_header *cleanup_header_alloc(limit, out, context)
/*	void	cleanup_header_missing(h, date, msgid, from)
/*	void	cleanup_header_prepend(h, text, len)
/*	void	cleanup_header_feed(h, data, len)
/*	void	cleanup_header_end(h)
/*	void	cleanup_header_free(&h)
/*
/*	ssize_t	cleanup_header_name_len(line, len)
/*	struct vstring *cleanup_header_msgid(buf, when, queue_id, host)
/*	struct vstring *cleanup_header_received(buf, info)
/* DESCRIPTION
/*	This module turns the message content a client sent into the
/*	content of the queue file. It depends on nothing but strings, so
/*	it is unit-tested and fuzzed without the daemon.
/*
/*	cleanup_header_alloc() makes a processor whose output goes to
/*	out(context, data, len); limit is header_size_limit, the most
/*	bytes one logical header (its first line and all continuation
/*	lines) may have. cleanup_header_missing() gives the values of the
/*	Date:, Message-ID: and From: headers to add when the message lacks
/*	them (NULL: never add that one). cleanup_header_prepend() outputs
/*	text (the Received: header, whole lines) before the message's own
/*	headers; it counts as header. cleanup_header_feed() takes content
/*	bytes in pieces of any size (lines may span pieces);
/*	cleanup_header_end() ends the content. After that the structure
/*	says what was seen: received (count of Received: headers), seen
/*	and added (CLEANUP_HDR_* bits), msgid and resent_msgid (the first
/*	value of each, or the added one), content_size and header_size
/*	(as the queue file's Z record wants them), oversize and
/*	eoh_inserted.
/*
/*	The rules (RFC 5322 section 2.2 and 3.6, with Postfix's choices):
/* .IP \(bu
/*	A header field starts with a name of printable ASCII other than
/*	":" (33-126), optional blanks (obsolete syntax), then ":". A line
/*	that begins with a space or tab continues the field before it.
/* .IP \(bu
/*	The header section ends at the first empty line, at the end of
/*	the content, or at the first line that is neither a header field
/*	nor a continuation (e.g. body text with no empty line before it,
/*	or a continuation line with no field to continue). In the last
/*	case an empty line is inserted before that line (eoh_inserted),
/*	so that the body stays body for every reader (as Postfix's
/*	cleanup does with non_empty_end_of_header_action = fix_quietly).
/* .IP \(bu
/*	A header longer than limit (with its continuation lines) is not
/*	truncated: it ends the header section, and that header and
/*	everything after it go to the body unchanged, after an inserted
/*	empty line (oversize). This is Postfix's long-standing rule
/*	("header info that exceeds $header_size_limit bytes forces the
/*	start of the message body"), made visible to readers by the empty
/*	line. Memory use is bounded by limit plus one input piece.
/* .IP \(bu
/*	Names are compared without regard to case. When any Resent-*
/*	header is present the message is being resent, and the headers
/*	added are Resent-Message-ID:, Resent-Date: and Resent-From:
/*	instead (each only when missing), as Postfix does.
/* .IP \(bu
/*	Missing headers are appended at the end of the header section
/*	in this order: Message-ID, Date, From.
/* .IP \(bu
/*	Content that does not end in a newline gets one, so every line
/*	of the output ends in "\en".
/* .PP
/*	cleanup_header_name_len() returns the length of the field name
/*	when line begins a header field, or -1.
/*
/*	(The Date: value comes from mail_date(3).)
/*	cleanup_header_msgid() makes a Message-ID value in Postfix's style,
/*	"<YYYYMMDDhhmmss.QUEUEID@host>" (UTC time).
/*	cleanup_header_received() makes the Received: header (several
/*	lines, ending in "\en") in Postfix's shape, for an SMTP client
/*	(client_addr set) or a local submission; control characters in
/*	the values are replaced with "?", so a client cannot inject lines.
/* DIAGNOSTICS
/*	None.
/*--*/
#include <sys/types.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <mymalloc.h>
#include <vstring.h>

#include "cleanup.h"

#define STR(x)	vstring_str(x)
#define LEN(x)	vstring_len(x)

/* cleanup_header_alloc - make a header processor */

struct cleanup_header *cleanup_header_alloc(size_t limit,
				             cleanup_header_out_fn out,
					            void *context)
{
    struct cleanup_header *h = mycalloc(1, sizeof(*h));

    h->limit = limit > 0 ? limit : 1;
    h->out = out;
    h->context = context;
    h->line = vstring_alloc(256);
    h->hdr = vstring_alloc(256);
    h->scratch = vstring_alloc(256);
    h->last = -1;
    return (h);
}

/* cleanup_header_missing - values for headers to add when missing */

void    cleanup_header_missing(struct cleanup_header *h, const char *date,
			               const char *msgid, const char *from)
{
    myfree(h->add_date);
    myfree(h->add_msgid);
    myfree(h->add_from);
    h->add_date = date ? mystrdup(date) : 0;
    h->add_msgid = msgid ? mystrdup(msgid) : 0;
    h->add_from = from ? mystrdup(from) : 0;
}

/* cleanup_header_free - destroy */

void    cleanup_header_free(struct cleanup_header **hp)
{
    struct cleanup_header *h = *hp;

    if (h == 0)
	return;
    vstring_free(&h->line);
    vstring_free(&h->hdr);
    vstring_free(&h->scratch);
    myfree(h->msgid);
    myfree(h->resent_msgid);
    myfree(h->add_date);
    myfree(h->add_msgid);
    myfree(h->add_from);
    myfree(h);
    *hp = 0;
}

/* header_emit - send bytes to the output */

static void header_emit(struct cleanup_header *h, const char *data, size_t len)
{
    if (len == 0)
	return;
    h->out(h->context, data, len);
    h->content_size += (off_t) len;
    h->last = (unsigned char) data[len - 1];
}

/* cleanup_header_prepend - output text before the message headers */

void    cleanup_header_prepend(struct cleanup_header *h, const char *text,
			               size_t len)
{
    header_emit(h, text, len);
}

/* cleanup_header_name_len - length of the field name, or -1 */

ssize_t cleanup_header_name_len(const char *line, size_t len)
{
    size_t  i = 0;
    size_t  name_len;

    while (i < len && (unsigned char) line[i] >= 33
	   && (unsigned char) line[i] <= 126 && line[i] != ':')
	i++;
    if (i == 0)
	return (-1);
    name_len = i;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
	i++;
    if (i < len && line[i] == ':')
	return ((ssize_t) name_len);
    return (-1);
}

/* header_name_is - case-insensitive name comparison */

static int header_name_is(const char *name, size_t len, const char *want)
{
    return (strlen(want) == len && strncasecmp(name, want, len) == 0);
}

/* header_value - the unfolded, trimmed value of a header, capped */

static char *header_value(const char *hdr, size_t len, size_t name_len)
{
    const char *cp = memchr(hdr + name_len, ':', len - name_len);
    const char *end = hdr + len;
    struct vstring *val = vstring_alloc(100);
    size_t  n;

    for (cp = cp + 1; cp < end && LEN(val) < CLEANUP_HDR_VALUE_MAX; cp++) {
	if (*cp == '\n' || *cp == '\r')
	    continue;
	if (LEN(val) == 0 && (*cp == ' ' || *cp == '\t'))
	    continue;
	vstring_appendc(val, *cp == '\t' ? ' ' : *cp);
    }
    n = LEN(val);
    while (n > 0 && STR(val)[n - 1] == ' ')
	n--;
    vstring_truncate(val, n);
    return (vstring_export(&val));
}

/* header_done - classify and output one complete logical header */

static void header_done(struct cleanup_header *h)
{
    const char *hdr = STR(h->hdr);
    size_t  len = LEN(h->hdr);
    ssize_t nlen = cleanup_header_name_len(hdr, len);

    if (nlen > 0) {
	size_t  n = (size_t) nlen;

	if (header_name_is(hdr, n, "received")) {
	    h->received++;
	} else if (header_name_is(hdr, n, "date")) {
	    h->seen |= CLEANUP_HDR_DATE;
	} else if (header_name_is(hdr, n, "from")) {
	    h->seen |= CLEANUP_HDR_FROM;
	} else if (header_name_is(hdr, n, "message-id")) {
	    if ((h->seen & CLEANUP_HDR_MSGID) == 0)
		h->msgid = header_value(hdr, len, n);
	    h->seen |= CLEANUP_HDR_MSGID;
	} else if (n > 7 && strncasecmp(hdr, "resent-", 7) == 0) {
	    h->seen |= CLEANUP_HDR_RESENT;
	    if (header_name_is(hdr, n, "resent-date")) {
		h->seen |= CLEANUP_HDR_RDATE;
	    } else if (header_name_is(hdr, n, "resent-from")) {
		h->seen |= CLEANUP_HDR_RFROM;
	    } else if (header_name_is(hdr, n, "resent-message-id")) {
		if ((h->seen & CLEANUP_HDR_RMSGID) == 0)
		    h->resent_msgid = header_value(hdr, len, n);
		h->seen |= CLEANUP_HDR_RMSGID;
	    }
	}
    }
    header_emit(h, hdr, len);
    vstring_reset(h->hdr);
}

/* header_add - append one missing header */

static void header_add(struct cleanup_header *h, const char *prefix,
		               const char *name, const char *value)
{
    vstring_sprintf(h->scratch, "%s%s: %s\n", prefix, name, value);
    header_emit(h, STR(h->scratch), LEN(h->scratch));
}

/* header_section_end - add missing headers, leave the header section */

static void header_section_end(struct cleanup_header *h, int blank_line)
{
    int     resent = (h->seen & CLEANUP_HDR_RESENT) != 0;
    const char *prefix = resent ? "Resent-" : "";
    int     bit;

    bit = resent ? CLEANUP_HDR_RMSGID : CLEANUP_HDR_MSGID;
    if ((h->seen & bit) == 0 && h->add_msgid) {
	header_add(h, prefix, "Message-ID", h->add_msgid);
	h->added |= bit;
	if (resent)
	    h->resent_msgid = mystrdup(h->add_msgid);
	else
	    h->msgid = mystrdup(h->add_msgid);
    }
    bit = resent ? CLEANUP_HDR_RDATE : CLEANUP_HDR_DATE;
    if ((h->seen & bit) == 0 && h->add_date) {
	header_add(h, prefix, "Date", h->add_date);
	h->added |= bit;
    }
    bit = resent ? CLEANUP_HDR_RFROM : CLEANUP_HDR_FROM;
    if ((h->seen & bit) == 0 && h->add_from) {
	header_add(h, prefix, "From", h->add_from);
	h->added |= bit;
    }
    if (blank_line)
	header_emit(h, "\n", 1);
    h->header_size = h->content_size;
    h->in_body = 1;
}

/* header_line - one complete line ("\n" included) in the header section */

static void header_line(struct cleanup_header *h, const char *line, size_t len)
{
    if (LEN(h->hdr) > 0) {
	if (line[0] == ' ' || line[0] == '\t') {
	    vstring_append(h->hdr, line, len);
	    return;
	}
	header_done(h);
    }
    if (len == 1 && line[0] == '\n') {
	header_section_end(h, 1);
    } else if (cleanup_header_name_len(line, len) > 0) {
	vstring_append(h->hdr, line, len);
    } else {
	header_section_end(h, 1);
	h->eoh_inserted = 1;
	header_emit(h, line, len);
    }
}

/* header_too_long - a header beyond the limit: it and the rest are body */

static void header_too_long(struct cleanup_header *h)
{
    header_section_end(h, 1);
    h->oversize = 1;
    h->eoh_inserted = 1;
    header_emit(h, STR(h->hdr), LEN(h->hdr));
    header_emit(h, STR(h->line), LEN(h->line));
    vstring_reset(h->hdr);
    vstring_reset(h->line);
}

/* header_over_limit - would the pending header exceed the limit? */

static int header_over_limit(struct cleanup_header *h)
{
    return (LEN(h->hdr) + LEN(h->line) > h->limit);
}

/* cleanup_header_feed - process content bytes */

void    cleanup_header_feed(struct cleanup_header *h, const char *data,
			            size_t len)
{
    const char *nl;
    size_t  n;

    while (len > 0 && !h->in_body) {
	nl = memchr(data, '\n', len);
	n = nl ? (size_t) (nl - data) + 1 : len;
	vstring_append(h->line, data, n);
	data += n;
	len -= n;
	/* A line that is no continuation completes the pending header. */
	if (LEN(h->hdr) > 0 && STR(h->line)[0] != ' '
	    && STR(h->line)[0] != '\t')
	    header_done(h);
	if (header_over_limit(h)) {
	    header_too_long(h);
	    break;
	}
	if (nl) {
	    header_line(h, STR(h->line), LEN(h->line));
	    vstring_reset(h->line);
	}
    }
    if (len > 0)
	header_emit(h, data, len);
}

/* cleanup_header_end - end of content */

void    cleanup_header_end(struct cleanup_header *h)
{
    if (h->ended)
	return;
    h->ended = 1;
    if (!h->in_body) {
	if (LEN(h->line) > 0) {
	    vstring_appendc(h->line, '\n');
	    header_line(h, STR(h->line), LEN(h->line));
	    vstring_reset(h->line);
	}
    }
    if (!h->in_body) {
	if (LEN(h->hdr) > 0)
	    header_done(h);
	header_section_end(h, 0);
    } else if (h->last != '\n' && h->last != -1) {
	header_emit(h, "\n", 1);
    }
}

/* sanitize_append - append a value with control characters replaced */

static void sanitize_append(struct vstring *buf, const char *value)
{
    const unsigned char *cp;

    for (cp = (const unsigned char *) value; *cp; cp++)
	vstring_appendc(buf, (*cp < 32 || *cp == 127) ? '?' : *cp);
}

/* cleanup_header_msgid - <YYYYMMDDhhmmss.QUEUEID@host> */

struct vstring *cleanup_header_msgid(struct vstring *buf, time_t when,
				             const char *queue_id,
				             const char *host)
{
    struct tm tm;

    gmtime_r(&when, &tm);
    vstring_sprintf(buf, "<%04d%02d%02d%02d%02d%02d.", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
    sanitize_append(buf, queue_id);
    vstring_appendc(buf, '@');
    sanitize_append(buf, host);
    vstring_appendc(buf, '>');
    return (buf);
}

/* cleanup_header_received - the Received: header, Postfix's shape */

struct vstring *cleanup_header_received(struct vstring *buf,
				          const struct cleanup_received *r)
{
    const char *name = (r->client_name && *r->client_name) ?
    r->client_name : "unknown";
    const char *helo = (r->helo && *r->helo) ? r->helo : name;

    vstring_reset(buf);
    if (r->client_addr && *r->client_addr) {
	vstring_appends(buf, "Received: from ");
	sanitize_append(buf, helo);
	vstring_appends(buf, " (");
	sanitize_append(buf, name);
	vstring_appends(buf, " [");
	sanitize_append(buf, r->client_addr);
	vstring_appends(buf, "])\n\tby ");
	sanitize_append(buf, r->hostname);
	vstring_appends(buf, " (");
	sanitize_append(buf, r->mail_name);
	vstring_appends(buf, ")");
	if (r->protocol && *r->protocol) {
	    vstring_appends(buf, " with ");
	    sanitize_append(buf, r->protocol);
	}
	vstring_appends(buf, " id ");
    } else {
	vstring_appends(buf, "Received: by ");
	sanitize_append(buf, r->hostname);
	vstring_appends(buf, " (");
	sanitize_append(buf, r->mail_name);
	if (r->uid >= 0)
	    vstring_sprintf_append(buf, ", from userid %ld", r->uid);
	vstring_appends(buf, ")\n\tid ");
    }
    sanitize_append(buf, r->queue_id);
    if (r->rcpt) {
	vstring_appends(buf, "\n\tfor <");
	sanitize_append(buf, r->rcpt);
	vstring_appends(buf, ">");
    }
    vstring_appends(buf, "; ");
    sanitize_append(buf, r->date);
    vstring_appendc(buf, '\n');
    return (buf);
}
