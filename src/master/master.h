#ifndef MASTER_H
#define MASTER_H
/*++
/* NAME
/*	master 3h
/* SUMMARY
/*	master daemon, private interfaces
/* SYNOPSIS
/*	#include "master.h"
/* DESCRIPTION
/*	A struct master_serv is one service generation: a master.cf entry
/*	as master read it at start-up or at the last reload, with its
/*	listening descriptors, its status pipe and its process counts. A
/*	reload makes new generations; the old ones are retired (status
/*	pipe closed, so their children finish and exit) and freed when
/*	their last child is gone. A listener whose address did not change
/*	is handed from the old generation to the new one, so no client
/*	sees a refused connection during a reload.
/*
/*	master_config.c: reading and checking main.cf and master.cf.
/*	master_serv.c: listeners, process creation, status records,
/*	reaping, back-off, wake-up triggers, reload and stop.
/*	master_sig.c: signals into the event loop.
/*--*/
#include <sys/types.h>

struct vstring;
struct master_ent;

#define MASTER_MAX_LISTEN	16	/* listening descriptors per service */
#define MASTER_BACKLOG		128	/* listen() queue */
#define MASTER_LISTEN_RETRY_MS	200	/* reload: listener retry interval */
#define MASTER_LISTEN_TRIES	50	/* reload: attempts before giving up */

struct master_serv {
    struct master_ent *ent;		/* config (NULL once retired) */
    char   *label;			/* "name/type" for logs */
    char   *path;			/* command path */
    char   *sock_path;			/* unix, unix-dgram, fifo, pass */
    char   *listen_key;			/* what the listeners are bound to */
    int     type;
    int     is_log;			/* the log service */
    int     listen_fds[MASTER_MAX_LISTEN];
    int     listen_count;
    int     status_fd[2];		/* read end, write end */
    int     max_proc;			/* 0: no limit */
    int     total;			/* processes */
    int     avail;			/* idle processes */
    int     listening;			/* watching the listeners */
    int     throttled;			/* in back-off */
    int     fail_count;			/* consecutive abnormal exits */
    int     used;			/* a client came at least once */
    int     listen_tries;		/* failed attempts to listen */
    int     retired;			/* an old generation */
    struct master_serv *next;
};

struct master_child {
    pid_t   pid;
    struct master_serv *serv;
    int     avail;
    struct master_child *next;
};

/* master.c */
extern const char *master_config_dir;
extern char *master_queue_dir;
extern int master_foreground;
extern int master_verbose;
extern char *master_pid_file;
extern void master_reload(void);

/* master_config.c */
extern int master_config_read(const char *, struct master_ent **, struct vstring *);
extern int master_config_check(const char *, struct vstring *);
extern void master_logging(void);

/* master_serv.c */
extern int master_serv_start(struct master_ent *, struct vstring *);
extern void master_serv_reload(struct master_ent *);
extern void master_serv_reap(void);
extern void master_serv_stop(int) __attribute__((noreturn));

/* master_sig.c */
extern void master_sig_init(void);

#endif
