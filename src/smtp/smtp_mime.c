/*++
/* NAME
/*	smtp_mime 3
/* SUMMARY
/*	8-bit content for a peer without 8BITMIME
/* SYNOPSIS
/*	#include "smtp.h"
/*
/*	int	smtp_mime_has_8bit(data, len)
/*
/*	void	smtp_mime_downgrade(data, len, out)
/* DESCRIPTION
/*	smtp_mime_has_8bit() says whether content (LF lines) has a byte
/*	with the high bit set.
/*
/*	smtp_mime_downgrade() writes to out a 7-bit form of the message
/*	(RFC 6152 section 3, RFC 2045): every leaf body part with 8-bit
/*	bytes that is not already base64 or quoted-printable is encoded
/*	as quoted-printable, and its Content-Transfer-Encoding header
/*	says so (replaced or added). It follows multipart/* parts by
/*	their boundaries (nested, up to 20 levels deep) and message/rfc822
/*	parts into the enclosed message (whose own header then says
/*	7bit). A message without MIME-Version whose body has 8-bit bytes
/*	becomes a MIME message: MIME-Version 1.0, Content-Type text/plain
/*	with charset unknown-8bit (RFC 1428) when it had none, and
/*	quoted-printable. Headers are never changed otherwise: 8-bit bytes
/*	in a header stay as they are. Part bodies without 8-bit bytes are
/*	copied unchanged.
/*
/*	Quoted-printable lines are at most 76 characters (soft line
/*	breaks "="); "=", control characters, 8-bit bytes and a space or
/*	tab at the end of a line are escaped.
/* DIAGNOSTICS
/*	None: any input gives output; malformed MIME is copied as far as
/*	it cannot be understood (a missing final boundary ends the part
/*	at the end of the message).
/*--*/
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <vstring.h>

#include "smtp.h"

#define MIME_DEPTH_MAX	20
#define QP_LINE_MAX	76

int     smtp_mime_has_8bit(const char *data, size_t len)
{
    size_t  i;

    for (i = 0; i < len; i++)
	if ((unsigned char) data[i] & 0x80)
	    return (1);
    return (0);
}

/* smtp_mime_qp - quoted-printable of LF lines */

static void smtp_mime_qp(const char *data, size_t len, struct vstring *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t  col = 0;
    size_t  i;
    unsigned char ch;
    int     at_eol;
    int     plain;
    size_t  need;

    for (i = 0; i < len; i++) {
	ch = (unsigned char) data[i];
	if (ch == '\n') {
	    vstring_appendc(out, '\n');
	    col = 0;
	    continue;
	}
	at_eol = (i + 1 == len || data[i + 1] == '\n');
	plain = (ch >= 33 && ch <= 126 && ch != '=')
	    || ((ch == ' ' || ch == '\t') && !at_eol);
	need = plain ? 1 : 3;
	/* Room for this and, unless the line ends here, a soft break. */
	if (col + need > QP_LINE_MAX - (at_eol ? 0 : 1)) {
	    vstring_appends(out, "=\n");
	    col = 0;
	}
	if (plain) {
	    vstring_appendc(out, ch);
	} else {
	    vstring_appendc(out, '=');
	    vstring_appendc(out, hex[ch >> 4]);
	    vstring_appendc(out, hex[ch & 0xf]);
	}
	col += need;
    }
}

 /*
  * What the header of one entity says.
  */
struct mime_head {
    size_t  head_len;			/* bytes of header, with the empty line */
    int     has_version;
    int     has_type;
    int     multipart;
    int     message;			/* message/rfc822 */
    int     encoded;			/* base64 or quoted-printable */
    char    boundary[72];		/* RFC 2046: at most 70 characters */
};

/* smtp_mime_param - a Content-Type parameter, quoted or not */

static int smtp_mime_param(const char *value, size_t len, const char *name,
			           char *buf, size_t size)
{
    size_t  nlen = strlen(name);
    size_t  i;
    size_t  n = 0;
    int     quoted;

    for (i = 0; i + nlen < len; i++) {
	if ((i == 0 || value[i - 1] == ';' || isspace((unsigned char) value[i - 1]))
	    && strncasecmp(value + i, name, nlen) == 0) {
	    i += nlen;
	    while (i < len && isspace((unsigned char) value[i]))
		i++;
	    if (i >= len || value[i] != '=')
		continue;
	    i++;
	    while (i < len && isspace((unsigned char) value[i]))
		i++;
	    quoted = (i < len && value[i] == '"');
	    if (quoted)
		i++;
	    while (i < len && n + 1 < size) {
		if (quoted ? value[i] == '"' :
		    (value[i] == ';' || isspace((unsigned char) value[i])))
		    break;
		if (quoted && value[i] == '\\' && i + 1 < len)
		    i++;
		buf[n++] = value[i++];
	    }
	    buf[n] = 0;
	    return (n > 0);
	}
    }
    return (0);
}

/* smtp_mime_header - read one entity's header */

static void smtp_mime_header(const char *data, size_t len, struct mime_head *h)
{
    const char *cp = data;
    const char *end = data + len;
    const char *nl;
    const char *hdr;
    const char *colon;
    const char *value;
    size_t  vlen;
    size_t  i;

    memset(h, 0, sizeof(*h));
    while (cp < end && *cp != '\n') {
	/* One logical header: this line and its continuation lines. */
	hdr = cp;
	do {
	    nl = memchr(cp, '\n', (size_t) (end - cp));
	    cp = nl ? nl + 1 : end;
	} while (cp < end && (*cp == ' ' || *cp == '\t'));
	if ((colon = memchr(hdr, ':', (size_t) (cp - hdr))) == 0)
	    continue;
	value = colon + 1;
	vlen = (size_t) (cp - value);
	while (vlen > 0 && isspace((unsigned char) *value))
	    value++, vlen--;
#define NAME_IS(n) ((size_t) (colon - hdr) == sizeof(n) - 1 \
		    && strncasecmp(hdr, (n), sizeof(n) - 1) == 0)
	if (NAME_IS("MIME-Version")) {
	    h->has_version = 1;
	} else if (NAME_IS("Content-Type")) {
	    h->has_type = 1;
	    if (vlen >= 10 && strncasecmp(value, "multipart/", 10) == 0)
		h->multipart = smtp_mime_param(value, vlen, "boundary",
					       h->boundary,
					       sizeof(h->boundary));
	    else if (vlen >= 14 && strncasecmp(value, "message/rfc822", 14) == 0)
		h->message = 1;
	} else if (NAME_IS("Content-Transfer-Encoding")) {
	    for (i = 0; i < vlen && !isspace((unsigned char) value[i]); i++)
		 /* void */ ;
	    if ((i == 6 && strncasecmp(value, "base64", 6) == 0)
		|| (i == 16 && strncasecmp(value, "quoted-printable", 16) == 0))
		h->encoded = 1;
	}
    }
    if (cp < end && *cp == '\n')
	cp++;
    h->head_len = (size_t) (cp - data);
}

/* smtp_mime_copy_header - the header, with a new Content-Transfer-Encoding */

static void smtp_mime_copy_header(const char *data, size_t len,
				          const char *cte, const char *extra,
				          struct vstring *out)
{
    const char *cp = data;
    const char *end = data + len;
    const char *nl;
    const char *hdr;
    int     body_sep = 0;

    while (cp < end) {
	if (*cp == '\n') {
	    body_sep = 1;
	    break;
	}
	hdr = cp;
	do {
	    nl = memchr(cp, '\n', (size_t) (end - cp));
	    cp = nl ? nl + 1 : end;
	} while (cp < end && (*cp == ' ' || *cp == '\t'));
	if (cte && (size_t) (cp - hdr) > 26
	    && strncasecmp(hdr, "Content-Transfer-Encoding:", 26) == 0)
	    continue;
	vstring_append(out, hdr, (size_t) (cp - hdr));
	if (cp == end && (cp == hdr || cp[-1] != '\n'))
	    vstring_appendc(out, '\n');
    }
    if (extra)
	vstring_appends(out, extra);
    if (cte)
	vstring_sprintf_append(out, "Content-Transfer-Encoding: %s\n", cte);
    if (body_sep || extra || cte)
	vstring_appendc(out, '\n');
}

static void smtp_mime_entity(const char *, size_t, int, int, struct vstring *);

/* smtp_mime_multipart - a multipart body, part by part */

static void smtp_mime_multipart(const char *data, size_t len,
				        const char *boundary, int depth,
				        struct vstring *out)
{
    const char *cp = data;
    const char *end = data + len;
    const char *nl;
    const char *part = 0;
    const char *line;
    size_t  blen = strlen(boundary);
    size_t  llen;
    int     closing;

    while (cp < end) {
	line = cp;
	nl = memchr(cp, '\n', (size_t) (end - cp));
	llen = nl ? (size_t) (nl - cp) : (size_t) (end - cp);
	cp = nl ? nl + 1 : end;
	if (llen >= blen + 2 && line[0] == '-' && line[1] == '-'
	    && memcmp(line + 2, boundary, blen) == 0) {
	    closing = (llen >= blen + 4 && line[blen + 2] == '-'
		       && line[blen + 3] == '-');
	    if (part && line > part) {
		/* The LF before the delimiter belongs to the delimiter. */
		smtp_mime_entity(part, (size_t) (line - part) - 1, 0, depth + 1,
				 out);
		vstring_appendc(out, '\n');
	    }
	    vstring_append(out, line, (size_t) (cp - line));
	    part = closing ? 0 : cp;
	    if (closing) {
		/* The epilogue, as it is. */
		vstring_append(out, cp, (size_t) (end - cp));
		return;
	    }
	} else if (part == 0) {
	    vstring_append(out, line, (size_t) (cp - line));	/* preamble */
	}
    }
    if (part)					/* no closing delimiter */
	smtp_mime_entity(part, (size_t) (end - part), 0, depth + 1, out);
}

/* smtp_mime_entity - one entity: header and body */

static void smtp_mime_entity(const char *data, size_t len, int top,
			             int depth, struct vstring *out)
{
    struct mime_head h;
    const char *body;
    size_t  body_len;

    smtp_mime_header(data, len, &h);
    body = data + h.head_len;
    body_len = len - h.head_len;
    if (depth > MIME_DEPTH_MAX || !smtp_mime_has_8bit(body, body_len)) {
	vstring_append(out, data, len);
    } else if (top && !h.has_version) {
	smtp_mime_copy_header(data, h.head_len, "quoted-printable",
			      h.has_type ? "MIME-Version: 1.0\n" :
			      "MIME-Version: 1.0\nContent-Type: text/plain; "
			      "charset=unknown-8bit\n", out);
	smtp_mime_qp(body, body_len, out);
    } else if (h.multipart) {
	vstring_append(out, data, h.head_len);
	smtp_mime_multipart(body, body_len, h.boundary, depth, out);
    } else if (h.message) {
	smtp_mime_copy_header(data, h.head_len, "7bit", (char *) 0, out);
	smtp_mime_entity(body, body_len, 1, depth + 1, out);
    } else if (h.encoded) {
	vstring_append(out, data, len);
    } else {
	smtp_mime_copy_header(data, h.head_len, "quoted-printable",
			      (char *) 0, out);
	smtp_mime_qp(body, body_len, out);
    }
}

void    smtp_mime_downgrade(const char *data, size_t len, struct vstring *out)
{
    vstring_reset(out);
    smtp_mime_entity(data, len, 1, 0, out);
}
