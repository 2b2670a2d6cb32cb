#ifndef MANIFEST_H
#define MANIFEST_H
/*++
/* NAME
/*	manifest 3h
/* SUMMARY
/*	read the installation manifest (dromos-files)
/* SYNOPSIS
/*	#include <manifest.h>
/*
/*	typedef int (*manifest_expand_fn) (const char *raw,
/*				struct vstring *out, struct vstring *why);
/*
/*	int	manifest_read(path, expand, list_r, why)
/*	const char *path;
/*	manifest_expand_fn expand;
/*	struct manifest_ent **list_r;
/*	struct vstring *why;
/*
/*	void	manifest_free(list_r)
/*	struct manifest_ent **list_r;
/*
/*	const char *manifest_type_name(type)
/*	int	type;
/* DESCRIPTION
/*	The installation manifest lists every file and folder dromos
/*	installs or needs, one a line, with seven columns separated by
/*	white space: path, type, owner, group, mode, flags and source
/*	(see the header comment of postinstall/dromos-files). Blank lines
/*	and lines whose first non-blank character is "#" are skipped.
/*
/*	manifest_read() parses the whole file into a list in file order.
/*	When expand is not null, it is called for the path, owner and
/*	group columns that contain a "$" (e.g. "$queue_directory/etc",
/*	"$mail_owner"); mail_conf_expand() fits, once the configuration is
/*	loaded. expand returns 0 with the result in out, -1 with a reason
/*	in why (the whole read fails), or a positive value to drop the
/*	entry silently (e.g. a path under a folder the caller does not
/*	know). With an expand function, an expanded path must be absolute.
/*
/*	Each entry has:
/* .IP path
/*	the expanded path.
/* .IP type
/*	MANIFEST_TYPE_DIR ('d'), MANIFEST_TYPE_FILE ('f'),
/*	MANIFEST_TYPE_TREE ('D': a folder of copied files) or
/*	MANIFEST_TYPE_LINK ('l').
/* .IP owner
/*	a user name; "-" in the file becomes "root".
/* .IP group
/*	a group name, or a null pointer for "-": the owner's primary group.
/* .IP mode
/*	the permission bits, or -1 for "-" (leave them).
/* .IP flags
/*	a mask of MANIFEST_FLAG_PRESERVE (p), MANIFEST_FLAG_CHROOT (c),
/*	MANIFEST_FLAG_OPTIONAL (o) and MANIFEST_FLAG_SUBST (s).
/* .IP source
/*	the source path, or a null pointer for "-".
/* .IP line
/*	the line number in the manifest, for messages.
/* .PP
/*	manifest_free() frees a list and clears the caller's pointer.
/*	manifest_type_name() returns "folder", "file", "folder of files" or
/*	"symbolic link".
/* DIAGNOSTICS
/*	manifest_read() returns 0, or -1 with a one-line reason in why that
/*	names the file and line ("/x/dromos-files, line 7: bad mode: 0999");
/*	*list_r is then a null pointer. A file that cannot be read, a line
/*	longer than MANIFEST_LINE_MAX, the wrong number of columns, an
/*	unknown type or flag, a malformed mode and an expansion error are
/*	errors.
/*--*/
struct vstring;

#define MANIFEST_TYPE_DIR	'd'
#define MANIFEST_TYPE_FILE	'f'
#define MANIFEST_TYPE_TREE	'D'
#define MANIFEST_TYPE_LINK	'l'

#define MANIFEST_FLAG_PRESERVE	(1<<0)	/* p: never overwrite */
#define MANIFEST_FLAG_CHROOT	(1<<1)	/* c: chroot copy of source */
#define MANIFEST_FLAG_OPTIONAL	(1<<2)	/* o: missing source is fine */
#define MANIFEST_FLAG_SUBST	(1<<3)	/* s: @name@ substituted */

#define MANIFEST_LINE_MAX	4096

struct manifest_ent {
    char   *path;			/* expanded */
    int     type;			/* MANIFEST_TYPE_* */
    char   *owner;			/* user name */
    char   *group;			/* group name, 0: owner's group */
    int     mode;			/* permissions, -1: leave */
    int     flags;			/* MANIFEST_FLAG_* */
    char   *source;			/* 0: none */
    int     line;			/* line number in the manifest */
    struct manifest_ent *next;
};

typedef int (*manifest_expand_fn) (const char *, struct vstring *,
				           struct vstring *);

extern int manifest_read(const char *, manifest_expand_fn,
			         struct manifest_ent **, struct vstring *);
extern void manifest_free(struct manifest_ent **);
extern const char *manifest_type_name(int);

#endif
