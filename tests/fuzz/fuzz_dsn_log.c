/*++
/* NAME
/*	fuzz_dsn_log 1
/* SUMMARY
/*	libFuzzer target: the notice log reader of dsn_log(3)
/* SYNOPSIS
/*	./fuzz_dsn_log [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input is the text of a log in bounce/ or defer/. It is
/*	given to dsn_log_parse(). When the reader accepts it, every entry
/*	goes through dsn_log_format() and the line is parsed again: it
/*	must give one entry with the same values, each cut to what the
/*	writer keeps (DSN_LOG_TEXT_MAX for reason and diag,
/*	DSN_LOG_ADDR_MAX for addresses, DSN_LOG_WORD_MAX for action,
/*	status and mta), and the line must be shorter than
/*	DSN_LOG_LINE_MAX. A rejected input must come with a reason and
/*	no entries. Crashes, sanitizer reports, leaks and broken
/*	invariants are findings.
/*	Seeds: corpus/fuzz_dsn_log/; dictionary: fuzz_dsn_log.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <msg.h>
#include <vstring.h>

#include <dsn_log.h>

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* check - abort when a promise is broken */

static void check(int ok, const char *what)
{
    if (!ok)
	msg_panic("fuzz_dsn_log: %s", what);
}

/* same_cut - got equals want cut at max bytes */

static void same_cut(const char *got, const char *want, size_t max,
		             const char *what)
{
    size_t  len = strlen(want);

    if (len > max)
	len = max;
    check(got != 0 && strlen(got) == len && memcmp(got, want, len) == 0,
	  what);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    struct dsn_entry *list;
    struct dsn_entry *again;
    struct dsn_entry *e;
    size_t  count;
    size_t  n;
    size_t  i;
    struct vstring *why;
    struct vstring *line;

    if (!init) {
	msg_init("fuzz_dsn_log");
	msg_stderr_init(0, 0);
	init = 1;
    }
    why = vstring_alloc(100);
    line = vstring_alloc(100);
    if (dsn_log_parse((const char *) data, size, &list, &count, why) == 0) {
	check(count == 0 || list != 0, "entries");
	for (i = 0; i < count; i++) {
	    e = list + i;
	    vstring_reset(line);
	    dsn_log_format(line, e);
	    check(vstring_len(line) < DSN_LOG_LINE_MAX, "line length");
	    check(dsn_log_parse(vstring_str(line), vstring_len(line), &again,
				&n, why) == 0 && n == 1, "parse again");
	    same_cut(again->rcpt, e->rcpt, DSN_LOG_ADDR_MAX, "rcpt");
	    same_cut(again->orig, e->orig, DSN_LOG_ADDR_MAX, "orig");
	    same_cut(again->orcpt, e->orcpt, DSN_LOG_ADDR_MAX, "orcpt");
	    same_cut(again->action, e->action, DSN_LOG_WORD_MAX, "action");
	    same_cut(again->status, e->status, DSN_LOG_WORD_MAX, "status");
	    same_cut(again->mta, e->mta, DSN_LOG_WORD_MAX, "mta");
	    same_cut(again->reason, e->reason, DSN_LOG_TEXT_MAX, "reason");
	    same_cut(again->diag, e->diag, DSN_LOG_TEXT_MAX, "diag");
	    check(again->notify == e->notify, "notify");
	    check(again->time == e->time, "time");
	    dsn_log_free(again, n);
	}
	dsn_log_free(list, count);
    } else {
	check(vstring_len(why) > 0 && list == 0 && count == 0, "error state");
    }
    vstring_free(&why);
    vstring_free(&line);
    return (0);
}
