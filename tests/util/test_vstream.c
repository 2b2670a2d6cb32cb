/*++
/* NAME
/*	test_vstream 1
/* SUMMARY
/*	unit tests for vstream
/* SYNOPSIS
/*	./test_vstream
/* DESCRIPTION
/*	Line reading against a byte-at-a-time peer, over-long lines and
/*	vstream_skip_line(), a partial last line, a 1 s read timeout on a
/*	silent peer, a write timeout on a peer that never reads, short
/*	writes through small socket buffers and pipes (blocking and
/*	non-blocking), writes to a closed peer (must return -1, not kill
/*	the process with SIGPIPE), exact reads, getc, pending input and
/*	the flush before a read.
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <sys/socket.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <events.h>
#include <mymalloc.h>
#include <sock.h>
#include <vstring.h>
#include <vstream.h>

static void nap_us(long us)
{
    struct timespec ts = {0, us * 1000};

    nanosleep(&ts, (struct timespec *) 0);
}

static void make_pair(int sv[2])
{
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

/* feed_child - a child that writes text in chunks of chunk bytes */

static pid_t feed_child(int fd, const char *text, size_t len, size_t chunk,
			        long pause_us)
{
    pid_t   pid = fork();
    size_t  n;

    assert_true(pid >= 0);
    if (pid == 0) {
	while (len > 0) {
	    n = len < chunk ? len : chunk;
	    if (write(fd, text, n) != (ssize_t) n)
		_exit(1);
	    text += n;
	    len -= n;
	    if (pause_us)
		nap_us(pause_us);
	}
	_exit(0);
    }
    return (pid);
}

static void reap_ok(pid_t pid)
{
    int     status;

    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

struct line_case {
    int     status;
    const char *text;
};

/* check_lines - read lines from fd and compare with the expected list */

static void check_lines(int fd, size_t maxlen, const struct line_case *want,
			        size_t count)
{
    struct vstream *s = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    struct vstring *buf = vstring_alloc(10);
    size_t  i;
    int     st;

    vstream_set_timeout(s, 5);
    for (i = 0; i < count; i++) {
	if (want[i].text == 0) {
	    st = vstream_skip_line(s);
	    if (st != want[i].status)
		fail_msg("case %zu: skip_line status %d want %d", i, st,
			 want[i].status);
	    continue;
	}
	st = vstream_get_line(s, buf, maxlen);
	if (st != want[i].status)
	    fail_msg("case %zu: status %d (%s) want %d, text \"%s\"", i, st,
		     vstream_status_str(st), want[i].status, vstring_str(buf));
	assert_string_equal(vstring_str(buf), want[i].text);
	assert_int_equal(vstream_status(s), st);
    }
    assert_int_equal(vstream_close(&s), 0);
    assert_null(s);
    vstring_free(&buf);
}

static void test_byte_at_a_time(void **state)
{
    static const char text[] = "line one\nline two\n\nan over-long line here\nok\npartial";
    static const struct line_case want[] = {
	{VSTREAM_OK, "line one\n"},
	{VSTREAM_OK, "line two\n"},
	{VSTREAM_OK, "\n"},
	{VSTREAM_TOOLONG, "an over-lo"},
	{VSTREAM_OK, 0},			/* skip the rest */
	{VSTREAM_OK, "ok\n"},
	{VSTREAM_PARTIAL, "partial"},
	{VSTREAM_EOF, ""},
	{VSTREAM_EOF, ""},
    };
    int     sv[2];
    pid_t   pid;

    make_pair(sv);
    pid = feed_child(sv[1], text, sizeof(text) - 1, 1, 200);
    close(sv[1]);
    check_lines(sv[0], 10, want, sizeof(want) / sizeof(want[0]));
    reap_ok(pid);
}

static void test_line_limits(void **state)
{
    static const char text[] = "123456789\n1234567890\nabcdefghijklmnopqrstuvwxyz\n"
    "x\n0123456789";
    static const struct line_case want[] = {
	{VSTREAM_OK, "123456789\n"},		/* exactly maxlen with \n */
	{VSTREAM_TOOLONG, "1234567890"},	/* the \n does not fit */
	{VSTREAM_OK, "\n"},			/* ...and comes next */
	{VSTREAM_TOOLONG, "abcdefghij"},
	{VSTREAM_TOOLONG, "klmnopqrst"},
	{VSTREAM_OK, 0},
	{VSTREAM_OK, "x\n"},
	{VSTREAM_TOOLONG, "0123456789"},
	{VSTREAM_EOF, 0},			/* skip at end of file */
    };
    int     sv[2];
    pid_t   pid;

    make_pair(sv);
    pid = feed_child(sv[1], text, sizeof(text) - 1, sizeof(text), 0);
    close(sv[1]);
    check_lines(sv[0], 10, want, sizeof(want) / sizeof(want[0]));
    reap_ok(pid);
}

static void test_skip_partial(void **state)
{
    static const struct line_case want[] = {
	{VSTREAM_PARTIAL, 0},
    };
    int     sv[2];
    pid_t   pid;

    make_pair(sv);
    pid = feed_child(sv[1], "no newline", 10, 3, 100);
    close(sv[1]);
    check_lines(sv[0], 10, want, 1);
    reap_ok(pid);
}

static void test_read_timeout(void **state)
{
    struct vstring *buf = vstring_alloc(10);
    struct vstream *s;
    long long start;
    long long elapsed;
    int     sv[2];
    char    c;

    make_pair(sv);
    s = vstream_fdopen(sv[0], VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(s, 1);
    start = event_now_ms();
    errno = 0;
    assert_int_equal(vstream_get_line(s, buf, 100), VSTREAM_TIMEOUT);
    elapsed = event_now_ms() - start;
    assert_int_equal(errno, ETIMEDOUT);
    assert_int_equal(vstream_status(s), VSTREAM_TIMEOUT);
    assert_in_range(elapsed, 950, 2500);
    assert_string_equal(vstream_status_str(VSTREAM_TIMEOUT), "timeout");

    /* The stream is still usable when the peer speaks later. */
    assert_int_equal(write(sv[1], "late\n", 5), 5);
    assert_int_equal(vstream_get_line(s, buf, 100), VSTREAM_OK);
    assert_string_equal(vstring_str(buf), "late\n");
    assert_int_equal(vstream_status(s), VSTREAM_OK);
    close(sv[1]);
    assert_int_equal(vstream_read(s, &c, 1), 0);
    assert_int_equal(vstream_status(s), VSTREAM_EOF);
    vstream_close(&s);
    vstring_free(&buf);
}

/* drain_child - read everything slowly, report count and sum back */

static pid_t drain_child(int rfd, int wfd, int peer_fd, size_t chunk)
{
    pid_t   pid = fork();
    char    buf[4096];
    unsigned long long sum[2] = {0, 0};
    ssize_t n;
    ssize_t i;

    assert_true(pid >= 0);
    if (pid == 0) {
	close(peer_fd);				/* or EOF never comes */
	if (chunk > sizeof(buf))
	    chunk = sizeof(buf);
	while ((n = read(rfd, buf, chunk)) > 0) {
	    sum[0] += (unsigned long long) n;
	    for (i = 0; i < n; i++)
		sum[1] = sum[1] * 31 + (unsigned char) buf[i];
	}
	if (write(wfd, sum, sizeof(sum)) != sizeof(sum))
	    _exit(1);
	_exit(0);
    }
    return (pid);
}

/* check_short_writes - 1 MB through fd wfd, read by a child on rfd */

static void check_short_writes(int wfd, int rfd, int nonblock)
{
    struct vstream *s;
    int     report[2];
    unsigned long long want[2] = {0, 0};
    unsigned long long got[2];
    char    block[1000];
    pid_t   pid;
    int     i;
    size_t  j;

    assert_int_equal(pipe(report), 0);
    pid = drain_child(rfd, report[1], wfd, 700);
    close(rfd);
    close(report[1]);
    if (nonblock)
	assert_int_equal(non_blocking(wfd, 1), 0);
    s = vstream_fdopen(wfd, VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(s, 5);
    for (i = 0; i < 1000; i++) {
	for (j = 0; j < sizeof(block); j++)
	    block[j] = (char) (i * 7 + j);
	assert_int_equal(vstream_write(s, block, sizeof(block)), 0);
	for (j = 0; j < sizeof(block); j++)
	    want[1] = want[1] * 31 + (unsigned char) block[j];
	want[0] += sizeof(block);
	if (i % 100 == 0)
	    assert_int_equal(vstream_printf(s, "%s", ""), 0);
    }
    assert_int_equal(vstream_close(&s), 0);
    assert_int_equal(read(report[0], got, sizeof(got)), sizeof(got));
    close(report[0]);
    reap_ok(pid);
    assert_int_equal(got[0], want[0]);
    assert_int_equal(got[1], want[1]);
}

static void small_buffers(int sv[2])
{
    int     size = 1024;

    make_pair(sv);
    assert_int_equal(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)), 0);
    assert_int_equal(setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)), 0);
}

static void test_short_writes(void **state)
{
    int     sv[2];
    int     pfd[2];
    int     nonblock;

    for (nonblock = 0; nonblock <= 1; nonblock++) {
	small_buffers(sv);
	check_short_writes(sv[0], sv[1], nonblock);
	assert_int_equal(pipe(pfd), 0);
	check_short_writes(pfd[1], pfd[0], nonblock);
    }
}

static void test_write_timeout(void **state)
{
    struct vstream *s;
    char    block[4096];
    long long start;
    int     sv[2];
    int     i;
    int     ret = 0;

    small_buffers(sv);
    memset(block, 'z', sizeof(block));
    s = vstream_fdopen(sv[0], VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(s, 1);
    start = event_now_ms();
    for (i = 0; i < 1000 && ret == 0; i++)
	ret = vstream_write(s, block, sizeof(block));
    if (ret == 0)
	ret = vstream_flush(s);
    assert_int_equal(ret, -1);
    assert_int_equal(vstream_status(s), VSTREAM_TIMEOUT);
    assert_in_range(event_now_ms() - start, 950, 2500);
    /* Sticky: later writes fail at once. */
    assert_int_equal(vstream_puts(s, "more"), -1);
    assert_int_equal(vstream_flush(s), -1);
    assert_int_equal(vstream_close(&s), 0);
    close(sv[1]);
}

static void test_closed_peer(void **state)
{
    struct sigaction sa;
    struct vstream *s;
    int     sv[2];
    int     pfd[2];
    int     round;

    /* SIGPIPE must be at its default (deadly) disposition for this test. */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &sa, (struct sigaction *) 0);
    for (round = 0; round < 2; round++) {
	if (round == 0) {
	    make_pair(sv);
	} else {
	    assert_int_equal(pipe(pfd), 0);
	    sv[0] = pfd[1];
	    sv[1] = pfd[0];
	}
	close(sv[1]);
	s = vstream_fdopen(sv[0], VSTREAM_FLAG_CLOSE);
	assert_int_equal(vstream_puts(s, "hello\n"), 0);
	errno = 0;
	assert_int_equal(vstream_flush(s), -1);
	assert_int_equal(errno, EPIPE);
	assert_int_equal(vstream_status(s), VSTREAM_ERROR);
	assert_int_equal(vstream_write(s, "x", 1), -1);
	assert_int_equal(vstream_close(&s), 0);
    }
    /* No SIGPIPE is left pending either. */
    {
	sigset_t pending;

	sigpending(&pending);
	assert_false(sigismember(&pending, SIGPIPE));
    }
}

static void test_close_reports_flush_failure(void **state)
{
    struct vstream *s;
    int     sv[2];

    make_pair(sv);
    close(sv[1]);
    s = vstream_fdopen(sv[0], VSTREAM_FLAG_CLOSE);
    assert_int_equal(vstream_puts(s, "pending"), 0);
    assert_int_equal(vstream_close(&s), -1);
    assert_null(s);
}

static void test_read_getc_pending(void **state)
{
    struct vstream *s;
    struct vstring *buf = vstring_alloc(10);
    char    data[8];
    int     sv[2];

    make_pair(sv);
    assert_int_equal(write(sv[1], "AB12345678\nrest", 15), 15);
    close(sv[1]);
    s = vstream_fdopen(sv[0], 0);
    assert_int_equal(vstream_fileno(s), sv[0]);
    assert_int_equal(vstream_getc(s), 'A');
    assert_int_equal(vstream_getc(s), 'B');
    assert_int_equal(vstream_pending(s), 13);
    assert_int_equal(vstream_read(s, data, 4), 4);
    assert_memory_equal(data, "1234", 4);
    assert_int_equal(vstream_get_line(s, buf, 100), VSTREAM_OK);
    assert_string_equal(vstring_str(buf), "5678\n");
    assert_int_equal(vstream_pending(s), 4);
    vstream_discard_input(s);
    assert_int_equal(vstream_pending(s), 0);
    assert_int_equal(vstream_getc(s), -1);
    assert_int_equal(vstream_status(s), VSTREAM_EOF);
    assert_int_equal(vstream_read(s, data, sizeof(data)), 0);
    vstream_close(&s);
    /* Without VSTREAM_FLAG_CLOSE the descriptor stays open. */
    assert_int_equal(fcntl(sv[0], F_GETFD) >= 0, 1);
    close(sv[0]);
    vstring_free(&buf);
}

static void test_flush_before_read(void **state)
{
    struct vstream *s;
    struct vstring *buf = vstring_alloc(10);
    int     sv[2];
    pid_t   pid;

    make_pair(sv);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
	char    req[64];
	ssize_t n;

	close(sv[0]);
	n = read(sv[1], req, sizeof(req));
	if (n != 6 || memcmp(req, "PING 7", 6) != 0)
	    _exit(1);
	if (write(sv[1], "PONG 7\r\n", 8) != 8)
	    _exit(1);
	_exit(0);
    }
    close(sv[1]);
    s = vstream_fdopen(sv[0], VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(s, 5);
    assert_int_equal(vstream_printf(s, "PING %d", 7), 0);
    assert_int_equal(vstream_get_line(s, buf, 100), VSTREAM_OK);
    assert_string_equal(vstring_str(buf), "PONG 7\r\n");
    vstream_close(&s);
    reap_ok(pid);
    vstring_free(&buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_byte_at_a_time),
	cmocka_unit_test(test_line_limits),
	cmocka_unit_test(test_skip_partial),
	cmocka_unit_test(test_read_timeout),
	cmocka_unit_test(test_short_writes),
	cmocka_unit_test(test_write_timeout),
	cmocka_unit_test(test_closed_peer),
	cmocka_unit_test(test_close_reports_flush_failure),
	cmocka_unit_test(test_read_getc_pending),
	cmocka_unit_test(test_flush_before_read),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
