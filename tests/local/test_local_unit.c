/*++
/* NAME
/*	test_local_unit 1
/* SUMMARY
/*	unit tests for local_copy.c, local_maildir.c and local_mbox.c
/* SYNOPSIS
/*	./test_local_unit
/* DESCRIPTION
/*	The delivered message is byte-exact (Return-Path, Delivered-To,
/*	content) also when the content is split into tiny C records;
/*	mboxrd quoting of ">*From " lines across record boundaries; Maildir
/*	delivery (folders made with mode 0700, file name with the escaped
/*	host name and ",S=size", mode 0600, nothing left in tmp/); a
/*	Maildir that is a plain file defers with 4.2.0; mbox append with a
/*	"From " line and an empty line after the message, lock file
/*	removed. The functions run with the test's own identity here (in
/*	local they run in the child after the switch to the user).
/* DIAGNOSTICS
/*	cmocka's output.
/*--*/
#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <vstream.h>
#include <vstring.h>

#include <deliver_request.h>
#include <mail_params.h>
#include <qfile.h>

#include "local.h"
#include "testqfile.h"

struct fixture {
    char   *dir;
    struct vstring *id;
    struct qfile_info info;
    struct local_state state;
    int     fd;
};

/* setup_msg - a queue file with content, opened and read like local does */

static void setup_msg(struct fixture *fx, const char *content, size_t chunk)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    const char *rcpts[] = {"u@h", 0};

    fx->dir = testqfile_queue();
    fx->id = vstring_alloc(40);
    testqfile_chunk = chunk;
    testqfile_make(QFILE_INCOMING, "s@x", rcpts, 0, content, fx->id);
    testqfile_chunk = 65536;
    fx->fd = open(qfile_path(path, QFILE_INCOMING, vstring_str(fx->id)),
		  O_RDONLY);
    assert_true(fx->fd >= 0);
    if (qfile_read_envelope(fx->fd, &fx->info, why) < 0)
	fail_msg("read envelope: %s", vstring_str(why));
    memset(&fx->state, 0, sizeof(fx->state));
    fx->state.queue_id = vstring_str(fx->id);
    fx->state.sender = "s@x";
    fx->state.recipient = "u@h";
    fx->state.user = "someone";
    fx->state.uid = geteuid();
    fx->state.gid = getegid();
    fx->state.home = fx->dir;
    fx->state.qfd = fx->fd;
    fx->state.info = &fx->info;
    vstring_free(&path);
    vstring_free(&why);
}

static void teardown_msg(struct fixture *fx)
{
    qfile_info_free(&fx->info);
    (void) close(fx->fd);
    vstring_free(&fx->id);
    testqfile_done(&fx->dir);
}

/* copy_to_string - run local_copy() into a file, return what it wrote */

static struct vstring *copy_to_string(struct fixture *fx, int mbox)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *out = vstring_alloc(100);
    struct vstream *stream;
    char    buf[4096];
    ssize_t n;
    int     fd;

    fd = open("copy.out", O_RDWR | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    stream = vstream_fdopen(fd, 0);
    if (local_copy(&fx->state, stream, mbox, why) < 0)
	fail_msg("local_copy: %s", vstring_str(why));
    assert_int_equal(vstream_close(&stream), 0);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    while ((n = read(fd, buf, sizeof(buf))) > 0)
	vstring_append(out, buf, (size_t) n);
    (void) close(fd);
    vstring_free(&why);
    return (out);
}

static void test_copy_exact(void **unused)
{
    static const char content[] = "Subject: t\n\nFrom me\nline\n\n.\nno newline";
    static const size_t chunks[] = {1, 3, 7, 65536};
    struct fixture fx;
    struct vstring *out;
    size_t  i;

    for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
	setup_msg(&fx, content, chunks[i]);
	out = copy_to_string(&fx, 0);
	assert_string_equal(vstring_str(out),
			    "Return-Path: <s@x>\nDelivered-To: u@h\n"
			    "Subject: t\n\nFrom me\nline\n\n.\nno newline");
	vstring_free(&out);
	teardown_msg(&fx);
    }
}

static void test_copy_mbox_quoting(void **unused)
{
    static const char content[] = "From a\n\nFrom b\nxFrom c\n>From d\nFrom e";
    static const size_t chunks[] = {1, 2, 5, 65536};
    struct fixture fx;
    struct vstring *out;
    size_t  i;

    for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
	setup_msg(&fx, content, chunks[i]);
	out = copy_to_string(&fx, 1);
	assert_string_equal(vstring_str(out),
			    "Return-Path: <s@x>\nDelivered-To: u@h\n"
			    ">From a\n\n>From b\nxFrom c\n>>From d\n>From e\n");
	vstring_free(&out);
	teardown_msg(&fx);
    }
}

static struct local_result *result_alloc(void)
{
    static struct local_result res;

    res.dsn = vstring_alloc(10);
    res.reason = vstring_alloc(100);
    res.status = -1;
    return (&res);
}

static void result_free(struct local_result *res)
{
    vstring_free(&res->dsn);
    vstring_free(&res->reason);
}

/* only_file - the one entry in a folder (mymalloc'ed name) */

static char *only_file(const char *dir)
{
    DIR    *dp = opendir(dir);
    struct dirent *de;
    char   *name = 0;
    int     count = 0;

    assert_non_null(dp);
    while ((de = readdir(dp)) != 0) {
	if (de->d_name[0] == '.')
	    continue;
	count++;
	name = strdup(de->d_name);
    }
    closedir(dp);
    if (count != 1)
	fail_msg("%s: %d entries, want 1", dir, count);
    return (name);
}

static void test_maildir(void **unused)
{
    static char host[] = "mx/a:b";
    struct fixture fx;
    struct local_result *res = result_alloc();
    struct stat st;
    struct vstring *want = vstring_alloc(100);
    char   *name;
    DIR    *dp;
    struct dirent *de;
    int     fd;
    char    buf[512];
    ssize_t n;

    var_myhostname = host;
    setup_msg(&fx, "Subject: m\n\nbody\n", 4);
    local_maildir(&fx.state, "Maildir/", res);
    if (res->status != DELIVER_STAT_SENT)
	fail_msg("status %d %s %s", res->status, vstring_str(res->dsn),
		 vstring_str(res->reason));
    assert_string_equal(vstring_str(res->dsn), "2.0.0");
    assert_string_equal(vstring_str(res->reason), "delivered to maildir");
    assert_int_equal(stat("Maildir/cur", &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    name = only_file("Maildir/new");
    assert_non_null(strstr(name, ".mx\\057a\\072b,S=54"));
    assert_non_null(strstr(name, "V"));
    vstring_sprintf(want, "Maildir/new/%s", name);
    fd = open(vstring_str(want), O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    n = read(fd, buf, sizeof(buf) - 1);
    assert_int_equal(n, 54);
    buf[n] = 0;
    assert_string_equal(buf, "Return-Path: <s@x>\nDelivered-To: u@h\n"
			"Subject: m\n\nbody\n");
    (void) close(fd);
    dp = opendir("Maildir/tmp");
    assert_non_null(dp);
    while ((de = readdir(dp)) != 0)
	if (de->d_name[0] != '.')
	    fail_msg("left in tmp/: %s", de->d_name);
    closedir(dp);
    free(name);
    vstring_free(&want);
    result_free(res);
    teardown_msg(&fx);
}

/* count_files - entries in a folder */

static int count_files(const char *dir)
{
    DIR    *dp = opendir(dir);
    struct dirent *de;
    int     count = 0;

    assert_non_null(dp);
    while ((de = readdir(dp)) != 0)
	if (de->d_name[0] != '.')
	    count++;
    closedir(dp);
    return (count);
}

static void test_maildir_group_phases(void **unused)
{
    struct fixture fx;
    struct local_result *res = result_alloc();
    struct local_pending pend[2];
    int     i;

    setup_msg(&fx, "Subject: g\n\nbody\n", 65536);
    for (i = 0; i < 2; i++) {
	local_pending_init(pend + i);
	fx.state.pending = pend + i;
	res->status = -1;
	local_maildir(&fx.state, "Maildir/", res);
	/* Written to tmp/, open, nothing in new/ yet. */
	assert_int_equal(res->status, LOCAL_STAT_PENDING);
	assert_true(pend[i].fd >= 0);
	assert_int_equal(pend[i].linked, 0);
    }
    fx.state.pending = 0;
    assert_int_equal(count_files("Maildir/tmp"), 2);
    assert_int_equal(count_files("Maildir/new"), 0);

    /* The second is abandoned before its link: its tmp/ file goes. */
    local_pending_reset(pend + 1);
    assert_int_equal(pend[1].fd, -1);
    assert_int_equal(count_files("Maildir/tmp"), 1);

    /* The first: sync and link, then the folder sync makes it count. */
    local_maildir_link(pend, res);
    assert_int_equal(res->status, LOCAL_STAT_PENDING);
    assert_int_equal(pend[0].linked, 1);
    assert_int_equal(count_files("Maildir/tmp"), 0);
    assert_int_equal(count_files("Maildir/new"), 1);
    local_maildir_sync(pend, res);
    assert_int_equal(res->status, DELIVER_STAT_SENT);
    assert_string_equal(vstring_str(res->reason), "delivered to maildir");

    /* A linked file is never removed by the reset. */
    local_pending_reset(pend);
    assert_int_equal(count_files("Maildir/new"), 1);

    /* A folder synced by an earlier member is not synced again. */
    pend[0].dir_synced = 1;
    vstring_strcpy(pend[0].base, "no-such-maildir");
    res->status = -1;
    local_maildir_sync(pend, res);
    assert_int_equal(res->status, DELIVER_STAT_SENT);
    pend[0].dir_synced = 0;
    local_maildir_sync(pend, res);
    assert_int_equal(res->status, DELIVER_STAT_DEFER);
    assert_non_null(strstr(vstring_str(res->reason), "sync maildir folder"));
    for (i = 0; i < 2; i++)
	local_pending_free(pend + i);
    result_free(res);
    teardown_msg(&fx);
}

static void test_maildir_is_a_file(void **unused)
{
    struct fixture fx;
    struct local_result *res = result_alloc();
    int     fd;

    setup_msg(&fx, "x\n", 65536);
    fd = open("Maildir", O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    (void) close(fd);
    local_maildir(&fx.state, "Maildir/", res);
    assert_int_equal(res->status, DELIVER_STAT_DEFER);
    assert_string_equal(vstring_str(res->dsn), "4.2.0");
    assert_non_null(strstr(vstring_str(res->reason), "not a directory"));
    result_free(res);
    teardown_msg(&fx);
}

static void test_mbox_append(void **unused)
{
    struct fixture fx;
    struct local_result *res = result_alloc();
    struct stat st;
    char    buf[1024];
    ssize_t n;
    int     fd;
    char   *second;

    setup_msg(&fx, "Subject: b\n\nFrom x\nend", 3);
    local_mbox(&fx.state, "mbox", res);
    assert_int_equal(res->status, DELIVER_STAT_SENT);
    assert_string_equal(vstring_str(res->reason), "delivered to mailbox");
    local_mbox(&fx.state, "mbox", res);
    assert_int_equal(res->status, DELIVER_STAT_SENT);
    assert_int_equal(stat("mbox.lock", &st), -1);
    assert_int_equal(stat("mbox", &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    fd = open("mbox", O_RDONLY);
    n = read(fd, buf, sizeof(buf) - 1);
    (void) close(fd);
    assert_true(n > 0);
    buf[n] = 0;
    assert_memory_equal(buf, "From s@x ", 9);
    second = strstr(buf + 1, "\nFrom s@x ");
    assert_non_null(second);
    assert_non_null(strstr(buf, "\nReturn-Path: <s@x>\nDelivered-To: u@h\n"
			   "Subject: b\n\n>From x\nend\n\n"));
    assert_int_equal(n, 2 * (second + 1 - buf));
    result_free(res);
    teardown_msg(&fx);
}

int     main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_copy_exact),
	cmocka_unit_test(test_copy_mbox_quoting),
	cmocka_unit_test(test_maildir),
	cmocka_unit_test(test_maildir_group_phases),
	cmocka_unit_test(test_maildir_is_a_file),
	cmocka_unit_test(test_mbox_append),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
