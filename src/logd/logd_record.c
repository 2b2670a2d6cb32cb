/*++
/* NAME
/*	logd_record 3
/* SUMMARY
/*	log service: one datagram into one log-file line
/* SYNOPSIS
/*	#include "logd.h"
/* DESCRIPTION
/*	See logd.h. Kept apart from logd.c, so the unit tests can link it
/*	without the server skeleton.
/* DIAGNOSTICS
/*	Return values and why; no logging.
/*--*/
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <vstring.h>

#include "logd.h"

#define LOGD_CUT_MARK	"..."

/* logd_record_clean - sanitize one record into one line */

size_t  logd_record_clean(struct vstring *out, const char *buf, size_t len)
{
    const unsigned char *cp = (const unsigned char *) buf;
    size_t  keep = len;
    size_t  i;
    int     cut = 0;

    vstring_reset(out);
    while (keep > 0 && (cp[keep - 1] == '\n' || cp[keep - 1] == '\r'
			|| cp[keep - 1] == 0))
	keep--;
    if (keep == 0)
	return (0);
    if (keep > LOGD_RECORD_MAX) {
	keep = LOGD_RECORD_MAX;
	cut = 1;
    }
    vstring_space(out, keep + sizeof(LOGD_CUT_MARK) + 1);
    for (i = 0; i < keep; i++)
	vstring_appendc(out, (cp[i] < 0x20 || cp[i] == 0x7f) ? '?' : cp[i]);
    if (cut)
	vstring_appends(out, LOGD_CUT_MARK);
    vstring_appendc(out, '\n');
    return (vstring_len(out));
}

/* logd_record_write - clean and append with one write */

int     logd_record_write(int fd, const char *buf, size_t len,
			          struct vstring *scratch, struct vstring *why)
{
    const char *data;
    size_t  left;
    ssize_t n;

    if ((left = logd_record_clean(scratch, buf, len)) == 0)
	return (0);
    data = vstring_str(scratch);
    while (left > 0) {
	if ((n = write(fd, data, left)) < 0) {
	    if (errno == EINTR)
		continue;
	    vstring_sprintf(why, "write: %s", strerror(errno));
	    return (-1);
	}
	if (n == 0) {
	    vstring_sprintf(why, "write: no progress");
	    return (-1);
	}
	data += n;
	left -= (size_t) n;
    }
    return (0);
}
