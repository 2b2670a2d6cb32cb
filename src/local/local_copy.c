/*++
/* NAME
/*	local_copy 3
/* SUMMARY
/*	write the delivered message
/* SYNOPSIS
/*	#include "local.h"
/*
/*	int	local_copy(state, out, mbox, why)
/* DESCRIPTION
/*	local_copy() writes "Return-Path: <sender>" and "Delivered-To:
/*	recipient", then the message content from the queue file exactly
/*	as stored. With mbox non-zero, the content is quoted the mboxrd
/*	way: a line that begins with "From ", ">From ", ">>From ", ... is
/*	given one more ">" in front (so that a reader can remove exactly
/*	one and get the original back), and the message is made to end
/*	with a newline. The output is flushed. Returns 0, or -1 with a reason.
/* DIAGNOSTICS
/*	Return value and why.
/*--*/
#include <string.h>
#include <unistd.h>

#include <vstream.h>
#include <vstring.h>

#include <qfile.h>

#include "local.h"

/* local_copy_lines - write whole lines of buf, quoting ">*From "; keep rest */

static int local_copy_lines(struct vstream *out, struct vstring *buf, int final)
{
    char   *start = vstring_str(buf);
    char   *end = vstring_end(buf);
    char   *nl;
    char   *p;
    size_t  rest;

    while (start < end) {
	if ((nl = memchr(start, '\n', end - start)) == 0) {
	    if (!final)
		break;
	    nl = end - 1;
	}
	for (p = start; p <= nl && *p == '>'; p++)
	     /* void */ ;
	if (nl + 1 - p >= 5 && memcmp(p, "From ", 5) == 0
	    && vstream_write(out, ">", 1) < 0)
	    return (-1);
	if (vstream_write(out, start, nl + 1 - start) < 0)
	    return (-1);
	start = nl + 1;
    }
    rest = end - start;
    memmove(vstring_str(buf), start, rest);
    vstring_truncate(buf, rest);
    return (0);
}

int     local_copy(struct local_state *state, struct vstream *out, int mbox,
		           struct vstring *why)
{
    struct vstream *in = 0;
    struct vstring *chunk = vstring_alloc(8192);
    struct vstring *carry = vstring_alloc(100);
    off_t   left = state->info->content_size;
    ssize_t n;
    int     last = '\n';
    int     ret = 0;

    if (vstream_printf(out, "Return-Path: <%s>\nDelivered-To: %s\n",
		       state->sender, state->recipient) < 0) {
	vstring_sprintf(why, "write error");
	ret = -1;
    }
    if (ret == 0
	&& (in = qfile_content_open(state->qfd, state->info)) == 0) {
	vstring_sprintf(why, "seek queue file %s", state->queue_id);
	ret = -1;
    }
    while (ret == 0 && left > 0) {
	if ((n = qfile_content_read(in, chunk, &left)) <= 0) {
	    vstring_sprintf(why, "error reading queue file %s", state->queue_id);
	    ret = -1;
	    break;
	}
	last = vstring_str(chunk)[n - 1];
	if (!mbox) {
	    if (vstream_write(out, vstring_str(chunk), (size_t) n) < 0)
		ret = -1;
	} else {
	    vstring_append(carry, vstring_str(chunk), (size_t) n);
	    if (local_copy_lines(out, carry, 0) < 0)
		ret = -1;
	}
	if (ret < 0)
	    vstring_sprintf(why, "write error");
    }
    if (ret == 0 && mbox) {
	if (local_copy_lines(out, carry, 1) < 0
	    || (last != '\n' && vstream_write(out, "\n", 1) < 0))
	    ret = -1;
	if (ret < 0)
	    vstring_sprintf(why, "write error");
    }
    if (ret == 0 && vstream_flush(out) < 0) {
	vstring_sprintf(why, "write error");
	ret = -1;
    }
    if (in)
	(void) vstream_close(&in);
    vstring_free(&chunk);
    vstring_free(&carry);
    return (ret);
}
