/*++
/* NAME
/*	dict_inline 3
/* SUMMARY
/*	inline: tables (key=value pairs written in main.cf)
/* SYNOPSIS
/*	#include <dict_private.h>
/*
/*	struct dict *dict_inline_open(type, name, mode, flags, why)
/*	const char *type;
/*	const char *name;
/*	int	mode;
/*	int	flags;
/*	struct vstring *why;
/* DESCRIPTION
/*	name is "{ element, element ... }": elements are separated by
/*	blanks or commas. An element is "key=value" (no blanks or commas
/*	in it), or "{ key = value }", where blanks around the key and the
/*	value are dropped and the value may contain blanks, commas and
/*	balanced braces. The key is what comes before the first "=";
/*	neither key nor value may be empty. "inline:{}" is an empty table.
/*	Keys are folded to lower case with DICT_FLAG_FOLD_KEY; when a key
/*	is listed twice the first value stays. dict_sequence() lists the
/*	entries in the order written.
/* DIAGNOSTICS
/*	Open errors in why: unbalanced braces, an element without "=",
/*	an empty key or value.
/*--*/
#include <ctype.h>
#include <string.h>

#include <argv.h>
#include <htable.h>
#include <mymalloc.h>
#include <vstring.h>

#include <dict_private.h>

struct dict_inline {
    struct dict dict;
    struct htable *table;		/* key -> value */
    struct argv *order;			/* key, value, key, value, ... */
    size_t  next;
};

/* dict_inline_lookup - find a key */

static int dict_inline_lookup(struct dict *dict, const char *key,
			              const char **value)
{
    struct dict_inline *di = (struct dict_inline *) dict;
    const char *found;

    if ((found = htable_find(di->table, key)) == 0)
	return (DICT_STAT_NOTFOUND);
    *value = found;
    return (DICT_STAT_FOUND);
}

/* dict_inline_sequence - walk in the order written */

static int dict_inline_sequence(struct dict *dict, int how, const char **key,
			                const char **value)
{
    struct dict_inline *di = (struct dict_inline *) dict;

    if (how == DICT_SEQ_FIRST)
	di->next = 0;
    if (di->next + 1 >= di->order->argc)
	return (DICT_STAT_NOTFOUND);
    *key = di->order->argv[di->next];
    *value = di->order->argv[di->next + 1];
    di->next += 2;
    return (DICT_STAT_FOUND);
}

/* dict_inline_close - free */

static void dict_inline_close(struct dict *dict)
{
    struct dict_inline *di = (struct dict_inline *) dict;

    htable_free(&di->table, (void (*) (void *)) 0);
    argv_free(&di->order);
    dict_free(dict);
}

/* dict_inline_trim - bounds without blanks at either end */

static void dict_inline_trim(const char **start, const char **end)
{
    while (*start < *end && isspace((unsigned char) **start))
	(*start)++;
    while (*end > *start && isspace((unsigned char) (*end)[-1]))
	(*end)--;
}

/* dict_inline_add - one element; 0 or -1 with a reason */

static int dict_inline_add(struct dict_inline *di, const char *start,
			           const char *end, struct vstring *why)
{
    const char *eq = memchr(start, '=', (size_t) (end - start));
    const char *kend;
    const char *vstart;
    char   *key;
    char   *cp;

    if (eq == 0) {
	vstring_sprintf(why, "expected key=value, found \"%.*s\"",
			(int) (end - start), start);
	return (-1);
    }
    kend = eq;
    vstart = eq + 1;
    dict_inline_trim(&start, &kend);
    dict_inline_trim(&vstart, &end);
    if (start == kend || vstart == end) {
	vstring_sprintf(why, "empty key or value in \"%.*s\"",
			(int) (end - start), start);
	return (-1);
    }
    key = mystrndup(start, (size_t) (kend - start));
    if (di->dict.flags & DICT_FLAG_FOLD_KEY)
	for (cp = key; *cp; cp++)
	    *cp = (char) tolower((unsigned char) *cp);
    if (htable_locate(di->table, key) == 0) {
	argv_add(di->order, key, (char *) 0);
	argv_addn(di->order, vstart, (size_t) (end - vstart));
	htable_enter(di->table, key, di->order->argv[di->order->argc - 1]);
    }
    myfree(key);
    return (0);
}

/* dict_inline_parse - all elements between the outer braces */

static int dict_inline_parse(struct dict_inline *di, const char *cp,
			             const char *end, struct vstring *why)
{
    const char *start;
    int     depth;

    for (;;) {
	while (cp < end && (isspace((unsigned char) *cp) || *cp == ','))
	    cp++;
	if (cp >= end)
	    return (0);
	if (*cp == '{') {
	    start = ++cp;
	    for (depth = 1; cp < end; cp++) {
		if (*cp == '{')
		    depth++;
		else if (*cp == '}' && --depth == 0)
		    break;
	    }
	    if (cp >= end) {
		vstring_strcpy(why, "missing \"}\"");
		return (-1);
	    }
	    if (dict_inline_add(di, start, cp, why) < 0)
		return (-1);
	    cp++;
	} else {
	    start = cp;
	    while (cp < end && !isspace((unsigned char) *cp) && *cp != ','
		   && *cp != '{' && *cp != '}')
		cp++;
	    if (cp < end && (*cp == '{' || *cp == '}')) {
		vstring_sprintf(why, "unexpected \"%c\"", *cp);
		return (-1);
	    }
	    if (dict_inline_add(di, start, cp, why) < 0)
		return (-1);
	}
    }
}

struct dict *dict_inline_open(const char *type, const char *name, int mode,
			              int flags, struct vstring *why)
{
    struct dict_inline *di;
    struct vstring *reason = vstring_alloc(100);
    const char *start = name;
    const char *end = name + strlen(name);

    di = (struct dict_inline *) dict_alloc(type, name, sizeof(*di), mode,
					   flags);
    di->table = htable_create(10);
    di->order = argv_alloc(10);
    di->dict.lookup = dict_inline_lookup;
    di->dict.sequence = dict_inline_sequence;
    di->dict.close = dict_inline_close;
    dict_inline_trim(&start, &end);
    if (end - start < 2 || *start != '{' || end[-1] != '}') {
	vstring_strcpy(reason, "expected inline:{ key=value, ... }");
    } else if (dict_inline_parse(di, start + 1, end - 1, reason) == 0) {
	vstring_free(&reason);
	return (&di->dict);
    }
    vstring_sprintf(why, "table \"%s:%s\": %s", type, name, vstring_str(reason));
    vstring_free(&reason);
    dict_inline_close(&di->dict);
    return (0);
}
