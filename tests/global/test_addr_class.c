/*++
/* NAME
/*	test_addr_class 1
/* SUMMARY
/*	unit tests for addr_class: local, relay or remote
/* SYNOPSIS
/*	./test_addr_class
/* DESCRIPTION
/*	A table of envelope addresses (as mail_addr_parse() leaves them)
/*	with their class, local part, domain and routed flag, against
/*	mydestination (names, .names), relay_domains (with subdomains, as
/*	parent_domain_matches_subdomains says by default), inet_interfaces
/*	and proxy_interfaces addresses as address literals: local domains,
/*	relay domains and their subdomains, remote domains, IPv4 and IPv6
/*	literals of this host and of others, routed local parts
/*	(user%host, host!user, user@host@here, "user@host"@here), quoted
/*	local parts, trailing dots and upper case.
/*
/*	Other tests: relay_domains without parent matching, and as a
/*	table; a table of mydestination or relay_domains that fails at
/*	lookup time (ADDR_CLASS_ERROR and addr_class_error()); errors of
/*	addr_class_init(); addr_class_changed(); a null info.
/* DIAGNOSTICS
/*	cmocka's report; a failing case names the address and both values.
/*--*/
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

#include <addr_class.h>
#include <mail_conf.h>
#include <mail_params.h>

#include "test_capture.h"

#define PATH	"/etc/dromos/main.cf"

#define LOCAL	ADDR_CLASS_LOCAL
#define RELAY	ADDR_CLASS_RELAY
#define REMOTE	ADDR_CLASS_REMOTE

#define BASE_CONF \
	"myhostname = mx.example.test\n" \
	"mydestination = $myhostname, localhost, .local.example\n" \
	"relay_domains = relay.example\n" \
	"inet_interfaces = 192.0.2.77, [2001:db8::77]\n" \
	"proxy_interfaces = 198.51.100.1\n"

/* load - main.cf text and addr_class_init(), expecting success */

static void load(const char *fmt,...)
{
    struct vstring *text = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf_append(text, fmt, ap);
    va_end(ap);
    if (mail_conf_read_buf(PATH, vstring_str(text), vstring_len(text), why) != 0
	|| mail_conf_eval(why) != 0 || addr_class_init(why) != 0) {
	print_error("unexpected error: %s\n", vstring_str(why));
	fail();
    }
    vstring_free(&text);
    vstring_free(&why);
}

struct ac_case {
    const char *addr;
    int     want;
    const char *local;			/* dequoted */
    const char *domain;			/* lower case, no trailing dot */
    int     routed;
};

static const struct ac_case cases[] = {
    /* mydestination. */
    {"user@mx.example.test", LOCAL, "user", "mx.example.test", 0},
    {"User@MX.Example.TEST", LOCAL, "User", "mx.example.test", 0},
    {"user@mx.example.test.", LOCAL, "user", "mx.example.test", 0},
    {"USER@MX.EXAMPLE.TEST.", LOCAL, "USER", "mx.example.test", 0},
    {"user@localhost", LOCAL, "user", "localhost", 0},
    {"user@LocalHost.", LOCAL, "user", "localhost", 0},
    {"user@a.local.example", LOCAL, "user", "a.local.example", 0},
    {"user@b.a.LOCAL.example", LOCAL, "user", "b.a.local.example", 0},
    {"user@local.example", REMOTE, "user", "local.example", 0},
    {"user@sub.mx.example.test", REMOTE, "user", "sub.mx.example.test", 0},
    {"postmaster", LOCAL, "postmaster", "", 0},
    {"Postmaster", LOCAL, "Postmaster", "", 0},
    {"user+ext@mx.example.test", LOCAL, "user+ext", "mx.example.test", 0},
    {"first.last@mx.example.test", LOCAL, "first.last", "mx.example.test", 0},

    /* relay_domains, with subdomains (the default parent matching). */
    {"user@relay.example", RELAY, "user", "relay.example", 0},
    {"user@Relay.Example.", RELAY, "user", "relay.example", 0},
    {"user@sub.relay.example", RELAY, "user", "sub.relay.example", 0},
    {"user@deep.SUB.relay.example.", RELAY, "user", "deep.sub.relay.example", 0},
    {"user@notrelay.example", REMOTE, "user", "notrelay.example", 0},
    {"user@relay.example.org", REMOTE, "user", "relay.example.org", 0},

    /* Elsewhere. */
    {"user@foreign.example", REMOTE, "user", "foreign.example", 0},
    {"user@FOREIGN.EXAMPLE", REMOTE, "user", "foreign.example", 0},
    {"user@Foreign.Example.", REMOTE, "user", "foreign.example", 0},
    {"user@example.test", REMOTE, "user", "example.test", 0},

    /* Address literals: inet_interfaces and proxy_interfaces. */
    {"user@[192.0.2.77]", LOCAL, "user", "[192.0.2.77]", 0},
    {"user@[IPv6:2001:db8::77]", LOCAL, "user", "[ipv6:2001:db8::77]", 0},
    {"user@[IPv6:2001:DB8:0:0::77]", LOCAL, "user", "[ipv6:2001:db8:0:0::77]", 0},
    {"user@[198.51.100.1]", LOCAL, "user", "[198.51.100.1]", 0},
    {"user@[192.0.2.78]", REMOTE, "user", "[192.0.2.78]", 0},
    {"user@[203.0.113.5]", REMOTE, "user", "[203.0.113.5]", 0},
    {"user@[IPv6:2001:db8::99]", REMOTE, "user", "[ipv6:2001:db8::99]", 0},
    {"user@[mx.example.test]", REMOTE, "user", "[mx.example.test]", 0},
    {"user@[tag:whatever]", REMOTE, "user", "[tag:whatever]", 0},

    /* Sender-specified routing in the local part. */
    {"user%foreign.example@mx.example.test", LOCAL, "user%foreign.example", "mx.example.test", 1},
    {"foreign.example!user@mx.example.test", LOCAL, "foreign.example!user", "mx.example.test", 1},
    {"user@foreign.example@mx.example.test", LOCAL, "user@foreign.example", "mx.example.test", 1},
    {"\"user@foreign.example\"@mx.example.test", LOCAL, "user@foreign.example", "mx.example.test", 1},
    {"\"user%foreign\"@relay.example", RELAY, "user%foreign", "relay.example", 1},
    {"user%foreign.example@relay.example", RELAY, "user%foreign.example", "relay.example", 1},
    {"user%other@foreign.example", REMOTE, "user%other", "foreign.example", 1},
    {"a@b@c@[192.0.2.77]", LOCAL, "a@b@c", "[192.0.2.77]", 1},
    {"user%foreign.example@MX.EXAMPLE.TEST.", LOCAL, "user%foreign.example", "mx.example.test", 1},

    /* Quoted local parts. */
    {"\"john smith\"@mx.example.test", LOCAL, "john smith", "mx.example.test", 0},
    {"\"a\\\"b\"@mx.example.test", LOCAL, "a\"b", "mx.example.test", 0},
    {"\"a\\\\b\"@relay.example", RELAY, "a\\b", "relay.example", 0},
    {"\"x@y\"", LOCAL, "x@y", "", 1},
    {"\"@\"@foreign.example", REMOTE, "@", "foreign.example", 1},
};

static const char *class_name(int cls)
{
    return (cls == LOCAL ? "LOCAL" : cls == RELAY ? "RELAY" :
	    cls == REMOTE ? "REMOTE" : cls == ADDR_CLASS_ERROR ? "ERROR" : "?");
}

static void test_cases(void **state)
{
    const struct ac_case *cp;
    struct addr_class_info info;
    int     got;
    int     failed = 0;

    load(BASE_CONF);
    memset(&info, 0, sizeof(info));
    for (cp = cases; cp < cases + sizeof(cases) / sizeof(cases[0]); cp++) {
	got = addr_class(cp->addr, &info);
	if (got != cp->want || strcmp(vstring_str(info.local), cp->local) != 0
	    || strcmp(vstring_str(info.domain), cp->domain) != 0
	    || info.routed != cp->routed) {
	    print_error("<%s>:\n  got  %s local \"%s\" domain \"%s\" routed %d\n"
			"  want %s local \"%s\" domain \"%s\" routed %d\n",
			cp->addr, class_name(got), vstring_str(info.local),
			vstring_str(info.domain), info.routed,
			class_name(cp->want), cp->local, cp->domain, cp->routed);
	    failed++;
	}
	/* A null info gives the same class. */
	assert_int_equal(addr_class(cp->addr, (struct addr_class_info *) 0), got);
    }
    vstring_free(&info.local);
    vstring_free(&info.domain);
    assert_int_equal(failed, 0);
}

static void test_relay_parent(void **state)
{
    /* Without parent matching, only the name; ".name" for subdomains. */
    load(BASE_CONF "parent_domain_matches_subdomains = mynetworks\n");
    assert_int_equal(addr_class("u@relay.example", 0), RELAY);
    assert_int_equal(addr_class("u@sub.relay.example", 0), REMOTE);
    load(BASE_CONF "parent_domain_matches_subdomains =\n"
	 "relay_domains = relay.example, .relay.example\n");
    assert_int_equal(addr_class("u@relay.example", 0), RELAY);
    assert_int_equal(addr_class("u@sub.relay.example", 0), RELAY);

    /* A table, with parent lookups. */
    load(BASE_CONF "relay_domains = inline:{relay.example=x}\n");
    assert_int_equal(addr_class("u@relay.example", 0), RELAY);
    assert_int_equal(addr_class("u@a.b.relay.example", 0), RELAY);
    assert_int_equal(addr_class("u@other.example", 0), REMOTE);

    /* mydestination wins over relay_domains. */
    load(BASE_CONF "relay_domains = mx.example.test\n");
    assert_int_equal(addr_class("u@mx.example.test", 0), LOCAL);

    /* Empty mydestination: only literals and bare names are local. */
    load(BASE_CONF "mydestination =\n");
    assert_int_equal(addr_class("u@mx.example.test", 0), REMOTE);
    assert_int_equal(addr_class("u@[192.0.2.77]", 0), LOCAL);
    assert_int_equal(addr_class("postmaster", 0), LOCAL);
}

static void test_lookup_error(void **state)
{
    struct vstring *dir = vstring_alloc(100);
    char    cwd[4096];

    /* proxy: tables fail here: there is no private/proxymap. */
    test_tempdir(dir);
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(vstring_str(dir)), 0);

    load(BASE_CONF "mydestination = localhost proxy:unix:passwd.byname\n");
    assert_int_equal(addr_class("u@localhost", 0), LOCAL);
    assert_int_equal(addr_class("u@[192.0.2.77]", 0), LOCAL);
    assert_int_equal(addr_class("postmaster", 0), LOCAL);
    assert_int_equal(addr_class("u@relay.example", 0), ADDR_CLASS_ERROR);
    assert_true(strncmp(addr_class_error(), "mydestination: ", 15) == 0);

    load(BASE_CONF "relay_domains = proxy:unix:passwd.byname\n");
    assert_int_equal(addr_class("u@mx.example.test", 0), LOCAL);
    assert_int_equal(addr_class("u@foreign.example", 0), ADDR_CLASS_ERROR);
    assert_true(strncmp(addr_class_error(), "relay_domains: ", 15) == 0);

    assert_int_equal(chdir(cwd), 0);
    test_rmdir(vstring_str(dir));
    vstring_free(&dir);
}

static void test_init_errors(void **state)
{
    struct vstring *why = vstring_alloc(100);
    static const char *bad[][2] = {
	{"mydestination = 192.0.2.1/24\n",
	"network \"192.0.2.1/24\" has bits set beyond /24 in mydestination"},
	{"relay_domains = !\n", "relay_domains: empty pattern after \"!\""},
	{"mynetworks_style = wide\n",
	"bad mynetworks_style \"wide\": specify host, subnet or class"},
    };
    size_t  i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
	vstring_reset(why);
	assert_int_equal(mail_conf_read_buf(PATH, bad[i][0], strlen(bad[i][0]),
					    why), 0);
	assert_int_equal(mail_conf_eval(why), 0);
	assert_int_equal(addr_class_init(why), -1);
	assert_string_equal(vstring_str(why), bad[i][1]);
    }
    /* A good configuration afterwards works again. */
    load(BASE_CONF);
    assert_int_equal(addr_class("u@relay.example", 0), RELAY);
    vstring_free(&why);
}

static void test_changed(void **state)
{
    struct vstring *dir = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct timespec nap = {0, 20 * 1000 * 1000};

    test_tempdir(dir);
    vstring_sprintf(path, "%s/relay", vstring_str(dir));
    test_write_file(vstring_str(path), "relay.example ok\n", 17);
    load(BASE_CONF "relay_domains = texthash:%s\n", vstring_str(path));
    assert_int_equal(addr_class_changed(), 0);
    assert_int_equal(addr_class("u@relay.example", 0), RELAY);
    nanosleep(&nap, 0);
    test_write_file(vstring_str(path), "relay.example ok\nb.example ok\n", 30);
    assert_int_equal(addr_class_changed(), 1);
    load(BASE_CONF);
    assert_int_equal(addr_class_changed(), 0);
    test_rmdir(vstring_str(dir));
    vstring_free(&dir);
    vstring_free(&path);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_cases),
	cmocka_unit_test(test_relay_parent),
	cmocka_unit_test(test_lookup_error),
	cmocka_unit_test(test_init_errors),
	cmocka_unit_test(test_changed),
    };

    msg_init("test_addr_class");
    return (cmocka_run_group_tests(tests, 0, 0));
}
