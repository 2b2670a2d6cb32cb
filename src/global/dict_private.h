#ifndef DICT_PRIVATE_H
#define DICT_PRIVATE_H
/*++
/* NAME
/*	dict_private 3h
/* SUMMARY
/*	what the table types share with dict.c (not for table users)
/* SYNOPSIS
/*	#include <dict_private.h>
/* DESCRIPTION
/*	Every table type embeds struct dict as its first member and fills
/*	in the methods it has; dict.c checks the mode, folds the key and
/*	dispatches. A method that a type lacks is a null pointer (dict.c
/*	then answers with an error).
/*
/*	dict_alloc(type, name, size, mode, flags) allocates size bytes
/*	(at least sizeof(struct dict)), zeroed, with the common part set.
/*	dict_free() frees what dict_alloc() made; a type's close method
/*	frees its own parts and then calls dict_free().
/*
/*	dict_set_error(dict, fmt, ...) sets the reason for the last
/*	DICT_STAT_ERROR. dict_record_stat(dict, path, fd) remembers which
/*	file dict_changed() compares with, and its state now (fstat of fd).
/*
/*	dict_lock_fd(fd, how, why) is flock(2) with EINTR retried and a
/*	reason on failure.
/*
/*	The open functions of the types, called by dict_open():
/*	dict_db_open() (hash and btree), dict_lmdb_open(), dict_inline_open(),
/*	dict_static_open(); the text types are parsed from a dict_source by
/*	dict_thash_parse(), dict_cidr_parse() and dict_regexp_parse().
/* DIAGNOSTICS
/*	Open functions return 0 with a one-line reason in why.
/*--*/
#include <stdarg.h>
#include <sys/stat.h>

#include <dict.h>

struct vstring;
struct dict_source;

struct dict {
    const char *type;			/* "hash", ... (static text) */
    char   *name;			/* what follows "type:" */
    char   *spec;			/* "type:name" */
    int     mode;			/* DICT_MODE_READ or DICT_MODE_WRITE */
    int     flags;			/* DICT_FLAG_* in effect */
    int     (*lookup) (struct dict *, const char *, const char **);
    int     (*update) (struct dict *, const char *, const char *);
    int     (*delete) (struct dict *, const char *);
    int     (*sequence) (struct dict *, int, const char **, const char **);
    int     (*sync) (struct dict *);
    void    (*close) (struct dict *);
    char   *stat_path;			/* the file behind the table, or 0 */
    struct stat stat_open;		/* its state when opened */
    int     stat_fd;			/* that file, kept open, or -1 */
    struct vstring *error;		/* reason for the last error */
    struct vstring *fold;		/* the folded key */
};

extern struct dict *dict_alloc(const char *, const char *, size_t, int, int);
extern void dict_free(struct dict *);
extern void dict_set_error(struct dict *, const char *,...)
	__attribute__((format(printf, 2, 3)));
extern void dict_record_stat(struct dict *, const char *, int);
extern int dict_lock_fd(int, int, struct vstring *);

extern struct dict *dict_db_open(const char *, const char *, int, int,
				         struct vstring *);
extern struct dict *dict_lmdb_open(const char *, const char *, int, int,
				           struct vstring *);
extern struct dict *dict_inline_open(const char *, const char *, int, int,
				             struct vstring *);
extern struct dict *dict_static_open(const char *, const char *, int, int,
				             struct vstring *);
extern struct dict *dict_unix_open(const char *, const char *, int, int,
				           struct vstring *);
extern int dict_unix_key_possible(const char *);
extern struct dict *dict_proxy_open(const char *, const char *, int, int,
				            struct vstring *);
extern struct dict *dict_thash_parse(const char *, const char *,
				             struct dict_source *, int,
				             struct vstring *);
extern struct dict *dict_cidr_parse(const char *, const char *,
				            struct dict_source *, int,
				            struct vstring *);
extern struct dict *dict_regexp_parse(const char *, const char *,
				              struct dict_source *, int,
				              struct vstring *);

#endif
