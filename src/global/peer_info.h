#ifndef PEER_INFO_H
#define PEER_INFO_H
/*++
/* NAME
/*	peer_info 3h
/* SUMMARY
/*	the two ends of a client connection: addresses, ports, names
/* SYNOPSIS
/*	#include <peer_info.h>
/*
/*	void	peer_info_get(fd, peer)
/*	int	fd;
/*	struct peer_info *peer;
/*
/*	void	peer_info_free(peer)
/*	struct peer_info *peer;
/* DESCRIPTION
/*	peer_info_get() fills peer for the connected socket fd, for the
/*	servers that log and check their clients (smtpd, pop3d):
/* .IP addr
/*	the client's numeric address; an IPv4-mapped IPv6 address
/*	(::ffff:a.b.c.d) as the IPv4 address, as it is logged and looked
/*	up; "unknown" when the socket has no IPv4 or IPv6 peer.
/* .IP port
/*	the client's port, or "unknown".
/* .IP reverse_name
/*	the name the address maps to (PTR), or "unknown".
/* .IP name
/*	the reverse name when it is verified (a forward lookup of it gives
/*	the client's address back, Postfix's "verified" client name), else
/*	"unknown".
/* .IP name_status
/*	PEER_NAME_OK (verified), PEER_NAME_NONE (no name, or it does not
/*	verify) or PEER_NAME_TEMP (a lookup failed for now).
/* .IP namaddr
/*	"name[addr]", for logs.
/* .IP laddr, lport
/*	the server's end, numeric, or "unknown".
/* .PP
/*	Every field is a string of its own; peer_info_free() frees them.
/* DIAGNOSTICS
/*	None: what cannot be found is "unknown".
/*--*/

struct peer_info {
    char   *addr;			/* numeric */
    char   *port;
    char   *reverse_name;		/* PTR name or "unknown" */
    char   *name;			/* verified name or "unknown" */
    int     name_status;		/* PEER_NAME_* */
    char   *namaddr;			/* name[addr] */
    char   *laddr;			/* our end */
    char   *lport;
};

#define PEER_NAME_OK	0		/* name verified */
#define PEER_NAME_NONE	1		/* no name, or it does not verify */
#define PEER_NAME_TEMP	2		/* a lookup failed for now */

#define PEER_UNKNOWN	"unknown"

extern void peer_info_get(int, struct peer_info *);
extern void peer_info_free(struct peer_info *);

#endif
