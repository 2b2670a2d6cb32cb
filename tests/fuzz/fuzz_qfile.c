/*++
/* NAME
/*	fuzz_qfile 1
/* SUMMARY
/*	libFuzzer target: the queue file reader and validator
/* SYNOPSIS
/*	./fuzz_qfile [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input is a queue file: it is written to a memfd and read with
/*	qfile_read_envelope(). When the reader accepts it, the target
/*	checks what it promised: the content through qfile_content_open()
/*	and qfile_content_read() adds up to content_size, header_size is
/*	at most content_size, every recipient offset names an R record
/*	whose state qfile_set_rcpt_state() can rewrite, and the file still
/*	reads the same afterwards. A broken promise aborts (a finding);
/*	rejected inputs are expected.
/*	Seeds: corpus/fuzz_qfile/; dictionary: fuzz_qfile.dict.
/* DIAGNOSTICS
/*	libFuzzer's.
/*--*/
#include <sys/mman.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <vstream.h>
#include <vstring.h>
#include <rec.h>
#include <qfile.h>

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* check - abort when a promise is broken */

static void check(int ok, const char *what)
{
    if (!ok)
	msg_panic("fuzz_qfile: %s", what);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    struct vstring *why;
    struct vstring *buf;
    struct vstream *cs;
    struct qfile_info info;
    struct qfile_info again;
    off_t   left;
    off_t   total;
    ssize_t n;
    size_t  i;

    if (fd < 0) {
	msg_init("fuzz_qfile");
	msg_stderr_init(0, 0);
	if ((fd = memfd_create("fuzz_qfile", MFD_CLOEXEC)) < 0)
	    msg_fatal("memfd_create: %m");
    }
    if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t) size)
	msg_fatal("write memfd: %m");
    why = vstring_alloc(100);
    if (qfile_read_envelope(fd, &info, why) == 0) {
	check(info.sender != 0 && info.rcpt_count > 0, "sender/recipients");
	check(info.header_size <= info.content_size, "header_size");
	buf = vstring_alloc(100);
	cs = qfile_content_open(fd, &info);
	check(cs != 0, "content_open");
	left = info.content_size;
	total = 0;
	while ((n = qfile_content_read(cs, buf, &left)) > 0)
	    total += n;
	check(n == 0 && left == 0 && total == info.content_size, "content");
	vstream_close(&cs);
	for (i = 0; i < info.rcpt_count; i++)
	    check(qfile_set_rcpt_state(fd, info.rcpts[i].offset,
				       info.rcpts[i].state, why) == 0,
		  "set_rcpt_state");
	check(qfile_read_envelope(fd, &again, why) == 0
	      && again.rcpt_count == info.rcpt_count, "read again");
	qfile_info_free(&again);
	qfile_info_free(&info);
	vstring_free(&buf);
    } else {
	check(vstring_len(why) > 0 && info.rcpts == 0 && info.sender == 0,
	      "error state");
    }
    vstring_free(&why);
    return (0);
}
