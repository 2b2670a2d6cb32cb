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
/*	and hands each waiting recipient to a free connection to
/*	private/local, opening new connections up to
/*	$default_process_limit in all. As in Postfix, the local transport's
/*	destination is the recipient: at most
/*	$local_destination_concurrency_limit deliveries to one recipient
/*	run at once (a message whose next recipient is at its limit waits,
/*	and the scheduler goes on with the next message). A recipient outside
/*	$mydestination is bounced here ("5.1.2 mail for non-local domain:
/*	relaying is not implemented"). Finished messages are completed
/*	(qmgr_message_done_if_idle()).
/*
/*	Every connection is non-blocking and watched by the event loop:
/*	the agent's protocol announcement, then one request and one reply
/*	at a time. A reply is read only once the descriptor is readable,
/*	so the process never waits for a delivery in progress; a
/*	connection whose agent does not answer within $ipc_timeout is
/*	closed and its recipient deferred.
/*
/*	When a connection fails: if it had already served a request (a
/*	persistent connection whose agent may have exited because it was
/*	idle), the recipient is put back in line and tried again on a new
/*	connection; on a new connection the recipient is deferred (it may
/*	have been delivered already: duplicates, never losses). Idle
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

#include <attr.h>
#include <deliver_request.h>
#include <mail_params.h>
#include <qfile.h>

#include "qmgr.h"

#define QMGR_CONN_HANDSHAKE	0	/* waiting for the announcement */
#define QMGR_CONN_IDLE		1	/* ready, no request */
#define QMGR_CONN_BUSY		2	/* request sent, waiting for reply */

struct qmgr_conn {
    struct vstream *stream;
    int     fd;
    int     state;
    long    used;			/* replies received */
    struct qmgr_message *msg;		/* the job, or null */
    size_t  rcpt;
    struct qmgr_conn *next;
};

static struct qmgr_conn *qmgr_conns;
static long qmgr_conn_count;
static struct deliver_request *qmgr_request;
static struct deliver_reply *qmgr_reply;
static int qmgr_scheduling;

static void qmgr_conn_event(int, void *);
static void qmgr_conn_timeout(int, void *);

/* qmgr_conn_close - drop a connection (its job must be settled) */

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
    myfree(conn);
}

/* qmgr_conn_fail - the connection broke; settle its job and close it */

static void qmgr_conn_fail(struct qmgr_conn *conn, const char *reason)
{
    struct qmgr_message *msg = conn->msg;
    size_t  i = conn->rcpt;
    struct vstring *text;

    if (msg == 0) {
	if (msg_verbose || conn->state != QMGR_CONN_IDLE)
	    msg_warn("connection to %s: %s", QMGR_LOCAL_SERVICE, reason);
	qmgr_conn_close(conn);
	return;
    }
    conn->msg = 0;
    if (conn->used > 0) {
	/* A reused connection: the agent may simply have gone idle. */
	if (msg_verbose)
	    msg_info("%s: %s: %s: retrying", msg->id, QMGR_LOCAL_SERVICE, reason);
	qmgr_message_result(msg, i, -1, "", "");
    } else {
	text = vstring_alloc(100);
	vstring_sprintf(text, "delivery agent %s: %s", QMGR_LOCAL_SERVICE,
			reason);
	msg_warn("%s: %s", msg->id, vstring_str(text));
	qmgr_message_log(msg, i, "local", "4.3.0", "deferred", vstring_str(text));
	qmgr_message_result(msg, i, DELIVER_STAT_DEFER, "4.3.0",
			    vstring_str(text));
	vstring_free(&text);
    }
    qmgr_conn_close(conn);
    /* The caller runs qmgr_deliver_schedule(), which finishes msg. */
}

/* qmgr_conn_send - send the connection's job */

static int qmgr_conn_send(struct qmgr_conn *conn)
{
    struct qmgr_message *msg = conn->msg;
    struct qfile_rcpt *rcpt = msg->info.rcpts + conn->rcpt;
    const char *at = strrchr(rcpt->address, '@');

    vstring_strcpy(qmgr_request->queue_name, QFILE_ACTIVE);
    vstring_strcpy(qmgr_request->queue_id, msg->id);
    qmgr_request->offset = (long) rcpt->offset;
    vstring_strcpy(qmgr_request->sender, msg->info.sender);
    vstring_strcpy(qmgr_request->recipient, rcpt->address);
    vstring_strcpy(qmgr_request->orig_recipient, rcpt->orig ? rcpt->orig : "");
    qmgr_request->arrival_sec = msg->info.arrival_sec;
    vstring_strcpy(qmgr_request->nexthop, at ? at + 1 : var_myhostname);
    qmgr_request->flags = 0;
    if (deliver_request_send(conn->stream, qmgr_request) < 0) {
	qmgr_conn_fail(conn, "error sending request");
	return (-1);
    }
    conn->state = QMGR_CONN_BUSY;
    event_request_timer(qmgr_conn_timeout, (void *) conn,
			(var_ipc_timeout > 0 ? var_ipc_timeout : 3600) * 1000L);
    return (0);
}

/* qmgr_conn_timeout - the agent did not answer in time */

static void qmgr_conn_timeout(int event, void *context)
{
    qmgr_conn_fail((struct qmgr_conn *) context, "timeout waiting for reply");
    qmgr_deliver_schedule();
}

/* qmgr_conn_event - the connection is readable (or broke) */

static void qmgr_conn_event(int event, void *context)
{
    struct qmgr_conn *conn = (struct qmgr_conn *) context;
    struct vstring *why;
    struct qmgr_message *msg;
    long    status;

    switch (conn->state) {
    case QMGR_CONN_HANDSHAKE:
	why = vstring_alloc(100);
	if (attr_expect_protocol(conn->stream, DELIVER_PROTOCOL,
				 DELIVER_VERSION, why) < 0) {
	    qmgr_conn_fail(conn, vstring_str(why));
	} else {
	    event_cancel_timer(qmgr_conn_timeout, (void *) conn);
	    conn->state = QMGR_CONN_IDLE;
	    if (conn->msg)
		(void) qmgr_conn_send(conn);
	}
	vstring_free(&why);
	break;
    case QMGR_CONN_IDLE:
	/* The agent closed an idle connection (max_idle, max_use). */
	qmgr_conn_fail(conn, "connection closed by agent");
	break;
    case QMGR_CONN_BUSY:
	if (deliver_reply_read(conn->stream, qmgr_reply) < 0) {
	    qmgr_conn_fail(conn, "lost connection while waiting for reply");
	    break;
	}
	status = qmgr_reply->status;
	if (status != DELIVER_STAT_SENT && status != DELIVER_STAT_DEFER
	    && status != DELIVER_STAT_BOUNCE) {
	    conn->used = 0;			/* defer, do not retry */
	    qmgr_conn_fail(conn, "malformed reply status");
	    break;
	}
	event_cancel_timer(qmgr_conn_timeout, (void *) conn);
	msg = conn->msg;
	conn->msg = 0;
	conn->used++;
	conn->state = QMGR_CONN_IDLE;
	qmgr_message_result(msg, conn->rcpt, (int) status,
			    vstring_str(qmgr_reply->dsn_status),
			    vstring_str(qmgr_reply->reason));
	break;
    }
    qmgr_deliver_schedule();
}

/* qmgr_conn_open - a new connection to the local agent */

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
    conn->next = qmgr_conns;
    qmgr_conns = conn;
    qmgr_conn_count++;
    event_enable_read(fd, qmgr_conn_event, (void *) conn);
    event_request_timer(qmgr_conn_timeout, (void *) conn,
			(var_ipc_timeout > 0 ? var_ipc_timeout : 3600) * 1000L);
    return (conn);
}

/* qmgr_conn_free_one - an idle connection, or a new one if allowed */

static struct qmgr_conn *qmgr_conn_free_one(struct vstring *why)
{
    struct qmgr_conn *conn;
    long    limit = var_proc_limit > 0 ? var_proc_limit : 1;

    for (conn = qmgr_conns; conn; conn = conn->next)
	if (conn->msg == 0 && conn->state == QMGR_CONN_IDLE)
	    return (conn);
    if (qmgr_conn_count >= limit)
	return (0);
    return (qmgr_conn_open(why));
}

/* qmgr_rcpt_at_limit - as many deliveries to this recipient as allowed */

static int qmgr_rcpt_at_limit(const char *addr)
{
    struct qmgr_conn *conn;
    long    limit = var_local_dest_conc > 0 ? var_local_dest_conc : 1;
    long    count = 0;

    for (conn = qmgr_conns; conn; conn = conn->next)
	if (conn->msg != 0
	    && strcasecmp(conn->msg->info.rcpts[conn->rcpt].address, addr) == 0
	    && ++count >= limit)
	    return (1);
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

    if (qmgr_scheduling)
	return;
    qmgr_scheduling = 1;
    why = vstring_alloc(100);
    text = vstring_alloc(100);
    for (msg = qmgr_message_list; msg; msg = next) {
	next = msg->next_msg;
	while (!stop && qmgr_message_next_wait(msg, &i)) {
	    if (!qmgr_rcpt_is_local(msg->info.rcpts[i].address)) {
		qmgr_message_log(msg, i, "none", "5.1.2", "bounced",
				 "mail for non-local domain: relaying is "
				 "not implemented");
		qmgr_message_result(msg, i, DELIVER_STAT_BOUNCE, "5.1.2",
				    "mail for non-local domain");
		continue;
	    }
	    /* The local destination is the recipient, as in Postfix. */
	    if (qmgr_rcpt_at_limit(msg->info.rcpts[i].address))
		break;				/* next message */
	    vstring_reset(why);
	    if ((conn = qmgr_conn_free_one(why)) == 0) {
		if (vstring_len(why) == 0) {
		    stop = 1;			/* all connections busy */
		    break;
		}
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
	    conn->msg = msg;
	    conn->rcpt = i;
	    if (conn->state == QMGR_CONN_IDLE)
		(void) qmgr_conn_send(conn);
	}
	qmgr_message_done_if_idle(msg);
    }
    vstring_free(&why);
    vstring_free(&text);
    qmgr_scheduling = 0;
}

void    qmgr_deliver_init(void)
{
    qmgr_request = deliver_request_alloc();
    qmgr_reply = deliver_reply_alloc();
}
