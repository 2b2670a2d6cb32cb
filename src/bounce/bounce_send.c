/*++
/* NAME
/*	bounce_send 3
/* SUMMARY
/*	bounce daemon: the notices of one message
/* SYNOPSIS
/*	#include "bounce.h"
/*
/*	int	bounce_send(kind, queue_name, queue_id, notice_id, why)
/* DESCRIPTION
/*	bounce_send() makes the notice that qmgr asked for: kind "flush"
/*	reads bounce/ID, kind "delay" defer/ID (dsn_log(3h)); both read
/*	the queue file queue_name/ID (qfile(3h)) for the sender, the
/*	arrival time, RET and ENVID and the content to return. It composes
/*	the notice (bounce_notice(3)) and gives it to cleanup with the
/*	null envelope sender, so a notice that fails cannot cause another
/*	notice to its sender.
/*
/*	Who gets what:
/* .IP \(bu
/*	kind flush with a "failed" entry: a non-delivery notice to the
/*	sender, which also lists the success reports of the same log;
/*	without one, a success notice (the NOTIFY=SUCCESS reports).
/* .IP \(bu
/*	kind delay: a delay warning with the "delayed" entries.
/* .IP \(bu
/*	When the sender is the null sender (the message was a notice
/*	itself), the non-delivery notice goes to 2bounce_notice_recipient
/*	(qualified with @$myorigin when it has no domain), with the
/*	double-bounce sender $double_bounce_sender@$myorigin as its
/*	envelope sender. When the sender is the double-bounce sender,
/*	nothing is sent: "ID: double bounce dropped: REASON" is logged.
/*	Success and delay notices to either sender are dropped silently
/*	(they cannot have been asked for).
/* .PP
/*	The returned content: the whole message when RET is FULL or not
/*	given, for a non-delivery notice, and the message is at most
/*	bounce_size_limit bytes; otherwise the header section only.
/*
/*	Each notice queued is logged as "ID: sender non-delivery
/*	notification: NEWID" ("postmaster non-delivery notification",
/*	"sender delivery status notification", "sender delay
/*	notification"); notice_id is set to NEWID (empty when no notice
/*	was needed).
/* DIAGNOSTICS
/*	0 when the notice is queued, or none was needed; -1 with the
/*	reason in why (the caller keeps the log and asks again later).
/*--*/
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <bounce_clnt.h>
#include <cleanup_clnt.h>
#include <dsn.h>
#include <dsn_log.h>
#include <mail_params.h>
#include <qfile.h>
#include <rec.h>

#include "bounce.h"

/* bounce_queue_ok - queue folders a message can be in while qmgr asks */

static int bounce_queue_ok(const char *queue)
{
    return (strcmp(queue, QFILE_ACTIVE) == 0
	    || strcmp(queue, QFILE_DEFERRED) == 0
	    || strcmp(queue, QFILE_INCOMING) == 0
	    || strcmp(queue, QFILE_HOLD) == 0);
}

/* bounce_content - what the notice returns of the message */

static int bounce_content(int fd, const struct qfile_info *info,
			          off_t want, struct vstring *out,
			          struct vstring *why)
{
    struct vstream *in;
    struct vstring *chunk = vstring_alloc(8192);
    off_t   left = info->content_size;
    ssize_t n;
    int     ret = 0;

    vstring_reset(out);
    if ((in = qfile_content_open(fd, info)) == 0) {
	vstring_sprintf(why, "seek to the content: %s", strerror(errno));
	vstring_free(&chunk);
	return (-1);
    }
    while ((off_t) vstring_len(out) < want && left > 0) {
	if ((n = qfile_content_read(in, chunk, &left)) <= 0) {
	    vstring_strcpy(why, "error reading the content");
	    ret = -1;
	    break;
	}
	vstring_append(out, vstring_str(chunk), (size_t) n);
    }
    if ((off_t) vstring_len(out) > want)
	vstring_truncate(out, (size_t) want);
    (void) vstream_close(&in);
    vstring_free(&chunk);
    return (ret);
}

/* bounce_submit - give the notice to cleanup */

static int bounce_submit(const char *sender, const char *rcpt,
			         const struct vstring *text,
			         struct vstring *notice_id,
			         struct vstring *why)
{
    struct cleanup_clnt *c;
    struct vstream *stream;
    const char *cp = vstring_str(text);
    size_t  left = vstring_len(text);
    size_t  len;
    int     err = 0;
    int     status;

    if ((c = cleanup_clnt_open(why)) == 0)
	return (-1);
    if (cleanup_clnt_begin(c, CLEANUP_FLAG_NONE, notice_id, why) != 0) {
	cleanup_clnt_close(&c);
	return (-1);
    }
    stream = cleanup_clnt_stream(c);
    err |= rec_fputs(stream, REC_TYPE_FROM, sender);
    err |= rec_fputs(stream, REC_TYPE_RCPT, rcpt);
    err |= rec_put(stream, REC_TYPE_MESG, "", 0);
    while (err == 0 && left > 0) {
	len = left > REC_CONT_MAX ? REC_CONT_MAX : left;
	err |= rec_put(stream, REC_TYPE_CONT, cp, len);
	cp += len;
	left -= len;
    }
    err |= rec_put(stream, REC_TYPE_XTRA, "", 0);
    err |= rec_put(stream, REC_TYPE_END, "", 0);
    status = cleanup_clnt_finish(c, why);
    cleanup_clnt_close(&c);
    if (status != CLEANUP_STAT_OK || err != 0) {
	if (vstring_len(why) == 0)
	    vstring_strcpy(why, cleanup_stat_reply(status ? status :
						   CLEANUP_STAT_PROXY));
	return (-1);
    }
    return (0);
}

/* bounce_send - the notices of one message */

int     bounce_send(const char *kind, const char *queue_name,
		            const char *queue_id, struct vstring *notice_id,
		            struct vstring *why)
{
    struct qfile_info info;
    struct bounce_notice n;
    struct dsn_entry *entries = 0;
    struct dsn_entry *chosen = 0;
    size_t  count = 0;
    size_t  i;
    struct vstring *path = 0;
    struct vstring *content = 0;
    struct vstring *text = 0;
    struct vstring *to = 0;
    struct vstring *from = 0;
    struct vstring *env_sender = 0;
    const char *ret_opt;
    const char *who = "sender";
    const char *what;
    int     delay = 0;
    int     fd = -1;
    int     ret = -1;
    int     st;

    memset(&info, 0, sizeof(info));
    memset(&n, 0, sizeof(n));
    vstring_reset(notice_id);
    if (strcmp(kind, BOUNCE_KIND_DELAY) == 0) {
	delay = 1;
    } else if (strcmp(kind, BOUNCE_KIND_FLUSH) != 0) {
	vstring_sprintf(why, "unknown notice kind \"%.50s\"", kind);
	return (-1);
    }
    if (!bounce_queue_ok(queue_name) || !qfile_id_valid(queue_id)) {
	vstring_sprintf(why, "bad queue file name %.50s/%.50s",
			queue_name, queue_id);
	return (-1);
    }
    st = dsn_log_read(delay ? QFILE_DEFER : QFILE_BOUNCE, queue_id,
		      &entries, &count, why);
    if (st < 0)
	return (-1);
    if (st > 0)					/* no log: nothing to say */
	return (0);

    /*
     * Which notice, and which entries it reports.
     */
    n.type = delay ? BOUNCE_TYPE_DELAY : BOUNCE_TYPE_SUCCESS;
    for (i = 0; i < count && !delay; i++)
	if (strcmp(entries[i].action, "failed") == 0)
	    n.type = BOUNCE_TYPE_FAILURE;
    chosen = (struct dsn_entry *) mymalloc(sizeof(*chosen) * (count + 1));
    for (i = 0; i < count; i++)
	if (bounce_notice_entry_reported(n.type, entries + i))
	    chosen[n.count++] = entries[i];
    if (n.count == 0) {
	ret = 0;
	goto out;
    }
    path = vstring_alloc(100);
    if ((fd = open(qfile_path(path, queue_name, queue_id),
		   O_RDONLY | O_CLOEXEC)) < 0) {
	vstring_sprintf(why, "open %s: %s", vstring_str(path), strerror(errno));
	goto out;
    }
    if (qfile_read_envelope(fd, &info, why) < 0)
	goto out;

    /*
     * Who gets it. Never a notice about a failed notice to its sender.
     */
    to = vstring_alloc(100);
    from = vstring_alloc(100);
    env_sender = vstring_alloc(100);
    vstring_sprintf(from, "MAILER-DAEMON@%s", var_myhostname);
    if (*info.sender == 0 || bounce_clnt_double_sender(info.sender)) {
	if (n.type != BOUNCE_TYPE_FAILURE) {
	    ret = 0;
	    goto out;
	}
	if (*info.sender != 0) {
	    msg_info("%s: double bounce dropped: <%s>: %s", queue_id,
		     chosen[0].rcpt, chosen[0].reason);
	    ret = 0;
	    goto out;
	}
	vstring_strcpy(to, var_2bounce_rcpt);
	if (strchr(var_2bounce_rcpt, '@') == 0)
	    vstring_sprintf_append(to, "@%s", var_myorigin);
	vstring_sprintf(env_sender, "%s@%s", var_double_bounce_sender,
			var_myorigin);
	n.postmaster_copy = 1;
	who = "postmaster";
    } else {
	vstring_strcpy(to, info.sender);
    }

    /*
     * What it returns of the message.
     */
    ret_opt = qfile_attr(&info, "dsn_ret");
    n.headers_only = (n.type != BOUNCE_TYPE_FAILURE
		      || (ret_opt && strcasecmp(ret_opt, DSN_RET_HDRS) == 0)
		      || info.content_size > (off_t) var_bounce_size_limit);
    content = vstring_alloc(1024);
    if (bounce_content(fd, &info, n.headers_only ? info.header_size :
		       info.content_size, content, why) < 0)
	goto out;

    n.queue_id = queue_id;
    n.hostname = var_myhostname;
    n.sender = info.sender;
    n.to = vstring_str(to);
    n.from = vstring_str(from);
    n.arrival = info.arrival_sec;
    n.now = (long) time((time_t *) 0);
    n.give_up = info.arrival_sec + var_max_queue_lifetime;
    n.envid = qfile_attr(&info, "dsn_envid");
    n.entries = chosen;
    n.content = vstring_str(content);
    n.content_len = vstring_len(content);
    text = vstring_alloc(4096);
    bounce_notice_compose(text, &n);
    if (bounce_submit(vstring_str(env_sender), vstring_str(to), text,
		      notice_id, why) < 0)
	goto out;
    what = n.type == BOUNCE_TYPE_FAILURE ? "non-delivery" :
	n.type == BOUNCE_TYPE_DELAY ? "delay" : "delivery status";
    msg_info("%s: %s %s notification: %s", queue_id, who, what,
	     vstring_str(notice_id));
    ret = 0;

out:
    if (fd >= 0)
	(void) close(fd);
    qfile_info_free(&info);
    dsn_log_free(entries, count);
    if (chosen)
	myfree(chosen);
    if (path)
	vstring_free(&path);
    if (content)
	vstring_free(&content);
    if (text)
	vstring_free(&text);
    if (to)
	vstring_free(&to);
    if (from)
	vstring_free(&from);
    if (env_sender)
	vstring_free(&env_sender);
    return (ret);
}
