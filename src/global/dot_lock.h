#ifndef DOT_LOCK_H
#define DOT_LOCK_H
/*++
/* NAME
/*	dot_lock 3h
/* SUMMARY
/*	the mbox dot-lock: FILE.lock, made by exclusive create
/* SYNOPSIS
/*	#include <dot_lock.h>
/*
/*	int	dot_lock(lock, wait, stale, priv, context, why)
/*	const char *lock;
/*	int	wait;
/*	int	stale;
/*	void	(*priv)(void *context, int on);
/*	void	*context;
/*	struct vstring *why;
/* DESCRIPTION
/*	dot_lock() creates the file lock (the mailbox's name with ".lock"
/*	appended, the convention local(8), pop3d(8) and other mail
/*	programs share) with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600, and
/*	closes it at once: whoever made it holds the lock until it
/*	removes the file. While another process holds it, dot_lock()
/*	tries again every 200 ms for at most wait seconds. A lock file
/*	older than stale seconds was left by a process that died: it is
/*	removed (with a warning) and the create tried again.
/*
/*	priv, when not null, is called with on=1 before each create or
/*	removal and with on=0 after it (local raises its privileges to
/*	make a lock in the spool folder, and drops them again).
/*
/*	Returns 0 when the lock is made. Otherwise -1 with a reason in why
/*	and errno set: the create's error (EACCES, EROFS, ...), or
/*	ETIMEDOUT when the lock was still held after wait seconds.
/* DIAGNOSTICS
/*	A warning for each stale lock removed.
/*--*/

struct vstring;

extern int dot_lock(const char *, int, int, void (*) (void *, int), void *,
		            struct vstring *);

#endif
