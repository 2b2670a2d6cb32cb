#ifndef DNS_LOOKUP_H
#define DNS_LOOKUP_H
/*++
/* NAME
/*	dns_lookup 3h
/* SUMMARY
/*	DNS lookups through the system resolver
/* SYNOPSIS
/*	#include <dns_lookup.h>
/* DESCRIPTION
/*	The only interface to the resolver (see dns_lookup.c for the
/*	whole story). Every lookup returns one of the DNS_* results below
/*	and, unless DNS_OK, a one-line reason in why. Records come back as
/*	a list of struct dns_rr that the caller frees with dns_rr_free().
/*
/*	dns_lookup(name, type, &rrs, why): the records of one type
/*	(DNS_T_A, DNS_T_AAAA, DNS_T_MX, DNS_T_PTR or DNS_T_TXT) for name;
/*	CNAMEs are followed as the resolver answered them.
/*
/*	dns_lookup_mx_sorted(domain, &rrs, why): MX records by preference,
/*	equal preferences in random order; DNS_NULLMX for a null MX
/*	(RFC 7505). DNS_NODATA means "no MX": use the domain's addresses.
/*
/*	dns_lookup_addrs(host, &rrs, why): A then AAAA records, as
/*	inet_protocols allows.
/*
/*	dns_reverse(addr, &rrs, why): the PTR records for an IPv4 or IPv6
/*	address in text form; dns_reverse_name(addr, name, why) only
/*	makes the in-addr.arpa or ip6.arpa name.
/*
/*	dns_domain_exists(domain, why): DNS_OK when the domain has an MX,
/*	A or AAAA record; DNS_NULLMX for a null MX; otherwise the failure
/*	(DNS_NOTFOUND, DNS_NODATA, DNS_RETRY, DNS_FAIL).
/*
/*	dns_verify_client(addr, name, why): DNS_OK with a host name in
/*	name when a PTR name of addr has addr among its own addresses;
/*	DNS_NOTFOUND when there is none; DNS_RETRY on a temporary failure;
/*	DNS_FAIL for a malformed address.
/*
/*	dns_status_str() and dns_type_str() name a result and a type for
/*	logs. dns_reset() forgets the resolver settings (the next lookup
/*	reads resolv.conf again).
/*
/*	dns_parse_answer() and dns_mx_order() are the pieces dns_lookup()
/*	and dns_lookup_mx_sorted() use after the query, exposed for tests
/*	and the fuzzer.
/*--*/
#include <stddef.h>

struct vstring;

 /*
  * Results.
  */
#define DNS_OK		0		/* found */
#define DNS_NOTFOUND	1		/* the name does not exist (NXDOMAIN) */
#define DNS_NODATA	2		/* the name exists, no such record */
#define DNS_RETRY	3		/* temporary: server failure, timeout */
#define DNS_FAIL	4		/* permanent: malformed name or answer */
#define DNS_NULLMX	5		/* the domain accepts no mail (RFC 7505) */

 /*
  * Record types (the DNS type numbers).
  */
#define DNS_T_A		1
#define DNS_T_CNAME	5
#define DNS_T_PTR	12
#define DNS_T_MX	15
#define DNS_T_TXT	16
#define DNS_T_AAAA	28

 /*
  * One record. name is the owner name and data a host name (MX, PTR)
  * or text (TXT, the strings joined; data_len counts its bytes, which
  * may include NULs): both without a trailing dot, NUL-terminated. A
  * null MX has data ".". A and AAAA records have addr and addr_len (4
  * or 16) instead of data.
  */
struct dns_rr {
    char   *name;			/* owner name */
    int     type;			/* DNS_T_* */
    unsigned ttl;			/* seconds */
    unsigned pref;			/* MX preference */
    char   *data;			/* MX/PTR target, TXT text, or null */
    size_t  data_len;			/* bytes in data */
    unsigned char addr[16];		/* A, AAAA */
    size_t  addr_len;			/* 4, 16, or 0 */
    struct dns_rr *next;
};

extern int dns_lookup(const char *, int, struct dns_rr **, struct vstring *);
extern int dns_lookup_mx_sorted(const char *, struct dns_rr **,
				        struct vstring *);
extern int dns_lookup_addrs(const char *, struct dns_rr **, struct vstring *);
extern int dns_reverse(const char *, struct dns_rr **, struct vstring *);
extern int dns_reverse_name(const char *, struct vstring *, struct vstring *);
extern int dns_domain_exists(const char *, struct vstring *);
extern int dns_verify_client(const char *, struct vstring *, struct vstring *);
extern void dns_rr_free(struct dns_rr **);
extern const char *dns_status_str(int);
extern const char *dns_type_str(int);
extern void dns_reset(void);

 /*
  * Internal, for tests and the fuzzer.
  */
extern int dns_parse_answer(const unsigned char *, size_t, const char *, int,
			            struct dns_rr **, struct vstring *);
extern int dns_mx_order(struct dns_rr **, struct vstring *);

#endif
