#ifndef TESTQFILE_H
#define TESTQFILE_H
/*++
/* NAME
/*	testqfile 3h
/* SUMMARY
/*	make queue files and queue folders for unit tests
/* SYNOPSIS
/*	#include "testqfile.h"
/* DESCRIPTION
/*	testqfile_queue() makes a fresh folder with the queue folders
/*	(incoming, active, deferred, hold, corrupt), changes into it and
/*	returns its mymalloc()ed name; testqfile_done() leaves and removes
/*	it.
/*
/*	testqfile_make(queue, sender, rcpts, states, content, id) writes a
/*	committed queue file like cleanup does: rcpts is a null-terminated
/*	list, states a string with one REC_RCPT_* byte per recipient (or
/*	null: all to do). The ID goes into id. The content is split into
/*	C records of testqfile_chunk bytes (default REC_CONT_MAX).
/* DIAGNOSTICS
/*	Failures fail the running cmocka test.
/*--*/
#include <stddef.h>

struct vstring;

extern size_t testqfile_chunk;

extern char *testqfile_queue(void);
extern void testqfile_done(char **);
extern void testqfile_make(const char *, const char *, const char **,
			           const char *, const char *, struct vstring *);

#endif
