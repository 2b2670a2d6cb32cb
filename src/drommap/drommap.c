/*++
/* NAME
/*	drommap 1
/* SUMMARY
/*	build and query lookup tables
/* SYNOPSIS
/*	drommap [-c config_dir] [-N] [-f] [-r] [-v] [type:]file
/*
/*	drommap [-c config_dir] [-N] [-f] [-r] [-v] -i [type:]file
/*
/*	drommap [-c config_dir] [-N] [-f] [-v] -d key|- [type:]file
/*
/*	drommap [-c config_dir] [-N] [-f] [-v] -q key|- [type:]name
/*
/*	drommap [-c config_dir] [-N] [-f] [-v] -s [type:]name
/* DESCRIPTION
/*	drommap builds the indexed lookup tables that dromos reads
/*	(hash:, btree: and lmdb:) from their text source, and looks keys
/*	up in any table type (see html/tables.html for every type).
/*
/*	Without -i, -d, -q or -s, drommap builds file.db (hash, btree) or
/*	file.lmdb (lmdb) from the text file file. The type defaults to
/*	hash. The source has one entry per logical line, "key whitespace
/*	value"; a line that starts with white space continues the one
/*	before it; empty lines and lines whose first non-blank character
/*	is "#" are ignored. Keys are folded to lower case (see -f).
/*
/*	The build is atomic: drommap takes an exclusive lock on file.lock
/*	(so two builds never interleave; it waits up to a minute for
/*	another drommap), writes the new map into a fresh file in the same
/*	folder, syncs it to disk and renames it over the old map. A daemon
/*	that is reading the old map keeps reading it, whole, until it
/*	notices the change and reopens the table; one that opens the map
/*	finds the old or the new one, never a half-built file. When
/*	anything fails, the old map stays as it was.
/*
/*	The new map gets the file mode of the source file (its read and
/*	write bits) and, when drommap runs as root, its owner and group,
/*	so a map built from a private source stays private.
/*
/*	A malformed source line (a key without a value) is reported as
/*	"FILE, line N: expected format: key whitespace value", skipped,
/*	and the build goes on, as Postfix's postmap does; the warnings are
/*	on the standard error stream and the exit status stays 0, because
/*	the map was built from every good line. A key that appears twice
/*	keeps its first value, with a warning "FILE, line N: duplicate
/*	entry" (see -r). A line longer than 1 MiB, an unreadable source or
/*	a failure to write the map stops drommap with exit status 2 and
/*	leaves the old map in place.
/*
/*	Options:
/* .IP "-c config_dir"
/*	Read config_dir/main.cf (the default is $MAIL_CONFIG, else the
/*	config_directory chosen at build time, where a missing main.cf
/*	is no error).
/* .IP "-d key"
/*	Delete key from the map, in place and under the lock. Exit status
/*	0 when it was there, 1 when not. With "-d -", delete each key read
/*	from standard input, one per line (status 0 when any was there).
/* .IP -f
/*	Do not fold keys to lower case, when building or querying.
/* .IP -i
/*	Incremental: read "key whitespace value" lines from standard
/*	input and add them to the map in place, under the lock (the map is
/*	created when missing). All input is read before the map is opened,
/*	so readers wait only while the entries are written. Malformed lines
/*	are reported as "stdin, line N" and skipped.
/* .IP -N
/*	Store and look up keys and values with their terminating NUL byte,
/*	as some Postfix maps are built. Without -N, keys are stored without
/*	it and a lookup tries both forms.
/* .IP "-q key"
/*	Look key up in a table of any type and print its value. Exit
/*	status 0 when found, 1 when not found, 2 on an error. With "-q -",
/*	look up each line of standard input and print "key<TAB>value" for
/*	every key found (exit status 0 when any was found).
/* .IP -r
/*	When a key is added again (a duplicate in the source, or -i for a
/*	key in the map), replace its value silently instead of keeping the
/*	first value with a warning.
/* .IP -s
/*	Print every entry of the table as "key<TAB>value" (hash, btree,
/*	lmdb, texthash and inline tables). "drommap -s
/*	$pop_before_smtp_database" shows the POP-before-SMTP clients,
/*	one address a line with the time its entry expires (seconds since
/*	the epoch, e.g. "127.0.0.3<TAB>1764385200"); entries whose time
/*	has passed are no longer trusted and go at the next POP3 login.
/* .IP -a
/*	The source is an aliases(5) file ("name: address, ..." with
/*	continuation lines; see html/aliases.html): keys are the alias
/*	names folded to lower case, values the joined addresses. This is
/*	how post-install and an administrator build the alias database
/*	("drommap -a hash:/etc/dromos/aliases", as newaliases does).
/* .IP -v
/*	More verbose logging (repeat for more).
/* SECURITY
/*	drommap runs as the invoking user, is never chrooted and has no
/*	privileges of its own; it is normally run by root. Its inputs are
/*	the command line, the source file, standard input and the map
/*	files, all from the administrator. It writes the map, a temporary
/*	file next to it (created with O_EXCL and O_NOFOLLOW and renamed into
/*	place) and file.lock; the folder of the map should be writable
/*	only by root. Text is read with bounded line lengths.
/* DIAGNOSTICS
/*	Warnings and errors go to the standard error stream as
/*	"drommap: warning: ..." and "drommap: fatal: ...", naming the file
/*	and line where a source line is at fault. Exit status: 0 success
/*	(or found), 1 not found (-q, -d), 2 error.
/* BUGS
/*	LMDB keys are limited to 511 bytes; a longer key stops an lmdb
/*	build with an error naming the line. A map changed in place
/*	(-i, -d) is reopened by a reading daemon at its next lookup
/*	(Berkeley DB) or seen at once (LMDB).
/* CONFIGURATION PARAMETERS
/*	None yet; main.cf is read so that later ones (and errors in it)
/*	are seen as by the other commands.
/* FILES
/*	file, the text source.
/*	file.db, file.lmdb, the maps.
/*	file.lock, the lock that serializes changes to the map.
/* SEE ALSO
/*	html/tables.html, the table types and their syntax.
/*	dromconf(1), the parameters.
/*--*/
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <mymalloc.h>
#include <stringops.h>
#include <vstring.h>

#include <dict.h>
#include <mail_params.h>
#include <mail_conf.h>

#include "drommap.h"

#define DROMMAP_DEFAULT_TYPE	"hash"
#define DROMMAP_EXIT_ERROR	2

/* drommap_usage - complain and exit */

static void drommap_usage(void)
{
    msg_fatal("usage: drommap [-c config_dir] [-N] [-f] [-r] [-v]"
	      " [-i | -d key | -q key | -s] [type:]file");
}

/* drommap_config - read main.cf */

static void drommap_config(const char *config_dir, int explicit)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct stat st;

    path_join(path, config_dir, "main.cf");
    if (explicit || stat(vstring_str(path), &st) == 0) {
	if (mail_conf_read(config_dir, why) < 0)
	    msg_fatal("%s", vstring_str(why));
    }
    if (mail_conf_eval(why) < 0)
	msg_fatal("%s", vstring_str(why));
    vstring_free(&path);
    vstring_free(&why);
}

/* drommap_split - type and file of "[type:]file" */

static void drommap_split(const char *arg, char **type, char **file)
{
    const char *colon = strchr(arg, ':');

    if (colon == 0) {
	*type = mystrdup(DROMMAP_DEFAULT_TYPE);
	*file = mystrdup(arg);
    } else {
	*type = mystrndup(arg, (size_t) (colon - arg));
	*file = mystrdup(colon + 1);
    }
    if (**file == 0)
	msg_fatal("\"%s\": missing file name", arg);
}

int     main(int argc, char **argv)
{
    const struct drommap_format *fmt;
    const char *config_dir;
    const char *key = 0;
    char   *type;
    char   *file;
    struct vstring *spec;
    int     explicit_config;
    int     fmt_option = 0;
    int     flags = DICT_FLAG_FOLD_KEY | DICT_FLAG_TRY_BOTH;
    int     dup_flag = DICT_FLAG_DUP_WARN;
    int     mode = 0;
    int     status;
    int     ch;

    msg_init(argv[0]);
    msg_stderr_init(1, 0);
    msg_fatal_status(DROMMAP_EXIT_ERROR);
    if ((config_dir = getenv("MAIL_CONFIG")) == 0 || *config_dir == 0) {
	config_dir = DEF_CONFIG_DIR;
	explicit_config = 0;
    } else {
	explicit_config = 1;
    }
    while ((ch = getopt(argc, argv, "ac:d:fiNq:rsv")) != -1) {
	switch (ch) {
	case 'a':
	    fmt_option = ch;
	    break;
	case 'c':
	    config_dir = optarg;
	    explicit_config = 1;
	    break;
	case 'f':
	    flags &= ~DICT_FLAG_FOLD_KEY;
	    break;
	case 'N':
	    flags = (flags & ~DICT_FLAG_TRY_BOTH) | DICT_FLAG_APPEND_NUL;
	    break;
	case 'r':
	    dup_flag = DICT_FLAG_DUP_REPLACE;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	case 'd':
	case 'q':
	    key = optarg;
	    /* FALLTHROUGH */
	case 'i':
	case 's':
	    if (mode && mode != ch)
		msg_fatal("options -d, -i, -q and -s exclude each other");
	    mode = ch;
	    break;
	default:
	    drommap_usage();
	}
    }
    if (argc - optind != 1)
	drommap_usage();
    drommap_config(config_dir, explicit_config);
    if ((fmt = drommap_format_find(fmt_option)) == 0)
	msg_fatal("-%c: that source format is not available in this build",
		  fmt_option);

    drommap_split(argv[optind], &type, &file);
    if (mode == 'q' || mode == 's') {
	spec = vstring_alloc(100);
	vstring_sprintf(spec, "%s:%s", type, file);
	status = (mode == 'q') ? drommap_query(vstring_str(spec), key, flags)
	    : drommap_dump(vstring_str(spec), flags);
	vstring_free(&spec);
    } else {
	if (!dict_type_is_file(type))
	    msg_fatal("\"%s\": drommap builds hash, btree and lmdb maps"
		      " (a %s table can be tested with -q and -s)",
		      argv[optind], type);
	flags |= dup_flag;
	switch (mode) {
	case 'i':
	    status = drommap_incremental(fmt, type, file, flags);
	    break;
	case 'd':
	    status = drommap_delete(type, file, key, flags);
	    break;
	default:
	    status = drommap_build(fmt, type, file, flags);
	    break;
	}
    }
    myfree(type);
    myfree(file);
    if (fflush(stdout) != 0 || ferror(stdout))
	msg_fatal("write error on standard output");
    return (status);
}
