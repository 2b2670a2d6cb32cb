/*++
/* NAME
/*	fuzz_dict_regexp 1
/* SUMMARY
/*	libFuzzer target: regexp table parsing and lookups
/* SYNOPSIS
/*	./fuzz_dict_regexp [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input is parsed as a regexp table (dict_open_text): patterns,
/*	flags, negation, if/endif nesting and $n substitutions. When it
/*	opens, fixed keys and the first line of the input are looked up
/*	(exercising the if/endif jumps and the substitutions); a lookup
/*	must never fail. When it does not open, the reason must name the
/*	source and a line.
/*
/*	Inputs are limited to 4096 bytes, and inputs with a repetition
/*	bound over 99 ("{100"), stacked repetitions ("a++", "a*{2}") or a
/*	back-reference ("\1") are skipped: glibc's regcomp() and
/*	regexec() take exponential time or memory on those, which is
/*	theirs to fix and not a finding here (table files come from the
/*	administrator).
/*	Seeds: corpus/fuzz_dict_regexp/; dictionary: fuzz_dict_regexp.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <msg.h>
#include <vstring.h>

#include <dict.h>

#define FUZZ_MAX	4096
#define FUZZ_KEY_MAX	128

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* too_costly - input the C library's regex code is slow on */

static int too_costly(const uint8_t *data, size_t size)
{
    size_t  i;
    size_t  j;

    if (size > FUZZ_MAX)
	return (1);
    for (i = 0; i + 1 < size; i++) {
	if (data[i] == '\\' && isdigit(data[i + 1]))
	    return (1);
	if (data[i] != 0 && data[i + 1] != 0 && strchr("*+?}", data[i])
	    && strchr("*+?{", data[i + 1]))
	    return (1);
	if (data[i] == '{') {
	    for (j = i + 1; j < size && isdigit(data[j]); j++)
		 /* void */ ;
	    if (j - i - 1 > 2)
		return (1);
	}
    }
    return (0);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    static const char *keys[] = {"", "a", "ab", "user@example.com",
	"Postmaster@Example.COM", "a\nb", "list-outgoing@x.org",
    "$1", 0};
    struct vstring *why;
    struct vstring *key;
    struct dict *dict;
    const char *value;
    const char **kp;
    size_t  len;

    if (!init) {
	msg_init("fuzz_dict_regexp");
	msg_stderr_init(0, 0);
	init = 1;
    }
    if (too_costly(data, size))
	return (0);
    why = vstring_alloc(100);
    key = vstring_alloc(100);
    dict = dict_open_text("regexp", "fuzz.re", (const char *) data, size,
			  DICT_FLAG_DEFAULT, why);
    if (dict == 0) {
	if (strncmp(vstring_str(why), "fuzz.re, line ", 14) != 0)
	    abort();
    } else {
	for (kp = keys; *kp; kp++)
	    if (dict_lookup(dict, *kp, &value) == DICT_STAT_ERROR)
		abort();
	for (len = 0; len < size && len < FUZZ_KEY_MAX && data[len] != 0
	     && data[len] != '\n'; len++)
	     /* void */ ;
	vstring_memcpy(key, data, len);
	if (dict_lookup(dict, vstring_str(key), &value) == DICT_STAT_ERROR)
	    abort();
	dict_close(&dict);
    }
    vstring_free(&why);
    vstring_free(&key);
    return (0);
}
