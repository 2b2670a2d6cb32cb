/*++
/* NAME
/*	test_bounce_clnt 1
/* SUMMARY
/*	unit tests for bounce_clnt(3)
/* SYNOPSIS
/*	test_bounce_clnt
/* DESCRIPTION
/*	Which senders are the double-bounce sender (a table of cases),
/*	and that bounce_clnt_notice() reports a missing service as an
/*	error with the reason instead of blocking.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <vstring.h>

#include <bounce_clnt.h>
#include <mail_params.h>

static void test_double_sender(void **unused)
{
    static const struct {
	const char *sender;
	int     want;
    }       cases[] = {
	{"double-bounce@mx.example.test", 1},
	{"Double-Bounce@MX.Example.Test", 1},
	{"double-bounce@other.test", 0},
	{"double-bounce", 0},
	{"double-bounc@mx.example.test", 0},
	{"xdouble-bounce@mx.example.test", 0},
	{"double-bounce@mx.example.test.", 0},
	{"", 0},
	{"user@mx.example.test", 0},
	{"a@b@double-bounce@mx.example.test", 0},
    };
    size_t  i;

    var_double_bounce_sender = "double-bounce";
    var_myorigin = "mx.example.test";
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	if (bounce_clnt_double_sender(cases[i].sender) != cases[i].want)
	    fail_msg("case %zu: <%s>: want %d", i, cases[i].sender,
		     cases[i].want);
}

static void test_notice_no_service(void **unused)
{
    struct vstring *why = vstring_alloc(100);
    char    dir[] = "/tmp/test_bounce_clnt.XXXXXX";

    assert_non_null(mkdtemp(dir));
    assert_int_equal(chdir(dir), 0);
    var_ipc_timeout = 5;
    assert_int_equal(bounce_clnt_notice(BOUNCE_KIND_FLUSH, "active",
					"0123456789ABCDEF0", why), -1);
    assert_non_null(strstr(vstring_str(why), "private/bounce"));
    assert_int_equal(chdir("/"), 0);
    assert_int_equal(rmdir(dir), 0);
    vstring_free(&why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_double_sender),
	cmocka_unit_test(test_notice_no_service),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
