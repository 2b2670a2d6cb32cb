/*++
/* NAME
/*	bounce 8
/* SUMMARY
/*	dromos delivery status notifications (RFC 3464)
/* SYNOPSIS
/*	bounce [generic daemon options]
/* DESCRIPTION
/*	bounce writes the notices about a message's delivery: to its
/*	sender when recipients failed (a non-delivery notice), when
/*	recipients asked for it with NOTIFY=SUCCESS (a success notice),
/*	and when the message has waited delay_warning_time (a delay
/*	warning). qmgr records each result that a notice must report in
/*	a log named after the queue ID (dsn_log(3h): bounce/X/ID for
/*	failures and success reports, defer/X/ID for delays) and then
/*	asks bounce for the notice; master runs bounce from this
/*	master.cf line:
/*
/* .nf
/*	bounce    unix  -  -  -  -    0  bounce
/* .fi
/*
/*	The protocol on private/bounce (attr(3), bounce_clnt(3h)), one
/*	request a connection:
/*
/* .nf
/*	bounce: {protocol = "bounce", version = 1}
/*	qmgr:   {request = "notice", kind, queue_name, queue_id}
/*	bounce: {status = 0 or 1, reason, notice_id}
/* .fi
/*
/*	kind "flush" reports the log bounce/ID, kind "delay" the log
/*	defer/ID; queue_name/ID is the queue file, read for the sender,
/*	the arrival time, the DSN options RET and ENVID and the content.
/*	Status 0 means that the notice is safely in the queue (notice_id
/*	is its queue ID) or that none was needed; qmgr then removes the
/*	log. Status 1 means not now (the reason says why): qmgr keeps the
/*	log and the message deferred, and asks again with the message's
/*	next attempt. bounce never changes the queue file or the log.
/*
/*	Notices are new mail with the null envelope sender, given to
/*	cleanup(8) like any other message. Their format (RFC 3464,
/*	RFC 3462): a multipart/report; report-type=delivery-status with
/*	From: Mail Delivery System <MAILER-DAEMON@$myhostname>, To: the
/*	sender, Subject: "Undelivered Mail Returned to Sender",
/*	"Successful Mail Delivery Report" or "Delayed Mail (still being
/*	retried)", Date:, Auto-Submitted: auto-replied (cleanup adds
/*	Message-ID: and Received:), and three parts:
/* .IP 1.
/*	text/plain: in plain words what happened, then one paragraph a
/*	recipient, "<address> (expanded from <alias>): reason (remote
/*	reply: ...)". A delay warning says that the mail system keeps
/*	trying, and until when (arrival plus maximal_queue_lifetime).
/* .IP 2.
/*	message/delivery-status: Reporting-MTA: dns; $myhostname,
/*	X-Dromos-Queue-ID, X-Dromos-Sender, Original-Envelope-Id (the
/*	ENVID, when given) and Arrival-Date; then per recipient
/*	Final-Recipient: rfc822; address, Original-Recipient (the ORCPT,
/*	when given), Action (failed, delivered, relayed, expanded,
/*	delayed), Status (RFC 3463), Remote-MTA: dns; host (when a remote
/*	host answered), Diagnostic-Code ("smtp; 550 ..." with the remote
/*	reply, else "X-Dromos; reason"), Last-Attempt-Date, and for a
/*	delay Will-Retry-Until.
/* .IP 3.
/*	the message: whole, as message/rfc822, in a non-delivery notice
/*	when RET=FULL or no RET was given and the message is at most
/*	bounce_size_limit bytes; otherwise its header only, as
/*	text/rfc822-headers (RET=HDRS, larger messages, success notices,
/*	delay warnings).
/* .PP
/*	One flush notice covers both kinds of result: when any recipient
/*	failed it is a non-delivery notice that also lists the recipients
/*	reported as delivered; otherwise a success notice.
/*
/*	Never a bounce for a bounce. A message with the null sender is a
/*	notice itself: when it fails, the non-delivery notice goes to
/*	2bounce_notice_recipient instead, with the envelope sender
/*	$double_bounce_sender@$myorigin (the double-bounce sender). When
/*	a message from the double-bounce sender fails, nothing is sent:
/*	bounce logs "ID: double bounce dropped: <rcpt>: reason". Success
/*	and delay notices for either sender are not sent (nobody can have
/*	asked for them).
/* SECURITY
/*	bounce runs as mail_owner, chrooted into queue_directory
/*	(master.cf unpriv and chroot "-"). It reads the logs in bounce/
/*	and defer/ and queue files, and writes nothing in the queue
/*	itself: the notice goes through cleanup over private/cleanup.
/*	The request comes from qmgr and is trusted no further than its
/*	syntax: the queue name must be a queue folder and the queue ID
/*	must have queue ID syntax, so no path outside the queue can be
/*	named. The log and the message content are untrusted (they hold
/*	remote replies and whatever the sender wrote): in the notice's
/*	header and its text and delivery-status parts control characters
/*	and 8-bit bytes become "?", and long fields are folded, so a
/*	reason cannot add header fields or MIME parts. The returned
/*	message is copied as it is, inside its own MIME part.
/* DIAGNOSTICS
/*	For each notice queued "ID: sender non-delivery notification:
/*	NEWID" ("postmaster non-delivery notification", "sender delivery
/*	status notification", "sender delay notification"), like Postfix.
/*	"ID: double bounce dropped: ..." at info level. Warnings for
/*	requests it cannot serve (no cleanup, an unreadable log or queue
/*	file), with the reason also sent to qmgr.
/* BUGS
/*	The text part is in English only. Notices for a message that
/*	asked for SUCCESS and was relayed to a host that does not report
/*	deliveries say "relayed", as RFC 3461 asks; there is no
/*	notify_classes or bounce_notice_recipient copy to the postmaster
/*	for ordinary bounces yet.
/* CONFIGURATION PARAMETERS
/* .IP 2bounce_notice_recipient
/*	Who gets the notice about a failed notice (default postmaster).
/* .IP bounce_size_limit
/*	The largest message a non-delivery notice returns whole (default
/*	50000 bytes); of a larger one only the header is returned.
/* .IP double_bounce_sender
/*	The local part of the double-bounce sender (default
/*	double-bounce), whose failed mail is dropped.
/* .IP maximal_queue_lifetime
/*	When the delay warning says the message will be given up.
/* .IP myhostname
/*	The Reporting-MTA and the domain of MAILER-DAEMON.
/* .IP myorigin
/*	The domain of the double-bounce sender and of
/*	2bounce_notice_recipient when it has none.
/* .IP ipc_timeout
/*	The time limit for reading from and writing to qmgr and cleanup.
/* .IP queue_directory
/*	The queue; bounce's working (and chroot) directory.
/* .IP mail_owner
/*	The user bounce runs as.
/* FILES
/*	$queue_directory/bounce/X/ID, failure and success logs.
/*	$queue_directory/defer/X/ID, delay logs.
/*	$queue_directory/private/bounce, the service socket.
/*	$queue_directory/private/cleanup, where notices go.
/* SEE ALSO
/*	qmgr(8), the queue manager, its client.
/*	cleanup(8), which queues the notices.
/*	bounce_clnt(3), the client side; dsn_log(3), the logs; dsn(3),
/*	the DSN requests in queue files.
/*	RFC 3461 (SMTP DSN), RFC 3462 (multipart/report), RFC 3463
/*	(status codes), RFC 3464 (delivery status notifications).
/*--*/
#include <string.h>
#include <time.h>

#include <msg.h>
#include <vstream.h>
#include <vstring.h>

#include <attr.h>
#include <bounce_clnt.h>
#include <mail_params.h>
#include <mail_server.h>

#include "bounce.h"

/* bounce_answer - the reply to qmgr */

static void bounce_answer(struct vstream *client, int status,
			          const char *reason, const char *notice_id)
{
    (void) attr_print(client, ATTR_FLAG_NONE,
		      ATTR_TYPE_INT, ATTR_STATUS, (long) status,
		      ATTR_TYPE_STR, ATTR_REASON, reason,
		      ATTR_TYPE_STR, BOUNCE_ATTR_NOTICE_ID, notice_id,
		      ATTR_TYPE_END);
}

/* bounce_service - one request */

static void bounce_service(struct vstream *client, const char *service,
			           char **argv)
{
    struct vstring *request = vstring_alloc(20);
    struct vstring *kind = vstring_alloc(20);
    struct vstring *queue_name = vstring_alloc(20);
    struct vstring *queue_id = vstring_alloc(40);
    struct vstring *notice_id = vstring_alloc(40);
    struct vstring *why = vstring_alloc(100);

    vstream_set_timeout(client, (int) var_ipc_timeout);
    if (attr_send_protocol(client, BOUNCE_PROTOCOL, BOUNCE_VERSION) < 0) {
	/* the client went away */
    } else if (attr_scan(client, ATTR_FLAG_STRICT,
			 ATTR_TYPE_STR, ATTR_REQUEST, request,
			 ATTR_TYPE_STR, BOUNCE_ATTR_KIND, kind,
			 ATTR_TYPE_STR, ATTR_QUEUE_NAME, queue_name,
			 ATTR_TYPE_STR, ATTR_QUEUE_ID, queue_id,
			 ATTR_TYPE_END) < 0) {
	msg_warn("bad request: %s", attr_error());
    } else if (strcmp(vstring_str(request), BOUNCE_REQ_NOTICE) != 0) {
	msg_warn("unknown request \"%.100s\"", vstring_str(request));
	bounce_answer(client, 1, "unknown request", "");
    } else if (bounce_send(vstring_str(kind), vstring_str(queue_name),
			   vstring_str(queue_id), notice_id, why) < 0) {
	msg_warn("%s: notice not sent: %s", vstring_str(queue_id),
		 vstring_str(why));
	bounce_answer(client, 1, vstring_str(why), "");
    } else {
	bounce_answer(client, 0, "", vstring_str(notice_id));
    }
    vstring_free(&request);
    vstring_free(&kind);
    vstring_free(&queue_name);
    vstring_free(&queue_id);
    vstring_free(&notice_id);
    vstring_free(&why);
}

/* bounce_pre_init - before chroot */

static void bounce_pre_init(const char *service, char **argv)
{
    tzset();					/* zone data before chroot */
}

int     main(int argc, char **argv)
{
    single_server_main(argc, argv, bounce_service,
		       MAIL_SERVER_PRE_INIT, bounce_pre_init,
		       MAIL_SERVER_END);
}
