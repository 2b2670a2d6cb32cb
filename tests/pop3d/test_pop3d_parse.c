/*++
/* NAME
/*	test_pop3d_parse 1
/* SUMMARY
/*	unit tests for the POP3 command parser
/* SYNOPSIS
/*	./test_pop3d_parse
/* DESCRIPTION
/*	Drives src/pop3d/pop3d_parse.c alone: every command in both
/*	cases, argument counts, PASS with spaces, control bytes, and
/*	message numbers.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <vstring.h>

#include "pop3d.h"

 /*
  * Each case: the line (len given, so it may hold NUL), the result, the
  * command found (or -1), and the arguments.
  */
struct parse_case {
    const char *line;
    size_t  len;
    int     status;
    int     cmd;
    int     argc;
    const char *arg0;
    const char *arg1;
};

#define L(s)	s, sizeof(s) - 1

static const struct parse_case parse_cases[] = {
    {L("USER alice"), POP3D_PARSE_OK, POP3D_CMD_USER, 1, "alice", 0},
    {L("user alice"), POP3D_PARSE_OK, POP3D_CMD_USER, 1, "alice", 0},
    {L("USER"), POP3D_PARSE_SYNTAX, POP3D_CMD_USER, 0, 0, 0},
    {L("USER a b"), POP3D_PARSE_SYNTAX, POP3D_CMD_USER, 1, 0, 0},
    {L("PASS secret"), POP3D_PARSE_OK, POP3D_CMD_PASS, 1, "secret", 0},
    {L("PASS two words "), POP3D_PARSE_OK, POP3D_CMD_PASS, 1, "two words ", 0},
    {L("PASS  lead"), POP3D_PARSE_OK, POP3D_CMD_PASS, 1, " lead", 0},
    {L("PASS"), POP3D_PARSE_SYNTAX, POP3D_CMD_PASS, 0, 0, 0},
    {L("PASS "), POP3D_PARSE_SYNTAX, POP3D_CMD_PASS, 0, 0, 0},
    {L("AUTH"), POP3D_PARSE_OK, POP3D_CMD_AUTH, 0, 0, 0},
    {L("AUTH PLAIN"), POP3D_PARSE_OK, POP3D_CMD_AUTH, 1, "PLAIN", 0},
    {L("AUTH PLAIN AGEAYg=="), POP3D_PARSE_OK, POP3D_CMD_AUTH, 2, "PLAIN", "AGEAYg=="},
    {L("AUTH PLAIN x y"), POP3D_PARSE_SYNTAX, POP3D_CMD_AUTH, 2, 0, 0},
    {L("CAPA"), POP3D_PARSE_OK, POP3D_CMD_CAPA, 0, 0, 0},
    {L("CAPA x"), POP3D_PARSE_SYNTAX, POP3D_CMD_CAPA, 0, 0, 0},
    {L("quit"), POP3D_PARSE_OK, POP3D_CMD_QUIT, 0, 0, 0},
    {L("  QUIT  "), POP3D_PARSE_OK, POP3D_CMD_QUIT, 0, 0, 0},
    {L("STAT"), POP3D_PARSE_OK, POP3D_CMD_STAT, 0, 0, 0},
    {L("LIST"), POP3D_PARSE_OK, POP3D_CMD_LIST, 0, 0, 0},
    {L("LIST 3"), POP3D_PARSE_OK, POP3D_CMD_LIST, 1, "3", 0},
    {L("List   3  "), POP3D_PARSE_OK, POP3D_CMD_LIST, 1, "3", 0},
    {L("LIST 3 4"), POP3D_PARSE_SYNTAX, POP3D_CMD_LIST, 1, 0, 0},
    {L("RETR 1"), POP3D_PARSE_OK, POP3D_CMD_RETR, 1, "1", 0},
    {L("RETR"), POP3D_PARSE_SYNTAX, POP3D_CMD_RETR, 0, 0, 0},
    {L("DELE 2"), POP3D_PARSE_OK, POP3D_CMD_DELE, 1, "2", 0},
    {L("NOOP"), POP3D_PARSE_OK, POP3D_CMD_NOOP, 0, 0, 0},
    {L("RSET"), POP3D_PARSE_OK, POP3D_CMD_RSET, 0, 0, 0},
    {L("TOP 1 0"), POP3D_PARSE_OK, POP3D_CMD_TOP, 2, "1", "0"},
    {L("TOP 1"), POP3D_PARSE_SYNTAX, POP3D_CMD_TOP, 1, 0, 0},
    {L("UIDL"), POP3D_PARSE_OK, POP3D_CMD_UIDL, 0, 0, 0},
    {L("UIDL 9"), POP3D_PARSE_OK, POP3D_CMD_UIDL, 1, "9", 0},
    {L("LAST"), POP3D_PARSE_UNKNOWN, -1, 0, 0, 0},
    {L("APOP a b"), POP3D_PARSE_UNKNOWN, -1, 0, 0, 0},
    {L("STATX"), POP3D_PARSE_UNKNOWN, -1, 0, 0, 0},
    {L("STA"), POP3D_PARSE_UNKNOWN, -1, 0, 0, 0},
    {L(""), POP3D_PARSE_UNKNOWN, -1, 0, 0, 0},
    {L("   "), POP3D_PARSE_UNKNOWN, -1, 0, 0, 0},
    {L("ST\0AT"), POP3D_PARSE_SYNTAX, -1, 0, 0, 0},
    {L("STAT\0"), POP3D_PARSE_SYNTAX, -1, 0, 0, 0},
    {L("USER a\0b"), POP3D_PARSE_SYNTAX, POP3D_CMD_USER, 0, 0, 0},
    {L("PASS a\033b"), POP3D_PARSE_SYNTAX, POP3D_CMD_PASS, 0, 0, 0},
    {L("NOOP\r"), POP3D_PARSE_SYNTAX, -1, 0, 0, 0},
    {L("USER a\tb"), POP3D_PARSE_OK, POP3D_CMD_USER, 1, "a\tb", 0},
};

static void test_parse(void **unused)
{
    const struct parse_case *c;
    struct pop3d_req req;
    struct vstring *buf = vstring_alloc(100);
    size_t  i;
    int     status;

    for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
	c = parse_cases + i;
	vstring_memcpy(buf, c->line, c->len);
	status = pop3d_parse(vstring_str(buf), c->len, &req);
	if (status != c->status)
	    fail_msg("case %zu: status %d, want %d", i, status, c->status);
	if (c->cmd < 0 ? req.cmd != 0 : (req.cmd == 0 || req.cmd->id != c->cmd))
	    fail_msg("case %zu: command %d, want %d", i,
		     req.cmd ? req.cmd->id : -1, c->cmd);
	if (status != POP3D_PARSE_OK)
	    continue;
	if (req.argc != c->argc)
	    fail_msg("case %zu: argc %d, want %d", i, req.argc, c->argc);
	if (c->arg0 && strcmp(req.argv[0], c->arg0) != 0)
	    fail_msg("case %zu: argv[0] \"%s\", want \"%s\"", i, req.argv[0],
		     c->arg0);
	if (c->arg1 && strcmp(req.argv[1], c->arg1) != 0)
	    fail_msg("case %zu: argv[1] \"%s\", want \"%s\"", i, req.argv[1],
		     c->arg1);
    }
    vstring_free(&buf);
}

static void test_states(void **unused)
{
    static const struct {
	const char *line;
	int     states;
    }       cases[] = {
	{"USER a", POP3D_STATE_AUTH},
	{"PASS a", POP3D_STATE_AUTH},
	{"AUTH", POP3D_STATE_AUTH},
	{"CAPA", POP3D_STATE_AUTH | POP3D_STATE_TRANS},
	{"QUIT", POP3D_STATE_AUTH | POP3D_STATE_TRANS},
	{"STAT", POP3D_STATE_TRANS},
	{"LIST", POP3D_STATE_TRANS},
	{"RETR 1", POP3D_STATE_TRANS},
	{"DELE 1", POP3D_STATE_TRANS},
	{"NOOP", POP3D_STATE_TRANS},
	{"RSET", POP3D_STATE_TRANS},
	{"TOP 1 1", POP3D_STATE_TRANS},
	{"UIDL", POP3D_STATE_TRANS},
    };
    struct pop3d_req req;
    struct vstring *buf = vstring_alloc(100);
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	vstring_strcpy(buf, cases[i].line);
	assert_int_equal(pop3d_parse(vstring_str(buf), vstring_len(buf), &req),
			 POP3D_PARSE_OK);
	if (req.cmd->states != cases[i].states)
	    fail_msg("%s: states %d, want %d", cases[i].line, req.cmd->states,
		     cases[i].states);
    }
    assert_string_equal(pop3d_state_name(POP3D_STATE_AUTH), "AUTHORIZATION");
    assert_string_equal(pop3d_state_name(POP3D_STATE_TRANS), "TRANSACTION");
    vstring_free(&buf);
}

static void test_msgno(void **unused)
{
    static const struct {
	const char *text;
	long    count;
	int     status;
	long    number;
    }       cases[] = {
	{"1", 3, 1, 1},
	{"3", 3, 1, 3},
	{"03", 3, 1, 3},
	{"4", 3, 0, 0},
	{"0", 3, 0, 0},
	{"1", 0, 0, 0},
	{"999999999", 999999999L, 1, 999999999L},
	{"1000000000", 2000000000L, -1, 0},
	{"", 3, -1, 0},
	{"-1", 3, -1, 0},
	{"+1", 3, -1, 0},
	{"1a", 3, -1, 0},
	{" 1", 3, -1, 0},
	{"x", 3, -1, 0},
    };
    size_t  i;
    long    n;
    int     status;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	n = -7;
	status = pop3d_parse_msgno(cases[i].text, cases[i].count, &n);
	if (status != cases[i].status)
	    fail_msg("case %zu \"%s\": status %d, want %d", i, cases[i].text,
		     status, cases[i].status);
	if (status == 1 && n != cases[i].number)
	    fail_msg("case %zu: number %ld, want %ld", i, n, cases[i].number);
	if (status != 1 && n != -7)
	    fail_msg("case %zu: number changed on failure", i);
    }
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_parse),
	cmocka_unit_test(test_states),
	cmocka_unit_test(test_msgno),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
