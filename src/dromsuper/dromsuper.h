#ifndef DROMSUPER_H
#define DROMSUPER_H
/*++
/* NAME
/*	dromsuper 3h
/* SUMMARY
/*	dromsuper's private interface
/* SYNOPSIS
/*	#include "dromsuper.h"
/* DESCRIPTION
/*	Every function runs with queue_directory as the working directory.
/*
/*	dromsuper_queue.c: dromsuper_find(id, queues) returns the first
/*	queue (a DROMSUPER_Q_* name) in the null-terminated list queues
/*	that holds a file named id, or 0. dromsuper_path(buf, queue, id)
/*	is qfile_path(), or maildrop/id for the flat maildrop/.
/*	dromsuper_walk(queue, fn, ctx) calls fn(queue, id, ctx) for each
/*	queue file in queue (a name that is a valid queue ID in the right
/*	subfolder). Per-message records go to the mail log only
/*	(msg_info_log()). dromsuper_trigger() wakes qmgr (a lost
/*	trigger only delays: qmgr scans on its own timer).
/*	dromsuper_forget(id) removes the message's notice logs.
/*
/*	dromsuper_op.c: one function per operation, called with the queue
/*	that holds the message; each returns DROMSUPER_DONE, DROMSUPER_GONE
/*	(the file was no longer there: qmgr took it, or another dromsuper),
/*	DROMSUPER_BUSY (the message is in active/ and the operation needs
/*	it out of qmgr's hands), DROMSUPER_SKIP (nothing to do) or
/*	DROMSUPER_FAIL (an error, logged).
/*
/*	dromsuper_check.c: dromsuper_structure() and dromsuper_purge()
/*	(-s and -p); each returns the number of problems left unrepaired.
/* DIAGNOSTICS
/*	msg_warn() for each message that could not be handled.
/*--*/
struct vstring;

#define DROMSUPER_Q_MAILDROP	"maildrop"

#define DROMSUPER_DONE	0
#define DROMSUPER_GONE	1
#define DROMSUPER_BUSY	2
#define DROMSUPER_SKIP	3
#define DROMSUPER_FAIL	4

#define DROMSUPER_TMP_AGE	3600	/* a temporary file older is left over */

 /*
  * dromsuper_queue.c
  */
typedef void (*dromsuper_walk_fn) (const char *, const char *, void *);
extern const char *dromsuper_find(const char *, const char *const *);
extern const char *dromsuper_path(struct vstring *, const char *, const char *);
extern int dromsuper_walk(const char *, dromsuper_walk_fn, void *);
extern void dromsuper_trigger(void);
extern void dromsuper_forget(const char *);

 /*
  * dromsuper_op.c
  */
typedef int (*dromsuper_op_fn) (const char *, const char *);
extern int dromsuper_delete(const char *, const char *);
extern int dromsuper_hold(const char *, const char *);
extern int dromsuper_release(const char *, const char *);
extern int dromsuper_requeue(const char *, const char *);
extern int dromsuper_expire(const char *, const char *);

 /*
  * dromsuper_check.c
  */
extern int dromsuper_structure(void);
extern int dromsuper_purge(void);

#endif
