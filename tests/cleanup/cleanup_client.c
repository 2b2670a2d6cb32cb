/*++
/* NAME
/*	cleanup_client 1
/* SUMMARY
/*	test client of the cleanup service, through cleanup_clnt(3)
/* SYNOPSIS
/*	cleanup_client queue_directory < script
/* DESCRIPTION
/*	Changes to queue_directory and reads commands, one a line, from
/*	the standard input; each answer is one line on the standard
/*	output:
/* .IP open
/*	cleanup_clnt_open(): "open ok" or "open fail REASON".
/* .IP begin
/*	cleanup_clnt_begin(): "begin STATUS QUEUE_ID_OR_REASON".
/* .IP "rec T DATA"
/*	rec_put() of a record of type T (one character) with DATA, in
/*	which \en, \et, \e\e, \e0 and \exHH are escapes ("rec M" with no
/*	data is an empty record).
/* .IP "big N LINE"
/*	N C records, each LINE (escapes as above).
/* .IP finish
/*	cleanup_clnt_finish(): "finish STATUS REASON" and the reply text
/*	"reply TEXT" from cleanup_stat_reply().
/* .IP close
/*	cleanup_clnt_close().
/* .IP flush
/*	vstream_flush() of the client stream: "flush RESULT".
/* .IP "verify PATH"
/*	qfile_read_envelope() of the queue file PATH (relative to
/*	queue_directory): "verify ok NRCPT" or "verify fail REASON".
/* .IP exit
/*	exit at once without closing anything (a client that dies).
/* DIAGNOSTICS
/*	Exit status 0; 1 on usage errors.
/*--*/
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <vstream.h>
#include <vstring.h>

#include <cleanup_clnt.h>
#include <mail_params.h>
#include <qfile.h>
#include <rec.h>

/* unescape - decode \n \t \\ \0 \xHH */

static void unescape(struct vstring *out, const char *in)
{
    vstring_reset(out);
    while (*in) {
	if (*in != '\\' || in[1] == 0) {
	    vstring_appendc(out, *in++);
	    continue;
	}
	in++;
	switch (*in) {
	case 'n':
	    vstring_appendc(out, '\n');
	    in++;
	    break;
	case 't':
	    vstring_appendc(out, '\t');
	    in++;
	    break;
	case '0':
	    vstring_appendc(out, 0);
	    in++;
	    break;
	case 'x':
	    if (in[1] && in[2]) {
		char    hex[3] = {in[1], in[2], 0};

		vstring_appendc(out, (int) strtol(hex, 0, 16));
		in += 3;
		break;
	    }
	    /* FALLTHROUGH */
	default:
	    vstring_appendc(out, *in++);
	    break;
	}
    }
}

int     main(int argc, char **argv)
{
    struct cleanup_clnt *c = 0;
    struct vstring *line = vstring_alloc(1024);
    struct vstring *data = vstring_alloc(1024);
    struct vstring *text = vstring_alloc(100);
    struct vstream *in;
    char   *cmd;
    int     st;

    msg_init("cleanup_client");
    msg_stderr_init(1, 0);
    if (argc != 2)
	msg_fatal("usage: cleanup_client queue_directory < script");
    if (chdir(argv[1]) < 0)
	msg_fatal("chdir %s: %m", argv[1]);
    var_ipc_timeout = 30;
    setvbuf(stdout, 0, _IOLBF, 0);
    in = vstream_fdopen(0, 0);
    while (vstream_get_line(in, line, 1024 * 1024) == VSTREAM_OK) {
	vstring_truncate(line, vstring_len(line) - 1);
	cmd = vstring_str(line);
	if (strcmp(cmd, "open") == 0) {
	    c = cleanup_clnt_open(text);
	    printf("open %s %s\n", c ? "ok" : "fail", c ? "" : vstring_str(text));
	} else if (strcmp(cmd, "begin") == 0 && c) {
	    st = cleanup_clnt_begin(c, CLEANUP_FLAG_NONE, data, text);
	    printf("begin %d %s\n", st, st ? vstring_str(text) : vstring_str(data));
	} else if (strncmp(cmd, "rec ", 4) == 0 && cmd[4] && c) {
	    unescape(data, cmd[5] ? cmd + 6 : "");
	    if (rec_put(cleanup_clnt_stream(c), cmd[4], vstring_str(data),
			vstring_len(data)) < 0)
		printf("rec error\n");
	} else if (strncmp(cmd, "big ", 4) == 0 && c) {
	    long    n = strtol(cmd + 4, &cmd, 10);

	    unescape(data, *cmd ? cmd + 1 : "");
	    while (n-- > 0)
		if (rec_put(cleanup_clnt_stream(c), REC_TYPE_CONT,
			    vstring_str(data), vstring_len(data)) < 0) {
		    printf("rec error\n");
		    break;
		}
	} else if (strcmp(cmd, "flush") == 0 && c) {
	    printf("flush %d\n", vstream_flush(cleanup_clnt_stream(c)));
	} else if (strcmp(cmd, "finish") == 0 && c) {
	    st = cleanup_clnt_finish(c, text);
	    printf("finish %d %s\n", st, vstring_str(text));
	    printf("reply %s\n", cleanup_stat_reply(st));
	} else if (strcmp(cmd, "close") == 0) {
	    cleanup_clnt_close(&c);
	    printf("closed\n");
	} else if (strncmp(cmd, "verify ", 7) == 0) {
	    struct qfile_info info;
	    int     fd = open(cmd + 7, O_RDONLY);

	    memset(&info, 0, sizeof(info));
	    if (fd < 0) {
		printf("verify fail open: %m\n");
	    } else if (qfile_read_envelope(fd, &info, text) < 0) {
		printf("verify fail %s\n", vstring_str(text));
	    } else {
		printf("verify ok %zu\n", info.rcpt_count);
		qfile_info_free(&info);
	    }
	    if (fd >= 0)
		(void) close(fd);
	} else if (strcmp(cmd, "exit") == 0) {
	    fflush(stdout);
	    _exit(0);
	} else {
	    printf("bad command: %s\n", cmd);
	}
    }
    cleanup_clnt_close(&c);
    vstring_free(&line);
    vstring_free(&data);
    vstring_free(&text);
    (void) vstream_close(&in);
    return (0);
}
