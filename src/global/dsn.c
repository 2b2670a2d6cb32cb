/*++
/* NAME
/*	dsn 3
/* SUMMARY
/*	delivery status notification requests (RFC 3461)
/* SYNOPSIS
/*	#include <dsn.h>
/* DESCRIPTION
/*	See dsn.h.
/*--*/
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <vstring.h>

#include <dsn.h>

static const struct {
    const char *name;
    int     bit;
} dsn_notify_names[] = {
    {"SUCCESS", DSN_NOTIFY_SUCCESS},
    {"FAILURE", DSN_NOTIFY_FAILURE},
    {"DELAY", DSN_NOTIFY_DELAY},
    {"NEVER", DSN_NOTIFY_NEVER},
};

#define DSN_NOTIFY_COUNT \
	(sizeof(dsn_notify_names) / sizeof(dsn_notify_names[0]))

int     dsn_notify_parse(const char *text)
{
    const char *cp = text;
    const char *end;
    size_t  len;
    size_t  i;
    int     mask = 0;
    int     bit;

    for (;;) {
	end = strchr(cp, ',');
	len = end ? (size_t) (end - cp) : strlen(cp);
	bit = 0;
	for (i = 0; i < DSN_NOTIFY_COUNT; i++) {
	    if (strlen(dsn_notify_names[i].name) == len
		&& strncasecmp(cp, dsn_notify_names[i].name, len) == 0)
		bit = dsn_notify_names[i].bit;
	}
	if (bit == 0 || (mask & bit))
	    return (-1);
	mask |= bit;
	if (end == 0)
	    break;
	cp = end + 1;
    }
    if ((mask & DSN_NOTIFY_NEVER) && mask != DSN_NOTIFY_NEVER)
	return (-1);
    return (mask);
}

const char *dsn_notify_str(struct vstring *buf, int mask)
{
    size_t  i;

    vstring_reset(buf);
    for (i = 0; i < DSN_NOTIFY_COUNT; i++) {
	if (mask & dsn_notify_names[i].bit) {
	    if (vstring_len(buf))
		vstring_appendc(buf, ',');
	    vstring_appends(buf, dsn_notify_names[i].name);
	}
    }
    return (vstring_str(buf));
}

int     dsn_notify_wants(int mask, int what)
{
    if (mask == 0)
	return (what == DSN_NOTIFY_FAILURE || what == DSN_NOTIFY_DELAY);
    return ((mask & what) != 0);
}

static int dsn_hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
	return (ch - '0');
    if (ch >= 'A' && ch <= 'F')
	return (ch - 'A' + 10);
    return (-1);
}

int     dsn_xtext_decode(struct vstring *buf, const char *text)
{
    const unsigned char *cp;
    int     hi;
    int     lo;
    int     ch;

    vstring_reset(buf);
    for (cp = (const unsigned char *) text; *cp; cp++) {
	if (*cp < '!' || *cp > '~' || *cp == '=')
	    return (-1);
	if (*cp == '+') {
	    /* RFC 3461: upper-case hex only; be liberal in lower case. */
	    if ((hi = dsn_hexval(toupper(cp[1]))) < 0
		|| (lo = dsn_hexval(toupper(cp[2]))) < 0)
		return (-1);
	    ch = hi * 16 + lo;
	    if (ch < ' ' || ch == 0x7f)
		return (-1);
	    vstring_appendc(buf, ch);
	    cp += 2;
	} else {
	    vstring_appendc(buf, *cp);
	}
    }
    return (0);
}

const char *dsn_xtext_encode(struct vstring *buf, const char *text)
{
    const unsigned char *cp;

    vstring_reset(buf);
    for (cp = (const unsigned char *) text; *cp; cp++) {
	if (*cp < '!' || *cp > '~' || *cp == '+' || *cp == '=')
	    vstring_sprintf_append(buf, "+%02X", *cp);
	else
	    vstring_appendc(buf, *cp);
    }
    return (vstring_str(buf));
}

int     dsn_orcpt_ok(const char *text)
{
    const unsigned char *cp = (const unsigned char *) text;
    size_t  n = 0;

    for (; *cp && *cp != ';'; cp++, n++)
	if (!(isalnum(*cp) || *cp == '-'))
	    return (0);
    if (n == 0 || *cp != ';' || cp[1] == 0)
	return (0);
    for (cp++; *cp; cp++)
	if (*cp < ' ' || *cp == 0x7f)
	    return (0);
    return (strlen(text) <= DSN_ORCPT_MAX);
}

const char *dsn_rec_format(struct vstring *buf, int mask, const char *orcpt)
{
    vstring_sprintf(buf, "%d %s", mask & DSN_NOTIFY_MASK, orcpt ? orcpt : "");
    return (vstring_str(buf));
}

int     dsn_rec_parse(const char *data, size_t len, int *mask,
		              struct vstring *orcpt)
{
    size_t  i = 0;
    int     m = 0;

    while (i < len && data[i] >= '0' && data[i] <= '9' && i < 3)
	m = m * 10 + (data[i++] - '0');
    if (i == 0 || i >= len || data[i] != ' ' || (m & ~DSN_NOTIFY_MASK))
	return (-1);
    if ((m & DSN_NOTIFY_NEVER) && m != DSN_NOTIFY_NEVER)
	return (-1);
    i++;
    vstring_reset(orcpt);
    if (i < len) {
	vstring_append(orcpt, data + i, len - i);
	if (memchr(data + i, 0, len - i) || !dsn_orcpt_ok(vstring_str(orcpt)))
	    return (-1);
    }
    *mask = m;
    return (0);
}
