/*++
/* NAME
/*	dromos_check 3
/* SUMMARY
/*	dromos check: configuration, users, names, programs, manifest
/* SYNOPSIS
/*	#include "dromos.h"
/*
/*	int	dromos_check(void)
/*
/*	int	dromos_manifest(list_r)
/*	struct manifest_ent **list_r;
/*
/*	int	dromos_chroot_refresh(void)
/*
/*	int	dromos_valid_hostname(name)
/*	const char *name;
/*
/*	int	dromos_cmd_check(void)
/* DESCRIPTION
/*	See dromos.h and the check command in dromos.c. Errors go through
/*	msg_error(), warnings through msg_warn(); the checks go on after
/*	either, so one run reports everything.
/* DIAGNOSTICS
/*	Through msg(3).
/*--*/
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <argv.h>
#include <atomic_file.h>
#include <msg.h>
#include <readfile.h>
#include <stringops.h>
#include <vstring.h>

#include <mail_conf.h>
#include <mail_params.h>
#include <manifest.h>
#include <master_conf.h>

#include "dromos.h"

#define DROMOS_MANIFEST		"dromos-files"
#define DROMOS_COPY_MAX		(16 * 1024 * 1024)	/* chroot copies */
#define DROMOS_HOSTNAME_MAX	253
#define DROMOS_LABEL_MAX	63

/* dromos_valid_hostname - syntax of a domain name */

int     dromos_valid_hostname(const char *name)
{
    const char *cp;
    const char *label = name;
    size_t  len = strlen(name);
    int     all_digits = 1;

    if (len == 0 || len > DROMOS_HOSTNAME_MAX || name[len - 1] == '.'
	|| *name == '.')
	return (0);
    for (cp = name;; cp++) {
	if (*cp == '.' || *cp == 0) {
	    if (cp == label || cp - label > DROMOS_LABEL_MAX
		|| *label == '-' || cp[-1] == '-')
		return (0);
	    if (*cp == 0)
		break;
	    label = cp + 1;
	    all_digits = 1;
	    continue;
	}
	if ((*cp >= 'a' && *cp <= 'z') || (*cp >= 'A' && *cp <= 'Z')
	    || *cp == '-')
	    all_digits = 0;
	else if (*cp < '0' || *cp > '9')
	    return (0);
    }
    /* The last label may not be numeric: that is an address, not a name. */
    return (!all_digits);
}

/* dromos_check_users - mail_owner and setgid_group */

static int dromos_check_users(void)
{
    struct passwd *pw;
    struct passwd *other;
    struct group *gr;
    uid_t   uid;
    gid_t   gid = 0;
    int     errors = 0;
    int     have_owner = 0;

    if ((pw = getpwnam(var_mail_owner)) == 0) {
	msg_error("mail_owner: no such user: %s", var_mail_owner);
	errors++;
    } else if (pw->pw_uid == 0 || strcmp(var_mail_owner, "root") == 0) {
	msg_error("mail_owner %s must not be root (uid 0)", var_mail_owner);
	errors++;
    } else {
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	have_owner = 1;
	setpwent();
	while ((other = getpwent()) != 0) {
	    if (other->pw_uid == uid
		&& strcmp(other->pw_name, var_mail_owner) != 0) {
		msg_error("mail_owner %s shares uid %ld with user %s",
			  var_mail_owner, (long) uid, other->pw_name);
		errors++;
	    }
	}
	endpwent();
    }
    if ((gr = getgrnam(var_sgid_group)) == 0) {
	msg_error("setgid_group: no such group: %s", var_sgid_group);
	errors++;
    } else if (gr->gr_gid == 0) {
	msg_error("setgid_group %s must not be root (gid 0)", var_sgid_group);
	errors++;
    } else if (have_owner && gr->gr_gid == gid) {
	msg_error("setgid_group %s must not be the primary group of "
		  "mail_owner %s", var_sgid_group, var_mail_owner);
	errors++;
    }
    return (errors);
}

/* dromos_check_names - myhostname, mydestination */

static void dromos_check_names(void)
{
    struct argv *dest;
    size_t  i;

    if (!dromos_valid_hostname(var_myhostname))
	msg_warn("myhostname: not a valid domain name: \"%s\"", var_myhostname);
    if (!dromos_valid_hostname(var_myorigin))
	msg_warn("myorigin: not a valid domain name: \"%s\"", var_myorigin);
    dest = argv_split(var_mydest, ", \t\r\n");
    for (i = 0; i < dest->argc; i++) {
	/* A type:name table is not a domain name. */
	if (strchr(dest->argv[i], ':') != 0 && dest->argv[i][0] != ':')
	    continue;
	if (!dromos_valid_hostname(dest->argv[i]))
	    msg_warn("mydestination: not a valid domain name: \"%s\"",
		     dest->argv[i]);
    }
    argv_free(&dest);
}

/* dromos_check_dirs - where commands and private data live */

static void dromos_check_dirs(void)
{
    static const char *commands[] = {"dromos", "dromconf", 0};
    struct vstring *path = vstring_alloc(100);
    const char **cp;
    size_t  qlen = strlen(var_queue_dir);

    for (cp = commands; *cp; cp++) {
	path_join(path, var_command_dir, *cp);
	if (access(vstring_str(path), X_OK) < 0)
	    msg_warn("command_directory: %s: %s", vstring_str(path),
		     strerror(errno));
    }
    /* The jail must not expose private data to chrooted daemons. */
    while (qlen > 1 && var_queue_dir[qlen - 1] == '/')
	qlen--;
    if (strncmp(var_data_dir, var_queue_dir, qlen) == 0
	&& (var_data_dir[qlen] == '/' || var_data_dir[qlen] == 0))
	msg_warn("data_directory %s is inside queue_directory %s: "
		 "chrooted daemons could read it", var_data_dir, var_queue_dir);
    vstring_free(&path);
}

/*
 * dromos_check_proxymap - proxy: tables need the proxymap service (an
 * upgraded installation keeps its old master.cf).
 */

static void dromos_check_proxymap(struct master_ent *list)
{
    static const char *names[] = {VAR_LOCAL_RCPT_MAPS, VAR_RELAY_RCPT_MAPS,
	VAR_SMTPD_CLIENT_RESTR, VAR_SMTPD_HELO_RESTR, VAR_SMTPD_SENDER_RESTR,
	VAR_SMTPD_RELAY_RESTR, VAR_SMTPD_RCPT_RESTR, VAR_SMTPD_DATA_RESTR,
	VAR_SMTPD_EOD_RESTR, VAR_MYNETWORKS, VAR_RELAY_DOMAINS, VAR_MYDEST, 0};
    struct vstring *value = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct master_ent *ent;
    const char **np;

    for (ent = list; ent; ent = ent->next)
	if (strcmp(ent->name, "proxymap") == 0 && ent->type == MASTER_TYPE_UNIX)
	    break;
    for (np = names; ent == 0 && *np; np++) {
	if (mail_conf_eval_name(*np, value, why) == 0
	    && strstr(vstring_str(value), "proxy:") != 0) {
	    msg_warn("%s uses proxy: tables, but master.cf has no proxymap "
		     "service: add \"proxymap unix - - n - - proxymap\"", *np);
	    break;
	}
    }
    vstring_free(&value);
    vstring_free(&why);
}

/* dromos_check_master - master.cf parses, its commands are there */

static int dromos_check_master(void)
{
    struct master_ent *list;
    struct master_ent *ent;
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct stat st;
    const char *cmd;
    int     errors = 0;

    path_join(path, dromos_config_dir, "master.cf");
    if (master_conf_read(vstring_str(path), &list, why) < 0) {
	msg_error("%s", vstring_str(why));
	vstring_free(&path);
	vstring_free(&why);
	return (1);
    }
    for (ent = list; ent; ent = ent->next) {
	if (ent->args == 0 || ent->args->argc == 0)
	    continue;
	cmd = ent->args->argv[0];
	if (*cmd == '/')
	    vstring_strcpy(path, cmd);
	else
	    path_join(path, var_daemon_dir, cmd);
	if (stat(vstring_str(path), &st) < 0) {
	    msg_error("%s, line %d: service %s: %s: %s", ent->file, ent->line,
		      ent->name, vstring_str(path), strerror(errno));
	    errors++;
	} else if (!S_ISREG(st.st_mode)) {
	    msg_error("%s, line %d: service %s: %s is not a regular file",
		      ent->file, ent->line, ent->name, vstring_str(path));
	    errors++;
	} else if ((st.st_mode & 0111) == 0) {
	    msg_error("%s, line %d: service %s: %s is not executable",
		      ent->file, ent->line, ent->name, vstring_str(path));
	    errors++;
	}
    }
    dromos_check_proxymap(list);
    master_conf_free(&list);
    vstring_free(&path);
    vstring_free(&why);
    return (errors);
}

/* dromos_expand - manifest expansion; entries under unknown folders go */

static int dromos_expand(const char *raw, struct vstring *out,
			         struct vstring *why)
{
    /*
     * html_directory is an installation path without a parameter (the
     * documentation is not used at run time): such entries are skipped,
     * as post-install does.
     */
    if (strstr(raw, "html_directory") != 0
	&& mail_param_find("html_directory") == 0)
	return (1);
    return (mail_conf_expand(raw, out, why));
}

/* dromos_manifest - read the installed manifest */

int     dromos_manifest(struct manifest_ent **list)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    int     ret = 0;

    path_join(path, var_daemon_dir, DROMOS_MANIFEST);
    if (manifest_read(vstring_str(path), dromos_expand, list, why) < 0) {
	msg_error("%s", vstring_str(why));
	ret = -1;
    }
    vstring_free(&path);
    vstring_free(&why);
    return (ret);
}

/* dromos_user_name - uid to name, or number */

static const char *dromos_user_name(uid_t uid, struct vstring *buf)
{
    struct passwd *pw;

    if ((pw = getpwuid(uid)) != 0)
	return (vstring_str(vstring_strcpy(buf, pw->pw_name)));
    return (vstring_str(vstring_sprintf(buf, "%ld", (long) uid)));
}

/* dromos_group_name - gid to name, or number */

static const char *dromos_group_name(gid_t gid, struct vstring *buf)
{
    struct group *gr;

    if ((gr = getgrgid(gid)) != 0)
	return (vstring_str(vstring_strcpy(buf, gr->gr_name)));
    return (vstring_str(vstring_sprintf(buf, "%ld", (long) gid)));
}

/* dromos_want_ids - the owner and group an entry should have */

static int dromos_want_ids(const struct manifest_ent *ent, uid_t *uid,
			           gid_t *gid, const char **group_name)
{
    struct passwd *pw;
    struct group *gr;

    if ((pw = getpwnam(ent->owner)) == 0) {
	msg_warn("%s: unknown owner %s (%s, line %d)", ent->path, ent->owner,
		 DROMOS_MANIFEST, ent->line);
	return (-1);
    }
    *uid = pw->pw_uid;
    *gid = pw->pw_gid;
    *group_name = 0;
    if (ent->group) {
	if ((gr = getgrnam(ent->group)) == 0) {
	    msg_warn("%s: unknown group %s (%s, line %d)", ent->path,
		     ent->group, DROMOS_MANIFEST, ent->line);
	    return (-1);
	}
	*gid = gr->gr_gid;
	*group_name = ent->group;
    }
    return (0);
}

/* dromos_type_ok - file type against the manifest type */

static int dromos_type_ok(int type, mode_t mode)
{
    switch (type) {
    case MANIFEST_TYPE_DIR:
    case MANIFEST_TYPE_TREE:
	return (S_ISDIR(mode));
    case MANIFEST_TYPE_FILE:
	return (S_ISREG(mode));
    case MANIFEST_TYPE_LINK:
	return (S_ISLNK(mode));
    default:
	return (0);
    }
}

/* dromos_kind - what a file is, for messages */

static const char *dromos_kind(mode_t mode)
{
    if (S_ISDIR(mode))
	return ("a folder");
    if (S_ISREG(mode))
	return ("a file");
    if (S_ISLNK(mode))
	return ("a symbolic link");
    if (S_ISSOCK(mode))
	return ("a socket");
    if (S_ISFIFO(mode))
	return ("a fifo");
    return ("a device");
}

/* dromos_check_mode - compare permission bits */

static void dromos_check_mode(const char *path, const struct stat *st, int want)
{
    if (want >= 0 && (int) (st->st_mode & 07777) != want)
	msg_warn("%s: mode is %04o, should be %04o", path,
		 (unsigned) (st->st_mode & 07777), (unsigned) want);
}

/* dromos_same_content - 1 same, 0 differ, -1 source unreadable */

static int dromos_same_content(const char *source, const char *copy,
			               struct vstring *why)
{
    struct vstring *a = vstring_alloc(1000);
    struct vstring *b = vstring_alloc(1000);
    int     ret;

    if (readfile_limited(source, DROMOS_COPY_MAX, a, why) < 0)
	ret = -1;
    else if (readfile_limited(copy, DROMOS_COPY_MAX, b, 0) < 0)
	ret = 0;
    else
	ret = (vstring_len(a) == vstring_len(b)
	       && memcmp(vstring_str(a), vstring_str(b), vstring_len(a)) == 0);
    vstring_free(&a);
    vstring_free(&b);
    return (ret);
}

/* dromos_check_entry - one manifest entry; warnings only */

static void dromos_check_entry(const struct manifest_ent *ent)
{
    struct vstring *have = vstring_alloc(30);
    struct vstring *want = vstring_alloc(30);
    struct vstring *why = vstring_alloc(100);
    struct vstring *file = vstring_alloc(100);
    struct stat st;
    struct stat fst;
    const char *group_name;
    struct dirent *dp;
    DIR    *dir;
    uid_t   uid;
    gid_t   gid;

    if ((ent->flags & MANIFEST_FLAG_CHROOT)
	&& (ent->flags & MANIFEST_FLAG_OPTIONAL) && ent->source
	&& access(ent->source, F_OK) < 0 && errno == ENOENT)
	goto done;
    if (lstat(ent->path, &st) < 0) {
	if (errno == ENOENT)
	    msg_warn("%s: missing (%s, line %d)", ent->path, DROMOS_MANIFEST,
		     ent->line);
	else
	    msg_warn("%s: cannot check: %s", ent->path, strerror(errno));
	goto done;
    }
    if (!dromos_type_ok(ent->type, st.st_mode)) {
	msg_warn("%s: is %s, should be a %s", ent->path,
		 dromos_kind(st.st_mode), manifest_type_name(ent->type));
	goto done;
    }
    if (ent->type == MANIFEST_TYPE_LINK)
	goto done;
    if (dromos_want_ids(ent, &uid, &gid, &group_name) == 0) {
	if (st.st_uid != uid)
	    msg_warn("%s: owner is %s, should be %s", ent->path,
		     dromos_user_name(st.st_uid, have), ent->owner);
	if (st.st_gid != gid)
	    msg_warn("%s: group is %s, should be %s", ent->path,
		     dromos_group_name(st.st_gid, have),
		     group_name ? group_name : dromos_group_name(gid, want));
    }
    if (ent->type != MANIFEST_TYPE_TREE) {
	dromos_check_mode(ent->path, &st, ent->mode);
    } else if (ent->mode >= 0 && (dir = opendir(ent->path)) != 0) {
	/* The mode of a D entry is that of the files copied into it. */
	while ((dp = readdir(dir)) != 0) {
	    path_join(file, ent->path, dp->d_name);
	    if (lstat(vstring_str(file), &fst) == 0 && S_ISREG(fst.st_mode))
		dromos_check_mode(vstring_str(file), &fst, ent->mode);
	}
	closedir(dir);
    }
    if ((ent->flags & MANIFEST_FLAG_CHROOT) && ent->source) {
	switch (dromos_same_content(ent->source, ent->path, why)) {
	case 0:
	    msg_warn("%s: differs from %s (dromos start refreshes it)",
		     ent->path, ent->source);
	    break;
	case -1:
	    msg_warn("%s: cannot compare with %s: %s", ent->path, ent->source,
		     vstring_str(why));
	    break;
	}
    }
done:
    vstring_free(&have);
    vstring_free(&want);
    vstring_free(&why);
    vstring_free(&file);
}

/* dromos_check - everything; returns the error count */

int     dromos_check(void)
{
    struct manifest_ent *list;
    struct manifest_ent *ent;
    int     errors = 0;

    errors += dromos_check_master();
    errors += dromos_check_users();
    dromos_check_names();
    dromos_check_dirs();
    if (dromos_manifest(&list) < 0) {
	errors++;
    } else {
	for (ent = list; ent; ent = ent->next)
	    dromos_check_entry(ent);
	manifest_free(&list);
    }
    if (msg_verbose)
	msg_info("check: %d error(s)", errors);
    return (errors);
}

/* dromos_refresh_one - copy one chroot file when it differs */

static int dromos_refresh_one(const struct manifest_ent *ent)
{
    struct vstring *data = vstring_alloc(1000);
    struct vstring *why = vstring_alloc(100);
    const char *group_name;
    uid_t   uid = 0;
    gid_t   gid = 0;
    int     same;
    int     ret = 0;

    if (access(ent->source, F_OK) < 0 && errno == ENOENT) {
	if ((ent->flags & MANIFEST_FLAG_OPTIONAL) == 0) {
	    msg_error("%s: cannot refresh: %s is missing", ent->path,
		      ent->source);
	    ret = 1;
	}
	goto done;
    }
    if ((same = dromos_same_content(ent->source, ent->path, why)) < 0) {
	msg_error("%s: cannot refresh: %s", ent->path, vstring_str(why));
	ret = 1;
	goto done;
    }
    if (same)
	goto done;
    if (readfile_limited(ent->source, DROMOS_COPY_MAX, data, why) < 0
	|| atomic_file_replace(ent->path, vstring_str(data), vstring_len(data),
			       ent->mode >= 0 ? ent->mode : 0644, why) < 0) {
	msg_error("%s: cannot refresh: %s", ent->path, vstring_str(why));
	ret = 1;
	goto done;
    }
    if (dromos_want_ids(ent, &uid, &gid, &group_name) == 0
	&& chown(ent->path, uid, gid) < 0) {
	msg_error("%s: chown: %s", ent->path, strerror(errno));
	ret = 1;
    }
    if (ent->mode >= 0 && chmod(ent->path, (mode_t) ent->mode) < 0) {
	msg_error("%s: chmod: %s", ent->path, strerror(errno));
	ret = 1;
    }
    if (msg_verbose)
	msg_info("refreshed %s from %s", ent->path, ent->source);
done:
    vstring_free(&data);
    vstring_free(&why);
    return (ret);
}

/* dromos_chroot_refresh - every chroot copy; returns the error count */

int     dromos_chroot_refresh(void)
{
    struct manifest_ent *list;
    struct manifest_ent *ent;
    int     errors = 0;

    if (dromos_manifest(&list) < 0)
	return (1);
    for (ent = list; ent; ent = ent->next)
	if ((ent->flags & MANIFEST_FLAG_CHROOT)
	    && ent->type == MANIFEST_TYPE_FILE && ent->source
	    && ent->source[0] == '/')
	    errors += dromos_refresh_one(ent);
    manifest_free(&list);
    return (errors);
}

/* dromos_cmd_check - the check command */

int     dromos_cmd_check(void)
{
    return (dromos_check() > 0 ? 1 : 0);
}
