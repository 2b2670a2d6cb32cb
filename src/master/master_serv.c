/*++
/* NAME
/*	master_serv 3
/* SUMMARY
/*	master: services, processes, back-off, triggers, reload, stop
/* SYNOPSIS
/*	#include "master.h"
/*
/*	int	master_serv_start(list, why)
/*	struct master_ent *list;
/*	struct vstring *why;
/*
/*	void	master_serv_reload(list)
/*	struct master_ent *list;
/*
/*	void	master_serv_reap()
/*
/*	void	master_serv_stop(sig)
/*	int	sig;
/* DESCRIPTION
/*	master_serv_start() opens the listeners of every master.cf entry
/*	(as root, before any child runs) and starts watching them; it
/*	fails with a reason when any listener cannot be opened.
/*
/*	Listeners: inet services listen on host:port, or, for a bare
/*	port, on each address of inet_interfaces ("all": every IPv4 and
/*	IPv6 address that inet_protocols allows; "loopback-only":
/*	127.0.0.1 and ::1); unix and pass services on a stream socket
/*	$queue_directory/private/NAME (mode 0600) or public/NAME (0666:
/*	any local user may connect, public/ being mode 0711); unix-dgram
/*	services on a datagram socket there and fifo services on a FIFO
/*	there (0600, or 0660 in public/ with group $setgid_group, so that
/*	only root, mail_owner and the set-gid dromdrop may write to
/*	public/dromlog and public/pickup). Sockets and FIFOs are owned by
/*	mail_owner.
/*
/*	Processes: while a service has no idle process, master watches its
/*	listeners; when one is readable it starts a process (spawn_start,
/*	status pipe as descriptor 3, listeners from 4) unless maxproc
/*	processes run already or the service is in back-off. The status
/*	records (master_proto.h) keep the idle count.
/*
/*	master_serv_reap() collects exited children. An abnormal exit (a
/*	signal, or a non-zero status) is logged and puts the service in
/*	back-off: no new process for service_backoff_time, doubled for
/*	each further abnormal exit up to service_throttle_time; clients
/*	wait in the listen queue meanwhile. A normal exit ends the
/*	back-off sequence.
/*
/*	Wake-up: a unix, unix-dgram or fifo service with a wakeup time gets
/*	MASTER_TRIG_WAKEUP every so many seconds ("?": only once it was
/*	used).
/*
/*	master_serv_reload() replaces the services with those of list: a
/*	new generation for every entry (listeners are handed over when
/*	their address is the same), the old generations retired (status
/*	pipe closed: idle children exit, busy ones after their client).
/*
/*	master_serv_stop() logs "terminating on signal N", sends SIGTERM
/*	to every child (the log service last, so the others' last records
/*	are written), waits a few seconds, kills what is left with
/*	SIGKILL, removes the pid file and exits with status 0.
/* DIAGNOSTICS
/*	Warnings: a child's abnormal exit, back-off, a failed spawn or
/*	trigger, a bad status record.
/*--*/
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include <argv.h>
#include <events.h>
#include <msg.h>
#include <mymalloc.h>
#include <sock.h>
#include <spawn.h>
#include <stringops.h>
#include <vstring.h>

#include <mail_conf.h>
#include <mail_params.h>
#include <master_conf.h>

#include <mail_server.h>
#include "master.h"
#include "master_proto.h"

#define MASTER_STOP_WAIT_MS	5000	/* SIGTERM to SIGKILL */
#define MASTER_LOG_WAIT_MS	2000	/* same, log service */

static struct master_serv *master_servs;	/* active and retired */
static struct master_child *master_children;
static int master_stopping;

static void master_serv_watch(struct master_serv *);

/* master_child_find - child by pid */

static struct master_child *master_child_find(pid_t pid)
{
    struct master_child *child;

    for (child = master_children; child; child = child->next)
	if (child->pid == pid)
	    return (child);
    return (0);
}

/* master_child_remove - forget a child */

static void master_child_remove(struct master_child *gone)
{
    struct master_child **cpp;

    for (cpp = &master_children; *cpp; cpp = &(*cpp)->next) {
	if (*cpp == gone) {
	    *cpp = gone->next;
	    myfree(gone);
	    return;
	}
    }
}

/* master_owner - mail_owner's uid and gid */

static int master_owner(uid_t *uid, gid_t *gid, struct vstring *why)
{
    struct passwd *pw;

    if ((pw = getpwnam(var_mail_owner)) == 0) {
	vstring_sprintf(why, "%s: unknown user: %s", VAR_MAIL_OWNER,
			var_mail_owner);
	return (-1);
    }
    *uid = pw->pw_uid;
    *gid = pw->pw_gid;
    return (0);
}

/* master_listen_inet_one - listen on one address, append descriptors */

static int master_listen_inet_one(struct master_serv *serv, const char *addr,
				          struct vstring *why)
{
    int     n;

    n = inet_listen(addr, MASTER_BACKLOG, serv->listen_fds + serv->listen_count,
		    MASTER_MAX_LISTEN - serv->listen_count, why);
    if (n < 0)
	return (-1);
    serv->listen_count += n;
    return (0);
}

/* master_listen_inet - listeners for an inet service */

static int master_listen_inet(struct master_serv *serv, struct vstring *why)
{
    const char *name = serv->ent->name;
    const char *proto = var_inet_protocols;
    int     v4 = (strcasecmp(proto, "ipv6") != 0);
    int     v6 = (strcasecmp(proto, "ipv4") != 0);
    struct argv *ifaces;
    struct vstring *addr;
    struct vstring *reason;
    size_t  i;
    int     ret = 0;
    const char *iface;

    if (strchr(name, ':') != 0)
	return (master_listen_inet_one(serv, name, why));

    /* A bare port: every address in inet_interfaces. */
    addr = vstring_alloc(100);
    reason = vstring_alloc(100);
    ifaces = argv_split(var_inet_interfaces, " ,\t\r\n");
    for (i = 0; ret == 0 && i < ifaces->argc; i++) {
	iface = ifaces->argv[i];
	if (strcasecmp(iface, "all") == 0) {
	    if (v4 && v6)
		vstring_strcpy(addr, name);
	    else if (v4)
		vstring_sprintf(addr, "0.0.0.0:%s", name);
	    else
		vstring_sprintf(addr, "[::]:%s", name);
	    ret = master_listen_inet_one(serv, vstring_str(addr), reason);
	} else if (strcasecmp(iface, "loopback-only") == 0) {
	    if (v4) {
		vstring_sprintf(addr, "127.0.0.1:%s", name);
		ret = master_listen_inet_one(serv, vstring_str(addr), reason);
	    }
	    if (ret == 0 && v6) {
		vstring_sprintf(addr, "[::1]:%s", name);
		if (master_listen_inet_one(serv, vstring_str(addr), reason) < 0
		    && v4) {
		    /* No IPv6 on this host: IPv4 loopback suffices. */
		    if (msg_verbose)
			msg_info("%s: %s", serv->label, vstring_str(reason));
		} else if (!v4 && serv->listen_count == 0) {
		    ret = -1;
		}
	    }
	} else if (strchr(iface, ':') != 0) {
	    if (v6) {
		vstring_sprintf(addr, "[%s]:%s", iface, name);
		ret = master_listen_inet_one(serv, vstring_str(addr), reason);
	    }
	} else {
	    if (v4 || !isdigit((unsigned char) *iface)) {
		vstring_sprintf(addr, "%s:%s", iface, name);
		ret = master_listen_inet_one(serv, vstring_str(addr), reason);
	    }
	}
    }
    if (ret < 0)
	vstring_sprintf(why, "%s", vstring_str(reason));
    else if (serv->listen_count == 0) {
	vstring_sprintf(why, "no address in %s = %s fits %s = %s",
			VAR_INET_INTERFACES, var_inet_interfaces,
			VAR_INET_PROTOCOLS, var_inet_protocols);
	ret = -1;
    }
    argv_free(&ifaces);
    vstring_free(&addr);
    vstring_free(&reason);
    return (ret);
}

/* master_listen_key - what a service's listeners are bound to */

static char *master_listen_key(const struct master_ent *ent)
{
    struct vstring *key = vstring_alloc(100);

    vstring_sprintf(key, "%s %s %s", master_type_name(ent->type),
		    ent->private_ ? "private" : "public", ent->name);
    if (ent->type == MASTER_TYPE_INET && strchr(ent->name, ':') == 0)
	vstring_sprintf_append(key, " %s %s", var_inet_interfaces,
			       var_inet_protocols);
    return (vstring_export(&key));
}

/* master_sgid_group - the group of public datagram sockets and FIFOs */

static void master_sgid_group(gid_t *gid)
{
    struct group *gr;

    if ((gr = getgrnam(var_sgid_group)) != 0)
	*gid = gr->gr_gid;
    else
	msg_warn("%s: no such group %s: public datagram sockets get the "
		 "group of %s", VAR_SGID_GROUP, var_sgid_group, var_mail_owner);
}

/* master_listen - open a service's listeners */

static int master_listen(struct master_serv *serv, struct vstring *why)
{
    struct master_ent *ent = serv->ent;
    int     fd = -1;
    int     mode;
    uid_t   uid;
    gid_t   gid;
    int     ret;

    if (ent->type == MASTER_TYPE_INET) {
	ret = master_listen_inet(serv, why);
    } else {
	if (master_owner(&uid, &gid, why) < 0)
	    return (-1);
	switch (ent->type) {
	case MASTER_TYPE_UNIX:
	case MASTER_TYPE_PASS:
	    mode = ent->private_ ? 0600 : 0666;
	    fd = unix_listen(serv->sock_path, MASTER_BACKLOG, mode, why);
	    break;
	case MASTER_TYPE_UNIX_DGRAM:
	    mode = ent->private_ ? 0600 : 0660;
	    fd = unix_dgram_listen(serv->sock_path, mode, why);
	    break;
	case MASTER_TYPE_FIFO:
	    mode = ent->private_ ? 0600 : 0660;
	    fd = fifo_listen(serv->sock_path, mode, why);
	    break;
	default:
	    msg_panic("%s: unknown type %d", serv->label, ent->type);
	}
	if (fd < 0)
	    return (-1);
	if (!ent->private_ && mode == 0660)
	    master_sgid_group(&gid);
	if (chown(serv->sock_path, uid, gid) < 0) {
	    vstring_sprintf(why, "chown %s: %s", serv->sock_path,
			    strerror(errno));
	    (void) close(fd);
	    return (-1);
	}
	serv->listen_fds[serv->listen_count++] = fd;
	ret = 0;
    }
    if (ret < 0) {
	while (serv->listen_count > 0)
	    (void) close(serv->listen_fds[--serv->listen_count]);
	return (-1);
    }
    return (0);
}

/* master_serv_create - a new generation for a master.cf entry */

static struct master_serv *master_serv_create(struct master_ent *ent)
{
    struct master_serv *serv = mycalloc(1, sizeof(*serv));
    struct vstring *buf = vstring_alloc(100);
    const char *cmd = ent->args->argv[0];

    serv->ent = ent;
    serv->type = ent->type;
    vstring_sprintf(buf, "%s/%s", ent->name, master_type_name(ent->type));
    serv->label = mystrdup(vstring_str(buf));
    if (*cmd == '/')
	serv->path = mystrdup(cmd);
    else {
	vstring_sprintf(buf, "%s/%s", var_daemon_dir, cmd);
	serv->path = mystrdup(vstring_str(buf));
    }
    if (ent->type != MASTER_TYPE_INET) {
	vstring_sprintf(buf, "%s/%s/%s", master_queue_dir,
			ent->private_ ? "private" : "public", ent->name);
	serv->sock_path = mystrdup(vstring_str(buf));
    }
    serv->listen_key = master_listen_key(ent);
    serv->is_log = (ent->type == MASTER_TYPE_UNIX_DGRAM && !ent->private_
		    && strcmp(ent->name, MASTER_LOG_SERVICE) == 0);
    serv->max_proc = ent->maxproc == MASTER_MAXPROC_DEFAULT ?
	(int) var_proc_limit : ent->maxproc;
    serv->status_fd[0] = serv->status_fd[1] = -1;
    vstring_free(&buf);
    return (serv);
}

/* master_serv_free - forget a retired generation without children */

static void master_serv_free(struct master_serv *serv)
{
    struct master_serv **spp;

    for (spp = &master_servs; *spp; spp = &(*spp)->next) {
	if (*spp == serv) {
	    *spp = serv->next;
	    break;
	}
    }
    myfree(serv->label);
    myfree(serv->path);
    myfree(serv->sock_path);
    myfree(serv->listen_key);
    myfree(serv);
}

/* master_throttle_end - back-off time is over */

static void master_trigger(struct master_serv *);

static void master_throttle_end(int event, void *context)
{
    struct master_serv *serv = context;

    serv->throttled = 0;
    master_serv_watch(serv);
    /* A wake-up service (qmgr) that crashed is needed now, not at the
     * next wake-up: its queue may hold work. */
    if (!serv->retired && serv->ent && serv->ent->wakeup > 0
	&& (!serv->ent->wakeup_if_used || serv->used)
	&& (serv->type == MASTER_TYPE_UNIX || serv->type == MASTER_TYPE_FIFO
	    || serv->type == MASTER_TYPE_UNIX_DGRAM))
	master_trigger(serv);
}

/* master_throttle - no new processes for a while */

static void master_throttle(struct master_serv *serv)
{
    long    delay = var_throttle_min;
    int     i;

    serv->fail_count++;
    for (i = 1; i < serv->fail_count && delay < var_throttle_time; i++)
	delay *= 2;
    if (delay > var_throttle_time)
	delay = var_throttle_time;
    if (delay <= 0)
	return;
    msg_warn("%s: bad command startup -- throttling for %lds", serv->path,
	     delay);
    serv->throttled = 1;
    master_serv_watch(serv);
    event_request_timer(master_throttle_end, serv, delay * 1000);
}

/* master_child_env - the environment for children */

static struct argv *master_child_env(void)
{
    struct argv *env = argv_alloc(8);
    struct argv *names = argv_split(var_import_environ, " ,\t\r\n");
    struct vstring *buf = vstring_alloc(100);
    const char *val;
    size_t  i;

    for (i = 0; i < names->argc; i++) {
	if (strcmp(names->argv[i], "MAIL_CONFIG") == 0)
	    continue;
	if (strchr(names->argv[i], '=') != 0) {
	    argv_add(env, names->argv[i], (char *) 0);
	} else if ((val = getenv(names->argv[i])) != 0) {
	    vstring_sprintf(buf, "%s=%s", names->argv[i], val);
	    argv_add(env, vstring_str(buf), (char *) 0);
	}
    }
    vstring_sprintf(buf, "MAIL_CONFIG=%s", master_config_dir);
    argv_add(env, vstring_str(buf), (char *) 0);
    argv_free(&names);
    vstring_free(&buf);
    return (env);
}

/* master_spawn - start one process for a service */

static void master_spawn(struct master_serv *serv)
{
    struct master_ent *ent = serv->ent;
    struct argv *args = argv_alloc(16);
    struct argv *env = master_child_env();
    struct vstring *why = vstring_alloc(100);
    struct vstring *buf = vstring_alloc(20);
    struct spawn_req req;
    struct master_child *child;
    int     keep[MASTER_MAX_LISTEN + 1];
    int     i;
    size_t  n;
    pid_t   pid;

    argv_add(args, serv->path, "-c", master_config_dir, "-n", ent->name,
	     "-t", master_type_name(ent->type), (char *) 0);
    vstring_sprintf(buf, "%d", serv->listen_count);
    argv_add(args, "-s", vstring_str(buf), (char *) 0);
    if (ent->unpriv)
	argv_add(args, "-u", (char *) 0);
    if (ent->chroot)
	argv_add(args, "-r", (char *) 0);
    for (n = 0; n < ent->overrides->argc; n++)
	argv_add(args, "-o", ent->overrides->argv[n], (char *) 0);
    if (master_foreground)
	argv_add(args, "-f", (char *) 0);
    for (i = 0; i < master_verbose; i++)
	argv_add(args, "-v", (char *) 0);
    for (n = 1; n < ent->args->argc; n++)
	argv_add(args, ent->args->argv[n], (char *) 0);

    keep[0] = serv->status_fd[1];
    for (i = 0; i < serv->listen_count; i++)
	keep[i + 1] = serv->listen_fds[i];
    memset(&req, 0, sizeof(req));
    req.argv = args->argv;
    req.env = env->argv;
    req.fd_in = -1;
    req.fd_out = -1;
    req.fd_err = master_foreground ? 2 : -1;
    req.keep_fds = keep;
    req.keep_count = serv->listen_count + 1;

    serv->used = 1;
    if ((pid = spawn_start(&req, why)) < 0) {
	msg_warn("%s: cannot start process: %s", serv->path, vstring_str(why));
	master_throttle(serv);
    } else {
	if (msg_verbose)
	    msg_info("%s: started process %ld", serv->label, (long) pid);
	child = mycalloc(1, sizeof(*child));
	child->pid = pid;
	child->serv = serv;
	child->avail = 1;
	child->next = master_children;
	master_children = child;
	serv->total++;
	serv->avail++;
	master_serv_watch(serv);
    }
    argv_free(&args);
    argv_free(&env);
    vstring_free(&why);
    vstring_free(&buf);
}

/* master_listen_event - a client waits and no process is idle */

static void master_listen_event(int event, void *context)
{
    struct master_serv *serv = context;

    if (serv->listening)
	master_spawn(serv);
}

/* master_serv_watch - watch the listeners when a process is needed */

static void master_serv_watch(struct master_serv *serv)
{
    int     want;
    int     i;

    want = !serv->retired && !serv->throttled && !master_stopping
	&& serv->avail == 0 && serv->listen_count > 0
	&& (serv->max_proc <= 0 || serv->total < serv->max_proc);
    if (want == serv->listening)
	return;
    serv->listening = want;
    for (i = 0; i < serv->listen_count; i++) {
	if (want)
	    event_enable_read(serv->listen_fds[i], master_listen_event, serv);
	else
	    event_disable_readwrite(serv->listen_fds[i]);
    }
}

/* master_status_event - status records from a service's children */

static void master_status_event(int event, void *context)
{
    struct master_serv *serv = context;
    struct master_status recs[64];
    struct master_child *child;
    ssize_t n;
    size_t  i;

    while ((n = read(serv->status_fd[0], recs, sizeof(recs))) > 0) {
	if (n % (ssize_t) sizeof(recs[0]) != 0)
	    msg_warn("%s: status pipe: partial record", serv->label);
	for (i = 0; i < (size_t) n / sizeof(recs[0]); i++) {
	    child = master_child_find((pid_t) recs[i].pid);
	    if (child == 0 || child->serv != serv) {
		msg_warn("%s: status record from unknown process %d",
			 serv->label, recs[i].pid);
		continue;
	    }
	    switch (recs[i].status) {
	    case MASTER_STAT_TAKEN:
		serv->used = 1;
		if (child->avail) {
		    child->avail = 0;
		    serv->avail--;
		}
		break;
	    case MASTER_STAT_AVAIL:
		if (!child->avail) {
		    child->avail = 1;
		    serv->avail++;
		}
		break;
	    default:
		msg_warn("%s: process %d: bad status %d", serv->label,
			 recs[i].pid, recs[i].status);
	    }
	}
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
	msg_warn("%s: read status pipe: %m", serv->label);
    master_serv_watch(serv);
}

/* master_trigger - send one wake-up to a service */

static void master_trigger(struct master_serv *serv)
{
    static const char trig[1] = {MASTER_TRIG_WAKEUP};
    struct vstring *why = vstring_alloc(100);
    struct sockaddr_un sun;
    int     fd;

    switch (serv->type) {
    case MASTER_TYPE_UNIX:
	if ((fd = unix_connect(serv->sock_path, 1, why)) < 0) {
	    msg_warn("%s: wake-up: %s", serv->label, vstring_str(why));
	} else {
	    if (write(fd, trig, 1) != 1 && msg_verbose)
		msg_info("%s: wake-up write: %m", serv->label);
	    (void) close(fd);
	}
	break;
    case MASTER_TYPE_UNIX_DGRAM:
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(serv->sock_path) >= sizeof(sun.sun_path))
	    break;
	memcpy(sun.sun_path, serv->sock_path, strlen(serv->sock_path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
	    msg_warn("%s: wake-up: socket: %m", serv->label);
	    break;
	}
	if (sendto(fd, trig, 1, MSG_DONTWAIT, (struct sockaddr *) &sun,
		   sizeof(sun)) != 1 && msg_verbose)
	    msg_info("%s: wake-up: sendto: %m", serv->label);
	(void) close(fd);
	break;
    case MASTER_TYPE_FIFO:
	if (serv->listen_count > 0
	    && write(serv->listen_fds[0], trig, 1) != 1 && msg_verbose)
	    msg_info("%s: wake-up write: %m", serv->label);
	break;
    }
    vstring_free(&why);
}

/* master_wakeup_event - time for a wake-up trigger */

static void master_wakeup_event(int event, void *context)
{
    struct master_serv *serv = context;

    if (serv->retired || serv->ent == 0)
	return;
    if (!serv->ent->wakeup_if_used || serv->used)
	master_trigger(serv);
    event_request_timer(master_wakeup_event, serv, serv->ent->wakeup * 1000L);
}

/* master_listen_retry - open a reloaded service's listeners, again */

static void master_listen_retry(int event, void *context)
{
    struct master_serv *serv = context;
    struct vstring *reason = vstring_alloc(100);

    if (serv->retired || serv->ent == 0) {
	/* Cancelled. */
    } else if (master_listen(serv, reason) == 0) {
	if (serv->listen_tries > 0)
	    msg_info("%s: listening now", serv->label);
	master_serv_watch(serv);
    } else if (++serv->listen_tries == 1) {
	msg_warn("%s: %s; retrying (old processes may still hold the "
		 "address)", serv->label, vstring_str(reason));
	event_request_timer(master_listen_retry, serv, MASTER_LISTEN_RETRY_MS);
    } else if (serv->listen_tries < MASTER_LISTEN_TRIES) {
	event_request_timer(master_listen_retry, serv, MASTER_LISTEN_RETRY_MS);
    } else {
	msg_error("%s, line %d: service %s: %s; the service is not "
		  "available", serv->ent->file, serv->ent->line,
		  serv->label, vstring_str(reason));
    }
    vstring_free(&reason);
}

/* master_serv_activate - status pipe, watching, wake-ups */

static void master_serv_activate(struct master_serv *serv)
{
    if (pipe2(serv->status_fd, O_CLOEXEC) < 0)
	msg_fatal("%s: pipe: %m", serv->label);
    (void) non_blocking(serv->status_fd[0], 1);
    event_enable_read(serv->status_fd[0], master_status_event, serv);
    master_serv_watch(serv);
    if (serv->ent->wakeup > 0
	&& (serv->type == MASTER_TYPE_UNIX || serv->type == MASTER_TYPE_FIFO
	    || serv->type == MASTER_TYPE_UNIX_DGRAM))
	/* The first trigger at once: a wake-up service (qmgr) starts with
	 * master and can recover what a crash left behind. */
	event_request_timer(master_wakeup_event, serv,
			    serv->ent->wakeup_if_used ?
			    serv->ent->wakeup * 1000L : 0);
}

/* master_serv_retire - end a generation; its children finish and exit */

static void master_serv_retire(struct master_serv *serv)
{
    serv->retired = 1;
    master_serv_watch(serv);
    while (serv->listen_count > 0)
	(void) close(serv->listen_fds[--serv->listen_count]);
    if (serv->status_fd[0] >= 0) {
	event_disable_readwrite(serv->status_fd[0]);
	(void) close(serv->status_fd[0]);
	(void) close(serv->status_fd[1]);
	serv->status_fd[0] = serv->status_fd[1] = -1;
    }
    event_cancel_timer(master_throttle_end, serv);
    event_cancel_timer(master_wakeup_event, serv);
    event_cancel_timer(master_listen_retry, serv);
    serv->ent = 0;
    if (serv->total == 0)
	master_serv_free(serv);
}

/* master_serv_append - add a generation at the end of the list */

static void master_serv_append(struct master_serv *serv)
{
    struct master_serv **spp;

    for (spp = &master_servs; *spp; spp = &(*spp)->next)
	 /* void */ ;
    *spp = serv;
}

int     master_serv_start(struct master_ent *list, struct vstring *why)
{
    struct master_ent *ent;
    struct master_serv *serv;
    struct vstring *reason = vstring_alloc(100);

    for (ent = list; ent; ent = ent->next) {
	serv = master_serv_create(ent);
	master_serv_append(serv);
	if (master_listen(serv, reason) < 0) {
	    vstring_sprintf(why, "%s, line %d: service %s: %s", ent->file,
			    ent->line, serv->label, vstring_str(reason));
	    vstring_free(&reason);
	    return (-1);
	}
    }
    for (serv = master_servs; serv; serv = serv->next)
	master_serv_activate(serv);
    vstring_free(&reason);
    return (0);
}

void    master_serv_reload(struct master_ent *list)
{
    struct master_serv *old_list = master_servs;
    struct master_serv *new_list = 0;
    struct master_serv *serv;
    struct master_serv *old;
    struct master_serv *next;
    struct master_ent *ent;
    int     i;

    /* Pass 1: new generations; hand over listeners that stay. */
    master_servs = 0;
    for (ent = list; ent; ent = ent->next) {
	serv = master_serv_create(ent);
	for (old = old_list; old; old = old->next) {
	    if (old->retired || old->ent == 0
		|| strcmp(old->listen_key, serv->listen_key) != 0)
		continue;
	    old->retired = 1;			/* stop watching first */
	    master_serv_watch(old);
	    old->retired = 0;
	    for (i = 0; i < old->listen_count; i++)
		serv->listen_fds[i] = old->listen_fds[i];
	    serv->listen_count = old->listen_count;
	    old->listen_count = 0;
	    if (old->fail_count > 0 && strcmp(old->path, serv->path) == 0)
		serv->fail_count = old->fail_count;
	    break;
	}
	master_serv_append(serv);
    }
    new_list = master_servs;

    /* Pass 2: retire the old generations (this closes stale listeners). */
    master_servs = old_list;
    for (old = old_list; old; old = next) {
	next = old->next;
	if (!old->retired)
	    master_serv_retire(old);
    }
    /* What is left of the old list are retired generations with children. */
    if (master_servs == 0)
	master_servs = new_list;
    else {
	for (old = master_servs; old->next; old = old->next)
	     /* void */ ;
	old->next = new_list;
    }

    /*
     * Pass 3: open new listeners, start watching. An address may still be
     * held by a retired process that finishes a client: retry a while.
     */
    for (serv = new_list; serv; serv = serv->next) {
	master_serv_activate(serv);
	if (serv->listen_count == 0)
	    master_listen_retry(0, serv);
    }
}

void    master_serv_reap(void)
{
    struct master_child *child;
    struct master_serv *serv;
    struct vstring *buf = vstring_alloc(50);
    pid_t   pid;
    int     status;
    int     bad;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
	if ((child = master_child_find(pid)) == 0)
	    continue;
	serv = child->serv;
	serv->total--;
	if (child->avail)
	    serv->avail--;
	master_child_remove(child);
	bad = WIFSIGNALED(status)
	    || (WIFEXITED(status) && WEXITSTATUS(status) != 0);
	if (master_stopping) {
	    /* Expected. */
	} else if (bad) {
	    msg_warn("process %s pid %ld %s", serv->path, (long) pid,
		     spawn_status_str(status, buf));
	    if (!serv->retired)
		master_throttle(serv);
	} else {
	    if (msg_verbose)
		msg_info("%s: process %ld exited", serv->label, (long) pid);
	    if (!serv->retired)
		serv->fail_count = 0;
	}
	if (serv->retired) {
	    if (serv->total == 0)
		master_serv_free(serv);
	} else {
	    master_serv_watch(serv);
	}
    }
    vstring_free(&buf);
}

/* master_kill_wait - signal the chosen children, wait for them */

static void master_kill_wait(int want_log, int sig, long wait_ms)
{
    struct master_child *child;
    long long deadline;
    struct timespec ts;
    int     left;

    for (child = master_children; child; child = child->next)
	if (child->serv->is_log == want_log)
	    (void) kill(child->pid, sig);
    deadline = event_now_ms() + wait_ms;
    for (;;) {
	master_serv_reap();
	left = 0;
	for (child = master_children; child; child = child->next)
	    if (child->serv->is_log == want_log)
		left++;
	if (left == 0 || event_now_ms() >= deadline)
	    break;
	ts.tv_sec = 0;
	ts.tv_nsec = 20 * 1000 * 1000;
	(void) nanosleep(&ts, (struct timespec *) 0);
    }
}

void    master_serv_stop(int sig)
{
    struct master_child *child;
    struct master_serv *serv;
    int     status;

    msg_info("terminating on signal %d", sig);
    master_stopping = 1;
    for (serv = master_servs; serv; serv = serv->next)
	master_serv_watch(serv);
    master_kill_wait(0, SIGTERM, MASTER_STOP_WAIT_MS);
    master_kill_wait(1, SIGTERM, MASTER_LOG_WAIT_MS);
    while ((child = master_children) != 0) {
	(void) kill(child->pid, SIGKILL);
	while (waitpid(child->pid, &status, 0) < 0 && errno == EINTR)
	     /* void */ ;
	master_children = child->next;
	myfree(child);
    }
    if (master_pid_file)
	(void) unlink(master_pid_file);
    exit(0);
}
