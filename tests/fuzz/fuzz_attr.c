/*++
/* NAME
/*	fuzz_attr 1
/* SUMMARY
/*	libFuzzer target: the attribute protocol readers
/* SYNOPSIS
/*	./fuzz_attr [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input is what a peer daemon might send: it is written to a
/*	memfd and read, from the start each time, by attr_scan() in
/*	strict and in lenient mode (message after message until an
/*	error), attr_scan_any() into a table, attr_expect_protocol(),
/*	deliver_request_read() and deliver_reply_read(). Errors are
/*	expected; crashes, sanitizer reports, leaks and timeouts are
/*	findings. A failed scan must leave a reason in attr_error().
/*	Seeds: corpus/fuzz_attr/; dictionary: fuzz_attr.dict.
/* DIAGNOSTICS
/*	libFuzzer's.
/*--*/
#include <sys/mman.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <htable.h>
#include <msg.h>
#include <vstream.h>
#include <vstring.h>
#include <attr.h>
#include <deliver_request.h>

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct vstream *rewind_stream(int fd)
{
    if (lseek(fd, 0, SEEK_SET) < 0)
	msg_fatal("lseek: %m");
    return (vstream_fdopen(fd, 0));
}

static void free_vstring(void *ptr)
{
    struct vstring *vs = ptr;

    vstring_free(&vs);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    struct vstream *s;
    struct vstring *str = vstring_alloc(10);
    struct vstring *bin = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    struct htable *table = htable_create(10);
    struct deliver_request *req = deliver_request_alloc();
    struct deliver_reply *reply = deliver_reply_alloc();
    long    num;
    int     flags;
    int     n;

    if (fd < 0) {
	msg_init("fuzz_attr");
	msg_stderr_init(0, 0);
	if ((fd = memfd_create("fuzz_attr", MFD_CLOEXEC)) < 0)
	    msg_fatal("memfd_create: %m");
    }
    if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t) size)
	msg_fatal("write memfd: %m");

    for (flags = ATTR_FLAG_NONE; flags <= ATTR_FLAG_STRICT; flags++) {
	s = rewind_stream(fd);
	for (n = 0; n < 1000; n++) {
	    if (attr_scan(s, flags,
			  ATTR_TYPE_STR, ATTR_REQUEST, str,
			  ATTR_TYPE_INT, ATTR_COUNT, &num,
			  ATTR_TYPE_DATA, ATTR_REASON, bin,
			  ATTR_TYPE_END) < 0) {
		if (*attr_error() == 0)
		    msg_panic("attr_scan failed without a reason");
		break;
	    }
	}
	vstream_close(&s);
    }

    s = rewind_stream(fd);
    for (n = 0; n < 1000 && attr_scan_any(s, 1000, table) >= 0; n++)
	 /* void */ ;
    vstream_close(&s);

    s = rewind_stream(fd);
    (void) attr_expect_protocol(s, "deliver", 1, why);
    while (deliver_request_read(s, req) == 0)
	 /* void */ ;
    vstream_close(&s);

    s = rewind_stream(fd);
    while (deliver_reply_read(s, reply) == 0)
	 /* void */ ;
    vstream_close(&s);

    htable_free(&table, free_vstring);
    deliver_request_free(&req);
    deliver_reply_free(&reply);
    vstring_free(&str);
    vstring_free(&bin);
    vstring_free(&why);
    return (0);
}
