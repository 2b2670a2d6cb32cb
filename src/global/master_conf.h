#ifndef MASTER_CONF_H
#define MASTER_CONF_H
/*++
/* NAME
/*	master_conf 3h
/* SUMMARY
/*	master.cf parser
/* SYNOPSIS
/*	#include <master_conf.h>
/* DESCRIPTION
/*	master.cf has one service a line (a line that begins with white
/*	space continues the previous one; "#" comments and blank lines are
/*	skipped), with the columns
/*
/*	service type private unpriv chroot wakeup maxproc command [args]
/*
/* .IP service
/*	for inet: "host:port", "[v6]:port" or "port" (a port may be a
/*	numeric port or a name from services(5)); for the others: a name
/*	(the socket is private/name or public/name under queue_directory).
/* .IP type
/*	inet, unix, unix-dgram, fifo or pass.
/* .IP private unpriv chroot
/*	y or n; "-" means the default: y, y, y. An inet service is never
/*	private (a "y" there is an error).
/* .IP wakeup
/*	seconds between wake-up triggers, 0 or "-" for none; a trailing "?"
/*	means only after the service was used once.
/* .IP maxproc
/*	the most processes at once; 0 means no limit; "-" means
/*	$default_process_limit (kept as MASTER_MAXPROC_DEFAULT here).
/* .IP command
/*	the program name in daemon_directory (or an absolute path), then
/*	arguments. "-o name=value" and "-o { name = value with spaces }" are
/*	parameter overrides for that service (collected in ent->overrides as
/*	"name=value" strings and also left out of ent->args); other
/*	arguments (-v, -D, ...) stay in ent->args after the command.
/* .PP
/*	master_conf_read(path, &list, why) parses the whole file into a
/*	list in file order. Any malformed line, a bad column value, a
/*	duplicate service (same name and type) or a missing file is an
/*	error naming file and line; an unknown parameter in -o is a warning
/*	(msg_warn) naming file and line.
/*	master_conf_parse_line(text, file, line, &ent, why) parses one
/*	logical line (continuations already joined): 1 for an entry, 0 for
/*	a blank or comment line, -1 for an error (used by the fuzz target).
/*	master_conf_free() frees a list and clears the pointer.
/*	master_conf_format(buf, ent) appends one entry in canonical
/*	master.cf form (dromconf -M).
/*	master_type_name(type) returns "inet" etc.
/* DIAGNOSTICS
/*	Return values and why.
/*--*/
struct vstring;
struct argv;

#define MASTER_TYPE_INET	1
#define MASTER_TYPE_UNIX	2
#define MASTER_TYPE_UNIX_DGRAM	3
#define MASTER_TYPE_FIFO	4
#define MASTER_TYPE_PASS	5

#define MASTER_MAXPROC_DEFAULT	(-1)

struct master_ent {
    char   *name;			/* service name or address */
    int     type;			/* MASTER_TYPE_* */
    int     private_;			/* 1 = private/, 0 = public/ */
    int     unpriv;			/* 1 = run as mail_owner */
    int     chroot;			/* 1 = chroot to queue_directory */
    int     wakeup;			/* seconds, 0 = none */
    int     wakeup_if_used;		/* "?" flag */
    int     maxproc;			/* 0 = unlimited, -1 = default */
    struct argv *args;			/* command and its arguments */
    struct argv *overrides;		/* "name=value" from -o */
    char   *file;			/* where it was defined */
    int     line;
    struct master_ent *next;
};

extern int master_conf_read(const char *, struct master_ent **, struct vstring *);
extern int master_conf_parse_line(const char *, const char *, int,
				          struct master_ent **, struct vstring *);
extern void master_conf_free(struct master_ent **);
extern void master_conf_format(struct vstring *, const struct master_ent *);
extern const char *master_type_name(int);

#endif
