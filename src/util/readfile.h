#ifndef READFILE_H
#define READFILE_H
/*++
/* NAME
/*	readfile 3h
/* SUMMARY
/*	read a whole file with a size limit
/* SYNOPSIS
/*	#include <readfile.h>
/* DESCRIPTION
/*	readfile_limited(path, maxsize, buf, why) replaces buf with the
/*	contents of path. It fails when the file is larger than maxsize
/*	bytes ("file too large"), cannot be opened, or is not a regular
/*	file. readfile_fd() does the same for an open descriptor.
/* DIAGNOSTICS
/*	Both return 0, or -1 with a reason in why (which may be NULL).
/*--*/
#include <stddef.h>

struct vstring;

extern int readfile_limited(const char *, size_t, struct vstring *, struct vstring *);
extern int readfile_fd(int, const char *, size_t, struct vstring *, struct vstring *);

#endif
