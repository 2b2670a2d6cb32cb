/*++
/* NAME
/*	qmgr_deliver 3
/* SUMMARY
/*	connections to the local delivery agent, and the scheduler
/* SYNOPSIS
/*	#include "qmgr.h"
/*
/*	void	qmgr_deliver_init(void)
/*
/*	void	qmgr_deliver_schedule(void)
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
/*	waits, and the scheduler goes on with the next message). A recipient outside
/*	$mydestination is bounced here ("5.1.2 mail for non-local domain:
/*	relaying is not implemented"). Finished messages are completed
/*	(qmgr_message_done_if_idle()).
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
#include <string.h>
#include <strings.h>

#include <events.h>
#include <msg.h>
#include <mymalloc.h>
#include <sock.h>
#include <vstream.h>
#include <vstring.h>

#include <addr_class.h>
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

struct qmgr_conn {
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
static long qmgr_conn_count;
static size_t qmgr_conn_room;		/* jobs a connection may hold */
static struct deliver_request *qmgr_request;
static struct deliver_reply *qmgr_reply;
static int qmgr_scheduling;
static int qmgr_reschedule;		/* a failure during a schedule run */

static void qmgr_conn_event(int, void *);
static void qmgr_conn_timeout(int, void *);

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
    qmgr_conn_count--;
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
	    msg_warn("connection to %s: %s", QMGR_LOCAL_SERVICE, reason);
	qmgr_conn_close(conn);
	return;
    }
    text = vstring_alloc(100);
    vstring_sprintf(text, "delivery agent %s: %s", QMGR_LOCAL_SERVICE,
		    reason);
    for (j = 0; j < conn->njobs; j++) {
	msg = conn->jobs[j].msg;
	i = conn->jobs[j].rcpt;
	if (conn->used > 0) {
	    /* A reused connection: the agent may simply have gone idle. */
	    if (msg_verbose)
		msg_info("%s: %s: %s: retrying", msg->id, QMGR_LOCAL_SERVICE,
			 reason);
	    qmgr_message_result(msg, i, -1, "", "");
	} else {
	    msg_warn("%s: %s", msg->id, vstring_str(text));
	    qmgr_message_log(msg, i, "local", "4.3.0", "deferred",
			     vstring_str(text));
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
	vstring_strcpy(qmgr_request->nexthop, at ? at + 1 : var_myhostname);
	qmgr_request->flags = 0;
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
    qmgr_message_result(job.msg, job.rcpt, (int) status,
			vstring_str(qmgr_reply->dsn_status),
			vstring_str(qmgr_reply->reason));
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


static struct qmgr_conn *qmgr_conn_open(struct vstring *why)
{
    struct qmgr_conn *conn;
    int     fd;

    if ((fd = unix_connect(QMGR_LOCAL_SERVICE, 1, why)) < 0)
	return (0);
    conn = (struct qmgr_conn *) mymalloc(sizeof(*conn));
    memset(conn, 0, sizeof(*conn));
    conn->fd = fd;
    conn->stream = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(conn->stream, var_ipc_timeout > 0 ?
			(int) var_ipc_timeout : 3600);
    conn->state = QMGR_CONN_HANDSHAKE;
    conn->jobs = (struct qmgr_job *) mymalloc(qmgr_conn_room
					      * sizeof(*conn->jobs));
    conn->next = qmgr_conns;
    qmgr_conns = conn;
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

/* qmgr_conn_pick - a connection for a job to addr, or null */

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
	if (qmgr_conn_has_rcpt(conn, addr)) {
	    count++;
	    if (conn->njobs < qmgr_conn_room && same_room == 0)
		same_room = conn;
	} else if (conn->njobs < qmgr_conn_room && with_room == 0) {
	    with_room = conn;
	}
    }
    /* At the recipient's limit: only a connection that works for it. */
    if (count >= limit)
	return (same_room);
    for (conn = qmgr_conns; conn; conn = conn->next)
	if (conn->njobs == 0 && conn->state == QMGR_CONN_READY)
	    return (conn);
    if (qmgr_conn_count < procs)
	return (qmgr_conn_open(why));
    if (same_room)
	return (same_room);
    if (with_room)
	return (with_room);
    *full = 1;
    return (0);
}

void    qmgr_deliver_schedule(void)
{
    struct qmgr_message *msg;
    struct qmgr_message *next;
    struct qmgr_conn *conn;
    struct vstring *why;
    struct vstring *text;
    size_t  i;
    int     stop = 0;
    int     full;
    int     local;

    if (qmgr_scheduling)
	return;
    qmgr_scheduling = 1;
    why = vstring_alloc(100);
    text = vstring_alloc(100);
again:
    qmgr_reschedule = 0;
    for (msg = qmgr_message_list; msg; msg = next) {
	next = msg->next_msg;
	while (!stop && qmgr_message_next_wait(msg, &i)) {
	    if ((local = qmgr_rcpt_is_local(msg->info.rcpts[i].address)) < 0) {
		vstring_sprintf(text, "address class: %s", addr_class_error());
		msg_warn("%s: %s", msg->id, vstring_str(text));
		qmgr_message_log(msg, i, "none", "4.3.0", "deferred",
				 vstring_str(text));
		qmgr_message_result(msg, i, DELIVER_STAT_DEFER, "4.3.0",
				    vstring_str(text));
		continue;
	    }
	    if (!local) {
		qmgr_message_log(msg, i, "none", "5.1.2", "bounced",
				 "mail for non-local domain: relaying is "
				 "not implemented");
		qmgr_message_result(msg, i, DELIVER_STAT_BOUNCE, "5.1.2",
				    "mail for non-local domain");
		continue;
	    }
	    vstring_reset(why);
	    if ((conn = qmgr_conn_pick(msg->info.rcpts[i].address, &full,
				       why)) == 0) {
		if (full) {
		    stop = 1;			/* every connection is full */
		    break;
		}
		if (vstring_len(why) == 0)
		    break;			/* recipient at its limit */
		vstring_sprintf(text, "connect to %s: %s", QMGR_LOCAL_SERVICE,
				vstring_str(why));
		msg_warn("%s: %s", msg->id, vstring_str(text));
		qmgr_message_log(msg, i, "local", "4.3.0", "deferred",
				 vstring_str(text));
		qmgr_message_result(msg, i, DELIVER_STAT_DEFER, "4.3.0",
				    vstring_str(text));
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
    if (qmgr_reschedule && !stop)
	goto again;
    vstring_free(&why);
    vstring_free(&text);
    qmgr_scheduling = 0;
}

void    qmgr_deliver_init(void)
{
    qmgr_conn_room = 2 * (size_t) (var_local_batch_limit > 0 ?
				   var_local_batch_limit : 1);
    qmgr_request = deliver_request_alloc();
    qmgr_reply = deliver_reply_alloc();
}
