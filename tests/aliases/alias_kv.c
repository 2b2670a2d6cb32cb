/*++
/* NAME
/*	alias_kv 1
/* SUMMARY
/*	print an aliases(5) file as "name value" lines (test helper)
/* SYNOPSIS
/*	./alias_kv file
/* DESCRIPTION
/*	alias_kv parses file with alias_parse_file() and prints one line
/*	"name value" per entry, the input of drommap's key/value format.
/*	The integration tests use it to build alias maps with "drommap -i"
/*	when drommap has no -a (aliases) format. Warnings about malformed
/*	lines go to the standard error stream.
/* DIAGNOSTICS
/*	Exit status 0, or 1 when the file cannot be read.
/*--*/
#include <stdio.h>

#include <msg.h>
#include <vstring.h>

#include <alias_parse.h>

static void print_entry(void *ctx, const char *name, const char *value,
			        const char *file, int line)
{
    printf("%s %s\n", name, value);
}

int     main(int argc, char **argv)
{
    struct vstring *why = vstring_alloc(100);

    msg_init("alias_kv");
    msg_stderr_init(1, 0);
    if (argc != 2)
	msg_fatal("usage: alias_kv file");
    if (alias_parse_file(argv[1], print_entry, (void *) 0, why) < 0)
	msg_fatal("%s", vstring_str(why));
    vstring_free(&why);
    return (0);
}
