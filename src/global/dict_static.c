/*++
/* NAME
/*	dict_static 3
/* SUMMARY
/*	static: tables (every key finds the same value)
/* SYNOPSIS
/*	#include <dict_private.h>
/*
/*	struct dict *dict_static_open(type, name, mode, flags, why)
/*	const char *type;
/*	const char *name;
/*	int	mode;
/*	int	flags;
/*	struct vstring *why;
/* DESCRIPTION
/*	"static:value" finds value for every key. "static:{ text }" finds
/*	text without the braces and the blanks inside them, so the value
/*	may contain blanks and commas in a main.cf list. An empty value
/*	is an error, and so are unbalanced braces.
/* DIAGNOSTICS
/*	Open errors in why.
/*--*/
#include <ctype.h>
#include <string.h>

#include <mymalloc.h>
#include <vstring.h>

#include <dict_private.h>

struct dict_static {
    struct dict dict;
    char   *value;
};

/* dict_static_lookup - every key is found */

static int dict_static_lookup(struct dict *dict, const char *key,
			              const char **value)
{
    *value = ((struct dict_static *) dict)->value;
    return (DICT_STAT_FOUND);
}

/* dict_static_close - free */

static void dict_static_close(struct dict *dict)
{
    myfree(((struct dict_static *) dict)->value);
    dict_free(dict);
}

struct dict *dict_static_open(const char *type, const char *name, int mode,
			              int flags, struct vstring *why)
{
    struct dict_static *ds;
    const char *start = name;
    const char *end = name + strlen(name);

    if (*start == '{') {
	if (end - start < 2 || end[-1] != '}') {
	    vstring_sprintf(why, "table \"%s:%s\": expected static:{ text }",
			    type, name);
	    return (0);
	}
	start++;
	end--;
	while (start < end && isspace((unsigned char) *start))
	    start++;
	while (end > start && isspace((unsigned char) end[-1]))
	    end--;
    }
    if (start == end) {
	vstring_sprintf(why, "table \"%s:%s\": missing value", type, name);
	return (0);
    }
    ds = (struct dict_static *) dict_alloc(type, name, sizeof(*ds), mode,
					   flags);
    ds->value = mystrndup(start, (size_t) (end - start));
    ds->dict.lookup = dict_static_lookup;
    ds->dict.close = dict_static_close;
    return (&ds->dict);
}
