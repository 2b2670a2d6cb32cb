/*++
/* NAME
/*	test_maps 1
/* SUMMARY
/*	unit tests for lists of tables (maps_*)
/* SYNOPSIS
/*	./test_maps
/* DESCRIPTION
/*	maps_create() with members separated by blanks and commas, an
/*	inline member with commas and blanks inside its braces, an empty
/*	list; maps_find() returns the first table's result in list order;
/*	a member that fails to open fails the list with the title in the
/*	reason; a lookup error in a member (a hash map garbled in place)
/*	stops the search with DICT_STAT_ERROR and maps_error() names the
/*	title and the table; maps_changed() follows its members.
/* DIAGNOSTICS
/*	cmocka's report.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <time.h>

#include <vstring.h>

#include <dict.h>

#include "../global/test_capture.h"

static void test_find_order(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct maps *maps;
    const char *value;

    maps = maps_create("test_maps", " inline:{ a=first, { b = with, comma } },"
		       "static:{ default value }\tinline:{a=never}",
		       DICT_FLAG_DEFAULT, why);
    if (maps == 0)
	fail_msg("%s", vstring_str(why));
    assert_string_equal(maps_title(maps), "test_maps");
    assert_int_equal(maps_find(maps, "A", &value), DICT_STAT_FOUND);
    assert_string_equal(value, "first");
    assert_int_equal(maps_find(maps, "b", &value), DICT_STAT_FOUND);
    assert_string_equal(value, "with, comma");
    assert_int_equal(maps_find(maps, "zzz", &value), DICT_STAT_FOUND);
    assert_string_equal(value, "default value");
    assert_int_equal(maps_changed(maps), 0);
    assert_string_equal(maps_error(maps), "");
    maps_free(&maps);
    assert_null(maps);

    maps = maps_create("empty", " , ", DICT_FLAG_DEFAULT, why);
    assert_non_null(maps);
    assert_int_equal(maps_find(maps, "a", &value), DICT_STAT_NOTFOUND);
    maps_free(&maps);
    vstring_free(&why);
}

static void test_open_failure(void **state)
{
    struct vstring *why = vstring_alloc(100);

    assert_null(maps_create("relay_domains", "inline:{a=b} nosuch:x",
			    DICT_FLAG_DEFAULT, why));
    assert_string_equal(vstring_str(why), "relay_domains: table \"nosuch:x\":"
			" unknown table type \"nosuch\"");
    assert_null(maps_create("m", "inline:{a=b", DICT_FLAG_DEFAULT, why));
    assert_string_equal(vstring_str(why), "m: unbalanced braces in"
			" \"inline:{a=b\"");
    assert_null(maps_create("m", "inline:{ a }", DICT_FLAG_DEFAULT, why));
    assert_string_equal(vstring_str(why), "m: table \"inline:{ a }\": expected"
			" key=value, found \"a\"");
    vstring_free(&why);
}

static void test_error_and_changed(void **state)
{
    struct vstring *dir = vstring_alloc(100);
    struct vstring *list = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct timespec nap = {0, 20 * 1000 * 1000};
    struct dict *dict;
    struct maps *maps;
    const char *value;

    test_tempdir(dir);
    vstring_sprintf(path, "hash:%s/m", vstring_str(dir));
    dict = dict_open(vstring_str(path), DICT_MODE_WRITE, DICT_FLAG_DEFAULT, why);
    assert_non_null(dict);
    assert_int_equal(dict_update(dict, "a", "from hash"), DICT_STAT_FOUND);
    dict_close(&dict);
    vstring_sprintf(list, "%s inline:{ { b = from inline } }", vstring_str(path));
    maps = maps_create("access", vstring_str(list), DICT_FLAG_DEFAULT, why);
    assert_non_null(maps);
    assert_int_equal(maps_find(maps, "a", &value), DICT_STAT_FOUND);
    assert_string_equal(value, "from hash");
    assert_int_equal(maps_find(maps, "b", &value), DICT_STAT_FOUND);
    assert_int_equal(maps_changed(maps), 0);

    /* Garble the map in place: the reader reopens it and fails. */
    nanosleep(&nap, 0);
    vstring_sprintf(path, "%s/m.db", vstring_str(dir));
    test_write_file(vstring_str(path), "garbage", 7);
    assert_int_equal(maps_changed(maps), 1);
    assert_int_equal(maps_find(maps, "b", &value), DICT_STAT_ERROR);
    assert_true(strncmp(maps_error(maps), "access: hash:", 13) == 0);
    maps_free(&maps);
    test_rmdir(vstring_str(dir));
    vstring_free(&dir);
    vstring_free(&list);
    vstring_free(&path);
    vstring_free(&why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_find_order),
	cmocka_unit_test(test_open_failure),
	cmocka_unit_test(test_error_and_changed),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
