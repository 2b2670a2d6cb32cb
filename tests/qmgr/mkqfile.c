/*++
/* NAME
/*	mkqfile 1
/* SUMMARY
/*	test tool: write valid queue files into incoming/
/* SYNOPSIS
/*	mkqfile -d queue_dir [-u user] [-f sender] [-n count] [-t secs]
/*		[-a name=value ...] [-o orig] [-N dsn] -r rcpt [-r rcpt ...]
/*		< content
/* DESCRIPTION
/*	mkqfile writes count (default 1) queue files into incoming/ of
/*	queue_dir the way cleanup does (qfile_create, records, then
/*	qfile_commit), as user (default: stay root) and prints each queue
/*	ID on a line. The content comes from standard input (LF line
/*	endings); with -n > 1 each copy starts with "X-Seq: N". -o gives
/*	an original recipient for the following -r, -N the data of its N
/*	record (DSN NOTIFY mask and ORCPT, "MASK ORCPT", dsn(3h)); -a adds
/*	an attribute record (dsn_ret=HDRS, dsn_envid=...). -t sets the arrival
/*	time (seconds since the epoch) instead of now. It does not
/*	notify qmgr: the test sends the "I" datagram itself.
/* DIAGNOSTICS
/*	Exit status 0 or 1 with a message on stderr.
/*--*/
#include <sys/time.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <argv.h>
#include <msg.h>
#include <vstream.h>
#include <vstring.h>

#include <qfile.h>
#include <rec.h>

/* mkqfile_one - write one queue file */

static void mkqfile_one(const char *sender, struct argv *rcpts,
			        struct argv *origs, struct argv *dsns,
			        struct argv *attrs, struct vstring *content,
			        long when)
{
    struct vstring *id = vstring_alloc(40);
    struct vstring *why = vstring_alloc(100);
    struct vstream *out;
    struct timeval tv;
    const char *data = vstring_str(content);
    size_t  len = vstring_len(content);
    const char *hdr_end;
    size_t  header_size;
    size_t  off;
    size_t  i;
    int     fd;

    if (qfile_create(QFILE_INCOMING, id, &fd, why) < 0)
	msg_fatal("qfile_create: %s", vstring_str(why));
    gettimeofday(&tv, (struct timezone *) 0);
    if (when > 0)
	tv.tv_sec = when;
    out = vstream_fdopen(fd, 0);
    rec_fputs(out, REC_TYPE_MAGIC, REC_MAGIC_TEXT);
    rec_fprintf(out, REC_TYPE_TIME, "%ld.%06ld", (long) tv.tv_sec,
		(long) tv.tv_usec);
    rec_fputs(out, REC_TYPE_ATTR, "protocol=test");
    for (i = 0; i < attrs->argc; i++)
	rec_fputs(out, REC_TYPE_ATTR, attrs->argv[i]);
    rec_fputs(out, REC_TYPE_FROM, sender);
    for (i = 0; i < rcpts->argc; i++) {
	if (*origs->argv[i])
	    rec_fputs(out, REC_TYPE_ORCP, origs->argv[i]);
	if (*dsns->argv[i])
	    rec_fputs(out, REC_TYPE_DSN, dsns->argv[i]);
	rec_fprintf(out, REC_TYPE_RCPT, "%c%s", REC_RCPT_TODO, rcpts->argv[i]);
    }
    rec_put(out, REC_TYPE_MESG, "", 0);
    for (off = 0; off < len; off += REC_CONT_MAX)
	rec_put(out, REC_TYPE_CONT, data + off,
		len - off > REC_CONT_MAX ? REC_CONT_MAX : len - off);
    rec_put(out, REC_TYPE_XTRA, "", 0);
    if (len >= 1 && data[0] == '\n')
	header_size = 1;
    else if ((hdr_end = memmem(data, len, "\n\n", 2)) != 0)
	header_size = hdr_end + 2 - data;
    else
	header_size = len;
    rec_fprintf(out, REC_TYPE_SIZE, "%lu %lu %lu", (unsigned long) len,
		(unsigned long) header_size, (unsigned long) rcpts->argc);
    rec_put(out, REC_TYPE_END, "", 0);
    if (vstream_close(&out) < 0)
	msg_fatal("write queue file: write error");
    if (qfile_commit(fd, QFILE_INCOMING, vstring_str(id), why) < 0)
	msg_fatal("qfile_commit: %s", vstring_str(why));
    (void) close(fd);
    printf("%s\n", vstring_str(id));
    vstring_free(&id);
    vstring_free(&why);
}

int     main(int argc, char **argv)
{
    const char *dir = 0;
    const char *user = 0;
    const char *sender = "";
    struct argv *rcpts = argv_alloc(4);
    struct argv *origs = argv_alloc(4);
    const char *orig = "";
    struct argv *dsns = argv_alloc(4);
    struct argv *attrs = argv_alloc(4);
    const char *dsn = "";
    struct vstring *content = vstring_alloc(1000);
    struct vstring *copy = vstring_alloc(1000);
    struct passwd *pw;
    char    buf[8192];
    size_t  n;
    long    count = 1;
    long    when = 0;
    long    i;
    int     ch;

    msg_init("mkqfile");
    while ((ch = getopt(argc, argv, "a:d:u:f:n:N:o:r:t:")) != -1) {
	switch (ch) {
	case 'a':
	    argv_add(attrs, optarg, (char *) 0);
	    break;
	case 'N':
	    dsn = optarg;
	    break;
	case 'd':
	    dir = optarg;
	    break;
	case 'u':
	    user = optarg;
	    break;
	case 'f':
	    sender = optarg;
	    break;
	case 'n':
	    count = atol(optarg);
	    break;
	case 'o':
	    orig = optarg;
	    break;
	case 'r':
	    argv_add(rcpts, optarg, (char *) 0);
	    argv_add(origs, orig, (char *) 0);
	    argv_add(dsns, dsn, (char *) 0);
	    orig = "";
	    dsn = "";
	    break;
	case 't':
	    when = atol(optarg);
	    break;
	default:
	    msg_fatal("usage: mkqfile -d dir [-u user] [-f sender] [-n count] "
		      "[-t time] [-o orig] -r rcpt...");
	}
    }
    if (dir == 0 || rcpts->argc == 0)
	msg_fatal("need -d and -r");
    while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
	vstring_append(content, buf, n);
    if (chdir(dir) < 0)
	msg_fatal("chdir %s: %m", dir);
    if (user) {
	if ((pw = getpwnam(user)) == 0)
	    msg_fatal("unknown user %s", user);
	if (setgroups(1, &pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0
	    || setuid(pw->pw_uid) < 0)
	    msg_fatal("switch to %s: %m", user);
    }
    for (i = 1; i <= count; i++) {
	if (count > 1) {
	    vstring_sprintf(copy, "X-Seq: %ld\n", i);
	    vstring_append(copy, vstring_str(content), vstring_len(content));
	    mkqfile_one(sender, rcpts, origs, dsns, attrs, copy, when);
	} else {
	    mkqfile_one(sender, rcpts, origs, dsns, attrs, content, when);
	}
    }
    fflush(stdout);
    argv_free(&rcpts);
    argv_free(&origs);
    argv_free(&dsns);
    argv_free(&attrs);
    vstring_free(&content);
    vstring_free(&copy);
    return (0);
}
