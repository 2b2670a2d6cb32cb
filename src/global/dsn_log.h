#ifndef DSN_LOG_H
#define DSN_LOG_H
/*++
/* NAME
/*	dsn_log 3h
/* SUMMARY
/*	per-message logs of recipient results that need a notice
/* SYNOPSIS
/*	#include <dsn_log.h>
/* DESCRIPTION
/*	qmgr records each recipient result that a notice must report in
/*	a log named after the queue ID, before it marks the recipient
/*	done in the queue file: bounce/X/ID for failures and success
/*	notices (NOTIFY=SUCCESS), defer/X/ID for a delay warning. The
/*	bounce daemon reads the log and the queue file to write the
/*	notice; qmgr removes the log when the notice is in the queue.
/*
/*	A log is text, one recipient a line, fields separated by tabs,
/*	each "name=value" with backslash, tab, newline and carriage
/*	return written as \\\\, \\t, \\n and \\r: rcpt, orig (original
/*	recipient), orcpt (DSN ORCPT), notify (mask, dsn.h), action
/*	("failed", "delayed", "delivered", "relayed", "expanded"),
/*	status (RFC 3463, "5.1.1"), reason (plain words), mta (remote
/*	host or empty), diag (the remote reply, "smtp; 550 ..."), time
/*	(seconds since the epoch). Unknown names are skipped (newer
/*	writers); a line without rcpt, action or status is malformed.
/*
/*	dsn_log_append(folder, id, entry, why) appends one line (O_APPEND,
/*	made with mode 0600 when new) and fsyncs the file (and the folder
/*	when the file is new): after it returns 0 the line survives a
/*	crash.
/*	dsn_log_read(folder, id, &entries, &count, why) reads a log: 0
/*	with the entries (count may be 0 for an empty log), 1 when there
/*	is no log, -1 on error (a malformed line is an error, with its
/*	number in why). dsn_log_parse(text, len, &entries, &count, why)
/*	does the same on text in memory (for tests and the fuzzer).
/*	dsn_log_free(entries, count) frees them.
/*	dsn_log_remove(folder, id, why): unlink (no log is not an
/*	error). dsn_log_exists(folder, id): 1 or 0.
/*	dsn_log_format(buf, entry) appends one line to buf. So that a
/*	reader can always read what was written, each value is cut before
/*	it is escaped: reason and diag at DSN_LOG_TEXT_MAX bytes, rcpt,
/*	orig and orcpt at DSN_LOG_ADDR_MAX, action, status and mta at
/*	DSN_LOG_WORD_MAX; the longest line is then well below
/*	DSN_LOG_LINE_MAX (checked when dsn_log.c is compiled).
/* DIAGNOSTICS
/*	Return values and why.
/*--*/
#include <stddef.h>

struct vstring;

struct dsn_entry {
    char   *rcpt;
    char   *orig;
    char   *orcpt;
    int     notify;
    char   *action;
    char   *status;
    char   *reason;
    char   *mta;
    char   *diag;
    long    time;
};

#define DSN_LOG_LINE_MAX	(64 * 1024)
#define DSN_LOG_TEXT_MAX	4096	/* reason, diag: cut on write */
#define DSN_LOG_ADDR_MAX	4096	/* rcpt, orig, orcpt */
#define DSN_LOG_WORD_MAX	1024	/* action, status, mta */
#define DSN_LOG_SIZE_MAX	(16 * 1024 * 1024)

extern int dsn_log_append(const char *, const char *, const struct dsn_entry *,
			          struct vstring *);
extern int dsn_log_read(const char *, const char *, struct dsn_entry **,
			        size_t *, struct vstring *);
extern int dsn_log_parse(const char *, size_t, struct dsn_entry **, size_t *,
			         struct vstring *);
extern void dsn_log_free(struct dsn_entry *, size_t);
extern int dsn_log_remove(const char *, const char *, struct vstring *);
extern int dsn_log_exists(const char *, const char *);
extern void dsn_log_format(struct vstring *, const struct dsn_entry *);

#endif
