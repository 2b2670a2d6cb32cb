/*++
/* NAME
/*	test_conf_golden 1
/* SUMMARY
/*	golden-file tests for main.cf parsing and expansion
/* SYNOPSIS
/*	./test_conf_golden
/*
/*	UPDATE_REF=1 ./test_conf_golden
/* DESCRIPTION
/*	Each conf/NAME.in is parsed as if it were /etc/dromos/main.cf
/*	(mail_conf_read_buf) and evaluated (mail_conf_eval). The result is
/*	the warnings written to stderr, then either "error: " and the
/*	one-line error, or "name = value" ("name =" when empty) with the expanded value for each
/*	name the file sets, sorted. It must equal conf/NAME.ref byte for
/*	byte; each .in file is one cmocka test. On a difference the result
/*	is left in conf/NAME.out for diff(1). With UPDATE_REF set in the
/*	environment the .ref files are rewritten instead (review the diff).
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

#include <mail_params.h>
#include <mail_conf.h>

#include "test_capture.h"

#define LABEL	"/etc/dromos/main.cf"

/* golden_run - the result for one input */

static void golden_run(const char *text, size_t len, struct vstring *out)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *val = vstring_alloc(100);
    struct argv *names;
    int     ret;
    size_t  i;

    capture_start();
    ret = mail_conf_read_buf(LABEL, text, len, why);
    if (ret == 0)
	ret = mail_conf_eval(why);
    capture_end(out);
    if (ret < 0) {
	vstring_sprintf_append(out, "error: %s\n", vstring_str(why));
    } else {
	names = mail_conf_names();
	for (i = 0; i < names->argc; i++) {
	    if (mail_conf_eval_name(names->argv[i], val, why) < 0)
		vstring_sprintf_append(out, "%s: error: %s\n", names->argv[i],
				       vstring_str(why));
	    else if (vstring_len(val) == 0)
		vstring_sprintf_append(out, "%s =\n", names->argv[i]);
	    else
		vstring_sprintf_append(out, "%s = %s\n", names->argv[i],
				       vstring_str(val));
	}
	argv_free(&names);
    }
    vstring_free(&why);
    vstring_free(&val);
}

static void test_golden(void **state)
{
    const char *in = *state;
    struct vstring *ref = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct vstring *text = vstring_alloc(100);
    struct vstring *out = vstring_alloc(100);
    size_t  stem = strlen(in) - 3;

    assert_int_equal(test_read_file(in, text), 0);
    golden_run(vstring_str(text), vstring_len(text), out);
    vstring_sprintf(path, "%.*s.ref", (int) stem, in);
    if (getenv("UPDATE_REF")) {
	test_write_file(vstring_str(path), vstring_str(out), vstring_len(out));
    } else if (test_read_file(vstring_str(path), ref) < 0) {
	print_error("%s: missing (make refs)\n", vstring_str(path));
	fail();
    } else if (vstring_len(ref) != vstring_len(out)
	       || memcmp(vstring_str(ref), vstring_str(out), vstring_len(out)) != 0) {
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
    vstring_free(&text);
    vstring_free(&out);
}

int     main(void)
{
    struct CMUnitTest *tests;
    glob_t  g;
    size_t  i;
    int     ret;

    msg_init("test_conf_golden");
    msg_stderr_init(1, 0);
    if (chdir(TEST_DIR) < 0 || glob("conf/*.in", 0, 0, &g) != 0 || g.gl_pathc == 0)
	msg_fatal("no golden cases in %s/conf", TEST_DIR);
    tests = mycalloc(g.gl_pathc, sizeof(*tests));
    for (i = 0; i < g.gl_pathc; i++) {
	tests[i].name = g.gl_pathv[i];
	tests[i].test_func = test_golden;
	tests[i].initial_state = g.gl_pathv[i];
    }
    ret = _cmocka_run_group_tests("conf_golden", tests, g.gl_pathc, 0, 0);
    myfree(tests);
    globfree(&g);
    return (ret);
}
