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
#include <mail_addr.h>

#include "smtpd.h"

#define STUB(name) int name(struct smtpd_state *s, char *a) { return (0); }
STUB(smtpd_cmd_helo)
STUB(smtpd_cmd_ehlo)
STUB(smtpd_cmd_mail)
STUB(smtpd_cmd_rcpt)
STUB(smtpd_cmd_data)
STUB(smtpd_cmd_rset)
STUB(smtpd_cmd_noop)
STUB(smtpd_cmd_quit)
STUB(smtpd_cmd_vrfy)
STUB(smtpd_cmd_help)

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
	{"BODY=BINARYMIME", SMTPD_PARAM_SYNTAX, 0, 0},
	{"BODY", SMTPD_PARAM_SYNTAX, 0, 0},
	{"AUTH=<>", SMTPD_PARAM_UNKNOWN, 0, 0},
	{"SMTPUTF8", SMTPD_PARAM_UNKNOWN, 0, 0},
    };
    struct vstring *buf = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    size_t  i;
    long    size;
    int     body;
    int     st;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	vstring_strcpy(buf, cases[i].in);
	st = smtpd_parse_mail_params(vstring_str(buf), &size, &body, why);
	if (st != cases[i].status)
	    fail_msg("case %zu \"%s\": status %d, want %d", i, cases[i].in,
		     st, cases[i].status);
	if (st == SMTPD_PARAM_OK) {
	    assert_int_equal(size, cases[i].size);
	    assert_int_equal(body, cases[i].body);
	} else {
	    assert_true(vstring_len(why) > 0);
	}
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
	cmocka_unit_test(test_is_local),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
