/*++
/* NAME
/*	drommap_query 3
/* SUMMARY
/*	drommap: look keys up, list a table
/* SYNOPSIS
/*	#include "drommap.h"
/*
/*	int	drommap_query(spec, key, flags)
/*
/*	int	drommap_dump(spec, flags)
/* DESCRIPTION
/*	drommap_query() opens any table read-only and looks key up: it
/*	prints the value and returns 0 when found, returns 1 when not.
/*	With key "-" it looks up each line of standard input (blank lines
/*	skipped) and prints "key<TAB>value" for each key found; it returns
/*	0 when at least one was found.
/*
/*	drommap_dump() prints every entry of a table that can be listed
/*	as "key<TAB>value".
/* DIAGNOSTICS
/*	msg_fatal() when the table cannot be opened or a lookup fails.
/*--*/
#include <stdio.h>
#include <string.h>

#include <msg.h>
#include <vstream.h>
#include <vstring.h>

#include <dict.h>

#include "drommap.h"

#define DROMMAP_KEY_MAX		65536	/* a line of -q - input */

/* drommap_open - open a table for reading, or die */

static struct dict *drommap_open(const char *spec, int flags)
{
    struct vstring *why = vstring_alloc(100);
    struct dict *dict;

    if ((dict = dict_open(spec, DICT_MODE_READ, flags, why)) == 0)
	msg_fatal("%s", vstring_str(why));
    vstring_free(&why);
    return (dict);
}

/* drommap_lookup - one key; 1 found, 0 not */

static int drommap_lookup(struct dict *dict, const char *key, int with_key)
{
    const char *value;

    switch (dict_lookup(dict, key, &value)) {
    case DICT_STAT_FOUND:
	if (with_key)
	    printf("%s\t%s\n", key, value);
	else
	    printf("%s\n", value);
	return (1);
    case DICT_STAT_NOTFOUND:
	return (0);
    default:
	msg_fatal("%s", dict_error(dict));
    }
}

int     drommap_query(const char *spec, const char *key, int flags)
{
    struct dict *dict = drommap_open(spec, flags);
    struct vstring *line;
    struct vstream *in;
    int     found = 0;
    int     status;

    if (strcmp(key, "-") != 0) {
	found = drommap_lookup(dict, key, 0);
    } else {
	line = vstring_alloc(100);
	in = vstream_fdopen(0, 0);
	while ((status = vstream_get_line(in, line, DROMMAP_KEY_MAX)) == VSTREAM_OK
	       || status == VSTREAM_PARTIAL || status == VSTREAM_TOOLONG) {
	    if (status == VSTREAM_TOOLONG) {
		msg_warn("standard input: key longer than %d bytes skipped",
			 DROMMAP_KEY_MAX);
		(void) vstream_skip_line(in);
		continue;
	    }
	    if (vstring_len(line) > 0 && vstring_end(line)[-1] == '\n')
		vstring_truncate(line, vstring_len(line) - 1);
	    if (vstring_len(line) > 0 && vstring_end(line)[-1] == '\r')
		vstring_truncate(line, vstring_len(line) - 1);
	    if (vstring_len(line) == 0 || memchr(vstring_str(line), 0,
						 vstring_len(line)) != 0)
		continue;
	    if (drommap_lookup(dict, vstring_str(line), 1))
		found = 1;
	}
	if (status != VSTREAM_EOF)
	    msg_fatal("read standard input: %s", vstream_status_str(status));
	(void) vstream_close(&in);
	vstring_free(&line);
    }
    dict_close(&dict);
    return (found ? 0 : 1);
}

int     drommap_dump(const char *spec, int flags)
{
    struct dict *dict = drommap_open(spec, flags);
    const char *key;
    const char *value;
    int     how = DICT_SEQ_FIRST;
    int     status;

    while ((status = dict_sequence(dict, how, &key, &value)) == DICT_STAT_FOUND) {
	printf("%s\t%s\n", key, value);
	how = DICT_SEQ_NEXT;
    }
    if (status == DICT_STAT_ERROR)
	msg_fatal("%s", dict_error(dict));
    dict_close(&dict);
    return (0);
}
