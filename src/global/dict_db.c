/*++
/* NAME
/*	dict_db 3
/* SUMMARY
/*	hash: and btree: tables (Berkeley DB 5.3)
/* SYNOPSIS
/*	#include <dict_private.h>
/*
/*	struct dict *dict_db_open(type, name, mode, flags, why)
/*	const char *type;
/*	const char *name;
/*	int	mode;
/*	int	flags;
/*	struct vstring *why;
/* DESCRIPTION
/*	dict_db_open() opens name.db as a Berkeley DB hash or btree
/*	database, without an environment: read-only (DB_RDONLY) for
/*	DICT_MODE_READ, or created as needed for DICT_MODE_WRITE. This is
/*	the only file that calls the Berkeley DB library.
/*
/*	A writer holds an exclusive flock(2) on the database file from
/*	open to close and syncs it at dict_sync() and at close. A reader
/*	takes a shared lock around each lookup and around a whole
/*	dict_sequence() walk. Because a reader caches pages, a reader
/*	that finds the file modified (size or time) since it last looked
/*	reopens it before the lookup; a file replaced by rename, as
/*	drommap does, is not seen by an open reader (dict_changed() says
/*	so and the program reopens the table).
/*
/*	Keys and values are stored without their terminating NUL unless
/*	DICT_FLAG_APPEND_NUL; lookups try the form the flags ask for
/*	(DICT_FLAG_TRY_BOTH: without, then with). A NUL at the end of a
/*	stored value or key is not part of what is returned.
/* DIAGNOSTICS
/*	Open errors in why; lookup errors in dict_error().
/*--*/
#include <sys/file.h>
#include <sys/stat.h>
#include <errno.h>
#include <string.h>
#include <db.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <dict_private.h>

#define DICT_DB_CACHE_WRITE	(16 * 1024 * 1024)

struct dict_db {
    struct dict dict;
    DB     *db;
    DBTYPE  dbtype;
    char   *path;			/* name.db */
    int     fd;				/* the database file */
    struct stat seen;			/* the file at the last (re)open */
    DBC    *cursor;			/* dict_sequence() walk */
    int     seq_locked;			/* shared lock held for the walk */
    struct vstring *key_buf;
    struct vstring *val_buf;
};

 /*
  * Berkeley DB reports some problems through an error callback as well as
  * the return value; keep the last message for a better reason.
  */
static char dict_db_errmsg[256];

/* dict_db_errcall - keep the library's message */

static void dict_db_errcall(const DB_ENV *env, const char *prefix,
			            const char *msg)
{
    size_t  len = strlen(msg);

    if (len >= sizeof(dict_db_errmsg))
	len = sizeof(dict_db_errmsg) - 1;
    memcpy(dict_db_errmsg, msg, len);
    dict_db_errmsg[len] = 0;
}

/* dict_db_strerror - reason text for a return value */

static const char *dict_db_strerror(int ret)
{
    return (db_strerror(ret));
}

/* dict_db_handle - open the database file */

static int dict_db_handle(struct dict_db *dd, struct vstring *why)
{
    u_int32_t open_flags;
    int     ret;

    if ((ret = db_create(&dd->db, 0, 0)) != 0) {
	vstring_sprintf(why, "db_create: %s", dict_db_strerror(ret));
	return (-1);
    }
    dd->db->set_errcall(dd->db, dict_db_errcall);
    if (dd->dict.mode == DICT_MODE_WRITE) {
	open_flags = DB_CREATE;
	(void) dd->db->set_cachesize(dd->db, 0, DICT_DB_CACHE_WRITE, 0);
    } else {
	open_flags = DB_RDONLY;
    }
    if ((ret = dd->db->open(dd->db, 0, dd->path, 0, dd->dbtype, open_flags,
			    0644)) != 0) {
	vstring_sprintf(why, "open %s: %s", dd->path, dict_db_strerror(ret));
	(void) dd->db->close(dd->db, 0);
	dd->db = 0;
	return (-1);
    }
    if ((ret = dd->db->fd(dd->db, &dd->fd)) != 0) {
	vstring_sprintf(why, "%s: no file descriptor: %s", dd->path,
			dict_db_strerror(ret));
	(void) dd->db->close(dd->db, 0);
	dd->db = 0;
	return (-1);
    }
    if (fstat(dd->fd, &dd->seen) < 0) {
	vstring_sprintf(why, "fstat %s: %s", dd->path, strerror(errno));
	(void) dd->db->close(dd->db, 0);
	dd->db = 0;
	return (-1);
    }
    return (0);
}

/* dict_db_begin_read - shared lock; reopen when modified in place */

static int dict_db_begin_read(struct dict_db *dd)
{
    struct vstring *why;
    struct stat st;

    if (dd->dict.mode == DICT_MODE_WRITE)
	return (0);
    why = vstring_alloc(100);
    if (dd->db == 0 && dict_db_handle(dd, why) < 0)
	goto fail;
    if (dict_lock_fd(dd->fd, LOCK_SH, why) < 0)
	goto fail;
    if (fstat(dd->fd, &st) < 0) {
	vstring_sprintf(why, "fstat %s: %s", dd->path, strerror(errno));
	(void) dict_lock_fd(dd->fd, LOCK_UN, 0);
	goto fail;
    }
    if (st.st_size != dd->seen.st_size
	|| st.st_mtim.tv_sec != dd->seen.st_mtim.tv_sec
	|| st.st_mtim.tv_nsec != dd->seen.st_mtim.tv_nsec) {
	if (msg_verbose)
	    msg_info("%s: modified in place; reopening", dd->dict.spec);
	/* Unlock first: closing need not drop it (another descriptor). */
	(void) dict_lock_fd(dd->fd, LOCK_UN, 0);
	(void) dd->db->close(dd->db, 0);
	dd->db = 0;
	if (dict_db_handle(dd, why) < 0)
	    goto fail;
	if (dict_lock_fd(dd->fd, LOCK_SH, why) < 0)
	    goto fail;
    }
    vstring_free(&why);
    return (0);

fail:
    dict_set_error(&dd->dict, "%s: %s", dd->dict.spec, vstring_str(why));
    vstring_free(&why);
    return (-1);
}

/* dict_db_end_read - drop the shared lock */

static void dict_db_end_read(struct dict_db *dd)
{
    if (dd->dict.mode != DICT_MODE_WRITE && dd->db != 0)
	(void) dict_lock_fd(dd->fd, LOCK_UN, 0);
}

/* dict_db_get - one lookup of key with len bytes */

static int dict_db_get(struct dict_db *dd, const char *key, size_t len)
{
    DBT     dkey;
    DBT     dval;
    int     ret;

    memset(&dkey, 0, sizeof(dkey));
    memset(&dval, 0, sizeof(dval));
    dkey.data = (void *) key;
    dkey.size = (u_int32_t) len;
    ret = dd->db->get(dd->db, 0, &dkey, &dval, 0);
    if (ret == 0) {
	len = dval.size;
	if (len > 0 && ((const char *) dval.data)[len - 1] == 0)
	    len--;
	vstring_memcpy(dd->val_buf, dval.data, len);
	return (DICT_STAT_FOUND);
    }
    if (ret == DB_NOTFOUND)
	return (DICT_STAT_NOTFOUND);
    dict_set_error(&dd->dict, "%s: lookup: %s", dd->dict.spec,
		   dict_db_strerror(ret));
    return (DICT_STAT_ERROR);
}

/* dict_db_lookup - find a key */

static int dict_db_lookup(struct dict *dict, const char *key,
			          const char **value)
{
    struct dict_db *dd = (struct dict_db *) dict;
    size_t  len = strlen(key);
    int     status;

    if (dict_db_begin_read(dd) < 0)
	return (DICT_STAT_ERROR);
    if (dict->flags & DICT_FLAG_TRY_BOTH) {
	if ((status = dict_db_get(dd, key, len)) == DICT_STAT_NOTFOUND)
	    status = dict_db_get(dd, key, len + 1);
    } else if (dict->flags & DICT_FLAG_APPEND_NUL) {
	status = dict_db_get(dd, key, len + 1);
    } else {
	status = dict_db_get(dd, key, len);
    }
    dict_db_end_read(dd);
    if (status == DICT_STAT_FOUND)
	*value = vstring_str(dd->val_buf);
    return (status);
}

/* dict_db_update - store a key */

static int dict_db_update(struct dict *dict, const char *key,
			          const char *value)
{
    struct dict_db *dd = (struct dict_db *) dict;
    size_t  nul = (dict->flags & DICT_FLAG_APPEND_NUL) ? 1 : 0;
    int     keep = (dict->flags & DICT_FLAG_DUP_WARN)
    && !(dict->flags & DICT_FLAG_DUP_REPLACE);
    DBT     dkey;
    DBT     dval;
    int     ret;

    memset(&dkey, 0, sizeof(dkey));
    memset(&dval, 0, sizeof(dval));
    dkey.data = (void *) key;
    dkey.size = (u_int32_t) (strlen(key) + nul);
    dval.data = (void *) value;
    dval.size = (u_int32_t) (strlen(value) + nul);
    ret = dd->db->put(dd->db, 0, &dkey, &dval, keep ? DB_NOOVERWRITE : 0);
    if (ret == 0)
	return (DICT_STAT_FOUND);
    if (ret == DB_KEYEXIST) {
	dict_set_error(dict, "duplicate entry \"%s\"", key);
	return (DICT_STAT_NOTFOUND);
    }
    dict_set_error(dict, "%s: update: %s", dict->spec, dict_db_strerror(ret));
    return (DICT_STAT_ERROR);
}

/* dict_db_del - delete key with len bytes */

static int dict_db_del(struct dict_db *dd, const char *key, size_t len)
{
    DBT     dkey;
    int     ret;

    memset(&dkey, 0, sizeof(dkey));
    dkey.data = (void *) key;
    dkey.size = (u_int32_t) len;
    if ((ret = dd->db->del(dd->db, 0, &dkey, 0)) == 0)
	return (DICT_STAT_FOUND);
    if (ret == DB_NOTFOUND)
	return (DICT_STAT_NOTFOUND);
    dict_set_error(&dd->dict, "%s: delete: %s", dd->dict.spec,
		   dict_db_strerror(ret));
    return (DICT_STAT_ERROR);
}

/* dict_db_delete - delete a key */

static int dict_db_delete(struct dict *dict, const char *key)
{
    struct dict_db *dd = (struct dict_db *) dict;
    size_t  len = strlen(key);
    int     status;

    if (dict->flags & DICT_FLAG_APPEND_NUL) {
	status = dict_db_del(dd, key, len + 1);
	if (status == DICT_STAT_NOTFOUND && (dict->flags & DICT_FLAG_TRY_BOTH))
	    status = dict_db_del(dd, key, len);
    } else {
	status = dict_db_del(dd, key, len);
	if (status == DICT_STAT_NOTFOUND && (dict->flags & DICT_FLAG_TRY_BOTH))
	    status = dict_db_del(dd, key, len + 1);
    }
    return (status);
}

/* dict_db_seq_end - end a walk */

static void dict_db_seq_end(struct dict_db *dd)
{
    if (dd->cursor) {
	(void) dd->cursor->close(dd->cursor);
	dd->cursor = 0;
    }
    if (dd->seq_locked) {
	dict_db_end_read(dd);
	dd->seq_locked = 0;
    }
}

/* dict_db_sequence - walk the table */

static int dict_db_sequence(struct dict *dict, int how, const char **key,
			            const char **value)
{
    struct dict_db *dd = (struct dict_db *) dict;
    DBT     dkey;
    DBT     dval;
    size_t  len;
    int     ret;

    if (how == DICT_SEQ_FIRST) {
	dict_db_seq_end(dd);
	if (dict_db_begin_read(dd) < 0)
	    return (DICT_STAT_ERROR);
	dd->seq_locked = 1;
	if ((ret = dd->db->cursor(dd->db, 0, &dd->cursor, 0)) != 0) {
	    dd->cursor = 0;
	    dict_db_seq_end(dd);
	    dict_set_error(dict, "%s: cursor: %s", dict->spec,
			   dict_db_strerror(ret));
	    return (DICT_STAT_ERROR);
	}
    } else if (dd->cursor == 0) {
	return (DICT_STAT_NOTFOUND);
    }
    memset(&dkey, 0, sizeof(dkey));
    memset(&dval, 0, sizeof(dval));
    ret = dd->cursor->get(dd->cursor, &dkey, &dval,
			  how == DICT_SEQ_FIRST ? DB_FIRST : DB_NEXT);
    if (ret == DB_NOTFOUND) {
	dict_db_seq_end(dd);
	return (DICT_STAT_NOTFOUND);
    }
    if (ret != 0) {
	dict_db_seq_end(dd);
	dict_set_error(dict, "%s: walk: %s", dict->spec, dict_db_strerror(ret));
	return (DICT_STAT_ERROR);
    }
    len = dkey.size;
    if (len > 0 && ((const char *) dkey.data)[len - 1] == 0)
	len--;
    vstring_memcpy(dd->key_buf, dkey.data, len);
    len = dval.size;
    if (len > 0 && ((const char *) dval.data)[len - 1] == 0)
	len--;
    vstring_memcpy(dd->val_buf, dval.data, len);
    *key = vstring_str(dd->key_buf);
    *value = vstring_str(dd->val_buf);
    return (DICT_STAT_FOUND);
}

/* dict_db_sync - write to stable storage */

static int dict_db_sync(struct dict *dict)
{
    struct dict_db *dd = (struct dict_db *) dict;
    int     ret;

    if ((ret = dd->db->sync(dd->db, 0)) != 0) {
	dict_set_error(dict, "%s: sync: %s", dict->spec, dict_db_strerror(ret));
	return (-1);
    }
    if (fsync(dd->fd) < 0) {
	dict_set_error(dict, "%s: fsync: %s", dict->spec, strerror(errno));
	return (-1);
    }
    return (0);
}

/* dict_db_close - close and free */

static void dict_db_close(struct dict *dict)
{
    struct dict_db *dd = (struct dict_db *) dict;

    dict_db_seq_end(dd);
    if (dd->db) {
	if (dict->mode == DICT_MODE_WRITE)
	    (void) dict_db_sync(dict);
	(void) dd->db->close(dd->db, 0);	/* closes fd, drops the lock */
    }
    myfree(dd->path);
    vstring_free(&dd->key_buf);
    vstring_free(&dd->val_buf);
    dict_free(dict);
}

struct dict *dict_db_open(const char *type, const char *name, int mode,
			          int flags, struct vstring *why)
{
    struct dict_db *dd;
    struct vstring *path = vstring_alloc(100);
    struct vstring *reason = vstring_alloc(100);

    vstring_sprintf(path, "%s.db", name);
    dd = (struct dict_db *) dict_alloc(type, name, sizeof(*dd), mode, flags);
    dd->dbtype = strcmp(type, "btree") == 0 ? DB_BTREE : DB_HASH;
    dd->path = vstring_export(&path);
    dd->fd = -1;
    dd->key_buf = vstring_alloc(100);
    dd->val_buf = vstring_alloc(100);
    dict_db_errmsg[0] = 0;
    if (dict_db_handle(dd, reason) < 0
	|| (mode == DICT_MODE_WRITE
	    && dict_lock_fd(dd->fd, LOCK_EX, reason) < 0)) {
	vstring_sprintf(why, "%s: %s", dd->dict.spec, vstring_str(reason));
	if (dict_db_errmsg[0] && strstr(vstring_str(why), dict_db_errmsg) == 0)
	    vstring_sprintf_append(why, " (%s)", dict_db_errmsg);
	vstring_free(&reason);
	if (dd->db) {
	    (void) dd->db->close(dd->db, 0);
	    dd->db = 0;
	}
	dict_db_close(&dd->dict);
	return (0);
    }
    vstring_free(&reason);
    dict_record_stat(&dd->dict, dd->path, dd->fd);
    dd->dict.lookup = dict_db_lookup;
    dd->dict.sequence = dict_db_sequence;
    dd->dict.close = dict_db_close;
    if (mode == DICT_MODE_WRITE) {
	dd->dict.update = dict_db_update;
	dd->dict.delete = dict_db_delete;
	dd->dict.sync = dict_db_sync;
    }
    return (&dd->dict);
}
