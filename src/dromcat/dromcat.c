/*++
/* NAME
/*	dromcat 1
/* SUMMARY
/*	show a queue file
/* SYNOPSIS
/*	dromcat [-c config_dir] [-e] [-h] [-b] [-x] [-v] [-q] ID|file ...
/* DESCRIPTION
/*	dromcat shows queue files (qfile(3)) and maildrop files
/*	(maildrop(3)) in readable form. Each file is validated first:
/*	a corrupt file is reported precisely and nothing of its content
/*	is printed.
/*
/*	Options:
/* .IP "-c config_dir"
/*	read main.cf from config_dir.
/* .IP -e
/*	the envelope: arrival time, sender, attributes, each recipient
/*	with its state (to do, delivered, bounced), its original
/*	recipient and its DSN request.
/* .IP -h
/*	the message headers.
/* .IP -b
/*	the message body.
/* .IP -x
/*	every record raw, as "offset: type-name: data", non-printable
/*	bytes as \\ooo. For a corrupt file the records up to the bad one
/*	are shown, then the error.
/* .IP -q
/*	the arguments are queue IDs, searched in the folders incoming,
/*	active, deferred, hold and corrupt (queue/X/ID) and maildrop
/*	(maildrop/ID) under queue_directory.
/* .IP -v
/*	verbose logging.
/* .PP
/*	Without -e, -h, -b or -x: -e -h -b.
/* EXAMPLES
/* .nf
/*	# dromcat -q 06B0A1C2D3E4F5A1234
/*	*** ENVELOPE RECORDS active/06B0A1C2D3E4F5A1234 ***
/*	message_arrival_time: Sun Nov 29 03:28:49 2026
/*	sender: alice@example.org
/*	named_attribute: protocol=ESMTP
/*	original_recipient: bob@example.com
/*	dsn: NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.com
/*	recipient: bob@example.com (to do)
/*	*** MESSAGE CONTENTS active/06B0A1C2D3E4F5A1234 ***
/*	Subject: hello
/*
/*	the body
/*	*** MESSAGE FILE END active/06B0A1C2D3E4F5A1234 ***
/*
/*	# dromcat -x /tmp/copy
/*	*** RECORDS /tmp/copy ***
/*	0: magic: dromos-queue 1
/*	19: time: 1795750129.123456
/*	...
/*	*** MESSAGE FILE END /tmp/copy ***
/*
/*	# dromcat /tmp/broken
/*	dromcat: warning: /tmp/broken: record 7 (recipient) at offset 220: truncated
/* .fi
/* DIAGNOSTICS
/*	Errors go to the standard error stream. Exit status: 0 when
/*	every file was shown, 1 when one was missing, unreadable or
/*	corrupt, 2 for a usage or configuration error. The queue is
/*	readable by root only; others get "permission denied".
/* CONFIGURATION PARAMETERS
/*	queue_directory, where -q looks.
/* SEE ALSO
/*	dromqueue(1), dromsuper(1), html/queue.html.
/*--*/
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <stringops.h>
#include <vstream.h>
#include <vstring.h>

#include <dsn.h>
#include <mail_conf.h>
#include <mail_params.h>
#include <maildrop.h>
#include <qfile.h>
#include <rec.h>

#define DROMCAT_ENV	(1<<0)
#define DROMCAT_HDR	(1<<1)
#define DROMCAT_BODY	(1<<2)
#define DROMCAT_RAW	(1<<3)

#define DROMCAT_EXIT_ERROR	2

static struct vstream *out;

/* dromcat_usage - complain and exit */

static void dromcat_usage(void)
{
    msg_fatal("usage: dromcat [-c config_dir] [-e] [-h] [-b] [-x] [-v] [-q]"
	      " ID|file ...");
}

/* dromcat_escape - data with non-printable bytes as \ooo */

static void dromcat_escape(const char *data, size_t len)
{
    const unsigned char *cp = (const unsigned char *) data;
    size_t  i;

    for (i = 0; i < len; i++) {
	if (cp[i] >= 0x20 && cp[i] < 0x7f && cp[i] != '\\')
	    vstream_write(out, cp + i, 1);
	else
	    vstream_printf(out, "\\%03o", cp[i]);
    }
}

/* dromcat_raw - print records up to the first error */

static void dromcat_raw(int fd, const char *name)
{
    struct vstream *in;
    struct vstring *buf = vstring_alloc(100);
    off_t   offset = 0;
    int     type;

    if (lseek(fd, 0, SEEK_SET) < 0)
	msg_fatal("%s: seek: %m", name);
    in = vstream_fdopen(fd, 0);
    vstream_printf(out, "*** RECORDS %s ***\n", name);
    while ((type = rec_get(in, buf, REC_CONT_MAX)) > 0) {
	vstream_printf(out, "%ld: %s: ", (long) offset, rec_type_name(type));
	dromcat_escape(vstring_str(buf), vstring_len(buf));
	vstream_puts(out, "\n");
	offset += REC_HDR_LEN + vstring_len(buf);
    }
    vstream_close(&in);
    vstring_free(&buf);
}

/* dromcat_dsn - print an N record */

static void dromcat_dsn(const char *data, size_t len)
{
    struct vstring *orcpt = vstring_alloc(100);
    struct vstring *str = vstring_alloc(100);
    int     mask;

    if (dsn_rec_parse(data, len, &mask, orcpt) < 0) {
	vstream_puts(out, "dsn: (malformed) ");
	dromcat_escape(data, len);
    } else {
	vstream_printf(out, "dsn: NOTIFY=%s", dsn_notify_str(str, mask));
	if (vstring_len(orcpt))
	    vstream_printf(out, " ORCPT=%s", vstring_str(orcpt));
    }
    vstream_puts(out, "\n");
    vstring_free(&str);
    vstring_free(&orcpt);
}

/* dromcat_envelope - print one envelope record */

static void dromcat_envelope(int type, const char *data, size_t len,
			             int queue_file)
{
    const char *state;
    const char *stamp;
    time_t  when;

    switch (type) {
    case REC_TYPE_TIME:
	when = (time_t) strtol(data, 0, 10);
	if ((stamp = ctime(&when)) != 0) {
	    vstream_printf(out, "message_arrival_time: %s", stamp);
	    return;
	}
	vstream_puts(out, "message_arrival_time: ");
	break;
    case REC_TYPE_FROM:
	vstream_puts(out, "sender: ");
	break;
    case REC_TYPE_ATTR:
	vstream_puts(out, "named_attribute: ");
	break;
    case REC_TYPE_ORCP:
	vstream_puts(out, "original_recipient: ");
	break;
    case REC_TYPE_DSN:
	dromcat_dsn(data, len);
	return;
    case REC_TYPE_RCPT:
	vstream_puts(out, "recipient: ");
	if (queue_file) {
	    state = data[0] == REC_RCPT_SENT ? "delivered" :
		data[0] == REC_RCPT_BOUNCED ? "bounced" : "to do";
	    dromcat_escape(data + 1, len - 1);
	    vstream_printf(out, " (%s)\n", state);
	} else {
	    dromcat_escape(data, len);
	    vstream_puts(out, "\n");
	}
	return;
    default:
	return;
    }
    dromcat_escape(data, len);
    vstream_puts(out, "\n");
}

/* dromcat_content - print a C record's part of the headers or body */

static void dromcat_content(const char *data, size_t len, int flags,
			            int *in_header, int *line_start)
{
    size_t  i;

    if (*in_header) {
	for (i = 0; i < len; i++) {
	    if (*line_start && data[i] == '\n')
		break;
	    *line_start = (data[i] == '\n');
	}
	if (flags & DROMCAT_HDR)
	    vstream_write(out, data, i);
	if (i == len)
	    return;
	/* The empty line that ends the headers: shown with both. */
	*in_header = 0;
	if ((flags & (DROMCAT_HDR | DROMCAT_BODY)) == (DROMCAT_HDR | DROMCAT_BODY))
	    vstream_write(out, "\n", 1);
	data += i + 1;
	len -= i + 1;
    }
    if (flags & DROMCAT_BODY)
	vstream_write(out, data, len);
}

/* dromcat_show - print the sections of a valid file */

static void dromcat_show(int fd, const char *name, int flags, int queue_file)
{
    struct vstream *in;
    struct vstring *buf = vstring_alloc(100);
    int     type;
    int     in_header = 1;
    int     line_start = 1;
    int     contents = 0;

    if (lseek(fd, 0, SEEK_SET) < 0)
	msg_fatal("%s: seek: %m", name);
    in = vstream_fdopen(fd, 0);
    if (flags & DROMCAT_ENV)
	vstream_printf(out, "*** ENVELOPE RECORDS %s ***\n", name);
    while ((type = rec_get(in, buf, REC_CONT_MAX)) > 0) {
	if (type == REC_TYPE_END)
	    break;
	if (type == REC_TYPE_MESG && (flags & (DROMCAT_HDR | DROMCAT_BODY))) {
	    vstream_printf(out, "*** MESSAGE CONTENTS %s ***\n", name);
	    contents = 1;
	}
	if (type != REC_TYPE_CONT) {
	    if (flags & DROMCAT_ENV)
		dromcat_envelope(type, vstring_str(buf), vstring_len(buf),
				 queue_file);
	    continue;
	}
	dromcat_content(vstring_str(buf), vstring_len(buf), flags,
			&in_header, &line_start);
    }
    if (contents || (flags & DROMCAT_ENV))
	vstream_printf(out, "*** MESSAGE FILE END %s ***\n", name);
    vstream_close(&in);
    vstring_free(&buf);
}

/* dromcat_validate - the file's grammar; 0 or -1 with why */

static int dromcat_validate(int fd, int *queue_file, struct vstring *why)
{
    struct qfile_info info;
    struct maildrop_check check;
    struct vstream *in;
    struct vstring *buf = vstring_alloc(100);
    int     ret;

    in = vstream_fdopen(fd, 0);
    ret = rec_get(in, buf, REC_CONT_MAX);
    *queue_file = !(ret == REC_TYPE_MAGIC
		    && strcmp(vstring_str(buf), MAILDROP_MAGIC_TEXT) == 0);
    vstream_close(&in);
    vstring_free(&buf);
    if (lseek(fd, 0, SEEK_SET) < 0) {
	vstring_sprintf(why, "seek: %m");
	return (-1);
    }
    if (*queue_file) {
	memset(&info, 0, sizeof(info));
	ret = qfile_read_envelope(fd, &info, why);
	qfile_info_free(&info);
	return (ret);
    }
    in = vstream_fdopen(fd, 0);
    ret = maildrop_check_stream(in, MAILDROP_FILE, 0, &check, why);
    vstream_close(&in);
    return (ret == MAILDROP_CHECK_DONE ? 0 : -1);
}

/* dromcat_file - show one file; 0 or -1 */

static int dromcat_file(const char *path, const char *name, int flags)
{
    struct vstring *why = vstring_alloc(100);
    int     queue_file;
    int     fd;
    int     ret = -1;

    if ((fd = open(path, O_RDONLY)) < 0) {
	if (errno == EACCES)
	    msg_warn("%s: permission denied (the queue is readable by root"
		     " only)", name);
	else
	    msg_warn("%s: %m", name);
    } else if (dromcat_validate(fd, &queue_file, why) < 0) {
	if (flags & DROMCAT_RAW) {
	    dromcat_raw(fd, name);
	    vstream_flush(out);
	}
	msg_warn("%s: %s", name, vstring_str(why));
    } else {
	if (flags & DROMCAT_RAW) {
	    dromcat_raw(fd, name);
	    if ((flags & ~DROMCAT_RAW) == 0)
		vstream_printf(out, "*** MESSAGE FILE END %s ***\n", name);
	}
	if (flags & ~DROMCAT_RAW)
	    dromcat_show(fd, name, flags, queue_file);
	ret = 0;
    }
    if (fd >= 0)
	close(fd);
    if (vstream_flush(out) < 0)
	msg_fatal("write standard output: %m");
    vstring_free(&why);
    return (ret);
}

/* dromcat_find - show a queue ID; 0 or -1 */

static int dromcat_find(const char *id, int flags)
{
    static const char *queues[] = {QFILE_INCOMING, QFILE_ACTIVE,
	QFILE_DEFERRED, QFILE_HOLD, QFILE_CORRUPT, 0};
    struct vstring *path = vstring_alloc(100);
    struct vstring *full = vstring_alloc(100);
    struct vstring *name = vstring_alloc(100);
    const char **qp;
    struct stat st;
    int     ret = -1;

    if (!qfile_id_valid(id)) {
	msg_warn("%s: not a valid queue ID", id);
	goto out;
    }
    for (qp = queues; *qp; qp++) {
	qfile_path(path, *qp, id);
	path_join(full, var_queue_dir, vstring_str(path));
	if (stat(vstring_str(full), &st) == 0 || errno == EACCES)
	    break;
    }
    if (*qp == 0) {
	vstring_sprintf(path, "maildrop/%s", id);
	path_join(full, var_queue_dir, vstring_str(path));
	if (stat(vstring_str(full), &st) < 0 && errno != EACCES) {
	    msg_warn("%s: no such queue ID in %s", id, var_queue_dir);
	    goto out;
	}
    }
    vstring_sprintf(name, "%s/%s", *qp ? *qp : "maildrop", id);
    ret = dromcat_file(vstring_str(full), vstring_str(name), flags);
out:
    vstring_free(&name);
    vstring_free(&full);
    vstring_free(&path);
    return (ret);
}

int     main(int argc, char **argv)
{
    struct vstring *why;
    const char *config_dir;
    int     by_id = 0;
    int     flags = 0;
    int     status = 0;
    int     ch;

    msg_init(argv[0]);
    msg_stderr_init(1, 0);
    msg_fatal_status(DROMCAT_EXIT_ERROR);
    if ((config_dir = getenv("MAIL_CONFIG")) == 0 || *config_dir == 0)
	config_dir = DEF_CONFIG_DIR;
    while ((ch = getopt(argc, argv, "bc:ehqvx")) != -1) {
	switch (ch) {
	case 'b':
	    flags |= DROMCAT_BODY;
	    break;
	case 'c':
	    config_dir = optarg;
	    break;
	case 'e':
	    flags |= DROMCAT_ENV;
	    break;
	case 'h':
	    flags |= DROMCAT_HDR;
	    break;
	case 'q':
	    by_id = 1;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	case 'x':
	    flags |= DROMCAT_RAW;
	    break;
	default:
	    dromcat_usage();
	}
    }
    if (optind >= argc)
	dromcat_usage();
    if (flags == 0)
	flags = DROMCAT_ENV | DROMCAT_HDR | DROMCAT_BODY;
    why = vstring_alloc(100);
    if (by_id) {
	if (mail_conf_read(config_dir, why) < 0 || mail_conf_eval(why) < 0)
	    msg_fatal("%s", vstring_str(why));
    }
    vstring_free(&why);
    out = vstream_fdopen(STDOUT_FILENO, 0);
    for (; optind < argc; optind++) {
	if ((by_id ? dromcat_find(argv[optind], flags)
	     : dromcat_file(argv[optind], argv[optind], flags)) < 0)
	    status = 1;
    }
    vstream_close(&out);
    exit(status);
}
