/*++
/* NAME
/*	test_bounce_notice 1
/* SUMMARY
/*	unit tests for the bounce daemon's notice composer
/* SYNOPSIS
/*	test_bounce_notice
/* DESCRIPTION
/*	cmocka tests of bounce_notice.c: the MIME structure and the
/*	delivery-status fields of each kind of notice, which log entries
/*	each kind reports, and that text from logs and remote hosts
/*	cannot add header lines (control characters become "?", long
/*	fields are folded, words too long for a line are split).
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <vstring.h>

#include "bounce.h"

#define CONTENT	"Subject: hello\nFrom: a@b.test\n\nbody line\n"

static struct dsn_entry entries[] = {
    {"u1@x.test", "", "rfc822;U1@X.test", 0, "failed", "5.1.1",
	"unknown user: \"u1\"", "", "", 1795838400},
    {"u2@x.test", "list@x.test", "", 0, "delivered", "2.0.0",
	"delivered to maildir", "", "", 1795838400},
    {"u3@y.test", "", "", 0, "failed", "5.7.1",
	"host mx.y.test said: 550 5.7.1 no", "mx.y.test",
	"smtp; 550 5.7.1 no", 1795838400},
};

static void setup_notice(struct bounce_notice *n, int type)
{
    memset(n, 0, sizeof(*n));
    n->type = type;
    n->queue_id = "0123456789ABCDEF0";
    n->hostname = "mx.example.test";
    n->sender = "alice@example.test";
    n->to = "alice@example.test";
    n->from = "MAILER-DAEMON@mx.example.test";
    n->arrival = 1795838000;
    n->now = 1795838400;
    n->give_up = 1795838000 + 5 * 86400;
    n->entries = entries;
    n->count = 3;
    n->content = CONTENT;
    n->content_len = strlen(CONTENT);
}

static int count_lines_starting(const char *text, const char *prefix)
{
    const char *cp = text;
    int     n = 0;

    for (;;) {
	if (strncmp(cp, prefix, strlen(prefix)) == 0)
	    n++;
	if ((cp = strchr(cp, '\n')) == 0)
	    return (n);
	cp++;
    }
}

static void test_failure_notice(void **unused)
{
    struct vstring *buf = vstring_alloc(1000);
    struct bounce_notice n;
    const char *s;

    setenv("TZ", "UTC", 1);
    tzset();
    setup_notice(&n, BOUNCE_TYPE_FAILURE);
    bounce_notice_compose(buf, &n);
    s = vstring_str(buf);
    assert_non_null(strstr(s, "From: Mail Delivery System "
			   "<MAILER-DAEMON@mx.example.test>\n"));
    assert_non_null(strstr(s, "To: <alice@example.test>\n"));
    assert_non_null(strstr(s, "Subject: Undelivered Mail Returned to Sender\n"));
    assert_non_null(strstr(s, "Date: Sat, 28 Nov 2026 04:00:00 +0000"));
    assert_non_null(strstr(s, "Auto-Submitted: auto-replied\n"));
    assert_non_null(strstr(s, "Content-Type: multipart/report; "
			   "report-type=delivery-status;\n\tboundary=\""
			   "0123456789ABCDEF0.1795838000/mx.example.test\"\n"));
    assert_int_equal(count_lines_starting(s, "--0123456789ABCDEF0."), 4);
    assert_non_null(strstr(s, "\n--0123456789ABCDEF0.1795838000/"
			   "mx.example.test--\n"));
    assert_non_null(strstr(s, "Reporting-MTA: dns; mx.example.test\n"));
    assert_non_null(strstr(s, "Arrival-Date: Sat, 28 Nov 2026 03:53:20"));
    assert_null(strstr(s, "Original-Envelope-Id"));
    assert_non_null(strstr(s, "\nFinal-Recipient: rfc822; u1@x.test\n"
			   "Original-Recipient: rfc822;U1@X.test\n"
			   "Action: failed\nStatus: 5.1.1\n"
			   "Diagnostic-Code: X-Dromos; unknown user: \"u1\"\n"
			   "Last-Attempt-Date: Sat, 28 Nov 2026 04:00:00"));
    assert_non_null(strstr(s, "Action: delivered\nStatus: 2.0.0\n"));
    assert_non_null(strstr(s, "Remote-MTA: dns; mx.y.test\n"
			   "Diagnostic-Code: smtp; 550 5.7.1 no\n"));
    /* The text part: failures first, the delivered one after. */
    assert_non_null(strstr(s, "<u1@x.test>: unknown user: \"u1\"\n"));
    assert_true(strstr(s, "<u3@y.test>") < strstr(s, "delivered to these"));
    assert_non_null(strstr(s, "<u2@x.test> (expanded from <list@x.test>)"));
    /* The whole message. */
    assert_non_null(strstr(s, "Content-Type: message/rfc822\n\n" CONTENT
			   "\n--0123456789ABCDEF0."));
    assert_null(strstr(s, "8bit"));
    vstring_free(&buf);
}

static void test_headers_only_and_envid(void **unused)
{
    struct vstring *buf = vstring_alloc(1000);
    struct bounce_notice n;

    setup_notice(&n, BOUNCE_TYPE_FAILURE);
    n.headers_only = 1;
    n.content = "Subject: hello\n\n";
    n.content_len = strlen(n.content);
    n.envid = "ENV-1";
    bounce_notice_compose(buf, &n);
    assert_non_null(strstr(vstring_str(buf), "Content-Description: "
			   "Undelivered Message Headers\n"
			   "Content-Type: text/rfc822-headers\n\n"
			   "Subject: hello\n\n"));
    assert_non_null(strstr(vstring_str(buf), "Original-Envelope-Id: ENV-1\n"));
    vstring_free(&buf);
}

static void test_delay_and_success(void **unused)
{
    struct vstring *buf = vstring_alloc(1000);
    struct bounce_notice n;
    struct dsn_entry delayed = {"u4@x.test", "", "", 0, "delayed", "4.4.1",
    "connection refused", "", "", 1795838400};

    setup_notice(&n, BOUNCE_TYPE_DELAY);
    n.entries = &delayed;
    n.count = 1;
    n.headers_only = 1;
    bounce_notice_compose(buf, &n);
    assert_non_null(strstr(vstring_str(buf),
			   "Subject: Delayed Mail (still being retried)\n"));
    assert_non_null(strstr(vstring_str(buf), "THIS IS A WARNING ONLY"));
    assert_non_null(strstr(vstring_str(buf), "Will-Retry-Until: Thu, 3 Dec "
			   "2026 03:53:20"));
    assert_non_null(strstr(vstring_str(buf), "Action: delayed\n"));
    assert_non_null(strstr(vstring_str(buf), "(120"));

    setup_notice(&n, BOUNCE_TYPE_SUCCESS);
    n.entries = entries + 1;
    n.count = 1;
    bounce_notice_compose(buf, &n);
    assert_string_equal(bounce_notice_subject(&n),
			"Successful Mail Delivery Report");
    assert_non_null(strstr(vstring_str(buf), "Content-Description: Message\n"));
    vstring_free(&buf);
}

static void test_entry_reported(void **unused)
{
    static const struct {
	int     type;
	const char *action;
	int     want;
    }       cases[] = {
	{BOUNCE_TYPE_FAILURE, "failed", 1},
	{BOUNCE_TYPE_FAILURE, "delivered", 1},
	{BOUNCE_TYPE_FAILURE, "relayed", 1},
	{BOUNCE_TYPE_FAILURE, "expanded", 1},
	{BOUNCE_TYPE_FAILURE, "delayed", 0},
	{BOUNCE_TYPE_SUCCESS, "failed", 0},
	{BOUNCE_TYPE_SUCCESS, "relayed", 1},
	{BOUNCE_TYPE_SUCCESS, "delayed", 0},
	{BOUNCE_TYPE_DELAY, "delayed", 1},
	{BOUNCE_TYPE_DELAY, "failed", 0},
	{BOUNCE_TYPE_DELAY, "unknown", 0},
    };
    struct dsn_entry e;
    size_t  i;

    memset(&e, 0, sizeof(e));
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	e.action = (char *) cases[i].action;
	if (bounce_notice_entry_reported(cases[i].type, &e) != cases[i].want)
	    fail_msg("case %zu: type %d action %s: want %d", i,
		     cases[i].type, cases[i].action, cases[i].want);
    }
}

static void test_no_injection(void **unused)
{
    struct vstring *buf = vstring_alloc(1000);
    struct bounce_notice n;
    struct dsn_entry evil = {"u5@x.test", "", "", 0, "failed", "5.0.0",
	"bad\nX-Injected: yes", "mx.\r\nevil", "smtp; 550 this reply is "
	"long enough to need folding because it goes on and on and on "
	"well past the seventy-eight columns of a header line\nX-Two: 1",
    1795838400};
    const char *s;
    const char *cp;
    const char *nl;

    setup_notice(&n, BOUNCE_TYPE_FAILURE);
    n.entries = &evil;
    n.count = 1;
    n.content = "Subject: \xc3\xa4\n\n\xc3\xa4\n";
    n.content_len = strlen(n.content);
    bounce_notice_compose(buf, &n);
    s = vstring_str(buf);
    assert_int_equal(count_lines_starting(s, "X-Injected"), 0);
    assert_int_equal(count_lines_starting(s, "X-Two"), 0);
    assert_int_equal(count_lines_starting(s, "evil"), 0);
    assert_non_null(strstr(s, "Remote-MTA: dns; mx.??evil\n"));
    assert_non_null(strstr(s, "Diagnostic-Code: smtp; 550 this reply"));
    /* Folded: no line of the notice's own text above 78 columns. */
    for (cp = s; (nl = strchr(cp, '\n')) != 0 && nl < strstr(s, "Content-Type: "
							 "message/rfc822"); cp = nl + 1)
	if (nl - cp > 78)
	    fail_msg("line too long: %.*s", (int) (nl - cp), cp);
    /* 8-bit content is labelled. */
    assert_non_null(strstr(s, "Content-Transfer-Encoding: 8bit\n\n"
			   "This is a MIME"));
    assert_non_null(strstr(s, "Content-Type: message/rfc822\n"
			   "Content-Transfer-Encoding: 8bit\n\n"));
    vstring_free(&buf);
}

static void test_long_word_split(void **unused)
{
    struct vstring *buf = vstring_alloc(1000);
    struct vstring *word = vstring_alloc(3000);
    struct bounce_notice n;
    struct dsn_entry e = {"u6@x.test", "", "", 0, "failed", "5.0.0",
    "", "", "", 1795838400};
    const char *cp;
    const char *nl;
    size_t  i;

    for (i = 0; i < 2500; i++)
	vstring_appendc(word, 'a' + i % 26);
    e.reason = vstring_str(word);
    setup_notice(&n, BOUNCE_TYPE_FAILURE);
    n.entries = &e;
    n.count = 1;
    bounce_notice_compose(buf, &n);
    for (cp = vstring_str(buf); (nl = strchr(cp, '\n')) != 0; cp = nl + 1)
	if (nl - cp > 998)
	    fail_msg("line of %ld bytes", (long) (nl - cp));
    vstring_free(&word);
    vstring_free(&buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_failure_notice),
	cmocka_unit_test(test_headers_only_and_envid),
	cmocka_unit_test(test_delay_and_success),
	cmocka_unit_test(test_entry_reported),
	cmocka_unit_test(test_no_injection),
	cmocka_unit_test(test_long_word_split),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
