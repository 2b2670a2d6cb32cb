/*++
/* NAME
/*	test_dsasl_frame 1
/* SUMMARY
/*	unit tests for the SASL exchange framing (dsasl_frame)
/* SYNOPSIS
/*	./test_dsasl_frame
/* DESCRIPTION
/*	Table-driven: each client line is decoded and the result and
/*	the decoded bytes (which may hold NUL bytes) are compared with
/*	the table. Covered: "*" (cancel), "=" and "" (empty answers),
/*	RFC 4648 test vectors, PLAIN answers with NUL bytes, all three
/*	padding forms, and the strictness rules: a length not a
/*	multiple of four, missing, extra or misplaced "=", white space,
/*	CR or LF, the URL-safe alphabet, other bytes, a NUL byte in the
/*	line, and non-zero bits under the padding. Then encode() against
/*	the vectors, and a round trip of pseudo-random data of every
/*	length from 0 to 64 bytes (fixed seed, so a failure repeats).
/*	This program links without libsasl2.
/* DIAGNOSTICS
/*	cmocka's report; a failing case names its table index and line.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <vstring.h>

#include <dsasl.h>

struct frame_case {
    const char *line;
    size_t  line_len;
    int     status;
    const char *want;			/* decoded, when DSASL_FRAME_OK */
    size_t  want_len;
};

#define S(s)	(s), (sizeof(s) - 1)		/* string literal and length */
#define OK(s)	DSASL_FRAME_OK, S(s)
#define BAD	DSASL_FRAME_BAD, 0, 0
#define CANCEL	DSASL_FRAME_CANCEL, 0, 0

static const struct frame_case frame_cases[] = {
    /* The SASL conventions. */
    {S("*"), CANCEL},
    {S("="), OK("")},
    {S(""), OK("")},
    {S("**"), BAD},
    {S("*="), BAD},
    {S("=="), BAD},
    {S("===="), BAD},
    /* RFC 4648 section 10 vectors. */
    {S("Zg=="), OK("f")},
    {S("Zm8="), OK("fo")},
    {S("Zm9v"), OK("foo")},
    {S("Zm9vYg=="), OK("foob")},
    {S("Zm9vYmE="), OK("fooba")},
    {S("Zm9vYmFy"), OK("foobar")},
    /* PLAIN answers: NUL bytes in the data. */
    {S("AGFsaWNlAHNlY3JldA=="), OK("\0alice\0secret")},
    {S("YWxpY2UAYWxpY2UAc2VjcmV0"), OK("alice\0alice\0secret")},
    {S("AAAA"), OK("\0\0\0")},
    {S("AA=="), OK("\0")},
    /* All 64 characters, and the top of the alphabet. */
    {S("+/+/"), OK("\xfb\xff\xbf")},
    {S("////"), OK("\xff\xff\xff")},
    {S("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
    OK("\x00\x10\x83\x10\x51\x87\x20\x92\x8b\x30\xd3\x8f\x41\x14\x93\x51"
       "\x55\x97\x61\x96\x9b\x71\xd7\x9f\x82\x18\xa3\x92\x59\xa7\xa2\x9a"
       "\xab\xb2\xdb\xaf\xc3\x1c\xb3\xd3\x5d\xb7\xe3\x9e\xbb\xf3\xdf\xbf")},
    /* Length not a multiple of four (no padding, short padding). */
    {S("Z"), BAD},
    {S("Zg"), BAD},
    {S("Zg="), BAD},
    {S("Zm8"), BAD},
    {S("Zm9vY"), BAD},
    {S("Zg==="), BAD},
    {S("Zm9vYg="), BAD},
    /* Misplaced or too much padding. */
    {S("Z==="), BAD},
    {S("=Zg="), BAD},
    {S("Z=g="), BAD},
    {S("Zg=a"), BAD},
    {S("Zg==Zg=="), BAD},
    {S("Zm8=Zm9v"), BAD},
    /* Non-zero bits under the padding (non-canonical). */
    {S("Zh=="), BAD},
    {S("Zm9="), BAD},
    {S("Zv=="), BAD},
    {S("Zm+="), BAD},
    /* White space, line ends and other bytes. */
    {S(" Zm9v"), BAD},
    {S("Zm9v "), BAD},
    {S("Zm 9v"), BAD},
    {S("Zm9v\r"), BAD},
    {S("Zm9v\r\n"), BAD},
    {S("Zm\t9v"), BAD},
    {S("Zm9vYmFy\n"), BAD},
    {S("-_-_"), BAD},
    {S("Zm9*"), BAD},
    {S("Zm9."), BAD},
    {S("Zm\xc3\xa9"), BAD},
    {S("Zm\x80v"), BAD},
    /* A NUL byte inside the line, not only at its end. */
    {S("Zm\0v"), BAD},
    {S("Zm9v\0\0\0\0"), BAD},
};

#define NCASES	(sizeof(frame_cases) / sizeof(frame_cases[0]))

/* test_decode_table - every row of frame_cases */

static void test_decode_table(void **state)
{
    struct vstring *out = vstring_alloc(10);
    const struct frame_case *fc;
    size_t  i;
    int     status;

    for (i = 0; i < NCASES; i++) {
	fc = frame_cases + i;
	vstring_strcpy(out, "junk");
	status = dsasl_frame_decode(fc->line, fc->line_len, out);
	if (status != fc->status)
	    fail_msg("case %zu \"%.*s\": status %d, want %d",
		     i, (int) fc->line_len, fc->line, status, fc->status);
	if (status == DSASL_FRAME_OK) {
	    if (vstring_len(out) != fc->want_len
		|| memcmp(vstring_str(out), fc->want, fc->want_len) != 0)
		fail_msg("case %zu \"%.*s\": decoded %zu bytes, want %zu",
			 i, (int) fc->line_len, fc->line,
			 vstring_len(out), fc->want_len);
	} else if (vstring_len(out) != 0) {
	    fail_msg("case %zu \"%.*s\": %zu bytes left in out after %d",
		     i, (int) fc->line_len, fc->line, vstring_len(out), status);
	}
	/* The spare NUL is kept. */
	assert_int_equal(vstring_str(out)[vstring_len(out)], 0);
    }
    vstring_free(&out);
}

/* test_encode_vectors - encode() gives the canonical line of each OK row */

static void test_encode_vectors(void **state)
{
    struct vstring *out = vstring_alloc(10);
    const struct frame_case *fc;
    size_t  i;

    for (i = 0; i < NCASES; i++) {
	fc = frame_cases + i;
	if (fc->status != DSASL_FRAME_OK || fc->line_len < 4)
	    continue;
	dsasl_frame_encode(fc->want, fc->want_len, out);
	if (vstring_len(out) != fc->line_len
	    || memcmp(vstring_str(out), fc->line, fc->line_len) != 0)
	    fail_msg("case %zu: encoded \"%s\", want \"%.*s\"",
		     i, vstring_str(out), (int) fc->line_len, fc->line);
    }
    vstring_strcpy(out, "junk");
    dsasl_frame_encode("", 0, out);
    assert_int_equal(vstring_len(out), 0);
    assert_string_equal(vstring_str(out), "");
    vstring_free(&out);
}

/* test_round_trip - random data of lengths 0..64 */

static void test_round_trip(void **state)
{
    struct vstring *line = vstring_alloc(10);
    struct vstring *back = vstring_alloc(10);
    unsigned char data[64];
    uint32_t seed = 0x2545f491;
    size_t  len;
    size_t  i;
    int     rounds;

    for (rounds = 0; rounds < 8; rounds++) {
	for (len = 0; len <= sizeof(data); len++) {
	    for (i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		data[i] = (unsigned char) (seed >> 16);
	    }
	    dsasl_frame_encode((const char *) data, len, line);
	    if (vstring_len(line) != (len + 2) / 3 * 4)
		fail_msg("length %zu: encoded to %zu characters", len,
			 vstring_len(line));
	    if (dsasl_frame_decode(vstring_str(line), vstring_len(line), back)
		!= DSASL_FRAME_OK)
		fail_msg("length %zu: \"%s\" does not decode", len,
			 vstring_str(line));
	    if (vstring_len(back) != len
		|| memcmp(vstring_str(back), data, len) != 0)
		fail_msg("length %zu: \"%s\" decodes to other data", len,
			 vstring_str(line));
	}
    }
    vstring_free(&line);
    vstring_free(&back);
}

/* test_single_changes - one changed character in a valid line */

static void test_single_changes(void **state)
{
    static const char good[] = "AGFsaWNlAHNlY3JldA==";
    struct vstring *out = vstring_alloc(10);
    char    line[sizeof(good)];
    size_t  pos;
    int     ch;
    int     status;

    for (pos = 0; pos < sizeof(good) - 1; pos++) {
	for (ch = 0; ch < 256; ch++) {
	    memcpy(line, good, sizeof(good));
	    line[pos] = (char) ch;
	    status = dsasl_frame_decode(line, sizeof(good) - 1, out);
	    if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		       "0123456789+/=", ch) == 0 || ch == 0) {
		if (status != DSASL_FRAME_BAD)
		    fail_msg("byte 0x%02x at %zu: status %d, want BAD",
			     ch, pos, status);
	    } else if (status == DSASL_FRAME_OK) {
		/* Whatever decodes must encode back to the same line. */
		struct vstring *again = vstring_alloc(10);

		dsasl_frame_encode(vstring_str(out), vstring_len(out), again);
		if (strcmp(vstring_str(again), line) != 0)
		    fail_msg("\"%s\" decodes but encodes back as \"%s\"",
			     line, vstring_str(again));
		vstring_free(&again);
	    }
	}
    }
    vstring_free(&out);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_decode_table),
	cmocka_unit_test(test_encode_vectors),
	cmocka_unit_test(test_round_trip),
	cmocka_unit_test(test_single_changes),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
