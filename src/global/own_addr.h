#ifndef OWN_ADDR_H
#define OWN_ADDR_H
/*++
/* NAME
/*	own_addr 3h
/* SUMMARY
/*	this host's addresses: mail for [address], and mynetworks
/* SYNOPSIS
/*	#include <own_addr.h>
/* DESCRIPTION
/*	See own_addr.c.
/*--*/
struct vstring;

extern int own_addr_init(struct vstring *);
extern int own_addr_is_local(const char *);
extern const char *own_addr_mynetworks(void);

#endif
