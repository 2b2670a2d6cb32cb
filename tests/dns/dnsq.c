/*++
/* NAME
/*	dnsq 1
/* SUMMARY
/*	query DNS through dns_lookup(3), for tests
/* SYNOPSIS
/*	dnsq [-v] [-p inet_protocols] [-r root] [-w file] query argument
/* DESCRIPTION
/*	dnsq runs one dns_lookup(3) function and prints its result on
/*	the first line ("OK", "NOTFOUND", "NODATA", "RETRY", "FAIL",
/*	"NULLMX"), then one line a record, then the reason (for results
/*	other than OK) after "why: ". Queries: a, aaaa, mx, ptr, txt (one
/*	dns_lookup() of that type), mxsorted (dns_lookup_mx_sorted),
/*	addrs (dns_lookup_addrs), reverse (dns_reverse), exists
/*	(dns_domain_exists), verify (dns_verify_client).
/*
/*	Record lines: "name type ttl data", where data is the address (A,
/*	AAAA), "preference target" (MX), the target (PTR) or the text in
/*	double quotes (TXT).
/*
/*	Options:
/* .IP -p
/*	the inet_protocols value (default: all).
/* .IP -r
/*	chroot to root first (as a chrooted daemon does: the resolver then
/*	reads root/etc/resolv.conf).
/* .IP -w
/*	(with a, aaaa, mx, ptr, txt) also write the raw answer from
/*	res_query(3) to file: seeds for the fuzzer.
/* .IP -v
/*	verbose logging to stderr.
/* DIAGNOSTICS
/*	Exit status 0 for OK, 1 for other results, 2 for usage errors.
/*--*/
#include <sys/types.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <mail_params.h>
#include <dns_lookup.h>

static void print_rrs(struct dns_rr *rrs)
{
    struct dns_rr *rr;
    char    buf[INET6_ADDRSTRLEN];
    size_t  i;

    for (rr = rrs; rr; rr = rr->next) {
	printf("%s %s %u ", rr->name, dns_type_str(rr->type), rr->ttl);
	switch (rr->type) {
	case DNS_T_A:
	case DNS_T_AAAA:
	    printf("%s\n", inet_ntop(rr->addr_len == 4 ? AF_INET : AF_INET6,
				     rr->addr, buf, sizeof(buf)));
	    break;
	case DNS_T_MX:
	    printf("%u %s\n", rr->pref, rr->data);
	    break;
	case DNS_T_TXT:
	    putchar('"');
	    for (i = 0; i < rr->data_len; i++)
		putchar(rr->data[i] >= ' ' && rr->data[i] < 127 ?
			rr->data[i] : '?');
	    printf("\"\n");
	    break;
	default:
	    printf("%s\n", rr->data ? rr->data : "");
	    break;
	}
    }
}

static int type_of(const char *query)
{
    if (strcmp(query, "a") == 0)
	return (DNS_T_A);
    if (strcmp(query, "aaaa") == 0)
	return (DNS_T_AAAA);
    if (strcmp(query, "mx") == 0)
	return (DNS_T_MX);
    if (strcmp(query, "ptr") == 0)
	return (DNS_T_PTR);
    if (strcmp(query, "txt") == 0)
	return (DNS_T_TXT);
    return (0);
}

/* save_raw - the raw answer, from a query of our own */

static void save_raw(const char *path, const char *name, int type)
{
    unsigned char buf[65536];
    struct __res_state res;
    int     len;
    int     fd;

    memset(&res, 0, sizeof(res));
    if (res_ninit(&res) < 0)
	msg_fatal("res_ninit failed");
    len = res_nquery(&res, name, ns_c_in, type, buf, sizeof(buf));
    res_nclose(&res);
    if (len < 0)
	msg_fatal("%s: no answer to save", name);
    if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0
	|| write(fd, buf, (size_t) len) != len || close(fd) < 0)
	msg_fatal("write %s: %m", path);
}

int     main(int argc, char **argv)
{
    struct dns_rr *rrs = 0;
    struct vstring *why = vstring_alloc(100);
    struct vstring *name = vstring_alloc(100);
    const char *root = 0;
    const char *raw = 0;
    const char *query;
    const char *arg;
    int     status;
    int     ch;

    msg_init("dnsq");
    var_inet_protocols = "all";
    while ((ch = getopt(argc, argv, "p:r:vw:")) != -1) {
	switch (ch) {
	case 'p':
	    var_inet_protocols = optarg;
	    break;
	case 'r':
	    root = optarg;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	case 'w':
	    raw = optarg;
	    break;
	default:
	    exit(2);
	}
    }
    if (argc - optind != 2) {
	fprintf(stderr, "usage: dnsq [-v] [-p inet_protocols] [-r root] "
		"[-w file] query argument\n");
	exit(2);
    }
    query = argv[optind];
    arg = argv[optind + 1];
    if (root && (chroot(root) < 0 || chdir("/") < 0))
	msg_fatal("chroot %s: %m", root);

    if (type_of(query)) {
	if (raw)
	    save_raw(raw, arg, type_of(query));
	status = dns_lookup(arg, type_of(query), &rrs, why);
    } else if (strcmp(query, "mxsorted") == 0) {
	status = dns_lookup_mx_sorted(arg, &rrs, why);
    } else if (strcmp(query, "addrs") == 0) {
	status = dns_lookup_addrs(arg, &rrs, why);
    } else if (strcmp(query, "reverse") == 0) {
	status = dns_reverse(arg, &rrs, why);
    } else if (strcmp(query, "exists") == 0) {
	status = dns_domain_exists(arg, why);
    } else if (strcmp(query, "verify") == 0) {
	status = dns_verify_client(arg, name, why);
    } else {
	fprintf(stderr, "dnsq: unknown query %s\n", query);
	exit(2);
    }
    printf("%s\n", dns_status_str(status));
    print_rrs(rrs);
    if (status == DNS_OK && strcmp(query, "verify") == 0)
	printf("%s\n", vstring_str(name));
    if (status != DNS_OK)
	printf("why: %s\n", vstring_str(why));
    dns_rr_free(&rrs);
    vstring_free(&why);
    vstring_free(&name);
    return (status == DNS_OK ? 0 : 1);
}
