/*++
/* NAME
/*	local_file 3
/* SUMMARY
/*	deliver to a /file of an alias or .forward file
/* SYNOPSIS
/*	#include "local.h"
/*
/*	void	local_file(state, run, path, result)
/* DESCRIPTION
/*	local_file() appends the message to path in mbox format, with the
/*	locking of local_mbox() (a dot-lock when the folder lets run make
/*	one, and an fcntl() lock), as run (effective uid, gid and primary
/*	group; never root): "From SENDER DATE", Return-Path:,
/*	Delivered-To: state->recipient, the content with ">From "
/*	quoting, an empty line, fsync. A missing file is created with mode
/*	0600 by run; an existing one must be a regular file with one link
/*	(no symbolic link is followed). /dev/null is accepted without
/*	writing anything.
/*
/*	Results: "delivered to file: PATH" (2.0.0), or deferred (4.2.0)
/*	with the reason; the file is truncated back on a failed write.
/* DIAGNOSTICS
/*	Result only.
/*--*/
#include <sys/stat.h>
#include <string.h>

#include <vstring.h>

#include <deliver_request.h>

#include "local.h"

void    local_file(struct local_state *state, struct local_user *run,
		           const char *path, struct local_result *res)
{
    struct vstring *why = vstring_alloc(100);
    mode_t  old_mask;
    int     ret;

    if (strcmp(path, "/dev/null") == 0) {
	local_result_set(res, DELIVER_STAT_SENT, "2.0.0",
			 "delivered to file: %s", path);
	vstring_free(&why);
	return;
    }
    if (run->uid == 0) {			/* cannot happen */
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "refusing to write file %s as root", path);
	vstring_free(&why);
	return;
    }
    state->spool_priv = 0;
    old_mask = umask(077);
    if (local_become(run->uid, run->gid) < 0) {
	vstring_sprintf(why, "cannot switch to user %s: %m", run->name);
	ret = -1;
    } else {
	ret = local_mbox_append(state, path, LOCAL_MBOX_FILE, why);
    }
    local_restore();
    (void) umask(old_mask);
    if (ret == 0)
	local_result_set(res, DELIVER_STAT_SENT, "2.0.0",
			 "delivered to file: %s", path);
    else
	local_result_set(res, DELIVER_STAT_DEFER, "4.2.0",
			 "file delivery failed: %s", vstring_str(why));
    vstring_free(&why);
}
