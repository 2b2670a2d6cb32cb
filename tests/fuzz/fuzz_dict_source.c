/*++
/* NAME
/*	fuzz_dict_source 1
/* SUMMARY
/*	libFuzzer target: table text sources and texthash tables
/* SYNOPSIS
/*	./fuzz_dict_source [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input is read as a table source (the text drommap builds maps
/*	from) twice: as logical lines (dict_source_get) and as key/value
/*	pairs (dict_source_pair), checking that every line returned is
/*	NUL-free, within DICT_SOURCE_LINE_MAX, without blanks at its ends,
/*	and that line numbers never go down. Then it is opened as a
/*	texthash table; when that works, a few keys are looked up and the
/*	table is walked (every key found must look itself up again).
/*	Crashes, sanitizer reports, leaks and broken invariants are
/*	findings; malformed input is expected.
/*	Seeds: corpus/fuzz_dict_source/; dictionary: fuzz_dict_source.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <dict.h>
#include <dict_source.h>

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* check_text - invariants of a returned line, key or value */

static void check_text(struct vstring *buf, int trimmed)
{
    if (memchr(vstring_str(buf), 0, vstring_len(buf)) != 0
	|| vstring_len(buf) > DICT_SOURCE_LINE_MAX)
	abort();
    if (trimmed && vstring_len(buf) > 0
	&& (isspace((unsigned char) vstring_str(buf)[0])
	    || isspace((unsigned char) vstring_end(buf)[-1])))
	abort();
}

/* read_all - every logical line or pair */

static void read_all(const uint8_t *data, size_t size, int pairs)
{
    struct dict_source *src = dict_source_buf("fuzz", (const char *) data, size);
    struct vstring *line = vstring_alloc(100);
    struct vstring *value = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    long    last = 0;
    int     status;
    int     n;

    for (n = 0; n < 100000; n++) {
	status = pairs ? dict_source_pair(src, line, value, why)
	    : dict_source_get(src, line, why);
	if (status == DICT_SOURCE_EOF || status == DICT_SOURCE_ERROR)
	    break;
	if (dict_source_lineno(src) < last)
	    abort();
	last = dict_source_lineno(src);
	if (status == DICT_SOURCE_OK) {
	    check_text(line, 1);
	    if (pairs) {
		check_text(value, 1);
		if (vstring_len(line) == 0 || vstring_len(value) == 0)
		    abort();
	    }
	}
    }
    dict_source_close(&src);
    vstring_free(&line);
    vstring_free(&value);
    vstring_free(&why);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    static const char *keys[] = {"", "a", "example.com", "key", "#", 0};
    struct vstring *why;
    struct dict *dict;
    const char *key;
    const char *value;
    const char *again;
    const char **kp;
    char   *copy;
    int     status;
    int     n;

    if (!init) {
	msg_init("fuzz_dict_source");
	msg_stderr_init(0, 0);
	init = 1;
    }
    read_all(data, size, 0);
    read_all(data, size, 1);
    why = vstring_alloc(100);
    if ((dict = dict_open_text("texthash", "fuzz", (const char *) data, size,
			       DICT_FLAG_DEFAULT, why)) != 0) {
	for (kp = keys; *kp; kp++)
	    (void) dict_lookup(dict, *kp, &value);
	status = dict_sequence(dict, DICT_SEQ_FIRST, &key, &value);
	for (n = 0; status == DICT_STAT_FOUND && n < 100000; n++) {
	    copy = mystrdup(key);
	    if (dict_lookup(dict, copy, &again) != DICT_STAT_FOUND)
		abort();
	    myfree(copy);
	    status = dict_sequence(dict, DICT_SEQ_NEXT, &key, &value);
	}
	dict_close(&dict);
    }
    vstring_free(&why);
    return (0);
}
