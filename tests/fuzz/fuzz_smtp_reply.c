/*++
/* NAME
/*	fuzz_smtp_reply 1
/* SUMMARY
/*	libFuzzer target: the SMTP reply parser of smtp_reply(3)
/* SYNOPSIS
/*	./fuzz_smtp_reply [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input is what an SMTP server might send. It is read two
/*	ways, as the smtp delivery agent would:
/* .IP \(bu
/*	split into lines at LF (a CR before it dropped), each given to
/*	smtp_reply_feed(); after a complete or malformed reply the next
/*	line starts a new reply (smtp_reply_reset());
/* .IP \(bu
/*	from a stream (a memfd) with smtp_reply_read(), reply after
/*	reply until it fails, so that over-long lines (more than
/*	SMTP_REPLY_LINE_MAX bytes) take the reader's skip path.
/* .PP
/*	Invariants of a complete reply: the code is 200 to 559 with a
/*	second digit of 0 to 5; r->dsn is "C.X.Y" with C the code's first
/*	digit and X, Y of one to three digits; r->text begins with the
/*	code and holds printable bytes only; 1 to SMTP_REPLY_LINES_MAX
/*	lines, none longer than SMTP_REPLY_LINE_MAX. A malformed reply
/*	has a reason in r->why. SMTP_REPLY_MORE comes with 1 to
/*	SMTP_REPLY_LINES_MAX lines kept. Crashes, sanitizer reports, leaks and
/*	broken invariants are findings.
/*	Seeds: corpus/fuzz_smtp_reply/; dictionary: fuzz_smtp_reply.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <sys/mman.h>
#include <ctype.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <argv.h>
#include <msg.h>
#include <vstream.h>
#include <vstring.h>

#include <smtp_reply.h>

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* check - abort when a promise is broken */

static void check(int ok, const char *what)
{
    if (!ok)
	msg_panic("fuzz_smtp_reply: %s", what);
}

/* digits - n digits at cp, 1 to 3 of them; the count, or 0 */

static size_t digits(const char *cp)
{
    size_t  n = 0;

    while (n < 4 && isdigit((unsigned char) cp[n]))
	n++;
    return (n >= 1 && n <= 3 ? n : 0);
}

/* check_done - a complete reply */

static void check_done(struct smtp_reply *r)
{
    const char *cp;
    size_t  n;
    size_t  i;
    char    code[8];

    check(r->code >= 200 && r->code <= 559 && (r->code / 10) % 10 <= 5,
	  "code range");
    check(r->dsn[0] == '0' + r->code / 100 && r->dsn[1] == '.', "dsn class");
    cp = r->dsn + 2;
    check((n = digits(cp)) > 0 && cp[n] == '.', "dsn subject");
    cp += n + 1;
    check((n = digits(cp)) > 0 && cp[n] == 0, "dsn detail");
    (void) snprintf(code, sizeof(code), "%d", r->code);
    check(strncmp(vstring_str(r->text), code, 3) == 0, "text code");
    for (cp = vstring_str(r->text); *cp; cp++)
	check(isprint((unsigned char) *cp), "text printable");
    check(r->lines->argc >= 1 && r->lines->argc <= SMTP_REPLY_LINES_MAX,
	  "line count");
    for (i = 0; i < r->lines->argc; i++)
	check(strlen(r->lines->argv[i]) <= SMTP_REPLY_LINE_MAX, "line length");
}

/* feed_lines - smtp_reply_feed(), one line at a time */

static void feed_lines(const uint8_t *data, size_t size)
{
    struct smtp_reply r;
    const char *cp = (const char *) data;
    const char *end = cp + size;
    const char *nl;
    size_t  len;
    int     status;

    smtp_reply_init(&r);
    while (cp < end) {
	nl = memchr(cp, '\n', (size_t) (end - cp));
	len = (nl ? nl : end) - cp;
	if (len > 0 && cp[len - 1] == '\r')
	    len--;
	status = smtp_reply_feed(&r, cp, len);
	switch (status) {
	case SMTP_REPLY_DONE:
	    check_done(&r);
	    smtp_reply_reset(&r);
	    break;
	case SMTP_REPLY_BAD:
	    check(vstring_len(r.why) > 0, "reason");
	    smtp_reply_reset(&r);
	    break;
	case SMTP_REPLY_MORE:
	    check(r.lines->argc >= 1 && r.lines->argc <= SMTP_REPLY_LINES_MAX,
		  "room for more");
	    break;
	default:
	    check(0, "status");
	}
	cp = nl ? nl + 1 : end;
    }
    smtp_reply_free(&r);
}

/* read_stream - smtp_reply_read() over a memfd */

static void read_stream(int fd, const uint8_t *data, size_t size)
{
    struct smtp_reply r;
    struct vstream *stream;
    int     copy;
    size_t  replies = 0;

    if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t) size
	|| lseek(fd, 0, SEEK_SET) < 0 || (copy = dup(fd)) < 0)
	msg_fatal("memfd: %m");
    stream = vstream_fdopen(copy, VSTREAM_FLAG_CLOSE);
    smtp_reply_init(&r);
    while (smtp_reply_read(stream, &r) == 0) {
	check_done(&r);
	check(++replies <= size, "replies from nothing");
    }
    check(vstring_len(r.why) > 0, "stream reason");
    smtp_reply_free(&r);
    (void) vstream_close(&stream);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;

    if (fd < 0) {
	msg_init("fuzz_smtp_reply");
	msg_stderr_init(0, 0);
	if ((fd = memfd_create("fuzz_smtp_reply", MFD_CLOEXEC)) < 0)
	    msg_fatal("memfd_create: %m");
    }
    feed_lines(data, size);
    read_stream(fd, data, size);
    return (0);
}
