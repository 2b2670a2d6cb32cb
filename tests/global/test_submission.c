/*++
/* NAME
/*	test_submission 1
/* SUMMARY
/*	unit tests for the local submission helpers: addr_list,
/*	login_sender and the maildrop grammar
/* SYNOPSIS
/*	./test_submission
/* DESCRIPTION
/*	addr_list_parse() on the header forms real mail has: plain
/*	addresses, display names with and without quotes, comments,
/*	groups, routes, folding, and the broken forms it must refuse.
/*	login_sender_match() on each kind of list item, and a login's own
/*	name. maildrop_check_rec() on a good client stream and a good file,
/*	and on each rule that makes one bad.
/* DIAGNOSTICS
/*	cmocka's report.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <argv.h>
#include <vstring.h>

#include <addr_list.h>
#include <login_sender.h>
#include <mail_params.h>
#include <maildrop.h>
#include <rec.h>

/* parsed - the addresses of text, joined with "|", or "ERROR:" first */

static const char *parsed(const char *text)
{
    static struct vstring *buf;
    struct argv *a = argv_alloc(4);
    size_t  i;
    int     n;

    if (buf == 0)
	buf = vstring_alloc(100);
    n = addr_list_parse(a, text, strlen(text));
    vstring_strcpy(buf, n < 0 ? "ERROR:" : "");
    for (i = 0; i < a->argc; i++) {
	if (i)
	    vstring_appendc(buf, '|');
	vstring_appends(buf, a->argv[i]);
    }
    argv_free(&a);
    return (vstring_str(buf));
}

static void test_addr_list(void **unused)
{
    assert_string_equal(parsed(" a@b.example"), "a@b.example");
    assert_string_equal(parsed("a@b, c@d"), "a@b|c@d");
    assert_string_equal(parsed("Al Ice <al@x.example>, bob@y"),
			"al@x.example|bob@y");
    assert_string_equal(parsed("\"Doe, John\" <jd@x>"), "jd@x");
    assert_string_equal(parsed("(the boss (really)) boss@x (yes)"), "boss@x");
    assert_string_equal(parsed("team: a@x, b@y;, c@z"), "a@x|b@y|c@z");
    assert_string_equal(parsed("undisclosed-recipients:;"), "");
    assert_string_equal(parsed("<@relay.x,@r2.y:who@z>"), "who@z");
    assert_string_equal(parsed("a@b,\n\tc@d"), "a@b|c@d");
    assert_string_equal(parsed("\"quoted local\"@x"), "\"quoted local\"@x");
    assert_string_equal(parsed("first.last @ example.com"),
			"first.last@example.com");
    assert_string_equal(parsed("user@[192.0.2.1]"), "user@[192.0.2.1]");
    assert_string_equal(parsed("Just A Name"), "");
    assert_string_equal(parsed(""), "");
    assert_string_equal(parsed("a@b, <c@d"), "ERROR:a@b");
    assert_string_equal(parsed("\"unterminated <x@y>"), "ERROR:");
    assert_string_equal(parsed("(open comment x@y"), "ERROR:");
    assert_string_equal(parsed("a@b) c@d"), "ERROR:");
}

static void test_login_sender(void **unused)
{
    var_myorigin = "example.test";
    assert_true(login_sender_match("bob", "bob", ""));
    assert_true(login_sender_match("bob", "BOB@example.test", ""));
    assert_false(login_sender_match("bob", "bob@other.test", ""));
    assert_false(login_sender_match("bob", "", ""));
    assert_true(login_sender_match("bob", "", "<>"));
    assert_true(login_sender_match("bob", "anyone@any.test", "*"));
    assert_true(login_sender_match("bob", "x@lists.test", "@lists.test"));
    assert_false(login_sender_match("bob", "x@sub.lists.test",
				    "@lists.test"));
    assert_true(login_sender_match("bob", "news@example.test",
				   "owner, news"));
    assert_true(login_sender_match("bob", "Owner", "owner, news"));
    assert_false(login_sender_match("bob", "alice", "owner, news"));
    assert_true(login_sender_match("bob", "ann@x.test", "ann@x.test"));
    assert_false(login_sender_match("bob", "ann@x.test.evil", "ann@x.test"));
}

/* feed - records "T:data" one per string; the last status */

static int feed(int mode, const char *const *recs, struct vstring *why,
		        struct maildrop_check *c)
{
    int     status = MAILDROP_CHECK_MORE;

    maildrop_check_init(c, mode, 100);
    for (; *recs; recs++) {
	status = maildrop_check_rec(c, (*recs)[0], *recs + 2,
				    strlen(*recs + 2), why);
	if (status == MAILDROP_CHECK_ERROR)
	    break;
    }
    return (status);
}

static void test_maildrop(void **unused)
{
    struct vstring *why = vstring_alloc(100);
    struct maildrop_check c;
    static const char *const client[] = {"A:full_name=Al", "A:dsn_ret=HDRS",
    "S:al", "N:1 ", "R:bob@x", "R:carol", "M:", "C:hi\n", "X:", "E:", 0};
    static const char *const file[] = {"V:" MAILDROP_MAGIC_TEXT,
    "T:1795900000.000001", "A:uid=1000", "S:", "R:bob@x", "M:", "X:", "E:", 0};
    static const char *const uid_from_client[] = {"A:uid=0", 0};
    static const char *const no_rcpt[] = {"S:al", "M:", 0};
    static const char *const ctl[] = {"S:al", "R:b\tob", 0};
    static const char *const unknown[] = {"A:action_hold=x", 0};
    static const char *const twice[] = {"A:dsn_ret=FULL", "A:dsn_ret=HDRS", 0};
    static const char *const after[] = {"S:a", "R:b", "M:", "X:", "E:", "E:", 0};
    static const char *const dsn_alone[] = {"S:a", "N:1 ", "M:", 0};
    static const char *const big[] = {"S:a", "R:b", "M:",
	"C:0123456789012345678901234567890123456789012345678901234567890",
    "C:0123456789012345678901234567890123456789012345678901234567890", 0};

    assert_int_equal(feed(MAILDROP_FROM_CLIENT, client, why, &c),
		     MAILDROP_CHECK_DONE);
    assert_int_equal(c.rcpts, 2);
    assert_int_equal(c.uid, -1);
    assert_int_equal(feed(MAILDROP_FILE, file, why, &c), MAILDROP_CHECK_DONE);
    assert_int_equal(c.uid, 1000);
    assert_int_equal(feed(MAILDROP_FROM_CLIENT, file, why, &c),
		     MAILDROP_CHECK_ERROR);
    assert_int_equal(feed(MAILDROP_FILE, client, why, &c), MAILDROP_CHECK_ERROR);
    assert_non_null(strstr(vstring_str(why), "not a maildrop file"));
    assert_int_equal(feed(MAILDROP_FROM_CLIENT, uid_from_client, why, &c),
		     MAILDROP_CHECK_ERROR);
    assert_non_null(strstr(vstring_str(why), "may not send the uid"));
    assert_int_equal(feed(MAILDROP_FROM_CLIENT, no_rcpt, why, &c),
		     MAILDROP_CHECK_ERROR);
    assert_non_null(strstr(vstring_str(why), "no recipients"));
    assert_int_equal(feed(MAILDROP_FROM_CLIENT, ctl, why, &c),
		     MAILDROP_CHECK_ERROR);
    assert_string_equal(vstring_str(why),
			"record 2 (recipient): control character in address");
    assert_int_equal(feed(MAILDROP_FROM_CLIENT, unknown, why, &c),
		     MAILDROP_CHECK_ERROR);
    assert_int_equal(feed(MAILDROP_FROM_CLIENT, twice, why, &c),
		     MAILDROP_CHECK_ERROR);
    assert_int_equal(feed(MAILDROP_FROM_CLIENT, after, why, &c),
		     MAILDROP_CHECK_ERROR);
    assert_non_null(strstr(vstring_str(why), "after the end record"));
    assert_int_equal(feed(MAILDROP_FROM_CLIENT, dsn_alone, why, &c),
		     MAILDROP_CHECK_ERROR);
    assert_int_equal(feed(MAILDROP_FROM_CLIENT, big, why, &c),
		     MAILDROP_CHECK_SIZE);
    vstring_free(&why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_addr_list),
	cmocka_unit_test(test_login_sender),
	cmocka_unit_test(test_maildrop),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
