/*++
/* NAME
/*	maildrop 3
/* SUMMARY
/*	local submissions: the record stream sendmail writes and the
/*	files dromdrop leaves in maildrop/
/* SYNOPSIS
/*	#include <maildrop.h>
/*
/*	void	maildrop_check_init(check, mode, size_limit)
/*
/*	int	maildrop_check_rec(check, type, data, len, why)
/*
/*	int	maildrop_check_stream(stream, mode, size_limit, check, why)
/*
/*	int	maildrop_name_valid(name)
/* DESCRIPTION
/*	A local submission travels as rec(3) records twice: from
/*	sendmail(1) to dromdrop(1) on a pipe (mode MAILDROP_FROM_CLIENT),
/*	and as a file in maildrop/ that dromdrop writes and pickup(8)
/*	reads (mode MAILDROP_FILE). Grammars:
/*
/* .nf
/*	client:  A* S (N? R)+ M C* X E
/*	file:    V T A(uid) A* S (N? R)+ M C* X E
/* .fi
/*
/*	V is "dromos-maildrop 1"; T the time dromdrop wrote the file
/*	("seconds.microseconds"); the first A of a file is "uid=N", the
/*	real user ID of the submitter, which only dromdrop writes (a
/*	client that sends it is refused). Other attributes, at most once
/*	each: "full_name=TEXT" (sendmail -F, printable, at most
/*	MAILDROP_ATTR_MAX bytes), "dsn_envid=TEXT" (decoded ENVID, at
/*	most DSN_ENVID_MAX printable ASCII characters) and
/*	"dsn_ret=FULL|HDRS". S is the envelope sender, possibly empty; R
/*	a recipient address (not empty); both at most MAILDROP_ADDR_MAX
/*	bytes without control characters. N is the next recipient's DSN
/*	request as in queue files (dsn(3)). M, X and E are empty; C
/*	records hold the content (lines ending in "\\n"), at most
/*	REC_CONT_MAX bytes each and, with a size limit, at most that
/*	many bytes in all. Nothing may follow E; at most
/*	MAILDROP_RCPT_MAX recipients.
/*
/*	maildrop_check_init() starts a check. maildrop_check_rec() takes
/*	the next record and returns MAILDROP_CHECK_MORE, MAILDROP_CHECK_DONE
/*	after a valid E record, MAILDROP_CHECK_SIZE when the content went
/*	over the limit (the caller decides: dromdrop refuses, pickup
/*	lets cleanup refuse and bounce), or MAILDROP_CHECK_ERROR with the
/*	reason in why ("record 7 (recipient): control character in
/*	address"). A check that failed stays failed.
/*
/*	maildrop_check_stream() reads records from stream until the end
/*	and checks them all: MAILDROP_CHECK_DONE when the stream holds a
/*	whole valid submission and nothing after it, else an error with
/*	the reason (a truncated record, a missing E, ...). The check
/*	(its uid, recipient count and size) is left in check.
/*
/*	maildrop_name_valid() checks a maildrop file name: the syntax of
/*	a queue ID (qfile(3)), so no name leads out of the folder.
/* DIAGNOSTICS
/*	Return values and why.
/*--*/
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <vstream.h>
#include <vstring.h>

#include <dsn.h>
#include <maildrop.h>
#include <qfile.h>
#include <rec.h>

/* Grammar positions. */
#define ST_MAGIC	0		/* V next (file) */
#define ST_TIME		1		/* T next (file) */
#define ST_UID		2		/* A uid= next (file) */
#define ST_ATTR		3		/* A* S */
#define ST_RCPT		4		/* (N? R)+ M */
#define ST_CONT		5		/* C* X */
#define ST_END		6		/* E */
#define ST_DONE		7		/* nothing more */
#define ST_FAILED	8

#define SEEN_FULL_NAME	(1<<0)
#define SEEN_ENVID	(1<<1)
#define SEEN_RET	(1<<2)

void    maildrop_check_init(struct maildrop_check *c, int mode, off_t limit)
{
    memset(c, 0, sizeof(*c));
    c->mode = mode;
    c->state = (mode == MAILDROP_FILE ? ST_MAGIC : ST_ATTR);
    c->size_limit = limit;
    c->uid = -1;
}

/* maildrop_text_ok - printable text: no control characters, no NUL */

static int maildrop_text_ok(const char *data, size_t len, int ascii)
{
    size_t  i;
    unsigned char ch;

    for (i = 0; i < len; i++) {
	ch = (unsigned char) data[i];
	if (ch < 0x20 || ch == 0x7f || (ascii && ch > 0x7e))
	    return (0);
    }
    return (1);
}

/* maildrop_digits - a run of 1 to max decimal digits */

static int maildrop_digits(const char *data, size_t len, size_t max)
{
    size_t  i;

    if (len == 0 || len > max)
	return (0);
    for (i = 0; i < len; i++)
	if (!isdigit((unsigned char) data[i]))
	    return (0);
    return (1);
}

/* maildrop_attr - one client attribute */

static int maildrop_attr(struct maildrop_check *c, const char *data,
			         size_t len, struct vstring *why)
{
    const char *eq = memchr(data, '=', len);
    size_t  nlen;
    const char *val;
    size_t  vlen;
    int     bit;

    if (eq == 0) {
	vstring_strcpy(why, "attribute without \"=\"");
	return (-1);
    }
    nlen = (size_t) (eq - data);
    val = eq + 1;
    vlen = len - nlen - 1;
    if (vlen > MAILDROP_ATTR_MAX) {
	vstring_sprintf(why, "attribute value longer than %d bytes",
			MAILDROP_ATTR_MAX);
	return (-1);
    }
    if (nlen == 9 && memcmp(data, "full_name", 9) == 0) {
	bit = SEEN_FULL_NAME;
	if (!maildrop_text_ok(val, vlen, 0)) {
	    vstring_strcpy(why, "control character in full_name");
	    return (-1);
	}
    } else if (nlen == 9 && memcmp(data, "dsn_envid", 9) == 0) {
	bit = SEEN_ENVID;
	if (vlen == 0 || vlen > DSN_ENVID_MAX || !maildrop_text_ok(val, vlen, 1)) {
	    vstring_sprintf(why, "dsn_envid must be 1 to %d printable ASCII "
			    "characters", DSN_ENVID_MAX);
	    return (-1);
	}
    } else if (nlen == 7 && memcmp(data, "dsn_ret", 7) == 0) {
	bit = SEEN_RET;
	if (!(vlen == 4 && (memcmp(val, DSN_RET_FULL, 4) == 0
			    || memcmp(val, DSN_RET_HDRS, 4) == 0))) {
	    vstring_strcpy(why, "dsn_ret must be FULL or HDRS");
	    return (-1);
	}
    } else if (nlen == 3 && memcmp(data, "uid", 3) == 0) {
	vstring_strcpy(why, c->mode == MAILDROP_FILE ?
		       "uid attribute given twice" :
		       "a client may not send the uid attribute");
	return (-1);
    } else {
	vstring_strcpy(why, "unknown attribute \"");
	vstring_append(why, data, nlen > 40 ? 40 : nlen);
	vstring_append(why, "\"", 1);
	if (!maildrop_text_ok(vstring_str(why), vstring_len(why), 1))
	    vstring_strcpy(why, "unknown attribute");
	return (-1);
    }
    if (c->seen & bit) {
	vstring_strcpy(why, "attribute given twice");
	return (-1);
    }
    c->seen |= bit;
    return (0);
}

/* maildrop_addr - sender or recipient */

static int maildrop_addr(const char *data, size_t len, int empty_ok,
			         struct vstring *why)
{
    if (len == 0 && !empty_ok) {
	vstring_strcpy(why, "empty address");
	return (-1);
    }
    if (len > MAILDROP_ADDR_MAX) {
	vstring_sprintf(why, "address longer than %d bytes", MAILDROP_ADDR_MAX);
	return (-1);
    }
    if (!maildrop_text_ok(data, len, 0)) {
	vstring_strcpy(why, "control character in address");
	return (-1);
    }
    return (0);
}

/* maildrop_time - T: "seconds.microseconds" */

static int maildrop_time(const char *data, size_t len)
{
    const char *dot = memchr(data, '.', len);

    return (dot != 0 && maildrop_digits(data, (size_t) (dot - data), 12)
	    && maildrop_digits(dot + 1, len - (size_t) (dot - data) - 1, 6));
}

/* maildrop_step - the record in the grammar; 0, 1 (done) or -1 */

static int maildrop_step(struct maildrop_check *c, int type, const char *data,
			         size_t len, struct vstring *why)
{
    struct vstring *tmp;
    int     mask;
    int     ok;

    switch (c->state) {
    case ST_MAGIC:
	if (type != REC_TYPE_MAGIC || len != strlen(MAILDROP_MAGIC_TEXT)
	    || memcmp(data, MAILDROP_MAGIC_TEXT, len) != 0) {
	    vstring_strcpy(why, "not a maildrop file (no "
			   MAILDROP_MAGIC_TEXT " record)");
	    return (-1);
	}
	c->state = ST_TIME;
	return (0);
    case ST_TIME:
	if (type != REC_TYPE_TIME || !maildrop_time(data, len)) {
	    vstring_strcpy(why, "missing or malformed time record");
	    return (-1);
	}
	c->state = ST_UID;
	return (0);
    case ST_UID:
	if (type != REC_TYPE_ATTR || len < 5 || memcmp(data, "uid=", 4) != 0
	    || !maildrop_digits(data + 4, len - 4, 10)) {
	    vstring_strcpy(why, "missing or malformed uid attribute");
	    return (-1);
	}
	c->uid = strtol(data + 4, (char **) 0, 10);
	c->state = ST_ATTR;
	return (0);
    case ST_ATTR:
	if (type == REC_TYPE_ATTR)
	    return (maildrop_attr(c, data, len, why));
	if (type == REC_TYPE_FROM) {
	    if (maildrop_addr(data, len, 1, why) < 0)
		return (-1);
	    c->state = ST_RCPT;
	    return (0);
	}
	vstring_sprintf(why, "unexpected %s record (attributes and the "
			"sender come first)", rec_type_name(type));
	return (-1);
    case ST_RCPT:
	if (type == REC_TYPE_DSN) {
	    if (c->pending) {
		vstring_strcpy(why, "two DSN records for one recipient");
		return (-1);
	    }
	    tmp = vstring_alloc(100);
	    ok = (dsn_rec_parse(data, len, &mask, tmp) == 0);
	    vstring_free(&tmp);
	    if (!ok) {
		vstring_strcpy(why, "malformed DSN record");
		return (-1);
	    }
	    c->pending = 1;
	    return (0);
	}
	if (type == REC_TYPE_RCPT) {
	    if (maildrop_addr(data, len, 0, why) < 0)
		return (-1);
	    if (++c->rcpts > MAILDROP_RCPT_MAX) {
		vstring_sprintf(why, "more than %d recipients",
				MAILDROP_RCPT_MAX);
		return (-1);
	    }
	    c->pending = 0;
	    return (0);
	}
	if (type == REC_TYPE_MESG) {
	    if (c->rcpts == 0 || c->pending || len != 0) {
		vstring_strcpy(why, c->rcpts == 0 ? "no recipients" :
			       c->pending ? "DSN record without its recipient" :
			       "content start record with data");
		return (-1);
	    }
	    c->state = ST_CONT;
	    return (0);
	}
	vstring_sprintf(why, "unexpected %s record among the recipients",
			rec_type_name(type));
	return (-1);
    case ST_CONT:
	if (type == REC_TYPE_CONT) {
	    c->size += (off_t) len;
	    return (0);
	}
	if (type == REC_TYPE_XTRA && len == 0) {
	    c->state = ST_END;
	    return (0);
	}
	vstring_sprintf(why, "unexpected %s record in the content",
			rec_type_name(type));
	return (-1);
    case ST_END:
	if (type == REC_TYPE_END && len == 0) {
	    c->state = ST_DONE;
	    return (1);
	}
	vstring_strcpy(why, "missing end record");
	return (-1);
    default:
	vstring_strcpy(why, "data after the end record");
	return (-1);
    }
}

int     maildrop_check_rec(struct maildrop_check *c, int type,
			           const char *data, size_t len,
			           struct vstring *why)
{
    struct vstring *reason;
    int     status;

    if (c->state == ST_FAILED) {
	vstring_strcpy(why, "submission already failed its check");
	return (MAILDROP_CHECK_ERROR);
    }
    c->records++;
    reason = vstring_alloc(100);
    status = maildrop_step(c, type, data, len, reason);
    if (status < 0) {
	vstring_sprintf(why, "record %d (%s): %s", c->records,
			rec_type_name(type), vstring_str(reason));
	c->state = ST_FAILED;
	vstring_free(&reason);
	return (MAILDROP_CHECK_ERROR);
    }
    vstring_free(&reason);
    if (c->size_limit > 0 && c->size > c->size_limit) {
	vstring_sprintf(why, "message larger than %ld bytes",
			(long) c->size_limit);
	return (MAILDROP_CHECK_SIZE);
    }
    return (status == 1 ? MAILDROP_CHECK_DONE : MAILDROP_CHECK_MORE);
}

int     maildrop_check_stream(struct vstream *stream, int mode, off_t limit,
			              struct maildrop_check *c,
			              struct vstring *why)
{
    struct vstring *buf = vstring_alloc(1024);
    int     type;
    int     status = MAILDROP_CHECK_MORE;

    maildrop_check_init(c, mode, limit);
    for (;;) {
	type = rec_get(stream, buf, REC_CONT_MAX);
	if (type == REC_ERR_EOF) {
	    if (status != MAILDROP_CHECK_DONE) {
		vstring_sprintf(why, "record %d: the submission ends early "
				"(no end record)", c->records + 1);
		status = MAILDROP_CHECK_ERROR;
	    }
	    break;
	}
	if (type < 0) {
	    vstring_sprintf(why, "record %d: %s", c->records + 1,
			    type == REC_ERR_TRUNC ? "truncated" :
			    type == REC_ERR_TOOLONG ? "record too long" :
			    "read error");
	    status = MAILDROP_CHECK_ERROR;
	    break;
	}
	status = maildrop_check_rec(c, type, vstring_str(buf),
				    vstring_len(buf), why);
	if (status == MAILDROP_CHECK_ERROR)
	    break;
	/* Over the size limit: keep checking the rest of the grammar. */
	if (status == MAILDROP_CHECK_SIZE)
	    status = MAILDROP_CHECK_MORE;
    }
    vstring_free(&buf);
    if (status == MAILDROP_CHECK_DONE && limit > 0 && c->size > limit) {
	vstring_sprintf(why, "message larger than %ld bytes", (long) limit);
	return (MAILDROP_CHECK_SIZE);
    }
    return (status);
}

int     maildrop_name_valid(const char *name)
{
    return (qfile_id_valid(name));
}
