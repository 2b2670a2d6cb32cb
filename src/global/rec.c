/*++
/* NAME
/*	rec 3
/* SUMMARY
/*	typed, length-prefixed records (queue files and cleanup input)
/* SYNOPSIS
/*	#include <rec.h>
/*
/*	int	rec_put(stream, type, data, len)
/*	int	rec_fputs(stream, type, str)
/*	int	rec_fprintf(stream, type, fmt, ...)
/*	int	rec_get(stream, buf, maxlen)
/*	const char *rec_type_name(type)
/*	int	rec_type_valid(type)
/* DESCRIPTION
/*	See rec.h for the record layout and the record types. A record
/*	is one type byte, a 4-byte big-endian length N and N data bytes.
/*
/*	rec_get() never reads more than the record it returns, and never
/*	allocates more than maxlen bytes for its data: the data of a
/*	record that claims to be longer than maxlen is not read (and the
/*	stream is then out of step: the caller must give up on it). Data
/*	is read in bounded chunks, so a record that claims a large length
/*	but is cut short costs no more memory than the bytes that came.
/*	The data is stored in buf with the usual spare NUL after it.
/*
/*	A type byte of 0 is returned as 0 (not a valid type; callers that
/*	loop while rec_get() > 0 stop there, and the validating readers
/*	reject it with rec_type_valid()).
/* DIAGNOSTICS
/*	Return values only. Panic: a record longer than 2^32-1 bytes.
/*--*/
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include <msg.h>
#include <vstream.h>
#include <vstring.h>
#include <rec.h>

#define REC_READ_CHUNK	65536

/* rec_put - write one record */

int     rec_put(struct vstream *stream, int type, const void *data, size_t len)
{
    unsigned char hdr[REC_HDR_LEN];

    if (len > UINT32_MAX)
	msg_panic("rec_put: record length %zu too large", len);
    if (type <= 0 || type > 255)
	msg_panic("rec_put: bad record type %d", type);
    hdr[0] = (unsigned char) type;
    hdr[1] = (unsigned char) (len >> 24);
    hdr[2] = (unsigned char) (len >> 16);
    hdr[3] = (unsigned char) (len >> 8);
    hdr[4] = (unsigned char) len;
    if (vstream_write(stream, hdr, sizeof(hdr)) < 0)
	return (-1);
    if (len > 0 && vstream_write(stream, data, len) < 0)
	return (-1);
    return (0);
}

/* rec_fputs - write a C string as one record */

int     rec_fputs(struct vstream *stream, int type, const char *str)
{
    return (rec_put(stream, type, str, strlen(str)));
}

/* rec_fprintf - write formatted text as one record */

int     rec_fprintf(struct vstream *stream, int type, const char *fmt,...)
{
    struct vstring *buf = vstring_alloc(100);
    va_list ap;
    int     ret;

    va_start(ap, fmt);
    vstring_vsprintf_append(buf, fmt, ap);
    va_end(ap);
    ret = rec_put(stream, type, vstring_str(buf), vstring_len(buf));
    vstring_free(&buf);
    return (ret);
}

/* rec_get - read one record, bounded */

int     rec_get(struct vstream *stream, struct vstring *buf, size_t maxlen)
{
    unsigned char hdr[REC_HDR_LEN - 1];
    int     type;
    size_t  len;
    size_t  chunk;
    ssize_t got;

    vstring_reset(buf);

    /*
     * The type byte: a clean end of input is allowed here only.
     */
    if ((type = vstream_getc(stream)) < 0)
	return (vstream_status(stream) == VSTREAM_EOF ?
		REC_ERR_EOF : REC_ERR_IO);

    /*
     * The length.
     */
    got = vstream_read(stream, hdr, sizeof(hdr));
    if (got < 0)
	return (REC_ERR_IO);
    if ((size_t) got != sizeof(hdr))
	return (REC_ERR_TRUNC);
    len = ((size_t) hdr[0] << 24) | ((size_t) hdr[1] << 16)
	| ((size_t) hdr[2] << 8) | (size_t) hdr[3];
    if (len > maxlen)
	return (REC_ERR_TOOLONG);

    /*
     * The data, in bounded chunks, so that memory grows only with what
     * actually arrives.
     */
    while (vstring_len(buf) < len) {
	chunk = len - vstring_len(buf);
	if (chunk > REC_READ_CHUNK)
	    chunk = REC_READ_CHUNK;
	vstring_space(buf, chunk);
	got = vstream_read(stream, vstring_end(buf), chunk);
	if (got < 0) {
	    vstring_truncate(buf, vstring_len(buf));
	    return (REC_ERR_IO);
	}
	buf->len += (size_t) got;
	buf->data[buf->len] = 0;
	if ((size_t) got != chunk)
	    return (REC_ERR_TRUNC);
    }
    return (type);
}

/* rec_type_name - printable name for logs */

const char *rec_type_name(int type)
{
    switch (type) {
    case REC_TYPE_MAGIC:
	return ("magic");
    case REC_TYPE_TIME:
	return ("time");
    case REC_TYPE_ATTR:
	return ("attribute");
    case REC_TYPE_FROM:
	return ("sender");
    case REC_TYPE_ORCP:
	return ("original recipient");
    case REC_TYPE_DSN:
	return ("dsn request");
    case REC_TYPE_RCPT:
	return ("recipient");
    case REC_TYPE_MESG:
	return ("message start");
    case REC_TYPE_CONT:
	return ("content");
    case REC_TYPE_XTRA:
	return ("content end");
    case REC_TYPE_SIZE:
	return ("size");
    case REC_TYPE_END:
	return ("end");
    default:
	return ("unknown");
    }
}

/* rec_type_valid - is this a known record type */

int     rec_type_valid(int type)
{
    return (strcmp(rec_type_name(type), "unknown") != 0);
}
