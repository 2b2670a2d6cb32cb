#ifndef ADDR_CLASS_H
#define ADDR_CLASS_H
/*++
/* NAME
/*	addr_class 3h
/* SUMMARY
/*	whose is an address: this host's, a relay domain's, or elsewhere
/* SYNOPSIS
/*	#include <addr_class.h>
/* DESCRIPTION
/*	See addr_class.c.
/*--*/
struct vstring;

#define ADDR_CLASS_ERROR	(-1)
#define ADDR_CLASS_LOCAL	1
#define ADDR_CLASS_RELAY	2
#define ADDR_CLASS_REMOTE	3

struct addr_class_info {
    struct vstring *local;		/* local part, dequoted */
    struct vstring *domain;		/* lower case, no trailing dot */
    int     routed;			/* "@", "%" or "!" in the local part */
};

extern int addr_class_init(struct vstring *);
extern int addr_class(const char *, struct addr_class_info *);
extern const char *addr_class_error(void);
extern int addr_class_changed(void);

#endif
