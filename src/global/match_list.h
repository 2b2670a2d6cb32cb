#ifndef MATCH_LIST_H
#define MATCH_LIST_H
/*++
/* NAME
/*	match_list 3h
/* SUMMARY
/*	lists of domains, hosts and networks, as in main.cf
/* SYNOPSIS
/*	#include <match_list.h>
/* DESCRIPTION
/*	See match_list.c.
/*--*/
struct vstring;
struct match_list;

#define MATCH_FLAG_NONE		0
#define MATCH_FLAG_PARENT	(1<<0)	/* "example.com" matches subdomains */

#define MATCH_YES		1
#define MATCH_NO		0
#define MATCH_ERROR		(-1)	/* a table failed: try again later */

extern struct match_list *match_list_create(const char *, const char *, int,
					            struct vstring *);
extern int match_list_domain(struct match_list *, const char *);
extern int match_list_addr(struct match_list *, const char *);
extern int match_list_client(struct match_list *, const char *, const char *);
extern const char *match_list_error(struct match_list *);
extern int match_list_changed(struct match_list *);
extern void match_list_free(struct match_list **);

extern int match_parent_style(const char *);
extern int match_addr_parse(const char *, unsigned char *, int *);
extern int match_net_parse(const char *, unsigned char *, int *, int *,
			           struct vstring *);
extern int match_net_contains(const unsigned char *, int, int,
			              const unsigned char *, int);

#endif
