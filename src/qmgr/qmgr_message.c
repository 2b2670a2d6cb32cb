/*++
/* NAME
/*	qmgr_message 3
/* SUMMARY
/*	messages in the active queue
/* SYNOPSIS
/*	#include "qmgr.h"
/*
/*	void	qmgr_message_activate(from_queue, id)
/*
/*	int	qmgr_message_next_wait(msg, index_r)
/*
/*	void	qmgr_message_result(msg, index, status, dsn, reason)
/*
/*	void	qmgr_message_done_if_idle(msg)
/*
/*	int	qmgr_rcpt_is_local(address)
/*
/*	long	qmgr_backoff(arrival, now)
/* DESCRIPTION
/*	qmgr_message_activate() moves a file from incoming/ or deferred/
/*	to active/, reads and validates its envelope (a bad file goes to
/*	corrupt/), logs "ID: from=<...>, size=N, nrcpt=N (queue active)"
/*	and adds it to the active list; recipients already done in the
/*	file are not scheduled again. A file with the attribute
/*	forced_expire=1 (dromsuper -e) is expired at once: each recipient
/*	still to do is logged with status=expired ("message expired by
/*	the administrator", 5.4.7) and bounced, so its sender gets the
/*	notice as for a message past maximal_queue_lifetime.
/*
/*	qmgr_message_next_wait() finds the next recipient waiting for
/*	dispatch (returns 0 when there is none).
/*
/*	qmgr_message_result() records one recipient's result: sent and
/*	bounced are written to the queue file (qfile_set_rcpt_state)
/*	before anything else happens; deferred stays "to do" in the file;
/*	status -1 means "not attempted" and puts the recipient back in
/*	line. Then qmgr_message_done_if_idle() finishes the message when no
/*	recipient is waiting or at an agent: the file is removed when every
/*	recipient is done, otherwise it moves to deferred/ with the next
/*	attempt time as its modification time.
/*
/*	qmgr_rcpt_is_local() is 1 for an address that is this host's
/*	(addr_class(3): no domain, a domain in $mydestination, or an
/*	address literal of this host), 0 for any other, and -1 when a
/*	table of mydestination failed (the recipient is deferred).
/*
/*	qmgr_backoff() is the time to wait before the next attempt: the
/*	message's age, at least $minimal_backoff_time and at most
/*	$maximal_backoff_time.
/*
/*	The administrator may remove active/ID, or move it to hold/, while
/*	the message is here (dromsuper -d, -h). qmgr notices when it next
/*	opens or moves the file (a recipient's result, the end of the
/*	round): it logs "ID: queue file is gone (...): dropped from the
/*	active queue", dispatches no more of its recipients, ignores the
/*	results still to come from delivery agents, and forgets the
/*	message when the last of them is in.
/* DIAGNOSTICS
/*	Fatal: a recipient state that cannot be written to the queue file
/*	for any reason but the file's absence (the next qmgr starts over
/*	with the file; mail is not lost).
/*--*/
#include <sys/time.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <deliver_request.h>
#include <dsn.h>
#include <dsn_log.h>
#include <addr_class.h>
#include <bounce_clnt.h>
#include <mail_params.h>
#include <qfile.h>
#include <rec.h>

#include "qmgr.h"

#define QMGR_FORCED_EXPIRE	"forced_expire"	/* dromsuper -e */
#define QMGR_EXPIRED_DSN	"5.4.7"
#define QMGR_EXPIRED_TEXT	"message expired by the administrator"

static void qmgr_message_forced_expire(struct qmgr_message *);

struct qmgr_message *qmgr_message_list;
static struct qmgr_message *qmgr_message_tail;
size_t  qmgr_message_count;

/* qmgr_message_free - unlink and free */

static void qmgr_message_free(struct qmgr_message *msg)
{
    size_t  i;

    if (msg->prev)
	msg->prev->next_msg = msg->next_msg;
    else
	qmgr_message_list = msg->next_msg;
    if (msg->next_msg)
	msg->next_msg->prev = msg->prev;
    else
	qmgr_message_tail = msg->prev;
    if (msg->reason) {
	for (i = 0; i < msg->info.rcpt_count; i++)
	    if (msg->reason[i])
		myfree(msg->reason[i]);
	myfree(msg->reason);
    }
    qfile_info_free(&msg->info);
    myfree(msg->rstate);
    myfree(msg->id);
    myfree(msg);
    qmgr_message_count--;
    qmgr_scan_room();
}

void    qmgr_message_activate(const char *from, const char *id)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *path = vstring_alloc(100);
    struct qmgr_message *msg;
    size_t  i;
    int     fd;

    if (qfile_move_lazy(from, QFILE_ACTIVE, id, why) < 0) {
	msg_warn("%s: move from %s to %s: %s", id, from, QFILE_ACTIVE,
		 vstring_str(why));
	goto out;
    }
    if ((fd = open(qfile_path(path, QFILE_ACTIVE, id), O_RDWR | O_CLOEXEC)) < 0) {
	msg_warn("%s: open %s: %m", id, vstring_str(path));
	goto out;
    }
    msg = (struct qmgr_message *) mymalloc(sizeof(*msg));
    memset(msg, 0, sizeof(*msg));
    if (qfile_read_envelope(fd, &msg->info, why) < 0) {
	(void) close(fd);
	myfree(msg);
	qfile_corrupt(QFILE_ACTIVE, id, vstring_str(why));
	goto out;
    }
    /* No descriptor is kept: the active queue may hold many messages. */
    (void) close(fd);
    msg->id = mystrdup(id);
    msg->bounce_log = dsn_log_exists(QFILE_BOUNCE, id);
    msg->rstate = (int *) mymalloc(sizeof(int) * (msg->info.rcpt_count + 1));
    msg->reason = (char **) mymalloc(sizeof(char *) * (msg->info.rcpt_count + 1));
    memset(msg->reason, 0, sizeof(char *) * (msg->info.rcpt_count + 1));
    for (i = 0; i < msg->info.rcpt_count; i++)
	msg->rstate[i] = (msg->info.rcpts[i].state == REC_RCPT_TODO ?
			  QMGR_RCPT_WAIT : QMGR_RCPT_DONE);
    msg->prev = qmgr_message_tail;
    msg->next_msg = 0;
    if (qmgr_message_tail)
	qmgr_message_tail->next_msg = msg;
    else
	qmgr_message_list = msg;
    qmgr_message_tail = msg;
    qmgr_message_count++;
    msg_info("%s: from=<%s>, size=%ld, nrcpt=%lu (queue active)",
	     id, msg->info.sender, (long) msg->info.content_size,
	     (unsigned long) msg->info.rcpt_count);
    qmgr_message_forced_expire(msg);
    qmgr_message_done_if_idle(msg);

out:
    vstring_free(&why);
    vstring_free(&path);
}

int     qmgr_message_next_wait(struct qmgr_message *msg, size_t *index_r)
{
    while (msg->next < msg->info.rcpt_count
	   && msg->rstate[msg->next] != QMGR_RCPT_WAIT)
	msg->next++;
    if (msg->next >= msg->info.rcpt_count)
	return (0);
    *index_r = msg->next;
    return (1);
}

/* qmgr_message_log - a delivery line that qmgr logs itself */

void    qmgr_message_log(struct qmgr_message *msg, size_t i, const char *relay,
		           const char *dsn, const char *status, const char *reason)
{
    struct timeval now;
    double  delay;
    struct qfile_rcpt *rcpt = msg->info.rcpts + i;

    gettimeofday(&now, (struct timezone *) 0);
    delay = (now.tv_sec - msg->info.arrival_sec)
	+ (now.tv_usec - msg->info.arrival_usec) / 1e6;
    if (delay < 0)
	delay = 0;
    if (rcpt->orig && *rcpt->orig && strcmp(rcpt->orig, rcpt->address) != 0)
	msg_info("%s: to=<%s>, orig_to=<%s>, relay=%s, delay=%.1f, dsn=%s, "
		 "status=%s (%s)", msg->id, rcpt->address, rcpt->orig, relay,
		 delay, dsn, status, reason);
    else
	msg_info("%s: to=<%s>, relay=%s, delay=%.1f, dsn=%s, status=%s (%s)",
		 msg->id, rcpt->address, relay, delay, dsn, status, reason);
}

void    qmgr_message_result(struct qmgr_message *msg, size_t i, int status,
			            const char *dsn, const char *reason)
{
    qmgr_message_result_remote(msg, i, status, dsn, reason, "", "", "",
			       QMGR_LOCAL_TRANSPORT);
}

/* qmgr_message_mark - write a recipient's final state into the file */

#define QMGR_MESSAGE_GONE	(-2)	/* no active/ID: dromsuper took it */

static int qmgr_message_mark(struct qmgr_message *msg, size_t i, int state,
			             struct vstring *why)
{
    struct vstring *path = vstring_alloc(100);
    int     fd;
    int     ret;

    if ((fd = open(qfile_path(path, QFILE_ACTIVE, msg->id),
		   O_RDWR | O_CLOEXEC)) < 0) {
	ret = (errno == ENOENT ? QMGR_MESSAGE_GONE : -1);
	vstring_sprintf(why, "open %s: %m", vstring_str(path));
    } else {
	ret = qfile_set_rcpt_state(fd, msg->info.rcpts[i].offset, state, why);
	if (close(fd) < 0 && ret == 0) {
	    vstring_sprintf(why, "close %s: %m", vstring_str(path));
	    ret = -1;
	}
    }
    vstring_free(&path);
    return (ret);
}

/* qmgr_message_lifetime - how long this message may stay */

static long qmgr_message_lifetime(struct qmgr_message *msg)
{
    /* The double-bounce sender's mail is a notice too. */
    if (*msg->info.sender == 0 || bounce_clnt_double_sender(msg->info.sender))
	return (var_bounce_queue_lifetime);
    return (var_max_queue_lifetime);
}

int     qmgr_message_expired(struct qmgr_message *msg, long now)
{
    return (now - msg->info.arrival_sec >= qmgr_message_lifetime(msg));
}

/* qmgr_message_gone - the file vanished: forget the message */

static void qmgr_message_gone(struct qmgr_message *msg)
{
    struct vstring *buf;
    size_t  i;

    if (msg->gone)
	return;
    msg_info("%s: queue file is gone (removed or put on hold by the "
	     "administrator): dropped from the active queue", msg->id);
    msg->gone = 1;
    /* A log written for a removed message belongs to nothing. */
    buf = vstring_alloc(100);
    if (access(qfile_path(buf, QFILE_HOLD, msg->id), F_OK) < 0
	&& errno == ENOENT
	&& (dsn_log_remove(QFILE_BOUNCE, msg->id, buf) < 0
	    || dsn_log_remove(QFILE_DEFER, msg->id, buf) < 0))
	msg_warn("%s: %s", msg->id, vstring_str(buf));
    vstring_free(&buf);
    /* Results of recipients still at an agent are dropped as they come. */
    for (i = 0; i < msg->info.rcpt_count; i++)
	if (msg->rstate[i] != QMGR_RCPT_BUSY)
	    msg->rstate[i] = QMGR_RCPT_DONE;
}

/* qmgr_message_forced_expire - dromsuper -e: bounce what is left now */

static void qmgr_message_forced_expire(struct qmgr_message *msg)
{
    const char *value = qfile_attr(&msg->info, QMGR_FORCED_EXPIRE);
    size_t  i;

    if (value == 0 || strcmp(value, "1") != 0)
	return;
    for (i = 0; i < msg->info.rcpt_count && !msg->gone; i++) {
	if (msg->rstate[i] != QMGR_RCPT_WAIT)
	    continue;
	qmgr_message_log(msg, i, "none", QMGR_EXPIRED_DSN, "expired",
			 QMGR_EXPIRED_TEXT);
	qmgr_message_result(msg, i, DELIVER_STAT_BOUNCE, QMGR_EXPIRED_DSN,
			    QMGR_EXPIRED_TEXT);
    }
}

/* qmgr_message_dsn_log - record a result that a notice reports */

static int qmgr_message_dsn_log(struct qmgr_message *msg, size_t i,
				        const char *folder, const char *action,
				        const char *dsn, const char *reason,
				        const char *mta, const char *diag,
				        struct vstring *why)
{
    struct dsn_entry e;
    struct qfile_rcpt *rcpt = msg->info.rcpts + i;

    memset(&e, 0, sizeof(e));
    e.rcpt = rcpt->address;
    e.orig = rcpt->orig ? rcpt->orig : "";
    e.orcpt = rcpt->dsn_orcpt ? rcpt->dsn_orcpt : "";
    e.notify = rcpt->dsn_notify;
    e.action = (char *) action;
    e.status = (char *) dsn;
    e.reason = (char *) reason;
    e.mta = (char *) mta;
    e.diag = (char *) diag;
    e.time = (long) time((time_t *) 0);
    if (dsn_log_append(folder, msg->id, &e, why) < 0)
	return (-1);
    if (strcmp(folder, QFILE_BOUNCE) == 0)
	msg->bounce_log = 1;
    return (0);
}

void    qmgr_message_result_remote(struct qmgr_message *msg, size_t i,
				           int status, const char *dsn,
				           const char *reason, const char *mta,
				           const char *diag, const char *action,
				           const char *transport)
{
    struct vstring *why = 0;
    struct vstring *text = 0;
    int     state;
    int     ret;
    int     notify = msg->info.rcpts[i].dsn_notify;

    if (msg->rstate[i] == QMGR_RCPT_BUSY && msg->busy > 0)
	msg->busy--;
    if (msg->gone) {
	msg->rstate[i] = QMGR_RCPT_DONE;
	return;
    }

    /*
     * A recipient deferred once too often: its message is past its
     * lifetime, and the last reason is the bounce reason.
     */
    if (status == DELIVER_STAT_DEFER
	&& qmgr_message_expired(msg, (long) time((time_t *) 0))) {
	text = vstring_alloc(100);
	vstring_sprintf(text, "message expired after %ld seconds in the "
			"queue: %s", (long) time((time_t *) 0)
			- msg->info.arrival_sec, reason);
	qmgr_message_log(msg, i, *mta ? mta : "none", dsn, "expired",
			 vstring_str(text));
	status = DELIVER_STAT_BOUNCE;
	reason = vstring_str(text);
    }
    switch (status) {
    case DELIVER_STAT_SENT:
    case DELIVER_STAT_BOUNCE:
	why = vstring_alloc(100);
	if (status == DELIVER_STAT_BOUNCE
	    && dsn_notify_wants(notify, DSN_NOTIFY_FAILURE)
	    && qmgr_message_dsn_log(msg, i, QFILE_BOUNCE, "failed", dsn,
				    reason, mta, diag, why) < 0) {
	    /* No record, no notice: keep the recipient for later. */
	    msg_warn("%s: record the bounce of <%s>: %s", msg->id,
		     msg->info.rcpts[i].address, vstring_str(why));
	    msg->rstate[i] = QMGR_RCPT_DEFER;
	    msg->deferred++;
	    break;
	}
	if (status == DELIVER_STAT_SENT && (notify & DSN_NOTIFY_SUCCESS)
	    && strcmp(action, "passed") != 0
	    && qmgr_message_dsn_log(msg, i, QFILE_BOUNCE,
				    *action ? action :
				    strcmp(transport, QMGR_LOCAL_TRANSPORT) == 0 ?
				    "delivered" : "relayed", dsn, reason, mta,
				    diag, why) < 0)
	    msg_warn("%s: record the delivery to <%s> for a success notice: "
		     "%s", msg->id, msg->info.rcpts[i].address,
		     vstring_str(why));
	state = (status == DELIVER_STAT_SENT ? REC_RCPT_SENT : REC_RCPT_BOUNCED);
	if ((ret = qmgr_message_mark(msg, i, state, why)) == QMGR_MESSAGE_GONE)
	    qmgr_message_gone(msg);
	else if (ret < 0)
	    msg_fatal("%s: record recipient state: %s", msg->id,
		      vstring_str(why));
	msg->rstate[i] = QMGR_RCPT_DONE;
	break;
    case DELIVER_STAT_DEFER:
	msg->rstate[i] = QMGR_RCPT_DEFER;
	msg->deferred++;
	if (msg->reason) {
	    if (msg->reason[i])
		myfree(msg->reason[i]);
	    text = vstring_alloc(100);
	    vstring_sprintf(text, "%s %s", *dsn ? dsn : "4.0.0", reason);
	    msg->reason[i] = mystrdup(vstring_str(text));
	}
	break;
    default:					/* not attempted: again */
	msg->rstate[i] = QMGR_RCPT_WAIT;
	if (i < msg->next)
	    msg->next = i;
	break;
    }
    if (why)
	vstring_free(&why);
    if (text)
	vstring_free(&text);
}

long    qmgr_backoff(long arrival, long now)
{
    long    delay = now - arrival;

    if (delay > var_max_backoff_time)
	delay = var_max_backoff_time;
    if (delay < var_min_backoff_time)
	delay = var_min_backoff_time;
    if (delay < 1)
	delay = 1;
    return (delay);
}

/* qmgr_message_delay_warning - tell the sender, once, that mail waits */

static void qmgr_message_delay_warning(struct qmgr_message *msg)
{
    struct vstring *why;
    size_t  i;
    size_t  count = 0;
    const char *sp;

    if (var_delay_warning_time <= 0 || *msg->info.sender == 0
	|| (long) time((time_t *) 0) - msg->info.arrival_sec
	< var_delay_warning_time
	|| dsn_log_exists(QFILE_DEFER, msg->id))
	return;
    why = vstring_alloc(100);
    for (i = 0; i < msg->info.rcpt_count; i++) {
	if (msg->rstate[i] != QMGR_RCPT_DEFER
	    || !dsn_notify_wants(msg->info.rcpts[i].dsn_notify, DSN_NOTIFY_DELAY))
	    continue;
	/* The reason is kept as "DSN text". */
	sp = msg->reason[i] ? strchr(msg->reason[i], ' ') : 0;
	if (sp)
	    msg->reason[i][sp - msg->reason[i]] = 0;
	if (qmgr_message_dsn_log(msg, i, QFILE_DEFER, "delayed",
				 msg->reason[i] ? msg->reason[i] : "4.0.0",
				 sp ? sp + 1 : "delivery deferred", "", "",
				 why) < 0) {
	    msg_warn("%s: delay notice log: %s", msg->id, vstring_str(why));
	    (void) dsn_log_remove(QFILE_DEFER, msg->id, why);
	    count = 0;
	    if (sp)
		msg->reason[i][sp - msg->reason[i]] = ' ';
	    break;
	}
	if (sp)
	    msg->reason[i][sp - msg->reason[i]] = ' ';
	count++;
    }
    if (count > 0 && bounce_clnt_notice(BOUNCE_KIND_DELAY, QFILE_ACTIVE, msg->id,
				 why) < 0) {
	msg_warn("%s: delay notice not sent: %s", msg->id, vstring_str(why));
	(void) dsn_log_remove(QFILE_DEFER, msg->id, why);
    }
    /* The log stays as the mark that the warning was sent. */
    vstring_free(&why);
}

/* qmgr_message_save_reasons - the last reasons, for showq(8) */

static void qmgr_message_save_reasons(struct qmgr_message *msg)
{
    struct vstring *text = vstring_alloc(200);
    struct vstring *path = vstring_alloc(100);
    struct vstring *tmp = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct dsn_entry e;
    const char *sp;
    size_t  i;
    int     fd;

    for (i = 0; i < msg->info.rcpt_count; i++) {
	if (msg->rstate[i] != QMGR_RCPT_DEFER || msg->reason[i] == 0)
	    continue;
	memset(&e, 0, sizeof(e));
	e.rcpt = msg->info.rcpts[i].address;
	e.action = "delayed";
	sp = strchr(msg->reason[i], ' ');
	e.status = mystrndup(msg->reason[i], sp ? (size_t) (sp - msg->reason[i])
			     : strlen(msg->reason[i]));
	e.reason = (char *) (sp ? sp + 1 : "");
	e.time = (long) time((time_t *) 0);
	dsn_log_format(text, &e);
	myfree(e.status);
    }
    qfile_path(path, QFILE_REASON, msg->id);
    vstring_sprintf(tmp, "%s.tmp", vstring_str(path));
    if (qfile_folder_for(QFILE_REASON, msg->id, why) < 0
	|| (fd = open(vstring_str(tmp), O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0) {
	msg_warn("%s: deferral reasons not saved: %s", msg->id,
		 vstring_len(why) ? vstring_str(why) : strerror(errno));
    } else {
	if (write(fd, vstring_str(text), vstring_len(text))
	    != (ssize_t) vstring_len(text)
	    || close(fd) < 0 || rename(vstring_str(tmp), vstring_str(path)) < 0) {
	    msg_warn("%s: deferral reasons not saved: %m", msg->id);
	    (void) unlink(vstring_str(tmp));
	}
    }
    vstring_free(&text);
    vstring_free(&path);
    vstring_free(&tmp);
    vstring_free(&why);
}

void    qmgr_message_done_if_idle(struct qmgr_message *msg)
{
    struct vstring *why;
    struct vstring *path;
    struct timeval tv[2];
    size_t  i;
    int     notices_ok = 1;

    if (msg->busy > 0 || qmgr_message_next_wait(msg, &i))
	return;
    if (msg->gone) {
	qmgr_message_free(msg);
	return;
    }
    why = vstring_alloc(100);

    /*
     * Notices first, while the file is in active/: failures and success
     * reports. When bounce cannot take them now, the message waits in
     * deferred/ and they are tried again with it.
     */
    if (msg->bounce_log) {
	if (bounce_clnt_notice(BOUNCE_KIND_FLUSH, QFILE_ACTIVE, msg->id, why) < 0) {
	    msg_warn("%s: notice not sent, will try again: %s", msg->id,
		     vstring_str(why));
	    notices_ok = 0;
	} else if (dsn_log_remove(QFILE_BOUNCE, msg->id, why) < 0) {
	    msg_warn("%s: %s", msg->id, vstring_str(why));
	} else {
	    msg->bounce_log = 0;
	}
    }
    if (msg->deferred > 0)
	qmgr_message_delay_warning(msg);
    if (msg->deferred > 0 || !notices_ok) {
	if (qfile_move_lazy(QFILE_ACTIVE, QFILE_DEFERRED, msg->id, why) < 0) {
	    path = vstring_alloc(100);
	    if (access(qfile_path(path, QFILE_ACTIVE, msg->id), F_OK) < 0
		&& errno == ENOENT)
		qmgr_message_gone(msg);
	    else
		msg_warn("%s: move to %s: %s", msg->id, QFILE_DEFERRED,
			 vstring_str(why));
	    vstring_free(&path);
	} else {
	    path = vstring_alloc(100);
	    gettimeofday(tv, (struct timezone *) 0);
	    tv[1].tv_sec = tv[0].tv_sec
		+ qmgr_backoff(msg->info.arrival_sec, tv[0].tv_sec);
	    tv[1].tv_usec = 0;
	    if (utimes(qfile_path(path, QFILE_DEFERRED, msg->id), tv) < 0)
		msg_warn("%s: set next attempt time: %m", msg->id);
	    vstring_free(&path);
	    qmgr_message_save_reasons(msg);
	}
    } else {
	if (dsn_log_exists(QFILE_DEFER, msg->id)
	    && dsn_log_remove(QFILE_DEFER, msg->id, why) < 0)
	    msg_warn("%s: %s", msg->id, vstring_str(why));
	if (dsn_log_remove(QFILE_REASON, msg->id, why) < 0)
	    msg_warn("%s: %s", msg->id, vstring_str(why));
	if (qfile_recycle(QFILE_ACTIVE, msg->id, msg->info.content_offset
			  + msg->info.content_size, why) < 0)
	    msg_warn("%s: remove: %s", msg->id, vstring_str(why));
	else
	    msg_info("%s: removed", msg->id);
    }
    vstring_free(&why);
    qmgr_message_free(msg);
}

int     qmgr_rcpt_is_local(const char *addr)
{
    int     cls = addr_class(addr, (struct addr_class_info *) 0);

    if (cls == ADDR_CLASS_ERROR)
	return (-1);
    return (cls == ADDR_CLASS_LOCAL);
}
