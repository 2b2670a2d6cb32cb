/*++
/* NAME
/*	testqueue 3
/* SUMMARY
/*	helpers for the tests/queue programs
/* SYNOPSIS
/*	#include "testqueue.h"
/* DESCRIPTION
/*	See testqueue.h.
/* DIAGNOSTICS
/*	Failures fail the running cmocka test.
/*--*/
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <vstream.h>
#include <vstring.h>
#include <rec.h>
#include <qfile.h>
#include "testqueue.h"

static char tq_dir[] = "/tmp/tq_queueXXXXXX";
static char tq_oldcwd[4096];

/* tq_write_all - write everything */

static void tq_write_all(int fd, const void *data, size_t len)
{
    const char *cp = data;
    ssize_t n;

    while (len > 0) {
	n = write(fd, cp, len);
	assert_true(n > 0);
	cp += n;
	len -= (size_t) n;
    }
}

int     tq_file(const void *data, size_t len)
{
    int     fd = memfd_create("tq_file", MFD_CLOEXEC);

    assert_true(fd >= 0);
    tq_write_all(fd, data, len);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    return (fd);
}

struct vstream *tq_stream(const void *data, size_t len)
{
    return (vstream_fdopen(tq_file(data, len), VSTREAM_FLAG_CLOSE));
}

static void tq_len(struct vstring *buf, size_t len)
{
    vstring_appendc(buf, (int) ((len >> 24) & 0xff));
    vstring_appendc(buf, (int) ((len >> 16) & 0xff));
    vstring_appendc(buf, (int) ((len >> 8) & 0xff));
    vstring_appendc(buf, (int) (len & 0xff));
}

void    tq_rec(struct vstring *buf, int type, const void *data, size_t len)
{
    vstring_appendc(buf, type);
    tq_len(buf, len);
    vstring_append(buf, data, len);
}

void    tq_recs(struct vstring *buf, int type, const char *str)
{
    tq_rec(buf, type, str, strlen(str));
}

void    tq_attr(struct vstring *buf, const char *name, const void *value,
		        size_t len)
{
    tq_len(buf, strlen(name));
    vstring_appends(buf, name);
    tq_len(buf, len);
    vstring_append(buf, value, len);
}

void    tq_attr_end(struct vstring *buf)
{
    tq_len(buf, 0);
}

void    tq_valid_file(struct vstring *buf)
{
    vstring_reset(buf);
    tq_recs(buf, 'V', REC_MAGIC_TEXT);
    tq_recs(buf, 'T', "1700000000.123456");
    tq_recs(buf, 'A', "client_name=localhost");
    tq_recs(buf, 'S', "alice@example.com");
    tq_recs(buf, 'A', "protocol=ESMTP");
    tq_recs(buf, 'O', "Bob@Example.COM");
    tq_recs(buf, 'R', "Pbob@example.com");
    tq_recs(buf, 'R', "Dcarol@example.com");
    tq_recs(buf, 'M', "");
    tq_recs(buf, 'C', "Subject: hi\nFrom: alice@exa");
    tq_recs(buf, 'C', "mple.com\n\nbody line\n");
    tq_recs(buf, 'X', "");
    /* content 47 bytes; headers 37 (up to and including the empty line) */
    tq_recs(buf, 'Z', "47 37 2");
    tq_recs(buf, 'E', "");
}

int     tq_dir_setup(void **state)
{
    static const char *queues[] = {
	QFILE_INCOMING, QFILE_ACTIVE, QFILE_DEFERRED, QFILE_HOLD,
	QFILE_CORRUPT, QFILE_RECYCLE, 0,
    };
    const char **cpp;

    if (getcwd(tq_oldcwd, sizeof(tq_oldcwd)) == 0)
	return (-1);
    if (mkdtemp(tq_dir) == 0 || chdir(tq_dir) < 0)
	return (-1);
    for (cpp = queues; *cpp; cpp++)
	if (mkdir(*cpp, 0700) < 0)
	    return (-1);
    return (0);
}

int     tq_dir_teardown(void **state)
{
    char   *argv[] = {"rm", "-rf", tq_dir, 0};
    pid_t   pid;
    int     status;

    if (chdir(tq_oldcwd) < 0)
	return (-1);
    if ((pid = fork()) == 0) {
	execvp("rm", argv);
	_exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
	return (-1);
    return (0);
}
