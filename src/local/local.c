/*++
/* NAME
/*	local 8
/* SUMMARY
/*	dromos local delivery agent
/* SYNOPSIS
/*	local [generic daemon options]
/* DESCRIPTION
/*	local delivers mail for local users into their mailboxes. qmgr
/*	connects to private/local and sends delivery requests with the
/*	deliver protocol (deliver_request(3h)); local announces
/*	{protocol = "deliver", version = 1}, then serves requests on the
/*	connection, one at a time, until qmgr closes it. master runs it
/*	from this master.cf line:
/*
/* .nf
/*	local  unix  -  n  n  -  -  local
/* .fi
/*
/*	For each request, local opens the queue file (queue_name/X/ID
/*	under queue_directory) read-only and reads its envelope and
/*	content; it never changes the file (qmgr records the result).
/*
/*	Recipient: the local part of the address (everything before the
/*	last "@"), case-folded to lower case, is looked up as a user
/*	(getpwnam). An unknown user is bounced: "5.1.1 unknown user:
/*	\"bob\"". Mail for root (any user with uid 0) is deferred with
/*	"4.7.1 delivery to root is not allowed without an alias": it stays
/*	in the queue, never lost, until aliases exist (a later issue) or
/*	an operator acts.
/*
/*	Mailbox: when home_mailbox ends in "/" it is a Maildir below the
/*	user's home directory (default "Maildir/"); otherwise, when it is
/*	set, an mbox file below the home directory; when it is empty, the
/*	mbox file $mail_spool_directory/USER.
/*
/*	Maildir: HOME/Maildir and its tmp, new and cur folders are made
/*	when missing (mode 0700). The message is written to tmp/ under a
/*	unique name (SECONDS.MmicroPpid.HOST), synced, linked into new/ as
/*	SECONDS.MmicroPpidVdevIino.HOST,S=SIZE (device and inode number in
/*	hex; "/" and ":" in the host name written as backslash-057 and
/*	backslash-072), the tmp name removed, and new/ synced. The file has mode 0600 and belongs
/*	to the user.
/*
/*	mbox: the mailbox is locked with a dot-lock (FILE.lock, created
/*	exclusively; one older than 5 minutes is stale and removed) and an
/*	fcntl() write lock, each waited for at most 60 seconds. The
/*	message is appended after a "From SENDER DATE" line, with ">"
/*	before each content line that begins with "From ", and followed by
/*	an empty line; then the file is synced. On any error the mailbox
/*	is truncated back to its original size.
/*
/*	The delivered message is "Return-Path: <SENDER>" and
/*	"Delivered-To: RECIPIENT" followed by the content exactly as
/*	stored in the queue file (lines end in LF).
/*
/*	Results: delivered (2.0.0), bounced (5.x.x), or deferred (4.x.x:
/*	4.2.0 for mailbox problems, 4.3.0 for other problems), each
/*	logged as
/*
/* .nf
/*	ID: to=<RCPT>, orig_to=<ORIG>, relay=local, delay=D, dsn=2.0.0,
/*	    status=sent (delivered to maildir)
/* .fi
/*
/*	(orig_to only when it differs; delay in seconds since arrival,
/*	one decimal).
/* SECURITY
/*	local runs as root and is not chrooted (master.cf: unpriv n,
/*	chroot n; it declares itself MAIL_SERVER_PRIVILEGED). As root it
/*	only reads queue files and looks up users. For each delivery it
/*	takes the user's effective identity (the primary group only, then
/*	the gid, then the uid) before it touches any mailbox, so a Maildir
/*	or mbox is written with the user's privileges only, and returns to
/*	root afterwards; the real uid stays root, so the user cannot signal
/*	or trace the process. As in Postfix's local, an attacker who could
/*	run code inside local during a delivery could take root back: the
/*	code that runs with the user's identity only copies the message
/*	(never interprets it) into a file below the user's home or the
/*	spool. For an mbox in $mail_spool_directory local takes root back
/*	only to create a missing mailbox (exclusively, no symbolic links,
/*	then handed to the user) and the dot-lock file in that root-owned
/*	folder. Requests come from qmgr, which is trusted; their queue
/*	names and IDs are still checked before use.
/* DIAGNOSTICS
/*	Problems are logged; a malformed request ends the connection.
/* BUGS
/*	No aliases, .forward files, mailbox commands or address
/*	extensions yet. Bounce notices are left to later work: a bounced
/*	recipient is only logged.
/* CONFIGURATION PARAMETERS
/* .IP home_mailbox
/*	The mailbox below the home directory ("Maildir/": Maildir).
/* .IP mail_spool_directory
/*	Where mbox files live when home_mailbox is empty.
/* .IP myhostname
/*	The host name in Maildir file names.
/* .IP ipc_timeout
/*	How long to wait for qmgr.
/* .IP queue_directory
/*	The queue (local's working directory).
/* FILES
/*	$queue_directory/private/local, the service socket.
/*	~/Maildir/, $mail_spool_directory/USER, mailboxes.
/* SEE ALSO
/*	qmgr(8), the queue manager.
/*	master(8), the process manager.
/*	deliver_request(3h), the protocol.
/*--*/
#include <stddef.h>

#include <msg.h>
#include <vstream.h>
#include <vstring.h>

#include <attr.h>
#include <deliver_request.h>
#include <mail_params.h>
#include <mail_server.h>

#include "local.h"

/* local_service - one connection from qmgr */

static void local_service(struct vstream *stream, const char *service,
			          char **argv)
{
    struct deliver_request *req = deliver_request_alloc();
    struct local_result res;

    res.dsn = vstring_alloc(10);
    res.reason = vstring_alloc(100);
    vstream_set_timeout(stream, var_ipc_timeout > 0 ?
			(int) var_ipc_timeout : 3600);
    if (attr_send_protocol(stream, DELIVER_PROTOCOL, DELIVER_VERSION) < 0) {
	msg_warn("send protocol announcement: %s", attr_error());
    } else {
	while (deliver_request_read(stream, req) == 0) {
	    mail_server_watchdog();
	    local_deliver(req, &res);
	    if (deliver_request_reply(stream, res.status, vstring_str(res.dsn),
				      vstring_str(res.reason)) < 0) {
		msg_warn("%s: send reply to qmgr failed",
			 vstring_str(req->queue_id));
		break;
	    }
	}
    }
    vstring_free(&res.dsn);
    vstring_free(&res.reason);
    deliver_request_free(&req);
}

int     main(int argc, char **argv)
{
    single_server_main(argc, argv, local_service,
		       MAIL_SERVER_PRIVILEGED, 0,
		       MAIL_SERVER_END);
}
