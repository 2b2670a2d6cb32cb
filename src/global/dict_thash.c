/*++
/* NAME
/*	dict_thash 3
/* SUMMARY
/*	texthash: tables (the text source read into memory)
/* SYNOPSIS
/*	#include <dict_private.h>
/*
/*	struct dict *dict_thash_parse(type, name, src, flags, why)
/*	const char *type;
/*	const char *name;
/*	struct dict_source *src;
/*	int	flags;
/*	struct vstring *why;
/* DESCRIPTION
/*	dict_thash_parse() reads "key whitespace value" lines from src
/*	(the syntax of dict_source, the same that drommap builds maps
/*	from) into a hash table in memory. Keys are folded to lower case
/*	with DICT_FLAG_FOLD_KEY. When a key is listed twice the first value
/*	stays, as in a map that drommap builds (DICT_FLAG_DUP_REPLACE: the
/*	last one).
/*
/*	Unlike drommap, which warns about a malformed line and skips it,
/*	a malformed line here makes the open fail with a reason that
/*	names the file and line: a daemon must not run with a table that
/*	silently lacks an entry, and a library does not log.
/*
/*	dict_sequence() lists the entries sorted by key.
/* DIAGNOSTICS
/*	Open errors in why.
/*--*/
#include <ctype.h>
#include <string.h>

#include <htable.h>
#include <mymalloc.h>
#include <vstring.h>

#include <dict_private.h>
#include <dict_source.h>

struct dict_thash {
    struct dict dict;
    struct htable *table;
    struct htable_info **list;		/* dict_sequence() snapshot */
    size_t  next;
};

/* dict_thash_lookup - find a key */

static int dict_thash_lookup(struct dict *dict, const char *key,
			             const char **value)
{
    struct dict_thash *dt = (struct dict_thash *) dict;
    const char *found;

    if ((found = htable_find(dt->table, key)) == 0)
	return (DICT_STAT_NOTFOUND);
    *value = found;
    return (DICT_STAT_FOUND);
}

/* dict_thash_sequence - walk the table in key order */

static int dict_thash_sequence(struct dict *dict, int how, const char **key,
			               const char **value)
{
    struct dict_thash *dt = (struct dict_thash *) dict;

    if (how == DICT_SEQ_FIRST) {
	myfree(dt->list);
	dt->list = htable_list(dt->table);
	dt->next = 0;
    }
    if (dt->list == 0 || dt->list[dt->next] == 0) {
	myfree(dt->list);
	dt->list = 0;
	return (DICT_STAT_NOTFOUND);
    }
    *key = dt->list[dt->next]->key;
    *value = dt->list[dt->next]->value;
    dt->next++;
    return (DICT_STAT_FOUND);
}

/* dict_thash_close - free */

static void dict_thash_close(struct dict *dict)
{
    struct dict_thash *dt = (struct dict_thash *) dict;

    htable_free(&dt->table, myfree);
    myfree(dt->list);
    dict_free(dict);
}

struct dict *dict_thash_parse(const char *type, const char *name,
			              struct dict_source *src, int flags,
			              struct vstring *why)
{
    struct dict_thash *dt;
    struct vstring *key = vstring_alloc(100);
    struct vstring *value = vstring_alloc(100);
    struct htable_info *ht;
    char   *cp;
    int     status;

    dt = (struct dict_thash *) dict_alloc(type, name, sizeof(*dt),
					  DICT_MODE_READ, flags);
    dt->table = htable_create(100);
    dt->dict.lookup = dict_thash_lookup;
    dt->dict.sequence = dict_thash_sequence;
    dt->dict.close = dict_thash_close;
    while ((status = dict_source_pair(src, key, value, why)) == DICT_SOURCE_OK) {
	if (flags & DICT_FLAG_FOLD_KEY)
	    for (cp = vstring_str(key); *cp; cp++)
		*cp = (char) tolower((unsigned char) *cp);
	if ((ht = htable_locate(dt->table, vstring_str(key))) == 0) {
	    htable_enter(dt->table, vstring_str(key),
			 mystrdup(vstring_str(value)));
	} else if (flags & DICT_FLAG_DUP_REPLACE) {
	    myfree(ht->value);
	    ht->value = mystrdup(vstring_str(value));
	}
    }
    vstring_free(&key);
    vstring_free(&value);
    if (status != DICT_SOURCE_EOF) {
	dict_thash_close(&dt->dict);
	return (0);
    }
    return (&dt->dict);
}
