/*++
/* NAME
/*	dict_lmdb 3
/* SUMMARY
/*	lmdb: tables (LMDB)
/* SYNOPSIS
/*	#include <dict_private.h>
/*
/*	struct dict *dict_lmdb_open(type, name, mode, flags, why)
/*	const char *type;
/*	const char *name;
/*	int	mode;
/*	int	flags;
/*	struct vstring *why;
/* DESCRIPTION
/*	dict_lmdb_open() opens name.lmdb, one file (MDB_NOSUBDIR), read-only
/*	(MDB_RDONLY) for DICT_MODE_READ, or created as needed for
/*	DICT_MODE_WRITE. This is the only file that calls the LMDB library.
/*
/*	LMDB's own lock file is not used (MDB_NOLOCK): a reader would need
/*	write access to it, and the daemons read tables that root owns.
/*	Instead, as with Berkeley DB, a writer holds an exclusive flock(2)
/*	on the database file from open to close, and a reader takes a
/*	shared lock for each lookup, which runs in its own read-only
/*	transaction (and for a whole dict_sequence() walk, which runs in
/*	one). Commits are not synced one by one (MDB_NOSYNC); dict_sync()
/*	and dict_close() sync the file.
/*
/*	The memory map of a writer starts at 16 MiB or twice the file
/*	size and doubles when an update finds it full; a reader that finds
/*	the map grown by a writer (MDB_MAP_RESIZED) adopts the new size.
/*
/*	Keys and values are stored without their terminating NUL unless
/*	DICT_FLAG_APPEND_NUL, and looked up as the flags say (see
/*	dict_db). LMDB limits keys to 511 bytes: a longer key is never
/*	found, and storing one is an error.
/* DIAGNOSTICS
/*	Open errors in why; lookup errors in dict_error().
/*--*/
#include <sys/file.h>
#include <sys/stat.h>
#include <errno.h>
#include <string.h>
#include <lmdb.h>

#include <mymalloc.h>
#include <vstring.h>

#include <dict_private.h>

#define DICT_LMDB_MAP_MIN	((size_t) 16 * 1024 * 1024)
#define DICT_LMDB_MAP_MAX	((size_t) 1 << 40)

struct dict_lmdb {
    struct dict dict;
    MDB_env *env;
    MDB_dbi dbi;
    char   *path;			/* name.lmdb */
    int     fd;				/* the database file */
    size_t  mapsize;			/* writer's map size */
    MDB_txn *seq_txn;			/* dict_sequence() walk */
    MDB_cursor *cursor;
    int     seq_locked;
    struct vstring *key_buf;
    struct vstring *val_buf;
};

/* dict_lmdb_lock - take or drop a reader's lock */

static int dict_lmdb_lock(struct dict_lmdb *dl, int how)
{
    struct vstring *why;

    if (dl->dict.mode == DICT_MODE_WRITE)
	return (0);
    why = vstring_alloc(100);
    if (dict_lock_fd(dl->fd, how, why) < 0) {
	dict_set_error(&dl->dict, "%s: %s", dl->dict.spec, vstring_str(why));
	vstring_free(&why);
	return (-1);
    }
    vstring_free(&why);
    return (0);
}

/* dict_lmdb_txn - begin a transaction, adopting a grown map */

static int dict_lmdb_txn(struct dict_lmdb *dl, unsigned int flags,
			         MDB_txn **txn)
{
    int     ret;

    if ((ret = mdb_txn_begin(dl->env, 0, flags, txn)) == MDB_MAP_RESIZED) {
	if ((ret = mdb_env_set_mapsize(dl->env, 0)) == 0)
	    ret = mdb_txn_begin(dl->env, 0, flags, txn);
    }
    if (ret != 0)
	dict_set_error(&dl->dict, "%s: begin transaction: %s", dl->dict.spec,
		       mdb_strerror(ret));
    return (ret);
}

/* dict_lmdb_copy - a stored key or value without its NUL */

static void dict_lmdb_copy(struct vstring *buf, const MDB_val *val)
{
    size_t  len = val->mv_size;

    if (len > 0 && ((const char *) val->mv_data)[len - 1] == 0)
	len--;
    vstring_memcpy(buf, val->mv_data, len);
}

/* dict_lmdb_get - one lookup of key with len bytes */

static int dict_lmdb_get(struct dict_lmdb *dl, MDB_txn *txn, const char *key,
			         size_t len)
{
    MDB_val mkey;
    MDB_val mval;
    int     ret;

    if (len == 0 || len > (size_t) mdb_env_get_maxkeysize(dl->env))
	return (DICT_STAT_NOTFOUND);
    mkey.mv_data = (void *) key;
    mkey.mv_size = len;
    if ((ret = mdb_get(txn, dl->dbi, &mkey, &mval)) == 0) {
	dict_lmdb_copy(dl->val_buf, &mval);
	return (DICT_STAT_FOUND);
    }
    if (ret == MDB_NOTFOUND)
	return (DICT_STAT_NOTFOUND);
    dict_set_error(&dl->dict, "%s: lookup: %s", dl->dict.spec,
		   mdb_strerror(ret));
    return (DICT_STAT_ERROR);
}

/* dict_lmdb_lookup - find a key */

static int dict_lmdb_lookup(struct dict *dict, const char *key,
			            const char **value)
{
    struct dict_lmdb *dl = (struct dict_lmdb *) dict;
    size_t  len = strlen(key);
    MDB_txn *txn;
    int     status;

    if (dict_lmdb_lock(dl, LOCK_SH) < 0)
	return (DICT_STAT_ERROR);
    if (dict_lmdb_txn(dl, MDB_RDONLY, &txn) != 0) {
	(void) dict_lmdb_lock(dl, LOCK_UN);
	return (DICT_STAT_ERROR);
    }
    if (dict->flags & DICT_FLAG_TRY_BOTH) {
	if ((status = dict_lmdb_get(dl, txn, key, len)) == DICT_STAT_NOTFOUND)
	    status = dict_lmdb_get(dl, txn, key, len + 1);
    } else if (dict->flags & DICT_FLAG_APPEND_NUL) {
	status = dict_lmdb_get(dl, txn, key, len + 1);
    } else {
	status = dict_lmdb_get(dl, txn, key, len);
    }
    mdb_txn_abort(txn);
    (void) dict_lmdb_lock(dl, LOCK_UN);
    if (status == DICT_STAT_FOUND)
	*value = vstring_str(dl->val_buf);
    return (status);
}

/* dict_lmdb_grow - double the map after MDB_MAP_FULL */

static int dict_lmdb_grow(struct dict_lmdb *dl)
{
    int     ret;

    if (dl->mapsize >= DICT_LMDB_MAP_MAX)
	return (MDB_MAP_FULL);
    dl->mapsize *= 2;
    if ((ret = mdb_env_set_mapsize(dl->env, dl->mapsize)) != 0)
	return (ret);
    return (0);
}

/* dict_lmdb_write - one update or delete in its own transaction */

static int dict_lmdb_write(struct dict_lmdb *dl, MDB_val *key, MDB_val *val,
			           unsigned int put_flags)
{
    MDB_txn *txn;
    int     ret;

    for (;;) {
	if ((ret = mdb_txn_begin(dl->env, 0, 0, &txn)) != 0)
	    return (ret);
	ret = val ? mdb_put(txn, dl->dbi, key, val, put_flags)
	    : mdb_del(txn, dl->dbi, key, 0);
	if (ret == 0)
	    ret = mdb_txn_commit(txn);
	else
	    mdb_txn_abort(txn);
	if (ret != MDB_MAP_FULL)
	    return (ret);
	if ((ret = dict_lmdb_grow(dl)) != 0)
	    return (ret);
    }
}

/* dict_lmdb_update - store a key */

static int dict_lmdb_update(struct dict *dict, const char *key,
			            const char *value)
{
    struct dict_lmdb *dl = (struct dict_lmdb *) dict;
    size_t  nul = (dict->flags & DICT_FLAG_APPEND_NUL) ? 1 : 0;
    int     keep = (dict->flags & DICT_FLAG_DUP_WARN)
    && !(dict->flags & DICT_FLAG_DUP_REPLACE);
    MDB_val mkey;
    MDB_val mval;
    int     ret;

    mkey.mv_data = (void *) key;
    mkey.mv_size = strlen(key) + nul;
    mval.mv_data = (void *) value;
    mval.mv_size = strlen(value) + nul;
    if (mkey.mv_size == 0
	|| mkey.mv_size > (size_t) mdb_env_get_maxkeysize(dl->env)) {
	dict_set_error(dict, "%s: update: key of %lu bytes (lmdb keys have 1"
		       " to %d bytes)", dict->spec, (unsigned long) mkey.mv_size,
		       mdb_env_get_maxkeysize(dl->env));
	return (DICT_STAT_ERROR);
    }
    ret = dict_lmdb_write(dl, &mkey, &mval, keep ? MDB_NOOVERWRITE : 0);
    if (ret == 0)
	return (DICT_STAT_FOUND);
    if (ret == MDB_KEYEXIST) {
	dict_set_error(dict, "duplicate entry \"%s\"", key);
	return (DICT_STAT_NOTFOUND);
    }
    dict_set_error(dict, "%s: update: %s", dict->spec, mdb_strerror(ret));
    return (DICT_STAT_ERROR);
}

/* dict_lmdb_del - delete key with len bytes */

static int dict_lmdb_del(struct dict_lmdb *dl, const char *key, size_t len)
{
    MDB_val mkey;
    int     ret;

    if (len == 0 || len > (size_t) mdb_env_get_maxkeysize(dl->env))
	return (DICT_STAT_NOTFOUND);
    mkey.mv_data = (void *) key;
    mkey.mv_size = len;
    if ((ret = dict_lmdb_write(dl, &mkey, (MDB_val *) 0, 0)) == 0)
	return (DICT_STAT_FOUND);
    if (ret == MDB_NOTFOUND)
	return (DICT_STAT_NOTFOUND);
    dict_set_error(&dl->dict, "%s: delete: %s", dl->dict.spec,
		   mdb_strerror(ret));
    return (DICT_STAT_ERROR);
}

/* dict_lmdb_delete - delete a key */

static int dict_lmdb_delete(struct dict *dict, const char *key)
{
    struct dict_lmdb *dl = (struct dict_lmdb *) dict;
    size_t  len = strlen(key);
    size_t  first = (dict->flags & DICT_FLAG_APPEND_NUL) ? len + 1 : len;
    size_t  other = (dict->flags & DICT_FLAG_APPEND_NUL) ? len : len + 1;
    int     status;

    status = dict_lmdb_del(dl, key, first);
    if (status == DICT_STAT_NOTFOUND && (dict->flags & DICT_FLAG_TRY_BOTH))
	status = dict_lmdb_del(dl, key, other);
    return (status);
}

/* dict_lmdb_seq_end - end a walk */

static void dict_lmdb_seq_end(struct dict_lmdb *dl)
{
    if (dl->cursor) {
	mdb_cursor_close(dl->cursor);
	dl->cursor = 0;
    }
    if (dl->seq_txn) {
	mdb_txn_abort(dl->seq_txn);
	dl->seq_txn = 0;
    }
    if (dl->seq_locked) {
	(void) dict_lmdb_lock(dl, LOCK_UN);
	dl->seq_locked = 0;
    }
}

/* dict_lmdb_sequence - walk the table */

static int dict_lmdb_sequence(struct dict *dict, int how, const char **key,
			              const char **value)
{
    struct dict_lmdb *dl = (struct dict_lmdb *) dict;
    MDB_val mkey;
    MDB_val mval;
    int     ret;

    if (how == DICT_SEQ_FIRST) {
	dict_lmdb_seq_end(dl);
	if (dict_lmdb_lock(dl, LOCK_SH) < 0)
	    return (DICT_STAT_ERROR);
	dl->seq_locked = 1;
	if (dict_lmdb_txn(dl, MDB_RDONLY, &dl->seq_txn) != 0) {
	    dl->seq_txn = 0;
	    dict_lmdb_seq_end(dl);
	    return (DICT_STAT_ERROR);
	}
	if ((ret = mdb_cursor_open(dl->seq_txn, dl->dbi, &dl->cursor)) != 0) {
	    dl->cursor = 0;
	    dict_lmdb_seq_end(dl);
	    dict_set_error(dict, "%s: cursor: %s", dict->spec, mdb_strerror(ret));
	    return (DICT_STAT_ERROR);
	}
    } else if (dl->cursor == 0) {
	return (DICT_STAT_NOTFOUND);
    }
    ret = mdb_cursor_get(dl->cursor, &mkey, &mval,
			 how == DICT_SEQ_FIRST ? MDB_FIRST : MDB_NEXT);
    if (ret == MDB_NOTFOUND) {
	dict_lmdb_seq_end(dl);
	return (DICT_STAT_NOTFOUND);
    }
    if (ret != 0) {
	dict_lmdb_seq_end(dl);
	dict_set_error(dict, "%s: walk: %s", dict->spec, mdb_strerror(ret));
	return (DICT_STAT_ERROR);
    }
    dict_lmdb_copy(dl->key_buf, &mkey);
    dict_lmdb_copy(dl->val_buf, &mval);
    *key = vstring_str(dl->key_buf);
    *value = vstring_str(dl->val_buf);
    return (DICT_STAT_FOUND);
}

/* dict_lmdb_sync - write to stable storage */

static int dict_lmdb_sync(struct dict *dict)
{
    struct dict_lmdb *dl = (struct dict_lmdb *) dict;
    int     ret;

    if ((ret = mdb_env_sync(dl->env, 1)) != 0) {
	dict_set_error(dict, "%s: sync: %s", dict->spec, mdb_strerror(ret));
	return (-1);
    }
    return (0);
}

/* dict_lmdb_close - close and free */

static void dict_lmdb_close(struct dict *dict)
{
    struct dict_lmdb *dl = (struct dict_lmdb *) dict;

    dict_lmdb_seq_end(dl);
    if (dl->env) {
	if (dict->mode == DICT_MODE_WRITE)
	    (void) dict_lmdb_sync(dict);
	mdb_env_close(dl->env);			/* closes fd, drops the lock */
    }
    myfree(dl->path);
    vstring_free(&dl->key_buf);
    vstring_free(&dl->val_buf);
    dict_free(dict);
}

/* dict_lmdb_env - open the environment and the main database */

static int dict_lmdb_env(struct dict_lmdb *dl, struct vstring *why)
{
    unsigned int env_flags = MDB_NOSUBDIR | MDB_NOLOCK | MDB_NOTLS;
    struct stat st;
    MDB_envinfo info;
    MDB_txn *txn;
    int     ret;

    if ((ret = mdb_env_create(&dl->env)) != 0) {
	vstring_sprintf(why, "mdb_env_create: %s", mdb_strerror(ret));
	dl->env = 0;
	return (-1);
    }
    if (dl->dict.mode == DICT_MODE_WRITE) {
	env_flags |= MDB_NOSYNC;
	dl->mapsize = DICT_LMDB_MAP_MIN;
	if (stat(dl->path, &st) == 0 && (size_t) st.st_size > dl->mapsize / 2)
	    dl->mapsize = (size_t) st.st_size * 2;
	if ((ret = mdb_env_set_mapsize(dl->env, dl->mapsize)) != 0) {
	    vstring_sprintf(why, "set map size: %s", mdb_strerror(ret));
	    return (-1);
	}
    } else {
	env_flags |= MDB_RDONLY;
    }
    if ((ret = mdb_env_open(dl->env, dl->path, env_flags, 0644)) != 0) {
	vstring_sprintf(why, "open %s: %s", dl->path, mdb_strerror(ret));
	return (-1);
    }
    if ((ret = mdb_env_get_fd(dl->env, &dl->fd)) != 0) {
	vstring_sprintf(why, "%s: no file descriptor: %s", dl->path,
			mdb_strerror(ret));
	return (-1);
    }
    if (dl->dict.mode == DICT_MODE_WRITE
	&& dict_lock_fd(dl->fd, LOCK_EX, why) < 0)
	return (-1);
    if ((ret = mdb_txn_begin(dl->env, 0, dl->dict.mode == DICT_MODE_WRITE ?
			     0 : MDB_RDONLY, &txn)) != 0) {
	vstring_sprintf(why, "%s: begin transaction: %s", dl->path,
			mdb_strerror(ret));
	return (-1);
    }
    if ((ret = mdb_dbi_open(txn, 0, 0, &dl->dbi)) != 0)
	mdb_txn_abort(txn);
    else
	ret = mdb_txn_commit(txn);
    if (ret != 0) {
	vstring_sprintf(why, "%s: open database: %s", dl->path,
			mdb_strerror(ret));
	return (-1);
    }
    if (dl->dict.mode == DICT_MODE_WRITE && mdb_env_info(dl->env, &info) == 0
	&& info.me_mapsize > dl->mapsize)
	dl->mapsize = info.me_mapsize;
    return (0);
}

struct dict *dict_lmdb_open(const char *type, const char *name, int mode,
			            int flags, struct vstring *why)
{
    struct dict_lmdb *dl;
    struct vstring *path = vstring_alloc(100);
    struct vstring *reason = vstring_alloc(100);

    vstring_sprintf(path, "%s.lmdb", name);
    dl = (struct dict_lmdb *) dict_alloc(type, name, sizeof(*dl), mode, flags);
    dl->path = vstring_export(&path);
    dl->fd = -1;
    dl->key_buf = vstring_alloc(100);
    dl->val_buf = vstring_alloc(100);
    if (dict_lmdb_env(dl, reason) < 0) {
	vstring_sprintf(why, "%s: %s", dl->dict.spec, vstring_str(reason));
	vstring_free(&reason);
	if (dl->env) {
	    mdb_env_close(dl->env);
	    dl->env = 0;
	}
	dict_lmdb_close(&dl->dict);
	return (0);
    }
    vstring_free(&reason);
    dict_record_stat(&dl->dict, dl->path, dl->fd);
    dl->dict.lookup = dict_lmdb_lookup;
    dl->dict.sequence = dict_lmdb_sequence;
    dl->dict.close = dict_lmdb_close;
    if (mode == DICT_MODE_WRITE) {
	dl->dict.update = dict_lmdb_update;
	dl->dict.delete = dict_lmdb_delete;
	dl->dict.sync = dict_lmdb_sync;
    }
    return (&dl->dict);
}
