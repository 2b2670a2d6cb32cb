/*++
/* NAME
/*	fuzz_mail_addr 1
/* SUMMARY
/*	libFuzzer target: the RFC 5321 address parser
/* SYNOPSIS
/*	./fuzz_mail_addr [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input is parsed with mail_addr_parse() under every flag
/*	combination (the input is not NUL-terminated: the parser must
/*	honour its length). An accepted address must be re-parseable in
/*	angle brackets to itself, must split with mail_addr_split(), and
/*	the returned end must lie within the input. Crashes, sanitizer
/*	reports, leaks and failed invariants are findings.
/*	Seeds: corpus/fuzz_mail_addr/; dictionary: fuzz_mail_addr.dict.
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

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    struct vstring *addr;
    struct vstring *again;
    struct vstring *why;
    struct vstring *local;
    struct vstring *domain;
    struct vstring *wrapped;
    const char *end;
    char   *copy;
    int     flags;

    if (!init) {
	msg_init("fuzz_mail_addr");
	msg_stderr_init(0, 0);
	init = 1;
    }
    addr = vstring_alloc(100);
    again = vstring_alloc(100);
    why = vstring_alloc(100);
    local = vstring_alloc(100);
    domain = vstring_alloc(100);
    wrapped = vstring_alloc(100);
    /* An exact-size copy, so that reading past size is caught by ASan. */
    copy = mymalloc(size ? size : 1);
    memcpy(copy, data, size);
    for (flags = 0; flags < 8; flags++) {
	end = mail_addr_parse(copy, size, flags, addr, why);
	if (end == 0)
	    continue;
	if (end < copy || end > copy + size)
	    abort();
	if (vstring_len(addr) > MAIL_ADDR_PATH_MAX)
	    abort();
	if (strlen(vstring_str(addr)) != vstring_len(addr))
	    abort();
	(void) mail_addr_split(vstring_str(addr), local, domain);
	if (vstring_len(addr) == 0)
	    continue;
	vstring_sprintf(wrapped, "<%s>", vstring_str(addr));
	end = mail_addr_parse(vstring_str(wrapped), vstring_len(wrapped),
			      flags, again, why);
	if (end != vstring_end(wrapped)
	    || strcmp(vstring_str(again), vstring_str(addr)) != 0)
	    abort();
	(void) mail_addr_domain_in_list(vstring_str(domain),
					"example.com, localhost");
    }
    myfree(copy);
    vstring_free(&addr);
    vstring_free(&again);
    vstring_free(&why);
    vstring_free(&local);
    vstring_free(&domain);
    vstring_free(&wrapped);
    return (0);
}
