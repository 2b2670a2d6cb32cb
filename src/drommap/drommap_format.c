/*++
/* NAME
/*	drommap_format 3
/* SUMMARY
/*	drommap source formats: key/value lines and aliases(5)
/* SYNOPSIS
/*	#include "drommap.h"
/*
/*	const struct drommap_format drommap_formats[];
/*
/*	const struct drommap_format *drommap_format_find(option)
/*	int	option;
/* DESCRIPTION
/*	The default format is "key whitespace value" read with
/*	dict_source (the reader that texthash, cidr and regexp tables
/*	share): a malformed line is reported with file and line and
/*	skipped, and the build goes on.
/*
/*	drommap_format_find(0) is the default format; with an option
/*	letter, the format that letter selects, or a null pointer.
/*
/*	With -a the source is an aliases(5) file, parsed by
/*	alias_parse(3): "name: value" with continuation lines; keys are
/*	the folded names, values the joined right-hand sides.
/* DIAGNOSTICS
/*	Warnings (msg_warn) for malformed lines.
/*--*/
#include <string.h>

#include <msg.h>
#include <vstring.h>

#include <alias_parse.h>
#include <dict_source.h>

#include "drommap.h"

/* drommap_kv_source - every pair of a source */

static int drommap_kv_source(struct dict_source *src, drommap_pair_fn fn,
			             void *ctx, struct vstring *why)
{
    struct vstring *key = vstring_alloc(100);
    struct vstring *value = vstring_alloc(100);
    struct vstring *reason = vstring_alloc(100);
    int     malformed = 0;
    int     status;

    while ((status = dict_source_pair(src, key, value, reason))
	   != DICT_SOURCE_EOF) {
	if (status == DICT_SOURCE_MALFORMED) {
	    msg_warn("%s", vstring_str(reason));
	    malformed++;
	} else if (status == DICT_SOURCE_ERROR) {
	    vstring_strcpy(why, vstring_str(reason));
	    malformed = -1;
	    break;
	} else {
	    fn(ctx, vstring_str(key), vstring_str(value),
	       dict_source_origin(src), (int) dict_source_lineno(src));
	}
    }
    vstring_free(&key);
    vstring_free(&value);
    vstring_free(&reason);
    return (malformed);
}

/* drommap_kv_file - key/value lines from a file */

static int drommap_kv_file(const char *path, drommap_pair_fn fn, void *ctx,
			           struct vstring *why)
{
    struct dict_source *src;
    int     ret;

    if ((src = dict_source_open(path, why)) == 0)
	return (-1);
    ret = drommap_kv_source(src, fn, ctx, why);
    dict_source_close(&src);
    return (ret);
}

/* drommap_kv_buf - key/value lines in memory */

static int drommap_kv_buf(const char *data, size_t len, const char *origin,
			          drommap_pair_fn fn, void *ctx)
{
    struct dict_source *src = dict_source_buf(origin, data, len);
    struct vstring *why = vstring_alloc(100);
    int     ret;

    /* Only an over-long line can fail here; report it like the others. */
    if ((ret = drommap_kv_source(src, fn, ctx, why)) < 0)
	msg_fatal("%s", vstring_str(why));
    vstring_free(&why);
    dict_source_close(&src);
    return (ret);
}

const struct drommap_format drommap_formats[] = {
    {0, "key/value", drommap_kv_file, drommap_kv_buf},
    {'a', "aliases", alias_parse_file, alias_parse_buf},
    {0, 0, 0, 0},
};

const struct drommap_format *drommap_format_find(int option)
{
    const struct drommap_format *fmt;

    for (fmt = drommap_formats; fmt->name; fmt++)
	if (fmt->option == option)
	    return (fmt);
    return (0);
}
