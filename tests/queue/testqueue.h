#ifndef TESTQUEUE_H
#define TESTQUEUE_H
/*++
/* NAME
/*	testqueue 3h
/* SUMMARY
/*	helpers for the tests/queue programs
/* SYNOPSIS
/*	#include "testqueue.h"
/* DESCRIPTION
/*	tq_stream(data, len) returns a read stream over a memfd holding
/*	the bytes (the stream closes the memfd).
/*	tq_rec(buf, type, data, len) appends one record to buf, encoded
/*	here independently of rec_put(); tq_recs() appends a C string.
/*	tq_attr(buf, name, value, len) appends one attribute (name-length,
/*	name, value-length, value); tq_attr_end(buf) the end marker.
/*	tq_file(data, len) returns a descriptor of an unlinked temporary
/*	file holding the bytes, offset 0.
/*	tq_valid_file(buf) sets buf to a small valid queue file.
/*	tq_dir_setup()/tq_dir_teardown() are cmocka group fixtures that
/*	make a temporary queue_directory with the queue folders, chdir
/*	there, and remove it afterwards.
/* DIAGNOSTICS
/*	Failures fail the running cmocka test.
/*--*/
#include <stddef.h>

struct vstream;
struct vstring;

extern struct vstream *tq_stream(const void *, size_t);
extern void tq_rec(struct vstring *, int, const void *, size_t);
extern void tq_recs(struct vstring *, int, const char *);
extern void tq_attr(struct vstring *, const char *, const void *, size_t);
extern void tq_attr_end(struct vstring *);
extern int tq_file(const void *, size_t);
extern void tq_valid_file(struct vstring *);
extern int tq_dir_setup(void **);
extern int tq_dir_teardown(void **);

#endif
