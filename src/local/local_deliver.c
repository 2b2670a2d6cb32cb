/*++
/* NAME
/*	local_deliver 3
/* SUMMARY
/*	one delivery request: queue file, recipient, identity switch, log
/* SYNOPSIS
/*	#include "local.h"
/*
/*	void	local_deliver(request, result, pending)
/*
/*	void	local_commit(requests, results, pendings, count)
/*
/*	void	local_result_set(result, status, dsn, format, ...)
/*
/*	void	local_mailbox(state, result)
/*
/*	int	local_priv(state, on)
/*
/*	int	local_become(uid, gid)
/*
/*	void	local_keep()
/*
/*	void	local_restore()
/*
/*	void	local_log(queue_id, to, orig, arrival_sec, arrival_usec,
/*			result)
/* DESCRIPTION
/*	local_deliver() checks the request (queue name "active" and a
/*	valid queue ID), opens and reads the queue file, bounces the
/*	message when its headers hold "Delivered-To: RECIPIENT" already
/*	(5.4.6, a forwarding loop), and hands the recipient to
/*	local_recipient() (aliases, .forward, the mailbox); it fills
/*	result and logs the delivery line unless the expansion logged
/*	its own lines. No process is forked for a mailbox delivery. With
/*	pending non-null, a Maildir delivery to the recipient's own
/*	mailbox stops after writing its tmp/ file (result
/*	LOCAL_STAT_PENDING, not yet logged).
/*
/*	local_mailbox() delivers to the mailbox of state->user: it
/*	switches to the user's effective uid, gid and primary group
/*	(setgroups, setegid, seteuid) and writes the Maildir or mbox,
/*	keeping that identity (local_keep()).
/*
/*	local_commit() finishes a group: for each pending Maildir
/*	delivery, with the user's identity, it syncs the file and links it
/*	into new/; then it syncs each new/ folder once; then it closes what
/*	is left and logs every pending result. Results that were final
/*	already are left alone.
/*
/*	local_result_set() sets a result; the reason is formatted.
/*
/*	local_priv() (spool mbox only) switches the effective uid to root
/*	(on) or back to the user (off), for the lock and mailbox creation in
/*	the root-owned spool folder.
/*
/*	local_become() takes the effective identity uid/gid (primary group
/*	only); local_restore() returns to root. local_keep() ends a step
/*	done as the user without switching back: the identity is kept
/*	until local_become() is asked for another one (which restores
/*	root first) or local_restore() is called, so the steps of a group
/*	of deliveries to one user (.forward check, writing, link, sync)
/*	switch once. Everything that needs root calls local_restore()
/*	first: local_deliver() (the queue file), local_recipient() (the
/*	tables), local_command(), local_resend(), and local_commit() at its
/*	end. local_restore() costs nothing when root is current; an
/*	identity found half-taken (an error, or local_priv() left on) is
/*	always restored.
/*
/*	local_log() writes one delivery line: "ID: to=<TO>, orig_to=<ORIG>,
/*	relay=local, delay=D, dsn=X.Y.Z, status=S (reason)" (orig_to only
/*	when it is set and differs from to).
/* DIAGNOSTICS
/*	Problems become deferrals with a reason.
/*--*/
#include <sys/time.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <mymalloc.h>
#include <stringops.h>
#include <vstream.h>
#include <vstring.h>

#include <deliver_request.h>
#include <mail_params.h>
#include <qfile.h>

#include "local.h"

#define LOCAL_RESULT_MAX	4096

void    local_result_set(struct local_result *res, int status, const char *dsn,
			         const char *fmt,...)
{
    va_list ap;

    res->status = status;
    vstring_strcpy(res->dsn, dsn);
    vstring_reset(res->reason);
    va_start(ap, fmt);
    vstring_vsprintf_append(res->reason, fmt, ap);
    va_end(ap);
}

int     local_priv(struct local_state *state, int on)
{
    if (!state->spool_priv)
	return (-1);
    if (on)
	return (seteuid(0));
    return (seteuid(state->uid));
}

/*
 * The effective identity local has taken, kept after local_keep() until
 * it is needed for another user or for root: a group of deliveries to one
 * user switches once, not once per step.
 */
static int local_id_taken;
static uid_t local_id_uid;
static gid_t local_id_gid;

/* local_become - take the user's effective identity */

int     local_become(uid_t uid, gid_t gid)
{
    if (local_id_taken) {
	if (local_id_uid == uid && local_id_gid == gid)
	    return (0);
	local_restore();
    }
    local_id_taken = 1;				/* even half-way: restore */
    local_id_uid = uid;
    local_id_gid = gid;
    /* Only the primary group: enough to write in one's own home. */
    if (setgroups(1, &gid) < 0 || setegid(gid) < 0 || seteuid(uid) < 0)
	return (-1);
    return (geteuid() == uid && getegid() == gid ? 0 : -1);
}

/* local_restore - back to root */

void    local_restore(void)
{
    if (!local_id_taken)
	return;					/* root already */
    if (seteuid(0) < 0 || setegid(0) < 0 || setgroups(0, (gid_t *) 0) < 0)
	msg_fatal("cannot restore root privileges: %m");
    local_id_taken = 0;
}

/* local_keep - done as the user for now; root again when needed */

void    local_keep(void)
{
    if (local_id_taken && (geteuid() != local_id_uid
			   || getegid() != local_id_gid))
	local_restore();			/* half-way: not a usable state */
}

/* local_mailbox - the mailbox delivery, with the user's effective ids */

void    local_mailbox(struct local_state *state, struct local_result *res)
{
    struct vstring *path = vstring_alloc(100);
    mode_t  old_mask;
    int     maildir = 0;

    if (*var_home_mailbox) {
	vstring_sprintf(path, "%s/%s", state->home, var_home_mailbox);
	maildir = (var_home_mailbox[strlen(var_home_mailbox) - 1] == '/');
	state->spool_priv = 0;
    } else {
	vstring_sprintf(path, "%s/%s", var_mail_spool_dir, state->user);
	state->spool_priv = 1;
    }
    old_mask = umask(077);
    if (local_become(state->uid, state->gid) < 0) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "cannot switch to user %s: %m", state->user);
    } else if (maildir) {
	local_maildir(state, vstring_str(path), res);
    } else {
	local_mbox(state, vstring_str(path), res);
    }
    local_keep();
    (void) umask(old_mask);
    vstring_free(&path);
}

/* local_log - the delivery line */

void    local_log(const char *queue_id, const char *rcpt, const char *orig,
		          long arrival_sec, long arrival_usec,
		          struct local_result *res)
{
    static const char *names[] = {"sent", "deferred", "bounced"};
    const char *status_name;
    struct timeval now;
    double  delay;

    status_name = (res->status == DELIVER_STAT_SENT ? names[0] :
		   res->status == DELIVER_STAT_BOUNCE ? names[2] : names[1]);
    gettimeofday(&now, (struct timezone *) 0);
    delay = (now.tv_sec - arrival_sec) + (now.tv_usec - arrival_usec) / 1e6;
    if (delay < 0)
	delay = 0;
    if (orig && *orig && strcmp(orig, rcpt) != 0)
	msg_info("%s: to=<%s>, orig_to=<%s>, relay=local, delay=%.1f, "
		 "dsn=%s, status=%s (%s)", queue_id, rcpt, orig, delay,
		 vstring_str(res->dsn), status_name, vstring_str(res->reason));
    else
	msg_info("%s: to=<%s>, relay=local, delay=%.1f, dsn=%s, status=%s (%s)",
		 queue_id, rcpt, delay, vstring_str(res->dsn), status_name,
		 vstring_str(res->reason));
}

/* local_req_log - the delivery line for a request */

static void local_req_log(struct deliver_request *req, long arrival_sec,
			          long arrival_usec, struct local_result *res)
{
    local_log(vstring_str(req->queue_id), vstring_str(req->recipient),
	      vstring_str(req->orig_recipient), arrival_sec, arrival_usec, res);
}

void    local_deliver(struct deliver_request *req, struct local_result *res,
		              struct local_pending *pend)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct qfile_info info;
    int     have_info = 0;
    struct local_state state;
    struct local_exp exp;
    const char *rcpt = vstring_str(req->recipient);
    const char *at;
    int     fd = -1;

    local_restore();				/* the queue file is not the user's */
    res->logged = 0;
    memset(&info, 0, sizeof(info));
    memset(&state, 0, sizeof(state));
    memset(&exp, 0, sizeof(exp));
    if (strcmp(vstring_str(req->queue_name), QFILE_ACTIVE) != 0
	|| !qfile_id_valid(vstring_str(req->queue_id))) {
	msg_warn("bad request from qmgr: queue %s id %s",
		 printable(vstring_str(req->queue_name), '?'),
		 printable(vstring_str(req->queue_id), '?'));
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "bad delivery request");
	goto out;
    }
    qfile_path(path, vstring_str(req->queue_name), vstring_str(req->queue_id));
    if ((fd = open(vstring_str(path), O_RDONLY | O_CLOEXEC)) < 0) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "open queue file: %m");
	goto out;
    }
    if (qfile_read_envelope(fd, &info, why) < 0) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "bad queue file: %s", vstring_str(why));
	goto out;
    }
    have_info = 1;
    state.queue_id = vstring_str(req->queue_id);
    state.sender = vstring_str(req->sender);
    state.recipient = rcpt;
    state.qfd = fd;
    state.info = &info;

    /* A message that was here for this recipient before: a loop. */
    switch (local_loop_check(&state, rcpt)) {
    case 1:
	local_result_set(res, DELIVER_STAT_BOUNCE, "5.4.6",
			 "mail forwarding loop for %s", rcpt);
	goto out;
    case -1:
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "error reading queue file %s", state.queue_id);
	goto out;
    }

    /* The local part (everything before the last "@"), case-folded. */
    if ((at = strrchr(rcpt, '@')) != 0) {
	exp.local = mystrndup(rcpt, (size_t) (at - rcpt));
	exp.domain = mystrdup(at + 1);
    } else {
	exp.local = mystrdup(rcpt);
	exp.domain = mystrdup("");
    }
    lowercase(exp.local);
    exp.req = req;
    exp.state = &state;
    exp.res = res;
    local_recipient(&exp, pend);

out:
    if (res->status != LOCAL_STAT_PENDING && !res->logged)
	local_req_log(req, have_info ? info.arrival_sec : req->arrival_sec,
		      have_info ? info.arrival_usec : 0, res);
    if (have_info)
	qfile_info_free(&info);
    if (fd >= 0)
	(void) close(fd);
    myfree(exp.local);
    myfree(exp.domain);
    vstring_free(&path);
    vstring_free(&why);
}

/* local_commit_step - one commit step with the user's identity */

static void local_commit_step(struct local_pending *pend,
			              struct local_result *res,
		             void (*step) (struct local_pending *,
					           struct local_result *))
{
    mode_t  old_mask = umask(077);

    if (local_become(pend->uid, pend->gid) < 0)
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "cannot switch to uid %ld: %m", (long) pend->uid);
    else
	step(pend, res);
    local_keep();
    (void) umask(old_mask);
}

/* local_reset_step - adapter: close the file, drop an unlinked name */

static void local_reset_step(struct local_pending *pend,
			             struct local_result *unused_res)
{
    (void) unused_res;
    local_pending_reset(pend);
}

void    local_commit(struct deliver_request **reqs, struct local_result *res,
		             struct local_pending *pend, int count)
{
    int     i;
    int     j;

    for (i = 0; i < count; i++)
	pend[i].commit = (res[i].status == LOCAL_STAT_PENDING);
    /* 1: sync each file (the first sync finds the others written back). */
    for (i = 0; i < count; i++)
	if (res[i].status == LOCAL_STAT_PENDING)
	    local_commit_step(pend + i, res + i, local_maildir_link);
    /* 2: sync each new/ folder once, after every link of the group. */
    for (i = 0; i < count; i++) {
	if (res[i].status != LOCAL_STAT_PENDING)
	    continue;
	local_commit_step(pend + i, res + i, local_maildir_sync);
	if (res[i].status != DELIVER_STAT_SENT || pend[i].dir_synced)
	    continue;
	for (j = i + 1; j < count; j++)
	    if (res[j].status == LOCAL_STAT_PENDING && pend[j].linked
		&& strcmp(vstring_str(pend[j].base),
			  vstring_str(pend[i].base)) == 0)
		pend[j].dir_synced = 1;
    }
    /* 3: close, remove what was not linked, log. */
    for (i = 0; i < count; i++) {
	if (pend[i].fd >= 0)
	    local_commit_step(pend + i, res + i, local_reset_step);
	if (res[i].status == LOCAL_STAT_PENDING)	/* cannot happen */
	    local_result_set(res + i, DELIVER_STAT_DEFER, "4.3.0",
			     "internal error: delivery not committed");
	if (pend[i].commit)
	    local_req_log(reqs[i], pend[i].arrival_sec, pend[i].arrival_usec,
			  res + i);
    }
    local_restore();
}
