/*++
/* NAME
/*	test_dsn_log 1
/* SUMMARY
/*	unit tests for dsn_log: what is written can always be read
/* SYNOPSIS
/*	./test_dsn_log
/* DESCRIPTION
/*	dsn_log_format() of ordinary entries parses back (dsn_log_parse())
/*	to the same values, escapes included. Over-long values are cut on
/*	write: a reason and a diag of 100 KiB (plain, and made of bytes
/*	that are escaped, which doubles them) come back as their first
/*	DSN_LOG_TEXT_MAX bytes, addresses as their first DSN_LOG_ADDR_MAX,
/*	and a line where every field is over-long still stays below
/*	DSN_LOG_LINE_MAX. The same through the file: dsn_log_append() in
/*	a temporary folder, then dsn_log_read(). A line longer than
/*	DSN_LOG_LINE_MAX is refused by the reader ("line too long").
/* DIAGNOSTICS
/*	cmocka's report.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <dsn.h>
#include <dsn_log.h>

#define BIG	(100 * 1024)

/* big_string - len bytes of pattern, repeated */

static char *big_string(const char *pattern, size_t len)
{
    char   *s = mymalloc(len + 1);
    size_t  plen = strlen(pattern);
    size_t  i;

    for (i = 0; i < len; i++)
	s[i] = pattern[i % plen];
    s[len] = 0;
    return (s);
}

/* parse_one - the line in buf must parse to exactly one entry */

static struct dsn_entry *parse_one(struct vstring *buf)
{
    struct dsn_entry *list;
    size_t  count;
    struct vstring *why = vstring_alloc(100);

    if (dsn_log_parse(vstring_str(buf), vstring_len(buf), &list, &count,
		      why) != 0)
	fail_msg("parse: %s", vstring_str(why));
    assert_int_equal(count, 1);
    vstring_free(&why);
    return (list);
}

static void test_round_trip(void **unused)
{
    struct dsn_entry e = {
	"bob@example.org", "Bob@Example.ORG", "rfc822;bob+x@example.org",
	DSN_NOTIFY_SUCCESS | DSN_NOTIFY_DELAY, "failed", "5.1.1",
	"unknown user: \\ tab\there, newline\nand cr\r", "mx.example.org",
	"smtp; 550 5.1.1 <bob@example.org>: no such user", 1764370000L,
    };
    struct vstring *buf = vstring_alloc(100);
    struct dsn_entry *got;

    dsn_log_format(buf, &e);
    assert_non_null(strchr(vstring_str(buf), '\n'));
    assert_ptr_equal(strchr(vstring_str(buf), '\n'), vstring_end(buf) - 1);
    got = parse_one(buf);
    assert_string_equal(got->rcpt, e.rcpt);
    assert_string_equal(got->orig, e.orig);
    assert_string_equal(got->orcpt, e.orcpt);
    assert_int_equal(got->notify, e.notify);
    assert_string_equal(got->action, e.action);
    assert_string_equal(got->status, e.status);
    assert_string_equal(got->reason, e.reason);
    assert_string_equal(got->mta, e.mta);
    assert_string_equal(got->diag, e.diag);
    assert_int_equal(got->time, e.time);
    dsn_log_free(got, 1);
    vstring_free(&buf);
}

static void test_long_reason_and_diag_cut(void **unused)
{
    static const char *patterns[] = {
	"The remote server said something long. ",
	"\\\t\n\r",			/* every byte escaped: twice as long */
    };
    struct dsn_entry e;
    struct vstring *buf = vstring_alloc(100);
    struct dsn_entry *got;
    char   *reason;
    char   *diag;
    size_t  i;

    for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
	reason = big_string(patterns[i], BIG);
	diag = big_string(patterns[i], BIG + 7);
	memset(&e, 0, sizeof(e));
	e.rcpt = "bob@example.org";
	e.action = "failed";
	e.status = "5.0.0";
	e.reason = reason;
	e.diag = diag;
	vstring_reset(buf);
	dsn_log_format(buf, &e);
	if (vstring_len(buf) > DSN_LOG_LINE_MAX)
	    fail_msg("pattern %zu: line of %zu bytes", i, vstring_len(buf));
	got = parse_one(buf);
	assert_int_equal(strlen(got->reason), DSN_LOG_TEXT_MAX);
	assert_int_equal(strlen(got->diag), DSN_LOG_TEXT_MAX);
	assert_memory_equal(got->reason, reason, DSN_LOG_TEXT_MAX);
	assert_memory_equal(got->diag, diag, DSN_LOG_TEXT_MAX);
	assert_string_equal(got->rcpt, "bob@example.org");
	dsn_log_free(got, 1);
	myfree(reason);
	myfree(diag);
    }
    vstring_free(&buf);
}

static void test_every_field_long(void **unused)
{
    char   *big = big_string("\\x\t", BIG);
    struct dsn_entry e = {big, big, big, DSN_NOTIFY_NEVER, big, big, big,
    big, big, 1};
    struct vstring *buf = vstring_alloc(100);
    struct dsn_entry *got;

    dsn_log_format(buf, &e);
    assert_true(vstring_len(buf) < DSN_LOG_LINE_MAX);
    got = parse_one(buf);
    assert_int_equal(strlen(got->rcpt), DSN_LOG_ADDR_MAX);
    assert_int_equal(strlen(got->orcpt), DSN_LOG_ADDR_MAX);
    assert_int_equal(strlen(got->status), DSN_LOG_WORD_MAX);
    assert_int_equal(strlen(got->mta), DSN_LOG_WORD_MAX);
    assert_int_equal(strlen(got->reason), DSN_LOG_TEXT_MAX);
    assert_memory_equal(got->rcpt, big, DSN_LOG_ADDR_MAX);
    assert_int_equal(got->notify, DSN_NOTIFY_NEVER);
    dsn_log_free(got, 1);
    vstring_free(&buf);
    myfree(big);
}

static void test_append_then_read(void **unused)
{
    char    dir[] = "/tmp/test_dsn_log.XXXXXX";
    const char *id = "0123456789ABCDEF";
    struct vstring *why = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct dsn_entry e;
    struct dsn_entry *list;
    size_t  count;
    char   *reason = big_string("0123456789", 3 * BIG);
    int     i;

    assert_non_null(mkdtemp(dir));
    memset(&e, 0, sizeof(e));
    e.rcpt = "bob@example.org";
    e.action = "delayed";
    e.status = "4.4.1";
    e.reason = reason;
    for (i = 0; i < 3; i++)
	if (dsn_log_append(dir, id, &e, why) != 0)
	    fail_msg("append: %s", vstring_str(why));
    if (dsn_log_read(dir, id, &list, &count, why) != 0)
	fail_msg("read: %s", vstring_str(why));
    assert_int_equal(count, 3);
    for (i = 0; i < 3; i++) {
	assert_int_equal(strlen(list[i].reason), DSN_LOG_TEXT_MAX);
	assert_string_equal(list[i].status, "4.4.1");
    }
    dsn_log_free(list, count);
    assert_int_equal(dsn_log_remove(dir, id, why), 0);
    vstring_sprintf(path, "%s/%c", dir, id[strlen(id) - 1]);
    assert_int_equal(rmdir(vstring_str(path)), 0);
    assert_int_equal(rmdir(dir), 0);
    myfree(reason);
    vstring_free(&why);
    vstring_free(&path);
}

static void test_reader_refuses_overlong_line(void **unused)
{
    char   *big = big_string("y", DSN_LOG_LINE_MAX);
    struct vstring *buf = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct dsn_entry *list;
    size_t  count;

    vstring_sprintf(buf, "rcpt=a\taction=failed\tstatus=5.0.0\treason=%s\n",
		    big);
    assert_int_equal(dsn_log_parse(vstring_str(buf), vstring_len(buf),
				   &list, &count, why), -1);
    assert_non_null(strstr(vstring_str(why), "line too long"));
    vstring_free(&buf);
    vstring_free(&why);
    myfree(big);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_round_trip),
	cmocka_unit_test(test_long_reason_and_diag_cut),
	cmocka_unit_test(test_every_field_long),
	cmocka_unit_test(test_append_then_read),
	cmocka_unit_test(test_reader_refuses_overlong_line),
    };

    msg_init("test_dsn_log");
    return (cmocka_run_group_tests(tests, 0, 0));
}
