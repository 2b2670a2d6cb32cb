/*++
/* NAME
/*	test_dns_lookup 1
/* SUMMARY
/*	unit tests for dns_lookup(3) against a real DNS server
/* SYNOPSIS
/*	./test_dns_lookup offline
/*	ip netns exec NS ./test_dns_lookup up
/*	ip netns exec NS ./test_dns_lookup down
/* DESCRIPTION
/*	offline: no DNS server needed. Names refused before any query,
/*	PTR names of addresses, and the answer parser fed crafted answers:
/*	good ones, every truncation, a question that was not asked,
/*	response codes, bad record lengths, compression loops, names that
/*	overrun their record, CNAME loops, malformed targets, null MX
/*	detection and MX ordering.
/*
/*	up: run_dns_tests.py has made a network namespace whose
/*	resolv.conf points at dnsmasq serving the records listed there
/*	(and a SERVFAIL server, a dead forwarder, and REFUSED for names
/*	outside .test). Each lookup function is checked against them:
/*	MX order and random order of equal preferences, null MX, NODATA,
/*	NXDOMAIN, CNAME chains, case, TXT, PTR, verified client names,
/*	inet_protocols, and the temporary failures (SERVFAIL, timeout,
/*	REFUSED) as DNS_RETRY.
/*
/*	down: dnsmasq has been stopped: every lookup is DNS_RETRY.
/* DIAGNOSTICS
/*	cmocka's report; a failing case names itself and both values.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <mymalloc.h>
#include <vstring.h>

#include <mail_params.h>
#include <dns_lookup.h>

/* Check a result, naming the case and the reason when it differs. */

#define CHECK_STATUS(got, want, label, why) do { \
	int _g = (got), _w = (want); \
	if (_g != _w) \
	    fail_msg("%s: got %s, want %s (why: %s)", (label), \
		     dns_status_str(_g), dns_status_str(_w), vstring_str(why)); \
    } while (0)

static size_t rr_count(struct dns_rr *rr)
{
    size_t  n = 0;

    for (; rr; rr = rr->next)
	n++;
    return (n);
}

static const char *rr_addr(struct dns_rr *rr, char *buf, size_t size)
{
    return (inet_ntop(rr->addr_len == 4 ? AF_INET : AF_INET6, rr->addr,
		      buf, (socklen_t) size));
}

 /*
  * A tiny answer builder for the parser tests.
  */
struct mb {
    unsigned char buf[2048];
    size_t  len;
};

static void mb_u8(struct mb *m, unsigned v)
{
    assert_true(m->len < sizeof(m->buf));
    m->buf[m->len++] = (unsigned char) v;
}

static void mb_u16(struct mb *m, unsigned v)
{
    mb_u8(m, v >> 8);
    mb_u8(m, v & 0xff);
}

static void mb_u32(struct mb *m, unsigned long v)
{
    mb_u16(m, (unsigned) (v >> 16));
    mb_u16(m, (unsigned) (v & 0xffff));
}

static void mb_bytes(struct mb *m, const void *p, size_t n)
{
    assert_true(m->len + n <= sizeof(m->buf));
    memcpy(m->buf + m->len, p, n);
    m->len += n;
}

/* A name as labels; "" is the root. */

static void mb_name(struct mb *m, const char *name)
{
    const char *dot;
    size_t  n;

    while (*name) {
	dot = strchr(name, '.');
	n = dot ? (size_t) (dot - name) : strlen(name);
	mb_u8(m, (unsigned) n);
	mb_bytes(m, name, n);
	name += n;
	if (*name == '.')
	    name++;
    }
    mb_u8(m, 0);
}

/* Header: id 0x1234, QR and RD/RA, the rcode and the counts. */

static void mb_header(struct mb *m, int qr, int rcode, unsigned qd,
		              unsigned an)
{
    m->len = 0;
    mb_u16(m, 0x1234);
    mb_u8(m, (qr ? 0x80 : 0) | 0x01);
    mb_u8(m, 0x80 | (unsigned) rcode);
    mb_u16(m, qd);
    mb_u16(m, an);
    mb_u16(m, 0);
    mb_u16(m, 0);
}

static void mb_question(struct mb *m, const char *name, int type)
{
    mb_name(m, name);
    mb_u16(m, (unsigned) type);
    mb_u16(m, 1);
}

/* A record header; returns where rdlength goes (filled by mb_rdlen). */

static size_t mb_rr(struct mb *m, const char *owner, int type)
{
    size_t  at;

    mb_name(m, owner);
    mb_u16(m, (unsigned) type);
    mb_u16(m, 1);
    mb_u32(m, 300);
    at = m->len;
    mb_u16(m, 0);
    return (at);
}

static void mb_rdlen(struct mb *m, size_t at)
{
    size_t  n = m->len - at - 2;

    m->buf[at] = (unsigned char) (n >> 8);
    m->buf[at + 1] = (unsigned char) (n & 0xff);
}

static int parse(struct mb *m, const char *name, int type,
		         struct dns_rr **rrs, struct vstring *why)
{
    return (dns_parse_answer(m->buf, m->len, name, type, rrs, why));
}

/* An MX answer for example.test: pref 20 mx2 (compressed), pref 10 mx1. */

static void build_mx(struct mb *m)
{
    size_t  at;

    mb_header(m, 1, 0, 1, 2);
    mb_question(m, "example.test", DNS_T_MX);
    at = mb_rr(m, "example.test", DNS_T_MX);
    mb_u16(m, 20);
    mb_u8(m, 3);
    mb_bytes(m, "mx2", 3);
    mb_u16(m, 0xc000 | 12);		/* -> example.test in the question */
    mb_rdlen(m, at);
    at = mb_rr(m, "EXAMPLE.test", DNS_T_MX);
    mb_u16(m, 10);
    mb_name(m, "mx1.example.test");
    mb_rdlen(m, at);
}

/* offline: names refused up front */

static void test_bad_names(void **state)
{
    static const struct {
	const char *name;
	const char *reason;
    }       cases[] = {
	{"", "empty name"},
	{"[192.0.2.1]", "address literal"},
	{"[IPv6:2001:db8::1]", "address literal"},
	{"192.0.2.1", "numeric name"},
	{"192.0.2.1.", "numeric name"},
	{"12345", "numeric name"},
	{"2001:db8::1", "bad character"},
	{"a..b.test", "empty label"},
	{".a.test", "empty label"},
	{"a.test..", "empty label"},
	{".", "empty label"},
	{"-a.test", "label begins with '-'"},
	{"a-.test", "label ends with '-'"},
	{"a.test-", "label ends with '-'"},
	{"a b.test", "bad character"},
	{"a\200.test", "bad character"},
	{"a*.test", "bad character"},
	{"a\\.test", "bad character"},
    };
    struct vstring *why = vstring_alloc(100);
    struct vstring *longname = vstring_alloc(300);
    struct dns_rr *rrs = (struct dns_rr *) 1;
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	rrs = (struct dns_rr *) 1;
	CHECK_STATUS(dns_lookup(cases[i].name, DNS_T_A, &rrs, why), DNS_FAIL,
		     cases[i].name, why);
	assert_null(rrs);
	if (strstr(vstring_str(why), cases[i].reason) == 0)
	    fail_msg("case %zu \"%s\": why \"%s\" lacks \"%s\"", i,
		     cases[i].name, vstring_str(why), cases[i].reason);
    }
    CHECK_STATUS(dns_lookup(0, DNS_T_A, &rrs, why), DNS_FAIL, "null", why);

    /* 253 characters are fine (not looked up here), 254 are not. */
    while (vstring_len(longname) < 254)
	vstring_appends(longname, "abcdefghi.");
    vstring_truncate(longname, 254);
    CHECK_STATUS(dns_lookup(vstring_str(longname), DNS_T_MX, &rrs, why),
		 DNS_FAIL, "254 characters", why);
    assert_non_null(strstr(vstring_str(why), "too long"));
    vstring_truncate(longname, 253);
    vstring_end(longname)[-1] = 'x';		/* no trailing dot */
    assert_null(strstr(vstring_str(longname), ".."));
    CHECK_STATUS(dns_parse_answer((const unsigned char *) "", 0,
				  vstring_str(longname), DNS_T_MX, &rrs, why),
		 DNS_FAIL, "parser only", why);

    /* 63 characters in a label are fine, 64 are not. */
    vstring_strcpy(longname, "x.");
    while (vstring_len(longname) < 2 + 64)
	vstring_appendc(longname, 'a');
    vstring_appends(longname, ".test");
    CHECK_STATUS(dns_lookup(vstring_str(longname), DNS_T_A, &rrs, why),
		 DNS_FAIL, "64-character label", why);
    assert_non_null(strstr(vstring_str(why), "label too long"));

    /* Types other than the five. */
    CHECK_STATUS(dns_lookup("example.test", DNS_T_CNAME, &rrs, why), DNS_FAIL,
		 "CNAME type", why);
    CHECK_STATUS(dns_lookup("example.test", 255, &rrs, why), DNS_FAIL,
		 "ANY type", why);
    vstring_free(&why);
    vstring_free(&longname);
}

/* offline: PTR names */

static void test_reverse_name(void **state)
{
    static const struct {
	const char *addr;
	const char *want;		/* 0: DNS_FAIL */
    }       cases[] = {
	{"192.0.2.1", "1.2.0.192.in-addr.arpa"},
	{"[192.0.2.1]", "1.2.0.192.in-addr.arpa"},
	{"10.0.0.255", "255.0.0.10.in-addr.arpa"},
	{"2001:db8::1",
	"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"},
	{"[IPv6:2001:DB8::abcd]",
	"d.c.b.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"},
	{"::ffff:192.0.2.1", "1.2.0.192.in-addr.arpa"},
	{"::1",
	"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa"},
	{"192.0.2", 0},
	{"192.0.2.256", 0},
	{"host.example.test", 0},
	{"", 0},
	{"[]", 0},
	{"2001:db8::1::2", 0},
	{"[192.0.2.1", 0},
	{"IPv6:192.0.2.1x", 0},
    };
    struct vstring *why = vstring_alloc(100);
    struct vstring *name = vstring_alloc(100);
    size_t  i;
    int     status;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	status = dns_reverse_name(cases[i].addr, name, why);
	if (cases[i].want == 0) {
	    CHECK_STATUS(status, DNS_FAIL, cases[i].addr, why);
	} else {
	    CHECK_STATUS(status, DNS_OK, cases[i].addr, why);
	    if (strcmp(vstring_str(name), cases[i].want) != 0)
		fail_msg("case %zu %s: got %s, want %s", i, cases[i].addr,
			 vstring_str(name), cases[i].want);
	}
    }
    CHECK_STATUS(dns_reverse_name(0, name, why), DNS_FAIL, "null", why);
    vstring_free(&why);
    vstring_free(&name);
}

/* offline: a good answer, and every truncation of it */

static void test_parse_mx(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct dns_rr *rrs;
    struct mb m;
    size_t  full;
    size_t  n;

    build_mx(&m);
    CHECK_STATUS(parse(&m, "example.test", DNS_T_MX, &rrs, why), DNS_OK,
		 "mx answer", why);
    assert_int_equal(rr_count(rrs), 2);
    assert_string_equal(rrs->name, "example.test");
    assert_int_equal(rrs->type, DNS_T_MX);
    assert_int_equal(rrs->pref, 20);
    assert_int_equal(rrs->ttl, 300);
    assert_string_equal(rrs->data, "mx2.example.test");
    assert_int_equal(rrs->data_len, strlen("mx2.example.test"));
    assert_string_equal(rrs->next->name, "EXAMPLE.test");
    assert_int_equal(rrs->next->pref, 10);
    assert_string_equal(rrs->next->data, "mx1.example.test");

    /* Ordered: 10 first. */
    CHECK_STATUS(dns_mx_order(&rrs, why), DNS_OK, "order", why);
    assert_int_equal(rrs->pref, 10);
    assert_int_equal(rrs->next->pref, 20);
    assert_null(rrs->next->next);
    dns_rr_free(&rrs);
    assert_null(rrs);

    /* The name as asked, in another case and with a trailing dot. */
    CHECK_STATUS(parse(&m, "Example.TEST.", DNS_T_MX, &rrs, why), DNS_OK,
		 "case and dot", why);
    dns_rr_free(&rrs);
    /* Any question, when no name is given. */
    CHECK_STATUS(parse(&m, 0, DNS_T_MX, &rrs, why), DNS_OK, "no name", why);
    assert_int_equal(rr_count(rrs), 2);
    dns_rr_free(&rrs);

    /* Every truncation fails, and returns no records. */
    full = m.len;
    for (n = 0; n < full; n++) {
	m.len = n;
	rrs = (struct dns_rr *) 1;
	if (parse(&m, "example.test", DNS_T_MX, &rrs, why) != DNS_FAIL)
	    fail_msg("truncated to %zu of %zu bytes: not DNS_FAIL", n, full);
	assert_null(rrs);
    }
    vstring_free(&why);
}

/* offline: answers that are not for the question, or not answers */

static void test_parse_question(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct dns_rr *rrs;
    struct mb m;

    build_mx(&m);
    CHECK_STATUS(parse(&m, "other.test", DNS_T_MX, &rrs, why), DNS_FAIL,
		 "other name", why);
    CHECK_STATUS(parse(&m, "example.test", DNS_T_A, &rrs, why), DNS_FAIL,
		 "other type", why);
    CHECK_STATUS(parse(&m, "example.tes", DNS_T_MX, &rrs, why), DNS_FAIL,
		 "prefix name", why);

    m.buf[2] &= 0x7f;				/* QR off: a query */
    CHECK_STATUS(parse(&m, "example.test", DNS_T_MX, &rrs, why), DNS_FAIL,
		 "not a response", why);

    mb_header(&m, 1, 0, 0, 0);			/* no question */
    CHECK_STATUS(parse(&m, "example.test", DNS_T_MX, &rrs, why), DNS_FAIL,
		 "no question", why);

    mb_header(&m, 1, 0, 2, 0);			/* two questions */
    mb_question(&m, "example.test", DNS_T_MX);
    mb_question(&m, "example.test", DNS_T_MX);
    CHECK_STATUS(parse(&m, "example.test", DNS_T_MX, &rrs, why), DNS_FAIL,
		 "two questions", why);

    /* Bytes after the last record that the counts promise. */
    build_mx(&m);
    mb_u32(&m, 0xdeadbeef);
    CHECK_STATUS(parse(&m, "example.test", DNS_T_MX, &rrs, why), DNS_FAIL,
		 "trailing bytes", why);

    /* Counts that promise more than is there. */
    build_mx(&m);
    m.buf[7] = 3;
    CHECK_STATUS(parse(&m, "example.test", DNS_T_MX, &rrs, why), DNS_FAIL,
		 "ancount too big", why);
    CHECK_STATUS(dns_parse_answer(m.buf, 0, "example.test", DNS_T_MX, &rrs,
				  why), DNS_FAIL, "empty", why);
    vstring_free(&why);
}

/* offline: response codes */

static void test_parse_rcode(void **state)
{
    static const struct {
	int     rcode;
	int     want;
	const char *text;
    }       cases[] = {
	{3, DNS_NOTFOUND, "host not found"},	/* NXDOMAIN */
	{2, DNS_RETRY, "server failure"},	/* SERVFAIL */
	{5, DNS_RETRY, "response code 5"},	/* REFUSED */
	{1, DNS_RETRY, "response code 1"},	/* FORMERR */
	{4, DNS_RETRY, "response code 4"},	/* NOTIMP */
    };
    struct vstring *why = vstring_alloc(100);
    struct dns_rr *rrs;
    struct mb m;
    size_t  i;
    size_t  at;
    char    label[40];

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	mb_header(&m, 1, cases[i].rcode, 1, 0);
	mb_question(&m, "nx.test", DNS_T_A);
	snprintf(label, sizeof(label), "rcode %d", cases[i].rcode);
	CHECK_STATUS(parse(&m, "nx.test", DNS_T_A, &rrs, why), cases[i].want,
		     label, why);
	assert_null(rrs);
	assert_non_null(strstr(vstring_str(why), cases[i].text));
	assert_non_null(strstr(vstring_str(why), "name=nx.test type=A"));
    }
    /* NOERROR without answers, or with answers for other names/types. */
    mb_header(&m, 1, 0, 1, 0);
    mb_question(&m, "a.test", DNS_T_A);
    CHECK_STATUS(parse(&m, "a.test", DNS_T_A, &rrs, why), DNS_NODATA,
		 "no answers", why);
    assert_non_null(strstr(vstring_str(why), "no A record"));
    mb_header(&m, 1, 0, 1, 2);
    mb_question(&m, "a.test", DNS_T_A);
    at = mb_rr(&m, "b.test", DNS_T_A);
    mb_u32(&m, 0xc0000201);
    mb_rdlen(&m, at);
    at = mb_rr(&m, "a.test", DNS_T_TXT);
    mb_u8(&m, 1);
    mb_u8(&m, 'x');
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "a.test", DNS_T_A, &rrs, why), DNS_NODATA,
		 "other owner, other type", why);
    assert_null(rrs);
    vstring_free(&why);
}

/* offline: A, AAAA and TXT record bodies */

static void test_parse_records(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct dns_rr *rrs;
    struct mb m;
    size_t  at;
    char    buf[INET6_ADDRSTRLEN];
    static const unsigned char v6[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    };

    mb_header(&m, 1, 0, 1, 2);
    mb_question(&m, "h.test", DNS_T_A);
    at = mb_rr(&m, "h.test", DNS_T_A);
    mb_u32(&m, 0xc0000201);
    mb_rdlen(&m, at);
    at = mb_rr(&m, "h.test", DNS_T_A);
    mb_u32(&m, 0xc0000202);
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "h.test", DNS_T_A, &rrs, why), DNS_OK, "A", why);
    assert_int_equal(rr_count(rrs), 2);
    assert_int_equal(rrs->addr_len, 4);
    assert_string_equal(rr_addr(rrs, buf, sizeof(buf)), "192.0.2.1");
    assert_string_equal(rr_addr(rrs->next, buf, sizeof(buf)), "192.0.2.2");
    assert_null(rrs->data);
    dns_rr_free(&rrs);

    /* A with 5 bytes. */
    mb_header(&m, 1, 0, 1, 1);
    mb_question(&m, "h.test", DNS_T_A);
    at = mb_rr(&m, "h.test", DNS_T_A);
    mb_u32(&m, 0xc0000201);
    mb_u8(&m, 0);
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "h.test", DNS_T_A, &rrs, why), DNS_FAIL,
		 "A of 5 bytes", why);

    /* AAAA, and AAAA with 4 bytes. */
    mb_header(&m, 1, 0, 1, 1);
    mb_question(&m, "h.test", DNS_T_AAAA);
    at = mb_rr(&m, "h.test", DNS_T_AAAA);
    mb_bytes(&m, v6, sizeof(v6));
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "h.test", DNS_T_AAAA, &rrs, why), DNS_OK, "AAAA",
		 why);
    assert_int_equal(rrs->addr_len, 16);
    assert_string_equal(rr_addr(rrs, buf, sizeof(buf)), "2001:db8::1");
    dns_rr_free(&rrs);
    mb_header(&m, 1, 0, 1, 1);
    mb_question(&m, "h.test", DNS_T_AAAA);
    at = mb_rr(&m, "h.test", DNS_T_AAAA);
    mb_u32(&m, 1);
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "h.test", DNS_T_AAAA, &rrs, why), DNS_FAIL,
		 "AAAA of 4 bytes", why);

    /* TXT: strings joined, NUL bytes kept and counted. */
    mb_header(&m, 1, 0, 1, 1);
    mb_question(&m, "t.test", DNS_T_TXT);
    at = mb_rr(&m, "t.test", DNS_T_TXT);
    mb_u8(&m, 3);
    mb_bytes(&m, "a\0b", 3);
    mb_u8(&m, 0);
    mb_u8(&m, 2);
    mb_bytes(&m, "cd", 2);
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "t.test", DNS_T_TXT, &rrs, why), DNS_OK, "TXT", why);
    assert_int_equal(rrs->data_len, 5);
    assert_memory_equal(rrs->data, "a\0bcd", 6);
    dns_rr_free(&rrs);

    /* TXT whose string runs past the record (into the next one). */
    mb_header(&m, 1, 0, 1, 2);
    mb_question(&m, "t.test", DNS_T_TXT);
    at = mb_rr(&m, "t.test", DNS_T_TXT);
    mb_u8(&m, 9);
    mb_bytes(&m, "abc", 3);
    mb_rdlen(&m, at);
    at = mb_rr(&m, "t.test", DNS_T_TXT);
    mb_u8(&m, 3);
    mb_bytes(&m, "xyz", 3);
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "t.test", DNS_T_TXT, &rrs, why), DNS_FAIL,
		 "TXT overrun", why);

    /* rdlength beyond the message. */
    mb_header(&m, 1, 0, 1, 1);
    mb_question(&m, "h.test", DNS_T_A);
    at = mb_rr(&m, "h.test", DNS_T_A);
    mb_u32(&m, 0xc0000201);
    m.buf[at] = 0x10;
    CHECK_STATUS(parse(&m, "h.test", DNS_T_A, &rrs, why), DNS_FAIL,
		 "rdlength too big", why);
    vstring_free(&why);
}

/* offline: host names inside MX and PTR records */

static void test_parse_targets(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct dns_rr *rrs;
    struct mb m;
    size_t  at;
    size_t  end_bad;

    /* A target that runs past its record into the next one. */
    mb_header(&m, 1, 0, 1, 1);
    mb_question(&m, "p.test", DNS_T_PTR);
    at = mb_rr(&m, "p.test", DNS_T_PTR);
    mb_name(&m, "host.test");
    mb_rdlen(&m, at);
    m.buf[at + 1] = 3;				/* claims 3 bytes */
    CHECK_STATUS(parse(&m, "p.test", DNS_T_PTR, &rrs, why), DNS_FAIL,
		 "name overruns rdata", why);

    /* A target shorter than its record. */
    mb_header(&m, 1, 0, 1, 1);
    mb_question(&m, "p.test", DNS_T_PTR);
    at = mb_rr(&m, "p.test", DNS_T_PTR);
    mb_name(&m, "host.test");
    mb_u8(&m, 0);
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "p.test", DNS_T_PTR, &rrs, why), DNS_FAIL,
		 "rdata longer than name", why);

    /* A compression pointer to itself. */
    mb_header(&m, 1, 0, 1, 1);
    mb_question(&m, "p.test", DNS_T_PTR);
    at = mb_rr(&m, "p.test", DNS_T_PTR);
    mb_u16(&m, 0xc000 | (unsigned) (at + 2));
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "p.test", DNS_T_PTR, &rrs, why), DNS_FAIL,
		 "pointer loop", why);

    /* A pointer beyond the message. */
    mb_header(&m, 1, 0, 1, 1);
    mb_question(&m, "p.test", DNS_T_PTR);
    at = mb_rr(&m, "p.test", DNS_T_PTR);
    mb_u16(&m, 0xc000 | 0x3ff);
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "p.test", DNS_T_PTR, &rrs, why), DNS_FAIL,
		 "pointer out of range", why);

    /* MX shorter than a preference and a root name. */
    mb_header(&m, 1, 0, 1, 1);
    mb_question(&m, "m.test", DNS_T_MX);
    at = mb_rr(&m, "m.test", DNS_T_MX);
    mb_u16(&m, 10);
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "m.test", DNS_T_MX, &rrs, why), DNS_FAIL,
		 "MX without a name", why);

    /* Malformed host names are dropped; all of them: DNS_FAIL. */
    mb_header(&m, 1, 0, 1, 3);
    mb_question(&m, "m.test", DNS_T_MX);
    at = mb_rr(&m, "m.test", DNS_T_MX);
    mb_u16(&m, 10);
    mb_name(&m, "bad host.test");
    mb_rdlen(&m, at);
    at = mb_rr(&m, "m.test", DNS_T_MX);
    mb_u16(&m, 20);
    mb_name(&m, "192.0.2.1");
    mb_rdlen(&m, at);
    end_bad = m.len;
    at = mb_rr(&m, "m.test", DNS_T_MX);
    mb_u16(&m, 30);
    mb_name(&m, "good.test");
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "m.test", DNS_T_MX, &rrs, why), DNS_OK,
		 "one good MX", why);
    assert_int_equal(rr_count(rrs), 1);
    assert_string_equal(rrs->data, "good.test");
    dns_rr_free(&rrs);
    m.buf[7] = 2;				/* only the two bad ones */
    m.len = end_bad;
    CHECK_STATUS(parse(&m, "m.test", DNS_T_MX, &rrs, why), DNS_FAIL,
		 "no good MX", why);
    assert_non_null(strstr(vstring_str(why), "malformed host name"));

    /* A PTR that is a number is no host name. */
    mb_header(&m, 1, 0, 1, 1);
    mb_question(&m, "1.2.0.192.in-addr.arpa", DNS_T_PTR);
    at = mb_rr(&m, "1.2.0.192.in-addr.arpa", DNS_T_PTR);
    mb_name(&m, "10.0.0.1");
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "1.2.0.192.in-addr.arpa", DNS_T_PTR, &rrs, why),
		 DNS_FAIL, "numeric PTR", why);
    vstring_free(&why);
}

/* offline: CNAME chains in an answer */

static void test_parse_cname(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct dns_rr *rrs;
    struct mb m;
    size_t  at;

    /* a -> b -> c, listed out of order, and an A record of another name. */
    mb_header(&m, 1, 0, 1, 5);
    mb_question(&m, "a.test", DNS_T_A);
    at = mb_rr(&m, "c.test", DNS_T_A);
    mb_u32(&m, 0xc0000203);
    mb_rdlen(&m, at);
    at = mb_rr(&m, "B.test", DNS_T_CNAME);
    mb_name(&m, "c.test");
    mb_rdlen(&m, at);
    at = mb_rr(&m, "a.test", DNS_T_CNAME);
    mb_name(&m, "b.test");
    mb_rdlen(&m, at);
    at = mb_rr(&m, "x.test", DNS_T_A);
    mb_u32(&m, 0xc0000209);
    mb_rdlen(&m, at);
    at = mb_rr(&m, "C.TEST", DNS_T_A);
    mb_u32(&m, 0xc0000204);
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "a.test", DNS_T_A, &rrs, why), DNS_OK, "chain", why);
    assert_int_equal(rr_count(rrs), 2);
    assert_string_equal(rrs->name, "c.test");
    assert_int_equal(rrs->addr[3], 3);
    assert_string_equal(rrs->next->name, "C.TEST");
    assert_int_equal(rrs->next->addr[3], 4);
    dns_rr_free(&rrs);

    /* A chain to nothing of the type: NODATA. */
    mb_header(&m, 1, 0, 1, 1);
    mb_question(&m, "a.test", DNS_T_MX);
    at = mb_rr(&m, "a.test", DNS_T_CNAME);
    mb_name(&m, "b.test");
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "a.test", DNS_T_MX, &rrs, why), DNS_NODATA,
		 "CNAME only", why);

    /* A loop a -> b -> a ends; b's record still counts. */
    mb_header(&m, 1, 0, 1, 3);
    mb_question(&m, "a.test", DNS_T_A);
    at = mb_rr(&m, "a.test", DNS_T_CNAME);
    mb_name(&m, "b.test");
    mb_rdlen(&m, at);
    at = mb_rr(&m, "b.test", DNS_T_CNAME);
    mb_name(&m, "a.test");
    mb_rdlen(&m, at);
    at = mb_rr(&m, "b.test", DNS_T_A);
    mb_u32(&m, 0xc0000205);
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "a.test", DNS_T_A, &rrs, why), DNS_OK, "loop", why);
    assert_int_equal(rr_count(rrs), 1);
    dns_rr_free(&rrs);

    /* A malformed CNAME target. */
    mb_header(&m, 1, 0, 1, 1);
    mb_question(&m, "a.test", DNS_T_A);
    at = mb_rr(&m, "a.test", DNS_T_CNAME);
    mb_u8(&m, 60);
    mb_rdlen(&m, at);
    CHECK_STATUS(parse(&m, "a.test", DNS_T_A, &rrs, why), DNS_FAIL,
		 "bad CNAME", why);
    vstring_free(&why);
}

/* A list of MX records, for dns_mx_order(). */

static struct dns_rr *mx_list(const unsigned *prefs, const char **targets,
			              size_t n)
{
    struct dns_rr *head = 0;
    struct dns_rr *rr;
    size_t  i;

    for (i = n; i > 0; i--) {
	rr = (struct dns_rr *) mycalloc(1, sizeof(*rr));
	rr->name = mystrdup("m.test");
	rr->type = DNS_T_MX;
	rr->pref = prefs[i - 1];
	rr->data = mystrdup(targets[i - 1]);
	rr->data_len = strlen(targets[i - 1]);
	rr->next = head;
	head = rr;
    }
    return (head);
}

/* offline: null MX and ordering */

static void test_mx_order(void **state)
{
    static const unsigned prefs[] = {30, 10, 20, 20, 20, 10};
    static const char *targets[] = {"e.test", "a.test", "c1.test", "c2.test",
    "c3.test", "b.test"};
    static const unsigned null_prefs[] = {0};
    static const char *null_targets[] = {"."};
    static const unsigned mixed_prefs[] = {0, 10};
    static const char *mixed_targets[] = {".", "a.test"};
    struct vstring *why = vstring_alloc(100);
    struct dns_rr *rrs;
    struct dns_rr *rr;
    unsigned last;
    int     orders_seen = 0;
    struct vstring *first_order = vstring_alloc(40);
    struct vstring *order = vstring_alloc(40);
    int     round;

    /* Null MX alone; also with a non-zero preference, or twice. */
    rrs = mx_list(null_prefs, null_targets, 1);
    CHECK_STATUS(dns_mx_order(&rrs, why), DNS_NULLMX, "null MX", why);
    assert_null(rrs);
    assert_non_null(strstr(vstring_str(why), "null MX"));
    rrs = mx_list(mixed_prefs + 1, null_targets, 1);
    CHECK_STATUS(dns_mx_order(&rrs, why), DNS_NULLMX, "null MX 10", why);
    rrs = mx_list(mixed_prefs, mixed_targets, 1);
    rrs->next = mx_list(null_prefs, null_targets, 1);
    CHECK_STATUS(dns_mx_order(&rrs, why), DNS_NULLMX, "null MX twice", why);

    /* A "." beside a real MX is dropped. */
    rrs = mx_list(mixed_prefs, mixed_targets, 2);
    CHECK_STATUS(dns_mx_order(&rrs, why), DNS_OK, "mixed", why);
    assert_int_equal(rr_count(rrs), 1);
    assert_string_equal(rrs->data, "a.test");
    dns_rr_free(&rrs);

    /* Nothing at all. */
    rrs = 0;
    CHECK_STATUS(dns_mx_order(&rrs, why), DNS_NODATA, "empty", why);

    /* By preference; the three 20s in random order. */
    for (round = 0; round < 60; round++) {
	rrs = mx_list(prefs, targets, 6);
	CHECK_STATUS(dns_mx_order(&rrs, why), DNS_OK, "order", why);
	assert_int_equal(rr_count(rrs), 6);
	last = 0;
	vstring_reset(order);
	for (rr = rrs; rr; rr = rr->next) {
	    if (rr->pref < last)
		fail_msg("round %d: preference %u after %u", round, rr->pref,
			 last);
	    last = rr->pref;
	    if (rr->pref == 20)
		vstring_appends(order, rr->data);
	}
	assert_string_equal(rrs->next->next->next->next->next->data, "e.test");
	if (round == 0)
	    vstring_strcpy(first_order, vstring_str(order));
	else if (strcmp(vstring_str(order), vstring_str(first_order)) != 0)
	    orders_seen = 1;
	dns_rr_free(&rrs);
    }
    if (!orders_seen)
	fail_msg("equal preferences came in the same order 60 times: %s",
		 vstring_str(first_order));
    vstring_free(&why);
    vstring_free(&order);
    vstring_free(&first_order);
}

 /*
  * Tests against the records of run_dns_tests.py.
  */

/* up: MX records by preference, equal ones shuffled, from real DNS */

static void test_mx_sorted(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct dns_rr *rrs;
    struct dns_rr *rr;
    struct vstring *first = vstring_alloc(100);
    struct vstring *order = vstring_alloc(100);
    int     differs = 0;
    int     round;

    CHECK_STATUS(dns_lookup("example.test", DNS_T_MX, &rrs, why), DNS_OK,
		 "MX example.test", why);
    assert_int_equal(rr_count(rrs), 5);
    dns_rr_free(&rrs);

    for (round = 0; round < 40; round++) {
	vstring_reset(order);
	CHECK_STATUS(dns_lookup_mx_sorted("example.test", &rrs, why), DNS_OK,
		     "sorted MX", why);
	assert_int_equal(rr_count(rrs), 5);
	rr = rrs;
	assert_int_equal(rr->pref, 10);
	assert_string_equal(rr->data, "mx1.example.test");
	assert_string_equal(rr->name, "example.test");
	for (rr = rr->next; rr && rr->pref == 20; rr = rr->next)
	    vstring_appends(order, rr->data);
	assert_non_null(rr);
	assert_int_equal(rr->pref, 30);
	assert_string_equal(rr->data, "mx3.example.test");
	assert_null(rr->next);
	assert_int_equal(vstring_len(order), 3 * strlen("mx2a.example.test"));
	assert_non_null(strstr(vstring_str(order), "mx2a.example.test"));
	assert_non_null(strstr(vstring_str(order), "mx2b.example.test"));
	assert_non_null(strstr(vstring_str(order), "mx2c.example.test"));
	if (round == 0)
	    vstring_strcpy(first, vstring_str(order));
	else if (strcmp(vstring_str(first), vstring_str(order)) != 0)
	    differs = 1;
	dns_rr_free(&rrs);
    }
    if (!differs)
	fail_msg("equal preferences in the same order 40 times: %s",
		 vstring_str(first));
    vstring_free(&first);
    vstring_free(&order);

    /* Case and a trailing dot do not matter. */
    CHECK_STATUS(dns_lookup_mx_sorted("EXAMPLE.Test.", &rrs, why), DNS_OK,
		 "MX EXAMPLE.Test.", why);
    assert_int_equal(rr_count(rrs), 5);
    dns_rr_free(&rrs);
    vstring_free(&why);
}

/* up: null MX, NODATA, NXDOMAIN */

static void test_mx_special(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct dns_rr *rrs;

    CHECK_STATUS(dns_lookup("nullmx.test", DNS_T_MX, &rrs, why), DNS_OK,
		 "raw null MX", why);
    assert_int_equal(rr_count(rrs), 1);
    assert_string_equal(rrs->data, ".");
    assert_int_equal(rrs->pref, 0);
    dns_rr_free(&rrs);

    rrs = (struct dns_rr *) 1;
    CHECK_STATUS(dns_lookup_mx_sorted("nullmx.test", &rrs, why), DNS_NULLMX,
		 "null MX", why);
    assert_null(rrs);
    assert_non_null(strstr(vstring_str(why), "nullmx.test"));

    CHECK_STATUS(dns_lookup_mx_sorted("mixed.test", &rrs, why), DNS_OK,
		 "null MX beside a real one", why);
    assert_int_equal(rr_count(rrs), 1);
    assert_string_equal(rrs->data, "mx1.example.test");
    dns_rr_free(&rrs);

    CHECK_STATUS(dns_lookup_mx_sorted("nomx.test", &rrs, why), DNS_NODATA,
		 "no MX", why);
    assert_null(rrs);
    assert_non_null(strstr(vstring_str(why), "name=nomx.test type=MX"));

    CHECK_STATUS(dns_lookup_mx_sorted("nx.test", &rrs, why), DNS_NOTFOUND,
		 "NXDOMAIN", why);
    assert_null(rrs);
    assert_non_null(strstr(vstring_str(why), "host not found"));
    CHECK_STATUS(dns_lookup("no.such.name.example.test", DNS_T_A, &rrs, why),
		 DNS_NOTFOUND, "NXDOMAIN below a domain", why);
    vstring_free(&why);
}

/* up: A, AAAA, and inet_protocols */

static void test_addrs(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct dns_rr *rrs;
    char    buf[INET6_ADDRSTRLEN];

    CHECK_STATUS(dns_lookup("mx1.example.test", DNS_T_A, &rrs, why), DNS_OK,
		 "A", why);
    assert_int_equal(rr_count(rrs), 1);
    assert_string_equal(rr_addr(rrs, buf, sizeof(buf)), "192.0.2.1");
    dns_rr_free(&rrs);
    CHECK_STATUS(dns_lookup("mx1.example.test", DNS_T_AAAA, &rrs, why), DNS_OK,
		 "AAAA", why);
    assert_string_equal(rr_addr(rrs, buf, sizeof(buf)), "2001:db8::1");
    dns_rr_free(&rrs);

    var_inet_protocols = "all";
    CHECK_STATUS(dns_lookup_addrs("mx1.example.test", &rrs, why), DNS_OK,
		 "addrs all", why);
    assert_int_equal(rr_count(rrs), 2);
    assert_int_equal(rrs->addr_len, 4);		/* A first */
    assert_int_equal(rrs->next->addr_len, 16);
    dns_rr_free(&rrs);

    var_inet_protocols = "ipv4";
    CHECK_STATUS(dns_lookup_addrs("mx1.example.test", &rrs, why), DNS_OK,
		 "addrs ipv4", why);
    assert_int_equal(rr_count(rrs), 1);
    assert_int_equal(rrs->addr_len, 4);
    dns_rr_free(&rrs);
    CHECK_STATUS(dns_lookup_addrs("v6only.test", &rrs, why), DNS_NODATA,
		 "v6only with ipv4", why);

    var_inet_protocols = "ipv6";
    CHECK_STATUS(dns_lookup_addrs("mx1.example.test", &rrs, why), DNS_OK,
		 "addrs ipv6", why);
    assert_int_equal(rr_count(rrs), 1);
    assert_int_equal(rrs->addr_len, 16);
    dns_rr_free(&rrs);

    var_inet_protocols = "ipv4, ipv6";
    CHECK_STATUS(dns_lookup_addrs("v6only.test", &rrs, why), DNS_OK,
		 "v6only with ipv4, ipv6", why);
    assert_int_equal(rr_count(rrs), 1);
    dns_rr_free(&rrs);
    CHECK_STATUS(dns_lookup_addrs("nx.test", &rrs, why), DNS_NOTFOUND,
		 "addrs NXDOMAIN", why);
    CHECK_STATUS(dns_lookup_addrs("example.test", &rrs, why), DNS_NODATA,
		 "addrs of a name with MX only", why);
    CHECK_STATUS(dns_lookup_addrs("192.0.2.1", &rrs, why), DNS_FAIL,
		 "addrs of a number", why);
    var_inet_protocols = "all";
    vstring_free(&why);
}

/* up: CNAMEs as the resolver answers them */

static void test_cname(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct dns_rr *rrs;
    char    buf[INET6_ADDRSTRLEN];

    CHECK_STATUS(dns_lookup("alias.example.test", DNS_T_A, &rrs, why), DNS_OK,
		 "A via CNAME", why);
    assert_int_equal(rr_count(rrs), 1);
    assert_string_equal(rrs->name, "mx1.example.test");
    assert_string_equal(rr_addr(rrs, buf, sizeof(buf)), "192.0.2.1");
    dns_rr_free(&rrs);

    CHECK_STATUS(dns_lookup("alias2.example.test", DNS_T_AAAA, &rrs, why),
		 DNS_OK, "AAAA via two CNAMEs", why);
    assert_string_equal(rr_addr(rrs, buf, sizeof(buf)), "2001:db8::1");
    dns_rr_free(&rrs);

    CHECK_STATUS(dns_lookup("alias.example.test", DNS_T_MX, &rrs, why),
		 DNS_NODATA, "MX via CNAME", why);
    assert_null(rrs);
    vstring_free(&why);
}

/* up: TXT */

static void test_txt(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct dns_rr *rrs;

    CHECK_STATUS(dns_lookup("example.test", DNS_T_TXT, &rrs, why), DNS_OK,
		 "TXT", why);
    assert_int_equal(rr_count(rrs), 1);
    assert_string_equal(rrs->data, "v=spf1 -all");
    assert_int_equal(rrs->data_len, strlen("v=spf1 -all"));
    dns_rr_free(&rrs);
    CHECK_STATUS(dns_lookup("multi.example.test", DNS_T_TXT, &rrs, why), DNS_OK,
		 "TXT of two strings", why);
    assert_string_equal(rrs->data, "part one, part two");
    dns_rr_free(&rrs);
    vstring_free(&why);
}

/* up: PTR records and verified client names */

static void test_reverse(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *name = vstring_alloc(100);
    struct dns_rr *rrs;
    size_t  i;
    static const struct {
	const char *addr;
	int     want;
	const char *name;		/* verified name, or text in why */
    }       cases[] = {
	{"192.0.2.1", DNS_OK, "mx1.example.test"},
	{"[192.0.2.1]", DNS_OK, "mx1.example.test"},
	{"::ffff:192.0.2.1", DNS_OK, "mx1.example.test"},
	{"2001:db8::1", DNS_OK, "mx1.example.test"},
	{"IPv6:2001:DB8::1", DNS_OK, "mx1.example.test"},
	{"192.0.2.40", DNS_OK, "multi40.example.test"},	/* 3 PTRs */
	{"192.0.2.9", DNS_NOTFOUND, "not listed"},	/* A is elsewhere */
	{"192.0.2.77", DNS_NOTFOUND, "no valid PTR"},	/* no PTR */
	{"192.0.2.7", DNS_NOTFOUND, "no valid PTR"},	/* PTR is a number */
	{"192.0.2.8", DNS_RETRY, "server failure"},	/* forward SERVFAIL */
	{"not-an-address", DNS_FAIL, "not an IPv4 or IPv6 address"},
    };

    CHECK_STATUS(dns_reverse("192.0.2.1", &rrs, why), DNS_OK, "PTR", why);
    assert_int_equal(rr_count(rrs), 1);
    assert_string_equal(rrs->name, "1.2.0.192.in-addr.arpa");
    assert_string_equal(rrs->data, "mx1.example.test");
    dns_rr_free(&rrs);
    CHECK_STATUS(dns_reverse("2001:db8::1", &rrs, why), DNS_OK, "PTR v6", why);
    assert_string_equal(rrs->data, "mx1.example.test");
    dns_rr_free(&rrs);
    CHECK_STATUS(dns_reverse("192.0.2.77", &rrs, why), DNS_NOTFOUND,
		 "no PTR", why);
    CHECK_STATUS(dns_reverse("192.0.2.40", &rrs, why), DNS_OK, "3 PTRs", why);
    assert_int_equal(rr_count(rrs), 3);
    dns_rr_free(&rrs);
    CHECK_STATUS(dns_reverse("bogus", &rrs, why), DNS_FAIL, "bogus", why);

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	vstring_strcpy(name, "stale");
	CHECK_STATUS(dns_verify_client(cases[i].addr, name, why), cases[i].want,
		     cases[i].addr, why);
	if (cases[i].want == DNS_OK) {
	    assert_string_equal(vstring_str(name), cases[i].name);
	} else {
	    assert_int_equal(vstring_len(name), 0);
	    if (strstr(vstring_str(why), cases[i].name) == 0)
		fail_msg("%s: why \"%s\" lacks \"%s\"", cases[i].addr,
			 vstring_str(why), cases[i].name);
	}
    }
    vstring_free(&why);
    vstring_free(&name);
}

/* up: the reject_unknown_*_domain question */

static void test_domain_exists(void **state)
{
    static const struct {
	const char *domain;
	int     want;
    }       cases[] = {
	{"example.test", DNS_OK},		/* MX */
	{"EXAMPLE.TEST.", DNS_OK},
	{"nomx.test", DNS_OK},			/* A only */
	{"v6only.test", DNS_OK},		/* AAAA only */
	{"alias.example.test", DNS_OK},		/* CNAME to a host */
	{"nullmx.test", DNS_NULLMX},
	{"mixed.test", DNS_OK},
	{"nx.test", DNS_NOTFOUND},
	{"txtonly.test", DNS_NODATA},
	{"host.servfail.test", DNS_RETRY},
	{"example.invalid", DNS_RETRY},		/* REFUSED */
	{"[192.0.2.1]", DNS_FAIL},
    };
    struct vstring *why = vstring_alloc(100);
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	CHECK_STATUS(dns_domain_exists(cases[i].domain, why), cases[i].want,
		     cases[i].domain, why);
    vstring_free(&why);
}

/* up: temporary failures, each with its reason */

static void test_temporary(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct dns_rr *rrs;

    CHECK_STATUS(dns_lookup("host.servfail.test", DNS_T_A, &rrs, why),
		 DNS_RETRY, "SERVFAIL", why);
    assert_null(rrs);
    assert_non_null(strstr(vstring_str(why), "server failure"));
    assert_non_null(strstr(vstring_str(why), "name=host.servfail.test type=A"));

    CHECK_STATUS(dns_lookup("host.dead.test", DNS_T_MX, &rrs, why), DNS_RETRY,
		 "dead forwarder", why);
    assert_non_null(strstr(vstring_str(why), "timeout"));

    CHECK_STATUS(dns_lookup("example.invalid", DNS_T_MX, &rrs, why), DNS_RETRY,
		 "REFUSED", why);
    assert_non_null(strstr(vstring_str(why), "refused"));

    /* The MX functions pass it on. */
    CHECK_STATUS(dns_lookup_mx_sorted("host.servfail.test", &rrs, why),
		 DNS_RETRY, "MX SERVFAIL", why);
    vstring_free(&why);
}

/* up: dns_reset() reads resolv.conf again; lookups still work */

static void test_reset(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct dns_rr *rrs;

    dns_reset();
    dns_reset();
    CHECK_STATUS(dns_lookup("mx1.example.test", DNS_T_A, &rrs, why), DNS_OK,
		 "after reset", why);
    dns_rr_free(&rrs);
    vstring_free(&why);
}

/* down: no name server answers */

static void test_down(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *name = vstring_alloc(100);
    struct dns_rr *rrs;

    CHECK_STATUS(dns_lookup("example.test", DNS_T_MX, &rrs, why), DNS_RETRY,
		 "MX", why);
    assert_null(rrs);
    assert_non_null(strstr(vstring_str(why), "no name server answers"));
    assert_non_null(strstr(vstring_str(why), "try again"));
    CHECK_STATUS(dns_lookup_mx_sorted("example.test", &rrs, why), DNS_RETRY,
		 "sorted MX", why);
    CHECK_STATUS(dns_lookup("nx.test", DNS_T_A, &rrs, why), DNS_RETRY,
		 "NXDOMAIN name", why);
    CHECK_STATUS(dns_lookup_addrs("mx1.example.test", &rrs, why), DNS_RETRY,
		 "addrs", why);
    CHECK_STATUS(dns_reverse("192.0.2.1", &rrs, why), DNS_RETRY, "PTR", why);
    CHECK_STATUS(dns_domain_exists("example.test", why), DNS_RETRY,
		 "exists", why);
    CHECK_STATUS(dns_domain_exists("nx.test", why), DNS_RETRY,
		 "exists NXDOMAIN name", why);
    CHECK_STATUS(dns_verify_client("192.0.2.1", name, why), DNS_RETRY,
		 "verify", why);
    assert_int_equal(vstring_len(name), 0);
    /* Names refused up front are still refused. */
    CHECK_STATUS(dns_lookup("192.0.2.1", DNS_T_A, &rrs, why), DNS_FAIL,
		 "numeric", why);
    vstring_free(&why);
    vstring_free(&name);
}

int     main(int argc, char **argv)
{
    const struct CMUnitTest offline[] = {
	cmocka_unit_test(test_bad_names),
	cmocka_unit_test(test_reverse_name),
	cmocka_unit_test(test_parse_mx),
	cmocka_unit_test(test_parse_question),
	cmocka_unit_test(test_parse_rcode),
	cmocka_unit_test(test_parse_records),
	cmocka_unit_test(test_parse_targets),
	cmocka_unit_test(test_parse_cname),
	cmocka_unit_test(test_mx_order),
    };
    const struct CMUnitTest up[] = {
	cmocka_unit_test(test_mx_sorted),
	cmocka_unit_test(test_mx_special),
	cmocka_unit_test(test_addrs),
	cmocka_unit_test(test_cname),
	cmocka_unit_test(test_txt),
	cmocka_unit_test(test_reverse),
	cmocka_unit_test(test_domain_exists),
	cmocka_unit_test(test_temporary),
	cmocka_unit_test(test_reset),
    };
    const struct CMUnitTest down[] = {
	cmocka_unit_test(test_down),
    };

    var_inet_protocols = "all";
    if (argc == 2 && strcmp(argv[1], "offline") == 0)
	return (cmocka_run_group_tests_name("dns_lookup offline", offline, 0, 0));
    if (argc == 2 && strcmp(argv[1], "up") == 0)
	return (cmocka_run_group_tests_name("dns_lookup with dnsmasq", up, 0, 0));
    if (argc == 2 && strcmp(argv[1], "down") == 0)
	return (cmocka_run_group_tests_name("dns_lookup without a server",
					    down, 0, 0));
    fprintf(stderr, "usage: test_dns_lookup offline|up|down\n");
    return (2);
}
