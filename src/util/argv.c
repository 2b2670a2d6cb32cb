/*++
/* NAME
/*	argv 3
/* SUMMARY
/*	growable, NULL-terminated string arrays
/* SYNOPSIS
/*	#include <argv.h>
/*
/*	struct argv *argv_alloc(size)
/*	void	argv_add(argv, str, ..., (char *) 0)
/*	void	argv_addn(argv, str, len)
/*	void	argv_truncate(argv, n)
/*	void	argv_free(&argv)
/*	struct argv *argv_split(str, delim)
/*	struct argv *argv_split_quoted(str, delim)
/*
/*	struct argv *argv_split_braced(str, delim)
/* DESCRIPTION
/*	See argv.h. The array always has room for the terminating NULL:
/*	argc < len holds after every call.
/*
/*	argv_addn() copies at most len bytes, up to a NUL byte.
/*
/*	argv_split_braced() splits like argv_split(), but a delimiter
/*	inside braces does not split: "a, inline:{ k=v, x=y } b" gives
/*	three fields, the braces kept (main.cf lists with inline: and
/*	static: tables). It returns a null pointer when the braces do not
/*	balance.
/*
/*	argv_split_quoted() treats a double-quoted part of a field as
/*	literal text (delimiters included); inside quotes a backslash
/*	makes the next character literal, so "a\"b" is a"b. The quotes
/*	themselves are removed; "" yields an empty field. An unterminated
/*	quote runs to the end of the string.
/* DIAGNOSTICS
/*	Fatal: out of memory.
/*--*/
#include <stdarg.h>
#include <string.h>

#include <mymalloc.h>
#include <vstring.h>
#include <argv.h>

struct argv *argv_alloc(size_t size)
{
    struct argv *a = mymalloc(sizeof(*a));

    a->len = size < 4 ? 4 : size;
    a->argv = myreallocarray((void *) 0, a->len, sizeof(char *));
    a->argc = 0;
    a->argv[0] = 0;
    return (a);
}

/* argv_push - append an allocated string */

static void argv_push(struct argv *a, char *str)
{
    if (a->argc + 1 >= a->len) {
	if (__builtin_mul_overflow(a->len, 2, &a->len))
	    a->len = a->argc + 2;
	a->argv = myreallocarray(a->argv, a->len, sizeof(char *));
    }
    a->argv[a->argc++] = str;
    a->argv[a->argc] = 0;
}

void    argv_add(struct argv *a,...)
{
    va_list ap;
    const char *str;

    va_start(ap, a);
    while ((str = va_arg(ap, const char *)) != 0)
	argv_push(a, mystrdup(str));
    va_end(ap);
}

void    argv_addn(struct argv *a, const char *str, size_t len)
{
    argv_push(a, mystrndup(str, len));
}

void    argv_truncate(struct argv *a, size_t n)
{
    while (a->argc > n)
	myfree(a->argv[--a->argc]);
    a->argv[a->argc] = 0;
}

void    argv_free(struct argv **ap)
{
    if (*ap) {
	argv_truncate(*ap, 0);
	myfree((*ap)->argv);
	myfree(*ap);
	*ap = 0;
    }
}

struct argv *argv_split(const char *str, const char *delim)
{
    struct argv *a = argv_alloc(1);
    size_t  n;

    for (;;) {
	str += strspn(str, delim);
	if (*str == 0)
	    break;
	n = strcspn(str, delim);
	argv_addn(a, str, n);
	str += n;
    }
    return (a);
}

struct argv *argv_split_quoted(const char *str, const char *delim)
{
    struct argv *a = argv_alloc(1);
    struct vstring *field = vstring_alloc(64);

    for (;;) {
	str += strspn(str, delim);
	if (*str == 0)
	    break;
	vstring_reset(field);
	while (*str != 0 && strchr(delim, *str) == 0) {
	    if (*str != '"') {
		vstring_appendc(field, *str++);
		continue;
	    }
	    for (str++; *str != 0 && *str != '"'; str++) {
		if (*str == '\\' && str[1] != 0)
		    str++;
		vstring_appendc(field, *str);
	    }
	    if (*str == '"')
		str++;
	}
	argv_addn(a, vstring_str(field), vstring_len(field));
    }
    vstring_free(&field);
    return (a);
}

struct argv *argv_split_braced(const char *str, const char *delim)
{
    struct argv *a = argv_alloc(1);
    const char *start;
    int     depth;

    for (;;) {
	str += strspn(str, delim);
	if (*str == 0)
	    break;
	start = str;
	for (depth = 0; *str != 0; str++) {
	    if (*str == '{')
		depth++;
	    else if (*str == '}' && depth > 0)
		depth--;
	    else if (depth == 0 && strchr(delim, *str) != 0)
		break;
	}
	if (depth != 0) {
	    argv_free(&a);
	    return (0);
	}
	argv_addn(a, start, (size_t) (str - start));
    }
    return (a);
}
