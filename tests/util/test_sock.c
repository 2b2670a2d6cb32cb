/*++
/* NAME
/*	test_sock 1
/* SUMMARY
/*	unit tests for sock
/* SYNOPSIS
/*	./test_sock
/* DESCRIPTION
/*	inet_parse() forms and errors (table-driven); inet_listen() on
/*	127.0.0.1, [::1] (when the host has IPv6) and the wildcard (one
/*	IPv4 and one IPV6_V6ONLY socket), connect and peer strings;
/*	unix_listen() with mode and stale-file removal; datagram sockets;
/*	FIFOs; descriptor flags; descriptor passing with SCM_RIGHTS.
/*	Unix sockets live in a fresh temporary folder; TCP uses loopback
/*	only.
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <mymalloc.h>
#include <sock.h>
#include <vstring.h>
#include "testutil.h"

static int have_ipv6(void)
{
    struct sockaddr_in6 sin6;
    int     fd = socket(AF_INET6, SOCK_STREAM, 0);
    int     ok;

    if (fd < 0)
	return (0);
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    sin6.sin6_addr = in6addr_loopback;
    ok = bind(fd, (struct sockaddr *) &sin6, sizeof(sin6)) == 0;
    close(fd);
    return (ok);
}

static void test_inet_parse(void **state)
{
    static const struct {
	const char *in;
	int     ret;
	const char *host;
	const char *port_or_why;
    }       cases[] = {
	{"127.0.0.1:25", 0, "127.0.0.1", "25"},
	{"mail.example.com:smtp", 0, "mail.example.com", "smtp"},
	{"[::1]:587", 0, "::1", "587"},
	{"[2001:db8::1]:submission", 0, "2001:db8::1", "submission"},
	{":25", 0, "", "25"},
	{"25", 0, "", "25"},
	{"smtp", 0, "", "smtp"},
	{"::1:25", -1, 0, "bad address \"::1:25\": put an IPv6 address in brackets"},
	{"[::1]", -1, 0, "bad address \"[::1]\": expected [v6addr]:port"},
	{"[::1:25", -1, 0, "bad address \"[::1:25\": expected [v6addr]:port"},
	{"[]:25", -1, 0, "bad address \"[]:25\": bad IPv6 address"},
	{"[1.2.3.4]:25", -1, 0, "bad address \"[1.2.3.4]:25\": bad IPv6 address"},
	{"host:", -1, 0, "bad address \"host:\": no port"},
	{"", -1, 0, "bad address \"\": no port"},
	{"host:2 5", -1, 0, "bad address \"host:2 5\": bad port"},
    };
    struct vstring *host = vstring_alloc(10);
    struct vstring *port = vstring_alloc(10);
    struct vstring *why = vstring_alloc(10);
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	vstring_reset(why);
	if (inet_parse(cases[i].in, host, port, why) != cases[i].ret)
	    fail_msg("case %zu \"%s\": wrong return (%s)", i, cases[i].in,
		     vstring_str(why));
	if (cases[i].ret == 0) {
	    assert_string_equal(vstring_str(host), cases[i].host);
	    assert_string_equal(vstring_str(port), cases[i].port_or_why);
	} else {
	    assert_string_equal(vstring_str(why), cases[i].port_or_why);
	}
    }
    assert_int_equal(inet_parse("1.2.3.4:5", (struct vstring *) 0,
				(struct vstring *) 0, (struct vstring *) 0), 0);
    vstring_free(&host);
    vstring_free(&port);
    vstring_free(&why);
}

/* check_listen_connect - listen on addr, connect to host, check peer */

static void check_listen_connect(const char *host, const char *listen_host,
				         const char *peer_prefix)
{
    struct vstring *addr = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstring *peer = vstring_alloc(100);
    struct vstring *port = vstring_alloc(10);
    int     fds[4];
    int     n;
    int     cfd;
    int     afd;

    vstring_sprintf(port, "%d", testutil_free_port());
    vstring_sprintf(addr, "%s:%s", listen_host, vstring_str(port));
    if ((n = inet_listen(vstring_str(addr), 10, fds, 4, why)) < 0)
	fail_msg("inet_listen %s: %s", vstring_str(addr), vstring_str(why));
    assert_int_equal(n, 1);
    assert_int_equal(close_on_exec(fds[0], 1), 1);
    if ((cfd = inet_connect(host, vstring_str(port), 2000, why)) < 0)
	fail_msg("inet_connect: %s", vstring_str(why));
    assert_int_equal(non_blocking(cfd, 0), 0);	/* left blocking */
    assert_int_equal(close_on_exec(cfd, 1), 1);
    afd = accept(fds[0], (struct sockaddr *) 0, (socklen_t *) 0);
    assert_true(afd >= 0);
    sock_peer_str(afd, peer);
    if (strncmp(vstring_str(peer), peer_prefix, strlen(peer_prefix)) != 0)
	fail_msg("peer \"%s\" does not start with \"%s\"", vstring_str(peer),
		 peer_prefix);
    assert_int_equal(write(cfd, "hi", 2), 2);
    {
	char    buf[2];

	assert_int_equal(read(afd, buf, 2), 2);
	assert_memory_equal(buf, "hi", 2);
    }
    close(afd);
    close(cfd);
    close(fds[0]);

    /* Now nobody listens: connect is refused. */
    assert_int_equal(inet_connect(host, vstring_str(port), 2000, why), -1);
    assert_non_null(strstr(vstring_str(why), "Connection refused"));
    vstring_free(&addr);
    vstring_free(&why);
    vstring_free(&peer);
    vstring_free(&port);
}

static void test_inet_loopback(void **state)
{
    check_listen_connect("127.0.0.1", "127.0.0.1", "127.0.0.1:");
    if (have_ipv6())
	check_listen_connect("::1", "[::1]", "[::1]:");
}

static void test_inet_wildcard(void **state)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *addr = vstring_alloc(100);
    int     fds[4];
    int     n;
    int     i;
    int     v6only;
    socklen_t len;
    struct sockaddr_storage ss;
    int     want = have_ipv6() ? 2 : 1;
    int     port;
    int     tries;

    /*
     * A port free on 127.0.0.1 may be in use on another address (another
     * program's connection): then try another one.
     */
    for (tries = 0; tries < 10; tries++) {
	port = testutil_free_port();
	vstring_sprintf(addr, ":%d", port);
	if ((n = inet_listen(vstring_str(addr), 10, fds, 4, why)) >= 0
	    || strstr(vstring_str(why), "Address already in use") == 0)
	    break;
    }
    if (n < 0)
	fail_msg("inet_listen %s: %s", vstring_str(addr), vstring_str(why));
    assert_int_equal(n, want);
    for (i = 0; i < n; i++) {
	len = sizeof(ss);
	assert_int_equal(getsockname(fds[i], (struct sockaddr *) &ss, &len), 0);
	if (ss.ss_family == AF_INET6) {
	    len = sizeof(v6only);
	    assert_int_equal(getsockopt(fds[i], IPPROTO_IPV6, IPV6_V6ONLY,
					&v6only, &len), 0);
	    assert_int_equal(v6only, 1);
	}
	close(fds[i]);
    }
    if (want == 2) {
	vstring_sprintf(addr, "%d", port);
	assert_int_equal(inet_listen(vstring_str(addr), 10, fds, 1, why), -1);
	vstring_sprintf(addr, "%d: more than 1 addresses", port);
	assert_string_equal(vstring_str(why), vstring_str(addr));
    }
    /* Errors: unknown service, address in use. */
    assert_int_equal(inet_listen("127.0.0.1:no-such-service", 10, fds, 4, why), -1);
    assert_non_null(strstr(vstring_str(why), "127.0.0.1:no-such-service: "));
    vstring_sprintf(addr, "127.0.0.1:%d", port);
    assert_int_equal(inet_listen(vstring_str(addr), 10, fds, 4, why), 1);
    assert_int_equal(inet_listen(vstring_str(addr), 10, fds + 1, 3, why), -1);
    assert_non_null(strstr(vstring_str(why), "Address already in use"));
    close(fds[0]);
    vstring_free(&why);
    vstring_free(&addr);
}

static void test_unix_stream(void **state)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstring *peer = vstring_alloc(100);
    struct stat st;
    int     lfd;
    int     cfd;
    int     afd;
    int     round;

    vstring_sprintf(path, "%s/private-sock", testutil_dir);
    for (round = 0; round < 2; round++) {	/* second round: stale file */
	if ((lfd = unix_listen(vstring_str(path), 10, 0620, why)) < 0)
	    fail_msg("unix_listen: %s", vstring_str(why));
	assert_int_equal(stat(vstring_str(path), &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0620);
	assert_int_equal(close_on_exec(lfd, 1), 1);
	if ((cfd = unix_connect(vstring_str(path), round, why)) < 0)
	    fail_msg("unix_connect: %s", vstring_str(why));
	assert_int_equal(non_blocking(cfd, 0), round);
	afd = accept(lfd, (struct sockaddr *) 0, (socklen_t *) 0);
	assert_true(afd >= 0);
	assert_string_equal(sock_peer_str(afd, peer), "unix");
	close(afd);
	close(cfd);
	close(lfd);
    }
    /* Nobody listens now. */
    assert_int_equal(unix_connect(vstring_str(path), 0, why), -1);
    assert_non_null(strstr(vstring_str(why), "Connection refused"));

    /* Something that is not a socket is not removed. */
    vstring_sprintf(path, "%s/plainfile", testutil_dir);
    close(open(vstring_str(path), O_CREAT | O_WRONLY, 0600));
    assert_int_equal(unix_listen(vstring_str(path), 10, 0666, why), -1);
    vstring_sprintf(peer, "%s exists and is not a socket", vstring_str(path));
    assert_string_equal(vstring_str(why), vstring_str(peer));
    assert_int_equal(stat(vstring_str(path), &st), 0);
    assert_true(S_ISREG(st.st_mode));

    /* Path too long for sun_path. */
    vstring_sprintf(path, "%s/%0200d", testutil_dir, 0);
    assert_int_equal(unix_listen(vstring_str(path), 10, 0666, why), -1);
    assert_non_null(strstr(vstring_str(why), "bad socket path length"));
    assert_string_equal(sock_peer_str(-1, peer), "unknown");
    vstring_free(&path);
    vstring_free(&why);
    vstring_free(&peer);
}

static void test_unix_dgram_and_fifo(void **state)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct sockaddr_un sun;
    struct stat st;
    char    buf[64];
    int     fd;
    int     sfd;
    int     wfd;

    vstring_sprintf(path, "%s/dgram", testutil_dir);
    if ((fd = unix_dgram_listen(vstring_str(path), 0622, why)) < 0)
	fail_msg("unix_dgram_listen: %s", vstring_str(why));
    assert_int_equal(stat(vstring_str(path), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0622);
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, vstring_str(path), vstring_len(path) + 1);
    sfd = socket(AF_UNIX, SOCK_DGRAM, 0);
    assert_int_equal(sendto(sfd, "record", 6, 0, (struct sockaddr *) &sun,
			    sizeof(sun)), 6);
    assert_int_equal(recv(fd, buf, sizeof(buf), 0), 6);
    assert_memory_equal(buf, "record", 6);
    close(sfd);
    close(fd);

    vstring_sprintf(path, "%s/fifo", testutil_dir);
    if ((fd = fifo_listen(vstring_str(path), 0622, why)) < 0)
	fail_msg("fifo_listen: %s", vstring_str(why));
    assert_int_equal(fstat(fd, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0622);
    assert_int_equal(non_blocking(fd, 1), 1);
    assert_int_equal(read(fd, buf, sizeof(buf)), -1);	/* empty, no block */
    assert_int_equal(errno, EAGAIN);
    wfd = open(vstring_str(path), O_WRONLY | O_NONBLOCK);
    assert_true(wfd >= 0);
    assert_int_equal(write(wfd, "T", 1), 1);
    assert_int_equal(read(fd, buf, sizeof(buf)), 1);
    assert_int_equal(buf[0], 'T');
    close(wfd);
    close(fd);
    /* Opening it again reuses the FIFO. */
    assert_true((fd = fifo_listen(vstring_str(path), 0600, why)) >= 0);
    close(fd);
    /* A regular file is refused. */
    vstring_sprintf(path, "%s/notfifo", testutil_dir);
    close(open(vstring_str(path), O_CREAT | O_WRONLY, 0600));
    assert_int_equal(fifo_listen(vstring_str(path), 0600, why), -1);
    assert_non_null(strstr(vstring_str(why), "is not a FIFO"));
    vstring_free(&path);
    vstring_free(&why);
}

static void test_flags(void **state)
{
    int     pfd[2];

    assert_int_equal(pipe(pfd), 0);
    assert_int_equal(non_blocking(pfd[0], 1), 0);
    assert_int_equal(non_blocking(pfd[0], 1), 1);
    assert_true(fcntl(pfd[0], F_GETFL) & O_NONBLOCK);
    assert_int_equal(non_blocking(pfd[0], 0), 1);
    assert_false(fcntl(pfd[0], F_GETFL) & O_NONBLOCK);
    assert_int_equal(close_on_exec(pfd[1], 1), 0);
    assert_int_equal(fcntl(pfd[1], F_GETFD), FD_CLOEXEC);
    assert_int_equal(close_on_exec(pfd[1], 0), 1);
    assert_int_equal(fcntl(pfd[1], F_GETFD), 0);
    close(pfd[0]);
    close(pfd[1]);
    assert_int_equal(non_blocking(pfd[0], 1), -1);
    assert_int_equal(close_on_exec(pfd[0], 1), -1);
}

static void test_fd_passing(void **state)
{
    int     sv[2];
    int     pfd[2];
    int     got;
    char    buf[8];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(pipe(pfd), 0);
    assert_int_equal(fd_send(sv[0], pfd[0]), 0);
    close(pfd[0]);				/* the receiver's copy remains */
    got = fd_recv(sv[1]);
    assert_true(got >= 0);
    assert_int_equal(fcntl(got, F_GETFD), FD_CLOEXEC);
    assert_int_equal(write(pfd[1], "pass", 4), 4);
    assert_int_equal(read(got, buf, sizeof(buf)), 4);
    assert_memory_equal(buf, "pass", 4);
    close(got);
    close(pfd[1]);

    /* A plain byte without a descriptor is refused. */
    assert_int_equal(write(sv[0], "x", 1), 1);
    assert_int_equal(fd_recv(sv[1]), -1);
    /* End of file. */
    close(sv[0]);
    assert_int_equal(fd_recv(sv[1]), -1);
    close(sv[1]);
    assert_int_equal(fd_send(sv[1], 0), -1);	/* closed socket */
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_inet_parse),
	cmocka_unit_test(test_inet_loopback),
	cmocka_unit_test(test_inet_wildcard),
	cmocka_unit_test(test_unix_stream),
	cmocka_unit_test(test_unix_dgram_and_fifo),
	cmocka_unit_test(test_flags),
	cmocka_unit_test(test_fd_passing),
    };

    return (cmocka_run_group_tests(tests, testutil_dir_setup,
				   testutil_dir_teardown));
}
