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
/*	Maildir file's base name up to ":" (without a ",S=" or ",W="
/*	size hint) when it qualifies, else a hash of it; for mbox, a
/*	hash of the "From " line and the message with an occurrence
/*	number "-N" for the Nth identical message, so the later copy of
/*	two identical messages takes the first one's uid once that one is
/*	deleted); size, the exact octets of the message in
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
/*	ends the session without an update. A Maildir message that
/*	another session moved to cur/ meanwhile is found there by its
/*	base name (and so is deleted by pop3d_box_update()).
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
/*
/*	The rest of this header is private to pop3d_box.c,
/*	pop3d_maildir.c and pop3d_mbox.c: pop3d_box_filter_init(),
/*	_feed() and _end() are the one conversion from stored form to
/*	the POP3 form (LF to CR LF, dot-stuffing, TOP, mboxrd unquoting
/*	with unquote non-zero), used both to count sizes (out null) and
/*	to send; pop3d_box_hash() is 64-bit FNV-1a (start with
/*	POP3D_BOX_HASH_INIT) and pop3d_box_hex() formats it.
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
    /* Private to pop3d_box*.c. */
    off_t   from_offset;		/* mbox: "From " line start */
    unsigned long long from_hash;	/* mbox: hash of the "From " line */
    unsigned long long hash;		/* mbox: hash of the message */
    long    mtime_nsec;			/* Maildir: sort key, nanoseconds */
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

 /*
  * Private to pop3d_box.c, pop3d_maildir.c and pop3d_mbox.c.
  */
struct pop3d_box_filter {
    struct vstream *out;		/* null: count only */
    int     unquote;			/* mboxrd: ">From " loses one ">" */
    long    lines;			/* TOP body lines, < 0: all */
    off_t   count;			/* octets out, without stuffing */
    int     error;			/* write error */
    int     done;			/* TOP limit reached */
    int     in_body;			/* past the empty line */
    long    body_lines;			/* body lines sent */
    int     state;			/* start-of-line state */
    int     gt;				/* ">" seen at line start */
    int     match;			/* "From " matched so far */
    size_t  linelen;			/* bytes in this line so far */
    int     last;			/* last byte of this line */
};

#define POP3D_BOX_HASH_INIT	0xcbf29ce484222325ULL

extern void pop3d_box_filter_init(struct pop3d_box_filter *,
				          struct vstream *, int, long);
extern void pop3d_box_filter_feed(struct pop3d_box_filter *, const char *,
				          size_t);
extern void pop3d_box_filter_end(struct pop3d_box_filter *);
extern unsigned long long pop3d_box_hash(unsigned long long, const void *,
					         size_t);
extern char *pop3d_box_hex(unsigned long long, int);

extern int pop3d_maildir_open(struct pop3d_box *, struct vstring *);
extern int pop3d_maildir_read(struct pop3d_box *, int,
			              struct pop3d_box_filter *,
			              struct vstring *);
extern void pop3d_maildir_seen(struct pop3d_box *, int);
extern int pop3d_maildir_update(struct pop3d_box *, struct vstring *);
extern int pop3d_mbox_open(struct pop3d_box *, struct vstring *);
extern int pop3d_mbox_read(struct pop3d_box *, int,
			           struct pop3d_box_filter *, struct vstring *);
extern int pop3d_mbox_update(struct pop3d_box *, struct vstring *);

#endif
