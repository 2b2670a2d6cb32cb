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
/*	last "@"), case-folded to lower case, is the name that local
/*	decides with. A message whose headers already hold
/*	"Delivered-To: RECIPIENT" has been here for this recipient before
/*	(a forwarding loop) and is bounced: "5.4.6 mail forwarding loop
/*	for RECIPIENT". With recipient_delimiter set (e.g. "+"),
/*	"bob+tag" is the user bob with the address extension "tag". The
/*	name, then the name without its extension, is looked up in the
/*	alias tables ($alias_maps, see ALIASES below); an alias is
/*	expanded. Otherwise the name without extension must be a user
/*	(getpwnam): an unknown user is bounced, "5.1.1 unknown user:
/*	\"bob\"". Mail for root (any user with uid 0) is deferred with
/*	"4.7.1 delivery to root is not allowed without an alias": it stays
/*	in the queue, never lost, until an alias for root exists or an
/*	operator acts. The user's .forward file (below) is expanded like
/*	an alias; without one the message goes to the user's mailbox.
/* ALIASES
/*	The alias tables (aliases(5) files built with drommap -a or
/*	newaliases, or any other table type) are read as root, in the
/*	order of $alias_maps; the first table that knows the name wins. A
/*	table that cannot be opened or read defers the recipient: "4.3.0
/*	alias database unavailable" (with the reason in a warning). The
/*	tables are opened again when $alias_maps or a table file changes.
/*	The format is described on the aliases page (html/aliases.html).
/*
/*	An alias value lists items: addresses, /file/name, |command and
/*	:include:/file/name. Its expansion goes depth first, at most 100
/*	aliases or :include: files deep:
/* .IP "a local name that is an alias"
/*	is expanded in turn, unless that alias is being expanded already
/*	(a loop): then a user of that name gets the message in the
/*	mailbox (so "bob: bob, alice" keeps a copy for bob), and any other
/*	name is dropped with a warning "mail forwarding loop for ...".
/*	"\bob" means bob's mailbox, no alias or .forward.
/* .IP "other addresses"
/*	(local names that are not aliases, addresses in other domains,
/*	and addresses of the domains in $mydestination) are sent on:
/*	after the expansion, local gives cleanup one new message per
/*	envelope sender with all of them as recipients (duplicates
/*	removed; "@$myhostname" added to a name without a domain), whose
/*	content is "Delivered-To: RECIPIENT" and the original content. The
/*	recipient is then logged as "status=sent (forwarded as QUEUEID)".
/*	Each local name of the copy then has its own delivery, with its
/*	own .forward and retries: local never writes other users'
/*	mailboxes in one delivery.
/* .IP "|command and /file"
/*	are delivered at once (see COMMANDS AND FILES), when
/*	$allow_mail_to_commands or $allow_mail_to_files lists where the
/*	item came from: "alias" (an alias table), "forward" (a .forward
/*	file) or "include" (an :include: file); otherwise they bounce with
/*	"5.7.1 mail to command is restricted" (or "file").
/* .IP ":include:/file/name"
/*	is read with the privileges of the expansion (below); it must
/*	belong to root or to the owner of the alias table (or .forward)
/*	that names it, and must not be writable by group or others. Each
/*	line lists items, as an alias value does.
/* .PP
/*	Within one delivery each alias, :include: file, command, file and
/*	mailbox is used once; a second mention is skipped.
/*
/*	When alias NAME has a companion alias owner-NAME, everything that
/*	NAME's expansion sends on or delivers gets the envelope sender
/*	owner-NAME@$myhostname (with $expand_owner_alias, the value of
/*	owner-NAME when that is one address), so that errors go to the
/*	list's owner instead of the author. The null sender stays null.
/*
/*	Each delivery of an expansion is logged on its own line: "to=" is
/*	the alias (or user) whose expansion made it and "orig_to=" the
/*	recipient, e.g. "ID: to=<list@host>, relay=local, delay=0.1,
/*	dsn=2.0.0, status=sent (delivered to command: /usr/bin/archive)".
/*	The recipient's result is the worst of them (deferred, then
/*	bounced, then sent); an expansion that delivered nothing bounces.
/* FORWARD FILES
/*	$forward_path lists the files looked for, with $user, $home,
/*	$shell, $recipient, $local, $extension, $domain and
/*	$recipient_delimiter of the recipient; the default looks for
/*	~/.forward+EXTENSION and then ~/.forward. The first file that
/*	exists is opened with the user's identity and used only when it
/*	belongs to the user and is not writable by group or others (else
/*	it is ignored with a warning). Each line lists items, as an alias
/*	value does; commands and files run as the user. "\bob" in bob's
/*	.forward keeps a copy in his mailbox. An empty .forward is no
/*	.forward.
/* COMMANDS AND FILES
/*	A command runs as "/bin/sh -c COMMAND" (through spawn(3), never
/*	the C library's shell helpers) in the home folder of its user,
/*	with the message on
/*	standard input ("From SENDER DATE", Return-Path:, Delivered-To:,
/*	the content), output and errors kept for the log (the first 1000
/*	bytes), and only this environment: HOME, USER, LOGNAME and SHELL of
/*	the user it runs as, SENDER, RECIPIENT, LOCAL, EXTENSION, DOMAIN
/*	and PATH=/usr/bin:/bin. Exit status 0 is delivered; 75
/*	(EX_TEMPFAIL) defers (4.3.0); 67 (EX_NOUSER) bounces (5.1.1); any
/*	other status bounces (5.3.0); death by a signal defers. A command
/*	still running after $command_time_limit is killed and the delivery
/*	deferred.
/*
/*	A file gets the message appended in mbox format, locked as an
/*	mbox is (below); a missing file is created with mode 0600 by the
/*	user the delivery runs as. /dev/null takes anything.
/*
/*	Who: for an alias, the owner of the alias table's file, or
/*	$default_privs when root owns it; for a .forward, the user; for
/*	an :include: file that belongs to someone other than root, that
/*	owner. Never root: a command or file that would run as root is
/*	deferred instead.
/* MAILBOXES
/*	Mailbox: when home_mailbox ends in "/" it is a Maildir below the
/*	user's home directory (default "Maildir/"); otherwise, when it is
/*	set, an mbox file below the home directory; when it is empty, the
/*	mbox file $mail_spool_directory/USER.
/*
/*	Maildir: HOME/Maildir and its tmp, new and cur folders are made
/*	when missing (mode 0700): when the tmp/ file cannot be created for
/*	want of a folder, or the link into new/ fails that way (a Maildir
/*	that is there costs no checks). The message is written to tmp/ under a
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
/*	message is appended after a "From SENDER DATE" line, quoted the
/*	mboxrd way (one more ">" before each content line that begins
/*	with "From ", ">From ", ">>From ", ..., so that a reader such as
/*	pop3d removes exactly one), and followed by an empty line; then
/*	the file is synced. On any error the mailbox
/*	is truncated back to its original size.
/*
/*	The delivered message is "Return-Path: <SENDER>" and
/*	"Delivered-To: RECIPIENT" followed by the content exactly as
/*	stored in the queue file (lines end in LF). For a mailbox reached
/*	through an alias, RECIPIENT is the user's address.
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
/*	only reads queue files, looks up users and aliases, connects to
/*	cleanup and starts commands (which drop to their user before they
/*	run). For each mailbox or file delivery it
/*	takes the user's effective identity (the primary group only, then
/*	the gid, then the uid) before it touches any mailbox, so a Maildir
/*	or mbox is written with the user's privileges only, and returns to
/*	root before it needs root again (the next queue file, a table
/*	lookup, a command, a forwarded message; the steps of a group of
/*	deliveries to one user share one switch); the real uid stays root, so the user cannot signal
/*	or trace the process. As in Postfix's local, an attacker who could
/*	run code inside local during a delivery could take root back: the
/*	code that runs with the user's identity only copies the message
/*	(never interprets it) into a file below the user's home or the
/*	spool. For an mbox in $mail_spool_directory local takes root back
/*	only to create a missing mailbox (exclusively, no symbolic links,
/*	then handed to the user) and the dot-lock file in that root-owned
/*	folder. Requests come from qmgr, which is trusted; their queue
/*	names and IDs are still checked before use.
/*
/*	Untrusted inputs: the message and its envelope (from anyone), the
/*	.forward files (from users) and the :include: files. The alias
/*	tables and main.cf are trusted. .forward and :include: files are
/*	opened with the identity of the user they are read for and are
/*	refused when someone else could have written them; an address
/*	extension is used in a .forward file name only when it has no "/"
/*	and does not begin with "."; commands and files never run as root
/*	(the owner of a root-owned alias table is replaced by
/*	$default_privs, and spawn refuses to run when it cannot drop to a
/*	non-root uid); a command gets no descriptor and no environment
/*	variable but those listed above. Mail is sent on only through
/*	cleanup, like any other new message, and a copy that comes back
/*	to a recipient it was sent on for is bounced (Delivered-To:).
/* DIAGNOSTICS
/*	Problems are logged; a malformed request ends the connection.
/* BUGS
/*	Bounce notices are left to later work: a bounced recipient is
/*	only logged. When one delivery of an expansion is deferred, the
/*	whole recipient is tried again later, and the deliveries that
/*	worked the first time (mailboxes, commands, files, copies sent on)
/*	are repeated. No mailbox_command, no home_mailbox per user. Only
/*	the shell of a command is killed at the time limit, not what it
/*	left running in the background.
/* CONFIGURATION PARAMETERS
/* .IP alias_maps
/*	The alias tables, in order (default hash:$config_directory/aliases).
/* .IP alias_database
/*	The alias files that newaliases builds; local warns when one of
/*	them is older than its source.
/* .IP allow_mail_to_commands
/*	Where |command items are allowed: alias, forward, include (default
/*	"alias, forward").
/* .IP allow_mail_to_files
/*	Where /file items are allowed (default "alias, forward").
/* .IP command_time_limit
/*	How long a command may run (default 1000s).
/* .IP default_privs
/*	The user for commands and files of root-owned alias tables
/*	(default nobody).
/* .IP expand_owner_alias
/*	Use the value of owner-NAME as the envelope sender (default no).
/* .IP forward_path
/*	The .forward files, in order.
/* .IP mydestination
/*	Addresses in these domains are local names in an expansion.
/* .IP recipient_delimiter
/*	The separator of address extensions (default empty: none).
/* .IP home_mailbox
/*	The mailbox below the home directory ("Maildir/": Maildir).
/* .IP mail_spool_directory
/*	Where mbox files live when home_mailbox is empty.
/* .IP myhostname
/*	The host name in Maildir file names, owner-NAME senders and
/*	addresses without a domain in an expansion.
/* .IP ipc_timeout
/*	How long to wait for qmgr.
/* .IP local_delivery_batch_limit
/*	The most requests committed as one group (default 16).
/* .IP queue_directory
/*	The queue (local's working directory).
/* FILES
/*	$queue_directory/private/local, the service socket.
/*	$queue_directory/private/cleanup, where copies are sent on.
/*	$config_directory/aliases, aliases.db, the alias table.
/*	~/.forward, ~/.forward+EXTENSION, the users' forwarding.
/*	~/Maildir/, $mail_spool_directory/USER, mailboxes.
/* SEE ALSO
/*	aliases(5), html/aliases.html, the alias format and rules.
/*	cleanup(8), the new messages.
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
