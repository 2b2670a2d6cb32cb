/*++
/* NAME
/*	test_events 1
/* SUMMARY
/*	unit tests for events
/* SYNOPSIS
/*	./test_events
/* DESCRIPTION
/*	Descriptor readiness (read, write, hang-up), timer order and
/*	deadlines, timer move and cancel, and re-entrancy: callbacks that
/*	disable other descriptors, re-arm themselves, or add descriptors
/*	and timers during dispatch. A listening socket that three children
/*	wait on: a connection wakes all three with event_enable_read(),
/*	one with event_enable_read_exclusive().
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/wait.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <events.h>
#include <vstring.h>
#include "testutil.h"

/* A log of callback calls: "name:event" words. */
static struct vstring *trace;

static void note(const char *name, int event)
{
    vstring_sprintf_append(trace, "%s%s:%d", vstring_len(trace) ? " " : "",
			   name, event);
}

static int setup(void **state)
{
    trace = vstring_alloc(100);
    return (0);
}

static int teardown(void **state)
{
    vstring_free(&trace);
    return (0);
}

static void read_cb(int event, void *ctx)
{
    int     fd = *(int *) ctx;
    char    buf[16];
    ssize_t n = read(fd, buf, sizeof(buf));

    note(n > 0 ? "read" : "eof", event);
    if (n <= 0)
	event_disable_readwrite(fd);
}

static void write_cb(int event, void *ctx)
{
    int     fd = *(int *) ctx;

    note("write", event);
    event_disable_readwrite(fd);
}

static void test_fd_readiness(void **state)
{
    int     sv[2];
    int     i;

    vstring_reset(trace);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    event_enable_read(sv[0], read_cb, &sv[0]);
    event_loop(0);				/* nothing to read yet */
    assert_string_equal(vstring_str(trace), "");
    event_enable_write(sv[1], write_cb, &sv[1]);
    event_loop(1000);
    assert_string_equal(vstring_str(trace), "write:2");
    assert_int_equal(write(sv[1], "x", 1), 1);
    event_loop(1000);
    assert_string_equal(vstring_str(trace), "write:2 read:1");
    close(sv[1]);
    event_loop(1000);
    assert_string_equal(vstring_str(trace), "write:2 read:1 eof:1");
    /* Disabled: nothing more happens. */
    for (i = 0; i < 3; i++)
	event_loop(0);
    assert_string_equal(vstring_str(trace), "write:2 read:1 eof:1");
    close(sv[0]);
}

static void hup_cb(int event, void *ctx)
{
    note("hup", event);
    event_disable_readwrite(*(int *) ctx);
}

static void test_pipe_hangup(void **state)
{
    int     pfd[2];

    vstring_reset(trace);
    assert_int_equal(pipe(pfd), 0);
    event_enable_read(pfd[0], hup_cb, &pfd[0]);
    close(pfd[1]);
    event_loop(1000);
    assert_string_equal(vstring_str(trace), "hup:4");
    close(pfd[0]);
}

static void timer_cb(int event, void *ctx)
{
    note((const char *) ctx, event);
}

static void test_timers(void **state)
{
    long long start;
    long long deadline;

    vstring_reset(trace);
    event_request_timer(timer_cb, "c", 60);
    event_request_timer(timer_cb, "a", 20);
    event_request_timer(timer_cb, "b", 40);
    event_request_timer(timer_cb, "gone", 30);
    event_request_timer(timer_cb, "moved", 10);
    event_request_timer(timer_cb, "moved", 50);	/* moves, not a second one */
    assert_int_equal(event_cancel_timer(timer_cb, "gone"), 1);
    assert_int_equal(event_cancel_timer(timer_cb, "gone"), 0);
    start = event_now_ms();
    deadline = start + 2000;
    while (event_now_ms() < deadline && strstr(vstring_str(trace), "c:") == 0)
	event_loop(-1);
    assert_string_equal(vstring_str(trace), "a:8 b:8 moved:8 c:8");
    assert_in_range(event_now_ms() - start, 55, 1000);

    /* event_loop(max) returns after max ms when nothing happens. */
    start = event_now_ms();
    event_loop(50);
    assert_in_range(event_now_ms() - start, 45, 500);
}

/* Re-entrancy: a callback that closes another descriptor's events. */

static int victim_fd;

static void killer_cb(int event, void *ctx)
{
    note("killer", event);
    event_disable_readwrite(*(int *) ctx);
    event_disable_readwrite(victim_fd);
}

static void successor_cb(int event, void *ctx)
{
    note("successor", event);
    event_disable_readwrite(*(int *) ctx);
}

/* replacer_cb - hand the victim's descriptor to a new callback */

static void replacer_cb(int event, void *ctx)
{
    note("replacer", event);
    event_disable_readwrite(*(int *) ctx);
    event_disable_readwrite(victim_fd);
    event_enable_read(victim_fd, successor_cb, &victim_fd);
}

static void victim_cb(int event, void *ctx)
{
    note("victim", event);
    event_disable_readwrite(*(int *) ctx);
}

static void rearm_cb(int event, void *ctx)
{
    int    *count = ctx;

    (*count)++;
    note("rearm", event);
    event_request_timer(rearm_cb, ctx, 0);	/* due at once, next loop */
}

static int added_fd;

static void adder_cb(int event, void *ctx)
{
    note("adder", event);
    event_cancel_timer(adder_cb, ctx);		/* cancel self: harmless */
    event_enable_write(added_fd, write_cb, &added_fd);
    event_request_timer(timer_cb, "new", 0);
}

static void test_reentrancy(void **state)
{
    int     a[2];
    int     b[2];
    int     count = 0;

    vstring_reset(trace);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
    /* Both readable; the lower fd's callback disables the other. */
    assert_int_equal(write(a[1], "x", 1), 1);
    assert_int_equal(write(b[1], "x", 1), 1);
    victim_fd = b[0];
    event_enable_read(a[0], killer_cb, &a[0]);
    event_enable_read(b[0], victim_cb, &b[0]);
    event_loop(1000);
    assert_string_equal(vstring_str(trace), "killer:1");
    event_loop(0);
    assert_string_equal(vstring_str(trace), "killer:1");

    /*
     * A callback replaced during dispatch does not get the readiness that
     * was polled for its predecessor; it gets its own in the next round.
     */
    vstring_reset(trace);
    event_enable_read(a[0], replacer_cb, &a[0]);
    event_enable_read(b[0], victim_cb, &b[0]);
    event_loop(1000);
    assert_string_equal(vstring_str(trace), "replacer:1");
    event_loop(1000);
    assert_string_equal(vstring_str(trace), "replacer:1 successor:1");

    /* A zero-delay timer re-arming itself runs once per loop. */
    vstring_reset(trace);
    event_request_timer(rearm_cb, &count, 0);
    event_loop(0);
    assert_int_equal(count, 1);
    event_loop(0);
    assert_int_equal(count, 2);
    assert_int_equal(event_cancel_timer(rearm_cb, &count), 1);
    event_loop(0);
    assert_int_equal(count, 2);

    /* A timer that adds a descriptor and a timer. */
    vstring_reset(trace);
    added_fd = a[1];
    event_request_timer(adder_cb, (void *) 0, 0);
    event_loop(0);
    assert_string_equal(vstring_str(trace), "adder:8");
    event_loop(1000);
    assert_string_equal(vstring_str(trace), "adder:8 write:2 new:8");
    close(a[0]);
    close(a[1]);
    close(b[0]);
    close(b[1]);
}

static void bad_fd(void *arg)
{
    event_enable_read(-1, read_cb, (void *) 0);
}

/* Exclusive listening sockets: one connection wakes one waiting child. */

static int excl_woken;

static void excl_accept(int event, void *ctx)
{
    int     fd;

    /*
     * Accept late, so that the connection stays waiting meanwhile: every
     * child that the kernel woke sees it.
     */
    usleep(300000);
    fd = accept4((int) (intptr_t) ctx, 0, 0, SOCK_NONBLOCK);

    excl_woken = (fd >= 0 ? 2 : 1);		/* 2: won, 1: woke and lost */
    if (fd >= 0)
	(void) close(fd);
}

/* excl_run - children wait on one listener; count wakeups and winners */

static void excl_run(int exclusive, int *woken, int *won)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    int     lfd;
    int     cfd;
    int     report[2];
    pid_t   pids[3];
    char    c;
    int     i;

    lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    assert_true(lfd >= 0);
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(lfd, (struct sockaddr *) &sin, sizeof(sin)), 0);
    assert_int_equal(listen(lfd, 10), 0);
    assert_int_equal(getsockname(lfd, (struct sockaddr *) &sin, &len), 0);
    assert_int_equal(pipe(report), 0);
    for (i = 0; i < 3; i++) {
	if ((pids[i] = fork()) == 0) {
	    if (exclusive)
		event_enable_read_exclusive(lfd, excl_accept,
					    (void *) (intptr_t) lfd);
	    else
		event_enable_read(lfd, excl_accept, (void *) (intptr_t) lfd);
	    event_loop(1500);
	    c = (char) ('0' + excl_woken);
	    _exit(write(report[1], &c, 1) == 1 ? 0 : 1);
	}
	assert_true(pids[i] > 0);
    }
    usleep(300000);				/* all three are waiting */
    cfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(cfd, (struct sockaddr *) &sin, sizeof(sin)), 0);
    *woken = *won = 0;
    for (i = 0; i < 3; i++) {
	assert_int_equal(read(report[0], &c, 1), 1);
	*woken += (c != '0');
	*won += (c == '2');
    }
    for (i = 0; i < 3; i++)
	(void) waitpid(pids[i], (int *) 0, 0);
    (void) close(cfd);
    (void) close(lfd);
    (void) close(report[0]);
    (void) close(report[1]);
}

static void test_exclusive_wakes_one(void **state)
{
    int     woken;
    int     won;

    /* Plain: every waiting child wakes, one wins the accept. */
    excl_run(0, &woken, &won);
    assert_int_equal(won, 1);
    assert_int_equal(woken, 3);
    /* Exclusive: one child wakes, and it wins. */
    excl_run(1, &woken, &won);
    assert_int_equal(won, 1);
    assert_int_equal(woken, 1);
}

static void test_panic_bad_fd(void **state)
{
    struct vstring *err = vstring_alloc(100);
    int     status = testutil_fork_call(bad_fd, (void *) 0, err);

    assert_true(WIFSIGNALED(status));
    assert_non_null(strstr(vstring_str(err),
		      "panic: event_enable_read: descriptor -1 out of range"));
    vstring_free(&err);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_fd_readiness),
	cmocka_unit_test(test_pipe_hangup),
	cmocka_unit_test(test_timers),
	cmocka_unit_test(test_reentrancy),
	cmocka_unit_test(test_exclusive_wakes_one),
	cmocka_unit_test(test_panic_bad_fd),
    };

    return (cmocka_run_group_tests(tests, setup, teardown));
}
