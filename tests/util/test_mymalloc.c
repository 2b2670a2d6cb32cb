/*++
/* NAME
/*	test_mymalloc 1
/* SUMMARY
/*	unit tests for mymalloc
/* SYNOPSIS
/*	./test_mymalloc
/* DESCRIPTION
/*	Copies, zero sizes, realloc growth, and the fatal exits on size
/*	overflow (run in a child process).
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <sys/wait.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>
#include "testutil.h"

/*
 * Under AddressSanitizer an impossible allocation aborts by default; let
 * malloc() return NULL instead, so that mymalloc()'s own fatal path runs.
 */
extern const char *__asan_default_options(void);

const char *__asan_default_options(void)
{
    return ("allocator_may_return_null=1");
}

static void test_strdup(void **state)
{
    static const char *cases[] = {"", "a", "hello world", "tab\there"};
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	char   *copy = mystrdup(cases[i]);

	assert_ptr_not_equal(copy, cases[i]);
	assert_string_equal(copy, cases[i]);
	myfree(copy);
    }
}

static void test_strndup(void **state)
{
    static const struct {
	const char *in;
	size_t  len;
	const char *want;
    }       cases[] = {
	{"hello", 0, ""},
	{"hello", 3, "hel"},
	{"hello", 5, "hello"},
	{"hello", 99, "hello"},
	{"", 4, ""},
    };
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	char   *copy = mystrndup(cases[i].in, cases[i].len);

	assert_string_equal(copy, cases[i].want);
	myfree(copy);
    }
}

static void test_memdup_calloc_realloc(void **state)
{
    static const char bin[] = {'a', 0, 'b', 0, (char) 0xff};
    char   *copy = mymemdup(bin, sizeof(bin));
    unsigned char *zero = mycalloc(100, 3);
    size_t  i;
    int    *arr = 0;

    assert_memory_equal(copy, bin, sizeof(bin));
    myfree(copy);
    for (i = 0; i < 300; i++)
	assert_int_equal(zero[i], 0);
    myfree(zero);

    for (i = 1; i <= 1000; i++) {
	arr = myreallocarray(arr, i, sizeof(*arr));
	arr[i - 1] = (int) i;
    }
    for (i = 0; i < 1000; i++)
	assert_int_equal(arr[i], (int) i + 1);
    myfree(arr);

    /* Zero sizes give a usable, freeable pointer. */
    copy = mymalloc(0);
    assert_non_null(copy);
    myfree(copy);
    myfree((void *) 0);
}

static void overflow_reallocarray(void *arg)
{
    msg_init("test_mymalloc");
    (void) myreallocarray((void *) 0, SIZE_MAX / 2, 3);
}

static void overflow_malloc(void *arg)
{
    msg_init("test_mymalloc");
    (void) mymalloc(SIZE_MAX - 16);
}

static void test_fatal_overflow(void **state)
{
    static const struct {
	void    (*fn) (void *);
	const char *want;
    }       cases[] = {
	{overflow_reallocarray, "test_mymalloc: fatal: myreallocarray: size overflow"},
	{overflow_malloc, "test_mymalloc: fatal: mymalloc: insufficient memory"},
    };
    struct vstring *err = vstring_alloc(100);
    size_t  i;
    int     status;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	status = testutil_fork_call(cases[i].fn, (void *) 0, err);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_non_null(strstr(vstring_str(err), cases[i].want));
    }
    vstring_free(&err);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_strdup),
	cmocka_unit_test(test_strndup),
	cmocka_unit_test(test_memdup_calloc_realloc),
	cmocka_unit_test(test_fatal_overflow),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
