#ifndef VSTREAM_H
#define VSTREAM_H
/*++
/* NAME
/*	vstream 3h
/* SUMMARY
/*	buffered streams over a descriptor, with deadlines and bounded lines
/* SYNOPSIS
/*	#include <vstream.h>
/* DESCRIPTION
/*	A struct vstream buffers reads and writes on one file descriptor
/*	(socket, pipe or file). Every read and write waits at most the
/*	stream's timeout (seconds; 0 = wait forever) for the descriptor to
/*	become ready, using poll(2), so a silent peer cannot hold a process.
/*	The descriptor may be blocking or non-blocking.
/*
/*	vstream_fdopen(fd, flags) wraps fd; VSTREAM_FLAG_CLOSE makes
/*	vstream_close() close it too. vstream_close() flushes pending
/*	output, frees the stream and clears the pointer; it returns 0 or
/*	-1 when the final flush failed.
/*	vstream_set_timeout() sets the per-operation deadline in seconds.
/*
/*	vstream_get_line(s, buf, maxlen) replaces buf with the next line,
/*	newline included when there is one, reading at most maxlen bytes:
/* .IP VSTREAM_OK
/*	a whole line ending in "\n".
/* .IP VSTREAM_TOOLONG
/*	maxlen bytes without "\n": buf holds them; the rest of the line
/*	is still unread (vstream_skip_line() discards it).
/* .IP VSTREAM_PARTIAL
/*	end of file after some bytes but before "\n": buf holds them.
/* .IP VSTREAM_EOF
/*	end of file, nothing read.
/* .IP VSTREAM_TIMEOUT
/*	the deadline passed.
/* .IP VSTREAM_ERROR
/*	a read error (errno is kept).
/* .PP
/*	vstream_skip_line() reads and discards up to and including the
/*	next newline; returns one of the status values above.
/*	vstream_read(s, buf, len) reads exactly len bytes unless end of file
/*	or an error comes first; it returns the count read, or -1 on error
/*	or timeout (vstream_status() tells which).
/*	vstream_getc() returns a byte or -1 (end, error, timeout).
/*	vstream_write() buffers len bytes; vstream_puts() a C string;
/*	vstream_printf() formatted text. vstream_flush() writes the buffer
/*	out. Write functions return 0 or -1 (error or timeout); after an
/*	error the stream stays in error and further writes fail.
/*	vstream_pending() is the number of bytes already buffered for
/*	reading (so a caller can discard them, e.g. after STARTTLS).
/*	vstream_discard_input() drops them.
/*	vstream_fileno() returns the descriptor.
/*	vstream_status() returns the last status (VSTREAM_OK when no
/*	error happened).
/* DIAGNOSTICS
/*	Functions report through return values; they never log.
/*--*/
#include <stddef.h>
#include <sys/types.h>

struct vstring;
struct vstream;

#define VSTREAM_FLAG_CLOSE	(1<<0)	/* close fd on vstream_close */

#define VSTREAM_OK		0
#define VSTREAM_TOOLONG		1
#define VSTREAM_PARTIAL		2
#define VSTREAM_EOF		3
#define VSTREAM_TIMEOUT		4
#define VSTREAM_ERROR		5

extern struct vstream *vstream_fdopen(int, int);
extern int vstream_close(struct vstream **);
extern void vstream_set_timeout(struct vstream *, int);
extern int vstream_get_line(struct vstream *, struct vstring *, size_t);
extern int vstream_skip_line(struct vstream *);
extern ssize_t vstream_read(struct vstream *, void *, size_t);
extern int vstream_getc(struct vstream *);
extern int vstream_write(struct vstream *, const void *, size_t);
extern int vstream_puts(struct vstream *, const char *);
extern int vstream_printf(struct vstream *, const char *,...)
	__attribute__((format(printf, 2, 3)));
extern int vstream_flush(struct vstream *);
extern size_t vstream_pending(struct vstream *);
extern void vstream_discard_input(struct vstream *);
extern int vstream_fileno(struct vstream *);
extern int vstream_status(struct vstream *);
extern const char *vstream_status_str(int);

#endif
