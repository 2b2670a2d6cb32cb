/*++
/* NAME
/*	test_qdump 1
/* SUMMARY
/*	golden-file test: write queue files, dump them, compare with .ref
/* SYNOPSIS
/*	./test_qdump
/* DESCRIPTION
/*	For each qdump_*.in in the current folder: create a queue file
/*	with qfile_create(), write the records the .in file lists with
/*	rec_put(), commit it, then dump it (record number, type name,
/*	offset, length, printable data) and summarize what
/*	qfile_read_envelope() makes of it (or its error). The output must
/*	equal qdump_*.ref; on a difference it is kept in qdump_*.out.
/*
/*	.in format: one record a line, the type letter, one space, the
/*	data with C escapes (\en, \er, \et, \e\e, \exHH); "#" starts a
/*	comment line. A line "<n>" instead writes n bytes of raw garbage
/*	("!") after the records.
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <sys/stat.h>
#include <fcntl.h>
#include <glob.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <argv.h>
#include <readfile.h>
#include <vstream.h>
#include <vstring.h>
#include <rec.h>
#include <qfile.h>
#include "testqueue.h"

static char srcdir[4096];

/* unescape - C escapes into bytes */

static void unescape(struct vstring *out, const char *cp, const char *end)
{
    unsigned int ch;

    vstring_reset(out);
    while (cp < end) {
	if (*cp != '\\' || cp + 1 >= end) {
	    vstring_appendc(out, *cp++);
	    continue;
	}
	cp++;
	switch (*cp) {
	case 'n':
	    vstring_appendc(out, '\n');
	    cp++;
	    break;
	case 'r':
	    vstring_appendc(out, '\r');
	    cp++;
	    break;
	case 't':
	    vstring_appendc(out, '\t');
	    cp++;
	    break;
	case 'x':
	    assert_true(end - cp >= 3 && sscanf(cp + 1, "%2x", &ch) == 1);
	    vstring_appendc(out, (int) ch);
	    cp += 3;
	    break;
	default:
	    vstring_appendc(out, *cp++);
	    break;
	}
    }
}

/* printable_data - escape bytes for the dump, at most 60 shown */

static void printable_data(struct vstring *out, const char *cp, size_t len)
{
    size_t  i;
    unsigned char ch;

    for (i = 0; i < len && i < 60; i++) {
	ch = (unsigned char) cp[i];
	if (ch == '\n')
	    vstring_appends(out, "\\n");
	else if (ch == '\\')
	    vstring_appends(out, "\\\\");
	else if (ch < 0x20 || ch >= 0x7f)
	    vstring_sprintf_append(out, "\\x%02x", ch);
	else
	    vstring_appendc(out, ch);
    }
    if (len > 60)
	vstring_appends(out, "...");
}

/* dump - one line per record, then the envelope or the error */

static void dump(int fd, struct vstring *out)
{
    struct vstream *s;
    struct vstring *buf = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct qfile_info info;
    long    recno = 0;
    off_t   offset = 0;
    size_t  i;
    int     type;

    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    s = vstream_fdopen(fd, 0);
    while ((type = rec_get(s, buf, REC_CONT_MAX)) >= 0) {
	vstring_sprintf_append(out, "%3ld %-18s offset %4lld len %4zu  ",
			       ++recno, rec_type_name(type),
			       (long long) offset, vstring_len(buf));
	printable_data(out, vstring_str(buf), vstring_len(buf));
	vstring_appendc(out, '\n');
	offset += REC_HDR_LEN + (off_t) vstring_len(buf);
    }
    vstring_sprintf_append(out, "rec_get: %s at offset %lld\n",
			   type == REC_ERR_EOF ? "end of file" :
			   type == REC_ERR_TRUNC ? "truncated" :
			   type == REC_ERR_TOOLONG ? "too long" : "I/O error",
			   (long long) offset);
    vstream_close(&s);

    if (qfile_read_envelope(fd, &info, why) < 0) {
	vstring_sprintf_append(out, "envelope: error: %s\n", vstring_str(why));
    } else {
	vstring_sprintf_append(out, "envelope: arrival %ld.%06ld sender <%s>\n",
			       info.arrival_sec, info.arrival_usec, info.sender);
	for (i = 0; i < info.attrs->argc; i++)
	    vstring_sprintf_append(out, "  attribute %s\n", info.attrs->argv[i]);
	for (i = 0; i < info.rcpt_count; i++)
	    vstring_sprintf_append(out, "  recipient <%s> orig <%s> state %c "
				   "offset %lld\n", info.rcpts[i].address,
				   info.rcpts[i].orig ? info.rcpts[i].orig : "",
				   info.rcpts[i].state,
				   (long long) info.rcpts[i].offset);
	vstring_sprintf_append(out, "  content offset %lld size %lld "
			       "header_size %lld\n",
			       (long long) info.content_offset,
			       (long long) info.content_size,
			       (long long) info.header_size);
	qfile_info_free(&info);
    }
    vstring_free(&buf);
    vstring_free(&why);
}

/* run_one - write the file an .in describes, dump, compare */

static int run_one(const char *in_path)
{
    struct vstring *text = vstring_alloc(1000);
    struct vstring *ref = vstring_alloc(1000);
    struct vstring *out = vstring_alloc(1000);
    struct vstring *why = vstring_alloc(100);
    struct vstring *data = vstring_alloc(100);
    struct vstring *id = vstring_alloc(40);
    struct vstring *path = vstring_alloc(100);
    struct vstream *s;
    const char *cp;
    const char *nl;
    char   *ref_path;
    char   *out_path;
    size_t  base;
    int     fd;
    int     garbage = 0;
    int     ok;

    if (readfile_limited(in_path, 100000, text, why) < 0)
	fail_msg("%s: %s", in_path, vstring_str(why));
    base = strlen(in_path) - 3;
    assert_true(asprintf(&ref_path, "%.*s.ref", (int) base, in_path) > 0);
    assert_true(asprintf(&out_path, "%.*s.out", (int) base, in_path) > 0);
    if (readfile_limited(ref_path, 100000, ref, why) < 0)
	vstring_reset(ref);

    assert_int_equal(qfile_create(QFILE_INCOMING, id, &fd, why), 0);
    s = vstream_fdopen(fd, 0);
    for (cp = vstring_str(text); *cp; cp = nl + 1) {
	if ((nl = strchr(cp, '\n')) == 0)
	    nl = cp + strlen(cp);
	if (nl > cp && *cp == '<') {
	    garbage = atoi(cp + 1);
	} else if (nl > cp && *cp != '#') {
	    assert_true(nl - cp >= 2 && cp[1] == ' ');
	    unescape(data, cp + 2, nl);
	    assert_int_equal(rec_put(s, (unsigned char) cp[0], vstring_str(data),
				     vstring_len(data)), 0);
	}
	if (*nl == 0)
	    break;
    }
    for (; garbage > 0; garbage--)
	assert_int_equal(vstream_write(s, "!", 1), 0);
    assert_int_equal(vstream_close(&s), 0);
    assert_int_equal(qfile_commit(fd, QFILE_INCOMING, vstring_str(id), why), 0);

    vstring_sprintf(out, "# %s\n", strrchr(in_path, '/') + 1);
    dump(fd, out);
    close(fd);
    assert_int_equal(qfile_remove(QFILE_INCOMING, vstring_str(id), why), 0);

    ok = (vstring_len(out) == vstring_len(ref)
	  && memcmp(vstring_str(out), vstring_str(ref), vstring_len(ref)) == 0);
    if (ok) {
	(void) unlink(out_path);
    } else {
	FILE   *fp = fopen(out_path, "w");

	assert_non_null(fp);
	fwrite(vstring_str(out), 1, vstring_len(out), fp);
	fclose(fp);
	print_error("%s differs from %s (diff -u %s %s)\n", out_path, ref_path,
		    ref_path, out_path);
    }
    free(ref_path);
    free(out_path);
    vstring_free(&text);
    vstring_free(&ref);
    vstring_free(&out);
    vstring_free(&why);
    vstring_free(&data);
    vstring_free(&id);
    vstring_free(&path);
    return (ok);
}

static void test_golden(void **state)
{
    struct vstring *pattern = vstring_alloc(100);
    glob_t  g;
    size_t  i;
    int     failed = 0;

    vstring_sprintf(pattern, "%s/qdump_*.in", srcdir);
    assert_int_equal(glob(vstring_str(pattern), 0, 0, &g), 0);
    assert_true(g.gl_pathc >= 3);
    for (i = 0; i < g.gl_pathc; i++)
	if (!run_one(g.gl_pathv[i]))
	    failed++;
    globfree(&g);
    vstring_free(&pattern);
    assert_int_equal(failed, 0);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_golden),
    };

    if (getcwd(srcdir, sizeof(srcdir)) == 0)
	return (1);
    return (cmocka_run_group_tests(tests, tq_dir_setup, tq_dir_teardown));
}
