#ifndef DROMMAP_H
#define DROMMAP_H
/*++
/* NAME
/*	drommap 3h
/* SUMMARY
/*	drommap's private interface
/* SYNOPSIS
/*	#include "drommap.h"
/* DESCRIPTION
/*	A source format turns a text file into key/value pairs: it calls
/*	fn(ctx, key, value, file, line) once per entry, in file order,
/*	warns (msg_warn, "FILE, line N: ...") about each malformed line
/*	and skips it, and returns the number of malformed lines, or -1
/*	with a reason in why when the source cannot be read. parse_file()
/*	reads a file; parse_buf() len bytes in memory, named file in
/*	messages (standard input for -i). drommap_formats[] lists them:
/*	the first is the default ("key whitespace value"); the others are
/*	chosen by an option letter (-a: aliases(5)). The signatures are
/*	those of alias_parse_file() and alias_parse_buf(), so the aliases
/*	parser plugs in as one table row.
/*
/*	drommap_build() builds type:file from file atomically;
/*	drommap_incremental() adds pairs from standard input in place;
/*	drommap_delete() deletes keys in place; drommap_query() looks keys
/*	up; drommap_dump() lists a table. Each returns the exit status
/*	(0 success or found, 1 not found) or ends the program with
/*	msg_fatal() (exit status 2).
/* DIAGNOSTICS
/*	msg_warn() and msg_fatal().
/*--*/
#include <stddef.h>

struct vstring;

 /* fn(ctx, key, value, file, line) */
typedef void (*drommap_pair_fn) (void *, const char *, const char *,
				         const char *, int);

struct drommap_format {
    int     option;			/* 0: default, else its letter */
    const char *name;
    int     (*parse_file) (const char *, drommap_pair_fn, void *,
			           struct vstring *);
    int     (*parse_buf) (const char *, size_t, const char *,
			          drommap_pair_fn, void *);
};

extern const struct drommap_format drommap_formats[];
extern const struct drommap_format *drommap_format_find(int);

extern int drommap_build(const struct drommap_format *, const char *,
			         const char *, int);
extern int drommap_incremental(const struct drommap_format *, const char *,
			               const char *, int);
extern int drommap_delete(const char *, const char *, const char *, int);
extern int drommap_query(const char *, const char *, int);
extern int drommap_dump(const char *, int);

#define DROMMAP_LOCK_WAIT	60	/* seconds for another drommap */
#define DROMMAP_STDIN_MAX	(256 * 1024 * 1024)	/* -i input */

#endif
