/*++
/* NAME
/*	smtp_proto 3
/* SUMMARY
/*	one mail transaction with a peer
/* SYNOPSIS
/*	#include "smtp.h"
/*
/*	int	smtp_transaction(session, reqs, count, fd, info, results)
/* DESCRIPTION
/*	smtp_transaction() sends one message (the queue file open on fd,
/*	its envelope in info) to the recipients of reqs[0..count) over
/*	session, and fills results[i] for each.
/*
/*	MAIL FROM gets SIZE=n when the peer announced SIZE, BODY=8BITMIME
/*	when the content has 8-bit bytes and the peer takes them, and
/*	RET and ENVID when the peer announced DSN (each RCPT TO then gets
/*	the recipient's NOTIFY and ORCPT). With PIPELINING, MAIL, every
/*	RCPT and DATA go out in one write and the replies are read in
/*	order (RFC 2920); without it, one command at a time. A message
/*	larger than the peer's SIZE limit is bounced (5.3.4) without being
/*	sent. 8-bit content for a peer without 8BITMIME is handled as
/*	$smtp_8bitmime_fallback says: convert (smtp_mime(3)), send,
/*	defer (4.6.3) or bounce (5.6.3).
/*
/*	Results: a 2xx reply to the end of the content makes every
/*	accepted recipient sent; a 4xx reply to a command defers the
/*	recipients it concerns and a 5xx reply bounces them, with the
/*	peer's reply kept ("host mx.example[192.0.2.1] said: 550 5.1.1
/*	<bob@example>: unknown user (in reply to RCPT TO command)", and
/*	"smtp; 550 5.1.1 ..." as the diagnostic for notices). A recipient
/*	the peer refused is not affected by what happens to the others.
/*	A lost connection or a timeout defers every recipient without a
/*	final result.
/*
/*	The content goes out with CRLF line ends and dot-stuffing, from
/*	the queue file (read into memory: at most $message_size_limit).
/* DIAGNOSTICS
/*	0 when the session can carry another message, -1 when it must be
/*	closed (lost, timed out, or out of step with the peer).
/*--*/
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <deliver_request.h>
#include <dsn.h>
#include <mail_params.h>
#include <qfile.h>
#include <smtp_reply.h>

#include "smtp.h"

/* smtp_result - set one recipient's result */

static void __attribute__((format(printf, 5, 6)))
        smtp_result(struct smtp_result *res, int status, const char *dsn,
		            const char *mta, const char *fmt,...)
{
    va_list ap;

    res->status = status;
    vstring_strcpy(res->dsn, dsn);
    vstring_strcpy(res->mta, mta ? mta : "");
    vstring_reset(res->reason);
    va_start(ap, fmt);
    vstring_vsprintf_append(res->reason, fmt, ap);
    va_end(ap);
}

/* smtp_result_reply - result from a peer's reply to a command */

static void smtp_result_reply(struct smtp_result *res, struct smtp_session *s,
			              struct smtp_reply *r, const char *command)
{
    int     status = r->code / 100 == 2 ? DELIVER_STAT_SENT :
    r->code / 100 == 5 ? DELIVER_STAT_BOUNCE : DELIVER_STAT_DEFER;
    char    dsn[16];

    /* A 3xx where a 2xx/4xx/5xx belongs: the peer is confused; retry. */
    memcpy(dsn, r->dsn, sizeof(dsn));
    if (r->code / 100 == 3)
	memcpy(dsn, "4.5.0", 6);
    smtp_result(res, status, dsn, s->host, "host %s said: %s (in reply to "
		"%s command)", vstring_str(s->namaddr), vstring_str(r->text),
		command);
    vstring_sprintf(res->diag, "smtp; %s", vstring_str(r->text));
}

/* smtp_result_lost - every recipient without a result is deferred */

static void smtp_result_lost(struct smtp_session *s, struct smtp_result *res,
			             size_t count, const char *what)
{
    size_t  i;
    struct vstring *text = vstring_alloc(100);

    if (vstream_status(s->stream) == VSTREAM_TIMEOUT)
	vstring_sprintf(text, "conversation with %s timed out while %s",
			vstring_str(s->namaddr), what);
    else
	vstring_sprintf(text, "lost connection with %s while %s",
			vstring_str(s->namaddr), what);
    for (i = 0; i < count; i++)
	if (res[i].status < 0 || (res[i].status == DELIVER_STAT_SENT))
	    smtp_result(res + i, DELIVER_STAT_DEFER, "4.4.2", s->host, "%s",
			vstring_str(text));
    vstring_free(&text);
}

/* smtp_xtext - an xtext parameter */

static void smtp_xtext(struct vstring *line, const char *name,
		               const char *value, struct vstring *tmp)
{
    vstring_sprintf_append(line, " %s=%s", name, dsn_xtext_encode(tmp, value));
}

/* smtp_load - the content, into memory */

static int smtp_load(int fd, struct qfile_info *info, struct vstring *body)
{
    struct vstream *in;
    struct vstring *chunk = vstring_alloc(65536);
    off_t   left = info->content_size;
    ssize_t n;
    int     ret = 0;

    vstring_reset(body);
    if ((in = qfile_content_open(fd, info)) == 0) {
	vstring_free(&chunk);
	return (-1);
    }
    while (left > 0) {
	if ((n = qfile_content_read(in, chunk, &left)) <= 0) {
	    ret = -1;
	    break;
	}
	vstring_append(body, vstring_str(chunk), (size_t) n);
    }
    (void) vstream_close(&in);
    vstring_free(&chunk);
    return (ret);
}

/* smtp_send_body - content as CRLF lines, dot-stuffed, then "." */

static int smtp_send_body(struct vstream *out, const char *data, size_t len)
{
    const char *cp = data;
    const char *end = data + len;
    const char *nl;
    size_t  n;

    while (cp < end) {
	nl = memchr(cp, '\n', (size_t) (end - cp));
	n = nl ? (size_t) (nl - cp) : (size_t) (end - cp);
	if (n > 0 && cp[0] == '.')
	    vstream_write(out, ".", 1);
	vstream_write(out, cp, n);
	if (vstream_write(out, "\r\n", 2) < 0)
	    return (-1);
	cp += n + (nl ? 1 : 0);
    }
    vstream_write(out, ".\r\n", 3);
    return (vstream_flush(out));
}

/* smtp_crlf_size - the size on the wire (a CR for each LF) */

static long smtp_crlf_size(const char *data, size_t len)
{
    long    size = (long) len;
    const char *cp;

    for (cp = data; (cp = memchr(cp, '\n', len - (size_t) (cp - data))) != 0; cp++)
	size++;
    return (size);
}

int     smtp_transaction(struct smtp_session *s, struct deliver_request **reqs,
			         size_t count, int fd, struct qfile_info *info,
			         struct smtp_result *res)
{
    struct smtp_reply *r = &smtp_reply_buf;
    struct vstring *body = vstring_alloc(1024);
    struct vstring *conv = 0;
    struct vstring *line = vstring_alloc(200);
    struct vstring *tmp = vstring_alloc(100);
    const char *data;
    size_t  data_len;
    int     pipelining = (s->features & SMTP_FEAT_PIPELINING) != 0;
    int     dsn = (s->features & SMTP_FEAT_DSN) != 0;
    int     has8;
    int     body8 = 0;
    int     accepted = 0;
    int     mail_ok = 0;
    int     ret = 0;
    long    size;
    size_t  i;
    size_t  done;

    for (i = 0; i < count; i++)
	res[i].status = -1;

    /*
     * The content, and what the peer can take.
     */
    if (smtp_load(fd, info, body) < 0) {
	for (i = 0; i < count; i++)
	    smtp_result(res + i, DELIVER_STAT_DEFER, "4.3.0", "",
			"error reading queue file: %s", strerror(errno));
	goto out;
    }
    data = vstring_str(body);
    data_len = vstring_len(body);
    has8 = smtp_mime_has_8bit(data, data_len);
    if (has8 && (s->features & SMTP_FEAT_8BITMIME)) {
	body8 = 1;
    } else if (has8) {
	if (strcasecmp(var_smtp_8bit_fallback, "convert") == 0) {
	    conv = vstring_alloc(data_len + data_len / 4 + 100);
	    smtp_mime_downgrade(data, data_len, conv);
	    data = vstring_str(conv);
	    data_len = vstring_len(conv);
	} else if (strcasecmp(var_smtp_8bit_fallback, "bounce") == 0) {
	    for (i = 0; i < count; i++)
		smtp_result(res + i, DELIVER_STAT_BOUNCE, "5.6.3", s->host,
			    "host %s does not announce 8BITMIME and the "
			    "message has 8-bit content",
			    vstring_str(s->namaddr));
	    goto out;
	} else if (strcasecmp(var_smtp_8bit_fallback, "send") != 0) {
	    for (i = 0; i < count; i++)
		smtp_result(res + i, DELIVER_STAT_DEFER, "4.6.3", s->host,
			    "host %s does not announce 8BITMIME and the "
			    "message has 8-bit content",
			    vstring_str(s->namaddr));
	    goto out;
	}
    }
    size = smtp_crlf_size(data, data_len);
    if (s->size_limit > 0 && size > s->size_limit) {
	for (i = 0; i < count; i++)
	    smtp_result(res + i, DELIVER_STAT_BOUNCE, "5.3.4", s->host,
			"message size %ld exceeds size limit %ld of server %s",
			size, s->size_limit, vstring_str(s->namaddr));
	goto out;
    }

    /*
     * MAIL FROM, RCPT TO, DATA: all at once with PIPELINING.
     */
    vstream_set_timeout(s->stream, (int) var_smtp_mail_tmout);
    vstring_sprintf(line, "MAIL FROM:<%s>", info->sender);
    if (s->features & SMTP_FEAT_SIZE)
	vstring_sprintf_append(line, " SIZE=%ld", size);
    if (body8)
	vstring_appends(line, " BODY=8BITMIME");
    if (dsn && vstring_len(reqs[0]->dsn_ret))
	vstring_sprintf_append(line, " RET=%s", vstring_str(reqs[0]->dsn_ret));
    if (dsn && vstring_len(reqs[0]->dsn_envid))
	smtp_xtext(line, "ENVID", vstring_str(reqs[0]->dsn_envid), tmp);
    vstring_appends(line, "\r\n");
    vstream_write(s->stream, vstring_str(line), vstring_len(line));
    if (!pipelining) {
	if (vstream_flush(s->stream) < 0 || smtp_reply_read(s->stream, r) < 0) {
	    smtp_result_lost(s, res, count, "sending MAIL FROM");
	    ret = -1;
	    goto out;
	}
	if (r->code / 100 != 2) {
	    for (i = 0; i < count; i++)
		smtp_result_reply(res + i, s, r, "MAIL FROM");
	    goto reset;
	}
	mail_ok = 1;
    }
    for (i = 0; i < count; i++) {
	vstream_set_timeout(s->stream, (int) var_smtp_rcpt_tmout);
	vstring_sprintf(line, "RCPT TO:<%s>", vstring_str(reqs[i]->recipient));
	if (dsn && reqs[i]->dsn_notify)
	    vstring_sprintf_append(line, " NOTIFY=%s",
				   dsn_notify_str(tmp, (int) reqs[i]->dsn_notify));
	if (dsn && vstring_len(reqs[i]->dsn_orcpt)) {
	    /* "type;address": the type as it is, the address as xtext. */
	    const char *semi = strchr(vstring_str(reqs[i]->dsn_orcpt), ';');

	    if (semi) {
		vstring_sprintf_append(line, " ORCPT=%.*s;",
				       (int) (semi - vstring_str(reqs[i]->dsn_orcpt)),
				       vstring_str(reqs[i]->dsn_orcpt));
		vstring_appends(line, dsn_xtext_encode(tmp, semi + 1));
	    }
	}
	vstring_appends(line, "\r\n");
	vstream_write(s->stream, vstring_str(line), vstring_len(line));
	if (!pipelining) {
	    if (vstream_flush(s->stream) < 0
		|| smtp_reply_read(s->stream, r) < 0) {
		smtp_result_lost(s, res, count, "sending RCPT TO");
		ret = -1;
		goto out;
	    }
	    smtp_result_reply(res + i, s, r, "RCPT TO");
	    if (r->code / 100 == 2) {
		res[i].status = -1;
		res[i].accepted = 1;
		accepted++;
	    }
	}
    }
    if (pipelining || accepted > 0) {
	vstream_set_timeout(s->stream, (int) var_smtp_data0_tmout);
	vstream_puts(s->stream, "DATA\r\n");
	if (vstream_flush(s->stream) < 0) {
	    smtp_result_lost(s, res, count, "sending DATA");
	    ret = -1;
	    goto out;
	}
    }

    /*
     * The replies that PIPELINING left for now.
     */
    if (pipelining) {
	vstream_set_timeout(s->stream, (int) var_smtp_mail_tmout);
	if (smtp_reply_read(s->stream, r) < 0) {
	    smtp_result_lost(s, res, count, "receiving the MAIL FROM reply");
	    ret = -1;
	    goto out;
	}
	if (r->code / 100 == 2) {
	    mail_ok = 1;
	} else {
	    for (i = 0; i < count; i++)
		smtp_result_reply(res + i, s, r, "MAIL FROM");
	}
	vstream_set_timeout(s->stream, (int) var_smtp_rcpt_tmout);
	for (i = 0; i < count; i++) {
	    if (smtp_reply_read(s->stream, r) < 0) {
		smtp_result_lost(s, res, count, "receiving the RCPT TO reply");
		ret = -1;
		goto out;
	    }
	    if (!mail_ok)
		continue;
	    smtp_result_reply(res + i, s, r, "RCPT TO");
	    if (r->code / 100 == 2) {
		res[i].status = -1;
		res[i].accepted = 1;
		accepted++;
	    }
	}
    }
    if (!pipelining && accepted == 0)
	goto reset;
    vstream_set_timeout(s->stream, (int) var_smtp_data0_tmout);
    if (smtp_reply_read(s->stream, r) < 0) {
	smtp_result_lost(s, res, count, "receiving the DATA reply");
	ret = -1;
	goto out;
    }
    if (r->code != 354) {
	for (i = 0; i < count; i++)
	    if (res[i].accepted)
		smtp_result_reply(res + i, s, r, "DATA");
	if (r->code / 100 == 3)
	    ret = -1;				/* out of step */
	goto reset;
    }
    if (accepted == 0) {
	/* A 354 with no recipient (pipelined DATA): send nothing. */
	vstream_puts(s->stream, ".\r\n");
	if (vstream_flush(s->stream) < 0 || smtp_reply_read(s->stream, r) < 0) {
	    ret = -1;
	    goto out;
	}
	goto reset;
    }

    /*
     * The content, and the reply that decides.
     */
    vstream_set_timeout(s->stream, (int) var_smtp_data1_tmout);
    if (smtp_send_body(s->stream, data, data_len) < 0) {
	smtp_result_lost(s, res, count, "sending message body");
	ret = -1;
	goto out;
    }
    vstream_set_timeout(s->stream, (int) var_smtp_data2_tmout);
    if (smtp_reply_read(s->stream, r) < 0) {
	smtp_result_lost(s, res, count, "receiving the final reply to "
			 "the message");
	ret = -1;
	goto out;
    }
    for (i = 0; i < count; i++) {
	if (!res[i].accepted)
	    continue;
	if (r->code / 100 == 2) {
	    smtp_result(res + i, DELIVER_STAT_SENT, r->dsn, s->host, "%s",
			vstring_str(r->text));
	    vstring_sprintf(res[i].diag, "smtp; %s", vstring_str(r->text));
	    res[i].action = dsn ? "passed" : "relayed";
	} else {
	    smtp_result_reply(res + i, s, r, "end of DATA");
	}
    }
    s->messages++;
    goto out;

reset:
    /* The transaction failed: make the session clean for the next. */
    if (ret == 0) {
	vstream_set_timeout(s->stream, (int) var_smtp_helo_tmout);
	vstream_puts(s->stream, "RSET\r\n");
	if (vstream_flush(s->stream) < 0 || smtp_reply_read(s->stream, r) < 0
	    || r->code / 100 != 2)
	    ret = -1;
    }

out:
    for (done = 0, i = 0; i < count; i++) {
	if (res[i].status < 0)
	    smtp_result(res + i, DELIVER_STAT_DEFER, "4.3.0", s->host,
			"no reply from %s", vstring_str(s->namaddr));
	done++;
    }
    if (conv)
	vstring_free(&conv);
    vstring_free(&body);
    vstring_free(&line);
    vstring_free(&tmp);
    return (ret);
}
