/*++
/* NAME
/*	test_htable 1
/* SUMMARY
/*	unit tests for htable
/* SYNOPSIS
/*	./test_htable
/* DESCRIPTION
/*	Enter, locate, find, delete (with and without a free function),
/*	growth from a tiny table, collisions, sorted listing, and the
/*	panic on a duplicate key.
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <sys/wait.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <htable.h>
#include <mymalloc.h>
#include <vstring.h>
#include "testutil.h"

static int freed;

static void count_free(void *value)
{
    freed++;
    myfree(value);
}

static void test_basic(void **state)
{
    struct htable *t = htable_create(0);
    struct htable_info *e;
    int     one = 1;

    e = htable_enter(t, "key", &one);
    assert_string_equal(e->key, "key");
    assert_ptr_equal(e->value, &one);
    assert_ptr_equal(htable_locate(t, "key"), e);
    assert_ptr_equal(htable_find(t, "key"), &one);
    assert_null(htable_find(t, "KEY"));
    assert_null(htable_locate(t, ""));
    htable_enter(t, "", (void *) 0);		/* empty key, NULL value */
    assert_non_null(htable_locate(t, ""));
    assert_null(htable_find(t, ""));
    assert_int_equal(t->used, 2);
    htable_delete(t, "nothere", (void (*) (void *)) 0);
    assert_int_equal(t->used, 2);
    htable_delete(t, "key", (void (*) (void *)) 0);
    assert_null(htable_locate(t, "key"));
    assert_int_equal(t->used, 1);
    htable_free(&t, (void (*) (void *)) 0);
    assert_null(t);
}

static void test_growth_and_collisions(void **state)
{
    struct htable *t = htable_create(1);
    struct htable_info **list;
    char    key[32];
    int     i;
    size_t  buckets = t->size;

    freed = 0;
    for (i = 0; i < 5000; i++) {
	snprintf(key, sizeof(key), "k%05d", i);
	htable_enter(t, key, mystrdup(key));
    }
    assert_int_equal(t->used, 5000);
    assert_true(t->size > buckets);		/* it grew */
    /* More entries than buckets at some point means collisions too. */
    for (i = 0; i < 5000; i++) {
	snprintf(key, sizeof(key), "k%05d", i);
	assert_string_equal(htable_find(t, key), key);
    }
    for (i = 0; i < 5000; i += 2) {
	snprintf(key, sizeof(key), "k%05d", i);
	htable_delete(t, key, count_free);
    }
    assert_int_equal(freed, 2500);
    assert_int_equal(t->used, 2500);
    for (i = 0; i < 5000; i++) {
	snprintf(key, sizeof(key), "k%05d", i);
	if ((i % 2 == 0) != (htable_locate(t, key) == 0))
	    fail_msg("key %s wrongly %s", key, i % 2 ? "missing" : "present");
    }
    list = htable_list(t);
    for (i = 0; i < 2500; i++) {
	snprintf(key, sizeof(key), "k%05d", 2 * i + 1);
	assert_non_null(list[i]);
	assert_string_equal(list[i]->key, key);
    }
    assert_null(list[2500]);
    myfree(list);
    htable_free(&t, count_free);
    assert_int_equal(freed, 5000);
}

static void test_list_sorted(void **state)
{
    static const char *keys[] = {"pear", "apple", "Zebra", "fig", "apricot", "a"};
    static const char *sorted[] = {"Zebra", "a", "apple", "apricot", "fig", "pear"};
    struct htable *t = htable_create(2);
    struct htable_info **list;
    size_t  i;

    list = htable_list(t);
    assert_null(list[0]);
    myfree(list);
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
	htable_enter(t, keys[i], (void *) keys[i]);
    list = htable_list(t);
    for (i = 0; i < sizeof(sorted) / sizeof(sorted[0]); i++) {
	assert_string_equal(list[i]->key, sorted[i]);
	assert_string_equal(list[i]->value, sorted[i]);
    }
    assert_null(list[i]);
    myfree(list);
    htable_free(&t, (void (*) (void *)) 0);
}

static void enter_twice(void *arg)
{
    struct htable *t = htable_create(4);

    htable_enter(t, "dup", (void *) 0);
    htable_enter(t, "dup", (void *) 0);
}

static void test_duplicate_panics(void **state)
{
    struct vstring *err = vstring_alloc(100);
    int     status = testutil_fork_call(enter_twice, (void *) 0, err);

    assert_true(WIFSIGNALED(status));
    assert_non_null(strstr(vstring_str(err),
			   "panic: htable_enter: duplicate key \"dup\""));
    vstring_free(&err);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_basic),
	cmocka_unit_test(test_growth_and_collisions),
	cmocka_unit_test(test_list_sorted),
	cmocka_unit_test(test_duplicate_panics),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
