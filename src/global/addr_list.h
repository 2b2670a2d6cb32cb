#ifndef ADDR_LIST_H
#define ADDR_LIST_H
/*++
/* NAME
/*	addr_list 3h
/* SUMMARY
/*	the addresses in an RFC 5322 address header
/* SYNOPSIS
/*	#include <addr_list.h>
/* DESCRIPTION
/*	See addr_list.c.
/*--*/
#include <stddef.h>

struct argv;

#define ADDR_LIST_MAX	1000		/* addresses from one header */
#define ADDR_LIST_LEN	1000		/* bytes of one address */

extern int addr_list_parse(struct argv *, const char *, size_t);

#endif
