#ifndef MAIL_ADDR_H
#define MAIL_ADDR_H
/*++
/* NAME
/*	mail_addr 3h
/* SUMMARY
/*	RFC 5321 envelope addresses (reverse-path and forward-path)
/* SYNOPSIS
/*	#include <mail_addr.h>
/* DESCRIPTION
/*	See mail_addr.c.
/*--*/
#include <stddef.h>

struct vstring;

#define MAIL_ADDR_FLAG_NONE	0
#define MAIL_ADDR_FLAG_NULL_OK	(1<<0)	/* "<>" is allowed (reverse-path) */
#define MAIL_ADDR_FLAG_BARE_OK	(1<<1)	/* angle brackets may be missing */
#define MAIL_ADDR_FLAG_NODOMAIN	(1<<2)	/* "local" without "@domain" is ok */
#define MAIL_ADDR_FLAG_LENIENT	(1<<3)	/* "a@b@c", "a@b." (not strict) */

#define MAIL_ADDR_LOCAL_MAX	64	/* RFC 5321 4.5.3.1.1 */
#define MAIL_ADDR_DOMAIN_MAX	255	/* RFC 5321 4.5.3.1.2 */
#define MAIL_ADDR_PATH_MAX	256	/* RFC 5321 4.5.3.1.3, with <> */

extern const char *mail_addr_parse(const char *, size_t, int,
				           struct vstring *, struct vstring *);
extern int mail_addr_split(const char *, struct vstring *, struct vstring *);
extern int mail_addr_domain_valid(const char *, size_t);
extern int mail_addr_domain_in_list(const char *, const char *);

#endif
