/*++
/* NAME
/*	dromsuper 1
/* SUMMARY
/*	queue administration: delete, hold, release, requeue, expire, repair
/* SYNOPSIS
/*	dromsuper [-c config_dir] [-v] [-s] [-p]
/*		[-d ID|ALL|- [queue]] [-h ID|ALL|- [queue]]
/*		[-H ID|ALL|- [queue]] [-r ID|ALL|- [queue]]
/*		[-e ID|ALL|- [queue]]
/* DESCRIPTION
/*	dromsuper changes the mail queue on the administrator's behalf,
/*	as Postfix's postsuper does. Several operations may be given at
/*	once: -s and -p run first, then the others in the order given.
/*	Each operation takes a queue ID, "ALL" (every message), or "-"
/*	(queue IDs read from the standard input, one a line), and
/*	optionally the name of one queue to act on: incoming, active,
/*	deferred or hold (and maildrop for -d); without it, every queue
/*	the operation applies to. A queue ID that is not in any of them
/*	is reported ("no such message").
/*
/*	dromsuper prints what it did on the standard error stream:
/* .nf
/*	dromsuper: Deleted: 3 messages
/*	dromsuper: Placed on hold: 1 message
/*	dromsuper: Released from hold: 1 message
/*	dromsuper: Requeued: 2 messages
/*	dromsuper: Expired: 1 message
/*	dromsuper: Structure check: 1 repaired, 1 not repaired
/*	dromsuper: Purged: 2 files
/* .fi
/*	and logs each action per message to the mail log:
/* .nf
/*	4A1B2C3D412345E: removed
/*	4A1B2C3D412345E: placed on hold
/*	4A1B2C3D412345E: released from hold
/*	4A1B2C3D412345E: requeued as 4A1B2C3E10ABCDF0
/*	4A1B2C3D412345E: expired by the administrator
/* .fi
/*	Options:
/* .IP "-c config_dir"
/*	Read config_dir/main.cf (the default is $MAIL_CONFIG, else the
/*	config_directory chosen at build time).
/* .IP "-d ID|ALL|- [queue]"
/*	Delete messages from maildrop, incoming, active, deferred or hold,
/*	with their notice logs (bounce/X/ID, defer/X/ID) and last deferral
/*	reasons (reason/X/ID).
/* .IP "-h ID|ALL|- [queue]"
/*	Put messages on hold (move them to hold/, where qmgr never looks)
/*	from incoming, active or deferred.
/* .IP "-H ID|ALL|- [queue]"
/*	Release messages from hold: they move to deferred/, due now, and
/*	qmgr is told.
/* .IP "-r ID|ALL|- [queue]"
/*	Requeue messages from incoming, deferred or hold: each is sent
/*	through cleanup again as a new message (so address rewriting and
/*	header checks apply again), with its sender, the DSN attributes
/*	dsn_ret and dsn_envid, and the recipients still to do with their
/*	original recipient and DSN request; then the old file is removed
/*	and the log says "OLDID: requeued as NEWID".
/* .IP "-e ID|ALL|- [queue]"
/*	Expire messages in incoming, deferred or hold: the queue file gets
/*	the attribute forced_expire=1 and moves to deferred/, due now;
/*	at its activation qmgr bounces every recipient still to do with
/*	"message expired by the administrator" (status=expired in the
/*	log), and the sender gets a failure notice as for a message that
/*	outlived maximal_queue_lifetime.
/* .IP -s
/*	Structure check: the queue folders' owners and modes as
/*	postinstall/dromos-files makes them (mail_owner, 0700; maildrop
/*	0730), each queue file's owner (mail_owner) and mode (0600 or
/*	0700), files in the wrong hashed subfolder (the last hex digit of
/*	the name is the subfolder), names that are not queue IDs, and
/*	temporary files older than an hour. dromsuper repairs what is
/*	safe (it moves a misplaced file to its subfolder and resets a
/*	queue file's owner and mode) and reports the rest:
/* .nf
/*	dromsuper: warning: deferred/3/4A1B2C3D412345E: misplaced:
/*	    moved to deferred/E/4A1B2C3D412345E
/*	dromsuper: warning: deferred/1/junk: not a queue file: left alone
/*	dromsuper: warning: incoming/tmp.99.1700000000.5.0: temporary
/*	    file older than an hour (dromsuper -p removes it)
/* .fi
/* .IP -p
/*	Purge temporary files (tmp.*) older than an hour from the queue
/*	folders and maildrop/, and the spare files in recycle/.
/* .IP -v
/*	More verbose logging.
/* .PP
/*	Messages in active/ are qmgr's. -d and -h act on them at once:
/*	qmgr opens active/ID whenever it records a recipient's result,
/*	finds the file gone, logs "ID: queue file is gone (removed or put
/*	on hold by the administrator): dropped from the active queue" and
/*	forgets the message. -r and -e rewrite the whole file and leave
/*	active messages alone ("busy, try again"): qmgr is done with most
/*	messages within seconds.
/* SECURITY
/*	dromsuper refuses to run unless the real user ID is 0 ("use of
/*	this command is reserved for the superuser"). It is not chrooted.
/*	Its inputs are the command line, standard input (queue IDs,
/*	checked as such before use), main.cf and the queue files, which it
/*	validates in full (qfile_read_envelope) before it copies one. It
/*	writes only inside queue_directory, as mail_owner (effective user
/*	and group IDs) after -s and -p, so that what it makes (subfolders,
/*	the copy that -e writes) is owned as qmgr and cleanup expect: renames and removals of queue
/*	files and notice logs, a temporary copy in hold/ (created with
/*	O_EXCL) for -e; it talks to cleanup (private/cleanup) for -r and
/*	wakes qmgr (private/qmgr).
/* DIAGNOSTICS
/*	Problems go to the standard error stream as "dromsuper: warning:
/*	ID: ...". Exit status: 0 when every requested action was done, 1
/*	when a message was not found, busy, or could not be changed, or
/*	when -s or -p left a problem; fatal errors (bad usage, not root,
/*	unreadable main.cf) exit with 1 too.
/* BUGS
/*	A requeued message is a new message: its arrival time, and so its
/*	queue lifetime, starts again, and attributes other than dsn_ret
/*	and dsn_envid (the client's name and address) are not kept. A
/*	message with a failure notice still pending (bounce/X/ID) is not
/*	requeued. A recipient delivered while its message was put on hold
/*	from active/ is delivered again on release.
/* CONFIGURATION PARAMETERS
/*	queue_directory, the queue.
/*	mail_owner, the owner of queue files (-s).
/*	maillog_file, syslog_name, syslog_facility, where the log goes.
/* FILES
/*	$queue_directory/{maildrop,incoming,active,deferred,hold}, the
/*	queues; bounce/ and defer/, notice logs; reason/, deferral
/*	reasons; recycle/, spare files.
/* SEE ALSO
/*	qmgr(8), the queue manager.
/*	cleanup(8), which writes requeued messages.
/*	dromos(1), flush.
/*--*/
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <mail_conf.h>
#include <mail_log.h>
#include <mail_params.h>
#include <qfile.h>

#include "dromsuper.h"

#define DROMSUPER_ID_LINE_MAX	100

 /*
  * One row per operation: option letter, queues it applies to (the
  * default list), result label, function.
  */
struct dromsuper_op {
    int     letter;
    const char *const *queues;
    const char *label;
    dromsuper_op_fn fn;
    int     trigger;			/* wake qmgr after */
};

static const char *const dromsuper_q_delete[] = {
    DROMSUPER_Q_MAILDROP, QFILE_INCOMING, QFILE_ACTIVE, QFILE_DEFERRED,
    QFILE_HOLD, 0,
};
static const char *const dromsuper_q_hold[] = {
    QFILE_INCOMING, QFILE_ACTIVE, QFILE_DEFERRED, 0,
};
static const char *const dromsuper_q_release[] = {
    QFILE_HOLD, 0,
};
static const char *const dromsuper_q_rewrite[] = {
    QFILE_INCOMING, QFILE_ACTIVE, QFILE_DEFERRED, QFILE_HOLD, 0,
};

static const struct dromsuper_op dromsuper_ops[] = {
    {'d', dromsuper_q_delete, "Deleted", dromsuper_delete, 0},
    {'h', dromsuper_q_hold, "Placed on hold", dromsuper_hold, 0},
    {'H', dromsuper_q_release, "Released from hold", dromsuper_release, 1},
    {'r', dromsuper_q_rewrite, "Requeued", dromsuper_requeue, 0},
    {'e', dromsuper_q_rewrite, "Expired", dromsuper_expire, 1},
    {0},
};

struct dromsuper_req {
    const struct dromsuper_op *op;
    const char *spec;			/* ID, ALL or - */
    const char *queues[2];		/* one queue, or op->queues */
    const char *const *list;
    int     done;
    int     trouble;
};

/* dromsuper_usage - complain and exit */

static void dromsuper_usage(void)
{
    msg_fatal("usage: dromsuper [-c config_dir] [-v] [-s] [-p]"
	      " [-d|-h|-H|-r|-e ID|ALL|- [queue]] ...");
}

/* dromsuper_apply - one message, found again when qmgr moved it */

static void dromsuper_apply(struct dromsuper_req *req, const char *queue,
			            const char *id)
{
    int     tries;
    int     ret = DROMSUPER_GONE;

    for (tries = 0; tries < 3 && ret == DROMSUPER_GONE; tries++) {
	if (queue == 0 && (queue = dromsuper_find(id, req->list)) == 0)
	    break;
	ret = req->op->fn(queue, id);
	queue = 0;
    }
    switch (ret) {
    case DROMSUPER_DONE:
	req->done++;
	break;
    case DROMSUPER_SKIP:
	break;
    case DROMSUPER_BUSY:
	msg_warn("%s: busy (being delivered or written), try again", id);
	req->trouble++;
	break;
    case DROMSUPER_GONE:
	msg_warn("%s: no such message", id);
	req->trouble++;
	break;
    default:
	req->trouble++;
	break;
    }
}

/* dromsuper_walk_fn - ALL: each file in a queue */

static void dromsuper_walk_one(const char *queue, const char *id, void *ctx)
{
    dromsuper_apply((struct dromsuper_req *) ctx, queue, id);
}

/* dromsuper_one_id - a queue ID from the command line or stdin */

static void dromsuper_one_id(struct dromsuper_req *req, const char *id)
{
    if (!qfile_id_valid(id)) {
	msg_warn("\"%.100s\": not a queue ID", id);
	req->trouble++;
	return;
    }
    dromsuper_apply(req, (const char *) 0, id);
}

/* dromsuper_run - one request */

static int dromsuper_run(struct dromsuper_req *req)
{
    struct vstream *in;
    struct vstring *line;
    const char *const *cpp;
    int     st;

    if (strcmp(req->spec, "ALL") == 0) {
	for (cpp = req->list; *cpp; cpp++)
	    if (dromsuper_walk(*cpp, dromsuper_walk_one, (void *) req) < 0)
		req->trouble++;
    } else if (strcmp(req->spec, "-") == 0) {
	in = vstream_fdopen(0, 0);
	line = vstring_alloc(100);
	while ((st = vstream_get_line(in, line, DROMSUPER_ID_LINE_MAX))
	       == VSTREAM_OK || st == VSTREAM_PARTIAL || st == VSTREAM_TOOLONG) {
	    if (st == VSTREAM_TOOLONG) {
		msg_warn("standard input: line too long: skipped");
		(void) vstream_skip_line(in);
		req->trouble++;
		continue;
	    }
	    if (vstring_len(line) > 0
		&& vstring_str(line)[vstring_len(line) - 1] == '\n')
		vstring_truncate(line, vstring_len(line) - 1);
	    if (vstring_len(line) > 0)
		dromsuper_one_id(req, vstring_str(line));
	}
	if (st != VSTREAM_EOF) {
	    msg_warn("standard input: %s", vstream_status_str(st));
	    req->trouble++;
	}
	vstring_free(&line);
	(void) vstream_close(&in);
    } else {
	dromsuper_one_id(req, req->spec);
    }
    msg_info("%s: %d message%s", req->op->label, req->done,
	     req->done == 1 ? "" : "s");
    if (req->op->trigger && req->done > 0)
	dromsuper_trigger();
    return (req->trouble);
}

/* dromsuper_queue_arg - "queue" after ID|ALL|- */

static void dromsuper_queue_arg(struct dromsuper_req *req, const char *name)
{
    const char *const *cpp;

    for (cpp = req->op->queues; *cpp; cpp++)
	if (strcmp(*cpp, name) == 0)
	    break;
    if (*cpp == 0)
	msg_fatal("-%c: \"%s\": not a queue this operation applies to",
		  req->op->letter, name);
    req->queues[0] = *cpp;
    req->queues[1] = 0;
    req->list = req->queues;
}

/* dromsuper_config - main.cf, the log, the queue */

static void dromsuper_config(const char *config_dir)
{
    struct vstring *why = vstring_alloc(100);

    if (mail_conf_read(config_dir, why) < 0 || mail_conf_eval(why) < 0)
	msg_fatal("%s", vstring_str(why));
    if (mail_log_open(var_queue_dir, why) == MAIL_LOG_BADFAC)
	msg_warn("%s", vstring_str(why));
    if (chdir(var_queue_dir) < 0)
	msg_fatal("chdir %s: %m", var_queue_dir);
    vstring_free(&why);
}

static void dromsuper_become_root(void);

/* dromsuper_become_owner - make files and folders as mail_owner does */

static void dromsuper_become_owner(void)
{
    struct passwd *pw;

    if ((pw = getpwnam(var_mail_owner)) == 0)
	msg_fatal("mail_owner: no such user: %s", var_mail_owner);
    if (setgroups(1, &pw->pw_gid) < 0 || setegid(pw->pw_gid) < 0
	|| seteuid(pw->pw_uid) < 0)
	msg_fatal("become %s: %m", var_mail_owner);
    msg_cleanup(dromsuper_become_root);
}

/* dromsuper_become_root - back to root before exit (sanitizers read /proc) */

static void dromsuper_become_root(void)
{
    if (seteuid(0) < 0 || setegid(0) < 0)
	msg_warn("become root again: %m");
}

int     main(int argc, char **argv)
{
    const struct dromsuper_op *op;
    struct dromsuper_req *reqs;
    const char *config_dir;
    int     nreq = 0;
    int     structure = 0;
    int     purge = 0;
    int     trouble = 0;
    int     ch;
    int     i;

    msg_init(argv[0]);
    msg_stderr_init(1, 0);
    if (getuid() != 0)
	msg_fatal("use of this command is reserved for the superuser");
    if ((config_dir = getenv("MAIL_CONFIG")) == 0 || *config_dir == 0)
	config_dir = DEF_CONFIG_DIR;
    reqs = (struct dromsuper_req *) mymalloc(sizeof(*reqs) * (size_t) argc);
    while ((ch = getopt(argc, argv, "+c:d:e:h:H:r:psv")) != -1) {
	switch (ch) {
	case 'c':
	    config_dir = optarg;
	    break;
	case 'p':
	    purge = 1;
	    break;
	case 's':
	    structure = 1;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	case 'd':
	case 'e':
	case 'h':
	case 'H':
	case 'r':
	    for (op = dromsuper_ops; op->letter != ch; op++)
		 /* void */ ;
	    memset(reqs + nreq, 0, sizeof(*reqs));
	    reqs[nreq].op = op;
	    reqs[nreq].spec = optarg;
	    reqs[nreq].list = op->queues;
	    if (strcmp(optarg, "ALL") != 0 && strcmp(optarg, "-") != 0
		&& !qfile_id_valid(optarg))
		msg_fatal("-%c: \"%.100s\": not a queue ID, ALL or -", ch,
			  optarg);
	    if (optind < argc && argv[optind][0] != '-')
		dromsuper_queue_arg(reqs + nreq, argv[optind++]);
	    nreq++;
	    break;
	default:
	    dromsuper_usage();
	}
    }
    if (optind != argc || (nreq == 0 && !structure && !purge))
	dromsuper_usage();
    dromsuper_config(config_dir);

    if (structure && dromsuper_structure() > 0)
	trouble++;
    if (purge && dromsuper_purge() > 0)
	trouble++;
    dromsuper_become_owner();
    for (i = 0; i < nreq; i++)
	if (dromsuper_run(reqs + i) > 0)
	    trouble++;
    myfree(reqs);
    dromsuper_become_root();
    exit(trouble ? 1 : 0);
}
