#ifndef ATOMIC_FILE_H
#define ATOMIC_FILE_H
/*++
/* NAME
/*	atomic_file 3h
/* SUMMARY
/*	replace a file atomically and durably; lock files
/* SYNOPSIS
/*	#include <atomic_file.h>
/* DESCRIPTION
/*	atomic_file_replace(path, data, len, mode, why) writes data to a
/*	new temporary file in the same folder as path (O_EXCL), fsyncs it,
/*	renames it over path and fsyncs the folder, so a reader sees either
/*	the old or the new file, whole, even after a crash. When path
/*	exists its owner, group and mode are kept; otherwise mode is used.
/*	On failure the temporary file is removed and path is untouched.
/*	fsync_dir(path) fsyncs the folder that contains path.
/*
/*	lock_file_open(path, pid_r, why) opens or creates path (0644) and
/*	takes a non-blocking exclusive flock on it. On success it returns
/*	the descriptor (close-on-exec) and writes our pid into the file. When
/*	another process holds the lock it returns -1, sets *pid_r to the pid
/*	recorded in the file (0 when unknown) and says so in why.
/*	lock_file_pid(path, pid_r, why) reads the pid of a live lock owner:
/*	it returns 1 when the file is locked by pid *pid_r, 0 when it exists
/*	or not but nobody holds the lock, -1 on error.
/* DIAGNOSTICS
/*	Return values and why; no logging.
/*--*/
#include <stddef.h>
#include <sys/types.h>

struct vstring;

extern int atomic_file_replace(const char *, const void *, size_t, int, struct vstring *);
extern int fsync_dir(const char *, struct vstring *);
extern int lock_file_open(const char *, pid_t *, struct vstring *);
extern int lock_file_pid(const char *, pid_t *, struct vstring *);

#endif
