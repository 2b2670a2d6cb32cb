/*++
/* NAME
/*	bounce 3h
/* SUMMARY
/*	bounce daemon: private interfaces
/* SYNOPSIS
/*	#include "bounce.h"
/* DESCRIPTION
/*	bounce_notice.c composes a notice from plain data (no files, no
/*	sockets: unit-tested alone); bounce_send.c reads a message's log
/*	and queue file, chooses who gets what, and hands the notice to
/*	cleanup.
/*--*/
#include <stddef.h>

#include <dsn_log.h>

struct vstring;

 /*
  * bounce_notice.c
  */
#define BOUNCE_TYPE_FAILURE	1	/* failures (and successes with them) */
#define BOUNCE_TYPE_SUCCESS	2	/* NOTIFY=SUCCESS reports only */
#define BOUNCE_TYPE_DELAY	3	/* delay warning */

struct bounce_notice {
    int     type;			/* BOUNCE_TYPE_* */
    const char *queue_id;		/* of the original message */
    const char *hostname;		/* Reporting-MTA, boundary */
    const char *sender;			/* the original envelope sender */
    const char *to;			/* who gets the notice */
    const char *from;			/* From: address */
    int     postmaster_copy;		/* to postmaster about a notice */
    long    arrival;			/* of the original message */
    long    now;			/* Date: */
    long    give_up;			/* delay: when it expires */
    const char *envid;			/* ENVID or null */
    const struct dsn_entry *entries;	/* reported recipients */
    size_t  count;
    const char *content;		/* what is returned of the message */
    size_t  content_len;
    int     headers_only;		/* content is the header section */
};

extern const char *bounce_notice_subject(const struct bounce_notice *);
extern void bounce_notice_compose(struct vstring *,
				          const struct bounce_notice *);
extern int bounce_notice_entry_reported(int, const struct dsn_entry *);

 /*
  * bounce_send.c
  */
extern int bounce_send(const char *, const char *, const char *,
		               struct vstring *, struct vstring *);
