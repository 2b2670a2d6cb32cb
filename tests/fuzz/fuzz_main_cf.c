/*++
/* NAME
/*	fuzz_main_cf 1
/* SUMMARY
/*	libFuzzer target: main.cf parsing and $name expansion
/* SYNOPSIS
/*	./fuzz_main_cf [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input is parsed as a main.cf (mail_conf_read_buf), then every
/*	parameter is evaluated (mail_conf_eval) and every name the input
/*	sets is expanded (mail_conf_eval_name); the input is also expanded
/*	as one value (mail_conf_expand). Crashes, sanitizer reports,
/*	leaks and timeouts are findings; errors are expected.
/*	Seeds: corpus/fuzz_main_cf/; dictionary: fuzz_main_cf.dict.
/* DIAGNOSTICS
/*	libFuzzer's.
/*--*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <mail_conf.h>

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    struct vstring *why;
    struct vstring *out;
    struct argv *names;
    char   *text;
    size_t  i;

    if (!init) {
	msg_init("fuzz_main_cf");
	msg_stderr_init(0, 0);
	init = 1;
    }
    why = vstring_alloc(100);
    out = vstring_alloc(100);
    if (mail_conf_read_buf("main.cf", (const char *) data, size, why) == 0) {
	(void) mail_conf_eval(why);
	names = mail_conf_names();
	for (i = 0; i < names->argc; i++)
	    (void) mail_conf_eval_name(names->argv[i], out, why);
	argv_free(&names);
	if (memchr(data, 0, size) == 0) {
	    text = mystrndup((const char *) data, size);
	    (void) mail_conf_expand(text, out, why);
	    myfree(text);
	}
    }
    vstring_free(&why);
    vstring_free(&out);
    return (0);
}
