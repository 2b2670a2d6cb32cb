/*++
/* NAME
/*	test_smtpd_data 1
/* SUMMARY
/*	unit tests for the smtpd DATA filters
/* SYNOPSIS
/*	./test_smtpd_data
/* DESCRIPTION
/*	Feeds each case to the dot -> bare -> crlf -> limit stack in
/*	every chunk size from one byte to the whole input (so CR LF and
/*	".\er\en" split across reads are covered) and compares what
/*	reaches a capturing filter at the end. The record sink is tested
/*	separately against a temporary file read back with rec_get().
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <vstream.h>
#include <vstring.h>
#include <rec.h>

#include "smtpd.h"

struct capture {
    struct smtpd_filter filter;
    struct vstring *out;
    int     finished;
};

static int capture_put(struct smtpd_filter *f, const char *buf, size_t len)
{
    struct capture *cap = (struct capture *) f;

    assert_true(len > 0);
    vstring_append(cap->out, buf, len);
    return (0);
}

static int capture_finish(struct smtpd_filter *f)
{
    ((struct capture *) f)->finished = 1;
    return (0);
}

struct data_case {
    const char *in;
    size_t  in_len;			/* 0: strlen */
    int     done;
    size_t  consumed;			/* 0: all of it */
    const char *out;
    int     bare;
    long    limit;
    int     exceeded;
};

static const struct data_case data_cases[] = {
    /* 0 */ {"hello\r\n.\r\n", 0, 1, 0, "hello\n", 0, 0, 0},
    {".\r\n", 0, 1, 0, "", 0, 0, 0},
    {"\r\n.\r\n", 0, 1, 0, "\n", 0, 0, 0},
    {"..dot\r\n.\r\n", 0, 1, 0, ".dot\n", 0, 0, 0},
    {".x\r\n.\r\n", 0, 1, 0, "x\n", 0, 0, 0},
    /* 5 */ {"...\r\n.\r\n", 0, 1, 0, "..\n", 0, 0, 0},
    {"a\r\nb\r\n\r\nc\r\n.\r\n", 0, 1, 0, "a\nb\n\nc\n", 0, 0, 0},
    {"x\r\n.\r\nQUIT\r\n", 0, 1, 6, "x\n", 0, 0, 0},
    /* bare LF and the "\n.\n" smuggling forms never end the data */
    {"a\nb\r\n.\r\n", 0, 1, 0, "a\nb\n", SMTPD_BARE_LF, 0, 0},
    {"a\r\n.\nMAIL FROM:<x@y>\r\n.\r\n", 0, 1, 0,
    "a\n\nMAIL FROM:<x@y>\n", SMTPD_BARE_LF, 0, 0},
    /* 10 */ {"a\n.\nb\r\n.\r\n", 0, 1, 0, "a\n.\nb\n", SMTPD_BARE_LF, 0, 0},
    {"a\n.\n", 0, 0, 0, "a\n.\n", SMTPD_BARE_LF, 0, 0},
    {"a\r\n.\n", 0, 0, 0, "a\n\n", SMTPD_BARE_LF, 0, 0},
    {".\n\r\n.\r\n", 0, 1, 0, "\n\n", SMTPD_BARE_LF, 0, 0},
    {"a\r\n.\r.\r\n.\r\n", 0, 1, 0, "a\n\r.\n", SMTPD_BARE_CR, 0, 0},
    /* 15 */ {"a\r\r\n.\r\n", 0, 1, 0, "a\r\n", SMTPD_BARE_CR, 0, 0},
    {"a\r\n.\r\r\n.\r\n", 0, 1, 0, "a\n\r\n", SMTPD_BARE_CR, 0, 0},
    {"a\rb\r\n.\r\n", 0, 1, 0, "a\rb\n", SMTPD_BARE_CR, 0, 0},
    {"a\n\r.\r\n", 0, 0, 0, "a\n\r.\n", SMTPD_BARE_LF | SMTPD_BARE_CR, 0, 0},
    {"a\r\n.\r", 0, 0, 0, "a\n", 0, 0, 0},
    /* 20: a NUL and 8-bit bytes pass unchanged */
    {"a\0\xff\r\n.\r\n", 8, 1, 0, "a\0\xff\n", 0, 0, 0},
    /* size limit: counted as stored (LF) */
    {"123456\r\n.\r\n", 0, 1, 0, "123456\n", 0, 7, 0},
    {"123456\r\n.\r\n", 0, 1, 0, "", 0, 6, 1},
    {"12\r\n34\r\n56\r\n.\r\n", 0, 1, 0, "12\n34\n", 0, 7, 1},
};

static void run_case(size_t idx, const struct data_case *c, size_t chunk)
{
    struct smtpd_dot dot;
    struct smtpd_bare bare;
    struct smtpd_crlf crlf;
    struct smtpd_limit limit;
    struct capture cap;
    size_t  len = c->in_len ? c->in_len : strlen(c->in);
    size_t  want_consumed = c->consumed ? c->consumed : len;
    size_t  off = 0;
    size_t  n;
    ssize_t got;
    size_t  out_len = c->in_len ? c->in_len - 4 : strlen(c->out);	/* the NUL case */

    cap.filter.put = capture_put;
    cap.filter.finish = capture_finish;
    cap.filter.next = 0;
    cap.out = vstring_alloc(10);
    cap.finished = 0;
    smtpd_limit_init(&limit, c->limit, &cap.filter);
    smtpd_crlf_init(&crlf, &limit.filter);
    smtpd_bare_init(&bare, &crlf.filter);
    smtpd_dot_init(&dot, &bare.filter);

    while (off < len && !dot.done) {
	n = len - off < chunk ? len - off : chunk;
	got = smtpd_dot_feed(&dot, c->in + off, n);
	assert_true(got >= 0);
	if ((size_t) got < n)
	    assert_true(dot.done);
	off += (size_t) got;
    }
    if (dot.done)
	assert_int_equal(smtpd_filter_finish(&bare.filter), 0);
    if (dot.done != c->done || off != want_consumed
	|| (dot.done && !c->exceeded && (vstring_len(cap.out) != out_len
			 || memcmp(vstring_str(cap.out), c->out, out_len) != 0))
	|| (dot.done && bare.found != c->bare)
	|| limit.exceeded != c->exceeded)
	fail_msg("case %zu chunk %zu: done %d consumed %zu out \"%s\" "
		 "bare %d exceeded %d", idx, chunk, dot.done, off,
		 vstring_str(cap.out), bare.found, limit.exceeded);
    if (dot.done)
	assert_true(cap.finished);
    vstring_free(&cap.out);
}

static void test_stack_every_split(void **unused)
{
    size_t  i;
    size_t  chunk;

    for (i = 0; i < sizeof(data_cases) / sizeof(data_cases[0]); i++) {
	const struct data_case *c = data_cases + i;
	size_t  len = c->in_len ? c->in_len : strlen(c->in);

	for (chunk = 1; chunk <= len; chunk++)
	    run_case(i, c, chunk);
    }
}

/* Feed in the pieces vstream_get_line() would give: up to "\n". */

static void test_stack_line_pieces(void **unused)
{
    const char *in = "Subject: x\r\n\r\n.leading dot\r\nlong line\r\n.\r\nRSET\r\n";
    struct smtpd_data data;
    struct capture cap;
    const char *cp = in;
    const char *nl;

    cap.filter.put = capture_put;
    cap.filter.finish = capture_finish;
    cap.filter.next = 0;
    cap.out = vstring_alloc(10);
    cap.finished = 0;
    smtpd_data_init(&data, (struct vstream *) 0, 0);
    data.limit.filter.next = &cap.filter;
    while (!data.dot.done) {
	nl = strchr(cp, '\n');
	assert_non_null(nl);
	assert_int_equal(smtpd_dot_feed(&data.dot, cp, (size_t) (nl - cp + 1)),
			 nl - cp + 1);
	cp = nl + 1;
    }
    smtpd_filter_finish(&data.bare.filter);
    assert_string_equal(cp, "RSET\r\n");
    assert_string_equal(vstring_str(cap.out),
			"Subject: x\n\nleading dot\nlong line\n");
    assert_int_equal(data.bare.found, 0);
    smtpd_data_free(&data);
    vstring_free(&cap.out);
}

static void test_recsink(void **unused)
{
    FILE   *fp = tmpfile();
    int     fd;
    struct vstream *stream;
    struct smtpd_recsink sink;
    struct vstring *buf = vstring_alloc(10);
    size_t  i;

    assert_non_null(fp);
    fd = dup(fileno(fp));
    stream = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    smtpd_recsink_init(&sink, stream, 4);
    assert_int_equal(sink.max, 4);
    smtpd_recsink_free(&sink);
    smtpd_recsink_init(&sink, stream, 0);
    assert_int_equal(sink.max, REC_CONT_MAX);
    smtpd_recsink_free(&sink);

    /* max 4 would split "line1\n"; use 5 for a clear picture. */
    smtpd_recsink_init(&sink, stream, 5);
    assert_int_equal(smtpd_filter_put(&sink.filter, "line", 4), 0);
    assert_int_equal(smtpd_filter_put(&sink.filter, "1\n\nabcde", 8), 0);
    assert_int_equal(smtpd_filter_put(&sink.filter, "fghij\nno ne", 11), 0);
    assert_int_equal(smtpd_filter_put(&sink.filter, "wline", 5), 0);
    assert_int_equal(smtpd_filter_finish(&sink.filter), 0);
    assert_int_equal(sink.error, 0);
    smtpd_recsink_free(&sink);
    assert_int_equal(vstream_flush(stream), 0);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    {
	/* Whole lines share a record; a line longer than max is split. */
	static const char *want5[] = {"line1", "\n\n", "abcde", "fghij",
	"\n", "no ne", "wline"};

	for (i = 0; i < sizeof(want5) / sizeof(want5[0]); i++) {
	    assert_int_equal(rec_get(stream, buf, 100), REC_TYPE_CONT);
	    assert_int_equal(vstring_len(buf), strlen(want5[i]));
	    assert_memory_equal(vstring_str(buf), want5[i], strlen(want5[i]));
	}
	assert_int_equal(rec_get(stream, buf, 100), REC_ERR_EOF);
    }
    vstream_close(&stream);
    fclose(fp);
    vstring_free(&buf);
}

static void test_recsink_batches_lines(void **unused)
{
    FILE   *fp = tmpfile();
    int     fd;
    struct vstream *stream;
    struct smtpd_recsink sink;
    struct vstring *buf = vstring_alloc(10);
    struct vstring *all = vstring_alloc(10);
    int     n;
    int     records = 0;

    assert_non_null(fp);
    fd = dup(fileno(fp));
    stream = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    smtpd_recsink_init(&sink, stream, 0);
    for (n = 0; n < 1000; n++)
	assert_int_equal(smtpd_filter_put(&sink.filter, "0123456789\n", 11), 0);
    assert_int_equal(smtpd_filter_finish(&sink.filter), 0);
    smtpd_recsink_free(&sink);
    assert_int_equal(vstream_flush(stream), 0);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    while (rec_get(stream, buf, REC_CONT_MAX) == REC_TYPE_CONT) {
	records++;
	/* Each record ends at a line end. */
	assert_int_equal(vstring_end(buf)[-1], '\n');
	vstring_append(all, vstring_str(buf), vstring_len(buf));
    }
    assert_int_equal(vstring_len(all), 11000);
    assert_true(records >= 2 && records <= 3);
    vstream_close(&stream);
    fclose(fp);
    vstring_free(&buf);
    vstring_free(&all);
}

static void test_recsink_discard(void **unused)
{
    struct smtpd_recsink sink;

    smtpd_recsink_init(&sink, (struct vstream *) 0, 0);
    assert_int_equal(smtpd_filter_put(&sink.filter, "abc\n", 4), 0);
    assert_int_equal(smtpd_filter_finish(&sink.filter), 0);
    smtpd_recsink_free(&sink);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_stack_every_split),
	cmocka_unit_test(test_stack_line_pieces),
	cmocka_unit_test(test_recsink),
	cmocka_unit_test(test_recsink_batches_lines),
	cmocka_unit_test(test_recsink_discard),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
