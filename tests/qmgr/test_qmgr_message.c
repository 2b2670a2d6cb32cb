/*++
/* NAME
/*	test_qmgr_message 1
/* SUMMARY
/*	unit tests for qmgr_message.c
/* SYNOPSIS
/*	./test_qmgr_message
/* DESCRIPTION
/*	Table tests for the back-off rule and the local-domain check, and
/*	the life of a message on a real queue (temporary folder): a file
/*	is activated, recipient results are written into the file, and the
/*	file is removed (all done) or moved to deferred/ with its next
/*	attempt as modification time; a damaged file goes to corrupt/.
/* DIAGNOSTICS
/*	cmocka's output.
/*--*/
#include <sys/stat.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <vstring.h>

#include <deliver_request.h>
#include <addr_class.h>
#include <mail_params.h>
#include <qfile.h>
#include <rec.h>

#include "qmgr.h"
#include "testqfile.h"

static int room_calls;

/* qmgr_scan_room - stub: qmgr_scan.c is not linked */

void    qmgr_scan_room(void)
{
    room_calls++;
}

static void test_backoff(void **unused)
{
    static const struct {
	long    min, max, age, want;
    } cases[] = {
	{300, 4000, 0, 300},
	{300, 4000, 299, 300},
	{300, 4000, 1000, 1000},
	{300, 4000, 3999, 3999},
	{300, 4000, 100000, 4000},
	{1, 4, 0, 1},
	{1, 4, 3, 3},
	{1, 4, 60, 4},
	{0, 0, 10, 1},
    };
    size_t  i;
    long    now = 1700000000;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	var_min_backoff_time = cases[i].min;
	var_max_backoff_time = cases[i].max;
	if (qmgr_backoff(now - cases[i].age, now) != cases[i].want)
	    fail_msg("case %lu: backoff(age %ld) = %ld, want %ld",
		     (unsigned long) i, cases[i].age,
		     qmgr_backoff(now - cases[i].age, now), cases[i].want);
    }
}

static void test_rcpt_is_local(void **unused)
{
    static const struct {
	const char *addr;
	int     want;
    } cases[] = {
	{"u@mx.example.test", 1},
	{"u@MX.Example.TEST", 1},
	{"u@mx.example.test.", 1},
	{"u@localhost", 1},
	{"u", 1},
	{"\"a@b\"@localhost", 1},
	{"u@example.test", 0},
	{"u@sub.mx.example.test", 0},
	{"u@mx.example.tes", 0},
	{"u@", 0},
	{"u@[127.0.0.1]", 1},		/* this host (loopback-only) */
	{"u@[192.0.2.1]", 0},
    };
    static char dest[] = "mx.example.test, localhost";
    static char empty[] = "";
    static char loop[] = "loopback-only";
    static char host[] = "host";
    static char all[] = "all";
    static char par[] = "relay_domains";
    struct vstring *why = vstring_alloc(100);
    size_t  i;

    var_mydest = dest;
    var_relay_domains = empty;
    var_proxy_interfaces = empty;
    var_inet_interfaces = loop;
    var_inet_protocols = all;
    var_mynetworks_style = host;
    var_par_dom_match = par;
    if (addr_class_init(why) < 0)
	fail_msg("addr_class_init: %s", vstring_str(why));
    vstring_free(&why);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	if (qmgr_rcpt_is_local(cases[i].addr) != cases[i].want)
	    fail_msg("case %lu: %s: got %d, want %d", (unsigned long) i,
		     cases[i].addr, !cases[i].want, cases[i].want);
}

/* state_of - recipient states in a queue file */

static void state_of(const char *queue, const char *id, char *states,
		             size_t len)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct qfile_info info;
    size_t  i;
    int     fd;

    fd = open(qfile_path(path, queue, id), O_RDONLY);
    assert_true(fd >= 0);
    if (qfile_read_envelope(fd, &info, why) < 0)
	fail_msg("%s: %s", vstring_str(path), vstring_str(why));
    assert_true(info.rcpt_count < len);
    for (i = 0; i < info.rcpt_count; i++)
	states[i] = (char) info.rcpts[i].state;
    states[i] = 0;
    qfile_info_free(&info);
    (void) close(fd);
    vstring_free(&path);
    vstring_free(&why);
}

static int exists(const char *queue, const char *id)
{
    struct vstring *path = vstring_alloc(100);
    struct stat st;
    int     ret = stat(qfile_path(path, queue, id), &st) == 0;

    vstring_free(&path);
    return (ret);
}

static void test_sent_and_deferred(void **unused)
{
    char   *dir = testqfile_queue();
    struct vstring *id = vstring_alloc(40);
    struct vstring *path = vstring_alloc(100);
    const char *rcpts[] = {"a@localhost", "b@localhost", "c@localhost", 0};
    struct qmgr_message *msg;
    struct stat st;
    char    states[8];
    size_t  i;

    var_min_backoff_time = 100;
    var_max_backoff_time = 1000;
    testqfile_make(QFILE_INCOMING, "s@example.org", rcpts, "PDP",
		   "Subject: x\n\nbody\n", id);
    qmgr_message_activate(QFILE_INCOMING, vstring_str(id));
    assert_int_equal(qmgr_message_count, 1);
    assert_true(exists(QFILE_ACTIVE, vstring_str(id)));
    msg = qmgr_message_list;
    assert_string_equal(msg->info.sender, "s@example.org");

    /* b is already done: a and c are waiting. */
    assert_true(qmgr_message_next_wait(msg, &i));
    assert_int_equal(i, 0);
    msg->rstate[0] = QMGR_RCPT_BUSY;
    msg->busy++;
    assert_true(qmgr_message_next_wait(msg, &i));
    assert_int_equal(i, 2);
    msg->rstate[2] = QMGR_RCPT_BUSY;
    msg->busy++;
    assert_false(qmgr_message_next_wait(msg, &i));

    qmgr_message_result(msg, 0, DELIVER_STAT_SENT, "2.0.0", "ok");
    state_of(QFILE_ACTIVE, vstring_str(id), states, sizeof(states));
    assert_string_equal(states, "DDP");
    qmgr_message_done_if_idle(msg);		/* c still busy */
    assert_int_equal(qmgr_message_count, 1);

    qmgr_message_result(msg, 2, DELIVER_STAT_DEFER, "4.2.0", "later");
    qmgr_message_done_if_idle(msg);
    assert_int_equal(qmgr_message_count, 0);
    assert_false(exists(QFILE_ACTIVE, vstring_str(id)));
    assert_true(exists(QFILE_DEFERRED, vstring_str(id)));
    state_of(QFILE_DEFERRED, vstring_str(id), states, sizeof(states));
    assert_string_equal(states, "DDP");
    assert_int_equal(stat(qfile_path(path, QFILE_DEFERRED, vstring_str(id)),
			  &st), 0);
    assert_true(st.st_mtime >= time((time_t *) 0) + 99);
    assert_true(st.st_mtime <= time((time_t *) 0) + 101);

    /*
     * Next attempt: c bounces. The bounce is recorded in bounce/ first;
     * with no bounce service to send the notice, the file waits in
     * deferred/ with every recipient done, and the log stays.
     */
    qmgr_message_activate(QFILE_DEFERRED, vstring_str(id));
    msg = qmgr_message_list;
    assert_non_null(msg);
    assert_true(qmgr_message_next_wait(msg, &i));
    assert_int_equal(i, 2);
    msg->rstate[2] = QMGR_RCPT_BUSY;
    msg->busy++;
    qmgr_message_result(msg, 2, DELIVER_STAT_BOUNCE, "5.1.1", "unknown");
    state_of(QFILE_ACTIVE, vstring_str(id), states, sizeof(states));
    assert_string_equal(states, "DDB");
    assert_true(exists(QFILE_BOUNCE, vstring_str(id)));
    qmgr_message_done_if_idle(msg);
    assert_int_equal(qmgr_message_count, 0);
    assert_false(exists(QFILE_ACTIVE, vstring_str(id)));
    assert_true(exists(QFILE_DEFERRED, vstring_str(id)));
    assert_true(exists(QFILE_BOUNCE, vstring_str(id)));

    /* Without the log (the notice went out), the file is removed. */
    assert_int_equal(unlink(qfile_path(path, QFILE_BOUNCE, vstring_str(id))), 0);
    qmgr_message_activate(QFILE_DEFERRED, vstring_str(id));
    assert_int_equal(qmgr_message_count, 0);
    assert_false(exists(QFILE_ACTIVE, vstring_str(id)));
    assert_false(exists(QFILE_DEFERRED, vstring_str(id)));

    vstring_free(&id);
    vstring_free(&path);
    testqfile_done(&dir);
}

static void test_retry_puts_back_in_line(void **unused)
{
    char   *dir = testqfile_queue();
    struct vstring *id = vstring_alloc(40);
    const char *rcpts[] = {"a@localhost", "b@localhost", 0};
    struct qmgr_message *msg;
    size_t  i;

    testqfile_make(QFILE_INCOMING, "", rcpts, 0, "body\n", id);
    qmgr_message_activate(QFILE_INCOMING, vstring_str(id));
    msg = qmgr_message_list;
    assert_non_null(msg);
    assert_string_equal(msg->info.sender, "");
    for (i = 0; i < 2; i++) {
	msg->rstate[i] = QMGR_RCPT_BUSY;
	msg->busy++;
    }
    msg->next = 2;
    qmgr_message_result(msg, 0, -1, "", "");	/* not attempted */
    assert_true(qmgr_message_next_wait(msg, &i));
    assert_int_equal(i, 0);
    qmgr_message_result(msg, 1, DELIVER_STAT_SENT, "2.0.0", "ok");
    msg->rstate[0] = QMGR_RCPT_BUSY;
    msg->busy++;
    qmgr_message_result(msg, 0, DELIVER_STAT_SENT, "2.0.0", "ok");
    qmgr_message_done_if_idle(msg);
    assert_int_equal(qmgr_message_count, 0);
    assert_false(exists(QFILE_ACTIVE, vstring_str(id)));
    vstring_free(&id);
    testqfile_done(&dir);
}

static void test_all_done_file_removed(void **unused)
{
    char   *dir = testqfile_queue();
    struct vstring *id = vstring_alloc(40);
    const char *rcpts[] = {"a@localhost", "b@localhost", 0};

    testqfile_make(QFILE_INCOMING, "s@x", rcpts, "DB", "x\n", id);
    qmgr_message_activate(QFILE_INCOMING, vstring_str(id));
    assert_int_equal(qmgr_message_count, 0);
    assert_false(exists(QFILE_ACTIVE, vstring_str(id)));
    assert_false(exists(QFILE_INCOMING, vstring_str(id)));
    vstring_free(&id);
    testqfile_done(&dir);
}

static void test_corrupt_file(void **unused)
{
    char   *dir = testqfile_queue();
    struct vstring *id = vstring_alloc(40);
    struct vstring *path = vstring_alloc(100);
    const char *rcpts[] = {"a@localhost", 0};
    int     fd;

    testqfile_make(QFILE_INCOMING, "s@x", rcpts, 0, "x\n", id);
    fd = open(qfile_path(path, QFILE_INCOMING, vstring_str(id)), O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 30), 0);
    (void) close(fd);
    qmgr_message_activate(QFILE_INCOMING, vstring_str(id));
    assert_int_equal(qmgr_message_count, 0);
    assert_true(exists(QFILE_CORRUPT, vstring_str(id)));
    assert_false(exists(QFILE_ACTIVE, vstring_str(id)));
    vstring_free(&id);
    vstring_free(&path);
    testqfile_done(&dir);
}

/* lifetime_setup - the parameters qmgr_message.c reads */

static int lifetime_setup(void **unused)
{
    static char dbl[] = "double-bounce";
    static char origin[] = "localhost";

    var_max_queue_lifetime = 5 * 86400;
    var_bounce_queue_lifetime = 5 * 86400;
    var_delay_warning_time = 0;
    var_double_bounce_sender = dbl;
    var_myorigin = origin;
    var_ipc_timeout = 10;
    return (0);
}

/* test_expired - a deferral past the lifetime is a bounce */

static void test_expired(void **unused)
{
    char   *dir = testqfile_queue();
    struct vstring *id = vstring_alloc(40);
    struct vstring *path = vstring_alloc(100);
    const char *rcpts[] = {"a@localhost", 0};
    struct qmgr_message *msg;
    char    states[8];

    testqfile_make(QFILE_INCOMING, "s@example.org", rcpts, 0, "x\n", id);
    qmgr_message_activate(QFILE_INCOMING, vstring_str(id));
    msg = qmgr_message_list;
    assert_non_null(msg);
    msg->info.arrival_sec -= 100;
    var_max_queue_lifetime = 50;
    msg->rstate[0] = QMGR_RCPT_BUSY;
    msg->busy++;
    qmgr_message_result(msg, 0, DELIVER_STAT_DEFER, "4.4.1", "no route");
    state_of(QFILE_ACTIVE, vstring_str(id), states, sizeof(states));
    assert_string_equal(states, "B");
    assert_true(exists(QFILE_BOUNCE, vstring_str(id)));
    qmgr_message_done_if_idle(msg);
    var_max_queue_lifetime = 5 * 86400;
    vstring_free(&id);
    vstring_free(&path);
    testqfile_done(&dir);
}

int     main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_backoff),
	cmocka_unit_test(test_rcpt_is_local),
	cmocka_unit_test(test_sent_and_deferred),
	cmocka_unit_test(test_retry_puts_back_in_line),
	cmocka_unit_test(test_all_done_file_removed),
	cmocka_unit_test(test_corrupt_file),
	cmocka_unit_test(test_expired),
    };

    return (cmocka_run_group_tests(tests, lifetime_setup, 0));
}
