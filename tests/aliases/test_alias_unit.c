/*++
/* NAME
/*	test_alias_unit 1
/* SUMMARY
/*	unit tests for alias_parse: splitting, item types, limits
/* SYNOPSIS
/*	./test_alias_unit
/* DESCRIPTION
/*	test_split: a table of values and the items alias_split() makes
/*	of them. test_item_type: alias_item_type() on each kind.
/*	test_lines: alias_lines_buf() joins continuation lines and
/*	numbers logical lines by their first physical line. test_long:
/*	a logical line over ALIAS_PARSE_LINE_MAX is skipped with one
/*	warning and the next entry still counts. test_missing_file: an
/*	unreadable file is -1 with a reason. test_no_newline: the last
/*	line without a newline is an entry.
/* DIAGNOSTICS
/*	cmocka's report.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <alias_parse.h>

#include "../global/test_capture.h"

 /*
  * Each case: a value, then its items joined with " | ".
  */
struct split_case {
    const char *value;
    const char *items;
};

static const struct split_case split_cases[] = {
    {"alice", "alice"},
    {"alice, bob", "alice | bob"},
    {"alice,bob,,carol", "alice | bob | carol"},
    {"  alice  ,  bob  ", "alice | bob"},
    {"alice bob\tcarol", "alice | bob | carol"},
    {"\"|cmd a, b\", alice", "|cmd a, b | alice"},
    {"|cmd a b, alice", "|cmd a b | alice"},
    {"|sh -c \"x, y\", alice", "|sh -c \"x, y\" | alice"},
    {"/var/mail/x y, alice", "/var/mail/x y | alice"},
    {":include:/etc/list, alice", ":include:/etc/list | alice"},
    {"\":include: /etc/a b\"", ":include: /etc/a b"},
    {"Alice Smith <alice@example.org>", "alice@example.org"},
    {"\"Smith, Alice\" <alice@example.org>, bob", "alice@example.org | bob"},
    {"< alice@example.org >", "alice@example.org"},
    {"<>", ""},
    {"\"\"", ""},
    {"\"joe\"", "joe"},
    {"\"a\\\"b\"", "a\"b"},
    {"\"joe smith\"@example.org", "\"joe smith\"@example.org"},
    {"\\alice, alice@example.org", "\\alice | alice@example.org"},
    {"\"unterminated, alice", "\"unterminated, alice"},
    {"", ""},
    {" , , ", ""},
    {0, 0},
};

static void test_split(void **state)
{
    const struct split_case *c;
    struct vstring *got = vstring_alloc(100);
    struct argv *items;
    size_t  i;

    for (c = split_cases; c->value; c++) {
	items = alias_split(c->value);
	vstring_reset(got);
	for (i = 0; i < items->argc; i++)
	    vstring_sprintf_append(got, "%s%s", i ? " | " : "",
				   items->argv[i]);
	if (strcmp(vstring_str(got), c->items) != 0) {
	    print_error("case %d: alias_split(\"%s\") = \"%s\", want \"%s\"\n",
			(int) (c - split_cases), c->value, vstring_str(got),
			c->items);
	    fail();
	}
	argv_free(&items);
    }
    vstring_free(&got);
}

static void test_item_type(void **state)
{
    const char *rest;

    assert_int_equal(alias_item_type("|/bin/x", &rest), ALIAS_ITEM_COMMAND);
    assert_string_equal(rest, "/bin/x");
    assert_int_equal(alias_item_type("/var/x", &rest), ALIAS_ITEM_FILE);
    assert_string_equal(rest, "/var/x");
    assert_int_equal(alias_item_type(":include:/etc/l", &rest),
		     ALIAS_ITEM_INCLUDE);
    assert_string_equal(rest, "/etc/l");
    assert_int_equal(alias_item_type(":Include:  /etc/l", &rest),
		     ALIAS_ITEM_INCLUDE);
    assert_string_equal(rest, "/etc/l");
    assert_int_equal(alias_item_type("bob@example.org", &rest),
		     ALIAS_ITEM_ADDRESS);
    assert_string_equal(rest, "bob@example.org");
    assert_int_equal(alias_item_type("\\bob", 0), ALIAS_ITEM_ADDRESS);
}

static void line_fn(void *ctx, const char *text, const char *file, int line)
{
    vstring_sprintf_append((struct vstring *) ctx, "%s:%d:[%s]\n", file,
			   line, text);
}

static void test_lines(void **state)
{
    static const char data[] = "\n# c\nalice, bob\n\tcarol\n\n  dave\n"
    "\"|cmd\"\n  # comment\n\tx\nlast";
    struct vstring *out = vstring_alloc(100);
    struct vstring *err = vstring_alloc(100);
    int     bad;

    capture_start();
    bad = alias_lines_buf(data, sizeof(data) - 1, "f", line_fn, (void *) out);
    capture_end(err);
    assert_int_equal(bad, 0);
    assert_string_equal(vstring_str(err), "");
    assert_string_equal(vstring_str(out), "f:3:[alice, bob carol dave]\n"
			"f:7:[\"|cmd\" x]\nf:10:[last]\n");
    vstring_free(&out);
    vstring_free(&err);
}

static void entry_fn(void *ctx, const char *name, const char *value,
		             const char *file, int line)
{
    vstring_sprintf_append((struct vstring *) ctx, "%d:%s=%.20s\n", line,
			   name, value);
}

static void test_long(void **state)
{
    struct vstring *data = vstring_alloc(100);
    struct vstring *out = vstring_alloc(100);
    struct vstring *err = vstring_alloc(100);
    char    xs[998];
    int     bad;
    int     i;

    memset(xs, 'x', sizeof(xs));
    vstring_strcpy(data, "big: a");
    /* Continuation lines of 1000 bytes until the limit is passed. */
    for (i = 0; i <= ALIAS_PARSE_LINE_MAX / 1000; i++) {
	vstring_appends(data, "\n ");
	vstring_append(data, xs, sizeof(xs));
	vstring_appends(data, ",");
    }
    vstring_appends(data, "\nsmall: bob\n");
    capture_start();
    bad = alias_parse_buf(vstring_str(data), vstring_len(data), "big.in",
			  entry_fn, (void *) out);
    capture_end(err);
    assert_int_equal(bad, 1);
    assert_non_null(strstr(vstring_str(err), "big.in, line 1: logical line "
			   "longer than 1048576 bytes: entry skipped"));
    assert_null(strstr(strstr(vstring_str(err), "skipped") + 1, "skipped"));
    vstring_sprintf(data, "%d:small=bob\n", ALIAS_PARSE_LINE_MAX / 1000 + 3);
    assert_string_equal(vstring_str(out), vstring_str(data));
    vstring_free(&data);
    vstring_free(&out);
    vstring_free(&err);
}

static void test_missing_file(void **state)
{
    struct vstring *why = vstring_alloc(100);

    assert_int_equal(alias_parse_file("/nonexistent/aliases", entry_fn, 0,
				      why), -1);
    assert_non_null(strstr(vstring_str(why), "/nonexistent/aliases"));
    vstring_free(&why);
}

static void test_no_newline(void **state)
{
    static const char data[] = "a: b\nc: d";
    struct vstring *out = vstring_alloc(100);

    assert_int_equal(alias_parse_buf(data, sizeof(data) - 1, "x", entry_fn,
				     (void *) out), 0);
    assert_string_equal(vstring_str(out), "1:a=b\n2:c=d\n");
    vstring_free(&out);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_split),
	cmocka_unit_test(test_item_type),
	cmocka_unit_test(test_lines),
	cmocka_unit_test(test_long),
	cmocka_unit_test(test_missing_file),
	cmocka_unit_test(test_no_newline),
    };

    msg_init("test_alias_unit");
    msg_stderr_init(1, 0);
    return (cmocka_run_group_tests(tests, 0, 0));
}
