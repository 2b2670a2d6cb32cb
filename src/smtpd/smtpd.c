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
/*	MAIL FROM:<address> [SIZE=n] [BODY=7BIT|8BITMIME] [RET=FULL|HDRS]
/*	[ENVID=xtext], RCPT TO:<address> [NOTIFY=list] [ORCPT=type;xtext],
/*	DATA, RSET, NOOP, QUIT, VRFY and HELP. EHLO
/*	announces PIPELINING, SIZE $message_size_limit, 8BITMIME, DSN and
/*	ENHANCEDSTATUSCODES (and VRFY when it is enabled). Every reply
/*	carries an RFC 3463 enhanced status code. HELO or EHLO must come
/*	before MAIL. Parameter keywords and values are not case-sensitive;
/*	each parameter may be given once per command.
/*
/*	Delivery status notifications (DSN, RFC 3461): RET= asks that a
/*	notice return the full message or only its headers; ENVID= is the
/*	sender's envelope identifier, in xtext ("+" followed by two hex
/*	digits stands for a character; at most 100 characters once decoded,
/*	printable ASCII). NOTIFY= is NEVER, or a comma-separated list of
/*	SUCCESS, FAILURE and DELAY (NEVER cannot be combined with the
/*	others); without it a recipient gets failure and delay notices.
/*	ORCPT= is the original recipient as "addr-type;address" (any
/*	atom as addr-type, usually rfc822), in xtext, at most 500
/*	characters decoded. smtpd decodes them and passes them to cleanup:
/*	RET and ENVID become the queue file attributes dsn_ret and
/*	dsn_envid, NOTIFY and ORCPT an N record before the recipient's R
/*	record (html/queue_format.html).
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
/* .IP "501 5.5.4"
/*	a MAIL or RCPT parameter with a bad value, or given twice: the
/*	text says which ("Bad NOTIFY parameter: ...", "Bad ENVID
/*	parameter: malformed xtext", "Bad ENVID parameter: longer than
/*	100 characters", "Duplicate RET parameter"). The command has no
/*	effect.
/* .IP "555 5.5.4"
/*	an unknown MAIL or RCPT parameter, or one that belongs to the
/*	other command ("Unsupported option: NAME").
/* .IP "552 5.3.4 Message size exceeds fixed limit"
/*	SIZE= above $message_size_limit at MAIL, or a message that is
/*	larger at the end of DATA.
/* .IP "452 4.5.3 Error: too many recipients"
/*	more than $smtpd_recipient_limit recipients in one message.
/* .IP "554 5.7.1 <address>: Relay access denied"
/*	a recipient in a domain that is neither this host's nor a relay
/*	domain, from a client outside $mynetworks (restrictions, below).
/* .IP "550 5.1.1 <address>: Recipient address rejected: ..."
/*	"User unknown in local recipient table": a recipient in a local
/*	domain that $local_recipient_maps does not list.
/* .IP "5NN/4NN ... rejected: ..."
/*	any other restriction: access tables, HELO and address checks
/*	(html/restrictions.html lists every reply).
/* .IP "451 4.3.0 <address>: Temporary lookup failure"
/*	a table that a restriction needs could not be read (a damaged
/*	map, proxymap(8) not answering): try again later.
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
/*	Restrictions (relay control and access policy): each SMTP stage
/*	has a restriction list in main.cf, a list of steps such as
/*	permit_mynetworks, reject_unauth_destination or
/*	check_sender_access type:table: $smtpd_client_restrictions,
/*	$smtpd_helo_restrictions, $smtpd_sender_restrictions,
/*	$smtpd_relay_restrictions, $smtpd_recipient_restrictions,
/*	$smtpd_data_restrictions and $smtpd_end_of_data_restrictions,
/*	plus named lists in $smtpd_restriction_classes. With
/*	$smtpd_delay_reject = yes (the default) the client, HELO and
/*	sender lists are evaluated at each RCPT TO, followed by the relay
/*	and recipient lists; with "no" they are evaluated at connect, HELO
/*	and MAIL. In a list the first step with an opinion decides: a
/*	permit ends that list and evaluation goes on with the next, a
/*	reject or defer ends everything with its reply. A rejected
/*	recipient is not added; nothing is queued for it. The whole
/*	language (every step, the access table results OK, REJECT, DEFER,
/*	DUNNO, 4NN/5NN text, HOLD, DISCARD, REDIRECT, PREPEND, WARN, class
/*	names, and the keys looked up) is described in
/*	html/restrictions.html.
/*
/*	POP-before-SMTP: the step permit_pop_before_smtp permits a client
/*	whose address logged in by POP3 less than
/*	$pop_before_smtp_timeout ago, as pop3d(8) records it in
/*	$pop_before_smtp_database. smtpd reads that table through
/*	proxymap(8) (it is chrooted) and checks the expiry time itself,
/*	so an expired entry is never trusted, purged or not; a table that
/*	cannot be read gives 451 4.3.0. When a restriction list uses the
/*	step, smtpd creates the empty table at start (before the chroot)
/*	if no login made it yet. See html/roaming.html.
/*
/*	The default relay policy is a closed relay: with the default
/*	$smtpd_relay_restrictions (permit_mynetworks,
/*	reject_unauth_destination) a client in $mynetworks may send to
/*	any address; any other client only to this host's domains
/*	($mydestination, and address literals [a.b.c.d] of
/*	$inet_interfaces and $proxy_interfaces), to $relay_domains and
/*	to the bare address <postmaster>. An address whose local part
/*	asks for routing elsewhere (user%host@here, host!user@here,
/*	"user@host"@here, user@host@here) is never this host's to accept
/*	from strangers; a source route (@here:user@host) is ignored, so
/*	the address judged is user@host. Trailing dots and case do not
/*	change the class of a domain. An empty $mynetworks is computed
/*	from $mynetworks_style (by default this host's own addresses).
/*
/*	Recipients in this host's domains must be listed in
/*	$local_recipient_maps (by default the system's users, through
/*	proxymap(8) as proxy:unix:passwd.byname, and the aliases), so
/*	mail for an unknown user is refused at RCPT with 550 5.1.1
/*	instead of bounced later; an empty $local_recipient_maps accepts
/*	every local part. Likewise $relay_recipient_maps for relay
/*	domains, when set. <postmaster> is always accepted.
/*	($smtpd_reject_unlisted_recipient applies this after the other
/*	recipient restrictions.)
/*
/*	Tables used by restrictions and by $mynetworks, $mydestination
/*	and $relay_domains are opened once, before the chroot; a table
/*	outside the chroot that cannot be opened there (the password
/*	file) is read through proxymap(8) with a proxy: prefix, which is
/*	allowed only for tables listed in $proxy_read_maps. When a table
/*	file changes (replaced by drommap, or edited), smtpd notices it
/*	after its current client, or within 5 seconds while it waits for
/*	one, logs "a lookup table has changed -- restarting" and exits;
/*	master(8) starts a fresh process that reads the new table.
/*	proxymap reopens a changed table by itself.
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
/*	at the first accepted RCPT smtpd asks cleanup for a queue file
/*	without waiting for the answer; at DATA it sends the client's
/*	name, address and port, the HELO name and the protocol (SMTP or
/*	ESMTP), the sender and the recipients, and says 354 at once; the
/*	content follows with CR LF turned into LF and dots unstuffed.
/*	cleanup's answer, the queue ID, is read as soon as it is there
/*	(before smtpd next waits for the client, at the end of the data at
/*	the latest); then smtpd logs "ID: client=name[addr]".
/*	A message that is refused, or a client that disconnects or times
/*	out during DATA, makes smtpd drop the connection to cleanup,
/*	which then removes the partial file.
/*
/*	Logging (Postfix's shape): "connect from name[addr]",
/*	"ID: client=name[addr]", "NOQUEUE: reject: RCPT from name[addr]:
/*	554 5.7.1 <rcpt>: Relay access denied; from=<sender> to=<rcpt>
/*	proto=ESMTP helo=<name>" for each restriction that rejects (and
/*	"NOQUEUE: reject_warning: ...", "NOQUEUE: warn: ...",
/*	"NOQUEUE: hold: ...", "NOQUEUE: discard: ...", "NOQUEUE: redirect:
/*	..." of the same shape for warn_if_reject and access table
/*	actions), "ID: reject: END-OF-MESSAGE from ...", "lost connection
/*	after CMD from name[addr]", "timeout after CMD from name[addr]",
/*	"too many errors after CMD from name[addr]", and "disconnect from
/*	name[addr] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5"
/*	(ok/total where some failed). The client name is the reverse
/*	lookup of its address when that name resolves back to the address
/*	(getnameinfo and getaddrinfo, inside the chroot with the copied
/*	etc/ files), or "unknown".
/* SECURITY
/*	smtpd talks to anyone on the network: every byte from the client
/*	is untrusted. It runs as $mail_owner, chrooted to
/*	$queue_directory (master.cf chroot "-" or "y"); the server
/*	skeleton does the chroot and the privilege drop before the first
/*	client. Command lines are read with a bound ($line_length_limit),
/*	message content in bounded pieces, and the message size is
/*	capped by $message_size_limit. smtpd writes no files: its only
/*	outputs are replies to the client, log records and the
/*	connection to private/cleanup. Restriction tables are opened
/*	before the chroot and only read; the tables smtpd cannot open in
/*	the chroot (the system's user database) are read through
/*	private/proxymap, which opens only what $proxy_read_maps lists.
/*	Addresses and names from the client are looked up as keys, never
/*	used as file names or table names.
/* DIAGNOSTICS
/*	Problems with clients are logged as info; trouble reaching
/*	cleanup as a warning (the client gets a 4xx reply). Configuration
/*	errors are fatal, including a restriction list with an unknown
/*	step or a table that cannot be opened (the parameter is named).
/*	A table that fails at lookup time is logged as a warning
/*	("TABLE lookup error for "key": reason") and the client gets
/*	451 4.3.0.
/* BUGS
/*	No STARTTLS or AUTH (so no permit_sasl_authenticated); no
/*	SMTPUTF8, DSN or CHUNKING.
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
/* .IP "smtpd_client_restrictions, smtpd_helo_restrictions"
/*	Restrictions on the client and the HELO name (default: none).
/* .IP smtpd_sender_restrictions
/*	Restrictions on the sender (default: none).
/* .IP "smtpd_relay_restrictions, smtpd_recipient_restrictions"
/*	Relay control (default: permit_mynetworks,
/*	reject_unauth_destination) and recipient policy (default: none),
/*	at RCPT TO.
/* .IP "smtpd_data_restrictions, smtpd_end_of_data_restrictions"
/*	Restrictions at DATA and after the message content.
/* .IP smtpd_restriction_classes
/*	Names of parameters whose values are restriction lists, usable
/*	as steps and as access table results.
/* .IP smtpd_delay_reject
/*	Evaluate client, HELO and sender restrictions at RCPT TO (yes,
/*	the default) or at their own stage.
/* .IP "smtpd_reject_unlisted_recipient, smtpd_reject_unlisted_sender"
/*	Implicit reject_unlisted_recipient (default yes) and
/*	reject_unlisted_sender (default no).
/* .IP smtpd_null_access_lookup_key
/*	The key check_sender_access looks up for the null sender (<>).
/* .IP "mynetworks, mynetworks_style"
/*	The trusted clients (permit_mynetworks); when mynetworks is empty,
/*	host, subnet or class networks of this host's interfaces.
/* .IP "relay_domains, relay_recipient_maps"
/*	Domains relayed for any client, and their valid recipients.
/* .IP "pop_before_smtp_database, pop_before_smtp_timeout"
/*	The POP-before-SMTP table (default
/*	hash:$data_directory/pop-before-smtp, read through proxymap) and
/*	how long a login lets its address relay (default 30m).
/* .IP "local_recipient_maps, proxy_read_maps"
/*	The valid local recipients (default proxy:unix:passwd.byname
/*	$alias_maps), and the tables proxymap(8) may open.
/* .IP "inet_interfaces, proxy_interfaces, inet_protocols"
/*	The addresses that make an address literal local.
/* .IP parent_domain_matches_subdomains
/*	Where "example.com" also matches its subdomains (relay_domains,
/*	smtpd_access_maps, ...).
/* .IP strict_rfc821_envelopes
/*	With no (the default), user@host@here and a trailing dot after the
/*	domain are accepted as syntax and judged by the restrictions.
/* .IP "reject_code, defer_code, access_map_reject_code"
/*	Reply codes: of reject, defer and access table REJECT; likewise
/*	access_map_defer_code, relay_domains_reject_code,
/*	unknown_local_recipient_reject_code,
/*	unknown_relay_recipient_reject_code, unknown_client_reject_code,
/*	invalid_hostname_reject_code and non_fqdn_reject_code.
/* .IP ipc_timeout
/*	Used by the cleanup client for the cleanup connection.
/* .IP "max_use, max_idle, mail_owner, queue_directory"
/*	As for every daemon.
/* FILES
/*	$queue_directory/private/cleanup, the cleanup service.
/*	$queue_directory/private/proxymap, the table lookup service.
/*	$queue_directory/etc/hosts, resolv.conf, nsswitch.conf, for
/*	reverse lookups inside the chroot.
/* SEE ALSO
/*	cleanup(8), the queue file writer.
/*	proxymap(8), table lookups from outside the chroot.
/*	html/restrictions.html, the restriction steps and access tables.
/*	html/tables.html, the lookup table types.
/*	master(8), the process manager.
/*	RFC 5321 (SMTP), RFC 1870 (SIZE), RFC 2920 (PIPELINING),
/*	RFC 3463 and RFC 2034 (enhanced status codes), RFC 6152 (8BITMIME).
/*--*/

/* Utility library. */

#include <stdlib.h>

#include <events.h>
#include <msg.h>
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
    /* A changed table: end after this client; master starts a fresh one. */
    if (smtpd_check_changed()) {
	msg_info("a lookup table has changed -- restarting");
	(void) vstream_close(&stream);
	exit(0);
    }
}

/*
 * smtpd_watch_tables - between clients, look for changed tables every few
 * seconds and end while idle, so that the next client meets a fresh smtpd
 * (timers run only while the process waits for a client).
 */
#define SMTPD_TABLE_CHECK_MS	5000

static void smtpd_watch_tables(int event, void *context)
{
    (void) event;
    if (smtpd_check_changed()) {
	msg_info("a lookup table has changed -- restarting");
	exit(0);
    }
    event_request_timer(smtpd_watch_tables, context, SMTPD_TABLE_CHECK_MS);
}

/* smtpd_post_init - start watching the tables */

static void smtpd_post_init(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    event_request_timer(smtpd_watch_tables, (void *) 0, SMTPD_TABLE_CHECK_MS);
}

/* smtpd_pre_init - restrictions and their tables, before the chroot */

static void smtpd_pre_init(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    smtpd_check_init();
}

int     main(int argc, char **argv)
{
    single_server_main(argc, argv, smtpd_service,
		       MAIL_SERVER_PRE_INIT, smtpd_pre_init,
		       MAIL_SERVER_POST_INIT, smtpd_post_init,
		       MAIL_SERVER_END);
}
