/*++
/* NAME
/*	dict_cidr 3
/* SUMMARY
/*	cidr: tables (IPv4 and IPv6 networks, first match)
/* SYNOPSIS
/*	#include <dict_private.h>
/*
/*	struct dict *dict_cidr_parse(type, name, src, flags, why)
/*	const char *type;
/*	const char *name;
/*	struct dict_source *src;
/*	int	flags;
/*	struct vstring *why;
/* DESCRIPTION
/*	Each logical line of src (dict_source syntax) is "network/len
/*	result" or "address result" (the whole address, /32 or /128). The
/*	address may be written inside "[]". A lookup key is an IPv4 or
/*	IPv6 address; the result of the first line, in file order, whose
/*	network of the same family contains it is found. A key that is
/*	not an address is not found. Keys are never folded.
/*
/*	A bad address, a prefix length out of range, host bits set
/*	below the prefix (1.2.3.4/24) or a missing result make the open
/*	fail with a reason that names the file and line.
/* DIAGNOSTICS
/*	Open errors in why.
/*--*/
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <mymalloc.h>
#include <stringops.h>
#include <vstring.h>

#include <dict_private.h>
#include <dict_source.h>
#include <match_list.h>

struct dict_cidr_rule {
    int     family;			/* AF_INET or AF_INET6 */
    unsigned char net[16];		/* network, host bits zero */
    unsigned char mask[16];
    int     bits;			/* prefix length */
    char   *result;
};

struct dict_cidr {
    struct dict dict;
    struct dict_cidr_rule *rules;
    size_t  count;
    size_t  space;
};

/* dict_cidr_addr - parse a bare address; its size in bytes, or 0 */

static size_t dict_cidr_addr(const char *text, unsigned char *addr,
			             int *family)
{
    if (inet_pton(AF_INET, text, addr) == 1) {
	*family = AF_INET;
	return (4);
    }
    if (inet_pton(AF_INET6, text, addr) == 1) {
	*family = AF_INET6;
	return (16);
    }
    return (0);
}

/* dict_cidr_lookup - first network that contains the key */

static int dict_cidr_lookup(struct dict *dict, const char *key,
			            const char **value)
{
    struct dict_cidr *dc = (struct dict_cidr *) dict;
    struct dict_cidr_rule *rule;
    unsigned char addr[16];
    int     family;
    size_t  size;
    size_t  i;

    if ((size = dict_cidr_addr(key, addr, &family)) == 0)
	return (DICT_STAT_NOTFOUND);
    for (i = 0; i < dc->count; i++) {
	rule = dc->rules + i;
	if (match_net_contains(rule->net, rule->family, rule->bits, addr,
			       family)) {
	    *value = rule->result;
	    return (DICT_STAT_FOUND);
	}
    }
    return (DICT_STAT_NOTFOUND);
}

/* dict_cidr_close - free */

static void dict_cidr_close(struct dict *dict)
{
    struct dict_cidr *dc = (struct dict_cidr *) dict;
    size_t  i;

    for (i = 0; i < dc->count; i++)
	myfree(dc->rules[i].result);
    myfree(dc->rules);
    dict_free(dict);
}

/* dict_cidr_rule - parse one line; 0 or -1 with a reason */

static int dict_cidr_rule(char *line, struct dict_cidr_rule *rule,
			          struct vstring *why)
{
    char   *net = line;
    char   *cp;
    char   *slash;
    char   *end;
    long    len;
    size_t  size;
    size_t  i;
    unsigned char addr[16];

    for (cp = line; *cp && !isspace((unsigned char) *cp); cp++)
	 /* void */ ;
    if (*cp)
	*cp++ = 0;
    while (*cp && isspace((unsigned char) *cp))
	cp++;
    if (*cp == 0) {
	vstring_sprintf(why, "expected format: network/len result");
	return (-1);
    }
    rule->result = cp;
    if ((slash = strchr(net, '/')) != 0)
	*slash++ = 0;
    if (*net == '[') {
	end = net + strlen(net);
	if (end - net < 2 || end[-1] != ']') {
	    vstring_sprintf(why, "bad network address \"%s\"", net);
	    return (-1);
	}
	end[-1] = 0;
	net++;
    }
    if ((size = dict_cidr_addr(net, addr, &rule->family)) == 0) {
	vstring_sprintf(why, "bad network address \"%s\"", net);
	return (-1);
    }
    if (slash == 0) {
	len = (long) size * 8;
    } else if (!alldig(slash) || strlen(slash) > 3
	       || (len = strtol(slash, (char **) 0, 10)) > (long) size * 8) {
	vstring_sprintf(why, "bad prefix length \"/%s\" for \"%s\" (0 to %d)",
			slash, net, (int) size * 8);
	return (-1);
    }
    rule->bits = (int) len;
    memset(rule->mask, 0, sizeof(rule->mask));
    memset(rule->net, 0, sizeof(rule->net));
    for (i = 0; i < size; i++) {
	if (len >= (long) (i + 1) * 8)
	    rule->mask[i] = 0xff;
	else if (len > (long) i * 8)
	    rule->mask[i] = (unsigned char) (0xff << (8 - (len - (long) i * 8)));
	rule->net[i] = addr[i] & rule->mask[i];
	if (rule->net[i] != addr[i]) {
	    char    buf[INET6_ADDRSTRLEN];

	    vstring_sprintf(why, "host bits set in \"%s/%ld\"", net, len);
	    if (inet_ntop(rule->family, rule->net, buf, sizeof(buf)) != 0)
		vstring_sprintf_append(why, " (network %s/%ld?)", buf, len);
	    return (-1);
	}
    }
    return (0);
}

struct dict *dict_cidr_parse(const char *type, const char *name,
			             struct dict_source *src, int flags,
			             struct vstring *why)
{
    struct dict_cidr *dc;
    struct vstring *line = vstring_alloc(100);
    struct vstring *reason = vstring_alloc(100);
    struct dict_cidr_rule rule;
    int     status;

    dc = (struct dict_cidr *) dict_alloc(type, name, sizeof(*dc),
					 DICT_MODE_READ, flags);
    dc->dict.lookup = dict_cidr_lookup;
    dc->dict.close = dict_cidr_close;
    while ((status = dict_source_get(src, line, why)) == DICT_SOURCE_OK) {
	if (dict_cidr_rule(vstring_str(line), &rule, reason) < 0) {
	    vstring_sprintf(why, "%s, line %ld: %s", dict_source_origin(src),
			    dict_source_lineno(src), vstring_str(reason));
	    status = DICT_SOURCE_ERROR;
	    break;
	}
	rule.result = mystrdup(rule.result);
	if (dc->count == dc->space) {
	    dc->space = dc->space ? dc->space * 2 : 16;
	    dc->rules = myreallocarray(dc->rules, dc->space, sizeof(rule));
	}
	dc->rules[dc->count++] = rule;
    }
    vstring_free(&line);
    vstring_free(&reason);
    if (status != DICT_SOURCE_EOF) {
	dict_cidr_close(&dc->dict);
	return (0);
    }
    return (&dc->dict);
}
