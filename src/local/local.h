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
/*	file and hands the recipient to local_alias.c, which expands
/*	aliases (and ~/.forward files through local_forward.c) and
/*	delivers each result: a mailbox (local_deliver.c, with the
/*	user's privileges; local_maildir.c and local_mbox.c are the two
/*	formats), a file (local_file.c), a command (local_command.c), or
/*	other addresses, sent on as one new message through cleanup
/*	(local_resend.c). local_copy.c writes the delivered message
/*	(Return-Path, Delivered-To, the content).
/*--*/
#include <sys/types.h>

struct argv;
struct htable;
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
    int     logged;			/* log line(s) written already */
};

 /*
  * An identity that runs commands and appends to files (never root).
  */
struct local_user {
    char   *name;
    uid_t   uid;
    gid_t   gid;
    char   *home;
    char   *shell;
};

 /*
  * Where the items being expanded come from (allow_mail_to_*).
  */
#define LOCAL_CLASS_ALIAS	1
#define LOCAL_CLASS_FORWARD	2
#define LOCAL_CLASS_INCLUDE	3

struct local_ctx {
    int     class;			/* LOCAL_CLASS_* */
    uid_t   owner;			/* owner of the file with the items */
    struct local_user *run;		/* runs commands, writes files */
    const char *sender;			/* envelope sender */
    const char *addr;			/* the address being expanded */
};

 /*
  * One recipient's expansion (local_alias.c).
  */
struct local_exp {
    struct deliver_request *req;
    struct local_state *state;		/* the queue file */
    char   *local;			/* local part, folded */
    char   *base;			/* local part without extension */
    char   *ext;			/* address extension, or "" */
    char   *delim;			/* the delimiter found, or "" */
    char   *domain;			/* recipient domain, or "" */
    struct argv *path;			/* names being expanded */
    struct htable *seen;		/* what was expanded or delivered */
    struct argv *fwd_senders;		/* senders of forwarded copies */
    struct argv **fwd_rcpts;		/* recipients, per sender */
    struct local_result *res;		/* the request's result */
    int     leaves;			/* deliveries tried */
    int     loops;			/* names dropped as loops */
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
extern void local_mailbox(struct local_state *, struct local_result *);
extern int local_become(uid_t, gid_t);
extern void local_restore(void);
extern void local_keep(void);
extern void local_log(const char *, const char *, const char *, long, long,
		              struct local_result *);

 /*
  * local_alias.c
  */
extern void local_recipient(struct local_exp *, struct local_pending *);
extern int local_alias_lookup(const char *, char **, uid_t *, gid_t *,
			              struct vstring *);
extern int local_user_by_name(const char *, struct local_user *);
extern int local_user_by_uid(uid_t, gid_t, struct local_user *);
extern void local_user_free(struct local_user *);
extern int local_allowed(const char *, int);

 /*
  * local_forward.c
  */
extern int local_forward_read(struct local_exp *, struct local_user *,
			              struct vstring *, struct vstring *);
extern int local_read_list(struct local_user *, const char *, uid_t, int,
			           uid_t *, gid_t *, struct vstring *,
			           struct vstring *);
extern int local_loop_check(struct local_state *, const char *);

 /*
  * local_command.c, local_file.c, local_resend.c
  */
extern void local_command(struct local_state *, struct local_exp *,
			          struct local_ctx *, const char *,
			          struct local_result *);
extern void local_file(struct local_state *, struct local_user *,
		               const char *, struct local_result *);
extern void local_resend(struct local_exp *, const char *, struct argv *,
			         struct local_result *);

 /*
  * local_maildir.c, local_mbox.c (child process, as the user)
  */
extern void local_maildir(struct local_state *, const char *,
			          struct local_result *);
extern void local_mbox(struct local_state *, const char *,
		               struct local_result *);
extern int local_mbox_append(struct local_state *, const char *, int,
			             struct vstring *);

#define LOCAL_MBOX_MAILBOX	0	/* a user's mailbox */
#define LOCAL_MBOX_FILE		1	/* an alias or .forward /file */
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
