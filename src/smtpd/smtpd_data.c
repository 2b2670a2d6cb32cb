/*++
/* NAME
/*	smtpd_data 3
/* SUMMARY
/*	the DATA reader: a stack of small filters
/* SYNOPSIS
/*	#include "smtpd.h"
/*
/*	void	smtpd_data_init(data, stream, limit)
/*	struct smtpd_data *data;
/*	struct vstream *stream;
/*	long	limit;
/*
/*	ssize_t	smtpd_dot_feed(dot, buf, len)
/*	struct smtpd_dot *dot;
/*	const char *buf;
/*	size_t	len;
/*
/*	int	smtpd_filter_finish(filter)
/*	struct smtpd_filter *filter;
/*
/*	void	smtpd_data_free(data)
/*	struct smtpd_data *data;
/* DESCRIPTION
/*	The message content from the client goes through these filters,
/*	each of which can be tested alone:
/* .IP "smtpd_dot (end of data and dot-unstuffing)"
/*	Lines end only at CR LF. A line that is exactly "." ends the data
/*	(so the end is the sequence CR LF "." CR LF, where the first CR LF
/*	may be the end of the DATA command). A line that begins with "."
/*	loses that dot (RFC 5321 section 4.5.2). A bare LF or bare CR is
/*	not a line end, so LF "." LF, CR "." CR, CR LF "." LF and the
/*	like never end the data: they are content and go to the next
/*	filter, which sees the bare newline. smtpd_dot_feed() takes raw
/*	bytes and returns how many it consumed; it stops right after the
/*	final LF (dot->done is then set) so that pipelined commands after
/*	the data stay unread.
/* .IP "smtpd_bare (bare CR and bare LF detection)"
/*	Passes everything on and notes in found an LF not preceded by
/*	CR (SMTPD_BARE_LF) and a CR not followed by LF (SMTPD_BARE_CR).
/* .IP "smtpd_crlf (CR LF to LF)"
/*	Replaces each CR LF with LF; other bytes, bare CR included, pass
/*	unchanged. A CR at the end of one chunk is held until the next.
/* .IP "smtpd_limit (size limit)"
/*	Counts what passes (the content as stored: LF line ends, dots
/*	removed); once the count exceeds limit (0 = no limit) it sets
/*	exceeded and passes nothing more.
/* .IP "smtpd_recsink (cleanup records)"
/*	Writes the content as REC_TYPE_CONT records of whole lines,
/*	batched up to SMTPD_REC_BATCH bytes and ended at a newline (a
/*	line ends in LF; longer lines are split every max bytes).
/*	After a write error it sets error and discards the rest. With
/*	a null stream it only discards.
/* .PP
/*	smtpd_data_init() builds the stack dot -> bare -> crlf -> limit ->
/*	sink for stream (the cleanup stream, or null to discard) and
/*	limit. smtpd_filter_put() passes bytes to a filter and
/*	smtpd_filter_finish() tells a filter (and those after it) that the
/*	data ended, so held bytes are written out.
/* DIAGNOSTICS
/*	Filters return 0, or -1 after a sink write error.
/*--*/

/* System library. */

#include <string.h>

/* Utility library. */

#include <vstring.h>
#include <vstream.h>

/* Global library. */

#include <rec.h>

/* Application-specific. */

#include "smtpd.h"

/* smtpd_filter_put - pass bytes on */

int     smtpd_filter_put(struct smtpd_filter *f, const char *buf, size_t len)
{
    if (f == 0 || len == 0)
	return (0);
    return (f->put(f, buf, len));
}

/* smtpd_filter_finish - end of data */

int     smtpd_filter_finish(struct smtpd_filter *f)
{
    if (f == 0)
	return (0);
    if (f->finish)
	return (f->finish(f));
    return (smtpd_filter_finish(f->next));
}

 /*
  * End of data and dot-unstuffing.
  */
#define DOT_BOL		0		/* at the beginning of a line */
#define DOT_BOL_DOT	1		/* "." at BOL, held */
#define DOT_BOL_DOT_CR	2		/* ".\r" at BOL, "\r" held */
#define DOT_MID		3		/* inside a line */
#define DOT_MID_CR	4		/* CR was the last byte */

ssize_t smtpd_dot_feed(struct smtpd_dot *dot, const char *buf, size_t len)
{
    struct smtpd_filter *next = dot->filter.next;
    size_t  i;
    size_t  run = 0;			/* start of bytes to pass on */
    int     ch;
    int     rc = 0;

#define FLUSH_RUN(upto) do { \
	if ((upto) > run && smtpd_filter_put(next, buf + run, (upto) - run) < 0) \
	    rc = -1; \
	run = (upto); \
    } while (0)

    for (i = 0; i < len && !dot->done; i++) {
	ch = (unsigned char) buf[i];
	switch (dot->state) {
	case DOT_BOL:
	    if (ch == '.') {
		FLUSH_RUN(i);
		run = i + 1;			/* hold the dot */
		dot->state = DOT_BOL_DOT;
	    } else {
		dot->state = (ch == '\r' ? DOT_MID_CR : DOT_MID);
	    }
	    break;
	case DOT_BOL_DOT:
	    if (ch == '\r') {
		run = i + 1;			/* hold the CR */
		dot->state = DOT_BOL_DOT_CR;
	    } else {
		/* The dot is dropped; this byte is ordinary content. */
		run = i;
		dot->state = (ch == '\r' ? DOT_MID_CR : DOT_MID);
	    }
	    break;
	case DOT_BOL_DOT_CR:
	    if (ch == '\n') {
		dot->done = 1;
		run = i + 1;
		break;
	    }
	    /* ".\r" then something else: drop the dot, keep the CR. */
	    if (smtpd_filter_put(next, "\r", 1) < 0)
		rc = -1;
	    run = i;
	    if (ch == '\r')
		dot->state = DOT_MID_CR;
	    else
		dot->state = DOT_MID;
	    break;
	case DOT_MID:
	    if (ch != '\r') {
		/* Fast path: nothing matters until the next CR. */
		const char *cr = memchr(buf + i, '\r', len - i);

		if (cr == 0) {
		    i = len - 1;
		    break;
		}
		i = (size_t) (cr - buf);
	    }
	    dot->state = DOT_MID_CR;
	    break;
	case DOT_MID_CR:
	    if (ch == '\n')
		dot->state = DOT_BOL;
	    else if (ch != '\r')
		dot->state = DOT_MID;
	    break;
	}
    }
    if (!dot->done)
	FLUSH_RUN(i);
    return (rc < 0 ? -1 : (ssize_t) i);
}

static int smtpd_dot_put(struct smtpd_filter *f, const char *buf, size_t len)
{
    return (smtpd_dot_feed((struct smtpd_dot *) f, buf, len) < 0 ? -1 : 0);
}

void    smtpd_dot_init(struct smtpd_dot *dot, struct smtpd_filter *next)
{
    dot->filter.put = smtpd_dot_put;
    dot->filter.finish = 0;
    dot->filter.next = next;
    dot->state = DOT_BOL;
    dot->done = 0;
}

 /*
  * Bare CR / bare LF detection.
  */
static int smtpd_bare_put(struct smtpd_filter *f, const char *buf, size_t len)
{
    struct smtpd_bare *bare = (struct smtpd_bare *) f;
    size_t  i;

    const char *lf;
    const char *cr;

    i = 0;
    while (i < len) {
	if (bare->last_cr) {
	    /* After a CR only LF is right. */
	    if (buf[i] != '\n')
		bare->found |= SMTPD_BARE_CR;
	    bare->last_cr = (buf[i] == '\r');
	    i++;
	    continue;
	}
	/* Fast path: only the next CR or LF matters. */
	lf = memchr(buf + i, '\n', len - i);
	cr = memchr(buf + i, '\r', (lf ? (size_t) (lf - buf) : len) - i);
	if (cr != 0) {
	    bare->last_cr = 1;
	    i = (size_t) (cr - buf) + 1;
	} else if (lf != 0) {
	    bare->found |= SMTPD_BARE_LF;
	    i = (size_t) (lf - buf) + 1;
	} else {
	    break;
	}
    }
    return (smtpd_filter_put(f->next, buf, len));
}

static int smtpd_bare_finish(struct smtpd_filter *f)
{
    struct smtpd_bare *bare = (struct smtpd_bare *) f;

    if (bare->last_cr)
	bare->found |= SMTPD_BARE_CR;
    bare->last_cr = 0;
    return (smtpd_filter_finish(f->next));
}

void    smtpd_bare_init(struct smtpd_bare *bare, struct smtpd_filter *next)
{
    bare->filter.put = smtpd_bare_put;
    bare->filter.finish = smtpd_bare_finish;
    bare->filter.next = next;
    bare->last_cr = 0;
    bare->found = 0;
}

 /*
  * CRLF to LF.
  */
static int smtpd_crlf_put(struct smtpd_filter *f, const char *buf, size_t len)
{
    struct smtpd_crlf *crlf = (struct smtpd_crlf *) f;
    size_t  i;
    size_t  run = 0;
    int     rc = 0;

    if (crlf->held_cr) {
	crlf->held_cr = 0;
	if (buf[0] != '\n' && smtpd_filter_put(f->next, "\r", 1) < 0)
	    rc = -1;
    }
    for (i = 0; i < len; i++) {
	if (buf[i] != '\r') {
	    const char *cr = memchr(buf + i, '\r', len - i);

	    if (cr == 0)
		break;
	    i = (size_t) (cr - buf);
	}
	if (i + 1 == len) {
	    /* Hold a CR at the end until we see what follows. */
	    if (smtpd_filter_put(f->next, buf + run, i - run) < 0)
		rc = -1;
	    crlf->held_cr = 1;
	    return (rc);
	}
	if (buf[i + 1] == '\n') {
	    if (smtpd_filter_put(f->next, buf + run, i - run) < 0)
		rc = -1;
	    run = i + 1;
	}
    }
    if (smtpd_filter_put(f->next, buf + run, len - run) < 0)
	rc = -1;
    return (rc);
}

static int smtpd_crlf_finish(struct smtpd_filter *f)
{
    struct smtpd_crlf *crlf = (struct smtpd_crlf *) f;
    int     rc = 0;

    if (crlf->held_cr) {
	crlf->held_cr = 0;
	rc = smtpd_filter_put(f->next, "\r", 1);
    }
    if (smtpd_filter_finish(f->next) < 0)
	rc = -1;
    return (rc);
}

void    smtpd_crlf_init(struct smtpd_crlf *crlf, struct smtpd_filter *next)
{
    crlf->filter.put = smtpd_crlf_put;
    crlf->filter.finish = smtpd_crlf_finish;
    crlf->filter.next = next;
    crlf->held_cr = 0;
}

 /*
  * Size limit.
  */
static int smtpd_limit_put(struct smtpd_filter *f, const char *buf, size_t len)
{
    struct smtpd_limit *lim = (struct smtpd_limit *) f;

    if (lim->exceeded)
	return (0);
    if (lim->limit > 0 && (size_t) (lim->limit - lim->count) < len) {
	lim->exceeded = 1;
	lim->count = lim->limit + 1;
	return (0);
    }
    lim->count += (long) len;
    return (smtpd_filter_put(f->next, buf, len));
}

void    smtpd_limit_init(struct smtpd_limit *lim, long limit,
			         struct smtpd_filter *next)
{
    lim->filter.put = smtpd_limit_put;
    lim->filter.finish = 0;
    lim->filter.next = next;
    lim->limit = limit;
    lim->count = 0;
    lim->exceeded = 0;
}

 /*
  * Record sink.
  */
static void smtpd_recsink_flush(struct smtpd_recsink *sink)
{
    if (vstring_len(sink->line) == 0)
	return;
    if (sink->stream != 0 && !sink->error
	&& rec_put(sink->stream, REC_TYPE_CONT, vstring_str(sink->line),
		   vstring_len(sink->line)) < 0)
	sink->error = 1;
    vstring_reset(sink->line);
}

static int smtpd_recsink_put(struct smtpd_filter *f, const char *buf,
			             size_t len)
{
    struct smtpd_recsink *sink = (struct smtpd_recsink *) f;
    const char *nl;
    size_t  n;
    size_t  room;

    if (sink->stream == 0 || sink->error)
	return (sink->error ? -1 : 0);
    while (len > 0) {
	nl = memchr(buf, '\n', len);
	n = nl ? (size_t) (nl - buf) + 1 : len;
	/* A piece that does not fit after whole lines starts a new record. */
	if (vstring_len(sink->line) > 0 && vstring_end(sink->line)[-1] == '\n'
	    && vstring_len(sink->line) + n > sink->max)
	    smtpd_recsink_flush(sink);
	room = sink->max - vstring_len(sink->line);
	if (n > room)
	    n = room;
	vstring_append(sink->line, buf, n);
	buf += n;
	len -= n;
	/* Whole lines, batched: fewer, larger records for cleanup. */
	if (vstring_len(sink->line) >= sink->max
	    || (vstring_end(sink->line)[-1] == '\n'
		&& vstring_len(sink->line) >= SMTPD_REC_BATCH))
	    smtpd_recsink_flush(sink);
    }
    return (sink->error ? -1 : 0);
}

static int smtpd_recsink_finish(struct smtpd_filter *f)
{
    struct smtpd_recsink *sink = (struct smtpd_recsink *) f;

    smtpd_recsink_flush(sink);
    return (sink->error ? -1 : 0);
}

void    smtpd_recsink_init(struct smtpd_recsink *sink, struct vstream *stream,
			           size_t max)
{
    sink->filter.put = smtpd_recsink_put;
    sink->filter.finish = smtpd_recsink_finish;
    sink->filter.next = 0;
    sink->stream = stream;
    sink->line = vstring_alloc(256);
    sink->max = (max > 0 && max <= REC_CONT_MAX) ? max : REC_CONT_MAX;
    sink->error = 0;
}

void    smtpd_recsink_free(struct smtpd_recsink *sink)
{
    vstring_free(&sink->line);
}

 /*
  * The stack.
  */
void    smtpd_data_init(struct smtpd_data *data, struct vstream *stream,
			        long limit)
{
    smtpd_recsink_init(&data->sink, stream, REC_CONT_MAX);
    smtpd_limit_init(&data->limit, limit, &data->sink.filter);
    smtpd_crlf_init(&data->crlf, &data->limit.filter);
    smtpd_bare_init(&data->bare, &data->crlf.filter);
    smtpd_dot_init(&data->dot, &data->bare.filter);
}

void    smtpd_data_free(struct smtpd_data *data)
{
    smtpd_recsink_free(&data->sink);
}
