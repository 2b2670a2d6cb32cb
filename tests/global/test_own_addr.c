/*++
/* NAME
/*	test_own_addr 1
/* SUMMARY
/*	unit tests for own_addr: this host's addresses and mynetworks
/* SYNOPSIS
/*	./test_own_addr
/* DESCRIPTION
/*	own_addr_init() with inet_interfaces = loopback-only (127.0.0.1
/*	and ::1 in every spelling an address literal may use, nothing
/*	else), = all (every address that getifaddrs(3) reports), and = a
/*	list of addresses and a host name (localhost), with
/*	proxy_interfaces; inet_protocols filtering each of these.
/*
/*	The default mynetworks for each mynetworks_style (host, subnet,
/*	class) and inet_protocols (all, ipv4, ipv6) is compared with the
/*	value the test computes itself from getifaddrs(3), and every
/*	interface address must fall inside it (match_list). A bad
/*	mynetworks_style is an error with a reason.
/* DIAGNOSTICS
/*	cmocka's report.
/*--*/
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <argv.h>
#include <msg.h>
#include <vstring.h>

#include <mail_conf.h>
#include <mail_params.h>
#include <match_list.h>
#include <own_addr.h>

#define PATH	"/etc/dromos/main.cf"

/* load - main.cf text, expecting success */

static void load(const char *fmt,...)
{
    struct vstring *text = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf_append(text, fmt, ap);
    va_end(ap);
    if (mail_conf_read_buf(PATH, vstring_str(text), vstring_len(text), why) != 0
	|| mail_conf_eval(why) != 0) {
	print_error("unexpected error: %s\n", vstring_str(why));
	fail();
    }
    vstring_free(&text);
    vstring_free(&why);
}

/* init - own_addr_init() that must succeed */

static void init(void)
{
    struct vstring *why = vstring_alloc(100);

    if (own_addr_init(why) != 0)
	fail_msg("own_addr_init: %s", vstring_str(why));
    vstring_free(&why);
}

/* want_family - inet_protocols allows family */

static int want_family(const char *protocols, int family)
{
    if (strcmp(protocols, "ipv4") == 0)
	return (family == AF_INET);
    if (strcmp(protocols, "ipv6") == 0)
	return (family == AF_INET6);
    return (family == AF_INET || family == AF_INET6);
}

/* interface_addrs - the text form of every interface address */

static struct argv *interface_addrs(const char *protocols)
{
    struct argv *addrs = argv_alloc(10);
    struct ifaddrs *ifap;
    struct ifaddrs *ifa;
    char    text[INET6_ADDRSTRLEN];
    const void *bytes;

    assert_int_equal(getifaddrs(&ifap), 0);
    for (ifa = ifap; ifa; ifa = ifa->ifa_next) {
	if (ifa->ifa_addr == 0 || !want_family(protocols, ifa->ifa_addr->sa_family))
	    continue;
	if (ifa->ifa_addr->sa_family == AF_INET)
	    bytes = &((struct sockaddr_in *) ifa->ifa_addr)->sin_addr;
	else
	    bytes = &((struct sockaddr_in6 *) ifa->ifa_addr)->sin6_addr;
	assert_non_null(inet_ntop(ifa->ifa_addr->sa_family, bytes, text,
				  sizeof(text)));
	argv_add(addrs, text, (char *) 0);
    }
    freeifaddrs(ifap);
    return (addrs);
}

/* has_addr - addrs lists addr */

static int has_addr(const struct argv *addrs, const char *addr)
{
    size_t  i;

    for (i = 0; i < addrs->argc; i++)
	if (strcmp(addrs->argv[i], addr) == 0)
	    return (1);
    return (0);
}

/* is_loopback - 127/8 or ::1 */

static int is_loopback(const char *addr)
{
    return (strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0);
}

/* prefix_len - leading one bits of a netmask (whole address without one) */

static int prefix_len(const struct sockaddr *mask, int family)
{
    const unsigned char *m;
    int     len = (family == AF_INET ? 4 : 16);
    int     bits = 0;
    int     i;

    if (mask == 0)
	return (len * 8);
    m = (family == AF_INET ?
	 (const unsigned char *) &((const struct sockaddr_in *) mask)->sin_addr :
	 (const unsigned char *) &((const struct sockaddr_in6 *) mask)->sin6_addr);
    for (i = 0; i < len; i++) {
	if (m[i] == 0xff) {
	    bits += 8;
	    continue;
	}
	for (int b = 7; b >= 0 && (m[i] & (1 << b)); b--)
	    bits++;
	break;
    }
    return (bits);
}

/* expect_mynetworks - what own_addr_mynetworks() should say */

static void expect_mynetworks(const char *style, const char *protocols,
			              struct vstring *out)
{
    struct ifaddrs *ifap;
    struct ifaddrs *ifa;
    char    text[INET6_ADDRSTRLEN];
    int     family;
    int     bits;

    vstring_reset(out);
    assert_int_equal(getifaddrs(&ifap), 0);
    for (ifa = ifap; ifa; ifa = ifa->ifa_next) {
	if (ifa->ifa_addr == 0)
	    continue;
	family = ifa->ifa_addr->sa_family;
	if (!want_family(protocols, family))
	    continue;
	if (vstring_len(out))
	    vstring_appends(out, " ");
	if (family == AF_INET) {
	    uint32_t a = ntohl(((struct sockaddr_in *) ifa->ifa_addr)->sin_addr.s_addr);

	    if (strcmp(style, "host") == 0)
		bits = 32;
	    else if (strcmp(style, "class") == 0)
		bits = (a >> 31) == 0 ? 8 : (a >> 30) == 2 ? 16 : 24;
	    else
		bits = prefix_len(ifa->ifa_netmask, AF_INET);
	    if (bits < 32)
		a &= bits ? ~((uint32_t) 0xffffffff >> bits) : 0;
	    vstring_sprintf_append(out, "%u.%u.%u.%u/%d", a >> 24,
				   (a >> 16) & 0xff, (a >> 8) & 0xff,
				   a & 0xff, bits);
	} else {
	    struct in6_addr a = ((struct sockaddr_in6 *) ifa->ifa_addr)->sin6_addr;

	    bits = (strcmp(style, "host") == 0 ? 128 :
		    prefix_len(ifa->ifa_netmask, AF_INET6));
	    for (int i = 0; i < 16; i++) {
		int     keep = bits - 8 * i;

		if (keep <= 0)
		    a.s6_addr[i] = 0;
		else if (keep < 8)
		    a.s6_addr[i] &= (unsigned char) (0xff << (8 - keep));
	    }
	    assert_non_null(inet_ntop(AF_INET6, &a, text, sizeof(text)));
	    vstring_sprintf_append(out, "[%s]/%d", text, bits);
	}
    }
    freeifaddrs(ifap);
}

static void test_loopback_only(void **state)
{
    struct argv *addrs;
    size_t  i;

    load("inet_interfaces = loopback-only\n");
    init();
    assert_true(own_addr_is_local("127.0.0.1"));
    assert_true(own_addr_is_local("[127.0.0.1]"));
    assert_true(own_addr_is_local("::1"));
    assert_true(own_addr_is_local("[::1]"));
    assert_true(own_addr_is_local("IPv6:::1"));
    assert_true(own_addr_is_local("[IPv6:::1]"));
    assert_true(own_addr_is_local("[ipv6:0:0:0:0:0:0:0:1]"));
    assert_false(own_addr_is_local("127.0.0.2"));
    assert_false(own_addr_is_local("::2"));
    assert_false(own_addr_is_local("::ffff:127.0.0.1"));
    assert_false(own_addr_is_local("localhost"));
    assert_false(own_addr_is_local(""));
    assert_false(own_addr_is_local("[]"));
    /* No other interface address is this host's for mail. */
    addrs = interface_addrs("all");
    for (i = 0; i < addrs->argc; i++)
	if (!is_loopback(addrs->argv[i]) && own_addr_is_local(addrs->argv[i]))
	    fail_msg("%s is local with inet_interfaces = loopback-only",
		     addrs->argv[i]);
    argv_free(&addrs);

    load("inet_interfaces = loopback-only\ninet_protocols = ipv4\n");
    init();
    assert_true(own_addr_is_local("[127.0.0.1]"));
    assert_false(own_addr_is_local("[IPv6:::1]"));

    load("inet_interfaces = loopback-only\ninet_protocols = ipv6\n");
    init();
    assert_false(own_addr_is_local("[127.0.0.1]"));
    assert_true(own_addr_is_local("[IPv6:::1]"));
}

static void test_all(void **state)
{
    static const char *protos[] = {"all", "ipv4", "ipv6"};
    struct argv *addrs;
    struct argv *every = interface_addrs("all");
    struct vstring *lit = vstring_alloc(100);
    size_t  i;
    size_t  p;
    unsigned char bytes[16];
    int     family;

    for (p = 0; p < sizeof(protos) / sizeof(protos[0]); p++) {
	load("inet_interfaces = all\ninet_protocols = %s\n", protos[p]);
	init();
	addrs = interface_addrs(protos[p]);
	for (i = 0; i < every->argc; i++) {
	    int     want = has_addr(addrs, every->argv[i]);

	    assert_int_equal(match_addr_parse(every->argv[i], bytes, &family), 0);
	    vstring_sprintf(lit, family == AF_INET6 ? "[IPv6:%s]" : "[%s]",
			    every->argv[i]);
	    if (own_addr_is_local(vstring_str(lit)) != want)
		fail_msg("inet_protocols %s: %s local %d, want %d", protos[p],
			 vstring_str(lit), !want, want);
	}
	argv_free(&addrs);
    }
    /* An address on no interface. */
    if (!has_addr(every, "203.0.113.254"))
	assert_false(own_addr_is_local("203.0.113.254"));
    argv_free(&every);
    vstring_free(&lit);
}

static void test_listed(void **state)
{
    struct argv *addrs;
    size_t  i;

    load("inet_interfaces = 192.0.2.77, [2001:db8::77] localhost\n"
	 "proxy_interfaces = 198.51.100.1 [IPv6:2001:db8::1:1]\n");
    init();
    assert_true(own_addr_is_local("192.0.2.77"));
    assert_true(own_addr_is_local("[192.0.2.77]"));
    assert_true(own_addr_is_local("[IPv6:2001:db8::77]"));
    assert_true(own_addr_is_local("2001:DB8:0::77"));
    assert_true(own_addr_is_local("127.0.0.1"));	/* localhost */
    assert_true(own_addr_is_local("[198.51.100.1]"));
    assert_true(own_addr_is_local("[IPv6:2001:db8::1:1]"));
    assert_false(own_addr_is_local("192.0.2.78"));
    assert_false(own_addr_is_local("198.51.100.2"));
    /* Interface addresses that are not listed are not this host's. */
    addrs = interface_addrs("all");
    for (i = 0; i < addrs->argc; i++)
	if (!is_loopback(addrs->argv[i]) && strcmp(addrs->argv[i], "192.0.2.77")
	    && own_addr_is_local(addrs->argv[i]))
	    fail_msg("%s is local but not listed", addrs->argv[i]);
    argv_free(&addrs);

    load("inet_interfaces = 192.0.2.77, [2001:db8::77]\n"
	 "proxy_interfaces = 198.51.100.1\ninet_protocols = ipv6\n");
    init();
    assert_false(own_addr_is_local("192.0.2.77"));
    assert_false(own_addr_is_local("198.51.100.1"));
    assert_true(own_addr_is_local("2001:db8::77"));
}

static void test_mynetworks_styles(void **state)
{
    static const char *styles[] = {"host", "subnet", "class"};
    static const char *protos[] = {"all", "ipv4", "ipv6"};
    struct vstring *want = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct match_list *list;
    struct argv *addrs;
    size_t  s;
    size_t  p;
    size_t  i;

    for (s = 0; s < sizeof(styles) / sizeof(styles[0]); s++) {
	for (p = 0; p < sizeof(protos) / sizeof(protos[0]); p++) {
	    load("inet_interfaces = loopback-only\nmynetworks_style = %s\n"
		 "inet_protocols = %s\n", styles[s], protos[p]);
	    init();
	    expect_mynetworks(styles[s], protos[p], want);
	    if (strcmp(own_addr_mynetworks(), vstring_str(want)) != 0)
		fail_msg("style %s, protocols %s:\n  got  \"%s\"\n  want \"%s\"",
			 styles[s], protos[p], own_addr_mynetworks(),
			 vstring_str(want));
	    /* It is a valid mynetworks, and covers every interface address. */
	    list = match_list_create("mynetworks", own_addr_mynetworks(),
				     MATCH_FLAG_NONE, why);
	    if (list == 0)
		fail_msg("%s", vstring_str(why));
	    addrs = interface_addrs(protos[p]);
	    for (i = 0; i < addrs->argc; i++)
		if (match_list_addr(list, addrs->argv[i]) != MATCH_YES)
		    fail_msg("style %s: %s not in \"%s\"", styles[s],
			     addrs->argv[i], own_addr_mynetworks());
	    argv_free(&addrs);
	    if (strcmp(styles[s], "host") == 0 && strcmp(protos[p], "ipv6") != 0)
		assert_non_null(strstr(own_addr_mynetworks(), "127.0.0.1/32"));
	    if (strcmp(styles[s], "class") == 0 && strcmp(protos[p], "ipv6") != 0)
		assert_non_null(strstr(own_addr_mynetworks(), "127.0.0.0/8"));
	    if (strcmp(protos[p], "ipv4") == 0)
		assert_null(strchr(own_addr_mynetworks(), '['));
	    if (strcmp(protos[p], "ipv6") == 0)
		assert_null(strchr(own_addr_mynetworks(), '.'));
	    match_list_free(&list);
	}
    }
    vstring_free(&want);
    vstring_free(&why);
}

static void test_bad_style(void **state)
{
    struct vstring *why = vstring_alloc(100);

    load("mynetworks_style = hosts\n");
    assert_int_equal(own_addr_init(why), -1);
    assert_string_equal(vstring_str(why), "bad mynetworks_style \"hosts\": "
			"specify host, subnet or class");
    load("mynetworks_style = SUBNET\n");
    init();
    vstring_free(&why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_loopback_only),
	cmocka_unit_test(test_all),
	cmocka_unit_test(test_listed),
	cmocka_unit_test(test_mynetworks_styles),
	cmocka_unit_test(test_bad_style),
    };

    msg_init("test_own_addr");
    return (cmocka_run_group_tests(tests, 0, 0));
}
