/*++
/* NAME
/*	qmgr_deliver 3
/* SUMMARY
/*	connections to the delivery agents, and the scheduler
/* SYNOPSIS
/*	#include "qmgr.h"
/*
/*	void	qmgr_deliver_init(void)
/*
/*	void	qmgr_deliver_schedule(void)
/*
/*	void	qmgr_deliver_unthrottle(void)
/* DESCRIPTION
/*	qmgr_deliver_schedule() walks the active messages in arrival order
/*	and hands each waiting recipient to a connection to private/local:
/*	an idle one, else a new one (up to $default_process_limit in all),
/*	else a busy one with room. A connection holds up to twice
/*	$local_delivery_batch_limit requests that local has not answered
/*	yet: local takes every request that is there when it starts a
/*	group, up to $local_delivery_batch_limit, and commits them together
/*	(one sync of each Maildir folder), so while it works on one group
/*	the next one gathers. As in Postfix, the local transport's
/*	destination is the recipient: at most
/*	$local_destination_concurrency_limit connections work for one
/*	recipient at once (a recipient at its limit goes to a connection
/*	that already works for it, when one has room; otherwise its message
/*	waits, and the scheduler goes on with the next message).
/*
/*	Every other recipient goes to the transport and next hop that
/*	qmgr_route(3) names (the smtp client, or any master.cf service:
/*	private/TRANSPORT). Such recipients are scheduled per destination
/*	(transport and next hop): the waiting recipients of one message
/*	for one destination, up to $default_destination_recipient_limit,
/*	make one request group (DELIVER_FLAG_MORE on all but the last),
/*	which the agent sends as one transaction; a connection carries one
/*	group at a time. At most the destination's concurrency window of
/*	groups are in progress for a destination at once: the window
/*	starts at $initial_destination_concurrency and grows by one with
/*	each group that does not fail as a whole, up to
/*	$smtp_destination_concurrency_limit for the smtp transport and
/*	$default_destination_concurrency_limit for any other. An idle
/*	connection that last served the same next hop is preferred (the
/*	agent may still hold the SMTP session), then any idle one, then a
/*	new one, up to $default_process_limit connections per transport.
/*
/*	A group that fails as a whole (the agent's reply says "site": no
/*	peer could be reached, a temporary DNS failure) throttles its
/*	destination for $minimal_backoff_time: its waiting recipients are
/*	deferred at once with "delivery temporarily suspended: REASON"
/*	and no new connection is made for it, so one dead site does not
/*	hold connections that other destinations need.
/*	qmgr_deliver_unthrottle() ends every throttle (dromos flush).
/*	Finished messages are completed (qmgr_message_done_if_idle()).
/*	While qmgr_stopping is set no recipient is handed out: what waits
/*	stays in active/ for the next qmgr process.
/*
/*	Every connection is non-blocking and watched by the event loop:
/*	the agent's protocol announcement, then requests, answered in
/*	order. A reply is read only once the descriptor is readable (or
/*	already buffered), so the process never waits for a delivery in
/*	progress; a connection whose agent does not answer within
/*	$ipc_timeout is closed and its recipients deferred.
/*
/*	When a connection fails: if it had already served a request (a
/*	persistent connection whose agent may have exited because it was
/*	idle), its unanswered recipients are put back in line and tried
/*	again on a new connection; on a new connection they are deferred
/*	(they may have been delivered already: duplicates, never losses). Idle
/*	connections that the agent closes are dropped.
/*
/*	qmgr_deliver_init() allocates the request and reply buffers.
/* DIAGNOSTICS
/*	Warnings for failed connections and protocol errors.
/*--*/
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <time.h>

#include <events.h>
#include <htable.h>
#include <msg.h>
#include <mymalloc.h>
#include <sock.h>
#include <vstream.h>
#include <vstring.h>

#include <dsn.h>
#include <attr.h>
#include <deliver_request.h>
#include <mail_params.h>
#include <qfile.h>

#include "qmgr.h"

#define QMGR_CONN_HANDSHAKE	0	/* waiting for the announcement */
#define QMGR_CONN_READY		1	/* requests go out as they come */

struct qmgr_job {
    struct qmgr_message *msg;
    size_t  rcpt;
};

struct qmgr_transport {
    char   *name;
    char   *service;			/* private/NAME */
    long    conn_count;
    int     full;			/* no connection free this pass */
    struct htable *dests;
    struct qmgr_transport *next;
};

struct qmgr_dest {
    struct qmgr_transport *tp;
    char   *key;			/* the htable key: the next hop */
    long    busy;			/* groups in progress */
    long    window;			/* groups allowed at once */
    long    throttle_until;		/* seconds, 0: not throttled */
    char   *reason;			/* why it is throttled */
    char    dsn[16];
};

struct qmgr_conn {
    struct qmgr_transport *tp;		/* null: local */
    struct qmgr_dest *dest;		/* the group's destination */
    char   *last_nexthop;		/* the last group's */
    int     site_failed;		/* the group failed as a whole */
    size_t  room;			/* jobs it may hold */
    struct vstream *stream;
    int     fd;
    int     state;
    long    used;			/* replies received */
    struct qmgr_job *jobs;		/* unanswered, in request order */
    size_t  njobs;
    size_t  nsent;			/* jobs[0..nsent) were sent */
    struct qmgr_conn *next;
};

static struct qmgr_conn *qmgr_conns;
static long qmgr_conn_count;		/* local connections */
static struct qmgr_transport *qmgr_transports;
static size_t qmgr_conn_room;		/* jobs a connection may hold */
static struct deliver_request *qmgr_request;
static struct deliver_reply *qmgr_reply;
static int qmgr_scheduling;
static int qmgr_reschedule;		/* a failure during a schedule run */

static void qmgr_conn_event(int, void *);
static void qmgr_conn_timeout(int, void *);
static void qmgr_dest_done(struct qmgr_dest *, int, const char *);
static void qmgr_dest_reason(struct qmgr_dest *, const char *, const char *);

/* qmgr_conn_service - the socket a connection goes to */

static const char *qmgr_conn_service(struct qmgr_conn *conn)
{
    return (conn->tp ? conn->tp->service : QMGR_LOCAL_SERVICE);
}

/* qmgr_conn_close - forget a connection without jobs */

static void qmgr_conn_close(struct qmgr_conn *conn)
{
    struct qmgr_conn **pp;

    event_disable_readwrite(conn->fd);
    event_cancel_timer(qmgr_conn_timeout, (void *) conn);
    (void) vstream_close(&conn->stream);
    for (pp = &qmgr_conns; *pp; pp = &(*pp)->next) {
	if (*pp == conn) {
	    *pp = conn->next;
	    break;
	}
    }
    if (conn->tp)
	conn->tp->conn_count--;
    else
	qmgr_conn_count--;
    if (conn->dest)
	qmgr_dest_done(conn->dest, conn->site_failed, "");
    if (conn->last_nexthop)
	myfree(conn->last_nexthop);
    myfree(conn->jobs);
    myfree(conn);
}

/* qmgr_conn_fail - give back or defer every job, close */

static void qmgr_conn_fail(struct qmgr_conn *conn, const char *reason)
{
    struct vstring *text;
    struct qmgr_message *msg;
    size_t  i;
    size_t  j;

    if (conn->njobs == 0) {
	if (msg_verbose || conn->state != QMGR_CONN_READY)
	    msg_warn("connection to %s: %s", qmgr_conn_service(conn), reason);
	qmgr_conn_close(conn);
	return;
    }
    text = vstring_alloc(100);
    vstring_sprintf(text, "delivery agent %s: %s", qmgr_conn_service(conn),
		    reason);
    for (j = 0; j < conn->njobs; j++) {
	msg = conn->jobs[j].msg;
	i = conn->jobs[j].rcpt;
	if (conn->used > 0) {
	    /* A reused connection: the agent may simply have gone idle. */
	    if (msg_verbose)
		msg_info("%s: %s: %s: retrying", msg->id,
			 qmgr_conn_service(conn), reason);
	    qmgr_message_result(msg, i, -1, "", "");
	} else {
	    msg_warn("%s: %s", msg->id, vstring_str(text));
	    qmgr_message_log(msg, i, conn->tp ? "none" : "local", "4.3.0",
			     "deferred", vstring_str(text));
	    qmgr_message_result(msg, i, DELIVER_STAT_DEFER, "4.3.0",
				vstring_str(text));
	}
    }
    conn->njobs = conn->nsent = 0;
    qmgr_reschedule = qmgr_scheduling;
    vstring_free(&text);
    qmgr_conn_close(conn);
    /* The caller runs qmgr_deliver_schedule(), which finishes messages. */
}

/* qmgr_conn_send - send the jobs that are not sent yet */

static int qmgr_conn_send(struct qmgr_conn *conn)
{
    struct qmgr_message *msg;
    struct qfile_rcpt *rcpt;
    const char *at;

    while (conn->nsent < conn->njobs) {
	msg = conn->jobs[conn->nsent].msg;
	rcpt = msg->info.rcpts + conn->jobs[conn->nsent].rcpt;
	at = strrchr(rcpt->address, '@');
	vstring_strcpy(qmgr_request->queue_name, QFILE_ACTIVE);
	vstring_strcpy(qmgr_request->queue_id, msg->id);
	qmgr_request->offset = (long) rcpt->offset;
	vstring_strcpy(qmgr_request->sender, msg->info.sender);
	vstring_strcpy(qmgr_request->recipient, rcpt->address);
	vstring_strcpy(qmgr_request->orig_recipient,
		       rcpt->orig ? rcpt->orig : "");
	qmgr_request->arrival_sec = msg->info.arrival_sec;
	if (conn->tp)
	    vstring_strcpy(qmgr_request->nexthop, conn->last_nexthop);
	else
	    vstring_strcpy(qmgr_request->nexthop, at ? at + 1 : var_myhostname);
	qmgr_request->flags = (conn->tp && conn->nsent + 1 < conn->njobs) ?
	    DELIVER_FLAG_MORE : 0;
	qmgr_request->dsn_notify = rcpt->dsn_notify;
	vstring_strcpy(qmgr_request->dsn_orcpt,
		       rcpt->dsn_orcpt ? rcpt->dsn_orcpt : "");
	vstring_strcpy(qmgr_request->dsn_envid,
		       qfile_attr(&msg->info, "dsn_envid") ?
		       qfile_attr(&msg->info, "dsn_envid") : "");
	vstring_strcpy(qmgr_request->dsn_ret,
		       qfile_attr(&msg->info, "dsn_ret") ?
		       qfile_attr(&msg->info, "dsn_ret") : "");
	if (deliver_request_send(conn->stream, qmgr_request) < 0) {
	    qmgr_conn_fail(conn, "error sending request");
	    return (-1);
	}
	if (conn->nsent++ == 0)
	    event_request_timer(qmgr_conn_timeout, (void *) conn,
			     (var_ipc_timeout > 0 ? var_ipc_timeout : 3600)
				* 1000L);
    }
    return (0);
}


static void qmgr_conn_timeout(int event, void *context)
{
    (void) event;
    qmgr_conn_fail((struct qmgr_conn *) context, "timeout waiting for reply");
    qmgr_deliver_schedule();
}

/* qmgr_conn_reply - one reply: the result of the oldest job */

static int qmgr_conn_reply(struct qmgr_conn *conn)
{
    struct qmgr_job job;
    long    status;

    if (deliver_reply_read(conn->stream, qmgr_reply) < 0) {
	qmgr_conn_fail(conn, "lost connection while waiting for reply");
	return (-1);
    }
    status = qmgr_reply->status;
    if (status != DELIVER_STAT_SENT && status != DELIVER_STAT_DEFER
	&& status != DELIVER_STAT_BOUNCE) {
	conn->used = 0;				/* defer, do not retry */
	qmgr_conn_fail(conn, "malformed reply status");
	return (-1);
    }
    job = conn->jobs[0];
    memmove(conn->jobs, conn->jobs + 1, (conn->njobs - 1) * sizeof(job));
    conn->njobs--;
    conn->nsent--;
    conn->used++;
    event_cancel_timer(qmgr_conn_timeout, (void *) conn);
    if (conn->nsent > 0)
	event_request_timer(qmgr_conn_timeout, (void *) conn,
			    (var_ipc_timeout > 0 ? var_ipc_timeout : 3600)
			    * 1000L);
    if (conn->tp && status == DELIVER_STAT_DEFER
	&& strcmp(vstring_str(qmgr_reply->action), "site") == 0) {
	conn->site_failed = 1;
	if (conn->dest)
	    qmgr_dest_reason(conn->dest, vstring_str(qmgr_reply->dsn_status),
			     vstring_str(qmgr_reply->reason));
    }
    qmgr_message_result_remote(job.msg, job.rcpt, (int) status,
			       vstring_str(qmgr_reply->dsn_status),
			       vstring_str(qmgr_reply->reason),
			       vstring_str(qmgr_reply->remote_mta),
			       vstring_str(qmgr_reply->diagnostic),
			       conn->tp ? vstring_str(qmgr_reply->action) : "",
			       conn->tp ? conn->tp->name : "local");
    if (conn->tp && conn->njobs == 0 && conn->dest) {
	/* The group is done: the connection is free again. */
	qmgr_dest_done(conn->dest, conn->site_failed, "");
	conn->dest = 0;
	conn->site_failed = 0;
    }
    return (0);
}

static void qmgr_conn_event(int event, void *context)
{
    struct qmgr_conn *conn = (struct qmgr_conn *) context;
    struct vstring *why;

    (void) event;
    if (conn->state == QMGR_CONN_HANDSHAKE) {
	why = vstring_alloc(100);
	if (attr_expect_protocol(conn->stream, DELIVER_PROTOCOL,
				 DELIVER_VERSION, why) < 0) {
	    qmgr_conn_fail(conn, vstring_str(why));
	} else {
	    event_cancel_timer(qmgr_conn_timeout, (void *) conn);
	    conn->state = QMGR_CONN_READY;
	    (void) qmgr_conn_send(conn);
	}
	vstring_free(&why);
    } else if (conn->nsent == 0) {
	/* The agent closed an idle connection (max_idle, max_use). */
	qmgr_conn_fail(conn, "connection closed by agent");
    } else {
	/* Every reply that is here already: the descriptor may not wake. */
	while (qmgr_conn_reply(conn) == 0 && conn->nsent > 0
	       && vstream_pending(conn->stream) > 0)
	     /* void */ ;
    }
    qmgr_deliver_schedule();
}


static struct qmgr_conn *qmgr_conn_open(struct qmgr_transport *tp,
					        struct vstring *why)
{
    struct qmgr_conn *conn;
    int     fd;

    if ((fd = unix_connect(tp ? tp->service : QMGR_LOCAL_SERVICE, 1, why)) < 0)
	return (0);
    conn = (struct qmgr_conn *) mymalloc(sizeof(*conn));
    memset(conn, 0, sizeof(*conn));
    conn->tp = tp;
    conn->fd = fd;
    conn->stream = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(conn->stream, var_ipc_timeout > 0 ?
			(int) var_ipc_timeout : 3600);
    conn->state = QMGR_CONN_HANDSHAKE;
    conn->room = tp ? (size_t) (var_default_rcpt_limit > 0 ?
				var_default_rcpt_limit : 1) : qmgr_conn_room;
    conn->jobs = (struct qmgr_job *) mymalloc(conn->room * sizeof(*conn->jobs));
    conn->next = qmgr_conns;
    qmgr_conns = conn;
    if (tp)
	tp->conn_count++;
    else
	qmgr_conn_count++;
    event_enable_read(fd, qmgr_conn_event, (void *) conn);
    event_request_timer(qmgr_conn_timeout, (void *) conn,
			(var_ipc_timeout > 0 ? var_ipc_timeout : 3600) * 1000L);
    return (conn);
}

/* qmgr_conn_has_rcpt - does the connection work for this recipient? */

static int qmgr_conn_has_rcpt(struct qmgr_conn *conn, const char *addr)
{
    size_t  j;

    for (j = 0; j < conn->njobs; j++)
	if (strcasecmp(conn->jobs[j].msg->info.rcpts[conn->jobs[j].rcpt].address,
		       addr) == 0)
	    return (1);
    return (0);
}

/* qmgr_conn_pick - a local connection for a job to addr, or null */

static struct qmgr_conn *qmgr_conn_pick(const char *addr, int *full,
				                struct vstring *why)
{
    struct qmgr_conn *conn;
    struct qmgr_conn *with_room = 0;
    struct qmgr_conn *same_room = 0;
    long    limit = var_local_dest_conc > 0 ? var_local_dest_conc : 1;
    long    procs = var_proc_limit > 0 ? var_proc_limit : 1;
    long    count = 0;

    *full = 0;
    for (conn = qmgr_conns; conn; conn = conn->next) {
	if (conn->tp)
	    continue;
	if (qmgr_conn_has_rcpt(conn, addr)) {
	    count++;
	    if (conn->njobs < conn->room && same_room == 0)
		same_room = conn;
	} else if (conn->njobs < conn->room && with_room == 0) {
	    with_room = conn;
	}
    }
    /* At the recipient's limit: only a connection that works for it. */
    if (count >= limit)
	return (same_room);
    for (conn = qmgr_conns; conn; conn = conn->next)
	if (conn->tp == 0 && conn->njobs == 0 && conn->state == QMGR_CONN_READY)
	    return (conn);
    if (qmgr_conn_count < procs)
	return (qmgr_conn_open((struct qmgr_transport *) 0, why));
    if (same_room)
	return (same_room);
    if (with_room)
	return (with_room);
    *full = 1;
    return (0);
}

/* qmgr_transport_find - a remote transport by name, made on first use */

static struct qmgr_transport *qmgr_transport_find(const char *name)
{
    struct qmgr_transport *tp;
    struct vstring *buf;

    for (tp = qmgr_transports; tp; tp = tp->next)
	if (strcmp(tp->name, name) == 0)
	    return (tp);
    tp = (struct qmgr_transport *) mymalloc(sizeof(*tp));
    memset(tp, 0, sizeof(*tp));
    tp->name = mystrdup(name);
    buf = vstring_alloc(100);
    vstring_sprintf(buf, "private/%s", name);
    tp->service = mystrdup(vstring_str(buf));
    vstring_free(&buf);
    tp->dests = htable_create(100);
    tp->next = qmgr_transports;
    qmgr_transports = tp;
    return (tp);
}

/* qmgr_dest_limit - the concurrency limit of a transport's destinations */

static long qmgr_dest_limit(struct qmgr_transport *tp)
{
    long    limit = strcmp(tp->name, "smtp") == 0 ? var_smtp_dest_conc :
    var_default_dest_conc;

    return (limit > 0 ? limit : 1);
}

/* qmgr_dest_find - a destination, made on first use */

static struct qmgr_dest *qmgr_dest_find(struct qmgr_transport *tp,
				                const char *nexthop)
{
    struct qmgr_dest *dest;

    if ((dest = (struct qmgr_dest *) htable_find(tp->dests, nexthop)) != 0)
	return (dest);
    dest = (struct qmgr_dest *) mymalloc(sizeof(*dest));
    memset(dest, 0, sizeof(*dest));
    dest->tp = tp;
    dest->window = var_init_dest_conc > 0 ? var_init_dest_conc : 1;
    if (dest->window > qmgr_dest_limit(tp))
	dest->window = qmgr_dest_limit(tp);
    dest->key = htable_enter(tp->dests, nexthop, (void *) dest)->key;
    return (dest);
}

static void qmgr_dest_free(void *ptr)
{
    struct qmgr_dest *dest = (struct qmgr_dest *) ptr;

    if (dest->reason)
	myfree(dest->reason);
    myfree(dest);
}

/* qmgr_dest_forget - drop a destination with nothing to remember */

static void qmgr_dest_forget(struct qmgr_dest *dest)
{
    if (dest->busy == 0 && dest->throttle_until == 0)
	htable_delete(dest->tp->dests, dest->key, qmgr_dest_free);
}

/* qmgr_dest_reason - why the destination failed as a whole */

static void qmgr_dest_reason(struct qmgr_dest *dest, const char *dsn,
			             const char *reason)
{
    if (dest->reason)
	myfree(dest->reason);
    dest->reason = mystrdup(reason);
    (void) snprintf(dest->dsn, sizeof(dest->dsn), "%s", *dsn ? dsn : "4.4.1");
}

/* qmgr_dest_done - a group for the destination has finished */

static void qmgr_dest_done(struct qmgr_dest *dest, int site_failed,
			           const char *unused)
{
    long    limit = qmgr_dest_limit(dest->tp);

    (void) unused;
    if (dest->busy > 0)
	dest->busy--;
    if (site_failed) {
	if (dest->throttle_until == 0)
	    msg_info("%s: destination %s throttled for %lds: %s",
		     dest->tp->name, dest->key, var_min_backoff_time,
		     dest->reason ? dest->reason : "failed");
	dest->throttle_until = (long) time((time_t *) 0) + var_min_backoff_time;
	dest->window = var_init_dest_conc > 0 ? var_init_dest_conc : 1;
    } else if (dest->window < limit) {
	dest->window++;
    }
    if (dest->window > limit)
	dest->window = limit;
    qmgr_dest_forget(dest);
}

/* qmgr_dest_throttled - is the destination throttled now? */

static int qmgr_dest_throttled(struct qmgr_dest *dest)
{
    if (dest->throttle_until == 0)
	return (0);
    if (dest->throttle_until <= (long) time((time_t *) 0)) {
	dest->throttle_until = 0;
	return (0);
    }
    return (1);
}

void    qmgr_deliver_unthrottle(void)
{
    struct qmgr_transport *tp;
    struct htable_info **list;
    struct htable_info **ht;
    struct qmgr_dest *dest;

    for (tp = qmgr_transports; tp; tp = tp->next) {
	list = htable_list(tp->dests);
	for (ht = list; *ht; ht++) {
	    dest = (struct qmgr_dest *) (*ht)->value;
	    dest->throttle_until = 0;
	    qmgr_dest_forget(dest);
	}
	myfree(list);
    }
}

/* qmgr_remote_conn - a connection for a group to dest, or null */

static struct qmgr_conn *qmgr_remote_conn(struct qmgr_dest *dest,
					          const char *nexthop,
					          struct vstring *why)
{
    struct qmgr_conn *conn;
    struct qmgr_conn *idle = 0;
    long    procs = var_proc_limit > 0 ? var_proc_limit : 1;

    for (conn = qmgr_conns; conn; conn = conn->next) {
	if (conn->tp != dest->tp || conn->njobs > 0
	    || conn->state != QMGR_CONN_READY)
	    continue;
	if (conn->last_nexthop && strcmp(conn->last_nexthop, nexthop) == 0)
	    return (conn);
	if (idle == 0)
	    idle = conn;
    }
    if (idle)
	return (idle);
    if (dest->tp->conn_count < procs)
	return (qmgr_conn_open(dest->tp, why));
    dest->tp->full = 1;
    return (0);
}

/* qmgr_defer_rcpt - qmgr's own deferral of one recipient */

static void qmgr_defer_rcpt(struct qmgr_message *msg, size_t i,
			            const char *relay, const char *dsn,
			            const char *reason)
{
    qmgr_message_log(msg, i, relay, dsn, "deferred", reason);
    qmgr_message_result(msg, i, DELIVER_STAT_DEFER, dsn, reason);
}

/* qmgr_remote_group - schedule recipient i and its fellows; 0: skipped */

static int qmgr_remote_group(struct qmgr_message *msg, size_t i,
			             const char *transport, const char *nexthop,
			             struct vstring *why, struct vstring *text)
{
    struct qmgr_transport *tp = qmgr_transport_find(transport);
    struct qmgr_dest *dest = qmgr_dest_find(tp, nexthop);
    struct qmgr_conn *conn;
    struct vstring *t2;
    struct vstring *n2;
    size_t  j;

    if (qmgr_dest_throttled(dest)) {
	vstring_sprintf(text, "delivery temporarily suspended: %s",
			dest->reason ? dest->reason : "destination failed");
	qmgr_defer_rcpt(msg, i, "none", dest->dsn[0] ? dest->dsn : "4.4.1",
			vstring_str(text));
	return (1);
    }
    if (tp->full || dest->busy >= dest->window) {
	qmgr_dest_forget(dest);
	return (0);
    }
    vstring_reset(why);
    if ((conn = qmgr_remote_conn(dest, nexthop, why)) == 0) {
	if (vstring_len(why) == 0) {
	    qmgr_dest_forget(dest);
	    return (0);
	}
	vstring_sprintf(text, "connect to %s: %s", tp->service,
			vstring_str(why));
	msg_warn("%s: %s", msg->id, vstring_str(text));
	qmgr_defer_rcpt(msg, i, "none", "4.3.0", vstring_str(text));
	qmgr_dest_forget(dest);
	return (1);
    }
    if (conn->last_nexthop)
	myfree(conn->last_nexthop);
    conn->last_nexthop = mystrdup(nexthop);
    conn->dest = dest;
    conn->site_failed = 0;
    dest->busy++;

    /*
     * This recipient and the message's other waiting recipients for the
     * same destination, up to the group limit.
     */
    t2 = vstring_alloc(20);
    n2 = vstring_alloc(100);
    for (j = i; j < msg->info.rcpt_count && conn->njobs < conn->room; j++) {
	if (msg->rstate[j] != QMGR_RCPT_WAIT)
	    continue;
	if (j != i && (qmgr_route(msg->info.rcpts[j].address, t2, n2)
		       != QMGR_ROUTE_REMOTE
		       || strcmp(vstring_str(t2), transport) != 0
		       || strcasecmp(vstring_str(n2), nexthop) != 0))
	    continue;
	msg->rstate[j] = QMGR_RCPT_BUSY;
	msg->busy++;
	conn->jobs[conn->njobs].msg = msg;
	conn->jobs[conn->njobs].rcpt = j;
	conn->njobs++;
    }
    vstring_free(&t2);
    vstring_free(&n2);
    if (conn->state == QMGR_CONN_READY)
	(void) qmgr_conn_send(conn);
    return (1);
}

void    qmgr_deliver_schedule(void)
{
    struct qmgr_message *msg;
    struct qmgr_message *next;
    struct qmgr_conn *conn;
    struct qmgr_transport *tp;
    struct vstring *why;
    struct vstring *text;
    struct vstring *transport;
    struct vstring *nexthop;
    size_t  i;
    int     local_full;
    int     full;

    if (qmgr_scheduling)
	return;
    qmgr_scheduling = 1;
    why = vstring_alloc(100);
    text = vstring_alloc(100);
    transport = vstring_alloc(20);
    nexthop = vstring_alloc(100);
again:
    qmgr_reschedule = 0;
    local_full = 0;
    for (tp = qmgr_transports; tp; tp = tp->next)
	tp->full = 0;
    for (msg = qmgr_message_list; msg; msg = next) {
	next = msg->next_msg;
	/* Stopping: no new deliveries; the next qmgr takes the rest. */
	if (qmgr_stopping || !qmgr_message_next_wait(msg, &i))
	    i = msg->info.rcpt_count;
	for (; i < msg->info.rcpt_count; i++) {
	    if (msg->rstate[i] != QMGR_RCPT_WAIT)
		continue;
	    switch (qmgr_route(msg->info.rcpts[i].address, transport, nexthop)) {
	    case QMGR_ROUTE_DEFER:
		msg_warn("%s: %s", msg->id, vstring_str(nexthop));
		qmgr_defer_rcpt(msg, i, "none", "4.3.0", vstring_str(nexthop));
		continue;
	    case QMGR_ROUTE_ERROR:
		qmgr_message_log(msg, i, "none", "5.0.0", "bounced",
				 vstring_str(nexthop));
		qmgr_message_result(msg, i, DELIVER_STAT_BOUNCE, "5.0.0",
				    vstring_str(nexthop));
		continue;
	    case QMGR_ROUTE_REMOTE:
		(void) qmgr_remote_group(msg, i, vstring_str(transport),
					 vstring_str(nexthop), why, text);
		continue;
	    default:
		break;
	    }
	    if (local_full)
		continue;
	    vstring_reset(why);
	    if ((conn = qmgr_conn_pick(msg->info.rcpts[i].address, &full,
				       why)) == 0) {
		if (full) {
		    local_full = 1;		/* every connection is full */
		    continue;
		}
		if (vstring_len(why) == 0)
		    continue;			/* recipient at its limit */
		vstring_sprintf(text, "connect to %s: %s", QMGR_LOCAL_SERVICE,
				vstring_str(why));
		msg_warn("%s: %s", msg->id, vstring_str(text));
		qmgr_defer_rcpt(msg, i, "local", "4.3.0", vstring_str(text));
		continue;
	    }
	    msg->rstate[i] = QMGR_RCPT_BUSY;
	    msg->busy++;
	    conn->jobs[conn->njobs].msg = msg;
	    conn->jobs[conn->njobs].rcpt = i;
	    conn->njobs++;
	    if (conn->state == QMGR_CONN_READY)
		(void) qmgr_conn_send(conn);
	}
	qmgr_message_done_if_idle(msg);
    }
    if (qmgr_reschedule)
	goto again;
    vstring_free(&why);
    vstring_free(&text);
    vstring_free(&transport);
    vstring_free(&nexthop);
    qmgr_scheduling = 0;
}

void    qmgr_deliver_init(void)
{
    qmgr_conn_room = 2 * (size_t) (var_local_batch_limit > 0 ?
				   var_local_batch_limit : 1);
    qmgr_request = deliver_request_alloc();
    qmgr_reply = deliver_reply_alloc();
}
