/*++
/* NAME
/*	test_master_conf 1
/* SUMMARY
/*	unit tests for master_conf: master.cf lines, files, canonical form
/* SYNOPSIS
/*	./test_master_conf
/* DESCRIPTION
/*	Table-driven cases parse one line with master_conf_parse_line()
/*	and compare the canonical form (master_conf_format) or the error.
/*	Every accepted line must parse again from its canonical form to the
/*	same canonical form. Other tests read whole files: continuation
/*	lines, comments, duplicates, unknown -o names, a missing file.
/* DIAGNOSTICS
/*	cmocka's report; a failing case names itself and both values.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <argv.h>
#include <msg.h>
#include <vstring.h>

#include <mail_params.h>
#include <mail_conf.h>
#include <master_conf.h>

#include "test_capture.h"

#define FILE_	"/etc/dromos/master.cf"

struct line_case {
    const char *label;
    const char *text;
    int     want_ret;			/* 1, 0, -1 */
    const char *want;			/* canonical form or error */
};

static const struct line_case line_cases[] = {
    {"blank", "   \t", 0, ""},
    {"comment", "  # smtp inet n - - - - smtpd", 0, ""},
    {"all columns", "smtp inet n n y 60 5 smtpd -v",
    1, "smtp        inet        n       n       y       60      5       smtpd -v"},
    {"defaults", "cleanup unix - - - - - cleanup",
    1, "cleanup     unix        y       y       y       -       -       cleanup"},
    {"inet default is public", "127.0.0.1:2525 inet - - - - - smtpd",
    1, "127.0.0.1:2525 inet        n       y       y       -       -       smtpd"},
    {"wakeup if used", "pickup fifo n - - 60? 1 pickup",
    1, "pickup      fifo        n       y       y       60?     1       pickup"},
    {"wakeup zero if used", "pickup fifo n - - 0? 1 pickup",
    1, "pickup      fifo        n       y       y       0?      1       pickup"},
    {"wakeup zero", "qmgr unix n - n 0 0 qmgr",
    1, "qmgr        unix        n       y       n       -       0       qmgr"},
    {"unix-dgram and pass", "dromlog unix-dgram n - n - 1 logd",
    1, "dromlog     unix-dgram  n       y       n       -       1       logd"},
    {"pass", "smtpd pass - - y - - smtpd",
    1, "smtpd       pass        y       y       y       -       -       smtpd"},
    {"-o plain", "smtp inet n - - - - smtpd -o smtpd_x=1 -v -o a_b=",
    1, "smtp        inet        n       y       y       -       -       smtpd -o smtpd_x=1 -o a_b= -v"},
    {"-o braces", "submission inet n - - - - smtpd -o { smtpd_banner = hello  world } -D",
    1, "submission  inet        n       y       y       -       -       smtpd -o { smtpd_banner = hello  world } -D"},
    {"-o braces no blanks", "x unix - - - - - cmd -o {a=b}",
    1, "x           unix        y       y       y       -       -       cmd -o a=b"},
    {"-o braced value with braces", "x unix - - - - - cmd -o { a = {b c} }",
    1, "x           unix        y       y       y       -       -       cmd -o { a = {b c} }"},
    {"braced argument", "x unix - - - - - pipe argv=/bin/x { a b } {} { {y} }",
    1, "x           unix        y       y       y       -       -       pipe argv=/bin/x { a b } {} { {y} }"},
    {"braced -o is an argument", "x unix - - - - - cmd { -o } a=b",
    1, "x           unix        y       y       y       -       -       cmd { -o } a=b"},
    {"absolute command", "x unix - n n - 2 /usr/bin/true",
    1, "x           unix        y       n       n       -       2       /usr/bin/true"},
    {"ipv6 inet", "[::1]:25 inet n - - - - smtpd",
    1, "[::1]:25    inet        n       y       y       -       -       smtpd"},
    {"port name", "smtp inet n - - - - smtpd",
    1, "smtp        inet        n       y       y       -       -       smtpd"},
    {"host and port name", "localhost:smtp inet n - - - - smtpd",
    1, "localhost:smtp inet        n       y       y       -       -       smtpd"},
    {"empty host", ":2525 inet n - - - - smtpd",
    1, ":2525       inet        n       y       y       -       -       smtpd"},

    /* errors */
    {"bad type", "smtp tcp n - - - - smtpd", -1,
    FILE_ ", line 7: unknown service type \"tcp\": use inet, unix, unix-dgram, fifo or pass"},
    {"inet private", "smtp inet y - - - - smtpd", -1,
    FILE_ ", line 7: inet service \"smtp\" cannot be private: use n or - in the private field"},
    {"bad private", "x unix yes - - - - cmd", -1,
    FILE_ ", line 7: bad private field \"yes\": use y, n or -"},
    {"bad unpriv", "x unix - Y - - - cmd", -1,
    FILE_ ", line 7: bad unpriv field \"Y\": use y, n or -"},
    {"bad chroot", "x unix - - 1 - - cmd", -1,
    FILE_ ", line 7: bad chroot field \"1\": use y, n or -"},
    {"bad wakeup", "x unix - - - 1m - cmd", -1,
    FILE_ ", line 7: bad wakeup field \"1m\": use seconds, seconds followed by \"?\", or -"},
    {"wakeup only ?", "x unix - - - ? - cmd", -1,
    FILE_ ", line 7: bad wakeup field \"?\": use seconds, seconds followed by \"?\", or -"},
    {"wakeup negative", "x unix - - - -5 - cmd", -1,
    FILE_ ", line 7: bad wakeup field \"-5\": use seconds, seconds followed by \"?\", or -"},
    {"wakeup huge", "x unix - - - 99999999999 - cmd", -1,
    FILE_ ", line 7: bad wakeup field \"99999999999\": use seconds, seconds followed by \"?\", or -"},
    {"bad maxproc", "x unix - - - - -1 cmd", -1,
    FILE_ ", line 7: bad maxproc field \"-1\": use a number or -"},
    {"maxproc with ?", "x unix - - - - 1? cmd", -1,
    FILE_ ", line 7: bad maxproc field \"1?\": use a number or -"},
    {"missing command", "x unix - - - - -", -1,
    FILE_ ", line 7: missing command"},
    {"too few fields", "x unix -", -1,
    FILE_ ", line 7: too few fields: expected service, type, private, unpriv, chroot, wakeup, maxproc and command"},
    {"-o without =", "x unix - - - - - cmd -o foo", -1,
    FILE_ ", line 7: -o \"foo\": expected name=value"},
    {"-o at end", "x unix - - - - - cmd -o", -1,
    FILE_ ", line 7: -o at the end of the line: expected name=value"},
    {"-o empty name", "x unix - - - - - cmd -o { = v }", -1,
    FILE_ ", line 7: -o \"= v\": bad parameter name \"\""},
    {"-o bad name", "x unix - - - - - cmd -o a-b=c", -1,
    FILE_ ", line 7: -o \"a-b=c\": bad parameter name \"a-b\""},
    {"missing }", "x unix - - - - - cmd -o { a = b", -1,
    FILE_ ", line 7: missing \"}\" after \"{ a = b\""},
    {"text after }", "x unix - - - - - cmd {a}b", -1,
    FILE_ ", line 7: text after \"}\" in \"{a}b\""},
    {"bad inet port", "99999 inet n - - - - smtpd", -1,
    FILE_ ", line 7: bad inet service \"99999\": unknown port \"99999\""},
    {"port zero", "0 inet n - - - - smtpd", -1,
    FILE_ ", line 7: bad inet service \"0\": unknown port \"0\""},
    {"unknown port name", "host:nosuchport inet n - - - - smtpd", -1,
    FILE_ ", line 7: bad inet service \"host:nosuchport\": unknown port \"nosuchport\""},
    {"v6 without brackets", "::1:25 inet n - - - - smtpd", -1,
    FILE_ ", line 7: bad inet service \"::1:25\": an IPv6 address needs brackets: [address]:port"},
    {"bad brackets", "[]:25 inet n - - - - smtpd", -1,
    FILE_ ", line 7: bad inet service \"[]:25\": expected [address]:port"},
    {"slash in name", "a/b unix - - - - - cmd", -1,
    FILE_ ", line 7: bad service name \"a/b\": use up to 100 letters, digits, \".\", \"-\" or \"_\""},
    {"dot-dot name", ".. unix - - - - - cmd", -1,
    FILE_ ", line 7: bad service name \"..\": use up to 100 letters, digits, \".\", \"-\" or \"_\""},
};

static void check_str(const char *label, const char *what, const char *got,
		              const char *want)
{
    if (strcmp(got, want) != 0) {
	print_error("case \"%s\": %s:\n  got  \"%s\"\n  want \"%s\"\n",
		    label, what, got, want);
	fail();
    }
}

static void test_lines(void **state)
{
    const struct line_case *lc;
    struct master_ent *ent;
    struct master_ent *ent2;
    struct vstring *why = vstring_alloc(100);
    struct vstring *buf = vstring_alloc(100);
    struct vstring *buf2 = vstring_alloc(100);
    int     ret;

    for (lc = line_cases; lc < line_cases + sizeof(line_cases) / sizeof(line_cases[0]); lc++) {
	vstring_reset(why);
	vstring_reset(buf);
	ret = master_conf_parse_line(lc->text, FILE_, 7, &ent, why);
	if (ret != lc->want_ret) {
	    print_error("case \"%s\": returned %d, want %d (%s)\n",
			lc->label, ret, lc->want_ret, vstring_str(why));
	    fail();
	}
	if (ret < 0) {
	    assert_null(ent);
	    check_str(lc->label, "error", vstring_str(why), lc->want);
	    continue;
	}
	if (ret == 0) {
	    assert_null(ent);
	    continue;
	}
	master_conf_format(buf, ent);
	check_str(lc->label, "canonical form", vstring_str(buf), lc->want);
	assert_string_equal(ent->file, FILE_);
	assert_int_equal(ent->line, 7);
	/* The canonical form parses to the same entry. */
	if (master_conf_parse_line(vstring_str(buf), "x", 1, &ent2, why) != 1) {
	    print_error("case \"%s\": canonical form does not parse: %s\n",
			lc->label, vstring_str(why));
	    fail();
	}
	vstring_reset(buf2);
	master_conf_format(buf2, ent2);
	check_str(lc->label, "reparsed", vstring_str(buf2), vstring_str(buf));
	master_conf_free(&ent);
	master_conf_free(&ent2);
    }
    vstring_free(&why);
    vstring_free(&buf);
    vstring_free(&buf2);
}

static void test_fields(void **state)
{
    struct master_ent *ent;
    struct vstring *why = vstring_alloc(100);

    assert_int_equal(master_conf_parse_line("smtp inet n y n 30? 7 smtpd -v"
					    " -o { smtpd_banner = a b } -D -o x_y=1 last",
					    FILE_, 3, &ent, why), 1);
    assert_string_equal(ent->name, "smtp");
    assert_int_equal(ent->type, MASTER_TYPE_INET);
    assert_int_equal(ent->private_, 0);
    assert_int_equal(ent->unpriv, 1);
    assert_int_equal(ent->chroot, 0);
    assert_int_equal(ent->wakeup, 30);
    assert_int_equal(ent->wakeup_if_used, 1);
    assert_int_equal(ent->maxproc, 7);
    assert_int_equal(ent->args->argc, 4);
    assert_string_equal(ent->args->argv[0], "smtpd");
    assert_string_equal(ent->args->argv[1], "-v");
    assert_string_equal(ent->args->argv[2], "-D");
    assert_string_equal(ent->args->argv[3], "last");
    assert_null(ent->args->argv[4]);
    assert_int_equal(ent->overrides->argc, 2);
    assert_string_equal(ent->overrides->argv[0], "smtpd_banner=a b");
    assert_string_equal(ent->overrides->argv[1], "x_y=1");
    assert_null(ent->next);
    master_conf_free(&ent);
    assert_null(ent);

    assert_int_equal(master_conf_parse_line("c unix - - - - - cmd", FILE_, 3, &ent, why), 1);
    assert_int_equal(ent->private_, 1);
    assert_int_equal(ent->unpriv, 1);
    assert_int_equal(ent->chroot, 1);
    assert_int_equal(ent->wakeup, 0);
    assert_int_equal(ent->wakeup_if_used, 0);
    assert_int_equal(ent->maxproc, MASTER_MAXPROC_DEFAULT);
    assert_int_equal(ent->overrides->argc, 0);
    master_conf_free(&ent);

    assert_string_equal(master_type_name(MASTER_TYPE_UNIX_DGRAM), "unix-dgram");
    assert_string_equal(master_type_name(MASTER_TYPE_FIFO), "fifo");
    assert_string_equal(master_type_name(MASTER_TYPE_PASS), "pass");
    assert_string_equal(master_type_name(99), "unknown");
    vstring_free(&why);
}

/* read_text - write text as master.cf in a fresh folder and read it */

static int read_text(const char *text, struct master_ent **list,
		             struct vstring *why, struct vstring *warn,
		             struct vstring *path)
{
    struct vstring *dir = vstring_alloc(100);
    int     ret;

    test_tempdir(dir);
    vstring_sprintf(path, "%s/master.cf", vstring_str(dir));
    test_write_file(vstring_str(path), text, strlen(text));
    capture_start();
    ret = master_conf_read(vstring_str(path), list, why);
    capture_end(warn);
    test_rmdir(vstring_str(dir));
    vstring_free(&dir);
    return (ret);
}

static void test_file(void **state)
{
    struct master_ent *list;
    struct vstring *why = vstring_alloc(100);
    struct vstring *warn = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct vstring *want = vstring_alloc(100);

    assert_int_equal(read_text("# master.cf\n\n"
			       "smtp inet n - - - - smtpd\n"
			       "   -o max_use=1\n"
			       "# comment between\n"
			       "\t-o { syslog_name = two words }\n"
			       "dromlog unix-dgram n - n - 1 logd\n"
			       "smtp unix - - - - - smtp\n"
			       "last fifo - - - - - x",
			       &list, why, warn, path), 0);
    assert_string_equal(vstring_str(warn), "");
    assert_non_null(list);
    assert_string_equal(list->name, "smtp");
    assert_int_equal(list->line, 3);
    assert_string_equal(list->file, vstring_str(path));
    assert_int_equal(list->overrides->argc, 2);
    assert_string_equal(list->overrides->argv[1], "syslog_name=two words");
    assert_string_equal(list->next->name, "dromlog");
    assert_int_equal(list->next->line, 7);
    assert_int_equal(list->next->next->type, MASTER_TYPE_UNIX);
    assert_int_equal(list->next->next->line, 8);
    assert_string_equal(list->next->next->next->name, "last");
    assert_int_equal(list->next->next->next->line, 9);
    assert_null(list->next->next->next->next);
    master_conf_free(&list);

    /* Empty file: empty list. */
    assert_int_equal(read_text("# nothing\n", &list, why, warn, path), 0);
    assert_null(list);

    /* Duplicate service. */
    assert_int_equal(read_text("a unix - - - - - x\n\nb unix - - - - - x\na unix - - - - - y\n",
			       &list, why, warn, path), -1);
    assert_null(list);
    vstring_sprintf(want, "%s, line 4: duplicate service \"a/unix\" (first defined on line 1)",
		    vstring_str(path));
    assert_string_equal(vstring_str(why), vstring_str(want));

    /* Error on a continued line names the first line. */
    assert_int_equal(read_text("a unix - - - - - x\nb unix - -\n  - - - -\n  cmd -o\n",
			       &list, why, warn, path), -1);
    vstring_sprintf(want, "%s, line 2: -o at the end of the line: expected name=value",
		    vstring_str(path));
    assert_string_equal(vstring_str(why), vstring_str(want));

    /* Continuation with nothing before it. */
    assert_int_equal(read_text("# c\n  a unix - - - - - x\n", &list, why, warn, path), -1);
    vstring_sprintf(want, "%s, line 2: line begins with white space but continues no service",
		    vstring_str(path));
    assert_string_equal(vstring_str(why), vstring_str(want));

    /* Missing command on the last line, without newline. */
    assert_int_equal(read_text("a unix - - - - - x\nb unix - - - - -", &list, why, warn, path), -1);
    vstring_sprintf(want, "%s, line 2: missing command", vstring_str(path));
    assert_string_equal(vstring_str(why), vstring_str(want));

    /* Unknown -o parameter: a warning with file and line. */
    assert_int_equal(read_text("\na unix - - - - - x -o no_such_thing=1 -o max_use=2\n",
			       &list, why, warn, path), 0);
    vstring_sprintf(want, "test_master_conf: warning: %s, line 2: unknown parameter"
		    " \"no_such_thing\" in -o\n", vstring_str(path));
    assert_string_equal(vstring_str(warn), vstring_str(want));
    master_conf_free(&list);

    /* A user-defined parameter set in main.cf is not unknown. */
    assert_int_equal(mail_conf_read_buf("main.cf", "my_own = 1\nmax_use = $my_own\n",
					 strlen("my_own = 1\nmax_use = $my_own\n"), why), 0);
    assert_int_equal(read_text("a unix - - - - - x -o my_own=2\n", &list, why, warn, path), 0);
    assert_string_equal(vstring_str(warn), "");
    master_conf_free(&list);

    /* Missing file. */
    assert_int_equal(master_conf_read("/nonexistent/master.cf", &list, why), -1);
    assert_string_equal(vstring_str(why), "open /nonexistent/master.cf: No such file or directory");

    vstring_free(&want);
    vstring_free(&path);
    vstring_free(&warn);
    vstring_free(&why);
}

static void test_shipped_master_cf(void **state)
{
    struct master_ent *list;
    struct vstring *why = vstring_alloc(100);

    if (master_conf_read(TOP_DIR "/conf/master.cf", &list, why) != 0) {
	print_error("conf/master.cf: %s\n", vstring_str(why));
	fail();
    }
    assert_non_null(list);
    master_conf_free(&list);
    vstring_free(&why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_lines),
	cmocka_unit_test(test_fields),
	cmocka_unit_test(test_file),
	cmocka_unit_test(test_shipped_master_cf),
    };

    msg_init("test_master_conf");
    msg_stderr_init(1, 0);
    return (cmocka_run_group_tests(tests, 0, 0));
}
