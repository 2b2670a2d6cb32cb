#ifndef BOUNCE_CLNT_H
#define BOUNCE_CLNT_H
/*++
/* NAME
/*	bounce_clnt 3h
/* SUMMARY
/*	client side of the bounce service: asking for notices
/* SYNOPSIS
/*	#include <bounce_clnt.h>
/* DESCRIPTION
/*	bounce(8) writes the delivery status notifications for a message
/*	from the log that qmgr kept for it (dsn_log(3h)). Its protocol, on
/*	the unix socket private/bounce (attr.h messages), one request a
/*	connection:
/*
/*	bounce: {protocol = "bounce", version = 1}
/*	client: {request = "notice", kind, queue_name, queue_id}
/*	bounce: {status = 0 or 1, reason, notice_id}
/*
/*	kind is BOUNCE_KIND_FLUSH ("flush": the failures and success
/*	reports in bounce/ID) or BOUNCE_KIND_DELAY ("delay": the delay
/*	warning from defer/ID); queue_name is the queue folder that holds
/*	the message's file (it must stay there until the answer). Status 0
/*	means that the notices are safely in the queue (notice_id is the
/*	queue ID of the new notice, empty when none was needed or the
/*	notice was dropped); the caller then removes the log. Status 1
/*	means not now, with the reason: the caller keeps the log and asks
/*	again later.
/*
/*	bounce_clnt_notice(kind, queue_name, queue_id, why) connects
/*	(relative to the working directory, queue_directory), asks and
/*	waits for the answer at most $ipc_timeout; 0 when the notices are
/*	queued, -1 with the reason in why.
/*
/*	bounce_clnt_double_sender(sender) says whether sender is the
/*	double-bounce sender, $double_bounce_sender@$myorigin (case
/*	insensitive): the sender of notices about failed notices, whose
/*	own failures are dropped.
/* DIAGNOSTICS
/*	Return values and why.
/*--*/
struct vstring;

#define BOUNCE_SERVICE		"private/bounce"
#define BOUNCE_PROTOCOL		"bounce"
#define BOUNCE_VERSION		1
#define BOUNCE_REQ_NOTICE	"notice"
#define BOUNCE_ATTR_KIND	"kind"
#define BOUNCE_ATTR_NOTICE_ID	"notice_id"
#define BOUNCE_KIND_FLUSH	"flush"
#define BOUNCE_KIND_DELAY	"delay"

extern int bounce_clnt_notice(const char *, const char *, const char *,
			              struct vstring *);
extern int bounce_clnt_double_sender(const char *);

#endif
