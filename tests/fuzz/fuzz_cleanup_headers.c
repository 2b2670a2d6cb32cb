/*++
/* NAME
/*	fuzz_cleanup_headers 1
/* SUMMARY
/*	libFuzzer target: the cleanup daemon's header processor
/* SYNOPSIS
/*	./fuzz_cleanup_headers [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	The first input byte picks header_size_limit (16 to 4096 bytes),
/*	the second the size of the pieces the content is fed in; the rest
/*	is message content for src/cleanup/cleanup_header.c. Besides
/*	crashes, sanitizer reports and leaks, these are findings: output
/*	that differs between piece-wise and all-at-once input, a
/*	content_size that is not the output length, a header_size beyond
/*	it, output shorter than the input (something was dropped), and
/*	output that does not end in a newline.
/*	Seeds: corpus/fuzz_cleanup_headers/; dictionary:
/*	fuzz_cleanup_headers.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <msg.h>
#include <vstring.h>

#include "cleanup.h"

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void collect(void *context, const char *data, size_t len)
{
    vstring_append((struct vstring *) context, data, len);
}

static struct cleanup_header *run(struct vstring *out, size_t limit,
				          const char *data, size_t len,
				          size_t piece)
{
    struct cleanup_header *h = cleanup_header_alloc(limit, collect, out);
    size_t  n;

    cleanup_header_missing(h, "Sat, 28 Nov 2026 04:00:00 +0000",
			   "<x@y>", "<s@x>");
    cleanup_header_prepend(h, "Received: by x\n", 15);
    while (len > 0) {
	n = piece < len ? piece : len;
	cleanup_header_feed(h, data, n);
	data += n;
	len -= n;
    }
    cleanup_header_end(h);
    return (h);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    struct vstring *a;
    struct vstring *b;
    struct cleanup_header *ha;
    struct cleanup_header *hb;
    size_t  limit;
    size_t  piece;

    if (!init) {
	msg_init("fuzz_cleanup_headers");
	msg_stderr_init(0, 0);
	init = 1;
    }
    if (size < 2)
	return (0);
    limit = 16 + (size_t) data[0] * 16;
    piece = 1 + data[1] % 64;
    data += 2;
    size -= 2;
    a = vstring_alloc(100);
    b = vstring_alloc(100);
    ha = run(a, limit, (const char *) data, size, size ? size : 1);
    hb = run(b, limit, (const char *) data, size, piece);
    if (vstring_len(a) != vstring_len(b)
	|| memcmp(vstring_str(a), vstring_str(b), vstring_len(a)) != 0
	|| ha->header_size != hb->header_size
	|| ha->received != hb->received || ha->seen != hb->seen)
	abort();
    if (ha->content_size != (off_t) vstring_len(a)
	|| ha->header_size > ha->content_size
	|| vstring_len(a) < size + 15
	|| vstring_str(a)[vstring_len(a) - 1] != '\n')
	abort();
    cleanup_header_free(&ha);
    cleanup_header_free(&hb);
    vstring_free(&a);
    vstring_free(&b);
    return (0);
}
