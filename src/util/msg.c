/*++
/* NAME
/*	msg 3
/* SUMMARY
/*	logging: info, warn, error, fatal, panic
/* SYNOPSIS
/*	#include <msg.h>
/* DESCRIPTION
/*	See msg.h. Records are formatted into a fixed-size local buffer
/*	(log text is not protocol data; an over-long text is cut and marked
/*	with "..."), so logging works even when memory allocation fails.
/*	A recursion guard keeps a failure inside logging from looping.
/* DIAGNOSTICS
/*	None; see msg.h for the fallback rules.
/*--*/
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <vstring.h>

#define MSG_TEXT_MAX	4000		/* text cut beyond this */
#define MSG_REC_MAX	(MSG_TEXT_MAX + 256)

int     msg_verbose;

static char msg_prog[64] = "dromos";
static char msg_sysname[64] = "dromos";
static char msg_host[256] = "localhost";
#define MSG_LOGD_WAIT_MS	5000	/* most a line waits for logd */

static int msg_to_stderr = 1;
static int msg_stderr_full = 0;
static int msg_to_syslog = 0;
static char msg_syslog_ident[160];
static int msg_logd_sock = -1;
static int msg_logd_failed = 0;
static int msg_exit_status = 1;
static void (*msg_cleanup_fn) (void);
static int msg_depth;

static const char *msg_severity[] = {"", "warning: ", "error: ", "fatal: ", "panic: "};
static const int msg_syslog_level[] = {LOG_INFO, LOG_WARNING, LOG_ERR, LOG_CRIT, LOG_CRIT};

static void msg_copy(char *dst, size_t size, const char *src)
{
    size_t  n = strnlen(src, size - 1);

    memcpy(dst, src, n);
    dst[n] = 0;
}

void    msg_init(const char *name)
{
    const char *slash = strrchr(name, '/');

    msg_copy(msg_prog, sizeof(msg_prog), slash ? slash + 1 : name);
}

const char *msg_progname(void)
{
    return (msg_prog);
}

void    msg_set_syslog_name(const char *name)
{
    msg_copy(msg_sysname, sizeof(msg_sysname), name);
}

const char *msg_syslog_name(void)
{
    return (msg_sysname);
}

void    msg_set_hostname(const char *host)
{
    char   *dot;

    msg_copy(msg_host, sizeof(msg_host), host);
    if ((dot = strchr(msg_host, '.')) != 0 && dot != msg_host)
	*dot = 0;
}

void    msg_stderr_init(int enable, int full)
{
    msg_to_stderr = enable;
    msg_stderr_full = full;
}

static int msg_facility_code(const char *name)
{
    static const struct {
	const char *name;
	int     code;
    }       fac[] = {
	{"mail", LOG_MAIL}, {"daemon", LOG_DAEMON}, {"user", LOG_USER},
	{"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2},
	{"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},
	{"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
    };
    size_t  i;

    for (i = 0; i < sizeof(fac) / sizeof(fac[0]); i++)
	if (strcasecmp(name, fac[i].name) == 0)
	    return (fac[i].code);
    return (-1);
}

int     msg_syslog_init(const char *facility, struct vstring *why)
{
    int     code = msg_facility_code(facility);

    if (code < 0) {
	if (why)
	    vstring_sprintf(why, "unknown syslog facility \"%s\"", facility);
	return (-1);
    }
    snprintf(msg_syslog_ident, sizeof(msg_syslog_ident), "%s/%s",
	     msg_sysname, msg_prog);
    closelog();
    openlog(msg_syslog_ident, LOG_PID | LOG_NDELAY, code);
    msg_to_syslog = 1;
    return (0);
}

void    msg_syslog_close(void)
{
    if (msg_to_syslog) {
	closelog();
	msg_to_syslog = 0;
    }
}

int     msg_logd_init(const char *path, struct vstring *why)
{
    struct sockaddr_un sun;
    int     fd;

    if (strlen(path) >= sizeof(sun.sun_path)) {
	if (why)
	    vstring_sprintf(why, "log socket path too long: %s", path);
	return (-1);
    }
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, path, strlen(path) + 1);
    if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
	if (why)
	    vstring_sprintf(why, "socket: %s", strerror(errno));
	return (-1);
    }
    if (connect(fd, (struct sockaddr *) &sun, sizeof(sun)) < 0) {
	if (why)
	    vstring_sprintf(why, "connect to %s: %s", path, strerror(errno));
	close(fd);
	return (-1);
    }
    msg_logd_close();
    msg_logd_sock = fd;
    msg_logd_failed = 0;
    return (0);
}

void    msg_logd_close(void)
{
    if (msg_logd_sock >= 0) {
	close(msg_logd_sock);
	msg_logd_sock = -1;
    }
}

int     msg_logd_fd(void)
{
    return (msg_logd_sock);
}

void    msg_fatal_status(int status)
{
    msg_exit_status = status;
}

void    msg_cleanup(void (*fn) (void))
{
    msg_cleanup_fn = fn;
}

/*
 * msg_pid - the process ID for log records. getpid(2) is a system call
 * (the C library no longer caches it); the value is kept, and forgotten
 * in a child made by fork(2).
 */

static pid_t msg_cached_pid;
static int msg_atfork_done;

static void msg_forget_pid(void)
{
    msg_cached_pid = 0;
}

static long msg_pid(void)
{
    if (msg_cached_pid == 0) {
	if (!msg_atfork_done) {
	    (void) pthread_atfork((void (*) (void)) 0, (void (*) (void)) 0,
				  msg_forget_pid);
	    msg_atfork_done = 1;
	}
	msg_cached_pid = getpid();
    }
    return ((long) msg_cached_pid);
}

/* msg_format_record - whole record, without newline; returns length */

size_t  msg_format_record(char *buf, size_t size, const char *severity,
			          const char *text)
{
    time_t  now = time((time_t *) 0);
    struct tm tm;
    char    stamp[32];
    int     n;

    if (localtime_r(&now, &tm) == 0 || strftime(stamp, sizeof(stamp),
					     "%b %d %H:%M:%S", &tm) == 0)
	msg_copy(stamp, sizeof(stamp), "Jan 01 00:00:00");
    n = snprintf(buf, size, "%s %s %s/%s[%ld]: %s%s", stamp, msg_host,
		 msg_sysname, msg_prog, msg_pid(), severity, text);
    if (n < 0)
	return (0);
    return ((size_t) n >= size ? size - 1 : (size_t) n);
}

static void msg_write_all(int fd, const char *buf, size_t len)
{
    ssize_t n;

    while (len > 0) {
	if ((n = write(fd, buf, len)) < 0) {
	    if (errno == EINTR)
		continue;
	    return;
	}
	buf += n;
	len -= (size_t) n;
    }
}

static void msg_to_stderr_sink(int level, const char *text)
{
    char    rec[MSG_REC_MAX + 1];
    size_t  len;
    int     n;

    if (msg_stderr_full) {
	len = msg_format_record(rec, sizeof(rec) - 1, msg_severity[level], text);
    } else {
	n = snprintf(rec, sizeof(rec) - 1, "%s: %s%s", msg_prog,
		     msg_severity[level], text);
	len = n < 0 ? 0 : (size_t) n >= sizeof(rec) - 1 ? sizeof(rec) - 2 : (size_t) n;
    }
    rec[len++] = '\n';
    msg_write_all(2, rec, len);
}

/*
 * msg_logd_send - one record to logd. The kernel queues only a few
 * datagrams for a local socket (net.unix.max_dgram_qlen, often 10), so a
 * burst of lines can find the queue full: then wait, boundedly, for logd
 * to catch up instead of dropping the line.
 */

static int msg_logd_send(const char *rec, size_t len)
{
    struct pollfd pfd;
    int     waited_ms = 0;

    for (;;) {
	if (send(msg_logd_sock, rec, len, MSG_DONTWAIT | MSG_NOSIGNAL)
	    == (ssize_t) len)
	    return (0);
	if ((errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS
	     && errno != EINTR) || waited_ms >= MSG_LOGD_WAIT_MS)
	    return (-1);
	pfd.fd = msg_logd_sock;
	pfd.events = POLLOUT;
	pfd.revents = 0;
	if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
	    return (-1);
	waited_ms += 100;
    }
}

static void msg_emit(int level, const char *text)
{
    char    rec[MSG_REC_MAX];
    size_t  len;
    int     saved_errno = errno;
    int     logd_ok = 0;

    if (msg_logd_sock >= 0) {
	len = msg_format_record(rec, sizeof(rec), msg_severity[level], text);
	if (msg_logd_send(rec, len) == 0) {
	    if (msg_logd_failed) {
		msg_logd_failed = 0;
	    }
	    logd_ok = 1;
	} else if (!msg_logd_failed) {
	    char    note[256];

	    msg_logd_failed = 1;
	    snprintf(note, sizeof(note),
		     "log service unavailable (%s); logging to stderr",
		     strerror(errno));
	    msg_to_stderr_sink(MSG_WARN, note);
	    if (msg_to_syslog)
		syslog(LOG_WARNING, "warning: %s", note);
	}
    }
    if (msg_to_syslog && !logd_ok)
	syslog(msg_syslog_level[level], "%s%s", msg_severity[level], text);
    if (msg_to_stderr || (msg_logd_sock >= 0 && !logd_ok))
	msg_to_stderr_sink(level, text);
    errno = saved_errno;
}

void    msg_vlog(int level, const char *fmt, va_list ap)
{
    char    text[MSG_TEXT_MAX + 4];
    int     n;
    char   *cp;

    if (level < MSG_INFO || level > MSG_PANIC)
	level = MSG_PANIC;
    if (msg_depth++ > 2) {
	msg_depth--;
	return;
    }
    n = vsnprintf(text, MSG_TEXT_MAX + 1, fmt, ap);
    if (n > MSG_TEXT_MAX)
	memcpy(text + MSG_TEXT_MAX, "...", 4);
    for (cp = text; *cp; cp++)
	if ((unsigned char) *cp < 0x20 || *cp == 0x7f)
	    *cp = '?';
    msg_emit(level, text);
    msg_depth--;
}

void    msg_info_log(const char *fmt,...)
{
    int     to_stderr = msg_to_stderr;
    va_list ap;

    msg_to_stderr = 0;
    va_start(ap, fmt);
    msg_vlog(MSG_INFO, fmt, ap);
    va_end(ap);
    msg_to_stderr = to_stderr;
}

void    msg_info(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_vlog(MSG_INFO, fmt, ap);
    va_end(ap);
}

void    msg_warn(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_vlog(MSG_WARN, fmt, ap);
    va_end(ap);
}

void    msg_error(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_vlog(MSG_ERROR, fmt, ap);
    va_end(ap);
}

void    msg_fatal(const char *fmt,...)
{
    va_list ap;
    static int fatal_depth;

    if (fatal_depth++ == 0 && msg_cleanup_fn)
	msg_cleanup_fn();
    va_start(ap, fmt);
    msg_vlog(MSG_FATAL, fmt, ap);
    va_end(ap);
    exit(msg_exit_status);
}

void    msg_panic(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_vlog(MSG_PANIC, fmt, ap);
    va_end(ap);
    abort();
}
