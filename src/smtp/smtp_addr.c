/*++
/* NAME
/*	smtp_addr 3
/* SUMMARY
/*	from a next hop to the peer addresses to try
/* SYNOPSIS
/*	#include "smtp.h"
/*
/*	int	smtp_addr_parse_nexthop(nexthop, host, port, mx)
/*
/*	int	smtp_addr_find(nexthop, &peers, &count, fail)
/*
/*	void	smtp_addr_free(peers, count)
/* DESCRIPTION
/*	smtp_addr_parse_nexthop() splits a next hop: "domain" and
/*	"domain:port" mean an MX lookup (mx = 1); "[host]" and
/*	"[host]:port" mean the host's own addresses, no MX lookup (mx =
/*	0); host may be a name or an IPv4 or IPv6 address. The port is
/*	25 unless given. It returns -1 for a malformed next hop.
/*
/*	smtp_addr_find() makes the list of peer addresses, in the order to
/*	try them, at most $smtp_mx_address_limit: MX hosts by preference
/*	(equal preferences in random order, dns_lookup(3)), each host's
/*	A then AAAA records (as inet_protocols allows). A domain without
/*	MX records is its own mail host. When one of the MX hosts is
/*	this host (one of its addresses is ours, own_addr(3)), only the
/*	more preferred hosts are tried: this host is a backup for the
/*	domain. When no host is left, or a [host] next hop is this host,
/*	the mail would loop: bounced with "mail for DOMAIN loops back to
/*	myself" (5.4.6).
/*
/*	Failures, in fail: a null MX (RFC 7505) bounces (5.1.10); a
/*	domain or MX host that does not exist bounces (5.4.4); a
/*	temporary DNS failure defers (4.4.3) and marks the whole
/*	destination as failing.
/* DIAGNOSTICS
/*	0 with the peers, or -1 with the failure in fail.
/*--*/
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <deliver_request.h>
#include <dns_lookup.h>
#include <mail_params.h>
#include <own_addr.h>

#include "smtp.h"

int     smtp_addr_parse_nexthop(const char *nexthop, struct vstring *host,
				        unsigned *port, int *mx)
{
    const char *cp = nexthop;
    const char *end;
    const char *colon;
    char   *next;
    unsigned long num;

    *port = 25;
    if (*cp == '[') {
	if ((end = strchr(cp, ']')) == 0 || end == cp + 1)
	    return (-1);
	vstring_strcpy(host, "");
	vstring_append(host, cp + 1, (size_t) (end - cp - 1));
	*mx = 0;
	colon = end[1] == ':' ? end + 1 : 0;
	if (end[1] != 0 && colon == 0)
	    return (-1);
    } else {
	colon = strrchr(cp, ':');
	vstring_strcpy(host, "");
	vstring_append(host, cp, colon ? (size_t) (colon - cp) : strlen(cp));
	*mx = 1;
	if (vstring_len(host) == 0)
	    return (-1);
    }
    if (colon) {
	num = strtoul(colon + 1, &next, 10);
	if (colon[1] == 0 || *next != 0 || num == 0 || num > 65535)
	    return (-1);
	*port = (unsigned) num;
    }
    return (0);
}

/* smtp_addr_add - one address of a host */

static void smtp_addr_add(struct smtp_peer **peers, size_t *count,
			          const char *host, const unsigned char *addr,
			          size_t addr_len, unsigned port, unsigned pref)
{
    struct smtp_peer *p;

    *peers = myrealloc(*peers, (*count + 1) * sizeof(**peers));
    p = *peers + (*count)++;
    memset(p, 0, sizeof(*p));
    p->host = mystrdup(host);
    p->family = addr_len == 4 ? AF_INET : AF_INET6;
    memcpy(p->addr, addr, addr_len);
    inet_ntop(p->family, addr, p->addr_str, sizeof(p->addr_str));
    p->port = port;
    p->pref = pref;
}

/* smtp_addr_is_own - is this one of our addresses */

static int smtp_addr_is_own(const unsigned char *addr, size_t len)
{
    char    text[64];

    if (inet_ntop(len == 4 ? AF_INET : AF_INET6, addr, text,
		  sizeof(text)) == 0)
	return (0);
    return (own_addr_is_local(text));
}

/* smtp_addr_host - the addresses of one host; DNS_* result */

static int smtp_addr_host(const char *host, unsigned port, unsigned pref,
			          struct smtp_peer **peers, size_t *count,
			          int *own, struct vstring *why)
{
    struct dns_rr *rrs = 0;
    struct dns_rr *rr;
    unsigned char addr[16];
    int     status;

    *own = 0;
    if (inet_pton(AF_INET, host, addr) == 1) {
	if ((*own = smtp_addr_is_own(addr, 4)) == 0)
	    smtp_addr_add(peers, count, host, addr, 4, port, pref);
	return (DNS_OK);
    }
    if (inet_pton(AF_INET6, strncasecmp(host, "IPv6:", 5) == 0 ? host + 5 :
		  host, addr) == 1) {
	if ((*own = smtp_addr_is_own(addr, 16)) == 0)
	    smtp_addr_add(peers, count, host, addr, 16, port, pref);
	return (DNS_OK);
    }
    if ((status = dns_lookup_addrs(host, &rrs, why)) != DNS_OK)
	return (status);
    for (rr = rrs; rr; rr = rr->next)
	if (rr->addr_len && smtp_addr_is_own(rr->addr, rr->addr_len))
	    *own = 1;
    if (*own == 0)
	for (rr = rrs; rr; rr = rr->next)
	    if (rr->addr_len == 4 || rr->addr_len == 16)
		smtp_addr_add(peers, count, host, rr->addr, rr->addr_len,
			      port, pref);
    dns_rr_free(&rrs);
    return (DNS_OK);
}

int     smtp_addr_find(const char *nexthop, struct smtp_peer **peers_r,
		               size_t *count_r, struct smtp_fail *fail)
{
    struct vstring *host = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct smtp_peer *peers = 0;
    size_t  count = 0;
    struct dns_rr *mxs = 0;
    struct dns_rr *mx;
    unsigned port;
    int     use_mx;
    int     status;
    int     own;
    int     retry = 0;
    int     ret = -1;
    unsigned best_own = ~0U;
    size_t  limit = var_smtp_mx_addr_limit > 0 ? (size_t) var_smtp_mx_addr_limit : 1;
    size_t  i;

    if (smtp_addr_parse_nexthop(nexthop, host, &port, &use_mx) < 0) {
	smtp_fail_set(fail, DELIVER_STAT_DEFER, 0, "4.3.5",
		      "malformed next hop \"%s\"", nexthop);
	goto out;
    }
    if (!use_mx) {
	status = smtp_addr_host(vstring_str(host), port, 0, &peers, &count,
				&own, why);
	if (status == DNS_OK && own) {
	    smtp_fail_set(fail, DELIVER_STAT_BOUNCE, 0, "5.4.6",
			  "mail for %s loops back to myself", nexthop);
	    goto out;
	}
    } else {
	status = dns_lookup_mx_sorted(vstring_str(host), &mxs, why);
	if (status == DNS_NODATA) {
	    /* No MX: the domain is its own mail host (RFC 5321 5.1). */
	    status = smtp_addr_host(vstring_str(host), port, 0, &peers,
				    &count, &own, why);
	    if (status == DNS_OK && own) {
		smtp_fail_set(fail, DELIVER_STAT_BOUNCE, 0, "5.4.6",
			      "mail for %s loops back to myself",
			      vstring_str(host));
		goto out;
	    }
	} else if (status == DNS_OK) {
	    for (mx = mxs; mx; mx = mx->next) {
		if (mx->pref >= best_own)
		    break;
		status = smtp_addr_host(mx->data, port, mx->pref, &peers,
					&count, &own, why);
		if (status == DNS_RETRY)
		    retry = 1;
		if (status == DNS_OK && own) {
		    /* We are an MX host: only more preferred ones are left. */
		    best_own = mx->pref;
		    while (count > 0 && peers[count - 1].pref >= best_own) {
			myfree(peers[count - 1].host);
			count--;
		    }
		}
	    }
	    if (count == 0 && best_own != ~0U) {
		smtp_fail_set(fail, DELIVER_STAT_BOUNCE, 0, "5.4.6",
			      "mail for %s loops back to myself",
			      vstring_str(host));
		goto out;
	    }
	    if (count == 0) {
		smtp_fail_set(fail, retry ? DELIVER_STAT_DEFER :
			      DELIVER_STAT_BOUNCE, retry, retry ? "4.4.3" :
			      "5.4.4", "Host or domain name not found. No "
			      "address found for the MX hosts of %s%s",
			      vstring_str(host), retry ? ", try again" : "");
		goto out;
	    }
	    status = DNS_OK;
	}
    }
    switch (status) {
    case DNS_OK:
	if (count == 0) {
	    smtp_fail_set(fail, DELIVER_STAT_BOUNCE, 0, "5.4.4",
			  "Host or domain name not found. No address "
			  "for %s", vstring_str(host));
	    goto out;
	}
	break;
    case DNS_NULLMX:
	smtp_fail_set(fail, DELIVER_STAT_BOUNCE, 0, "5.1.10",
		      "Domain %s does not accept mail (nullMX)",
		      vstring_str(host));
	goto out;
    case DNS_RETRY:
	smtp_fail_set(fail, DELIVER_STAT_DEFER, 1, "4.4.3",
		      "Host or domain name not found. Name service error "
		      "for name=%s type=%s: %s", vstring_str(host),
		      use_mx ? "MX" : "A", vstring_str(why));
	goto out;
    default:
	smtp_fail_set(fail, DELIVER_STAT_BOUNCE, 0, "5.4.4",
		      "Host or domain name not found. Name service error "
		      "for name=%s type=%s: %s", vstring_str(host),
		      use_mx ? "MX" : "A", vstring_str(why));
	goto out;
    }
    if (count > limit) {
	for (i = limit; i < count; i++)
	    myfree(peers[i].host);
	count = limit;
    }
    ret = 0;
out:
    if (ret < 0) {
	smtp_addr_free(peers, count);
	peers = 0;
	count = 0;
    }
    *peers_r = peers;
    *count_r = count;
    dns_rr_free(&mxs);
    vstring_free(&host);
    vstring_free(&why);
    return (ret);
}

void    smtp_addr_free(struct smtp_peer *peers, size_t count)
{
    size_t  i;

    for (i = 0; i < count; i++)
	myfree(peers[i].host);
    if (peers)
	myfree(peers);
}
