/*++
/* NAME
/*	test_cleanup_header 1
/* SUMMARY
/*	unit tests for the cleanup header processor
/* SYNOPSIS
/*	./test_cleanup_header
/* DESCRIPTION
/*	cmocka tests for src/cleanup/cleanup_header.c: what is prepended
/*	and appended, header detection (case, obsolete blanks, folding),
/*	Resent-* handling, the end of the header section (empty line,
/*	non-header line, end of content), header_size_limit (the long
/*	header and the rest become body, nothing is lost), sizes, byte-
/*	at-a-time input giving the same output, and the Received:, Date:
/*	and Message-ID: formats.
/* DIAGNOSTICS
/*	cmocka's.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <mymalloc.h>
#include <vstring.h>
#include <mail_date.h>

#include "cleanup.h"

static struct vstring *outbuf;

static void collect(void *context, const char *data, size_t len)
{
    (void) context;
    vstring_append(outbuf, data, len);
}

/* run - process input in pieces of piece bytes (0: all at once) */

static struct cleanup_header *run(const char *input, size_t limit,
				          size_t piece)
{
    struct cleanup_header *h = cleanup_header_alloc(limit, collect, 0);
    size_t  len = strlen(input);
    size_t  done = 0;
    size_t  n;

    if (outbuf == 0)
	outbuf = vstring_alloc(1000);
    vstring_reset(outbuf);
    cleanup_header_missing(h, "DATE", "<ID@host>", "<s@x>");
    cleanup_header_prepend(h, "Received: R\n", 12);
    while (done < len) {
	n = piece ? piece : len;
	if (n > len - done)
	    n = len - done;
	cleanup_header_feed(h, input + done, n);
	done += n;
    }
    cleanup_header_end(h);
    assert_int_equal(h->content_size, (off_t) vstring_len(outbuf));
    return (h);
}

static void test_all_present(void **unused)
{
    const char *in = "From: a@b\nDate: x\nMessage-ID: <m@n>\n\nbody\n";
    struct cleanup_header *h = run(in, 1000, 0);

    assert_string_equal(vstring_str(outbuf),
		"Received: R\nFrom: a@b\nDate: x\nMessage-ID: <m@n>\n\nbody\n");
    assert_int_equal(h->added, 0);
    assert_string_equal(h->msgid, "<m@n>");
    assert_int_equal(h->header_size, (off_t) (strlen(vstring_str(outbuf)) - 5));
    assert_int_equal(h->eoh_inserted, 0);
    assert_int_equal(h->oversize, 0);
    cleanup_header_free(&h);
    assert_null(h);
}

static void test_all_missing(void **unused)
{
    struct cleanup_header *h = run("Subject: hi\n\nbody\n", 1000, 0);

    assert_string_equal(vstring_str(outbuf),
			"Received: R\nSubject: hi\nMessage-ID: <ID@host>\n"
			"Date: DATE\nFrom: <s@x>\n\nbody\n");
    assert_int_equal(h->added, CLEANUP_HDR_MSGID | CLEANUP_HDR_DATE
		     | CLEANUP_HDR_FROM);
    assert_string_equal(h->msgid, "<ID@host>");
    cleanup_header_free(&h);
}

static void test_case_and_blanks(void **unused)
{
    const char *in = "FROM : a\nmessage-id:\n  <folded@x>  \ndAtE:\tnow\n\nb\n";
    struct cleanup_header *h = run(in, 1000, 0);

    assert_int_equal(h->added, 0);
    assert_string_equal(h->msgid, "<folded@x>");
    assert_int_equal(h->seen & (CLEANUP_HDR_FROM | CLEANUP_HDR_DATE
				| CLEANUP_HDR_MSGID),
		     CLEANUP_HDR_FROM | CLEANUP_HDR_DATE | CLEANUP_HDR_MSGID);
    cleanup_header_free(&h);
}

static void test_resent(void **unused)
{
    const char *in = "From: a\nResent-From: b\nResent-Message-ID: <r@x>\n\nb\n";
    struct cleanup_header *h = run(in, 1000, 0);

    /* Resent mode: only Resent-Date is missing; plain ones not added. */
    assert_string_equal(vstring_str(outbuf),
			"Received: R\nFrom: a\nResent-From: b\n"
			"Resent-Message-ID: <r@x>\nResent-Date: DATE\n\nb\n");
    assert_int_equal(h->added, CLEANUP_HDR_RDATE);
    assert_null(h->msgid);
    assert_string_equal(h->resent_msgid, "<r@x>");
    cleanup_header_free(&h);
}

static void test_received_count(void **unused)
{
    const char *in = "Received: a\nreceived: b\n\tc\nX-Received: no\n"
    "RECEIVED : d\n\nReceived: body, not counted\n";
    struct cleanup_header *h = run(in, 1000, 0);

    assert_int_equal(h->received, 3);
    cleanup_header_free(&h);
}

static void test_byte_at_a_time(void **unused)
{
    const char *in = "Subject: a\n b\n\tc\nFrom: x\nReceived: y\n\nline1\nline2";
    struct cleanup_header *h = run(in, 1000, 0);
    char   *whole = mystrdup(vstring_str(outbuf));
    off_t   hs = h->header_size;
    size_t  piece;

    cleanup_header_free(&h);
    for (piece = 1; piece < 8; piece++) {
	h = run(in, 1000, piece);
	assert_string_equal(vstring_str(outbuf), whole);
	assert_int_equal(h->header_size, hs);
	assert_int_equal(h->received, 1);
	cleanup_header_free(&h);
    }
    /* The body without a final newline got one. */
    assert_int_equal(whole[strlen(whole) - 1], '\n');
    myfree(whole);
}

static void test_non_header_line(void **unused)
{
    struct cleanup_header *h = run("Subject: a\nHello world\nmore\n", 1000, 0);

    assert_string_equal(vstring_str(outbuf),
			"Received: R\nSubject: a\nMessage-ID: <ID@host>\n"
			"Date: DATE\nFrom: <s@x>\n\nHello world\nmore\n");
    assert_int_equal(h->eoh_inserted, 1);
    assert_int_equal(h->header_size,
		     (off_t) (vstring_len(outbuf) - strlen("Hello world\nmore\n")));
    cleanup_header_free(&h);

    /* A continuation line with nothing to continue is body. */
    h = run(" indented\n", 1000, 0);
    assert_int_equal(h->eoh_inserted, 1);
    assert_non_null(strstr(vstring_str(outbuf), "\n\n indented\n"));
    cleanup_header_free(&h);
}

static void test_headers_only(void **unused)
{
    struct cleanup_header *h = run("Subject: no newline", 1000, 0);

    assert_string_equal(vstring_str(outbuf),
			"Received: R\nSubject: no newline\nMessage-ID: <ID@host>\n"
			"Date: DATE\nFrom: <s@x>\n");
    assert_int_equal(h->header_size, h->content_size);
    cleanup_header_free(&h);

    h = run("", 1000, 0);
    assert_string_equal(vstring_str(outbuf),
			"Received: R\nMessage-ID: <ID@host>\nDate: DATE\n"
			"From: <s@x>\n");
    assert_int_equal(h->header_size, h->content_size);
    cleanup_header_free(&h);
}

static void test_oversize_header(void **unused)
{
    const char *in = "Subject: ok\nX-Long: 0123456789012345678901234567890123456789\n"
    "From: late\n\nbody\n";
    struct cleanup_header *h;
    size_t  piece;

    for (piece = 0; piece < 6; piece++) {
	h = run(in, 30, piece);
	assert_int_equal(h->oversize, 1);
	/* Nothing truncated: the long header and the rest are body. */
	assert_string_equal(vstring_str(outbuf),
			    "Received: R\nSubject: ok\nMessage-ID: <ID@host>\n"
			    "Date: DATE\nFrom: <s@x>\n\n"
			    "X-Long: 0123456789012345678901234567890123456789\n"
			    "From: late\n\nbody\n");
	assert_int_equal(h->seen & CLEANUP_HDR_FROM, 0);
	cleanup_header_free(&h);
    }
}

static void test_oversize_folded(void **unused)
{
    /* Each line is short; together with continuations the header is long. */
    const char *in = "Subject: a\nX-F: 1234567890\n 1234567890\n 1234567890\n\nb\n";
    struct cleanup_header *h = run(in, 30, 0);

    assert_int_equal(h->oversize, 1);
    assert_non_null(strstr(vstring_str(outbuf),
	       "\n\nX-F: 1234567890\n 1234567890\n 1234567890\n\nb\n"));
    cleanup_header_free(&h);

    /* Two headers of 20 bytes each: neither exceeds 30. */
    h = run("X-A: 123456789012345\nX-B: 123456789012345\n\nb\n", 30, 0);
    assert_int_equal(h->oversize, 0);
    assert_int_equal(h->eoh_inserted, 0);
    cleanup_header_free(&h);
}

static void test_name_len(void **unused)
{
    assert_int_equal(cleanup_header_name_len("From: x", 7), 4);
    assert_int_equal(cleanup_header_name_len("From \t: x", 9), 4);
    assert_int_equal(cleanup_header_name_len(" From: x", 8), -1);
    assert_int_equal(cleanup_header_name_len("no colon here", 13), -1);
    assert_int_equal(cleanup_header_name_len(": x", 3), -1);
    assert_int_equal(cleanup_header_name_len("From x: y", 9), -1);
    assert_int_equal(cleanup_header_name_len("", 0), -1);
}

static void test_received_format(void **unused)
{
    struct vstring *buf = vstring_alloc(100);
    struct cleanup_received r;

    memset(&r, 0, sizeof(r));
    r.helo = "helo.example";
    r.client_name = "client.example";
    r.client_addr = "192.0.2.1";
    r.protocol = "ESMTP";
    r.hostname = "mx.example.test";
    r.mail_name = "dromos";
    r.queue_id = "ABC123";
    r.rcpt = "bob@mx.example.test";
    r.date = "Sat, 28 Nov 2026 04:00:00 +0000 (UTC)";
    r.uid = -1;
    cleanup_header_received(buf, &r);
    assert_string_equal(vstring_str(buf),
			"Received: from helo.example (client.example [192.0.2.1])\n"
			"\tby mx.example.test (dromos) with ESMTP id ABC123\n"
			"\tfor <bob@mx.example.test>; Sat, 28 Nov 2026 04:00:00 +0000 (UTC)\n");
    r.rcpt = 0;
    r.helo = "evil\nX-Injected: 1";
    r.client_name = 0;
    cleanup_header_received(buf, &r);
    assert_string_equal(vstring_str(buf),
			"Received: from evil?X-Injected: 1 (unknown [192.0.2.1])\n"
			"\tby mx.example.test (dromos) with ESMTP id ABC123; "
			"Sat, 28 Nov 2026 04:00:00 +0000 (UTC)\n");
    r.client_addr = 0;
    r.uid = 1000;
    cleanup_header_received(buf, &r);
    assert_string_equal(vstring_str(buf),
			"Received: by mx.example.test (dromos, from userid 1000)\n"
			"\tid ABC123; Sat, 28 Nov 2026 04:00:00 +0000 (UTC)\n");
    vstring_free(&buf);
}

static void test_date_and_msgid(void **unused)
{
    struct vstring *buf = vstring_alloc(100);

    setenv("TZ", "UTC", 1);
    tzset();
    mail_date(buf, 0);
    assert_string_equal(vstring_str(buf), "Thu, 1 Jan 1970 00:00:00 +0000 (UTC)");
    setenv("TZ", "EST5", 1);
    tzset();
    mail_date(buf, 1795838400);	/* 2026-11-28 04:00:00 UTC */
    assert_string_equal(vstring_str(buf), "Fri, 27 Nov 2026 23:00:00 -0500 (EST)");
    setenv("TZ", "IST-5:30", 1);
    tzset();
    mail_date(buf, 1795838400);
    assert_string_equal(vstring_str(buf), "Sat, 28 Nov 2026 09:30:00 +0530 (IST)");
    cleanup_header_msgid(buf, 1795838400, "0ABC", "mx.example.test");
    assert_string_equal(vstring_str(buf), "<20261128040000.0ABC@mx.example.test>");
    vstring_free(&buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_all_present),
	cmocka_unit_test(test_all_missing),
	cmocka_unit_test(test_case_and_blanks),
	cmocka_unit_test(test_resent),
	cmocka_unit_test(test_received_count),
	cmocka_unit_test(test_byte_at_a_time),
	cmocka_unit_test(test_non_header_line),
	cmocka_unit_test(test_headers_only),
	cmocka_unit_test(test_oversize_header),
	cmocka_unit_test(test_oversize_folded),
	cmocka_unit_test(test_name_len),
	cmocka_unit_test(test_received_format),
	cmocka_unit_test(test_date_and_msgid),
    };
    int     ret = cmocka_run_group_tests(tests, 0, 0);

    vstring_free(&outbuf);
    return (ret);
}
