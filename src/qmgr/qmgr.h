#ifndef QMGR_H
#define QMGR_H
/*++
/* NAME
/*	qmgr 3h
/* SUMMARY
/*	queue manager private interfaces
/* SYNOPSIS
/*	#include "qmgr.h"
/* DESCRIPTION
/*	qmgr_scan.c finds queue files (crash recovery at start, incoming/
/*	and deferred/ runs); qmgr_message.c holds the messages in the
/*	active queue and decides what becomes of a file once each
/*	recipient has a result; qmgr_deliver.c owns the connections to the
/*	local delivery agent and the scheduler that feeds them.
/*--*/
#include <sys/types.h>
#include <stddef.h>

#include <qfile.h>

struct vstring;

#define QMGR_CATCHUP_MS	100	/* scan after direct activations */
#define QMGR_TRIGGER_ID_MAX	64	/* queue ID in an "A" trigger */
#define QMGR_ABANDON_AGE	3600	/* unready file older than this: gone */

/* Per-recipient scheduling state (the file's state byte is separate). */
#define QMGR_RCPT_WAIT	0		/* to be dispatched */
#define QMGR_RCPT_BUSY	1		/* at a delivery agent */
#define QMGR_RCPT_DONE	2		/* sent or bounced (recorded) */
#define QMGR_RCPT_DEFER	3		/* deferred this round */

struct qmgr_dest;

struct qmgr_message {
    char   *id;
    struct qfile_info info;
    int    *rstate;			/* QMGR_RCPT_* per recipient */
    size_t  next;			/* first recipient maybe WAIT */
    size_t  busy;			/* recipients at an agent */
    size_t  deferred;			/* recipients deferred */
    char  **reason;			/* per recipient: last deferral */
    int     bounce_log;		/* bounce/X/ID exists */
    int     gone;			/* active/ID vanished: drop it */
    struct qmgr_message *prev;
    struct qmgr_message *next_msg;
};

 /*
  * qmgr_message.c
  */
extern struct qmgr_message *qmgr_message_list;
extern int qmgr_stopping;
extern size_t qmgr_message_count;
extern void qmgr_message_activate(const char *, const char *);
extern void qmgr_message_result(struct qmgr_message *, size_t, int,
				        const char *, const char *);
extern void qmgr_message_result_remote(struct qmgr_message *, size_t, int,
				          const char *, const char *,
				          const char *, const char *,
				          const char *, const char *);
extern int qmgr_message_expired(struct qmgr_message *, long);
extern void qmgr_message_done_if_idle(struct qmgr_message *);
extern int qmgr_message_next_wait(struct qmgr_message *, size_t *);
extern void qmgr_message_log(struct qmgr_message *, size_t, const char *,
				         const char *, const char *, const char *);
extern int qmgr_rcpt_is_local(const char *);
extern long qmgr_backoff(long, long);

 /*
  * qmgr_scan.c
  */
#define QMGR_SCAN_INCOMING	(1<<0)
#define QMGR_SCAN_DEFERRED	(1<<1)
extern void qmgr_scan_request(int);
extern void qmgr_scan_flush(void);
extern void qmgr_scan_one(const char *);
extern void qmgr_scan_recover(void);
extern void qmgr_scan_timer_start(void);
extern void qmgr_scan_room(void);

 /*
  * qmgr_deliver.c
  */
#define QMGR_LOCAL_SERVICE	"private/local"
extern void qmgr_deliver_schedule(void);
extern void qmgr_deliver_init(void);
extern void qmgr_deliver_unthrottle(void);

 /*
  * qmgr_route.c
  */
#define QMGR_LOCAL_TRANSPORT	"local"
#define QMGR_ROUTE_DEFER	(-1)
#define QMGR_ROUTE_LOCAL	0
#define QMGR_ROUTE_REMOTE	1
#define QMGR_ROUTE_ERROR	2
extern int qmgr_route_init(struct vstring *);
extern int qmgr_route(const char *, struct vstring *, struct vstring *);
extern int qmgr_route_name_ok(const char *);

#endif
