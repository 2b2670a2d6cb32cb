/*++
/* NAME
/*	test_attr 1
/* SUMMARY
/*	unit tests for attr (the attribute protocol)
/* SYNOPSIS
/*	./test_attr
/* DESCRIPTION
/*	The wire format; round trip of strings, integers (including the
/*	extremes) and binary data; strict mode with a missing and with an
/*	extra attribute (the stream stays in step for the next message);
/*	lenient mode skipping unknown attributes and leaving missing ones
/*	alone; a value over the limit; a message truncated at every byte
/*	offset; bad names (upper case, too long); bad integers; a NUL in
/*	a string; a repeated name; attr_scan_any() (replacing an earlier
/*	message's table, its limit); the protocol handshake (match, wrong
/*	name, wrong version, garbage).
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <htable.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>
#include <attr.h>
#include "testqueue.h"

/* printed - run attr_print into a memfd and return the bytes */

static struct vstring *printed(void)
{
    struct vstring *out = vstring_alloc(100);
    int     fd = tq_file("", 0);
    struct vstream *s = vstream_fdopen(fd, 0);
    char    chunk[4096];
    ssize_t n;

    assert_int_equal(attr_print(s, ATTR_FLAG_MORE,
				ATTR_TYPE_STR, "name", "value",
				ATTR_TYPE_INT, "num", -12L,
				ATTR_TYPE_DATA, "bin", "a\0b", (size_t) 3,
				ATTR_TYPE_END), 0);
    assert_int_equal(attr_print(s, ATTR_FLAG_NONE,
				ATTR_TYPE_STR, "min", "",
				ATTR_TYPE_INT, "max", LONG_MAX,
				ATTR_TYPE_INT, "lmin", LONG_MIN,
				ATTR_TYPE_END), 0);
    assert_int_equal(vstream_close(&s), 0);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
	vstring_append(out, chunk, (size_t) n);
    close(fd);
    return (out);
}

static void test_wire_format(void **state)
{
    struct vstring *out = printed();
    struct vstring *want = vstring_alloc(100);

    tq_attr(want, "name", "value", 5);
    tq_attr(want, "num", "-12", 3);
    tq_attr(want, "bin", "a\0b", 3);
    tq_attr_end(want);
    assert_true(vstring_len(out) > vstring_len(want));
    assert_memory_equal(vstring_str(out), vstring_str(want), vstring_len(want));
    vstring_free(&out);
    vstring_free(&want);
}

static void test_round_trip(void **state)
{
    struct vstring *out = printed();
    struct vstream *s = tq_stream(vstring_str(out), vstring_len(out));
    struct vstring *str = vstring_alloc(10);
    struct vstring *bin = vstring_alloc(10);
    long    num = 0;
    long    max = 0;
    long    lmin = 0;

    /* Order differs from the sender's: names are matched. */
    assert_int_equal(attr_scan(s, ATTR_FLAG_STRICT,
			       ATTR_TYPE_DATA, "bin", bin,
			       ATTR_TYPE_INT, "num", &num,
			       ATTR_TYPE_STR, "name", str,
			       ATTR_TYPE_END), 3);
    assert_string_equal(vstring_str(str), "value");
    assert_int_equal(num, -12);
    assert_int_equal(vstring_len(bin), 3);
    assert_memory_equal(vstring_str(bin), "a\0b", 3);
    assert_int_equal(attr_scan(s, ATTR_FLAG_STRICT,
			       ATTR_TYPE_STR, "min", str,
			       ATTR_TYPE_INT, "max", &max,
			       ATTR_TYPE_INT, "lmin", &lmin,
			       ATTR_TYPE_END), 3);
    assert_string_equal(vstring_str(str), "");
    assert_true(max == LONG_MAX);
    assert_true(lmin == LONG_MIN);
    assert_int_equal(attr_scan(s, ATTR_FLAG_NONE, ATTR_TYPE_END), -1);
    assert_string_equal(attr_error(),
	     "unexpected end of input while reading attribute name length");
    vstream_close(&s);
    vstring_free(&out);
    vstring_free(&str);
    vstring_free(&bin);
}

static void test_strict_missing(void **state)
{
    struct vstring *msg = vstring_alloc(100);
    struct vstring *str = vstring_alloc(10);
    struct vstream *s;
    long    num = 7;

    tq_attr(msg, "name", "x", 1);
    tq_attr_end(msg);
    tq_attr(msg, "name", "y", 1);
    tq_attr_end(msg);
    s = tq_stream(vstring_str(msg), vstring_len(msg));
    assert_int_equal(attr_scan(s, ATTR_FLAG_STRICT,
			       ATTR_TYPE_STR, "name", str,
			       ATTR_TYPE_INT, "num", &num,
			       ATTR_TYPE_END), -1);
    assert_string_equal(attr_error(), "missing attribute \"num\"");
    /* Lenient: the missing one is left alone. */
    assert_int_equal(attr_scan(s, ATTR_FLAG_NONE,
			       ATTR_TYPE_STR, "name", str,
			       ATTR_TYPE_INT, "num", &num,
			       ATTR_TYPE_END), 1);
    assert_string_equal(vstring_str(str), "y");
    assert_int_equal(num, 7);
    vstream_close(&s);
    vstring_free(&msg);
    vstring_free(&str);
}

static void test_strict_extra_and_lenient_skip(void **state)
{
    struct vstring *msg = vstring_alloc(100);
    struct vstring *str = vstring_alloc(10);
    struct vstream *s;

    tq_attr(msg, "new_thing", "zzz", 3);
    tq_attr(msg, "name", "x", 1);
    tq_attr_end(msg);
    tq_attr(msg, "name", "y", 1);
    tq_attr(msg, "new_thing", "zzz", 3);
    tq_attr_end(msg);
    tq_attr(msg, "name", "z", 1);
    tq_attr_end(msg);
    s = tq_stream(vstring_str(msg), vstring_len(msg));
    assert_int_equal(attr_scan(s, ATTR_FLAG_STRICT,
			       ATTR_TYPE_STR, "name", str,
			       ATTR_TYPE_END), -1);
    assert_string_equal(attr_error(), "unexpected attribute \"new_thing\"");
    /* The rest of that message was consumed: the next one reads fine. */
    assert_int_equal(attr_scan(s, ATTR_FLAG_NONE,
			       ATTR_TYPE_STR, "name", str,
			       ATTR_TYPE_END), 1);
    assert_string_equal(vstring_str(str), "y");
    assert_int_equal(attr_scan(s, ATTR_FLAG_STRICT,
			       ATTR_TYPE_STR, "name", str,
			       ATTR_TYPE_END), 1);
    assert_string_equal(vstring_str(str), "z");
    vstream_close(&s);
    vstring_free(&msg);
    vstring_free(&str);
}

static void free_vstring(void *ptr)
{
    struct vstring *vs = ptr;

    vstring_free(&vs);
}

static void test_value_too_long(void **state)
{
    struct vstring *msg = vstring_alloc(100);
    struct vstring *str = vstring_alloc(10);
    struct htable *table = htable_create(10);
    struct vstream *s;
    static const char hdr[] = "\0\0\0\1v\0\20\0\1";	/* 1 MB + 1 */

    vstring_append(msg, hdr, sizeof(hdr) - 1);
    s = tq_stream(vstring_str(msg), vstring_len(msg));
    assert_int_equal(attr_scan(s, ATTR_FLAG_NONE, ATTR_TYPE_STR, "v", str,
			       ATTR_TYPE_END), -1);
    assert_string_equal(attr_error(),
		 "attribute \"v\": value too long (1048577 > 1048576 bytes)");
    vstream_close(&s);

    vstring_reset(msg);
    tq_attr(msg, "v", "12345", 5);
    tq_attr_end(msg);
    s = tq_stream(vstring_str(msg), vstring_len(msg));
    assert_int_equal(attr_scan_any(s, 4, table), -1);
    assert_string_equal(attr_error(),
			"attribute \"v\": value too long (5 > 4 bytes)");
    vstream_close(&s);
    s = tq_stream(vstring_str(msg), vstring_len(msg));
    assert_int_equal(attr_scan_any(s, 5, table), 1);
    assert_string_equal(vstring_str((struct vstring *) htable_find(table, "v")),
			"12345");
    vstream_close(&s);
    htable_free(&table, free_vstring);
    vstring_free(&msg);
    vstring_free(&str);
}

static void test_truncated_everywhere(void **state)
{
    struct vstring *msg = vstring_alloc(100);
    struct vstring *str = vstring_alloc(10);
    struct vstream *s;
    long    num;
    size_t  cut;

    tq_attr(msg, "name", "value", 5);
    tq_attr(msg, "num", "42", 2);
    tq_attr_end(msg);
    for (cut = 0; cut < vstring_len(msg); cut++) {
	s = tq_stream(vstring_str(msg), cut);
	if (attr_scan(s, ATTR_FLAG_NONE,
		      ATTR_TYPE_STR, "name", str,
		      ATTR_TYPE_INT, "num", &num,
		      ATTR_TYPE_END) != -1)
	    fail_msg("cut at %zu: expected -1", cut);
	if (strstr(attr_error(), "unexpected end of input") == 0)
	    fail_msg("cut at %zu: reason \"%s\"", cut, attr_error());
	vstream_close(&s);
    }
    s = tq_stream(vstring_str(msg), vstring_len(msg));
    assert_int_equal(attr_scan(s, ATTR_FLAG_STRICT,
			       ATTR_TYPE_STR, "name", str,
			       ATTR_TYPE_INT, "num", &num,
			       ATTR_TYPE_END), 2);
    vstream_close(&s);
    vstring_free(&msg);
    vstring_free(&str);
}

static void expect_scan_error(const struct vstring *msg, const char *reason)
{
    struct vstring *str = vstring_alloc(10);
    struct vstream *s = tq_stream(vstring_str(msg), vstring_len(msg));
    long    num;

    assert_int_equal(attr_scan(s, ATTR_FLAG_NONE,
			       ATTR_TYPE_STR, "name", str,
			       ATTR_TYPE_INT, "num", &num,
			       ATTR_TYPE_END), -1);
    assert_string_equal(attr_error(), reason);
    vstream_close(&s);
    vstring_free(&str);
}

static void test_bad_input(void **state)
{
    static const struct {
	const char *name;
	const char *value;
	size_t  vlen;
	const char *reason;
    }       cases[] = {
	{"Name", "x", 1, "bad attribute name"},
	{"na-me", "x", 1, "bad attribute name"},
	{"n\1", "x", 1, "bad attribute name"},
	{"num", "", 0, "attribute \"num\": bad integer value"},
	{"num", "-", 1, "attribute \"num\": bad integer value"},
	{"num", "12a", 3, "attribute \"num\": bad integer value"},
	{"num", " 12", 3, "attribute \"num\": bad integer value"},
	{"num", "+12", 3, "attribute \"num\": bad integer value"},
	{"num", "9223372036854775808", 19, "attribute \"num\": bad integer value"},
	{"num", "-9223372036854775809", 20, "attribute \"num\": bad integer value"},
	{"name", "a\0b", 3, "attribute \"name\": NUL byte in string value"},
    };
    struct vstring *msg = vstring_alloc(100);
    char    longname[ATTR_NAME_MAX + 2];
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	vstring_reset(msg);
	tq_attr(msg, cases[i].name, cases[i].value, cases[i].vlen);
	tq_attr_end(msg);
	expect_scan_error(msg, cases[i].reason);
    }
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = 0;
    vstring_reset(msg);
    tq_attr(msg, longname, "x", 1);
    tq_attr_end(msg);
    expect_scan_error(msg, "attribute name too long (65 bytes)");
    longname[ATTR_NAME_MAX] = 0;		/* 64 is fine */
    vstring_reset(msg);
    tq_attr(msg, longname, "x", 1);
    tq_attr(msg, "name", "v", 1);
    tq_attr(msg, "name", "w", 1);
    tq_attr_end(msg);
    expect_scan_error(msg, "attribute \"name\" appears twice");
    vstring_free(&msg);
}

static void test_scan_any(void **state)
{
    struct vstring *msg = vstring_alloc(100);
    struct htable *table = htable_create(10);
    struct vstream *s;
    struct vstring *vs;

    tq_attr(msg, ATTR_REQUEST, "first", 5);
    tq_attr(msg, "old", "1", 1);
    tq_attr_end(msg);
    tq_attr(msg, ATTR_REQUEST, "second", 6);
    tq_attr(msg, "data", "\0\1", 2);
    tq_attr_end(msg);
    tq_attr(msg, "x", "1", 1);
    tq_attr(msg, "x", "2", 1);
    tq_attr_end(msg);
    tq_attr_end(msg);
    s = tq_stream(vstring_str(msg), vstring_len(msg));
    assert_int_equal(attr_scan_any(s, ATTR_VALUE_MAX, table), 2);
    assert_string_equal(vstring_str((struct vstring *)
				    htable_find(table, ATTR_REQUEST)), "first");
    assert_int_equal(attr_scan_any(s, ATTR_VALUE_MAX, table), 2);
    assert_string_equal(vstring_str((struct vstring *)
				    htable_find(table, ATTR_REQUEST)), "second");
    assert_null(htable_find(table, "old"));
    vs = htable_find(table, "data");
    assert_int_equal(vstring_len(vs), 2);
    assert_memory_equal(vstring_str(vs), "\0\1", 2);
    assert_int_equal(attr_scan_any(s, ATTR_VALUE_MAX, table), -1);
    assert_string_equal(attr_error(), "attribute \"x\" appears twice");
    /* The duplicate's message is broken; a fresh empty message: */
    vstream_close(&s);
    s = tq_stream("\0\0\0\0", 4);
    assert_int_equal(attr_scan_any(s, ATTR_VALUE_MAX, table), 0);
    assert_int_equal(table->used, 0);
    vstream_close(&s);
    htable_free(&table, free_vstring);
    vstring_free(&msg);
}

static void test_handshake(void **state)
{
    struct vstring *msg = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstream *s;
    int     sv[2];

    assert_int_equal(pipe(sv), 0);
    s = vstream_fdopen(sv[1], VSTREAM_FLAG_CLOSE);
    assert_int_equal(attr_send_protocol(s, "deliver", 1), 0);
    vstream_close(&s);
    s = vstream_fdopen(sv[0], VSTREAM_FLAG_CLOSE);
    assert_int_equal(attr_expect_protocol(s, "deliver", 1, why), 0);
    vstream_close(&s);

    tq_attr(msg, ATTR_PROTOCOL, "cleanup", 7);
    tq_attr(msg, ATTR_VERSION, "1", 1);
    tq_attr_end(msg);
    s = tq_stream(vstring_str(msg), vstring_len(msg));
    assert_int_equal(attr_expect_protocol(s, "deliver", 1, why), -1);
    assert_string_equal(vstring_str(why),
			"protocol mismatch: expected \"deliver\", got \"cleanup\"");
    vstream_close(&s);

    vstring_reset(msg);
    tq_attr(msg, ATTR_PROTOCOL, "deliver", 7);
    tq_attr(msg, ATTR_VERSION, "2", 1);
    tq_attr_end(msg);
    s = tq_stream(vstring_str(msg), vstring_len(msg));
    assert_int_equal(attr_expect_protocol(s, "deliver", 1, why), -1);
    assert_string_equal(vstring_str(why),
			"protocol \"deliver\": expected version 1, got 2");
    vstream_close(&s);

    s = tq_stream("220 smtp.example.com ESMTP\r\n", 28);
    assert_int_equal(attr_expect_protocol(s, "deliver", 1, why), -1);
    assert_non_null(strstr(vstring_str(why), "protocol \"deliver\" handshake: "));
    vstream_close(&s);
    vstring_free(&msg);
    vstring_free(&why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_wire_format),
	cmocka_unit_test(test_round_trip),
	cmocka_unit_test(test_strict_missing),
	cmocka_unit_test(test_strict_extra_and_lenient_skip),
	cmocka_unit_test(test_value_too_long),
	cmocka_unit_test(test_truncated_everywhere),
	cmocka_unit_test(test_bad_input),
	cmocka_unit_test(test_scan_any),
	cmocka_unit_test(test_handshake),
    };

    return (cmocka_run_group_tests(tests, NULL, NULL));
}
