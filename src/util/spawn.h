#ifndef SPAWN_H
#define SPAWN_H
/*++
/* NAME
/*	spawn 3h
/* SUMMARY
/*	run a program safely: no shell, explicit privileges and descriptors
/* SYNOPSIS
/*	#include <spawn.h>
/* DESCRIPTION
/*	The safe replacement for system(3) and popen(3), which are banned.
/*	spawn_start(req, why) forks and execs req->argv[0] with req->argv
/*	(no shell is involved, so arguments need no quoting) and returns the
/*	child's pid, or -1 with a reason. In the child, in this order:
/*	descriptors 0, 1 and 2 become req->fd_in, fd_out, fd_err (a value
/*	< 0 means /dev/null); the descriptors in req->keep_fds[0..n-1] are
/*	moved to 3, 4, ... in that order (keep_count of them); every other
/*	descriptor is closed; the signal mask and dispositions are reset;
/*	chdir(req->dir) when set; setgid/initgroups/setuid to req->uid and
/*	req->gid when req->set_ids is non-zero (the child refuses to run when
/*	it cannot drop); the environment becomes req->env when set (NULL
/*	keeps the current one). Errors in the child before exec are reported
/*	to the parent through a close-on-exec pipe, so spawn_start() fails
/*	with the real reason (e.g. "execv /x: No such file or directory").
/*
/*	spawn_wait(pid, timeout_ms, &status_r) waits for the child, killing
/*	it (SIGKILL) when timeout_ms > 0 passes; returns 0 when it exited by
/*	itself, 1 when it was killed for the timeout, -1 on error.
/*	spawn_run(req, timeout_ms, &status_r, why) does both.
/*	spawn_status_str(status, buf) describes a wait status ("exit
/*	status 1", "killed by signal 9").
/* DIAGNOSTICS
/*	Return values and why; no logging.
/*--*/
#include <sys/types.h>

struct vstring;

struct spawn_req {
    char  **argv;			/* argv[0] is the program path */
    char  **env;			/* NULL: inherit */
    const char *dir;			/* NULL: stay */
    int     fd_in, fd_out, fd_err;	/* < 0: /dev/null */
    const int *keep_fds;		/* moved to 3, 4, ... */
    int     keep_count;
    int     set_ids;			/* non-zero: switch to uid/gid */
    uid_t   uid;
    gid_t   gid;
};

extern pid_t spawn_start(const struct spawn_req *, struct vstring *);
extern int spawn_wait(pid_t, long, int *);
extern int spawn_run(const struct spawn_req *, long, int *, struct vstring *);
extern const char *spawn_status_str(int, struct vstring *);

#endif
