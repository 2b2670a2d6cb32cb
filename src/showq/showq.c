/*++
/* NAME
/*	showq 8
/* SUMMARY
/*	dromos queue listing and flush service
/* SYNOPSIS
/*	showq [generic daemon options]
/* DESCRIPTION
/*	showq lists the mail queue for dromqueue(1) (and so for mailq and
/*	sendmail -bp), and passes its flush requests to qmgr(8), so that
/*	a user who may not read the spool can still see and flush it.
/*	master runs it from this master.cf line; its socket is
/*	public/showq, which any local user may reach:
/*
/* .nf
/*	showq  unix  n  -  -  -  -  showq
/* .fi
/*
/*	The protocol is described in showq_proto(3h). After the
/*	announcement {protocol = "showq", version = 1} the client sends
/*	one request:
/* .IP list
/*	One answer per queued message in maildrop/, incoming/, active/,
/*	deferred/ and hold/ (in that order): queue name, queue ID,
/*	arrival time, size of the content, whether it was expired by
/*	force (the forced_expire=1 attribute), the sender, and the
/*	recipients still to be delivered, each with its last deferral
/*	reason when qmgr recorded one in reason/ (dsn_log(3h)).
/*	Maildrop files are checked as pickup(8) checks them
/*	(maildrop(3h)); they have no delivery state yet. A file that does
/*	not read as a queue file is skipped with a warning in the log;
/*	files that are still being written (without the ready bit) are
/*	not listed.
/* .IP flush
/*	Without arguments qmgr is asked to try every deferred message now
/*	(the "F" trigger). With queue_id, that message, when it is
/*	deferred, is moved back to incoming/ and qmgr is told to take it
/*	("A" and the ID). With site, every deferred message that has a
/*	recipient still to do in that domain is moved so.
/* SECURITY
/*	showq runs as $mail_owner, chrooted in the queue directory. It
/*	reads queue files and answers; the only change it makes is to
/*	move a deferred file back to incoming/. Requests are read with
/*	the attribute protocol's bounds; a queue ID is checked for its
/*	syntax before it names a file.
/* DIAGNOSTICS
/*	Warnings for unreadable and corrupt files.
/* CONFIGURATION PARAMETERS
/* .IP ipc_timeout
/*	How long a client may take.
/* FILES
/*	$queue_directory/public/showq, the service socket.
/*	$queue_directory/reason, the last deferral reasons.
/* SEE ALSO
/*	dromqueue(1), the client; qmgr(8), the scheduler.
/*--*/
#include <sys/types.h>
#include <sys/stat.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <argv.h>
#include <msg.h>
#include <vstream.h>
#include <vstring.h>

#include <attr.h>
#include <dsn_log.h>
#include <mail_params.h>
#include <mail_server.h>
#include <mail_trigger.h>
#include <maildrop.h>
#include <qfile.h>
#include <rec.h>
#include <showq_proto.h>

#define SHOWQ_MAILDROP	"maildrop"
#define SHOWQ_QMGR	"private/qmgr"

 /*
  * One listed message.
  */
struct showq_msg {
    const char *queue;
    const char *id;
    long    arrival;
    long    size;
    int     expire;
    const char *sender;
    struct argv *rcpts;			/* still to do */
};

/* showq_reason - the last deferral reason of a recipient, or "" */

static const char *showq_reason(struct dsn_entry *list, size_t count,
				        const char *rcpt)
{
    size_t  i;

    for (i = count; i > 0; i--)
	if (list[i - 1].rcpt && strcmp(list[i - 1].rcpt, rcpt) == 0)
	    return (list[i - 1].reason ? list[i - 1].reason : "");
    return ("");
}

/* showq_send - one message and its recipients */

static int showq_send(struct vstream *stream, const struct showq_msg *m)
{
    struct dsn_entry *list = 0;
    size_t  count = 0;
    struct vstring *why = vstring_alloc(100);
    size_t  i;
    int     ret;

    if (strcmp(m->queue, SHOWQ_MAILDROP) != 0
	&& dsn_log_read(QFILE_REASON, m->id, &list, &count, why) < 0) {
	msg_warn("%s: reason log: %s", m->id, vstring_str(why));
	list = 0;
	count = 0;
    }
    ret = attr_print(stream, ATTR_FLAG_MORE,
		     ATTR_TYPE_STR, SHOWQ_ATTR_TYPE, SHOWQ_TYPE_MESSAGE,
		     ATTR_TYPE_STR, ATTR_QUEUE_NAME, m->queue,
		     ATTR_TYPE_STR, ATTR_QUEUE_ID, m->id,
		     ATTR_TYPE_INT, ATTR_ARRIVAL, m->arrival,
		     ATTR_TYPE_INT, SHOWQ_ATTR_SIZE, m->size,
		     ATTR_TYPE_INT, SHOWQ_ATTR_EXPIRE, (long) m->expire,
		     ATTR_TYPE_STR, ATTR_SENDER, m->sender,
		     ATTR_TYPE_INT, ATTR_COUNT, (long) m->rcpts->argc,
		     ATTR_TYPE_END);
    for (i = 0; ret >= 0 && i < m->rcpts->argc; i++)
	ret = attr_print(stream, ATTR_FLAG_MORE,
			 ATTR_TYPE_STR, SHOWQ_ATTR_TYPE, SHOWQ_TYPE_RCPT,
			 ATTR_TYPE_STR, ATTR_RECIPIENT, m->rcpts->argv[i],
			 ATTR_TYPE_STR, ATTR_REASON,
			 showq_reason(list, count, m->rcpts->argv[i]),
			 ATTR_TYPE_END);
    if (list)
	dsn_log_free(list, count);
    vstring_free(&why);
    return (ret);
}

/* showq_maildrop_file - read a maildrop file; -1 when corrupt */

static int showq_maildrop_file(int fd, struct vstring *sender,
			               struct argv *rcpts, struct vstring *why)
{
    struct vstream *in = vstream_fdopen(fd, 0);
    struct vstring *buf = vstring_alloc(100);
    struct maildrop_check check;
    int     type;
    int     st = MAILDROP_CHECK_MORE;

    maildrop_check_init(&check, MAILDROP_FILE, 0);
    while (st == MAILDROP_CHECK_MORE) {
	if ((type = rec_get(in, buf, REC_CONT_MAX)) <= 0) {
	    vstring_strcpy(why, "truncated or unreadable");
	    st = MAILDROP_CHECK_ERROR;
	    break;
	}
	st = maildrop_check_rec(&check, type, vstring_str(buf),
				vstring_len(buf), why);
	if (st < 0)
	    break;
	if (type == REC_TYPE_FROM)
	    vstring_strcpy(sender, vstring_str(buf));
	else if (type == REC_TYPE_RCPT)
	    argv_add(rcpts, vstring_str(buf), (char *) 0);
    }
    (void) vstream_close(&in);
    vstring_free(&buf);
    return (st == MAILDROP_CHECK_DONE ? 0 : -1);
}

/* showq_file - list one file; -1 when the client went away */

static int showq_file(struct vstream *stream, const char *queue,
		              const char *path, const char *id)
{
    struct qfile_info info;
    struct showq_msg m;
    struct stat st;
    struct vstring *why = vstring_alloc(100);
    struct vstring *sender = vstring_alloc(100);
    const char *expire;
    size_t  i;
    int     fd;
    int     ret = 0;
    int     ok;

    memset(&info, 0, sizeof(info));
    if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) < 0 || fstat(fd, &st) < 0
	|| !S_ISREG(st.st_mode)) {
	if (fd >= 0)
	    (void) close(fd);
	else if (errno != ENOENT)		/* not just gone meanwhile */
	    msg_warn("%s: open %s: %m", id, path);
	vstring_free(&why);
	vstring_free(&sender);
	return (0);
    }
    m.queue = queue;
    m.id = id;
    m.rcpts = argv_alloc(2);
    m.expire = 0;
    if (strcmp(queue, SHOWQ_MAILDROP) == 0) {
	m.arrival = (long) st.st_mtime;
	m.size = (long) st.st_size;
	ok = showq_maildrop_file(fd, sender, m.rcpts, why) == 0;
	fd = -1;
	m.sender = vstring_str(sender);
    } else if ((st.st_mode & S_IXUSR) == 0) {
	ok = -1;				/* still being written */
    } else if ((ok = (qfile_read_envelope(fd, &info, why) == 0)) != 0) {
	m.arrival = info.arrival_sec;
	m.size = (long) info.content_size;
	m.sender = info.sender;
	expire = qfile_attr(&info, "forced_expire");
	m.expire = expire != 0 && strcmp(expire, "1") == 0;
	for (i = 0; i < info.rcpt_count; i++)
	    if (info.rcpts[i].state == REC_RCPT_TODO)
		argv_add(m.rcpts, info.rcpts[i].address, (char *) 0);
    }
    if (fd >= 0)
	(void) close(fd);
    if (ok == 0)
	msg_warn("%s: %s file not listed: %s", id, queue, vstring_str(why));
    else if (ok > 0)
	ret = showq_send(stream, &m);
    if (info.sender)
	qfile_info_free(&info);
    argv_free(&m.rcpts);
    vstring_free(&why);
    vstring_free(&sender);
    return (ret);
}

/* showq_cmp - qsort order of names */

static int showq_cmp(const void *a, const void *b)
{
    return (strcmp(*(char *const *) a, *(char *const *) b));
}

/* showq_scan_dir - list the files of one folder */

static int showq_scan_dir(struct vstream *stream, const char *queue,
			          const char *dirname)
{
    struct vstring *path = vstring_alloc(100);
    struct argv *names = argv_alloc(10);
    struct dirent *de;
    DIR    *dir;
    size_t  i;
    int     ret = 0;

    if ((dir = opendir(dirname)) == 0) {
	vstring_free(&path);
	argv_free(&names);
	return (0);
    }
    while ((de = readdir(dir)) != 0)
	if (strcmp(queue, SHOWQ_MAILDROP) == 0 ?
	    maildrop_name_valid(de->d_name) : qfile_id_valid(de->d_name))
	    argv_add(names, de->d_name, (char *) 0);
    (void) closedir(dir);
    qsort(names->argv, names->argc, sizeof(char *), showq_cmp);
    for (i = 0; ret >= 0 && i < names->argc; i++) {
	vstring_sprintf(path, "%s/%s", dirname, names->argv[i]);
	ret = showq_file(stream, queue, vstring_str(path), names->argv[i]);
    }
    argv_free(&names);
    vstring_free(&path);
    return (ret);
}

/* showq_list - the whole queue */

static int showq_list(struct vstream *stream)
{
    static const char *queues[] = {
	QFILE_INCOMING, QFILE_ACTIVE, QFILE_DEFERRED, QFILE_HOLD, 0,
    };
    const char **qp;
    struct vstring *dir = vstring_alloc(32);
    int     ret;
    int     x;

    ret = showq_scan_dir(stream, SHOWQ_MAILDROP, SHOWQ_MAILDROP);
    for (qp = queues; ret >= 0 && *qp; qp++) {
	for (x = 0; ret >= 0 && x < 16; x++) {
	    vstring_sprintf(dir, "%s/%X", *qp, x);
	    ret = showq_scan_dir(stream, *qp, vstring_str(dir));
	}
    }
    vstring_free(&dir);
    if (ret < 0)
	return (ret);
    return (attr_print(stream, ATTR_FLAG_NONE,
		       ATTR_TYPE_STR, SHOWQ_ATTR_TYPE, SHOWQ_TYPE_END,
		       ATTR_TYPE_END));
}

/* showq_has_site - a recipient still to do at site */

static int showq_has_site(const char *id, const char *site)
{
    struct qfile_info info;
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    const char *at;
    size_t  i;
    int     found = 0;
    int     fd;

    memset(&info, 0, sizeof(info));
    qfile_path(path, QFILE_DEFERRED, id);
    if ((fd = open(vstring_str(path), O_RDONLY | O_NOFOLLOW)) >= 0) {
	if (qfile_read_envelope(fd, &info, why) == 0) {
	    for (i = 0; !found && i < info.rcpt_count; i++)
		found = info.rcpts[i].state == REC_RCPT_TODO
		    && (at = strrchr(info.rcpts[i].address, '@')) != 0
		    && strcasecmp(at + 1, site) == 0;
	    qfile_info_free(&info);
	}
	(void) close(fd);
    }
    vstring_free(&path);
    vstring_free(&why);
    return (found);
}

/* showq_kick - move one deferred message to incoming and tell qmgr */

static int showq_kick(const char *id, struct vstring *why)
{
    struct vstring *trigger;
    int     ret;

    if (qfile_move(QFILE_DEFERRED, QFILE_INCOMING, id, why) < 0)
	return (-1);
    trigger = vstring_alloc(50);
    vstring_sprintf(trigger, "A%s", id);
    ret = mail_trigger(SHOWQ_QMGR, vstring_str(trigger),
		       vstring_len(trigger), why);
    vstring_free(&trigger);
    msg_info("%s: flushed on request", id);
    return (ret);
}

/* showq_flush_site - kick the deferred messages for one domain */

static int showq_flush_site(const char *site, struct vstring *why)
{
    struct vstring *dir = vstring_alloc(32);
    struct argv *ids = argv_alloc(10);
    struct dirent *de;
    DIR    *dp;
    size_t  i;
    int     x;
    int     ret = 0;

    for (x = 0; x < 16; x++) {
	vstring_sprintf(dir, "%s/%X", QFILE_DEFERRED, x);
	if ((dp = opendir(vstring_str(dir))) == 0)
	    continue;
	while ((de = readdir(dp)) != 0)
	    if (qfile_id_valid(de->d_name))
		argv_add(ids, de->d_name, (char *) 0);
	(void) closedir(dp);
    }
    for (i = 0; i < ids->argc; i++)
	if (showq_has_site(ids->argv[i], site)
	    && showq_kick(ids->argv[i], why) < 0)
	    ret = -1;
    argv_free(&ids);
    vstring_free(&dir);
    return (ret);
}

/* showq_flush - one flush request */

static int showq_flush(struct vstream *stream, const char *id,
		               const char *site)
{
    struct vstring *why = vstring_alloc(100);
    int     ret;

    if (*id) {
	if (!qfile_id_valid(id)) {
	    vstring_strcpy(why, "malformed queue ID");
	    ret = -1;
	} else if ((ret = showq_kick(id, why)) < 0)
	    vstring_sprintf(why, "%s: not in the deferred queue", id);
    } else if (*site) {
	ret = showq_flush_site(site, why);
    } else {
	ret = mail_trigger(SHOWQ_QMGR, "F", 1, why);
    }
    ret = attr_print(stream, ATTR_FLAG_NONE,
		     ATTR_TYPE_INT, ATTR_STATUS, (long) (ret < 0 ? -1 : 0),
		     ATTR_TYPE_STR, ATTR_REASON, ret < 0 ? vstring_str(why) : "",
		     ATTR_TYPE_END);
    vstring_free(&why);
    return (ret);
}

/* showq_service - one client */

static void showq_service(struct vstream *stream, const char *service,
			          char **argv)
{
    struct vstring *request = vstring_alloc(20);
    struct vstring *id = vstring_alloc(40);
    struct vstring *site = vstring_alloc(100);

    (void) service;
    (void) argv;
    if (attr_send_protocol(stream, SHOWQ_PROTOCOL, SHOWQ_VERSION) < 0) {
	/* the client went away */
    } else if (attr_scan(stream, ATTR_FLAG_NONE,
			 ATTR_TYPE_STR, ATTR_REQUEST, request,
			 ATTR_TYPE_STR, ATTR_QUEUE_ID, id,
			 ATTR_TYPE_STR, SHOWQ_ATTR_SITE, site,
			 ATTR_TYPE_END) < 0) {
	if (strstr(attr_error(), "end of input") == 0)
	    msg_warn("bad request: %s", attr_error());
    } else if (strcmp(vstring_str(request), SHOWQ_REQ_LIST) == 0) {
	(void) showq_list(stream);
    } else if (strcmp(vstring_str(request), SHOWQ_REQ_FLUSH) == 0) {
	(void) showq_flush(stream, vstring_str(id), vstring_str(site));
    } else {
	msg_warn("unknown request \"%.100s\"", vstring_str(request));
    }
    vstring_free(&request);
    vstring_free(&id);
    vstring_free(&site);
}

int     main(int argc, char **argv)
{
    single_server_main(argc, argv, showq_service, MAIL_SERVER_END);
}
