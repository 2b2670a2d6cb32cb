#ifndef ALIAS_PARSE_H
#define ALIAS_PARSE_H
/*++
/* NAME
/*	alias_parse 3h
/* SUMMARY
/*	aliases(5) files, .forward and :include: lists
/* SYNOPSIS
/*	#include <alias_parse.h>
/* DESCRIPTION
/*	An aliases file is a sequence of logical lines "name: value".
/*	A physical line that begins with white space continues the
/*	logical line before it (joined with one space); blank lines and
/*	lines whose first non-blank character is "#" are skipped and do
/*	not end a logical line.
/*
/*	alias_parse_file(path, fn, ctx, why) reads path (at most
/*	ALIAS_PARSE_FILE_MAX bytes) and calls
/*
/* .nf
/*	fn(ctx, name, value, file, line)
/* .fi
/*
/*	once per entry, in file order: name folded to lower case (the
/*	double quotes of a quoted name removed), value the joined
/*	logical line after the colon without leading or trailing white
/*	space, file the path, line the number of the entry's first
/*	physical line. Malformed lines (no colon, an empty name, an
/*	unquoted name with white space, an empty value, a NUL byte, a
/*	logical line over ALIAS_PARSE_LINE_MAX bytes, a continuation
/*	line before any entry) are skipped with a warning "FILE, line N:
/*	...". It returns the number of malformed lines, or -1 with a
/*	reason in why when the file cannot be read. Duplicate names are
/*	passed on as they come: the caller decides.
/*
/*	alias_parse_buf(data, len, file, fn, ctx) does the same for len
/*	bytes in memory (file names them in warnings).
/*
/*	alias_lines_buf(data, len, file, fn, ctx) is the logical-line
/*	reader alone, for .forward and :include: files (the right-hand
/*	side syntax, one list per logical line): fn(ctx, text, file,
/*	line) per logical line, trimmed.
/*
/*	alias_split(value) splits a value (or a .forward line) into its
/*	items: separated by commas; an address item also ends at white
/*	space. A fully double-quoted item loses its quotes ("|cmd a, b"
/*	is one item |cmd a, b; a backslash inside quotes makes the next
/*	character literal). An unquoted item that begins with "|", "/" or
/*	":include:" runs to the next comma outside double quotes, with
/*	its inner quotes kept. An address "Phrase <addr>" gives addr. The
/*	caller frees the result with argv_free().
/*
/*	alias_item_type(item, &rest) classifies an item:
/*	ALIAS_ITEM_COMMAND ("|", rest is the command), ALIAS_ITEM_FILE
/*	("/...", rest is the path), ALIAS_ITEM_INCLUDE (":include:",
/*	case-insensitive, rest is the path without leading blanks) or
/*	ALIAS_ITEM_ADDRESS (rest is the item; a leading backslash, as
/*	in "\user", is left for the caller).
/* DIAGNOSTICS
/*	Warnings (msg_warn) for malformed lines; return values.
/*--*/
#include <stddef.h>

struct vstring;
struct argv;

#define ALIAS_PARSE_FILE_MAX	(64 * 1024 * 1024)
#define ALIAS_PARSE_LINE_MAX	(1024 * 1024)

#define ALIAS_ITEM_ADDRESS	1
#define ALIAS_ITEM_FILE		2
#define ALIAS_ITEM_COMMAND	3
#define ALIAS_ITEM_INCLUDE	4

 /* fn(ctx, name, value, file, line) */
typedef void (*alias_parse_fn) (void *, const char *, const char *,
				        const char *, int);

 /* fn(ctx, text, file, line) */
typedef void (*alias_line_fn) (void *, const char *, const char *, int);

extern int alias_parse_file(const char *, alias_parse_fn, void *,
			            struct vstring *);
extern int alias_parse_buf(const char *, size_t, const char *,
			           alias_parse_fn, void *);
extern int alias_lines_buf(const char *, size_t, const char *,
			           alias_line_fn, void *);
extern struct argv *alias_split(const char *);
extern int alias_item_type(const char *, const char **);

#endif
