/*++
/* NAME
/*	smtp 8
/* SUMMARY
/*	dromos SMTP client: delivery to other hosts
/* SYNOPSIS
/*	smtp [generic daemon options]
/* DESCRIPTION
/*	smtp delivers mail to other hosts over SMTP (RFC 5321). qmgr
/*	connects to private/smtp (or the socket of any master.cf service
/*	that runs smtp under another name, e.g. a "relay" transport) and
/*	sends requests with the deliver protocol (deliver_request(3h));
/*	smtp announces {protocol = "deliver", version = 1} and serves
/*	requests until qmgr closes the connection. master runs it from
/*	this master.cf line:
/*
/* .nf
/*	smtp  unix  -  -  -  -  -  smtp
/* .fi
/*
/*	A group of requests (qmgr marks all but the last with
/*	DELIVER_FLAG_MORE) is one message for recipients with the same
/*	next hop; smtp sends it as one mail transaction and answers each
/*	request in order.
/*
/*	Next hop (chosen by qmgr: $relayhost, a transport_maps entry, or
/*	the recipient's domain): "domain" or "domain:port" means the
/*	domain's MX hosts, by preference, equal preferences in random
/*	order, or the domain's own address when it has no MX record;
/*	"[host]" or "[host]:port" means that host, no MX lookup. The
/*	lookups go through the system resolver (resolv.conf, the copy in
/*	the chroot). At most $smtp_mx_address_limit addresses are tried.
/*	A null MX (RFC 7505) bounces the recipients ("5.1.10 Domain
/*	does not accept mail (nullMX)"); a domain that does not exist
/*	bounces them (5.4.4); a temporary DNS failure defers them (4.4.3).
/*	When this host is one of the MX hosts (a backup MX), only the more
/*	preferred hosts are tried; when none is left, or the peer greets
/*	with this host's name, the mail is bounced: "5.4.6 mail for
/*	DOMAIN loops back to myself".
/*
/*	For each address: connect (timeout $smtp_connect_timeout, from
/*	$smtp_bind_address or $smtp_bind_address6), the greeting, EHLO
/*	(HELO when the peer refuses EHLO). A peer that cannot be reached,
/*	times out, or greets with 4xx or 5xx is skipped. When none is
/*	left the recipients are deferred with the last reason, and qmgr
/*	treats the destination as down (it defers the destination's other
/*	mail without trying until its back-off ends).
/*
/*	The transaction (smtp_proto(3)): MAIL FROM with SIZE, BODY=8BITMIME,
/*	RET and ENVID as the peer allows; RCPT TO for each recipient, with
/*	NOTIFY and ORCPT when the peer announced DSN (the peer then sends
/*	any success notices; the result says "passed" so that this host
/*	does not send one too); DATA. With PIPELINING all commands go in
/*	one write. Per recipient: a 2xx reply to the end of the content is
/*	"sent", a 4xx reply to its RCPT (or to MAIL, DATA or the end of
/*	the content) is "deferred", a 5xx reply is "bounced"; the peer's
/*	reply is kept for the log and for the notice. A message larger
/*	than the peer's SIZE is bounced without being sent (5.3.4). 8-bit
/*	content for a peer without 8BITMIME: $smtp_8bitmime_fallback.
/*
/*	After a message smtp keeps the session for
/*	$smtp_connection_cache_time_limit: when the next group that qmgr
/*	sends is for the same next hop, it goes over the same connection
/*	(a new MAIL FROM); otherwise smtp says QUIT and closes it.
/*
/*	Logging, one line per recipient, as Postfix does:
/*
/* .nf
/*	ID: to=<bob@hamburger.test>, relay=mx.hamburger.test[192.0.2.20]:25,
/*	    delay=0.4, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ID2)
/*	ID: to=<x@y>, relay=none, delay=3, dsn=4.4.1, status=deferred
/*	    (connect to mx.y[192.0.2.9]:25: Connection refused)
/* .fi
/* SECURITY
/*	Runs as $mail_owner, chrooted in the queue directory (master.cf
/*	defaults). Reads queue files read-only and talks to peers on the
/*	network: every reply line is read with a bound
/*	(SMTP_REPLY_LINE_MAX, SMTP_REPLY_LINES_MAX lines, smtp_reply(3))
/*	and a timeout. Never writes the queue; qmgr records results.
/* DIAGNOSTICS
/*	Warnings for protocol errors from qmgr; delivery results are
/*	logged per recipient.
/* CONFIGURATION PARAMETERS
/* .IP "smtp_connect_timeout, smtp_helo_timeout, smtp_mail_timeout"
/* .IP "smtp_rcpt_timeout, smtp_data_init_timeout"
/* .IP "smtp_data_xfer_timeout, smtp_data_done_timeout, smtp_quit_timeout"
/*	How long each step may take.
/* .IP "smtp_bind_address, smtp_bind_address6"
/*	The local address to connect from.
/* .IP smtp_helo_name
/*	The EHLO name (default $myhostname).
/* .IP smtp_mx_address_limit
/*	The most addresses tried for one delivery.
/* .IP smtp_connection_cache_time_limit
/*	How long a finished session waits for the next message.
/* .IP smtp_8bitmime_fallback
/*	convert, send, defer or bounce 8-bit content for a 7-bit peer.
/* .IP "myhostname, inet_interfaces, proxy_interfaces"
/*	This host, for loop detection.
/* .IP inet_protocols
/*	Which addresses of a peer to use.
/* FILES
/*	$queue_directory/private/smtp, the service socket.
/*	$queue_directory/etc/resolv.conf, the resolver settings in the
/*	chroot.
/* SEE ALSO
/*	qmgr(8), the scheduler; bounce(8), the notices.
/*	deliver_request(3h), the protocol.
/*	html/smtp.html, html/relay.html.
/*--*/
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <fcntl.h>
#include <unistd.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <attr.h>
#include <deliver_request.h>
#include <mail_params.h>
#include <mail_server.h>
#include <own_addr.h>
#include <qfile.h>

#include "smtp.h"

#define SMTP_GROUP_MAX	10000		/* requests in one group */

struct smtp_reply smtp_reply_buf;
static struct smtp_session *smtp_cached;

/* smtp_log - one delivery line */

static void smtp_log(struct deliver_request *req, const char *relay,
		             int status, const char *dsn, const char *reason)
{
    struct timeval now;
    double  delay;
    const char *orig = vstring_str(req->orig_recipient);

    gettimeofday(&now, (struct timezone *) 0);
    delay = now.tv_sec - req->arrival_sec + now.tv_usec / 1e6;
    if (delay < 0)
	delay = 0;
    msg_info("%s: to=<%s>%s%s%s, relay=%s, delay=%.1f, dsn=%s, status=%s (%s)",
	     vstring_str(req->queue_id), vstring_str(req->recipient),
	     *orig && strcasecmp(orig, vstring_str(req->recipient)) ?
	     ", orig_to=<" : "", *orig && strcasecmp(orig,
			       vstring_str(req->recipient)) ? orig : "",
	     *orig && strcasecmp(orig, vstring_str(req->recipient)) ? ">" : "",
	     relay, delay, dsn, status == DELIVER_STAT_SENT ? "sent" :
	     status == DELIVER_STAT_BOUNCE ? "bounced" : "deferred", reason);
}

/* smtp_deliver - one group: results[i] for reqs[i] */

static void smtp_deliver(struct deliver_request **reqs, size_t count,
			         struct smtp_result *res)
{
    const char *nexthop = vstring_str(reqs[0]->nexthop);
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstring *relay = vstring_alloc(100);
    struct qfile_info info;
    struct smtp_fail fail;
    int     fd;
    size_t  i;

    smtp_fail_init(&fail);
    memset(&info, 0, sizeof(info));
    for (i = 0; i < count; i++) {
	res[i].status = -1;
	res[i].action = "";
	res[i].accepted = 0;
	vstring_reset(res[i].diag);
	vstring_reset(res[i].mta);
    }
    qfile_path(path, vstring_str(reqs[0]->queue_name),
	       vstring_str(reqs[0]->queue_id));
    if ((fd = open(vstring_str(path), O_RDONLY | O_CLOEXEC)) < 0
	|| qfile_read_envelope(fd, &info, why) < 0) {
	if (fd < 0)
	    vstring_sprintf(why, "open %s: %m", vstring_str(path));
	msg_warn("%s: %s", vstring_str(reqs[0]->queue_id), vstring_str(why));
	smtp_fail_set(&fail, DELIVER_STAT_DEFER, 0, "4.3.0",
		      "queue file unreadable: %s", vstring_str(why));
	vstring_strcpy(relay, "none");
	goto fail;
    }

    /*
     * A session for the next hop: the one kept from the last group, or a
     * new one.
     */
    if (smtp_cached && (strcasecmp(smtp_cached->nexthop, nexthop) != 0
			|| !smtp_session_alive(smtp_cached)))
	smtp_session_close(&smtp_cached, smtp_session_alive(smtp_cached));
    if (smtp_cached == 0 && (smtp_cached = smtp_connect(nexthop, &fail)) == 0) {
	vstring_strcpy(relay, "none");
	goto fail;
    }
    vstring_strcpy(relay, vstring_str(smtp_cached->namaddr));
    if (smtp_transaction(smtp_cached, reqs, count, fd, &info, res) < 0
	|| var_smtp_cache_time <= 0)
	smtp_session_close(&smtp_cached, 0);
    goto log;

fail:
    for (i = 0; i < count; i++) {
	res[i].status = fail.status;
	vstring_strcpy(res[i].dsn, vstring_str(fail.dsn));
	vstring_strcpy(res[i].reason, vstring_str(fail.reason));
	vstring_strcpy(res[i].mta, vstring_str(fail.mta));
	res[i].action = fail.site && fail.status == DELIVER_STAT_DEFER ?
	    "site" : "";
    }

log:
    for (i = 0; i < count; i++)
	smtp_log(reqs[i], vstring_str(relay), res[i].status,
		 vstring_str(res[i].dsn), vstring_str(res[i].reason));
    if (fd >= 0)
	(void) close(fd);
    qfile_info_free(&info);
    smtp_fail_free(&fail);
    vstring_free(&path);
    vstring_free(&why);
    vstring_free(&relay);
}

/* smtp_wait_request - wait for qmgr while a session is kept */

static void smtp_wait_request(struct vstream *stream)
{
    struct pollfd pfd;
    int     n;

    if (smtp_cached == 0 || vstream_pending(stream) > 0)
	return;
    pfd.fd = vstream_fileno(stream);
    pfd.events = POLLIN;
    pfd.revents = 0;
    n = poll(&pfd, 1, (int) (var_smtp_cache_time * 1000));
    if (n <= 0)
	smtp_session_close(&smtp_cached, 1);
}

/* smtp_group_ok - one message, one next hop */

static int smtp_group_ok(struct deliver_request **reqs, size_t count)
{
    size_t  i;

    for (i = 1; i < count; i++)
	if (strcmp(vstring_str(reqs[i]->queue_id), vstring_str(reqs[0]->queue_id))
	    || strcmp(vstring_str(reqs[i]->queue_name),
		      vstring_str(reqs[0]->queue_name))
	    || strcmp(vstring_str(reqs[i]->nexthop), vstring_str(reqs[0]->nexthop)))
	    return (0);
    return (1);
}

static void smtp_service(struct vstream *stream, const char *service,
			         char **argv)
{
    struct deliver_request **reqs = 0;
    struct smtp_result *res = 0;
    size_t  alloc = 0;
    size_t  count;
    size_t  i;

    (void) service;
    (void) argv;
    vstream_set_timeout(stream, var_ipc_timeout > 0 ?
			(int) var_ipc_timeout : 3600);
    if (attr_send_protocol(stream, DELIVER_PROTOCOL, DELIVER_VERSION) < 0) {
	msg_warn("send protocol announcement: %s", attr_error());
	return;
    }
    for (;;) {
	smtp_wait_request(stream);
	for (count = 0;; count++) {
	    if (count == alloc) {
		alloc = alloc ? 2 * alloc : 8;
		reqs = myrealloc(reqs, alloc * sizeof(*reqs));
		res = myrealloc(res, alloc * sizeof(*res));
		for (i = count; i < alloc; i++) {
		    reqs[i] = deliver_request_alloc();
		    res[i].dsn = vstring_alloc(10);
		    res[i].reason = vstring_alloc(100);
		    res[i].diag = vstring_alloc(100);
		    res[i].mta = vstring_alloc(100);
		}
	    }
	    if (deliver_request_read(stream, reqs[count]) < 0) {
		if (count > 0)
		    msg_warn("qmgr went away in the middle of a request group");
		goto out;
	    }
	    if (!(reqs[count]->flags & DELIVER_FLAG_MORE))
		break;
	    if (count + 1 >= SMTP_GROUP_MAX) {
		msg_warn("request group larger than %d", SMTP_GROUP_MAX);
		goto out;
	    }
	}
	count++;
	if (!smtp_group_ok(reqs, count)) {
	    msg_warn("request group mixes messages or next hops");
	    goto out;
	}
	mail_server_watchdog();
	smtp_deliver(reqs, count, res);
	for (i = 0; i < count; i++) {
	    if (deliver_request_reply_remote(stream, res[i].status,
					     vstring_str(res[i].dsn),
					     vstring_str(res[i].reason),
					     vstring_str(res[i].mta),
					     vstring_str(res[i].diag),
					     res[i].action) < 0) {
		msg_warn("%s: send reply to qmgr failed",
			 vstring_str(reqs[i]->queue_id));
		goto out;
	    }
	}
    }
out:
    smtp_session_close(&smtp_cached, 1);
    for (i = 0; i < alloc; i++) {
	deliver_request_free(&reqs[i]);
	vstring_free(&res[i].dsn);
	vstring_free(&res[i].reason);
	vstring_free(&res[i].diag);
	vstring_free(&res[i].mta);
    }
    myfree(reqs);
    myfree(res);
}

/* smtp_pre_init - before the chroot: this host's addresses */

static void smtp_pre_init(const char *service, char **argv)
{
    struct vstring *why = vstring_alloc(100);

    (void) service;
    (void) argv;
    if (own_addr_init(why) < 0)
	msg_warn("this host's addresses: %s (loop detection by address "
		 "is incomplete)", vstring_str(why));
    vstring_free(&why);
}

static void smtp_post_init(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    smtp_reply_init(&smtp_reply_buf);
}

int     main(int argc, char **argv)
{
    single_server_main(argc, argv, smtp_service,
		       MAIL_SERVER_PRE_INIT, smtp_pre_init,
		       MAIL_SERVER_POST_INIT, smtp_post_init,
		       MAIL_SERVER_END);
}
