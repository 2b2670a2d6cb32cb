/*++
/* NAME
/*	dict_unix 3
/* SUMMARY
/*	unix: tables, the system's user and group databases
/* SYNOPSIS
/*	#include <dict_private.h>
/*
/*	struct dict *dict_unix_open(type, name, mode, flags, why)
/*
/*	int	dict_unix_key_possible(key)
/* DESCRIPTION
/*	"unix:passwd.byname" looks a login name up with getpwnam(3) and
/*	finds "name:*:uid:gid:gecos:home:shell"; "unix:group.byname" looks
/*	a group up with getgrnam(3) and finds "name:*:gid:member,member".
/*	The password field is never returned. Read-only; a daemon in a
/*	chroot reads them through proxymap(8) (proxy:unix:passwd.byname),
/*	because the system's files are outside.
/*
/*	A lookup that fails for another reason than "no such entry" (an
/*	unreachable NSS service, say) is DICT_STAT_ERROR: the caller
/*	defers rather than refusing a user that exists.
/*
/*	dict_unix_key_possible() tells whether a key can be a user or
/*	group name at all: not empty, and without "@", ":", "/", white
/*	space or control characters. A key that cannot is "not found"
/*	without asking the system: address lookups try "user@domain"
/*	before "user", and on a system whose name service continues past
/*	/etc/passwd (systemd's userdb, LDAP) that futile question is the
/*	costly kind. local(8) delivers to the local part, so a login name
/*	containing "@" could not receive mail anyway. dict_proxy uses the
/*	same test to skip the round trip to proxymap.
/* DIAGNOSTICS
/*	An unknown name is an error at open.
/*--*/
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>

#include <vstring.h>

#include <dict_private.h>

struct dict_unix {
    struct dict dict;
    struct vstring *value;
};

/* dict_unix_notfound - errno after a failed lookup means "no entry" */

static int dict_unix_notfound(int err)
{
    return (err == 0 || err == ENOENT || err == ESRCH || err == EBADF
	    || err == EPERM);
}

/* dict_unix_key_possible - can key be a user or group name? */

int     dict_unix_key_possible(const char *key)
{
    const unsigned char *cp = (const unsigned char *) key;

    if (*cp == 0)
	return (0);
    for (; *cp; cp++)
	if (*cp == '@' || *cp == ':' || *cp == '/' || *cp <= ' ' || *cp == 0x7f)
	    return (0);
    return (1);
}

static int dict_unix_passwd(struct dict *dict, const char *key,
			            const char **value)
{
    struct dict_unix *du = (struct dict_unix *) dict;
    struct passwd *pw;

    if (!dict_unix_key_possible(key))
	return (DICT_STAT_NOTFOUND);
    errno = 0;
    if ((pw = getpwnam(key)) == 0) {
	if (dict_unix_notfound(errno))
	    return (DICT_STAT_NOTFOUND);
	dict_set_error(dict, "getpwnam(%s): %s", key, strerror(errno));
	return (DICT_STAT_ERROR);
    }
    vstring_sprintf(du->value, "%s:*:%ld:%ld:%s:%s:%s", pw->pw_name,
		    (long) pw->pw_uid, (long) pw->pw_gid,
		    pw->pw_gecos ? pw->pw_gecos : "", pw->pw_dir, pw->pw_shell);
    *value = vstring_str(du->value);
    return (DICT_STAT_FOUND);
}

static int dict_unix_group(struct dict *dict, const char *key,
			           const char **value)
{
    struct dict_unix *du = (struct dict_unix *) dict;
    struct group *gr;
    char  **mem;

    if (!dict_unix_key_possible(key))
	return (DICT_STAT_NOTFOUND);
    errno = 0;
    if ((gr = getgrnam(key)) == 0) {
	if (dict_unix_notfound(errno))
	    return (DICT_STAT_NOTFOUND);
	dict_set_error(dict, "getgrnam(%s): %s", key, strerror(errno));
	return (DICT_STAT_ERROR);
    }
    vstring_sprintf(du->value, "%s:*:%ld:", gr->gr_name, (long) gr->gr_gid);
    for (mem = gr->gr_mem; mem && *mem; mem++)
	vstring_sprintf_append(du->value, "%s%s", mem == gr->gr_mem ? "" : ",",
			       *mem);
    *value = vstring_str(du->value);
    return (DICT_STAT_FOUND);
}

static void dict_unix_close(struct dict *dict)
{
    vstring_free(&((struct dict_unix *) dict)->value);
    dict_free(dict);
}

struct dict *dict_unix_open(const char *type, const char *name, int mode,
			            int flags, struct vstring *why)
{
    struct dict_unix *du;
    int     (*lookup) (struct dict *, const char *, const char **);

    if (strcmp(name, "passwd.byname") == 0) {
	lookup = dict_unix_passwd;
    } else if (strcmp(name, "group.byname") == 0) {
	lookup = dict_unix_group;
    } else {
	vstring_sprintf(why, "table \"%s:%s\": unknown unix table; "
			"use passwd.byname or group.byname", type, name);
	return (0);
    }
    du = (struct dict_unix *) dict_alloc(type, name, sizeof(*du), mode, flags);
    du->value = vstring_alloc(100);
    du->dict.lookup = lookup;
    du->dict.close = dict_unix_close;
    return (&du->dict);
}
