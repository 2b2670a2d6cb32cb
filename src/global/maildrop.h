#ifndef MAILDROP_H
#define MAILDROP_H
/*++
/* NAME
/*	maildrop 3h
/* SUMMARY
/*	local submissions: the record stream sendmail writes and the
/*	files dromdrop leaves in maildrop/
/* SYNOPSIS
/*	#include <maildrop.h>
/* DESCRIPTION
/*	See maildrop.c.
/*--*/
#include <sys/types.h>
#include <stddef.h>

struct vstring;
struct vstream;

#define MAILDROP_MAGIC_TEXT	"dromos-maildrop 1"

#define MAILDROP_FROM_CLIENT	1	/* sendmail -> dromdrop stream */
#define MAILDROP_FILE		2	/* a file in maildrop/ */

#define MAILDROP_ATTR_MAX	1024	/* bytes of an attribute value */
#define MAILDROP_ADDR_MAX	1024	/* bytes of an address */
#define MAILDROP_RCPT_MAX	100000	/* recipients of one submission */

/* The state of a check, record by record. */
struct maildrop_check {
    int     mode;			/* MAILDROP_FROM_CLIENT or _FILE */
    int     state;			/* where in the grammar */
    int     seen;			/* attributes seen (a bit each) */
    int     pending;			/* an N record waits for its R */
    long    rcpts;			/* R records so far */
    off_t   size;			/* content bytes so far */
    off_t   size_limit;			/* 0: none */
    long    uid;			/* the file's uid attribute, or -1 */
    int     records;			/* records checked */
};

#define MAILDROP_CHECK_MORE	0	/* fine, go on */
#define MAILDROP_CHECK_DONE	1	/* the E record: complete */
#define MAILDROP_CHECK_ERROR	(-1)	/* malformed, reason in why */
#define MAILDROP_CHECK_SIZE	(-2)	/* content over the size limit */

extern void maildrop_check_init(struct maildrop_check *, int, off_t);
extern int maildrop_check_rec(struct maildrop_check *, int, const char *,
			              size_t, struct vstring *);
extern int maildrop_check_stream(struct vstream *, int, off_t,
				         struct maildrop_check *,
				         struct vstring *);
extern int maildrop_name_valid(const char *);

#endif
