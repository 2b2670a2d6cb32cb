/*++
/* NAME
/*	test_argv 1
/* SUMMARY
/*	unit tests for argv
/* SYNOPSIS
/*	./test_argv
/* DESCRIPTION
/*	Adding, growth, truncation, the NULL terminator, and the split
/*	functions (table-driven, with and without quoting).
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <argv.h>

static void test_add_grow_truncate(void **state)
{
    struct argv *a = argv_alloc(0);
    char    num[16];
    size_t  i;

    assert_int_equal(a->argc, 0);
    assert_null(a->argv[0]);
    argv_add(a, "one", "two", (char *) 0);
    argv_addn(a, "threeXYZ", 5);
    assert_int_equal(a->argc, 3);
    assert_string_equal(a->argv[0], "one");
    assert_string_equal(a->argv[1], "two");
    assert_string_equal(a->argv[2], "three");
    assert_null(a->argv[3]);
    for (i = 3; i < 1000; i++) {
	snprintf(num, sizeof(num), "%zu", i);
	argv_add(a, num, (char *) 0);
	assert_true(a->argc < a->len);
	assert_null(a->argv[a->argc]);
    }
    assert_int_equal(a->argc, 1000);
    assert_string_equal(a->argv[999], "999");
    argv_truncate(a, 2);
    assert_int_equal(a->argc, 2);
    assert_null(a->argv[2]);
    argv_truncate(a, 10);			/* no-op */
    assert_int_equal(a->argc, 2);
    argv_free(&a);
    assert_null(a);
}

struct split_case {
    const char *in;
    const char *delim;
    int     quoted;
    const char *want[6];			/* NULL-terminated */
};

static void test_split(void **state)
{
    static const struct split_case cases[] = {
	{"", " ", 0, {0}},
	{"   ", " ", 0, {0}},
	{"a", " ", 0, {"a", 0}},
	{"  a  b\tc ", " \t", 0, {"a", "b", "c", 0}},
	{"x,,y,", ",", 0, {"x", "y", 0}},
	{"a \"b c\" d", " ", 0, {"a", "\"b", "c\"", "d", 0}},
	{"a \"b c\" d", " ", 1, {"a", "b c", "d", 0}},
	{"pre\"fix x\"post y", " ", 1, {"prefix xpost", "y", 0}},
	{"\"\" z", " ", 1, {"", "z", 0}},
	{"\"a\\\"b\\\\\"", " ", 1, {"a\"b\\", 0}},
	{"\"open ended", " ", 1, {"open ended", 0}},
	{"back\\slash", " ", 1, {"back\\slash", 0}},
    };
    size_t  i;
    size_t  j;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	struct argv *a = cases[i].quoted ?
	argv_split_quoted(cases[i].in, cases[i].delim) :
	argv_split(cases[i].in, cases[i].delim);

	for (j = 0; cases[i].want[j] != 0; j++) {
	    if (j >= a->argc)
		fail_msg("case %zu: only %zu fields", i, a->argc);
	    if (strcmp(a->argv[j], cases[i].want[j]) != 0)
		fail_msg("case %zu field %zu: \"%s\" want \"%s\"", i, j,
			 a->argv[j], cases[i].want[j]);
	}
	if (a->argc != j)
	    fail_msg("case %zu: %zu fields, want %zu", i, a->argc, j);
	assert_null(a->argv[a->argc]);
	argv_free(&a);
    }
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_add_grow_truncate),
	cmocka_unit_test(test_split),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
