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
    QFILE_BOUNCE, QFILE_DEFER, QFILE_REASON, 0,
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
    int     repaired;			/* or removed (-p) */
    const char *folder;			/* the hashed folder being checked */
    int     digit;			/* its subfolder being checked */
    int     spares;			/* -p: remove spare files too */
};

typedef void (*dromsuper_entry_fn) (struct dromsuper_check *, const char *,
				            const char *, const struct stat *);

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
	msg_info_log("%s: misplaced file %s moved to %s", id, path,
		      vstring_str(target));
	chk->repaired++;
    }
    vstring_free(&target);
    vstring_free(&why);
}

/* dromsuper_check_each - fn(chk, path, name, st) for a folder's entries */

static void dromsuper_check_each(struct dromsuper_check *chk,
				         const char *folder,
				         dromsuper_entry_fn fn)
{
    struct vstring *path = vstring_alloc(100);
    struct dirent *dp;
    struct stat st;
    DIR    *dirp;

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
	if (lstat(vstring_str(path), &st) == 0)	/* else gone meanwhile */
	    fn(chk, vstring_str(path), dp->d_name, &st);
    }
    (void) closedir(dirp);
    vstring_free(&path);
}

/* dromsuper_check_tmp - report a temporary file left over */

static void dromsuper_check_tmp(struct dromsuper_check *chk, const char *path,
				        const char *name, const struct stat *st)
{
    if (dromsuper_old_tmp(name, st, chk->now)) {
	msg_warn("%s: temporary file older than an hour "
		 "(dromsuper -p removes it)", path);
	chk->problems++;
    }
}

/* dromsuper_check_sub_entry - one entry of queue/X */

static void dromsuper_check_sub_entry(struct dromsuper_check *chk,
				              const char *path, const char *name,
				              const struct stat *st)
{
    if (!S_ISREG(st->st_mode) || !qfile_id_valid(name)) {
	msg_warn("%s: not a queue file: left alone", path);
	chk->problems++;
	return;
    }
    dromsuper_check_file(chk, path, st);
    if (name[strlen(name) - 1] != chk->digit)
	dromsuper_check_misplaced(chk, chk->folder, path, name);
}

/* dromsuper_check_top_entry - one entry of a hashed queue folder */

static void dromsuper_check_top_entry(struct dromsuper_check *chk,
				              const char *path, const char *name,
				              const struct stat *st)
{
    int     digit = name[0];

    if (S_ISDIR(st->st_mode) && name[1] == 0
	&& ((digit >= '0' && digit <= '9') || (digit >= 'A' && digit <= 'F'))) {
	dromsuper_check_folder(chk, path, DROMSUPER_FOLDER_MODE);
	chk->digit = digit;
	dromsuper_check_each(chk, path, dromsuper_check_sub_entry);
    } else if (strncmp(name, TMP_PREFIX, TMP_PREFIX_LEN) == 0) {
	dromsuper_check_tmp(chk, path, name, st);
    } else {
	msg_warn("%s: not a queue subfolder: left alone", path);
	chk->problems++;
    }
}

/* dromsuper_check_flat - maildrop/ or recycle/: old temporary files */

static void dromsuper_check_flat(struct dromsuper_check *chk,
				         const char *folder, int mode)
{
    dromsuper_check_folder(chk, folder, mode);
    dromsuper_check_each(chk, folder, dromsuper_check_tmp);
}

/* dromsuper_check_init - mail_owner, now */

static void dromsuper_check_init(struct dromsuper_check *chk)
{
    struct passwd *pw;

    if ((pw = getpwnam(var_mail_owner)) == 0)
	msg_fatal("mail_owner: no such user: %s", var_mail_owner);
    memset(chk, 0, sizeof(*chk));
    chk->uid = pw->pw_uid;
    chk->gid = pw->pw_gid;
    chk->now = time((time_t *) 0);
}

int     dromsuper_structure(void)
{
    struct dromsuper_check chk;
    const char *const * cpp;

    dromsuper_check_init(&chk);
    for (cpp = dromsuper_hashed; *cpp; cpp++) {
	dromsuper_check_folder(&chk, *cpp, DROMSUPER_FOLDER_MODE);
	chk.folder = *cpp;
	dromsuper_check_each(&chk, *cpp, dromsuper_check_top_entry);
    }
    dromsuper_check_flat(&chk, DROMSUPER_Q_MAILDROP, DROMSUPER_MAILDROP_MODE);
    dromsuper_check_flat(&chk, QFILE_RECYCLE, DROMSUPER_FOLDER_MODE);
    msg_info("Structure check: %d repaired, %d not repaired", chk.repaired,
	     chk.problems);
    return (chk.problems);
}

/* dromsuper_purge_entry - remove an old tmp.* (or a spare in recycle/) */

static void dromsuper_purge_entry(struct dromsuper_check *chk,
				          const char *path, const char *name,
				          const struct stat *st)
{
    if (!dromsuper_old_tmp(name, st, chk->now)
	&& !(chk->spares && S_ISREG(st->st_mode) && qfile_id_valid(name)))
	return;
    if (unlink(path) < 0) {
	if (errno != ENOENT) {
	    msg_warn("remove %s: %m", path);
	    chk->problems++;
	}
    } else {
	msg_info_log("removed %s file %s", chk->spares ? "spare" : "temporary",
		     path);
	chk->repaired++;
    }
}

int     dromsuper_purge(void)
{
    static const char *const flat[] = {
	QFILE_INCOMING, QFILE_ACTIVE, QFILE_DEFERRED, QFILE_HOLD,
	QFILE_CORRUPT, DROMSUPER_Q_MAILDROP, 0,
    };
    struct dromsuper_check chk;
    const char *const * cpp;

    dromsuper_check_init(&chk);
    for (cpp = flat; *cpp; cpp++)
	dromsuper_check_each(&chk, *cpp, dromsuper_purge_entry);
    chk.spares = 1;
    dromsuper_check_each(&chk, QFILE_RECYCLE, dromsuper_purge_entry);
    msg_info("Purged: %d file%s", chk.repaired, chk.repaired == 1 ? "" : "s");
    return (chk.problems);
}
