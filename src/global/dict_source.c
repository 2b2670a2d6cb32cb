/*++
/* NAME
/*	dict_source 3
/* SUMMARY
/*	the text source of a table: logical lines, key/value pairs
/* SYNOPSIS
/*	#include <dict_source.h>
/*
/*	struct dict_source *dict_source_open(path, why)
/*
/*	int	dict_source_get(src, line, why)
/*
/*	int	dict_source_pair(src, key, value, why)
/* DESCRIPTION
/*	See dict_source.h for the syntax and the interface. A logical line
/*	is built from physical lines read one at a time (bounded by
/*	DICT_SOURCE_LINE_MAX); one physical line of look-ahead decides
/*	whether the next line continues the current one.
/* DIAGNOSTICS
/*	Status values and why; no logging.
/*--*/
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <dict_source.h>

struct dict_source {
    char   *origin;			/* name in messages */
    struct vstream *stream;		/* file or descriptor, or 0 */
    int     fd;				/* its descriptor, -1 for a buffer */
    int     own_fd;			/* close fd at the end */
    const char *data;			/* buffer source */
    size_t  len;
    size_t  pos;
    struct vstring *phys;		/* the physical line just read */
    int     have_pending;		/* phys is the next line's start */
    long    pending_lineno;		/* its line number */
    long    phys_lineno;		/* physical lines read */
    long    lineno;			/* first line of the last logical line */
    struct vstring *error;		/* after DICT_SOURCE_ERROR, or 0 */
};

#define DICT_SOURCE_PHYS_MAX	(DICT_SOURCE_LINE_MAX + 2)	/* with \r\n */

/* dict_source_alloc - common part */

static struct dict_source *dict_source_alloc(const char *origin)
{
    struct dict_source *src = mycalloc(1, sizeof(*src));

    src->origin = mystrdup(origin);
    src->fd = -1;
    src->phys = vstring_alloc(256);
    return (src);
}

struct dict_source *dict_source_open(const char *path, struct vstring *why)
{
    struct dict_source *src;
    int     fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
	vstring_sprintf(why, "open %s: %s", path, strerror(errno));
	return (0);
    }
    src = dict_source_alloc(path);
    src->fd = fd;
    src->own_fd = 1;
    src->stream = vstream_fdopen(fd, 0);
    return (src);
}

struct dict_source *dict_source_fdopen(int fd, const char *origin)
{
    struct dict_source *src = dict_source_alloc(origin);

    src->fd = fd;
    src->stream = vstream_fdopen(fd, 0);
    return (src);
}

struct dict_source *dict_source_buf(const char *origin, const char *data,
				            size_t len)
{
    struct dict_source *src = dict_source_alloc(origin);

    src->data = data;
    src->len = len;
    return (src);
}

int     dict_source_fd(struct dict_source *src)
{
    return (src->fd);
}

long    dict_source_lineno(struct dict_source *src)
{
    return (src->lineno);
}

const char *dict_source_origin(struct dict_source *src)
{
    return (src->origin);
}

void    dict_source_close(struct dict_source **srcp)
{
    struct dict_source *src = *srcp;

    if (src == 0)
	return;
    if (src->stream)
	(void) vstream_close(&src->stream);
    if (src->own_fd)
	(void) close(src->fd);
    vstring_free(&src->phys);
    if (src->error)
	vstring_free(&src->error);
    myfree(src->origin);
    myfree(src);
    *srcp = 0;
}

/* dict_source_phys - next physical line into src->phys, without \r\n */

static int dict_source_phys(struct dict_source *src, struct vstring *why)
{
    const char *nl;
    size_t  take;
    int     status;

    if (src->stream == 0) {
	if (src->pos >= src->len)
	    return (DICT_SOURCE_EOF);
	nl = memchr(src->data + src->pos, '\n', src->len - src->pos);
	take = nl ? (size_t) (nl - (src->data + src->pos)) + 1
	    : src->len - src->pos;
	if (take > DICT_SOURCE_PHYS_MAX) {
	    src->phys_lineno++;
	    vstring_sprintf(why, "%s, line %ld: line longer than %d bytes",
			    src->origin, src->phys_lineno, DICT_SOURCE_LINE_MAX);
	    return (DICT_SOURCE_ERROR);
	}
	vstring_memcpy(src->phys, src->data + src->pos, take);
	src->pos += take;
    } else {
	status = vstream_get_line(src->stream, src->phys, DICT_SOURCE_PHYS_MAX);
	switch (status) {
	case VSTREAM_OK:
	case VSTREAM_PARTIAL:
	    break;
	case VSTREAM_EOF:
	    return (DICT_SOURCE_EOF);
	case VSTREAM_TOOLONG:
	    vstring_sprintf(why, "%s, line %ld: line longer than %d bytes",
			    src->origin, src->phys_lineno + 1,
			    DICT_SOURCE_LINE_MAX);
	    return (DICT_SOURCE_ERROR);
	default:
	    vstring_sprintf(why, "read %s: %s", src->origin,
			    status == VSTREAM_ERROR ? strerror(errno)
			    : vstream_status_str(status));
	    return (DICT_SOURCE_ERROR);
	}
    }
    src->phys_lineno++;
    if (vstring_len(src->phys) > 0 && vstring_end(src->phys)[-1] == '\n')
	vstring_truncate(src->phys, vstring_len(src->phys) - 1);
    if (vstring_len(src->phys) > 0 && vstring_end(src->phys)[-1] == '\r')
	vstring_truncate(src->phys, vstring_len(src->phys) - 1);
    return (DICT_SOURCE_OK);
}

int     dict_source_get(struct dict_source *src, struct vstring *line,
			        struct vstring *why)
{
    const char *cp;
    const char *end;
    long    lineno;
    int     have = 0;
    int     has_nul = 0;
    int     status;

    if (src->error) {
	vstring_strcpy(why, vstring_str(src->error));
	return (DICT_SOURCE_ERROR);
    }
    vstring_reset(line);
    for (;;) {
	if (src->have_pending) {
	    src->have_pending = 0;
	    lineno = src->pending_lineno;
	} else {
	    if ((status = dict_source_phys(src, why)) == DICT_SOURCE_ERROR) {
		/* Return what came before; the error is sticky. */
		src->error = vstring_alloc(100);
		vstring_strcpy(src->error, vstring_str(why));
		if (have)
		    break;
		return (status);
	    }
	    if (status == DICT_SOURCE_EOF)
		break;
	    lineno = src->phys_lineno;
	}
	cp = vstring_str(src->phys);
	end = vstring_end(src->phys);
	while (cp < end && isspace((unsigned char) *cp))
	    cp++;
	if (cp == end || *cp == '#')
	    continue;				/* empty or comment */
	if (cp != vstring_str(src->phys) && !have) {
	    src->lineno = lineno;
	    vstring_sprintf(why, "%s, line %ld: a logical line must not"
			    " start with white space", src->origin, lineno);
	    return (DICT_SOURCE_MALFORMED);
	}
	if (cp == vstring_str(src->phys) && have) {
	    src->have_pending = 1;		/* the next logical line */
	    src->pending_lineno = lineno;
	    break;
	}
	if (!have) {
	    have = 1;
	    src->lineno = lineno;
	}
	if (vstring_len(line) + (size_t) (end - cp) + 1 > DICT_SOURCE_LINE_MAX) {
	    vstring_sprintf(why, "%s, line %ld: logical line longer than %d bytes",
			    src->origin, src->lineno, DICT_SOURCE_LINE_MAX);
	    src->error = vstring_alloc(100);
	    vstring_strcpy(src->error, vstring_str(why));
	    return (DICT_SOURCE_ERROR);
	}
	if (memchr(cp, 0, (size_t) (end - cp)) != 0)
	    has_nul = 1;
	if (vstring_len(line) > 0) {		/* a continuation */
	    while (vstring_len(line) > 0
		   && isspace((unsigned char) vstring_end(line)[-1]))
		vstring_truncate(line, vstring_len(line) - 1);
	    vstring_appendc(line, ' ');
	}
	vstring_append(line, cp, (size_t) (end - cp));
    }
    if (!have)
	return (DICT_SOURCE_EOF);
    if (has_nul) {
	vstring_sprintf(why, "%s, line %ld: NUL byte in line",
			src->origin, src->lineno);
	return (DICT_SOURCE_MALFORMED);
    }
    /* Trailing white space is never significant. */
    while (vstring_len(line) > 0
	   && isspace((unsigned char) vstring_end(line)[-1]))
	vstring_truncate(line, vstring_len(line) - 1);
    return (DICT_SOURCE_OK);
}

int     dict_source_pair(struct dict_source *src, struct vstring *key,
			         struct vstring *value, struct vstring *why)
{
    struct vstring *line = vstring_alloc(256);
    const char *cp;
    const char *start;
    int     status;

    if ((status = dict_source_get(src, line, why)) == DICT_SOURCE_OK) {
	start = cp = vstring_str(line);
	while (*cp && !isspace((unsigned char) *cp))
	    cp++;
	vstring_memcpy(key, start, (size_t) (cp - start));
	while (*cp && isspace((unsigned char) *cp))
	    cp++;
	if (*cp == 0) {
	    vstring_sprintf(why, "%s, line %ld: expected format: key whitespace"
			    " value", src->origin, src->lineno);
	    status = DICT_SOURCE_MALFORMED;
	} else {
	    vstring_strcpy(value, cp);
	}
    }
    vstring_free(&line);
    return (status);
}
