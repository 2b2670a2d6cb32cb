/*++
/* NAME
/*	smtp_connect 3
/* SUMMARY
/*	connect to a next hop and say hello
/* SYNOPSIS
/*	#include "smtp.h"
/*
/*	struct smtp_session *smtp_connect(nexthop, fail)
/*
/*	void	smtp_session_close(&session, quit)
/*
/*	int	smtp_session_alive(session)
/* DESCRIPTION
/*	smtp_connect() tries the next hop's peer addresses in order
/*	(smtp_addr(3)): TCP connection within $smtp_connect_timeout (from
/*	$smtp_bind_address or $smtp_bind_address6 when set), the greeting,
/*	then EHLO $smtp_helo_name (HELO when EHLO is refused), each reply
/*	within $smtp_helo_timeout. A peer that cannot be reached, does not
/*	answer in time, or greets with anything but 2xx is skipped and the
/*	next one tried. A peer that greets with this host's own name
/*	($myhostname) is this host: "mail for NEXTHOP loops back to
/*	myself". The EHLO reply gives the features: PIPELINING, SIZE (and
/*	its limit), 8BITMIME, DSN, STARTTLS.
/*
/*	When no peer takes the connection, the group is deferred with the
/*	last peer's reason ("connect to host[addr]:25: Connection
/*	refused") and the destination counts as failing (qmgr throttles
/*	it).
/*
/*	smtp_session_close() sends QUIT when quit is set (reply awaited
/*	for at most $smtp_quit_timeout, ignored) and closes.
/*	smtp_session_alive() checks, without waiting, that the peer has
/*	not closed the connection or sent something unasked.
/* DIAGNOSTICS
/*	Null with the reason in fail.
/*--*/
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <deliver_request.h>
#include <mail_params.h>

#include "smtp.h"

void    smtp_fail_init(struct smtp_fail *fail)
{
    fail->status = -1;
    fail->site = 0;
    fail->dsn = vstring_alloc(10);
    fail->reason = vstring_alloc(100);
    fail->diag = vstring_alloc(100);
    fail->mta = vstring_alloc(100);
}

void    smtp_fail_free(struct smtp_fail *fail)
{
    vstring_free(&fail->dsn);
    vstring_free(&fail->reason);
    vstring_free(&fail->diag);
    vstring_free(&fail->mta);
}

void    smtp_fail_set(struct smtp_fail *fail, int status, int site,
		              const char *dsn, const char *fmt,...)
{
    va_list ap;

    fail->status = status;
    fail->site = site;
    vstring_strcpy(fail->dsn, dsn);
    vstring_reset(fail->reason);
    va_start(ap, fmt);
    vstring_vsprintf_append(fail->reason, fmt, ap);
    va_end(ap);
}

/* smtp_connect_addr - TCP connection to one peer; fd or -1 */

static int smtp_connect_addr(const struct smtp_peer *peer, struct vstring *why)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *) &ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;
    struct sockaddr_storage bs;
    socklen_t len;
    const char *bind_addr;
    struct pollfd pfd;
    int     fd;
    int     err = 0;
    socklen_t errlen = sizeof(err);
    int     n;

    memset(&ss, 0, sizeof(ss));
    if (peer->family == AF_INET) {
	sin->sin_family = AF_INET;
	memcpy(&sin->sin_addr, peer->addr, 4);
	sin->sin_port = htons(peer->port);
	len = sizeof(*sin);
	bind_addr = var_smtp_bind_addr;
    } else {
	sin6->sin6_family = AF_INET6;
	memcpy(&sin6->sin6_addr, peer->addr, 16);
	sin6->sin6_port = htons(peer->port);
	len = sizeof(*sin6);
	bind_addr = var_smtp_bind_addr6;
    }
    if ((fd = socket(peer->family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		     0)) < 0) {
	vstring_sprintf(why, "socket: %s", strerror(errno));
	return (-1);
    }
    if (bind_addr && *bind_addr) {
	memset(&bs, 0, sizeof(bs));
	bs.ss_family = peer->family;
	if (inet_pton(peer->family, bind_addr, peer->family == AF_INET ?
		      (void *) &((struct sockaddr_in *) &bs)->sin_addr :
		      (void *) &((struct sockaddr_in6 *) &bs)->sin6_addr) != 1) {
	    vstring_sprintf(why, "bad %s \"%s\"", peer->family == AF_INET ?
			    VAR_SMTP_BIND_ADDR : VAR_SMTP_BIND_ADDR6, bind_addr);
	    (void) close(fd);
	    return (-1);
	}
	if (bind(fd, (struct sockaddr *) &bs, len) < 0) {
	    vstring_sprintf(why, "bind %s: %s", bind_addr, strerror(errno));
	    (void) close(fd);
	    return (-1);
	}
    }
    if (connect(fd, (struct sockaddr *) &ss, len) < 0) {
	if (errno != EINPROGRESS) {
	    err = errno;
	} else {
	    pfd.fd = fd;
	    pfd.events = POLLOUT;
	    pfd.revents = 0;
	    do {
		n = poll(&pfd, 1, (int) (var_smtp_conn_tmout * 1000));
	    } while (n < 0 && errno == EINTR);
	    if (n == 0)
		err = ETIMEDOUT;
	    else if (n < 0)
		err = errno;
	    else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0)
		err = errno;
	}
    }
    if (err) {
	vstring_sprintf(why, "%s", err == ETIMEDOUT ? "Connection timed out"
			: strerror(err));
	(void) close(fd);
	return (-1);
    }
    return (fd);
}

/* smtp_features - what EHLO announced */

static void smtp_features(struct smtp_session *s, struct smtp_reply *r)
{
    size_t  i;
    const char *line;
    long    size;
    char   *end;

    s->features = SMTP_FEAT_ESMTP;
    s->size_limit = 0;
    for (i = 1; i < r->lines->argc; i++) {
	line = r->lines->argv[i];
	if (strcasecmp(line, "PIPELINING") == 0)
	    s->features |= SMTP_FEAT_PIPELINING;
	else if (strcasecmp(line, "8BITMIME") == 0)
	    s->features |= SMTP_FEAT_8BITMIME;
	else if (strcasecmp(line, "DSN") == 0)
	    s->features |= SMTP_FEAT_DSN;
	else if (strcasecmp(line, "STARTTLS") == 0)
	    s->features |= SMTP_FEAT_STARTTLS;
	else if (strncasecmp(line, "SIZE", 4) == 0
		 && (line[4] == 0 || line[4] == ' ')) {
	    s->features |= SMTP_FEAT_SIZE;
	    size = line[4] ? strtol(line + 5, &end, 10) : 0;
	    if (line[4] && *end == 0 && size > 0)
		s->size_limit = size;
	}
    }
}

/* smtp_command - send one command line and flush */

static int smtp_command(struct vstream *stream, const char *verb,
			        const char *arg)
{
    vstream_puts(stream, verb);
    if (arg) {
	vstream_puts(stream, " ");
	vstream_puts(stream, arg);
    }
    vstream_puts(stream, "\r\n");
    return (vstream_flush(stream));
}

/* smtp_hello - greeting and EHLO/HELO; 0, or -1 with why */

static int smtp_hello(struct smtp_session *s, const char *nexthop,
		              struct smtp_fail *fail, struct vstring *why)
{
    struct smtp_reply *r = &smtp_reply_buf;
    struct argv *words;
    int     loop;

    vstream_set_timeout(s->stream, (int) var_smtp_helo_tmout);
    if (smtp_reply_read(s->stream, r) < 0) {
	vstring_sprintf(why, "%s while receiving the initial server greeting",
			vstring_str(r->why));
	return (-1);
    }
    if (r->code / 100 != 2) {
	vstring_sprintf(why, "host %s refused to talk to me: %s",
			vstring_str(s->namaddr), vstring_str(r->text));
	return (-1);
    }
    words = argv_split(r->lines->argv[0], " \t");
    loop = words->argc > 0 && strcasecmp(words->argv[0], var_myhostname) == 0;
    argv_free(&words);
    if (loop) {
	smtp_fail_set(fail, DELIVER_STAT_BOUNCE, 0, "5.4.6",
		      "mail for %s loops back to myself", nexthop);
	return (-2);
    }
    if (smtp_command(s->stream, "EHLO", var_smtp_helo_name) < 0
	|| smtp_reply_read(s->stream, r) < 0) {
	vstring_sprintf(why, "%s while performing the EHLO handshake",
			vstream_status(s->stream) == VSTREAM_TIMEOUT ?
			"timeout" : "lost connection");
	return (-1);
    }
    if (r->code / 100 == 2) {
	smtp_features(s, r);
	return (0);
    }
    s->features = 0;
    if (smtp_command(s->stream, "HELO", var_smtp_helo_name) < 0
	|| smtp_reply_read(s->stream, r) < 0) {
	vstring_sprintf(why, "%s while performing the HELO handshake",
			vstream_status(s->stream) == VSTREAM_TIMEOUT ?
			"timeout" : "lost connection");
	return (-1);
    }
    if (r->code / 100 != 2) {
	vstring_sprintf(why, "host %s refused to talk to me: %s (in reply "
			"to HELO command)", vstring_str(s->namaddr),
			vstring_str(r->text));
	return (-1);
    }
    return (0);
}

struct smtp_session *smtp_connect(const char *nexthop, struct smtp_fail *fail)
{
    struct smtp_peer *peers;
    size_t  count;
    size_t  i;
    int     fd;
    int     status;
    struct smtp_session *s;
    struct vstring *why;

    if (smtp_addr_find(nexthop, &peers, &count, fail) < 0)
	return (0);
    why = vstring_alloc(100);
    s = (struct smtp_session *) mymalloc(sizeof(*s));
    memset(s, 0, sizeof(*s));
    s->namaddr = vstring_alloc(100);
    for (i = 0; i < count; i++) {
	vstring_sprintf(s->namaddr, "%s[%s]:%u", peers[i].host,
			peers[i].addr_str, peers[i].port);
	if ((fd = smtp_connect_addr(peers + i, why)) < 0) {
	    smtp_fail_set(fail, DELIVER_STAT_DEFER, 1, "4.4.1",
			  "connect to %s: %s", vstring_str(s->namaddr),
			  vstring_str(why));
	    msg_info("connect to %s: %s", vstring_str(s->namaddr),
		     vstring_str(why));
	    continue;
	}
	s->stream = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
	s->host = mystrdup(peers[i].host);
	memcpy(s->addr_str, peers[i].addr_str, sizeof(s->addr_str));
	s->port = peers[i].port;
	if ((status = smtp_hello(s, nexthop, fail, why)) == 0) {
	    s->nexthop = mystrdup(nexthop);
	    s->opened = time((time_t *) 0);
	    vstring_free(&why);
	    smtp_addr_free(peers, count);
	    return (s);
	}
	(void) vstream_close(&s->stream);
	myfree(s->host);
	s->host = 0;
	if (status == -2)
	    break;			/* loops back: no other peer helps */
	smtp_fail_set(fail, DELIVER_STAT_DEFER, 1, "4.4.2", "%s",
		      vstring_str(why));
	vstring_strcpy(fail->mta, peers[i].host);
	msg_info("%s: %s", vstring_str(s->namaddr), vstring_str(why));
    }
    vstring_free(&s->namaddr);
    myfree(s);
    vstring_free(&why);
    smtp_addr_free(peers, count);
    return (0);
}

void    smtp_session_close(struct smtp_session **sp, int quit)
{
    struct smtp_session *s = *sp;

    if (s == 0)
	return;
    if (quit && s->stream) {
	vstream_set_timeout(s->stream, (int) var_smtp_quit_tmout);
	if (smtp_command(s->stream, "QUIT", (char *) 0) == 0)
	    (void) smtp_reply_read(s->stream, &smtp_reply_buf);
    }
    if (s->stream)
	(void) vstream_close(&s->stream);
    if (s->host)
	myfree(s->host);
    if (s->nexthop)
	myfree(s->nexthop);
    vstring_free(&s->namaddr);
    myfree(s);
    *sp = 0;
}

int     smtp_session_alive(struct smtp_session *s)
{
    struct pollfd pfd;

    if (s == 0 || s->stream == 0 || vstream_status(s->stream) != VSTREAM_OK
	|| vstream_pending(s->stream) > 0)
	return (0);
    pfd.fd = vstream_fileno(s->stream);
    pfd.events = POLLIN;
    pfd.revents = 0;
    /* Readable now means closed by the peer or unasked data: unusable. */
    return (poll(&pfd, 1, 0) == 0);
}
