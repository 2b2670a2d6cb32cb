#ifndef DSN_H
#define DSN_H
/*++
/* NAME
/*	dsn 3h
/* SUMMARY
/*	delivery status notification requests (RFC 3461)
/* SYNOPSIS
/*	#include <dsn.h>
/* DESCRIPTION
/*	What a client asked of notices for one message: per recipient
/*	NOTIFY (a mask of DSN_NOTIFY_*; 0 when the client gave none, which
/*	means failure and delay notices, as if NOTIFY=FAILURE,DELAY) and
/*	ORCPT, per message RET and ENVID.
/*
/*	In the queue file NOTIFY and ORCPT travel in an N record before
/*	the recipient's R record: "MASK ORCPT" (the decimal mask, one
/*	space, the ORCPT as "addr-type;address" with xtext decoded, or
/*	nothing). RET and ENVID are attributes "dsn_ret=FULL|HDRS" and
/*	"dsn_envid=TEXT" (decoded).
/*
/*	dsn_notify_parse(text) returns the mask for an ESMTP NOTIFY value
/*	("SUCCESS,DELAY", case-insensitive), or -1 when it is malformed
/*	(an unknown keyword, an empty item, NEVER with anything else).
/*	dsn_notify_str(buf, mask) writes the keyword list back.
/*	dsn_notify_wants(mask, what) says whether a notice of kind what
/*	(DSN_NOTIFY_SUCCESS, _FAILURE or _DELAY) was asked for.
/*
/*	xtext (RFC 3461 section 4): dsn_xtext_decode(buf, text) decodes
/*	"+XX" hex escapes into buf and returns 0, or -1 when text is not
/*	valid xtext (a character outside "!" to "~", "=" unescaped, a bad
/*	escape) or decodes to a control character. dsn_xtext_encode(buf,
/*	text) is the reverse ("+", "=", controls, space and 8-bit bytes
/*	escaped).
/*
/*	dsn_orcpt_ok(text) checks a decoded ORCPT: "addr-type;value" with
/*	an atom for addr-type and printable value.
/*
/*	dsn_rec_format(buf, mask, orcpt) makes the N record's data;
/*	dsn_rec_parse(data, len, &mask, orcpt) reads it back (-1 when
/*	malformed).
/* DIAGNOSTICS
/*	Return values.
/*--*/
#include <stddef.h>

struct vstring;

#define DSN_NOTIFY_SUCCESS	(1<<0)
#define DSN_NOTIFY_FAILURE	(1<<1)
#define DSN_NOTIFY_DELAY	(1<<2)
#define DSN_NOTIFY_NEVER	(1<<3)
#define DSN_NOTIFY_MASK		0xf

#define DSN_RET_FULL		"FULL"
#define DSN_RET_HDRS		"HDRS"

#define DSN_ENVID_MAX		100	/* RFC 3461 4.4: 100 characters */
#define DSN_ORCPT_MAX		500

extern int dsn_notify_parse(const char *);
extern const char *dsn_notify_str(struct vstring *, int);
extern int dsn_notify_wants(int, int);
extern int dsn_xtext_decode(struct vstring *, const char *);
extern const char *dsn_xtext_encode(struct vstring *, const char *);
extern int dsn_orcpt_ok(const char *);
extern const char *dsn_rec_format(struct vstring *, int, const char *);
extern int dsn_rec_parse(const char *, size_t, int *, struct vstring *);

#endif
