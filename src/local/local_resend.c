/*++
/* NAME
/*	local_resend 3
/* SUMMARY
/*	send a copy of the message on through cleanup
/* SYNOPSIS
/*	#include "local.h"
/*
/*	void	local_resend(exp, sender, recipients, result)
/* DESCRIPTION
/*	local_resend() gives cleanup (cleanup_clnt(3), private/cleanup)
/*	one new message: envelope sender, the recipients, and as content
/*	"Delivered-To: RECIPIENT" (the recipient of the request, so that
/*	the copy is recognised if it ever comes back to it: see
/*	local_loop_check()) followed by the content of the queue file as
/*	it is. cleanup adds its Received: header, so hopcount_limit also
/*	ends a loop through other hosts.
/*
/*	Results: sent, "forwarded as QUEUEID" (2.0.0), once cleanup says
/*	that the new file is safely on disk; cleanup's refusals of the
/*	message itself bounce (5.4.6 too many hops, 5.3.4 too big);
/*	anything else defers (4.3.0) with the reason.
/* DIAGNOSTICS
/*	Result only.
/*--*/
#include <string.h>

#include <argv.h>
#include <vstream.h>
#include <vstring.h>

#include <cleanup_clnt.h>
#include <deliver_request.h>
#include <qfile.h>
#include <rec.h>

#include "local.h"

void    local_resend(struct local_exp *exp, const char *sender,
		             struct argv *rcpts, struct local_result *res)
{
    struct local_state *state = exp->state;
    struct vstring *why = vstring_alloc(100);
    struct vstring *qid = vstring_alloc(40);
    struct vstring *chunk = vstring_alloc(8192);
    struct cleanup_clnt *c;
    struct vstream *stream;
    struct vstream *in = 0;
    off_t   left = state->info->content_size;
    ssize_t n;
    size_t  i;
    int     err = 0;
    int     status;

    local_restore();				/* cleanup's socket is not the user's */
    if ((c = cleanup_clnt_open(why)) == 0) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "cannot forward: %s", vstring_str(why));
	goto out;
    }
    if ((status = cleanup_clnt_begin(c, CLEANUP_FLAG_NONE, qid, why)) != 0) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "cannot forward: %s", vstring_str(why));
	goto out;
    }
    stream = cleanup_clnt_stream(c);
    err |= rec_fputs(stream, REC_TYPE_FROM, sender);
    for (i = 0; i < rcpts->argc; i++)
	err |= rec_fputs(stream, REC_TYPE_RCPT, rcpts->argv[i]);
    err |= rec_put(stream, REC_TYPE_MESG, "", 0);
    err |= rec_fprintf(stream, REC_TYPE_CONT, "Delivered-To: %s\n",
		       vstring_str(exp->req->recipient));
    if ((in = qfile_content_open(state->qfd, state->info)) == 0) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "cannot forward: seek queue file %s", state->queue_id);
	goto out;
    }
    while (err == 0 && left > 0) {
	if ((n = qfile_content_read(in, chunk, &left)) <= 0) {
	    local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			     "cannot forward: error reading queue file %s",
			     state->queue_id);
	    goto out;
	}
	err |= rec_put(stream, REC_TYPE_CONT, vstring_str(chunk), (size_t) n);
    }
    err |= rec_put(stream, REC_TYPE_XTRA, "", 0);
    err |= rec_put(stream, REC_TYPE_END, "", 0);
    status = cleanup_clnt_finish(c, why);
    if (status == CLEANUP_STAT_OK && err == 0)
	local_result_set(res, DELIVER_STAT_SENT, "2.0.0",
			 "forwarded as %s", vstring_str(qid));
    else if (status & CLEANUP_STAT_HOPS)
	local_result_set(res, DELIVER_STAT_BOUNCE, "5.4.6",
			 "cannot forward: too many hops");
    else if (status & CLEANUP_STAT_SIZE)
	local_result_set(res, DELIVER_STAT_BOUNCE, "5.3.4",
			 "cannot forward: message too big");
    else
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "cannot forward: %s", vstring_len(why) ?
			 vstring_str(why) : "cleanup service error");

out:
    if (in)
	(void) vstream_close(&in);
    cleanup_clnt_close(&c);
    vstring_free(&why);
    vstring_free(&qid);
    vstring_free(&chunk);
}
