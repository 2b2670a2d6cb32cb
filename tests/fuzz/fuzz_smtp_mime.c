/*++
/* NAME
/*	fuzz_smtp_mime 1
/* SUMMARY
/*	libFuzzer target: the smtp client's 8BITMIME downgrade and next-hop
/*	parser
/* SYNOPSIS
/*	./fuzz_smtp_mime [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input is message content as the queue holds it (LF lines;
/*	anything a client may have sent). It goes through
/*	smtp_mime_downgrade() (smtp_mime(3)), the conversion for a peer
/*	without 8BITMIME, and its first line (at most 300 bytes) through
/*	smtp_addr_parse_nexthop(), the parser of transport_maps and
/*	relayhost next hops.
/*
/*	Invariants of the downgrade: content without any 8-bit byte comes
/*	out unchanged; otherwise every 8-bit byte of the output lies in a
/*	header line that held the same bytes in the input (bodies are
/*	7-bit: only headers may stay 8-bit), and the output is at most
/*	four times the input plus 256 bytes. Of the next-hop parser: a
/*	success gives a non-empty host without "]" for "[host]" forms, a
/*	port 1 to 65535 and mx 0 exactly for bracketed hosts.
/*	Crashes, sanitizer reports, leaks and broken invariants are
/*	findings. Seeds: corpus/fuzz_smtp_mime/; dictionary:
/*	fuzz_smtp_mime.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vstring.h>

#include "smtp.h"

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* smtp_addr.c's MX search (not fuzzed here) reports through this. */

void    smtp_fail_set(struct smtp_fail *fail, int a, int b, const char *c,
		              const char *d,...)
{
    abort();
}

/* in_input_header - is this 8-bit output line an input header line? */

static int in_input_header(const char *in, size_t in_len, const char *line,
			           size_t len)
{
    const char *p = in;
    const char *end = in + in_len;
    const char *nl;

    /* Any input line equal to it will do: headers of nested parts too. */
    while (p < end) {
	nl = memchr(p, '\n', (size_t) (end - p));
	if (nl == 0)
	    nl = end;
	if ((size_t) (nl - p) == len && memcmp(p, line, len) == 0)
	    return (1);
	p = nl + 1;
    }
    return (0);
}

static void check_downgrade(const char *data, size_t len)
{
    struct vstring *out = vstring_alloc(len + 100);
    const char *o;
    const char *oend;
    const char *nl;
    size_t  i;

    smtp_mime_downgrade(data, len, out);
    o = vstring_str(out);
    oend = o + vstring_len(out);
    if (vstring_len(out) > 4 * len + 256)
	abort();
    if (!smtp_mime_has_8bit(data, len)) {
	if (vstring_len(out) != len || memcmp(o, data, len) != 0)
	    abort();
    } else {
	while (o < oend) {
	    nl = memchr(o, '\n', (size_t) (oend - o));
	    if (nl == 0)
		nl = oend;
	    for (i = 0; o + i < nl; i++)
		if ((unsigned char) o[i] & 0x80)
		    break;
	    if (o + i < nl && !in_input_header(data, len, o, (size_t) (nl - o)))
		abort();
	    o = nl + 1;
	}
    }
    vstring_free(&out);
}

static void check_nexthop(const char *data, size_t len)
{
    char    buf[301];
    const char *nl = memchr(data, '\n', len);
    size_t  n = nl ? (size_t) (nl - data) : len;
    struct vstring *host = vstring_alloc(100);
    unsigned port;
    int     mx;

    if (n > sizeof(buf) - 1)
	n = sizeof(buf) - 1;
    memcpy(buf, data, n);
    buf[n] = 0;
    if (memchr(buf, 0, n) == 0 && smtp_addr_parse_nexthop(buf, host, &port,
							    &mx) == 0) {
	if (vstring_len(host) == 0 || port < 1 || port > 65535)
	    abort();
	if (mx != (buf[0] != '['))
	    abort();
	if (buf[0] == '[' && strchr(vstring_str(host), ']') != 0)
	    abort();
    }
    vstring_free(&host);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    check_downgrade((const char *) data, len);
    check_nexthop((const char *) data, len);
    return (0);
}
