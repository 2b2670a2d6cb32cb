/*++
/* NAME
/*	test_readfile 1
/* SUMMARY
/*	unit tests for readfile
/* SYNOPSIS
/*	./test_readfile
/* DESCRIPTION
/*	Whole reads, the size limit (at, below and above), empty files,
/*	binary data, and the refusals: missing file, folder, FIFO.
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <sys/stat.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <mymalloc.h>
#include <readfile.h>
#include <vstring.h>
#include "testutil.h"

static void put_file(const char *path, const char *data, size_t len)
{
    int     fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t) len);
    close(fd);
}

static void test_limits(void **state)
{
    static const struct {
	const char *data;
	size_t  len;
	size_t  limit;
	int     ret;
	const char *why_tail;
    }       cases[] = {
	{"", 0, 0, 0, 0},
	{"hello\n", 6, 6, 0, 0},
	{"hello\n", 6, 100, 0, 0},
	{"a\0b\0", 4, 4, 0, 0},
	{"hello\n", 6, 5, -1, ": file too large (6 bytes, limit 5)"},
	{"x", 1, 0, -1, ": file too large (1 bytes, limit 0)"},
    };
    struct vstring *path = vstring_alloc(100);
    struct vstring *buf = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    struct vstring *want = vstring_alloc(10);
    size_t  i;

    vstring_sprintf(path, "%s/file", testutil_dir);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	put_file(vstring_str(path), cases[i].data, cases[i].len);
	vstring_strcpy(buf, "old contents");
	vstring_reset(why);
	if (readfile_limited(vstring_str(path), cases[i].limit, buf, why)
	    != cases[i].ret)
	    fail_msg("case %zu: wrong return (%s)", i, vstring_str(why));
	if (cases[i].ret == 0) {
	    assert_int_equal(vstring_len(buf), cases[i].len);
	    assert_memory_equal(vstring_str(buf), cases[i].data, cases[i].len);
	} else {
	    vstring_sprintf(want, "%s%s", vstring_str(path), cases[i].why_tail);
	    assert_string_equal(vstring_str(why), vstring_str(want));
	    assert_int_equal(vstring_len(buf), 0);
	}
    }
    vstring_free(&path);
    vstring_free(&buf);
    vstring_free(&why);
    vstring_free(&want);
}

static void test_refusals(void **state)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *buf = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    struct vstring *want = vstring_alloc(10);
    int     fd;

    vstring_sprintf(path, "%s/missing", testutil_dir);
    assert_int_equal(readfile_limited(vstring_str(path), 100, buf, why), -1);
    vstring_sprintf(want, "open %s: No such file or directory", vstring_str(path));
    assert_string_equal(vstring_str(why), vstring_str(want));

    assert_int_equal(readfile_limited(testutil_dir, 100, buf, why), -1);
    vstring_sprintf(want, "%s: not a regular file", testutil_dir);
    assert_string_equal(vstring_str(why), vstring_str(want));

    /* A FIFO without a writer must not hang. */
    vstring_sprintf(path, "%s/fifo", testutil_dir);
    assert_int_equal(mkfifo(vstring_str(path), 0600), 0);
    assert_int_equal(readfile_limited(vstring_str(path), 100, buf, why), -1);
    vstring_sprintf(want, "%s: not a regular file", vstring_str(path));
    assert_string_equal(vstring_str(why), vstring_str(want));

    /* readfile_fd() on an open descriptor, which it leaves open. */
    vstring_sprintf(path, "%s/byfd", testutil_dir);
    put_file(vstring_str(path), "by fd", 5);
    fd = open(vstring_str(path), O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(readfile_fd(fd, "name", 5, buf, why), 0);
    assert_string_equal(vstring_str(buf), "by fd");
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    assert_int_equal(readfile_fd(fd, "name", 4, buf, (struct vstring *) 0), -1);
    close(fd);

    vstring_free(&path);
    vstring_free(&buf);
    vstring_free(&why);
    vstring_free(&want);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_limits),
	cmocka_unit_test(test_refusals),
    };

    return (cmocka_run_group_tests(tests, testutil_dir_setup,
				   testutil_dir_teardown));
}
