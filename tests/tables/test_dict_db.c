/*++
/* NAME
/*	test_dict_db 1
/* SUMMARY
/*	unit tests for hash, btree and lmdb tables
/* SYNOPSIS
/*	./test_dict_db
/* DESCRIPTION
/*	Each test runs for hash:, btree: and lmdb: on real files in a
/*	fresh folder: write then read (found, not found, folded keys,
/*	keys kept as written without DICT_FLAG_FOLD_KEY), the NUL flags
/*	(DICT_FLAG_APPEND_NUL on write; on read APPEND_NUL, TRY_BOTH or
/*	neither), duplicates (replace by default and with DUP_REPLACE,
/*	keep the first with DUP_WARN and say "duplicate entry"), delete,
/*	the walk, a reader that sees a writer's in-place changes at its
/*	next lookup, dict_changed() after a rebuild renamed over the map,
/*	and open errors (missing file, not a database). lmdb also: a key
/*	over 511 bytes, and a map that grows past its first size.
/* DIAGNOSTICS
/*	cmocka's report; a failing check names the table and key.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <vstring.h>

#include <dict.h>

#include "../global/test_capture.h"

#define NOTFOUND	((const char *) 0)

static const char *types[] = {"hash", "btree", "lmdb"};

#define NTYPES	(sizeof(types) / sizeof(types[0]))

static struct vstring *dir;

static int setup(void **state)
{
    dir = vstring_alloc(100);
    test_tempdir(dir);
    return (0);
}

static int teardown(void **state)
{
    test_rmdir(vstring_str(dir));
    vstring_free(&dir);
    return (0);
}

/* spec - "type:DIR/type-name" (hash and btree share the suffix) */

static const char *spec(struct vstring *buf, const char *type, const char *name)
{
    vstring_sprintf(buf, "%s:%s/%s-%s", type, vstring_str(dir), type, name);
    return (vstring_str(buf));
}

/* expect - key finds want (NOTFOUND: is not found) */

static void expect(struct dict *dict, const char *key, const char *want)
{
    const char *value;
    int     status = dict_lookup(dict, key, &value);

    if (want == NOTFOUND) {
	if (status != DICT_STAT_NOTFOUND)
	    fail_msg("%s: key \"%s\": status %d (%s), want not found",
		     dict_name(dict), key, status, dict_error(dict));
    } else {
	if (status != DICT_STAT_FOUND)
	    fail_msg("%s: key \"%s\": status %d (%s), want \"%s\"",
		     dict_name(dict), key, status, dict_error(dict), want);
	if (strcmp(value, want) != 0)
	    fail_msg("%s: key \"%s\": got \"%s\", want \"%s\"",
		     dict_name(dict), key, value, want);
    }
}

/* must_open - open or fail */

static struct dict *must_open(const char *s, int mode, int flags)
{
    struct vstring *why = vstring_alloc(100);
    struct dict *dict;

    if ((dict = dict_open(s, mode, flags, why)) == 0)
	fail_msg("open %s: %s", s, vstring_str(why));
    vstring_free(&why);
    return (dict);
}

/* put - update or fail */

static void put(struct dict *dict, const char *key, const char *value)
{
    if (dict_update(dict, key, value) != DICT_STAT_FOUND)
	fail_msg("%s: update \"%s\": %s", dict_name(dict), key, dict_error(dict));
}

static void test_write_read(void **state)
{
    struct vstring *buf = vstring_alloc(100);
    struct dict *dict;
    size_t  i;

    for (i = 0; i < NTYPES; i++) {
	spec(buf, types[i], "rw");
	dict = must_open(vstring_str(buf), DICT_MODE_WRITE, DICT_FLAG_DEFAULT);
	put(dict, "Example.COM", "OK");
	put(dict, "user@x.test", "REJECT no thanks");
	put(dict, "empty", "");
	assert_int_equal(dict_sync(dict), 0);
	dict_close(&dict);

	dict = must_open(vstring_str(buf), DICT_MODE_READ, DICT_FLAG_DEFAULT);
	expect(dict, "example.com", "OK");
	expect(dict, "EXAMPLE.COM", "OK");
	expect(dict, "USER@x.test", "REJECT no thanks");
	expect(dict, "empty", "");
	expect(dict, "nope", NOTFOUND);
	expect(dict, "", NOTFOUND);
	assert_int_equal(dict_update(dict, "a", "b"), DICT_STAT_ERROR);
	assert_int_equal(dict_delete(dict, "a"), DICT_STAT_ERROR);
	assert_int_equal(dict_changed(dict), 0);
	dict_close(&dict);

	/* Without folding the key must be written as stored. */
	dict = must_open(vstring_str(buf), DICT_MODE_READ, DICT_FLAG_TRY_BOTH);
	expect(dict, "example.com", "OK");
	expect(dict, "Example.COM", NOTFOUND);
	dict_close(&dict);

	spec(buf, types[i], "nofold");
	dict = must_open(vstring_str(buf), DICT_MODE_WRITE, DICT_FLAG_TRY_BOTH);
	put(dict, "MiXed", "1");
	dict_close(&dict);
	dict = must_open(vstring_str(buf), DICT_MODE_READ, DICT_FLAG_TRY_BOTH);
	expect(dict, "MiXed", "1");
	expect(dict, "mixed", NOTFOUND);
	dict_close(&dict);
    }
    vstring_free(&buf);
}

static void test_nul_flags(void **state)
{
    struct vstring *buf = vstring_alloc(100);
    struct dict *dict;
    size_t  i;

    for (i = 0; i < NTYPES; i++) {
	spec(buf, types[i], "withnul");
	dict = must_open(vstring_str(buf), DICT_MODE_WRITE,
			 DICT_FLAG_FOLD_KEY | DICT_FLAG_APPEND_NUL);
	put(dict, "k", "v");
	dict_close(&dict);
	dict = must_open(vstring_str(buf), DICT_MODE_READ, DICT_FLAG_DEFAULT);
	expect(dict, "k", "v");			/* tries both */
	dict_close(&dict);
	dict = must_open(vstring_str(buf), DICT_MODE_READ,
			 DICT_FLAG_FOLD_KEY | DICT_FLAG_APPEND_NUL);
	expect(dict, "k", "v");
	dict_close(&dict);
	dict = must_open(vstring_str(buf), DICT_MODE_READ, DICT_FLAG_FOLD_KEY);
	expect(dict, "k", NOTFOUND);
	dict_close(&dict);

	spec(buf, types[i], "nonul");
	dict = must_open(vstring_str(buf), DICT_MODE_WRITE, DICT_FLAG_FOLD_KEY);
	put(dict, "k", "v");
	dict_close(&dict);
	dict = must_open(vstring_str(buf), DICT_MODE_READ, DICT_FLAG_DEFAULT);
	expect(dict, "k", "v");
	dict_close(&dict);
	dict = must_open(vstring_str(buf), DICT_MODE_READ,
			 DICT_FLAG_FOLD_KEY | DICT_FLAG_APPEND_NUL);
	expect(dict, "k", NOTFOUND);
	dict_close(&dict);
    }
    vstring_free(&buf);
}

static void test_duplicates(void **state)
{
    struct vstring *buf = vstring_alloc(100);
    struct dict *dict;
    size_t  i;

    for (i = 0; i < NTYPES; i++) {
	spec(buf, types[i], "dup");
	dict = must_open(vstring_str(buf), DICT_MODE_WRITE, DICT_FLAG_DEFAULT);
	put(dict, "a", "1");
	put(dict, "A", "2");			/* plain update replaces */
	expect(dict, "a", "2");
	dict_close(&dict);

	dict = must_open(vstring_str(buf), DICT_MODE_WRITE,
			 DICT_FLAG_DEFAULT | DICT_FLAG_DUP_WARN);
	assert_int_equal(dict_update(dict, "a", "3"), DICT_STAT_NOTFOUND);
	assert_string_equal(dict_error(dict), "duplicate entry \"a\"");
	expect(dict, "a", "2");
	put(dict, "b", "new");
	dict_close(&dict);

	dict = must_open(vstring_str(buf), DICT_MODE_WRITE, DICT_FLAG_DEFAULT
			 | DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_REPLACE);
	put(dict, "a", "4");
	expect(dict, "a", "4");
	dict_close(&dict);
    }
    vstring_free(&buf);
}

static void test_delete(void **state)
{
    struct vstring *buf = vstring_alloc(100);
    struct dict *dict;
    size_t  i;

    for (i = 0; i < NTYPES; i++) {
	spec(buf, types[i], "del");
	dict = must_open(vstring_str(buf), DICT_MODE_WRITE, DICT_FLAG_DEFAULT);
	put(dict, "a", "1");
	put(dict, "b", "2");
	assert_int_equal(dict_delete(dict, "A"), DICT_STAT_FOUND);
	assert_int_equal(dict_delete(dict, "a"), DICT_STAT_NOTFOUND);
	assert_int_equal(dict_delete(dict, "zz"), DICT_STAT_NOTFOUND);
	dict_close(&dict);
	/* A key stored with its NUL is deleted by a plain request too. */
	dict = must_open(vstring_str(buf), DICT_MODE_WRITE,
			 DICT_FLAG_FOLD_KEY | DICT_FLAG_APPEND_NUL);
	put(dict, "n", "3");
	dict_close(&dict);
	dict = must_open(vstring_str(buf), DICT_MODE_WRITE, DICT_FLAG_DEFAULT);
	assert_int_equal(dict_delete(dict, "n"), DICT_STAT_FOUND);
	dict_close(&dict);
	dict = must_open(vstring_str(buf), DICT_MODE_READ, DICT_FLAG_DEFAULT);
	expect(dict, "a", NOTFOUND);
	expect(dict, "n", NOTFOUND);
	expect(dict, "b", "2");
	dict_close(&dict);
    }
    vstring_free(&buf);
}

/* walk_sorted - every entry, sorted, as "k=v;" */

static void walk_sorted(struct dict *dict, struct vstring *out)
{
    const char *key;
    const char *value;
    char   *items[100];
    char   *tmp;
    size_t  n = 0;
    size_t  i;
    size_t  j;
    int     how = DICT_SEQ_FIRST;
    int     status;
    struct vstring *item = vstring_alloc(100);

    while ((status = dict_sequence(dict, how, &key, &value)) == DICT_STAT_FOUND
	   && n < 100) {
	vstring_sprintf(item, "%s=%s;", key, value);
	items[n++] = strdup(vstring_str(item));
	how = DICT_SEQ_NEXT;
    }
    assert_int_equal(status, DICT_STAT_NOTFOUND);
    for (i = 0; i < n; i++)
	for (j = i + 1; j < n; j++)
	    if (strcmp(items[j], items[i]) < 0) {
		tmp = items[i];
		items[i] = items[j];
		items[j] = tmp;
	    }
    vstring_reset(out);
    for (i = 0; i < n; i++) {
	vstring_appends(out, items[i]);
	free(items[i]);
    }
    vstring_free(&item);
}

static void test_sequence(void **state)
{
    struct vstring *buf = vstring_alloc(100);
    struct vstring *out = vstring_alloc(100);
    struct dict *dict;
    const char *key;
    const char *value;
    size_t  i;

    for (i = 0; i < NTYPES; i++) {
	spec(buf, types[i], "seq");
	dict = must_open(vstring_str(buf), DICT_MODE_WRITE, DICT_FLAG_DEFAULT);
	put(dict, "b", "2");
	put(dict, "a", "1");
	dict_close(&dict);
	dict = must_open(vstring_str(buf), DICT_MODE_WRITE,
			 DICT_FLAG_FOLD_KEY | DICT_FLAG_APPEND_NUL);
	put(dict, "c", "3");			/* NULs are not shown */
	dict_close(&dict);
	dict = must_open(vstring_str(buf), DICT_MODE_READ, DICT_FLAG_DEFAULT);
	walk_sorted(dict, out);
	assert_string_equal(vstring_str(out), "a=1;b=2;c=3;");
	/* Again, from the start; and NEXT after the end stays at the end. */
	walk_sorted(dict, out);
	assert_string_equal(vstring_str(out), "a=1;b=2;c=3;");
	assert_int_equal(dict_sequence(dict, DICT_SEQ_NEXT, &key, &value),
			 DICT_STAT_NOTFOUND);
	/* A lookup in the middle of a walk is fine. */
	assert_int_equal(dict_sequence(dict, DICT_SEQ_FIRST, &key, &value),
			 DICT_STAT_FOUND);
	dict_close(&dict);			/* ends the walk */
	if (strcmp(types[i], "hash") != 0) {	/* btree, lmdb: in order */
	    dict = must_open(vstring_str(buf), DICT_MODE_READ, DICT_FLAG_DEFAULT);
	    assert_int_equal(dict_sequence(dict, DICT_SEQ_FIRST, &key, &value),
			     DICT_STAT_FOUND);
	    assert_string_equal(key, "a");
	    dict_close(&dict);
	}
    }
    vstring_free(&buf);
    vstring_free(&out);
}

static void test_in_place_update_seen(void **state)
{
    struct vstring *buf = vstring_alloc(100);
    struct dict *reader;
    struct dict *writer;
    char    key[32];
    size_t  i;
    int     n;

    for (i = 0; i < NTYPES; i++) {
	spec(buf, types[i], "inplace");
	writer = must_open(vstring_str(buf), DICT_MODE_WRITE, DICT_FLAG_DEFAULT);
	put(writer, "k", "old");
	dict_close(&writer);
	reader = must_open(vstring_str(buf), DICT_MODE_READ, DICT_FLAG_DEFAULT);
	expect(reader, "k", "old");
	expect(reader, "k2", NOTFOUND);
	/* Enough updates to change many pages the reader may cache. */
	writer = must_open(vstring_str(buf), DICT_MODE_WRITE, DICT_FLAG_DEFAULT);
	put(writer, "k", "new");
	put(writer, "k2", "added");
	for (n = 0; n < 2000; n++) {
	    snprintf(key, sizeof(key), "filler%d", n);
	    put(writer, key, "some value to fill the pages with");
	}
	dict_close(&writer);
	expect(reader, "k", "new");
	expect(reader, "k2", "added");
	expect(reader, "filler1999", "some value to fill the pages with");
	dict_close(&reader);
    }
    vstring_free(&buf);
}

static void test_changed_after_rebuild(void **state)
{
    struct vstring *buf = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct vstring *tmp = vstring_alloc(100);
    struct dict *reader;
    struct dict *writer;
    size_t  i;

    for (i = 0; i < NTYPES; i++) {
	spec(buf, types[i], "rebuilt");
	writer = must_open(vstring_str(buf), DICT_MODE_WRITE, DICT_FLAG_DEFAULT);
	put(writer, "k", "old");
	dict_close(&writer);
	reader = must_open(vstring_str(buf), DICT_MODE_READ, DICT_FLAG_DEFAULT);
	assert_int_equal(dict_changed(reader), 0);

	/* Build a new map elsewhere and rename it over the old one. */
	spec(buf, types[i], "rebuilt.new");
	writer = must_open(vstring_str(buf), DICT_MODE_WRITE, DICT_FLAG_DEFAULT);
	put(writer, "k", "new");
	assert_int_equal(dict_sync(writer), 0);
	dict_close(&writer);
	vstring_sprintf(tmp, "%s/%s-rebuilt.new%s", vstring_str(dir),
			types[i], dict_file_suffix(types[i]));
	vstring_sprintf(path, "%s/%s-rebuilt%s", vstring_str(dir),
			types[i], dict_file_suffix(types[i]));
	assert_int_equal(rename(vstring_str(tmp), vstring_str(path)), 0);

	/* The open reader keeps the old map and says it changed. */
	assert_int_equal(dict_changed(reader), 1);
	expect(reader, "k", "old");
	dict_close(&reader);
	spec(buf, types[i], "rebuilt");
	reader = must_open(vstring_str(buf), DICT_MODE_READ, DICT_FLAG_DEFAULT);
	expect(reader, "k", "new");
	assert_int_equal(dict_changed(reader), 0);
	dict_close(&reader);
    }
    vstring_free(&buf);
    vstring_free(&path);
    vstring_free(&tmp);
}

static void test_open_errors(void **state)
{
    struct vstring *buf = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstring *want = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    size_t  i;

    for (i = 0; i < NTYPES; i++) {
	spec(buf, types[i], "missing");
	assert_null(dict_open(vstring_str(buf), DICT_MODE_READ, 0, why));
	vstring_sprintf(want, "%s: open %s/%s-missing%s: No such file or"
			" directory", vstring_str(buf), vstring_str(dir),
			types[i], dict_file_suffix(types[i]));
	assert_string_equal(vstring_str(why), vstring_str(want));

	/* A text file where the map should be. */
	vstring_sprintf(path, "%s/%s-garbage%s", vstring_str(dir), types[i],
			dict_file_suffix(types[i]));
	test_write_file(vstring_str(path), "this is not a database\n", 23);
	spec(buf, types[i], "garbage");
	assert_null(dict_open(vstring_str(buf), DICT_MODE_READ, 0, why));
	assert_true(strncmp(vstring_str(why), vstring_str(buf),
			    vstring_len(buf)) == 0);
    }
    vstring_free(&buf);
    vstring_free(&why);
    vstring_free(&want);
    vstring_free(&path);
}

static void test_lmdb_limits(void **state)
{
    struct vstring *buf = vstring_alloc(100);
    struct vstring *big = vstring_alloc(100);
    struct dict *dict;
    char    key[64];
    int     n;

    spec(buf, "lmdb", "limits");
    dict = must_open(vstring_str(buf), DICT_MODE_WRITE, DICT_FLAG_DEFAULT);
    vstring_reset(big);
    for (n = 0; n < 512; n++)
	vstring_appendc(big, 'k');
    assert_int_equal(dict_update(dict, vstring_str(big), "v"), DICT_STAT_ERROR);
    assert_non_null(strstr(dict_error(dict), "key of 512 bytes"));
    expect(dict, vstring_str(big), NOTFOUND);
    assert_int_equal(dict_update(dict, "", "v"), DICT_STAT_ERROR);

    /* More than the first 16 MiB map: the map grows. */
    vstring_reset(big);
    for (n = 0; n < 100000; n++)
	vstring_appendc(big, 'v');
    for (n = 0; n < 300; n++) {
	snprintf(key, sizeof(key), "key%d", n);
	put(dict, key, vstring_str(big));
    }
    dict_close(&dict);
    dict = must_open(vstring_str(buf), DICT_MODE_READ, DICT_FLAG_DEFAULT);
    expect(dict, "key299", vstring_str(big));
    dict_close(&dict);
    vstring_free(&buf);
    vstring_free(&big);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_write_read),
	cmocka_unit_test(test_nul_flags),
	cmocka_unit_test(test_duplicates),
	cmocka_unit_test(test_delete),
	cmocka_unit_test(test_sequence),
	cmocka_unit_test(test_in_place_update_seen),
	cmocka_unit_test(test_changed_after_rebuild),
	cmocka_unit_test(test_open_errors),
	cmocka_unit_test(test_lmdb_limits),
    };

    return (cmocka_run_group_tests(tests, setup, teardown));
}
