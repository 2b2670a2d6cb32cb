/*++
/* NAME
/*	dromconf 1
/* SUMMARY
/*	show and edit dromos configuration parameters
/* SYNOPSIS
/*	dromconf [-c config_dir] [-d | -n] [-h] [-x] [name ...]
/*
/*	dromconf [-c config_dir] -e name=value ...
/*
/*	dromconf [-c config_dir] -X name ...
/*
/*	dromconf [-c config_dir] -M [service[/type] ...]
/* DESCRIPTION
/*	dromconf prints the parameters of main.cf as "name = value" lines,
/*	sorted by name, and changes them without disturbing the rest of
/*	the file. Every parameter, its type, default and range comes from
/*	the one parameter table in the code; html/parameters.html is made
/*	from the same table.
/*
/*	Without options it prints every parameter in the table with the
/*	value in effect: the value set in main.cf, else the default. Values
/*	are printed as written (with $name references unexpanded), except
/*	for computed defaults (myhostname, mydomain, config_directory),
/*	which are printed as computed. Before printing, the whole of main.cf
/*	is checked as a daemon would check it: a syntax error, a reference
/*	loop or a bad value stops dromconf with a one-line error that names
/*	the file and line.
/*
/*	Options:
/* .IP "-c config_dir"
/*	Use config_dir/main.cf and config_dir/master.cf. The default is
/*	$MAIL_CONFIG when set, else the config_directory chosen when dromos
/*	was built.
/* .IP -d
/*	Print the built-in defaults instead; main.cf is not read at all.
/* .IP -n
/*	Print only the parameters that main.cf sets (including
/*	user-defined ones that are not in the table).
/* .IP -h
/*	Print only the values, without "name = ".
/* .IP -x
/*	Expand $name references in the values printed.
/* .IP "-e name=value ..."
/*	Edit main.cf: for each argument (blanks around "=" are allowed, so
/*	"name = value" as one argument works too), replace the last setting
/*	of name (with its continuation lines) in place, or append one. All
/*	other lines, comments included, are kept byte for byte, and the file
/*	is replaced atomically. A name that is not in the parameter table
/*	is written anyway, with a warning (it may be a user-defined
/*	parameter that other values refer to). main.cf is created when it
/*	does not exist.
/* .IP "-X name ..."
/*	Remove every setting of each name from main.cf, atomically, keeping
/*	all other lines.
/* .IP "-M [service[/type] ...]"
/*	Print the services of master.cf in canonical form: one line each,
/*	every column spelled out, -o overrides after the command. With
/*	arguments, print only the services with that name (and type).
/* .IP -v
/*	More verbose logging (repeat for more).
/* .PP
/*	With name arguments and without -e, -X or -M, dromconf prints only
/*	those parameters, in the order given.
/* SECURITY
/*	dromconf runs as the invoking user, is never chrooted and has no
/*	privileges of its own. Its untrusted inputs are the command line
/*	and the configuration files, which it parses with the same bounded
/*	parsers as the daemons. It writes nothing except main.cf with -e
/*	and -X, which needs write access to config_dir (normally root);
/*	the new file replaces the old one by rename, keeping its owner,
/*	group and mode.
/* DIAGNOSTICS
/*	Problems are reported on the standard error stream as
/*	"dromconf: warning: ..." (an unknown parameter in main.cf or -e,
/*	with file and line) and "dromconf: fatal: ..." (one line, naming the
/*	file and line of a bad setting). A name given on the command line
/*	that is neither in the table nor set in main.cf gives
/*	"dromconf: error: unknown parameter "name"", the other names are
/*	still printed, and the exit status is 1. The exit status is 0 on
/*	success and 1 on any error.
/* BUGS
/*	Values are printed on one line; a value that was written on several
/*	lines is shown joined with single spaces. -e cannot write a value
/*	that contains a line break, and blanks at the ends of a value are
/*	dropped (as when main.cf is read).
/* CONFIGURATION PARAMETERS
/*	All of them: see html/parameters.html, or run dromconf -d.
/* .IP config_directory
/*	Where main.cf and master.cf are (the -c option wins).
/* FILES
/*	$config_directory/main.cf, the parameters.
/*	$config_directory/master.cf, the services (with -M).
/* SEE ALSO
/*	dromos(1), the mail system control program.
/*	master(8), the process manager.
/*	html/parameters.html, every parameter.
/*	html/master_cf.html, the master.cf format.
/*--*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <stringops.h>
#include <vstring.h>

#include <mail_params.h>
#include <mail_conf.h>
#include <master_conf.h>

#define DROMCONF_SHOW_DEFAULTS	(1<<0)	/* -d */
#define DROMCONF_SHOW_SET	(1<<1)	/* -n */
#define DROMCONF_VALUES_ONLY	(1<<2)	/* -h */
#define DROMCONF_EXPAND		(1<<3)	/* -x */

/* dromconf_usage - complain and exit */

static void dromconf_usage(void)
{
    msg_fatal("usage: dromconf [-c config_dir] [-d | -n] [-h] [-x] [name ...];"
	      " dromconf [-c config_dir] -e name=value ...;"
	      " dromconf [-c config_dir] -X name ...;"
	      " dromconf [-c config_dir] -M [service[/type] ...]");
}

/* dromconf_print - one parameter */

static void dromconf_print(const char *name, const char *value, int flags)
{
    if (flags & DROMCONF_VALUES_ONLY)
	printf("%s\n", value);
    else if (*value)
	printf("%s = %s\n", name, value);
    else
	printf("%s =\n", name);
}

/* dromconf_value - the value to show for name; 0 when unknown */

static int dromconf_value(const char *name, int flags, struct vstring *buf)
{
    const struct mail_param *p = mail_param_find(name);
    struct vstring *why = vstring_alloc(100);
    const char *raw;

    if (flags & DROMCONF_SHOW_DEFAULTS) {
	if (p == 0) {
	    vstring_free(&why);
	    return (0);
	}
	mail_param_default(p, buf);
	if ((flags & DROMCONF_EXPAND)
	    && mail_conf_expand(mail_param_default(p, buf), buf, why) < 0)
	    msg_fatal("default: parameter %s: %s", name, vstring_str(why));
    } else {
	if ((raw = mail_conf_lookup_raw(name)) == 0 && p == 0) {
	    vstring_free(&why);
	    return (0);
	}
	if ((flags & DROMCONF_EXPAND) || (raw == 0
				       && ((p->flags & MAIL_PARAM_F_COMPUTED)
				      || strcmp(name, VAR_CONFIG_DIR) == 0))) {
	    if (mail_conf_eval_name(name, buf, why) < 0)
		msg_fatal("%s", vstring_str(why));
	} else {
	    vstring_strcpy(buf, raw ? raw : p->defval);
	}
    }
    vstring_free(&why);
    return (1);
}

/* dromconf_show - print parameters; return the exit status */

static int dromconf_show(const char *config_dir, char **names, int flags)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *buf = vstring_alloc(100);
    struct argv *list = argv_alloc(50);
    const struct mail_param *p;
    int     status = 0;
    size_t  i;

    if ((flags & DROMCONF_SHOW_DEFAULTS) == 0) {
	if (mail_conf_read(config_dir, why) < 0 || mail_conf_eval(why) < 0)
	    msg_fatal("%s", vstring_str(why));
    }
    if (*names) {
	for (; *names; names++)
	    argv_add(list, *names, (char *) 0);
    } else if (flags & DROMCONF_SHOW_SET) {
	argv_free(&list);
	list = mail_conf_names();
    } else {
	for (p = mail_param_table; p->name; p++)
	    argv_add(list, p->name, (char *) 0);
    }
    for (i = 0; i < list->argc; i++) {
	if (dromconf_value(list->argv[i], flags, buf)) {
	    dromconf_print(list->argv[i], vstring_str(buf), flags);
	} else {
	    msg_error("unknown parameter \"%s\"", list->argv[i]);
	    status = 1;
	}
    }
    argv_free(&list);
    vstring_free(&buf);
    vstring_free(&why);
    return (status);
}

/* dromconf_edit_fatal - report a failed edit, naming the file once */

static void dromconf_edit_fatal(const char *path, const char *why)
{
    if (strstr(why, path) != 0)
	msg_fatal("%s", why);
    msg_fatal("%s: %s", path, why);
}

/* dromconf_edit - -e name=value ... */

static int dromconf_edit(const char *config_dir, char **args)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    char   *copy;
    char   *eq;
    char   *name;

    path_join(path, config_dir, "main.cf");
    for (; *args; args++) {
	copy = mystrdup(*args);
	if ((eq = strchr(copy, '=')) == 0)
	    msg_fatal("bad argument \"%s\": expected name=value", *args);
	*eq = 0;
	name = trimblanks(copy);
	if (*name && mail_param_find(name) == 0)
	    msg_warn("unknown parameter \"%s\" (writing it anyway)", name);
	if (mail_conf_edit(vstring_str(path), name, eq + 1, why) < 0)
	    dromconf_edit_fatal(vstring_str(path), vstring_str(why));
	myfree(copy);
    }
    vstring_free(&path);
    vstring_free(&why);
    return (0);
}

/* dromconf_remove - -X name ... */

static int dromconf_remove(const char *config_dir, char **args)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);

    path_join(path, config_dir, "main.cf");
    for (; *args; args++)
	if (mail_conf_edit_remove(vstring_str(path), *args, why) < 0)
	    dromconf_edit_fatal(vstring_str(path), vstring_str(why));
    vstring_free(&path);
    vstring_free(&why);
    return (0);
}

/* dromconf_master - -M [service[/type] ...] */

static int dromconf_master(const char *config_dir, char **args)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct vstring *buf = vstring_alloc(200);
    struct master_ent *list;
    struct master_ent *ent;
    const char *slash;
    size_t  len;
    int     status = 0;
    int     found;
    char  **ap;

    path_join(path, config_dir, "master.cf");
    if (master_conf_read(vstring_str(path), &list, why) < 0)
	msg_fatal("%s", vstring_str(why));
    for (ent = list; ent; ent = ent->next) {
	for (found = (*args == 0), ap = args; !found && *ap; ap++) {
	    slash = strchr(*ap, '/');
	    len = slash ? (size_t) (slash - *ap) : strlen(*ap);
	    found = (strlen(ent->name) == len && strncmp(ent->name, *ap, len) == 0
		     && (slash == 0
			 || strcmp(slash + 1, master_type_name(ent->type)) == 0));
	}
	if (found) {
	    vstring_reset(buf);
	    master_conf_format(buf, ent);
	    printf("%s\n", vstring_str(buf));
	}
    }
    for (ap = args; *ap; ap++) {
	slash = strchr(*ap, '/');
	len = slash ? (size_t) (slash - *ap) : strlen(*ap);
	for (found = 0, ent = list; !found && ent; ent = ent->next)
	    found = (strlen(ent->name) == len && strncmp(ent->name, *ap, len) == 0
		     && (slash == 0
			 || strcmp(slash + 1, master_type_name(ent->type)) == 0));
	if (!found) {
	    msg_error("%s: no service \"%s\"", vstring_str(path), *ap);
	    status = 1;
	}
    }
    master_conf_free(&list);
    vstring_free(&buf);
    vstring_free(&path);
    vstring_free(&why);
    return (status);
}

int     main(int argc, char **argv)
{
    const char *config_dir;
    int     flags = 0;
    int     mode = 0;
    int     status;
    int     ch;

    msg_init(argv[0]);
    msg_stderr_init(1, 0);
    if ((config_dir = getenv("MAIL_CONFIG")) == 0 || *config_dir == 0)
	config_dir = DEF_CONFIG_DIR;
    while ((ch = getopt(argc, argv, "c:dehMnvxX")) != -1) {
	switch (ch) {
	case 'c':
	    config_dir = optarg;
	    break;
	case 'd':
	    flags |= DROMCONF_SHOW_DEFAULTS;
	    break;
	case 'n':
	    flags |= DROMCONF_SHOW_SET;
	    break;
	case 'h':
	    flags |= DROMCONF_VALUES_ONLY;
	    break;
	case 'x':
	    flags |= DROMCONF_EXPAND;
	    break;
	case 'e':
	case 'X':
	case 'M':
	    if (mode && mode != ch)
		msg_fatal("options -e, -X and -M exclude each other");
	    mode = ch;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	default:
	    dromconf_usage();
	}
    }
    argv += optind;
    if ((flags & DROMCONF_SHOW_DEFAULTS) && (flags & DROMCONF_SHOW_SET))
	msg_fatal("options -d and -n exclude each other");
    if (mode && flags)
	msg_fatal("option -%c takes no -d, -n, -h or -x", mode);

    switch (mode) {
    case 'e':
	if (*argv == 0)
	    dromconf_usage();
	status = dromconf_edit(config_dir, argv);
	break;
    case 'X':
	if (*argv == 0)
	    dromconf_usage();
	status = dromconf_remove(config_dir, argv);
	break;
    case 'M':
	status = dromconf_master(config_dir, argv);
	break;
    default:
	status = dromconf_show(config_dir, argv, flags);
	break;
    }
    if (fflush(stdout) != 0 || ferror(stdout))
	msg_fatal("write error on standard output");
    return (status);
}
