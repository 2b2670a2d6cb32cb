/*++
/* NAME
/*	testqfile 3
/* SUMMARY
/*	make queue files and queue folders for unit tests
/* SYNOPSIS
/*	#include "testqfile.h"
/* DESCRIPTION
/*	See testqfile.h.
/* DIAGNOSTICS
/*	Failures fail the running cmocka test.
/*--*/
#include <sys/stat.h>
#include <sys/time.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <qfile.h>
#include <rec.h>

#include "testqfile.h"

static char testqfile_old_cwd[4096];

size_t  testqfile_chunk = REC_CONT_MAX;

char   *testqfile_queue(void)
{
    static const char *queues[] = {
	QFILE_INCOMING, QFILE_ACTIVE, QFILE_DEFERRED, QFILE_HOLD,
	QFILE_CORRUPT, QFILE_BOUNCE, QFILE_DEFER, 0,
    };
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    struct vstring *buf = vstring_alloc(100);
    const char **qp;

    vstring_sprintf(buf, "%s/testqfile.XXXXXX", tmp);
    assert_non_null(mkdtemp(vstring_str(buf)));
    assert_non_null(getcwd(testqfile_old_cwd, sizeof(testqfile_old_cwd)));
    assert_int_equal(chdir(vstring_str(buf)), 0);
    for (qp = queues; *qp; qp++)
	assert_int_equal(mkdir(*qp, 0700), 0);
    return (vstring_export(&buf));
}

static int testqfile_rm(const char *path, const struct stat *st, int flag,
			        struct FTW *ftw)
{
    return (remove(path));
}

void    testqfile_done(char **dirp)
{
    assert_int_equal(chdir(testqfile_old_cwd), 0);
    (void) nftw(*dirp, testqfile_rm, 16, FTW_DEPTH | FTW_PHYS);
    myfree(*dirp);
    *dirp = 0;
}

void    testqfile_make(const char *queue, const char *sender, const char **rcpts,
		               const char *states, const char *content,
		               struct vstring *id)
{
    struct vstring *why = vstring_alloc(100);
    struct vstream *out;
    struct timeval tv;
    const char *end;
    size_t  len = strlen(content);
    size_t  hdr;
    size_t  n;
    size_t  nrcpt;
    int     fd;

    assert_int_equal(qfile_create(queue, id, &fd, why), 0);
    gettimeofday(&tv, (struct timezone *) 0);
    out = vstream_fdopen(fd, 0);
    rec_fputs(out, REC_TYPE_MAGIC, REC_MAGIC_TEXT);
    rec_fprintf(out, REC_TYPE_TIME, "%ld.%06ld", (long) tv.tv_sec,
		(long) tv.tv_usec);
    rec_fputs(out, REC_TYPE_FROM, sender);
    for (nrcpt = 0; rcpts[nrcpt]; nrcpt++)
	rec_fprintf(out, REC_TYPE_RCPT, "%c%s",
		    states ? states[nrcpt] : REC_RCPT_TODO, rcpts[nrcpt]);
    rec_put(out, REC_TYPE_MESG, "", 0);
    for (n = 0; n < len; n += testqfile_chunk)
	rec_put(out, REC_TYPE_CONT, content + n,
		len - n > testqfile_chunk ? testqfile_chunk : len - n);
    rec_put(out, REC_TYPE_XTRA, "", 0);
    if (len > 0 && content[0] == '\n')
	hdr = 1;
    else if ((end = strstr(content, "\n\n")) != 0)
	hdr = end + 2 - content;
    else
	hdr = len;
    rec_fprintf(out, REC_TYPE_SIZE, "%lu %lu %lu", (unsigned long) len,
		(unsigned long) hdr, (unsigned long) nrcpt);
    rec_put(out, REC_TYPE_END, "", 0);
    assert_int_equal(vstream_close(&out), 0);
    assert_int_equal(qfile_commit(fd, queue, vstring_str(id), why), 0);
    (void) close(fd);
    vstring_free(&why);
}
