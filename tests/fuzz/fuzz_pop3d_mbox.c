/*++
/* NAME
/*	fuzz_pop3d_mbox 1
/* SUMMARY
/*	libFuzzer target: pop3d's mbox reader and message output
/* SYNOPSIS
/*	./fuzz_pop3d_mbox [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	The input (after its first byte) is written to a scratch file as
/*	an mbox and opened with pop3d_box_open() as pop3d does after a
/*	login. Each message is sent whole and with TOP 1 into a second
/*	scratch file, which is then checked: it ends with CR LF "." CR LF,
/*	every LF is preceded by CR, and with the dot-stuffing removed the
/*	whole message is exactly the size that LIST reports. Each uid is 1
/*	to 70 printable characters and no two are equal. Then the messages
/*	the first byte's bits select are marked deleted, the mailbox is
/*	updated, and it must open again with at most as many messages.
/*	Seeds: corpus/fuzz_pop3d_mbox/; dictionary: fuzz_pop3d_mbox.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <sys/stat.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vstream.h>
#include <vstring.h>

#include "pop3d_box.h"

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char box_path[] = "/tmp/fuzz_pop3d_mbox.XXXXXX";
static char out_path[] = "/tmp/fuzz_pop3d_out.XXXXXX";
static int box_fd = -1;
static int out_fd = -1;

static void fuzz_cleanup(void)
{
    (void) unlink(box_path);
    (void) unlink(out_path);
}

/* check_output - the bytes of one RETR or TOP; returns the unstuffed size */

static long check_output(void)
{
    struct stat st;
    char   *buf;
    long    size = 0;
    off_t   i;
    int     bol = 1;

    if (fstat(out_fd, &st) < 0 || st.st_size < 3)
	abort();
    buf = malloc(st.st_size);
    if (buf == 0 || pread(out_fd, buf, st.st_size, 0) != st.st_size)
	abort();
    if (memcmp(buf + st.st_size - 3, ".\r\n", 3) != 0
	|| (st.st_size > 3 && buf[st.st_size - 4] != '\n'))
	abort();
    for (i = 0; i < st.st_size - 3; i++) {
	if (buf[i] == '\n' && (i == 0 || buf[i - 1] != '\r'))
	    abort();
	if (bol && buf[i] == '.') {
	    if (i + 1 >= st.st_size - 3 || buf[i + 1] != '.')
		abort();			/* an unstuffed leading dot */
	} else {
	    size++;
	}
	bol = (buf[i] == '\n');
    }
    free(buf);
    return (size);
}

static void send_one(struct pop3d_box *box, int i, long lines)
{
    struct vstream *out;
    struct vstring *why = vstring_alloc(100);
    long    size;

    if (ftruncate(out_fd, 0) < 0 || lseek(out_fd, 0, SEEK_SET) < 0)
	abort();
    out = vstream_fdopen(out_fd, 0);
    if (pop3d_box_send(box, i, lines, out, why) < 0)
	abort();				/* the file did not change */
    if (vstream_close(&out) < 0)
	abort();
    size = check_output();
    if (lines < 0 && size != box->msgs[i].size)
	abort();
    if (lines >= 0 && size > box->msgs[i].size)
	abort();
    vstring_free(&why);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vstring *why;
    struct pop3d_box *box;
    unsigned sel;
    int     count;
    int     kept;
    int     i;
    int     j;
    size_t  n;

    if (size < 1)
	return (0);
    why = vstring_alloc(100);
    if (box_fd < 0) {
	if ((box_fd = mkstemp(box_path)) < 0 || (out_fd = mkstemp(out_path)) < 0)
	    abort();
	atexit(fuzz_cleanup);
    }
    sel = data[0];
    if (ftruncate(box_fd, 0) < 0
	|| pwrite(box_fd, data + 1, size - 1, 0) != (ssize_t) size - 1)
	abort();
    if ((box = pop3d_box_open(box_path, POP3D_BOX_MBOX, 0, 0, why)) == 0)
	abort();
    for (i = 0; i < box->count; i++) {
	n = strlen(box->msgs[i].uid);
	if (n < 1 || n > 70)
	    abort();
	for (j = 0; j < (int) n; j++)
	    if (box->msgs[i].uid[j] < 0x21 || box->msgs[i].uid[j] > 0x7e)
		abort();
	for (j = 0; j < i; j++)
	    if (strcmp(box->msgs[i].uid, box->msgs[j].uid) == 0)
		abort();
	send_one(box, i, -1);
	send_one(box, i, 1);
    }
    count = box->count;
    for (kept = count, i = 0; i < count && i < 8; i++)
	if (sel & (1u << i)) {
	    box->msgs[i].deleted = 1;
	    kept--;
	}
    if (pop3d_box_update(box, why) < 0)
	abort();
    pop3d_box_close(&box);
    if ((box = pop3d_box_open(box_path, POP3D_BOX_MBOX, 0, 0, why)) == 0)
	abort();
    if (box->count > count)
	abort();
    pop3d_box_close(&box);
    vstring_free(&why);
    return (0);
}
