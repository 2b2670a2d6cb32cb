/*++
/* NAME
/*	test_dot_lock 1
/* SUMMARY
/*	unit tests for dot_lock: the mbox dot-lock
/* SYNOPSIS
/*	./test_dot_lock
/* DESCRIPTION
/*	In a fresh temporary folder: a lock is made as a 0600 file; a
/*	second dot_lock() on a held lock waits its 1 second and fails with
/*	ETIMEDOUT and "timeout waiting for lock file"; a lock whose mtime
/*	is older than the stale age is removed and made again at once; a
/*	lock released by another process (a child that unlinks it after
/*	half a second) is taken while waiting; a create error (missing
/*	folder) is reported with its errno; the privilege callback is
/*	called in on/off pairs around each create and removal.
/* DIAGNOSTICS
/*	cmocka's report.
/*--*/
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include <vstring.h>

#include <dot_lock.h>

static char dir[] = "/tmp/test_dot_lock.XXXXXX";
static char lock[256];
static int priv_on;
static int priv_calls;

static void priv(void *context, int on)
{
    assert_ptr_equal(context, (void *) dir);
    assert_int_equal(on, !priv_on);		/* strictly paired */
    priv_on = on;
    priv_calls++;
}

static int setup(void **state)
{
    (void) state;
    if (mkdtemp(dir) == 0)
	return (-1);
    (void) snprintf(lock, sizeof(lock), "%s/mbox.lock", dir);
    return (0);
}

static int teardown(void **state)
{
    (void) state;
    (void) unlink(lock);
    return (rmdir(dir));
}

static void test_make_and_held(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct stat st;
    time_t  start;

    assert_int_equal(dot_lock(lock, 1, 300, priv, dir, why), 0);
    assert_int_equal(priv_on, 0);
    assert_int_equal(priv_calls, 2);
    assert_int_equal(lstat(lock, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);

    start = time((time_t *) 0);
    errno = 0;
    assert_int_equal(dot_lock(lock, 1, 300, (void (*) (void *, int)) 0,
			      (void *) 0, why), -1);
    assert_int_equal(errno, ETIMEDOUT);
    assert_true(time((time_t *) 0) - start >= 1);
    assert_non_null(strstr(vstring_str(why), "timeout waiting for lock file"));
    assert_int_equal(unlink(lock), 0);
    vstring_free(&why);
}

static void test_stale_removed(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct utimbuf ut;
    int     fd;

    assert_true((fd = open(lock, O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0);
    (void) close(fd);
    ut.actime = ut.modtime = time((time_t *) 0) - 1000;
    assert_int_equal(utime(lock, &ut), 0);
    priv_calls = 0;
    assert_int_equal(dot_lock(lock, 0, 300, priv, dir, why), 0);
    assert_int_equal(priv_calls, 6);		/* create, remove, create */
    assert_int_equal(unlink(lock), 0);
    vstring_free(&why);
}

static void test_released_while_waiting(void **state)
{
    struct vstring *why = vstring_alloc(100);
    pid_t   pid;
    int     status;

    assert_int_equal(dot_lock(lock, 0, 300, (void (*) (void *, int)) 0,
			      (void *) 0, why), 0);
    if ((pid = fork()) == 0) {
	(void) usleep(500000);
	_exit(unlink(lock) == 0 ? 0 : 1);
    }
    assert_true(pid > 0);
    assert_int_equal(dot_lock(lock, 10, 300, (void (*) (void *, int)) 0,
			      (void *) 0, why), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(access(lock, F_OK), 0);
    assert_int_equal(unlink(lock), 0);
    vstring_free(&why);
}

static void test_create_error(void **state)
{
    struct vstring *why = vstring_alloc(100);
    char    missing[300];

    (void) snprintf(missing, sizeof(missing), "%s/no/such/mbox.lock", dir);
    errno = 0;
    assert_int_equal(dot_lock(missing, 5, 300, (void (*) (void *, int)) 0,
			      (void *) 0, why), -1);
    assert_int_equal(errno, ENOENT);
    assert_non_null(strstr(vstring_str(why), "create lock file "));
    assert_non_null(strstr(vstring_str(why), "No such file or directory"));
    vstring_free(&why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_make_and_held),
	cmocka_unit_test(test_stale_removed),
	cmocka_unit_test(test_released_while_waiting),
	cmocka_unit_test(test_create_error),
    };

    return (cmocka_run_group_tests(tests, setup, teardown));
}
