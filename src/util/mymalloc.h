#ifndef MYMALLOC_H
#define MYMALLOC_H
/*++
/* NAME
/*	mymalloc 3h
/* SUMMARY
/*	memory allocation wrappers that never return NULL
/* SYNOPSIS
/*	#include <mymalloc.h>
/* DESCRIPTION
/*	mymalloc(), myrealloc() and mycalloc() allocate memory or end the
/*	process with msg_fatal(); sizes are overflow-checked.
/*	myfree() accepts NULL. mystrdup(), mystrndup() and mymemdup()
/*	copy into fresh memory.
/* DIAGNOSTICS
/*	Fatal: out of memory, or a size that overflows.
/*--*/
#include <stddef.h>

extern void *mymalloc(size_t);
extern void *mycalloc(size_t, size_t);
extern void *myrealloc(void *, size_t);
extern void *myreallocarray(void *, size_t, size_t);
extern void myfree(void *);
extern char *mystrdup(const char *);
extern char *mystrndup(const char *, size_t);
extern void *mymemdup(const void *, size_t);

#endif
