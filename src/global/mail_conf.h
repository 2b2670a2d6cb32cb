#ifndef MAIL_CONF_H
#define MAIL_CONF_H
/*++
/* NAME
/*	mail_conf 3h
/* SUMMARY
/*	main.cf: read, expand, validate, edit
/* SYNOPSIS
/*	#include <mail_conf.h>
/* DESCRIPTION
/*	main.cf syntax: "name = value" lines; a line that begins with white
/*	space continues the previous one; lines whose first non-blank
/*	character is "#" are comments, as are blank lines (a "#" elsewhere is
/*	part of the value). Leading and trailing blanks around name and value
/*	are dropped. The last setting of a name wins. Values may refer to
/*	other parameters as $name, ${name} or $(name); $$ is a literal "$".
/*	${name?text} gives text when name is non-empty, ${name:text} when it
/*	is empty. Expansion is recursive and a reference loop is an error.
/*
/*	All errors and warnings name the file and line, as
/*	"/etc/dromos/main.cf, line 12: ...".
/*
/*	mail_conf_read(config_dir, why) reads config_dir/main.cf into the
/*	process's configuration (replacing what was there) and remembers
/*	config_dir as config_directory. An unknown parameter name is a
/*	warning (msg_warn, with file and line); a line that is not
/*	"name = value" is an error. A missing main.cf is an error.
/*	mail_conf_override(name, value, origin, why) sets a value as from
/*	"-o name=value" (origin names where it came from for messages, e.g.
/*	"master.cf, line 14"); it overrides main.cf.
/*	mail_conf_eval(why) expands every parameter of the table
/*	(mail_params.h), checks its type and range, and stores it in its
/*	var_ variable. Errors name the file and line where the bad value
/*	was set (or "default" for a built-in value).
/*	mail_conf_load(config_dir, overrides) is what daemons and commands
/*	call: read, apply the "name=value" overrides (argv may be NULL),
/*	eval; any error is fatal (msg_fatal with the one-line reason).
/*
/*	mail_conf_lookup_raw(name) returns the unexpanded value set in
/*	main.cf or by an override, or NULL. mail_conf_origin(name, buf)
/*	describes where it was set ("/etc/dromos/main.cf, line 3").
/*	mail_conf_expand(raw, out, why) expands raw into out; -1 on a loop
/*	or a malformed reference. mail_conf_eval_name(name, out, why)
/*	expands the value in effect for name (set or default).
/*	mail_conf_names() lists the names set in main.cf or by overrides
/*	(sorted; caller frees with argv_free).
/*
/*	mail_conf_read_buf(path, data, len, why) parses data (len bytes) as
/*	if read from the file path, with the same checks and warnings, but
/*	does not change config_directory (for tests and the fuzz target).
/*
/*	mail_conf_edit(path, name, value, why) rewrites main.cf with name
/*	set to value: the last existing "name = ..." line (with its
/*	continuation lines) is replaced in place, otherwise the line is
/*	appended; every other line and comment is kept byte for byte. The
/*	file is replaced atomically (atomic_file_replace). An empty value is
/*	written as "name =". mail_conf_edit_remove() deletes the setting.
/* DIAGNOSTICS
/*	Functions return 0 or -1 with a one-line reason in why.
/*--*/
#include <stddef.h>

struct vstring;
struct argv;

extern int mail_conf_read(const char *, struct vstring *);
extern int mail_conf_read_buf(const char *, const char *, size_t, struct vstring *);
extern int mail_conf_override(const char *, const char *, const char *, struct vstring *);
extern int mail_conf_eval(struct vstring *);
extern void mail_conf_load(const char *, const struct argv *);
extern const char *mail_conf_lookup_raw(const char *);
extern const char *mail_conf_origin(const char *, struct vstring *);
extern int mail_conf_expand(const char *, struct vstring *, struct vstring *);
extern int mail_conf_eval_name(const char *, struct vstring *, struct vstring *);
extern struct argv *mail_conf_names(void);
extern int mail_conf_edit(const char *, const char *, const char *, struct vstring *);
extern int mail_conf_edit_remove(const char *, const char *, struct vstring *);

#endif
