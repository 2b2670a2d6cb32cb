/*++
/* NAME
/*	htable 3
/* SUMMARY
/*	hash table: string keys to pointers
/* SYNOPSIS
/*	#include <htable.h>
/*
/*	struct htable *htable_create(size)
/*	struct htable_info *htable_enter(table, key, value)
/*	struct htable_info *htable_locate(table, key)
/*	void	*htable_find(table, key)
/*	void	htable_delete(table, key, free_fn)
/*	void	htable_free(&table, free_fn)
/*	struct htable_info **htable_list(table)
/* DESCRIPTION
/*	See htable.h. Buckets are singly-linked chains; the hash is 32-bit
/*	FNV-1a over the key bytes. The bucket count is a power of two and
/*	doubles when the table holds more entries than buckets.
/*	htable_delete() of a key that is not there does nothing.
/*	htable_find() cannot tell a missing key from a NULL value; use
/*	htable_locate() for that.
/* DIAGNOSTICS
/*	Panic: duplicate key in htable_enter().
/*--*/
#include <stdlib.h>
#include <string.h>

#include <msg.h>
#include <mymalloc.h>
#include <htable.h>

static size_t htable_hash(const char *key, size_t size)
{
    unsigned long h = 2166136261UL;

    while (*key) {
	h ^= (unsigned char) *key++;
	h = (h * 16777619UL) & 0xffffffffUL;
    }
    return (h & (size - 1));
}

static void htable_alloc_buckets(struct htable *t, size_t size)
{
    t->size = size;
    t->data = mycalloc(size, sizeof(*t->data));
}

struct htable *htable_create(size_t size)
{
    struct htable *t = mymalloc(sizeof(*t));
    size_t  n = 8;

    while (n < size && n < ((size_t) 1 << 30))
	n *= 2;
    htable_alloc_buckets(t, n);
    t->used = 0;
    return (t);
}

/* htable_grow - double the bucket count and rehash */

static void htable_grow(struct htable *t)
{
    struct htable_info **old = t->data;
    size_t  old_size = t->size;
    struct htable_info *e;
    struct htable_info *next;
    size_t  i;
    size_t  h;

    htable_alloc_buckets(t, old_size * 2);
    for (i = 0; i < old_size; i++) {
	for (e = old[i]; e != 0; e = next) {
	    next = e->next;
	    h = htable_hash(e->key, t->size);
	    e->next = t->data[h];
	    t->data[h] = e;
	}
    }
    myfree(old);
}

struct htable_info *htable_locate(struct htable *t, const char *key)
{
    struct htable_info *e;

    for (e = t->data[htable_hash(key, t->size)]; e != 0; e = e->next)
	if (strcmp(e->key, key) == 0)
	    return (e);
    return (0);
}

void   *htable_find(struct htable *t, const char *key)
{
    struct htable_info *e = htable_locate(t, key);

    return (e ? e->value : 0);
}

struct htable_info *htable_enter(struct htable *t, const char *key, void *value)
{
    struct htable_info *e;
    size_t  h;

    if (htable_locate(t, key) != 0)
	msg_panic("htable_enter: duplicate key \"%s\"", key);
    if (t->used >= t->size && t->size < ((size_t) 1 << 30))
	htable_grow(t);
    e = mymalloc(sizeof(*e));
    e->key = mystrdup(key);
    e->value = value;
    h = htable_hash(key, t->size);
    e->next = t->data[h];
    t->data[h] = e;
    t->used++;
    return (e);
}

static void htable_free_entry(struct htable_info *e, void (*free_fn) (void *))
{
    if (free_fn)
	free_fn(e->value);
    myfree(e->key);
    myfree(e);
}

void    htable_delete(struct htable *t, const char *key, void (*free_fn) (void *))
{
    struct htable_info **ep;
    struct htable_info *e;

    for (ep = t->data + htable_hash(key, t->size); (e = *ep) != 0; ep = &e->next) {
	if (strcmp(e->key, key) == 0) {
	    *ep = e->next;
	    htable_free_entry(e, free_fn);
	    t->used--;
	    return;
	}
    }
}

void    htable_free(struct htable **tp, void (*free_fn) (void *))
{
    struct htable *t = *tp;
    struct htable_info *e;
    struct htable_info *next;
    size_t  i;

    if (t == 0)
	return;
    for (i = 0; i < t->size; i++) {
	for (e = t->data[i]; e != 0; e = next) {
	    next = e->next;
	    htable_free_entry(e, free_fn);
	}
    }
    myfree(t->data);
    myfree(t);
    *tp = 0;
}

static int htable_compare(const void *a, const void *b)
{
    const struct htable_info *ea = *(const struct htable_info * const *) a;
    const struct htable_info *eb = *(const struct htable_info * const *) b;

    return (strcmp(ea->key, eb->key));
}

struct htable_info **htable_list(struct htable *t)
{
    struct htable_info **list;
    struct htable_info *e;
    size_t  i;
    size_t  n = 0;

    list = myreallocarray((void *) 0, t->used + 1, sizeof(*list));
    for (i = 0; i < t->size; i++)
	for (e = t->data[i]; e != 0; e = e->next)
	    list[n++] = e;
    list[n] = 0;
    qsort(list, n, sizeof(*list), htable_compare);
    return (list);
}
