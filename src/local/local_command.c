/*++
/* NAME
/*	local_command 3
/* SUMMARY
/*	deliver to a |command of an alias or .forward file
/* SYNOPSIS
/*	#include "local.h"
/*
/*	void	local_command(state, exp, ctx, command, result)
/* DESCRIPTION
/*	local_command() runs "/bin/sh -c command" through spawn(3) (never
/*	the C library's shell helpers) as ctx->run: real and effective uid and gid,
/*	with the user's groups; spawn refuses to run the command when it
/*	cannot drop root. The working folder is the user's home (/ when
/*	that is not a folder). Descriptors: standard input is the message
/*	("From SENDER DATE", Return-Path:, Delivered-To: state->recipient,
/*	then the content as queued, in a memory file, so the command may
/*	read as little or as slowly as it likes); standard output and
/*	standard error go to a pipe, of which the first
/*	LOCAL_CMD_OUTPUT bytes are kept for the result text; nothing else
/*	is open. The environment is only HOME, USER, LOGNAME and SHELL
/*	(of ctx->run), SENDER (the envelope sender of the expansion),
/*	RECIPIENT (the whole recipient address), LOCAL (its local part,
/*	folded), EXTENSION (the address extension, or empty), DOMAIN and
/*	PATH=/usr/bin:/bin.
/*
/*	Results by exit status: 0 delivered ("delivered to command:
/*	COMMAND"); 75 (EX_TEMPFAIL) deferred, 4.3.0; 67 (EX_NOUSER)
/*	bounced, 5.1.1; any other status bounced, 5.3.0; killed by a
/*	signal deferred, 4.3.0. A command still running after
/*	command_time_limit is killed (SIGKILL) and the delivery deferred
/*	(4.3.0 "command time limit exceeded"). Failures quote the command
/*	and its output (control characters as spaces).
/* BUGS
/*	Only the shell that spawn started is killed at the time limit,
/*	not processes it left running in the background; the delivery
/*	stops waiting for them when the shell has gone.
/* DIAGNOSTICS
/*	Result only.
/*--*/
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <argv.h>
#include <spawn.h>
#include <vstream.h>
#include <vstring.h>

#include <deliver_request.h>
#include <mail_params.h>

#include "local.h"

#define LOCAL_CMD_OUTPUT	1000	/* output bytes kept */
#define LOCAL_CMD_SHOW		300	/* command bytes shown in results */
#define LOCAL_CMD_SLICE		200	/* ms between looks at the child */

/* local_cmd_now - monotonic milliseconds */

static long long local_cmd_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* local_cmd_message - the message in a memory file, at offset 0 */

static int local_cmd_message(struct local_state *state, struct vstring *why)
{
    struct vstream *out;
    char    date[64];
    time_t  now = time((time_t *) 0);
    int     fd;
    int     ret = 0;

    if ((fd = memfd_create("dromos-local", MFD_CLOEXEC)) < 0) {
	vstring_sprintf(why, "memfd_create: %m");
	return (-1);
    }
    strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", localtime(&now));
    out = vstream_fdopen(fd, 0);
    if (vstream_printf(out, "From %s %s\n",
		       *state->sender ? state->sender : "MAILER-DAEMON",
		       date) < 0
	|| local_copy(state, out, 0, why) < 0) {
	if (vstring_len(why) == 0)
	    vstring_sprintf(why, "write error");
	ret = -1;
    }
    (void) vstream_close(&out);
    if (ret == 0 && lseek(fd, 0, SEEK_SET) < 0) {
	vstring_sprintf(why, "seek: %m");
	ret = -1;
    }
    if (ret < 0) {
	(void) close(fd);
	return (-1);
    }
    return (fd);
}

/* local_cmd_env - NAME=value */

static void local_cmd_env(struct argv *env, const char *name, const char *value)
{
    struct vstring *buf = vstring_alloc(100);

    vstring_sprintf(buf, "%s=%s", name, value ? value : "");
    argv_add(env, vstring_str(buf), (char *) 0);
    vstring_free(&buf);
}

/* local_cmd_output - command output fit for a result text */

static void local_cmd_output(struct vstring *out, const char *data, size_t len)
{
    size_t  i;
    int     space = 1;

    for (i = 0; i < len; i++) {
	unsigned char ch = (unsigned char) data[i];

	if (ch < 0x20 || ch == 0x7f) {
	    if (!space)
		vstring_appendc(out, ' ');
	    space = 1;
	} else {
	    vstring_appendc(out, ch);
	    space = (ch == ' ');
	}
    }
    while (vstring_len(out) > 0 && vstring_end(out)[-1] == ' ')
	vstring_truncate(out, vstring_len(out) - 1);
}

void    local_command(struct local_state *state, struct local_exp *exp,
		              struct local_ctx *ctx, const char *command,
		              struct local_result *res)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *output = vstring_alloc(LOCAL_CMD_OUTPUT);
    struct vstring *text = vstring_alloc(100);
    struct vstring *shown = vstring_alloc(100);
    struct argv *argv = argv_alloc(4);
    struct argv *env = argv_alloc(12);
    struct spawn_req req;
    struct stat st;
    char    buf[4096];
    long long deadline;
    long long left;
    struct pollfd pfd;
    ssize_t n;
    size_t  room;
    pid_t   pid = -1;
    pid_t   got;
    int     msg_fd = -1;
    int     pipefd[2] = {-1, -1};
    int     status = 0;
    int     exited = 0;
    int     timed_out = 0;

    local_restore();				/* spawn() needs root */
    local_cmd_output(shown, command, strlen(command) > LOCAL_CMD_SHOW ?
		     LOCAL_CMD_SHOW : strlen(command));
    if ((msg_fd = local_cmd_message(state, why)) < 0) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "cannot prepare the message for command \"%s\": %s",
			 vstring_str(shown), vstring_str(why));
	goto out;
    }
    if (pipe2(pipefd, O_CLOEXEC) < 0) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "cannot run command \"%s\": pipe: %m",
			 vstring_str(shown));
	goto out;
    }
    argv_add(argv, "/bin/sh", "-c", command, (char *) 0);
    local_cmd_env(env, "HOME", ctx->run->home);
    local_cmd_env(env, "USER", ctx->run->name);
    local_cmd_env(env, "LOGNAME", ctx->run->name);
    local_cmd_env(env, "SHELL", ctx->run->shell);
    local_cmd_env(env, "SENDER", state->sender);
    local_cmd_env(env, "RECIPIENT", vstring_str(exp->req->recipient));
    local_cmd_env(env, "LOCAL", exp->local);
    local_cmd_env(env, "EXTENSION", exp->ext);
    local_cmd_env(env, "DOMAIN", exp->domain);
    local_cmd_env(env, "PATH", "/usr/bin:/bin");
    memset(&req, 0, sizeof(req));
    req.argv = argv->argv;
    req.env = env->argv;
    req.dir = (stat(ctx->run->home, &st) == 0 && S_ISDIR(st.st_mode)) ?
	ctx->run->home : "/";
    req.fd_in = msg_fd;
    req.fd_out = pipefd[1];
    req.fd_err = pipefd[1];
    req.set_ids = 1;
    req.uid = ctx->run->uid;
    req.gid = ctx->run->gid;
    if (req.uid == 0) {				/* cannot happen */
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "refusing to run command \"%s\" as root",
			 vstring_str(shown));
	goto out;
    }
    if ((pid = spawn_start(&req, why)) < 0) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "cannot run command \"%s\": %s", vstring_str(shown),
			 vstring_str(why));
	goto out;
    }
    (void) close(pipefd[1]);
    pipefd[1] = -1;
    (void) close(msg_fd);
    msg_fd = -1;

    /*
     * Collect output until end of file, the time limit, or the end of the
     * shell (a background process may keep the pipe open).
     */
    deadline = local_cmd_now() + var_command_maxtime * 1000LL;
    for (;;) {
	if ((left = deadline - local_cmd_now()) <= 0) {
	    timed_out = 1;
	    break;
	}
	pfd.fd = pipefd[0];
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, left > LOCAL_CMD_SLICE ? LOCAL_CMD_SLICE :
		 (int) left) > 0) {
	    n = read(pipefd[0], buf, sizeof(buf));
	    if (n < 0 && errno == EINTR)
		continue;
	    if (n <= 0)
		break;
	    room = LOCAL_CMD_OUTPUT - vstring_len(output);
	    if (room > 0)
		vstring_append(output, buf, (size_t) n < room ? (size_t) n : room);
	    continue;
	}
	while ((got = waitpid(pid, &status, WNOHANG)) < 0 && errno == EINTR)
	     /* void */ ;
	if (got == pid) {
	    exited = 1;
	    break;
	}
    }
    if (timed_out) {
	(void) kill(pid, SIGKILL);
	(void) spawn_wait(pid, 0, &status);
    } else if (!exited) {
	left = deadline - local_cmd_now();
	if (spawn_wait(pid, left > 0 ? (long) left : 1, &status) == 1)
	    timed_out = 1;
    }
    if (vstring_len(output) > 0) {
	vstring_strcpy(text, ". Command output: ");
	local_cmd_output(text, vstring_str(output), vstring_len(output));
    }
    if (timed_out) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "command time limit exceeded: \"%s\"%s",
			 vstring_str(shown), vstring_str(text));
    } else if (WIFSIGNALED(status)) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "command died with signal %d: \"%s\"%s",
			 WTERMSIG(status), vstring_str(shown),
			 vstring_str(text));
    } else if (WEXITSTATUS(status) == 0) {
	local_result_set(res, DELIVER_STAT_SENT, "2.0.0",
			 "delivered to command: %s", vstring_str(shown));
    } else if (WEXITSTATUS(status) == 75) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "command died with status 75 (temporary failure): "
			 "\"%s\"%s", vstring_str(shown), vstring_str(text));
    } else if (WEXITSTATUS(status) == 67) {
	local_result_set(res, DELIVER_STAT_BOUNCE, "5.1.1",
			 "command died with status 67 (user unknown): "
			 "\"%s\"%s", vstring_str(shown), vstring_str(text));
    } else {
	local_result_set(res, DELIVER_STAT_BOUNCE, "5.3.0",
			 "command died with status %d: \"%s\"%s",
			 WEXITSTATUS(status), vstring_str(shown),
			 vstring_str(text));
    }

out:
    if (msg_fd >= 0)
	(void) close(msg_fd);
    if (pipefd[0] >= 0)
	(void) close(pipefd[0]);
    if (pipefd[1] >= 0)
	(void) close(pipefd[1]);
    argv_free(&argv);
    argv_free(&env);
    vstring_free(&why);
    vstring_free(&output);
    vstring_free(&text);
    vstring_free(&shown);
}
