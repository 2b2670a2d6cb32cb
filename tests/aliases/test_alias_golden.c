/*++
/* NAME
/*	test_alias_golden 1
/* SUMMARY
/*	golden-file tests for the aliases(5) parser
/* SYNOPSIS
/*	./test_alias_golden
/*
/*	UPDATE_REF=1 ./test_alias_golden
/* DESCRIPTION
/*	Each cases/NAME.in is parsed as an aliases file
/*	(alias_parse_file(), with the label "cases/NAME.in"). The result
/*	is the warnings written to stderr, then for each entry a line
/*	"LINE: NAME: VALUE" followed by one line per item of the value
/*	(alias_split()), "\tTYPE REST" with TYPE address, file, command
/*	or include, then "malformed: N". It must equal cases/NAME.ref
/*	byte for byte; each .in file is one cmocka test. On a difference
/*	the result is left in cases/NAME.out for diff(1). With UPDATE_REF
/*	set in the environment the .ref files are rewritten instead
/*	(review the diff).
/* DIAGNOSTICS
/*	cmocka's report.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <glob.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <alias_parse.h>

#include "../global/test_capture.h"

static const char *type_names[] = {"?", "address", "file", "command",
"include"};

/* golden_entry - print one entry and its items */

static void golden_entry(void *ctx, const char *name, const char *value,
			         const char *file, int line)
{
    struct vstring *out = ctx;
    struct argv *items = alias_split(value);
    const char *rest;
    size_t  i;
    int     type;

    vstring_sprintf_append(out, "%d: %s: %s\n", line, name, value);
    for (i = 0; i < items->argc; i++) {
	type = alias_item_type(items->argv[i], &rest);
	vstring_sprintf_append(out, "\t%s %s\n", type_names[type], rest);
    }
    argv_free(&items);
}

static void test_golden(void **state)
{
    const char *in = *state;
    struct vstring *ref = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct vstring *out = vstring_alloc(100);
    struct vstring *entries = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    size_t  stem = strlen(in) - 3;
    int     bad;

    capture_start();
    bad = alias_parse_file(in, golden_entry, (void *) entries, why);
    capture_end(out);
    assert_true(bad >= 0);
    vstring_append(out, vstring_str(entries), vstring_len(entries));
    vstring_sprintf_append(out, "malformed: %d\n", bad);
    vstring_sprintf(path, "%.*s.ref", (int) stem, in);
    if (getenv("UPDATE_REF")) {
	test_write_file(vstring_str(path), vstring_str(out), vstring_len(out));
    } else if (test_read_file(vstring_str(path), ref) < 0) {
	print_error("%s: missing (make refs)\n", vstring_str(path));
	fail();
    } else if (vstring_len(ref) != vstring_len(out)
	       || memcmp(vstring_str(ref), vstring_str(out),
			 vstring_len(out)) != 0) {
	vstring_sprintf(path, "%.*s.out", (int) stem, in);
	test_write_file(vstring_str(path), vstring_str(out), vstring_len(out));
	print_error("%s differs from its .ref; see diff %.*s.ref %s\n",
		    in, (int) stem, in, vstring_str(path));
	fail();
    } else {
	vstring_sprintf(path, "%.*s.out", (int) stem, in);
	unlink(vstring_str(path));
    }
    vstring_free(&ref);
    vstring_free(&path);
    vstring_free(&out);
    vstring_free(&entries);
    vstring_free(&why);
}

int     main(void)
{
    struct CMUnitTest *tests;
    glob_t  g;
    size_t  i;
    int     ret;

    msg_init("test_alias_golden");
    msg_stderr_init(1, 0);
    if (chdir(TEST_DIR) < 0 || glob("cases/*.in", 0, 0, &g) != 0
	|| g.gl_pathc == 0)
	msg_fatal("no golden cases in %s/cases", TEST_DIR);
    tests = mycalloc(g.gl_pathc, sizeof(*tests));
    for (i = 0; i < g.gl_pathc; i++) {
	tests[i].name = g.gl_pathv[i];
	tests[i].test_func = test_golden;
	tests[i].initial_state = g.gl_pathv[i];
    }
    ret = _cmocka_run_group_tests("alias_golden", tests, g.gl_pathc, 0, 0);
    myfree(tests);
    globfree(&g);
    return (ret);
}
