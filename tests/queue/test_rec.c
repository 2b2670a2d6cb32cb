/*++
/* NAME
/*	test_rec 1
/* SUMMARY
/*	unit tests for rec (typed, length-prefixed records)
/* SYNOPSIS
/*	./test_rec
/* DESCRIPTION
/*	Round trip of every record type through rec_put(), rec_fputs()
/*	and rec_fprintf() (empty data, binary data with NUL bytes, a
/*	REC_CONT_MAX record), the exact bytes on the wire, and every
/*	REC_ERR_* case: clean end, truncation at every byte of a record,
/*	a length over maxlen (exactly maxlen is fine), a read error, a
/*	huge claimed length that is cut short, and the type names.
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <fcntl.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>
#include <rec.h>
#include "testqueue.h"

/* wr_open, wr_close - collect what a write stream produced, via a memfd */


static struct vstream *wr_open(int *fdp)
{
    *fdp = tq_file("", 0);
    return (vstream_fdopen(*fdp, 0));
}

static void wr_close(struct vstream **sp, int fd, struct vstring *out)
{
    char    chunk[4096];
    ssize_t n;

    assert_int_equal(vstream_close(sp), 0);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    vstring_reset(out);
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
	vstring_append(out, chunk, (size_t) n);
    close(fd);
}

static void test_wire_format(void **state)
{
    struct vstring *out = vstring_alloc(100);
    struct vstream *s;
    int     fd;

    s = wr_open(&fd);
    assert_int_equal(rec_put(s, REC_TYPE_FROM, "a@b", 3), 0);
    assert_int_equal(rec_fputs(s, REC_TYPE_MESG, ""), 0);
    assert_int_equal(rec_fprintf(s, REC_TYPE_SIZE, "%d %d %d", 10, 5, 1), 0);
    wr_close(&s, fd, out);
    assert_int_equal(vstring_len(out), 8 + 5 + 11);
    assert_memory_equal(vstring_str(out), "S\0\0\0\3a@bM\0\0\0\0Z\0\0\0\00610 5 1",
			24);
    vstring_free(&out);
}

static void test_round_trip(void **state)
{
    static const int types[] = {
	REC_TYPE_MAGIC, REC_TYPE_TIME, REC_TYPE_ATTR, REC_TYPE_FROM,
	REC_TYPE_ORCP, REC_TYPE_RCPT, REC_TYPE_MESG, REC_TYPE_CONT,
	REC_TYPE_XTRA, REC_TYPE_SIZE, REC_TYPE_END,
    };
    struct vstring *out = vstring_alloc(100);
    struct vstring *in = vstring_alloc(100);
    char   *big = mymalloc(REC_CONT_MAX);
    struct vstream *s;
    size_t  i;
    int     fd;

    for (i = 0; i < REC_CONT_MAX; i++)
	big[i] = (char) (i * 7);
    s = wr_open(&fd);
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
	assert_int_equal(rec_fprintf(s, types[i], "data %zu", i), 0);
    assert_int_equal(rec_put(s, REC_TYPE_CONT, "a\0b\n", 4), 0);
    assert_int_equal(rec_put(s, REC_TYPE_CONT, "", 0), 0);
    assert_int_equal(rec_put(s, REC_TYPE_CONT, big, REC_CONT_MAX), 0);
    wr_close(&s, fd, out);

    s = tq_stream(vstring_str(out), vstring_len(out));
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
	char    expect[32];

	snprintf(expect, sizeof(expect), "data %zu", i);
	assert_int_equal(rec_get(s, in, 100), types[i]);
	assert_string_equal(vstring_str(in), expect);
	assert_true(rec_type_valid(types[i]));
    }
    assert_int_equal(rec_get(s, in, 100), REC_TYPE_CONT);
    assert_int_equal(vstring_len(in), 4);
    assert_memory_equal(vstring_str(in), "a\0b\n", 4);
    assert_int_equal(rec_get(s, in, 100), REC_TYPE_CONT);
    assert_int_equal(vstring_len(in), 0);
    assert_int_equal(rec_get(s, in, REC_CONT_MAX), REC_TYPE_CONT);
    assert_int_equal(vstring_len(in), REC_CONT_MAX);
    assert_memory_equal(vstring_str(in), big, REC_CONT_MAX);
    assert_int_equal(vstring_str(in)[REC_CONT_MAX], 0);
    assert_int_equal(rec_get(s, in, 100), REC_ERR_EOF);
    assert_int_equal(rec_get(s, in, 100), REC_ERR_EOF);
    vstream_close(&s);
    myfree(big);
    vstring_free(&in);
    vstring_free(&out);
}

static void test_eof_empty(void **state)
{
    struct vstring *in = vstring_alloc(10);
    struct vstream *s = tq_stream("", 0);

    assert_int_equal(rec_get(s, in, 100), REC_ERR_EOF);
    vstream_close(&s);
    vstring_free(&in);
}

static void test_truncated_everywhere(void **state)
{
    struct vstring *rec = vstring_alloc(100);
    struct vstring *in = vstring_alloc(100);
    struct vstream *s;
    size_t  cut;

    tq_recs(rec, REC_TYPE_RCPT, "Pbob@example.com");
    for (cut = 1; cut < vstring_len(rec); cut++) {
	s = tq_stream(vstring_str(rec), cut);
	if (rec_get(s, in, 100) != REC_ERR_TRUNC)
	    fail_msg("cut at %zu: expected REC_ERR_TRUNC", cut);
	vstream_close(&s);
    }
    s = tq_stream(vstring_str(rec), vstring_len(rec));
    assert_int_equal(rec_get(s, in, 100), REC_TYPE_RCPT);
    vstream_close(&s);
    vstring_free(&rec);
    vstring_free(&in);
}

static void test_too_long(void **state)
{
    struct vstring *rec = vstring_alloc(100);
    struct vstring *in = vstring_alloc(100);
    struct vstream *s;

    tq_recs(rec, REC_TYPE_CONT, "0123456789");
    s = tq_stream(vstring_str(rec), vstring_len(rec));
    assert_int_equal(rec_get(s, in, 9), REC_ERR_TOOLONG);
    assert_int_equal(vstring_len(in), 0);
    vstream_close(&s);
    s = tq_stream(vstring_str(rec), vstring_len(rec));
    assert_int_equal(rec_get(s, in, 10), REC_TYPE_CONT);
    assert_string_equal(vstring_str(in), "0123456789");
    vstream_close(&s);
    vstring_free(&rec);
    vstring_free(&in);
}

static void test_huge_claim_cut_short(void **state)
{
    /* Claims 4 GB - 1, holds 3 bytes: TRUNC, and no 4 GB allocation. */
    static const char data[] = "C\377\377\377\377abc";
    struct vstring *in = vstring_alloc(10);
    struct vstream *s = tq_stream(data, sizeof(data) - 1);

    assert_int_equal(rec_get(s, in, (size_t) 1 << 33), REC_ERR_TRUNC);
    assert_true(in->cap < 1024 * 1024);
    vstream_close(&s);
    vstring_free(&in);
}

static void test_read_error(void **state)
{
    struct vstring *in = vstring_alloc(10);
    int     fd = open("/", O_RDONLY | O_DIRECTORY);
    struct vstream *s;

    assert_true(fd >= 0);
    s = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    assert_int_equal(rec_get(s, in, 100), REC_ERR_IO);
    assert_int_equal(vstream_status(s), VSTREAM_ERROR);
    vstream_close(&s);
    vstring_free(&in);
}

static void test_type_names(void **state)
{
    assert_string_equal(rec_type_name(REC_TYPE_FROM), "sender");
    assert_string_equal(rec_type_name(REC_TYPE_RCPT), "recipient");
    assert_string_equal(rec_type_name(REC_TYPE_END), "end");
    assert_string_equal(rec_type_name('q'), "unknown");
    assert_false(rec_type_valid('q'));
    assert_false(rec_type_valid(0));
    assert_false(rec_type_valid(-1));
    assert_true(rec_type_valid(REC_TYPE_MAGIC));
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_wire_format),
	cmocka_unit_test(test_round_trip),
	cmocka_unit_test(test_eof_empty),
	cmocka_unit_test(test_truncated_everywhere),
	cmocka_unit_test(test_too_long),
	cmocka_unit_test(test_huge_claim_cut_short),
	cmocka_unit_test(test_read_error),
	cmocka_unit_test(test_type_names),
    };

    return (cmocka_run_group_tests(tests, NULL, NULL));
}
