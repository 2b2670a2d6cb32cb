/*++
/* NAME
/*	test_qfile 1
/* SUMMARY
/*	unit tests for qfile (queue files)
/* SYNOPSIS
/*	./test_qfile
/* DESCRIPTION
/*	Queue ID syntax and paths; create (mode 0600, the ID's parts, no
/*	temporary name left), commit (the ready bit), read back with
/*	qfile_read_envelope(), the content through qfile_content_read();
/*	a recipient state update that survives reopening the file; move,
/*	remove and corrupt; recycling (a finished file reused by the next
/*	create, a full folder, too large, off, and a spare that is a symbolic
/*	link or a hard-linked file, which is dropped, never followed);
/*	header_size edge cases; and a table of corrupt
/*	files, each rejected with its expected reason, plus the valid file
/*	truncated at every byte offset.
/*
/*	Runs in a temporary queue_directory (tq_dir_setup()).
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <argv.h>
#include <vstream.h>
#include <vstring.h>
#include <rec.h>
#include <mail_params.h>
#include <qfile.h>
#include "testqueue.h"

static void test_id_and_path(void **state)
{
    static const struct {
	const char *id;
	int     valid;
    }       cases[] = {
	{"6553F1001E240A1B2", 1},
	{"0123456789ABCDE", 1},		/* 15: shortest */
	{"0123456789ABCD", 0},
	{"0123456789ABCDEF0123456789ABCDEF01234567", 1},	/* 40 */
	{"0123456789ABCDEF0123456789ABCDEF012345678", 0},
	{"6553f1001e240a1b2", 0},
	{"6553F1001E240A1B/", 0},
	{"../6553F1001E240A1", 0},
	{"", 0},
    };
    struct vstring *buf = vstring_alloc(10);
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	if (qfile_id_valid(cases[i].id) != cases[i].valid)
	    fail_msg("case %zu \"%s\": expected %d", i, cases[i].id,
		     cases[i].valid);
    assert_string_equal(qfile_path(buf, QFILE_ACTIVE, "6553F1001E240A1B2"),
			"active/2/6553F1001E240A1B2");
    vstring_free(&buf);
}

/* write_file - write a whole buffer to fd through a stream */

static void write_file(int fd, const struct vstring *data)
{
    assert_int_equal(write(fd, vstring_str(data), vstring_len(data)),
		     (ssize_t) vstring_len(data));
}

/* count_entries - entries in a folder, . and .. excluded */

static int count_entries(const char *dir)
{
    DIR    *dp = opendir(dir);
    struct dirent *de;
    int     n = 0;

    assert_non_null(dp);
    while ((de = readdir(dp)) != 0)
	if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
	    n++;
    closedir(dp);
    return (n);
}

static void test_create_commit_read(void **state)
{
    struct vstring *id = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    struct vstring *path = vstring_alloc(10);
    struct vstring *data = vstring_alloc(100);
    struct vstring *buf = vstring_alloc(100);
    struct vstring *content = vstring_alloc(100);
    struct qfile_info info;
    struct vstream *cs;
    struct stat st;
    char    ino[32];
    time_t  now = time((time_t *) 0);
    unsigned long sec;
    off_t   left;
    ssize_t n;
    int     fd;

    assert_int_equal(qfile_create(QFILE_INCOMING, id, &fd, why), 0);
    assert_true(qfile_id_valid(vstring_str(id)));
    qfile_path(path, QFILE_INCOMING, vstring_str(id));
    assert_int_equal(stat(vstring_str(path), &st), 0);
    assert_int_equal(st.st_mode & 07777, QFILE_MODE_WRITING);
    /* ID = 9 hex seconds, 5 hex microseconds, inode in hex. */
    snprintf(ino, sizeof(ino), "%lX", (unsigned long) st.st_ino);
    assert_string_equal(vstring_str(id) + 14, ino);
    assert_int_equal(sscanf(vstring_str(id), "%9lx", &sec), 1);
    assert_true((time_t) sec >= now - 5 && (time_t) sec <= now + 5);
    /* Only the subfolder remains in incoming/: no temporary name. */
    assert_int_equal(count_entries(QFILE_INCOMING), 1);

    tq_valid_file(data);
    write_file(fd, data);
    assert_int_equal(qfile_commit(fd, QFILE_INCOMING, vstring_str(id), why), 0);
    assert_int_equal(stat(vstring_str(path), &st), 0);
    assert_int_equal(st.st_mode & 07777, QFILE_MODE_READY);

    assert_int_equal(qfile_read_envelope(fd, &info, why), 0);
    assert_int_equal(info.arrival_sec, 1700000000);
    assert_int_equal(info.arrival_usec, 123456);
    assert_string_equal(info.sender, "alice@example.com");
    assert_int_equal(info.attrs->argc, 2);
    assert_string_equal(qfile_attr(&info, "client_name"), "localhost");
    assert_string_equal(qfile_attr(&info, "protocol"), "ESMTP");
    assert_null(qfile_attr(&info, "client"));
    assert_int_equal(info.rcpt_count, 2);
    assert_string_equal(info.rcpts[0].address, "bob@example.com");
    assert_string_equal(info.rcpts[0].orig, "Bob@Example.COM");
    assert_int_equal(info.rcpts[0].state, REC_RCPT_TODO);
    assert_string_equal(info.rcpts[1].address, "carol@example.com");
    assert_null(info.rcpts[1].orig);
    assert_int_equal(info.rcpts[1].state, REC_RCPT_SENT);
    assert_int_equal(info.content_size, 47);
    assert_int_equal(info.header_size, 37);

    cs = qfile_content_open(fd, &info);
    assert_non_null(cs);
    left = info.content_size;
    while ((n = qfile_content_read(cs, buf, &left)) > 0)
	vstring_append(content, vstring_str(buf), vstring_len(buf));
    assert_int_equal(n, 0);
    assert_int_equal(left, 0);
    assert_string_equal(vstring_str(content),
	     "Subject: hi\nFrom: alice@example.com\n\nbody line\n");
    vstream_close(&cs);
    qfile_info_free(&info);
    qfile_info_free(&info);			/* twice is safe */
    close(fd);

    assert_int_equal(qfile_move(QFILE_INCOMING, QFILE_ACTIVE, vstring_str(id),
				why), 0);
    qfile_path(path, QFILE_ACTIVE, vstring_str(id));
    assert_int_equal(stat(vstring_str(path), &st), 0);
    /* A second move finds nothing; a move never replaces. */
    assert_int_equal(qfile_move(QFILE_INCOMING, QFILE_ACTIVE, vstring_str(id),
				why), -1);
    assert_int_equal(qfile_remove(QFILE_ACTIVE, vstring_str(id), why), 0);
    assert_int_equal(stat(vstring_str(path), &st), -1);
    assert_int_equal(qfile_remove(QFILE_ACTIVE, vstring_str(id), why), -1);
    assert_non_null(strstr(vstring_str(why), "No such file"));
    assert_int_equal(qfile_remove(QFILE_ACTIVE, "../../etc/passwd", why), -1);
    assert_string_equal(vstring_str(why), "bad queue ID \"../../etc/passwd\"");

    vstring_free(&id);
    vstring_free(&why);
    vstring_free(&path);
    vstring_free(&data);
    vstring_free(&buf);
    vstring_free(&content);
}

static void test_rcpt_state_survives_reopen(void **state)
{
    struct vstring *id = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    struct vstring *path = vstring_alloc(10);
    struct vstring *data = vstring_alloc(100);
    struct qfile_info info;
    off_t   off0;
    int     fd;

    assert_int_equal(qfile_create(QFILE_INCOMING, id, &fd, why), 0);
    tq_valid_file(data);
    write_file(fd, data);
    assert_int_equal(qfile_commit(fd, QFILE_INCOMING, vstring_str(id), why), 0);
    close(fd);

    qfile_path(path, QFILE_INCOMING, vstring_str(id));
    fd = open(vstring_str(path), O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(qfile_read_envelope(fd, &info, why), 0);
    off0 = info.rcpts[0].offset;
    assert_int_equal(qfile_set_rcpt_state(fd, off0, REC_RCPT_BOUNCED, why), 0);
    assert_int_equal(qfile_set_rcpt_state(fd, info.rcpts[1].offset,
					  REC_RCPT_TODO, why), 0);
    /* Not an R record; not a state. */
    assert_int_equal(qfile_set_rcpt_state(fd, off0 - 1, REC_RCPT_SENT, why), -1);
    assert_non_null(strstr(vstring_str(why), "is not a recipient record"));
    assert_int_equal(qfile_set_rcpt_state(fd, 0, REC_RCPT_SENT, why), -1);
    assert_int_equal(qfile_set_rcpt_state(fd, 100000, REC_RCPT_SENT, why), -1);
    assert_int_equal(qfile_set_rcpt_state(fd, off0, 'X', why), -1);
    qfile_info_free(&info);
    close(fd);

    fd = open(vstring_str(path), O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(qfile_read_envelope(fd, &info, why), 0);
    assert_int_equal(info.rcpts[0].state, REC_RCPT_BOUNCED);
    assert_int_equal(info.rcpts[0].offset, off0);
    assert_int_equal(info.rcpts[1].state, REC_RCPT_TODO);
    qfile_info_free(&info);
    close(fd);

    vstring_free(&id);
    vstring_free(&why);
    vstring_free(&path);
    vstring_free(&data);
}

static void test_corrupt_moves(void **state)
{
    struct vstring *id = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    struct vstring *path = vstring_alloc(10);
    struct stat st;
    int     fd;

    assert_int_equal(qfile_create(QFILE_INCOMING, id, &fd, why), 0);
    close(fd);
    assert_int_equal(qfile_move(QFILE_INCOMING, QFILE_DEFERRED, vstring_str(id),
				why), 0);
    qfile_corrupt(QFILE_DEFERRED, vstring_str(id), "test reason");
    qfile_path(path, QFILE_CORRUPT, vstring_str(id));
    assert_int_equal(stat(vstring_str(path), &st), 0);
    qfile_path(path, QFILE_DEFERRED, vstring_str(id));
    assert_int_equal(stat(vstring_str(path), &st), -1);
    /* A missing file: a warning, no crash. */
    qfile_corrupt(QFILE_DEFERRED, vstring_str(id), "again");
    vstring_free(&id);
    vstring_free(&why);
    vstring_free(&path);
}

/* count_prefix - names in a folder that start with prefix ("": all) */

static int count_prefix(const char *dir, const char *prefix)
{
    DIR    *dp = opendir(dir);
    struct dirent *de;
    int     n = 0;

    assert_non_null(dp);
    while ((de = readdir(dp)) != 0)
	if (de->d_name[0] != '.'
	    && strncmp(de->d_name, prefix, strlen(prefix)) == 0)
	    n++;
    closedir(dp);
    return (n);
}

static int count_files(const char *dir)
{
    return (count_prefix(dir, ""));
}

/* activate - a message through incoming/ into active/; its ID and inode */

static ino_t activate(const char *data, struct vstring *id)
{
    struct vstring *why = vstring_alloc(10);
    struct stat st;
    int     fd;

    assert_int_equal(qfile_create(QFILE_INCOMING, id, &fd, why), 0);
    assert_int_equal(write(fd, data, strlen(data)), (ssize_t) strlen(data));
    assert_int_equal(qfile_commit(fd, QFILE_INCOMING, vstring_str(id), why), 0);
    assert_int_equal(fstat(fd, &st), 0);
    close(fd);
    assert_int_equal(qfile_move_lazy(QFILE_INCOMING, QFILE_ACTIVE,
				     vstring_str(id), why), 0);
    vstring_free(&why);
    return (st.st_ino);
}

/* done - qfile_recycle() a file in active/; it has left active/ */

static void done(struct vstring *id, off_t size)
{
    struct vstring *why = vstring_alloc(10);
    struct vstring *path = vstring_alloc(10);
    struct stat st;

    assert_int_equal(qfile_recycle(QFILE_ACTIVE, vstring_str(id), size, why),
		     0);
    assert_int_equal(stat(qfile_path(path, QFILE_ACTIVE, vstring_str(id)),
			  &st), -1);
    vstring_free(&why);
    vstring_free(&path);
}

/* finish - activate() and done() */

static ino_t finish(const char *data, off_t size)
{
    struct vstring *id = vstring_alloc(10);
    ino_t   ino = activate(data, id);

    done(id, size);
    vstring_free(&id);
    return (ino);
}

static void make_subdirs(const char *queue)
{
    char    path[64];
    const char *hex = "0123456789ABCDEF";
    int     i;

    for (i = 0; i < 16; i++) {
	snprintf(path, sizeof(path), "%s/%c", queue, hex[i]);
	(void) mkdir(path, 0700);
    }
}

static void test_recycle(void **state)
{
    struct vstring *id = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    struct vstring *path = vstring_alloc(10);
    char    ino_hex[32];
    struct stat st;
    ino_t   ino;
    int     fd;

    make_subdirs(QFILE_ACTIVE);
    var_qfile_recycle = 4;

    /* A finished file goes to recycle/, and the next create takes it. */
    ino = finish("old message content", 100);
    assert_int_equal(count_files(QFILE_RECYCLE), 1);
    assert_int_equal(qfile_create(QFILE_INCOMING, id, &fd, why), 0);
    assert_int_equal(count_files(QFILE_RECYCLE), 0);
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(st.st_ino, ino);		/* the same file ... */
    assert_int_equal(st.st_mode & 07777, QFILE_MODE_WRITING);	/* unready */
    assert_int_equal(st.st_nlink, 1);
    snprintf(ino_hex, sizeof(ino_hex), "%lX", (unsigned long) ino);
    assert_string_equal(vstring_str(id) + 14, ino_hex);
    assert_int_equal(stat(qfile_path(path, QFILE_INCOMING, vstring_str(id)),
			  &st), 0);
    assert_int_equal(count_prefix(QFILE_INCOMING, "tmp."), 0);
    /* The old content is overwritten, and the commit cuts the rest. */
    assert_int_equal(write(fd, "new", 3), 3);
    assert_int_equal(qfile_commit(fd, QFILE_INCOMING, vstring_str(id), why), 0);
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(st.st_size, 3);
    assert_int_equal(st.st_mode & 07777, QFILE_MODE_READY);
    {
	char    buf[32];

	assert_int_equal(pread(fd, buf, sizeof(buf), 0), 3);
	assert_memory_equal(buf, "new", 3);
    }
    assert_int_equal(qfile_remove(QFILE_INCOMING, vstring_str(id), why), 0);
    close(fd);

    /* A full folder: the finished file is removed instead. */
    {
	struct vstring *ids[5];
	int     i;

	for (i = 0; i < 5; i++) {
	    ids[i] = vstring_alloc(10);
	    (void) activate("x", ids[i]);
	}
	for (i = 0; i < 5; i++) {
	    done(ids[i], 100);
	    assert_int_equal(count_files(QFILE_RECYCLE), i < 4 ? i + 1 : 4);
	    vstring_free(&ids[i]);
	}
    }

    /* Too large, or recycling off: removed. */
    while (count_files(QFILE_RECYCLE) > 0) {
	assert_int_equal(qfile_create(QFILE_INCOMING, id, &fd, why), 0);
	close(fd);
	assert_int_equal(qfile_remove(QFILE_INCOMING, vstring_str(id), why), 0);
    }
    (void) finish("big", QFILE_RECYCLE_SIZE + 1);
    assert_int_equal(count_files(QFILE_RECYCLE), 0);
    var_qfile_recycle = 0;
    (void) finish("off", 100);
    assert_int_equal(count_files(QFILE_RECYCLE), 0);

    /*
     * Something else in a slot (a link to another file, a second hard
     * link): not used, removed with a warning; the new file is new.
     */
    var_qfile_recycle = 1;
    fd = open("victim", O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "keep", 4), 4);
    close(fd);
    assert_int_equal(symlink("../victim", QFILE_RECYCLE "/06B0A52EB12A86A72307"),
		     0);
    assert_int_equal(qfile_create(QFILE_INCOMING, id, &fd, why), 0);
    close(fd);
    assert_int_equal(stat("victim", &st), 0);
    assert_int_equal(st.st_size, 4);
    assert_int_equal(count_files(QFILE_RECYCLE), 0);
    assert_int_equal(qfile_remove(QFILE_INCOMING, vstring_str(id), why), 0);
    assert_int_equal(link("victim", QFILE_RECYCLE "/06B0A52EB12A86A72308"), 0);
    assert_int_equal(qfile_create(QFILE_INCOMING, id, &fd, why), 0);
    close(fd);
    assert_int_equal(stat("victim", &st), 0);
    assert_int_equal(st.st_size, 4);
    assert_int_equal(st.st_nlink, 1);
    assert_int_equal(qfile_remove(QFILE_INCOMING, vstring_str(id), why), 0);
    assert_int_equal(unlink("victim"), 0);
    var_qfile_recycle = 0;

    vstring_free(&id);
    vstring_free(&why);
    vstring_free(&path);
}

/* read_bytes - run qfile_read_envelope() over bytes */

static int read_bytes(const char *data, size_t len, struct qfile_info *info,
		              struct vstring *why)
{
    int     fd = tq_file(data, len);
    int     ret;

    vstring_reset(why);
    ret = qfile_read_envelope(fd, info, why);
    close(fd);
    return (ret);
}

static void test_truncated_everywhere(void **state)
{
    struct vstring *data = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct qfile_info info;
    size_t  cut;

    tq_valid_file(data);
    assert_int_equal(read_bytes(vstring_str(data), vstring_len(data), &info,
				why), 0);
    qfile_info_free(&info);
    for (cut = 0; cut < vstring_len(data); cut++) {
	if (read_bytes(vstring_str(data), cut, &info, why) != -1)
	    fail_msg("cut at %zu: accepted", cut);
	if (vstring_len(why) == 0)
	    fail_msg("cut at %zu: no reason", cut);
	if (strstr(vstring_str(why), "truncated") == 0
	    && strstr(vstring_str(why), "unexpected end of file") == 0
	    && strcmp(vstring_str(why), "missing end record") != 0)
	    fail_msg("cut at %zu: reason \"%s\"", cut, vstring_str(why));
	assert_null(info.sender);
	assert_null(info.rcpts);
    }
    vstring_free(&data);
    vstring_free(&why);
}

 /*
  * Corrupt files: a list of records, one a string "T data" (type letter,
  * space, data with \n escapes done by C), and the expected reason.
  */
#define MAXR 20
struct corrupt_case {
    const char *label;
    const char *recs[MAXR];
    const char *reason;
};

#define HEAD "V" REC_MAGIC_TEXT, "T1700000000.5"
#define BODY "M", "CSubject: x\n\nbody\n", "X", "Z17 12 1", "E"

static const struct corrupt_case corrupt_cases[] = {
    {"missing S", {HEAD, "Aprotocol=SMTP", "RPc@d", BODY, 0},
    "record 5 (message start) at offset 63: missing sender record"},
    {"two S", {HEAD, "Sa@b", "S", "RPc@d", BODY, 0},
    "record 4 (sender) at offset 44: duplicate sender record"},
    {"no R", {HEAD, "Sa@b", BODY, 0},
    "record 4 (message start) at offset 44: no recipient records"},
    {"S after R", {HEAD, "RPc@d", "Sa@b", BODY, 0},
    "record 4 (sender) at offset 45: sender record after recipients"},
    {"A after R", {HEAD, "Sa@b", "RPc@d", "Ax=y", BODY, 0},
    "record 5 (attribute) at offset 53: unexpected record (expected "
    "original recipient, dsn request, recipient or message start)"},
    {"N not followed by R", {HEAD, "Sa@b", "N2 ", "M", "CSubject: x\n\nbody\n",
    "X", "Z17 12 0", "E", 0},
    "record 5 (message start) at offset 51: dsn request not followed "
    "by recipient"},
    {"two N", {HEAD, "Sa@b", "N2 ", "N2 ", "RPc@d", BODY, 0},
    "record 5 (dsn request) at offset 51: two dsn requests for one recipient"},
    {"two O", {HEAD, "Sa@b", "Ox@y", "N2 ", "Ox@y", "RPc@d", BODY, 0},
    "record 6 (original recipient) at offset 59: two original recipients "
    "for one recipient"},
    {"N bad mask", {HEAD, "Sa@b", "N16 ", "RPc@d", BODY, 0},
    "record 4 (dsn request) at offset 44: bad dsn request"},
    {"N NEVER and more", {HEAD, "Sa@b", "N9 ", "RPc@d", BODY, 0},
    "record 4 (dsn request) at offset 44: bad dsn request"},
    {"N bad orcpt", {HEAD, "Sa@b", "N2 bob@x", "RPc@d", BODY, 0},
    "record 4 (dsn request) at offset 44: bad dsn request"},
    {"N no space", {HEAD, "Sa@b", "N2", "RPc@d", BODY, 0},
    "record 4 (dsn request) at offset 44: bad dsn request"},
    {"bad T letters", {"V" REC_MAGIC_TEXT, "T17x.5", "Sa@b", "RPc@d", BODY, 0},
    "record 2 (time) at offset 19: bad arrival time"},
    {"bad T 7 digits", {"V" REC_MAGIC_TEXT, "T1.1234567", "Sa@b", "RPc@d", BODY, 0},
    "record 2 (time) at offset 19: bad arrival time"},
    {"bad T no dot", {"V" REC_MAGIC_TEXT, "T1700000000", "Sa@b", "RPc@d", BODY, 0},
    "record 2 (time) at offset 19: bad arrival time"},
    {"T missing", {"V" REC_MAGIC_TEXT, "Sa@b", "RPc@d", BODY, 0},
    "record 2 (sender) at offset 19: unexpected record (expected time)"},
    {"bad magic", {"Vdromos-queue 2", "T1.5", "Sa@b", "RPc@d", BODY, 0},
    "record 1 (magic) at offset 0: bad magic text"},
    {"not a queue file", {"Sa@b", 0},
    "record 1 (sender) at offset 0: not a queue file (expected magic record)"},
    {"Z content size", {HEAD, "Sa@b", "RPc@d", "M", "CSubject: x\n\nbody\n", "X",
    "Z18 12 1", "E", 0},
    "record 8 (size) at offset 85: content size 18 does not match 17 bytes "
    "of content"},
    {"Z header size", {HEAD, "Sa@b", "RPc@d", "M", "CSubject: x\n\nbody\n", "X",
    "Z17 11 1", "E", 0},
    "record 8 (size) at offset 85: header size 11 does not match 12 bytes "
    "of headers"},
    {"Z rcpt count", {HEAD, "Sa@b", "RPc@d", "M", "CSubject: x\n\nbody\n", "X",
    "Z17 12 2", "E", 0},
    "record 8 (size) at offset 85: recipient count 2 does not match 1 "
    "recipient records"},
    {"Z syntax", {HEAD, "Sa@b", "RPc@d", "M", "CSubject: x\n\nbody\n", "X",
    "Z17  12 1", "E", 0},
    "record 8 (size) at offset 85: bad size record \"17  12 1\""},
    {"Z missing", {HEAD, "Sa@b", "RPc@d", "M", "CSubject: x\n\nbody\n", "X",
    "E", 0},
    "record 8 (end) at offset 85: unexpected record (expected size)"},
    {"trailing garbage", {HEAD, "Sa@b", "RPc@d", BODY, "E", 0},
    "trailing garbage after end record at offset 102"},
    {"trailing byte", {HEAD, "Sa@b", "RPc@d", BODY, "!", 0},
    "trailing garbage after end record at offset 102"},
    {"missing E", {HEAD, "Sa@b", "RPc@d", "M", "CSubject: x\n\nbody\n", "X",
    "Z17 12 1", 0},
    "missing end record"},
    {"unknown type", {HEAD, "Sa@b", "qwhat", "RPc@d", BODY, 0},
    "record 4 (unknown type 0x71) at offset 44: unknown record type"},
    {"O not followed by R", {HEAD, "Sa@b", "Ox@y", "M", "CSubject: x\n\nbody\n",
    "X", "Z17 12 0", "E", 0},
    "record 5 (message start) at offset 52: original recipient not followed "
    "by recipient"},
    {"R state letter", {HEAD, "Sa@b", "RQc@d", BODY, 0},
    "record 4 (recipient) at offset 44: bad recipient state"},
    {"R empty", {HEAD, "Sa@b", "RP", BODY, 0},
    "record 4 (recipient) at offset 44: empty recipient"},
    {"R newline", {HEAD, "Sa@b", "RPc@d\nX", BODY, 0},
    "record 4 (recipient) at offset 44: bad recipient address"},
    {"S control", {HEAD, "Sa\tb", "RPc@d", BODY, 0},
    "record 3 (sender) at offset 36: bad sender address"},
    {"A no equals", {HEAD, "Aclient", "Sa@b", "RPc@d", BODY, 0},
    "record 3 (attribute) at offset 36: bad attribute"},
    {"A bad name", {HEAD, "AClient=x", "Sa@b", "RPc@d", BODY, 0},
    "record 3 (attribute) at offset 36: bad attribute"},
    {"M not empty", {HEAD, "Sa@b", "RPc@d", "Mx", "CSubject: x\n\nbody\n", "X",
    "Z17 12 1", "E", 0},
    "record 5 (message start) at offset 53: data must be empty"},
    {"C after X", {HEAD, "Sa@b", "RPc@d", "M", "X", "Cx", "Z0 0 1", "E", 0},
    "record 7 (content) at offset 63: unexpected record (expected size)"},
};

/* build - records from a case into bytes */

static void build(const char *const *recs, struct vstring *data)
{
    vstring_reset(data);
    for (; *recs; recs++)
	tq_recs(data, (*recs)[0], *recs + 1);
}

static void test_corrupt_table(void **state)
{
    struct vstring *data = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct qfile_info info;
    size_t  i;
    int     ret;
    int     failed = 0;

    for (i = 0; i < sizeof(corrupt_cases) / sizeof(corrupt_cases[0]); i++) {
	const struct corrupt_case *cp = corrupt_cases + i;

	if (cp->reason == 0)
	    continue;
	build(cp->recs, data);
	if (strcmp(cp->label, "trailing byte") == 0)
	    vstring_truncate(data, vstring_len(data) - 4);	/* "!" alone */
	ret = read_bytes(vstring_str(data), vstring_len(data), &info, why);
	if (ret != -1) {
	    print_error("case %zu (%s): accepted\n", i, cp->label);
	    failed++;
	    qfile_info_free(&info);
	} else if (strcmp(vstring_str(why), cp->reason) != 0) {
	    print_error("case %zu (%s):\n got \"%s\"\nwant \"%s\"\n", i,
			cp->label, vstring_str(why), cp->reason);
	    failed++;
	}
    }
    assert_int_equal(failed, 0);
    vstring_free(&data);
    vstring_free(&why);
}

static void test_too_long_record(void **state)
{
    struct vstring *data = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct qfile_info info;
    static const char *recs[] = {HEAD, "Sa@b", 0};

    build(recs, data);
    vstring_append(data, "R\0\1\0\1P", 6);
    assert_int_equal(read_bytes(vstring_str(data), vstring_len(data), &info,
				why), -1);
    assert_string_equal(vstring_str(why), "record 4 (recipient) at offset 44: "
			"length 65537 exceeds the limit of 65536 bytes");
    vstring_free(&data);
    vstring_free(&why);
}

static void test_header_size(void **state)
{
    static const struct {
	const char *c1;
	const char *c2;
	long    header_size;
    }       cases[] = {
	{"a: b\n", "\nbody\n", 6},	/* empty line starts record 2 */
	{"a: b\n\n", "body\n", 6},
	{"\nbody\n", "", 1},		/* no headers at all */
	{"a: b\nc: d\n", "", 10},	/* headers only: all content */
	{"", "", 0},			/* no content */
	{"a: b\r\n\r\n", "x\n\n", 11},	/* CR is just a byte */
    };
    struct vstring *data = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstring *z = vstring_alloc(100);
    struct qfile_info info;
    size_t  i;
    size_t  len;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	len = strlen(cases[i].c1) + strlen(cases[i].c2);
	vstring_sprintf(z, "%zu %ld 1", len, cases[i].header_size);
	vstring_reset(data);
	tq_recs(data, 'V', REC_MAGIC_TEXT);
	tq_recs(data, 'T', "1.000001");
	tq_recs(data, 'S', "");
	tq_recs(data, 'R', "Px");
	tq_recs(data, 'M', "");
	if (*cases[i].c1)
	    tq_recs(data, 'C', cases[i].c1);
	if (*cases[i].c2)
	    tq_recs(data, 'C', cases[i].c2);
	tq_recs(data, 'X', "");
	tq_recs(data, 'Z', vstring_str(z));
	tq_recs(data, 'E', "");
	if (read_bytes(vstring_str(data), vstring_len(data), &info, why) != 0)
	    fail_msg("case %zu: %s", i, vstring_str(why));
	assert_int_equal(info.header_size, cases[i].header_size);
	assert_int_equal(info.arrival_usec, 1);
	assert_string_equal(info.sender, "");
	qfile_info_free(&info);
    }
    vstring_free(&data);
    vstring_free(&why);
    vstring_free(&z);
}

/* test_dsn_records - N records give each recipient its NOTIFY and ORCPT */

static void test_dsn_records(void **state)
{
    static const char *const recs[] = {
	HEAD, "Adsn_ret=HDRS", "Adsn_envid=QQ 1", "Sa@b",
	"Ox@y", "N5 rfc822;x@y", "RPc@d",	/* O then N */
	"N8 ", "Ox@z", "RPe@f",			/* N then O, no ORCPT */
	"RPg@h",				/* neither */
	"M", "CSubject: x\n\nbody\n", "X", "Z17 12 3", "E", 0,
    };
    struct vstring *data = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct qfile_info info;

    build(recs, data);
    if (read_bytes(vstring_str(data), vstring_len(data), &info, why) != 0)
	fail_msg("%s", vstring_str(why));
    assert_int_equal(info.rcpt_count, 3);
    assert_int_equal(info.rcpts[0].dsn_notify, 5);
    assert_string_equal(info.rcpts[0].dsn_orcpt, "rfc822;x@y");
    assert_string_equal(info.rcpts[0].orig, "x@y");
    assert_int_equal(info.rcpts[1].dsn_notify, 8);
    assert_null(info.rcpts[1].dsn_orcpt);
    assert_string_equal(info.rcpts[1].orig, "x@z");
    assert_int_equal(info.rcpts[2].dsn_notify, 0);
    assert_null(info.rcpts[2].dsn_orcpt);
    assert_string_equal(qfile_attr(&info, "dsn_ret"), "HDRS");
    assert_string_equal(qfile_attr(&info, "dsn_envid"), "QQ 1");
    qfile_info_free(&info);
    vstring_free(&data);
    vstring_free(&why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_id_and_path),
	cmocka_unit_test(test_create_commit_read),
	cmocka_unit_test(test_rcpt_state_survives_reopen),
	cmocka_unit_test(test_corrupt_moves),
	cmocka_unit_test(test_recycle),
	cmocka_unit_test(test_truncated_everywhere),
	cmocka_unit_test(test_corrupt_table),
	cmocka_unit_test(test_too_long_record),
	cmocka_unit_test(test_header_size),
	cmocka_unit_test(test_dsn_records),
    };

    return (cmocka_run_group_tests(tests, tq_dir_setup, tq_dir_teardown));
}
