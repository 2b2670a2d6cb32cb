#ifndef REC_H
#define REC_H
/*++
/* NAME
/*	rec 3h
/* SUMMARY
/*	typed, length-prefixed records (queue files and cleanup input)
/* SYNOPSIS
/*	#include <rec.h>
/* DESCRIPTION
/*	A record is one type byte, a 4-byte big-endian length N, and N data
/*	bytes (binary-safe). The same records make up a queue file and the
/*	stream a client (smtpd, pickup, bounce) sends to cleanup.
/*
/*	rec_put(stream, type, data, len) writes one record; returns 0 or
/*	-1 (stream error). rec_fputs(stream, type, str) writes a C string.
/*	rec_fprintf(stream, type, fmt, ...) writes formatted text.
/*	rec_get(stream, buf, maxlen) reads one record into buf and returns
/*	its type (a positive byte value), or one of: REC_ERR_EOF (clean end
/*	of input before a type byte), REC_ERR_TRUNC (end of input inside a
/*	record), REC_ERR_TOOLONG (length > maxlen; the data is not read),
/*	REC_ERR_IO (read error or timeout: vstream_status() says which).
/*	rec_hdr_len is the size of a record header (5).
/*	rec_type_name(type) gives a printable name for logs ("sender").
/*	rec_type_valid(type) is non-zero for a type listed below.
/*
/*	Record types (the queue file grammar is in qfile.h):
/* .IP REC_TYPE_MAGIC (V)
/*	"dromos-queue 1": first record of a queue file.
/* .IP REC_TYPE_TIME (T)
/*	arrival time, "seconds.microseconds".
/* .IP REC_TYPE_ATTR (A)
/*	"name=value": client_name, client_addr, client_port, helo_name,
/*	protocol, sasl_username, log_ident, rewrite_context, ...
/* .IP REC_TYPE_FROM (S)
/*	the envelope sender; empty for the null sender.
/* .IP REC_TYPE_ORCP (O)
/*	the original recipient (as given at RCPT), applies to the next R.
/* .IP REC_TYPE_DSN (N)
/*	the recipient's DSN request, "NOTIFY_MASK ORCPT" (dsn.h), applies
/*	to the next R.
/* .IP REC_TYPE_RCPT (R)
/*	a recipient: first data byte is its state (REC_RCPT_*), the rest
/*	the address. qmgr rewrites the state byte in place.
/* .IP REC_TYPE_MESG (M)
/*	start of the message content (empty data).
/* .IP REC_TYPE_CONT (C)
/*	content bytes, lines ending in "\n" (no CR), up to REC_CONT_MAX
/*	bytes a record. Lines may span records.
/* .IP REC_TYPE_XTRA (X)
/*	end of content (empty data).
/* .IP REC_TYPE_SIZE (Z)
/*	"content_size header_size rcpt_count", after X.
/* .IP REC_TYPE_END (E)
/*	last record (empty data).
/* DIAGNOSTICS
/*	Return values only.
/*--*/
#include <stddef.h>

struct vstream;
struct vstring;

#define REC_TYPE_MAGIC	'V'
#define REC_TYPE_TIME	'T'
#define REC_TYPE_ATTR	'A'
#define REC_TYPE_FROM	'S'
#define REC_TYPE_ORCP	'O'
#define REC_TYPE_DSN	'N'
#define REC_TYPE_RCPT	'R'
#define REC_TYPE_MESG	'M'
#define REC_TYPE_CONT	'C'
#define REC_TYPE_XTRA	'X'
#define REC_TYPE_SIZE	'Z'
#define REC_TYPE_END	'E'

#define REC_RCPT_TODO	'P'		/* not yet delivered */
#define REC_RCPT_SENT	'D'		/* delivered: done */
#define REC_RCPT_BOUNCED 'B'		/* permanent failure: done */

#define REC_MAGIC_TEXT	"dromos-queue 1"
#define REC_CONT_MAX	65536
#define REC_HDR_LEN	5

#define REC_ERR_EOF	(-1)
#define REC_ERR_TRUNC	(-2)
#define REC_ERR_TOOLONG	(-3)
#define REC_ERR_IO	(-4)

extern int rec_put(struct vstream *, int, const void *, size_t);
extern int rec_fputs(struct vstream *, int, const char *);
extern int rec_fprintf(struct vstream *, int, const char *,...)
	__attribute__((format(printf, 3, 4)));
extern int rec_get(struct vstream *, struct vstring *, size_t);
extern const char *rec_type_name(int);
extern int rec_type_valid(int);

#endif
