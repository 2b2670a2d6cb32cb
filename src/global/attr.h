#ifndef ATTR_H
#define ATTR_H
/*++
/* NAME
/*	attr 3h
/* SUMMARY
/*	the attribute protocol: named, length-prefixed fields between daemons
/* SYNOPSIS
/*	#include <attr.h>
/* DESCRIPTION
/*	Every request and reply between dromos daemons is one attribute
/*	message. Grammar (all lengths 4-byte big-endian):
/*
/*	message   = attribute* end
/*	attribute = name-length name value-length value
/*	end       = a name-length of 0
/*
/*	Names are 1..ATTR_NAME_MAX bytes of [a-z0-9_]; values are binary
/*	and at most the limit the reader gives (ATTR_VALUE_MAX by
/*	default). Integers travel as decimal text.
/*
/*	A service announces itself first: on connect the server sends the
/*	message {protocol = NAME, version = N} and the client checks both
/*	with attr_expect_protocol() before it sends anything.
/*
/*	attr_print(stream, flags, ...) writes one message from a list of
/*	(ATTR_TYPE, name, value) triples ended by ATTR_TYPE_END, and
/*	flushes unless ATTR_FLAG_MORE is given:
/* .IP "ATTR_TYPE_STR, const char *name, const char *value"
/* .IP "ATTR_TYPE_INT, const char *name, long value"
/* .IP "ATTR_TYPE_DATA, const char *name, const void *data, size_t len"
/* .PP
/*	attr_scan(stream, flags, ...) reads one message into a list of
/*	(ATTR_TYPE, name, result) triples ended by ATTR_TYPE_END:
/* .IP "ATTR_TYPE_STR, const char *name, struct vstring *value"
/* .IP "ATTR_TYPE_INT, const char *name, long *value"
/* .IP "ATTR_TYPE_DATA, const char *name, struct vstring *value"
/* .PP
/*	With ATTR_FLAG_STRICT a missing or unexpected attribute is an
/*	error; without it unknown attributes are skipped (for evolution)
/*	and missing ones are left untouched. It returns the number of
/*	attributes stored, or -1 on a malformed message, a bad integer, a
/*	value longer than the limit, end of input or a stream error;
/*	attr_error() then describes it ("attribute \"x\": value too
/*	long", "unexpected end of input").
/*	attr_scan_any(stream, limit, table) reads one whole message into
/*	table (name -> struct vstring *, replacing old contents; see
/*	htable.h), for servers that dispatch on a "request" attribute.
/*	attr_send_protocol(stream, name, version) and
/*	attr_expect_protocol(stream, name, version, why) do the handshake.
/* DIAGNOSTICS
/*	Return values; attr_error().
/*--*/
#include <stdarg.h>
#include <stddef.h>

struct vstream;
struct vstring;
struct htable;

#define ATTR_TYPE_END	0
#define ATTR_TYPE_STR	1
#define ATTR_TYPE_INT	2
#define ATTR_TYPE_DATA	3

#define ATTR_FLAG_NONE		0
#define ATTR_FLAG_STRICT	(1<<0)
#define ATTR_FLAG_MORE		(1<<1)	/* attr_print: do not flush */

#define ATTR_NAME_MAX	64
#define ATTR_VALUE_MAX	(1024 * 1024)

extern int attr_print(struct vstream *, int,...);
extern int attr_vprint(struct vstream *, int, va_list);
extern int attr_scan(struct vstream *, int,...);
extern int attr_vscan(struct vstream *, int, va_list);
extern int attr_scan_any(struct vstream *, size_t, struct htable *);
extern const char *attr_error(void);
extern int attr_send_protocol(struct vstream *, const char *, int);
extern int attr_expect_protocol(struct vstream *, const char *, int, struct vstring *);

/* Attribute names used across services. */
#define ATTR_PROTOCOL	"protocol"
#define ATTR_VERSION	"version"
#define ATTR_REQUEST	"request"
#define ATTR_STATUS	"status"
#define ATTR_REASON	"reason"
#define ATTR_QUEUE_ID	"queue_id"
#define ATTR_QUEUE_NAME	"queue_name"
#define ATTR_OFFSET	"offset"
#define ATTR_SENDER	"sender"
#define ATTR_RECIPIENT	"recipient"
#define ATTR_ORCPT	"orig_recipient"
#define ATTR_DSN_STATUS	"dsn_status"
#define ATTR_FLAGS	"flags"
#define ATTR_ARRIVAL	"arrival_time"
#define ATTR_COUNT	"count"

#endif
