/*++
/* NAME
/*	mail_server_common 3
/* SUMMARY
/*	steps shared by the server skeletons
/* SYNOPSIS
/*	#include "mail_server_common.h"
/*
/*	void	mail_server_args(ctx, skeleton, argc, argv, ap, types)
/*	struct mail_server_ctx *ctx;
/*	const char *skeleton;
/*	int	argc;
/*	char	**argv;
/*	va_list	ap;
/*	const int *types;
/*
/*	void	mail_server_setup(ctx)
/*	struct mail_server_ctx *ctx;
/*
/*	void	mail_server_signals(ctx)
/*	struct mail_server_ctx *ctx;
/*
/*	int	mail_server_have_master()
/*
/*	int	mail_server_master_gone()
/*
/*	void	mail_server_exit(ctx)
/*	struct mail_server_ctx *ctx;
/*
/*	volatile sig_atomic_t mail_server_busy;
/* DESCRIPTION
/*	mail_server_args() parses the arguments master passes (see
/*	mail_server.h: -c -n -t -s -u -r -o -f -v -S; the first non-option
/*	and what follows go to ctx->argv) and the skeleton's key/value
/*	list. types is the list of transport types the skeleton serves,
/*	ending in 0. A daemon started without master (descriptor
/*	MASTER_STATUS_FD not open) is refused unless -S was given.
/*
/*	mail_server_setup() does the privileged part, in this order: load
/*	main.cf with the -o overrides (any error is fatal); set up logging
/*	(the logd socket $queue_directory/public/dromlog when maillog_file
/*	is set, else syslog; stderr too with -f or -S); look up mail_owner
/*	(before chroot, where /etc/passwd is out of reach); run the
/*	PRE_INIT hook; chdir to queue_directory; chroot there with -r and
/*	chdir("/"); with -u set the groups to mail_owner's primary group
/*	only, then gid and uid (real, effective and saved), and verify that
/*	setuid(0) fails; run the POST_INIT hook. A MAIL_SERVER_PRIVILEGED
/*	daemon keeps root and refuses -r.
/*
/*	mail_server_signals() ignores SIGPIPE and routes SIGTERM and SIGHUP
/*	through a self-pipe into the event loop: SIGHUP calls the HUP hook,
/*	SIGTERM calls ctx->on_term. While mail_server_busy is set (a
/*	single_server process inside its service function) SIGTERM ends
/*	the process at once.
/*
/*	mail_server_have_master() tells whether MASTER_STATUS_FD is open.
/*
/*	mail_server_master_gone() tells, without waiting, whether master
/*	has closed the status pipe (a reload, a stop). The skeletons ask
/*	before each accept: a process of a retired generation that is
/*	woken by a client and by the closed pipe at once must leave the
/*	client to the new generation, which runs with the new
/*	configuration.
/*
/*	mail_server_exit() runs the EXIT hook and exits with status 0.
/*
/*	Sanitizer builds: LeakSanitizer's exit-time check needs /proc,
/*	which a chrooted, unprivileged daemon cannot read, and it then
/*	turns a normal exit into a failure (which master would throttle).
/*	With AddressSanitizer this module therefore makes detect_leaks=0
/*	the default for daemons (ASAN_OPTIONS still overrides it); master
/*	itself does not link this module and keeps leak checking.
/* DIAGNOSTICS
/*	Fatal: bad arguments, configuration errors, an unknown or root
/*	mail_owner, a failed chroot or privilege drop.
/*--*/
#include <sys/types.h>
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <argv.h>
#include <events.h>
#include <msg.h>
#include <mymalloc.h>
#include <sock.h>
#include <stringops.h>
#include <vstring.h>

#include <mail_conf.h>
#include <mail_log.h>
#include <mail_params.h>
#include <master_conf.h>

#include "mail_server_common.h"
#include "master_proto.h"

volatile sig_atomic_t mail_server_busy;

#ifdef __SANITIZE_ADDRESS__
extern const char *__asan_default_options(void);

const char *__asan_default_options(void)
{
    return ("detect_leaks=0");
}

#endif

static volatile sig_atomic_t mail_server_got_term;
static volatile sig_atomic_t mail_server_got_hup;
static int mail_server_sig_pipe[2] = {-1, -1};
static struct mail_server_ctx *mail_server_sig_ctx;

/* mail_server_type - transport type by name */

static int mail_server_type(const char *name)
{
    static const struct {
	const char *name;
	int     type;
    }       types[] = {
	{"inet", MASTER_TYPE_INET}, {"unix", MASTER_TYPE_UNIX},
	{"unix-dgram", MASTER_TYPE_UNIX_DGRAM}, {"fifo", MASTER_TYPE_FIFO},
	{"pass", MASTER_TYPE_PASS},
    };
    size_t  i;

    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
	if (strcmp(name, types[i].name) == 0)
	    return (types[i].type);
    return (0);
}

int     mail_server_have_master(void)
{
    return (fcntl(MASTER_STATUS_FD, F_GETFD) >= 0);
}

/* mail_server_usage - say how to call us */

static void mail_server_usage(void)
{
    msg_fatal("usage: %s [-c config_dir] -n service -t type [-s count] "
	      "[-u] [-r] [-o name=value] [-f] [-v] [-S] [args...]",
	      msg_progname());
}

void    mail_server_args(struct mail_server_ctx *ctx, const char *skeleton,
			         int argc, char **argv, va_list ap,
			         const int *types)
{
    int     key;
    int     ch;
    const int *tp;
    long    count;
    const char *type_name = 0;

    memset(ctx, 0, sizeof(*ctx));
    ctx->skeleton = skeleton;
    ctx->listen_count = 1;
    ctx->overrides = argv_alloc(4);
    msg_init(argc > 0 && argv[0] ? argv[0] : skeleton);

    /* The skeleton's hooks. */
    while ((key = va_arg(ap, int)) != MAIL_SERVER_END) {
	switch (key) {
	case MAIL_SERVER_PRE_INIT:
	    ctx->pre_init = va_arg(ap, mail_server_init_fn);
	    break;
	case MAIL_SERVER_POST_INIT:
	    ctx->post_init = va_arg(ap, mail_server_init_fn);
	    break;
	case MAIL_SERVER_PRE_ACCEPT:
	    ctx->pre_accept = va_arg(ap, mail_server_init_fn);
	    break;
	case MAIL_SERVER_WAKEUP:
	    ctx->wakeup = va_arg(ap, mail_server_init_fn);
	    break;
	case MAIL_SERVER_EXIT:
	    ctx->exit_fn = va_arg(ap, mail_server_void_fn);
	    break;
	case MAIL_SERVER_HUP:
	    ctx->hup_fn = va_arg(ap, mail_server_void_fn);
	    break;
	case MAIL_SERVER_BATCH_END:
	    ctx->batch_end_fn = va_arg(ap, mail_server_void_fn);
	    break;
	case MAIL_SERVER_PRIVILEGED:
	    (void) va_arg(ap, int);
	    ctx->privileged = 1;
	    break;
	case MAIL_SERVER_STOP:
	    ctx->stop_fn = va_arg(ap, mail_server_stop_fn);
	    break;
	case MAIL_SERVER_CONNECT:
	    ctx->connect_fn = va_arg(ap, mail_server_multi_fn);
	    break;
	default:
	    msg_panic("%s: unknown key %d", skeleton, key);
	}
    }

    /* The arguments master passes. */
    optind = 1;
    while ((ch = getopt(argc, argv, "+c:n:t:s:uro:fvS")) != -1) {
	switch (ch) {
	case 'c':
	    ctx->config_dir = optarg;
	    break;
	case 'n':
	    ctx->service = optarg;
	    break;
	case 't':
	    type_name = optarg;
	    if ((ctx->type = mail_server_type(optarg)) == 0)
		msg_fatal("unknown service type: %s", optarg);
	    break;
	case 's':
	    if (str_to_long(optarg, &count, (struct vstring *) 0) < 0
		|| count < 1 || count > 64)
		msg_fatal("bad listener count: %s", optarg);
	    ctx->listen_count = (int) count;
	    break;
	case 'u':
	    ctx->unpriv = 1;
	    break;
	case 'r':
	    ctx->chroot = 1;
	    break;
	case 'o':
	    if (strchr(optarg, '=') == 0 || *optarg == '=')
		msg_fatal("bad -o argument (want name=value): %s", optarg);
	    argv_add(ctx->overrides, optarg, (char *) 0);
	    break;
	case 'f':
	    ctx->foreground = 1;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	case 'S':
	    ctx->standalone = 1;
	    break;
	default:
	    mail_server_usage();
	}
    }
    ctx->argv = argv + optind;
    if (ctx->config_dir == 0 && (ctx->config_dir = getenv("MAIL_CONFIG")) == 0)
	ctx->config_dir = DEF_CONFIG_DIR;
    if (ctx->foreground || ctx->standalone)
	msg_stderr_init(1, 1);
    if (!ctx->standalone && !mail_server_have_master())
	msg_fatal("no master: descriptor %d is not open (use -S to run "
		  "stand-alone)", MASTER_STATUS_FD);
    if (ctx->service == 0) {
	if (!ctx->standalone)
	    mail_server_usage();
	ctx->service = (char *) msg_progname();
    }
    if (ctx->type == 0) {
	if (!ctx->standalone)
	    mail_server_usage();
	ctx->type = types[0];
    }
    for (tp = types; *tp; tp++)
	if (*tp == ctx->type)
	    break;
    if (*tp == 0)
	msg_fatal("%s cannot serve type %s", skeleton,
		  type_name ? type_name : "?");
    if (!ctx->foreground && !ctx->standalone) {
	/* Until the configuration says where, log to syslog. */
	msg_stderr_init(0, 0);
	(void) msg_syslog_init(DEF_SYSLOG_FACILITY, (struct vstring *) 0);
    }
}

/* mail_server_logging - connect the configured log sink, before chroot */

static void mail_server_logging(struct mail_server_ctx *ctx)
{
    struct vstring *why = vstring_alloc(100);

    switch (mail_log_open(var_queue_dir, why)) {
    case MAIL_LOG_FALLBACK:
	msg_warn("cannot use log service: %s; logging to syslog",
		 vstring_str(why));
	break;
    case MAIL_LOG_BADFAC:
	msg_fatal("%s: %s", VAR_SYSLOG_FACILITY, vstring_str(why));
    }
    vstring_free(&why);
}

void    mail_server_setup(struct mail_server_ctx *ctx)
{
    struct passwd *pw = 0;
    uid_t   uid = 0;
    gid_t   gid = 0;
    uid_t   ruid, euid, suid;
    gid_t   rgid, egid, sgid;
    int     drop;

    mail_conf_load(ctx->config_dir, ctx->overrides);
    mail_server_logging(ctx);
    if (msg_verbose)
	msg_info("%s: service %s, %d listener(s)", ctx->skeleton,
		 ctx->service, ctx->listen_count);

    drop = ctx->unpriv && !ctx->privileged;
    if (ctx->chroot && ctx->privileged)
	msg_fatal("service %s: a privileged service must not be chrooted "
		  "(master.cf chroot column)", ctx->service);
    if (drop) {
	if ((pw = getpwnam(var_mail_owner)) == 0)
	    msg_fatal("%s: unknown user: %s", VAR_MAIL_OWNER, var_mail_owner);
	if (pw->pw_uid == 0)
	    msg_fatal("%s %s has uid 0: refusing to run as root",
		      VAR_MAIL_OWNER, var_mail_owner);
	uid = pw->pw_uid;
	gid = pw->pw_gid;
    }
    if (ctx->pre_init)
	ctx->pre_init(ctx->service, ctx->argv);
    if (chdir(var_queue_dir) < 0)
	msg_fatal("chdir %s: %m", var_queue_dir);
    if (ctx->chroot) {
	if (chroot(var_queue_dir) < 0)
	    msg_fatal("chroot %s: %m", var_queue_dir);
	if (chdir("/") < 0)
	    msg_fatal("chdir / after chroot: %m");
    }
    if (drop) {
	if (setgroups(1, &gid) < 0)
	    msg_fatal("setgroups %ld: %m", (long) gid);
	if (setresgid(gid, gid, gid) < 0)
	    msg_fatal("setresgid %ld: %m", (long) gid);
	if (setresuid(uid, uid, uid) < 0)
	    msg_fatal("setresuid %ld: %m", (long) uid);
	if (setuid(0) == 0 || seteuid(0) == 0)
	    msg_fatal("privilege drop to %s can be undone: refusing to run",
		      var_mail_owner);
	if (getresuid(&ruid, &euid, &suid) < 0
	    || getresgid(&rgid, &egid, &sgid) < 0
	    || ruid != uid || euid != uid || suid != uid
	    || rgid != gid || egid != gid || sgid != gid)
	    msg_fatal("privilege drop to %s did not take effect",
		      var_mail_owner);
    }
    if (ctx->post_init)
	ctx->post_init(ctx->service, ctx->argv);
}

/* mail_server_sig_handler - note the signal, wake up the event loop */

static void mail_server_sig_handler(int sig)
{
    int     saved_errno = errno;

    if (sig == SIGTERM) {
	if (mail_server_busy)
	    _exit(0);
	mail_server_got_term = 1;
    } else {
	mail_server_got_hup = 1;
    }
    if (write(mail_server_sig_pipe[1], "s", 1) < 0) {
	/* Full pipe: a wake-up is pending anyway. */
    }
    errno = saved_errno;
}

/* mail_server_sig_event - handle signals in the event loop */

static void mail_server_sig_event(int event, void *context)
{
    struct mail_server_ctx *ctx = mail_server_sig_ctx;
    char    buf[64];

    while (read(mail_server_sig_pipe[0], buf, sizeof(buf)) > 0)
	 /* drain */ ;
    if (mail_server_got_hup) {
	mail_server_got_hup = 0;
	if (ctx->hup_fn)
	    ctx->hup_fn();
    }
    if (mail_server_got_term) {
	mail_server_got_term = 0;
	if (msg_verbose)
	    msg_info("%s: terminating on signal %d", ctx->service, SIGTERM);
	ctx->on_term();
    }
}

void    mail_server_signals(struct mail_server_ctx *ctx)
{
    struct sigaction sa;

    mail_server_sig_ctx = ctx;
    if (pipe2(mail_server_sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
	msg_fatal("pipe: %m");
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN;
    if (sigaction(SIGPIPE, &sa, (struct sigaction *) 0) < 0)
	msg_fatal("sigaction SIGPIPE: %m");
    sa.sa_handler = mail_server_sig_handler;
    if (sigaction(SIGTERM, &sa, (struct sigaction *) 0) < 0
	|| sigaction(SIGHUP, &sa, (struct sigaction *) 0) < 0)
	msg_fatal("sigaction: %m");
    event_enable_read(mail_server_sig_pipe[0], mail_server_sig_event, ctx);
}

void    mail_server_exit(struct mail_server_ctx *ctx)
{
    if (ctx->exit_fn)
	ctx->exit_fn();
    exit(0);
}

/* mail_server_master_gone - did master close the status pipe? */

int     mail_server_master_gone(void)
{
    struct pollfd pfd;

    pfd.fd = MASTER_STATUS_FD;
    pfd.events = POLLIN;
    pfd.revents = 0;
    if (poll(&pfd, 1, 0) <= 0)
	return (0);
    return ((pfd.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) != 0);
}

/* mail_server_accept - a client of a listener, or -1 (lost race: quiet) */

int     mail_server_accept(int listen_fd)
{
    int     fd;

    if ((fd = accept4(listen_fd, (struct sockaddr *) 0, (socklen_t *) 0,
		      SOCK_CLOEXEC)) < 0
	&& errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR
	&& errno != ECONNABORTED)
	msg_warn("accept: %m");
    return (fd);
}

/* mail_server_listen - watch every listener and the status pipe */

void    mail_server_listen(struct mail_server_ctx *ctx, event_fn on_listen,
			           event_fn on_gone, int exclusive)
{
    int     fd;
    int     i;

    for (i = 0; i < ctx->listen_count; i++) {
	fd = MASTER_LISTEN_FD + i;
	if (fcntl(fd, F_GETFD) < 0)
	    msg_fatal("listening descriptor %d is not open", fd);
	(void) close_on_exec(fd, 1);
	if (non_blocking(fd, 1) < 0)
	    msg_fatal("non-blocking descriptor %d: %m", fd);
	/*
	 * Of the idle processes of this service, a client wakes one. Only
	 * for servers that always take what they were woken for: a woken
	 * process that did not would leave the others asleep.
	 */
	if (exclusive)
	    event_enable_read_exclusive(fd, on_listen, (void *) (intptr_t) fd);
	else
	    event_enable_read(fd, on_listen, (void *) (intptr_t) fd);
    }
    (void) close_on_exec(MASTER_STATUS_FD, 1);
    event_enable_read(MASTER_STATUS_FD, on_gone, (void *) 0);
}
