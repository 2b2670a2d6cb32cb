/*++
/* NAME
/*	test_smtpd_parse 1
/* SUMMARY
/*	unit tests for the smtpd command-line parsers
/* SYNOPSIS
/*	./test_smtpd_parse
/* DESCRIPTION
/*	Drives src/smtpd/smtpd_parse.c alone: the command handlers it
/*	refers to are stubs here.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <vstring.h>
#include <dsn.h>
#include <mail_addr.h>

#include "smtpd.h"

#include "smtpd_cmd_stubs.h"

static void test_find(void **unused)
{
    static const char *names[] = {"HELO", "EHLO", "MAIL", "RCPT", "DATA",
    "RSET", "NOOP", "QUIT", "VRFY", "HELP"};
    size_t  i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
	const struct smtpd_cmd *cmd = smtpd_cmd_find(names[i], 4);

	assert_non_null(cmd);
	assert_int_equal(cmd->id, (int) i);
    }
    assert_non_null(smtpd_cmd_find("mail", 4));
    assert_non_null(smtpd_cmd_find("eHlO", 4));
    assert_null(smtpd_cmd_find("MAILX", 5));
    assert_null(smtpd_cmd_find("MAI", 3));
    assert_null(smtpd_cmd_find("", 0));
    assert_null(smtpd_cmd_find("STARTTLS", 8));
    /* len is honoured: "MAIL" inside a longer buffer. */
    assert_non_null(smtpd_cmd_find("MAILBOX", 4));
}

static void test_split(void **unused)
{
    static const struct {
	const char *in;
	const char *verb;
	const char *args;
    }       cases[] = {
	{"MAIL FROM:<a@b.c>\r\n", "MAIL", "FROM:<a@b.c>"},
	{"  rcpt   TO:<x@y>  \r\n", "rcpt", "TO:<x@y>"},
	{"QUIT\n", "QUIT", ""},
	{"QUIT", "QUIT", ""},
	{"\r\n", "", ""},
	{"", "", ""},
	{"EHLO\tclient.example\r\n", "EHLO", "client.example"},
	{"DATA \r\n", "DATA", ""},
    };
    struct vstring *buf = vstring_alloc(10);
    size_t  i;
    size_t  n;
    char   *verb;
    char   *args;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	vstring_strcpy(buf, cases[i].in);
	verb = smtpd_cmd_split(vstring_str(buf), &n, &args);
	if (n != strlen(cases[i].verb)
	    || strncmp(verb, cases[i].verb, n) != 0
	    || strcmp(args, cases[i].args) != 0)
	    fail_msg("case %zu: verb \"%.*s\" args \"%s\"", i, (int) n,
		     verb, args);
    }
    vstring_free(&buf);
}

static void test_path(void **unused)
{
    static const struct {
	const char *args;
	const char *key;
	int     flags;
	int     status;
	const char *addr;
	const char *rest;
    }       cases[] = {
	{"FROM:<a@b.c>", "FROM:", MAIL_ADDR_FLAG_NULL_OK, SMTPD_PATH_OK, "a@b.c", ""},
	{"from:<a@b.c>", "FROM:", 0, SMTPD_PATH_OK, "a@b.c", ""},
	{"FROM: <a@b.c>  SIZE=10 BODY=8BITMIME", "FROM:", 0, SMTPD_PATH_OK,
	"a@b.c", "SIZE=10 BODY=8BITMIME"},
	{"FROM:<>", "FROM:", MAIL_ADDR_FLAG_NULL_OK, SMTPD_PATH_OK, "", ""},
	{"FROM:<> SIZE=1", "FROM:", MAIL_ADDR_FLAG_NULL_OK, SMTPD_PATH_OK, "", "SIZE=1"},
	{"TO:<>", "TO:", 0, SMTPD_PATH_BADADDR, 0, 0},
	{"FROM:a@b.c", "FROM:", 0, SMTPD_PATH_OK, "a@b.c", ""},
	{"FROM", "FROM:", 0, SMTPD_PATH_SYNTAX, 0, 0},
	{"FROM:", "FROM:", 0, SMTPD_PATH_SYNTAX, 0, 0},
	{"FROM:   ", "FROM:", 0, SMTPD_PATH_SYNTAX, 0, 0},
	{"", "FROM:", 0, SMTPD_PATH_SYNTAX, 0, 0},
	{"TO<a@b.c>", "TO:", 0, SMTPD_PATH_SYNTAX, 0, 0},
	{"FRM:<a@b.c>", "FROM:", 0, SMTPD_PATH_SYNTAX, 0, 0},
	{"TO:<a@b.c>x", "TO:", 0, SMTPD_PATH_BADADDR, 0, 0},
	{"TO:<a@b.c", "TO:", 0, SMTPD_PATH_BADADDR, 0, 0},
	{"TO:<a b@c.d>", "TO:", 0, SMTPD_PATH_BADADDR, 0, 0},
	{"TO:<postmaster>", "TO:", MAIL_ADDR_FLAG_NODOMAIN, SMTPD_PATH_OK,
	"postmaster", ""},
	{"TO:<@relay.test:bob@b.c>", "TO:", 0, SMTPD_PATH_OK, "bob@b.c", ""},
	{"<bob@b.c>", "", 0, SMTPD_PATH_OK, "bob@b.c", ""},
    };
    struct vstring *addr = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    char   *rest;
    size_t  i;
    int     st;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	st = smtpd_parse_path(cases[i].args, cases[i].key, cases[i].flags,
			      addr, &rest, why);
	if (st != cases[i].status)
	    fail_msg("case %zu \"%s\": status %d, want %d (%s)", i,
		     cases[i].args, st, cases[i].status, vstring_str(why));
	if (st == SMTPD_PATH_OK) {
	    assert_string_equal(vstring_str(addr), cases[i].addr);
	    assert_string_equal(rest, cases[i].rest);
	}
    }
    vstring_free(&addr);
    vstring_free(&why);
}

/* parse_case - parse case i's text as cmd's parameters into p */

static int parse_case(size_t i, const char *in, int cmd, int want,
		              struct smtpd_params *p, struct vstring *buf,
		              struct vstring *why)
{
    int     st;

    vstring_strcpy(buf, in);
    vstring_reset(why);
    smtpd_params_init(p);
    st = smtpd_parse_params(vstring_str(buf), cmd, p, why);
    if (st != want)
	fail_msg("case %zu \"%s\": status %d, want %d (%s)", i, in, st, want,
		 vstring_str(why));
    if (st != SMTPD_PARAM_OK)
	assert_true(vstring_len(why) > 0);
    return (st);
}

static void test_mail_params(void **unused)
{
    static const struct {
	const char *in;
	int     status;
	long    size;
	int     body;
    }       cases[] = {
	{"", SMTPD_PARAM_OK, 0, SMTPD_BODY_NONE},
	{"SIZE=100", SMTPD_PARAM_OK, 100, SMTPD_BODY_NONE},
	{"size=100 body=8bitmime", SMTPD_PARAM_OK, 100, SMTPD_BODY_8BITMIME},
	{"BODY=7BIT", SMTPD_PARAM_OK, 0, SMTPD_BODY_7BIT},
	{"SIZE=999999999999999999", SMTPD_PARAM_OK, 999999999999999999L, 0},
	{"SIZE=9999999999999999999", SMTPD_PARAM_SYNTAX, 0, 0},
	{"SIZE=", SMTPD_PARAM_SYNTAX, 0, 0},
	{"SIZE", SMTPD_PARAM_SYNTAX, 0, 0},
	{"SIZE=12a", SMTPD_PARAM_SYNTAX, 0, 0},
	{"SIZE=-1", SMTPD_PARAM_SYNTAX, 0, 0},
	{"SIZE=1 size=2", SMTPD_PARAM_SYNTAX, 0, 0},
	{"BODY=BINARYMIME", SMTPD_PARAM_SYNTAX, 0, 0},
	{"BODY", SMTPD_PARAM_SYNTAX, 0, 0},
	{"AUTH=<>", SMTPD_PARAM_UNKNOWN, 0, 0},
	{"SMTPUTF8", SMTPD_PARAM_UNKNOWN, 0, 0},
	{"NOTIFY=NEVER", SMTPD_PARAM_UNKNOWN, 0, 0},
    };
    struct smtpd_params p;
    struct vstring *buf = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	if (parse_case(i, cases[i].in, SMTPD_CMD_MAIL, cases[i].status, &p,
		       buf, why) == SMTPD_PARAM_OK) {
	    assert_int_equal(p.size, cases[i].size);
	    assert_int_equal(p.body, cases[i].body);
	}
	smtpd_params_free(&p);
    }
    vstring_free(&buf);
    vstring_free(&why);
}

 /*
  * RFC 3461 parameters: status, and for MAIL the RET and decoded ENVID,
  * for RCPT the NOTIFY mask and decoded ORCPT; why must contain the
  * given text on failure.
  */
static void test_dsn_params(void **unused)
{
    static const struct {
	int     cmd;
	const char *in;
	int     status;
	const char *ret_or_why;
	const char *envid_or_orcpt;
	int     notify;
    }       cases[] = {
	{SMTPD_CMD_MAIL, "RET=FULL", SMTPD_PARAM_OK, "FULL", "", 0},
	{SMTPD_CMD_MAIL, "ret=hdrs ENVID=QQ314159", SMTPD_PARAM_OK, "HDRS",
	"QQ314159", 0},
	{SMTPD_CMD_MAIL, "ENVID=a+2Bb+3Dc SIZE=10", SMTPD_PARAM_OK, 0,
	"a+b=c", 0},
	{SMTPD_CMD_MAIL, "ENVID=a+2bb", SMTPD_PARAM_OK, 0, "a+b", 0},
	{SMTPD_CMD_MAIL, "RET=NONE", SMTPD_PARAM_SYNTAX, "RET", 0, 0},
	{SMTPD_CMD_MAIL, "RET", SMTPD_PARAM_SYNTAX, "RET", 0, 0},
	{SMTPD_CMD_MAIL, "RET=FULL RET=FULL", SMTPD_PARAM_SYNTAX,
	"Duplicate RET", 0, 0},
	{SMTPD_CMD_MAIL, "ENVID=a ENVID=b", SMTPD_PARAM_SYNTAX,
	"Duplicate ENVID", 0, 0},
	{SMTPD_CMD_MAIL, "ENVID=", SMTPD_PARAM_SYNTAX, "xtext", 0, 0},
	{SMTPD_CMD_MAIL, "ENVID=a+4", SMTPD_PARAM_SYNTAX, "xtext", 0, 0},
	{SMTPD_CMD_MAIL, "ENVID=a+ZZ", SMTPD_PARAM_SYNTAX, "xtext", 0, 0},
	{SMTPD_CMD_MAIL, "ENVID=a=b", SMTPD_PARAM_SYNTAX, "xtext", 0, 0},
	{SMTPD_CMD_MAIL, "ENVID=+0A", SMTPD_PARAM_SYNTAX, "xtext", 0, 0},
	{SMTPD_CMD_MAIL, "ENVID=+C3+A9", SMTPD_PARAM_SYNTAX, "printable", 0, 0},
	{SMTPD_CMD_MAIL, "ENVID=" "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789" "01234567890123456789",
	SMTPD_PARAM_OK, 0, "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789" "01234567890123456789",
	0},
	{SMTPD_CMD_MAIL, "ENVID=" "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789" "012345678901234567890",
	SMTPD_PARAM_SYNTAX, "longer than 100", 0, 0},
	{SMTPD_CMD_MAIL, "ORCPT=rfc822;a@b", SMTPD_PARAM_UNKNOWN,
	"Unsupported option: ORCPT", 0, 0},
	{SMTPD_CMD_RCPT, "NOTIFY=NEVER", SMTPD_PARAM_OK, 0, "",
	DSN_NOTIFY_NEVER},
	{SMTPD_CMD_RCPT, "notify=success,Delay", SMTPD_PARAM_OK, 0, "",
	DSN_NOTIFY_SUCCESS | DSN_NOTIFY_DELAY},
	{SMTPD_CMD_RCPT, "NOTIFY=FAILURE ORCPT=rfc822;bob+40example.org",
	SMTPD_PARAM_OK, 0, "rfc822;bob@example.org", DSN_NOTIFY_FAILURE},
	{SMTPD_CMD_RCPT, "ORCPT=x-local;a+20b", SMTPD_PARAM_OK, 0,
	"x-local;a b", 0},
	{SMTPD_CMD_RCPT, "NOTIFY=NEVER,SUCCESS", SMTPD_PARAM_SYNTAX, "NOTIFY",
	0, 0},
	{SMTPD_CMD_RCPT, "NOTIFY=SUCCESS,,DELAY", SMTPD_PARAM_SYNTAX, "NOTIFY",
	0, 0},
	{SMTPD_CMD_RCPT, "NOTIFY=SUCCESS,SUCCESS", SMTPD_PARAM_SYNTAX,
	"NOTIFY", 0, 0},
	{SMTPD_CMD_RCPT, "NOTIFY=", SMTPD_PARAM_SYNTAX, "NOTIFY", 0, 0},
	{SMTPD_CMD_RCPT, "NOTIFY=SOMETIMES", SMTPD_PARAM_SYNTAX, "NOTIFY", 0, 0},
	{SMTPD_CMD_RCPT, "NOTIFY=NEVER NOTIFY=NEVER", SMTPD_PARAM_SYNTAX,
	"Duplicate NOTIFY", 0, 0},
	{SMTPD_CMD_RCPT, "ORCPT=rfc822;a ORCPT=rfc822;b", SMTPD_PARAM_SYNTAX,
	"Duplicate ORCPT", 0, 0},
	{SMTPD_CMD_RCPT, "ORCPT=bob@example.org", SMTPD_PARAM_SYNTAX,
	"addr-type", 0, 0},
	{SMTPD_CMD_RCPT, "ORCPT=rfc822;", SMTPD_PARAM_SYNTAX, "addr-type", 0, 0},
	{SMTPD_CMD_RCPT, "ORCPT=rfc+2E822;a", SMTPD_PARAM_SYNTAX, "addr-type",
	0, 0},
	{SMTPD_CMD_RCPT, "ORCPT=rfc822;a+4", SMTPD_PARAM_SYNTAX, "xtext", 0, 0},
	{SMTPD_CMD_RCPT, "ORCPT=rfc822;a+FF", SMTPD_PARAM_SYNTAX, "printable",
	0, 0},
	{SMTPD_CMD_RCPT, "RET=FULL", SMTPD_PARAM_UNKNOWN,
	"Unsupported option: RET", 0, 0},
	{SMTPD_CMD_RCPT, "SIZE=10", SMTPD_PARAM_UNKNOWN, "SIZE", 0, 0},
    };
    struct smtpd_params p;
    struct vstring *buf = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    size_t  i;
    int     st;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	st = parse_case(i, cases[i].in, cases[i].cmd, cases[i].status, &p,
			buf, why);
	if (st != SMTPD_PARAM_OK) {
	    if (strstr(vstring_str(why), cases[i].ret_or_why) == 0)
		fail_msg("case %zu \"%s\": why \"%s\" lacks \"%s\"", i,
			 cases[i].in, vstring_str(why), cases[i].ret_or_why);
	} else if (cases[i].cmd == SMTPD_CMD_MAIL) {
	    if (cases[i].ret_or_why == 0)
		assert_null(p.ret);
	    else
		assert_string_equal(p.ret, cases[i].ret_or_why);
	    assert_string_equal(vstring_str(p.envid), cases[i].envid_or_orcpt);
	} else {
	    assert_int_equal(p.notify, cases[i].notify);
	    assert_string_equal(vstring_str(p.orcpt), cases[i].envid_or_orcpt);
	}
	smtpd_params_free(&p);
    }
    vstring_free(&buf);
    vstring_free(&why);
}

static void test_is_local(void **unused)
{
    const char *dest = "mx.example.test, localhost";

    assert_true(smtpd_addr_is_local("bob@mx.example.test", dest));
    assert_true(smtpd_addr_is_local("bob@MX.Example.TEST", dest));
    assert_true(smtpd_addr_is_local("bob@localhost", dest));
    assert_true(smtpd_addr_is_local("\"b@b\"@localhost", dest));
    assert_true(smtpd_addr_is_local("postmaster", dest));
    assert_true(smtpd_addr_is_local("PostMaster", dest));
    assert_false(smtpd_addr_is_local("bob", dest));
    assert_false(smtpd_addr_is_local("bob@example.test", dest));
    assert_false(smtpd_addr_is_local("bob@mx.example.test.evil", dest));
    assert_false(smtpd_addr_is_local("bob@[127.0.0.1]", dest));
    assert_false(smtpd_addr_is_local("\"x@mx.example.test\"@evil.test", dest));
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_find),
	cmocka_unit_test(test_split),
	cmocka_unit_test(test_path),
	cmocka_unit_test(test_mail_params),
	cmocka_unit_test(test_dsn_params),
	cmocka_unit_test(test_is_local),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
