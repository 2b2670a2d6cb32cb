#ifndef CLEANUP_H
#define CLEANUP_H
/*++
/* NAME
/*	cleanup 3h
/* SUMMARY
/*	cleanup daemon: private interfaces
/* SYNOPSIS
/*	#include "cleanup.h"
/* DESCRIPTION
/*	The cleanup daemon is split by stage:
/* .IP cleanup.c
/*	the program: man page, parameters, the per-connection loop.
/* .IP cleanup_state.c
/*	struct cleanup_state: one message being written.
/* .IP cleanup_envelope.c
/*	the client's records before the content (A, S, O, R, M).
/* .IP cleanup_message.c
/*	the content records (C, X, E), the queue file trailer (Z, E),
/*	commit or removal.
/* .IP cleanup_out.c
/*	queue file output: records, C record buffering, error tracking.
/* .IP cleanup_notify.c
/*	the "I" trigger datagram to qmgr.
/* .IP cleanup_header.c
/*	the header processor (no daemon dependencies; unit-tested and
/*	fuzzed on its own).
/*--*/
#include <sys/time.h>
#include <sys/types.h>
#include <stddef.h>

struct vstream;
struct vstring;

 /*
  * Header processing (cleanup_header.c). The content goes in as bytes
  * (cleanup_header_feed, in pieces of any size) and comes out through the
  * output call-back: the prepended text first (the Received: header), then
  * the message headers, then missing headers appended at the end of the
  * header section, then the body.
  */
typedef void (*cleanup_header_out_fn) (void *, const char *, size_t);

#define CLEANUP_HDR_DATE	(1<<0)	/* Date: seen */
#define CLEANUP_HDR_MSGID	(1<<1)	/* Message-ID: seen */
#define CLEANUP_HDR_FROM	(1<<2)	/* From: seen */
#define CLEANUP_HDR_RDATE	(1<<3)	/* Resent-Date: seen */
#define CLEANUP_HDR_RMSGID	(1<<4)	/* Resent-Message-ID: seen */
#define CLEANUP_HDR_RFROM	(1<<5)	/* Resent-From: seen */
#define CLEANUP_HDR_RESENT	(1<<6)	/* any Resent-* header seen */

#define CLEANUP_HDR_VALUE_MAX	1000	/* kept Message-ID value */

struct cleanup_header {
    size_t  limit;			/* header_size_limit, one header */
    cleanup_header_out_fn out;		/* output call-back */
    void   *context;			/* its context */
    int     in_body;			/* header section is over */
    int     ended;			/* cleanup_header_end() was called */
    struct vstring *line;		/* the partial line */
    struct vstring *hdr;		/* the current logical header */
    struct vstring *scratch;
    int     seen;			/* CLEANUP_HDR_* */
    long    received;			/* Received: headers in the input */
    char   *msgid;			/* first Message-ID value (or added) */
    char   *resent_msgid;		/* first Resent-Message-ID value */
    int     added;			/* CLEANUP_HDR_* that we added */
    int     oversize;			/* a too-long header ended the headers */
    int     eoh_inserted;		/* we inserted the empty line */
    off_t   content_size;		/* bytes output */
    off_t   header_size;		/* bytes of header section output */
    int     last;			/* last byte output, or -1 */
    char   *add_date;			/* value for a missing Date: */
    char   *add_msgid;			/* value for a missing Message-ID: */
    char   *add_from;			/* value for a missing From: */
};

struct cleanup_received {
    const char *helo;			/* helo_name or NULL */
    const char *client_name;		/* client_name or NULL */
    const char *client_addr;		/* client_addr; NULL: local form */
    const char *protocol;		/* "ESMTP" etc. or NULL */
    const char *hostname;		/* $myhostname */
    const char *mail_name;		/* $mail_name */
    const char *queue_id;
    const char *rcpt;			/* "for" clause, or NULL */
    const char *date;			/* RFC 5322 date */
    long    uid;			/* local form: userid, or -1 */
};

extern struct cleanup_header *cleanup_header_alloc(size_t,
				            cleanup_header_out_fn, void *);
extern void cleanup_header_missing(struct cleanup_header *, const char *,
				           const char *, const char *);
extern void cleanup_header_prepend(struct cleanup_header *, const char *,
				           size_t);
extern void cleanup_header_feed(struct cleanup_header *, const char *, size_t);
extern void cleanup_header_end(struct cleanup_header *);
extern void cleanup_header_free(struct cleanup_header **);
extern ssize_t cleanup_header_name_len(const char *, size_t);
extern struct vstring *cleanup_header_msgid(struct vstring *, time_t,
				              const char *, const char *);
extern struct vstring *cleanup_header_received(struct vstring *,
				           const struct cleanup_received *);

 /*
  * One message being written (cleanup_state.c).
  */
struct cleanup_state {
    struct vstream *client;		/* the client connection */
    struct vstring *queue_id;		/* of the file being written */
    int     fd;				/* queue file descriptor, or -1 */
    int     name_synced;		/* its folder was fsynced */
    struct vstream *dst;		/* queue file stream, or NULL */
    int     status;			/* CLEANUP_STAT_* so far */
    struct vstring *reason;		/* text for the client */
    struct vstring *buf;		/* record data from the client */
    struct vstring *out;		/* content not yet written as C */
    struct vstring *why;		/* library error text */
    struct vstring *temp;		/* scratch */
    struct timeval arrival;		/* of the message */
    char   *sender;			/* S record, or NULL before it */
    char   *helo_name;			/* A attributes we use */
    char   *client_name;
    char   *client_addr;
    char   *protocol;
    char   *full_name;			/* sendmail -F, for an added From: */
    long    uid;			/* A uid=N for local submissions */
    char   *first_rcpt;			/* for the Received: header */
    long    rcpt_count;			/* R records */
    int     orcpt_pending;		/* an O record waits for its R */
    int     dsn_pending;		/* an N record waits for its R */
    int     dsn_notify;			/* scratch */
    off_t   client_size;		/* content bytes from the client */
    struct cleanup_header *hdr;		/* header processor */
    char   *act_hold;			/* smtpd: HOLD (why) */
    char   *act_discard;		/* smtpd: DISCARD (why) */
    char   *act_redirect;		/* smtpd: REDIRECT address */
    struct vstring *act_prepend;	/* smtpd: PREPEND headers, "\n" each */
};

extern struct cleanup_state *cleanup_state_alloc(struct vstream *);
extern void cleanup_state_reset(struct cleanup_state *);
extern void cleanup_state_free(struct cleanup_state **);

 /*
  * Client record reading: results.
  */
#define CLEANUP_READ_DONE	0	/* the message is complete (E) */
#define CLEANUP_READ_GONE	1	/* the client went away */
#define CLEANUP_READ_BAD	2	/* protocol violation */

#define CLEANUP_REC_MAX		65536	/* largest record we accept */
#define CLEANUP_ATTR_NAME_MAX	64	/* as qfile_read_envelope() */

extern int cleanup_envelope(struct cleanup_state *);
extern int cleanup_message(struct cleanup_state *);
extern int cleanup_read_record(struct cleanup_state *);
extern void cleanup_unexpected(struct cleanup_state *, int);

 /*
  * Queue file output (cleanup_out.c).
  */
extern int cleanup_out_open(struct cleanup_state *);
extern void cleanup_out_prepare(void);
extern void cleanup_out_unprepare(void);
extern void cleanup_out_sync_name(struct cleanup_state *);
extern void cleanup_out_rec(struct cleanup_state *, int, const char *, size_t);
extern void cleanup_out_string(struct cleanup_state *, int, const char *);
extern void cleanup_out_content(void *, const char *, size_t);
extern void cleanup_out_flush_content(struct cleanup_state *, int);
extern int cleanup_out_finish(struct cleanup_state *);
extern void cleanup_out_discard(struct cleanup_state *);

 /*
  * qmgr trigger (cleanup_notify.c).
  */
extern void cleanup_notify_init(void);
extern void cleanup_notify_qmgr(const char *);

#define CLEANUP_QMGR_SERVICE	"private/qmgr"
#define CLEANUP_QMGR_TRIGGER	"A"	/* followed by the queue ID */

#endif
