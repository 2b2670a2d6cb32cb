#ifndef HTABLE_H
#define HTABLE_H
/*++
/* NAME
/*	htable 3h
/* SUMMARY
/*	hash table: string keys to pointers
/* SYNOPSIS
/*	#include <htable.h>
/* DESCRIPTION
/*	htable_create(size) makes an empty table. htable_enter(t, key, val)
/*	adds key (copied) with val and returns the entry; it panics when the
/*	key is already there (use htable_locate first). htable_locate(t, key)
/*	returns the entry or NULL; htable_find(t, key) returns its value or
/*	NULL. htable_delete(t, key, free_fn) removes an entry, calling
/*	free_fn(value) when free_fn is not NULL. htable_free(&t, free_fn)
/*	frees the table and clears the pointer. htable_list(t) returns a
/*	mymalloc()ed, NULL-terminated array of the entries sorted by key
/*	(caller frees the array, not the entries). The table grows as
/*	needed.
/* DIAGNOSTICS
/*	Panic: duplicate key in htable_enter().
/*--*/
#include <stddef.h>

struct htable_info {
    char   *key;
    void   *value;
    struct htable_info *next;
};

struct htable {
    size_t  size;			/* number of buckets */
    size_t  used;			/* number of entries */
    struct htable_info **data;
};

extern struct htable *htable_create(size_t);
extern struct htable_info *htable_enter(struct htable *, const char *, void *);
extern struct htable_info *htable_locate(struct htable *, const char *);
extern void *htable_find(struct htable *, const char *);
extern void htable_delete(struct htable *, const char *, void (*) (void *));
extern void htable_free(struct htable **, void (*) (void *));
extern struct htable_info **htable_list(struct htable *);

#endif
