/*++
/* NAME
/*	test_spawn 1
/* SUMMARY
/*	unit tests for spawn
/* SYNOPSIS
/*	./test_spawn
/* DESCRIPTION
/*	Exit and signal statuses, exec and chdir failures reported by
/*	spawn_start(), descriptor mapping with keep_fds that overlap the
/*	targets, no leaked descriptors, signal dispositions and mask reset,
/*	the timeout kill, the environment, and (as root) the switch to
/*	nobody with a check that the ids really changed.
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <events.h>
#include <mymalloc.h>
#include <spawn.h>
#include <vstring.h>
#include "testutil.h"

/* run_capture - spawn req with stdout+stderr into a pipe; collect it */

static int run_capture(struct spawn_req *req, long timeout_ms, int *status,
		               struct vstring *out, struct vstring *why)
{
    int     pfd[2];
    char    buf[512];
    ssize_t n;
    pid_t   pid;
    int     ret;

    assert_int_equal(pipe2(pfd, O_CLOEXEC), 0);
    req->fd_out = req->fd_err = pfd[1];
    pid = spawn_start(req, why);
    close(pfd[1]);
    vstring_reset(out);
    if (pid < 0) {
	close(pfd[0]);
	return (-1);
    }
    while ((n = read(pfd[0], buf, sizeof(buf))) > 0)
	vstring_append(out, buf, (size_t) n);
    close(pfd[0]);
    ret = spawn_wait(pid, timeout_ms, status);
    return (ret);
}

static void init_req(struct spawn_req *req, char **argv)
{
    memset(req, 0, sizeof(*req));
    req->argv = argv;
    req->fd_in = req->fd_out = req->fd_err = -1;
}

static void test_status(void **state)
{
    static const struct {
	const char *script;
	const char *want;
    }       cases[] = {
	{"exit 0", "exit status 0"},
	{"exit 3", "exit status 3"},
	{"kill -KILL $$", "killed by signal 9"},
	{"kill -TERM $$", "killed by signal 15"},
    };
    struct spawn_req req;
    struct vstring *why = vstring_alloc(10);
    struct vstring *buf = vstring_alloc(10);
    char   *argv[4] = {"/bin/sh", "-c", 0, 0};
    size_t  i;
    int     status;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	init_req(&req, argv);
	argv[2] = (char *) cases[i].script;
	status = -1;
	assert_int_equal(spawn_run(&req, 0, &status, why), 0);
	assert_string_equal(spawn_status_str(status, buf), cases[i].want);
    }
    vstring_free(&why);
    vstring_free(&buf);
}

static void test_start_failures(void **state)
{
    static const struct {
	const char *prog;
	const char *dir;
	const char *want;
    }       cases[] = {
	{"/nonexistent/prog", 0, "execv /nonexistent/prog: No such file or directory"},
	{"/etc/passwd", 0, "execv /etc/passwd: Permission denied"},
	{"/bin/true", "/nonexistent", "chdir /nonexistent: No such file or directory"},
    };
    struct spawn_req req;
    struct vstring *why = vstring_alloc(10);
    char   *argv[2] = {0, 0};
    int     status;
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	init_req(&req, argv);
	argv[0] = (char *) cases[i].prog;
	req.dir = cases[i].dir;
	vstring_reset(why);
	assert_int_equal(spawn_start(&req, why), -1);
	assert_string_equal(vstring_str(why), cases[i].want);
	assert_int_equal(spawn_run(&req, 1000, &status, why), -1);
	assert_string_equal(vstring_str(why), cases[i].want);
    }
    /* The failed child was reaped: no child is left. */
    assert_int_equal(waitpid(-1, &status, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
    vstring_free(&why);
}

static int put_at(const char *dir, const char *name, const char *text, int at)
{
    struct vstring *path = vstring_alloc(100);
    int     fd;

    vstring_sprintf(path, "%s/%s", dir, name);
    fd = open(vstring_str(path), O_RDWR | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t) strlen(text));
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    if (at >= 0 && fd != at) {
	assert_int_equal(dup2(fd, at), at);
	close(fd);
	fd = at;
    }
    vstring_free(&path);
    return (fd);
}

static void test_fd_mapping(void **state)
{
    char   *dir = testutil_tmpdir();
    char   *argv[] = {"/bin/sh", "-c",
	"cat <&3; cat <&4; cat <&5; cat || echo no-stdin; "
	"for f in 6 7 8 9 10 11 12 20 30 50 100; do "
	"[ -e /proc/$$/fd/$f ] && echo leak$f; done; echo err >&2", 0};
    struct spawn_req req;
    struct vstring *out = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    int     keep[3];
    int     a;
    int     b;
    int     c;
    int     leak;
    int     status;

    /* A sits on 4, B on 3: the request swaps them. C is far away. */
    b = put_at(dir, "b", "BBB\n", 3);
    a = put_at(dir, "a", "AAA\n", 4);
    c = put_at(dir, "c", "CCC\n", 30);
    leak = put_at(dir, "leak", "", 7);		/* not close-on-exec */
    keep[0] = a;
    keep[1] = b;
    keep[2] = c;
    init_req(&req, argv);
    req.keep_fds = keep;
    req.keep_count = 3;
    assert_int_equal(run_capture(&req, 5000, &status, out, why), 0);
    assert_string_equal(vstring_str(out), "AAA\nBBB\nCCC\nerr\n");
    assert_true(WIFEXITED(status));
    /* The parent's descriptors are unchanged. */
    assert_int_equal(fcntl(a, F_GETFD), 0);
    assert_int_equal(fcntl(b, F_GETFD), 0);
    close(a);
    close(b);
    close(c);
    close(leak);
    testutil_rmtree(dir);
    myfree(dir);
    vstring_free(&out);
    vstring_free(&why);
}

static void test_stdin_from_fd(void **state)
{
    char   *argv[] = {"/bin/cat", 0};
    struct spawn_req req;
    struct vstring *out = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    int     in[2];
    int     status;

    assert_int_equal(pipe(in), 0);
    assert_int_equal(write(in[1], "via stdin\n", 10), 10);
    close(in[1]);
    init_req(&req, argv);
    req.fd_in = in[0];
    assert_int_equal(run_capture(&req, 5000, &status, out, why), 0);
    assert_string_equal(vstring_str(out), "via stdin\n");
    close(in[0]);
    vstring_free(&out);
    vstring_free(&why);
}

static void test_signals_reset(void **state)
{
    char   *argv_grep[] = {"/bin/grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status", 0};
    char   *argv_kill[] = {"/bin/sh", "-c", "kill -TERM $$; echo survived", 0};
    struct spawn_req req;
    struct vstring *out = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct sigaction sa;
    struct sigaction old_term;
    sigset_t block;
    sigset_t old_mask;
    unsigned long long blocked;
    unsigned long long ignored;
    int     sig;
    int     status;

    /* Ignore SIGTERM and block SIGUSR1 here; the child must not inherit. */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    sigaction(SIGTERM, &sa, &old_term);
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old_mask);
    init_req(&req, argv_grep);
    assert_int_equal(run_capture(&req, 5000, &status, out, why), 0);
    if (sscanf(vstring_str(out), "SigBlk:\t%llx\nSigIgn:\t%llx\n",
	       &blocked, &ignored) != 2)
	fail_msg("unexpected output \"%s\"", vstring_str(out));
    assert_int_equal(blocked, 0);
    /* Signals 32..SIGRTMIN-1 belong to the C library; sigaction refuses. */
    for (sig = 32; sig < SIGRTMIN; sig++)
	ignored &= ~(1ULL << (sig - 1));
    assert_int_equal(ignored, 0);
    init_req(&req, argv_kill);
    assert_int_equal(run_capture(&req, 5000, &status, out, why), 0);
    sigaction(SIGTERM, &old_term, (struct sigaction *) 0);
    sigprocmask(SIG_SETMASK, &old_mask, (sigset_t *) 0);
    assert_string_equal(vstring_str(out), "");
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);
    vstring_free(&out);
    vstring_free(&why);
}

static void test_timeout_kill(void **state)
{
    char   *argv[] = {"/bin/sleep", "10", 0};
    struct spawn_req req;
    struct vstring *why = vstring_alloc(100);
    long long start = event_now_ms();
    int     status;
    pid_t   pid;

    init_req(&req, argv);
    assert_int_equal(spawn_run(&req, 300, &status, why), 1);
    assert_in_range(event_now_ms() - start, 290, 3000);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    assert_string_equal(vstring_str(why),
			"/bin/sleep: killed after a timeout of 300 ms");

    /* A quick child under a long timeout is not killed. */
    argv[1] = "0";
    start = event_now_ms();
    assert_true((pid = spawn_start(&req, why)) > 0);
    assert_int_equal(spawn_wait(pid, 10000, &status), 0);
    assert_true(event_now_ms() - start < 3000);
    assert_true(WIFEXITED(status));
    assert_int_equal(spawn_wait(pid, 0, &status), -1);	/* already reaped */
    vstring_free(&why);
}

static void test_env_and_dir(void **state)
{
    char   *argv[] = {"/usr/bin/env", 0};
    char   *argv_pwd[] = {"/bin/pwd", 0};
    char   *env[] = {"FOO=bar", "EMPTY=", 0};
    struct spawn_req req;
    struct vstring *out = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    int     status;

    init_req(&req, argv);
    req.env = env;
    assert_int_equal(run_capture(&req, 5000, &status, out, why), 0);
    assert_string_equal(vstring_str(out), "FOO=bar\nEMPTY=\n");

    init_req(&req, argv_pwd);
    req.dir = "/usr";
    assert_int_equal(run_capture(&req, 5000, &status, out, why), 0);
    assert_string_equal(vstring_str(out), "/usr\n");
    vstring_free(&out);
    vstring_free(&why);
}

static void test_set_ids(void **state)
{
    char   *argv[] = {"/bin/sh", "-c", "id -u; id -g; id -G; id -ru", 0};
    struct spawn_req req;
    struct vstring *out = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    int     status;

    if (geteuid() != 0)
	skip();
    init_req(&req, argv);
    req.set_ids = 1;
    req.uid = 65534;
    req.gid = 65534;
    req.dir = "/";
    assert_int_equal(run_capture(&req, 5000, &status, out, why), 0);
    assert_string_equal(vstring_str(out), "65534\n65534\n65534\n65534\n");
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    vstring_free(&out);
    vstring_free(&why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_status),
	cmocka_unit_test(test_start_failures),
	cmocka_unit_test(test_fd_mapping),
	cmocka_unit_test(test_stdin_from_fd),
	cmocka_unit_test(test_signals_reset),
	cmocka_unit_test(test_timeout_kill),
	cmocka_unit_test(test_env_and_dir),
	cmocka_unit_test(test_set_ids),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
