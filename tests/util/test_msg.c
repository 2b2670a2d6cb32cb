/*++
/* NAME
/*	test_msg 1
/* SUMMARY
/*	unit tests for msg
/* SYNOPSIS
/*	./test_msg
/* DESCRIPTION
/*	The record format, control character replacement, over-long text,
/*	the stderr forms, fatal and panic exits, and the logd sink: a
/*	datagram socket bound in a temporary folder receives the record;
/*	once it is gone, a "log service unavailable" warning and the
/*	record go to stderr (fd 2 is redirected to a file for the check).
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <sys/socket.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <msg.h>
#include <mymalloc.h>
#include <readfile.h>
#include <vstring.h>
#include "testutil.h"

#define STAMP_RE "^[A-Z][a-z][a-z] [ 0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] "

/* assert_matches - regex match with a readable failure */

static void assert_matches(const char *text, const char *pattern)
{
    regex_t re;
    int     ok;

    assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
    ok = regexec(&re, text, 0, (regmatch_t *) 0, 0) == 0;
    regfree(&re);
    if (!ok)
	fail_msg("\"%s\" does not match /%s/", text, pattern);
}

static int setup(void **state)
{
    msg_init("/usr/libexec/dromos/testprog");
    msg_set_syslog_name("dromos");
    msg_set_hostname("mx1.example.com");
    msg_stderr_init(1, 1);
    return (0);
}

static void test_format_record(void **state)
{
    static const struct {
	const char *severity;
	const char *text;
	const char *tail;
    }       cases[] = {
	{"", "hello", "testprog\\[[0-9]+\\]: hello$"},
	{"warning: ", "text", "testprog\\[[0-9]+\\]: warning: text$"},
	{"fatal: ", "bye now", "testprog\\[[0-9]+\\]: fatal: bye now$"},
    };
    struct vstring *re = vstring_alloc(100);
    char    buf[512];
    size_t  len;
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	len = msg_format_record(buf, sizeof(buf), cases[i].severity, cases[i].text);
	assert_int_equal(len, strlen(buf));
	vstring_sprintf(re, "%smx1 dromos/%s", STAMP_RE, cases[i].tail);
	assert_matches(buf, vstring_str(re));
    }
    /* Exact pid, and a cut record still ends in NUL within the buffer. */
    vstring_sprintf(re, "dromos/testprog[%ld]: ", (long) getpid());
    len = msg_format_record(buf, sizeof(buf), "", "x");
    assert_non_null(strstr(buf, vstring_str(re)));
    len = msg_format_record(buf, 20, "warning: ", "a long text");
    assert_int_equal(len, 19);
    assert_int_equal(strlen(buf), 19);
    assert_string_equal(msg_progname(), "testprog");
    assert_string_equal(msg_syslog_name(), "dromos");
    vstring_free(&re);
}

/* Capture what msg_* writes on fd 2 while fn runs. */

struct capture {
    int     saved_fd;
    char    path[256];
};

static void capture_start(struct capture *cap, const char *dir)
{
    int     fd;

    snprintf(cap->path, sizeof(cap->path), "%s/stderr", dir);
    fd = open(cap->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    cap->saved_fd = dup(2);
    assert_true(cap->saved_fd >= 0);
    assert_int_equal(dup2(fd, 2), 2);
    close(fd);
}

static void capture_end(struct capture *cap, struct vstring *out)
{
    struct vstring *why = vstring_alloc(100);

    assert_int_equal(dup2(cap->saved_fd, 2), 2);
    close(cap->saved_fd);
    if (readfile_limited(cap->path, 100000, out, why) < 0)
	fail_msg("%s", vstring_str(why));
    vstring_free(&why);
}

static void test_stderr_forms(void **state)
{
    char   *dir = testutil_tmpdir();
    struct vstring *out = vstring_alloc(100);
    struct capture cap;

    capture_start(&cap, dir);
    msg_stderr_init(1, 0);
    msg_warn("short %s", "form");
    msg_info("line1\nline2\r\x1b[31mred\x7f");
    msg_error("err %d", 5);
    msg_stderr_init(1, 1);
    msg_warn("full form");
    msg_stderr_init(0, 0);
    msg_warn("not shown");
    msg_stderr_init(1, 1);
    capture_end(&cap, out);
    assert_matches(vstring_str(out),
		   "^testprog: warning: short form\n"
		   "testprog: line1\\?line2\\?\\?\\[31mred\\?\n"
		   "testprog: error: err 5\n"
		   "[A-Z][a-z][a-z] [ 0-3][0-9] [0-9:]{8} mx1 dromos/testprog"
		   "\\[[0-9]+\\]: warning: full form\n$");
    vstring_free(&out);
    testutil_rmtree(dir);
    myfree(dir);
}

static void test_long_text(void **state)
{
    char   *dir = testutil_tmpdir();
    struct vstring *out = vstring_alloc(100);
    struct capture cap;
    char   *big = mymalloc(10001);

    memset(big, 'x', 10000);
    big[10000] = 0;
    capture_start(&cap, dir);
    msg_stderr_init(1, 0);
    msg_info("%s", big);
    msg_stderr_init(1, 1);
    capture_end(&cap, out);
    /* "testprog: " + 4000 bytes + "..." + newline */
    assert_int_equal(vstring_len(out), 10 + 4000 + 3 + 1);
    assert_string_equal(vstring_end(out) - 5, "x...\n");
    myfree(big);
    vstring_free(&out);
    testutil_rmtree(dir);
    myfree(dir);
}

static void cleanup_hook(void)
{
    if (write(2, "cleanup ran\n", 12) != 12)
	_exit(2);
}

static void do_fatal(void *arg)
{
    msg_stderr_init(1, 0);
    msg_cleanup(cleanup_hook);
    msg_fatal_status(75);
    msg_fatal("cannot go on: %s", "reason");
}

static void do_panic(void *arg)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigaction(SIGABRT, &sa, (struct sigaction *) 0);
    msg_stderr_init(1, 0);
    msg_panic("broken invariant %d", 3);
}

static void test_fatal_panic(void **state)
{
    struct vstring *err = vstring_alloc(100);
    int     status;

    status = testutil_fork_call(do_fatal, (void *) 0, err);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 75);
    assert_string_equal(vstring_str(err),
			"cleanup ran\ntestprog: fatal: cannot go on: reason\n");

    status = testutil_fork_call(do_panic, (void *) 0, err);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
    assert_non_null(strstr(vstring_str(err),
			   "testprog: panic: broken invariant 3\n"));
    vstring_free(&err);
}

/* bind_dgram - a datagram socket for the fake log service */

static int bind_dgram(const char *path)
{
    struct sockaddr_un sun;
    int     fd;

    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    assert_true(strlen(path) < sizeof(sun.sun_path));
    memcpy(sun.sun_path, path, strlen(path) + 1);
    fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *) &sun, sizeof(sun)), 0);
    return (fd);
}

static void test_logd(void **state)
{
    char   *dir = testutil_tmpdir();
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstring *out = vstring_alloc(100);
    struct vstring *re = vstring_alloc(100);
    struct capture cap;
    char    buf[5000];
    ssize_t n;
    int     fd;

    vstring_sprintf(path, "%s/dromlog", dir);
    assert_int_equal(msg_logd_init(vstring_str(path), why), -1);
    assert_non_null(strstr(vstring_str(why), "connect to"));
    fd = bind_dgram(vstring_str(path));
    if (msg_logd_init(vstring_str(path), why) < 0)
	fail_msg("msg_logd_init: %s", vstring_str(why));
    assert_true(msg_logd_fd() >= 0);

    /* With the service up, the record goes there and not to stderr. */
    capture_start(&cap, dir);
    msg_stderr_init(0, 0);
    msg_warn("to logd %d\001", 1);
    capture_end(&cap, out);
    assert_int_equal(vstring_len(out), 0);
    n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
    assert_true(n > 0);
    buf[n] = 0;
    vstring_sprintf(re, "%smx1 dromos/testprog\\[%ld\\]: warning: to logd 1\\?$",
		    STAMP_RE, (long) getpid());
    assert_matches(buf, vstring_str(re));

    /*
     * A burst longer than the kernel's datagram queue: the sender waits
     * for a slow reader; every record arrives, none goes to stderr.
     */
    {
	int     report[2];
	pid_t   pid;
	int     got = 0;
	int     i;

	assert_int_equal(pipe(report), 0);
	if ((pid = fork()) == 0) {
	    struct pollfd pfd = {fd, POLLIN, 0};

	    usleep(300000);
	    while (got < 40 && poll(&pfd, 1, 3000) > 0
		   && recv(fd, buf, sizeof(buf), 0) > 0)
		got++;
	    _exit(write(report[1], &got, sizeof(got)) == sizeof(got) ? 0 : 1);
	}
	assert_true(pid > 0);
	capture_start(&cap, dir);
	for (i = 0; i < 40; i++)
	    msg_info("burst record %d", i);
	capture_end(&cap, out);
	assert_int_equal(vstring_len(out), 0);
	assert_int_equal(read(report[0], &got, sizeof(got)), sizeof(got));
	assert_int_equal(got, 40);
	(void) waitpid(pid, (int *) 0, 0);
	(void) close(report[0]);
	(void) close(report[1]);
    }

    /* Service gone: one warning, then the records, on stderr. */
    close(fd);
    unlink(vstring_str(path));
    capture_start(&cap, dir);
    msg_warn("after the service died");
    msg_info("second record");
    capture_end(&cap, out);
    assert_matches(vstring_str(out),
		   "^testprog: warning: log service unavailable \\([^)]+\\); "
		   "logging to stderr\n"
		   "testprog: warning: after the service died\n"
		   "testprog: second record\n$");

    msg_logd_close();
    assert_int_equal(msg_logd_fd(), -1);
    msg_stderr_init(1, 1);
    vstring_free(&path);
    vstring_free(&why);
    vstring_free(&out);
    vstring_free(&re);
    testutil_rmtree(dir);
    myfree(dir);
}

static void test_syslog_init(void **state)
{
    struct vstring *why = vstring_alloc(100);

    assert_int_equal(msg_syslog_init("nonsense", why), -1);
    assert_string_equal(vstring_str(why), "unknown syslog facility \"nonsense\"");
    vstring_free(&why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_format_record),
	cmocka_unit_test(test_stderr_forms),
	cmocka_unit_test(test_long_text),
	cmocka_unit_test(test_fatal_panic),
	cmocka_unit_test(test_logd),
	cmocka_unit_test(test_syslog_init),
    };

    return (cmocka_run_group_tests(tests, setup, 0));
}
