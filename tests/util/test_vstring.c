/*++
/* NAME
/*	test_vstring 1
/* SUMMARY
/*	unit tests for vstring
/* SYNOPSIS
/*	./test_vstring
/* DESCRIPTION
/*	Appending, binary data, growth across many reallocations, the NUL
/*	invariant, truncation, formatting (short and long), export.
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <mymalloc.h>
#include <vstring.h>

/* Every function must keep data[len] == 0 and len < cap. */
static void check_invariant(const struct vstring *vs)
{
    assert_true(vs->len < vs->cap);
    assert_int_equal(vs->data[vs->len], 0);
}

static void test_append(void **state)
{
    struct vstring *vs = vstring_alloc(1);

    check_invariant(vs);
    assert_int_equal(vstring_len(vs), 0);
    assert_string_equal(vstring_str(vs), "");
    vstring_appends(vs, "abc");
    vstring_appendc(vs, 'd');
    vstring_append(vs, "efgh", 2);
    check_invariant(vs);
    assert_string_equal(vstring_str(vs), "abcdef");
    assert_int_equal(vstring_len(vs), 6);
    assert_ptr_equal(vstring_end(vs), vstring_str(vs) + 6);
    vstring_strcpy(vs, "xy");
    assert_string_equal(vstring_str(vs), "xy");
    vstring_memcpy(vs, "a\0b", 3);
    assert_int_equal(vstring_len(vs), 3);
    assert_memory_equal(vstring_str(vs), "a\0b", 3);
    check_invariant(vs);
    vstring_reset(vs);
    assert_int_equal(vstring_len(vs), 0);
    check_invariant(vs);
    vstring_free(&vs);
    assert_null(vs);
}

static void test_growth(void **state)
{
    struct vstring *vs = vstring_alloc(0);
    size_t  i;

    for (i = 0; i < 100000; i++) {
	vstring_appendc(vs, (int) ('a' + i % 26));
	if (i % 9973 == 0)
	    check_invariant(vs);
    }
    assert_int_equal(vstring_len(vs), 100000);
    for (i = 0; i < 100000; i++)
	assert_int_equal(vstring_str(vs)[i], (char) ('a' + i % 26));
    check_invariant(vs);
    vstring_free(&vs);
}

static void test_self_append(void **state)
{
    struct vstring *vs = vstring_alloc(0);

    /* Appending from its own buffer must survive the reallocation. */
    vstring_strcpy(vs, "0123456789abcdef");
    vstring_append(vs, vstring_str(vs), vstring_len(vs));
    assert_string_equal(vstring_str(vs), "0123456789abcdef0123456789abcdef");
    vstring_free(&vs);
}

static void test_truncate(void **state)
{
    static const struct {
	const char *in;
	size_t  len;
	const char *want;
    }       cases[] = {
	{"hello", 3, "hel"},
	{"hello", 0, ""},
	{"hello", 5, "hello"},
	{"hello", 99, "hello"},
    };
    struct vstring *vs = vstring_alloc(10);
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	vstring_strcpy(vs, cases[i].in);
	vstring_truncate(vs, cases[i].len);
	assert_string_equal(vstring_str(vs), cases[i].want);
	assert_int_equal(vstring_len(vs), strlen(cases[i].want));
	check_invariant(vs);
    }
    vstring_free(&vs);
}

static void test_sprintf(void **state)
{
    struct vstring *vs = vstring_alloc(4);
    char    big[5000];

    vstring_sprintf(vs, "%d-%s", 42, "x");
    assert_string_equal(vstring_str(vs), "42-x");
    vstring_sprintf_append(vs, "/%05u", 7u);
    assert_string_equal(vstring_str(vs), "42-x/00007");
    vstring_sprintf(vs, "%s", "");
    assert_int_equal(vstring_len(vs), 0);
    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    vstring_sprintf(vs, "<%s>", big);
    assert_int_equal(vstring_len(vs), sizeof(big) + 1);
    assert_int_equal(vstring_str(vs)[0], '<');
    assert_int_equal(vstring_str(vs)[sizeof(big)], '>');
    check_invariant(vs);
    vstring_free(&vs);
}

static void test_export(void **state)
{
    struct vstring *vs = vstring_alloc(0);
    char   *str;

    vstring_strcpy(vs, "exported");
    str = vstring_export(&vs);
    assert_null(vs);
    assert_string_equal(str, "exported");
    myfree(str);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_append),
	cmocka_unit_test(test_growth),
	cmocka_unit_test(test_self_append),
	cmocka_unit_test(test_truncate),
	cmocka_unit_test(test_sprintf),
	cmocka_unit_test(test_export),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
