/*++
/* NAME
/*	fuzz_maildrop 1
/* SUMMARY
/*	libFuzzer target: the maildrop file reader and sendmail's header
/*	address parser
/* SYNOPSIS
/*	./fuzz_maildrop [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input is read, from a memfd, by maildrop_check_stream() twice:
/*	as a file in maildrop/ (MAILDROP_FILE, what pickup(8) reads) and
/*	as the stream from sendmail (MAILDROP_FROM_CLIENT, what dromdrop(1)
/*	reads), with a size limit of 1000 bytes. It also goes, whole, to
/*	addr_list_parse() (the To:/Cc:/Bcc: parser of "sendmail -t") and
/*	to login_sender_match() as a list of allowed senders.
/*
/*	Invariants: a complete check (MAILDROP_CHECK_DONE) has at least one
/*	recipient and, for a file, a uid; a client stream never has one;
/*	an error has a reason; MAILDROP_CHECK_SIZE only with content over
/*	the limit. addr_list_parse() adds at most ADDR_LIST_MAX addresses,
/*	none empty, longer than ADDR_LIST_LEN or holding a control
/*	character other than tab. Crashes, sanitizer reports and leaks are
/*	findings.
/*	Seeds: corpus/fuzz_maildrop/; dictionary: fuzz_maildrop.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <sys/mman.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <argv.h>
#include <msg.h>
#include <vstream.h>
#include <vstring.h>

#include <addr_list.h>
#include <login_sender.h>
#include <mail_params.h>
#include <maildrop.h>

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void check(int ok, const char *what)
{
    if (!ok)
	msg_panic("fuzz_maildrop: %s", what);
}

static void check_stream(int fd, int mode)
{
    struct vstream *in;
    struct vstring *why = vstring_alloc(100);
    struct maildrop_check c;
    int     status;

    if (lseek(fd, 0, SEEK_SET) < 0)
	msg_fatal("lseek: %m");
    in = vstream_fdopen(fd, 0);
    status = maildrop_check_stream(in, mode, 1000, &c, why);
    (void) vstream_close(&in);
    if (status == MAILDROP_CHECK_DONE) {
	check(c.rcpts >= 1, "complete without recipients");
	check(mode == MAILDROP_FILE ? c.uid >= 0 : c.uid == -1, "uid");
	check(c.size <= 1000, "complete over the limit");
    } else if (status == MAILDROP_CHECK_SIZE) {
	check(c.size > 1000, "size status under the limit");
    } else {
	check(status == MAILDROP_CHECK_ERROR, "status");
	check(vstring_len(why) > 0, "error without a reason");
    }
    vstring_free(&why);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static int fd = -1;
    struct argv *addrs = argv_alloc(4);
    struct vstring *text = vstring_alloc(len + 1);
    size_t  i;
    size_t  j;

    if (var_myorigin == 0)
	var_myorigin = "example.test";
    if (fd < 0 && (fd = memfd_create("fuzz_maildrop", MFD_CLOEXEC)) < 0)
	msg_fatal("memfd_create: %m");
    if (ftruncate(fd, 0) < 0 || pwrite(fd, data, len, 0) != (ssize_t) len)
	msg_fatal("memfd write: %m");
    check_stream(fd, MAILDROP_FILE);
    check_stream(fd, MAILDROP_FROM_CLIENT);

    (void) addr_list_parse(addrs, (const char *) data, len);
    check(addrs->argc <= ADDR_LIST_MAX, "too many addresses");
    for (i = 0; i < addrs->argc; i++) {
	size_t  alen = strlen(addrs->argv[i]);

	check(alen > 0 && alen <= ADDR_LIST_LEN, "address length");
	for (j = 0; j < alen; j++)
	    check((unsigned char) addrs->argv[i][j] >= 0x20
		  || addrs->argv[i][j] == '\t', "control character");
    }
    argv_free(&addrs);

    vstring_memcpy(text, data, len);
    if (memchr(data, 0, len) == 0)
	(void) login_sender_match("user", "user@example.test",
				  vstring_str(text));
    vstring_free(&text);
    return (0);
}
