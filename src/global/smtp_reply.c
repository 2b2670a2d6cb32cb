/*++
/* NAME
/*	smtp_reply 3
/* SUMMARY
/*	SMTP replies as a client reads them
/* SYNOPSIS
/*	#include <smtp_reply.h>
/* DESCRIPTION
/*	See smtp_reply.h.
/*--*/
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <argv.h>
#include <vstream.h>
#include <vstring.h>

#include <smtp_reply.h>

void    smtp_reply_init(struct smtp_reply *r)
{
    r->code = 0;
    r->dsn[0] = 0;
    r->text = vstring_alloc(100);
    r->lines = argv_alloc(4);
    r->why = vstring_alloc(100);
}

void    smtp_reply_free(struct smtp_reply *r)
{
    vstring_free(&r->text);
    argv_free(&r->lines);
    vstring_free(&r->why);
}

void    smtp_reply_reset(struct smtp_reply *r)
{
    r->code = 0;
    r->dsn[0] = 0;
    vstring_reset(r->text);
    argv_truncate(r->lines, 0);
    vstring_reset(r->why);
}

/* smtp_reply_enhanced - "X.Y.Z" at the start of text, class first */

static size_t smtp_reply_enhanced(const char *text, size_t len, int class,
				          char *dsn, size_t dsn_size)
{
    size_t  i = 0;
    size_t  start;
    int     part;

    if (len < 5 || text[0] - '0' != class || text[1] != '.')
	return (0);
    i = 2;
    for (part = 0; part < 2; part++) {
	start = i;
	while (i < len && isdigit((unsigned char) text[i]) && i - start < 3)
	    i++;
	if (i == start || (i - start > 1 && text[start] == '0'))
	    return (0);
	if (part == 0) {
	    if (i >= len || text[i] != '.')
		return (0);
	    i++;
	}
    }
    if (i < len && text[i] != ' ')
	return (0);
    if (i + 1 > dsn_size)
	return (0);
    memcpy(dsn, text, i);
    dsn[i] = 0;
    return (i);
}

int     smtp_reply_feed(struct smtp_reply *r, const char *line, size_t len)
{
    int     code;
    int     last;
    const char *text;
    size_t  text_len;
    size_t  n;
    size_t  i;

    if (len > SMTP_REPLY_LINE_MAX)
	len = SMTP_REPLY_LINE_MAX;
    if (len < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0'
	|| line[1] > '5' || !isdigit((unsigned char) line[2])
	|| (len > 3 && line[3] != ' ' && line[3] != '-')) {
	vstring_sprintf(r->why, "malformed reply line: \"%.*s\"",
			(int) (len > 100 ? 100 : len), line);
	for (i = 0; i < vstring_len(r->why); i++)
	    if (!isprint((unsigned char) vstring_str(r->why)[i]))
		vstring_str(r->why)[i] = '?';
	return (SMTP_REPLY_BAD);
    }
    code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (r->lines->argc > 0 && code != r->code) {
	vstring_sprintf(r->why, "reply lines with different codes %d and %d",
			r->code, code);
	return (SMTP_REPLY_BAD);
    }
    if (r->lines->argc >= SMTP_REPLY_LINES_MAX) {
	vstring_sprintf(r->why, "reply longer than %d lines",
			SMTP_REPLY_LINES_MAX);
	return (SMTP_REPLY_BAD);
    }
    last = (len == 3 || line[3] == ' ');
    text = len > 4 ? line + 4 : "";
    text_len = len > 4 ? len - 4 : 0;
    if (r->lines->argc == 0) {
	r->code = code;
	vstring_sprintf(r->text, "%d", code);
	if ((n = smtp_reply_enhanced(text, text_len, code / 100, r->dsn,
				     sizeof(r->dsn))) == 0)
	    (void) snprintf(r->dsn, sizeof(r->dsn), "%d.0.0", code / 100);
    }
    argv_addn(r->lines, text, text_len);
    if (text_len > 0) {
	vstring_appendc(r->text, ' ');
	for (i = 0; i < text_len; i++)
	    vstring_appendc(r->text, isprint((unsigned char) text[i]) ?
			    text[i] : '?');
    }
    return (last ? SMTP_REPLY_DONE : SMTP_REPLY_MORE);
}

int     smtp_reply_read(struct vstream *stream, struct smtp_reply *r)
{
    struct vstring *line = vstring_alloc(200);
    int     status;
    int     ret = -1;
    size_t  len;

    smtp_reply_reset(r);
    for (;;) {
	status = vstream_get_line(stream, line, SMTP_REPLY_LINE_MAX);
	if (status == VSTREAM_TOOLONG) {
	    if ((status = vstream_skip_line(stream)) != VSTREAM_OK) {
		vstring_sprintf(r->why, "%s", status == VSTREAM_TIMEOUT ?
			    "timeout" : "lost connection");
		break;
	    }
	} else if (status != VSTREAM_OK) {
	    vstring_sprintf(r->why, "%s", status == VSTREAM_TIMEOUT ?
			    "timeout" : "lost connection");
	    break;
	}
	len = vstring_len(line);
	while (len > 0 && (vstring_str(line)[len - 1] == '\n'
			   || vstring_str(line)[len - 1] == '\r'))
	    len--;
	status = smtp_reply_feed(r, vstring_str(line), len);
	if (status == SMTP_REPLY_DONE) {
	    ret = 0;
	    break;
	}
	if (status == SMTP_REPLY_BAD)
	    break;
    }
    vstring_free(&line);
    return (ret);
}
