/*++
/* NAME
/*	dict 3
/* SUMMARY
/*	lookup tables: open by type, dispatch, change detection, lists
/* SYNOPSIS
/*	#include <dict.h>
/*
/*	struct dict *dict_open(spec, mode, flags, why)
/*
/*	int	dict_lookup(dict, key, &value)
/*
/*	struct maps *maps_create(title, list, flags, why)
/* DESCRIPTION
/*	See dict.h for the interface. The type registry below says, for
/*	each type, how it is opened, whether it is built from a text file
/*	by drommap (and with which file name suffix), and whether keys are
/*	folded. dict_open() splits "type:name", looks the type up, masks
/*	the flags the type ignores, and calls the type's open function;
/*	the text types (texthash, cidr, regexp) are read here through
/*	dict_source and parsed by the type. dict_lookup(), dict_update()
/*	and dict_delete() check the mode, fold the key (DICT_FLAG_FOLD_KEY)
/*	and call the type's method.
/*
/*	dict_changed() stats the file recorded when the table was opened
/*	and compares device, inode, size and modification time (with
/*	nanoseconds); a file that is gone counts as changed. When the path
/*	cannot be reached (a daemon in its chroot) it checks the descriptor
/*	kept open since then: no links left (replaced or removed), or a
/*	new size or time, is a change.
/*
/*	A maps list is split at white space and commas that are not inside
/*	braces, so "inline:{ a=b, c=d }" stays one member.
/* DIAGNOSTICS
/*	Return values; reasons in why, dict_error() and maps_error().
/*--*/
#include <sys/file.h>
#include <sys/stat.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <argv.h>
#include <mymalloc.h>
#include <vstring.h>

#include <dict.h>
#include <dict_private.h>
#include <dict_source.h>

 /*
  * The type registry.
  */
#define DICT_TYPE_FILE		(1<<0)	/* built by drommap, has a suffix */
#define DICT_TYPE_TEXT		(1<<1)	/* parsed from a text file */
#define DICT_TYPE_NOFOLD	(1<<2)	/* keys are never folded */
#define DICT_TYPE_WRITE		(1<<3)	/* may be opened for writing */

struct dict_type {
    const char *type;
    int     props;
    const char *suffix;			/* DICT_TYPE_FILE, DICT_TYPE_TEXT */
    struct dict *(*open) (const char *, const char *, int, int,
			          struct vstring *);
    struct dict *(*parse) (const char *, const char *, struct dict_source *,
			           int, struct vstring *);
};

static const struct dict_type dict_types[] = {
    {"hash", DICT_TYPE_FILE | DICT_TYPE_WRITE, ".db", dict_db_open, 0},
    {"btree", DICT_TYPE_FILE | DICT_TYPE_WRITE, ".db", dict_db_open, 0},
    {"lmdb", DICT_TYPE_FILE | DICT_TYPE_WRITE, ".lmdb", dict_lmdb_open, 0},
    {"texthash", DICT_TYPE_TEXT, "", 0, dict_thash_parse},
    {"inline", 0, 0, dict_inline_open, 0},
    {"static", DICT_TYPE_NOFOLD, 0, dict_static_open, 0},
    {"cidr", DICT_TYPE_TEXT | DICT_TYPE_NOFOLD, "", 0, dict_cidr_parse},
    {"regexp", DICT_TYPE_TEXT | DICT_TYPE_NOFOLD, "", 0, dict_regexp_parse},
    {"unix", 0, 0, dict_unix_open, 0},
    {"proxy", 0, 0, dict_proxy_open, 0},
    {0},
};

/* dict_type_find - registry entry */

static const struct dict_type *dict_type_find(const char *type, size_t len)
{
    const struct dict_type *dt;

    for (dt = dict_types; dt->type; dt++)
	if (strlen(dt->type) == len && strncmp(dt->type, type, len) == 0)
	    return (dt);
    return (0);
}

int     dict_type_is_file(const char *type)
{
    const struct dict_type *dt = dict_type_find(type, strlen(type));

    return (dt != 0 && (dt->props & DICT_TYPE_FILE) != 0);
}

const char *dict_file_suffix(const char *type)
{
    const struct dict_type *dt = dict_type_find(type, strlen(type));

    return (dt ? dt->suffix : 0);
}

/* dict_alloc - the common part of every table */

struct dict *dict_alloc(const char *type, const char *name, size_t size,
			        int mode, int flags)
{
    struct dict *dict;
    struct vstring *spec = vstring_alloc(100);

    if (size < sizeof(struct dict))
	size = sizeof(struct dict);
    dict = mycalloc(1, size);
    dict->type = type;
    dict->name = mystrdup(name);
    vstring_sprintf(spec, "%s:%s", type, name);
    dict->spec = vstring_export(&spec);
    dict->mode = mode;
    dict->flags = flags;
    dict->error = vstring_alloc(100);
    dict->fold = vstring_alloc(100);
    dict->stat_fd = -1;
    return (dict);
}

void    dict_free(struct dict *dict)
{
    myfree(dict->name);
    myfree(dict->spec);
    myfree(dict->stat_path);
    if (dict->stat_fd >= 0)
	(void) close(dict->stat_fd);
    vstring_free(&dict->error);
    vstring_free(&dict->fold);
    myfree(dict);
}

void    dict_set_error(struct dict *dict, const char *fmt,...)
{
    va_list ap;

    vstring_reset(dict->error);
    va_start(ap, fmt);
    vstring_vsprintf_append(dict->error, fmt, ap);
    va_end(ap);
}

void    dict_record_stat(struct dict *dict, const char *path, int fd)
{
    myfree(dict->stat_path);
    dict->stat_path = 0;
    if (dict->stat_fd >= 0)
	(void) close(dict->stat_fd);
    dict->stat_fd = -1;
    if (fd >= 0 && fstat(fd, &dict->stat_open) == 0) {
	dict->stat_path = mystrdup(path);
	dict->stat_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    }
}

int     dict_lock_fd(int fd, int how, struct vstring *why)
{
    while (flock(fd, how) < 0) {
	if (errno == EINTR)
	    continue;
	if (why)
	    vstring_sprintf(why, "flock: %s", strerror(errno));
	return (-1);
    }
    return (0);
}

/* dict_open_source - a text type read from its file */

static struct dict *dict_open_source(const struct dict_type *dt,
				             const char *name, int flags,
				             struct vstring *why)
{
    struct dict_source *src;
    struct dict *dict;

    if ((src = dict_source_open(name, why)) == 0)
	return (0);
    if ((dict = dt->parse(dt->type, name, src, flags, why)) != 0)
	dict_record_stat(dict, name, dict_source_fd(src));
    dict_source_close(&src);
    return (dict);
}

struct dict *dict_open(const char *spec, int mode, int flags,
		               struct vstring *why)
{
    const struct dict_type *dt;
    const char *colon;
    const char *name;

    if ((colon = strchr(spec, ':')) == 0 || colon == spec) {
	vstring_sprintf(why, "table \"%s\": expected type:name", spec);
	return (0);
    }
    if ((dt = dict_type_find(spec, (size_t) (colon - spec))) == 0) {
	vstring_sprintf(why, "table \"%s\": unknown table type \"%.*s\"",
			spec, (int) (colon - spec), spec);
	return (0);
    }
    name = colon + 1;
    if ((dt->props & (DICT_TYPE_FILE | DICT_TYPE_TEXT)) && *name == 0) {
	vstring_sprintf(why, "table \"%s\": missing file name", spec);
	return (0);
    }
    if (mode != DICT_MODE_READ
	&& (mode != DICT_MODE_WRITE || (dt->props & DICT_TYPE_WRITE) == 0)) {
	vstring_sprintf(why, "table \"%s\": %s tables cannot be written",
			spec, dt->type);
	return (0);
    }
    if (dt->props & DICT_TYPE_NOFOLD)
	flags &= ~DICT_FLAG_FOLD_KEY;
    if (dt->parse)
	return (dict_open_source(dt, name, flags, why));
    return (dt->open(dt->type, name, mode, flags, why));
}

struct dict *dict_open_text(const char *type, const char *origin,
			            const char *data, size_t len, int flags,
			            struct vstring *why)
{
    const struct dict_type *dt = dict_type_find(type, strlen(type));
    struct dict_source *src;
    struct dict *dict;

    if (dt == 0 || dt->parse == 0) {
	vstring_sprintf(why, "%s: not a text table type", type);
	return (0);
    }
    if (dt->props & DICT_TYPE_NOFOLD)
	flags &= ~DICT_FLAG_FOLD_KEY;
    src = dict_source_buf(origin, data, len);
    dict = dt->parse(dt->type, origin, src, flags, why);
    dict_source_close(&src);
    return (dict);
}

/* dict_key - the key as the type sees it */

static const char *dict_key(struct dict *dict, const char *key)
{
    char   *cp;

    if ((dict->flags & DICT_FLAG_FOLD_KEY) == 0)
	return (key);
    vstring_strcpy(dict->fold, key);
    for (cp = vstring_str(dict->fold); *cp; cp++)
	*cp = (char) tolower((unsigned char) *cp);
    return (vstring_str(dict->fold));
}

int     dict_lookup(struct dict *dict, const char *key, const char **value)
{
    vstring_reset(dict->error);
    if (dict->lookup == 0) {
	dict_set_error(dict, "%s: table cannot be searched", dict->spec);
	return (DICT_STAT_ERROR);
    }
    return (dict->lookup(dict, dict_key(dict, key), value));
}

int     dict_update(struct dict *dict, const char *key, const char *value)
{
    vstring_reset(dict->error);
    if (dict->mode != DICT_MODE_WRITE || dict->update == 0) {
	dict_set_error(dict, "%s: table is not open for writing", dict->spec);
	return (DICT_STAT_ERROR);
    }
    return (dict->update(dict, dict_key(dict, key), value));
}

int     dict_delete(struct dict *dict, const char *key)
{
    vstring_reset(dict->error);
    if (dict->mode != DICT_MODE_WRITE || dict->delete == 0) {
	dict_set_error(dict, "%s: table is not open for writing", dict->spec);
	return (DICT_STAT_ERROR);
    }
    return (dict->delete(dict, dict_key(dict, key)));
}

int     dict_sequence(struct dict *dict, int how, const char **key,
		              const char **value)
{
    vstring_reset(dict->error);
    if (dict->sequence == 0) {
	dict_set_error(dict, "%s: %s tables cannot be listed",
		       dict->spec, dict->type);
	return (DICT_STAT_ERROR);
    }
    if (how != DICT_SEQ_FIRST && how != DICT_SEQ_NEXT) {
	dict_set_error(dict, "%s: bad sequence request %d", dict->spec, how);
	return (DICT_STAT_ERROR);
    }
    return (dict->sequence(dict, how, key, value));
}

int     dict_sync(struct dict *dict)
{
    vstring_reset(dict->error);
    if (dict->mode != DICT_MODE_WRITE || dict->sync == 0)
	return (0);
    return (dict->sync(dict));
}

int     dict_changed(struct dict *dict)
{
    struct stat st;

    if (dict->stat_path == 0)
	return (0);

    /*
     * By path when the path still leads somewhere; after a chroot it may
     * not, so also by the descriptor kept open: a file that drommap
     * replaced (rename) or someone removed has no links left, and one
     * edited in place has a new size or time.
     */
    if (stat(dict->stat_path, &st) < 0) {
	if (dict->stat_fd < 0 || fstat(dict->stat_fd, &st) < 0)
	    return (1);
	if (st.st_nlink == 0)
	    return (1);
    }
    return (st.st_dev != dict->stat_open.st_dev
	    || st.st_ino != dict->stat_open.st_ino
	    || st.st_size != dict->stat_open.st_size
	    || st.st_mtim.tv_sec != dict->stat_open.st_mtim.tv_sec
	    || st.st_mtim.tv_nsec != dict->stat_open.st_mtim.tv_nsec);
}

const char *dict_name(struct dict *dict)
{
    return (dict->spec);
}

const char *dict_error(struct dict *dict)
{
    return (vstring_str(dict->error));
}

void    dict_close(struct dict **dictp)
{
    struct dict *dict = *dictp;

    if (dict == 0)
	return;
    *dictp = 0;
    if (dict->close)
	dict->close(dict);
    else
	dict_free(dict);
}

 /*
  * Lists of tables.
  */
struct maps {
    char   *title;
    struct dict **dicts;
    size_t  count;
    struct vstring *error;
};

struct maps *maps_create(const char *title, const char *list, int flags,
			         struct vstring *why)
{
    struct maps *maps = mycalloc(1, sizeof(*maps));
    struct argv *members = argv_split_braced(list, ", \t\r\n");
    struct dict *dict;
    int     status = 0;
    size_t  i;

    maps->title = mystrdup(title);
    maps->error = vstring_alloc(100);
    if (members == 0) {
	vstring_sprintf(why, "%s: unbalanced braces in \"%s\"", title, list);
	status = -1;
    }
    for (i = 0; status == 0 && i < members->argc; i++) {
	if ((dict = dict_open(members->argv[i], DICT_MODE_READ, flags,
			      maps->error)) == 0) {
	    vstring_sprintf(why, "%s: %s", title, vstring_str(maps->error));
	    status = -1;
	    break;
	}
	maps->dicts = myreallocarray(maps->dicts, maps->count + 1,
				     sizeof(*maps->dicts));
	maps->dicts[maps->count++] = dict;
    }
    if (members)
	argv_free(&members);
    vstring_reset(maps->error);
    if (status < 0)
	maps_free(&maps);
    return (maps);
}

int     maps_find(struct maps *maps, const char *key, const char **value)
{
    size_t  i;
    int     status;

    vstring_reset(maps->error);
    for (i = 0; i < maps->count; i++) {
	status = dict_lookup(maps->dicts[i], key, value);
	if (status == DICT_STAT_FOUND)
	    return (status);
	if (status == DICT_STAT_ERROR) {
	    vstring_sprintf(maps->error, "%s: %s", maps->title,
			    dict_error(maps->dicts[i]));
	    return (status);
	}
    }
    return (DICT_STAT_NOTFOUND);
}

int     maps_changed(struct maps *maps)
{
    size_t  i;

    for (i = 0; i < maps->count; i++)
	if (dict_changed(maps->dicts[i]))
	    return (1);
    return (0);
}

const char *maps_error(struct maps *maps)
{
    return (vstring_str(maps->error));
}

const char *maps_title(struct maps *maps)
{
    return (maps->title);
}

void    maps_free(struct maps **mapsp)
{
    struct maps *maps = *mapsp;
    size_t  i;

    if (maps == 0)
	return;
    for (i = 0; i < maps->count; i++)
	dict_close(&maps->dicts[i]);
    myfree(maps->dicts);
    myfree(maps->title);
    vstring_free(&maps->error);
    myfree(maps);
    *mapsp = 0;
}
