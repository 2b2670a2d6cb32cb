#ifndef LOGIN_SENDER_H
#define LOGIN_SENDER_H
/*++
/* NAME
/*	login_sender 3h
/* SUMMARY
/*	which envelope senders a local login may submit with
/* SYNOPSIS
/*	#include <login_sender.h>
/* DESCRIPTION
/*	See login_sender.c.
/*--*/
struct vstring;

#define LOGIN_SENDER_OK		1
#define LOGIN_SENDER_REFUSED	0
#define LOGIN_SENDER_ERROR	(-1)

extern int login_sender_ok(const char *, long, const char *, struct vstring *);
extern int login_sender_match(const char *, const char *, const char *);

#endif
