/*++
/* NAME
/*	mail_addr 3
/* SUMMARY
/*	RFC 5321 envelope addresses (reverse-path and forward-path)
/* SYNOPSIS
/*	#include <mail_addr.h>
/*
/*	const char *mail_addr_parse(str, len, flags, addr, why)
/*	const char *str;
/*	size_t	len;
/*	int	flags;
/*	struct vstring *addr;
/*	struct vstring *why;
/*
/*	int	mail_addr_split(addr, local, domain)
/*	const char *addr;
/*	struct vstring *local;
/*	struct vstring *domain;
/*
/*	int	mail_addr_domain_valid(domain, len)
/*	const char *domain;
/*	size_t	len;
/*
/*	int	mail_addr_domain_in_list(domain, list)
/*	const char *domain;
/*	const char *list;
/* DESCRIPTION
/*	mail_addr_parse() parses one RFC 5321 path at the start of the len
/*	bytes at str (not NUL-terminated necessarily) and returns a pointer
/*	just past it (to the rest of the command: ESMTP parameters), or a
/*	null pointer with a one-line reason in why. The grammar is RFC 5321
/*	section 4.1.2:
/*
/* .nf
/*	Path          = "<" [ A-d-l ":" ] Mailbox ">"
/*	A-d-l         = At-domain *( "," At-domain )    (ignored)
/*	Mailbox       = Local-part "@" ( Domain / address-literal )
/*	Local-part    = Dot-string / Quoted-string
/*	Domain        = sub-domain *( "." sub-domain )
/*	sub-domain    = Let-dig [ Ldh-str ]
/*	address-literal = "[" ( IPv4 / "IPv6:" IPv6 / tag ":" dcontent+ ) "]"
/* .fi
/*
/*	The address, without the angle brackets and source route, with
/*	a quoted local part kept exactly as it was quoted, is stored in
/*	addr ("" for the null path). Limits: local part 64 octets, domain
/*	255, whole path 256 (RFC 5321 section 4.5.3.1). Octets outside
/*	US-ASCII are refused (SMTPUTF8 is not offered). Flags:
/* .IP MAIL_ADDR_FLAG_NULL_OK
/*	accept "<>" (a reverse-path).
/* .IP MAIL_ADDR_FLAG_BARE_OK
/*	accept a mailbox without angle brackets (as many servers do); it
/*	then ends at the first blank.
/* .IP MAIL_ADDR_FLAG_NODOMAIN
/*	accept a local part without "@domain" (as in "<postmaster>").
/* .IP MAIL_ADDR_FLAG_LENIENT
/*	(strict_rfc821_envelopes = no) also accept an unquoted local part
/*	with "@" in it (the domain is what follows the last "@":
/*	"user@elsewhere@here") and one trailing dot after the domain
/*	("user@example.com."), as clients and relay probes send them; the
/*	address is kept as sent, and the relay checks see what it really
/*	asks for.
/* .PP
/*	mail_addr_split() splits a parsed address at its last "@" outside
/*	a quoted string into local and domain (domain empty when there is
/*	none); it returns 1 when there was a domain, 0 otherwise.
/*
/*	mail_addr_domain_valid() returns non-zero when the len bytes at
/*	domain are a valid RFC 5321 Domain or address literal.
/*
/*	mail_addr_domain_in_list() returns non-zero when domain equals
/*	(ignoring case, and a trailing dot) one of the names in list,
/*	which are separated by commas and/or white space (as
/*	$mydestination).
/* DIAGNOSTICS
/*	Return values and why; nothing is logged.
/*--*/

/* System library. */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

/* Utility library. */

#include <vstring.h>

/* Global library. */

#include <mail_addr.h>

/* RFC 5322 atext: ALPHA DIGIT and these specials. */

static int mail_addr_atext(int ch)
{
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
	|| (ch >= '0' && ch <= '9'))
	return (1);
    return (ch != 0 && strchr("!#$%&'*+-/=?^_`{|}~", ch) != 0);
}

static int mail_addr_letdig(int ch)
{
    return ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
	    || (ch >= '0' && ch <= '9'));
}

/* mail_addr_literal_valid - "[...]" content, brackets excluded */

static int mail_addr_literal_valid(const char *cp, size_t len)
{
    char    text[MAIL_ADDR_DOMAIN_MAX + 1];
    unsigned char bin[sizeof(struct in6_addr)];
    const char *colon;
    size_t  i;

    if (len == 0 || len > MAIL_ADDR_DOMAIN_MAX || memchr(cp, 0, len) != 0)
	return (0);
    memcpy(text, cp, len);
    text[len] = 0;
    if (inet_pton(AF_INET, text, bin) == 1)
	return (1);
    if (len > 5 && strncasecmp(text, "IPv6:", 5) == 0)
	return (inet_pton(AF_INET6, text + 5, bin) == 1);
    /* General-address-literal = Standardized-tag ":" 1*dcontent */
    if ((colon = memchr(cp, ':', len)) == 0 || colon == cp
	|| colon == cp + len - 1)
	return (0);
    for (i = 0; cp + i < colon; i++)
	if (!mail_addr_letdig((unsigned char) cp[i]) && cp[i] != '-')
	    return (0);
    for (i = (size_t) (colon - cp) + 1; i < len; i++) {
	unsigned char ch = (unsigned char) cp[i];

	if (ch < 33 || ch > 126 || ch == '[' || ch == ']' || ch == '\\')
	    return (0);
    }
    return (1);
}

/* mail_addr_domain_valid - Domain or address-literal */

int     mail_addr_domain_valid(const char *domain, size_t len)
{
    size_t  i;
    size_t  label = 0;

    if (len == 0 || len > MAIL_ADDR_DOMAIN_MAX)
	return (0);
    if (domain[0] == '[')
	return (len >= 2 && domain[len - 1] == ']'
		&& mail_addr_literal_valid(domain + 1, len - 2));
    for (i = 0; i < len; i++) {
	unsigned char ch = (unsigned char) domain[i];

	if (ch == '.') {
	    /* No empty label, no label ending in "-". */
	    if (label == 0 || domain[i - 1] == '-')
		return (0);
	    label = 0;
	} else if (mail_addr_letdig(ch)) {
	    if (++label > 63)
		return (0);
	} else if (ch == '-') {
	    if (label == 0)
		return (0);
	    if (++label > 63)
		return (0);
	} else {
	    return (0);
	}
    }
    return (label > 0 && domain[len - 1] != '-');
}

/* mail_addr_mailbox - Mailbox at cp; return the end or 0 */

static const char *mail_addr_mailbox(const char *cp, const char *end,
				             int bare, int flags,
				             struct vstring *addr,
				             struct vstring *why)
{
    const char *start = cp;
    const char *dom;
    int     need_atom = 1;

    /* Local-part. */
    if (cp < end && *cp == '"') {
	for (cp++; /* void */ ; cp++) {
	    if (cp >= end) {
		vstring_strcpy(why, "unterminated quoted string");
		return (0);
	    }
	    if (*cp == '"')
		break;
	    if (*cp == '\\') {
		if (++cp >= end || (unsigned char) *cp < 32
		    || (unsigned char) *cp > 126) {
		    vstring_strcpy(why, "bad quoted pair");
		    return (0);
		}
	    } else if ((unsigned char) *cp < 32 || (unsigned char) *cp > 126) {
		vstring_strcpy(why, "bad character in quoted string");
		return (0);
	    }
	}
	cp++;
    } else {
	const char *last_at = 0;

	/* Lenient: the local part runs to the last "@" of the mailbox. */
	if (flags & MAIL_ADDR_FLAG_LENIENT) {
	    const char *scan;

	    for (scan = cp; scan < end && *scan != '>' && *scan != ' '
		 && *scan != '\t' && *scan != '"'; scan++)
		if (*scan == '@')
		    last_at = scan;
	}
	for (/* void */ ; cp < end; cp++) {
	    if (*cp == '.') {
		if (need_atom)
		    break;
		need_atom = 1;
	    } else if (mail_addr_atext((unsigned char) *cp)
		       || (*cp == '@' && cp < last_at)) {
		need_atom = 0;
	    } else {
		break;
	    }
	}
	if (cp == start) {
	    vstring_strcpy(why, "empty local part");
	    return (0);
	}
	if (need_atom) {
	    vstring_strcpy(why, "bad dot in local part");
	    return (0);
	}
    }
    if (cp - start > MAIL_ADDR_LOCAL_MAX) {
	vstring_strcpy(why, "local part too long");
	return (0);
    }
    vstring_memcpy(addr, start, (size_t) (cp - start));

    /* "@" Domain, or the end of the mailbox. */
    if (cp >= end || *cp != '@') {
	if (cp < end && !(bare ? (*cp == ' ' || *cp == '\t') : *cp == '>')) {
	    vstring_strcpy(why, "bad character in local part");
	    return (0);
	}
	if ((flags & MAIL_ADDR_FLAG_NODOMAIN) == 0) {
	    vstring_strcpy(why, "missing domain");
	    return (0);
	}
	return (cp);
    }
    dom = ++cp;
    if (cp < end && *cp == '[') {
	while (cp < end && *cp != ']')
	    cp++;
	if (cp < end)
	    cp++;
    } else {
	while (cp < end && (mail_addr_letdig((unsigned char) *cp)
			    || *cp == '-' || *cp == '.'))
	    cp++;
    }
    if (!mail_addr_domain_valid(dom, (size_t) (cp - dom))
	&& !((flags & MAIL_ADDR_FLAG_LENIENT) && cp - dom > 1
	     && cp[-1] == '.' && cp[-2] != '.'
	     && mail_addr_domain_valid(dom, (size_t) (cp - dom - 1)))) {
	vstring_strcpy(why, "bad domain");
	return (0);
    }
    vstring_append(addr, dom - 1, (size_t) (cp - dom + 1));
    return (cp);
}

/* mail_addr_parse - one path; return the end or 0 */

const char *mail_addr_parse(const char *str, size_t len, int flags,
			            struct vstring *addr, struct vstring *why)
{
    const char *cp = str;
    const char *end = str + len;
    const char *next;

    vstring_reset(addr);
    if (cp >= end || *cp != '<') {
	if ((flags & MAIL_ADDR_FLAG_BARE_OK) == 0 || cp >= end) {
	    vstring_strcpy(why, "missing <");
	    return (0);
	}
	if ((next = mail_addr_mailbox(cp, end, 1, flags, addr, why)) == 0)
	    return (0);
	if (next < end && *next != ' ' && *next != '\t') {
	    vstring_strcpy(why, "bad character after address");
	    return (0);
	}
	if (next - str > MAIL_ADDR_PATH_MAX - 2) {
	    vstring_strcpy(why, "address too long");
	    return (0);
	}
	return (next);
    }
    cp++;
    if (cp < end && *cp == '>') {
	if ((flags & MAIL_ADDR_FLAG_NULL_OK) == 0) {
	    vstring_strcpy(why, "null address not allowed");
	    return (0);
	}
	return (cp + 1);
    }
    /* A source route is accepted and ignored (RFC 5321 section 4.1.2). */
    if (cp < end && *cp == '@') {
	for (;;) {
	    const char *dom = ++cp;

	    while (cp < end && *cp != ',' && *cp != ':')
		cp++;
	    if (cp >= end || !mail_addr_domain_valid(dom, (size_t) (cp - dom))) {
		vstring_strcpy(why, "bad source route");
		return (0);
	    }
	    if (*cp == ':') {
		cp++;
		break;
	    }
	    if (++cp >= end || *cp != '@') {
		vstring_strcpy(why, "bad source route");
		return (0);
	    }
	}
    }
    if ((next = mail_addr_mailbox(cp, end, 0, flags, addr, why)) == 0)
	return (0);
    if (next >= end || *next != '>') {
	vstring_strcpy(why, "missing >");
	return (0);
    }
    next++;
    if (next - str > MAIL_ADDR_PATH_MAX) {
	vstring_strcpy(why, "address too long");
	return (0);
    }
    return (next);
}

/* mail_addr_split - local part and domain */

int     mail_addr_split(const char *addr, struct vstring *local,
			        struct vstring *domain)
{
    const char *at = 0;
    const char *cp;
    int     quoted = 0;

    for (cp = addr; *cp; cp++) {
	if (*cp == '\\' && quoted && cp[1]) {
	    cp++;
	} else if (*cp == '"') {
	    quoted = !quoted;
	} else if (*cp == '@' && !quoted) {
	    at = cp;
	}
    }
    if (at == 0) {
	vstring_strcpy(local, addr);
	vstring_reset(domain);
	return (0);
    }
    vstring_memcpy(local, addr, (size_t) (at - addr));
    vstring_strcpy(domain, at + 1);
    return (1);
}

/* mail_addr_domain_in_list - domain is one of list's names */

int     mail_addr_domain_in_list(const char *domain, const char *list)
{
    size_t  dlen = strlen(domain);
    const char *cp = list;
    size_t  n;

    if (dlen > 0 && domain[dlen - 1] == '.')
	dlen--;
    if (dlen == 0)
	return (0);
    while (*cp) {
	cp += strspn(cp, ", \t\r\n");
	n = strcspn(cp, ", \t\r\n");
	if (n == 0)
	    break;
	if ((n == dlen && strncasecmp(cp, domain, dlen) == 0)
	    || (n == dlen + 1 && cp[dlen] == '.'
		&& strncasecmp(cp, domain, dlen) == 0))
	    return (1);
	cp += n;
    }
    return (0);
}
