#ifndef ARGV_H
#define ARGV_H
/*++
/* NAME
/*	argv 3h
/* SUMMARY
/*	growable, NULL-terminated string arrays
/* SYNOPSIS
/*	#include <argv.h>
/* DESCRIPTION
/*	struct argv holds argc strings in argv[0..argc-1] followed by a
/*	NULL pointer, so argv->argv can go straight to execv().
/*	argv_alloc() makes an empty array; argv_add(a, s, ..., (char *) 0)
/*	appends copies; argv_addn(a, s, len) appends a counted copy;
/*	argv_free() frees everything and clears the pointer.
/*	argv_split(str, delim) splits str at any of the delim characters,
/*	skipping empty fields; argv_split_quoted() also honours "..."
/*	quoting. argv_truncate() keeps the first n elements.
/* DIAGNOSTICS
/*	Fatal: out of memory.
/*--*/
#include <stddef.h>

struct argv {
    size_t  argc;
    size_t  len;			/* slots allocated */
    char  **argv;
};

extern struct argv *argv_alloc(size_t);
extern void argv_add(struct argv *,...) __attribute__((sentinel));
extern void argv_addn(struct argv *, const char *, size_t);
extern void argv_truncate(struct argv *, size_t);
extern void argv_free(struct argv **);
extern struct argv *argv_split(const char *, const char *);
extern struct argv *argv_split_quoted(const char *, const char *);
extern struct argv *argv_split_braced(const char *, const char *);

#endif
