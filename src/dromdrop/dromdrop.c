/*++
/* NAME
/*	dromdrop 1
/* SUMMARY
/*	put a local submission into the maildrop queue
/* SYNOPSIS
/*	dromdrop [-c config_dir] [-v]
/* DESCRIPTION
/*	dromdrop is the one set-group-ID program of dromos (group
/*	$setgid_group). sendmail(1) runs it and writes the submission on
/*	its standard input as records (maildrop(3)): attributes, the
/*	envelope sender, the recipients with their DSN requests, the
/*	content. dromdrop checks every record as it arrives and copies it
/*	into a new file in $queue_directory/maildrop, a folder of mode
/*	0730 (owner $mail_owner, group $setgid_group): users can add files
/*	there only through dromdrop, and cannot list or read what others
/*	submitted.
/*
/*	The file begins with a magic record, the time and the real user
/*	ID of the caller ("uid=N"), which only dromdrop writes. While it
/*	is written its mode is 0600; when the submission is complete and
/*	valid dromdrop gives it mode 0744 (the owner-execute bit means
/*	"ready", and pickup(8), which runs as $mail_owner, may then read
/*	it), names it by a queue ID, fsyncs the file and the folder (a
/*	caller other than root cannot open the folder, whose group has no
/*	read permission: then syncfs(2) makes the file system durable, the
/*	new name included), and
/*	only then exits with status 0: a submission that sendmail reports
/*	as done survives a crash. It then wakes pickup with a datagram on
/*	public/pickup (a lost trigger only delays: pickup also looks on
/*	its own timer). Anything else removes the partial file.
/*
/*	The envelope sender is checked against $local_login_sender_maps
/*	(login_sender(3)) before anything is accepted; the real login is
/*	what the maillog shows for the submission.
/*
/*	Options:
/* .IP "-c config_dir"
/*	Read main.cf from config_dir (also $MAIL_CONFIG). For a caller
/*	other than root, dromdrop accepts a configuration other than the
/*	built-in one only when the folder and its main.cf belong to root
/*	and neither is writable by group or others: an ordinary user
/*	cannot point it at a queue of their own making.
/* .IP -v
/*	More logging.
/* SECURITY
/*	Runs with the caller's user ID and the group $setgid_group. The
/*	environment is cleared (TZ kept) after the configuration folder is
/*	known; the umask is 077. Every record is bounded (REC_CONT_MAX
/*	bytes) and checked against the grammar before it is written;
/*	attributes other than full_name, dsn_envid and dsn_ret are
/*	refused; content over $message_size_limit is refused.
/* DIAGNOSTICS
/*	Problems go to standard error and to the mail log; the exit status
/*	follows sysexits.h: 0 submitted, 64 bad usage, 65 malformed or too
/*	large submission, 67 the sender is not allowed, 75 a temporary
/*	problem (no queue, a table that cannot be read: try again), 77
/*	a configuration that a non-root caller may not use.
/* CONFIGURATION PARAMETERS
/* .IP queue_directory
/*	Where maildrop/ is.
/* .IP message_size_limit
/*	The largest content accepted.
/* .IP local_login_sender_maps
/*	Which senders each login may use.
/* .IP "maillog_file, syslog_name, syslog_facility"
/*	Logging.
/* FILES
/*	$queue_directory/maildrop/ID, the submission.
/*	$queue_directory/public/pickup, pickup's trigger socket.
/* SEE ALSO
/*	sendmail(1), pickup(8), maildrop(3)
/*--*/
#include <sys/stat.h>
#include <sys/time.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <login_sender.h>
#include <mail_conf.h>
#include <mail_log.h>
#include <mail_params.h>
#include <mail_trigger.h>
#include <maildrop.h>
#include <qfile.h>
#include <rec.h>

#define DROMDROP_FOLDER		"maildrop"
#define DROMDROP_TRIGGER	"public/pickup"

static struct vstring *dromdrop_tmp;	/* partial file, removed on exit */

#ifdef __SANITIZE_ADDRESS__

 /*
  * Sanitizer builds only (tests): LeakSanitizer cannot stop a set-gid
  * process at exit (it may not be traced), so it checks only when the
  * program runs without its set-gid bit (tests/submit runs such a copy).
  */
extern const char *__lsan_default_options(void);

const char *__lsan_default_options(void)
{
    return (getegid() != getgid() ? "detect_leaks=0" : "");
}

#endif

/* dromdrop_cleanup - msg_fatal() hook: no partial file stays */

static void dromdrop_cleanup(void)
{
    if (dromdrop_tmp && *vstring_str(dromdrop_tmp))
	(void) unlink(vstring_str(dromdrop_tmp));
}

static void dromdrop_sig(int sig)
{
    dromdrop_cleanup();
    _exit(EX_TEMPFAIL);
}

/* dromdrop_trusted - may a non-root caller use this configuration? */

static void dromdrop_trusted(const char *dir)
{
    struct stat st;
    struct vstring *path;

    if (getuid() == 0 || strcmp(dir, DEF_CONFIG_DIR) == 0)
	return;
    path = vstring_alloc(100);
    msg_fatal_status(EX_NOPERM);
    if (stat(dir, &st) < 0 || st.st_uid != 0 || (st.st_mode & 022))
	msg_fatal("configuration %s: only root may use a folder that is not "
		  "root's, or writable by others", dir);
    vstring_sprintf(path, "%s/main.cf", dir);
    if (stat(vstring_str(path), &st) < 0 || st.st_uid != 0
	|| (st.st_mode & 022))
	msg_fatal("configuration %s: only root may use a main.cf that is not "
		  "root's, or writable by others", vstring_str(path));
    vstring_free(&path);
}

/* dromdrop_environ - a clean environment for a set-gid program */

static void dromdrop_environ(void)
{
    const char *tz = getenv("TZ");
    char   *keep = tz ? mystrdup(tz) : 0;

    if (clearenv() != 0)
	msg_fatal("clearenv failed");
    if (keep) {
	if (setenv("TZ", keep, 1) < 0)
	    msg_fatal("setenv TZ: %m");
	myfree(keep);
    }
}

/* dromdrop_login - the real user's name, for the log and the table */

static char *dromdrop_login(uid_t uid)
{
    struct passwd *pw = getpwuid(uid);
    struct vstring *buf;

    if (pw)
	return (mystrdup(pw->pw_name));
    buf = vstring_alloc(20);
    vstring_sprintf(buf, "uid%ld", (long) uid);
    return (vstring_export(&buf));
}

/* dromdrop_put - one record into the file, or fatal */

static void dromdrop_put(struct vstream *out, int type, const char *data,
			         size_t len)
{
    if (rec_put(out, type, data, len) < 0)
	msg_fatal("write %s: %m", vstring_str(dromdrop_tmp));
}

int     main(int argc, char **argv)
{
    const char *config_dir;
    struct vstring *why;
    struct vstring *buf;
    struct vstring *id;
    struct vstring *final;
    struct vstring *sender;
    struct vstream *out;
    struct vstream *in;
    struct maildrop_check check;
    struct timeval tv;
    struct stat st;
    char   *login;
    uid_t   uid = getuid();
    int     fd;
    int     type;
    int     status;
    int     ch;
    int     dirfd;

    /* Standard descriptors exist, so that no file we open becomes one. */
    for (fd = 0; fd < 3; fd++)
	if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
	    _exit(EX_OSERR);
    umask(077);
    msg_init(argv[0]);
    msg_stderr_init(1, 0);
    msg_fatal_status(EX_USAGE);
    if ((config_dir = getenv("MAIL_CONFIG")) == 0 || *config_dir == 0)
	config_dir = DEF_CONFIG_DIR;
    while ((ch = getopt(argc, argv, "c:v")) != -1) {
	switch (ch) {
	case 'c':
	    config_dir = optarg;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	default:
	    msg_fatal("usage: %s [-c config_dir] [-v] < records", argv[0]);
	}
    }
    if (optind != argc)
	msg_fatal("usage: %s [-c config_dir] [-v] < records", argv[0]);
    config_dir = mystrdup(config_dir);
    dromdrop_trusted(config_dir);
    dromdrop_environ();

    why = vstring_alloc(100);
    msg_fatal_status(EX_TEMPFAIL);
    if (mail_conf_read(config_dir, why) < 0 || mail_conf_eval(why) < 0)
	msg_fatal("%s", vstring_str(why));
    if (mail_log_open(var_queue_dir, why) == MAIL_LOG_FALLBACK)
	msg_warn("%s", vstring_str(why));
    if (chdir(var_queue_dir) < 0)
	msg_fatal("chdir %s: %m", var_queue_dir);
    login = dromdrop_login(uid);

    /* The partial file: removed by any exit but success. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, dromdrop_sig);
    signal(SIGINT, dromdrop_sig);
    signal(SIGTERM, dromdrop_sig);
    signal(SIGXFSZ, SIG_IGN);
    msg_cleanup(dromdrop_cleanup);
    dromdrop_tmp = vstring_alloc(100);
    gettimeofday(&tv, (struct timezone *) 0);
    vstring_sprintf(dromdrop_tmp, "%s/tmp.%ld.%ld.%06ld", DROMDROP_FOLDER,
		    (long) getpid(), (long) tv.tv_sec, (long) tv.tv_usec);
    if ((fd = open(vstring_str(dromdrop_tmp), O_CREAT | O_EXCL | O_WRONLY
		   | O_CLOEXEC, 0600)) < 0) {
	buf = dromdrop_tmp;
	dromdrop_tmp = 0;
	msg_fatal("create %s/%s: %m", var_queue_dir, vstring_str(buf));
    }
    out = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    in = vstream_fdopen(0, 0);
    buf = vstring_alloc(1024);
    vstring_sprintf(buf, "%ld.%06ld", (long) tv.tv_sec, (long) tv.tv_usec);
    dromdrop_put(out, REC_TYPE_MAGIC, MAILDROP_MAGIC_TEXT,
		 strlen(MAILDROP_MAGIC_TEXT));
    dromdrop_put(out, REC_TYPE_TIME, vstring_str(buf), vstring_len(buf));
    vstring_sprintf(buf, "uid=%ld", (long) uid);
    dromdrop_put(out, REC_TYPE_ATTR, vstring_str(buf), vstring_len(buf));

    /* Check each record before it is written. */
    sender = vstring_alloc(100);
    maildrop_check_init(&check, MAILDROP_FROM_CLIENT, var_message_limit);
    for (status = MAILDROP_CHECK_MORE; status == MAILDROP_CHECK_MORE; /* */ ) {
	type = rec_get(in, buf, REC_CONT_MAX);
	if (type < 0) {
	    msg_fatal_status(EX_DATAERR);
	    msg_fatal("uid=%ld: %s: submission %s", (long) uid, login,
		      type == REC_ERR_EOF ? "ends early (no end record)" :
		      type == REC_ERR_TOOLONG ? "has an over-long record" :
		      type == REC_ERR_TRUNC ? "ends inside a record" :
		      "could not be read");
	}
	status = maildrop_check_rec(&check, type, vstring_str(buf),
				    vstring_len(buf), why);
	if (status == MAILDROP_CHECK_ERROR) {
	    msg_fatal_status(EX_DATAERR);
	    msg_fatal("uid=%ld: %s: malformed submission: %s", (long) uid,
		      login, vstring_str(why));
	}
	if (status == MAILDROP_CHECK_SIZE) {
	    msg_fatal_status(EX_DATAERR);
	    msg_fatal("uid=%ld: %s: %s", (long) uid, login, vstring_str(why));
	}
	if (type == REC_TYPE_FROM) {
	    vstring_memcpy(sender, vstring_str(buf), vstring_len(buf));
	    switch (login_sender_ok(login, (long) uid, vstring_str(sender), why)) {
	    case LOGIN_SENDER_OK:
		break;
	    case LOGIN_SENDER_REFUSED:
		msg_fatal_status(EX_NOUSER);
		msg_fatal("uid=%ld: %s", (long) uid, vstring_str(why));
	    default:
		msg_fatal("uid=%ld: %s (try again later)", (long) uid,
			  vstring_str(why));
	    }
	}
	dromdrop_put(out, type, vstring_str(buf), vstring_len(buf));
    }
    if (vstream_getc(in) != -1) {
	msg_fatal_status(EX_DATAERR);
	msg_fatal("uid=%ld: %s: data after the end of the submission",
		  (long) uid, login);
    }

    /* Durable before success: file, name, folder. */
    if (vstream_flush(out) != 0 || fstat(fd, &st) < 0
	|| fchmod(fd, 0744) < 0 || fsync(fd) < 0)
	msg_fatal("write %s: %m", vstring_str(dromdrop_tmp));
    id = vstring_alloc(40);
    final = vstring_alloc(100);
    qfile_new_id(id, st.st_ino);
    vstring_sprintf(final, "%s/%s", DROMDROP_FOLDER, vstring_str(id));
    if (rename(vstring_str(dromdrop_tmp), vstring_str(final)) < 0)
	msg_fatal("rename %s to %s: %m", vstring_str(dromdrop_tmp),
		  vstring_str(final));
    vstring_strcpy(dromdrop_tmp, "");

    /*
     * The new name must be on disk too. maildrop/ is not readable for
     * the group (users may not list it), so only root can open it to
     * fsync it; for anyone else syncfs() on the file makes the whole
     * file system, this name included, durable.
     */
    if ((dirfd = open(DROMDROP_FOLDER, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
	if (fsync(dirfd) < 0) {
	    (void) unlink(vstring_str(final));
	    msg_fatal("fsync %s: %m", DROMDROP_FOLDER);
	}
	(void) close(dirfd);
    } else if (syncfs(fd) < 0) {
	(void) unlink(vstring_str(final));
	msg_fatal("syncfs %s: %m", vstring_str(final));
    }
    if (vstream_close(&out) != 0)
	msg_warn("close %s: %m", vstring_str(final));

    /* Logged without stderr: a successful sendmail is silent. */
    msg_stderr_init(0, 0);
    msg_info("%s: uid=%ld login=%s from=<%s> size=%ld nrcpt=%ld (maildrop)",
	     vstring_str(id), (long) uid, login, vstring_str(sender),
	     (long) check.size, check.rcpts);
    if (mail_trigger(DROMDROP_TRIGGER, "W", 1, why) < 0)
	msg_warn("%s: %s (pickup will find the file on its next scan)",
		 vstring_str(id), vstring_str(why));
    (void) vstream_close(&in);
    vstring_free(&why);
    vstring_free(&buf);
    vstring_free(&id);
    vstring_free(&final);
    vstring_free(&sender);
    vstring_free(&dromdrop_tmp);
    myfree(login);
    myfree((void *) config_dir);
    return (0);
}
