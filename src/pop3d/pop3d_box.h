#ifndef POP3D_BOX_H
#define POP3D_BOX_H
/*++
/* NAME
/*	pop3d_box 3h
/* SUMMARY
/*	pop3d mailboxes: Maildir and mbox
/* SYNOPSIS
/*	#include "pop3d_box.h"
/*
/*	struct pop3d_box *pop3d_box_open(path, format, lock, context, why)
/*	const char *path;
/*	int	format;
/*	int	(*lock)(void *context, int on);
/*	void	*context;
/*	struct vstring *why;
/*
/*	int	pop3d_box_send(box, index, lines, out, why)
/*	struct pop3d_box *box;
/*	int	index;
/*	long	lines;
/*	struct vstream *out;
/*
/*	void	pop3d_box_seen(box, index)
/*
/*	int	pop3d_box_update(box, why)
/*
/*	void	pop3d_box_close(boxp)
/* DESCRIPTION
/*	These run as the mailbox owner, after login, never as root.
/*
/*	pop3d_box_open() reads the mailbox: the Maildir path (format
/*	POP3D_BOX_MAILDIR; new/ and cur/, in order of delivery time, then
/*	name) or the mbox file path (POP3D_BOX_MBOX; a missing mailbox is
/*	an empty one). For an mbox it takes the same locks local takes
/*	while it reads (fcntl write lock on the file, waited for a bounded
/*	time; the dot-lock path.lock through lock(context, 1) and
/*	lock(context, 0), which pop3d's privileged part does because the
/*	spool folder is not writable by the user). It returns 0 with a
/*	reason in why when the mailbox cannot be read (pop3d answers -ERR
/*	[SYS/TEMP]).
/*
/*	box->count and box->msgs[0 .. count-1] describe the messages. For
/*	each: uid, the unique id that UIDL reports (1 to 70 characters
/*	0x21-0x7E, the same in every session for the same message: a
/*	Maildir file's base name up to ":" when it qualifies, else a hash
/*	of it; for mbox, a hash of the message with an occurrence number
/*	for identical messages); size, the exact octets of the message in
/*	CRLF form (each bare LF counted as CR LF), without dot-stuffing and
/*	without the terminating ".": what a client receives after removing
/*	the stuffing; deleted, set and cleared by the caller (DELE, RSET).
/*	For an mbox the "From " line is not part of the message, the empty
/*	line local adds after each message is not either, and one ">" is
/*	removed from a line that begins with ">From ", ">>From ", ...
/*	(local writes mboxrd).
/*
/*	pop3d_box_send() writes message index (0-based) to out: the whole
/*	message (lines < 0) or the header, the empty line and the first
/*	lines body lines (TOP); LF becomes CR LF, a line that begins with
/*	"." gets another ".", and ".\r\n" ends it (a last line without a
/*	newline is ended first). It does not flush. It returns 0, or -1
/*	with a reason in why when the message cannot be read (a Maildir
/*	file that disappeared, an mbox changed under us): pop3d then
/*	ends the session without an update.
/*
/*	pop3d_box_seen() records that message index was retrieved: a
/*	Maildir message moves from new/ to cur/NAME:2,S (or gets the S
/*	flag in cur/, flags kept in ASCII order) at once; nothing for mbox.
/*
/*	pop3d_box_update() removes the messages marked deleted (the
/*	UPDATE state, after QUIT only): Maildir files are unlinked (a file
/*	already gone is not an error); an mbox is locked again, checked to
/*	still begin with what was read, compacted in place without the
/*	deleted messages (mail appended since the session began is kept),
/*	truncated, fsynced and unlocked. Returns 0, or -1 with a reason
/*	(pop3d answers "-ERR [SYS/TEMP] some deleted messages not
/*	removed").
/*
/*	pop3d_box_close() frees everything (no update).
/* DIAGNOSTICS
/*	Results and reasons in why.
/*--*/
#include <sys/types.h>

struct vstream;
struct vstring;

#define POP3D_BOX_MAILDIR	1
#define POP3D_BOX_MBOX		2

struct pop3d_msg {
    char   *uid;			/* UIDL */
    off_t   size;			/* octets in CRLF form */
    int     deleted;			/* DELE'd in this session */
    char   *name;			/* Maildir: new/X or cur/X:2,... */
    off_t   offset;			/* mbox: content start */
    off_t   length;			/* mbox: raw content length */
    time_t  mtime;			/* Maildir: sort key */
};

typedef int (*pop3d_lock_fn) (void *, int);

struct pop3d_box {
    int     format;			/* POP3D_BOX_* */
    char   *path;
    int     count;
    struct pop3d_msg *msgs;
    pop3d_lock_fn lock;			/* mbox dot-lock */
    void   *context;
    off_t   snap_size;			/* mbox: size read at open */
};

extern struct pop3d_box *pop3d_box_open(const char *, int, pop3d_lock_fn,
					        void *, struct vstring *);
extern int pop3d_box_send(struct pop3d_box *, int, long, struct vstream *,
			          struct vstring *);
extern void pop3d_box_seen(struct pop3d_box *, int);
extern int pop3d_box_update(struct pop3d_box *, struct vstring *);
extern void pop3d_box_close(struct pop3d_box **);

#endif
