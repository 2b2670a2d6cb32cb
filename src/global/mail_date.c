/*++
/* NAME
/*	mail_date 3
/* SUMMARY
/*	RFC 5322 dates
/* SYNOPSIS
/*	#include <mail_date.h>
/*
/*	struct vstring *mail_date(buf, when)
/* DESCRIPTION
/*	See mail_date.h. The day and month names are spelled out here,
/*	not taken from the locale; the zone comment is left out when the
/*	zone name is longer than 10 characters or holds anything but
/*	letters, digits, "+" and "-".
/* DIAGNOSTICS
/*	None. A time localtime_r() cannot convert is shown in UTC.
/*--*/
#include <ctype.h>
#include <time.h>

#include <vstring.h>

#include <mail_date.h>

/* mail_date - RFC 5322 date, local time, numeric zone */

struct vstring *mail_date(struct vstring *buf, time_t when)
{
    static const char *days[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
    };
    static const char *months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    };
    struct tm tm;
    long    off;
    int     sign = '+';
    const char *zone;
    const char *cp;

    if (localtime_r(&when, &tm) == 0)
	gmtime_r(&when, &tm);
    off = tm.tm_gmtoff / 60;
    if (off < 0) {
	sign = '-';
	off = -off;
    }
    vstring_sprintf(buf, "%s, %d %s %04d %02d:%02d:%02d %c%02ld%02ld",
		    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
		    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		    sign, off / 60, off % 60);
    zone = tm.tm_zone;
    if (zone && *zone) {
	for (cp = zone; *cp; cp++)
	    if (!isalnum((unsigned char) *cp) && *cp != '+' && *cp != '-')
		break;
	if (*cp == 0 && cp - zone <= 10)
	    vstring_sprintf_append(buf, " (%s)", zone);
    }
    return (buf);
}
