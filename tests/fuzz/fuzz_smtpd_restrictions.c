/*++
/* NAME
/*	fuzz_smtpd_restrictions 1
/* SUMMARY
/*	libFuzzer target: the smtpd restriction-list parser
/* SYNOPSIS
/*	./fuzz_smtpd_restrictions [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	The first line of the input names restriction classes (as
/*	smtpd_restriction_classes would); the rest is a restriction list
/*	(as the value of smtpd_recipient_restrictions). The names are made
/*	known with smtpd_check_init_classes(), then the rest, and the
/*	first line itself, are compiled with smtpd_check_parse() and the
/*	result freed with smtpd_check_free(). Invariant: a list that does
/*	not compile comes with a reason.
/*
/*	The parser opens the table of every check_*_access step, so the
/*	input must never name a file or a service: before parsing, each
/*	word with a ":" in it (the only words the parser hands to the
/*	table layer) is kept only when it is a static: or inline: table,
/*	and only for the first FUZZ_TABLE_BUDGET distinct such words
/*	(the parser caches every table it opens for the life of the
/*	process); any other such word is replaced by one of a fixed set
/*	of static: and inline: tables, good and bad, chosen by a hash of
/*	the word. Nothing else is opened or written.
/*	Seeds: corpus/fuzz_smtpd_restrictions/; dictionary:
/*	fuzz_smtpd_restrictions.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <htable.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include "smtpd.h"

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_DELIM		", \t\r\n"	/* as the parser splits */
#define FUZZ_TABLE_BUDGET	2048	/* distinct tables kept as written */

 /*
  * smtpd_check.c replies through smtpd_proto.c; the parser never does.
  */
void    smtpd_reply(struct smtpd_state *state, const char *fmt,...)
{
    (void) state;
    (void) fmt;
    abort();
}

 /*
  * What other table words become: a few that open, a few that do not.
  */
static const char *fuzz_tables[] = {
    "static:OK",
    "static:REJECT",
    "static:{DUNNO}",
    "inline:{a=b}",
    "inline:{example.com=REJECT}",
    "inline:{a}",
    "inline:{",
    "static:",
};

static struct htable *fuzz_seen;	/* table words kept so far */

/* fuzz_table_word - what to put where the input has a table word */

static const char *fuzz_table_word(const char *word)
{
    const unsigned char *cp;
    uint32_t hash = 2166136261u;

    if (strncmp(word, "static:", 7) == 0 || strncmp(word, "inline:", 7) == 0) {
	if (htable_locate(fuzz_seen, word) != 0)
	    return (word);
	if (fuzz_seen->used < FUZZ_TABLE_BUDGET) {
	    htable_enter(fuzz_seen, word, (void *) 0);
	    return (word);
	}
    }
    for (cp = (const unsigned char *) word; *cp; cp++)
	hash = (hash ^ *cp) * 16777619u;
    return (fuzz_tables[hash % (sizeof(fuzz_tables) / sizeof(fuzz_tables[0]))]);
}

/* fuzz_safe - text with every table word made harmless */

static void fuzz_safe(const char *text, struct vstring *out)
{
    struct vstring *word = vstring_alloc(100);
    size_t  n;

    vstring_reset(out);
    while (*text) {
	n = strspn(text, FUZZ_DELIM);
	vstring_append(out, text, n);
	text += n;
	if ((n = strcspn(text, FUZZ_DELIM)) == 0)
	    break;
	vstring_memcpy(word, text, n);
	if (memchr(text, ':', n) != 0)
	    vstring_appends(out, fuzz_table_word(vstring_str(word)));
	else
	    vstring_append(out, text, n);
	text += n;
    }
    vstring_free(&word);
}

/* fuzz_parse - one list: compiled and freed, or refused with a reason */

static void fuzz_parse(const char *text, struct vstring *why)
{
    struct smtpd_rlist *list;

    vstring_reset(why);
    if ((list = smtpd_check_parse("fuzz_restrictions", text, why)) == 0) {
	if (vstring_len(why) == 0)
	    abort();
	return;
    }
    smtpd_check_free(list);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    struct vstring *input;
    struct vstring *classes;
    struct vstring *list;
    struct vstring *why;
    const char *text;
    const char *nl;

    if (!init) {
	msg_init("fuzz_smtpd_restrictions");
	msg_stderr_init(0, 0);
	fuzz_seen = htable_create(100);
	init = 1;
    }
    input = vstring_alloc(size + 1);
    classes = vstring_alloc(100);
    list = vstring_alloc(100);
    why = vstring_alloc(100);

    /* As a C string: the parser sees the text up to a NUL byte. */
    vstring_memcpy(input, data, size);
    text = vstring_str(input);
    if ((nl = strchr(text, '\n')) != 0) {
	vstring_memcpy(classes, text, (size_t) (nl - text));
	text = nl + 1;
    } else {
	vstring_strcpy(classes, text);
	text = "";
    }
    fuzz_safe(vstring_str(classes), list);
    vstring_strcpy(classes, vstring_str(list));
    smtpd_check_init_classes(vstring_str(classes));
    fuzz_parse(vstring_str(classes), why);
    fuzz_safe(text, list);
    fuzz_parse(vstring_str(list), why);

    vstring_free(&input);
    vstring_free(&classes);
    vstring_free(&list);
    vstring_free(&why);
    return (0);
}
