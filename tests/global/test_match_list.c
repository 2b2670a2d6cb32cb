/*++
/* NAME
/*	test_match_list 1
/* SUMMARY
/*	unit tests for match_list: lists of names, networks and tables
/* SYNOPSIS
/*	./test_match_list
/* DESCRIPTION
/*	A table of cases builds a list with match_list_create() and
/*	matches one domain, address or client against it: names (case,
/*	trailing dot), ".names" (subdomains only), parent matching with
/*	MATCH_FLAG_PARENT, IPv4 and IPv6 addresses and networks (bare, in
/*	brackets, with the "IPv6:" tag), negation, first match wins,
/*	/file/name lists (comments, nesting), and tables (inline:,
/*	texthash:, cidr:) with their parent-domain lookups. "$D" in a case
/*	stands for a fresh temporary folder holding the files.
/*
/*	Other tests: the one-line reasons of match_list_create() for bad
/*	patterns; MATCH_ERROR and match_list_error() for a table that
/*	fails at lookup time (proxy: with no proxymap socket, which also
/*	shows that an earlier pattern that matches never reaches it);
/*	match_list_changed(); match_net_parse() results and errors (bits
/*	set beyond the mask, /33, /129, bad masks and addresses);
/*	match_net_contains() at the edges of a network; and
/*	match_parent_style().
/* DIAGNOSTICS
/*	cmocka's report; a failing case names itself and both values.
/*--*/
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <vstring.h>

#include <mail_conf.h>
#include <mail_params.h>
#include <match_list.h>

#include "test_capture.h"

#define PATH	"/etc/dromos/main.cf"

static struct vstring *tmpdir;		/* the "$D" of the cases */

 /*
  * How a case matches.
  */
#define DOM	1			/* match_list_domain(name) */
#define ADR	2			/* match_list_addr(addr) */
#define CLI	3			/* match_list_client(name, addr) */

#define NONE	MATCH_FLAG_NONE
#define PARENT	MATCH_FLAG_PARENT

struct ml_case {
    const char *label;
    const char *patterns;
    int     flags;
    int     how;
    const char *name;
    const char *addr;
    int     want;			/* MATCH_YES, MATCH_NO */
};

static const struct ml_case cases[] = {
    /* Names. */
    {"name", "example.com", NONE, DOM, "example.com", 0, MATCH_YES},
    {"name, case", "Example.COM", NONE, DOM, "eXample.com", 0, MATCH_YES},
    {"name, trailing dot in the name", "example.com", NONE, DOM, "example.com.", 0, MATCH_YES},
    {"name, trailing dot in the pattern", "example.com.", NONE, DOM, "EXAMPLE.com", 0, MATCH_YES},
    {"name, other", "example.com", NONE, DOM, "example.org", 0, MATCH_NO},
    {"name, no parent matching", "example.com", NONE, DOM, "mail.example.com", 0, MATCH_NO},
    {"name, parent matching", "example.com", PARENT, DOM, "mail.example.com", 0, MATCH_YES},
    {"name, parent matching, deep", "example.com", PARENT, DOM, "a.b.c.example.com", 0, MATCH_YES},
    {"name, parent matching needs a dot", "example.com", PARENT, DOM, "badexample.com", 0, MATCH_NO},
    {"name, parent is not child", "mail.example.com", PARENT, DOM, "example.com", 0, MATCH_NO},
    {".name, subdomain", ".example.com", NONE, DOM, "mail.example.com", 0, MATCH_YES},
    {".name, deep subdomain", ".example.com", NONE, DOM, "a.b.example.com", 0, MATCH_YES},
    {".name, not the name itself", ".example.com", NONE, DOM, "example.com", 0, MATCH_NO},
    {".name, not the name itself with PARENT", ".example.com", PARENT, DOM, "example.com", 0, MATCH_NO},
    {".name, needs a dot", ".example.com", NONE, DOM, "xexample.com", 0, MATCH_NO},
    {".name, case", ".Example.Com", NONE, DOM, "MAIL.example.COM.", 0, MATCH_YES},
    {"list, commas and blanks", "a.example, b.example\tc.example\n d.example", NONE, DOM, "c.example", 0, MATCH_YES},
    {"list, last", "a.example, b.example\tc.example\n d.example", NONE, DOM, "d.example", 0, MATCH_YES},
    {"list, none", "a.example, b.example", NONE, DOM, "e.example", 0, MATCH_NO},
    {"empty list", "", NONE, DOM, "example.com", 0, MATCH_NO},
    {"blank list", " , ,\t", NONE, ADR, 0, "192.0.2.1", MATCH_NO},

    /* Negation; the first match decides. */
    {"negation", "!example.com", NONE, DOM, "example.com", 0, MATCH_NO},
    {"negation first", "!bad.example.com, .example.com", NONE, DOM, "bad.example.com", 0, MATCH_NO},
    {"negation, others pass", "!bad.example.com, .example.com", NONE, DOM, "good.example.com", 0, MATCH_YES},
    {"negation after a match", ".example.com, !bad.example.com", NONE, DOM, "bad.example.com", 0, MATCH_YES},
    {"double negation", "!!example.com", NONE, DOM, "example.com", 0, MATCH_YES},
    {"negated network", "!192.0.2.128/25, 192.0.2.0/24", NONE, ADR, 0, "192.0.2.200", MATCH_NO},
    {"negated network, rest", "!192.0.2.128/25, 192.0.2.0/24", NONE, ADR, 0, "192.0.2.100", MATCH_YES},
    {"negation of a parent match", "!sub.example.com example.com", PARENT, DOM, "a.sub.example.com", 0, MATCH_NO},

    /* IPv4. */
    {"v4 address", "192.0.2.1", NONE, ADR, 0, "192.0.2.1", MATCH_YES},
    {"v4 address, other", "192.0.2.1", NONE, ADR, 0, "192.0.2.10", MATCH_NO},
    {"v4 address in brackets", "[192.0.2.1]", NONE, ADR, 0, "192.0.2.1", MATCH_YES},
    {"v4 key in brackets", "192.0.2.1", NONE, ADR, 0, "[192.0.2.1]", MATCH_YES},
    {"v4 /24 inside", "192.0.2.0/24", NONE, ADR, 0, "192.0.2.255", MATCH_YES},
    {"v4 /24 outside", "192.0.2.0/24", NONE, ADR, 0, "192.0.3.0", MATCH_NO},
    {"v4 /8", "10.0.0.0/8", NONE, ADR, 0, "10.200.3.4", MATCH_YES},
    {"v4 /31", "192.0.2.6/31", NONE, ADR, 0, "192.0.2.7", MATCH_YES},
    {"v4 /31 outside", "192.0.2.6/31", NONE, ADR, 0, "192.0.2.8", MATCH_NO},
    {"v4 /0", "0.0.0.0/0", NONE, ADR, 0, "203.0.113.9", MATCH_YES},
    {"v4 /0 is not v6", "0.0.0.0/0", NONE, ADR, 0, "::1", MATCH_NO},
    {"v4 /32", "192.0.2.1/32", NONE, ADR, 0, "192.0.2.1", MATCH_YES},
    {"v4 bad key", "0.0.0.0/0", NONE, ADR, 0, "not-an-address", MATCH_NO},
    {"v4 network, name key", "192.0.2.0/24", NONE, DOM, "192.0.2.1", 0, MATCH_NO},

    /* IPv6. */
    {"v6 address", "2001:db8::1", NONE, ADR, 0, "2001:db8::1", MATCH_YES},
    {"v6 address, other spelling", "2001:db8::1", NONE, ADR, 0, "2001:0db8:0:0::0:1", MATCH_YES},
    {"v6 loopback", "::1", NONE, ADR, 0, "::1", MATCH_YES},
    {"v6 in brackets", "[2001:db8::]/32", NONE, ADR, 0, "2001:db8:ffff::5", MATCH_YES},
    {"v6 bare network", "2001:db8::/32", NONE, ADR, 0, "2001:db8:1::5", MATCH_YES},
    {"v6 network outside", "2001:db8::/32", NONE, ADR, 0, "2001:db9::1", MATCH_NO},
    {"v6 starting with a letter", "fe80::/10", NONE, ADR, 0, "febf::1", MATCH_YES},
    {"v6 starting with a letter, outside", "fe80::/10", NONE, ADR, 0, "fec0::1", MATCH_NO},
    {"v6 key in brackets", "2001:db8::/32", NONE, ADR, 0, "[2001:db8::7]", MATCH_YES},
    {"v6 key with IPv6: tag", "2001:db8::/32", NONE, ADR, 0, "IPv6:2001:db8::7", MATCH_YES},
    {"v6 key literal", "2001:db8::/32", NONE, ADR, 0, "[IPv6:2001:db8::7]", MATCH_YES},
    {"v6 pattern with IPv6: tag", "[IPv6:2001:db8::]/48", NONE, ADR, 0, "2001:db8:0:1::", MATCH_YES},
    {"v6 /0", "::/0", NONE, ADR, 0, "2001:db8::1", MATCH_YES},
    {"v6 /0 is not v4", "::/0", NONE, ADR, 0, "192.0.2.1", MATCH_NO},
    {"v6 /127", "2001:db8::2/127", NONE, ADR, 0, "2001:db8::3", MATCH_YES},
    {"v6 /127 outside", "2001:db8::2/127", NONE, ADR, 0, "2001:db8::4", MATCH_NO},
    {"v4-mapped is not v4", "192.0.2.0/24", NONE, ADR, 0, "::ffff:192.0.2.1", MATCH_NO},

    /* Clients: name or address. */
    {"client by name", "example.com, 192.0.2.0/24", PARENT, CLI, "mail.example.com", "203.0.113.1", MATCH_YES},
    {"client by address", "example.com, 192.0.2.0/24", PARENT, CLI, "unknown", "192.0.2.9", MATCH_YES},
    {"client, neither", "example.com, 192.0.2.0/24", PARENT, CLI, "mail.example.org", "203.0.113.1", MATCH_NO},
    {"client \"unknown\" is no name", "unknown", NONE, CLI, "unknown", "203.0.113.1", MATCH_NO},
    {"client without a name", ".example.com", NONE, CLI, 0, "203.0.113.1", MATCH_NO},
    {"domain: addresses never match names", "localhost", NONE, ADR, 0, "127.0.0.1", MATCH_NO},

    /* /file/name lists. */
    {"file, name", "$D/list", NONE, DOM, "example.net", 0, MATCH_YES},
    {"file, .name", "$D/list", NONE, DOM, "a.example.org", 0, MATCH_YES},
    {"file, network", "$D/list", NONE, ADR, 0, "198.51.100.77", MATCH_YES},
    {"file, comment is not a pattern", "$D/list", NONE, DOM, "commented.example", 0, MATCH_NO},
    {"file, trailing comment", "$D/list", NONE, DOM, "after.example", 0, MATCH_NO},
    {"file, negation inside", "$D/list", NONE, DOM, "not.example.org", 0, MATCH_NO},
    {"file, none", "$D/list", NONE, DOM, "example.com", 0, MATCH_NO},
    {"file, nested", "$D/nested", NONE, DOM, "example.net", 0, MATCH_YES},
    {"file, nested, own pattern", "$D/nested", NONE, DOM, "outer.example", 0, MATCH_YES},
    {"file then name", "$D/list, example.com", NONE, DOM, "example.com", 0, MATCH_YES},
    {"file, parent matching", "$D/list", PARENT, DOM, "deep.example.net", 0, MATCH_YES},

    /* Tables. */
    {"inline, name", "inline:{example.com=yes}", NONE, DOM, "example.com", 0, MATCH_YES},
    {"inline, case folded", "inline:{example.com=yes}", NONE, DOM, "EXAMPLE.Com.", 0, MATCH_YES},
    {"inline, any value matches", "inline:{example.com=REJECT}", NONE, DOM, "example.com", 0, MATCH_YES},
    {"inline, other", "inline:{example.com=yes}", NONE, DOM, "example.org", 0, MATCH_NO},
    {"inline, no parent without flag", "inline:{example.com=yes}", NONE, DOM, "mail.example.com", 0, MATCH_NO},
    {"inline, parent with flag", "inline:{example.com=yes}", PARENT, DOM, "a.mail.example.com", 0, MATCH_YES},
    {"inline, .parent without flag", "inline:{.example.com=yes}", NONE, DOM, "a.mail.example.com", 0, MATCH_YES},
    {"inline, .parent is not the name", "inline:{.example.com=yes}", NONE, DOM, "example.com", 0, MATCH_NO},
    {"inline, .parent unused with flag", "inline:{.example.com=yes}", PARENT, DOM, "mail.example.com", 0, MATCH_NO},
    {"inline, address", "inline:{192.0.2.5=yes}", NONE, ADR, 0, "192.0.2.5", MATCH_YES},
    {"inline, address, no prefixes", "inline:{192.0.2=yes}", NONE, ADR, 0, "192.0.2.5", MATCH_NO},
    {"inline, client name", "inline:{example.com=yes}", PARENT, CLI, "mx.example.com", "203.0.113.1", MATCH_YES},
    {"inline, client address", "inline:{203.0.113.1=yes}", PARENT, CLI, "mx.example.com", "203.0.113.1", MATCH_YES},
    {"negated table", "!inline:{bad.example=x}, .example", NONE, DOM, "bad.example", 0, MATCH_NO},
    {"negated table, rest", "!inline:{bad.example=x}, .example", NONE, DOM, "good.example", 0, MATCH_YES},
    {"static matches all", "static:anything", NONE, DOM, "whatever.example", 0, MATCH_YES},
    {"texthash, name", "texthash:$D/th", NONE, DOM, "listed.example", 0, MATCH_YES},
    {"texthash, folded", "texthash:$D/th", NONE, DOM, "LISTED.example", 0, MATCH_YES},
    {"texthash, parent", "texthash:$D/th", PARENT, DOM, "x.listed.example", 0, MATCH_YES},
    {"texthash, address", "texthash:$D/th", NONE, ADR, 0, "198.51.100.3", MATCH_YES},
    {"texthash, other", "texthash:$D/th", NONE, DOM, "other.example", 0, MATCH_NO},
    {"cidr, address", "cidr:$D/nets.cidr", NONE, ADR, 0, "203.0.113.200", MATCH_YES},
    {"cidr, v6 address", "cidr:$D/nets.cidr", NONE, ADR, 0, "2001:db8:5::1", MATCH_YES},
    {"cidr, outside", "cidr:$D/nets.cidr", NONE, ADR, 0, "203.0.114.1", MATCH_NO},
    {"table after a name", "example.com texthash:$D/th", NONE, DOM, "listed.example", 0, MATCH_YES},
};

/* subst - the patterns with $D replaced by the temporary folder */

static const char *subst(struct vstring *buf, const char *text)
{
    const char *cp;

    vstring_reset(buf);
    for (cp = text; *cp; cp++) {
	if (cp[0] == '$' && cp[1] == 'D') {
	    vstring_appends(buf, vstring_str(tmpdir));
	    cp++;
	} else {
	    vstring_appendc(buf, *cp);
	}
    }
    return (vstring_str(buf));
}

/* write_text - a file in the temporary folder */

static void write_text(const char *name, const char *text)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *data = vstring_alloc(100);

    vstring_sprintf(path, "%s/%s", vstring_str(tmpdir), name);
    subst(data, text);
    test_write_file(vstring_str(path), vstring_str(data), vstring_len(data));
    vstring_free(&path);
    vstring_free(&data);
}

/* load - main.cf text, expecting success */

static void load(const char *text)
{
    struct vstring *why = vstring_alloc(100);

    if (mail_conf_read_buf(PATH, text, strlen(text), why) != 0
	|| mail_conf_eval(why) != 0) {
	print_error("unexpected error: %s\n", vstring_str(why));
	fail();
    }
    vstring_free(&why);
}

static int setup(void **state)
{
    msg_init("test_match_list");
    load("");
    tmpdir = vstring_alloc(100);
    test_tempdir(tmpdir);
    write_text("list", "# a /file/name list\n"
	       "!not.example.org\n"
	       "example.net   .example.org  # trailing comment after.example\n"
	       "\n"
	       "# commented.example\n"
	       "  198.51.100.0/24\n");
    write_text("nested", "outer.example\n$D/list\n");
    write_text("self", "$D/self\n");
    write_text("th", "listed.example  ok\n198.51.100.3 ok\n");
    write_text("nets.cidr", "203.0.113.128/25 ok\n2001:db8::/32 ok\n");
    return (0);
}

static int teardown(void **state)
{
    test_rmdir(vstring_str(tmpdir));
    vstring_free(&tmpdir);
    return (0);
}

static const char *match_name(int result)
{
    return (result == MATCH_YES ? "MATCH_YES" : result == MATCH_NO ?
	    "MATCH_NO" : result == MATCH_ERROR ? "MATCH_ERROR" : "?");
}

static void test_cases(void **state)
{
    const struct ml_case *cp;
    struct vstring *pats = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct match_list *list;
    int     got;
    int     failed = 0;

    for (cp = cases; cp < cases + sizeof(cases) / sizeof(cases[0]); cp++) {
	vstring_reset(why);
	list = match_list_create("test", subst(pats, cp->patterns), cp->flags,
				 why);
	if (list == 0) {
	    print_error("case \"%s\": match_list_create(\"%s\"): %s\n",
			cp->label, vstring_str(pats), vstring_str(why));
	    failed++;
	    continue;
	}
	got = (cp->how == DOM ? match_list_domain(list, cp->name) :
	       cp->how == ADR ? match_list_addr(list, cp->addr) :
	       match_list_client(list, cp->name, cp->addr));
	if (got != cp->want) {
	    print_error("case \"%s\": \"%s\" against [%s] (flags %d):\n"
			"  got  %s\n  want %s\n", cp->label,
			cp->name ? cp->name : cp->addr, vstring_str(pats),
			cp->flags, match_name(got), match_name(cp->want));
	    failed++;
	}
	match_list_free(&list);
	assert_null(list);
    }
    vstring_free(&pats);
    vstring_free(&why);
    assert_int_equal(failed, 0);
}

 /*
  * Patterns that match_list_create() refuses, and its reason.
  */
struct bad_case {
    const char *patterns;
    const char *why;			/* exact; "$D" substituted */
};

static const struct bad_case bad_cases[] = {
    {"192.0.2.1/24", "network \"192.0.2.1/24\" has bits set beyond /24 in mynetworks"},
    {"example.com, 10.0.0.1/8", "network \"10.0.0.1/8\" has bits set beyond /8 in mynetworks"},
    {"192.0.2.0/33", "bad network mask in \"192.0.2.0/33\" in mynetworks"},
    {"[2001:db8::]/129", "bad network mask in \"[2001:db8::]/129\" in mynetworks"},
    {"2001:db8::1/64", "network \"2001:db8::1/64\" has bits set beyond /64 in mynetworks"},
    {"192.0.2.0/", "bad network mask in \"192.0.2.0/\" in mynetworks"},
    {"192.0.2.0/x", "bad network mask in \"192.0.2.0/x\" in mynetworks"},
    {"192.0.2.0/-1", "bad network mask in \"192.0.2.0/-1\" in mynetworks"},
    {"192.0.2.0/0024", "bad network mask in \"192.0.2.0/0024\" in mynetworks"},
    {"300.1.2.3", "bad address \"300.1.2.3\" in mynetworks"},
    {"[example.com]", "bad address \"[example.com]\" in mynetworks"},
    {"1.2.3", "bad address \"1.2.3\" in mynetworks"},
    {"!", "mynetworks: empty pattern after \"!\""},
    {"example.com !!", "mynetworks: empty pattern after \"!\""},
    {"$D/missing", "open $D/missing: No such file or directory"},
    {"$D/self", "$D/self: files nested too deeply"},
};

static void test_bad_patterns(void **state)
{
    const struct bad_case *cp;
    struct vstring *pats = vstring_alloc(100);
    struct vstring *want = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct match_list *list;
    int     failed = 0;

    for (cp = bad_cases; cp < bad_cases + sizeof(bad_cases) / sizeof(bad_cases[0]); cp++) {
	vstring_reset(why);
	list = match_list_create("mynetworks", subst(pats, cp->patterns),
				 MATCH_FLAG_NONE, why);
	subst(want, cp->why);
	if (list != 0) {
	    print_error("\"%s\": accepted, want \"%s\"\n", vstring_str(pats),
			vstring_str(want));
	    match_list_free(&list);
	    failed++;
	} else if (strcmp(vstring_str(why), vstring_str(want)) != 0) {
	    print_error("\"%s\":\n  got  \"%s\"\n  want \"%s\"\n",
			vstring_str(pats), vstring_str(why), vstring_str(want));
	    failed++;
	}
    }

    /* An unknown table type: the table layer's reason, with the title. */
    list = match_list_create("relay_domains", "nosuch:table", MATCH_FLAG_NONE,
			     why);
    assert_null(list);
    assert_true(strncmp(vstring_str(why), "relay_domains: ", 15) == 0);
    assert_non_null(strstr(vstring_str(why), "nosuch"));

    vstring_free(&pats);
    vstring_free(&want);
    vstring_free(&why);
    assert_int_equal(failed, 0);
}

 /*
  * A table that fails at lookup time: proxy:, with no private/proxymap
  * in the working directory. The caller must defer: MATCH_ERROR.
  */
static void test_lookup_error(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct match_list *list;
    char    cwd[4096];

    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(vstring_str(tmpdir)), 0);
    list = match_list_create("mydestination",
			     "example.com, proxy:unix:passwd.byname, "
			     "example.org", MATCH_FLAG_NONE, why);
    if (list == 0)
	fail_msg("%s", vstring_str(why));
    /* A match before the table never reaches it. */
    assert_int_equal(match_list_domain(list, "example.com"), MATCH_YES);
    assert_int_equal(match_list_domain(list, "example.org"), MATCH_ERROR);
    assert_true(strncmp(match_list_error(list), "mydestination: ", 15) == 0);
    assert_non_null(strstr(match_list_error(list), "proxymap"));
    assert_int_equal(match_list_addr(list, "192.0.2.1"), MATCH_ERROR);
    assert_int_equal(match_list_client(list, "mx.example.net", "192.0.2.1"),
		     MATCH_ERROR);
    match_list_free(&list);

    /* A negated table fails the same way. */
    list = match_list_create("mynetworks", "!proxy:unix:passwd.byname",
			     MATCH_FLAG_NONE, why);
    assert_non_null(list);
    assert_int_equal(match_list_addr(list, "192.0.2.1"), MATCH_ERROR);
    match_list_free(&list);
    assert_int_equal(chdir(cwd), 0);
    vstring_free(&why);
}

static void test_changed(void **state)
{
    struct vstring *pats = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct timespec nap = {0, 20 * 1000 * 1000};
    struct match_list *list;

    write_text("changing", "one.example x\n");
    list = match_list_create("relay_domains",
			     subst(pats, "a.example texthash:$D/changing"),
			     MATCH_FLAG_NONE, why);
    if (list == 0)
	fail_msg("%s", vstring_str(why));
    assert_int_equal(match_list_changed(list), 0);
    assert_int_equal(match_list_domain(list, "one.example"), MATCH_YES);
    nanosleep(&nap, 0);
    write_text("changing", "one.example x\ntwo.example y\n");
    assert_int_equal(match_list_changed(list), 1);
    match_list_free(&list);

    /* Lists without tables never change. */
    list = match_list_create("x", subst(pats, "a.example $D/list"),
			     MATCH_FLAG_NONE, why);
    assert_non_null(list);
    assert_int_equal(match_list_changed(list), 0);
    match_list_free(&list);
    vstring_free(&pats);
    vstring_free(&why);
}

 /*
  * match_net_parse(): results and errors.
  */
struct net_case {
    const char *text;
    int     ok;
    int     family;
    int     bits;
    const char *why;			/* when !ok */
};

static const struct net_case net_cases[] = {
    {"192.0.2.0/24", 1, AF_INET, 24, 0},
    {"192.0.2.1", 1, AF_INET, 32, 0},
    {"[192.0.2.1]", 1, AF_INET, 32, 0},
    {"0.0.0.0/0", 1, AF_INET, 0, 0},
    {"192.0.2.1/32", 1, AF_INET, 32, 0},
    {"10.0.0.0/8", 1, AF_INET, 8, 0},
    {"2001:db8::/32", 1, AF_INET6, 32, 0},
    {"[2001:db8::]/32", 1, AF_INET6, 32, 0},
    {"IPv6:2001:db8::1", 1, AF_INET6, 128, 0},
    {"::/0", 1, AF_INET6, 0, 0},
    {"::1/128", 1, AF_INET6, 128, 0},
    {"192.0.2.1/24", 0, 0, 0, "network \"192.0.2.1/24\" has bits set beyond /24"},
    {"192.0.2.128/24", 0, 0, 0, "network \"192.0.2.128/24\" has bits set beyond /24"},
    {"11.0.0.0/7", 0, 0, 0, "network \"11.0.0.0/7\" has bits set beyond /7"},
    {"10.0.0.0/7", 1, AF_INET, 7, 0},
    {"0.0.0.1/0", 0, 0, 0, "network \"0.0.0.1/0\" has bits set beyond /0"},
    {"2001:db8::1/127", 0, 0, 0, "network \"2001:db8::1/127\" has bits set beyond /127"},
    {"192.0.2.0/33", 0, 0, 0, "bad network mask in \"192.0.2.0/33\""},
    {"192.0.2.0/999", 0, 0, 0, "bad network mask in \"192.0.2.0/999\""},
    {"2001:db8::/129", 0, 0, 0, "bad network mask in \"2001:db8::/129\""},
    {"192.0.2.0/", 0, 0, 0, "bad network mask in \"192.0.2.0/\""},
    {"192.0.2.0/2a", 0, 0, 0, "bad network mask in \"192.0.2.0/2a\""},
    {"192.0.2.0/+8", 0, 0, 0, "bad network mask in \"192.0.2.0/+8\""},
    {"192.0.2/24", 0, 0, 0, "bad address \"192.0.2/24\""},
    {"/24", 0, 0, 0, "bad address \"/24\""},
    {"", 0, 0, 0, "bad address \"\""},
    {"[]", 0, 0, 0, "bad address \"[]\""},
    {"2001:db8::g/32", 0, 0, 0, "bad address \"2001:db8::g/32\""},
};

static void test_net_parse(void **state)
{
    const struct net_case *cp;
    struct vstring *why = vstring_alloc(100);
    unsigned char bytes[16];
    int     family;
    int     bits;
    int     ret;
    int     failed = 0;

    for (cp = net_cases; cp < net_cases + sizeof(net_cases) / sizeof(net_cases[0]); cp++) {
	vstring_reset(why);
	family = bits = -1;
	ret = match_net_parse(cp->text, bytes, &family, &bits, why);
	if (cp->ok && (ret != 0 || family != cp->family || bits != cp->bits)) {
	    print_error("\"%s\": ret %d family %d bits %d (%s); want 0 %d %d\n",
			cp->text, ret, family, bits, vstring_str(why),
			cp->family, cp->bits);
	    failed++;
	} else if (!cp->ok && (ret != -1 || strcmp(vstring_str(why), cp->why))) {
	    print_error("\"%s\": ret %d\n  got  \"%s\"\n  want \"%s\"\n",
			cp->text, ret, vstring_str(why), cp->why);
	    failed++;
	}
    }
    /* A very long text is refused, not copied. */
    {
	char    longtext[300];

	memset(longtext, '1', sizeof(longtext) - 1);
	longtext[sizeof(longtext) - 1] = 0;
	assert_int_equal(match_net_parse(longtext, bytes, &family, &bits, why), -1);
	assert_true(strncmp(vstring_str(why), "bad network \"111", 16) == 0);
    }
    vstring_free(&why);
    assert_int_equal(failed, 0);
}

static void test_net_contains(void **state)
{
    unsigned char net[16];
    unsigned char addr[16];
    int     nfam;
    int     afam;
    int     bits;
    struct vstring *why = vstring_alloc(100);

#define NET(t)	assert_int_equal(match_net_parse((t), net, &nfam, &bits, why), 0)
#define ADDR(t)	assert_int_equal(match_addr_parse((t), addr, &afam), 0)
#define IN()	match_net_contains(net, nfam, bits, addr, afam)

    NET("192.0.2.64/26");
    ADDR("192.0.2.64");
    assert_true(IN());
    ADDR("192.0.2.127");
    assert_true(IN());
    ADDR("192.0.2.63");
    assert_false(IN());
    ADDR("192.0.2.128");
    assert_false(IN());
    ADDR("::ffff:192.0.2.64");
    assert_false(IN());

    NET("2001:db8:8000::/33");
    ADDR("2001:db8:8000::");
    assert_true(IN());
    ADDR("2001:db8:ffff:ffff::1");
    assert_true(IN());
    ADDR("2001:db8:7fff:ffff:ffff:ffff:ffff:ffff");
    assert_false(IN());

    NET("0.0.0.0/0");
    ADDR("255.255.255.255");
    assert_true(IN());
    ADDR("::");
    assert_false(IN());

    assert_int_equal(match_addr_parse("[IPv6:::1]", addr, &afam), 0);
    assert_int_equal(afam, AF_INET6);
    assert_int_equal(match_addr_parse("IPv6:", addr, &afam), -1);
    assert_int_equal(match_addr_parse("[192.0.2.1", addr, &afam), -1);
    assert_int_equal(match_addr_parse("example.com", addr, &afam), -1);
    vstring_free(&why);
}

static void test_parent_style(void **state)
{
    load("parent_domain_matches_subdomains = mynetworks,\n"
	 "    Relay_Domains smtpd_access_maps\n");
    assert_true(match_parent_style("relay_domains"));
    assert_true(match_parent_style("RELAY_DOMAINS"));
    assert_true(match_parent_style("smtpd_access_maps"));
    assert_true(match_parent_style("mynetworks"));
    assert_false(match_parent_style("mydestination"));
    assert_false(match_parent_style("relay"));
    load("parent_domain_matches_subdomains =\n");
    assert_false(match_parent_style("relay_domains"));
    load("");
    /* The default names relay_domains and smtpd_access_maps. */
    assert_true(match_parent_style("relay_domains"));
    assert_true(match_parent_style("smtpd_access_maps"));
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_cases),
	cmocka_unit_test(test_bad_patterns),
	cmocka_unit_test(test_lookup_error),
	cmocka_unit_test(test_changed),
	cmocka_unit_test(test_net_parse),
	cmocka_unit_test(test_net_contains),
	cmocka_unit_test(test_parent_style),
    };

    return (cmocka_run_group_tests(tests, setup, teardown));
}
