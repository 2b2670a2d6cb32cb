#ifndef DICT_SOURCE_H
#define DICT_SOURCE_H
/*++
/* NAME
/*	dict_source 3h
/* SUMMARY
/*	the text source of a table: logical lines, key/value pairs
/* SYNOPSIS
/*	#include <dict_source.h>
/* DESCRIPTION
/*	One reader for every table text: texthash, cidr and regexp tables
/*	and the files drommap builds maps from. The syntax:
/* .IP \(bu
/*	Empty lines and lines of white space only are ignored, and so
/*	are lines whose first non-blank character is "#" (a "#" elsewhere
/*	is text).
/* .IP \(bu
/*	A logical line starts with a non-blank character; a line that
/*	starts with white space continues it (joined with one space in
/*	place of the newline and the leading white space, as in main.cf).
/*	Comment and empty lines in between are skipped. A trailing
/*	carriage return is dropped from every line.
/* .IP \(bu
/*	A key/value line is "key whitespace value": the key runs to the
/*	first blank; the value is the rest, without blanks at either end.
/* .PP
/*	dict_source_open(path, why) opens a file; dict_source_fdopen(fd,
/*	origin) reads a descriptor that the caller keeps (standard input);
/*	dict_source_buf(origin, data, len) reads len bytes in memory (the
/*	bytes are not copied and must stay until close). origin, or the
/*	path, names the source in messages. dict_source_fd() is the
/*	descriptor of a file source, -1 for a buffer.
/*
/*	dict_source_get(src, line, why) puts the next logical line in line.
/*	dict_source_pair(src, key, value, why) reads the next logical line
/*	as a key/value pair. Both return:
/* .IP DICT_SOURCE_OK
/*	a line (a pair).
/* .IP DICT_SOURCE_EOF
/*	the end of the source.
/* .IP DICT_SOURCE_MALFORMED
/*	a line that is skipped; why says "FILE, line N: ..." (a line that
/*	starts with white space where no logical line can continue, a NUL
/*	byte, a key without a value). The caller warns and goes on, or
/*	fails, as its format requires.
/* .IP DICT_SOURCE_ERROR
/*	a read error or a line longer than DICT_SOURCE_LINE_MAX bytes;
/*	why says so, and the source cannot be read further.
/* .PP
/*	dict_source_lineno() is the number of the first physical line of
/*	the last logical line returned; dict_source_origin() the name used
/*	in messages. dict_source_close() frees (and closes a file it
/*	opened) and clears the pointer.
/*
/*	A function with the signature of dict_source_pair() is a source
/*	parser: drommap takes one per input format (key/value here; the
/*	aliases(5) format is another).
/* DIAGNOSTICS
/*	Status values and why; no logging.
/*--*/
#include <stddef.h>

struct vstring;
struct dict_source;

#define DICT_SOURCE_OK		1
#define DICT_SOURCE_EOF		0
#define DICT_SOURCE_MALFORMED	2
#define DICT_SOURCE_ERROR	(-1)

#define DICT_SOURCE_LINE_MAX	(1024 * 1024)	/* a logical line */

extern struct dict_source *dict_source_open(const char *, struct vstring *);
extern struct dict_source *dict_source_fdopen(int, const char *);
extern struct dict_source *dict_source_buf(const char *, const char *, size_t);
extern int dict_source_fd(struct dict_source *);
extern int dict_source_get(struct dict_source *, struct vstring *,
			           struct vstring *);
extern int dict_source_pair(struct dict_source *, struct vstring *,
			            struct vstring *, struct vstring *);
extern long dict_source_lineno(struct dict_source *);
extern const char *dict_source_origin(struct dict_source *);
extern void dict_source_close(struct dict_source **);

#endif
