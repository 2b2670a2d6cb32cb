/*++
/* NAME
/*	logd 3h
/* SUMMARY
/*	log service private interface
/* SYNOPSIS
/*	#include "logd.h"
/* DESCRIPTION
/*	logd_record_clean(out, buf, len) turns one received datagram into
/*	one log-file line in out: trailing newlines, carriage returns and
/*	NUL bytes are dropped, every other control character (a newline in
/*	the middle included) becomes "?", so one record stays one line, a
/*	record longer than LOGD_RECORD_MAX is cut and marked with "...",
/*	and a newline is appended. It returns the line's length, newline
/*	included, or 0 when nothing is left (an empty record is dropped).
/*
/*	logd_record_write(fd, buf, len, scratch, why) cleans the record
/*	into scratch and appends it to fd with one write() (repeated only
/*	for the rest of a short write). It returns 0 when the line was
/*	written or dropped as empty, -1 with a reason in why otherwise.
/* DIAGNOSTICS
/*	Return values and why; no logging.
/*--*/
#ifndef LOGD_H
#define LOGD_H

#include <stddef.h>

struct vstring;

#define LOGD_RECORD_MAX	8192		/* longer records are cut */

extern size_t logd_record_clean(struct vstring *, const char *, size_t);
extern int logd_record_write(int, const char *, size_t, struct vstring *,
			             struct vstring *);

#endif
