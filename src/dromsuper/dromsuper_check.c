/*++
/* NAME
/*	dromsuper_check 3
/* SUMMARY
/*	queue structure check and repair, purge of leftover files
/* SYNOPSIS
/*	#include "dromsuper.h"
/*
/*	int	dromsuper_structure()
/*
/*	int	dromsuper_purge()
/* DESCRIPTION
/*	dromsuper_structure() checks the queue against what
/*	postinstall/dromos-files installs: each queue folder and its
/*	subfolders owned by mail_owner with mode 0700 (maildrop/ 0730);
/*	each queue file owned by mail_owner with no group or other
/*	permission (0600 or 0700). It repairs what is safe: a file whose
/*	name's last hex digit is not its subfolder's is moved to the right
/*	subfolder (qmgr and the other programs find a file only there),
/*	and a queue file's owner and group or other permission bits are
/*	reset. It reports, and leaves alone, what needs a person: folders
/*	with the wrong owner or mode, names that are not queue IDs, and
/*	temporary files older than an hour (-p removes those).
/*
/*	dromsuper_purge() removes temporary files (tmp.*) older than an
/*	hour from the queue folders and maildrop/, and the spare files in
/*	recycle/ (cleanup makes new files when there are none).
/* DIAGNOSTICS
/*	msg_warn() for each problem; the return value counts those that
/*	were not repaired.
/*--*/
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <vstring.h>

#include <mail_params.h>
#include <qfile.h>

#include "dromsuper.h"

 /*
  * The hashed folders; maildrop/ and recycle/ are flat.
  */
static const char *const dromsuper_hashed[] = {
    QFILE_INCOMING, QFILE_ACTIVE, QFILE_DEFERRED, QFILE_HOLD, QFILE_CORRUPT,
    QFILE_BOUNCE, QFILE_DEFER, 0,
};

#define DROMSUPER_FOLDER_MODE	0700
#define DROMSUPER_MAILDROP_MODE	0730
#define TMP_PREFIX		"tmp."
#define TMP_PREFIX_LEN		(sizeof(TMP_PREFIX) - 1)

struct dromsuper_check {
    uid_t   uid;			/* mail_owner */
    gid_t   gid;
    time_t  now;
    int     problems;			/* not repaired */
    int     repaired;
};

/* dromsuper_old_tmp - a temporary file left over */

static int dromsuper_old_tmp(const char *name, const struct stat *st,
			             time_t now)
{
    return (strncmp(name, TMP_PREFIX, TMP_PREFIX_LEN) == 0
	    && S_ISREG(st->st_mode) && st->st_mtime < now - DROMSUPER_TMP_AGE);
}

/* dromsuper_check_folder - owner and mode of a folder */

static void dromsuper_check_folder(struct dromsuper_check *chk,
				           const char *path, int mode)
{
    struct stat st;

    if (lstat(path, &st) < 0) {
	if (errno != ENOENT) {
	    msg_warn("%s: %m", path);
	    chk->problems++;
	}
	return;
    }
    if (!S_ISDIR(st.st_mode)) {
	msg_warn("%s: not a folder", path);
	chk->problems++;
	return;
    }
    if (st.st_uid != chk->uid) {
	msg_warn("%s: owner is uid %ld, expected %s", path, (long) st.st_uid,
		 var_mail_owner);
	chk->problems++;
    }
    if ((st.st_mode & 07777) != (mode_t) mode) {
	msg_warn("%s: mode is %04o, expected %04o", path,
		 (unsigned) (st.st_mode & 07777), (unsigned) mode);
	chk->problems++;
    }
}

/* dromsuper_check_file - owner and mode of a queue file */

static void dromsuper_check_file(struct dromsuper_check *chk,
				         const char *path, const struct stat *st)
{
    if (st->st_uid != chk->uid || st->st_gid != chk->gid) {
	if (lchown(path, chk->uid, chk->gid) < 0) {
	    msg_warn("%s: owner is uid %ld: cannot repair: %m", path,
		     (long) st->st_uid);
	    chk->problems++;
	} else {
	    msg_warn("%s: owner was uid %ld: now %s", path,
		     (long) st->st_uid, var_mail_owner);
	    chk->repaired++;
	}
    }
    if (st->st_mode & 077) {
	if (chmod(path, st->st_mode & 0700) < 0) {
	    msg_warn("%s: mode is %04o: cannot repair: %m", path,
		     (unsigned) (st->st_mode & 07777));
	    chk->problems++;
	} else {
	    msg_warn("%s: mode was %04o: now %04o", path,
		     (unsigned) (st->st_mode & 07777),
		     (unsigned) (st->st_mode & 0700));
	    chk->repaired++;
	}
    }
}

/* dromsuper_check_owner - a subfolder made by root: mail_owner's */

static int dromsuper_check_owner(struct dromsuper_check *chk,
				         const char *folder, const char *id)
{
    struct vstring *sub = vstring_alloc(100);
    int     ret = 0;

    vstring_sprintf(sub, "%s/%c", folder, id[strlen(id) - 1]);
    if (lchown(vstring_str(sub), chk->uid, chk->gid) < 0) {
	msg_warn("%s: set owner: %m", vstring_str(sub));
	ret = -1;
    }
    vstring_free(&sub);
    return (ret);
}

/* dromsuper_check_misplaced - move a file to its own subfolder */

static void dromsuper_check_misplaced(struct dromsuper_check *chk,
				              const char *folder, const char *path,
				              const char *id)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *target = vstring_alloc(100);
    struct stat st;

    qfile_path(target, folder, id);
    if (lstat(vstring_str(target), &st) == 0) {
	msg_warn("%s: misplaced, and %s exists too: left alone", path,
		 vstring_str(target));
	chk->problems++;
    } else if (qfile_folder_for(folder, id, why) < 0) {
	msg_warn("%s: misplaced: %s", path, vstring_str(why));
	chk->problems++;
    } else if (dromsuper_check_owner(chk, folder, id) < 0) {
	chk->problems++;
    } else if (rename(path, vstring_str(target)) < 0) {
	msg_warn("%s: misplaced: rename to %s: %m", path, vstring_str(target));
	chk->problems++;
    } else {
	msg_warn("%s: misplaced: moved to %s", path, vstring_str(target));
	dromsuper_log("%s: misplaced file %s moved to %s", id, path,
		      vstring_str(target));
	chk->repaired++;
    }
    vstring_free(&target);
    vstring_free(&why);
}

/* dromsuper_check_sub - one subfolder queue/X */

static void dromsuper_check_sub(struct dromsuper_check *chk,
				        const char *folder, const char *sub,
				        int digit)
{
    struct vstring *path = vstring_alloc(100);
    struct dirent *dp;
    struct stat st;
    DIR    *dirp;
    size_t  len;

    if ((dirp = opendir(sub)) == 0) {
	msg_warn("open folder %s: %m", sub);
	chk->problems++;
	vstring_free(&path);
	return;
    }
    while ((dp = readdir(dirp)) != 0) {
	if (strcmp(dp->d_name, ".") == 0 || strcmp(dp->d_name, "..") == 0)
	    continue;
	vstring_sprintf(path, "%s/%s", sub, dp->d_name);
	if (lstat(vstring_str(path), &st) < 0)
	    continue;				/* gone meanwhile */
	if (!S_ISREG(st.st_mode) || !qfile_id_valid(dp->d_name)) {
	    msg_warn("%s: not a queue file: left alone", vstring_str(path));
	    chk->problems++;
	    continue;
	}
	dromsuper_check_file(chk, vstring_str(path), &st);
	len = strlen(dp->d_name);
	if (dp->d_name[len - 1] != digit)
	    dromsuper_check_misplaced(chk, folder, vstring_str(path),
				      dp->d_name);
    }
    (void) closedir(dirp);
    vstring_free(&path);
}

/* dromsuper_check_hashed - queue/ and its 16 subfolders */

static void dromsuper_check_hashed(struct dromsuper_check *chk,
				           const char *folder)
{
    struct vstring *path = vstring_alloc(100);
    struct dirent *dp;
    struct stat st;
    DIR    *dirp;
    int     digit;

    dromsuper_check_folder(chk, folder, DROMSUPER_FOLDER_MODE);
    if ((dirp = opendir(folder)) == 0) {
	if (errno != ENOENT) {
	    msg_warn("open folder %s: %m", folder);
	    chk->problems++;
	}
	vstring_free(&path);
	return;
    }
    while ((dp = readdir(dirp)) != 0) {
	if (strcmp(dp->d_name, ".") == 0 || strcmp(dp->d_name, "..") == 0)
	    continue;
	vstring_sprintf(path, "%s/%s", folder, dp->d_name);
	if (lstat(vstring_str(path), &st) < 0)
	    continue;
	digit = dp->d_name[0];
	if (S_ISDIR(st.st_mode) && dp->d_name[1] == 0
	    && ((digit >= '0' && digit <= '9') || (digit >= 'A' && digit <= 'F'))) {
	    dromsuper_check_folder(chk, vstring_str(path),
				   DROMSUPER_FOLDER_MODE);
	    dromsuper_check_sub(chk, folder, vstring_str(path), digit);
	} else if (strncmp(dp->d_name, TMP_PREFIX, TMP_PREFIX_LEN) == 0) {
	    if (dromsuper_old_tmp(dp->d_name, &st, chk->now)) {
		msg_warn("%s: temporary file older than an hour "
			 "(dromsuper -p removes it)", vstring_str(path));
		chk->problems++;
	    }
	} else {
	    msg_warn("%s: not a queue subfolder: left alone",
		     vstring_str(path));
	    chk->problems++;
	}
    }
    (void) closedir(dirp);
    vstring_free(&path);
}

/* dromsuper_check_flat - maildrop/ or recycle/: old temporary files */

static void dromsuper_check_flat(struct dromsuper_check *chk,
				         const char *folder, int mode)
{
    struct vstring *path = vstring_alloc(100);
    struct dirent *dp;
    struct stat st;
    DIR    *dirp;

    dromsuper_check_folder(chk, folder, mode);
    if ((dirp = opendir(folder)) != 0) {
	while ((dp = readdir(dirp)) != 0) {
	    vstring_sprintf(path, "%s/%s", folder, dp->d_name);
	    if (lstat(vstring_str(path), &st) == 0
		&& dromsuper_old_tmp(dp->d_name, &st, chk->now)) {
		msg_warn("%s: temporary file older than an hour "
			 "(dromsuper -p removes it)", vstring_str(path));
		chk->problems++;
	    }
	}
	(void) closedir(dirp);
    }
    vstring_free(&path);
}

int     dromsuper_structure(void)
{
    struct dromsuper_check chk;
    struct passwd *pw;
    const char *const * cpp;

    if ((pw = getpwnam(var_mail_owner)) == 0)
	msg_fatal("mail_owner: no such user: %s", var_mail_owner);
    memset(&chk, 0, sizeof(chk));
    chk.uid = pw->pw_uid;
    chk.gid = pw->pw_gid;
    chk.now = time((time_t *) 0);
    for (cpp = dromsuper_hashed; *cpp; cpp++)
	dromsuper_check_hashed(&chk, *cpp);
    dromsuper_check_flat(&chk, DROMSUPER_Q_MAILDROP, DROMSUPER_MAILDROP_MODE);
    dromsuper_check_flat(&chk, QFILE_RECYCLE, DROMSUPER_FOLDER_MODE);
    msg_info("Structure check: %d repaired, %d not repaired", chk.repaired,
	     chk.problems);
    return (chk.problems);
}

/* dromsuper_purge_folder - remove old tmp.* (all regular files: spares) */

static int dromsuper_purge_folder(const char *folder, int spares, time_t now,
				          int *problems)
{
    struct vstring *path = vstring_alloc(100);
    struct dirent *dp;
    struct stat st;
    DIR    *dirp;
    int     count = 0;

    if ((dirp = opendir(folder)) == 0) {
	if (errno != ENOENT) {
	    msg_warn("open folder %s: %m", folder);
	    (*problems)++;
	}
	vstring_free(&path);
	return (0);
    }
    while ((dp = readdir(dirp)) != 0) {
	vstring_sprintf(path, "%s/%s", folder, dp->d_name);
	if (lstat(vstring_str(path), &st) < 0
	    || !(dromsuper_old_tmp(dp->d_name, &st, now)
		 || (spares && S_ISREG(st.st_mode)
		     && qfile_id_valid(dp->d_name))))
	    continue;
	if (unlink(vstring_str(path)) < 0) {
	    if (errno != ENOENT) {
		msg_warn("remove %s: %m", vstring_str(path));
		(*problems)++;
	    }
	} else {
	    dromsuper_log("removed %s file %s", spares ? "spare" : "temporary",
			  vstring_str(path));
	    count++;
	}
    }
    (void) closedir(dirp);
    vstring_free(&path);
    return (count);
}

int     dromsuper_purge(void)
{
    static const char *const flat[] = {
	QFILE_INCOMING, QFILE_ACTIVE, QFILE_DEFERRED, QFILE_HOLD,
	QFILE_CORRUPT, DROMSUPER_Q_MAILDROP, 0,
    };
    const char *const * cpp;
    time_t  now = time((time_t *) 0);
    int     count = 0;
    int     problems = 0;

    for (cpp = flat; *cpp; cpp++)
	count += dromsuper_purge_folder(*cpp, 0, now, &problems);
    count += dromsuper_purge_folder(QFILE_RECYCLE, 1, now, &problems);
    msg_info("Purged: %d file%s", count, count == 1 ? "" : "s");
    return (problems);
}
