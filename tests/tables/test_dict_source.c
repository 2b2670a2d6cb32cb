/*++
/* NAME
/*	test_dict_source 1
/* SUMMARY
/*	unit tests for dict_source: logical lines and key/value pairs
/* SYNOPSIS
/*	./test_dict_source
/* DESCRIPTION
/*	Table-driven cases feed a text to dict_source_buf() and compare
/*	what dict_source_get() (or dict_source_pair()) returns, one result
/*	per line "STATUS LINENO TEXT", with the expected transcript:
/*	comments, blank lines, continuation lines (also past comments),
/*	CRLF, a missing final newline, leading white space, NUL bytes,
/*	malformed pairs. Other tests cover over-long physical and logical
/*	lines, file and descriptor sources, and a missing file.
/* DIAGNOSTICS
/*	cmocka's report; a failing case names itself and both transcripts.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <unistd.h>

#include <mymalloc.h>
#include <vstring.h>

#include <dict_source.h>

#include "../global/test_capture.h"

struct source_case {
    const char *label;
    const char *text;
    size_t  len;			/* 0: strlen(text) */
    int     pairs;			/* use dict_source_pair() */
    const char *want;			/* transcript */
};

static const struct source_case cases[] = {
    {"one line", "a b\n", 0, 0, "OK 1 a b|EOF"},
    {"empty source", "", 0, 0, "EOF"},
    {"only comments", "# x\n\n   \n\t# y\n", 0, 0, "EOF"},
    {"comments and blanks skipped", "# c\n\n   \n  # indented\nk v\n", 0, 0,
    "OK 5 k v|EOF"},
    {"continuation", "k v\n  w\n\tx\n", 0, 0, "OK 1 k v w x|EOF"},
    {"continuation past comment", "k v\n# c\n\n  w\nz 1\n", 0, 0,
    "OK 1 k v w|OK 5 z 1|EOF"},
    {"continuation trims the joint", "k v  \n   w\n", 0, 0, "OK 1 k v w|EOF"},
    {"crlf", "k v\r\n  w\r\nz y\r\n", 0, 0, "OK 1 k v w|OK 3 z y|EOF"},
    {"no final newline", "k v", 0, 0, "OK 1 k v|EOF"},
    {"trailing blanks dropped", "k v \t \n", 0, 0, "OK 1 k v|EOF"},
    {"hash inside text", "k v#x # y\n", 0, 0, "OK 1 k v#x # y|EOF"},
    {"line numbers", "a 1\n\nb 2\n  c\nd 3\n", 0, 0,
    "OK 1 a 1|OK 3 b 2 c|OK 5 d 3|EOF"},
    {"leading white space first", "  x\nk v\n", 0, 0,
	"MALFORMED 1 src, line 1: a logical line must not start with white"
    " space|OK 2 k v|EOF"},
    {"nul byte", "a\0b c\nk v\n", 10, 0,
    "MALFORMED 1 src, line 1: NUL byte in line|OK 2 k v|EOF"},
    {"nul byte in continuation", "a b\n  c\0d\nk v\n", 14, 0,
    "MALFORMED 1 src, line 1: NUL byte in line|OK 3 k v|EOF"},
    {"pair", "key value\n", 0, 1, "OK 1 key=value|EOF"},
    {"pair with blanks in value", "key   multi word value  \n", 0, 1,
    "OK 1 key=multi word value|EOF"},
    {"pair with tab", "k\tv\n", 0, 1, "OK 1 k=v|EOF"},
    {"pair continued", "k a,\n  b\n", 0, 1, "OK 1 k=a, b|EOF"},
    {"pair without value", "novalue\nk v\n", 0, 1,
	"MALFORMED 1 src, line 1: expected format: key whitespace value"
    "|OK 2 k=v|EOF"},
    {"pair key then blanks only", "novalue   \n", 0, 1,
    "MALFORMED 1 src, line 1: expected format: key whitespace value|EOF"},
};

/* transcript - every result of a source */

static void transcript(struct dict_source *src, int pairs, struct vstring *out)
{
    struct vstring *line = vstring_alloc(100);
    struct vstring *value = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    int     status;
    int     n;

    vstring_reset(out);
    for (n = 0; n < 100; n++) {
	status = pairs ? dict_source_pair(src, line, value, why)
	    : dict_source_get(src, line, why);
	if (vstring_len(out))
	    vstring_appends(out, "|");
	if (status == DICT_SOURCE_EOF) {
	    vstring_appends(out, "EOF");
	    break;
	} else if (status == DICT_SOURCE_OK) {
	    vstring_sprintf_append(out, "OK %ld %s", dict_source_lineno(src),
				   vstring_str(line));
	    if (pairs)
		vstring_sprintf_append(out, "=%s", vstring_str(value));
	} else if (status == DICT_SOURCE_MALFORMED) {
	    vstring_sprintf_append(out, "MALFORMED %ld %s",
				   dict_source_lineno(src), vstring_str(why));
	} else {
	    vstring_sprintf_append(out, "ERROR %s", vstring_str(why));
	    break;
	}
    }
    vstring_free(&line);
    vstring_free(&value);
    vstring_free(&why);
}

static void test_cases(void **state)
{
    struct vstring *out = vstring_alloc(100);
    struct dict_source *src;
    const struct source_case *c;
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	c = cases + i;
	src = dict_source_buf("src", c->text, c->len ? c->len : strlen(c->text));
	transcript(src, c->pairs, out);
	if (strcmp(vstring_str(out), c->want) != 0)
	    fail_msg("case %zu \"%s\": got \"%s\", want \"%s\"", i, c->label,
		     vstring_str(out), c->want);
	assert_int_equal(dict_source_fd(src), -1);
	dict_source_close(&src);
	assert_null(src);
    }
    vstring_free(&out);
}

static void test_long_physical_line(void **state)
{
    size_t  len = DICT_SOURCE_LINE_MAX + 10;
    char   *text = mymalloc(len + 20);
    struct vstring *out = vstring_alloc(100);
    struct dict_source *src;

    memcpy(text, "k v\n", 4);
    memset(text + 4, 'a', len);
    memcpy(text + 4 + len, "\nz y\n", 5);
    src = dict_source_buf("big", text, len + 9);
    transcript(src, 0, out);
    assert_string_equal(vstring_str(out),
		    "OK 1 k v|ERROR big, line 2: line longer than 1048576 bytes");
    /* The source stays failed. */
    transcript(src, 0, out);
    assert_string_equal(vstring_str(out),
			"ERROR big, line 2: line longer than 1048576 bytes");
    dict_source_close(&src);
    myfree(text);
    vstring_free(&out);
}

static void test_long_logical_line(void **state)
{
    size_t  part = DICT_SOURCE_LINE_MAX / 2 + 10;
    char   *text = mymalloc(2 * part + 10);
    struct vstring *out = vstring_alloc(100);
    struct dict_source *src;

    memset(text, 'a', part);
    text[part] = '\n';
    text[part + 1] = ' ';
    memset(text + part + 2, 'b', part);
    text[2 * part + 2] = '\n';
    src = dict_source_buf("big", text, 2 * part + 3);
    transcript(src, 0, out);
    assert_string_equal(vstring_str(out),
	    "ERROR big, line 1: logical line longer than 1048576 bytes");
    dict_source_close(&src);
    myfree(text);
    vstring_free(&out);
}

static void test_file_source(void **state)
{
    struct vstring *dir = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstring *out = vstring_alloc(100);
    struct dict_source *src;
    const char *text = "# map\nk v\n  w\nx\n";

    test_tempdir(dir);
    vstring_sprintf(path, "%s/map", vstring_str(dir));
    test_write_file(vstring_str(path), text, strlen(text));
    src = dict_source_open(vstring_str(path), why);
    assert_non_null(src);
    assert_true(dict_source_fd(src) >= 0);
    assert_string_equal(dict_source_origin(src), vstring_str(path));
    transcript(src, 1, out);
    vstring_sprintf(why, "OK 2 k=v w|MALFORMED 4 %s, line 4: expected format:"
		    " key whitespace value|EOF", vstring_str(path));
    assert_string_equal(vstring_str(out), vstring_str(why));
    dict_source_close(&src);

    vstring_sprintf(path, "%s/missing", vstring_str(dir));
    assert_null(dict_source_open(vstring_str(path), why));
    vstring_sprintf(out, "open %s: No such file or directory", vstring_str(path));
    assert_string_equal(vstring_str(why), vstring_str(out));
    test_rmdir(vstring_str(dir));
    vstring_free(&dir);
    vstring_free(&path);
    vstring_free(&why);
    vstring_free(&out);
}

static void test_fd_source(void **state)
{
    struct vstring *out = vstring_alloc(100);
    struct dict_source *src;
    int     fds[2];

    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], "a 1\nb\n", 6), 6);
    close(fds[1]);
    src = dict_source_fdopen(fds[0], "stdin");
    transcript(src, 1, out);
    assert_string_equal(vstring_str(out), "OK 1 a=1|MALFORMED 2 stdin, line 2:"
			" expected format: key whitespace value|EOF");
    dict_source_close(&src);
    /* The caller's descriptor stays open. */
    assert_int_equal(close(fds[0]), 0);
    vstring_free(&out);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_cases),
	cmocka_unit_test(test_long_physical_line),
	cmocka_unit_test(test_long_logical_line),
	cmocka_unit_test(test_file_source),
	cmocka_unit_test(test_fd_source),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
