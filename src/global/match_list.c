/*++
/* NAME
/*	match_list 3
/* SUMMARY
/*	lists of domains, hosts and networks, as in main.cf
/* SYNOPSIS
/*	#include <match_list.h>
/*
/*	struct match_list *match_list_create(title, patterns, flags, why)
/*	const char *title;
/*	const char *patterns;
/*	int	flags;
/*	struct vstring *why;
/*
/*	int	match_list_domain(list, domain)
/*	int	match_list_addr(list, addr)
/*	int	match_list_client(list, name, addr)
/*
/*	const char *match_list_error(list)
/*	int	match_list_changed(list)
/*	void	match_list_free(&list)
/*
/*	int	match_parent_style(feature)
/*
/*	int	match_addr_parse(text, bytes, family)
/*	int	match_net_parse(text, bytes, family, bits, why)
/*	int	match_net_contains(net, family, bits, addr, addr_family)
/* DESCRIPTION
/*	A match list is the value of a parameter such as mydestination,
/*	relay_domains or mynetworks: patterns separated by commas and/or
/*	white space, tried in order; the first pattern that matches decides.
/*	Patterns:
/* .IP "name.example"
/*	a domain or host name (case does not matter; a trailing dot is
/*	ignored). It matches that name, and with MATCH_FLAG_PARENT also
/*	every name below it.
/* .IP ".example"
/*	every name below example (not example itself).
/* .IP "192.0.2.1, [2001:db8::1], 192.0.2.0/24, [2001:db8::]/32"
/*	an address or a network (CIDR); IPv6 in brackets or bare.
/* .IP type:table
/*	a lookup (dict(3)): a domain is looked up as itself and then as its
/*	parent domains ("example" with MATCH_FLAG_PARENT, ".example"
/*	otherwise); an address as itself (cidr: tables do the network
/*	matching). Any value found is a match.
/* .IP /file/name
/*	the patterns in that file (one or more a line, "#" comments),
/*	read when the list is made.
/* .IP "!pattern"
/*	a match of pattern ends the search with "no match".
/* .PP
/*	match_list_create() parses patterns and opens the tables (do it
/*	before a chroot); title names the list in messages. It returns a
/*	null pointer with a one-line reason in why for a pattern it cannot
/*	use (a bad network, a table that cannot be opened, a file that
/*	cannot be read).
/*
/*	match_list_domain() matches a domain name, match_list_addr() an
/*	address (text form), match_list_client() a client by name (names
/*	and tables) or address (networks and tables). They return
/*	MATCH_YES, MATCH_NO or MATCH_ERROR (a table lookup failed:
/*	match_list_error() says which and why; the caller defers).
/*
/*	match_list_changed() is non-zero when a table of the list changed
/*	on disk since it was opened.
/*
/*	match_parent_style() tells whether feature (a parameter name such
/*	as "relay_domains" or "smtpd_access_maps") is listed in
/*	parent_domain_matches_subdomains.
/*
/*	match_addr_parse() parses an IPv4 or IPv6 address (IPv6 may be in
/*	brackets and may carry the "IPv6:" tag of an address literal) into
/*	bytes (16 bytes of room) and family; 0 on success. match_net_parse()
/*	does the same for "address/bits" (bits default to the whole
/*	address), refusing bits beyond the address size and an address
/*	with bits set beyond bits. match_net_contains() tests an address
/*	against a network.
/* DIAGNOSTICS
/*	Return values and why.
/*--*/
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <argv.h>
#include <mymalloc.h>
#include <readfile.h>
#include <stringops.h>
#include <vstring.h>

#include <dict.h>
#include <mail_params.h>
#include <match_list.h>

#define MATCH_PAT_NAME		1	/* name, maybe with subdomains */
#define MATCH_PAT_SUBNAME	2	/* ".name": subdomains only */
#define MATCH_PAT_NET		3	/* address or network */
#define MATCH_PAT_TABLE		4	/* type:table */

#define MATCH_FILE_MAX		(1024 * 1024)	/* a /file/name list */
#define MATCH_FILE_DEPTH	10	/* /file/name inside /file/name */

struct match_pat {
    int     type;
    int     negate;
    char   *name;			/* lower case, no trailing dot */
    unsigned char net[16];
    int     family;
    int     bits;
    struct maps *table;
};

struct match_list {
    char   *title;
    int     flags;
    struct match_pat *pats;
    size_t  count;
    size_t  alloc;
    struct vstring *error;
};

/* match_addr_parse - an address in text form */

int     match_addr_parse(const char *text, unsigned char *bytes, int *family)
{
    char    buf[INET6_ADDRSTRLEN + 8];
    size_t  len = strlen(text);

    if (len > 1 && text[0] == '[' && text[len - 1] == ']') {
	text++;
	len -= 2;
    }
    if (len > 5 && strncasecmp(text, "IPv6:", 5) == 0) {
	text += 5;
	len -= 5;
    }
    if (len == 0 || len >= sizeof(buf))
	return (-1);
    memcpy(buf, text, len);
    buf[len] = 0;
    if (inet_pton(AF_INET, buf, bytes) == 1) {
	*family = AF_INET;
	return (0);
    }
    if (inet_pton(AF_INET6, buf, bytes) == 1) {
	*family = AF_INET6;
	return (0);
    }
    return (-1);
}

/* match_net_parse - "address" or "address/bits" */

int     match_net_parse(const char *text, unsigned char *bytes, int *family,
			        int *bits, struct vstring *why)
{
    char    buf[INET6_ADDRSTRLEN + 16];
    const char *slash = strrchr(text, '/');
    size_t  alen = slash ? (size_t) (slash - text) : strlen(text);
    long    n;
    int     max;
    int     i;

    if (alen >= sizeof(buf)) {
	vstring_sprintf(why, "bad network \"%.100s\"", text);
	return (-1);
    }
    memcpy(buf, text, alen);
    buf[alen] = 0;
    if (match_addr_parse(buf, bytes, family) < 0) {
	vstring_sprintf(why, "bad address \"%.100s\"", text);
	return (-1);
    }
    max = (*family == AF_INET ? 32 : 128);
    if (slash == 0) {
	*bits = max;
	return (0);
    }
    if (!alldig(slash + 1) || slash[1] == 0 || strlen(slash + 1) > 3
	|| (n = atol(slash + 1)) > max) {
	vstring_sprintf(why, "bad network mask in \"%.100s\"", text);
	return (-1);
    }
    *bits = (int) n;
    for (i = *bits; i < max; i++) {
	if (bytes[i / 8] & (0x80 >> (i % 8))) {
	    vstring_sprintf(why, "network \"%.100s\" has bits set beyond /%d",
			    text, *bits);
	    return (-1);
	}
    }
    return (0);
}

/* match_net_contains - is addr inside net/bits */

int     match_net_contains(const unsigned char *net, int family, int bits,
			           const unsigned char *addr, int addr_family)
{
    int     i;

    if (family != addr_family)
	return (0);
    for (i = 0; i < bits / 8; i++)
	if (net[i] != addr[i])
	    return (0);
    if (bits % 8) {
	unsigned char mask = (unsigned char) (0xff << (8 - bits % 8));

	if ((net[i] & mask) != (addr[i] & mask))
	    return (0);
    }
    return (1);
}

/* match_parent_style - parent_domain_matches_subdomains has feature */

int     match_parent_style(const char *feature)
{
    struct argv *argv = argv_split(var_par_dom_match, ", \t\r\n");
    size_t  i;
    int     found = 0;

    for (i = 0; i < argv->argc; i++)
	if (strcasecmp(argv->argv[i], feature) == 0)
	    found = 1;
    argv_free(&argv);
    return (found);
}

/* match_name_clean - lower case, without a trailing dot */

static char *match_name_clean(const char *name)
{
    char   *copy = lowercase(mystrdup(name));
    size_t  len = strlen(copy);

    if (len > 1 && copy[len - 1] == '.')
	copy[len - 1] = 0;
    return (copy);
}

static int match_list_add(struct match_list *, const char *, int,
			          struct vstring *);

/* match_list_add_file - the patterns of a /file/name */

static int match_list_add_file(struct match_list *list, const char *path,
			               int depth, struct vstring *why)
{
    struct vstring *buf = vstring_alloc(1000);
    char   *line;
    char   *next;
    int     ret = 0;

    if (depth > MATCH_FILE_DEPTH) {
	vstring_sprintf(why, "%s: files nested too deeply", path);
	vstring_free(&buf);
	return (-1);
    }
    if (readfile_limited(path, MATCH_FILE_MAX, buf, why) < 0) {
	vstring_free(&buf);
	return (-1);
    }
    for (line = vstring_str(buf); ret == 0 && line != 0; line = next) {
	if ((next = strchr(line, '\n')) != 0)
	    *next++ = 0;
	line[strcspn(line, "#")] = 0;
	ret = match_list_add(list, line, depth + 1, why);
    }
    vstring_free(&buf);
    return (ret);
}

/* match_list_add - parse and append patterns */

static int match_list_add(struct match_list *list, const char *patterns,
			          int depth, struct vstring *why)
{
    struct argv *argv = argv_split_braced(patterns, ", \t\r\n");
    struct match_pat *pat;
    const char *word;
    size_t  i;
    int     ret = 0;

    if (argv == 0) {
	vstring_sprintf(why, "%s: unbalanced braces in \"%.100s\"",
			list->title, patterns);
	return (-1);
    }

    for (i = 0; ret == 0 && i < argv->argc; i++) {
	word = argv->argv[i];
	if (word[0] == '/') {
	    ret = match_list_add_file(list, word, depth, why);
	    continue;
	}
	if (list->count >= list->alloc) {
	    list->alloc = list->alloc ? 2 * list->alloc : 8;
	    list->pats = myreallocarray(list->pats, list->alloc,
					sizeof(*list->pats));
	}
	pat = list->pats + list->count;
	memset(pat, 0, sizeof(*pat));
	while (*word == '!') {
	    pat->negate = !pat->negate;
	    word++;
	}
	if (*word == 0) {
	    vstring_sprintf(why, "%s: empty pattern after \"!\"", list->title);
	    ret = -1;
	} else if (strchr(word, ':') && isalpha((unsigned char) word[0])
		   && match_net_parse(word, pat->net, &pat->family,
				      &pat->bits, why) < 0) {
	    pat->type = MATCH_PAT_TABLE;
	    if ((pat->table = maps_create(list->title, word,
					  DICT_FLAG_DEFAULT, why)) == 0)
		ret = -1;
	} else if (word[0] == '[' || isdigit((unsigned char) word[0])
		   || (strchr(word, ':') != 0)) {
	    pat->type = MATCH_PAT_NET;
	    if (match_net_parse(word, pat->net, &pat->family, &pat->bits,
				why) < 0) {
		vstring_sprintf_append(why, " in %s", list->title);
		ret = -1;
	    }
	} else if (word[0] == '.') {
	    pat->type = MATCH_PAT_SUBNAME;
	    pat->name = match_name_clean(word);
	} else {
	    pat->type = MATCH_PAT_NAME;
	    pat->name = match_name_clean(word);
	}
	if (ret == 0)
	    list->count++;
    }
    argv_free(&argv);
    return (ret);
}

struct match_list *match_list_create(const char *title, const char *patterns,
				             int flags, struct vstring *why)
{
    struct match_list *list = mymalloc(sizeof(*list));

    list->title = mystrdup(title);
    list->flags = flags;
    list->pats = 0;
    list->count = list->alloc = 0;
    list->error = vstring_alloc(50);
    if (match_list_add(list, patterns, 0, why) < 0) {
	match_list_free(&list);
	return (0);
    }
    return (list);
}

/* match_name - one name pattern against a clean name */

static int match_name(struct match_pat *pat, const char *name, int parent)
{
    size_t  nlen = strlen(name);
    size_t  plen = strlen(pat->name);

    if (pat->type == MATCH_PAT_NAME && strcmp(name, pat->name) == 0)
	return (1);
    if (pat->type == MATCH_PAT_SUBNAME)	/* ".example": below example */
	return (nlen > plen && strcmp(name + nlen - plen, pat->name) == 0);
    if (parent && nlen > plen && name[nlen - plen - 1] == '.'
	&& strcmp(name + nlen - plen, pat->name) == 0)
	return (1);
    return (0);
}

/* match_table_name - look a name and its parents up */

static int match_table_name(struct match_list *list, struct match_pat *pat,
			            const char *name)
{
    const char *value;
    const char *cp;
    int     parent = (list->flags & MATCH_FLAG_PARENT);
    int     st;

    if ((st = maps_find(pat->table, name, &value)) != DICT_STAT_NOTFOUND)
	return (st);
    for (cp = strchr(name, '.'); cp != 0; cp = strchr(cp + 1, '.')) {
	st = maps_find(pat->table, parent ? cp + 1 : cp, &value);
	if (st != DICT_STAT_NOTFOUND)
	    return (st);
    }
    return (DICT_STAT_NOTFOUND);
}

/* match_list_walk - the first pattern that matches decides */

static int match_list_walk(struct match_list *list, const char *name,
			           const char *addr)
{
    unsigned char bytes[16];
    int     family = 0;
    int     have_addr = (addr != 0 && match_addr_parse(addr, bytes, &family) == 0);
    struct match_pat *pat;
    char   *clean = name ? match_name_clean(name) : 0;
    int     hit;
    int     st;
    size_t  i;

    for (i = 0; i < list->count; i++) {
	pat = list->pats + i;
	hit = 0;
	switch (pat->type) {
	case MATCH_PAT_NAME:
	case MATCH_PAT_SUBNAME:
	    hit = clean != 0 && match_name(pat, clean,
					    list->flags & MATCH_FLAG_PARENT);
	    break;
	case MATCH_PAT_NET:
	    hit = have_addr && match_net_contains(pat->net, pat->family,
						  pat->bits, bytes, family);
	    break;
	case MATCH_PAT_TABLE:
	    st = DICT_STAT_NOTFOUND;
	    if (clean != 0)
		st = match_table_name(list, pat, clean);
	    if (st == DICT_STAT_NOTFOUND && addr != 0) {
		const char *value;

		st = maps_find(pat->table, addr, &value);
	    }
	    if (st == DICT_STAT_ERROR) {
		vstring_sprintf(list->error, "%s: %s", list->title,
				maps_error(pat->table));
		myfree(clean);
		return (MATCH_ERROR);
	    }
	    hit = (st == DICT_STAT_FOUND);
	    break;
	}
	if (hit) {
	    myfree(clean);
	    return (pat->negate ? MATCH_NO : MATCH_YES);
	}
    }
    myfree(clean);
    return (MATCH_NO);
}

int     match_list_domain(struct match_list *list, const char *domain)
{
    return (match_list_walk(list, domain, (const char *) 0));
}

int     match_list_addr(struct match_list *list, const char *addr)
{
    return (match_list_walk(list, (const char *) 0, addr));
}

int     match_list_client(struct match_list *list, const char *name,
			          const char *addr)
{
    if (name != 0 && strcmp(name, "unknown") == 0)
	name = 0;
    return (match_list_walk(list, name, addr));
}

const char *match_list_error(struct match_list *list)
{
    return (vstring_str(list->error));
}

int     match_list_changed(struct match_list *list)
{
    size_t  i;

    for (i = 0; i < list->count; i++)
	if (list->pats[i].type == MATCH_PAT_TABLE
	    && maps_changed(list->pats[i].table))
	    return (1);
    return (0);
}

void    match_list_free(struct match_list **listp)
{
    struct match_list *list = *listp;
    size_t  i;

    if (list == 0)
	return;
    for (i = 0; i < list->count; i++) {
	myfree(list->pats[i].name);
	if (list->pats[i].table)
	    maps_free(&list->pats[i].table);
    }
    myfree(list->pats);
    myfree(list->title);
    vstring_free(&list->error);
    myfree(list);
    *listp = 0;
}
