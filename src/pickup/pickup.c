/*++
/* NAME
/*	pickup 8
/* SUMMARY
/*	pass local submissions from maildrop/ to cleanup
/* SYNOPSIS
/*	pickup [generic daemon options]
/* DESCRIPTION
/*	pickup takes the files that dromdrop(1) leaves in
/*	$queue_directory/maildrop (local submissions through sendmail(1))
/*	and hands each one to cleanup(8), which makes the queue file.
/*	master runs one pickup process from this master.cf line (a
/*	datagram socket public/pickup, woken by dromdrop and every 60
/*	seconds):
/*
/* .nf
/*	pickup    unix-dgram  n  -  -  60  1  pickup
/* .fi
/*
/*	For each file whose name is a queue ID: a file without the ready
/*	bit (mode 0744; dromdrop sets it last) is still being written and
/*	is left alone, unless it is older than an hour (an abandoned
/*	submission), when it is removed and logged. A ready file is read
/*	in full and checked against the maildrop grammar (maildrop(3))
/*	before anything is sent: a forged or damaged file (a bad record,
/*	a truncated file, a "uid" attribute that is not the file owner's
/*	user ID, a file that is not a regular file) is moved to corrupt/
/*	and logged, and nothing from it is delivered:
/*
/* .nf
/*	pickup[812]: warning: 06B0...: corrupt maildrop file moved to corrupt: record 4 (recipient): control character in address
/* .fi
/*
/*	A good file goes to cleanup as attributes (uid, full_name,
/*	dsn_envid, dsn_ret), the sender, the recipients with their DSN
/*	requests and the content; when cleanup has made the queue file
/*	durable the maildrop file is removed and pickup logs, like
/*	Postfix:
/*
/* .nf
/*	pickup[812]: 06B2...: uid=1000 from=<alice>
/* .fi
/*
/*	(the new queue ID; the submitter's user ID, which the file's owner
/*	proves). When cleanup refuses the message for good (it is larger
/*	than $message_size_limit now, or has too many Received: headers)
/*	the file is moved to corrupt/ with the reason; when cleanup is
/*	unavailable the file stays and is tried again on the next scan.
/* SECURITY
/*	Runs as $mail_owner, chrooted in the queue directory (master.cf
/*	defaults). It trusts nothing in a maildrop file: every record is
/*	bounded and checked before the first byte goes to cleanup, and
/*	the user ID comes from the file's owner (only dromdrop, which
/*	runs as the submitting user, can make files there). It opens
/*	files with O_NOFOLLOW and checks that they are regular files.
/* CONFIGURATION PARAMETERS
/* .IP queue_directory
/*	Where maildrop/ and corrupt/ are.
/* .IP ipc_timeout
/*	How long cleanup may take to answer.
/* FILES
/*	$queue_directory/maildrop, local submissions.
/*	$queue_directory/public/pickup, the trigger socket.
/* SEE ALSO
/*	sendmail(1), dromdrop(1), cleanup(8), maildrop(3)
/*--*/
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <vstream.h>
#include <vstring.h>

#include <cleanup_clnt.h>
#include <mail_params.h>
#include <maildrop.h>
#include <qfile.h>
#include <rec.h>

#include <mail_server.h>

#define PICKUP_FOLDER		"maildrop"
#define PICKUP_ABANDON_AGE	3600	/* unready older than this: gone */
#define PICKUP_BATCH_MAX	1000	/* files a scan takes at most */

/* pickup_path - maildrop/NAME */

static const char *pickup_path(struct vstring *buf, const char *name)
{
    vstring_sprintf(buf, "%s/%s", PICKUP_FOLDER, name);
    return (vstring_str(buf));
}

/* pickup_corrupt - out of the way, with the reason in the log */

static void pickup_corrupt(const char *name, const char *reason)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *from = vstring_alloc(100);
    struct vstring *to = vstring_alloc(100);

    if (qfile_folder_for(QFILE_CORRUPT, name, why) < 0) {
	msg_warn("%s: corrupt maildrop file (%s) stays in %s: %s", name,
		 reason, PICKUP_FOLDER, vstring_str(why));
    } else if (rename(pickup_path(from, name),
		      qfile_path(to, QFILE_CORRUPT, name)) < 0) {
	msg_warn("%s: corrupt maildrop file (%s) stays in %s: rename: %m",
		 name, reason, PICKUP_FOLDER);
    } else {
	msg_warn("%s: corrupt maildrop file moved to %s: %s", name,
		 QFILE_CORRUPT, reason);
    }
    vstring_free(&why);
    vstring_free(&from);
    vstring_free(&to);
}

/* pickup_send - copy the checked file to cleanup; the status */

static int pickup_send(struct vstream *in, const char *name,
		               struct vstring *queue_id, struct vstring *sender,
		               struct vstring *why)
{
    struct cleanup_clnt *c;
    struct vstream *out;
    struct vstring *buf;
    int     type;
    int     status;

    if ((c = cleanup_clnt_open(why)) == 0)
	return (-1);
    if (cleanup_clnt_begin(c, CLEANUP_FLAG_NONE, queue_id, why) != 0) {
	cleanup_clnt_close(&c);
	return (-1);
    }
    out = cleanup_clnt_stream(c);
    buf = vstring_alloc(1024);
    status = 0;
    /* The file passed the check: V, T, then what cleanup takes. */
    while (status == 0 && (type = rec_get(in, buf, REC_CONT_MAX)) > 0) {
	if (type == REC_TYPE_MAGIC || type == REC_TYPE_TIME)
	    continue;
	if (type == REC_TYPE_FROM)
	    vstring_memcpy(sender, vstring_str(buf), vstring_len(buf));
	if (rec_put(out, type, vstring_str(buf), vstring_len(buf)) < 0)
	    status = -1;
	if (type == REC_TYPE_ATTR && strncmp(vstring_str(buf), "uid=", 4) == 0
	    && rec_fputs(out, REC_TYPE_ATTR, "protocol=local") < 0)
	    status = -1;
	if (type == REC_TYPE_END)
	    break;
    }
    vstring_free(&buf);
    if (status < 0) {
	vstring_sprintf(why, "send %s to cleanup: %m", name);
	cleanup_clnt_close(&c);
	return (-1);
    }
    status = cleanup_clnt_finish(c, why);
    cleanup_clnt_close(&c);
    return (status);
}

/* pickup_file - one maildrop file */

static void pickup_file(const char *name, time_t now)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct vstring *queue_id = vstring_alloc(40);
    struct vstring *sender = vstring_alloc(100);
    struct maildrop_check check;
    struct vstream *in;
    struct stat st;
    struct stat fst;
    int     fd;
    int     status;

    if (lstat(pickup_path(path, name), &st) < 0)
	goto out;				/* gone: fine */
    if (!S_ISREG(st.st_mode)) {
	pickup_corrupt(name, "not a regular file");
	goto out;
    }
    if ((st.st_mode & S_IXUSR) == 0) {
	if (now - st.st_mtime > PICKUP_ABANDON_AGE) {
	    if (unlink(vstring_str(path)) == 0)
		msg_warn("%s: abandoned incomplete submission of uid %ld "
			 "removed", name, (long) st.st_uid);
	}
	goto out;
    }
    if ((fd = open(vstring_str(path), O_RDONLY | O_NOFOLLOW | O_CLOEXEC
		   | O_NONBLOCK)) < 0) {
	msg_warn("%s: open: %m (tried again later)", vstring_str(path));
	goto out;
    }
    if (fstat(fd, &fst) < 0 || !S_ISREG(fst.st_mode)
	|| fst.st_ino != st.st_ino || fst.st_dev != st.st_dev) {
	(void) close(fd);
	goto out;				/* replaced meanwhile */
    }
    in = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    status = maildrop_check_stream(in, MAILDROP_FILE, 0, &check, why);
    if (status != MAILDROP_CHECK_DONE) {
	(void) vstream_close(&in);
	pickup_corrupt(name, vstring_str(why));
	goto out;
    }
    if (check.uid != (long) fst.st_uid) {
	(void) vstream_close(&in);
	vstring_sprintf(why, "the file says uid %ld, but it belongs to uid %ld",
			check.uid, (long) fst.st_uid);
	pickup_corrupt(name, vstring_str(why));
	goto out;
    }
    (void) vstream_close(&in);
    if ((fd = open(vstring_str(path), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
	goto out;
    in = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    if (fstat(fd, &st) < 0 || st.st_ino != fst.st_ino
	|| st.st_size != fst.st_size) {
	(void) vstream_close(&in);
	goto out;				/* changed meanwhile: next scan */
    }
    vstream_set_timeout(in, var_ipc_timeout > 0 ? (int) var_ipc_timeout : 3600);
    status = pickup_send(in, name, queue_id, sender, why);
    (void) vstream_close(&in);
    if (status == 0) {
	msg_info("%s: uid=%ld from=<%s>", vstring_str(queue_id),
		 check.uid, vstring_str(sender));
	if (unlink(vstring_str(path)) < 0)
	    msg_warn("%s: remove: %m (it may be delivered twice)",
		     vstring_str(path));
    } else if (status > 0 && (status & (CLEANUP_STAT_SIZE | CLEANUP_STAT_HOPS
					| CLEANUP_STAT_RCPT
					| CLEANUP_STAT_BAD))) {
	pickup_corrupt(name, *vstring_str(why) ? vstring_str(why) :
		       cleanup_stat_reply(status));
    } else {
	msg_warn("%s: not queued, tried again later: %s", name,
		 *vstring_str(why) ? vstring_str(why) :
		 cleanup_stat_reply(status));
    }
out:
    vstring_free(&path);
    vstring_free(&why);
    vstring_free(&queue_id);
    vstring_free(&sender);
}

/* pickup_scan - every file in maildrop/ */

static void pickup_scan(void)
{
    DIR    *dir;
    struct dirent *de;
    time_t  now = time((time_t *) 0);
    int     count = 0;
    struct vstring *path;

    if ((dir = opendir(PICKUP_FOLDER)) == 0) {
	msg_warn("open %s: %m", PICKUP_FOLDER);
	return;
    }
    path = vstring_alloc(100);
    while (count < PICKUP_BATCH_MAX && (de = readdir(dir)) != 0) {
	if (de->d_name[0] == '.')
	    continue;
	if (strncmp(de->d_name, "tmp.", 4) == 0) {
	    /* dromdrop's temporary name: abandoned when old. */
	    struct stat st;

	    if (lstat(pickup_path(path, de->d_name), &st) == 0
		&& now - st.st_mtime > PICKUP_ABANDON_AGE
		&& unlink(vstring_str(path)) == 0)
		msg_warn("%s: abandoned incomplete submission of uid %ld "
			 "removed", de->d_name, (long) st.st_uid);
	    continue;
	}
	if (!maildrop_name_valid(de->d_name)) {
	    msg_warn("%s/%s: unexpected name, left alone", PICKUP_FOLDER,
		     de->d_name);
	    continue;
	}
	pickup_file(de->d_name, now);
	count++;
    }
    (void) closedir(dir);
    vstring_free(&path);
}

/* pickup_trigger - a datagram: dromdrop or "dromos flush" */

static void pickup_trigger(const char *buf, size_t len, const char *service,
			           char **argv)
{
    (void) buf;
    (void) len;
    pickup_scan();
}

static void pickup_wakeup(const char *service, char **argv)
{
    pickup_scan();
}

static void pickup_post_init(const char *service, char **argv)
{
    pickup_scan();
}

int     main(int argc, char **argv)
{
    dgram_server_main(argc, argv, pickup_trigger,
		      MAIL_SERVER_POST_INIT, pickup_post_init,
		      MAIL_SERVER_WAKEUP, pickup_wakeup,
		      MAIL_SERVER_END);
    return (0);
}
