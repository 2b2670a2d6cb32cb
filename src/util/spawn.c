/*++
/* NAME
/*	spawn 3
/* SUMMARY
/*	run a program safely: no shell, explicit privileges and descriptors
/* SYNOPSIS
/*	#include <spawn.h>
/*
/*	pid_t	spawn_start(req, why)
/*	int	spawn_wait(pid, timeout_ms, &status_r)
/*	int	spawn_run(req, timeout_ms, &status_r, why)
/*	const char *spawn_status_str(status, buf)
/* DESCRIPTION
/*	See spawn.h. Implementation notes:
/*
/*	The parent blocks all signals around fork(), so no handler of the
/*	parent can run in the child before the child has reset every
/*	disposition to the default and cleared its signal mask.
/*
/*	Descriptor shuffling: the child first duplicates every source
/*	descriptor (fd_in, fd_out, fd_err, keep_fds[]) and the error pipe
/*	to numbers above all sources and targets, and only then dup2()s
/*	those copies onto 0, 1, 2, 3, ... This is correct for any overlap
/*	between sources and targets (keep_fds = {4, 3} swaps them; the
/*	same descriptor may appear twice). The error pipe then sits just
/*	above the last target, close-on-exec, and everything above it is
/*	closed with close_range(), or by walking /proc/self/fd where
/*	close_range() is missing.
/*
/*	Signals: every disposition goes back to SIG_DFL through
/*	sigaction(); the few real-time signals that the C library keeps
/*	for itself (32 and 33 with glibc) cannot be set that way and keep
/*	what they had, which the C library of the new program manages.
/*
/*	Privileges: setgid(), then initgroups() with the user name of uid
/*	(setgroups() with gid alone when uid has no passwd entry), then
/*	setuid(). The child then checks the real and effective ids and,
/*	when uid is not 0, that setuid(0) fails; otherwise it refuses to
/*	run.
/*
/*	Errors in the child are written as text to the close-on-exec
/*	error pipe followed by _exit(127); spawn_start() reads the pipe
/*	until end of file (which exec causes), reaps a failed child, and
/*	returns its reason.
/*
/*	spawn_wait() with a timeout waits on a pidfd (pidfd_open(2)); on
/*	kernels without it, it polls waitpid() every 10 ms.
/* DIAGNOSTICS
/*	Return values and why; no logging.
/*--*/
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vstring.h>
#include <spawn.h>

#define SPAWN_ERR_MAX	512

/* spawn_child_fail - report an error from the child and exit */

static void __attribute__((format(printf, 2, 3), noreturn))
spawn_child_fail(int err_fd, const char *fmt,...)
{
    char    text[SPAWN_ERR_MAX];
    va_list ap;
    int     n;
    ssize_t w;

    va_start(ap, fmt);
    n = vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (n < 0)
	n = 0;
    if ((size_t) n >= sizeof(text))
	n = sizeof(text) - 1;
    do {
	w = write(err_fd, text, (size_t) n);
    } while (w < 0 && errno == EINTR);
    _exit(127);
}

/* spawn_close_from - close every descriptor >= lowfd */

static int spawn_close_from(int lowfd)
{
    DIR    *dir;
    struct dirent *de;
    long    fd;
    char   *end;

#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned) lowfd, ~0U, 0) == 0)
	return (0);
#endif
    if ((dir = opendir("/proc/self/fd")) == 0)
	return (-1);
    while ((de = readdir(dir)) != 0) {
	fd = strtol(de->d_name, &end, 10);
	if (*end == 0 && end != de->d_name && fd >= lowfd && fd != dirfd(dir))
	    close((int) fd);
    }
    closedir(dir);
    return (0);
}

/* spawn_child_fds - set up descriptors; returns the new error pipe */

static int spawn_child_fds(const struct spawn_req *req, int err_fd)
{
    int     ntarget = 3 + (req->keep_count > 0 ? req->keep_count : 0);
    int     src[ntarget];
    int     high[ntarget];
    int     base = ntarget + 1;
    int     null_fd = -1;
    int     high_err;
    int     i;

    /* Collect sources; /dev/null for missing standard descriptors. */
    src[0] = req->fd_in;
    src[1] = req->fd_out;
    src[2] = req->fd_err;
    for (i = 3; i < ntarget; i++)
	src[i] = req->keep_fds[i - 3];
    for (i = 0; i < 3; i++) {
	if (src[i] < 0) {
	    if (null_fd < 0 && (null_fd = open("/dev/null", O_RDWR)) < 0)
		spawn_child_fail(err_fd, "open /dev/null: %s", strerror(errno));
	    src[i] = null_fd;
	}
    }
    for (i = 0; i < ntarget; i++)
	if (src[i] >= base)
	    base = src[i] + 1;
    if (err_fd >= base)
	base = err_fd + 1;

    /* Move everything out of the way first, then into place. */
    if ((high_err = fcntl(err_fd, F_DUPFD_CLOEXEC, base)) < 0)
	spawn_child_fail(err_fd, "error pipe: %s", strerror(errno));
    err_fd = high_err;
    for (i = 0; i < ntarget; i++)
	if ((high[i] = fcntl(src[i], F_DUPFD_CLOEXEC, base)) < 0)
	    spawn_child_fail(err_fd, "descriptor %d: %s", src[i], strerror(errno));
    for (i = 0; i < ntarget; i++)
	if (dup2(high[i], i) < 0)
	    spawn_child_fail(err_fd, "dup2 %d to %d: %s", src[i], i,
			     strerror(errno));
    if (dup3(err_fd, ntarget, O_CLOEXEC) < 0)
	spawn_child_fail(err_fd, "error pipe: %s", strerror(errno));
    err_fd = ntarget;
    if (spawn_close_from(ntarget + 1) < 0)
	spawn_child_fail(err_fd, "close descriptors: %s", strerror(errno));
    return (err_fd);
}

/* spawn_child_ids - drop privileges and prove it */

static void spawn_child_ids(const struct spawn_req *req, int err_fd)
{
    struct passwd *pw;
    gid_t   gid = req->gid;

    if (setgid(req->gid) < 0)
	spawn_child_fail(err_fd, "setgid %ld: %s", (long) req->gid,
			 strerror(errno));
    if ((pw = getpwuid(req->uid)) != 0) {
	if (initgroups(pw->pw_name, req->gid) < 0)
	    spawn_child_fail(err_fd, "initgroups %s: %s", pw->pw_name,
			     strerror(errno));
    } else if (setgroups(1, &gid) < 0) {
	spawn_child_fail(err_fd, "setgroups %ld: %s", (long) gid,
			 strerror(errno));
    }
    if (setuid(req->uid) < 0)
	spawn_child_fail(err_fd, "setuid %ld: %s", (long) req->uid,
			 strerror(errno));
    if (getuid() != req->uid || geteuid() != req->uid
	|| getgid() != req->gid || getegid() != req->gid)
	spawn_child_fail(err_fd, "ids not changed to uid %ld gid %ld",
			 (long) req->uid, (long) req->gid);
    if (req->uid != 0 && setuid(0) == 0)
	spawn_child_fail(err_fd, "privileges not dropped: setuid(0) works");
}

/* spawn_child - everything between fork and exec */

static void __attribute__((noreturn))
spawn_child(const struct spawn_req *req, int err_fd)
{
    struct sigaction sa;
    sigset_t empty;
    int     sig;

    err_fd = spawn_child_fds(req, err_fd);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (sig = 1; sig < NSIG; sig++)
	(void) sigaction(sig, &sa, (struct sigaction *) 0);
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, (sigset_t *) 0);
    if (req->dir && chdir(req->dir) < 0)
	spawn_child_fail(err_fd, "chdir %s: %s", req->dir, strerror(errno));
    if (req->set_ids)
	spawn_child_ids(req, err_fd);
    if (req->env)
	execve(req->argv[0], req->argv, req->env);
    else
	execv(req->argv[0], req->argv);
    spawn_child_fail(err_fd, "execv %s: %s", req->argv[0], strerror(errno));
}

pid_t   spawn_start(const struct spawn_req *req, struct vstring *why)
{
    int     pipefd[2];
    sigset_t all;
    sigset_t saved;
    pid_t   pid;
    char    text[SPAWN_ERR_MAX];
    size_t  got = 0;
    ssize_t n;

    if (req->argv == 0 || req->argv[0] == 0) {
	if (why)
	    vstring_strcpy(why, "spawn_start: no program");
	return (-1);
    }
    if (req->keep_count > 0 && req->keep_fds == 0) {
	if (why)
	    vstring_strcpy(why, "spawn_start: keep_count without keep_fds");
	return (-1);
    }
    if (pipe2(pipefd, O_CLOEXEC) < 0) {
	if (why)
	    vstring_sprintf(why, "pipe: %s", strerror(errno));
	return (-1);
    }
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, &saved);
    if ((pid = fork()) == 0) {
	close(pipefd[0]);
	spawn_child(req, pipefd[1]);
    }
    sigprocmask(SIG_SETMASK, &saved, (sigset_t *) 0);
    close(pipefd[1]);
    if (pid < 0) {
	if (why)
	    vstring_sprintf(why, "fork: %s", strerror(errno));
	close(pipefd[0]);
	return (-1);
    }
    while (got < sizeof(text) - 1) {
	n = read(pipefd[0], text + got, sizeof(text) - 1 - got);
	if (n < 0 && errno == EINTR)
	    continue;
	if (n <= 0)
	    break;
	got += (size_t) n;
    }
    close(pipefd[0]);
    if (got == 0)
	return (pid);
    text[got] = 0;
    while (waitpid(pid, (int *) 0, 0) < 0 && errno == EINTR)
	 /* void */ ;
    if (why)
	vstring_strcpy(why, text);
    return (-1);
}

/* spawn_reap - waitpid() that retries after EINTR */

static pid_t spawn_reap(pid_t pid, int *status_r, int flags)
{
    pid_t   ret;

    while ((ret = waitpid(pid, status_r, flags)) < 0 && errno == EINTR)
	 /* void */ ;
    return (ret);
}

static long long spawn_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* spawn_sleep_until - wait for pidfd (or just a while) up to deadline */

static void spawn_sleep_until(int pidfd, long long deadline)
{
    long long left = deadline - spawn_now_ms();
    struct pollfd pfd;
    struct timespec ts;

    if (left <= 0)
	return;
    if (pidfd >= 0) {
	pfd.fd = pidfd;
	pfd.events = POLLIN;
	(void) poll(&pfd, 1, left > 1000000 ? 1000000 : (int) left);
    } else {
	if (left > 10)
	    left = 10;
	ts.tv_sec = 0;
	ts.tv_nsec = (long) left * 1000000L;
	(void) nanosleep(&ts, (struct timespec *) 0);
    }
}

int     spawn_wait(pid_t pid, long timeout_ms, int *status_r)
{
    int     status = 0;
    int     ret = 0;
    int     pidfd = -1;
    long long deadline;
    pid_t   got;

    if (timeout_ms <= 0) {
	if (spawn_reap(pid, &status, 0) < 0)
	    return (-1);
    } else {
	deadline = spawn_now_ms() + timeout_ms;
#ifdef SYS_pidfd_open
	pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
#endif
	while ((got = spawn_reap(pid, &status, WNOHANG)) == 0) {
	    if (spawn_now_ms() >= deadline) {
		(void) kill(pid, SIGKILL);
		got = spawn_reap(pid, &status, 0);
		ret = 1;
		break;
	    }
	    spawn_sleep_until(pidfd, deadline);
	}
	if (pidfd >= 0)
	    close(pidfd);
	if (got < 0)
	    return (-1);
    }
    if (status_r)
	*status_r = status;
    return (ret);
}

int     spawn_run(const struct spawn_req *req, long timeout_ms, int *status_r,
		          struct vstring *why)
{
    pid_t   pid;
    int     ret;

    if ((pid = spawn_start(req, why)) < 0)
	return (-1);
    if ((ret = spawn_wait(pid, timeout_ms, status_r)) < 0) {
	if (why)
	    vstring_sprintf(why, "waitpid %ld: %s", (long) pid, strerror(errno));
    } else if (ret == 1) {
	if (why)
	    vstring_sprintf(why, "%s: killed after a timeout of %ld ms",
			    req->argv[0], timeout_ms);
    }
    return (ret);
}

const char *spawn_status_str(int status, struct vstring *buf)
{
    if (WIFEXITED(status))
	vstring_sprintf(buf, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
	vstring_sprintf(buf, "killed by signal %d", WTERMSIG(status));
    else if (WIFSTOPPED(status))
	vstring_sprintf(buf, "stopped by signal %d", WSTOPSIG(status));
    else
	vstring_sprintf(buf, "unknown status 0x%x", (unsigned) status);
    return (vstring_str(buf));
}
