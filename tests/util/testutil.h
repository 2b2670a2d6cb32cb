#ifndef TESTUTIL_H
#define TESTUTIL_H
/*++
/* NAME
/*	testutil 3h
/* SUMMARY
/*	helpers shared by the util unit tests
/* SYNOPSIS
/*	#include "testutil.h"
/* DESCRIPTION
/*	testutil_tmpdir() makes a fresh private folder under $TMPDIR (or
/*	/tmp) and returns its mymalloc()ed name; testutil_rmtree() removes
/*	a folder and everything below it.
/*
/*	testutil_dir_setup() and testutil_dir_teardown() are cmocka group
/*	fixtures that make testutil_dir (a fresh folder) and remove it.
/*
/*	testutil_fork_call(fn, arg, err_r) runs fn(arg) in a child process
/*	whose stderr goes into err_r (when not NULL) and returns the wait
/*	status: the way to check "expect this fatal/panic" cases, since
/*	msg_fatal() exits and msg_panic() aborts. A child whose fn returns
/*	exits with status 0.
/*
/*	testutil_free_port() returns a TCP port on 127.0.0.1 that was free
/*	a moment ago (bound to port 0, then closed).
/* DIAGNOSTICS
/*	Setup failures fail the running cmocka test.
/*--*/
struct vstring;

extern char *testutil_dir;
extern char *testutil_tmpdir(void);
extern int testutil_dir_setup(void **);
extern int testutil_dir_teardown(void **);
extern void testutil_rmtree(const char *);
extern int testutil_fork_call(void (*) (void *), void *, struct vstring *);
extern int testutil_free_port(void);

#endif
