/*++
/* NAME
/*	smtpd 8
/* SUMMARY
/*	dromos SMTP server
/* SYNOPSIS
/*	smtpd [generic daemon options]
/* DESCRIPTION
/*	smtpd accepts mail over SMTP (RFC 5321) and hands each message to
/*	the cleanup(8) service, which writes the queue file. It never
/*	writes the queue itself. master(8) runs it from a master.cf line
/*	such as
/*
/* .nf
/*	smtp      inet  n  -  -  -  -  smtpd
/* .fi
/*
/*	One process serves one client at a time and is reused for up to
/*	$max_use clients.
/*
/*	The session starts with "220 $smtpd_banner". Commands: HELO, EHLO,
/*	MAIL FROM:<address> [SIZE=n] [BODY=7BIT|8BITMIME],
/*	RCPT TO:<address>, DATA, RSET, NOOP, QUIT, VRFY and HELP. EHLO
/*	announces PIPELINING, SIZE $message_size_limit, 8BITMIME and
/*	ENHANCEDSTATUSCODES (and VRFY when it is enabled). Every reply
/*	carries an RFC 3463 enhanced status code. HELO or EHLO must come
/*	before MAIL.
/*
/*	Replies to look for:
/* .IP "503 5.5.1"
/*	a command out of sequence ("Error: send HELO/EHLO first",
/*	"Error: nested MAIL command", "Error: need MAIL command",
/*	"Error: need RCPT command").
/* .IP "501 5.5.2, 501 5.1.7, 501 5.1.3"
/*	a malformed command, sender address or recipient address.
/* .IP "502 5.5.2 Error: command not recognized"
/*	an unknown command; "500 5.5.2 Error: line too long" for a
/*	command line longer than $line_length_limit.
/* .IP "555 5.5.4"
/*	an unknown MAIL or RCPT parameter.
/* .IP "552 5.3.4 Message size exceeds fixed limit"
/*	SIZE= above $message_size_limit at MAIL, or a message that is
/*	larger at the end of DATA.
/* .IP "452 4.5.3 Error: too many recipients"
/*	more than $smtpd_recipient_limit recipients in one message.
/* .IP "554 5.7.1 <address>: Relay access denied"
/*	a recipient that is not local (below).
/* .IP "550 5.5.2 Error: bare <LF> received"
/*	(or bare <CR>) a message with a bare newline, when
/*	$smtpd_forbid_bare_newline is set (below).
/* .IP "421 4.7.0 $myhostname Error: too many errors"
/*	$smtpd_hard_error_limit error replies in one session; smtpd
/*	disconnects. After $smtpd_soft_error_limit errors each further
/*	error reply is delayed by $smtpd_error_sleep_time.
/* .IP "421 4.4.2 $myhostname Error: timeout exceeded"
/*	no command or data for $smtpd_timeout, or the whole session took
/*	longer than $smtpd_session_timeout; smtpd disconnects.
/* .IP "250 2.0.0 Ok: queued as ID"
/*	only after cleanup reported that the queue file is complete and
/*	on disk (fsynced).
/* .PP
/*	Pipelining (RFC 2920): smtpd reads commands from its input buffer
/*	and writes the buffered replies only when the input buffer is
/*	empty, and always before the 354 reply to DATA.
/*
/*	Recipients: until relay control proper exists, smtpd accepts only
/*	local recipients: addresses whose domain is one of $mydestination
/*	(comma or space separated, case does not matter), and the bare
/*	address <postmaster>. Everything else is refused at RCPT with
/*	554 5.7.1, from any client, and nothing is queued. The local
/*	part is not checked (see BUGS).
/*
/*	End of data and SMTP smuggling: the message ends only at the
/*	sequence CR LF "." CR LF, whatever $smtpd_forbid_bare_newline
/*	says. A line beginning with "." loses that dot. A bare LF (not
/*	preceded by CR) or a bare CR (not followed by LF) never ends a
/*	line, so LF "." LF, CR LF "." LF, LF "." CR LF, CR "." CR and the
/*	like are message content, never the end of the data: a client
/*	cannot hide a second message behind a non-standard end of data
/*	that another server in the path would honour (the "SMTP
/*	smuggling" attacks of December 2023). With $smtpd_forbid_bare_newline = yes (the default)
/*	a message that contains a bare LF or bare CR anywhere is refused
/*	at the end of DATA with 550 5.5.2, and nothing is queued; smtpd
/*	keeps reading to the real CR LF "." CR LF (or a timeout), so the
/*	session stays in sync and the client may send another message.
/*	With "no", such messages are accepted and stored as they came (CR
/*	LF becomes LF; bare LF and bare CR are kept). Command lines may
/*	end in LF or CR LF.
/*
/*	Each message goes to cleanup as it arrives (cleanup_clnt(3)):
/*	at DATA smtpd starts a message, logs "ID: client=name[addr]" and
/*	sends the client's name, address and port, the HELO name and the
/*	protocol (SMTP or ESMTP), the sender and the recipients; the
/*	content follows with CR LF turned into LF and dots unstuffed.
/*	A message that is refused, or a client that disconnects or times
/*	out during DATA, makes smtpd drop the connection to cleanup,
/*	which then removes the partial file.
/*
/*	Logging (Postfix's shape): "connect from name[addr]",
/*	"ID: client=name[addr]", "NOQUEUE: reject: RCPT from ...",
/*	"ID: reject: END-OF-MESSAGE from ...", "lost connection after CMD
/*	from name[addr]", "timeout after CMD from name[addr]", "too many
/*	errors after CMD from name[addr]", and "disconnect from name[addr]
/*	ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5" (ok/total where
/*	some failed). The client name is the reverse lookup of its address
/*	(getnameinfo, inside the chroot with the copied etc/ files), or
/*	"unknown".
/* SECURITY
/*	smtpd talks to anyone on the network: every byte from the client
/*	is untrusted. It runs as $mail_owner, chrooted to
/*	$queue_directory (master.cf chroot "-" or "y"); the server
/*	skeleton does the chroot and the privilege drop before the first
/*	client. Command lines are read with a bound ($line_length_limit),
/*	message content in bounded pieces, and the message size is
/*	capped by $message_size_limit. smtpd writes no files: its only
/*	outputs are replies to the client, log records and the
/*	connection to private/cleanup.
/* DIAGNOSTICS
/*	Problems with clients are logged as info; trouble reaching
/*	cleanup as a warning (the client gets a 4xx reply). Configuration
/*	errors are fatal.
/* BUGS
/*	The local part of a local recipient is not checked: the password
/*	file is not inside the chroot, so mail for an unknown user is
/*	accepted and then bounced by local(8) at delivery time.
/*
/*	No STARTTLS, AUTH or restriction lists yet; no SMTPUTF8, DSN or
/*	CHUNKING.
/* CONFIGURATION PARAMETERS
/* .IP smtpd_banner
/*	The text after "220 " in the greeting.
/* .IP myhostname
/*	Used in the EHLO reply and 421 replies.
/* .IP mydestination
/*	The domains this host receives mail for.
/* .IP message_size_limit
/*	The largest message accepted, in bytes (as stored).
/* .IP line_length_limit
/*	The longest command line.
/* .IP smtpd_recipient_limit
/*	The most recipients in one message.
/* .IP "smtpd_soft_error_limit, smtpd_hard_error_limit, smtpd_error_sleep_time"
/*	Error limits.
/* .IP "smtpd_timeout, smtpd_session_timeout"
/*	The idle timeout per command or data read, and the longest
/*	session.
/* .IP disable_vrfy_command
/*	When yes (default), VRFY always answers 252 and reveals nothing.
/* .IP smtpd_forbid_bare_newline
/*	Refuse messages with a bare LF or bare CR (default yes).
/* .IP ipc_timeout
/*	Used by the cleanup client for the cleanup connection.
/* .IP "max_use, max_idle, mail_owner, queue_directory"
/*	As for every daemon.
/* FILES
/*	$queue_directory/private/cleanup, the cleanup service.
/*	$queue_directory/etc/hosts, resolv.conf, nsswitch.conf, for
/*	reverse lookups inside the chroot.
/* SEE ALSO
/*	cleanup(8), the queue file writer.
/*	master(8), the process manager.
/*	RFC 5321 (SMTP), RFC 1870 (SIZE), RFC 2920 (PIPELINING),
/*	RFC 3463 and RFC 2034 (enhanced status codes), RFC 6152 (8BITMIME).
/*--*/

/* Utility library. */

#include <vstream.h>

/* Global library. */

#include <mail_params.h>

/* Master skeleton. */

#include <mail_server.h>

/* Application-specific. */

#include "smtpd.h"

/* smtpd_service - one client */

static void smtpd_service(struct vstream *stream, const char *service,
			          char **argv)
{
    struct smtpd_state state;

    smtpd_state_init(&state, stream);
    smtpd_session(&state);
    smtpd_state_free(&state);
}

int     main(int argc, char **argv)
{
    single_server_main(argc, argv, smtpd_service, MAIL_SERVER_END);
}
