/*++
/* NAME
/*	test_dict_text 1
/* SUMMARY
/*	unit tests for texthash, inline and static tables and dict_open
/* SYNOPSIS
/*	./test_dict_text
/* DESCRIPTION
/*	texthash: found, not found, key folding (and none without
/*	DICT_FLAG_FOLD_KEY), continuation lines, the first of two equal
/*	keys (the last with DICT_FLAG_DUP_REPLACE), a malformed line that
/*	fails the open naming file and line, the sorted walk, and
/*	dict_changed() after the file is edited in place or replaced by
/*	rename. inline: table-driven specs with the value each key finds,
/*	errors, the walk in written order. static: values, braces, errors.
/*	dict_open(): unknown type, missing colon or file name, write mode
/*	for a read-only type, a missing file; dict_type_is_file() and
/*	dict_file_suffix().
/* DIAGNOSTICS
/*	cmocka's report; a failing case names itself and both values.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vstring.h>

#include <dict.h>

#include "../global/test_capture.h"

#define NOTFOUND	((const char *) 0)

/* expect - key finds want (NOTFOUND: is not found) */

static void expect(struct dict *dict, const char *key, const char *want)
{
    const char *value;
    int     status = dict_lookup(dict, key, &value);

    if (want == NOTFOUND) {
	if (status != DICT_STAT_NOTFOUND)
	    fail_msg("%s: key \"%s\": status %d, want not found",
		     dict_name(dict), key, status);
    } else {
	if (status != DICT_STAT_FOUND)
	    fail_msg("%s: key \"%s\": status %d (%s), want \"%s\"",
		     dict_name(dict), key, status, dict_error(dict), want);
	if (strcmp(value, want) != 0)
	    fail_msg("%s: key \"%s\": got \"%s\", want \"%s\"",
		     dict_name(dict), key, value, want);
    }
}

/* walk - every entry as "k=v;" */

static void walk(struct dict *dict, struct vstring *out)
{
    const char *key;
    const char *value;
    int     how = DICT_SEQ_FIRST;
    int     status;

    vstring_reset(out);
    while ((status = dict_sequence(dict, how, &key, &value)) == DICT_STAT_FOUND) {
	vstring_sprintf_append(out, "%s=%s;", key, value);
	how = DICT_SEQ_NEXT;
    }
    assert_int_equal(status, DICT_STAT_NOTFOUND);
}

static const char thash_text[] =
"# access map\n"
"Example.COM   OK\n"
"spammer@x.test REJECT go away\n"
"multi a,\n"
"  b,\n"
"\tc\n"
"dup first\n"
"DUP second\n";

static void test_thash(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *out = vstring_alloc(100);
    struct dict *dict;

    dict = dict_open_text("texthash", "access", thash_text,
			  strlen(thash_text), DICT_FLAG_DEFAULT, why);
    assert_non_null(dict);
    assert_string_equal(dict_name(dict), "texthash:access");
    expect(dict, "example.com", "OK");
    expect(dict, "EXAMPLE.com", "OK");
    expect(dict, "Spammer@X.test", "REJECT go away");
    expect(dict, "multi", "a, b, c");
    expect(dict, "dup", "first");
    expect(dict, "nope", NOTFOUND);
    expect(dict, "", NOTFOUND);
    walk(dict, out);
    assert_string_equal(vstring_str(out), "dup=first;example.com=OK;"
			"multi=a, b, c;spammer@x.test=REJECT go away;");
    assert_int_equal(dict_changed(dict), 0);
    dict_close(&dict);
    assert_null(dict);

    /* Without folding, keys are kept as written. */
    dict = dict_open_text("texthash", "access", thash_text,
			  strlen(thash_text), DICT_FLAG_TRY_BOTH, why);
    assert_non_null(dict);
    expect(dict, "Example.COM", "OK");
    expect(dict, "example.com", NOTFOUND);
    expect(dict, "DUP", "second");
    dict_close(&dict);

    /* The last value wins with DICT_FLAG_DUP_REPLACE. */
    dict = dict_open_text("texthash", "access", thash_text, strlen(thash_text),
			  DICT_FLAG_DEFAULT | DICT_FLAG_DUP_REPLACE, why);
    expect(dict, "dup", "second");
    dict_close(&dict);
    vstring_free(&why);
    vstring_free(&out);
}

static void test_thash_malformed(void **state)
{
    struct vstring *why = vstring_alloc(100);
    const char *text = "a 1\n\nb\nc 3\n";

    assert_null(dict_open_text("texthash", "/etc/dromos/access", text,
			       strlen(text), DICT_FLAG_DEFAULT, why));
    assert_string_equal(vstring_str(why), "/etc/dromos/access, line 3:"
			" expected format: key whitespace value");
    text = "  a 1\n";
    assert_null(dict_open_text("texthash", "m", text, strlen(text), 0, why));
    assert_string_equal(vstring_str(why), "m, line 1: a logical line must"
			" not start with white space");
    vstring_free(&why);
}

static void test_thash_file_changed(void **state)
{
    struct vstring *dir = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct vstring *spec = vstring_alloc(100);
    struct vstring *tmp = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct dict *dict;
    struct dict *dict2;
    struct timespec nap = {0, 20 * 1000 * 1000};

    test_tempdir(dir);
    vstring_sprintf(path, "%s/map", vstring_str(dir));
    vstring_sprintf(spec, "texthash:%s", vstring_str(path));
    test_write_file(vstring_str(path), "k old\n", 6);
    dict = dict_open(vstring_str(spec), DICT_MODE_READ, DICT_FLAG_DEFAULT, why);
    assert_non_null(dict);
    expect(dict, "k", "old");
    assert_int_equal(dict_changed(dict), 0);

    /* Edited in place: same inode, new size and time. */
    nanosleep(&nap, 0);
    test_write_file(vstring_str(path), "k newer\n", 8);
    assert_int_equal(dict_changed(dict), 1);
    expect(dict, "k", "old");			/* until reopened */
    dict_close(&dict);

    /* Replaced by rename: a new inode. */
    dict = dict_open(vstring_str(spec), DICT_MODE_READ, DICT_FLAG_DEFAULT, why);
    assert_non_null(dict);
    assert_int_equal(dict_changed(dict), 0);
    vstring_sprintf(tmp, "%s/map.new", vstring_str(dir));
    test_write_file(vstring_str(tmp), "k renamed\n", 10);
    assert_int_equal(rename(vstring_str(tmp), vstring_str(path)), 0);
    assert_int_equal(dict_changed(dict), 1);
    dict2 = dict_open(vstring_str(spec), DICT_MODE_READ, DICT_FLAG_DEFAULT, why);
    expect(dict2, "k", "renamed");
    assert_int_equal(dict_changed(dict2), 0);
    dict_close(&dict2);

    /* Removed. */
    assert_int_equal(unlink(vstring_str(path)), 0);
    assert_int_equal(dict_changed(dict), 1);
    dict_close(&dict);
    assert_null(dict_open(vstring_str(spec), DICT_MODE_READ, 0, why));
    vstring_sprintf(tmp, "open %s: No such file or directory", vstring_str(path));
    assert_string_equal(vstring_str(why), vstring_str(tmp));

    test_rmdir(vstring_str(dir));
    vstring_free(&dir);
    vstring_free(&path);
    vstring_free(&spec);
    vstring_free(&tmp);
    vstring_free(&why);
}

 /*
  * inline: specs, and what keys find. "key" NOTFOUND means not found;
  * want_error set means the open fails with that reason.
  */
struct inline_case {
    const char *spec;
    int     flags;
    const char *keys[6];		/* key, value, key, value, ... */
    const char *walk;			/* 0: not checked */
    const char *want_error;
};

static const struct inline_case inline_cases[] = {
    {"inline:{ a=1, b=2 }", DICT_FLAG_DEFAULT, {"a", "1", "b", "2", "c", 0},
    "a=1;b=2;", 0},
    {"inline:{a=1,b=2}", DICT_FLAG_DEFAULT, {"a", "1", "b", "2"}, "a=1;b=2;", 0},
    {"inline:{ a=1 b=2\tc=3 }", DICT_FLAG_DEFAULT, {"a", "1", "c", "3"},
    "a=1;b=2;c=3;", 0},
    {"inline:{ { k = v w } , x=y }", DICT_FLAG_DEFAULT,
    {"k", "v w", "x", "y"}, "k=v w;x=y;", 0},
    {"inline:{ { k = a, b {c} } }", DICT_FLAG_DEFAULT, {"k", "a, b {c}"}, 0, 0},
    {"inline:{ k=a=b }", DICT_FLAG_DEFAULT, {"k", "a=b"}, 0, 0},
    {"inline:{ Key=Value }", DICT_FLAG_DEFAULT, {"key", "Value", "KEY", "Value"},
    "key=Value;", 0},
    {"inline:{ Key=Value }", 0, {"Key", "Value", "key", 0}, 0, 0},
    {"inline:{ a=1, a=2 }", DICT_FLAG_DEFAULT, {"a", "1"}, "a=1;", 0},
    {"inline:{}", DICT_FLAG_DEFAULT, {"a", 0}, "", 0},
    {"inline:{ }", DICT_FLAG_DEFAULT, {"a", 0}, "", 0},
    {"inline:a=b", 0, {0}, 0,
    "table \"inline:a=b\": expected inline:{ key=value, ... }"},
    {"inline:{ a }", 0, {0}, 0,
    "table \"inline:{ a }\": expected key=value, found \"a\""},
    {"inline:{ =v }", 0, {0}, 0,
    "table \"inline:{ =v }\": empty key or value in \"=v\""},
    {"inline:{ k= }", 0, {0}, 0,
    "table \"inline:{ k= }\": empty key or value in \"k=\""},
    {"inline:{ { k = v }", 0, {0}, 0,
    "table \"inline:{ { k = v }\": missing \"}\""},
    {"inline:{ a=b } }", 0, {0}, 0,
    "table \"inline:{ a=b } }\": unexpected \"}\""},
    {"inline:{ a=b{ }", 0, {0}, 0,
    "table \"inline:{ a=b{ }\": unexpected \"{\""},
};

static void test_inline(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *out = vstring_alloc(100);
    const struct inline_case *c;
    struct dict *dict;
    size_t  i;
    size_t  k;

    for (i = 0; i < sizeof(inline_cases) / sizeof(inline_cases[0]); i++) {
	c = inline_cases + i;
	vstring_reset(why);
	dict = dict_open(c->spec, DICT_MODE_READ, c->flags, why);
	if (c->want_error) {
	    if (dict != 0)
		fail_msg("case %zu \"%s\": opened, want \"%s\"", i, c->spec,
			 c->want_error);
	    if (strcmp(vstring_str(why), c->want_error) != 0)
		fail_msg("case %zu \"%s\": got \"%s\", want \"%s\"", i, c->spec,
			 vstring_str(why), c->want_error);
	    continue;
	}
	if (dict == 0)
	    fail_msg("case %zu \"%s\": %s", i, c->spec, vstring_str(why));
	assert_string_equal(dict_name(dict), c->spec);
	for (k = 0; k < 6 && c->keys[k]; k += 2)
	    expect(dict, c->keys[k], c->keys[k + 1]);
	if (c->walk) {
	    walk(dict, out);
	    if (strcmp(vstring_str(out), c->walk) != 0)
		fail_msg("case %zu \"%s\": walk \"%s\", want \"%s\"", i,
			 c->spec, vstring_str(out), c->walk);
	}
	assert_int_equal(dict_changed(dict), 0);
	dict_close(&dict);
    }
    vstring_free(&why);
    vstring_free(&out);
}

static void test_static(void **state)
{
    struct vstring *why = vstring_alloc(100);
    const char *value;
    struct dict *dict;

    dict = dict_open("static:OK", DICT_MODE_READ, DICT_FLAG_DEFAULT, why);
    assert_non_null(dict);
    expect(dict, "anything", "OK");
    expect(dict, "", "OK");
    assert_int_equal(dict_sequence(dict, DICT_SEQ_FIRST, &value, &value),
		     DICT_STAT_ERROR);
    assert_string_equal(dict_error(dict), "static:OK: static tables cannot"
			" be listed");
    dict_close(&dict);
    dict = dict_open("static:{ REJECT no, thanks }", DICT_MODE_READ, 0, why);
    assert_non_null(dict);
    expect(dict, "Key", "REJECT no, thanks");
    dict_close(&dict);
    assert_null(dict_open("static:", DICT_MODE_READ, 0, why));
    assert_string_equal(vstring_str(why), "table \"static:\": missing value");
    assert_null(dict_open("static:{ }", DICT_MODE_READ, 0, why));
    assert_string_equal(vstring_str(why), "table \"static:{ }\": missing value");
    assert_null(dict_open("static:{ x", DICT_MODE_READ, 0, why));
    assert_string_equal(vstring_str(why), "table \"static:{ x\": expected"
			" static:{ text }");
    vstring_free(&why);
}

static void test_unix(void **state)
{
    struct vstring *why = vstring_alloc(100);
    const char *value;
    struct dict *dict;

    dict = dict_open("unix:passwd.byname", DICT_MODE_READ, 0, why);
    assert_non_null(dict);
    assert_int_equal(dict_lookup(dict, "root", &value), DICT_STAT_FOUND);
    assert_true(strncmp(value, "root:*:0:0:", 11) == 0);
    /* Keys no user name can be: not found, without asking NSS. */
    assert_int_equal(dict_lookup(dict, "root@localhost", &value),
		     DICT_STAT_NOTFOUND);
    assert_int_equal(dict_lookup(dict, "ro ot", &value), DICT_STAT_NOTFOUND);
    assert_int_equal(dict_lookup(dict, "root:x", &value), DICT_STAT_NOTFOUND);
    assert_int_equal(dict_lookup(dict, "", &value), DICT_STAT_NOTFOUND);
    assert_int_equal(dict_lookup(dict, "no-such-user-dromos-test", &value),
		     DICT_STAT_NOTFOUND);
    dict_close(&dict);
    dict = dict_open("unix:group.byname", DICT_MODE_READ, 0, why);
    assert_non_null(dict);
    assert_int_equal(dict_lookup(dict, "root", &value), DICT_STAT_FOUND);
    assert_int_equal(dict_lookup(dict, "root@localhost", &value),
		     DICT_STAT_NOTFOUND);
    dict_close(&dict);

    /*
     * No proxymap here (no private/proxymap below the working folder): a
     * real question fails, "user@domain" is answered without one.
     */
    dict = dict_open("proxy:unix:passwd.byname", DICT_MODE_READ, 0, why);
    assert_non_null(dict);
    assert_int_equal(dict_lookup(dict, "root@localhost", &value),
		     DICT_STAT_NOTFOUND);
    assert_int_equal(dict_lookup(dict, "root", &value), DICT_STAT_ERROR);
    dict_close(&dict);
    vstring_free(&why);
}

static void test_open_errors(void **state)
{
    struct vstring *why = vstring_alloc(100);
    const char *value;
    struct dict *dict;

    assert_null(dict_open("nosuch:/x", DICT_MODE_READ, 0, why));
    assert_string_equal(vstring_str(why), "table \"nosuch:/x\": unknown table"
			" type \"nosuch\"");
    assert_null(dict_open("/etc/aliases", DICT_MODE_READ, 0, why));
    assert_string_equal(vstring_str(why), "table \"/etc/aliases\": expected"
			" type:name");
    assert_null(dict_open(":x", DICT_MODE_READ, 0, why));
    assert_string_equal(vstring_str(why), "table \":x\": expected type:name");
    assert_null(dict_open("hash:", DICT_MODE_READ, 0, why));
    assert_string_equal(vstring_str(why), "table \"hash:\": missing file name");
    assert_null(dict_open("texthash:/x", DICT_MODE_WRITE, 0, why));
    assert_string_equal(vstring_str(why), "table \"texthash:/x\": texthash"
			" tables cannot be written");
    assert_null(dict_open("inline:{a=b}", 7, 0, why));

    /* Read-only tables refuse updates. */
    dict = dict_open("inline:{a=b}", DICT_MODE_READ, 0, why);
    assert_int_equal(dict_update(dict, "a", "c"), DICT_STAT_ERROR);
    assert_string_equal(dict_error(dict), "inline:{a=b}: table is not open"
			" for writing");
    assert_int_equal(dict_delete(dict, "a"), DICT_STAT_ERROR);
    assert_int_equal(dict_sync(dict), 0);
    assert_int_equal(dict_sequence(dict, 5, &value, &value), DICT_STAT_ERROR);
    expect(dict, "a", "b");
    assert_string_equal(dict_error(dict), "");
    dict_close(&dict);

    assert_null(dict_open_text("hash", "x", "", 0, 0, why));
    assert_string_equal(vstring_str(why), "hash: not a text table type");
    vstring_free(&why);
}

static void test_types(void **state)
{
    assert_true(dict_type_is_file("hash"));
    assert_true(dict_type_is_file("btree"));
    assert_true(dict_type_is_file("lmdb"));
    assert_false(dict_type_is_file("texthash"));
    assert_false(dict_type_is_file("cidr"));
    assert_false(dict_type_is_file("inline"));
    assert_false(dict_type_is_file("nosuch"));
    assert_string_equal(dict_file_suffix("hash"), ".db");
    assert_string_equal(dict_file_suffix("btree"), ".db");
    assert_string_equal(dict_file_suffix("lmdb"), ".lmdb");
    assert_string_equal(dict_file_suffix("regexp"), "");
    assert_null(dict_file_suffix("static"));
    assert_null(dict_file_suffix("nosuch"));
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_thash),
	cmocka_unit_test(test_thash_malformed),
	cmocka_unit_test(test_thash_file_changed),
	cmocka_unit_test(test_inline),
	cmocka_unit_test(test_static),
	cmocka_unit_test(test_unix),
	cmocka_unit_test(test_open_errors),
	cmocka_unit_test(test_types),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
