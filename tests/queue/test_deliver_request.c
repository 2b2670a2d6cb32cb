/*++
/* NAME
/*	test_deliver_request 1
/* SUMMARY
/*	unit tests for deliver_request (qmgr <-> delivery agent)
/* SYNOPSIS
/*	./test_deliver_request
/* DESCRIPTION
/*	A request and a reply round trip over a socket pair, several on
/*	one connection; end of input; a request with a queue name or ID
/*	that could name a path outside the queue; an unknown request; a
/*	missing attribute; a reply with an unknown status.
/* DIAGNOSTICS
/*	cmocka output.
/*--*/
#include <sys/socket.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <vstream.h>
#include <vstring.h>
#include <attr.h>
#include <deliver_request.h>
#include "testqueue.h"

static void fill(struct deliver_request *req, const char *queue, const char *id)
{
    vstring_strcpy(req->queue_name, queue);
    vstring_strcpy(req->queue_id, id);
    req->offset = 123;
    vstring_strcpy(req->sender, "");
    vstring_strcpy(req->recipient, "bob@example.com");
    vstring_strcpy(req->orig_recipient, "Bob@Example.com");
    req->arrival_sec = 1700000000;
    vstring_strcpy(req->nexthop, "example.com");
    req->flags = 3;
}

static void test_round_trip(void **state)
{
    struct deliver_request *out = deliver_request_alloc();
    struct deliver_request *in = deliver_request_alloc();
    struct deliver_reply *reply = deliver_reply_alloc();
    struct vstream *qmgr;
    struct vstream *agent;
    int     sv[2];
    int     i;

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    qmgr = vstream_fdopen(sv[0], VSTREAM_FLAG_CLOSE);
    agent = vstream_fdopen(sv[1], VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(qmgr, 5);
    vstream_set_timeout(agent, 5);
    fill(out, "active", "6553F1001E240A1B2");
    for (i = 0; i < 3; i++) {
	out->offset = 100 + i;
	assert_int_equal(deliver_request_send(qmgr, out), 0);
	assert_int_equal(deliver_request_read(agent, in), 0);
	assert_string_equal(vstring_str(in->queue_name), "active");
	assert_string_equal(vstring_str(in->queue_id), "6553F1001E240A1B2");
	assert_int_equal(in->offset, 100 + i);
	assert_string_equal(vstring_str(in->sender), "");
	assert_string_equal(vstring_str(in->recipient), "bob@example.com");
	assert_string_equal(vstring_str(in->orig_recipient), "Bob@Example.com");
	assert_int_equal(in->arrival_sec, 1700000000);
	assert_string_equal(vstring_str(in->nexthop), "example.com");
	assert_int_equal(in->flags, 3);
	assert_int_equal(deliver_request_reply(agent, i == 2 ? DELIVER_STAT_BOUNCE
					       : DELIVER_STAT_SENT,
					       i == 2 ? "5.1.1" : "2.0.0",
					       "delivered to maildir"), 0);
	assert_int_equal(deliver_reply_read(qmgr, reply), 0);
	assert_int_equal(reply->status, i == 2 ? DELIVER_STAT_BOUNCE
			 : DELIVER_STAT_SENT);
	assert_string_equal(vstring_str(reply->dsn_status),
			    i == 2 ? "5.1.1" : "2.0.0");
	assert_string_equal(vstring_str(reply->reason), "delivered to maildir");
    }
    vstream_close(&qmgr);
    assert_int_equal(deliver_request_read(agent, in), -1);
    vstream_close(&agent);
    deliver_request_free(&in);
    deliver_request_free(&out);
    deliver_reply_free(&reply);
    assert_null(in);
    assert_null(out);
    assert_null(reply);
}

static int send_and_read(const char *queue, const char *id, long offset)
{
    struct deliver_request *out = deliver_request_alloc();
    struct deliver_request *in = deliver_request_alloc();
    struct vstream *qmgr;
    struct vstream *agent;
    int     sv[2];
    int     ret;

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    qmgr = vstream_fdopen(sv[0], VSTREAM_FLAG_CLOSE);
    agent = vstream_fdopen(sv[1], VSTREAM_FLAG_CLOSE);
    fill(out, queue, id);
    out->offset = offset;
    assert_int_equal(deliver_request_send(qmgr, out), 0);
    ret = deliver_request_read(agent, in);
    vstream_close(&qmgr);
    vstream_close(&agent);
    deliver_request_free(&in);
    deliver_request_free(&out);
    return (ret);
}

static void test_bad_requests(void **state)
{
    assert_int_equal(send_and_read("active", "6553F1001E240A1B2", 50), 0);
    assert_int_equal(send_and_read("deferred", "6553F1001E240A1B2", 50), 0);
    assert_int_equal(send_and_read("../etc", "6553F1001E240A1B2", 50), -1);
    assert_int_equal(send_and_read("corrupt", "6553F1001E240A1B2", 50), -1);
    assert_int_equal(send_and_read("active", "../../etc/passwd", 50), -1);
    assert_int_equal(send_and_read("active", "6553f1001e240a1b2", 50), -1);
    assert_int_equal(send_and_read("active", "6553F1001E240A1B2", 0), -1);
}

static void test_wrong_request_and_missing(void **state)
{
    struct vstring *msg = vstring_alloc(100);
    struct deliver_request *in = deliver_request_alloc();
    struct deliver_reply *reply = deliver_reply_alloc();
    struct vstream *s;

    tq_attr(msg, ATTR_REQUEST, "flush", 5);
    tq_attr_end(msg);
    s = tq_stream(vstring_str(msg), vstring_len(msg));
    assert_int_equal(deliver_request_read(s, in), -1);
    assert_non_null(strstr(attr_error(), "missing attribute"));
    vstream_close(&s);

    vstring_reset(msg);
    tq_attr(msg, ATTR_STATUS, "3", 1);
    tq_attr(msg, ATTR_DSN_STATUS, "4.0.0", 5);
    tq_attr(msg, ATTR_REASON, "x", 1);
    tq_attr_end(msg);
    s = tq_stream(vstring_str(msg), vstring_len(msg));
    assert_int_equal(deliver_reply_read(s, reply), -1);
    vstream_close(&s);

    vstring_reset(msg);
    tq_attr(msg, ATTR_STATUS, "4", 1);
    tq_attr(msg, ATTR_DSN_STATUS, "4.0.0", 5);
    tq_attr_end(msg);
    s = tq_stream(vstring_str(msg), vstring_len(msg));
    assert_int_equal(deliver_reply_read(s, reply), -1);
    assert_string_equal(attr_error(), "missing attribute \"reason\"");
    vstream_close(&s);

    deliver_request_free(&in);
    deliver_reply_free(&reply);
    vstring_free(&msg);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_round_trip),
	cmocka_unit_test(test_bad_requests),
	cmocka_unit_test(test_wrong_request_and_missing),
    };

    return (cmocka_run_group_tests(tests, NULL, NULL));
}
