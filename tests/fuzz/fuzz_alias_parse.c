/*++
/* NAME
/*	fuzz_alias_parse 1
/* SUMMARY
/*	libFuzzer target: the aliases(5) parser and value splitter
/* SYNOPSIS
/*	./fuzz_alias_parse [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input is parsed as an aliases file (alias_parse_buf); each
/*	entry's value is split into items (alias_split) and each item
/*	classified (alias_item_type). The input is also read as a
/*	.forward or :include: file (alias_lines_buf), each logical line
/*	split the same way. The callbacks check what the parser promises:
/*	names are non-empty and lower case, values and lines are non-empty
/*	without a leading or trailing blank, line numbers are positive and
/*	do not go backwards, and no item is empty. Crashes, sanitizer
/*	reports, leaks, timeouts and broken promises are findings;
/*	warnings are expected. Seeds: corpus/fuzz_alias_parse/;
/*	dictionary: fuzz_alias_parse.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken promise aborts.
/*--*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <argv.h>
#include <msg.h>
#include <vstring.h>

#include <alias_parse.h>

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int last_line;

/* check_items - split text, classify each item */

static void check_items(const char *text)
{
    struct argv *items = alias_split(text);
    const char *rest;
    size_t  i;
    int     type;

    for (i = 0; i < items->argc; i++) {
	if (items->argv[i][0] == 0)
	    abort();
	type = alias_item_type(items->argv[i], &rest);
	if (type < ALIAS_ITEM_ADDRESS || type > ALIAS_ITEM_INCLUDE || rest == 0)
	    abort();
    }
    argv_free(&items);
}

/* check_text - non-empty, trimmed */

static void check_text(const char *text, int line)
{
    size_t  len = strlen(text);

    if (len == 0 || strchr(" \t\r\n\v\f", text[0]) != 0
	|| strchr(" \t\r\n\v\f", text[len - 1]) != 0)
	abort();
    if (line <= 0 || line < last_line)
	abort();
    last_line = line;
}

static void entry_fn(void *ctx, const char *name, const char *value,
		             const char *file, int line)
{
    const char *cp;

    if (*name == 0)
	abort();
    for (cp = name; *cp; cp++)
	if (*cp >= 'A' && *cp <= 'Z')
	    abort();
    check_text(value, line);
    check_items(value);
}

static void line_fn(void *ctx, const char *text, const char *file, int line)
{
    check_text(text, line);
    check_items(text);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;

    if (!init) {
	msg_init("fuzz_alias_parse");
	msg_stderr_init(0, 0);
	init = 1;
    }
    last_line = 0;
    (void) alias_parse_buf((const char *) data, size, "aliases", entry_fn,
			   (void *) 0);
    last_line = 0;
    (void) alias_lines_buf((const char *) data, size, ".forward", line_fn,
			   (void *) 0);
    return (0);
}
