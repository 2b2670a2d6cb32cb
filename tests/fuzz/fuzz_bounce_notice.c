/*++
/* NAME
/*	fuzz_bounce_notice 1
/* SUMMARY
/*	libFuzzer target: the bounce daemon's notice composer
/* SYNOPSIS
/*	./fuzz_bounce_notice [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	The first input byte picks the notice type and whether only the
/*	header is returned; the rest is split at NUL bytes into the
/*	sender, ENVID, and one log entry (recipient, original recipient,
/*	ORCPT, action, status, reason, remote host, remote reply), all
/*	untrusted text in the real daemon, and the returned content (the
/*	rest, NULs and all). src/bounce/bounce_notice.c composes the
/*	notice. Besides crashes, sanitizer reports and leaks, these are
/*	findings: a byte outside printable ASCII, tab and newline in the
/*	notice's own text (everything before the returned content); a line
/*	of it longer than 998 bytes; a header line of the notice that is
/*	neither one of its own fields nor a continuation; a boundary line
/*	count other than three before the content; the content not copied
/*	exactly.
/*	Seeds: corpus/fuzz_bounce_notice/; dictionary:
/*	fuzz_bounce_notice.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mymalloc.h>
#include <vstring.h>

#include "bounce.h"

#define FIELDS	10

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int own_header_line(const char *line, size_t len)
{
    static const char *names[] = {
	"From: ", "To: ", "Subject: ", "Date: ", "Auto-Submitted: ",
	"MIME-Version: ", "Content-Type: ", "Content-Transfer-Encoding: ",
	"From:", "To:", 0,
    };
    const char **np;

    if (len > 0 && line[0] == '\t')
	return (1);
    for (np = names; *np; np++)
	if (len >= strlen(*np) && strncmp(line, *np, strlen(*np)) == 0)
	    return (1);
    return (0);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char   *field[FIELDS];
    const char *cp;
    const char *end;
    const char *nl;
    const char *own_end;
    struct vstring *buf;
    struct vstring *boundary;
    struct dsn_entry e;
    struct bounce_notice n;
    size_t  i;
    size_t  line_len;
    int     in_header = 1;
    int     boundaries = 0;

    if (size < 1)
	return (0);
    memset(&n, 0, sizeof(n));
    n.type = 1 + data[0] % 3;
    n.headers_only = (data[0] & 0x10) != 0;
    cp = (const char *) data + 1;
    end = (const char *) data + size;
    for (i = 0; i < FIELDS; i++) {
	nl = memchr(cp, 0, (size_t) (end - cp));
	if (nl == 0)
	    nl = end;
	field[i] = mystrndup(cp, (size_t) (nl - cp));
	cp = nl < end ? nl + 1 : end;
    }
    memset(&e, 0, sizeof(e));
    e.rcpt = field[2];
    e.orig = field[3];
    e.orcpt = field[4];
    e.action = field[5];
    e.status = field[6];
    e.reason = field[7];
    e.mta = field[8];
    e.diag = field[9];
    e.time = 1795838400;
    n.queue_id = "0123456789ABCDEF0";
    n.hostname = "mx.example.test";
    n.sender = field[0];
    n.to = field[0];
    n.from = "MAILER-DAEMON@mx.example.test";
    n.arrival = 1795838000;
    n.now = 1795838400;
    n.give_up = 1795838000 + 86400;
    n.envid = field[1];
    n.entries = &e;
    n.count = 1;
    n.content = cp;
    n.content_len = (size_t) (end - cp);

    buf = vstring_alloc(1000);
    bounce_notice_compose(buf, &n);

    /* The notice ends in content, an optional newline, "\n--B--\n". */
    boundary = vstring_alloc(100);
    vstring_sprintf(boundary, "\n--%s.%ld/%s--\n", n.queue_id, n.arrival,
		    n.hostname);
    if (vstring_len(buf) < vstring_len(boundary) + n.content_len)
	abort();
    own_end = vstring_str(buf) + vstring_len(buf) - vstring_len(boundary)
	- n.content_len;
    if (n.content_len > 0 && n.content[n.content_len - 1] != '\n')
	own_end--;
    if (memcmp(own_end, n.content, n.content_len) != 0)
	abort();
    if (strcmp(vstring_str(buf) + vstring_len(buf) - vstring_len(boundary),
	       vstring_str(boundary)) != 0)
	abort();
    vstring_sprintf(boundary, "--%s.%ld/%s", n.queue_id, n.arrival,
		    n.hostname);
    for (cp = vstring_str(buf); cp < own_end; cp = nl + 1) {
	nl = memchr(cp, '\n', (size_t) (own_end - cp));
	if (nl == 0)
	    abort();				/* own text ends in a newline */
	line_len = (size_t) (nl - cp);
	if (line_len > 998)
	    abort();
	for (i = 0; i < line_len; i++)
	    if (cp[i] != '\t' && (cp[i] < 32 || cp[i] > 126))
		abort();
	if (line_len == 0)
	    in_header = 0;
	else if (in_header && !own_header_line(cp, line_len))
	    abort();
	if (line_len == vstring_len(boundary)
	    && memcmp(cp, vstring_str(boundary), line_len) == 0)
	    boundaries++;
    }
    if (boundaries != 3)
	abort();

    vstring_free(&buf);
    vstring_free(&boundary);
    for (i = 0; i < FIELDS; i++)
	myfree(field[i]);
    return (0);
}
