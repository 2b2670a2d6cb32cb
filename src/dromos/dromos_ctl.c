/*++
/* NAME
/*	dromos_ctl 3
/* SUMMARY
/*	dromos start, start-fg, stop, reload, status
/* SYNOPSIS
/*	#include "dromos.h"
/*
/*	const char *dromos_pidfile(buf)
/*	struct vstring *buf;
/*
/*	int	dromos_master_pid(pid_r)
/*	pid_t	*pid_r;
/*
/*	void	dromos_log_open(void)
/*
/*	int	dromos_cmd_start(void)
/*	int	dromos_cmd_start_fg(void)
/*	int	dromos_cmd_stop(void)
/*	int	dromos_cmd_reload(void)
/*	int	dromos_cmd_status(void)
/* DESCRIPTION
/*	See dromos.h and the commands in dromos.c. master is found through
/*	its lock on $queue_directory/pid/master.pid (lock_file_pid()), so a
/*	stale pid file never names a live process by mistake.
/* DIAGNOSTICS
/*	Through msg(3).
/*--*/
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <argv.h>
#include <atomic_file.h>
#include <msg.h>
#include <spawn.h>
#include <stringops.h>
#include <vstring.h>

#include <mail_log.h>
#include <mail_params.h>
#include <mail_trigger.h>
#include <qfile.h>

#include "dromos.h"

#define DROMOS_STOP_WAIT	30	/* seconds for master to go */
#define DROMOS_START_WAIT	120	/* seconds for master -w to report */
#define DROMOS_POLL_MS		100

/* dromos_pidfile - where master keeps its lock */

const char *dromos_pidfile(struct vstring *buf)
{
    path_join(buf, var_queue_dir, "pid/master.pid");
    return (vstring_str(buf));
}

/* dromos_master_pid - 1 with the pid when master runs, 0 when not */

int     dromos_master_pid(pid_t *pid_r)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    int     ret;

    if ((ret = lock_file_pid(dromos_pidfile(path), pid_r, why)) < 0)
	msg_fatal("cannot tell whether master runs: %s", vstring_str(why));
    if (ret == 1 && *pid_r <= 0)
	msg_fatal("%s is locked, but holds no process id", vstring_str(path));
    vstring_free(&path);
    vstring_free(&why);
    return (ret);
}

/* dromos_log_open - logd when it answers, otherwise syslog */

void    dromos_log_open(void)
{
    struct vstring *why = vstring_alloc(100);

    /* With master down the log service does not answer: use syslog. */
    if (mail_log_open(var_queue_dir, why) == MAIL_LOG_BADFAC)
	msg_warn("%s", vstring_str(why));
    vstring_free(&why);
}

/* dromos_prepare - the checks and chroot refresh before a start */

static void dromos_prepare(void)
{
    pid_t   pid;

    if (dromos_master_pid(&pid) == 1) {
	msg_error("the dromos mail system is already running (pid %ld)",
		  (long) pid);
	exit(1);
    }
    if (dromos_check() > 0)
	msg_fatal("configuration errors: "
		  "the dromos mail system was not started");
    if (var_chroot_refresh && dromos_chroot_refresh() > 0)
	msg_fatal("cannot refresh the chroot files: "
		  "the dromos mail system was not started");
}

/* dromos_master_argv - master's command line */

static struct argv *dromos_master_argv(const char *mode)
{
    struct argv *argv = argv_alloc(8);
    struct vstring *path = vstring_alloc(100);
    int     i;

    path_join(path, var_daemon_dir, "master");
    argv_add(argv, vstring_str(path), "-c", dromos_config_dir, mode,
	     (char *) 0);
    for (i = 0; i < msg_verbose; i++)
	argv_add(argv, "-v", (char *) 0);
    vstring_free(&path);
    return (argv);
}

/* dromos_cmd_start - start master in the background */

int     dromos_cmd_start(void)
{
    struct spawn_req req;
    struct argv *argv;
    struct vstring *why = vstring_alloc(100);
    struct vstring *buf = vstring_alloc(100);
    pid_t   pid;
    int     status;

    dromos_prepare();
    argv = dromos_master_argv("-w");
    memset(&req, 0, sizeof(req));
    req.argv = argv->argv;
    req.fd_in = -1;
    req.fd_out = 1;
    req.fd_err = 2;
    msg_info("starting the dromos mail system");
    switch (spawn_run(&req, DROMOS_START_WAIT * 1000L, &status, why)) {
    case -1:
	msg_fatal("cannot run master: %s", vstring_str(why));
    case 1:
	msg_fatal("%s", vstring_str(why));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
	dromos_log_open();
	if (dromos_master_pid(&pid) == 1)
	    msg_info_log("starting the dromos mail system, master pid %ld",
		       (long) pid);
	else
	    msg_info_log("starting the dromos mail system");
	status = 0;
    } else {
	msg_error("master failed to start: %s", spawn_status_str(status, buf));
	status = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }
    argv_free(&argv);
    vstring_free(&why);
    vstring_free(&buf);
    return (status);
}

/* dromos_cmd_start_fg - become master, in the foreground */

int     dromos_cmd_start_fg(void)
{
    struct argv *argv;

    dromos_prepare();
    argv = dromos_master_argv("-f");
    msg_info("starting the dromos mail system in the foreground");
    execv(argv->argv[0], argv->argv);
    msg_fatal("execv %s: %s", argv->argv[0], strerror(errno));
}

/* dromos_sleep_ms - a short pause */

static void dromos_sleep_ms(long ms)
{
    struct timespec ts;

    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
	 /* void */ ;
}

/* dromos_cmd_stop - SIGTERM, and wait until master has gone */

int     dromos_cmd_stop(void)
{
    pid_t   pid;
    pid_t   now;
    int     waited;

    if (dromos_master_pid(&pid) != 1) {
	msg_error("the dromos mail system is not running");
	return (1);
    }
    dromos_log_open();
    msg_info("stopping the dromos mail system");
    if (kill(pid, SIGTERM) < 0) {
	if (errno == ESRCH)
	    return (0);
	msg_fatal("kill master (pid %ld): %s", (long) pid, strerror(errno));
    }
    msg_logd_close();
    for (waited = 0; waited < DROMOS_STOP_WAIT * 1000;
	 waited += DROMOS_POLL_MS) {
	if (dromos_master_pid(&now) != 1)
	    return (0);
	dromos_sleep_ms(DROMOS_POLL_MS);
    }
    msg_error("master (pid %ld) has not stopped after %d seconds",
	      (long) pid, DROMOS_STOP_WAIT);
    return (1);
}

/* dromos_cmd_reload - SIGHUP */

int     dromos_cmd_reload(void)
{
    pid_t   pid;

    if (dromos_master_pid(&pid) != 1) {
	msg_error("the dromos mail system is not running");
	return (1);
    }
    dromos_log_open();
    msg_info("refreshing the dromos mail system");
    if (kill(pid, SIGHUP) < 0)
	msg_fatal("kill master (pid %ld): %s", (long) pid, strerror(errno));
    return (0);
}

/* dromos_queue_count - files in a queue folder (queue/X/ID or flat) */

static long dromos_queue_count(const char *queue, int flat)
{
    struct vstring *path = vstring_alloc(100);
    DIR    *dir;
    DIR    *sub;
    struct dirent *de;
    struct dirent *se;
    long    count = 0;

    vstring_sprintf(path, "%s/%s", var_queue_dir, queue);
    if ((dir = opendir(vstring_str(path))) == 0) {
	vstring_free(&path);
	return (-1);
    }
    while ((de = readdir(dir)) != 0) {
	if (de->d_name[0] == '.')
	    continue;
	if (flat) {
	    count += qfile_id_valid(de->d_name) != 0;
	    continue;
	}
	if (strlen(de->d_name) != 1)
	    continue;
	vstring_sprintf(path, "%s/%s/%s", var_queue_dir, queue, de->d_name);
	if ((sub = opendir(vstring_str(path))) == 0)
	    continue;
	while ((se = readdir(sub)) != 0)
	    count += qfile_id_valid(se->d_name) != 0;
	(void) closedir(sub);
    }
    (void) closedir(dir);
    vstring_free(&path);
    return (count);
}

/* dromos_cmd_status - running or not, and the queue's size */

int     dromos_cmd_status(void)
{
    static const char *const queues[] = {QFILE_MAILDROP, QFILE_INCOMING,
	QFILE_ACTIVE, QFILE_DEFERRED, QFILE_HOLD, QFILE_CORRUPT, 0};
    const char *const *qp;
    struct vstring *line = vstring_alloc(100);
    pid_t   pid;
    long    n;
    int     ret;

    if (dromos_master_pid(&pid) == 1) {
	msg_info("the dromos mail system is running: PID: %ld", (long) pid);
	ret = 0;
    } else {
	msg_info("the dromos mail system is not running");
	ret = 1;
    }
    /* The queue is readable by root only; others use mailq. */
    for (qp = queues; *qp; qp++) {
	if ((n = dromos_queue_count(*qp, strcmp(*qp, QFILE_MAILDROP) == 0)) < 0)
	    break;
	vstring_sprintf_append(line, "%s%s %ld", qp == queues ? "" : ", ",
			       *qp, n);
    }
    if (*qp == 0)
	msg_info("queue: %s", vstring_str(line));
    vstring_free(&line);
    return (ret);
}

/* dromos_cmd_flush - qmgr: every deferred message now; pickup: maildrop */

int     dromos_cmd_flush(void)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    pid_t   pid;
    int     ret = 1;

    if (dromos_master_pid(&pid) != 1) {
	msg_error("the dromos mail system is not running");
    } else {
	vstring_sprintf(path, "%s/private/qmgr", var_queue_dir);
	if (mail_trigger(vstring_str(path), "F", 1, why) < 0) {
	    msg_error("cannot reach qmgr: %s", vstring_str(why));
	} else {
	    ret = 0;
	    vstring_sprintf(path, "%s/public/pickup", var_queue_dir);
	    if (mail_trigger(vstring_str(path), "W", 1, why) < 0)
		msg_warn("cannot wake pickup: %s", vstring_str(why));
	}
    }
    vstring_free(&path);
    vstring_free(&why);
    return (ret);
}
