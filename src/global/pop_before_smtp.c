/*++
/* NAME
/*	pop_before_smtp 3
/* SUMMARY
/*	the POP-before-SMTP table: client addresses that logged in by POP3
/* SYNOPSIS
/*	#include <pop_before_smtp.h>
/* DESCRIPTION
/*	See pop_before_smtp.h. Implementation notes:
/*
/*	Writers (pbs_record(), pbs_purge()) first take the exclusive lock
/*	on name.lock that drommap -i and -d take too (lock_file_open(),
/*	retried every 10 ms for up to PBS_LOCK_WAIT seconds), then open
/*	the table for writing. So one writer at a time opens the Berkeley
/*	DB file: a writer never works from pages another writer changed
/*	after it read them, and two writers never both create the file.
/*	The table's own flock (dict_db) keeps readers out while it is
/*	written.
/*
/*	Keys and values are written with DICT_FLAG_DEFAULT, the flags of
/*	a reader (no terminating NUL, keys folded), so drommap -q and -s
/*	and check_client_access read the table as it is.
/*
/*	When the writer runs as root (pop3d), the table and its lock file
/*	are given to $mail_owner (proxymap and smtpd read the table as
/*	that user) and the table gets mode 0644.
/*
/*	pbs_check() opens "proxy:" + $pop_before_smtp_database once and
/*	keeps it: smtpd runs chrooted, and proxymap, which is not, reopens
/*	a Berkeley DB file that was modified in place before its next
/*	lookup. pbs_check_table() does the work on a table the caller
/*	opened (tests open the file directly).
/* DIAGNOSTICS
/*	Results and reasons; nothing here logs or is fatal.
/*--*/
#include <sys/stat.h>
#include <arpa/inet.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <argv.h>
#include <atomic_file.h>
#include <mymalloc.h>
#include <vstring.h>

#include <dict.h>
#include <mail_params.h>
#include <pop_before_smtp.h>

#define PBS_LOCK_WAIT	10		/* seconds a writer waits */
#define PBS_LOCK_NAP_NS	(10 * 1000 * 1000)

#define PBS_FLAGS	DICT_FLAG_DEFAULT

/* pbs_addr_key - canonical numeric address */

int     pbs_addr_key(const char *addr, struct vstring *key)
{
    unsigned char bin[16];
    char    text[INET6_ADDRSTRLEN];
    static const unsigned char mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
    };

    if (addr == 0 || *addr == 0)
	return (-1);
    if (inet_pton(AF_INET, addr, bin) == 1) {
	if (inet_ntop(AF_INET, bin, text, sizeof(text)) == 0)
	    return (-1);
    } else if (inet_pton(AF_INET6, addr, bin) == 1) {
	if (memcmp(bin, mapped, sizeof(mapped)) == 0) {
	    if (inet_ntop(AF_INET, bin + 12, text, sizeof(text)) == 0)
		return (-1);
	} else if (inet_ntop(AF_INET6, bin, text, sizeof(text)) == 0) {
	    return (-1);
	}
    } else {
	return (-1);
    }
    vstring_strcpy(key, text);			/* inet_ntop: lower case */
    return (0);
}

/* pbs_expiry - a stored value as a time; -1 when not digits alone */

static long long pbs_expiry(const char *value)
{
    long long t = 0;
    const char *cp;

    if (*value == 0 || strlen(value) > 18)
	return (-1);
    for (cp = value; *cp; cp++) {
	if (*cp < '0' || *cp > '9')
	    return (-1);
	t = t * 10 + (*cp - '0');
    }
    return (t);
}

/* pbs_file - the file behind the table and its lock file */

static int pbs_file(char **file, char **lock)
{
    const char *spec = var_pbs_database;
    const char *colon;
    const char *suffix;
    struct vstring *type;
    struct vstring *buf;

    *file = *lock = 0;
    if ((colon = strchr(spec, ':')) == 0)
	return (-1);
    type = vstring_alloc(10);
    vstring_memcpy(type, spec, (size_t) (colon - spec));
    suffix = dict_file_suffix(vstring_str(type));
    vstring_free(&type);
    if (suffix == 0 || *suffix == 0)
	return (-1);				/* not a file type */
    buf = vstring_alloc(100);
    vstring_sprintf(buf, "%s%s", colon + 1, suffix);
    *file = vstring_export(&buf);
    buf = vstring_alloc(100);
    vstring_sprintf(buf, "%s.lock", colon + 1);
    *lock = vstring_export(&buf);
    return (0);
}

/* pbs_give - as root: owner $mail_owner; mode */

static int pbs_give(const char *path, int mode, struct vstring *why)
{
    struct passwd *pw;
    struct stat st;

    if (geteuid() != 0)
	return (0);
    if ((pw = getpwnam(var_mail_owner)) == 0) {
	vstring_sprintf(why, "%s: unknown user %s", VAR_MAIL_OWNER,
			var_mail_owner);
	return (-1);
    }
    if (stat(path, &st) < 0) {
	vstring_sprintf(why, "stat %s: %s", path, strerror(errno));
	return (-1);
    }
    if ((st.st_uid != pw->pw_uid || st.st_gid != pw->pw_gid)
	&& chown(path, pw->pw_uid, pw->pw_gid) < 0) {
	vstring_sprintf(why, "chown %s: %s", path, strerror(errno));
	return (-1);
    }
    if (mode && (st.st_mode & 07777) != (mode_t) mode
	&& chmod(path, (mode_t) mode) < 0) {
	vstring_sprintf(why, "chmod %s: %s", path, strerror(errno));
	return (-1);
    }
    return (0);
}

/* pbs_lock - the writers' lock, bounded wait; the descriptor or -1 */

static int pbs_lock(const char *lock, struct vstring *why)
{
    struct timespec nap = {0, PBS_LOCK_NAP_NS};
    time_t  deadline = time((time_t *) 0) + PBS_LOCK_WAIT;
    pid_t   pid;
    int     fd;

    while ((fd = lock_file_open(lock, &pid, why)) < 0) {
	if (pid == 0 && access(lock, F_OK) < 0)
	    return (-1);
	if (time((time_t *) 0) >= deadline) {
	    vstring_sprintf(why, "%s: still locked after %d seconds", lock,
			    PBS_LOCK_WAIT);
	    return (-1);
	}
	(void) nanosleep(&nap, (struct timespec *) 0);
    }
    return (fd);
}

/* pbs_purge_dict - delete expired entries of a table open for writing */

static int pbs_purge_dict(struct dict *dict, time_t now, const char *keep,
			          struct vstring *why)
{
    struct argv *expired = argv_alloc(10);
    const char *key;
    const char *value;
    long long t;
    int     how = DICT_SEQ_FIRST;
    int     st;
    size_t  i;
    int     count = 0;

    while ((st = dict_sequence(dict, how, &key, &value)) == DICT_STAT_FOUND) {
	how = DICT_SEQ_NEXT;
	if (keep && strcmp(key, keep) == 0)
	    continue;
	if ((t = pbs_expiry(value)) >= 0 && t <= (long long) now)
	    argv_add(expired, key, (char *) 0);
    }
    if (st == DICT_STAT_ERROR) {
	vstring_sprintf(why, "%s", dict_error(dict));
	argv_free(&expired);
	return (-1);
    }
    for (i = 0; i < expired->argc; i++) {
	st = dict_delete(dict, expired->argv[i]);
	if (st == DICT_STAT_ERROR) {
	    vstring_sprintf(why, "%s", dict_error(dict));
	    argv_free(&expired);
	    return (-1);
	}
	if (st == DICT_STAT_FOUND)
	    count++;
    }
    argv_free(&expired);
    return (count);
}

/* pbs_write - lock, open for writing, record addr (may be null), purge */

static int pbs_write(const char *key, time_t now, struct vstring *why)
{
    struct vstring *reason = vstring_alloc(100);
    struct vstring *value = vstring_alloc(20);
    struct dict *dict;
    char   *file;
    char   *lock;
    int     lock_fd = -1;
    int     ret = -1;
    int     st;

    if (pbs_file(&file, &lock) == 0) {
	if ((lock_fd = pbs_lock(lock, reason)) < 0) {
	    vstring_sprintf(why, "%s: %s", var_pbs_database,
			    vstring_str(reason));
	    goto done;
	}
	if (pbs_give(lock, 0644, reason) < 0) {
	    vstring_sprintf(why, "%s", vstring_str(reason));
	    goto done;
	}
    }
    if ((dict = dict_open(var_pbs_database, DICT_MODE_WRITE, PBS_FLAGS,
			  reason)) == 0) {
	vstring_sprintf(why, "%s", vstring_str(reason));
	goto done;
    }
    if (file && pbs_give(file, 0644, reason) < 0) {
	vstring_sprintf(why, "%s", vstring_str(reason));
	dict_close(&dict);
	goto done;
    }
    if (key) {
	vstring_sprintf(value, "%lld", (long long) now + var_pbs_tmout);
	if ((st = dict_update(dict, key, vstring_str(value)))
	    != DICT_STAT_FOUND && st != DICT_STAT_NOTFOUND) {
	    vstring_sprintf(why, "%s", dict_error(dict));
	    dict_close(&dict);
	    goto done;
	}
    }
    if ((ret = pbs_purge_dict(dict, now, key, why)) >= 0
	&& dict_sync(dict) < 0) {
	vstring_sprintf(why, "%s", dict_error(dict));
	ret = -1;
    }
    dict_close(&dict);

done:
    if (lock_fd >= 0)
	(void) close(lock_fd);
    if (file)
	myfree(file);
    if (lock)
	myfree(lock);
    vstring_free(&reason);
    vstring_free(&value);
    return (ret);
}

/* pbs_record - a POP3 login from addr */

int     pbs_record(const char *addr, time_t now, struct vstring *why)
{
    struct vstring *key = vstring_alloc(64);
    int     ret;

    if (pbs_addr_key(addr, key) < 0) {
	vstring_sprintf(why, "not a numeric address: \"%.100s\"", addr);
	vstring_free(&key);
	return (-1);
    }
    ret = pbs_write(vstring_str(key), now, why);
    vstring_free(&key);
    return (ret < 0 ? -1 : 0);
}

/* pbs_purge - delete expired entries */

int     pbs_purge(time_t now, struct vstring *why)
{
    return (pbs_write((const char *) 0, now, why));
}

/* pbs_check_table - look addr up in a table the caller opened */

int     pbs_check_table(struct dict *dict, const char *addr, time_t now,
			        struct vstring *why)
{
    struct vstring *key = vstring_alloc(64);
    const char *value;
    long long t;
    int     st;

    if (pbs_addr_key(addr, key) < 0) {
	vstring_free(&key);
	return (0);				/* "unknown" and the like */
    }
    st = dict_lookup(dict, vstring_str(key), &value);
    vstring_free(&key);
    if (st == DICT_STAT_ERROR) {
	vstring_sprintf(why, "%s", dict_error(dict));
	return (-1);
    }
    if (st != DICT_STAT_FOUND)
	return (0);
    if ((t = pbs_expiry(value)) < 0)
	return (0);				/* not ours: never trusted */
    return (t > (long long) now ? 1 : 0);
}

/* pbs_check - permit_pop_before_smtp, through proxymap */

int     pbs_check(const char *addr, time_t now, struct vstring *why)
{
    static struct dict *dict;
    static char *spec;
    struct vstring *buf;

    if (dict == 0) {
	buf = vstring_alloc(100);
	if (strncmp(var_pbs_database, "proxy:", 6) == 0)
	    vstring_strcpy(buf, var_pbs_database);
	else
	    vstring_sprintf(buf, "proxy:%s", var_pbs_database);
	spec = vstring_export(&buf);
	if ((dict = dict_open(spec, DICT_MODE_READ, PBS_FLAGS, why)) == 0) {
	    myfree(spec);
	    spec = 0;
	    return (-1);
	}
    }
    return (pbs_check_table(dict, addr, now, why));
}
