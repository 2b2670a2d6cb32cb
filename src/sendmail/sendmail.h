/*++
/* NAME
/*	sendmail 3h
/* SUMMARY
/*	sendmail(1) internal interfaces
/* SYNOPSIS
/*	#include "sendmail.h"
/* DESCRIPTION
/*	sendmail_msg.c reads a message, finds header recipients (-t) and
/*	hands a submission to dromdrop(1); sendmail_bs.c is the SMTP
/*	dialogue of "sendmail -bs".
/*--*/
#include <sys/types.h>

struct argv;
struct vstream;
struct vstring;

/* One submission. */
struct sendmail_msg {
    const char *sender;			/* envelope sender, "" for <> */
    struct argv *rcpts;			/* recipients */
    int     notify;			/* DSN NOTIFY mask, 0: none given */
    const int *rcpt_notify;		/* per recipient (0: notify), or null */
    const char *ret;			/* DSN RET, or null */
    const char *envid;			/* DSN ENVID (decoded), or null */
    const char *full_name;		/* -F or the user's name, or null */
};

 /*
  * sendmail_msg.c
  */
#define SENDMAIL_READ_DOT	(1<<0)	/* a lone "." ends the message */
#define SENDMAIL_READ_SMTP	(1<<1)	/* SMTP DATA: CRLF, dot-stuffing */

#define SENDMAIL_READ_OK	0
#define SENDMAIL_READ_TOOBIG	1	/* over the limit: rest discarded */
#define SENDMAIL_READ_ERROR	(-1)	/* read error or timeout */

extern int sendmail_read(struct vstream *, int, off_t, struct vstring *);
extern int sendmail_extract(struct vstring *, struct argv *);
extern int sendmail_submit(const struct sendmail_msg *, const struct vstring *,
			           struct vstring *);
extern const char *sendmail_config_dir;

 /*
  * sendmail_bs.c
  */
extern int sendmail_bs(const struct sendmail_msg *);
