#ifndef QFILE_H
#define QFILE_H
/*++
/* NAME
/*	qfile 3h
/* SUMMARY
/*	queue files: names, IDs, creation, reading, state changes
/* SYNOPSIS
/*	#include <qfile.h>
/* DESCRIPTION
/*	A queue file holds one message. Its grammar, in records (rec.h):
/*
/*	V T (A | S)* ((O | N)* R)+ M C* X Z E
/*
/*	(at most one O and one N before each R: its original recipient
/*	and its DSN request, dsn.h)
/*	exactly one S; at least one R; the T, S and Z values well formed;
/*	Z's sizes equal what the C records hold (header_size: bytes up to
/*	and including the empty line that ends the headers, or all content
/*	when there is none) and rcpt_count the number of R records. Nothing
/*	may follow E.
/*
/*	Queue folders under queue_directory: incoming, active, deferred,
/*	hold, corrupt, and recycle (spare files, not part of the queue)
/*	(QFILE_* names below). Files are spread over 16
/*	subfolders named by the last hex digit of the queue ID
/*	(queue/X/ID), made on demand with mode 0700.
/*
/*	The file is complete only when its owner-execute bit is set (the
/*	"ready" bit, mode 0700); while cleanup writes it, it has mode 0600.
/*	A file without the bit that is older than an hour is an abandoned
/*	write and is removed by qmgr.
/*
/*	Queue IDs: 9 hex digits of the arrival second, 5 hex digits of the
/*	microsecond, then the file's inode number in hex: unique across
/*	restarts (the inode is unique while the file exists), and sortable
/*	by arrival within one host. qfile_id_valid() checks the syntax
/*	([0-9A-F], 15 to 40 characters). qfile_new_id(buf, inode) makes
/*	one for a file with that inode, now (dromdrop names maildrop
/*	files so).
/*
/*	qfile_path(buf, queue, id) sets buf to "queue/X/id" (relative to
/*	queue_directory, which is every daemon's working directory).
/*
/*	qfile_create(queue, &id, &fd, why) makes a new file in queue with
/*	mode 0600 under a temporary name, names it by its ID (rename), and
/*	returns 0 with the descriptor open for writing and the ID in id.
/*	When queue_file_recycle_limit allows, it first tries to take a
/*	finished file from recycle/ (see qfile_recycle()): renamed to the
/*	temporary name, checked (a regular file of ours with one link) and
/*	given mode 0600 (unready), it is as good as a new one, and the file
/*	system allocates and frees no inode for the message. The mode is
/*	not synced before the file gets its new name: after a kernel crash
/*	in the moment between the two, the finished message whose file it
/*	was can come back under the new ID; every recipient of it is
/*	marked done (qmgr recycles only finished files), so it is removed
/*	again, or, when a done mark had not reached the disk either, that
/*	recipient gets the message twice, as after any crash right after a
/*	delivery (qfile_set_rcpt_state()). The new message was not yet
/*	confirmed to anyone, so nothing is lost. Its old content stays
/*	until the writer overwrites it; qfile_commit() cuts what is left
/*	beyond the writer's offset (freeing blocks costs: on a file system
/*	mounted with "discard", a device command each).
/*	qfile_prepare(queue, where, &prep, why) does the first half of
/*	qfile_create() ahead of time: a new or recycled file, mode 0600,
/*	under a temporary name in the folder where (cleanup uses recycle/,
/*	so that a file waiting there for its message is not in a queue
/*	folder; queue when where does not exist); prep
/*	holds its descriptor, stat and name (prep.tmp is allocated on first
/*	use; zero the structure first). qfile_name(&prep, queue, &id, &fd,
/*	why) names it by its ID (the time now and the inode) and hands the
/*	descriptor over; on failure the file is gone. qfile_unprepare(&prep)
/*	gives a prepared file back to recycle/ (or removes it).
/*	qfile_commit(fd, queue, id, why): cut the file at the descriptor's
/*	offset when it is longer (a recycled file), fchmod 0700 (ready),
/*	fsync the file, fsync its folder. Only after this may a client hear
/*	250. It is qfile_commit_data(fd, id, why) (cut, fchmod and fsync of the
/*	file) and qfile_sync_name(queue, id, why) (fsync of queue/X); a
/*	writer that made the name durable earlier, while it waited for the
/*	content, needs only the first at the end.
/*	qfile_move(from, to, id, why): rename between queues, fsync the
/*	target folder (and create its subfolder when needed).
/*	qfile_remove(queue, id, why): unlink and fsync the folder.
/*	qfile_move_lazy() and qfile_remove_lazy() do the same without the
/*	folder fsync, for steps that a crash may only undo (the file is
/*	found where it was and its recipients are tried again): qmgr's
/*	moves and removals, after the delivery agent has made its own
/*	result durable. At worst a message is delivered twice; it is never
/*	lost.
/*	qfile_recycle(queue, id, size, why): for a finished file (qmgr,
/*	all recipients done, the descriptor closed): instead of removing
/*	it, rename it to recycle/ID while that folder holds fewer than
/*	queue_file_recycle_limit files, so that qfile_create() can reuse
/*	the file instead of allocating a new one; removes it (lazily) when
/*	recycling is off, the file is larger than QFILE_RECYCLE_SIZE, or
/*	the folder is full. Crash-safe like
/*	qfile_remove_lazy(): the file is either still where it was or out
/*	of the queue.
/*	qfile_folder_for(queue, id, why) makes queue/X for a file named
/*	by id (for the logs in bounce/, defer/ and reason/, dsn_log(3h);
/*	reason/X/ID holds the last deferral reason of each recipient that
/*	qmgr deferred, for showq(8)).
/*	qfile_corrupt(queue, id, reason): move to corrupt/ and log
/*	"ID: corrupt queue file moved to corrupt: reason" (msg_warn).
/*
/*	struct qfile_info is what qfile_read_envelope() fills: arrival
/*	time, sender, attributes, each recipient (address, original
/*	address, state, and the file offset of its R record so its state can
/*	be changed in place), content_offset (offset of the first C record
/*	header), content_size, header_size. qfile_read_envelope(fd, info,
/*	why) reads and validates the whole file (all of the grammar above)
/*	and returns 0, or -1 with the precise reason ("record 7 (recipient)
/*	at offset 220: truncated", "missing end record", ...).
/*	qfile_info_free() frees it.
/*	qfile_set_rcpt_state(fd, offset, state, why) rewrites the state
/*	byte of the R record at offset (pwrite; not synced: a crashed
/*	process cannot undo it, and after a kernel crash the recipient is
/*	at worst delivered twice).
/*	qfile_content_open(fd, info) returns a vstream positioned at the
/*	content, and qfile_content_read(stream, buf, &left) gives the next
/*	chunk of content (C records) until 0 bytes are left.
/* DIAGNOSTICS
/*	Return values and why.
/*--*/
#include <sys/types.h>
#include <sys/stat.h>
#include <stddef.h>

struct vstring;
struct vstream;

#define QFILE_INCOMING	"incoming"
#define QFILE_ACTIVE	"active"
#define QFILE_DEFERRED	"deferred"
#define QFILE_HOLD	"hold"
#define QFILE_MAILDROP	"maildrop"		/* local submissions (flat) */
#define QFILE_CORRUPT	"corrupt"
#define QFILE_RECYCLE	"recycle"
#define QFILE_BOUNCE	"bounce"		/* per-message notice logs */
#define QFILE_DEFER	"defer"			/* delay notice logs */
#define QFILE_REASON	"reason"		/* last deferral reasons */
#define QFILE_RECYCLE_SIZE	(256 * 1024)	/* larger files are removed */

#define QFILE_MODE_WRITING	0600
#define QFILE_MODE_READY	0700

struct qfile_rcpt {
    char   *address;
    char   *orig;			/* NULL when there was no O record */
    int     dsn_notify;			/* DSN_NOTIFY_* mask, 0: not given */
    char   *dsn_orcpt;			/* ORCPT or NULL */
    int     state;			/* REC_RCPT_* */
    off_t   offset;			/* of the R record */
};

struct qfile_info {
    long    arrival_sec;
    long    arrival_usec;
    char   *sender;			/* "" for the null sender */
    struct argv *attrs;			/* "name=value" */
    struct qfile_rcpt *rcpts;
    size_t  rcpt_count;
    off_t   content_offset;
    off_t   content_size;
    off_t   header_size;
};

extern const char *qfile_path(struct vstring *, const char *, const char *);
extern int qfile_id_valid(const char *);
extern void qfile_new_id(struct vstring *, ino_t);
extern int qfile_create(const char *, struct vstring *, int *, struct vstring *);

struct qfile_prep {
    int     fd;				/* -1: none */
    struct stat st;
    struct vstring *tmp;		/* its temporary name */
};
extern int qfile_prepare(const char *, const char *, struct qfile_prep *,
			         struct vstring *);
extern int qfile_name(struct qfile_prep *, const char *, struct vstring *,
		              int *, struct vstring *);
extern void qfile_unprepare(struct qfile_prep *);
extern int qfile_sync_name(const char *, const char *, struct vstring *);
extern int qfile_commit_data(int, const char *, struct vstring *);
extern int qfile_commit(int, const char *, const char *, struct vstring *);
extern int qfile_move(const char *, const char *, const char *, struct vstring *);
extern int qfile_remove(const char *, const char *, struct vstring *);
extern int qfile_move_lazy(const char *, const char *, const char *, struct vstring *);
extern int qfile_remove_lazy(const char *, const char *, struct vstring *);
extern int qfile_recycle(const char *, const char *, off_t, struct vstring *);
extern int qfile_folder_for(const char *, const char *, struct vstring *);
extern void qfile_corrupt(const char *, const char *, const char *);
extern int qfile_read_envelope(int, struct qfile_info *, struct vstring *);
extern void qfile_info_free(struct qfile_info *);
extern const char *qfile_attr(const struct qfile_info *, const char *);
extern int qfile_set_rcpt_state(int, off_t, int, struct vstring *);
extern struct vstream *qfile_content_open(int, const struct qfile_info *);
extern ssize_t qfile_content_read(struct vstream *, struct vstring *, off_t *);

#endif
