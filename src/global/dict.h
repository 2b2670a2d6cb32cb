#ifndef DICT_H
#define DICT_H
/*++
/* NAME
/*	dict 3h
/* SUMMARY
/*	lookup tables: one type:name interface for every table type
/* SYNOPSIS
/*	#include <dict.h>
/* DESCRIPTION
/*	A table is named "type:name". Types: hash and btree (Berkeley DB
/*	5.3, file name.db), lmdb (LMDB, file name.lmdb), texthash (the
/*	text source read into memory), inline ("inline:{ k=v, { k = v w } }"),
/*	static ("static:value", every key finds value; "static:{ v w }"),
/*	cidr (IPv4/IPv6 networks, first match) and regexp (POSIX extended
/*	"/pattern/flags result", with if/endif).
/*
/*	dict_open(spec, open_mode, flags, why) opens a table. open_mode is
/*	DICT_MODE_READ, or DICT_MODE_WRITE to update a file-based table in
/*	place (hash, btree, lmdb; the file is created if missing). It
/*	returns 0 and a one-line reason in why when the type is unknown or
/*	the table cannot be opened or parsed; a parse error names the file
/*	and line.
/*
/*	dict_lookup(dict, key, &value) returns DICT_STAT_FOUND (value is
/*	then valid until the next call on the same dict), DICT_STAT_NOTFOUND,
/*	or DICT_STAT_ERROR (a temporary failure: the caller defers,
/*	dict_error() says why). Keys are folded to lower case where the
/*	type folds them (DICT_FLAG_FOLD_KEY, on by default for every type
/*	but regexp, whose "i" flag is on by default instead, and cidr).
/*
/*	dict_update(), dict_delete(): write access (DICT_MODE_WRITE);
/*	DICT_STAT_* results; delete returns DICT_STAT_NOTFOUND for a
/*	missing key.
/*
/*	dict_sequence(dict, DICT_SEQ_FIRST|DICT_SEQ_NEXT, &key, &value)
/*	walks a table that can be walked (hash, btree, lmdb, texthash,
/*	inline): DICT_STAT_FOUND per entry, then DICT_STAT_NOTFOUND.
/*
/*	dict_changed(dict) is non-zero when the file behind the table was
/*	replaced or modified since it was opened (device, inode, size or
/*	mtime differ): a long-running daemon then reopens it or exits after
/*	its current client.
/*
/*	dict_name() is the "type:name" string; dict_close() frees.
/*
/*	DICT_FLAG_APPEND_NUL stores and looks up keys and values with their
/*	terminating NUL byte (Postfix's -N compatibility). DICT_FLAG_TRY_BOTH
/*	tries without and then with the NUL on lookup.
/*
/*	maps_create(title, list, flags) opens a list of tables separated by
/*	white space or commas (main.cf style, e.g. "hash:/etc/a, cidr:/etc/b");
/*	maps_find() looks key up in each in turn and returns the first
/*	result; an error in any table stops the search with DICT_STAT_ERROR.
/*	maps_changed() is non-zero when any member changed. A list that fails
/*	to open is an error in maps_create() (returns 0, reason in why).
/*
/*	Additions to the interface above (tables helper):
/*
/*	dict_sync(dict) writes a table open for writing to stable storage
/*	(BDB sync, LMDB fsync) and returns 0, or -1 with dict_error() set;
/*	drommap calls it before it renames a new map into place, because
/*	dict_close() cannot report a failure. It does nothing for a table
/*	open for reading.
/*
/*	dict_file_suffix(type) is what the file types add to the table
/*	name (".db" for hash and btree, ".lmdb" for lmdb), "" for the text
/*	types (texthash, cidr, regexp: the name is the file), and a null
/*	pointer for the others and for an unknown type.
/*
/*	dict_open_text(type, origin, data, len, flags, why) parses len
/*	bytes of text as a texthash, cidr or regexp table; origin stands
/*	for the file name in messages. Such a table never changes (for
/*	tests and fuzzing).
/*
/*	Locking: a hash, btree or lmdb table open for writing holds an
/*	exclusive flock(2) on its file from dict_open() to dict_close();
/*	a reader takes a shared lock for each lookup (and for a whole
/*	dict_sequence() walk), so it never sees an update half done. A
/*	BDB reader that finds the file modified in place since its last
/*	lookup reopens it first (its page cache would be stale).
/*
/*	Duplicates: dict_update() of a key that is present replaces its
/*	value, unless DICT_FLAG_DUP_WARN is given without
/*	DICT_FLAG_DUP_REPLACE: then the first value stays and dict_update()
/*	returns DICT_STAT_NOTFOUND with dict_error() saying "duplicate
/*	entry", for the caller to warn (the library does not log).
/* DIAGNOSTICS
/*	Return values; reasons in why and dict_error().
/*--*/
#include <stddef.h>

struct vstring;

#define DICT_STAT_FOUND		1
#define DICT_STAT_NOTFOUND	0
#define DICT_STAT_ERROR		(-1)

#define DICT_MODE_READ		0
#define DICT_MODE_WRITE		1

#define DICT_FLAG_FOLD_KEY	(1 << 0)	/* lower-case keys */
#define DICT_FLAG_APPEND_NUL	(1 << 1)	/* keys/values with NUL */
#define DICT_FLAG_TRY_BOTH	(1 << 2)	/* lookup without, then with NUL */
#define DICT_FLAG_DUP_WARN	(1 << 3)	/* update: warn on duplicate key */
#define DICT_FLAG_DUP_REPLACE	(1 << 4)	/* update: last value wins */
#define DICT_FLAG_DEFAULT	(DICT_FLAG_FOLD_KEY | DICT_FLAG_TRY_BOTH)

#define DICT_SEQ_FIRST		0
#define DICT_SEQ_NEXT		1

struct dict;

extern struct dict *dict_open(const char *spec, int mode, int flags,
			              struct vstring *why);
extern int dict_lookup(struct dict *dict, const char *key, const char **value);
extern int dict_update(struct dict *dict, const char *key, const char *value);
extern int dict_delete(struct dict *dict, const char *key);
extern int dict_sequence(struct dict *dict, int how, const char **key,
			         const char **value);
extern int dict_changed(struct dict *dict);
extern const char *dict_name(struct dict *dict);
extern const char *dict_error(struct dict *dict);
extern void dict_close(struct dict **dictp);

extern int dict_sync(struct dict *dict);

/* Types that are built from a text source by drommap. */
extern int dict_type_is_file(const char *type);
extern const char *dict_file_suffix(const char *type);
extern struct dict *dict_open_text(const char *type, const char *origin,
				           const char *data, size_t len,
				           int flags, struct vstring *why);

struct maps;

extern struct maps *maps_create(const char *title, const char *list,
				        int flags, struct vstring *why);
extern int maps_find(struct maps *maps, const char *key, const char **value);
extern int maps_changed(struct maps *maps);
extern const char *maps_error(struct maps *maps);
extern const char *maps_title(struct maps *maps);
extern void maps_free(struct maps **mapsp);

#endif
