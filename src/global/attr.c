/*++
/* NAME
/*	attr 3
/* SUMMARY
/*	the attribute protocol: named, length-prefixed fields between daemons
/* SYNOPSIS
/*	#include <attr.h>
/*
/*	int	attr_print(stream, flags, type, name, value, ..., ATTR_TYPE_END)
/*	int	attr_vprint(stream, flags, ap)
/*	int	attr_scan(stream, flags, type, name, result, ..., ATTR_TYPE_END)
/*	int	attr_vscan(stream, flags, ap)
/*	int	attr_scan_any(stream, limit, table)
/*	const char *attr_error()
/*	int	attr_send_protocol(stream, name, version)
/*	int	attr_expect_protocol(stream, name, version, why)
/* DESCRIPTION
/*	See attr.h for the grammar. Details of this implementation:
/*
/*	attr_print() panics on a bad attribute name or an unknown type
/*	(a programming error). It returns 0, or -1 on a stream error.
/*
/*	attr_scan() matches attributes by name, in any order. A name that
/*	appears twice in one message is always an error. A string value
/*	(ATTR_TYPE_STR) must not contain a NUL byte; a data value
/*	(ATTR_TYPE_DATA) may. An integer is an optional "-" and 1 to 19
/*	decimal digits that fit in a long. In strict mode an unexpected
/*	attribute is reported after the rest of the message has been
/*	read, so that the stream stays in step; so is a missing one.
/*	After any other error (bad name, too long, bad integer, end of
/*	input) the stream is out of step and the caller must close it.
/*
/*	attr_scan_any() first empties the table (freeing each struct
/*	vstring), then stores every attribute of one message; the values
/*	may contain any bytes. On error the table holds what was read
/*	before the error.
/*
/*	attr_error() describes the last error of attr_scan(),
/*	attr_scan_any() or attr_expect_protocol(); the text stays valid
/*	until the next call of one of them.
/* DIAGNOSTICS
/*	Return values and attr_error(). Panic: bad name or type in a
/*	caller's list.
/*--*/
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htable.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>
#include <attr.h>

#define ATTR_MAX_LIST	64		/* attributes in one attr_scan() list */

static struct vstring *attr_err;

/* attr_set_error - remember why the last scan failed */

static void __attribute__((format(printf, 1, 2))) attr_set_error(const char *fmt,...)
{
    va_list ap;

    if (attr_err == 0)
	attr_err = vstring_alloc(100);
    vstring_reset(attr_err);
    va_start(ap, fmt);
    vstring_vsprintf_append(attr_err, fmt, ap);
    va_end(ap);
}

/* attr_error - describe the last error */

const char *attr_error(void)
{
    return (attr_err ? vstring_str(attr_err) : "no error");
}

/* attr_name_ok - check a name: 1..ATTR_NAME_MAX bytes of [a-z0-9_] */

static int attr_name_ok(const char *name, size_t len)
{
    size_t  i;

    if (len == 0 || len > ATTR_NAME_MAX)
	return (0);
    for (i = 0; i < len; i++) {
	unsigned char ch = (unsigned char) name[i];

	if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
	    return (0);
    }
    return (1);
}

/* attr_put_len - write a 4-byte big-endian length */

static int attr_put_len(struct vstream *stream, size_t len)
{
    unsigned char b[4];

    if (len > UINT32_MAX)
	msg_panic("attr_print: length %zu too large", len);
    b[0] = (unsigned char) (len >> 24);
    b[1] = (unsigned char) (len >> 16);
    b[2] = (unsigned char) (len >> 8);
    b[3] = (unsigned char) len;
    return (vstream_write(stream, b, 4));
}

/* attr_put_one - write one attribute */

static int attr_put_one(struct vstream *stream, const char *name,
			        const void *value, size_t len)
{
    size_t  nlen = strlen(name);

    if (!attr_name_ok(name, nlen))
	msg_panic("attr_print: bad attribute name \"%s\"", name);
    if (attr_put_len(stream, nlen) < 0
	|| vstream_write(stream, name, nlen) < 0
	|| attr_put_len(stream, len) < 0
	|| (len > 0 && vstream_write(stream, value, len) < 0))
	return (-1);
    return (0);
}

/* attr_vprint - write one message */

int     attr_vprint(struct vstream *stream, int flags, va_list ap)
{
    int     type;
    const char *name;
    const char *str;
    const void *data;
    size_t  len;
    long    num;
    char    numbuf[32];
    int     ret = 0;

    while ((type = va_arg(ap, int)) != ATTR_TYPE_END) {
	name = va_arg(ap, const char *);
	switch (type) {
	case ATTR_TYPE_STR:
	    str = va_arg(ap, const char *);
	    if (str == 0)
		msg_panic("attr_print: null string value for \"%s\"", name);
	    if (ret == 0)
		ret = attr_put_one(stream, name, str, strlen(str));
	    break;
	case ATTR_TYPE_INT:
	    num = va_arg(ap, long);
	    len = (size_t) snprintf(numbuf, sizeof(numbuf), "%ld", num);
	    if (ret == 0)
		ret = attr_put_one(stream, name, numbuf, len);
	    break;
	case ATTR_TYPE_DATA:
	    data = va_arg(ap, const void *);
	    len = va_arg(ap, size_t);
	    if (ret == 0)
		ret = attr_put_one(stream, name, data, len);
	    break;
	default:
	    msg_panic("attr_print: unknown attribute type %d", type);
	}
    }
    if (ret == 0)
	ret = attr_put_len(stream, 0);
    if (ret == 0 && (flags & ATTR_FLAG_MORE) == 0)
	ret = vstream_flush(stream);
    return (ret < 0 ? -1 : 0);
}

/* attr_print - write one message */

int     attr_print(struct vstream *stream, int flags,...)
{
    va_list ap;
    int     ret;

    va_start(ap, flags);
    ret = attr_vprint(stream, flags, ap);
    va_end(ap);
    return (ret);
}

/* attr_get_len - read a 4-byte length; 0 ok, -1 error (reason set) */

static int attr_get_len(struct vstream *stream, size_t *lenp, const char *what)
{
    unsigned char b[4];
    ssize_t got;

    got = vstream_read(stream, b, 4);
    if (got != 4) {
	if (got < 0)
	    attr_set_error("%s while reading %s",
			   vstream_status_str(vstream_status(stream)), what);
	else
	    attr_set_error("unexpected end of input while reading %s", what);
	return (-1);
    }
    *lenp = ((size_t) b[0] << 24) | ((size_t) b[1] << 16)
	| ((size_t) b[2] << 8) | (size_t) b[3];
    return (0);
}

/* attr_get_bytes - read len bytes into buf (replacing), in chunks */

static int attr_get_bytes(struct vstream *stream, struct vstring *buf,
			          size_t len, const char *what, const char *name)
{
    size_t  chunk;
    ssize_t got;

    vstring_reset(buf);
    while (vstring_len(buf) < len) {
	chunk = len - vstring_len(buf);
	if (chunk > 65536)
	    chunk = 65536;
	vstring_space(buf, chunk);
	got = vstream_read(stream, vstring_end(buf), chunk);
	if (got > 0) {
	    buf->len += (size_t) got;
	    buf->data[buf->len] = 0;
	}
	if (got < 0 || (size_t) got != chunk) {
	    if (got < 0)
		attr_set_error("%s while reading %s%s%s%s",
			       vstream_status_str(vstream_status(stream)),
			       what, name ? " of \"" : "", name ? name : "",
			       name ? "\"" : "");
	    else
		attr_set_error("unexpected end of input while reading %s%s%s%s",
			       what, name ? " of \"" : "", name ? name : "",
			       name ? "\"" : "");
	    return (-1);
	}
    }
    return (0);
}

/*
 * attr_get_one - read the next attribute into name and value. Returns 1
 * (an attribute), 0 (end of message) or -1 (error, reason set).
 */
static int attr_get_one(struct vstream *stream, struct vstring *name,
			        struct vstring *value, size_t limit)
{
    size_t  len;

    if (attr_get_len(stream, &len, "attribute name length") < 0)
	return (-1);
    if (len == 0)
	return (0);
    if (len > ATTR_NAME_MAX) {
	attr_set_error("attribute name too long (%zu bytes)", len);
	return (-1);
    }
    if (attr_get_bytes(stream, name, len, "attribute name", (char *) 0) < 0)
	return (-1);
    if (!attr_name_ok(vstring_str(name), vstring_len(name))) {
	attr_set_error("bad attribute name");
	return (-1);
    }
    if (attr_get_len(stream, &len, "value length") < 0)
	return (-1);
    if (len > limit) {
	attr_set_error("attribute \"%s\": value too long (%zu > %zu bytes)",
		       vstring_str(name), len, limit);
	return (-1);
    }
    if (attr_get_bytes(stream, value, len, "value", vstring_str(name)) < 0)
	return (-1);
    return (1);
}

/* attr_parse_long - strict decimal long */

static int attr_parse_long(const struct vstring *value, long *result)
{
    const char *cp = vstring_str(value);
    size_t  len = vstring_len(value);
    size_t  i = 0;
    long    num = 0;
    int     neg = 0;
    int     digit;

    if (len > 0 && cp[0] == '-') {
	neg = 1;
	i = 1;
    }
    if (i >= len)
	return (-1);
    for (; i < len; i++) {
	if (cp[i] < '0' || cp[i] > '9')
	    return (-1);
	digit = cp[i] - '0';
	if (__builtin_mul_overflow(num, 10, &num)
	    || (neg ? __builtin_sub_overflow(num, digit, &num)
		: __builtin_add_overflow(num, digit, &num)))
	    return (-1);
    }
    *result = num;
    return (0);
}

struct attr_want {
    int     type;
    const char *name;
    void   *result;
    int     seen;
};

/* attr_vscan - read one message into a caller's list */

int     attr_vscan(struct vstream *stream, int flags, va_list ap)
{
    struct attr_want want[ATTR_MAX_LIST];
    size_t  nwant = 0;
    size_t  i;
    int     type;
    struct vstring *name = vstring_alloc(ATTR_NAME_MAX);
    struct vstring *value = vstring_alloc(100);
    int     stored = 0;
    int     ret;
    int     late_error = 0;		/* strict: unexpected attribute */
    long    num;

    /*
     * Collect the caller's list.
     */
    while ((type = va_arg(ap, int)) != ATTR_TYPE_END) {
	if (nwant >= ATTR_MAX_LIST)
	    msg_panic("attr_scan: more than %d attributes", ATTR_MAX_LIST);
	if (type != ATTR_TYPE_STR && type != ATTR_TYPE_INT
	    && type != ATTR_TYPE_DATA)
	    msg_panic("attr_scan: unknown attribute type %d", type);
	want[nwant].type = type;
	want[nwant].name = va_arg(ap, const char *);
	want[nwant].result = va_arg(ap, void *);
	want[nwant].seen = 0;
	nwant++;
    }

    /*
     * Read the message.
     */
    for (;;) {
	if ((ret = attr_get_one(stream, name, value, ATTR_VALUE_MAX)) < 0) {
	    stored = -1;
	    break;
	}
	if (ret == 0)
	    break;
	for (i = 0; i < nwant; i++)
	    if (strcmp(want[i].name, vstring_str(name)) == 0)
		break;
	if (i == nwant) {
	    if ((flags & ATTR_FLAG_STRICT) && late_error == 0) {
		attr_set_error("unexpected attribute \"%s\"", vstring_str(name));
		late_error = 1;
	    }
	    continue;
	}
	if (want[i].seen) {
	    attr_set_error("attribute \"%s\" appears twice", want[i].name);
	    stored = -1;
	    break;
	}
	want[i].seen = 1;
	switch (want[i].type) {
	case ATTR_TYPE_STR:
	    if (memchr(vstring_str(value), 0, vstring_len(value)) != 0) {
		attr_set_error("attribute \"%s\": NUL byte in string value",
			       want[i].name);
		stored = -1;
		break;
	    }
	    vstring_memcpy((struct vstring *) want[i].result,
			   vstring_str(value), vstring_len(value));
	    stored++;
	    break;
	case ATTR_TYPE_INT:
	    if (attr_parse_long(value, &num) < 0) {
		attr_set_error("attribute \"%s\": bad integer value",
			       want[i].name);
		stored = -1;
		break;
	    }
	    *(long *) want[i].result = num;
	    stored++;
	    break;
	case ATTR_TYPE_DATA:
	    vstring_memcpy((struct vstring *) want[i].result,
			   vstring_str(value), vstring_len(value));
	    stored++;
	    break;
	}
	if (stored < 0)
	    break;
    }

    /*
     * Strict mode: everything asked for, nothing else.
     */
    if (stored >= 0 && late_error)
	stored = -1;
    if (stored >= 0 && (flags & ATTR_FLAG_STRICT)) {
	for (i = 0; i < nwant; i++) {
	    if (!want[i].seen) {
		attr_set_error("missing attribute \"%s\"", want[i].name);
		stored = -1;
		break;
	    }
	}
    }
    vstring_free(&name);
    vstring_free(&value);
    return (stored);
}

/* attr_scan - read one message into a caller's list */

int     attr_scan(struct vstream *stream, int flags,...)
{
    va_list ap;
    int     ret;

    va_start(ap, flags);
    ret = attr_vscan(stream, flags, ap);
    va_end(ap);
    return (ret);
}

/* attr_free_value - htable destructor */

static void attr_free_value(void *ptr)
{
    struct vstring *vs = ptr;

    vstring_free(&vs);
}

/* attr_scan_any - read one whole message into a table */

int     attr_scan_any(struct vstream *stream, size_t limit, struct htable *table)
{
    struct htable_info **list;
    struct htable_info **ht;
    struct vstring *name = vstring_alloc(ATTR_NAME_MAX);
    struct vstring *value;
    int     count = 0;
    int     ret;

    /*
     * Start from an empty table, so that nothing from an earlier message
     * (such as its "request") survives.
     */
    list = htable_list(table);
    for (ht = list; *ht; ht++)
	htable_delete(table, (*ht)->key, attr_free_value);
    myfree(list);

    for (;;) {
	value = vstring_alloc(100);
	if ((ret = attr_get_one(stream, name, value, limit)) <= 0) {
	    vstring_free(&value);
	    if (ret < 0)
		count = -1;
	    break;
	}
	if (htable_locate(table, vstring_str(name)) != 0) {
	    attr_set_error("attribute \"%s\" appears twice", vstring_str(name));
	    vstring_free(&value);
	    count = -1;
	    break;
	}
	htable_enter(table, vstring_str(name), value);
	count++;
    }
    vstring_free(&name);
    return (count);
}

/* attr_send_protocol - announce a service */

int     attr_send_protocol(struct vstream *stream, const char *name, int version)
{
    return (attr_print(stream, ATTR_FLAG_NONE,
		       ATTR_TYPE_STR, ATTR_PROTOCOL, name,
		       ATTR_TYPE_INT, ATTR_VERSION, (long) version,
		       ATTR_TYPE_END));
}

/* attr_expect_protocol - check a service's announcement */

int     attr_expect_protocol(struct vstream *stream, const char *name,
			             int version, struct vstring *why)
{
    struct vstring *got_name = vstring_alloc(20);
    long    got_version = 0;
    int     ret = -1;

    if (attr_scan(stream, ATTR_FLAG_STRICT,
		  ATTR_TYPE_STR, ATTR_PROTOCOL, got_name,
		  ATTR_TYPE_INT, ATTR_VERSION, &got_version,
		  ATTR_TYPE_END) != 2) {
	vstring_sprintf(why, "protocol \"%s\" handshake: %s", name, attr_error());
    } else if (strcmp(vstring_str(got_name), name) != 0) {
	vstring_sprintf(why, "protocol mismatch: expected \"%s\", got \"%.*s\"",
			name, (int) (vstring_len(got_name) > 64 ? 64 :
				     vstring_len(got_name)),
			vstring_str(got_name));
	attr_set_error("%s", vstring_str(why));
    } else if (got_version != version) {
	vstring_sprintf(why, "protocol \"%s\": expected version %d, got %ld",
			name, version, got_version);
	attr_set_error("%s", vstring_str(why));
    } else {
	ret = 0;
    }
    vstring_free(&got_name);
    return (ret);
}
