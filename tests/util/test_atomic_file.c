/*++
/* NAME
/*	test_atomic_file 1
/* SUMMARY
/*	unit tests for atomic_file
/* SYNOPSIS
/*	./test_atomic_file
/* DESCRIPTION
/*	atomic_file_replace(): new file with the given mode, replacement
/*	keeping mode (and, as root, owner and group), temporary name
/*	collisions, a failed write (file size limit) leaving the old file
/*	and no temporary file behind, refusals. lock_file_open() and
/*	lock_file_pid(): pid in the file, a second lock fails with the
/*	owner's pid (in this process and from a child), release on close.
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
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

#include <atomic_file.h>
#include <mymalloc.h>
#include <readfile.h>
#include <vstring.h>
#include "testutil.h"

static void assert_contents(const char *path, const char *want)
{
    struct vstring *buf = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);

    if (readfile_limited(path, 100000, buf, why) < 0)
	fail_msg("%s", vstring_str(why));
    assert_string_equal(vstring_str(buf), want);
    vstring_free(&buf);
    vstring_free(&why);
}

/* count_temp_files - how many ".*.tmp.*" names are in testutil_dir */

static int count_temp_files(void)
{
    DIR    *dp = opendir(testutil_dir);
    struct dirent *de;
    int     n = 0;

    assert_non_null(dp);
    while ((de = readdir(dp)) != 0)
	if (de->d_name[0] == '.' && strstr(de->d_name, ".tmp.") != 0)
	    n++;
    closedir(dp);
    return (n);
}

/* Runs first, while this process's temp counter is still at 0. */

static void test_temp_collision(void **state)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *tmp = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    int     i;

    vstring_sprintf(path, "%s/collide", testutil_dir);
    for (i = 1; i <= 5; i++) {
	vstring_sprintf(tmp, "%s/.collide.tmp.%ld.%d", testutil_dir, (long) getpid(), i);
	close(open(vstring_str(tmp), O_CREAT | O_WRONLY, 0600));
    }
    if (atomic_file_replace(vstring_str(path), "data\n", 5, 0644, why) < 0)
	fail_msg("%s", vstring_str(why));
    assert_contents(vstring_str(path), "data\n");
    assert_int_equal(count_temp_files(), 5);	/* ours are untouched */
    for (i = 1; i <= 5; i++) {
	vstring_sprintf(tmp, "%s/.collide.tmp.%ld.%d", testutil_dir, (long) getpid(), i);
	unlink(vstring_str(tmp));
    }
    unlink(vstring_str(path));
    vstring_free(&path);
    vstring_free(&tmp);
    vstring_free(&why);
}

static void test_replace(void **state)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct stat st;
    mode_t  old_umask = umask(077);

    vstring_sprintf(path, "%s/main.cf", testutil_dir);
    /* New file: the given mode, umask notwithstanding. */
    if (atomic_file_replace(vstring_str(path), "one\n", 4, 0644, why) < 0)
	fail_msg("%s", vstring_str(why));
    assert_contents(vstring_str(path), "one\n");
    assert_int_equal(stat(vstring_str(path), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);

    /* Existing file: its mode (and owner, as root) stay. */
    assert_int_equal(chmod(vstring_str(path), 0604), 0);
    if (geteuid() == 0)
	assert_int_equal(chown(vstring_str(path), 65534, 65534), 0);
    if (atomic_file_replace(vstring_str(path), "two\n", 4, 0600, why) < 0)
	fail_msg("%s", vstring_str(why));
    assert_contents(vstring_str(path), "two\n");
    assert_int_equal(stat(vstring_str(path), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0604);
    if (geteuid() == 0) {
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_gid, 65534);
    }
    /* Empty data is fine. */
    assert_int_equal(atomic_file_replace(vstring_str(path), "", 0, 0600, why), 0);
    assert_contents(vstring_str(path), "");
    assert_int_equal(count_temp_files(), 0);
    assert_int_equal(fsync_dir(vstring_str(path), why), 0);
    umask(old_umask);
    vstring_free(&path);
    vstring_free(&why);
}

struct replace_args {
    const char *path;
    const char *data;
};

/* replace_big_limited - replace under a tiny file size limit */

static void replace_big_limited(void *arg)
{
    struct replace_args *ra = arg;
    struct vstring *why = vstring_alloc(100);
    struct rlimit rl = {8, 8};
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    sigaction(SIGXFSZ, &sa, (struct sigaction *) 0);
    if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
	_exit(2);
    if (atomic_file_replace(ra->path, ra->data, strlen(ra->data), 0644, why) == 0)
	_exit(3);
    fprintf(stderr, "%s", vstring_str(why));
    _exit(0);
}

static void test_failure_keeps_old(void **state)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstring *err = vstring_alloc(100);
    struct replace_args ra;
    int     status;

    vstring_sprintf(path, "%s/keep", testutil_dir);
    if (atomic_file_replace(vstring_str(path), "old\n", 4, 0644, why) < 0)
	fail_msg("%s", vstring_str(why));
    ra.path = vstring_str(path);
    ra.data = "new data that is longer than eight bytes\n";
    status = testutil_fork_call(replace_big_limited, &ra, err);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_non_null(strstr(vstring_str(err), "write "));
    assert_non_null(strstr(vstring_str(err), "File too large"));
    assert_contents(vstring_str(path), "old\n");
    assert_int_equal(count_temp_files(), 0);

    /* Refusals: missing folder, a folder as the target. */
    vstring_sprintf(path, "%s/nodir/file", testutil_dir);
    assert_int_equal(atomic_file_replace(vstring_str(path), "x", 1, 0644, why), -1);
    assert_non_null(strstr(vstring_str(why), "No such file or directory"));
    assert_int_equal(atomic_file_replace(testutil_dir, "x", 1, 0644, why), -1);
    vstring_sprintf(err, "%s: not a regular file", testutil_dir);
    assert_string_equal(vstring_str(why), vstring_str(err));
    assert_int_equal(fsync_dir(vstring_str(path), why), -1);
    vstring_free(&path);
    vstring_free(&why);
    vstring_free(&err);
}

static void test_lock_file(void **state)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstring *want = vstring_alloc(100);
    pid_t   pid = -1;
    int     fd;

    vstring_sprintf(path, "%s/master.pid", testutil_dir);
    assert_int_equal(lock_file_pid(vstring_str(path), &pid, why), 0);
    assert_int_equal(pid, 0);
    if ((fd = lock_file_open(vstring_str(path), &pid, why)) < 0)
	fail_msg("%s", vstring_str(why));
    assert_int_equal(fcntl(fd, F_GETFD), FD_CLOEXEC);
    vstring_sprintf(want, "%ld\n", (long) getpid());
    assert_contents(vstring_str(path), vstring_str(want));

    /* A second lock fails and names us. */
    assert_int_equal(lock_file_open(vstring_str(path), &pid, why), -1);
    assert_int_equal(pid, getpid());
    vstring_sprintf(want, "%s is locked by pid %ld", vstring_str(path),
		    (long) getpid());
    assert_string_equal(vstring_str(why), vstring_str(want));
    assert_int_equal(lock_file_pid(vstring_str(path), &pid, why), 1);
    assert_int_equal(pid, getpid());

    /* Released on close. */
    close(fd);
    assert_int_equal(lock_file_pid(vstring_str(path), &pid, why), 0);
    if ((fd = lock_file_open(vstring_str(path), (pid_t *) 0, why)) < 0)
	fail_msg("%s", vstring_str(why));
    close(fd);
    vstring_free(&path);
    vstring_free(&why);
    vstring_free(&want);
}

static void test_lock_from_child(void **state)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    int     ready[2];
    int     go[2];
    pid_t   child;
    pid_t   pid;
    char    c;
    int     status;

    vstring_sprintf(path, "%s/child.pid", testutil_dir);
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
	close(ready[0]);
	close(go[1]);
	if (lock_file_open(vstring_str(path), (pid_t *) 0, why) < 0)
	    _exit(1);
	if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) < 0)
	    _exit(1);
	_exit(0);
    }
    close(ready[1]);
    close(go[0]);
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(lock_file_open(vstring_str(path), &pid, why), -1);
    assert_int_equal(pid, child);
    assert_int_equal(lock_file_pid(vstring_str(path), &pid, why), 1);
    assert_int_equal(pid, child);
    close(go[1]);				/* child exits, lock goes */
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(lock_file_pid(vstring_str(path), &pid, why), 0);
    close(ready[0]);
    vstring_free(&path);
    vstring_free(&why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_temp_collision),
	cmocka_unit_test(test_replace),
	cmocka_unit_test(test_failure_keeps_old),
	cmocka_unit_test(test_lock_file),
	cmocka_unit_test(test_lock_from_child),
    };

    return (cmocka_run_group_tests(tests, testutil_dir_setup,
				   testutil_dir_teardown));
}
