/*++
/* NAME
/*	cleanup_out 3
/* SUMMARY
/*	cleanup daemon: queue file output
/* SYNOPSIS
/*	#include "cleanup.h"
/*
/*	int	cleanup_out_open(state)
/*	void	cleanup_out_rec(state, type, data, len)
/*	void	cleanup_out_string(state, type, str)
/*	void	cleanup_out_content(state, data, len)
/*	void	cleanup_out_flush_content(state, all)
/*	int	cleanup_out_finish(state)
/*	void	cleanup_out_discard(state)
/* DESCRIPTION
/*	cleanup_out_open() creates the queue file in incoming/ (mode 0600,
/*	named by its queue ID) and writes the V and T records; -1 when
/*	the file cannot be made (status CLEANUP_STAT_WRITE).
/*
/*	cleanup_out_rec() and cleanup_out_string() write one record.
/*	Nothing is written once the message has failed (any status bit
/*	set): the file will be removed. A write error sets
/*	CLEANUP_STAT_WRITE and is logged once.
/*
/*	cleanup_out_content() is the header processor's output call-back:
/*	it collects content and writes it as C records of whole lines
/*	where it can (a line longer than REC_CONT_MAX spans records).
/*	cleanup_out_flush_content() writes what is collected: with all,
/*	everything; otherwise up to the last complete line.
/*
/*	cleanup_out_finish() writes X, Z and E, flushes, and commits the
/*	file (ready bit, fsync of file and folder); it returns the final
/*	status. cleanup_out_discard() closes and removes the file.
/* DIAGNOSTICS
/*	Warnings with the queue ID for write, commit and remove errors.
/*--*/
#include <sys/time.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <vstream.h>
#include <vstring.h>

#include <cleanup_clnt.h>
#include <mail_params.h>
#include <qfile.h>
#include <rec.h>

#include "cleanup.h"

#define STR(x)	vstring_str(x)
#define LEN(x)	vstring_len(x)

#define CLEANUP_OUT_CHUNK	(32 * 1024)	/* collect this much content */

/* cleanup_out_error - note a write error once */

static void cleanup_out_error(struct cleanup_state *state, const char *what)
{
    if ((state->status & CLEANUP_STAT_WRITE) == 0)
	msg_warn("%s: queue file write error: %s: %m",
		 STR(state->queue_id), what);
    state->status |= CLEANUP_STAT_WRITE;
    vstring_strcpy(state->reason, "queue file write error");
}

 /*
  * The next queue file, made ready while no client waits (after a message,
  * and at start): taking and checking a recycled file is then not in the
  * time between a client's RCPT and DATA.
  */
static struct qfile_prep cleanup_prep = {.fd = -1};

/* cleanup_out_prepare - have the next queue file ready */

void    cleanup_out_prepare(void)
{
    struct vstring *why;

    if (cleanup_prep.fd >= 0)
	return;
    why = vstring_alloc(100);
    if (qfile_prepare(QFILE_INCOMING, var_qfile_recycle > 0 ? QFILE_RECYCLE :
		      QFILE_INCOMING, &cleanup_prep, why) < 0)
	msg_warn("cannot prepare a queue file in %s: %s", QFILE_INCOMING,
		 vstring_str(why));
    vstring_free(&why);
}

/* cleanup_out_unprepare - before exit: give the prepared file back */

void    cleanup_out_unprepare(void)
{
    qfile_unprepare(&cleanup_prep);
}

/* cleanup_out_sync_name - make the new file's name durable early */

void    cleanup_out_sync_name(struct cleanup_state *state)
{
    state->name_synced = (qfile_sync_name(QFILE_INCOMING, STR(state->queue_id),
					   state->why) == 0);
}

/* cleanup_out_open - create the queue file, write V and T */

int     cleanup_out_open(struct cleanup_state *state)
{
    /* The prepared file, or (none, or it was removed meanwhile) a new one. */
    if ((cleanup_prep.fd < 0
	 || qfile_name(&cleanup_prep, QFILE_INCOMING, state->queue_id,
		       &state->fd, state->why) < 0)
	&& qfile_create(QFILE_INCOMING, state->queue_id, &state->fd,
			state->why) < 0) {
	msg_warn("cannot create a queue file in %s: %s",
		 QFILE_INCOMING, STR(state->why));
	state->status |= CLEANUP_STAT_WRITE;
	vstring_strcpy(state->reason, "queue file write error");
	state->fd = -1;
	return (-1);
    }
    state->dst = vstream_fdopen(state->fd, VSTREAM_FLAG_CLOSE);
    gettimeofday(&state->arrival, 0);
    cleanup_out_string(state, REC_TYPE_MAGIC, REC_MAGIC_TEXT);
    vstring_sprintf(state->temp, "%ld.%06ld", (long) state->arrival.tv_sec,
		    (long) state->arrival.tv_usec);
    cleanup_out_string(state, REC_TYPE_TIME, STR(state->temp));
    return (0);
}

/* cleanup_out_rec - write one record unless the message has failed */

void    cleanup_out_rec(struct cleanup_state *state, int type,
			        const char *data, size_t len)
{
    if (state->status != CLEANUP_STAT_OK || state->dst == 0)
	return;
    if (rec_put(state->dst, type, data, len) < 0)
	cleanup_out_error(state, "write");
}

/* cleanup_out_string - write a string record */

void    cleanup_out_string(struct cleanup_state *state, int type,
			           const char *str)
{
    cleanup_out_rec(state, type, str, strlen(str));
}

/* cleanup_out_flush_content - write collected content as C records */

void    cleanup_out_flush_content(struct cleanup_state *state, int all)
{
    const char *data = STR(state->out);
    size_t  len = LEN(state->out);
    size_t  todo = len;
    size_t  done = 0;
    size_t  n;
    const char *nl;

    if (!all) {
	nl = memrchr(data, '\n', len);
	if (nl)
	    todo = (size_t) (nl - data) + 1;
	else if (len < REC_CONT_MAX)
	    return;
	else
	    todo = REC_CONT_MAX;
    }
    while (done < todo) {
	n = todo - done;
	if (n > REC_CONT_MAX)
	    n = REC_CONT_MAX;
	cleanup_out_rec(state, REC_TYPE_CONT, data + done, n);
	done += n;
    }
    if (done < len)
	memmove(state->out->data, data + done, len - done);
    vstring_truncate(state->out, len - done);
}

/* cleanup_out_content - header processor output */

void    cleanup_out_content(void *context, const char *data, size_t len)
{
    struct cleanup_state *state = context;

    if (state->status != CLEANUP_STAT_OK)
	return;
    vstring_append(state->out, data, len);
    if (LEN(state->out) >= CLEANUP_OUT_CHUNK)
	cleanup_out_flush_content(state, 0);
}

/* cleanup_out_finish - trailer, flush, commit */

int     cleanup_out_finish(struct cleanup_state *state)
{
    struct cleanup_header *h = state->hdr;

    cleanup_out_flush_content(state, 1);
    cleanup_out_rec(state, REC_TYPE_XTRA, "", 0);
    vstring_sprintf(state->temp, "%lld %lld %ld",
		    (long long) h->content_size, (long long) h->header_size,
		    state->rcpt_count);
    cleanup_out_string(state, REC_TYPE_SIZE, STR(state->temp));
    cleanup_out_rec(state, REC_TYPE_END, "", 0);
    if (state->status != CLEANUP_STAT_OK)
	return (state->status);
    if (vstream_flush(state->dst) < 0) {
	cleanup_out_error(state, "flush");
	return (state->status);
    }
    if ((state->name_synced ?
	 qfile_commit_data(state->fd, STR(state->queue_id), state->why) :
	 qfile_commit(state->fd, QFILE_INCOMING, STR(state->queue_id),
		      state->why)) < 0) {
	msg_warn("%s: cannot commit the queue file: %s",
		 STR(state->queue_id), STR(state->why));
	state->status |= CLEANUP_STAT_WRITE;
	vstring_strcpy(state->reason, "queue file write error");
	return (state->status);
    }
    if (vstream_close(&state->dst) < 0) {
	cleanup_out_error(state, "close");
	return (state->status);
    }
    state->fd = -1;
    return (CLEANUP_STAT_OK);
}

/* cleanup_out_discard - close and remove the queue file */

void    cleanup_out_discard(struct cleanup_state *state)
{
    if (state->dst) {
	(void) vstream_close(&state->dst);
	state->fd = -1;
	if (qfile_remove(QFILE_INCOMING, STR(state->queue_id),
			 state->why) < 0)
	    msg_warn("%s: cannot remove the queue file: %s",
		     STR(state->queue_id), STR(state->why));
    }
}
