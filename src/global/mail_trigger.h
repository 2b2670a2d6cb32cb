#ifndef MAIL_TRIGGER_H
#define MAIL_TRIGGER_H
/*++
/* NAME
/*	mail_trigger 3h
/* SUMMARY
/*	wake a daemon with a datagram
/* SYNOPSIS
/*	#include <mail_trigger.h>
/* DESCRIPTION
/*	See mail_trigger.c.
/*--*/
#include <stddef.h>

struct vstring;

extern int mail_trigger(const char *, const char *, size_t, struct vstring *);

#endif
