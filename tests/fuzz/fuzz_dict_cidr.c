/*++
/* NAME
/*	fuzz_dict_cidr 1
/* SUMMARY
/*	libFuzzer target: cidr table parsing and lookups
/* SYNOPSIS
/*	./fuzz_dict_cidr [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input is parsed as a cidr table (dict_open_text). When it
/*	opens, fixed IPv4 and IPv6 addresses are looked up, and so is the
/*	first word of every line of the input: a network address written
/*	in the table that parses as an address must be found (the line
/*	that holds it, or an earlier one, matches). When it does not
/*	open, the reason must name the source and a line. Crashes,
/*	sanitizer reports, leaks and broken invariants are findings.
/*	Seeds: corpus/fuzz_dict_cidr/; dictionary: fuzz_dict_cidr.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <sys/socket.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <msg.h>
#include <vstring.h>

#include <dict.h>

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    static const char *keys[] = {"0.0.0.0", "1.2.3.4", "10.0.0.1",
	"192.168.1.1", "255.255.255.255", "::", "::1", "2001:db8::1",
    "::ffff:1.2.3.4", "fe80::1", "x", "", 0};
    struct vstring *why = vstring_alloc(100);
    struct vstring *word = vstring_alloc(100);
    unsigned char addr[16];
    struct dict *dict;
    const char *value;
    const char **kp;
    const char *cp = (const char *) data;
    const char *end = cp + size;
    const char *start;
    char   *slash;

    if (!init) {
	msg_init("fuzz_dict_cidr");
	msg_stderr_init(0, 0);
	init = 1;
    }
    dict = dict_open_text("cidr", "fuzz.cidr", (const char *) data, size,
			  DICT_FLAG_DEFAULT, why);
    if (dict == 0) {
	if (strncmp(vstring_str(why), "fuzz.cidr, line ", 16) != 0)
	    abort();
    } else {
	for (kp = keys; *kp; kp++)
	    if (dict_lookup(dict, *kp, &value) == DICT_STAT_ERROR)
		abort();
	/* The first word of each line: an address in it must be found. */
	while (cp < end) {
	    start = cp;
	    while (cp < end && *cp != '\n' && *cp != ' ' && *cp != '\t'
		   && *cp != 0)
		cp++;
	    vstring_memcpy(word, start, (size_t) (cp - start));
	    if ((slash = strchr(vstring_str(word), '/')) != 0)
		vstring_truncate(word, (size_t) (slash - vstring_str(word)));
	    if ((inet_pton(AF_INET, vstring_str(word), addr) == 1
		 || inet_pton(AF_INET6, vstring_str(word), addr) == 1)
		&& start < end && (start == (const char *) data || start[-1] == '\n')
		&& dict_lookup(dict, vstring_str(word), &value) != DICT_STAT_FOUND)
		abort();
	    while (cp < end && *cp != '\n')
		cp++;
	    if (cp < end)
		cp++;
	}
	dict_close(&dict);
    }
    vstring_free(&why);
    vstring_free(&word);
    return (0);
}
