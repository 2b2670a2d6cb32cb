/*++
/* NAME
/*	test_cleanup_clnt 1
/* SUMMARY
/*	unit tests for the cleanup client stub
/* SYNOPSIS
/*	./test_cleanup_clnt
/* DESCRIPTION
/*	cmocka tests for src/global/cleanup_clnt.c against a fake cleanup
/*	server (a child process on private/cleanup in a temporary
/*	folder): the protocol check, begin, the records arriving,
/*	finish with each status, a server that refuses to make a file, a
/*	server that goes away, no server at all; and the SMTP reply texts
/*	of cleanup_stat_reply().
/* DIAGNOSTICS
/*	cmocka's.
/*--*/
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <msg.h>
#include <sock.h>
#include <vstream.h>
#include <vstring.h>

#include <attr.h>
#include <cleanup_clnt.h>
#include <mail_params.h>
#include <rec.h>

static char tmpdir[] = "/tmp/test_cleanup_clnt.XXXXXX";

 /*
  * Fake server behaviours.
  */
#define FAKE_OK		0		/* queue the message */
#define FAKE_STATUS	1		/* final status 4 (SIZE) */
#define FAKE_NOFILE	2		/* begin fails with WRITE */
#define FAKE_VANISH	3		/* close after the records */
#define FAKE_PROTO	4		/* wrong protocol name */

/* fake_serve - one connection, then exit */

static void fake_serve(int listen_fd, int mode)
{
    int     fd = accept(listen_fd, 0, 0);
    struct vstream *s;
    struct vstring *buf = vstring_alloc(100);
    struct vstring *req = vstring_alloc(100);
    long    flags = -1;
    int     type;
    int     nrec = 0;

    if (fd < 0)
	_exit(2);
    s = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(s, 10);
    (void) attr_send_protocol(s, mode == FAKE_PROTO ? "other" : "cleanup", 1);
    if (mode == FAKE_PROTO)
	_exit(0);
    if (attr_scan(s, ATTR_FLAG_STRICT, ATTR_TYPE_STR, ATTR_REQUEST, req,
		  ATTR_TYPE_INT, ATTR_FLAGS, &flags, ATTR_TYPE_END) != 2
	|| strcmp(vstring_str(req), "message") != 0 || flags != 0)
	_exit(3);
    if (mode == FAKE_NOFILE) {
	(void) attr_print(s, ATTR_FLAG_NONE, ATTR_TYPE_INT, ATTR_STATUS,
			  (long) CLEANUP_STAT_WRITE, ATTR_TYPE_STR, ATTR_REASON,
			  "queue file write error", ATTR_TYPE_END);
	_exit(0);
    }
    (void) attr_print(s, ATTR_FLAG_NONE, ATTR_TYPE_INT, ATTR_STATUS, 0L,
		      ATTR_TYPE_STR, ATTR_QUEUE_ID, "0ABCDEF0123456789",
		      ATTR_TYPE_END);
    while ((type = rec_get(s, buf, 1000)) > 0) {
	nrec++;
	if (type == REC_TYPE_END)
	    break;
    }
    if (type != REC_TYPE_END || nrec != 5)
	_exit(4);
    if (mode == FAKE_VANISH)
	_exit(0);
    (void) attr_print(s, ATTR_FLAG_NONE,
		      ATTR_TYPE_INT, ATTR_STATUS,
		      mode == FAKE_STATUS ? (long) CLEANUP_STAT_SIZE : 0L,
		      ATTR_TYPE_STR, ATTR_REASON,
		      mode == FAKE_STATUS ? "message file too big" : "",
		      ATTR_TYPE_STR, ATTR_QUEUE_ID, "0ABCDEF0123456789",
		      ATTR_TYPE_END);
    (void) vstream_close(&s);
    _exit(0);
}

/* fake_start - a fake server for one connection */

static pid_t fake_start(int mode)
{
    struct vstring *why = vstring_alloc(100);
    int     fd = unix_listen("private/cleanup", 5, 0600, why);
    pid_t   pid;

    assert_true(fd >= 0);
    vstring_free(&why);
    if ((pid = fork()) == 0)
	fake_serve(fd, mode);
    assert_true(pid > 0);
    (void) close(fd);
    return (pid);
}

static int fake_wait(pid_t pid)
{
    int     status;

    assert_int_equal(waitpid(pid, &status, 0), pid);
    (void) unlink("private/cleanup");
    return (WIFEXITED(status) ? WEXITSTATUS(status) : 99);
}

/* send_records - a minimal message */

static void send_records(struct cleanup_clnt *c)
{
    struct vstream *s = cleanup_clnt_stream(c);

    assert_int_equal(rec_fputs(s, REC_TYPE_FROM, "a@b"), 0);
    assert_int_equal(rec_fputs(s, REC_TYPE_RCPT, "c@d"), 0);
    assert_int_equal(rec_put(s, REC_TYPE_MESG, "", 0), 0);
    assert_int_equal(rec_put(s, REC_TYPE_XTRA, "", 0), 0);
    assert_int_equal(rec_put(s, REC_TYPE_END, "", 0), 0);
}

static void run_mode(int mode, int want_begin, int want_finish)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *id = vstring_alloc(100);
    pid_t   pid = fake_start(mode);
    struct cleanup_clnt *c = cleanup_clnt_open(why);

    if (mode == FAKE_PROTO) {
	assert_null(c);
	assert_non_null(strstr(vstring_str(why), "cleanup"));
    } else {
	assert_non_null(c);
	assert_int_equal(cleanup_clnt_begin(c, CLEANUP_FLAG_NONE, id, why),
			 want_begin);
	if (want_begin == 0) {
	    assert_string_equal(vstring_str(id), "0ABCDEF0123456789");
	    send_records(c);
	    assert_int_equal(cleanup_clnt_finish(c, why), want_finish);
	    if (want_finish == CLEANUP_STAT_SIZE)
		assert_string_equal(vstring_str(why), "message file too big");
	} else {
	    assert_non_null(strstr(vstring_str(why), "queue file write error"));
	}
	cleanup_clnt_close(&c);
	assert_null(c);
    }
    assert_int_equal(fake_wait(pid), 0);
    vstring_free(&why);
    vstring_free(&id);
}

static void test_ok(void **unused)
{
    run_mode(FAKE_OK, 0, 0);
}

static void test_status(void **unused)
{
    run_mode(FAKE_STATUS, 0, CLEANUP_STAT_SIZE);
}

static void test_nofile(void **unused)
{
    run_mode(FAKE_NOFILE, CLEANUP_STAT_WRITE, 0);
}

static void test_vanish(void **unused)
{
    run_mode(FAKE_VANISH, 0, CLEANUP_STAT_PROXY);
}

static void test_wrong_protocol(void **unused)
{
    run_mode(FAKE_PROTO, 0, 0);
}

static void test_no_server(void **unused)
{
    struct vstring *why = vstring_alloc(100);

    (void) unlink("private/cleanup");
    assert_null(cleanup_clnt_open(why));
    assert_true(vstring_len(why) > 0);
    vstring_free(&why);
}

static void test_stat_reply(void **unused)
{
    assert_string_equal(cleanup_stat_reply(CLEANUP_STAT_WRITE),
			"451 4.3.0 Error: queue file write error");
    assert_string_equal(cleanup_stat_reply(CLEANUP_STAT_SIZE),
			"552 5.3.4 Error: message file too big");
    assert_string_equal(cleanup_stat_reply(CLEANUP_STAT_HOPS),
			"554 5.4.6 Error: too many hops");
    assert_string_equal(cleanup_stat_reply(CLEANUP_STAT_RCPT),
			"554 5.5.1 Error: no valid recipients");
    assert_string_equal(cleanup_stat_reply(CLEANUP_STAT_BAD),
			"451 4.3.0 Error: internal error");
    assert_string_equal(cleanup_stat_reply(CLEANUP_STAT_PROXY),
			"451 4.3.0 Error: internal error");
    /* A temporary error wins over a permanent one. */
    assert_string_equal(cleanup_stat_reply(CLEANUP_STAT_WRITE | CLEANUP_STAT_SIZE),
			"451 4.3.0 Error: queue file write error");
    assert_string_equal(cleanup_stat_reply(CLEANUP_STAT_HOPS | CLEANUP_STAT_RCPT),
			"554 5.4.6 Error: too many hops");
    assert_string_equal(cleanup_stat_reply(1 << 20),
			"451 4.3.0 Error: internal error");
}

static int setup(void **unused)
{
    if (mkdtemp(tmpdir) == 0 || chdir(tmpdir) < 0 || mkdir("private", 0700) < 0)
	return (-1);
    return (0);
}

static int teardown(void **unused)
{
    (void) unlink("private/cleanup");
    (void) rmdir("private");
    if (chdir("/") < 0)
	return (-1);
    return (rmdir(tmpdir));
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_ok),
	cmocka_unit_test(test_status),
	cmocka_unit_test(test_nofile),
	cmocka_unit_test(test_vanish),
	cmocka_unit_test(test_wrong_protocol),
	cmocka_unit_test(test_no_server),
	cmocka_unit_test(test_stat_reply),
    };

    msg_init("test_cleanup_clnt");
    signal(SIGPIPE, SIG_IGN);
    var_ipc_timeout = 10;
    return (cmocka_run_group_tests(tests, setup, teardown));
}
