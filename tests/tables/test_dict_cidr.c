/*++
/* NAME
/*	test_dict_cidr 1
/* SUMMARY
/*	unit tests for cidr tables
/* SYNOPSIS
/*	./test_dict_cidr
/* DESCRIPTION
/*	A table of IPv4 and IPv6 networks is looked up with keys that
/*	fall in the first, a later or no network (first match in file
/*	order), host entries without /len, addresses in [], keys that are
/*	not addresses; keys are not folded. Table-driven bad lines check
/*	that the open fails with "FILE, line N: reason". The table is
/*	also read from a file, and dict_changed() follows it.
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

#include "../global/test_capture.h"

static const char table[] =
"# client access\n"
"192.168.1.1        OK host\n"
"192.168.0.0/16     REJECT lan\n"
"10.0.0.0/8         DUNNO\n"
"10.1.0.0/16        NEVER reached\n"
"[172.16.0.0]/12    bracketed\n"
"[198.51.100.7]     bracketed host\n"
"2001:db8::/32      v6 net\n"
"2001:db8::1        NEVER the net comes first\n"
"[2001:db9::]/32    v6 bracketed\n"
"::1                v6 loopback\n"
"0.0.0.0/0          any v4\n"
"::/0               any v6\n";

struct cidr_case {
    const char *key;
    const char *want;			/* 0: not found */
};

static const struct cidr_case cases[] = {
    {"192.168.1.1", "OK host"},
    {"192.168.1.2", "REJECT lan"},
    {"192.168.255.255", "REJECT lan"},
    {"10.1.2.3", "DUNNO"},
    {"172.31.255.255", "bracketed"},
    {"172.32.0.0", "any v4"},
    {"198.51.100.7", "bracketed host"},
    {"198.51.100.8", "any v4"},
    {"2001:db8::1", "v6 net"},
    {"2001:DB8:ffff::", "v6 net"},
    {"2001:db9:1::", "v6 bracketed"},
    {"::1", "v6 loopback"},
    {"::2", "any v6"},
    {"1.2.3.4", "any v4"},
    {"not-an-address", 0},
    {"", 0},
    {"1.2.3", 0},
    {"[1.2.3.4]", 0},
    {"1.2.3.4/32", 0},
};

static void test_lookups(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct dict *dict;
    const char *value;
    size_t  i;
    int     status;

    dict = dict_open_text("cidr", "client.cidr", table, strlen(table),
			  DICT_FLAG_DEFAULT, why);
    if (dict == 0)
	fail_msg("%s", vstring_str(why));
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	status = dict_lookup(dict, cases[i].key, &value);
	if (cases[i].want == 0) {
	    if (status != DICT_STAT_NOTFOUND)
		fail_msg("case %zu \"%s\": status %d, want not found", i,
			 cases[i].key, status);
	} else if (status != DICT_STAT_FOUND
		   || strcmp(value, cases[i].want) != 0) {
	    fail_msg("case %zu \"%s\": status %d \"%s\", want \"%s\"", i,
		     cases[i].key, status, status == DICT_STAT_FOUND ? value
		     : "", cases[i].want);
	}
    }
    assert_int_equal(dict_sequence(dict, DICT_SEQ_FIRST, &value, &value),
		     DICT_STAT_ERROR);
    dict_close(&dict);
    vstring_free(&why);
}

 /*
  * Bad tables and the reason the open fails with.
  */
struct bad_case {
    const char *text;
    const char *want;
};

static const struct bad_case bad_cases[] = {
    {"1.2.3.0/24 OK\n1.2.3.4/24 REJECT\n",
    "t.cidr, line 2: host bits set in \"1.2.3.4/24\" (network 1.2.3.0/24?)"},
    {"2001:db8::1/32 x\n",
    "t.cidr, line 1: host bits set in \"2001:db8::1/32\" (network 2001:db8::/32?)"},
    {"1.2.3.0/33 x\n",
    "t.cidr, line 1: bad prefix length \"/33\" for \"1.2.3.0\" (0 to 32)"},
    {"::/129 x\n", "t.cidr, line 1: bad prefix length \"/129\" for \"::\" (0 to 128)"},
    {"1.2.3.0/ x\n", "t.cidr, line 1: bad prefix length \"/\" for \"1.2.3.0\" (0 to 32)"},
    {"1.2.3.0/-1 x\n",
    "t.cidr, line 1: bad prefix length \"/-1\" for \"1.2.3.0\" (0 to 32)"},
    {"1.2.3.0/2x x\n",
    "t.cidr, line 1: bad prefix length \"/2x\" for \"1.2.3.0\" (0 to 32)"},
    {"1.2.3.0/0032 x\n",
    "t.cidr, line 1: bad prefix length \"/0032\" for \"1.2.3.0\" (0 to 32)"},
    {"# c\n\n1.2.3.400 x\n", "t.cidr, line 3: bad network address \"1.2.3.400\""},
    {"example.com x\n", "t.cidr, line 1: bad network address \"example.com\""},
    {"[1.2.3.4 x\n", "t.cidr, line 1: bad network address \"[1.2.3.4\""},
    {"1.2.3.4\n", "t.cidr, line 1: expected format: network/len result"},
    {"  1.2.3.4 x\n", "t.cidr, line 1: a logical line must not start with"
    " white space"},
};

static void test_bad_tables(void **state)
{
    struct vstring *why = vstring_alloc(100);
    size_t  i;

    for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
	vstring_reset(why);
	if (dict_open_text("cidr", "t.cidr", bad_cases[i].text,
			   strlen(bad_cases[i].text), 0, why) != 0)
	    fail_msg("case %zu: opened, want \"%s\"", i, bad_cases[i].want);
	if (strcmp(vstring_str(why), bad_cases[i].want) != 0)
	    fail_msg("case %zu: got \"%s\", want \"%s\"", i, vstring_str(why),
		     bad_cases[i].want);
    }
    vstring_free(&why);
}

static void test_continuation_and_file(void **state)
{
    struct vstring *dir = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct dict *dict;
    const char *value;
    const char *text = "10.0.0.0/8 REJECT\n  with text\n";

    test_tempdir(dir);
    vstring_sprintf(path, "cidr:%s/c", vstring_str(dir));
    test_write_file(vstring_str(path) + 5, text, strlen(text));
    dict = dict_open(vstring_str(path), DICT_MODE_READ, DICT_FLAG_DEFAULT, why);
    assert_non_null(dict);
    assert_int_equal(dict_lookup(dict, "10.9.9.9", &value), DICT_STAT_FOUND);
    assert_string_equal(value, "REJECT with text");
    assert_int_equal(dict_changed(dict), 0);
    test_write_file(vstring_str(path) + 5, "", 0);
    assert_int_equal(dict_changed(dict), 1);
    dict_close(&dict);
    test_rmdir(vstring_str(dir));
    vstring_free(&dir);
    vstring_free(&path);
    vstring_free(&why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_lookups),
	cmocka_unit_test(test_bad_tables),
	cmocka_unit_test(test_continuation_and_file),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
