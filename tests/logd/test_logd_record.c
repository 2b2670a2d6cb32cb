/*++
/* NAME
/*	test_logd_record 1
/* SUMMARY
/*	unit tests for the log service's record handling
/* SYNOPSIS
/*	./test_logd_record
/* DESCRIPTION
/*	Table-driven tests of logd_record_clean() (one datagram into one
/*	line) and logd_record_write() (append to a file, report errors).
/* DIAGNOSTICS
/*	cmocka's report.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mymalloc.h>
#include <vstring.h>

#include "logd.h"

struct clean_case {
    const char *in;
    size_t  inlen;
    const char *want;			/* NULL: dropped */
};

#define S(s)	s, sizeof(s) - 1

static const struct clean_case clean_cases[] = {
    {S("Jan 01 00:00:00 host dromos/smtpd[1]: hello"),
    "Jan 01 00:00:00 host dromos/smtpd[1]: hello\n"},
    {S("hello\n"), "hello\n"},
    {S("hello\r\n"), "hello\n"},
    {S("hello\n\n\n"), "hello\n"},
    {S("a\nb"), "a?b\n"},
    {S("a\nJan 01 00:00:00 host dromos/forged[1]: x\n"),
    "a?Jan 01 00:00:00 host dromos/forged[1]: x\n"},
    {S("a\tb\001c\177d\033e"), "a?b?c?d?e\n"},
    {S("a\0b"), "a?b\n"},
    {S("trailing nul\0"), "trailing nul\n"},
    {S("caf\xc3\xa9"), "caf\xc3\xa9\n"},
    {S(""), 0},
    {S("\n"), 0},
    {S("\r\n\0"), 0},
};

static void test_clean_table(void **state)
{
    struct vstring *out = vstring_alloc(10);
    size_t  i;
    size_t  n;

    for (i = 0; i < sizeof(clean_cases) / sizeof(clean_cases[0]); i++) {
	const struct clean_case *c = clean_cases + i;

	n = logd_record_clean(out, c->in, c->inlen);
	if (c->want == 0) {
	    if (n != 0)
		fail_msg("case %zu: want dropped, got \"%s\"", i, vstring_str(out));
	    continue;
	}
	if (n != strlen(c->want) || strcmp(vstring_str(out), c->want) != 0)
	    fail_msg("case %zu: want \"%s\", got \"%s\" (len %zu)", i, c->want,
		     vstring_str(out), n);
    }
    vstring_free(&out);
}

static void test_clean_long(void **state)
{
    struct vstring *out = vstring_alloc(10);
    char   *big = mymalloc(LOGD_RECORD_MAX + 100);
    size_t  n;

    memset(big, 'x', LOGD_RECORD_MAX + 100);

    /* Exactly the limit: kept whole. */
    n = logd_record_clean(out, big, LOGD_RECORD_MAX);
    assert_int_equal(n, LOGD_RECORD_MAX + 1);
    assert_int_equal(vstring_str(out)[LOGD_RECORD_MAX], '\n');

    /* Over the limit: cut and marked. */
    n = logd_record_clean(out, big, LOGD_RECORD_MAX + 100);
    assert_int_equal(n, LOGD_RECORD_MAX + 4);
    assert_memory_equal(vstring_str(out) + LOGD_RECORD_MAX, "...\n", 4);
    assert_null(memchr(vstring_str(out), '\n', LOGD_RECORD_MAX + 3));

    /* A trailing newline just past the limit does not count. */
    big[LOGD_RECORD_MAX] = '\n';
    n = logd_record_clean(out, big, LOGD_RECORD_MAX + 1);
    assert_int_equal(n, LOGD_RECORD_MAX + 1);
    myfree(big);
    vstring_free(&out);
}

static void test_write_appends(void **state)
{
    char    path[] = "/tmp/test_logd_record.XXXXXX";
    struct vstring *scratch = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    char    buf[200];
    ssize_t n;
    int     fd;

    assert_true((fd = mkstemp(path)) >= 0);
    close(fd);
    assert_true((fd = open(path, O_WRONLY | O_APPEND)) >= 0);
    assert_int_equal(logd_record_write(fd, S("one\n"), scratch, why), 0);
    assert_int_equal(logd_record_write(fd, S(""), scratch, why), 0);
    assert_int_equal(logd_record_write(fd, S("two\nlines"), scratch, why), 0);
    assert_int_equal(logd_record_write(fd, S("three"), scratch, why), 0);
    close(fd);
    assert_true((fd = open(path, O_RDONLY)) >= 0);
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    unlink(path);
    assert_true(n >= 0);
    buf[n] = 0;
    assert_string_equal(buf, "one\ntwo?lines\nthree\n");
    vstring_free(&scratch);
    vstring_free(&why);
}

static void test_write_error(void **state)
{
    struct vstring *scratch = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    int     fd;

    assert_true((fd = open("/dev/null", O_RDONLY)) >= 0);
    assert_int_equal(logd_record_write(fd, S("lost"), scratch, why), -1);
    assert_non_null(strstr(vstring_str(why), "write: "));
    close(fd);
    /* An empty record is not written, so it cannot fail. */
    assert_int_equal(logd_record_write(-1, S("\n"), scratch, why), 0);
    vstring_free(&scratch);
    vstring_free(&why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_clean_table),
	cmocka_unit_test(test_clean_long),
	cmocka_unit_test(test_write_appends),
	cmocka_unit_test(test_write_error),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
