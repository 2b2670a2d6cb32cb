/*++
/* NAME
/*	dromsuper_queue 3
/* SUMMARY
/*	find and walk queue files, log, wake qmgr
/* SYNOPSIS
/*	#include "dromsuper.h"
/* DESCRIPTION
/*	See dromsuper.h.
/* DIAGNOSTICS
/*	msg_warn() for a folder that cannot be read.
/*--*/
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <string.h>

#include <msg.h>
#include <vstring.h>

#include <dsn_log.h>
#include <mail_trigger.h>
#include <qfile.h>

#include "dromsuper.h"

#define QMGR_TRIGGER_PATH	"private/qmgr"
#define QMGR_TRIGGER_WAKEUP	"W"

const char *dromsuper_path(struct vstring *buf, const char *queue,
			           const char *id)
{
    if (strcmp(queue, DROMSUPER_Q_MAILDROP) == 0) {
	vstring_sprintf(buf, "%s/%s", queue, id);
	return (vstring_str(buf));
    }
    return (qfile_path(buf, queue, id));
}

const char *dromsuper_find(const char *id, const char *const * queues)
{
    struct vstring *path;
    struct stat st;
    const char *found = 0;

    if (!qfile_id_valid(id))
	return (0);
    path = vstring_alloc(100);
    for (; *queues && found == 0; queues++)
	if (lstat(dromsuper_path(path, *queues, id), &st) == 0
	    && S_ISREG(st.st_mode))
	    found = *queues;
    vstring_free(&path);
    return (found);
}

/* dromsuper_walk_dir - one folder's queue files */

static int dromsuper_walk_dir(const char *queue, const char *dir, int digit,
			              dromsuper_walk_fn fn, void *ctx)
{
    DIR    *dirp;
    struct dirent *dp;
    size_t  len;

    if ((dirp = opendir(dir)) == 0) {
	if (errno == ENOENT)
	    return (0);
	msg_warn("open folder %s: %m", dir);
	return (-1);
    }
    while ((dp = readdir(dirp)) != 0) {
	if (!qfile_id_valid(dp->d_name))
	    continue;
	len = strlen(dp->d_name);
	if (digit && dp->d_name[len - 1] != digit)
	    continue;				/* misplaced: see -s */
	fn(queue, dp->d_name, ctx);
    }
    (void) closedir(dirp);
    return (0);
}

int     dromsuper_walk(const char *queue, dromsuper_walk_fn fn, void *ctx)
{
    static const char hex[] = "0123456789ABCDEF";
    struct vstring *dir;
    const char *cp;
    int     ret = 0;

    if (strcmp(queue, DROMSUPER_Q_MAILDROP) == 0)
	return (dromsuper_walk_dir(queue, queue, 0, fn, ctx));
    dir = vstring_alloc(100);
    for (cp = hex; *cp; cp++) {
	vstring_sprintf(dir, "%s/%c", queue, *cp);
	if (dromsuper_walk_dir(queue, vstring_str(dir), *cp, fn, ctx) < 0)
	    ret = -1;
    }
    vstring_free(&dir);
    return (ret);
}

void    dromsuper_trigger(void)
{
    struct vstring *why = vstring_alloc(100);

    /* qmgr not running: it scans when it starts. */
    if (mail_trigger(QMGR_TRIGGER_PATH, QMGR_TRIGGER_WAKEUP,
		     strlen(QMGR_TRIGGER_WAKEUP), why) < 0 && msg_verbose)
	msg_info("%s", vstring_str(why));
    vstring_free(&why);
}

void    dromsuper_forget(const char *id)
{
    struct vstring *why = vstring_alloc(100);

    if (dsn_log_remove(QFILE_BOUNCE, id, why) < 0)
	msg_warn("%s: %s", id, vstring_str(why));
    if (dsn_log_remove(QFILE_DEFER, id, why) < 0)
	msg_warn("%s: %s", id, vstring_str(why));
    if (dsn_log_remove(QFILE_REASON, id, why) < 0)
	msg_warn("%s: %s", id, vstring_str(why));
    vstring_free(&why);
}
