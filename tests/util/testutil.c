/*++
/* NAME
/*	testutil 3
/* SUMMARY
/*	helpers shared by the util unit tests
/* SYNOPSIS
/*	#include "testutil.h"
/* DESCRIPTION
/*	See testutil.h.
/* DIAGNOSTICS
/*	Setup failures fail the running cmocka test.
/*--*/
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <mymalloc.h>
#include <vstring.h>
#include "testutil.h"

char   *testutil_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    struct vstring *path = vstring_alloc(100);

    vstring_sprintf(path, "%s/dromos-util-test.XXXXXX",
		    base && *base ? base : "/tmp");
    if (mkdtemp(vstring_str(path)) == 0)
	fail_msg("mkdtemp %s: %s", vstring_str(path), strerror(errno));
    return (vstring_export(&path));
}

char   *testutil_dir;

int     testutil_dir_setup(void **state)
{
    testutil_dir = testutil_tmpdir();
    return (0);
}

int     testutil_dir_teardown(void **state)
{
    testutil_rmtree(testutil_dir);
    myfree(testutil_dir);
    testutil_dir = 0;
    return (0);
}

static int testutil_rm_one(const char *path, const struct stat *st,
			           int flag, struct FTW *ftw)
{
    (void) remove(path);
    return (0);
}

void    testutil_rmtree(const char *dir)
{
    (void) nftw(dir, testutil_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int     testutil_fork_call(void (*fn) (void *), void *arg, struct vstring *err_r)
{
    int     pfd[2];
    pid_t   pid;
    int     status;
    char    buf[1024];
    ssize_t n;

    if (pipe(pfd) < 0)
	fail_msg("pipe: %s", strerror(errno));
    fflush(stdout);
    if ((pid = fork()) < 0)
	fail_msg("fork: %s", strerror(errno));
    if (pid == 0) {
	close(pfd[0]);
	dup2(pfd[1], 2);
	close(pfd[1]);
	fn(arg);
	_exit(0);
    }
    close(pfd[1]);
    if (err_r)
	vstring_reset(err_r);
    while ((n = read(pfd[0], buf, sizeof(buf))) != 0) {
	if (n < 0) {
	    if (errno == EINTR)
		continue;
	    break;
	}
	if (err_r)
	    vstring_append(err_r, buf, (size_t) n);
    }
    close(pfd[0]);
    while (waitpid(pid, &status, 0) < 0)
	if (errno != EINTR)
	    fail_msg("waitpid: %s", strerror(errno));
    return (status);
}

int     testutil_free_port(void)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    int     fd;
    int     port;

    if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
	fail_msg("socket: %s", strerror(errno));
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *) &sin, sizeof(sin)) < 0
	|| getsockname(fd, (struct sockaddr *) &sin, &len) < 0)
	fail_msg("bind port 0: %s", strerror(errno));
    port = ntohs(sin.sin_port);
    close(fd);
    return (port);
}
