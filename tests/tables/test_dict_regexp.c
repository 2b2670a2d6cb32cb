/*++
/* NAME
/*	test_dict_regexp 1
/* SUMMARY
/*	unit tests for regexp tables
/* SYNOPSIS
/*	./test_dict_regexp
/* DESCRIPTION
/*	Table-driven: each case is a table text and keys with the value
/*	each finds (or not found). Covered: first match wins, the flags
/*	(i on by default and toggled off by "i"; x on by default, "x"
/*	gives basic syntax; m gives multi-line ^ and $), other delimiters
/*	and an escaped delimiter, negation, if/endif with nesting and
/*	"if !", $1..$9, ${n} and $(n), $$, a group that took no part, a
/*	lone "$", continuation lines, keys that are not folded. Bad tables
/*	check that the open fails with "FILE, line N: reason".
/* DIAGNOSTICS
/*	cmocka's report; a failing case names itself and both values.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <vstring.h>

#include <dict.h>

struct regexp_case {
    const char *label;
    const char *table;
    const char *keys[12];		/* key, value (0: not found), ... */
};

static const struct regexp_case cases[] = {
    {"first match wins", "/^a/ first\n/^ab/ second\n/b$/ third\n",
    {"abc", "first", "xb", "third", "zz", 0}},
    {"case-insensitive by default", "/^Postmaster@/ OK\n",
    {"POSTMASTER@x", "OK", "postmaster@x", "OK", "xpostmaster@", 0}},
    {"i toggles case folding off", "/^Postmaster@/i OK\n",
    {"Postmaster@x", "OK", "postmaster@x", 0}},
    {"ii toggles it back on", "/^Postmaster@/ii OK\n", {"postmaster@x", "OK"}},
    {"extended syntax by default", "/^a+(b|c)$/ yes\n",
    {"aaac", "yes", "a+b", 0}},
    {"x gives basic syntax", "/^a+(b|c)$/x yes\n",
    {"a+(b|c)", "yes", "aab", 0}},
    {"basic syntax groups", "/^\\(a*\\)b$/x got $1\n", {"aaab", "got aaa"}},
    {"m: ^ and $ at newlines", "/^b$/m multi\n/^b$/ single\n",
    {"a\nb\nc", "multi", "b", "multi"}},
    {"without m: newline is ordinary", "/^a.b$/ dot\n", {"a\nb", "dot"}},
    {"unknown key", "/^x$/ y\n", {"", 0, "xx", 0}},
    {"other delimiter", "|^a/b$| slash\n~^c~ tilde\n",
    {"a/b", "slash", "cat", "tilde"}},
    {"# starts a comment, not a pattern", "#^a# x\n/^b/ y\n",
    {"a", 0, "b", "y"}},
    {"escaped delimiter", "/^a\\/b$/ escaped\n", {"a/b", "escaped"}},
    {"blank in pattern", "/^a b$/ blank\n", {"a b", "blank"}},
    {"negation", "!/^ok@/ not ok\n/./ rest\n",
    {"bad@x", "not ok", "ok@x", "rest"}},
    {"negation with blank", "! /^ok@/ not ok\n", {"bad@x", "not ok"}},
    {"if", "if /@example\\.com$/\n/^a@/ A\n/^b@/ B\nendif\n/^a@/ other A\n",
	{"a@example.com", "A", "b@example.com", "B", "c@example.com", 0,
    "a@other.net", "other A"}},
    {"if !", "if !/@example\\.com$/\n/^a@/ outside\nendif\n",
    {"a@example.com", 0, "a@x.net", "outside"}},
    {"nested if", "if /^a/\nif /b$/\n/./ ab\nendif\n/./ a\nendif\n/./ none\n",
    {"axb", "ab", "axc", "a", "bxb", "none"}},
    {"if and endif in any case", "IF /^a/\n/./ yes\nEndIf\n",
    {"ab", "yes", "b", 0}},
    {"empty if block", "if /^a/\nendif\n/./ after\n", {"ab", "after"}},
    {"substitution", "/^(.*)-outgoing@(.*)$/ 550 Use $1@$2 instead\n",
    {"list-outgoing@x.org", "550 Use list@x.org instead"}},
    {"braces and parentheses", "/^(a)(b)$/ ${1}x$(2)y\n", {"ab", "axby"}},
    {"nine groups", "/^(a)(b)(c)(d)(e)(f)(g)(h)(i)$/ $9$8$7$6$5$4$3$2$1\n",
    {"abcdefghi", "ihgfedcba"}},
    {"dollar dollar", "/^(a)$/ cost $$1 and $$$1\n", {"a", "cost $1 and $a"}},
    {"lone dollar", "/^x$/ $ and $x and a$\n", {"x", "$ and $x and a$"}},
    {"group that took no part", "/^(a)|(b)$/ [$1][$2]\n",
    {"a", "[a][]", "b", "[][b]"}},
    {"continued result", "/^a$/ REJECT\n  go away\n", {"a", "REJECT go away"}},
    {"keys are not folded", "/^ABC$/i exact\n", {"ABC", "exact", "abc", 0}},
};

static void test_lookups(void **state)
{
    struct vstring *why = vstring_alloc(100);
    const struct regexp_case *c;
    struct dict *dict;
    const char *value;
    size_t  i;
    size_t  k;
    int     status;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	c = cases + i;
	dict = dict_open_text("regexp", "t.re", c->table, strlen(c->table),
			      DICT_FLAG_DEFAULT, why);
	if (dict == 0)
	    fail_msg("case %zu \"%s\": %s", i, c->label, vstring_str(why));
	for (k = 0; k < 12 && c->keys[k]; k += 2) {
	    status = dict_lookup(dict, c->keys[k], &value);
	    if (c->keys[k + 1] == 0) {
		if (status != DICT_STAT_NOTFOUND)
		    fail_msg("case %zu \"%s\": key \"%s\": status %d (%s), want"
			     " not found", i, c->label, c->keys[k], status,
			     status == DICT_STAT_FOUND ? value : "");
	    } else if (status != DICT_STAT_FOUND
		       || strcmp(value, c->keys[k + 1]) != 0) {
		fail_msg("case %zu \"%s\": key \"%s\": status %d \"%s\", want"
			 " \"%s\"", i, c->label, c->keys[k], status,
			 status == DICT_STAT_FOUND ? value : "", c->keys[k + 1]);
	    }
	}
	dict_close(&dict);
    }
    vstring_free(&why);
}

struct bad_case {
    const char *text;
    const char *want;
};

static const struct bad_case bad_cases[] = {
    {"/a/q x\n", "t.re, line 1: unknown flag \"q\" (known: i, m, x)"},
    {"/a x\n", "t.re, line 1: missing closing \"/\" after the pattern"},
    {"/a\\/ x\n", "t.re, line 1: missing closing \"/\" after the pattern"},
    {"abc x\n", "t.re, line 1: expected /pattern/ (any delimiter that is not"
    " a letter, digit, blank or backslash)"},
    {"\\a\\ x\n", "t.re, line 1: expected /pattern/ (any delimiter that is not"
    " a letter, digit, blank or backslash)"},
    {"/a/\n", "t.re, line 1: missing result after the pattern"},
    {"# c\n/(a/ x\n", "t.re, line 2: bad regular expression \"(a\":"},
    {"/(a)/ $2\n", "t.re, line 1: $2 in the result, but the pattern has 1"
    " group(s)"},
    {"/a/ $1\n", "t.re, line 1: $1 in the result, but the pattern has 0"
    " group(s)"},
    {"/(a)/ $0\n", "t.re, line 1: $0 in the result (groups are numbered"
    " from 1)"},
    {"!/(a)/ $1\n", "t.re, line 1: $1 in the result of a negated pattern"
    " (it has no groups to substitute)"},
    {"/(a)/ ${x}\n", "t.re, line 1: bad substitution \"${x}\" in the result"
    " (write $$ for a \"$\")"},
    {"/(a)/ ${12}\n", "t.re, line 1: bad substitution \"${12\" in the result"
    " (write $$ for a \"$\")"},
    {"endif\n", "t.re, line 1: endif without if"},
    {"if /a/\n/b/ c\n", "t.re, line 1: if without endif"},
    {"if /a/\nif /b/\nendif\n", "t.re, line 1: if without endif"},
    {"if /a/\nendif\nif /b/\n/c/ d\n", "t.re, line 3: if without endif"},
    {"if /a/ x\nendif\n", "t.re, line 1: unexpected text after the if pattern:"
    " \"x\""},
    {"if /a/\nendif x\n", "t.re, line 2: unexpected text after endif: \"x\""},
    {"  /a/ b\n", "t.re, line 1: a logical line must not start with white"
    " space"},
};

static void test_bad_tables(void **state)
{
    struct vstring *why = vstring_alloc(100);
    size_t  i;

    for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
	vstring_reset(why);
	if (dict_open_text("regexp", "t.re", bad_cases[i].text,
			   strlen(bad_cases[i].text), 0, why) != 0)
	    fail_msg("case %zu: opened, want \"%s\"", i, bad_cases[i].want);
	/* regerror() texts differ between C libraries: compare the start. */
	if (strncmp(vstring_str(why), bad_cases[i].want,
		    strlen(bad_cases[i].want)) != 0)
	    fail_msg("case %zu: got \"%s\", want \"%s\"", i, vstring_str(why),
		     bad_cases[i].want);
    }
    vstring_free(&why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_lookups),
	cmocka_unit_test(test_bad_tables),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
