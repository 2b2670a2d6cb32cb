/*++
/* NAME
/*	master 8
/* SUMMARY
/*	dromos process manager
/* SYNOPSIS
/*	master [-c config_dir] [-f] [-t] [-v] [-w]
/* DESCRIPTION
/*	master is the only long-lived root process of the dromos mail
/*	system. It reads main.cf and master.cf, opens the listening socket
/*	of every service that master.cf names, and starts the service's
/*	program only when a client arrives. Normally it is started and
/*	stopped with dromos(1) ("dromos start", "dromos stop", "dromos
/*	reload").
/*
/*	Start-up, in this order: read main.cf and master.cf (any error is a
/*	one-line fatal error naming the file and line, and master does not
/*	start); detach from the terminal (unless -f); take the lock
/*	$queue_directory/pid/master.pid (a second master refuses to start:
/*	"the dromos mail system is already running (pid N)"); open every
/*	listener as root; then log through the log service when
/*	maillog_file is set (the unix-dgram service dromlog in master.cf,
/*	socket $queue_directory/public/dromlog, which master owns, so no
/*	record is lost while logd restarts), through syslog otherwise.
/*
/*	Listeners: an inet service listens on host:port, or, for a bare
/*	port, on every address in inet_interfaces that inet_protocols
/*	allows (IPv4 and IPv6 for "all"). unix and pass services listen on
/*	a stream socket $queue_directory/private/NAME (mode 0600) or
/*	public/NAME (mode 0666), unix-dgram services on a datagram socket
/*	there, fifo services on a FIFO there (mode 0600 or 0622); master
/*	makes mail_owner the owner of each.
/*
/*	Processes: while no process of a service is idle, master watches
/*	the service's listeners and starts a process when a client waits,
/*	up to the maxproc column (0: no limit, "-": default_process_limit).
/*	A process gets the arguments -c config_dir -n service -t type -s
/*	count, -u (unprivileged), -r (chroot), -o name=value for each
/*	override, -f and -v as master has them, then the arguments from
/*	master.cf; descriptor 3 is the service's status pipe and 4 and up
/*	are its listeners. Its environment holds only the variables named
/*	in import_environment and MAIL_CONFIG. The server skeleton in the
/*	process chroots, drops privileges, serves up to max_use clients and
/*	exits after max_idle idle seconds; it reports busy and idle on the
/*	status pipe, so master knows when to start another.
/*
/*	Wake-up: a unix, unix-dgram or fifo service with a wakeup time in
/*	master.cf is sent a one-byte trigger when master starts (or
/*	reloads) and then every so many seconds ("N?": only once a client
/*	used the service, and not at start). So a wake-up service such as
/*	qmgr runs from the start and can recover what a crash left.
/*
/*	Crashes: a process that is killed by a signal or exits with a
/*	non-zero status is logged ("process /path/NAME pid N killed by
/*	signal 9") and its service is throttled: no new process for
/*	service_backoff_time, twice as long after each further crash, up to
/*	service_throttle_time. Clients wait in the listen queue meanwhile.
/*	A normal exit ends the back-off sequence. When the back-off of a
/*	wake-up service ends, master sends it a trigger at once, so a
/*	crashed qmgr is back within the back-off time, not the wake-up
/*	time.
/*
/*	Signals:
/* .IP SIGHUP
/*	Reread main.cf and master.cf. When either is broken master logs
/*	the one-line error and keeps running with the configuration it has.
/*	Otherwise it closes the listeners of removed and changed services,
/*	opens new ones (a listener whose address did not change stays
/*	open), and retires the running processes: idle ones exit at once,
/*	busy ones after their client, and none takes a new client; new
/*	processes use the new configuration. qmgr finishes the deliveries
/*	it has in progress (up to a minute) while the new qmgr waits for
/*	it (qmgr(8)). It logs "reload -- version X, configuration DIR".
/* .IP "SIGTERM, SIGINT"
/*	Stop: send SIGTERM to every process (the log service last), wait a
/*	few seconds, kill what is left with SIGKILL, remove the pid file and
/*	exit with status 0, logging "terminating on signal N".
/* .PP
/*	Options:
/* .IP "-c config_dir"
/*	Read main.cf and master.cf from config_dir instead of the default
/*	(or $MAIL_CONFIG).
/* .IP -f
/*	Foreground: do not detach; log to standard error as well, and run
/*	the services with -f so that they do the same.
/* .IP -t
/*	Test: exit with status 0 when no master runs for this
/*	configuration, 1 when one does. Needs no root privileges.
/* .IP -v
/*	Verbose logging (repeatable); passed on to the services.
/* .IP -w
/*	Wait: the process that detaches waits until master serves (exit
/*	status 0) or has failed (its error on standard error, exit status
/*	1), so that "dromos start" can report the outcome.
/* SECURITY
/*	master runs as root and is never chrooted; it refuses to run as
/*	any other user. It reads only main.cf, master.cf and the password
/*	database, creates only the pid file, the sockets and FIFOs under
/*	$queue_directory/private and public, and talks to its children
/*	only through fixed-size status records on pipes it created (a
/*	child's record about another process is ignored). It never reads
/*	client data: clients wait on sockets that the unprivileged,
/*	chrooted services accept. The environment of the services is built
/*	from import_environment only.
/* DIAGNOSTICS
/*	Problems are logged through the log service or syslog, and to
/*	standard error with -f. Start-up errors (configuration, lock,
/*	listeners) are fatal, one line each, and give exit status 1.
/* BUGS
/*	A changed queue_directory takes effect only after a restart:
/*	master keeps its sockets and pid file where they were.
/*	A stream service with a wakeup time sees each trigger as a client
/*	connection that carries "W".
/* CONFIGURATION PARAMETERS
/* .IP config_directory
/*	Where main.cf and master.cf are.
/* .IP queue_directory
/*	The queue; the sockets, FIFOs and pid/master.pid are under it.
/* .IP daemon_directory
/*	Where the service programs are.
/* .IP mail_owner
/*	Owner of the sockets; the user unprivileged services run as.
/* .IP "inet_interfaces, inet_protocols"
/*	The addresses of inet services given as a bare port.
/* .IP default_process_limit
/*	maxproc when master.cf says "-".
/* .IP "service_backoff_time, service_throttle_time"
/*	The first and the longest pause after a crash.
/* .IP import_environment
/*	The environment variables passed on to services.
/* .IP "maillog_file, syslog_facility, syslog_name, myhostname"
/*	Where and how master logs.
/* .IP "max_use, max_idle"
/*	Enforced by the services themselves (override with -o).
/* FILES
/*	$config_directory/main.cf, the main configuration.
/*	$config_directory/master.cf, the services.
/*	$queue_directory/pid/master.pid, the lock file with master's pid.
/*	$queue_directory/private/, $queue_directory/public/, sockets.
/* SEE ALSO
/*	dromos(1), starts, stops and reloads master.
/*	logd(8), the log service.
/*	master.cf, the services (html/master_cf.html).
/*--*/
#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atomic_file.h>
#include <events.h>
#include <msg.h>
#include <mymalloc.h>
#include <sock.h>
#include <vstring.h>

#include <mail_conf.h>
#include <mail_params.h>
#include <master_conf.h>

#include "master.h"
#include "master_proto.h"

const char *master_config_dir;
char   *master_queue_dir;
int     master_foreground;
int     master_verbose;
char   *master_pid_file;

static struct master_ent *master_conf_list;
static int master_ready_fd = -1;

/* master_usage - say how to call master */

static void master_usage(void)
{
    msg_fatal("usage: master [-c config_dir] [-f] [-t] [-v] [-w]");
}

/* master_pid_path - $queue_directory/pid/master.pid */

static char *master_pid_path(const char *queue_dir)
{
    struct vstring *path = vstring_alloc(100);

    vstring_sprintf(path, "%s/pid/master.pid", queue_dir);
    return (vstring_export(&path));
}

/* master_test - is a master running for this configuration? */

static void master_test(void)
{
    struct vstring *why = vstring_alloc(100);
    char   *path;
    pid_t   pid = 0;
    int     ret;

    if (mail_conf_read(master_config_dir, why) < 0 || mail_conf_eval(why) < 0)
	msg_fatal("%s", vstring_str(why));
    path = master_pid_path(var_queue_dir);
    if ((ret = lock_file_pid(path, &pid, why)) < 0)
	msg_fatal("%s", vstring_str(why));
    if (msg_verbose)
	msg_info(ret ? "running (pid %ld)" : "not running", (long) pid);
    myfree(path);
    vstring_free(&why);
    exit(ret ? 1 : 0);
}

/* master_detach - become a daemon; with wait, report success to parent */

static void master_detach(int wait)
{
    int     err_pipe[2];
    int     ready_pipe[2];
    pid_t   pid;
    char    buf[1024];
    ssize_t n;
    int     devnull;

    if (wait && (pipe2(err_pipe, O_CLOEXEC) < 0
		 || pipe2(ready_pipe, O_CLOEXEC) < 0))
	msg_fatal("pipe: %m");
    if ((pid = fork()) < 0)
	msg_fatal("fork: %m");
    if (pid > 0) {
	if (!wait)
	    _exit(0);
	/* Copy master's start-up errors, then learn how it went. */
	(void) close(err_pipe[1]);
	(void) close(ready_pipe[1]);
	for (;;) {
	    if ((n = read(err_pipe[0], buf, sizeof(buf))) < 0 && errno == EINTR)
		continue;
	    if (n <= 0)
		break;
	    if (write(2, buf, (size_t) n) < 0)
		break;
	}
	while ((n = read(ready_pipe[0], buf, 1)) < 0 && errno == EINTR)
	     /* void */ ;
	_exit(n == 1 ? 0 : 1);
    }
    if (setsid() < 0)
	msg_fatal("setsid: %m");
    if ((devnull = open("/dev/null", O_RDWR)) < 0)
	msg_fatal("open /dev/null: %m");
    if (dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0)
	msg_fatal("dup2: %m");
    if (wait) {
	if (dup2(err_pipe[1], 2) < 0)
	    msg_fatal("dup2: %m");
	(void) close(err_pipe[0]);
	(void) close(err_pipe[1]);
	(void) close(ready_pipe[0]);
	master_ready_fd = ready_pipe[1];
    } else {
	if (dup2(devnull, 2) < 0)
	    msg_fatal("dup2: %m");
	msg_stderr_init(0, 0);
    }
    if (devnull > 2)
	(void) close(devnull);
}

/* master_ready - tell the waiting parent that master serves */

static void master_ready(void)
{
    int     devnull;

    if (master_ready_fd < 0)
	return;
    if (write(master_ready_fd, "R", 1) != 1) {
	/* The parent is gone; nobody waits. */
    }
    (void) close(master_ready_fd);
    master_ready_fd = -1;
    msg_stderr_init(0, 0);
    if ((devnull = open("/dev/null", O_RDWR)) >= 0) {
	(void) dup2(devnull, 2);
	if (devnull > 2)
	    (void) close(devnull);
    }
}

/* master_lock - take the pid file lock or explain who holds it */

static void master_lock(void)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *dir = vstring_alloc(100);
    pid_t   pid = 0;

    vstring_sprintf(dir, "%s/pid", master_queue_dir);
    if (mkdir(vstring_str(dir), 0755) < 0 && errno != EEXIST)
	msg_fatal("mkdir %s: %m", vstring_str(dir));
    if (lock_file_open(master_pid_file, &pid, why) < 0) {
	if (pid > 0)
	    msg_fatal("the dromos mail system is already running (pid %ld)",
		      (long) pid);
	msg_fatal("%s", vstring_str(why));
    }
    vstring_free(&dir);
    vstring_free(&why);
}

void    master_reload(void)
{
    struct vstring *why = vstring_alloc(100);
    struct master_ent *list;

    if (master_config_check(master_config_dir, why) < 0) {
	msg_error("%s", vstring_str(why));
	msg_warn("configuration not reloaded: still running with the "
		 "previous configuration");
    } else if (master_config_read(master_config_dir, &list, why) < 0) {
	msg_error("%s", vstring_str(why));
	msg_warn("configuration changed while reloading: services "
		 "unchanged; try again");
    } else {
	master_serv_reload(list);
	master_conf_free(&master_conf_list);
	master_conf_list = list;
	master_logging();
	msg_info("reload -- version %s, configuration %s", MASTER_VERSION,
		 master_config_dir);
    }
    vstring_free(&why);
}

int     main(int argc, char **argv)
{
    struct vstring *why;
    int     ch;
    int     test_mode = 0;
    int     wait = 0;

    msg_init("master");
    msg_stderr_init(1, 0);
    umask(022);
    while ((ch = getopt(argc, argv, "c:ftvw")) != -1) {
	switch (ch) {
	case 'c':
	    master_config_dir = optarg;
	    break;
	case 'f':
	    master_foreground = 1;
	    break;
	case 't':
	    test_mode = 1;
	    break;
	case 'v':
	    master_verbose++;
	    msg_verbose++;
	    break;
	case 'w':
	    wait = 1;
	    break;
	default:
	    master_usage();
	}
    }
    if (optind != argc)
	master_usage();
    if (master_config_dir == 0
	&& (master_config_dir = getenv("MAIL_CONFIG")) == 0)
	master_config_dir = DEF_CONFIG_DIR;
    if (master_foreground)
	msg_stderr_init(1, 1);
    if (test_mode)
	master_test();
    if (geteuid() != 0 || getuid() != 0)
	msg_fatal("must be run by the super-user");

    /* Configuration first: a broken one never gets as far as a daemon. */
    why = vstring_alloc(100);
    if (master_config_read(master_config_dir, &master_conf_list, why) < 0)
	msg_fatal("%s", vstring_str(why));
    master_queue_dir = mystrdup(var_queue_dir);
    master_pid_file = master_pid_path(master_queue_dir);

    if (!master_foreground)
	master_detach(wait);
    master_lock();
    if (chdir(master_queue_dir) < 0)
	msg_fatal("chdir %s: %m", master_queue_dir);
    master_sig_init();
    if (master_serv_start(master_conf_list, why) < 0)
	msg_fatal("%s", vstring_str(why));
    master_logging();
    master_ready();
    msg_info("daemon started -- version %s, configuration %s",
	     MASTER_VERSION, master_config_dir);
    vstring_free(&why);
    for (;;)
	event_loop(-1);
}
