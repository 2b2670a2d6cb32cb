/*++
/* NAME
/*	fuzz_smtpd_cmd 1
/* SUMMARY
/*	libFuzzer target: smtpd command lines and the DATA filter stack
/* SYNOPSIS
/*	./fuzz_smtpd_cmd [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	The input is taken as what a client sends: it is split into lines
/*	at LF and each line goes through smtpd_cmd_split(),
/*	smtpd_cmd_find(), smtpd_parse_path() (MAIL FROM: and RCPT TO:
/*	forms), smtpd_parse_params() and smtpd_addr_is_local(), as
/*	smtpd does. Independently, the whole input is fed to the DATA
/*	filter stack (dot -> bare -> crlf -> limit -> discarding sink) in
/*	pieces whose sizes come from the first input byte; the invariants
/*	checked: the dot filter consumes only up to and including the end
/*	of data, and the end of data is always CR LF "." CR LF.
/*	Seeds: corpus/fuzz_smtpd_cmd/; dictionary: fuzz_smtpd_cmd.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <mail_addr.h>

#include "smtpd.h"

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* smtpd_parse.c's command table names the handlers; this target only parses. */
#include "smtpd_cmd_stubs.h"

static void fuzz_line(char *line, struct vstring *addr, struct vstring *why)
{
    const struct smtpd_cmd *cmd;
    char   *verb;
    char   *args;
    char   *rest;
    size_t  n;
    struct smtpd_params params;

    verb = smtpd_cmd_split(line, &n, &args);
    if ((cmd = smtpd_cmd_find(verb, n)) == 0)
	return;
    if (cmd->id == SMTPD_CMD_MAIL) {
	if (smtpd_parse_path(args, "FROM:", MAIL_ADDR_FLAG_NULL_OK, addr,
			     &rest, why) == SMTPD_PATH_OK) {
	    smtpd_params_init(&params);
	    (void) smtpd_parse_params(rest, SMTPD_CMD_MAIL, &params, why);
	    smtpd_params_free(&params);
	}
    } else if (cmd->id == SMTPD_CMD_RCPT || cmd->id == SMTPD_CMD_VRFY) {
	if (smtpd_parse_path(args, cmd->id == SMTPD_CMD_RCPT ? "TO:" : "",
			     MAIL_ADDR_FLAG_NODOMAIN, addr, &rest,
			     why) == SMTPD_PATH_OK) {
	    if (cmd->id == SMTPD_CMD_RCPT) {
		smtpd_params_init(&params);
		(void) smtpd_parse_params(rest, SMTPD_CMD_RCPT, &params, why);
		smtpd_params_free(&params);
	    }
	    (void) smtpd_addr_is_local(vstring_str(addr),
				       "mx.example.test, localhost");
	}
    }
}

static void fuzz_data(const uint8_t *data, size_t size)
{
    struct smtpd_data stack;
    size_t  step = size ? (size_t) (data[0] % 17) + 1 : 1;
    size_t  off = 0;
    size_t  n;
    ssize_t got;
    const char *buf = (const char *) data;

    smtpd_data_init(&stack, (struct vstream *) 0, 64);
    while (off < size && !stack.dot.done) {
	n = size - off < step ? size - off : step;
	got = smtpd_dot_feed(&stack.dot, buf + off, n);
	if (got < 0 || (size_t) got > n)
	    abort();
	if ((size_t) got < n && !stack.dot.done)
	    abort();
	off += (size_t) got;
    }
    if (stack.dot.done) {
	/* The data ended with CR LF "." CR LF (or "." CR LF at the start). */
	if (off < 3 || memcmp(buf + off - 3, ".\r\n", 3) != 0)
	    abort();
	if (off > 3 && (off < 5 || memcmp(buf + off - 5, "\r\n", 2) != 0))
	    abort();
	(void) smtpd_filter_finish(&stack.bare.filter);
    }
    smtpd_data_free(&stack);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    struct vstring *addr;
    struct vstring *why;
    struct vstring *line;
    const uint8_t *cp = data;
    const uint8_t *end = data + size;
    const uint8_t *nl;

    if (!init) {
	msg_init("fuzz_smtpd_cmd");
	msg_stderr_init(0, 0);
	init = 1;
    }
    addr = vstring_alloc(100);
    why = vstring_alloc(100);
    line = vstring_alloc(100);
    while (cp < end) {
	nl = memchr(cp, '\n', (size_t) (end - cp));
	nl = nl ? nl + 1 : end;
	vstring_memcpy(line, cp, (size_t) (nl - cp));
	fuzz_line(vstring_str(line), addr, why);
	cp = nl;
    }
    fuzz_data(data, size);
    vstring_free(&addr);
    vstring_free(&why);
    vstring_free(&line);
    return (0);
}
