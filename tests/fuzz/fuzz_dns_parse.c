/*++
/* NAME
/*	fuzz_dns_parse 1
/* SUMMARY
/*	libFuzzer target: the DNS answer parser of dns_lookup(3)
/* SYNOPSIS
/*	./fuzz_dns_parse [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input is a raw DNS message, as res_nquery(3) would return
/*	it. It is given to dns_parse_answer() (the function dns_lookup()
/*	calls after the query) for each of the types A, AAAA, MX, PTR and
/*	TXT, once with the question's own name and once with the name
/*	"example.test"; MX results also go through dns_mx_order() (null
/*	MX detection and sorting). Invariants: records only with DNS_OK,
/*	and then at least one; every record of the asked type; A and AAAA
/*	with 4 and 16 address bytes; MX and PTR targets NUL-terminated
/*	with data_len their length; TXT data_len bytes plus a NUL; MX
/*	records ordered by preference. Crashes, sanitizer reports, leaks
/*	and failed invariants are findings.
/*	Seeds: corpus/fuzz_dns_parse/, answers captured from dnsmasq by
/*	tests/dns/capture_seeds.py; dictionary: fuzz_dns_parse.dict.
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

#include <dns_lookup.h>

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void check_rrs(struct dns_rr *rrs, int type, int status)
{
    struct dns_rr *rr;

    if ((status == DNS_OK) != (rrs != 0))
	abort();
    for (rr = rrs; rr; rr = rr->next) {
	if (rr->type != type || rr->name == 0)
	    abort();
	switch (type) {
	case DNS_T_A:
	case DNS_T_AAAA:
	    if (rr->addr_len != (type == DNS_T_A ? 4U : 16U) || rr->data)
		abort();
	    break;
	case DNS_T_MX:
	case DNS_T_PTR:
	    if (rr->data == 0 || strlen(rr->data) != rr->data_len
		|| rr->data_len == 0)
		abort();
	    break;
	case DNS_T_TXT:
	    if (rr->data == 0 || rr->data[rr->data_len] != 0)
		abort();
	    break;
	}
    }
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int types[] = {
	DNS_T_A, DNS_T_AAAA, DNS_T_MX, DNS_T_PTR, DNS_T_TXT,
    };
    static int init;
    struct vstring *why;
    struct dns_rr *rrs;
    struct dns_rr *rr;
    unsigned char *copy;
    size_t  i;
    int     pass;
    int     status;

    if (!init) {
	msg_init("fuzz_dns_parse");
	msg_stderr_init(0, 0);
	init = 1;
    }
    why = vstring_alloc(100);
    /* An exact-size copy, so that reading past size is caught by ASan. */
    copy = mymalloc(size ? size : 1);
    memcpy(copy, data, size);
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
	for (pass = 0; pass < 2; pass++) {
	    vstring_reset(why);
	    status = dns_parse_answer(copy, size, pass ? "example.test" : 0,
				      types[i], &rrs, why);
	    check_rrs(rrs, types[i], status);
	    if (status != DNS_OK && vstring_len(why) == 0)
		abort();
	    if (status == DNS_OK && types[i] == DNS_T_MX) {
		vstring_reset(why);
		status = dns_mx_order(&rrs, why);
		if ((status != DNS_OK && status != DNS_NULLMX)
		    || (status == DNS_NULLMX && vstring_len(why) == 0))
		    abort();
		check_rrs(rrs, DNS_T_MX, status);
		for (rr = rrs; rr && rr->next; rr = rr->next)
		    if (rr->pref > rr->next->pref || strcmp(rr->data, ".") == 0)
			abort();
	    }
	    dns_rr_free(&rrs);
	}
    }
    myfree(copy);
    vstring_free(&why);
    return (0);
}
