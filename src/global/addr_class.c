/*++
/* NAME
/*	addr_class 3
/* SUMMARY
/*	whose is an address: this host's, a relay domain's, or elsewhere
/* SYNOPSIS
/*	#include <addr_class.h>
/*
/*	int	addr_class_init(why)
/*	struct vstring *why;
/*
/*	int	addr_class(addr, info)
/*	const char *addr;
/*	struct addr_class_info *info;
/*
/*	const char *addr_class_error(void)
/*	int	addr_class_changed(void)
/* DESCRIPTION
/*	addr_class_init() makes the lists of mydestination and
/*	relay_domains (match_list(3); relay_domains with subdomains when
/*	parent_domain_matches_subdomains names it) and learns this host's
/*	addresses (own_addr(3)). Call it before a chroot. -1 with a reason
/*	in why on a bad list.
/*
/*	addr_class() classifies an envelope address as parsed by
/*	mail_addr_parse() (a quoted local part is kept quoted):
/* .IP ADDR_CLASS_LOCAL
/*	no domain (as "postmaster"), a domain in mydestination, or an
/*	address literal [a.b.c.d] / [IPv6:...] of this host;
/* .IP ADDR_CLASS_RELAY
/*	a domain in relay_domains;
/* .IP ADDR_CLASS_REMOTE
/*	anything else;
/* .IP ADDR_CLASS_ERROR
/*	a table of mydestination or relay_domains failed
/*	(addr_class_error() says which): defer.
/* .PP
/*	info (may be null) gets the local part without quotes, the domain
/*	in lower case without a trailing dot, and routed: non-zero when the
/*	local part asks for routing somewhere else ("user%elsewhere",
/*	"elsewhere!user", "user@elsewhere" once dequoted, or an unquoted
/*	"user@elsewhere@here"). Mail with sender-specified routing is never
/*	this host's to accept from strangers: reject_unauth_destination
/*	treats it as remote.
/*
/*	addr_class_changed() is non-zero when a table of the lists changed.
/* DIAGNOSTICS
/*	Return values.
/*--*/
#include <string.h>
#include <strings.h>

#include <mymalloc.h>
#include <stringops.h>
#include <vstring.h>

#include <addr_class.h>
#include <mail_addr.h>
#include <mail_params.h>
#include <match_list.h>
#include <own_addr.h>

static struct match_list *addr_class_mydest;
static struct match_list *addr_class_relay;
static struct vstring *addr_class_err;

int     addr_class_init(struct vstring *why)
{
    match_list_free(&addr_class_mydest);
    match_list_free(&addr_class_relay);
    if (addr_class_err == 0)
	addr_class_err = vstring_alloc(50);
    if ((addr_class_mydest = match_list_create(VAR_MYDEST, var_mydest,
					       MATCH_FLAG_NONE, why)) == 0)
	return (-1);
    if ((addr_class_relay = match_list_create(VAR_RELAY_DOMAINS,
					      var_relay_domains,
			   match_parent_style(VAR_RELAY_DOMAINS) ?
					      MATCH_FLAG_PARENT :
					      MATCH_FLAG_NONE, why)) == 0)
	return (-1);
    return (own_addr_init(why));
}

/* addr_class_unquote - the local part as its owner means it */

static void addr_class_unquote(const char *local, struct vstring *out)
{
    const char *cp = local;

    vstring_reset(out);
    if (*cp != '"') {
	vstring_strcpy(out, local);
	return;
    }
    for (cp++; *cp && *cp != '"'; cp++) {
	if (*cp == '\\' && cp[1])
	    cp++;
	vstring_appendc(out, *cp);
    }
}

int     addr_class(const char *addr, struct addr_class_info *info)
{
    struct addr_class_info own;
    struct vstring *local;
    struct vstring *domain;
    size_t  len;
    int     has_at;
    int     st;
    int     ret;

    if (info == 0) {
	info = &own;
	memset(info, 0, sizeof(*info));
    }
    local = vstring_alloc(64);
    domain = vstring_alloc(64);
    has_at = mail_addr_split(addr, local, domain);
    if (info->local == 0)
	info->local = vstring_alloc(64);
    if (info->domain == 0)
	info->domain = vstring_alloc(64);
    addr_class_unquote(vstring_str(local), info->local);
    vstring_strcpy(info->domain, vstring_str(domain));
    lowercase(vstring_str(info->domain));
    len = vstring_len(info->domain);
    if (len > 1 && vstring_str(info->domain)[len - 1] == '.')
	vstring_truncate(info->domain, len - 1);
    info->routed = (strpbrk(vstring_str(info->local), "@%!") != 0);

    if (vstring_len(info->domain) == 0) {
	/* "postmaster" is ours; "user@" with nothing after it is nobody's. */
	ret = has_at ? ADDR_CLASS_REMOTE : ADDR_CLASS_LOCAL;
    } else if (vstring_str(info->domain)[0] == '[') {
	ret = own_addr_is_local(vstring_str(info->domain)) ?
	    ADDR_CLASS_LOCAL : ADDR_CLASS_REMOTE;
    } else if ((st = match_list_domain(addr_class_mydest,
				       vstring_str(info->domain))) == MATCH_YES) {
	ret = ADDR_CLASS_LOCAL;
    } else if (st == MATCH_ERROR) {
	vstring_strcpy(addr_class_err, match_list_error(addr_class_mydest));
	ret = ADDR_CLASS_ERROR;
    } else if ((st = match_list_domain(addr_class_relay,
				       vstring_str(info->domain))) == MATCH_YES) {
	ret = ADDR_CLASS_RELAY;
    } else if (st == MATCH_ERROR) {
	vstring_strcpy(addr_class_err, match_list_error(addr_class_relay));
	ret = ADDR_CLASS_ERROR;
    } else {
	ret = ADDR_CLASS_REMOTE;
    }
    if (info == &own) {
	vstring_free(&own.local);
	vstring_free(&own.domain);
    }
    vstring_free(&local);
    vstring_free(&domain);
    return (ret);
}

const char *addr_class_error(void)
{
    return (addr_class_err ? vstring_str(addr_class_err) : "");
}

int     addr_class_changed(void)
{
    return ((addr_class_mydest && match_list_changed(addr_class_mydest))
	    || (addr_class_relay && match_list_changed(addr_class_relay)));
}
