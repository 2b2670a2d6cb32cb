/*++
/* NAME
/*	test_peer_info 1
/* SUMMARY
/*	unit tests for peer_info: the two ends of a client connection
/* SYNOPSIS
/*	./test_peer_info
/* DESCRIPTION
/*	Real loopback TCP connections: over 127.0.0.1 both ends are the
/*	numeric addresses and the ports getsockname(2) gives; over ::1
/*	the same in IPv6 form; a client at 127.0.0.1 that reaches an IPv6
/*	(dual-stack) listener on :: is 127.0.0.1, not ::ffff:127.0.0.1.
/*	The name is either verified (equal to the reverse name, status
/*	OK) or "unknown" with status NONE or TEMP, and namaddr is always
/*	name[addr]. A UNIX-domain socket has no IP peer: every field is
/*	"unknown". peer_info_free() clears every field.
/* DIAGNOSTICS
/*	cmocka's report. The IPv6 cases are skipped when ::1 is not
/*	configured.
/*--*/
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <peer_info.h>

/* port_of - a socket address's port, as text */

static void port_of(struct sockaddr_storage *ss, char *buf, size_t len)
{
    unsigned port = (ss->ss_family == AF_INET ?
		     ntohs(((struct sockaddr_in *) ss)->sin_port) :
		     ntohs(((struct sockaddr_in6 *) ss)->sin6_port));

    (void) snprintf(buf, len, "%u", port);
}

/* check_names - the name fields agree with each other */

static void check_names(struct peer_info *peer)
{
    char    expect[1100];

    assert_non_null(peer->name);
    assert_non_null(peer->reverse_name);
    if (peer->name_status == PEER_NAME_OK) {
	assert_string_equal(peer->name, peer->reverse_name);
	assert_string_not_equal(peer->name, PEER_UNKNOWN);
    } else {
	assert_true(peer->name_status == PEER_NAME_NONE
		    || peer->name_status == PEER_NAME_TEMP);
	assert_string_equal(peer->name, PEER_UNKNOWN);
    }
    (void) snprintf(expect, sizeof(expect), "%s[%s]", peer->name, peer->addr);
    assert_string_equal(peer->namaddr, expect);
}

/*
 * connect_pair - listen on laddr (family lfam), connect from caddr (cfam);
 * the server's end of the connection, or -1 when the family is missing.
 */

static int connect_pair(int lfam, const char *laddr, int cfam,
			        const char *caddr, int *client,
			        char *lport, char *cport)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int     lfd;
    int     cfd;
    int     sfd;
    int     off = 0;

    memset(&ss, 0, sizeof(ss));
    ss.ss_family = lfam;
    if (lfam == AF_INET)
	assert_int_equal(inet_pton(AF_INET, laddr,
			      &((struct sockaddr_in *) &ss)->sin_addr), 1);
    else
	assert_int_equal(inet_pton(AF_INET6, laddr,
			     &((struct sockaddr_in6 *) &ss)->sin6_addr), 1);
    if ((lfd = socket(lfam, SOCK_STREAM, 0)) < 0)
	return (-1);
    if (lfam == AF_INET6)
	(void) setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
    if (bind(lfd, (struct sockaddr *) &ss, lfam == AF_INET ?
	     sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) < 0) {
	(void) close(lfd);
	return (-1);
    }
    assert_int_equal(listen(lfd, 5), 0);
    len = sizeof(ss);
    assert_int_equal(getsockname(lfd, (struct sockaddr *) &ss, &len), 0);
    port_of(&ss, lport, 16);

    /* The client connects to the listener's port at caddr. */
    if (cfam == AF_INET) {
	struct sockaddr_in *sin = (struct sockaddr_in *) &ss;
	unsigned short port = (lfam == AF_INET ? sin->sin_port :
			    ((struct sockaddr_in6 *) &ss)->sin6_port);

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_port = port;
	assert_int_equal(inet_pton(AF_INET, caddr, &sin->sin_addr), 1);
	len = sizeof(*sin);
    } else {
	assert_int_equal(inet_pton(AF_INET6, caddr,
			     &((struct sockaddr_in6 *) &ss)->sin6_addr), 1);
	len = sizeof(struct sockaddr_in6);
    }
    assert_true((cfd = socket(cfam, SOCK_STREAM, 0)) >= 0);
    if (connect(cfd, (struct sockaddr *) &ss, len) < 0) {
	(void) close(cfd);
	(void) close(lfd);
	return (-1);
    }
    assert_true((sfd = accept(lfd, (struct sockaddr *) 0, (socklen_t *) 0)) >= 0);
    (void) close(lfd);
    len = sizeof(ss);
    assert_int_equal(getsockname(cfd, (struct sockaddr *) &ss, &len), 0);
    port_of(&ss, cport, 16);
    *client = cfd;
    return (sfd);
}

static void check_pair(int lfam, const char *laddr, int cfam,
		               const char *caddr, const char *want_addr,
		               const char *want_laddr)
{
    struct peer_info peer;
    char    lport[16];
    char    cport[16];
    int     client = -1;
    int     server;

    if ((server = connect_pair(lfam, laddr, cfam, caddr, &client,
			       lport, cport)) < 0) {
	print_message("no %s: skipped\n", laddr);
	skip();
    }
    peer_info_get(server, &peer);
    assert_string_equal(peer.addr, want_addr);
    assert_string_equal(peer.port, cport);
    assert_string_equal(peer.laddr, want_laddr);
    assert_string_equal(peer.lport, lport);
    check_names(&peer);
    peer_info_free(&peer);
    assert_null(peer.addr);
    assert_null(peer.namaddr);
    assert_null(peer.lport);
    (void) close(server);
    (void) close(client);
}

static void test_ipv4(void **state)
{
    check_pair(AF_INET, "127.0.0.1", AF_INET, "127.0.0.1",
	       "127.0.0.1", "127.0.0.1");
}

static void test_ipv6(void **state)
{
    check_pair(AF_INET6, "::1", AF_INET6, "::1", "::1", "::1");
}

static void test_mapped_ipv4(void **state)
{
    /* Both ends are IPv4-mapped in the kernel's view; shown as IPv4. */
    check_pair(AF_INET6, "::", AF_INET, "127.0.0.1", "127.0.0.1",
	       "127.0.0.1");
}

static void test_unix_socket(void **state)
{
    struct peer_info peer;
    int     sv[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    peer_info_get(sv[0], &peer);
    assert_string_equal(peer.addr, PEER_UNKNOWN);
    assert_string_equal(peer.port, PEER_UNKNOWN);
    assert_string_equal(peer.name, PEER_UNKNOWN);
    assert_string_equal(peer.reverse_name, PEER_UNKNOWN);
    assert_int_equal(peer.name_status, PEER_NAME_NONE);
    assert_string_equal(peer.namaddr, "unknown[unknown]");
    assert_string_equal(peer.laddr, PEER_UNKNOWN);
    assert_string_equal(peer.lport, PEER_UNKNOWN);
    peer_info_free(&peer);
    (void) close(sv[0]);
    (void) close(sv[1]);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_ipv4),
	cmocka_unit_test(test_ipv6),
	cmocka_unit_test(test_mapped_ipv4),
	cmocka_unit_test(test_unix_socket),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
