/*++
/* NAME
/*	test_mail_conf 1
/* SUMMARY
/*	unit tests for mail_conf: main.cf parsing, expansion, checks, edits
/* SYNOPSIS
/*	./test_mail_conf
/* DESCRIPTION
/*	Table-driven cases feed a main.cf text to mail_conf_read_buf() and
/*	mail_conf_eval(), and compare one expanded value, or the one-line
/*	error, and the warnings written to stderr. Other tests cover
/*	overrides, the var_ variables, reading from a folder, and
/*	mail_conf_edit()/mail_conf_edit_remove() on real files.
/* DIAGNOSTICS
/*	cmocka's report; a failing case names itself and both values.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <argv.h>
#include <msg.h>
#include <vstring.h>

#include <mail_params.h>
#include <mail_conf.h>

#include "test_capture.h"

#define PATH	"/etc/dromos/main.cf"
#define WARN	"test_mail_conf: warning: "

#define OK	0			/* expect a value */
#define RERR	1			/* expect a read error */
#define EERR	2			/* expect an eval error */

struct conf_case {
    const char *label;
    const char *text;			/* main.cf contents */
    size_t  len;			/* 0: strlen(text) */
    int     expect;			/* OK, RERR, EERR */
    const char *name;			/* with OK: parameter to look at */
    const char *want;			/* its expanded value, or the error */
    const char *warn;			/* stderr, exactly */
};

static const struct conf_case cases[] = {
    {"plain", "syslog_name = foo\n", 0, OK, "syslog_name", "foo", ""},
    {"blanks around", "  \t\nsyslog_name\t=\t foo bar \t\n", 0, OK, "syslog_name", "foo bar", ""},
    {"no newline at end", "syslog_name = foo", 0, OK, "syslog_name", "foo", ""},
    {"crlf", "syslog_name = foo\r\nmail_owner = bar\r\n", 0, OK, "syslog_name", "foo", ""},
    {"empty value", "maillog_file =\n", 0, OK, "maillog_file", "", ""},
    {"last setting wins", "syslog_name = a\nsyslog_name = b\n", 0, OK, "syslog_name", "b", ""},
    {"$name", "mail_owner = bob\nsyslog_name = x-$mail_owner-y\n", 0, OK, "syslog_name", "x-bob-y", ""},
    {"${name}", "mail_owner = bob\nsyslog_name = ${mail_owner}x\n", 0, OK, "syslog_name", "bobx", ""},
    {"$(name)", "mail_owner = bob\nsyslog_name = $(mail_owner)x\n", 0, OK, "syslog_name", "bobx", ""},
    {"reference before definition", "syslog_name = $mail_owner\nmail_owner = late\n", 0, OK, "syslog_name", "late", ""},
    {"$$", "syslog_name = a$$b$$$$\n", 0, OK, "syslog_name", "a$b$$", ""},
    {"$$name is literal", "syslog_name = $$mail_owner\n", 0, OK, "syslog_name", "$mail_owner", ""},
    {"${a?b} set", "mail_owner = bob\nsyslog_name = ${mail_owner?yes}\n", 0, OK, "syslog_name", "yes", ""},
    {"${a?b} empty", "maillog_file =\nsyslog_name = x${maillog_file?yes}\n", 0, OK, "syslog_name", "x", ""},
    {"${a:b} empty", "maillog_file =\nsyslog_name = ${maillog_file:none}\n", 0, OK, "syslog_name", "none", ""},
    {"${a:b} set", "maillog_file = /x\nsyslog_name = ${maillog_file:none}\n", 0, OK, "syslog_name", "", ""},
    {"$(a?b)", "syslog_name = $(mail_owner?own)\n", 0, OK, "syslog_name", "own", ""},
    {"nested text", "mail_owner = bob\nsyslog_name = ${mail_owner?[${mail_owner}:${maillog_file:-}]}\n", 0, OK, "syslog_name", "[bob:-]", ""},
    {"condition on expanded value", "maillog_file = $nothing\nsyslog_name = ${maillog_file:empty}\n", 0, OK, "syslog_name", "empty", ""},
    {"undefined reference is empty", "syslog_name = a${no_such_param}b\n", 0, OK, "syslog_name", "ab", ""},
    {"default refers to setting", "myhostname = mx.example.com\n", 0, OK, "myorigin", "mx.example.com", ""},
    {"mydomain derived", "myhostname = mx.Example.com\n", 0, OK, "mydomain", "Example.com", ""},
    {"mydomain no dot", "myhostname = mx\n", 0, OK, "mydomain", "localdomain", ""},
    {"continuation", "mydestination = a,\n  b,\n\tc\n", 0, OK, "mydestination", "a, b, c", ""},
    {"continuation past comment", "mydestination = a,\n# note\n\n    b\n", 0, OK, "mydestination", "a, b", ""},
    {"indented comment", "syslog_name = a\n   # indented comment\n", 0, OK, "syslog_name", "a", ""},
    {"hash in value", "syslog_name = a#b # c\n", 0, OK, "syslog_name", "a#b # c", ""},
    {"comment line", "# syslog_name = a\nsyslog_name = b\n#syslog_name = c\n", 0, OK, "syslog_name", "b", ""},
    {"equals in value", "syslog_name = a=b\n", 0, OK, "syslog_name", "a=b", ""},
    {"time units", "max_idle = 2m\n", 0, OK, "max_idle", "2m", ""},
    {"unknown parameter", "syslog_name = a\nfoo_bar = 1\n", 0, OK, "syslog_name", "a",
    WARN PATH ", line 2: unknown parameter \"foo_bar\"\n"},
    {"two unknown, in line order", "zz_top = 1\naa_bottom = 2\n", 0, OK, "zz_top", "1",
	WARN PATH ", line 1: unknown parameter \"zz_top\"\n"
    WARN PATH ", line 2: unknown parameter \"aa_bottom\"\n"},
    {"user-defined parameter is referenced", "my_list = a b\nmydestination = $my_list\n", 0, OK, "mydestination", "a b", ""},
    {"user-defined in a condition", "my_flag = x\nsyslog_name = ${my_flag?on}\n", 0, OK, "syslog_name", "on", ""},
    {"self-reference does not count", "my_self = $my_self\n", 0, OK, "syslog_name", "dromos",
    WARN PATH ", line 1: unknown parameter \"my_self\"\n"},

    /* read errors */
    {"no =", "syslog_name = a\nsyslog_name foo\n", 0, RERR, 0,
    PATH ", line 2: syntax error: missing \"=\" in \"syslog_name foo\"", ""},
    {"blank name", "= foo\n", 0, RERR, 0,
    PATH ", line 1: syntax error: missing parameter name before \"=\"", ""},
    {"bad name", "syslog name = foo\n", 0, RERR, 0,
    PATH ", line 1: syntax error: bad parameter name \"syslog name\"", ""},
    {"continuation first", "# c\n  syslog_name = x\n", 0, RERR, 0,
	PATH ", line 2: syntax error: line begins with white space but continues no setting", ""},
    {"nul byte", "syslog_name = a\nmail\0owner = b\n", 31, RERR, 0,
    PATH ", line 2: NUL byte in line", ""},
    {"error line of a continued setting", "syslog_name = a\nmail_owner\n  b\n", 0, RERR, 0,
    PATH ", line 2: syntax error: missing \"=\" in \"mail_owner b\"", ""},

    /* eval errors */
    {"direct loop", "syslog_name = x$syslog_name\n", 0, EERR, 0,
	PATH ", line 1: parameter syslog_name: reference loop: $syslog_name -> $syslog_name", ""},
    {"indirect loop", "\nsyslog_name = $mail_owner\nmail_owner = ${syslog_name}\n", 0, EERR, 0,
	PATH ", line 3: parameter mail_owner: reference loop: $mail_owner -> $syslog_name -> $mail_owner", ""},
    {"loop through a default", "myhostname = $myorigin\n", 0, EERR, 0,
    PATH ", line 1: parameter myhostname: reference loop: $myhostname -> $myorigin -> $myhostname", ""},
    {"loop in a condition", "syslog_name = ${syslog_name?x}\n", 0, EERR, 0,
	PATH ", line 1: parameter syslog_name: reference loop: $syslog_name -> $syslog_name", ""},
    {"dollar at end", "syslog_name = a$\n", 0, EERR, 0,
    PATH ", line 1: parameter syslog_name: \"$\" at the end of the value (use $$ for a literal $)", ""},
    {"dollar blank", "syslog_name = a$ b\n", 0, EERR, 0,
    PATH ", line 1: parameter syslog_name: bad reference \"$ \": expected a parameter name after \"$\" (use $$ for a literal $)", ""},
    {"unclosed brace", "syslog_name = ${mail_owner\n", 0, EERR, 0,
    PATH ", line 1: parameter syslog_name: missing \"}\" after \"${mail_owner\"", ""},
    {"unclosed condition", "syslog_name = ${mail_owner?abc\n", 0, EERR, 0,
    PATH ", line 1: parameter syslog_name: missing \"}\" after \"${mail_owner?\"", ""},
    {"bad char in braces", "syslog_name = ${mail owner}\n", 0, EERR, 0,
    PATH ", line 1: parameter syslog_name: bad character \" \" in \"${mail\"", ""},
    {"error in referenced value names its line", "syslog_name = $my_x\nmy_x = a$\n", 0, EERR, 0,
    PATH ", line 2: parameter my_x: \"$\" at the end of the value (use $$ for a literal $)", ""},
    {"bad integer", "\nmax_use = abc\n", 0, EERR, 0,
    PATH ", line 2: parameter max_use: bad integer value \"abc\"", ""},
    {"integer with blank", "max_use = 1 0\n", 0, EERR, 0,
    PATH ", line 1: parameter max_use: bad integer value \"1 0\"", ""},
    {"integer overflow", "max_use = 99999999999999999999999\n", 0, EERR, 0,
    PATH ", line 1: parameter max_use: bad integer value \"99999999999999999999999\"", ""},
    {"integer below range", "max_use = 0\n", 0, EERR, 0,
    PATH ", line 1: parameter max_use: value 0 is out of range (1..1000000)", ""},
    {"integer above range", "default_process_limit = 100001\n", 0, EERR, 0,
    PATH ", line 1: parameter default_process_limit: value 100001 is out of range (1..100000)", ""},
    {"bad integer through a reference", "my_count = abc\nmax_use = $my_count\n", 0, EERR, 0,
    PATH ", line 2: parameter max_use: bad integer value \"abc\"", ""},
    {"bad boolean", "chroot_refresh = maybe\n", 0, EERR, 0,
    PATH ", line 1: parameter chroot_refresh: bad boolean value \"maybe\" (use yes or no)", ""},
    {"empty boolean", "chroot_refresh =\n", 0, EERR, 0,
    PATH ", line 1: parameter chroot_refresh: bad boolean value \"\" (use yes or no)", ""},
    {"bad time unit", "max_idle = 10x\n", 0, EERR, 0,
	PATH ", line 1: parameter max_idle: bad time value \"10x\" (use a number with an optional unit s, m, h, d or w)", ""},
    {"time unit alone", "max_idle = s\n", 0, EERR, 0,
	PATH ", line 1: parameter max_idle: bad time value \"s\" (use a number with an optional unit s, m, h, d or w)", ""},
    {"time two units", "max_idle = 1ms\n", 0, EERR, 0,
	PATH ", line 1: parameter max_idle: bad time value \"1ms\" (use a number with an optional unit s, m, h, d or w)", ""},
    {"time negative", "max_idle = -5\n", 0, EERR, 0,
	PATH ", line 1: parameter max_idle: bad time value \"-5\" (use a number with an optional unit s, m, h, d or w)", ""},
    {"time out of range", "max_idle = 2d\n", 0, EERR, 0,
    PATH ", line 1: parameter max_idle: time value 2d (172800s) is out of range (1s..86400s)", ""},
    {"time zero", "service_backoff_time = 0\n", 0, EERR, 0,
    PATH ", line 1: parameter service_backoff_time: time value 0 (0s) is out of range (1s..86400s)", ""},
    {"time overflow", "max_idle = 9999999999999999w\n", 0, EERR, 0,
	PATH ", line 1: parameter max_idle: bad time value \"9999999999999999w\" (use a number with an optional unit s, m, h, d or w)", ""},
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

/* test_cases - run the table */

static void test_cases(void **state)
{
    const struct conf_case *cp;
    struct vstring *why = vstring_alloc(100);
    struct vstring *out = vstring_alloc(100);
    struct vstring *warn = vstring_alloc(100);
    int     rr;
    int     er = 0;

    for (cp = cases; cp < cases + sizeof(cases) / sizeof(cases[0]); cp++) {
	vstring_reset(why);
	capture_start();
	rr = mail_conf_read_buf(PATH, cp->text, cp->len ? cp->len : strlen(cp->text), why);
	if (rr == 0)
	    er = mail_conf_eval(why);
	capture_end(warn);
	check_str(cp->label, "warnings", vstring_str(warn), cp->warn);
	switch (cp->expect) {
	case RERR:
	    if (rr == 0) {
		print_error("case \"%s\": read succeeded, want error %s\n", cp->label, cp->want);
		fail();
	    }
	    check_str(cp->label, "read error", vstring_str(why), cp->want);
	    break;
	case EERR:
	    if (rr != 0 || er == 0) {
		print_error("case \"%s\": read %d eval %d (%s), want eval error %s\n",
			    cp->label, rr, er, vstring_str(why), cp->want);
		fail();
	    }
	    check_str(cp->label, "eval error", vstring_str(why), cp->want);
	    break;
	default:
	    if (rr != 0 || er != 0) {
		print_error("case \"%s\": unexpected error: %s\n", cp->label, vstring_str(why));
		fail();
	    }
	    if (mail_conf_eval_name(cp->name, out, why) != 0) {
		print_error("case \"%s\": eval_name: %s\n", cp->label, vstring_str(why));
		fail();
	    }
	    check_str(cp->label, cp->name, vstring_str(out), cp->want);
	    break;
	}
    }
    vstring_free(&why);
    vstring_free(&out);
    vstring_free(&warn);
}

/* load - parse text, expecting success */

static void load(const char *text)
{
    struct vstring *why = vstring_alloc(100);

    if (mail_conf_read_buf(PATH, text, strlen(text), why) != 0
	|| mail_conf_eval(why) != 0) {
	print_error("unexpected error: %s\n", vstring_str(why));
	fail();
    }
    vstring_free(&why);
}

static void test_vars(void **state)
{
    load("max_use = 7\nmax_idle = 2h\nchroot_refresh = YES\nsyslog_name = s$mail_owner\n"
	 "mail_owner = o\ndaemon_timeout = 1w\n");
    assert_int_equal(var_max_use, 7);
    assert_int_equal(var_max_idle, 7200);
    assert_int_equal(var_chroot_refresh, 1);
    assert_string_equal(var_syslog_name, "so");
    assert_string_equal(var_mail_owner, "o");
    assert_int_equal(var_daemon_timeout, 604800);
    assert_string_equal(var_queue_dir, DEF_QUEUE_DIR);
    load("chroot_refresh = no\nmax_idle=30\n");
    assert_int_equal(var_chroot_refresh, 0);
    assert_int_equal(var_max_idle, 30);
    assert_string_equal(var_syslog_name, DEF_SYSLOG_NAME);
}

static void test_eval_error_keeps_vars(void **state)
{
    struct vstring *why = vstring_alloc(100);

    load("max_use = 5\nsyslog_name = before\n");
    assert_int_equal(mail_conf_read_buf(PATH, "syslog_name = after\nmax_use = x\n",
					 strlen("syslog_name = after\nmax_use = x\n"), why), 0);
    assert_int_equal(mail_conf_eval(why), -1);
    assert_string_equal(var_syslog_name, "before");
    assert_int_equal(var_max_use, 5);
    vstring_free(&why);
}

static void test_read_error_keeps_settings(void **state)
{
    struct vstring *why = vstring_alloc(100);

    load("syslog_name = kept\n");
    assert_int_equal(mail_conf_read_buf(PATH, "syslog_name = lost\nbad line\n",
					 strlen("syslog_name = lost\nbad line\n"), why), -1);
    assert_string_equal(mail_conf_lookup_raw("syslog_name"), "kept");
    vstring_free(&why);
}

static void test_overrides(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *buf = vstring_alloc(100);

    load("syslog_name = main\nmax_use = 9\n");
    assert_int_equal(mail_conf_override("syslog_name", "over", "master.cf, line 14", why), 0);
    assert_int_equal(mail_conf_override("max_use", "abc", "master.cf, line 15", why), 0);
    assert_int_equal(mail_conf_eval(why), -1);
    assert_string_equal(vstring_str(why),
	      "master.cf, line 15: parameter max_use: bad integer value \"abc\"");
    assert_int_equal(mail_conf_override("max_use", "3", "master.cf, line 15", why), 0);
    assert_int_equal(mail_conf_eval(why), 0);
    assert_string_equal(var_syslog_name, "over");
    assert_int_equal(var_max_use, 3);
    assert_string_equal(mail_conf_origin("syslog_name", buf), "master.cf, line 14");
    assert_string_equal(mail_conf_origin("mail_owner", buf), "default");
    assert_int_equal(mail_conf_override("bad name", "x", "cmd", why), -1);
    assert_string_equal(vstring_str(why), "cmd: bad parameter name \"bad name\"");
    assert_int_equal(mail_conf_override("", "x", "cmd", why), -1);
    vstring_free(&why);
    vstring_free(&buf);
}

static void test_lookup_origin_names(void **state)
{
    struct vstring *buf = vstring_alloc(100);
    struct argv *names;

    capture_start();
    load("\n# c\nsyslog_name = $mail_owner\nzeta_param = 1\nmail_owner = x\n  y\n");
    capture_end(buf);
    assert_string_equal(mail_conf_lookup_raw("syslog_name"), "$mail_owner");
    assert_string_equal(mail_conf_lookup_raw("mail_owner"), "x y");
    assert_null(mail_conf_lookup_raw("max_use"));
    assert_string_equal(mail_conf_origin("mail_owner", buf), PATH ", line 5");
    names = mail_conf_names();
    assert_int_equal(names->argc, 3);
    assert_string_equal(names->argv[0], "mail_owner");
    assert_string_equal(names->argv[1], "syslog_name");
    assert_string_equal(names->argv[2], "zeta_param");
    assert_null(names->argv[3]);
    argv_free(&names);
    vstring_free(&buf);
}

static void test_expand(void **state)
{
    struct vstring *out = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);

    load("mail_owner = bob\n");
    assert_int_equal(mail_conf_expand("<$mail_owner ${mail_owner?x} $$>", out, why), 0);
    assert_string_equal(vstring_str(out), "<bob x $>");
    assert_int_equal(mail_conf_expand("${", out, why), -1);
    assert_string_equal(vstring_str(why), "bad reference \"$\": expected a parameter name after \"$\" (use $$ for a literal $)");
    vstring_free(&out);
    vstring_free(&why);
}

static void test_blowup_is_bounded(void **state)
{
    struct vstring *text = vstring_alloc(1000);
    struct vstring *why = vstring_alloc(100);
    int     i;

    /* p0 = $p1$p1, p1 = $p2$p2, ...: 2^40 bytes unless bounded. */
    for (i = 0; i < 40; i++)
	vstring_sprintf_append(text, "p%d = $p%d$p%d\n", i, i + 1, i + 1);
    vstring_sprintf_append(text, "p40 = xxxxxxxxxxxxxxxx\nsyslog_name = $p0\n");
    assert_int_equal(mail_conf_read_buf(PATH, vstring_str(text), vstring_len(text), why), 0);
    assert_int_equal(mail_conf_eval(why), -1);
    assert_non_null(strstr(vstring_str(why), "longer than"));

    /* Conditions that produce nothing, doubling: memoized, so fast. */
    vstring_reset(text);
    for (i = 0; i < 60; i++)
	vstring_sprintf_append(text, "q%d = ${q%d?}${q%d?}\n", i, i + 1, i + 1);
    vstring_sprintf_append(text, "syslog_name = x$q0\n");
    assert_int_equal(mail_conf_read_buf(PATH, vstring_str(text), vstring_len(text), why), 0);
    assert_int_equal(mail_conf_eval(why), 0);
    assert_string_equal(var_syslog_name, "x");

    /* A chain deeper than the limit. */
    vstring_reset(text);
    for (i = 0; i < 200; i++)
	vstring_sprintf_append(text, "c%d = $c%d\n", i, i + 1);
    vstring_sprintf_append(text, "syslog_name = $c0\n");
    assert_int_equal(mail_conf_read_buf(PATH, vstring_str(text), vstring_len(text), why), 0);
    assert_int_equal(mail_conf_eval(why), -1);
    assert_non_null(strstr(vstring_str(why), "nested more than 100 deep"));
    vstring_free(&text);
    vstring_free(&why);
}

static void test_read_folder(void **state)
{
    struct vstring *dir = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstring *buf = vstring_alloc(100);

    test_tempdir(dir);
    assert_int_equal(mail_conf_read(vstring_str(dir), why), -1);
    vstring_sprintf(path, "open %s/main.cf: No such file or directory", vstring_str(dir));
    assert_string_equal(vstring_str(why), vstring_str(path));

    vstring_sprintf(path, "%s/main.cf", vstring_str(dir));
    test_write_file(vstring_str(path), "max_use = 4\nmax_use = x\n", 24);
    assert_int_equal(mail_conf_read(vstring_str(dir), why), 0);
    assert_int_equal(mail_conf_eval(why), -1);
    vstring_sprintf(buf, "%s, line 2: parameter max_use: bad integer value \"x\"",
		    vstring_str(path));
    assert_string_equal(vstring_str(why), vstring_str(buf));

    test_write_file(vstring_str(path), "mail_owner = $config_directory\n", 31);
    assert_int_equal(mail_conf_read(vstring_str(dir), why), 0);
    assert_int_equal(mail_conf_eval(why), 0);
    assert_string_equal(var_config_dir, vstring_str(dir));
    assert_string_equal(var_mail_owner, vstring_str(dir));
    test_rmdir(vstring_str(dir));
    vstring_free(&dir);
    vstring_free(&path);
    vstring_free(&why);
    vstring_free(&buf);
}

static void test_load(void **state)
{
    struct vstring *dir = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct argv *ov = argv_alloc(2);

    test_tempdir(dir);
    vstring_sprintf(path, "%s/main.cf", vstring_str(dir));
    test_write_file(vstring_str(path), "max_use = 4\nsyslog_name = main\n", 31);
    argv_add(ov, "syslog_name = cmd", "max_idle=9", (char *) 0);
    mail_conf_load(vstring_str(dir), ov);
    assert_int_equal(var_max_use, 4);
    assert_int_equal(var_max_idle, 9);
    assert_string_equal(var_syslog_name, "cmd");
    mail_conf_load(vstring_str(dir), 0);
    assert_string_equal(var_syslog_name, "main");
    test_rmdir(vstring_str(dir));
    argv_free(&ov);
    vstring_free(&dir);
    vstring_free(&path);
}

 /*
  * mail_conf_edit: (file before, edit, file after), byte for byte.
  */
struct edit_case {
    const char *label;
    const char *before;			/* 0: no file */
    const char *name;
    const char *value;			/* 0: remove */
    const char *after;
};

static const struct edit_case edit_cases[] = {
    {"replace keeps everything else",
	"# head comment\n\n  # indented\nsyslog_name = old\n# tail\nmail_owner = x\n",
	"syslog_name", "new",
    "# head comment\n\n  # indented\nsyslog_name = new\n# tail\nmail_owner = x\n"},
    {"replace without blanks around =", "syslog_name=old\n", "syslog_name", "new",
    "syslog_name = new\n"},
    {"append", "# only a comment\nmail_owner = x\n", "syslog_name", "new",
    "# only a comment\nmail_owner = x\nsyslog_name = new\n"},
    {"append after missing newline", "mail_owner = x", "syslog_name", "new",
    "mail_owner = x\nsyslog_name = new\n"},
    {"replace line without newline", "a_b = 1\nsyslog_name = x", "syslog_name", "y",
    "a_b = 1\nsyslog_name = y\n"},
    {"continuation lines removed",
	"syslog_name = a,\n   b,\n\tc\nmail_owner = x\n   y\n", "syslog_name", "new",
    "syslog_name = new\nmail_owner = x\n   y\n"},
    {"comment inside a continued setting kept",
	"mydestination = a,\n# keep me\n  b\nmail_owner = x\n", "mydestination", "c",
    "mydestination = c\n# keep me\nmail_owner = x\n"},
    {"last setting replaced, earlier kept",
	"syslog_name = one\nmail_owner = x\nsyslog_name = two\n  more\n", "syslog_name", "three",
    "syslog_name = one\nmail_owner = x\nsyslog_name = three\n"},
    {"prefix names do not match",
	"syslog_name_x = 1\nsyslog_namex=2\n#syslog_name = 3\n", "syslog_name", "v",
    "syslog_name_x = 1\nsyslog_namex=2\n#syslog_name = 3\nsyslog_name = v\n"},
    {"empty value", "syslog_name = a\n", "syslog_name", "", "syslog_name =\n"},
    {"value trimmed", "", "syslog_name", "  a b  ", "syslog_name = a b\n"},
    {"crlf lines kept", "# c\r\nmail_owner = x\r\n", "syslog_name", "n",
    "# c\r\nmail_owner = x\r\nsyslog_name = n\n"},
    {"missing file created", 0, "syslog_name", "n", "syslog_name = n\n"},
    {"remove all settings and continuations",
	"syslog_name = one\n  cont\n# c\nmail_owner = x\nsyslog_name = two\n", "syslog_name", 0,
    "# c\nmail_owner = x\n"},
    {"remove absent", "# c\nmail_owner = x", "syslog_name", 0, "# c\nmail_owner = x"},
    {"remove keeps continuation of another", "a_b = 1\n  2\nsyslog_name = x\n", "syslog_name", 0,
    "a_b = 1\n  2\n"},
};

static void test_edit(void **state)
{
    const struct edit_case *ec;
    struct vstring *dir = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstring *buf = vstring_alloc(100);
    int     ret;

    test_tempdir(dir);
    vstring_sprintf(path, "%s/main.cf", vstring_str(dir));
    for (ec = edit_cases; ec < edit_cases + sizeof(edit_cases) / sizeof(edit_cases[0]); ec++) {
	unlink(vstring_str(path));
	if (ec->before)
	    test_write_file(vstring_str(path), ec->before, strlen(ec->before));
	if (ec->value)
	    ret = mail_conf_edit(vstring_str(path), ec->name, ec->value, why);
	else
	    ret = mail_conf_edit_remove(vstring_str(path), ec->name, why);
	if (ret != 0) {
	    print_error("case \"%s\": %s\n", ec->label, vstring_str(why));
	    fail();
	}
	assert_int_equal(test_read_file(vstring_str(path), buf), 0);
	check_str(ec->label, "file", vstring_str(buf), ec->after);
    }
    test_rmdir(vstring_str(dir));
    vstring_free(&dir);
    vstring_free(&path);
    vstring_free(&why);
    vstring_free(&buf);
}

static void test_edit_errors_and_mode(void **state)
{
    struct vstring *dir = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstring *buf = vstring_alloc(100);
    struct stat st;

    test_tempdir(dir);
    vstring_sprintf(path, "%s/main.cf", vstring_str(dir));
    test_write_file(vstring_str(path), "a_b = 1\n", 8);
    assert_int_equal(chmod(vstring_str(path), 0600), 0);
    assert_int_equal(mail_conf_edit(vstring_str(path), "a_b", "2", why), 0);
    assert_int_equal(stat(vstring_str(path), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);

    assert_int_equal(mail_conf_edit(vstring_str(path), "a b", "2", why), -1);
    assert_string_equal(vstring_str(why), "bad parameter name \"a b\"");
    assert_int_equal(mail_conf_edit(vstring_str(path), "", "2", why), -1);
    assert_int_equal(mail_conf_edit(vstring_str(path), "a_b", "x\ny", why), -1);
    assert_string_equal(vstring_str(why), "parameter a_b: value contains a line break");
    assert_int_equal(test_read_file(vstring_str(path), buf), 0);
    assert_string_equal(vstring_str(buf), "a_b = 2\n");

    /* An edited file reads back as intended. */
    assert_int_equal(mail_conf_edit(vstring_str(path), "syslog_name", "$a_b$$", why), 0);
    assert_int_equal(mail_conf_read(vstring_str(dir), why), 0);
    assert_int_equal(mail_conf_eval_name("syslog_name", buf, why), 0);
    assert_string_equal(vstring_str(buf), "2$");
    test_rmdir(vstring_str(dir));
    vstring_free(&dir);
    vstring_free(&path);
    vstring_free(&why);
    vstring_free(&buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_cases),
	cmocka_unit_test(test_vars),
	cmocka_unit_test(test_eval_error_keeps_vars),
	cmocka_unit_test(test_read_error_keeps_settings),
	cmocka_unit_test(test_overrides),
	cmocka_unit_test(test_lookup_origin_names),
	cmocka_unit_test(test_expand),
	cmocka_unit_test(test_blowup_is_bounded),
	cmocka_unit_test(test_read_folder),
	cmocka_unit_test(test_load),
	cmocka_unit_test(test_edit),
	cmocka_unit_test(test_edit_errors_and_mode),
    };

    msg_init("test_mail_conf");
    msg_stderr_init(1, 0);
    return (cmocka_run_group_tests(tests, 0, 0));
}
