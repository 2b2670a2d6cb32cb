#ifndef DELIVER_REQUEST_H
#define DELIVER_REQUEST_H
/*++
/* NAME
/*	deliver_request 3h
/* SUMMARY
/*	the protocol between qmgr and delivery agents
/* SYNOPSIS
/*	#include <deliver_request.h>
/* DESCRIPTION
/*	qmgr connects to a delivery agent's unix socket (private/local
/*	for the local agent), which announces {protocol = "deliver",
/*	version = 1}. Then, any number of times on the one connection:
/*
/*	qmgr:  {request = "deliver", queue_name, queue_id, offset,
/*		sender, recipient, orig_recipient, arrival_time,
/*		nexthop, flags, dsn_notify, dsn_orcpt, dsn_envid, dsn_ret}
/*	agent: {status, dsn_status, reason, remote_mta, diagnostic,
/*		action}
/*
/*	flags: DELIVER_FLAG_MORE says that the next request on the
/*	connection is another recipient of the same message for the same
/*	nexthop (qmgr sends such a group together; the smtp agent sends
/*	it as one SMTP transaction, and answers each request in order).
/*	dsn_notify is the recipient's RFC 3461 NOTIFY (DSN_NOTIFY_* bits
/*	of dsn.h; 0 when the client gave none), dsn_orcpt its ORCPT
/*	("rfc822;addr", or empty), dsn_envid and dsn_ret the message's
/*	ENVID and RET ("FULL", "HDRS" or empty).
/*	remote_mta is the peer host that gave the result (empty for
/*	local delivery), diagnostic its reply ("smtp; 550 5.1.1 ...", or
/*	empty), action for a sent recipient: "relayed" when the peer
/*	could not take the DSN request on, "passed" when it could (no
/*	success notice from this host), or empty (delivered here).
/*
/*	offset is the R record's offset in the queue file (the agent does
/*	not change the queue file; qmgr records the result). status is
/*	DELIVER_STAT_SENT, DELIVER_STAT_DEFER or DELIVER_STAT_BOUNCE;
/*	dsn_status the RFC 3463 code ("2.0.0", "4.2.0", "5.1.1"); reason a
/*	text for logs and notices ("delivered to maildir", "unknown user:
/*	\"bob\""). The agent logs the delivery line itself:
/*	"ID: to=<rcpt>, relay=local, delay=1.2, dsn=2.0.0, status=sent
/*	(delivered to maildir)".
/*
/*	deliver_request_read() (agent side) reads a request into struct
/*	deliver_request, or returns -1 at end of input or on a malformed
/*	request; deliver_request_reply() sends the answer.
/*	deliver_request_send() and deliver_reply_read() are the qmgr side.
/* DIAGNOSTICS
/*	Return values.
/*--*/
struct vstream;
struct vstring;

#define DELIVER_PROTOCOL	"deliver"
#define DELIVER_VERSION		1

#define DELIVER_STAT_SENT	0
#define DELIVER_STAT_DEFER	4
#define DELIVER_STAT_BOUNCE	5

struct deliver_request {
    struct vstring *queue_name;
    struct vstring *queue_id;
    long    offset;
    struct vstring *sender;
    struct vstring *recipient;
    struct vstring *orig_recipient;
    long    arrival_sec;
    struct vstring *nexthop;
    long    flags;
    long    dsn_notify;
    struct vstring *dsn_orcpt;
    struct vstring *dsn_envid;
    struct vstring *dsn_ret;
};

#define DELIVER_FLAG_MORE	(1<<0)	/* next request: same message, nexthop */

struct deliver_reply {
    long    status;
    struct vstring *dsn_status;
    struct vstring *reason;
    struct vstring *remote_mta;
    struct vstring *diagnostic;
    struct vstring *action;
};

extern struct deliver_request *deliver_request_alloc(void);
extern void deliver_request_free(struct deliver_request **);
extern int deliver_request_read(struct vstream *, struct deliver_request *);
extern int deliver_request_reply(struct vstream *, int, const char *, const char *);
extern int deliver_request_reply_remote(struct vstream *, int, const char *,
			          const char *, const char *, const char *,
					        const char *);
extern int deliver_request_send(struct vstream *, const struct deliver_request *);
extern struct deliver_reply *deliver_reply_alloc(void);
extern void deliver_reply_free(struct deliver_reply **);
extern int deliver_reply_read(struct vstream *, struct deliver_reply *);

#endif
