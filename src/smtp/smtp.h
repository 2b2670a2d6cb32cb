#ifndef SMTP_H
#define SMTP_H
/*++
/* NAME
/*	smtp 3h
/* SUMMARY
/*	smtp delivery agent private interfaces
/* SYNOPSIS
/*	#include "smtp.h"
/* DESCRIPTION
/*	smtp.c reads request groups from qmgr and answers them;
/*	smtp_addr.c turns a next hop into the peer addresses to try (MX
/*	lookup, [host]:port, loop detection); smtp_connect.c connects to
/*	them in order and says hello; smtp_proto.c runs the mail
/*	transaction; smtp_mime.c converts 8-bit content for a peer without
/*	8BITMIME.
/*--*/
#include <sys/types.h>
#include <stddef.h>
#include <time.h>

#include <deliver_request.h>
#include <qfile.h>
#include <smtp_reply.h>

struct vstream;
struct vstring;

 /*
  * One peer address to try.
  */
struct smtp_peer {
    char   *host;			/* MX host or next-hop name */
    int     family;			/* AF_INET, AF_INET6 */
    unsigned char addr[16];
    char    addr_str[64];		/* text form */
    unsigned port;
    unsigned pref;			/* MX preference */
};

 /*
  * A result for every recipient of a group, or for the whole group.
  */
struct smtp_result {
    int     status;			/* DELIVER_STAT_*, -1: none yet */
    struct vstring *dsn;
    struct vstring *reason;		/* for logs and notices */
    struct vstring *diag;		/* "smtp; 550 ..." or empty */
    struct vstring *mta;		/* peer host or empty */
    const char *action;			/* "relayed", "passed" or "" */
    int     accepted;			/* RCPT got 2xx */
};

 /*
  * A connection to a peer, kept between groups for the same next hop.
  */
#define SMTP_FEAT_ESMTP		(1<<0)
#define SMTP_FEAT_PIPELINING	(1<<1)
#define SMTP_FEAT_SIZE		(1<<2)
#define SMTP_FEAT_8BITMIME	(1<<3)
#define SMTP_FEAT_DSN		(1<<4)
#define SMTP_FEAT_STARTTLS	(1<<5)

struct smtp_session {
    struct vstream *stream;
    char   *nexthop;			/* what it was opened for */
    char   *host;
    char    addr_str[64];
    unsigned port;
    struct vstring *namaddr;		/* "host[addr]:port" */
    int     features;
    long    size_limit;			/* SIZE n, 0: none announced */
    time_t  opened;
    int     messages;			/* transactions done */
};

 /*
  * Why no session: for every recipient of the group.
  */
struct smtp_fail {
    int     status;			/* DELIVER_STAT_DEFER or _BOUNCE */
    int     site;			/* the destination as a whole */
    struct vstring *dsn;
    struct vstring *reason;
    struct vstring *diag;
    struct vstring *mta;
};

 /*
  * smtp_addr.c
  */
extern int smtp_addr_parse_nexthop(const char *, struct vstring *,
				           unsigned *, int *);
extern int smtp_addr_find(const char *, struct smtp_peer **, size_t *,
			          struct smtp_fail *);
extern void smtp_addr_free(struct smtp_peer *, size_t);

 /*
  * smtp_connect.c
  */
extern struct smtp_session *smtp_connect(const char *, struct smtp_fail *);
extern void smtp_session_close(struct smtp_session **, int);
extern int smtp_session_alive(struct smtp_session *);
extern void smtp_fail_init(struct smtp_fail *);
extern void smtp_fail_free(struct smtp_fail *);
extern void smtp_fail_set(struct smtp_fail *, int, int, const char *,
			          const char *,...)
	__attribute__((format(printf, 5, 6)));

 /*
  * smtp_proto.c
  */
extern int smtp_transaction(struct smtp_session *, struct deliver_request **,
			            size_t, int, struct qfile_info *,
			            struct smtp_result *);

 /*
  * smtp_mime.c
  */
extern int smtp_mime_has_8bit(const char *, size_t);
extern void smtp_mime_downgrade(const char *, size_t, struct vstring *);

 /*
  * smtp.c
  */
extern struct smtp_reply smtp_reply_buf;

#endif
