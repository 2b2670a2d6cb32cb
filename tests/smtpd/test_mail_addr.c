/*++
/* NAME
/*	test_mail_addr 1
/* SUMMARY
/*	unit tests for the RFC 5321 address parser (src/global/mail_addr.c)
/* SYNOPSIS
/*	./test_mail_addr
/* DESCRIPTION
/*	Table-driven cases for mail_addr_parse(), mail_addr_split(),
/*	mail_addr_domain_valid() and mail_addr_domain_in_list().
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <vstring.h>
#include <mail_addr.h>

struct parse_case {
    const char *in;
    int     flags;
    const char *addr;			/* null: must fail */
    const char *rest;			/* what follows the path */
};

#define L64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const struct parse_case parse_cases[] = {
    {"<a@b.c>", 0, "a@b.c", ""},
    {"<a@b.c> SIZE=1", 0, "a@b.c", " SIZE=1"},
    {"<>", MAIL_ADDR_FLAG_NULL_OK, "", ""},
    {"<>", 0, 0, 0},
    {"a@b.c", MAIL_ADDR_FLAG_BARE_OK, "a@b.c", ""},
    {"a@b.c SIZE=2", MAIL_ADDR_FLAG_BARE_OK, "a@b.c", " SIZE=2"},
    {"a@b.c", 0, 0, 0},
    {"", MAIL_ADDR_FLAG_BARE_OK, 0, 0},
    {"<a@b.c", 0, 0, 0},
    {"<a@b.c>x", 0, "a@b.c", "x"},
    {"<@x.y,@z.w:a@b.c>", 0, "a@b.c", ""},
    {"<@x.y:a@b.c>", 0, "a@b.c", ""},
    {"<@x.y,a@b.c>", 0, 0, 0},
    {"<@:a@b.c>", 0, 0, 0},
    {"<\"a b\"@c.d>", 0, "\"a b\"@c.d", ""},
    {"<\"a\\\"b\"@c.d>", 0, "\"a\\\"b\"@c.d", ""},
    {"<\"a@c.d>", 0, 0, 0},
    {"<a..b@c.d>", 0, 0, 0},
    {"<.a@c.d>", 0, 0, 0},
    {"<a.@c.d>", 0, 0, 0},
    {"<a b@c.d>", 0, 0, 0},
    {"<a@-c.d>", 0, 0, 0},
    {"<a@c-.d>", 0, 0, 0},
    {"<a@c..d>", 0, 0, 0},
    {"<a@c.d.>", 0, 0, 0},
    {"<a@c_d>", 0, 0, 0},
    {"<a@>", 0, 0, 0},
    {"<@c.d>", 0, 0, 0},
    {"<a@[127.0.0.1]>", 0, "a@[127.0.0.1]", ""},
    {"<a@[IPv6:::1]>", 0, "a@[IPv6:::1]", ""},
    {"<a@[IPv6:zz]>", 0, 0, 0},
    {"<a@[300.1.1.1]>", 0, 0, 0},
    {"<a@[x-tag:abc]>", 0, "a@[x-tag:abc]", ""},
    {"<a@[127.0.0.1>", 0, 0, 0},
    {"<postmaster>", MAIL_ADDR_FLAG_NODOMAIN, "postmaster", ""},
    {"<postmaster>", 0, 0, 0},
    {"<" L64 "@c.d>", 0, L64 "@c.d", ""},
    {"<" L64 "a@c.d>", 0, 0, 0},
    {"<a\xc3\xa9@c.d>", 0, 0, 0},
    {"<a@c\x01.d>", 0, 0, 0},
    {"<a!#$%&'*+-/=?^_`{|}~@c.d>", 0, "a!#$%&'*+-/=?^_`{|}~@c.d", ""},
    {"<A@EXAMPLE.Org>", 0, "A@EXAMPLE.Org", ""},
};

static void test_parse(void **unused)
{
    struct vstring *addr = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    const char *end;
    size_t  i;

    for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
	const struct parse_case *c = parse_cases + i;

	vstring_reset(why);
	end = mail_addr_parse(c->in, strlen(c->in), c->flags, addr, why);
	if (c->addr == 0) {
	    if (end != 0)
		fail_msg("case %zu \"%s\": accepted as \"%s\"", i, c->in,
			 vstring_str(addr));
	    assert_true(vstring_len(why) > 0);
	} else {
	    if (end == 0)
		fail_msg("case %zu \"%s\": refused: %s", i, c->in,
			 vstring_str(why));
	    assert_string_equal(vstring_str(addr), c->addr);
	    assert_string_equal(end, c->rest);
	}
    }
    vstring_free(&addr);
    vstring_free(&why);
}

static void test_length_limits(void **unused)
{
    struct vstring *in = vstring_alloc(300);
    struct vstring *addr = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    int     i;

    /* Domain of 63-character labels up to 255 octets: path too long. */
    vstring_strcpy(in, "<a@");
    for (i = 0; i < 4; i++) {
	if (i)
	    vstring_appendc(in, '.');
	vstring_append(in, L64, 63);
    }
    vstring_appendc(in, '>');
    assert_null(mail_addr_parse(vstring_str(in), vstring_len(in), 0, addr, why));
    /* A 64-character label is too long. */
    vstring_sprintf(in, "<a@%s.c>", L64);
    assert_null(mail_addr_parse(vstring_str(in), vstring_len(in), 0, addr, why));
    /* The parser honours len: no NUL needed, nothing read beyond. */
    assert_null(mail_addr_parse("<a@b.c>", 6, 0, addr, why));
    assert_non_null(mail_addr_parse("<a@b.c>", 7, 0, addr, why));
    /* A NUL inside an address literal (found by fuzz_mail_addr). */
    assert_null(mail_addr_parse("<x@[IPv6:::1\0\0\0]>", 19, 0, addr, why));
    assert_null(mail_addr_parse("<x@[1.2.3.4\0]>", 15, 0, addr, why));
    vstring_free(&in);
    vstring_free(&addr);
    vstring_free(&why);
}

static void test_split(void **unused)
{
    struct vstring *local = vstring_alloc(10);
    struct vstring *domain = vstring_alloc(10);

    assert_int_equal(mail_addr_split("bob@example.com", local, domain), 1);
    assert_string_equal(vstring_str(local), "bob");
    assert_string_equal(vstring_str(domain), "example.com");
    assert_int_equal(mail_addr_split("\"a@b\"@c.d", local, domain), 1);
    assert_string_equal(vstring_str(local), "\"a@b\"");
    assert_string_equal(vstring_str(domain), "c.d");
    assert_int_equal(mail_addr_split("postmaster", local, domain), 0);
    assert_string_equal(vstring_str(local), "postmaster");
    assert_string_equal(vstring_str(domain), "");
    vstring_free(&local);
    vstring_free(&domain);
}

static void test_domain_list(void **unused)
{
    const char *list = "mx.example.test, localhost\tExample.COM.,,x";

    assert_true(mail_addr_domain_in_list("mx.example.test", list));
    assert_true(mail_addr_domain_in_list("MX.Example.Test", list));
    assert_true(mail_addr_domain_in_list("localhost", list));
    assert_true(mail_addr_domain_in_list("localhost.", list));
    assert_true(mail_addr_domain_in_list("example.com", list));
    assert_true(mail_addr_domain_in_list("x", list));
    assert_false(mail_addr_domain_in_list("example.test", list));
    assert_false(mail_addr_domain_in_list("local", list));
    assert_false(mail_addr_domain_in_list("", list));
    assert_false(mail_addr_domain_in_list("a", ""));
    assert_true(mail_addr_domain_valid("[1.2.3.4]", 9));
    assert_false(mail_addr_domain_valid("[]", 2));
    assert_false(mail_addr_domain_valid("", 0));
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_parse),
	cmocka_unit_test(test_length_limits),
	cmocka_unit_test(test_split),
	cmocka_unit_test(test_domain_list),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
