#ifndef MAIL_DATE_H
#define MAIL_DATE_H
/*++
/* NAME
/*	mail_date 3h
/* SUMMARY
/*	RFC 5322 dates
/* SYNOPSIS
/*	#include <mail_date.h>
/* DESCRIPTION
/*	mail_date(buf, when) sets buf to when as an RFC 5322 date in
/*	local time with a numeric zone and, when the system has a short
/*	name for the zone, that name as a comment: "Sat, 28 Nov 2026
/*	05:01:02 +0100 (CET)". It returns buf. cleanup uses it for the
/*	Date: header it adds, bounce for Date: and the Arrival-Date and
/*	Last-Attempt-Date fields of a notice.
/* DIAGNOSTICS
/*	None.
/*--*/
#include <time.h>

struct vstring;

extern struct vstring *mail_date(struct vstring *, time_t);

#endif
