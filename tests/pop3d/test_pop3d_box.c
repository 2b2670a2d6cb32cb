/*++
/* NAME
/*	test_pop3d_box 1
/* SUMMARY
/*	unit tests for pop3d_box.c, pop3d_maildir.c and pop3d_mbox.c
/* SYNOPSIS
/*	./test_pop3d_box
/* DESCRIPTION
/*	The conversion filter, table-driven and fed in pieces of 1, 2, 3
/*	and all bytes (CR LF, dot-stuffing, TOP, mboxrd unquoting, no
/*	final newline), and against a line-at-a-time reference on 3000
/*	random inputs fed in random pieces. Maildir and mbox fixtures
/*	written as local(8) writes them (mboxrd quoting, a message
/*	without a final newline, lines that begin with ".", CR LF
/*	already present): count, order, uids (stable across opens and
/*	after seen() moved a file), every size equal to the octets RETR
/*	sends after unstuffing, RETR and TOP 0 and TOP 2 byte-exact,
/*	seen() renames, deletion through update (mail appended to the
/*	mbox after open survives), update refusing a changed mbox, a
/*	Maildir file that another session moved to cur/ (still sent and
/*	deleted), a vanished one, a missing and an empty mbox, the
/*	dot-lock callback, open waiting for another process's fcntl()
/*	lock, and lines, a "From " line and messages longer
/*	than every buffer (compared with the reference conversion).
/* DIAGNOSTICS
/*	cmocka's output.
/*--*/
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <mymalloc.h>
#include <stringops.h>
#include <vstream.h>
#include <vstring.h>

#include "pop3d_box.h"

static char tmpdir[] = "/tmp/test_pop3d_box.XXXXXX";
static struct vstring *why;

/* path - a name in the test folder (two static buffers, in turn) */

static const char *path(const char *name)
{
    static struct vstring *buf[2];
    static int which;

    which = !which;
    if (buf[which] == 0)
	buf[which] = vstring_alloc(100);
    return (vstring_str(path_join(buf[which], tmpdir, name)));
}

/* write_file - create name with content and mtime (0: leave) */

static void write_file(const char *name, const char *content, time_t mtime)
{
    struct timeval tv[2];
    int     fd;

    fd = open(path(name), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, strlen(content)),
		     (ssize_t) strlen(content));
    assert_int_equal(close(fd), 0);
    if (mtime) {
	tv[0].tv_sec = tv[1].tv_sec = mtime;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	assert_int_equal(utimes(path(name), tv), 0);
    }
}

/* append_file - append content to name */

static void append_file(const char *name, const char *content)
{
    int     fd = open(path(name), O_WRONLY | O_APPEND);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, strlen(content)),
		     (ssize_t) strlen(content));
    assert_int_equal(close(fd), 0);
}

/* read_file - the whole of name */

static struct vstring *read_file(const char *name)
{
    struct vstring *buf = vstring_alloc(1000);
    char    chunk[4096];
    ssize_t n;
    int     fd = open(path(name), O_RDONLY);

    assert_true(fd >= 0);
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
	vstring_append(buf, chunk, n);
    (void) close(fd);
    return (buf);
}

/* send_to_string - pop3d_box_send() through a temp file */

static int send_to_string(struct pop3d_box *box, int index, long lines,
			          struct vstring *result)
{
    char    name[] = "/tmp/test_pop3d_out.XXXXXX";
    struct vstream *out;
    char    chunk[4096];
    ssize_t n;
    int     fd = mkstemp(name);
    int     ret;

    assert_true(fd >= 0);
    (void) unlink(name);
    out = vstream_fdopen(fd, 0);
    ret = pop3d_box_send(box, index, lines, out, why);
    assert_int_equal(vstream_flush(out), 0);
    (void) vstream_close(&out);
    vstring_reset(result);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
	vstring_append(result, chunk, n);
    (void) close(fd);
    return (ret);
}

/* unstuffed_len - what poplib keeps: sum(len(line) + 2), stuffing removed */

static size_t unstuffed_len(struct vstring *sent)
{
    const char *p = vstring_str(sent);
    const char *end = vstring_end(sent);
    const char *nl;
    size_t  total = 0;
    size_t  len;

    for (;;) {
	nl = memchr(p, '\n', end - p);
	assert_non_null(nl);
	len = nl + 1 - p;
	if (len == 3 && memcmp(p, ".\r\n", 3) == 0) {
	    assert_ptr_equal(nl + 1, end);	/* terminator is last */
	    return (total);
	}
	assert_true(len >= 2 && nl[-1] == '\r');
	total += len - 2 + 2 - (p[0] == '.' ? 1 : 0);
	p = nl + 1;
    }
}

/* check_send - RETR (lines < 0) or TOP gives exactly want */

struct send_case {
    int     index;
    long    lines;
    const char *want;
};

static void check_send(struct pop3d_box *box, const struct send_case *cases,
		               size_t count)
{
    struct vstring *sent = vstring_alloc(1000);
    size_t  i;

    for (i = 0; i < count; i++) {
	if (send_to_string(box, cases[i].index, cases[i].lines, sent) != 0)
	    fail_msg("case %zu: %s", i, vstring_str(why));
	if (strcmp(vstring_str(sent), cases[i].want) != 0)
	    fail_msg("case %zu: message %d lines %ld: got \"%s\" want \"%s\"",
		     i, cases[i].index, cases[i].lines, vstring_str(sent),
		     cases[i].want);
    }
    vstring_free(&sent);
}

/* check_sizes - every size is what send gives after unstuffing */

static void check_sizes(struct pop3d_box *box)
{
    struct vstring *sent = vstring_alloc(1000);
    int     i;

    for (i = 0; i < box->count; i++) {
	assert_int_equal(send_to_string(box, i, -1, sent), 0);
	if ((size_t) box->msgs[i].size != unstuffed_len(sent))
	    fail_msg("message %d: size %ld, sent %zu", i,
		     (long) box->msgs[i].size, unstuffed_len(sent));
    }
    vstring_free(&sent);
}

 /*
  * The filter, alone.
  */
struct filter_case {
    const char *in;
    int     unquote;
    long    lines;
    const char *out;
};

static const struct filter_case filter_cases[] = {
    /* 0 */ {"a\nb\n", 0, -1, "a\r\nb\r\n"},
    {"a\r\nb\r\n", 0, -1, "a\r\nb\r\n"},
    {"a\rb\n", 0, -1, "a\rb\r\n"},
    {"no newline", 0, -1, "no newline\r\n"},
    {".\n..\n.x\nx.\n", 0, -1, "..\r\n...\r\n..x\r\nx.\r\n"},
    /* 5 */ {"", 0, -1, ""},
    {">From a\n>>From b\n>Frog\n>\nFrom c\n", 1, -1,
    "From a\r\n>From b\r\n>Frog\r\n>\r\nFrom c\r\n"},
    {">From a\n>>From b\n", 0, -1, ">From a\r\n>>From b\r\n"},
    {">>>", 1, -1, ">>>\r\n"},
    {">Fro", 1, -1, ">Fro\r\n"},
    /* 10 */ {"h: 1\nh: 2\n\nb1\nb2\nb3\n", 0, 0, "h: 1\r\nh: 2\r\n\r\n"},
    {"h: 1\nh: 2\n\nb1\nb2\nb3\n", 0, 2, "h: 1\r\nh: 2\r\n\r\nb1\r\nb2\r\n"},
    {"h: 1\r\n\r\n.b1\r\nb2", 0, 5, "h: 1\r\n\r\n..b1\r\nb2\r\n"},
    {"h: 1\nh: 2\n", 0, 0, "h: 1\r\nh: 2\r\n"},
    {"h: 1\n\n>From x\ny\n", 1, 1, "h: 1\r\n\r\nFrom x\r\n"},
    /* 15 */ {"end\r", 0, -1, "end\r\n"},
    {"x\n\n", 0, 0, "x\r\n\r\n"},
};

/* unstuff - remove the dot-stuffing from filter output */

static size_t stuffed_dots(const char *s, size_t len)
{
    size_t  n = 0;
    size_t  i;

    for (i = 0; i < len; i++)
	if (s[i] == '.' && (i == 0 || s[i - 1] == '\n'))
	    n++;
    return (n);
}

static void test_filter(void **unused)
{
    static const size_t pieces[] = {1, 2, 3, 100000};
    struct pop3d_box_filter filter;
    struct vstring *result = vstring_alloc(100);
    const struct filter_case *fc;
    char    name[] = "/tmp/test_pop3d_filter.XXXXXX";
    struct vstream *out;
    char    chunk[4096];
    size_t  len;
    size_t  off;
    size_t  n;
    ssize_t got;
    size_t  i;
    size_t  j;
    int     fd;

    for (i = 0; i < sizeof(filter_cases) / sizeof(filter_cases[0]); i++) {
	fc = filter_cases + i;
	for (j = 0; j < sizeof(pieces) / sizeof(pieces[0]); j++) {
	    fd = mkstemp(name);
	    assert_true(fd >= 0);
	    (void) unlink(name);
	    memcpy(name + sizeof(name) - 7, "XXXXXX", 6);
	    out = vstream_fdopen(fd, 0);
	    pop3d_box_filter_init(&filter, out, fc->unquote, fc->lines);
	    len = strlen(fc->in);
	    for (off = 0; off < len; off += n) {
		n = len - off < pieces[j] ? len - off : pieces[j];
		pop3d_box_filter_feed(&filter, fc->in + off, n);
	    }
	    pop3d_box_filter_end(&filter);
	    assert_int_equal(filter.error, 0);
	    assert_int_equal(vstream_close(&out), 0);
	    vstring_reset(result);
	    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	    while ((got = read(fd, chunk, sizeof(chunk))) > 0)
		vstring_append(result, chunk, got);
	    (void) close(fd);
	    if (strcmp(vstring_str(result), fc->out) != 0)
		fail_msg("case %zu pieces %zu: got \"%s\" want \"%s\"",
			 i, pieces[j], vstring_str(result), fc->out);
	    if ((size_t) filter.count != strlen(fc->out)
		- stuffed_dots(fc->out, strlen(fc->out)))
		fail_msg("case %zu pieces %zu: count %ld", i, pieces[j],
			 (long) filter.count);
	}
    }
    vstring_free(&result);
}

 /*
  * Maildir.
  */
#define M1_NAME	"new/1000.V801I1M1.host,S=91"
#define M1	"Return-Path: <s@x>\nDelivered-To: u@h\nSubject: one\n\n" \
		"line1\n.dot line\nline3\n"
#define M1_OUT	"Return-Path: <s@x>\r\nDelivered-To: u@h\r\nSubject: one\r\n" \
		"\r\nline1\r\n..dot line\r\nline3\r\n.\r\n"
#define M2_NAME	"new/1001.V801I2M2.host"
#define M2	"Subject: two\r\n\r\nbody\r\nlast"
#define M2_OUT	"Subject: two\r\n\r\nbody\r\nlast\r\n.\r\n"
#define M3_NAME	"cur/0999.V801I3M3.host:2,FR"
#define M3	"Subject: three\n\n..\n.\nend\n"
#define M3_OUT	"Subject: three\r\n\r\n...\r\n..\r\nend\r\n.\r\n"
#define M4_NAME	"new/1003.bad name"
#define M4	"no header end\nsecond\n"
#define M4_OUT	"no header end\r\nsecond\r\n.\r\n"

static const struct send_case maildir_sends[] = {
    {0, -1, M1_OUT},
    {1, -1, M2_OUT},
    {2, -1, M3_OUT},
    {3, -1, M4_OUT},
    {0, 0, "Return-Path: <s@x>\r\nDelivered-To: u@h\r\nSubject: one\r\n"
    "\r\n.\r\n"},
    {0, 2, "Return-Path: <s@x>\r\nDelivered-To: u@h\r\nSubject: one\r\n"
    "\r\nline1\r\n..dot line\r\n.\r\n"},
    {1, 2, M2_OUT},
    {3, 0, M4_OUT},
};

static void make_maildir(void)
{
    const char *sub[] = {"md", "md/new", "md/cur", "md/tmp"};
    size_t  i;

    for (i = 0; i < 4; i++)
	assert_int_equal(mkdir(path(sub[i]), 0700), 0);
    write_file("md/" M4_NAME, M4, 1003);
    write_file("md/" M3_NAME, M3, 1002);
    write_file("md/" M2_NAME, M2, 1001);
    write_file("md/" M1_NAME, M1, 1000);
    write_file("md/new/.hidden", "x\n", 999);
    write_file("md/tmp/1.P1.host", "x\n", 999);
}

static void test_maildir(void **unused)
{
    static const char *uids[] = {"1000.V801I1M1.host", "1001.V801I2M2.host",
    "0999.V801I3M3.host"};
    struct vstring *sent = vstring_alloc(1000);
    struct pop3d_box *box;
    struct pop3d_box *box2;
    struct stat st;
    char   *hashed;
    int     i;

    make_maildir();
    box = pop3d_box_open(path("md"), POP3D_BOX_MAILDIR, 0, 0, why);
    assert_non_null(box);
    assert_int_equal(box->count, 4);
    for (i = 0; i < 3; i++)
	assert_string_equal(box->msgs[i].uid, uids[i]);
    assert_int_equal(strlen(box->msgs[3].uid), 16);
    assert_int_equal(strspn(box->msgs[3].uid, "0123456789abcdef"), 16);
    hashed = mystrdup(box->msgs[3].uid);
    check_sizes(box);
    check_send(box, maildir_sends,
	       sizeof(maildir_sends) / sizeof(maildir_sends[0]));

    /* seen(): new/ to cur/, flags in order. */
    pop3d_box_seen(box, 0);
    assert_string_equal(box->msgs[0].name,
			"cur/1000.V801I1M1.host,S=91:2,S");
    assert_int_equal(stat(path("md/cur/1000.V801I1M1.host,S=91:2,S"), &st), 0);
    assert_int_equal(stat(path("md/" M1_NAME), &st), -1);
    pop3d_box_seen(box, 2);
    assert_string_equal(box->msgs[2].name, "cur/0999.V801I3M3.host:2,FRS");
    pop3d_box_seen(box, 2);
    assert_string_equal(box->msgs[2].name, "cur/0999.V801I3M3.host:2,FRS");
    assert_int_equal(send_to_string(box, 0, -1, sent), 0);
    assert_string_equal(vstring_str(sent), M1_OUT);

    /* The same uids, order and sizes in a new session. */
    box2 = pop3d_box_open(path("md"), POP3D_BOX_MAILDIR, 0, 0, why);
    assert_non_null(box2);
    assert_int_equal(box2->count, 4);
    for (i = 0; i < 4; i++) {
	assert_string_equal(box2->msgs[i].uid, box->msgs[i].uid);
	assert_int_equal(box2->msgs[i].size, box->msgs[i].size);
	assert_string_equal(box2->msgs[i].name, box->msgs[i].name);
    }
    assert_string_equal(box2->msgs[3].uid, hashed);
    pop3d_box_close(&box2);
    assert_null(box2);

    /* Another session moved a message to cur/: found again. */
    assert_int_equal(rename(path("md/" M2_NAME),
			    path("md/cur/1001.V801I2M2.host:2,S")), 0);
    assert_int_equal(send_to_string(box, 1, -1, sent), 0);
    assert_string_equal(vstring_str(sent), M2_OUT);
    assert_string_equal(box->msgs[1].name, "cur/1001.V801I2M2.host:2,S");
    assert_int_equal(rename(path("md/cur/1001.V801I2M2.host:2,S"),
			    path("md/cur/1001.V801I2M2.host:2,RS")), 0);

    /* A vanished file: send fails, update ignores it. */
    assert_int_equal(unlink(path("md/cur/0999.V801I3M3.host:2,FRS")), 0);
    assert_int_equal(send_to_string(box, 2, -1, sent), -1);
    assert_true(vstring_len(why) > 0);
    box->msgs[1].deleted = 1;
    box->msgs[2].deleted = 1;
    assert_int_equal(pop3d_box_update(box, why), 0);
    assert_int_equal(stat(path("md/cur/1001.V801I2M2.host:2,RS"), &st), -1);
    assert_int_equal(errno, ENOENT);
    pop3d_box_close(&box);

    box = pop3d_box_open(path("md"), POP3D_BOX_MAILDIR, 0, 0, why);
    assert_non_null(box);
    assert_int_equal(box->count, 2);
    assert_string_equal(box->msgs[0].uid, uids[0]);
    assert_string_equal(box->msgs[1].uid, hashed);
    pop3d_box_close(&box);

    /* No Maildir yet (never had mail): an empty mailbox. */
    box = pop3d_box_open(path("nonesuch"), POP3D_BOX_MAILDIR, 0, 0, why);
    assert_non_null(box);
    assert_int_equal(box->count, 0);
    assert_int_equal(pop3d_box_update(box, why), 0);
    pop3d_box_close(&box);

    /* Not a Maildir: a folder without new/ and cur/. */
    assert_int_equal(mkdir(path("notmaildir"), 0700), 0);
    box = pop3d_box_open(path("notmaildir"), POP3D_BOX_MAILDIR, 0, 0, why);
    assert_null(box);
    assert_true(vstring_len(why) > 0);
    myfree(hashed);
    vstring_free(&sent);
}

 /*
  * mbox, as local writes it.
  */
#define FROM1	"From s@x Sun Nov 29 06:00:00 2026\n"
#define FROM2	"From MAILER-DAEMON Sun Nov 29 06:00:01 2026\n"
#define B1	"Return-Path: <s@x>\nDelivered-To: u@h\nSubject: a\n\n" \
		">From here\n>>From quoted\n.dot\nend\n"
#define B1_OUT	"Return-Path: <s@x>\r\nDelivered-To: u@h\r\nSubject: a\r\n" \
		"\r\nFrom here\r\n>From quoted\r\n..dot\r\nend\r\n.\r\n"
#define B2	"Return-Path: <>\nDelivered-To: u@h\nSubject: b\r\n\r\n" \
		"CRLF body\r\nno newline\n"
#define B2_OUT	"Return-Path: <>\r\nDelivered-To: u@h\r\nSubject: b\r\n\r\n" \
		"CRLF body\r\nno newline\r\n.\r\n"
#define B3	"Subject: c\n\nx\n\n"
#define B3_OUT	"Subject: c\r\n\r\nx\r\n\r\n.\r\n"
#define B5	"Subject: e\n\nlast line no newline"
#define B5_OUT	"Subject: e\r\n\r\nlast line no newline\r\n.\r\n"
#define B6	"Subject: new\n\nnew\n"
#define MBOX4	FROM1 B1 "\n" FROM2 B2 "\n" FROM1 B3 "\n" FROM1 B3 "\n"

static const struct send_case mbox_sends[] = {
    {0, -1, B1_OUT},
    {1, -1, B2_OUT},
    {2, -1, B3_OUT},
    {3, -1, B3_OUT},
    {4, -1, B5_OUT},
    {0, 0, "Return-Path: <s@x>\r\nDelivered-To: u@h\r\nSubject: a\r\n"
    "\r\n.\r\n"},
    {0, 2, "Return-Path: <s@x>\r\nDelivered-To: u@h\r\nSubject: a\r\n"
    "\r\nFrom here\r\n>From quoted\r\n.\r\n"},
    {2, 1, "Subject: c\r\n\r\nx\r\n.\r\n"},
    {2, 2, B3_OUT},
    {4, 9, B5_OUT},
};

struct lock_calls {
    int     on;
    int     off;
    int     fail;
};

static int test_lock(void *context, int on)
{
    struct lock_calls *calls = context;

    if (on && calls->fail)
	return (-1);
    if (on)
	calls->on++;
    else
	calls->off++;
    assert_true(calls->on - calls->off == 0 || calls->on - calls->off == 1);
    return (0);
}

static void test_mbox_read(void **unused)
{
    struct lock_calls calls = {0, 0, 0};
    struct vstring *sent = vstring_alloc(1000);
    struct vstring *uid3;
    struct pop3d_box *box;
    struct pop3d_box *box2;
    int     i;
    int     j;

    write_file("mbox-read", MBOX4 FROM2 B5, 0);
    box = pop3d_box_open(path("mbox-read"), POP3D_BOX_MBOX, test_lock,
			 &calls, why);
    assert_non_null(box);
    assert_int_equal(calls.on, 1);
    assert_int_equal(calls.off, 1);
    assert_int_equal(box->count, 5);
    assert_int_equal(box->snap_size, strlen(MBOX4 FROM2 B5));
    check_send(box, mbox_sends, sizeof(mbox_sends) / sizeof(mbox_sends[0]));
    check_sizes(box);
    assert_int_equal(box->msgs[0].offset, strlen(FROM1));
    assert_int_equal(box->msgs[0].length, strlen(B1));
    assert_int_equal(box->msgs[4].length, strlen(B5));

    /* Distinct uids; identical messages differ by "-2". */
    for (i = 0; i < 5; i++) {
	assert_true(strlen(box->msgs[i].uid) >= 1
		    && strlen(box->msgs[i].uid) <= 70);
	for (j = 0; j < i; j++)
	    assert_string_not_equal(box->msgs[i].uid, box->msgs[j].uid);
    }
    uid3 = vstring_alloc(30);
    vstring_sprintf(uid3, "%s-2", box->msgs[2].uid);
    assert_string_equal(box->msgs[3].uid, vstring_str(uid3));
    vstring_free(&uid3);

    /* seen() does nothing to an mbox. */
    pop3d_box_seen(box, 0);

    /* Stable across sessions, also with mail appended in between. */
    append_file("mbox-read", "\n\n" FROM1 B6 "\n");
    box2 = pop3d_box_open(path("mbox-read"), POP3D_BOX_MBOX, 0, 0, why);
    assert_non_null(box2);
    assert_int_equal(box2->count, 6);
    /* The last one got its newline and the separator: the same text. */
    for (i = 0; i < 5; i++) {
	assert_string_equal(box2->msgs[i].uid, box->msgs[i].uid);
	assert_int_equal(box2->msgs[i].size, box->msgs[i].size);
    }
    check_sizes(box2);
    pop3d_box_close(&box2);

    /* Nothing deleted: no update, no locking. */
    assert_int_equal(pop3d_box_update(box, why), 0);
    assert_int_equal(calls.on, 1);
    pop3d_box_close(&box);
    vstring_free(&sent);
}

static void test_mbox_update(void **unused)
{
    struct lock_calls calls = {0, 0, 0};
    struct vstring *sent = vstring_alloc(1000);
    struct vstring *data;
    struct pop3d_box *box;
    char   *uid1;
    char   *uid2;

    write_file("mbox-upd", MBOX4, 0);
    box = pop3d_box_open(path("mbox-upd"), POP3D_BOX_MBOX, test_lock,
			 &calls, why);
    assert_non_null(box);
    assert_int_equal(box->count, 4);
    uid1 = mystrdup(box->msgs[1].uid);
    uid2 = mystrdup(box->msgs[2].uid);

    /* Delivered during the session: must survive. */
    append_file("mbox-upd", FROM1 B6 "\n");
    box->msgs[0].deleted = 1;
    box->msgs[3].deleted = 1;
    assert_int_equal(pop3d_box_update(box, why), 0);
    assert_int_equal(calls.on, 2);
    assert_int_equal(calls.off, 2);
    pop3d_box_close(&box);
    data = read_file("mbox-upd");
    assert_string_equal(vstring_str(data), FROM2 B2 "\n" FROM1 B3 "\n"
			FROM1 B6 "\n");
    vstring_free(&data);

    box = pop3d_box_open(path("mbox-upd"), POP3D_BOX_MBOX, 0, 0, why);
    assert_non_null(box);
    assert_int_equal(box->count, 3);
    assert_string_equal(box->msgs[0].uid, uid1);
    assert_string_equal(box->msgs[1].uid, uid2);
    assert_int_equal(send_to_string(box, 2, -1, sent), 0);
    assert_string_equal(vstring_str(sent), "Subject: new\r\n\r\nnew\r\n.\r\n");
    check_sizes(box);

    /* Everything deleted. */
    box->msgs[0].deleted = box->msgs[1].deleted = box->msgs[2].deleted = 1;
    assert_int_equal(pop3d_box_update(box, why), 0);
    pop3d_box_close(&box);
    data = read_file("mbox-upd");
    assert_int_equal(vstring_len(data), 0);
    vstring_free(&data);
    myfree(uid1);
    myfree(uid2);
    vstring_free(&sent);
}

static void test_mbox_changed(void **unused)
{
    struct vstring *sent = vstring_alloc(1000);
    struct vstring *data;
    struct pop3d_box *box;
    char   *changed;

    /* Shorter than at open. */
    write_file("mbox-chg", MBOX4, 0);
    box = pop3d_box_open(path("mbox-chg"), POP3D_BOX_MBOX, 0, 0, why);
    assert_non_null(box);
    write_file("mbox-chg", FROM1 B1 "\n", 0);
    box->msgs[0].deleted = 1;
    assert_int_equal(pop3d_box_update(box, why), -1);
    assert_non_null(strstr(vstring_str(why), "changed"));
    data = read_file("mbox-chg");
    assert_string_equal(vstring_str(data), FROM1 B1 "\n");
    vstring_free(&data);
    assert_int_equal(send_to_string(box, 2, -1, sent), -1);
    pop3d_box_close(&box);

    /* Same size, but a "From " line moved. */
    write_file("mbox-chg", MBOX4, 0);
    box = pop3d_box_open(path("mbox-chg"), POP3D_BOX_MBOX, 0, 0, why);
    assert_non_null(box);
    changed = mystrdup(MBOX4);
    changed[box->msgs[1].from_offset + 5] = 'X';
    write_file("mbox-chg", changed, 0);
    assert_int_equal(send_to_string(box, 1, -1, sent), -1);
    assert_non_null(strstr(vstring_str(why), "changed"));
    box->msgs[3].deleted = 1;
    assert_int_equal(pop3d_box_update(box, why), -1);
    data = read_file("mbox-chg");
    assert_string_equal(vstring_str(data), changed);
    vstring_free(&data);
    myfree(changed);
    pop3d_box_close(&box);

    /* Gone. */
    write_file("mbox-chg", MBOX4, 0);
    box = pop3d_box_open(path("mbox-chg"), POP3D_BOX_MBOX, 0, 0, why);
    assert_non_null(box);
    assert_int_equal(unlink(path("mbox-chg")), 0);
    box->msgs[0].deleted = 1;
    assert_int_equal(pop3d_box_update(box, why), -1);
    pop3d_box_close(&box);
    vstring_free(&sent);
}

/* test_mbox_fcntl - open waits for local's fcntl lock */

static void test_mbox_fcntl(void **unused)
{
    struct pop3d_box *box;
    struct flock fl;
    struct timeval t0;
    struct timeval t1;
    char    ready;
    int     pipefd[2];
    pid_t   pid;
    int     fd;

    write_file("mbox-fcntl", MBOX4, 0);
    assert_int_equal(pipe(pipefd), 0);
    if ((pid = fork()) == 0) {
	fd = open(path("mbox-fcntl"), O_RDWR);
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fd < 0 || fcntl(fd, F_SETLKW, &fl) < 0
	    || write(pipefd[1], "x", 1) != 1)
	    _exit(1);
	(void) usleep(700000);
	_exit(0);
    }
    assert_true(pid > 0);
    (void) close(pipefd[1]);
    assert_int_equal(read(pipefd[0], &ready, 1), 1);
    (void) close(pipefd[0]);
    gettimeofday(&t0, (struct timezone *) 0);
    box = pop3d_box_open(path("mbox-fcntl"), POP3D_BOX_MBOX, 0, 0, why);
    gettimeofday(&t1, (struct timezone *) 0);
    assert_non_null(box);
    assert_int_equal(box->count, 4);
    assert_true((t1.tv_sec - t0.tv_sec) * 1000000 + t1.tv_usec - t0.tv_usec
		> 300000);
    (void) waitpid(pid, (int *) 0, 0);
    pop3d_box_close(&box);
}

static void test_mbox_empty(void **unused)
{
    struct lock_calls calls = {0, 0, 0};
    struct pop3d_box *box;

    /* Missing. */
    box = pop3d_box_open(path("mbox-none"), POP3D_BOX_MBOX, test_lock,
			 &calls, why);
    assert_non_null(box);
    assert_int_equal(box->count, 0);
    assert_int_equal(box->snap_size, 0);
    assert_int_equal(calls.on, 1);
    assert_int_equal(calls.off, 1);
    assert_int_equal(pop3d_box_update(box, why), 0);
    pop3d_box_close(&box);

    /* Empty file; text before the first "From " is no message. */
    write_file("mbox-empty", "", 0);
    box = pop3d_box_open(path("mbox-empty"), POP3D_BOX_MBOX, 0, 0, why);
    assert_non_null(box);
    assert_int_equal(box->count, 0);
    pop3d_box_close(&box);
    write_file("mbox-empty", "junk\nFrom x\n", 0);
    box = pop3d_box_open(path("mbox-empty"), POP3D_BOX_MBOX, 0, 0, why);
    assert_non_null(box);
    assert_int_equal(box->count, 0);
    pop3d_box_close(&box);

    /* A dot-lock that cannot be had. */
    calls.fail = 1;
    box = pop3d_box_open(path("mbox-empty"), POP3D_BOX_MBOX, test_lock,
			 &calls, why);
    assert_null(box);
    assert_true(vstring_len(why) > 0);
}

/* reference - the POP3 form of a stored message, one whole line at a time */

static void reference(struct vstring *out, const char *in, int unquote)
{
    const char *nl;
    const char *p;
    size_t  len;

    vstring_reset(out);
    for (; *in; in = nl ? nl + 1 : in + len) {
	nl = strchr(in, '\n');
	len = nl ? (size_t) (nl - in) : strlen(in);
	if (*in == '.')
	    vstring_appendc(out, '.');
	for (p = in; unquote && p < in + len && *p == '>'; p++)
	     /* void */ ;
	if (unquote && p > in && in + len - p >= 5
	    && strncmp(p, "From ", 5) == 0)
	    vstring_append(out, in + 1, len - 1);
	else
	    vstring_append(out, in, len);
	if (len > 0 && in[len - 1] == '\r')
	    vstring_appendc(out, '\n');
	else
	    vstring_append(out, "\r\n", 2);
	if (nl == 0)
	    break;
    }
    vstring_append(out, ".\r\n", 3);
}

/* test_filter_random - the filter against the reference, random input */

static void test_filter_random(void **unused)
{
    static const char alphabet[] = "\n\n\r..>>>From x";
    struct pop3d_box_filter filter;
    struct vstring *in = vstring_alloc(300);
    struct vstring *want = vstring_alloc(300);
    struct vstring *got = vstring_alloc(300);
    char    name[] = "/tmp/test_pop3d_random.XXXXXX";
    struct vstream *out;
    char    chunk[4096];
    ssize_t n;
    size_t  off;
    size_t  piece;
    int     round;
    int     len;
    int     fd;
    int     i;

    srandom(1);
    fd = mkstemp(name);
    assert_true(fd >= 0);
    (void) unlink(name);
    for (round = 0; round < 3000; round++) {
	vstring_reset(in);
	for (len = random() % 60, i = 0; i < len; i++)
	    vstring_appendc(in, alphabet[random() % (sizeof(alphabet) - 1)]);
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	out = vstream_fdopen(fd, 0);
	pop3d_box_filter_init(&filter, out, round % 2, -1);
	for (off = 0; off < vstring_len(in); off += piece) {
	    piece = 1 + random() % 7;
	    if (piece > vstring_len(in) - off)
		piece = vstring_len(in) - off;
	    pop3d_box_filter_feed(&filter, vstring_str(in) + off, piece);
	}
	pop3d_box_filter_end(&filter);
	assert_int_equal(vstream_write(out, ".\r\n", 3), 0);
	assert_int_equal(vstream_close(&out), 0);
	vstring_reset(got);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
	    vstring_append(got, chunk, n);
	reference(want, vstring_str(in), round % 2);
	if (strcmp(vstring_str(got), vstring_str(want)) != 0)
	    fail_msg("round %d: input \"%s\": got \"%s\" want \"%s\"", round,
		     vstring_str(in), vstring_str(got), vstring_str(want));
	if ((size_t) filter.count + 2 != vstring_len(got)
	    - stuffed_dots(vstring_str(got), vstring_len(got)))	/* and "." */
	    fail_msg("round %d: count %ld", round, (long) filter.count);
    }
    (void) close(fd);
    vstring_free(&in);
    vstring_free(&want);
    vstring_free(&got);
}

/* check_reference - open, then message 0 is the reference conversion */

static struct pop3d_box *check_reference(const char *name, int format,
					         int count, const char *msg)
{
    struct vstring *want = vstring_alloc(100000);
    struct vstring *sent = vstring_alloc(100000);
    struct pop3d_box *box;

    box = pop3d_box_open(path(name), format, 0, 0, why);
    assert_non_null(box);
    assert_int_equal(box->count, count);
    assert_int_equal(send_to_string(box, 0, -1, sent), 0);
    reference(want, msg, format == POP3D_BOX_MBOX);
    assert_int_equal(vstring_len(sent), vstring_len(want));
    assert_memory_equal(vstring_str(sent), vstring_str(want),
			vstring_len(want));
    check_sizes(box);
    vstring_free(&want);
    vstring_free(&sent);
    return (box);
}

/* test_long - lines and messages longer than every buffer */

static void test_long(void **unused)
{
    struct vstring *msg = vstring_alloc(100000);
    struct vstring *file = vstring_alloc(100000);
    struct vstring *sent = vstring_alloc(100000);
    struct pop3d_box *box;
    int     i;

    vstring_strcpy(msg, "Subject: long\n\n");
    for (i = 0; i < 10000; i++)
	vstring_appendc(msg, 'a');
    vstring_appends(msg, "\n>>From ");
    for (i = 0; i < 5000; i++)
	vstring_appendc(msg, 'b');
    vstring_appends(msg, "\n");
    for (i = 0; i < 3000; i++)
	vstring_appends(msg, i % 3 ? ".x\n" : ">From x\r\n");
    vstring_appends(msg, "no newline");

    /* Maildir: no unquoting. */
    assert_int_equal(mkdir(path("long"), 0700), 0);
    assert_int_equal(mkdir(path("long/new"), 0700), 0);
    assert_int_equal(mkdir(path("long/cur"), 0700), 0);
    write_file("long/new/1.V1I1M1.host", vstring_str(msg), 0);
    box = check_reference("long", POP3D_BOX_MAILDIR, 1, vstring_str(msg));
    pop3d_box_close(&box);

    /* mbox, with a "From " line longer than a line buffer. */
    vstring_strcpy(file, "From ");
    for (i = 0; i < 6000; i++)
	vstring_appendc(file, 's');
    vstring_appends(file, " Sun Nov 29 06:00:00 2026\n");
    vstring_append(file, vstring_str(msg), vstring_len(msg));
    vstring_appends(file, "\n\n" FROM1 B3 "\n");
    write_file("mbox-long", vstring_str(file), 0);
    box = check_reference("mbox-long", POP3D_BOX_MBOX, 2, vstring_str(msg));
    assert_int_equal(send_to_string(box, 1, -1, sent), 0);
    assert_string_equal(vstring_str(sent), B3_OUT);
    box->msgs[0].deleted = 1;
    assert_int_equal(pop3d_box_update(box, why), 0);
    pop3d_box_close(&box);
    vstring_free(&file);
    file = read_file("mbox-long");
    assert_string_equal(vstring_str(file), FROM1 B3 "\n");

    vstring_free(&msg);
    vstring_free(&file);
    vstring_free(&sent);
}

static int setup(void **unused)
{
    if (mkdtemp(tmpdir) == 0)
	return (-1);
    why = vstring_alloc(100);
    return (0);
}

static int teardown(void **unused)
{
    const char *argv_rm[] = {"rm", "-rf", tmpdir, 0};
    pid_t   pid;

    /* No system(): fork and exec rm. */
    if ((pid = fork()) == 0) {
	execvp(argv_rm[0], (char **) argv_rm);
	_exit(1);
    }
    if (pid > 0)
	(void) waitpid(pid, (int *) 0, 0);
    vstring_free(&why);
    return (0);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_filter),
	cmocka_unit_test(test_maildir),
	cmocka_unit_test(test_mbox_read),
	cmocka_unit_test(test_mbox_update),
	cmocka_unit_test(test_mbox_changed),
	cmocka_unit_test(test_mbox_fcntl),
	cmocka_unit_test(test_mbox_empty),
	cmocka_unit_test(test_long),
	cmocka_unit_test(test_filter_random),
    };

    return (cmocka_run_group_tests(tests, setup, teardown));
}
