#ifndef CLEANUP_CLNT_H
#define CLEANUP_CLNT_H
/*++
/* NAME
/*	cleanup_clnt 3h
/* SUMMARY
/*	client side of the cleanup service: how a message enters the queue
/* SYNOPSIS
/*	#include <cleanup_clnt.h>
/* DESCRIPTION
/*	cleanup is the only writer of new queue files. Its protocol, on the
/*	unix socket private/cleanup (attr.h messages and rec.h records):
/*
/*	server: {protocol = "cleanup", version = 1}
/*	then, for each message (a connection may carry many):
/*	client: {request = "message", flags = F}
/*	server: {status = 0, queue_id = ID} (the file now exists in
/*		incoming/, mode 0600), or {status = S, reason = text}
/*	client: records A* S ((O | N)* R)+ M C* X E -- an R record's data is
/*		the bare address (cleanup adds the state byte); C records
/*		carry the content as a byte stream of lines ending in "\n"
/*		(CRLF already turned into LF, dots already unstuffed), any
/*		number of lines a record or part of one, at most
/*		REC_CONT_MAX bytes each
/*	server: {status = S, reason = text, queue_id = ID}
/*
/*	S = 0 means the file is complete and fsynced (file and folder):
/*	only then may the client say 250. cleanup then tells qmgr (a lost
/*	trigger only delays delivery until qmgr's next scan). Otherwise S is a bit mask of
/*	CLEANUP_STAT_* and the file is gone. A client that gives up in the
/*	middle closes the connection: cleanup removes the partial file.
/*	Records a client may not send (V, T, Z, or an unknown type) are a
/*	protocol error (CLEANUP_STAT_BAD) and end the connection.
/*
/*	cleanup_clnt_open(why) connects to private/cleanup (relative to
/*	the working directory, queue_directory) with ipc timeout and checks
/*	the protocol. cleanup_clnt_begin(c, flags, id, why) starts a
/*	message and returns 0 with the queue ID in id.
/*
/*	To start a message early and collect the answer later (smtpd
/*	does so at the first accepted RCPT, so that cleanup makes the file
/*	while the client is still talking): cleanup_clnt_connect(why)
/*	connects without waiting for the announcement;
/*	cleanup_clnt_begin_send(c, flags, why) sends the request;
/*	cleanup_clnt_begin_wait(c, id, why) then checks the announcement
/*	(once per connection) and reads the answer, like
/*	cleanup_clnt_begin().
/*	cleanup_clnt_stream(c) is the stream to rec_put() records on.
/*	cleanup_clnt_finish(c, reason) reads the final status and returns
/*	it (0 or CLEANUP_STAT_*), with cleanup's text in reason.
/*	cleanup_clnt_close(&c) closes (discarding any unfinished message).
/*	cleanup_stat_reply(status) maps a status to an SMTP reply text
/*	("451 4.3.0 Error: queue file write error", "552 5.3.4 Error:
/*	message file too big", ...).
/* DIAGNOSTICS
/*	Return values and why.
/*--*/
struct vstring;
struct vstream;
struct cleanup_clnt;

extern struct cleanup_clnt *cleanup_clnt_connect(struct vstring *);
extern int cleanup_clnt_begin_send(struct cleanup_clnt *, int,
				           struct vstring *);
extern int cleanup_clnt_begin_wait(struct cleanup_clnt *, struct vstring *,
				           struct vstring *);

#define CLEANUP_SERVICE		"private/cleanup"
#define CLEANUP_PROTOCOL	"cleanup"
#define CLEANUP_VERSION		1

#define CLEANUP_STAT_OK		0
#define CLEANUP_STAT_BAD	(1<<0)	/* protocol error from the client */
#define CLEANUP_STAT_WRITE	(1<<1)	/* queue file write/fsync error */
#define CLEANUP_STAT_SIZE	(1<<2)	/* message_size_limit exceeded */
#define CLEANUP_STAT_HOPS	(1<<3)	/* too many Received: headers */
#define CLEANUP_STAT_RCPT	(1<<4)	/* no recipients */
#define CLEANUP_STAT_PROXY	(1<<5)	/* cleanup unreachable, timeout */

#define CLEANUP_FLAG_NONE	0

extern struct cleanup_clnt *cleanup_clnt_open(struct vstring *);
extern int cleanup_clnt_begin(struct cleanup_clnt *, int, struct vstring *, struct vstring *);
extern struct vstream *cleanup_clnt_stream(struct cleanup_clnt *);
extern int cleanup_clnt_finish(struct cleanup_clnt *, struct vstring *);
extern void cleanup_clnt_close(struct cleanup_clnt **);
extern const char *cleanup_stat_reply(int);

#endif
