/*++
/* NAME
/*	cleanup_clnt 3
/* SUMMARY
/*	client side of the cleanup service
/* SYNOPSIS
/*	#include <cleanup_clnt.h>
/*
/*	struct cleanup_clnt *cleanup_clnt_open(why)
/*	int	cleanup_clnt_begin(c, flags, queue_id, why)
/*
/*	struct cleanup_clnt *cleanup_clnt_connect(why)
/*	int	cleanup_clnt_begin_send(c, flags, why)
/*	int	cleanup_clnt_begin_wait(c, queue_id, why)
/*
/*	struct vstream *cleanup_clnt_stream(c)
/*	int	cleanup_clnt_finish(c, reason)
/*	void	cleanup_clnt_close(&c)
/*	const char *cleanup_stat_reply(status)
/* DESCRIPTION
/*	The protocol is described in cleanup_clnt.h. This module hides it
/*	from callers (smtpd, pickup, bounce).
/*
/*	cleanup_clnt_open() connects to private/cleanup (relative to the
/*	working directory, queue_directory), sets the stream's deadline to
/*	ipc_timeout and checks cleanup's protocol announcement; NULL with
/*	a reason in why on failure.
/*
/*	cleanup_clnt_begin() asks for a new queue file. It returns 0 with
/*	the queue ID in queue_id, or a CLEANUP_STAT_* mask with the reason
/*	in why (CLEANUP_STAT_PROXY when cleanup could not be reached or
/*	answered nonsense).
/*
/*	cleanup_clnt_connect(), cleanup_clnt_begin_send() and
/*	cleanup_clnt_begin_wait() are the same steps split so that a
/*	client can start a message early and read the answer later:
/*	connect without reading the announcement, send the request, and
/*	later check the announcement (once per connection) and read the
/*	answer with the results of cleanup_clnt_begin().
/*
/*	cleanup_clnt_stream() is the stream to write the records to with
/*	rec_put() (A* S (O? R)+ M C* X E).
/*
/*	cleanup_clnt_finish() flushes the records and reads cleanup's
/*	answer: 0 when the message is safely queued (only then may the
/*	client say 250), otherwise a CLEANUP_STAT_* mask; reason gets
/*	cleanup's text (or why the answer could not be read, with
/*	CLEANUP_STAT_PROXY). After a CLEANUP_STAT_BAD or
/*	CLEANUP_STAT_PROXY the connection is unusable: close it.
/*
/*	cleanup_clnt_close() closes the connection and clears the
/*	pointer; an unfinished message is discarded by cleanup.
/*
/*	cleanup_stat_reply() maps a status to the SMTP reply text for the
/*	client; with several bits set, the first of PROXY, BAD, WRITE,
/*	SIZE, HOPS, RCPT wins.
/* DIAGNOSTICS
/*	Return values and why; no logging.
/*--*/
#include <errno.h>
#include <string.h>

#include <mymalloc.h>
#include <sock.h>
#include <vstream.h>
#include <vstring.h>

#include <attr.h>
#include <cleanup_clnt.h>
#include <mail_params.h>

struct cleanup_clnt {
    struct vstream *stream;
    int     announced;			/* the server's announcement read */
};

/* cleanup_clnt_open - connect and check the protocol */

struct cleanup_clnt *cleanup_clnt_connect(struct vstring *why)
{
    struct cleanup_clnt *c;
    struct vstream *stream;
    int     fd;

    if ((fd = unix_connect(CLEANUP_SERVICE, 0, why)) < 0)
	return (0);
    stream = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(stream, (int) var_ipc_timeout);
    c = mymalloc(sizeof(*c));
    c->stream = stream;
    c->announced = 0;
    return (c);
}

/* cleanup_clnt_announced - check the announcement once */

static int cleanup_clnt_announced(struct cleanup_clnt *c, struct vstring *why)
{
    if (c->announced)
	return (0);
    if (attr_expect_protocol(c->stream, CLEANUP_PROTOCOL, CLEANUP_VERSION,
			     why) < 0)
	return (-1);
    c->announced = 1;
    return (0);
}

struct cleanup_clnt *cleanup_clnt_open(struct vstring *why)
{
    struct cleanup_clnt *c;

    if ((c = cleanup_clnt_connect(why)) == 0)
	return (0);
    if (cleanup_clnt_announced(c, why) < 0) {
	cleanup_clnt_close(&c);
	return (0);
    }
    return (c);
}

int     cleanup_clnt_begin_send(struct cleanup_clnt *c, int flags,
				        struct vstring *why)
{
    if (attr_print(c->stream, ATTR_FLAG_NONE,
		   ATTR_TYPE_STR, ATTR_REQUEST, "message",
		   ATTR_TYPE_INT, ATTR_FLAGS, (long) flags,
		   ATTR_TYPE_END) < 0) {
	vstring_sprintf(why, "cleanup service: write error: %s",
			vstream_status_str(vstream_status(c->stream)));
	return (CLEANUP_STAT_PROXY);
    }
    return (CLEANUP_STAT_OK);
}

int     cleanup_clnt_begin_wait(struct cleanup_clnt *c,
				        struct vstring *queue_id,
				        struct vstring *why)
{
    long    status = -1;
    struct vstring *reason;

    vstring_reset(queue_id);
    if (cleanup_clnt_announced(c, why) < 0)
	return (CLEANUP_STAT_PROXY);
    reason = vstring_alloc(100);
    if (attr_scan(c->stream, ATTR_FLAG_NONE,
		  ATTR_TYPE_INT, ATTR_STATUS, &status,
		  ATTR_TYPE_STR, ATTR_REASON, reason,
		  ATTR_TYPE_STR, ATTR_QUEUE_ID, queue_id,
		  ATTR_TYPE_END) < 0) {
	vstring_sprintf(why, "cleanup service: %s", attr_error());
	vstring_free(&reason);
	return (CLEANUP_STAT_PROXY);
    }
    if (status < 0) {
	vstring_strcpy(why, "cleanup service: reply without a status");
	vstring_free(&reason);
	return (CLEANUP_STAT_PROXY);
    }
    if (status != CLEANUP_STAT_OK) {
	vstring_sprintf(why, "cleanup service: %s",
			vstring_len(reason) ? vstring_str(reason) :
			"cannot create a queue file");
	vstring_free(&reason);
	return ((int) status);
    }
    vstring_free(&reason);
    if (vstring_len(queue_id) == 0) {
	vstring_strcpy(why, "cleanup service: reply without a queue ID");
	return (CLEANUP_STAT_PROXY);
    }
    return (CLEANUP_STAT_OK);
}

int     cleanup_clnt_begin(struct cleanup_clnt *c, int flags,
			           struct vstring *queue_id,
			           struct vstring *why)
{
    int     status;

    vstring_reset(queue_id);
    if ((status = cleanup_clnt_begin_send(c, flags, why)) != CLEANUP_STAT_OK)
	return (status);
    return (cleanup_clnt_begin_wait(c, queue_id, why));
}

struct vstream *cleanup_clnt_stream(struct cleanup_clnt *c)
{
    return (c->stream);
}

/* cleanup_clnt_finish - flush the records, read the final status */

int     cleanup_clnt_finish(struct cleanup_clnt *c, struct vstring *reason)
{
    long    status = -1;
    struct vstring *queue_id = vstring_alloc(40);

    int     write_status = VSTREAM_OK;

    /*
     * When cleanup refuses a record it answers and closes at once, so a
     * failed write may still leave its answer to read: try.
     */
    vstring_reset(reason);
    if (vstream_flush(c->stream) < 0)
	write_status = vstream_status(c->stream);
    if (attr_scan(c->stream, ATTR_FLAG_NONE,
		  ATTR_TYPE_INT, ATTR_STATUS, &status,
		  ATTR_TYPE_STR, ATTR_REASON, reason,
		  ATTR_TYPE_STR, ATTR_QUEUE_ID, queue_id,
		  ATTR_TYPE_END) < 0 || status < 0) {
	if (write_status != VSTREAM_OK)
	    vstring_sprintf(reason, "cleanup service: write error: %s",
			    vstream_status_str(write_status));
	else
	    vstring_sprintf(reason, "cleanup service: %s", status < 0 ?
			    "reply without a status" : attr_error());
	vstring_free(&queue_id);
	return (CLEANUP_STAT_PROXY);
    }
    if (write_status != VSTREAM_OK && status == CLEANUP_STAT_OK) {
	vstring_free(&queue_id);
	return (CLEANUP_STAT_PROXY);
    }
    vstring_free(&queue_id);
    return ((int) status);
}

/* cleanup_clnt_close - close, discarding an unfinished message */

void    cleanup_clnt_close(struct cleanup_clnt **cp)
{
    struct cleanup_clnt *c = *cp;

    if (c == 0)
	return;
    vstream_discard_input(c->stream);
    (void) vstream_close(&c->stream);
    myfree(c);
    *cp = 0;
}

/* cleanup_stat_reply - SMTP reply text for a status */

const char *cleanup_stat_reply(int status)
{
    if (status == CLEANUP_STAT_OK)
	return ("250 2.0.0 Ok");
    if (status & (CLEANUP_STAT_PROXY | CLEANUP_STAT_BAD))
	return ("451 4.3.0 Error: internal error");
    if (status & CLEANUP_STAT_WRITE)
	return ("451 4.3.0 Error: queue file write error");
    if (status & CLEANUP_STAT_SIZE)
	return ("552 5.3.4 Error: message file too big");
    if (status & CLEANUP_STAT_HOPS)
	return ("554 5.4.6 Error: too many hops");
    if (status & CLEANUP_STAT_RCPT)
	return ("554 5.5.1 Error: no valid recipients");
    return ("451 4.3.0 Error: internal error");
}
