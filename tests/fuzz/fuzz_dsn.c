/*++
/* NAME
/*	fuzz_dsn 1
/* SUMMARY
/*	libFuzzer target: RFC 3461 parameters (smtpd) and dsn(3)
/* SYNOPSIS
/*	./fuzz_dsn [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input (cut at its first NUL byte, as a command line would
/*	be) is given to smtpd_parse_params() as MAIL FROM parameters
/*	and as RCPT TO parameters, and alone to dsn_xtext_decode(),
/*	dsn_notify_parse() and, as an N record's data, dsn_rec_parse().
/*
/*	Invariants when the input is accepted: a decoded ENVID is at
/*	most DSN_ENVID_MAX printable ASCII characters and a decoded
/*	ORCPT printable ASCII that dsn_orcpt_ok() likes; RET is null,
/*	FULL or HDRS; a NOTIFY mask is NEVER alone or a set of SUCCESS,
/*	FAILURE and DELAY, and dsn_notify_str() of it parses back to the
/*	same mask; xtext encoded with dsn_xtext_encode() decodes back to
/*	the same text; the N record that smtpd would send
/*	(dsn_rec_format()) parses back (dsn_rec_parse()) to the same mask
/*	and ORCPT, which is what cleanup and the queue file reader check.
/*	A refused input has a reason. Crashes, sanitizer reports, leaks
/*	and broken invariants are findings.
/*	Seeds: corpus/fuzz_dsn/; dictionary: fuzz_dsn.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <msg.h>
#include <vstring.h>

#include <dsn.h>

#include "smtpd.h"

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* smtpd_parse.c's command table names the handlers; this target only parses. */
#include "smtpd_cmd_stubs.h"

/* check - abort when a promise is broken */

static void check(int ok, const char *what)
{
    if (!ok)
	msg_panic("fuzz_dsn: %s", what);
}

/* printable - printable ASCII only */

static int printable(const char *cp)
{
    for (; *cp; cp++)
	if ((unsigned char) *cp < ' ' || (unsigned char) *cp > '~')
	    return (0);
    return (1);
}

/* check_mask - a NOTIFY mask as RFC 3461 allows it */

static void check_mask(int mask, struct vstring *tmp)
{
    check(mask > 0 && (mask & ~DSN_NOTIFY_MASK) == 0, "mask bits");
    check(!(mask & DSN_NOTIFY_NEVER) || mask == DSN_NOTIFY_NEVER,
	  "NEVER alone");
    check(dsn_notify_parse(dsn_notify_str(tmp, mask)) == mask, "mask again");
}

/* check_xtext - text survives encoding and decoding */

static void check_xtext(const char *text, struct vstring *enc,
			        struct vstring *dec)
{
    check(dsn_xtext_decode(dec, dsn_xtext_encode(enc, text)) == 0
	  && strcmp(vstring_str(dec), text) == 0, "xtext again");
}

/* check_rec - an N record reads back the same */

static void check_rec(int mask, const char *orcpt, struct vstring *rec,
		              struct vstring *tmp)
{
    int     got = -1;

    dsn_rec_format(rec, mask, orcpt);
    check(dsn_rec_parse(vstring_str(rec), vstring_len(rec), &got, tmp) == 0,
	  "N record parse");
    check(got == mask && strcmp(vstring_str(tmp), orcpt) == 0,
	  "N record again");
}

/* fuzz_params - smtpd_parse_params() as MAIL or RCPT */

static void fuzz_params(const char *text, int cmd, struct vstring *copy,
			        struct vstring *enc, struct vstring *dec,
			        struct vstring *why)
{
    struct smtpd_params p;

    vstring_strcpy(copy, text);
    vstring_reset(why);
    smtpd_params_init(&p);
    if (smtpd_parse_params(vstring_str(copy), cmd, &p, why) != SMTPD_PARAM_OK) {
	check(vstring_len(why) > 0, "reason");
    } else if (cmd == SMTPD_CMD_MAIL) {
	check(p.ret == 0 || strcmp(p.ret, DSN_RET_FULL) == 0
	      || strcmp(p.ret, DSN_RET_HDRS) == 0, "RET");
	check(vstring_len(p.envid) <= DSN_ENVID_MAX, "ENVID length");
	check(printable(vstring_str(p.envid)), "ENVID printable");
	check_xtext(vstring_str(p.envid), enc, dec);
	check(p.notify == 0 && vstring_len(p.orcpt) == 0, "MAIL has no RCPT");
    } else {
	if (p.notify)
	    check_mask(p.notify, enc);
	if (vstring_len(p.orcpt)) {
	    check(printable(vstring_str(p.orcpt)), "ORCPT printable");
	    check(dsn_orcpt_ok(vstring_str(p.orcpt)), "ORCPT form");
	    check_xtext(vstring_str(p.orcpt), enc, dec);
	}
	check_rec(p.notify, vstring_str(p.orcpt), enc, dec);
	check(p.ret == 0 && vstring_len(p.envid) == 0, "RCPT has no MAIL");
    }
    smtpd_params_free(&p);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    struct vstring *text;
    struct vstring *copy;
    struct vstring *enc;
    struct vstring *dec;
    struct vstring *why;
    const char *cp;
    int     mask;

    if (!init) {
	msg_init("fuzz_dsn");
	msg_stderr_init(0, 0);
	init = 1;
    }
    text = vstring_alloc(100);
    copy = vstring_alloc(100);
    enc = vstring_alloc(100);
    dec = vstring_alloc(100);
    why = vstring_alloc(100);
    vstring_memcpy(text, (const char *) data, size);
    cp = vstring_str(text);			/* up to the first NUL */

    fuzz_params(cp, SMTPD_CMD_MAIL, copy, enc, dec, why);
    fuzz_params(cp, SMTPD_CMD_RCPT, copy, enc, dec, why);

    if (dsn_xtext_decode(copy, cp) == 0) {
	check(strlen(vstring_str(copy)) == vstring_len(copy), "decoded NUL");
	check_xtext(vstring_str(copy), enc, dec);
    }
    if ((mask = dsn_notify_parse(cp)) >= 0)
	check_mask(mask, enc);
    if (dsn_rec_parse((const char *) data, size, &mask, copy) == 0) {
	check((mask & ~DSN_NOTIFY_MASK) == 0, "record mask");
	check(vstring_len(copy) == 0 || dsn_orcpt_ok(vstring_str(copy)),
	      "record ORCPT");
	check_rec(mask, vstring_str(copy), enc, dec);
    }
    vstring_free(&text);
    vstring_free(&copy);
    vstring_free(&enc);
    vstring_free(&dec);
    vstring_free(&why);
    return (0);
}
