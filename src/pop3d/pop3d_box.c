/*++
/* NAME
/*	pop3d_box 3
/* SUMMARY
/*	pop3d mailboxes: the parts common to Maildir and mbox
/* SYNOPSIS
/*	#include "pop3d_box.h"
/*
/*	struct pop3d_box *pop3d_box_open(path, format, lock, context, why)
/*
/*	int	pop3d_box_send(box, index, lines, out, why)
/*
/*	void	pop3d_box_seen(box, index)
/*
/*	int	pop3d_box_update(box, why)
/*
/*	void	pop3d_box_close(boxp)
/*
/*	void	pop3d_box_filter_init(filter, out, unquote, lines)
/*
/*	void	pop3d_box_filter_feed(filter, buf, len)
/*
/*	void	pop3d_box_filter_end(filter)
/*
/*	unsigned long long pop3d_box_hash(hash, buf, len)
/*
/*	char	*pop3d_box_hex(hash, occurrence)
/* DESCRIPTION
/*	pop3d_box_open(), _seen(), _update() and _close() dispatch to
/*	pop3d_maildir(3) or pop3d_mbox(3) by box->format; see
/*	pop3d_box.h for the contract.
/*
/*	pop3d_box_send() runs the message through a filter that writes
/*	to out and ends it with ".\r\n"; the back-end reads the stored
/*	message in bounded chunks and feeds them.
/*
/*	The filter is the one place that turns stored octets into what
/*	a POP3 client receives: a LF not preceded by CR becomes CR LF
/*	(CR LF stays; a bare CR stays), a line that begins with "."
/*	gets another "." (not counted), with unquote non-zero a line
/*	">From ", ">>From ", ... loses one ">", a message that ends
/*	without a newline gets CR LF, and with lines >= 0 only the
/*	header, the empty line and lines body lines pass (a message
/*	without an empty line is all header). filter.count is the
/*	number of octets the client keeps after unstuffing; with out
/*	null the filter only counts, which is how the back-ends compute
/*	sizes, so that a size always equals what RETR sends. The filter
/*	keeps a constant amount of state: input may be fed in pieces of
/*	any size, split anywhere.
/*
/*	pop3d_box_hash() continues a 64-bit FNV-1a hash over buf
/*	(begin with POP3D_BOX_HASH_INIT). pop3d_box_hex() returns it as
/*	16 hex digits in allocated memory, with "-N" appended when
/*	occurrence N is 2 or more.
/* DIAGNOSTICS
/*	Results and reasons in why. filter.error is set after a write
/*	error.
/*--*/
#include <string.h>

#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include "pop3d_box.h"

 /*
  * Start-of-line states.
  */
#define FILTER_BOL	0		/* nothing of this line seen */
#define FILTER_GT	1		/* only ">" so far (unquote) */
#define FILTER_MATCH	2		/* ">" then part of "From " */
#define FILTER_MID	3		/* decided */

static const char filter_from[] = "From ";

/* filter_write - write and count, unless past the TOP limit */

static void filter_write(struct pop3d_box_filter *f, const char *p, size_t n)
{
    if (f->done || n == 0)
	return;
    if (f->out && f->error == 0 && vstream_write(f->out, p, n) < 0)
	f->error = 1;
    f->count += n;
}

/* filter_put - part of a line, without its LF */

static void filter_put(struct pop3d_box_filter *f, const char *p, size_t n)
{
    if (n == 0)
	return;
    filter_write(f, p, n);
    f->linelen += n;
    f->last = (unsigned char) p[n - 1];
}

/* filter_eol - end a line: CR LF, and the TOP accounting */

static void filter_eol(struct pop3d_box_filter *f)
{
    int     empty = (f->linelen == 0 || (f->linelen == 1 && f->last == '\r'));

    if (f->linelen > 0 && f->last == '\r')
	filter_write(f, "\n", 1);
    else
	filter_write(f, "\r\n", 2);
    if (f->lines >= 0 && !f->done) {
	if (f->in_body) {
	    if (++f->body_lines >= f->lines)
		f->done = 1;
	} else if (empty) {
	    f->in_body = 1;
	    if (f->lines == 0)
		f->done = 1;
	}
    }
    f->linelen = 0;
    f->last = 0;
    f->state = FILTER_BOL;
}

/* filter_flush_prefix - a line start that turned out not to be quoting */

static void filter_flush_prefix(struct pop3d_box_filter *f, int unquote)
{
    int     n;

    for (n = f->gt - (unquote ? 1 : 0); n > 0; n--)
	filter_put(f, ">", 1);
    filter_put(f, filter_from, f->match);
    f->gt = 0;
    f->match = 0;
    f->state = FILTER_MID;
}

/* pop3d_box_filter_init - start a message */

void    pop3d_box_filter_init(struct pop3d_box_filter *f, struct vstream *out,
			              int unquote, long lines)
{
    memset(f, 0, sizeof(*f));
    f->out = out;
    f->unquote = unquote;
    f->lines = lines;
    f->state = FILTER_BOL;
}

/* pop3d_box_filter_feed - convert some more octets */

void    pop3d_box_filter_feed(struct pop3d_box_filter *f, const char *p,
			              size_t n)
{
    const char *end = p + n;
    const char *nl;
    int     c;

    while (p < end && !f->done) {
	c = (unsigned char) *p;
	switch (f->state) {
	case FILTER_BOL:
	    if (c == '.') {
		if (f->out && f->error == 0
		    && vstream_write(f->out, ".", 1) < 0)
		    f->error = 1;
		f->state = FILTER_MID;
		continue;
	    }
	    if (c == '>' && f->unquote) {
		f->gt = 1;
		f->state = FILTER_GT;
		p++;
		continue;
	    }
	    f->state = FILTER_MID;
	    continue;
	case FILTER_GT:
	    if (c == '>') {
		f->gt++;
		p++;
	    } else if (c == 'F') {
		f->match = 1;
		f->state = FILTER_MATCH;
		p++;
	    } else {
		filter_flush_prefix(f, 0);
	    }
	    continue;
	case FILTER_MATCH:
	    if (c == filter_from[f->match]) {
		p++;
		if (++f->match == (int) sizeof(filter_from) - 1)
		    filter_flush_prefix(f, 1);
	    } else {
		filter_flush_prefix(f, 0);
	    }
	    continue;
	default:
	    if ((nl = memchr(p, '\n', end - p)) == 0) {
		filter_put(f, p, end - p);
		p = end;
	    } else {
		filter_put(f, p, nl - p);
		filter_eol(f);
		p = nl + 1;
	    }
	    continue;
	}
    }
}

/* pop3d_box_filter_end - the end of the stored message */

void    pop3d_box_filter_end(struct pop3d_box_filter *f)
{
    if (f->state == FILTER_GT || f->state == FILTER_MATCH)
	filter_flush_prefix(f, 0);
    if (f->linelen > 0) {
	if (f->last != '\r')
	    filter_put(f, "\r", 1);
	filter_eol(f);
    }
}

/* pop3d_box_hash - 64-bit FNV-1a */

unsigned long long pop3d_box_hash(unsigned long long h, const void *buf,
				          size_t len)
{
    const unsigned char *p = buf;

    while (len-- > 0) {
	h ^= *p++;
	h *= 0x100000001b3ULL;
    }
    return (h);
}

/* pop3d_box_hex - hash as text, with an occurrence number */

char   *pop3d_box_hex(unsigned long long h, int occurrence)
{
    struct vstring *buf = vstring_alloc(24);

    vstring_sprintf(buf, "%016llx", h);
    if (occurrence >= 2)
	vstring_sprintf_append(buf, "-%d", occurrence);
    return (vstring_export(&buf));
}

/* pop3d_box_open - read a mailbox */

struct pop3d_box *pop3d_box_open(const char *path, int format,
				         pop3d_lock_fn lock, void *context,
				         struct vstring *why)
{
    struct pop3d_box *box = mycalloc(1, sizeof(*box));
    int     ret;

    box->format = format;
    box->path = mystrdup(path);
    box->lock = lock;
    box->context = context;
    vstring_reset(why);
    switch (format) {
    case POP3D_BOX_MAILDIR:
	ret = pop3d_maildir_open(box, why);
	break;
    case POP3D_BOX_MBOX:
	ret = pop3d_mbox_open(box, why);
	break;
    default:
	vstring_sprintf(why, "unknown mailbox format %d", format);
	ret = -1;
	break;
    }
    if (ret < 0)
	pop3d_box_close(&box);
    return (box);
}

/* pop3d_box_send - RETR and TOP */

int     pop3d_box_send(struct pop3d_box *box, int index, long lines,
		               struct vstream *out, struct vstring *why)
{
    struct pop3d_box_filter filter;
    int     ret;

    vstring_reset(why);
    if (index < 0 || index >= box->count) {
	vstring_sprintf(why, "no message %d", index + 1);
	return (-1);
    }
    pop3d_box_filter_init(&filter, out, box->format == POP3D_BOX_MBOX, lines);
    if (box->format == POP3D_BOX_MAILDIR)
	ret = pop3d_maildir_read(box, index, &filter, why);
    else
	ret = pop3d_mbox_read(box, index, &filter, why);
    if (ret < 0)
	return (-1);
    pop3d_box_filter_end(&filter);
    if (filter.error || vstream_write(out, ".\r\n", 3) < 0) {
	vstring_sprintf(why, "write error");
	return (-1);
    }
    return (0);
}

/* pop3d_box_seen - the message was retrieved */

void    pop3d_box_seen(struct pop3d_box *box, int index)
{
    if (index < 0 || index >= box->count)
	return;
    if (box->format == POP3D_BOX_MAILDIR)
	pop3d_maildir_seen(box, index);
}

/* pop3d_box_update - remove the deleted messages */

int     pop3d_box_update(struct pop3d_box *box, struct vstring *why)
{
    vstring_reset(why);
    if (box->format == POP3D_BOX_MAILDIR)
	return (pop3d_maildir_update(box, why));
    else
	return (pop3d_mbox_update(box, why));
}

/* pop3d_box_close - free everything */

void    pop3d_box_close(struct pop3d_box **boxp)
{
    struct pop3d_box *box = *boxp;
    int     i;

    if (box == 0)
	return;
    for (i = 0; i < box->count; i++) {
	if (box->msgs[i].uid)
	    myfree(box->msgs[i].uid);
	if (box->msgs[i].name)
	    myfree(box->msgs[i].name);
    }
    if (box->msgs)
	myfree(box->msgs);
    myfree(box->path);
    myfree(box);
    *boxp = 0;
}
