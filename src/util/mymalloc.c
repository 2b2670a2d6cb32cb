/*++
/* NAME
/*	mymalloc 3
/* SUMMARY
/*	memory allocation wrappers that never return NULL
/* SYNOPSIS
/*	#include <mymalloc.h>
/* DESCRIPTION
/*	See mymalloc.h. Every allocation failure and every size overflow
/*	is fatal: callers never test for NULL.
/* DIAGNOSTICS
/*	Fatal: out of memory; size overflow.
/*--*/
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include <msg.h>
#include <mymalloc.h>

void   *mymalloc(size_t len)
{
    void   *p;

    if ((p = malloc(len ? len : 1)) == 0)
	msg_fatal("mymalloc: insufficient memory for %zu bytes", len);
    return (p);
}

void   *mycalloc(size_t n, size_t size)
{
    void   *p;

    if ((p = calloc(n ? n : 1, size ? size : 1)) == 0)
	msg_fatal("mycalloc: insufficient memory for %zu x %zu bytes", n, size);
    return (p);
}

void   *myrealloc(void *ptr, size_t len)
{
    void   *p;

    if ((p = realloc(ptr, len ? len : 1)) == 0)
	msg_fatal("myrealloc: insufficient memory for %zu bytes", len);
    return (p);
}

void   *myreallocarray(void *ptr, size_t n, size_t size)
{
    size_t  total;

    if (__builtin_mul_overflow(n, size, &total))
	msg_fatal("myreallocarray: size overflow: %zu x %zu", n, size);
    return (myrealloc(ptr, total));
}

void    myfree(void *ptr)
{
    free(ptr);
}

void   *mymemdup(const void *src, size_t len)
{
    void   *p = mymalloc(len);

    if (len)
	memcpy(p, src, len);
    return (p);
}

char   *mystrndup(const char *src, size_t len)
{
    size_t  n = strnlen(src, len);
    char   *p;

    if (n == SIZE_MAX)
	msg_fatal("mystrndup: size overflow");
    p = mymalloc(n + 1);
    memcpy(p, src, n);
    p[n] = 0;
    return (p);
}

char   *mystrdup(const char *src)
{
    return (mymemdup(src, strlen(src) + 1));
}
