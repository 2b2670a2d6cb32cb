#ifndef MAIL_SERVER_COMMON_H
#define MAIL_SERVER_COMMON_H
/*++
/* NAME
/*	mail_server_common 3h
/* SUMMARY
/*	steps shared by the server skeletons
/* SYNOPSIS
/*	#include "mail_server_common.h"
/* DESCRIPTION
/*	Private to src/master: the skeletons (single_server.c,
/*	dgram_server.c) share argument parsing, configuration, logging,
/*	chroot and the privilege drop through this module.
/*--*/
#include <signal.h>
#include <stdarg.h>

#include <events.h>

#include <mail_server.h>

struct argv;

struct mail_server_ctx {
    const char *skeleton;		/* "single_server" etc. */
    char   *service;			/* -n */
    int     type;			/* -t, MASTER_TYPE_* */
    int     listen_count;		/* -s */
    int     unpriv;			/* -u */
    int     chroot;			/* -r */
    int     foreground;			/* -f */
    int     standalone;			/* -S */
    const char *config_dir;		/* -c or MAIL_CONFIG */
    struct argv *overrides;		/* -o name=value */
    char  **argv;			/* arguments after the options */
    int     privileged;			/* MAIL_SERVER_PRIVILEGED */
    mail_server_init_fn pre_init;
    mail_server_init_fn post_init;
    mail_server_init_fn pre_accept;
    mail_server_init_fn wakeup;
    mail_server_void_fn exit_fn;
    mail_server_void_fn hup_fn;
    mail_server_void_fn batch_end_fn;	/* MAIL_SERVER_BATCH_END */
    mail_server_multi_fn connect_fn;	/* MAIL_SERVER_CONNECT */
    mail_server_stop_fn stop_fn;	/* MAIL_SERVER_STOP */
    void    (*on_term) (void);		/* skeleton's SIGTERM action */
};

extern volatile sig_atomic_t mail_server_busy;

extern void mail_server_args(struct mail_server_ctx *, const char *,
			             int, char **, va_list, const int *);
extern void mail_server_setup(struct mail_server_ctx *);
extern void mail_server_signals(struct mail_server_ctx *);
extern void mail_server_listen(struct mail_server_ctx *, event_fn, event_fn,
			               int);
extern int mail_server_have_master(void);
extern int mail_server_master_gone(void);
extern int mail_server_accept(int);
extern void mail_server_exit(struct mail_server_ctx *) __attribute__((noreturn));

#endif
