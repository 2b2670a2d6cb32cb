/*++
/* NAME
/*	cleanup 8
/* SUMMARY
/*	dromos queue file writer: canonicalize and enqueue messages
/* SYNOPSIS
/*	cleanup [generic daemon options]
/* DESCRIPTION
/*	cleanup is the only program that creates queue files. Its clients
/*	(smtpd, local, bounce, later pickup) connect to the unix socket
/*	private/cleanup and send each message as typed records; cleanup
/*	adds the headers a message must have, writes the queue file in
/*	incoming/, makes it durable, and only then says so. master runs
/*	it from this master.cf line:
/*
/* .nf
/*	cleanup   unix  -  -  -  -    0  cleanup
/* .fi
/*
/*	The protocol (attribute messages and records; see cleanup_clnt(3)
/*	and rec(3)): on connect cleanup sends {protocol = "cleanup",
/*	version = 1}. Then, for each message (one connection may carry
/*	many), the client sends {request = "message", flags = F};
/*	cleanup creates the file incoming/X/ID with mode 0600 (it has the
/*	file ready beforehand: a new or recycled one, made at start and
/*	after each message under a temporary name in recycle/; see
/*	qfile(3h)) and answers
/*	{status = 0, queue_id = ID} (or a non-zero status when the file
/*	cannot be made). The file starts with the records V (magic text)
/*	and T (arrival time). The client then sends the records
/*
/* .nf
/*	A* S ((O | N)* R)* M C* X E
/* .fi
/*
/*	A: "name=value" attributes (helo_name, client_name, client_addr,
/*	protocol, dsn_ret, dsn_envid, ...), copied to the file; S: the
/*	envelope sender; O: the original recipient of the next R; N: its
/*	DSN request (NOTIFY and ORCPT, see dsn(3h); at most one O and one
/*	N a recipient); R: a bare recipient address,
/*	written with the state byte "P" (to do) in front; M: start of
/*	content; C: content lines, each ending in a newline; X: end of
/*	content; E: end. Any other record type (the queue file's own V, T and Z among
/*	them), a record out of this order, or a record longer than 64 KiB
/*	is a protocol error: cleanup answers {status = CLEANUP_STAT_BAD},
/*	removes the file and ends the connection.
/*
/*	Header processing: the content's header section is read line by
/*	line (lines may span C records). cleanup prepends a Received:
/*	header in Postfix's shape:
/*
/* .nf
/*	Received: from HELO (CLIENT_NAME [CLIENT_ADDR])
/*		by $myhostname ($mail_name) with PROTOCOL id QUEUEID
/*		for <RCPT>; DATE
/* .fi
/*
/*	(the "for" clause only when the message has exactly one
/*	recipient; DATE is the arrival time in RFC 5322 form, local time,
/*	numeric zone). A local submission, without client_addr, gets
/*	"Received: by $myhostname ($mail_name, from userid N)". Control
/*	characters in these values are replaced with "?". At the end of
/*	the header section cleanup appends, when they are missing,
/*	"Message-ID: <YYYYMMDDhhmmss.QUEUEID@$myhostname>", "Date: DATE"
/*	and "From: <sender>" ("From: MAILER-DAEMON" for the null sender).
/*	Header names are compared without regard to case. When the
/*	message has any Resent-* header it is being resent, and the
/*	headers checked and added are Resent-Message-ID, Resent-Date and
/*	Resent-From instead.
/*
/*	The header section ends at the first empty line, at the end of
/*	the content, or at the first line that is neither a header field
/*	("name:" with a name of printable ASCII, RFC 5322) nor a
/*	continuation line; in the last case cleanup inserts an empty line
/*	before it, so body text never passes for a header. One header
/*	(with its continuation lines) longer than header_size_limit is
/*	not truncated: as in Postfix, it forces the start of the body.
/*	That header and everything after it become body, unchanged,
/*	after an inserted empty line, and cleanup logs that it happened.
/*	Content that does not end in a newline gets one.
/*
/*	The queue file then gets the content as C records (whole lines
/*	where a line fits in a record), X, Z ("content_size header_size
/*	rcpt_count", sizes in bytes of the content as written, header_size
/*	up to and including the empty line after the headers) and E; see
/*	qfile(3) for the grammar.
/*
/*	Limits and outcomes (the status is a bit mask, see
/*	cleanup_clnt(3)): content larger than message_size_limit bytes
/*	(counted as the client sent it) is CLEANUP_STAT_SIZE; cleanup
/*	reads the rest of the message and discards it so the protocol
/*	stays in step. A message that already has hopcount_limit or more
/*	Received: headers (ours would exceed the limit) is
/*	CLEANUP_STAT_HOPS. No recipient is CLEANUP_STAT_RCPT. A write,
/*	fsync or commit error is CLEANUP_STAT_WRITE. In all these cases
/*	the file is removed and the client hears the status.
/*
/*	Durability: right after it has told the client the queue ID,
/*	while the client collects the content, cleanup fsyncs the file's
/*	folder (the name is durable from then on). When all is well it
/*	writes the last records, sets the file's ready bit (mode 0700),
/*	fsyncs the file (and the folder again when the early fsync
/*	failed), and only then answers {status = 0, reason = "",
/*	queue_id = ID}: the client may say 250 now. Then it sends one
/*	datagram "I" to qmgr on private/qmgr; qmgr also scans incoming/
/*	periodically, so a lost datagram only delays delivery.
/*
/*	A client that disconnects in the middle of a message leaves no
/*	file behind: cleanup removes the partial file.
/* SECURITY
/*	cleanup runs as mail_owner, chrooted into queue_directory
/*	(master.cf unpriv and chroot "-"). Everything the client sends is
/*	untrusted: records are read with a length bound, only the record
/*	types a client may send are accepted (never the queue file's
/*	internal V, T and Z), envelope records the queue file reader would
/*	refuse (an address with a control character, an attribute that is
/*	not "name=value" with a name of [a-z0-9_], a value with NUL, CR or
/*	LF) are protocol errors, and values copied into the Received:
/*	header are neutralised. It
/*	writes only new files in incoming/ (and removes its own partial
/*	files), and sends datagrams to private/qmgr.
/* DIAGNOSTICS
/*	"ID: message-id=<...>" for each message (the existing or the
/*	added one). Warnings, with the queue ID: "unexpected record type
/*	X from client" and other protocol errors, "message rejected:
/*	message file too big" (too many hops, no recipients), queue file
/*	write, commit and remove errors, a failed notification of qmgr.
/*	A client that disconnects mid-message is logged at info level.
/* BUGS
/*	The only address rewriting is the qualification of an envelope
/*	address without a domain: "postmaster" becomes
/*	"postmaster@$myorigin". No canonical maps, masquerading, header or
/*	body checks yet. The size limit counts the content, not the
/*	envelope.
/* CONFIGURATION PARAMETERS
/* .IP message_size_limit
/*	The largest message content in bytes (0: no limit).
/* .IP myorigin
/*	The domain appended to envelope addresses without one.
/* .IP header_size_limit
/*	The most bytes one header may have, continuation lines
/*	included; a longer one starts the body.
/* .IP hopcount_limit
/*	The most Received: headers a message may have.
/* .IP myhostname
/*	The host name in the Received: header and added Message-ID.
/* .IP mail_name
/*	The mail system's name in the Received: header.
/* .IP ipc_timeout
/*	The time limit for reading from and writing to a client.
/* .IP queue_file_recycle_limit
/*	When above 0, a new queue file is preferably a finished one that
/*	qmgr left in recycle/ (renamed, checked, made unready;
/*	overwritten, and cut at the commit), not a new one.
/* .IP queue_directory
/*	The queue; cleanup's working (and chroot) directory.
/* .IP mail_owner
/*	The user cleanup runs as.
/* FILES
/*	$queue_directory/incoming/X/ID, the queue files it writes.
/*	$queue_directory/private/cleanup, the service socket.
/*	$queue_directory/private/qmgr, where it sends triggers.
/* SEE ALSO
/*	smtpd(8), the SMTP server, a client.
/*	qmgr(8), the queue manager.
/*	master(8), the process manager.
/*	cleanup_clnt(3), the client side; qfile(3), rec(3), the queue
/*	file; attr(3), the attribute protocol.
/*--*/
#include <string.h>
#include <time.h>

#include <msg.h>
#include <vstream.h>
#include <vstring.h>

#include <attr.h>
#include <cleanup_clnt.h>
#include <qfile.h>
#include <mail_params.h>
#include <mail_server.h>

#include "cleanup.h"

#define STR(x)	vstring_str(x)

/* cleanup_reply - the final answer for one message */

static int cleanup_reply(struct cleanup_state *state)
{
    return (attr_print(state->client, ATTR_FLAG_NONE,
		       ATTR_TYPE_INT, ATTR_STATUS, (long) state->status,
		       ATTR_TYPE_STR, ATTR_REASON, STR(state->reason),
		       ATTR_TYPE_STR, ATTR_QUEUE_ID, STR(state->queue_id),
		       ATTR_TYPE_END));
}

/* cleanup_one - one message; 0 to go on with the next, -1 to stop */

static int cleanup_one(struct cleanup_state *state)
{
    struct vstring *request = vstring_alloc(20);
    long    flags = 0;
    int     n;
    int     ret;

    cleanup_state_reset(state);
    n = attr_scan(state->client, ATTR_FLAG_NONE,
		  ATTR_TYPE_STR, ATTR_REQUEST, request,
		  ATTR_TYPE_INT, ATTR_FLAGS, &flags,
		  ATTR_TYPE_END);
    if (n < 0) {
	/* The normal end of a connection looks just like this. */
	if (strstr(attr_error(), "end of input") == 0)
	    msg_info("client request: %s", attr_error());
	vstring_free(&request);
	return (-1);
    }
    if (strcmp(STR(request), "message") != 0) {
	msg_warn("unknown request \"%.100s\" from client", STR(request));
	(void) attr_print(state->client, ATTR_FLAG_NONE,
			  ATTR_TYPE_INT, ATTR_STATUS, (long) CLEANUP_STAT_BAD,
			  ATTR_TYPE_STR, ATTR_REASON, "unknown request",
			  ATTR_TYPE_END);
	vstring_free(&request);
	return (-1);
    }
    vstring_free(&request);

    /*
     * Create the file, then tell the client its name.
     */
    if (cleanup_out_open(state) < 0) {
	(void) attr_print(state->client, ATTR_FLAG_NONE,
			  ATTR_TYPE_INT, ATTR_STATUS, (long) state->status,
			  ATTR_TYPE_STR, ATTR_REASON, STR(state->reason),
			  ATTR_TYPE_END);
	return (0);
    }
    if (attr_print(state->client, ATTR_FLAG_NONE,
		   ATTR_TYPE_INT, ATTR_STATUS, (long) CLEANUP_STAT_OK,
		   ATTR_TYPE_STR, ATTR_QUEUE_ID, STR(state->queue_id),
		   ATTR_TYPE_END) < 0) {
	msg_info("%s: client went away", STR(state->queue_id));
	cleanup_out_discard(state);
	return (-1);
    }
    /* While the client collects the content: the name, durable. */
    cleanup_out_sync_name(state);

    /*
     * The records; then the answer.
     */
    ret = cleanup_envelope(state);
    if (ret == CLEANUP_READ_DONE)
	ret = cleanup_message(state);
    if (ret == CLEANUP_READ_GONE) {
	cleanup_out_discard(state);
	return (-1);
    }
    if (state->status != CLEANUP_STAT_OK) {
	cleanup_out_discard(state);
	(void) cleanup_reply(state);
	return (ret == CLEANUP_READ_BAD ? -1 : 0);
    }
    if (state->act_discard) {
	/* DISCARD: the client hears "queued"; the file goes. */
	msg_info("%s: discard: %s", STR(state->queue_id), state->act_discard);
	if (qfile_remove(QFILE_INCOMING, STR(state->queue_id), state->why) < 0)
	    msg_warn("%s: cannot remove the discarded queue file: %s",
		     STR(state->queue_id), STR(state->why));
    } else if (state->act_hold) {
	/* HOLD: into hold/ (synced) before the client hears "queued". */
	if (qfile_move(QFILE_INCOMING, QFILE_HOLD, STR(state->queue_id),
		       state->why) < 0) {
	    msg_warn("%s: cannot move the queue file to %s: %s",
		     STR(state->queue_id), QFILE_HOLD, STR(state->why));
	    state->status |= CLEANUP_STAT_WRITE;
	    vstring_strcpy(state->reason, "queue file write error");
	    (void) qfile_remove(QFILE_INCOMING, STR(state->queue_id),
				state->why);
	    (void) cleanup_reply(state);
	    return (0);
	}
	msg_info("%s: hold: %s", STR(state->queue_id), state->act_hold);
    }
    if (cleanup_reply(state) < 0)
	msg_info("%s: client went away before the reply; the message is "
		 "queued", STR(state->queue_id));
    if (!state->act_discard && !state->act_hold)
	cleanup_notify_qmgr(STR(state->queue_id));
    cleanup_out_prepare();			/* the next file, off the clock */
    return (0);
}

/* cleanup_service - one client connection, many messages */

static void cleanup_service(struct vstream *client, const char *service,
			            char **argv)
{
    struct cleanup_state *state;

    vstream_set_timeout(client, (int) var_ipc_timeout);
    if (attr_send_protocol(client, CLEANUP_PROTOCOL, CLEANUP_VERSION) < 0)
	return;
    state = cleanup_state_alloc(client);
    while (mail_server_watchdog(), cleanup_one(state) == 0)
	 /* void */ ;
    cleanup_state_free(&state);
}

/* cleanup_pre_init - before chroot */

static void cleanup_pre_init(const char *service, char **argv)
{
    tzset();					/* zone data before chroot */
}

/* cleanup_post_init - after chroot and privilege drop */

static void cleanup_post_init(const char *service, char **argv)
{
    cleanup_notify_init();
    cleanup_out_prepare();
}

/* cleanup_exit - the prepared queue file goes back */

static void cleanup_exit(void)
{
    cleanup_out_unprepare();
}

int     main(int argc, char **argv)
{
    single_server_main(argc, argv, cleanup_service,
		       MAIL_SERVER_PRE_INIT, cleanup_pre_init,
		       MAIL_SERVER_POST_INIT, cleanup_post_init,
		       MAIL_SERVER_EXIT, cleanup_exit,
		       MAIL_SERVER_END);
}
