/*++
/* NAME
/*	qmgr_route 3
/* SUMMARY
/*	which transport and next hop a recipient goes to
/* SYNOPSIS
/*	#include "qmgr.h"
/*
/*	int	qmgr_route_init(why)
/*
/*	int	qmgr_route(address, transport, nexthop)
/* DESCRIPTION
/*	qmgr_route_init() opens the tables of $transport_maps; qmgr calls
/*	it before the chroot. A table that changes later is noticed and
/*	logged; the new contents count after "dromos reload".
/*
/*	qmgr_route() decides, in this order:
/* .IP "a local address"
/*	(addr_class(3): no domain, a domain in $mydestination, or an
/*	address literal of this host): QMGR_ROUTE_LOCAL, the local
/*	delivery agent.
/* .IP "$transport_maps"
/*	looked up with the whole address, then its domain, then each
/*	parent domain with a leading dot (".example.com" for
/*	mail.example.com), first match wins. The value is
/*	"transport:nexthop"; an empty transport means $default_transport,
/*	an empty next hop the recipient's domain (or $relayhost for the
/*	default transport). Transport "local" is the local delivery agent;
/*	transport "error" bounces the recipient with the next hop as the
/*	reason ("error:no mail for this domain": QMGR_ROUTE_ERROR).
/* .IP "otherwise"
/*	$default_transport with $relayhost as the next hop when it is
/*	set, else the recipient's domain (an address literal's domain
/*	"[192.0.2.1]" is a next hop without MX lookup).
/* .PP
/*	It returns QMGR_ROUTE_LOCAL, QMGR_ROUTE_REMOTE (transport and
/*	nexthop set), QMGR_ROUTE_ERROR (nexthop holds the reason), or
/*	QMGR_ROUTE_DEFER when a table failed (nexthop holds the reason).
/* DIAGNOSTICS
/*	Warnings for tables that cannot be opened (their lookups defer).
/*--*/
#include <string.h>
#include <strings.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <stringops.h>
#include <vstring.h>

#include <addr_class.h>
#include <dict.h>
#include <mail_params.h>

#include "qmgr.h"

static struct argv *qmgr_route_names;
static struct dict **qmgr_route_dicts;
static int qmgr_route_warned;

int     qmgr_route_init(struct vstring *why)
{
    size_t  i;

    qmgr_route_names = argv_split_braced(var_transport_maps, " ,\t\r\n");
    qmgr_route_dicts = (struct dict **)
	mymalloc((qmgr_route_names->argc + 1) * sizeof(*qmgr_route_dicts));
    for (i = 0; i < qmgr_route_names->argc; i++) {
	if ((qmgr_route_dicts[i] = dict_open(qmgr_route_names->argv[i],
					     DICT_MODE_READ, DICT_FLAG_DEFAULT,
					     why)) == 0) {
	    msg_warn("%s %s: %s (its lookups are deferred)",
		     VAR_TRANSPORT_MAPS, qmgr_route_names->argv[i],
		     vstring_str(why));
	}
    }
    return (0);
}

/* qmgr_route_lookup - the transport_maps value for one key */

static int qmgr_route_lookup(const char *key, const char **value,
			             struct vstring *why)
{
    size_t  i;
    int     status;

    for (i = 0; qmgr_route_names && i < qmgr_route_names->argc; i++) {
	if (qmgr_route_dicts[i] == 0) {
	    vstring_sprintf(why, "%s %s is unavailable", VAR_TRANSPORT_MAPS,
			    qmgr_route_names->argv[i]);
	    return (DICT_STAT_ERROR);
	}
	if (!qmgr_route_warned && dict_changed(qmgr_route_dicts[i])) {
	    msg_warn("%s %s has changed: the new contents count after "
		     "\"dromos reload\"", VAR_TRANSPORT_MAPS,
		     qmgr_route_names->argv[i]);
	    qmgr_route_warned = 1;
	}
	status = dict_lookup(qmgr_route_dicts[i], key, value);
	if (status == DICT_STAT_ERROR) {
	    vstring_sprintf(why, "%s %s: %s", VAR_TRANSPORT_MAPS,
			    qmgr_route_names->argv[i],
			    dict_error(qmgr_route_dicts[i]));
	    return (status);
	}
	if (status == DICT_STAT_FOUND)
	    return (status);
    }
    return (DICT_STAT_NOTFOUND);
}

int     qmgr_route(const char *addr, struct vstring *transport,
		           struct vstring *nexthop)
{
    struct vstring *key;
    const char *at = strrchr(addr, '@');
    const char *domain = at ? at + 1 : "";
    const char *value = 0;
    const char *cp;
    const char *colon;
    int     status = DICT_STAT_NOTFOUND;
    int     cls;

    if ((cls = addr_class(addr, (struct addr_class_info *) 0)) == ADDR_CLASS_ERROR) {
	vstring_sprintf(nexthop, "address class: %s", addr_class_error());
	return (QMGR_ROUTE_DEFER);
    }
    if (cls == ADDR_CLASS_LOCAL) {
	vstring_strcpy(transport, QMGR_LOCAL_TRANSPORT);
	vstring_strcpy(nexthop, *domain ? domain : var_myhostname);
	return (QMGR_ROUTE_LOCAL);
    }
    if (qmgr_route_names && qmgr_route_names->argc > 0) {
	key = vstring_alloc(100);
	vstring_strcpy(key, addr);
	lowercase(vstring_str(key));
	status = qmgr_route_lookup(vstring_str(key), &value, nexthop);
	for (cp = domain; status == DICT_STAT_NOTFOUND && *cp; ) {
	    if (cp == domain) {
		vstring_strcpy(key, cp);
	    } else {
		vstring_strcpy(key, ".");
		vstring_appends(key, cp);
	    }
	    lowercase(vstring_str(key));
	    status = qmgr_route_lookup(vstring_str(key), &value, nexthop);
	    if ((cp = strchr(cp, '.')) == 0)
		break;
	    cp++;
	}
	vstring_free(&key);
	if (status == DICT_STAT_ERROR)
	    return (QMGR_ROUTE_DEFER);
    }
    if (status == DICT_STAT_FOUND) {
	colon = strchr(value, ':');
	vstring_strcpy(transport, "");
	vstring_append(transport, value, colon ? (size_t) (colon - value) :
		       strlen(value));
	vstring_strcpy(nexthop, colon ? colon + 1 : "");
	if (vstring_len(transport) == 0)
	    vstring_strcpy(transport, var_default_transport);
	if (strcmp(vstring_str(transport), "error") == 0) {
	    if (vstring_len(nexthop) == 0)
		vstring_strcpy(nexthop, "mail for this destination is not "
			       "accepted");
	    return (QMGR_ROUTE_ERROR);
	}
	if (strcmp(vstring_str(transport), QMGR_LOCAL_TRANSPORT) == 0) {
	    vstring_strcpy(nexthop, *domain ? domain : var_myhostname);
	    return (QMGR_ROUTE_LOCAL);
	}
	if (vstring_len(nexthop) == 0)
	    vstring_strcpy(nexthop, domain);
    } else {
	vstring_strcpy(transport, var_default_transport);
	vstring_strcpy(nexthop, *var_relayhost ? var_relayhost : domain);
    }
    if (vstring_len(nexthop) == 0 || !qmgr_route_name_ok(vstring_str(transport))) {
	vstring_sprintf(nexthop, "no usable transport or next hop for %s", addr);
	return (QMGR_ROUTE_DEFER);
    }
    return (QMGR_ROUTE_REMOTE);
}

/* qmgr_route_name_ok - a transport name that can name a socket */

int     qmgr_route_name_ok(const char *name)
{
    const char *cp;

    if (*name == 0 || strlen(name) > 64)
	return (0);
    for (cp = name; *cp; cp++)
	if (!(*cp >= 'a' && *cp <= 'z') && !(*cp >= 'A' && *cp <= 'Z')
	    && !(*cp >= '0' && *cp <= '9') && *cp != '-' && *cp != '_'
	    && *cp != '.')
	    return (0);
    return (strcmp(name, ".") != 0 && strcmp(name, "..") != 0);
}
