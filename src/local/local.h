#ifndef LOCAL_H
#define LOCAL_H
/*++
/* NAME
/*	local 3h
/* SUMMARY
/*	local delivery agent private interfaces
/* SYNOPSIS
/*	#include "local.h"
/* DESCRIPTION
/*	local_deliver.c does one delivery request: it opens the queue
/*	file, finds the user, and runs the delivery in a child process
/*	with the user's privileges. local_maildir.c and local_mbox.c are
/*	the two mailbox formats (run in that child); local_copy.c writes
/*	the delivered message (Return-Path, Delivered-To, the content).
/*--*/
#include <sys/types.h>

struct vstream;
struct vstring;
struct qfile_info;
struct deliver_request;

#define LOCAL_LOCK_TIMEOUT	60	/* seconds to wait for a mailbox lock */
#define LOCAL_LOCK_STALE	300	/* a dotlock older than this is stale */

#include <sys/time.h>

 /*
  * A Maildir delivery of a group commit: written to tmp/, not yet synced
  * and linked (see local_maildir.c).
  */
struct local_pending {
    int     fd;				/* the tmp/ file, or -1 */
    int     linked;			/* linked into new/ */
    int     dir_synced;			/* new/ synced after the link */
    int     commit;			/* pending when the commit began */
    uid_t   uid;			/* the user's identity */
    gid_t   gid;
    struct vstring *base;		/* the Maildir */
    struct vstring *tmp;		/* tmp/ name */
    struct vstring *host;		/* host part of file names */
    struct timeval tv;			/* time in the file names */
    long    arrival_sec;		/* for the log line */
    long    arrival_usec;
};

 /* Internal status: written, commit to follow. */
#define LOCAL_STAT_PENDING	100

struct local_state {
    const char *queue_id;
    const char *sender;
    const char *recipient;
    const char *user;			/* login name */
    uid_t   uid;
    gid_t   gid;
    const char *home;
    int     qfd;			/* queue file, read-only */
    struct qfile_info *info;
    int     spool_priv;			/* may regain root for spool locks */
    struct local_pending *pending;	/* group commit, or null */
};

struct local_result {
    int     status;			/* DELIVER_STAT_* */
    struct vstring *dsn;
    struct vstring *reason;
};

 /*
  * local_deliver.c
  */
extern void local_deliver(struct deliver_request *, struct local_result *,
			         struct local_pending *);
extern void local_commit(struct deliver_request **, struct local_result *,
			         struct local_pending *, int);
extern void local_result_set(struct local_result *, int, const char *,
			             const char *,...)
	__attribute__((format(printf, 4, 5)));

 /*
  * local_maildir.c, local_mbox.c (child process, as the user)
  */
extern void local_maildir(struct local_state *, const char *,
			          struct local_result *);
extern void local_mbox(struct local_state *, const char *,
		               struct local_result *);
extern int local_priv(struct local_state *, int);
extern void local_maildir_link(struct local_pending *, struct local_result *);
extern void local_maildir_sync(struct local_pending *, struct local_result *);
extern void local_pending_init(struct local_pending *);
extern void local_pending_reset(struct local_pending *);
extern void local_pending_free(struct local_pending *);

 /*
  * local_copy.c
  */
extern int local_copy(struct local_state *, struct vstream *, int,
		              struct vstring *);

#endif
