/*++
/* NAME
/*	deliver_request 3
/* SUMMARY
/*	the protocol between qmgr and delivery agents
/* SYNOPSIS
/*	#include <deliver_request.h>
/*
/*	struct deliver_request *deliver_request_alloc()
/*	void	deliver_request_free(reqp)
/*	int	deliver_request_read(stream, req)
/*	int	deliver_request_reply(stream, status, dsn_status, reason)
/*	int	deliver_request_send(stream, req)
/*
/*	struct deliver_reply *deliver_reply_alloc()
/*	void	deliver_reply_free(replyp)
/*	int	deliver_reply_read(stream, reply)
/* DESCRIPTION
/*	See deliver_request.h for the protocol. Both directions use
/*	strict attribute scanning (attr.h): a peer daemon that sends a
/*	malformed message has a bug, and the caller should log
/*	attr_error() and give up on the connection.
/*
/*	deliver_request_read() also checks what the agent will use to
/*	open files: queue_name must be one of the queue folder names in
/*	qfile.h and queue_id must be a valid queue ID, so a bad request
/*	cannot name a path outside the queue; offset must be positive.
/*	It returns 0, or -1 at end of input or on a malformed request
/*	(attr_error() says why when the message itself was malformed;
/*	for a bad request name, queue name, queue ID or offset it may
/*	describe an older error).
/*
/*	deliver_reply_read() accepts only the DELIVER_STAT_* values.
/*
/*	deliver_request_send() and deliver_request_reply() return 0 or
/*	-1 on a stream error.
/* DIAGNOSTICS
/*	Return values; attr_error().
/*--*/
#include <string.h>

#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>
#include <attr.h>
#include <qfile.h>
#include <deliver_request.h>

#define DELIVER_REQ_DELIVER	"deliver"
#define DELIVER_ATTR_NEXTHOP	"nexthop"
#define DELIVER_ATTR_NOTIFY	"dsn_notify"
#define DELIVER_ATTR_ORCPT	"dsn_orcpt"
#define DELIVER_ATTR_ENVID	"dsn_envid"
#define DELIVER_ATTR_RET	"dsn_ret"
#define DELIVER_ATTR_MTA	"remote_mta"
#define DELIVER_ATTR_DIAG	"diagnostic"
#define DELIVER_ATTR_ACTION	"action"

/* deliver_request_alloc - make an empty request */

struct deliver_request *deliver_request_alloc(void)
{
    struct deliver_request *req = mymalloc(sizeof(*req));

    req->queue_name = vstring_alloc(20);
    req->queue_id = vstring_alloc(40);
    req->offset = 0;
    req->sender = vstring_alloc(100);
    req->recipient = vstring_alloc(100);
    req->orig_recipient = vstring_alloc(100);
    req->arrival_sec = 0;
    req->nexthop = vstring_alloc(100);
    req->flags = 0;
    req->dsn_notify = 0;
    req->dsn_orcpt = vstring_alloc(100);
    req->dsn_envid = vstring_alloc(100);
    req->dsn_ret = vstring_alloc(10);
    return (req);
}

/* deliver_request_free - destroy a request and clear the pointer */

void    deliver_request_free(struct deliver_request **reqp)
{
    struct deliver_request *req = *reqp;

    if (req == 0)
	return;
    vstring_free(&req->queue_name);
    vstring_free(&req->queue_id);
    vstring_free(&req->sender);
    vstring_free(&req->recipient);
    vstring_free(&req->orig_recipient);
    vstring_free(&req->nexthop);
    vstring_free(&req->dsn_orcpt);
    vstring_free(&req->dsn_envid);
    vstring_free(&req->dsn_ret);
    myfree(req);
    *reqp = 0;
}

/* deliver_queue_name_ok - one of the queue folders */

static int deliver_queue_name_ok(const char *name)
{
    static const char *names[] = {
	QFILE_INCOMING, QFILE_ACTIVE, QFILE_DEFERRED, QFILE_HOLD, 0,
    };
    const char **cpp;

    for (cpp = names; *cpp; cpp++)
	if (strcmp(*cpp, name) == 0)
	    return (1);
    return (0);
}

/* deliver_request_read - agent side: read one request */

int     deliver_request_read(struct vstream *stream, struct deliver_request *req)
{
    struct vstring *request = vstring_alloc(20);
    int     ret;

    ret = attr_scan(stream, ATTR_FLAG_STRICT,
		    ATTR_TYPE_STR, ATTR_REQUEST, request,
		    ATTR_TYPE_STR, ATTR_QUEUE_NAME, req->queue_name,
		    ATTR_TYPE_STR, ATTR_QUEUE_ID, req->queue_id,
		    ATTR_TYPE_INT, ATTR_OFFSET, &req->offset,
		    ATTR_TYPE_STR, ATTR_SENDER, req->sender,
		    ATTR_TYPE_STR, ATTR_RECIPIENT, req->recipient,
		    ATTR_TYPE_STR, ATTR_ORCPT, req->orig_recipient,
		    ATTR_TYPE_INT, ATTR_ARRIVAL, &req->arrival_sec,
		    ATTR_TYPE_STR, DELIVER_ATTR_NEXTHOP, req->nexthop,
		    ATTR_TYPE_INT, ATTR_FLAGS, &req->flags,
		    ATTR_TYPE_INT, DELIVER_ATTR_NOTIFY, &req->dsn_notify,
		    ATTR_TYPE_STR, DELIVER_ATTR_ORCPT, req->dsn_orcpt,
		    ATTR_TYPE_STR, DELIVER_ATTR_ENVID, req->dsn_envid,
		    ATTR_TYPE_STR, DELIVER_ATTR_RET, req->dsn_ret,
		    ATTR_TYPE_END);
    if (ret < 0) {
	ret = -1;
    } else if (strcmp(vstring_str(request), DELIVER_REQ_DELIVER) != 0) {
	ret = -1;
    } else if (!deliver_queue_name_ok(vstring_str(req->queue_name))
	       || !qfile_id_valid(vstring_str(req->queue_id))
	       || req->offset <= 0) {
	ret = -1;
    } else {
	ret = 0;
    }
    vstring_free(&request);
    return (ret);
}

/* deliver_request_reply - agent side: send the result */

int     deliver_request_reply(struct vstream *stream, int status,
			              const char *dsn_status, const char *reason)
{
    return (deliver_request_reply_remote(stream, status, dsn_status, reason,
					 "", "", ""));
}

/* deliver_request_reply_remote - the same, with what a peer said */

int     deliver_request_reply_remote(struct vstream *stream, int status,
				             const char *dsn_status,
				             const char *reason,
				             const char *remote_mta,
				             const char *diagnostic,
				             const char *action)
{
    return (attr_print(stream, ATTR_FLAG_NONE,
		       ATTR_TYPE_INT, ATTR_STATUS, (long) status,
		       ATTR_TYPE_STR, ATTR_DSN_STATUS, dsn_status,
		       ATTR_TYPE_STR, ATTR_REASON, reason,
		       ATTR_TYPE_STR, DELIVER_ATTR_MTA, remote_mta,
		       ATTR_TYPE_STR, DELIVER_ATTR_DIAG, diagnostic,
		       ATTR_TYPE_STR, DELIVER_ATTR_ACTION, action,
		       ATTR_TYPE_END));
}

/* deliver_request_send - qmgr side: send one request */

int     deliver_request_send(struct vstream *stream,
			             const struct deliver_request *req)
{
    return (attr_print(stream, ATTR_FLAG_NONE,
		       ATTR_TYPE_STR, ATTR_REQUEST, DELIVER_REQ_DELIVER,
		       ATTR_TYPE_STR, ATTR_QUEUE_NAME, vstring_str(req->queue_name),
		       ATTR_TYPE_STR, ATTR_QUEUE_ID, vstring_str(req->queue_id),
		       ATTR_TYPE_INT, ATTR_OFFSET, req->offset,
		       ATTR_TYPE_STR, ATTR_SENDER, vstring_str(req->sender),
		       ATTR_TYPE_STR, ATTR_RECIPIENT, vstring_str(req->recipient),
		       ATTR_TYPE_STR, ATTR_ORCPT, vstring_str(req->orig_recipient),
		       ATTR_TYPE_INT, ATTR_ARRIVAL, req->arrival_sec,
		       ATTR_TYPE_STR, DELIVER_ATTR_NEXTHOP, vstring_str(req->nexthop),
		       ATTR_TYPE_INT, ATTR_FLAGS, req->flags,
		       ATTR_TYPE_INT, DELIVER_ATTR_NOTIFY, req->dsn_notify,
		       ATTR_TYPE_STR, DELIVER_ATTR_ORCPT, vstring_str(req->dsn_orcpt),
		       ATTR_TYPE_STR, DELIVER_ATTR_ENVID, vstring_str(req->dsn_envid),
		       ATTR_TYPE_STR, DELIVER_ATTR_RET, vstring_str(req->dsn_ret),
		       ATTR_TYPE_END));
}

/* deliver_reply_alloc - make an empty reply */

struct deliver_reply *deliver_reply_alloc(void)
{
    struct deliver_reply *reply = mymalloc(sizeof(*reply));

    reply->status = DELIVER_STAT_DEFER;
    reply->dsn_status = vstring_alloc(10);
    reply->reason = vstring_alloc(100);
    reply->remote_mta = vstring_alloc(100);
    reply->diagnostic = vstring_alloc(100);
    reply->action = vstring_alloc(10);
    return (reply);
}

/* deliver_reply_free - destroy a reply and clear the pointer */

void    deliver_reply_free(struct deliver_reply **replyp)
{
    struct deliver_reply *reply = *replyp;

    if (reply == 0)
	return;
    vstring_free(&reply->dsn_status);
    vstring_free(&reply->reason);
    vstring_free(&reply->remote_mta);
    vstring_free(&reply->diagnostic);
    vstring_free(&reply->action);
    myfree(reply);
    *replyp = 0;
}

/* deliver_reply_read - qmgr side: read the result */

int     deliver_reply_read(struct vstream *stream, struct deliver_reply *reply)
{
    if (attr_scan(stream, ATTR_FLAG_STRICT,
		  ATTR_TYPE_INT, ATTR_STATUS, &reply->status,
		  ATTR_TYPE_STR, ATTR_DSN_STATUS, reply->dsn_status,
		  ATTR_TYPE_STR, ATTR_REASON, reply->reason,
		  ATTR_TYPE_STR, DELIVER_ATTR_MTA, reply->remote_mta,
		  ATTR_TYPE_STR, DELIVER_ATTR_DIAG, reply->diagnostic,
		  ATTR_TYPE_STR, DELIVER_ATTR_ACTION, reply->action,
		  ATTR_TYPE_END) < 0)
	return (-1);
    if (reply->status != DELIVER_STAT_SENT
	&& reply->status != DELIVER_STAT_DEFER
	&& reply->status != DELIVER_STAT_BOUNCE)
	return (-1);
    return (0);
}
