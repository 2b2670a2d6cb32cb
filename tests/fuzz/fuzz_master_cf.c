/*++
/* NAME
/*	fuzz_master_cf 1
/* SUMMARY
/*	libFuzzer target: master.cf lines and files
/* SYNOPSIS
/*	./fuzz_master_cf [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input (without NUL bytes) is parsed as one logical line with
/*	master_conf_parse_line(); an accepted line is formatted in
/*	canonical form (master_conf_format), which must parse again to the
/*	same canonical form, or the target aborts. The input is also
/*	written to a scratch file and read as a whole master.cf with
/*	master_conf_read() (continuation lines, comments, duplicates).
/*	Seeds: corpus/fuzz_master_cf/; dictionary: fuzz_master_cf.dict.
/* DIAGNOSTICS
/*	libFuzzer's; "canonical form does not round-trip" aborts.
/*--*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <master_conf.h>

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char scratch[] = "/tmp/fuzz_master_cf.XXXXXX";
static int scratch_fd = -1;

static void round_trip(const char *text)
{
    struct master_ent *ent;
    struct master_ent *ent2;
    struct vstring *why = vstring_alloc(100);
    struct vstring *one = vstring_alloc(100);
    struct vstring *two = vstring_alloc(100);

    if (master_conf_parse_line(text, "master.cf", 1, &ent, why) == 1) {
	master_conf_format(one, ent);
	if (master_conf_parse_line(vstring_str(one), "master.cf", 1, &ent2, why) != 1)
	    msg_panic("canonical form does not parse: \"%s\": %s",
		      vstring_str(one), vstring_str(why));
	master_conf_format(two, ent2);
	if (strcmp(vstring_str(one), vstring_str(two)) != 0)
	    msg_panic("canonical form does not round-trip: \"%s\" -> \"%s\"",
		      vstring_str(one), vstring_str(two));
	master_conf_free(&ent);
	master_conf_free(&ent2);
    }
    vstring_free(&why);
    vstring_free(&one);
    vstring_free(&two);
}

static void cleanup(void)
{
    unlink(scratch);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct master_ent *list;
    struct vstring *why;
    char   *text;

    if (scratch_fd < 0) {
	msg_init("fuzz_master_cf");
	msg_stderr_init(0, 0);
	if ((scratch_fd = mkstemp(scratch)) < 0)
	    msg_fatal("mkstemp %s: %m", scratch);
	atexit(cleanup);
    }
    if (memchr(data, 0, size) == 0) {
	text = mystrndup((const char *) data, size);
	round_trip(text);
	myfree(text);
    }
    why = vstring_alloc(100);
    if (ftruncate(scratch_fd, 0) < 0
	|| pwrite(scratch_fd, data, size, 0) != (ssize_t) size)
	msg_fatal("write %s: %m", scratch);
    if (master_conf_read(scratch, &list, why) == 0)
	master_conf_free(&list);
    vstring_free(&why);
    return (0);
}
