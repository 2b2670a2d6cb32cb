#ifndef STRINGOPS_H
#define STRINGOPS_H
/*++
/* NAME
/*	stringops 3h
/* SUMMARY
/*	small string helpers
/* SYNOPSIS
/*	#include <stringops.h>
/* DESCRIPTION
/*	mystrtok(&bufp, delim) returns the next token of *bufp delimited by
/*	any of delim, skipping leading delimiters, NUL-terminating the token
/*	in place and advancing *bufp; NULL at the end (use instead of
/*	strtok, which is banned). trimblanks(str) removes trailing white
/*	space in place and returns a pointer past leading white space.
/*	lowercase(str) folds ASCII in place and returns str.
/*	alldig(str) is non-zero when str is a non-empty string of digits.
/*	str_to_long(str, &val_r, why) parses a whole decimal integer (sign
/*	allowed), failing on junk, empty input and overflow.
/*	str_has_prefix(str, prefix) is non-zero when str begins with prefix.
/*	printable(str, repl) replaces non-printable bytes in place.
/*	path_join(vs, dir, name) sets vs to dir/name.
/* DIAGNOSTICS
/*	str_to_long() returns -1 and fills why (if not NULL).
/*--*/
struct vstring;

extern char *mystrtok(char **, const char *);
extern char *trimblanks(char *);
extern char *lowercase(char *);
extern int alldig(const char *);
extern int str_to_long(const char *, long *, struct vstring *);
extern int str_has_prefix(const char *, const char *);
extern char *printable(char *, int);
extern struct vstring *path_join(struct vstring *, const char *, const char *);

#endif
