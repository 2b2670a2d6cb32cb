/*++
/* NAME
/*	dns_lookup 3
/* SUMMARY
/*	DNS lookups through the system resolver
/* SYNOPSIS
/*	#include <dns_lookup.h>
/*
/*	int	dns_lookup(name, type, rrs, why)
/*	const char *name;
/*	int	type;
/*	struct dns_rr **rrs;
/*	struct vstring *why;
/*
/*	int	dns_lookup_mx_sorted(domain, rrs, why)
/*	int	dns_lookup_addrs(host, rrs, why)
/*	int	dns_reverse(addr, rrs, why)
/*	const char *domain, *host, *addr;
/*	struct dns_rr **rrs;
/*	struct vstring *why;
/*
/*	int	dns_reverse_name(addr, name, why)
/*	const char *addr;
/*	struct vstring *name;
/*	struct vstring *why;
/*
/*	int	dns_domain_exists(domain, why)
/*	const char *domain;
/*	struct vstring *why;
/*
/*	int	dns_verify_client(addr, name, why)
/*	const char *addr;
/*	struct vstring *name;
/*	struct vstring *why;
/*
/*	void	dns_rr_free(rrs)
/*	struct dns_rr **rrs;
/*
/*	const char *dns_status_str(status)
/*	const char *dns_type_str(type)
/*	int	status, type;
/*
/*	void	dns_reset(void)
/*
/*	int	dns_parse_answer(msg, len, name, type, rrs, why)
/*	const unsigned char *msg;
/*	size_t	len;
/*	const char *name;
/*	int	type;
/*	struct dns_rr **rrs;
/*	struct vstring *why;
/*
/*	int	dns_mx_order(rrs, why)
/*	struct dns_rr **rrs;
/*	struct vstring *why;
/* DESCRIPTION
/*	This module is the only code in dromos that talks to the resolver
/*	(res_ninit(3) and res_nquery(3) from libresolv). It follows the
/*	host's resolv.conf: the nameserver lines and options such as
/*	timeout and attempts. A chrooted daemon sees the copy in
/*	$queue_directory/etc/resolv.conf, because the resolver state is
/*	made at the first lookup, after the server skeleton has changed
/*	root. Names are always taken as absolute: the search list and the
/*	default domain of resolv.conf are never appended.
/*
/*	Results: DNS_OK (found; *rrs holds the records), DNS_NOTFOUND (the
/*	name does not exist: NXDOMAIN), DNS_NODATA (the name exists but has
/*	no record of that type), DNS_RETRY (a temporary failure: SERVFAIL,
/*	a timeout, no name server answering, or a server that refused the
/*	query), DNS_FAIL (permanent: a malformed name asked for, or a
/*	malformed answer) and, from the MX functions, DNS_NULLMX. With any
/*	result other than DNS_OK, *rrs is a null pointer and why holds a
/*	one-line reason that names the query, for logs and SMTP replies.
/*
/*	Names are checked before they are sent: an address literal
/*	("[192.0.2.1]"), a numeric name (one whose last label is all
/*	digits, such as 192.0.2.1), a name longer than 253 characters, a
/*	label longer than 63, an empty label, a label that begins or ends
/*	with "-", or a character other than letters, digits, "-" and "_"
/*	gives DNS_FAIL without a query. One trailing dot is allowed.
/*
/*	dns_lookup() looks up the records of one type: DNS_T_A,
/*	DNS_T_AAAA, DNS_T_MX, DNS_T_PTR or DNS_T_TXT. When the answer holds
/*	a CNAME chain (the resolver has followed it), the records of the
/*	requested type owned by the name or by a name of its chain are
/*	returned, in the order of the answer; owner names are compared
/*	without regard to case. A CNAME chain without records of the type
/*	is DNS_NODATA. MX and PTR targets that are not valid host names
/*	are left out (DNS_FAIL when that leaves nothing); a null MX target
/*	is kept as ".".
/*
/*	dns_lookup_mx_sorted() looks up MX records and orders them with
/*	dns_mx_order(): by preference, records of equal preference in
/*	random order. When every MX record of the domain has the target
/*	"." (RFC 7505 null MX: the domain accepts no mail) the result is
/*	DNS_NULLMX; "." records beside real ones are dropped. DNS_NODATA
/*	means the domain exists without MX records: per RFC 5321 the
/*	domain's own addresses are then its mail exchanger.
/*
/*	dns_lookup_addrs() looks up A and then AAAA records, as
/*	inet_protocols allows (all, ipv4, ipv6; an unset parameter counts
/*	as all), and returns them in one list: DNS_OK when either lookup
/*	found something (a temporary failure of the other is ignored),
/*	else DNS_RETRY when one was temporary, else the other failure.
/*
/*	dns_reverse_name() makes the name of the PTR record for an IPv4 or
/*	IPv6 address in text form ("192.0.2.1" becomes
/*	"1.2.0.192.in-addr.arpa"; IPv6 uses ip6.arpa nibbles). The address
/*	may be in brackets and may carry the "IPv6:" tag of an address
/*	literal; an IPv4-mapped IPv6 address counts as IPv4. It returns
/*	DNS_OK or DNS_FAIL for something that is not an address.
/*	dns_reverse() looks the PTR records of that name up.
/*
/*	dns_domain_exists() answers the question of the
/*	reject_unknown_sender_domain and reject_unknown_recipient_domain
/*	restrictions: DNS_OK when domain has an MX record or (failing
/*	that) an A or AAAA record, DNS_NULLMX when its MX is a null MX,
/*	DNS_RETRY when the answer could not be had for now, and otherwise
/*	DNS_NOTFOUND, DNS_NODATA or DNS_FAIL.
/*
/*	dns_verify_client() finds the "verified" host name of a client:
/*	the PTR names of addr (the first 10) are each looked up forward (A
/*	for an IPv4 address, AAAA for IPv6, whatever inet_protocols says),
/*	and the first whose addresses include addr is the result (DNS_OK,
/*	the name in name). It returns DNS_RETRY when no name verified and
/*	a lookup failed temporarily, DNS_NOTFOUND when there is no PTR
/*	record or no name verified, and DNS_FAIL when addr is not an
/*	address.
/*
/*	dns_rr_free() frees a list of records and clears the caller's
/*	pointer. dns_status_str() and dns_type_str() give printable names
/*	("OK", "NOTFOUND", ...; "A", "MX", ...).
/*
/*	dns_reset() closes the resolver state; the next lookup reads
/*	resolv.conf again.
/*
/*	dns_parse_answer() turns a raw answer of len bytes (as res_nquery
/*	returns it) for a question about name (a null pointer: whatever
/*	name the question section holds) and type into records, with the
/*	results above; the answer's response code counts as well
/*	(NXDOMAIN: DNS_NOTFOUND; SERVFAIL and others: DNS_RETRY). It trusts
/*	no length or count in the message: every read is checked against
/*	the end of the buffer. dns_mx_order() orders a list of MX records
/*	in place and detects a null MX (it frees the list and returns
/*	DNS_NULLMX).
/* DIAGNOSTICS
/*	Results and why, as above. Nothing is logged except with -v.
/* SEE ALSO
/*	RFC 1035 (DNS), RFC 5321 section 5 (MX), RFC 7505 (null MX)
/*--*/
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <resolv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <mail_params.h>
#include <dns_lookup.h>

#define DNS_NAME_MAX	253		/* characters, without trailing dot */
#define DNS_LABEL_MAX	63
#define DNS_BUF_INIT	4096		/* first answer buffer */
#define DNS_BUF_MAX	65536		/* the largest DNS message, and then some */
#define DNS_CHAIN_MAX	16		/* CNAME hops followed in one answer */
#define DNS_VERIFY_MAX	10		/* PTR names tried by dns_verify_client */

static struct __res_state dns_res;
static int dns_res_ready;

/* dns_status_str - printable result */

const char *dns_status_str(int status)
{
    switch (status) {
    case DNS_OK:
	return ("OK");
    case DNS_NOTFOUND:
	return ("NOTFOUND");
    case DNS_NODATA:
	return ("NODATA");
    case DNS_RETRY:
	return ("RETRY");
    case DNS_FAIL:
	return ("FAIL");
    case DNS_NULLMX:
	return ("NULLMX");
    default:
	return ("unknown");
    }
}

/* dns_type_str - printable record type */

const char *dns_type_str(int type)
{
    switch (type) {
    case DNS_T_A:
	return ("A");
    case DNS_T_AAAA:
	return ("AAAA");
    case DNS_T_MX:
	return ("MX");
    case DNS_T_PTR:
	return ("PTR");
    case DNS_T_TXT:
	return ("TXT");
    case DNS_T_CNAME:
	return ("CNAME");
    default:
	return ("unknown");
    }
}

/* dns_rr_free - free a list of records */

void    dns_rr_free(struct dns_rr **rrs)
{
    struct dns_rr *rr;
    struct dns_rr *next;

    for (rr = *rrs; rr; rr = next) {
	next = rr->next;
	myfree(rr->name);
	if (rr->data)
	    myfree(rr->data);
	myfree(rr);
    }
    *rrs = 0;
}

/* dns_reset - forget the resolver state */

void    dns_reset(void)
{
    if (dns_res_ready) {
	res_nclose(&dns_res);
	dns_res_ready = 0;
    }
}

/* dns_init - the resolver state, made at the first lookup */

static int dns_init(struct vstring *why)
{
    if (dns_res_ready)
	return (0);
    memset(&dns_res, 0, sizeof(dns_res));
    if (res_ninit(&dns_res) < 0) {
	vstring_sprintf(why, "cannot initialize the resolver");
	return (-1);
    }
    /* Names are absolute: no search list, no default domain. */
    dns_res.options &= ~(RES_DEFNAMES | RES_DNSRCH);
    dns_res_ready = 1;
    return (0);
}

/* dns_name_bad - why name cannot be looked up, or null */

static const char *dns_name_bad(const char *name)
{
    size_t  len;
    size_t  i;
    size_t  label = 0;
    size_t  label_start = 0;
    int     digits_only = 1;
    unsigned char ch;

    if (name == 0 || *name == 0)
	return ("empty name");
    if (*name == '[')
	return ("address literal");
    len = strlen(name);
    if (len > 1 && name[len - 1] == '.')
	len--;
    if (len > DNS_NAME_MAX)
	return ("name too long");
    for (i = 0; i < len; i++) {
	ch = (unsigned char) name[i];
	if (ch == '.') {
	    if (label == 0)
		return ("empty label");
	    if (name[i - 1] == '-')
		return ("label ends with '-'");
	    label = 0;
	    label_start = i + 1;
	    digits_only = 1;
	    continue;
	}
	if (!isascii(ch) || !(isalnum(ch) || ch == '-' || ch == '_'))
	    return ("bad character");
	if (ch == '-' && i == label_start)
	    return ("label begins with '-'");
	if (!isdigit(ch))
	    digits_only = 0;
	if (++label > DNS_LABEL_MAX)
	    return ("label too long");
    }
    if (label == 0)
	return ("empty label");
    if (name[len - 1] == '-')
	return ("label ends with '-'");
    if (digits_only)
	return ("numeric name");
    return (0);
}

/* dns_name_same - owner names compared without case or trailing dot */

static int dns_name_same(const char *a, const char *b)
{
    size_t  alen = strlen(a);
    size_t  blen = strlen(b);

    if (alen > 1 && a[alen - 1] == '.')
	alen--;
    if (blen > 1 && b[blen - 1] == '.')
	blen--;
    return (alen == blen && strncasecmp(a, b, alen) == 0);
}

/* dns_rr_new - one record */

static struct dns_rr *dns_rr_new(const char *name, int type, unsigned ttl)
{
    struct dns_rr *rr = (struct dns_rr *) mycalloc(1, sizeof(*rr));

    rr->name = mystrdup(name);
    rr->type = type;
    rr->ttl = ttl;
    return (rr);
}

/* dns_target - a host name from rdata, exactly filling it */

static int dns_target(const unsigned char *msg, const unsigned char *eom,
		              const unsigned char *src, const unsigned char *end,
		              char *buf, size_t size)
{
    int     n;

    if (src >= end)
	return (-1);
    n = ns_name_uncompress(msg, eom, src, buf, size);
    if (n < 0 || n != end - src)
	return (-1);
    return (0);
}

/* dns_parse_answer - raw answer to records */

int     dns_parse_answer(const unsigned char *msg, size_t len,
			         const char *name, int type,
			         struct dns_rr **rrs, struct vstring *why)
{
    ns_msg  handle;
    ns_rr   rr;
    const unsigned char *eom = msg + len;
    const unsigned char *rdata;
    const unsigned char *rend;
    const unsigned char *p;
    char    target[NS_MAXDNAME];
    char  (*chain)[NS_MAXDNAME] = 0;
    size_t  chain_len = 0;
    struct dns_rr *head = 0;
    struct dns_rr **tail = &head;
    struct dns_rr *new;
    int     count;
    int     i;
    size_t  c;
    int     found;
    int     dropped = 0;
    int     status;
    int     rcode;

    *rrs = 0;
    if (len > DNS_BUF_MAX || ns_initparse(msg, (int) len, &handle) < 0) {
	vstring_sprintf(why, "malformed answer (%lu bytes)",
			(unsigned long) len);
	return (DNS_FAIL);
    }
    if (!ns_msg_getflag(handle, ns_f_qr)) {
	vstring_sprintf(why, "malformed answer: not a response");
	return (DNS_FAIL);
    }

    /*
     * The question must be the one asked.
     */
    if (ns_msg_count(handle, ns_s_qd) != 1
	|| ns_parserr(&handle, ns_s_qd, 0, &rr) < 0) {
	vstring_sprintf(why, "malformed answer: bad question section");
	return (DNS_FAIL);
    }
    if ((int) ns_rr_type(rr) != type || ns_rr_class(rr) != ns_c_in
	|| (name != 0 && !dns_name_same(ns_rr_name(rr), name))) {
	vstring_sprintf(why, "answer for a different question");
	return (DNS_FAIL);
    }
    if (name == 0)
	name = ns_rr_name(rr);

    rcode = ns_msg_getflag(handle, ns_f_rcode);
    switch (rcode) {
    case ns_r_noerror:
	break;
    case ns_r_nxdomain:
	vstring_sprintf(why, "name service error for name=%s type=%s: "
			"host not found", name, dns_type_str(type));
	return (DNS_NOTFOUND);
    case ns_r_servfail:
	vstring_sprintf(why, "name service error for name=%s type=%s: "
			"server failure, try again", name, dns_type_str(type));
	return (DNS_RETRY);
    default:
	vstring_sprintf(why, "name service error for name=%s type=%s: "
			"server error (response code %d), try again",
			name, dns_type_str(type), rcode);
	return (DNS_RETRY);
    }

    /*
     * The CNAME chain the resolver followed: the name, then each target.
     */
    count = ns_msg_count(handle, ns_s_an);
    chain = mymalloc(sizeof(*chain) * (DNS_CHAIN_MAX + 1));
    if (strlen(name) >= sizeof(chain[0])) {
	vstring_sprintf(why, "name too long");
	status = DNS_FAIL;
	goto done;
    }
    memcpy(chain[0], name, strlen(name) + 1);
    chain_len = 1;
    while (chain_len <= DNS_CHAIN_MAX) {
	for (found = 0, i = 0; !found && i < count; i++) {
	    if (ns_parserr(&handle, ns_s_an, i, &rr) < 0) {
		vstring_sprintf(why, "malformed answer for name=%s type=%s",
				name, dns_type_str(type));
		status = DNS_FAIL;
		goto done;
	    }
	    if (ns_rr_type(rr) != ns_t_cname || ns_rr_class(rr) != ns_c_in
		|| !dns_name_same(ns_rr_name(rr), chain[chain_len - 1]))
		continue;
	    rdata = ns_rr_rdata(rr);
	    if (dns_target(msg, eom, rdata, rdata + ns_rr_rdlen(rr),
			   target, sizeof(target)) < 0) {
		vstring_sprintf(why, "malformed CNAME record for name=%s",
				name);
		status = DNS_FAIL;
		goto done;
	    }
	    for (c = 0; c < chain_len; c++)
		if (dns_name_same(chain[c], target))
		    break;
	    if (c < chain_len)			/* a loop: stop here */
		break;
	    memcpy(chain[chain_len++], target, strlen(target) + 1);
	    found = 1;
	}
	if (!found)
	    break;
    }

    /*
     * The records of the type asked for, owned by a name of the chain.
     */
    for (i = 0; i < count; i++) {
	if (ns_parserr(&handle, ns_s_an, i, &rr) < 0) {
	    vstring_sprintf(why, "malformed answer for name=%s type=%s",
			    name, dns_type_str(type));
	    status = DNS_FAIL;
	    goto done;
	}
	if ((int) ns_rr_type(rr) != type || ns_rr_class(rr) != ns_c_in)
	    continue;
	for (c = 0; c < chain_len; c++)
	    if (dns_name_same(ns_rr_name(rr), chain[c]))
		break;
	if (c == chain_len)
	    continue;
	rdata = ns_rr_rdata(rr);
	rend = rdata + ns_rr_rdlen(rr);
	new = 0;
	switch (type) {
	case DNS_T_A:
	case DNS_T_AAAA:
	    if (ns_rr_rdlen(rr) != (type == DNS_T_A ? 4 : 16)) {
		vstring_sprintf(why, "malformed %s record for name=%s",
				dns_type_str(type), name);
		status = DNS_FAIL;
		goto done;
	    }
	    new = dns_rr_new(ns_rr_name(rr), type, ns_rr_ttl(rr));
	    memcpy(new->addr, rdata, ns_rr_rdlen(rr));
	    new->addr_len = ns_rr_rdlen(rr);
	    break;
	case DNS_T_MX:
	case DNS_T_PTR:
	    p = rdata;
	    if (type == DNS_T_MX) {
		if (rend - rdata < 3) {
		    vstring_sprintf(why, "malformed MX record for name=%s",
				    name);
		    status = DNS_FAIL;
		    goto done;
		}
		p += 2;
	    }
	    if (dns_target(msg, eom, p, rend, target, sizeof(target)) < 0) {
		vstring_sprintf(why, "malformed %s record for name=%s",
				dns_type_str(type), name);
		status = DNS_FAIL;
		goto done;
	    }
	    if (type == DNS_T_MX && (*target == 0 || strcmp(target, ".") == 0)) {
		memcpy(target, ".", 2);
	    } else if (dns_name_bad(target) != 0) {
		if (msg_verbose)
		    msg_info("%s: name=%s type=%s: skipping bad target %s: %s",
			     __func__, name, dns_type_str(type), target,
			     dns_name_bad(target));
		dropped++;
		continue;
	    }
	    new = dns_rr_new(ns_rr_name(rr), type, ns_rr_ttl(rr));
	    if (type == DNS_T_MX)
		new->pref = ns_get16(rdata);
	    new->data = mystrdup(target);
	    new->data_len = strlen(target);
	    break;
	case DNS_T_TXT:
	    {
		struct vstring *text = vstring_alloc(ns_rr_rdlen(rr) + 1);
		size_t  n;

		for (p = rdata; p < rend; p += n) {
		    n = *p++;
		    if (n > (size_t) (rend - p)) {
			vstring_free(&text);
			vstring_sprintf(why, "malformed TXT record for name=%s",
					name);
			status = DNS_FAIL;
			goto done;
		    }
		    vstring_append(text, p, n);
		}
		new = dns_rr_new(ns_rr_name(rr), type, ns_rr_ttl(rr));
		new->data_len = vstring_len(text);
		new->data = vstring_export(&text);
	    }
	    break;
	default:
	    vstring_sprintf(why, "unsupported record type %d", type);
	    status = DNS_FAIL;
	    goto done;
	}
	*tail = new;
	tail = &new->next;
    }
    if (head != 0) {
	status = DNS_OK;
    } else if (dropped > 0) {
	vstring_sprintf(why, "name service error for name=%s type=%s: "
			"malformed host name in every record",
			name, dns_type_str(type));
	status = DNS_FAIL;
    } else {
	vstring_sprintf(why, "name service error for name=%s type=%s: "
			"no %s record", name, dns_type_str(type),
			dns_type_str(type));
	status = DNS_NODATA;
    }

done:
    if (chain)
	myfree(chain);
    if (status == DNS_OK)
	*rrs = head;
    else
	dns_rr_free(&head);
    return (status);
}

/* dns_failure - why a query failed temporarily */

static const char *dns_failure(const unsigned char *buf, size_t size,
				        int err)
{
    /*
     * When a server answered, its answer header is in the buffer (which
     * was zeroed before the query): QR set, the response code in the low
     * bits of byte 3. Otherwise errno says what happened to the query.
     */
    if (size >= NS_HFIXEDSZ && (buf[2] & 0x80) != 0) {
	switch (buf[3] & 0x0f) {
	case ns_r_servfail:
	    return ("server failure");
	case ns_r_refused:
	    return ("query refused");
	case ns_r_formerr:
	    return ("server reports a format error");
	case ns_r_notimpl:
	    return ("query not implemented by the server");
	default:
	    return ("server error");
	}
    }
    if (err == ECONNREFUSED)
	return ("no name server answers");
    if (err == ETIMEDOUT)
	return ("timeout");
    if (err == 0)
	return ("server failure or timeout");
    return (strerror(err));
}

/* dns_lookup - the records of one type */

int     dns_lookup(const char *name, int type, struct dns_rr **rrs,
		           struct vstring *why)
{
    unsigned char *buf;
    size_t  size = DNS_BUF_INIT;
    const char *bad;
    int     len;
    int     err;
    int     status;

    *rrs = 0;
    switch (type) {
    case DNS_T_A:
    case DNS_T_AAAA:
    case DNS_T_MX:
    case DNS_T_PTR:
    case DNS_T_TXT:
	break;
    default:
	vstring_sprintf(why, "unsupported record type %d", type);
	return (DNS_FAIL);
    }
    if ((bad = dns_name_bad(name)) != 0) {
	vstring_sprintf(why, "bad name for a %s lookup: \"%.100s%s\": %s",
			dns_type_str(type), name ? name : "",
			name && strlen(name) > 100 ? "..." : "", bad);
	return (DNS_FAIL);
    }
    if (dns_init(why) < 0)
	return (DNS_RETRY);

    buf = mymalloc(size);
    for (;;) {
	errno = 0;
	dns_res.res_h_errno = 0;
	memset(buf, 0, NS_HFIXEDSZ);		/* see dns_failure() */
	len = res_nquery(&dns_res, name, ns_c_in, type, buf, (int) size);
	err = errno;
	if (len < 0) {
	    switch (dns_res.res_h_errno) {
	    case HOST_NOT_FOUND:
		vstring_sprintf(why, "name service error for name=%s type=%s: "
				"host not found", name, dns_type_str(type));
		status = DNS_NOTFOUND;
		break;
	    case NO_DATA:
		vstring_sprintf(why, "name service error for name=%s type=%s: "
				"no %s record", name, dns_type_str(type),
				dns_type_str(type));
		status = DNS_NODATA;
		break;
	    case TRY_AGAIN:
	    case NO_RECOVERY:

		/*
		 * SERVFAIL, a timeout, no server; FORMERR, NOTIMP, REFUSED:
		 * the servers would not answer. That says nothing about the
		 * name, so it is no reason to bounce mail or to reject a
		 * sender for good.
		 */
		vstring_sprintf(why, "name service error for name=%s type=%s: "
				"%s, try again", name, dns_type_str(type),
				dns_failure(buf, size, err));
		status = DNS_RETRY;
		break;
	    default:
		vstring_sprintf(why, "name service error for name=%s type=%s: "
				"resolver error%s%s, try again",
				name, dns_type_str(type),
				err ? ": " : "", err ? strerror(err) : "");
		status = DNS_RETRY;
		break;
	    }
	    break;
	}
	/* The answer did not fit: res_nquery() says how much it needs. */
	if ((size_t) len > size && size < DNS_BUF_MAX) {
	    size = DNS_BUF_MAX;
	    buf = myrealloc(buf, size);
	    continue;
	}
	if ((size_t) len > size)
	    len = (int) size;
	status = dns_parse_answer(buf, (size_t) len, name, type, rrs, why);
	break;
    }
    myfree(buf);
    if (msg_verbose)
	msg_info("%s: name=%s type=%s: %s", __func__, name,
		 dns_type_str(type), dns_status_str(status));
    return (status);
}

/* dns_mx_cmp - qsort by preference, then by a random key */

struct dns_mx_sort {
    struct dns_rr *rr;
    uint32_t key;
};

static int dns_mx_cmp(const void *a, const void *b)
{
    const struct dns_mx_sort *x = a;
    const struct dns_mx_sort *y = b;

    if (x->rr->pref != y->rr->pref)
	return (x->rr->pref < y->rr->pref ? -1 : 1);
    if (x->key != y->key)
	return (x->key < y->key ? -1 : 1);
    return (0);
}

/* dns_mx_order - sort MX records, detect a null MX */

int     dns_mx_order(struct dns_rr **rrs, struct vstring *why)
{
    struct dns_rr *rr;
    struct dns_rr *next;
    struct dns_rr *keep = 0;
    struct dns_rr *nulls = 0;
    struct dns_mx_sort *tab;
    size_t  n = 0;
    size_t  i;

    /* Null MX records ("." targets) apart from the others. */
    for (rr = *rrs; rr; rr = next) {
	next = rr->next;
	if (rr->data == 0 || strcmp(rr->data, ".") == 0) {
	    rr->next = nulls;
	    nulls = rr;
	} else {
	    rr->next = keep;
	    keep = rr;
	    n++;
	}
    }
    *rrs = 0;
    if (keep == 0) {
	if (nulls == 0) {
	    vstring_sprintf(why, "no MX record");
	    return (DNS_NODATA);
	}
	vstring_sprintf(why, "domain %s accepts no mail (null MX)",
			nulls->name);
	dns_rr_free(&nulls);
	return (DNS_NULLMX);
    }
    dns_rr_free(&nulls);

    tab = (struct dns_mx_sort *) mycalloc(n, sizeof(*tab));
    for (i = 0, rr = keep; rr; rr = rr->next, i++) {
	tab[i].rr = rr;
	tab[i].key = arc4random();
    }
    qsort(tab, n, sizeof(*tab), dns_mx_cmp);
    for (i = 0; i < n; i++)
	tab[i].rr->next = (i + 1 < n ? tab[i + 1].rr : 0);
    *rrs = tab[0].rr;
    myfree(tab);
    return (DNS_OK);
}

/* dns_lookup_mx_sorted - MX records in the order to try them */

int     dns_lookup_mx_sorted(const char *domain, struct dns_rr **rrs,
			             struct vstring *why)
{
    int     status;

    status = dns_lookup(domain, DNS_T_MX, rrs, why);
    if (status == DNS_OK && (status = dns_mx_order(rrs, why)) == DNS_NULLMX)
	vstring_sprintf(why, "domain %s accepts no mail (null MX)", domain);
    return (status);
}

/* dns_want_family - inet_protocols allows this family */

static int dns_want_family(int family)
{
    struct argv *protos;
    size_t  i;
    int     want = 0;

    if (var_inet_protocols == 0)
	return (1);
    protos = argv_split(var_inet_protocols, " ,\t\r\n");
    for (i = 0; i < protos->argc; i++) {
	if (strcasecmp(protos->argv[i], "all") == 0
	    || (family == AF_INET && strcasecmp(protos->argv[i], "ipv4") == 0)
	    || (family == AF_INET6 && strcasecmp(protos->argv[i], "ipv6") == 0))
	    want = 1;
    }
    if (protos->argc == 0)
	want = 1;
    argv_free(&protos);
    return (want);
}

/* dns_merge - the result of two lookups of one name */

static int dns_merge(int s1, int s2)
{
    if (s1 == DNS_OK || s2 == DNS_OK)
	return (DNS_OK);
    if (s1 == DNS_RETRY || s2 == DNS_RETRY)
	return (DNS_RETRY);
    if (s1 == DNS_FAIL || s2 == DNS_FAIL)
	return (DNS_FAIL);
    if (s1 == DNS_NOTFOUND || s2 == DNS_NOTFOUND)
	return (DNS_NOTFOUND);
    return (DNS_NODATA);
}

/* dns_lookup_a_aaaa - A and AAAA records as wanted, in one list */

static int dns_lookup_a_aaaa(const char *name, int want4, int want6,
			             struct dns_rr **rrs, struct vstring *why)
{
    struct dns_rr *rr4 = 0;
    struct dns_rr *rr6 = 0;
    struct dns_rr **tail;
    struct vstring *why6 = vstring_alloc(100);
    int     s4 = -1;
    int     s6 = -1;
    int     status;

    *rrs = 0;
    if (want4)
	s4 = dns_lookup(name, DNS_T_A, &rr4, why);
    /* No second query when the first says there is no such name. */
    if (want6 && s4 != DNS_NOTFOUND && s4 != DNS_FAIL)
	s6 = dns_lookup(name, DNS_T_AAAA, &rr6, why6);
    if (s4 < 0 && s6 < 0) {
	vstring_sprintf(why, "inet_protocols allows neither IPv4 nor IPv6");
	vstring_free(&why6);
	return (DNS_FAIL);
    }
    status = dns_merge(s4 < 0 ? s6 : s4, s6 < 0 ? s4 : s6);
    if (status == DNS_OK) {
	for (tail = &rr4; *tail; tail = &(*tail)->next)
	     /* void */ ;
	*tail = rr6;
	*rrs = rr4;
    } else if (s4 != status && s6 >= 0) {
	/* The reason that goes with the result. */
	vstring_strcpy(why, vstring_str(why6));
    }
    vstring_free(&why6);
    return (status);
}

/* dns_lookup_addrs - a host's addresses, as inet_protocols allows */

int     dns_lookup_addrs(const char *host, struct dns_rr **rrs,
			         struct vstring *why)
{
    return (dns_lookup_a_aaaa(host, dns_want_family(AF_INET),
			      dns_want_family(AF_INET6), rrs, why));
}

/* dns_domain_exists - an MX, A or AAAA record for domain */

int     dns_domain_exists(const char *domain, struct vstring *why)
{
    struct dns_rr *rrs = 0;
    int     status;

    status = dns_lookup_mx_sorted(domain, &rrs, why);
    dns_rr_free(&rrs);
    if (status != DNS_NODATA)
	return (status);
    status = dns_lookup_a_aaaa(domain, 1, 1, &rrs, why);
    dns_rr_free(&rrs);
    if (status == DNS_NODATA)
	vstring_sprintf(why, "name service error for name=%s: "
			"no MX, A or AAAA record", domain);
    return (status);
}

/* dns_addr_parse - address text to bytes; IPv4-mapped IPv6 as IPv4 */

static int dns_addr_parse(const char *text, unsigned char *bytes,
			          size_t *len)
{
    char    buf[INET6_ADDRSTRLEN + 1];
    size_t  n;
    static const unsigned char mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
    };

    if (text == 0)
	return (-1);
    n = strlen(text);
    if (n > 1 && text[0] == '[' && text[n - 1] == ']') {
	text++;
	n -= 2;
    }
    if (n > 5 && strncasecmp(text, "IPv6:", 5) == 0) {
	text += 5;
	n -= 5;
    }
    if (n == 0 || n >= sizeof(buf))
	return (-1);
    memcpy(buf, text, n);
    buf[n] = 0;
    if (inet_pton(AF_INET, buf, bytes) == 1) {
	*len = 4;
	return (0);
    }
    if (inet_pton(AF_INET6, buf, bytes) == 1) {
	if (memcmp(bytes, mapped, sizeof(mapped)) == 0) {
	    memmove(bytes, bytes + 12, 4);
	    *len = 4;
	} else {
	    *len = 16;
	}
	return (0);
    }
    return (-1);
}

/* dns_reverse_name - the PTR name of an address */

int     dns_reverse_name(const char *addr, struct vstring *name,
			         struct vstring *why)
{
    unsigned char bytes[16];
    size_t  len;
    size_t  i;
    static const char hex[] = "0123456789abcdef";

    if (dns_addr_parse(addr, bytes, &len) < 0) {
	vstring_sprintf(why, "not an IPv4 or IPv6 address: \"%.100s\"",
			addr ? addr : "");
	return (DNS_FAIL);
    }
    vstring_reset(name);
    if (len == 4) {
	vstring_sprintf(name, "%u.%u.%u.%u.in-addr.arpa",
			bytes[3], bytes[2], bytes[1], bytes[0]);
    } else {
	for (i = len; i > 0; i--) {
	    vstring_appendc(name, hex[bytes[i - 1] & 0xf]);
	    vstring_appendc(name, '.');
	    vstring_appendc(name, hex[bytes[i - 1] >> 4]);
	    vstring_appendc(name, '.');
	}
	vstring_appends(name, "ip6.arpa");
    }
    return (DNS_OK);
}

/* dns_reverse - the PTR records of an address */

int     dns_reverse(const char *addr, struct dns_rr **rrs, struct vstring *why)
{
    struct vstring *name = vstring_alloc(100);
    int     status;

    *rrs = 0;
    if ((status = dns_reverse_name(addr, name, why)) == DNS_OK)
	status = dns_lookup(vstring_str(name), DNS_T_PTR, rrs, why);
    vstring_free(&name);
    return (status);
}

/* dns_verify_client - a PTR name whose addresses include addr */

int     dns_verify_client(const char *addr, struct vstring *name,
			          struct vstring *why)
{
    unsigned char bytes[16];
    size_t  len;
    struct dns_rr *ptrs = 0;
    struct dns_rr *ptr;
    struct dns_rr *addrs;
    struct dns_rr *rr;
    struct vstring *reason;
    struct vstring *retry_reason;
    int     tried;
    int     status;
    int     retry = 0;

    vstring_reset(name);
    if (dns_addr_parse(addr, bytes, &len) < 0) {
	vstring_sprintf(why, "not an IPv4 or IPv6 address: \"%.100s\"",
			addr ? addr : "");
	return (DNS_FAIL);
    }
    status = dns_reverse(addr, &ptrs, why);
    if (status == DNS_RETRY)
	return (DNS_RETRY);
    if (status != DNS_OK) {
	vstring_sprintf(why, "no valid PTR record for address %s", addr);
	return (DNS_NOTFOUND);
    }
    reason = vstring_alloc(100);
    retry_reason = vstring_alloc(100);
    for (tried = 0, ptr = ptrs; ptr && tried < DNS_VERIFY_MAX;
	 ptr = ptr->next, tried++) {
	status = dns_lookup(ptr->data, len == 4 ? DNS_T_A : DNS_T_AAAA,
			    &addrs, reason);
	if (status == DNS_RETRY && !retry) {
	    retry = 1;
	    vstring_strcpy(retry_reason, vstring_str(reason));
	}
	for (rr = addrs; rr; rr = rr->next)
	    if (rr->addr_len == len && memcmp(rr->addr, bytes, len) == 0)
		break;
	dns_rr_free(&addrs);
	if (rr != 0) {
	    vstring_strcpy(name, ptr->data);
	    break;
	}
    }
    if (vstring_len(name) > 0) {
	status = DNS_OK;
    } else if (retry) {
	vstring_sprintf(why, "cannot verify the host name of address %s: %s",
			addr, vstring_str(retry_reason));
	status = DNS_RETRY;
    } else {
	vstring_sprintf(why, "address %s is not listed for its host name %s",
			addr, ptrs->data);
	status = DNS_NOTFOUND;
    }
    dns_rr_free(&ptrs);
    vstring_free(&reason);
    vstring_free(&retry_reason);
    return (status);
}
