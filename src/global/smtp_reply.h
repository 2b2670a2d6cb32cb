#ifndef SMTP_REPLY_H
#define SMTP_REPLY_H
/*++
/* NAME
/*	smtp_reply 3h
/* SUMMARY
/*	SMTP replies as a client reads them (RFC 5321 4.2, RFC 3463)
/* SYNOPSIS
/*	#include <smtp_reply.h>
/* DESCRIPTION
/*	A reply is one or more lines "CODE-text" ending with "CODE text"
/*	(or a bare "CODE"), every line with the same three-digit code:
/*	first digit 2 to 5, second 0 to 5, third 0 to 9.
/*
/*	smtp_reply_init(r) and smtp_reply_free(r) set up and free a
/*	struct smtp_reply. smtp_reply_feed(r, line, len) adds one line
/*	(without its CRLF): it returns SMTP_REPLY_MORE when another line
/*	must follow, SMTP_REPLY_DONE when the reply is complete, or
/*	SMTP_REPLY_BAD with the reason in r->why (a malformed line, a
/*	code that differs from the first line's, more than
/*	SMTP_REPLY_LINES_MAX lines). Lines longer than
/*	SMTP_REPLY_LINE_MAX are cut (the reader skips the rest).
/*	smtp_reply_read(stream, r) reads a whole reply from a stream
/*	(lines ending in LF, a CR before it dropped), with the stream's
/*	timeout for each line; it returns 0, or -1 with the reason in
/*	r->why (lost connection, timeout, malformed reply).
/*
/*	After a complete reply: r->code is the code (e.g. 250), r->dsn
/*	the RFC 3463 status: the enhanced code at the start of the first
/*	line's text when it has the reply's class ("5.1.1"), otherwise
/*	X.0.0 from the first digit; r->text all lines' text joined with
/*	a space, for logs and notices ("550 5.1.1 <bob@x>: unknown user");
/*	r->lines holds each line's text without code ("PIPELINING",
/*	"SIZE 10240000": what EHLO announces).
/* DIAGNOSTICS
/*	Return values and r->why.
/*--*/
#include <stddef.h>

struct vstream;
struct vstring;
struct argv;

#define SMTP_REPLY_LINE_MAX	4096	/* bytes of one line kept */
#define SMTP_REPLY_LINES_MAX	100	/* lines of one reply */

#define SMTP_REPLY_DONE		0
#define SMTP_REPLY_MORE		1
#define SMTP_REPLY_BAD		(-1)

struct smtp_reply {
    int     code;
    char    dsn[16];
    struct vstring *text;
    struct argv *lines;
    struct vstring *why;
};

extern void smtp_reply_init(struct smtp_reply *);
extern void smtp_reply_free(struct smtp_reply *);
extern void smtp_reply_reset(struct smtp_reply *);
extern int smtp_reply_feed(struct smtp_reply *, const char *, size_t);
extern int smtp_reply_read(struct vstream *, struct smtp_reply *);

#endif
