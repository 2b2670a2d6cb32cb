/*++
/* NAME
/*	test_stringops 1
/* SUMMARY
/*	unit tests for stringops
/* SYNOPSIS
/*	./test_stringops
/* DESCRIPTION
/*	Table-driven cases for mystrtok, trimblanks, lowercase, alldig,
/*	str_to_long (overflow, junk, empty, signs), str_has_prefix,
/*	printable and path_join.
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <mymalloc.h>
#include <stringops.h>
#include <vstring.h>

static void test_mystrtok(void **state)
{
    static const struct {
	const char *in;
	const char *delim;
	const char *want[5];
    }       cases[] = {
	{"", " ", {0}},
	{"   ", " ", {0}},
	{"a b  c", " ", {"a", "b", "c", 0}},
	{"  lead trail  ", " ", {"lead", "trail", 0}},
	{"k=v;x=y", ";=", {"k", "v", "x", "y", 0}},
    };
    size_t  i;
    size_t  j;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	char   *copy = mystrdup(cases[i].in);
	char   *bp = copy;
	char   *tok;

	for (j = 0; (tok = mystrtok(&bp, cases[i].delim)) != 0; j++) {
	    if (cases[i].want[j] == 0)
		fail_msg("case %zu: extra token \"%s\"", i, tok);
	    assert_string_equal(tok, cases[i].want[j]);
	}
	if (cases[i].want[j] != 0)
	    fail_msg("case %zu: missing token \"%s\"", i, cases[i].want[j]);
	assert_null(mystrtok(&bp, cases[i].delim));	/* stays at the end */
	myfree(copy);
    }
}

static void test_trim_lower_alldig(void **state)
{
    static const struct {
	const char *in;
	const char *trimmed;
    }       trims[] = {
	{"", ""}, {"  ", ""}, {" a ", "a"}, {"\t\r\nx y\n", "x y"}, {"z", "z"},
    };
    static const struct {
	const char *in;
	int     want;
    }       digs[] = {
	{"", 0}, {"0", 1}, {"0123456789", 1}, {"12a", 0}, {"-1", 0}, {" 1", 0},
    };
    char    buf[64];
    size_t  i;

    for (i = 0; i < sizeof(trims) / sizeof(trims[0]); i++) {
	snprintf(buf, sizeof(buf), "%s", trims[i].in);
	assert_string_equal(trimblanks(buf), trims[i].trimmed);
    }
    snprintf(buf, sizeof(buf), "MiXeD 123 ÄB");
    assert_string_equal(lowercase(buf), "mixed 123 Äb");
    for (i = 0; i < sizeof(digs) / sizeof(digs[0]); i++)
	if (alldig(digs[i].in) != digs[i].want)
	    fail_msg("alldig(\"%s\") != %d", digs[i].in, digs[i].want);
}

static void test_str_to_long(void **state)
{
    static const struct {
	const char *in;
	int     ret;
	long    val;
	const char *why;
    }       cases[] = {
	{"0", 0, 0, 0},
	{"42", 0, 42, 0},
	{"-17", 0, -17, 0},
	{"+5", 0, 5, 0},
	{"9223372036854775807", 0, LONG_MAX, 0},
	{"-9223372036854775808", 0, LONG_MIN, 0},
	{"9223372036854775808", -1, 0, "number out of range \"9223372036854775808\""},
	{"-9223372036854775809", -1, 0, "number out of range \"-9223372036854775809\""},
	{"99999999999999999999999", -1, 0, "number out of range \"99999999999999999999999\""},
	{"", -1, 0, "empty number"},
	{"-", -1, 0, "bad number \"-\""},
	{"12x", -1, 0, "bad number \"12x\""},
	{" 12", -1, 0, "bad number \" 12\""},
	{"12 ", -1, 0, "bad number \"12 \""},
	{"0x10", -1, 0, "bad number \"0x10\""},
	{"--1", -1, 0, "bad number \"--1\""},
    };
    struct vstring *why = vstring_alloc(10);
    size_t  i;
    long    val;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	val = 12345;
	vstring_reset(why);
	if (str_to_long(cases[i].in, &val, why) != cases[i].ret)
	    fail_msg("case %zu \"%s\": wrong return", i, cases[i].in);
	if (cases[i].ret == 0) {
	    assert_int_equal(val, cases[i].val);
	} else {
	    assert_int_equal(val, 12345);	/* untouched on failure */
	    assert_string_equal(vstring_str(why), cases[i].why);
	}
    }
    assert_int_equal(str_to_long("x", &val, (struct vstring *) 0), -1);
    vstring_free(&why);
}

static void test_prefix_printable_join(void **state)
{
    static const struct {
	const char *dir;
	const char *name;
	const char *want;
    }       joins[] = {
	{"/var/spool", "active", "/var/spool/active"},
	{"/var/spool/", "active", "/var/spool/active"},
	{"/", "etc", "/etc"},
	{"", "rel", "rel"},
    };
    struct vstring *vs = vstring_alloc(10);
    char    buf[32];
    size_t  i;

    assert_true(str_has_prefix("mail.example", "mail."));
    assert_true(str_has_prefix("anything", ""));
    assert_false(str_has_prefix("mai", "mail"));
    assert_false(str_has_prefix("Mail", "mail"));

    memcpy(buf, "ok\001\t\n\x7f\xc3\xa4 end", 13);
    assert_string_equal(printable(buf, '?'), "ok?????? end");

    for (i = 0; i < sizeof(joins) / sizeof(joins[0]); i++) {
	assert_ptr_equal(path_join(vs, joins[i].dir, joins[i].name), vs);
	assert_string_equal(vstring_str(vs), joins[i].want);
    }
    vstring_free(&vs);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_mystrtok),
	cmocka_unit_test(test_trim_lower_alldig),
	cmocka_unit_test(test_str_to_long),
	cmocka_unit_test(test_prefix_printable_join),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
