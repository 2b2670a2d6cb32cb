/*++
/* NAME
/*	test_capture 3h
/* SUMMARY
/*	capture what a test writes to stderr (warnings), and temp folders
/* SYNOPSIS
/*	#include "test_capture.h"
/* DESCRIPTION
/*	capture_start() points descriptor 2 at a fresh temporary file;
/*	capture_end(buf) puts descriptor 2 back and replaces buf with what
/*	was written meanwhile. test_tempdir(buf) makes a fresh folder under
/*	/tmp; test_rmdir() removes it with the files in it (one level).
/*	test_write_file() and test_read_file() move whole files.
/* DIAGNOSTICS
/*	Failures abort the test through cmocka's assertions.
/*--*/
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int capture_saved = -1;
static int capture_fd = -1;

static __attribute__((unused)) void capture_start(void)
{
    char    path[] = "/tmp/dromos-capture-XXXXXX";

    fflush(stderr);
    capture_saved = dup(2);
    assert_true(capture_saved >= 0);
    capture_fd = mkstemp(path);
    assert_true(capture_fd >= 0);
    unlink(path);
    assert_int_equal(dup2(capture_fd, 2), 2);
}

static __attribute__((unused)) void capture_end(struct vstring *buf)
{
    char    chunk[4096];
    ssize_t n;

    fflush(stderr);
    assert_int_equal(dup2(capture_saved, 2), 2);
    close(capture_saved);
    vstring_reset(buf);
    assert_true(lseek(capture_fd, 0, SEEK_SET) == 0);
    while ((n = read(capture_fd, chunk, sizeof(chunk))) > 0)
	vstring_append(buf, chunk, (size_t) n);
    close(capture_fd);
    capture_fd = capture_saved = -1;
}

static __attribute__((unused)) void test_tempdir(struct vstring *buf)
{
    char    path[] = "/tmp/dromos-test-XXXXXX";

    assert_non_null(mkdtemp(path));
    vstring_strcpy(buf, path);
}

static __attribute__((unused)) void test_rmdir(const char *dir)
{
    DIR    *dp;
    struct dirent *de;
    struct vstring *path = vstring_alloc(100);

    if ((dp = opendir(dir)) != 0) {
	while ((de = readdir(dp)) != 0) {
	    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
		continue;
	    vstring_sprintf(path, "%s/%s", dir, de->d_name);
	    unlink(vstring_str(path));
	}
	closedir(dp);
    }
    rmdir(dir);
    vstring_free(&path);
}

static __attribute__((unused)) void test_write_file(const char *path, const char *data, size_t len)
{
    int     fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    assert_true(fd >= 0);
    assert_true(write(fd, data, len) == (ssize_t) len);
    assert_int_equal(close(fd), 0);
}

static __attribute__((unused)) int test_read_file(const char *path, struct vstring *buf)
{
    char    chunk[4096];
    ssize_t n;
    int     fd;

    vstring_reset(buf);
    if ((fd = open(path, O_RDONLY)) < 0)
	return (-1);
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
	vstring_append(buf, chunk, (size_t) n);
    close(fd);
    return (0);
}
