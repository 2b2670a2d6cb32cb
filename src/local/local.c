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
/*	connection until qmgr closes it. qmgr may send several requests
/*	before the first answer; local takes every request that is already
/*	there when it starts (up to $local_delivery_batch_limit) as one
/*	group, delivers each, commits the group (see Maildir below) and
/*	answers each request in order. master runs it
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
/*	backslash-072), the tmp name removed, and new/ synced. In a group
/*	the steps run in phases: every message of the group is written to
/*	tmp/ (and its write-back started), then each file is synced and
/*	linked into new/, then each new/ folder is synced once, after the
/*	last link into it; a delivery is reported (and logged) as done only
/*	after the sync of its file and the later sync of its folder, so the
/*	group costs one folder sync per Maildir instead of one per message. The file has mode 0600 and belongs
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
/* .IP local_delivery_batch_limit
/*	The most requests committed as one group (default 16).
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
#include <poll.h>
#include <stddef.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <attr.h>
#include <deliver_request.h>
#include <mail_params.h>
#include <mail_server.h>

#include "local.h"

/* local_service - one connection from qmgr */

/* local_more_input - is another request there already? */

static int local_more_input(struct vstream *stream)
{
    struct pollfd pfd;

    if (vstream_pending(stream) > 0)
	return (1);
    pfd.fd = vstream_fileno(stream);
    pfd.events = POLLIN;
    pfd.revents = 0;
    return (poll(&pfd, 1, 0) > 0);
}

static void local_service(struct vstream *stream, const char *service,
			          char **argv)
{
    int     limit = var_local_batch_limit > 0 ? (int) var_local_batch_limit : 1;
    struct deliver_request **reqs;
    struct local_result *res;
    struct local_pending *pend;
    int     count;
    int     done = 0;
    int     i;

    (void) service;
    (void) argv;
    reqs = (struct deliver_request **) mymalloc(limit * sizeof(*reqs));
    res = (struct local_result *) mymalloc(limit * sizeof(*res));
    pend = (struct local_pending *) mymalloc(limit * sizeof(*pend));
    for (i = 0; i < limit; i++) {
	reqs[i] = deliver_request_alloc();
	res[i].dsn = vstring_alloc(10);
	res[i].reason = vstring_alloc(100);
	local_pending_init(pend + i);
    }
    vstream_set_timeout(stream, var_ipc_timeout > 0 ?
			(int) var_ipc_timeout : 3600);
    if (attr_send_protocol(stream, DELIVER_PROTOCOL, DELIVER_VERSION) < 0) {
	msg_warn("send protocol announcement: %s", attr_error());
	done = 1;
    }
    while (!done && deliver_request_read(stream, reqs[0]) == 0) {
	/* A group: every request qmgr has sent already, up to the limit. */
	for (count = 1; count < limit && local_more_input(stream); count++) {
	    if (deliver_request_read(stream, reqs[count]) < 0) {
		done = 1;
		break;
	    }
	}
	for (i = 0; i < count; i++) {
	    mail_server_watchdog();
	    local_deliver(reqs[i], res + i, pend + i);
	}
	local_commit(reqs, res, pend, count);
	for (i = 0; i < count; i++) {
	    if (deliver_request_reply(stream, res[i].status,
				      vstring_str(res[i].dsn),
				      vstring_str(res[i].reason)) < 0) {
		msg_warn("%s: send reply to qmgr failed",
			 vstring_str(reqs[i]->queue_id));
		done = 1;
		break;
	    }
	}
    }
    for (i = 0; i < limit; i++) {
	deliver_request_free(&reqs[i]);
	vstring_free(&res[i].dsn);
	vstring_free(&res[i].reason);
	local_pending_free(pend + i);
    }
    myfree(reqs);
    myfree(res);
    myfree(pend);
}

int     main(int argc, char **argv)
{
    single_server_main(argc, argv, local_service,
		       MAIL_SERVER_PRIVILEGED, 0,
		       MAIL_SERVER_END);
}
