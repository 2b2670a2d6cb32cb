/*++
/* NAME
/*	testsvc 8
/* SUMMARY
/*	test service for the master integration tests
/* SYNOPSIS
/*	testsvc [skeleton options]
/* DESCRIPTION
/*	A small single_server daemon. For each connection it logs one line
/*	("connect from PEER") and then reads lines: "whoami" is answered
/*	with "pid=P uid=U gid=G" (the process's real ids), "quit" ends the
/*	session, and any other line is echoed. Lines are at most 1000
/*	bytes; the read deadline is 30 seconds.
/*
/*	With "multi" as its last argument it is a multi_server daemon
/*	instead: one process serves every client, one line a request, with
/*	the same answers.
/* DIAGNOSTICS
/*	Logged through the skeleton's logging.
/*--*/
#include <sys/types.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <sock.h>
#include <vstream.h>
#include <vstring.h>

#include <mail_server.h>

#define TESTSVC_LINE_MAX	1000

static void testsvc_service(struct vstream *stream, const char *service,
			            char **argv)
{
    struct vstring *line = vstring_alloc(100);
    struct vstring *peer = vstring_alloc(100);
    int     status;
    char   *cp;

    msg_info("%s: connect from %s", service,
	     sock_peer_str(vstream_fileno(stream), peer));
    vstream_set_timeout(stream, 30);
    while ((status = vstream_get_line(stream, line, TESTSVC_LINE_MAX))
	   == VSTREAM_OK || status == VSTREAM_PARTIAL) {
	cp = vstring_str(line);
	cp[strcspn(cp, "\r\n")] = 0;
	if (strcmp(cp, "whoami") == 0)
	    vstream_printf(stream, "pid=%ld uid=%ld gid=%ld\n", (long) getpid(),
			   (long) getuid(), (long) getgid());
	else if (strcmp(cp, "quit") == 0)
	    break;
	else
	    vstream_printf(stream, "%s\n", cp);
	if (vstream_flush(stream) < 0 || status == VSTREAM_PARTIAL)
	    break;
    }
    msg_info("%s: disconnect from %s", service, vstring_str(peer));
    vstring_free(&line);
    vstring_free(&peer);
}

/* testsvc_request - multi_server: one line, one answer; -1 ends */

static int testsvc_request(struct vstream *stream, const char *service,
			           char **argv)
{
    struct vstring *line = vstring_alloc(100);
    int     status;
    int     ret = 0;
    char   *cp;

    (void) service;
    (void) argv;
    status = vstream_get_line(stream, line, TESTSVC_LINE_MAX);
    cp = vstring_str(line);
    cp[strcspn(cp, "\r\n")] = 0;
    if (status != VSTREAM_OK || strcmp(cp, "quit") == 0)
	ret = -1;
    else if (strcmp(cp, "whoami") == 0)
	vstream_printf(stream, "pid=%ld uid=%ld gid=%ld\n", (long) getpid(),
		       (long) getuid(), (long) getgid());
    else
	vstream_printf(stream, "%s\n", cp);
    if (ret == 0 && vstream_flush(stream) < 0)
	ret = -1;
    vstring_free(&line);
    return (ret);
}

int     main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[argc - 1], "multi") == 0)
	multi_server_main(argc, argv, testsvc_request, MAIL_SERVER_END);
    single_server_main(argc, argv, testsvc_service, MAIL_SERVER_END);
}
