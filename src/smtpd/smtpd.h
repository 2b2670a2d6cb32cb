/*++
/* NAME
/*	smtpd 3h
/* SUMMARY
/*	smtpd private interfaces
/* SYNOPSIS
/*	#include "smtpd.h"
/* DESCRIPTION
/*	The session state, the command table, the command-line parsers
/*	(smtpd_parse.c), the DATA filter stack (smtpd_data.c), the reply
/*	and session loop (smtpd_proto.c) and the command handlers
/*	(smtpd_cmd.c, smtpd_cmd_mail.c, smtpd_cmd_data.c).
/*--*/
#ifndef SMTPD_H
#define SMTPD_H
#include <stddef.h>
#include <sys/types.h>
#include <time.h>
#include <peer_info.h>

struct vstream;
struct vstring;
struct argv;
struct cleanup_clnt;

 /*
  * Per-command counters for the "disconnect from" log line.
  */
struct smtpd_count {
    int     ok;
    int     total;
};

#define SMTPD_REC_BATCH	8192	/* content bytes per record to cleanup */

#define SMTPD_CMD_HELO	0
#define SMTPD_CMD_EHLO	1
#define SMTPD_CMD_MAIL	2
#define SMTPD_CMD_RCPT	3
#define SMTPD_CMD_DATA	4
#define SMTPD_CMD_RSET	5
#define SMTPD_CMD_NOOP	6
#define SMTPD_CMD_QUIT	7
#define SMTPD_CMD_VRFY	8
#define SMTPD_CMD_HELP	9
#define SMTPD_CMD_UNKNOWN 10		/* unknown or malformed command */
#define SMTPD_CMD_COUNT	11

#define SMTPD_NAME_OK	PEER_NAME_OK	/* name verified */
#define SMTPD_NAME_NONE	PEER_NAME_NONE	/* no name, or it does not verify */
#define SMTPD_NAME_TEMP	PEER_NAME_TEMP	/* a lookup failed for now */

struct smtpd_state {
    struct vstream *client;
    char   *name;			/* client host name or "unknown" */
    char   *addr;			/* client address */
    char   *port;			/* client port */
    char   *namaddr;			/* name[addr] */
    char   *reverse_name;		/* PTR name, unverified, or "unknown" */
    int     name_status;		/* SMTPD_NAME_* */
    char   *client_reject;		/* smtpd_client_restrictions at connect */
    struct vstring *check_reply;	/* the last restriction reply */
    char   *act_hold;			/* HOLD: why, or null */
    char   *act_discard;		/* DISCARD: why, or null */
    char   *act_redirect;		/* REDIRECT: the address, or null */
    struct argv *act_prepend;		/* PREPEND: headers */
    char   *helo_name;			/* null before HELO/EHLO */
    int     esmtp;			/* EHLO was used */
    char   *sender;			/* null before MAIL */
    struct argv *rcpts;			/* accepted recipients */
    struct argv *rcpt_dsn;		/* per recipient: N record data or "" */
    char   *dsn_ret;			/* RET= from MAIL (DSN_RET_*), or null */
    char   *dsn_envid;			/* ENVID= from MAIL, decoded, or null */
    int     rcpt_tries;			/* RCPT commands since MAIL */
    long    size_param;			/* SIZE= from MAIL, 0 if none */
    int     error_count;
    const char *where;			/* last command for logs */
    time_t  deadline;			/* end of smtpd_session_timeout */
    int     quit;			/* end the session */
    struct vstring *buf;		/* command line */
    struct vstring *scratch;
    struct vstring *why;
    struct vstring *queue_id;
    struct cleanup_clnt *cleanup;	/* open connection to cleanup */
    int     cleanup_begun;		/* message request sent, not answered */
    struct smtpd_count count[SMTPD_CMD_COUNT];
};

 /*
  * smtpd_proto.c: the session.
  */
extern void smtpd_state_init(struct smtpd_state *, struct vstream *);
extern void smtpd_state_free(struct smtpd_state *);
extern void smtpd_session(struct smtpd_state *);
extern void smtpd_reply(struct smtpd_state *, const char *,...)
	__attribute__((format(printf, 2, 3)));
extern void smtpd_reset(struct smtpd_state *);
extern int smtpd_read_timeout(struct smtpd_state *);
extern void smtpd_timeout_exit(struct smtpd_state *);
extern void smtpd_lost_exit(struct smtpd_state *);

 /*
  * smtpd_cmd_data.c: the message.
  */
extern void smtpd_cleanup_start(struct smtpd_state *);

 /*
  * smtpd_check.c: restrictions.
  */
struct smtpd_rlist;
extern void smtpd_check_init(void);
extern int smtpd_check_changed(void);
extern int smtpd_check_client(struct smtpd_state *);
extern int smtpd_check_helo(struct smtpd_state *);
extern int smtpd_check_mail(struct smtpd_state *);
extern int smtpd_check_rcpt(struct smtpd_state *, const char *);
extern int smtpd_check_data(struct smtpd_state *);
extern int smtpd_check_eod(struct smtpd_state *);
extern struct smtpd_rlist *smtpd_check_parse(const char *, const char *,
					             struct vstring *);
extern void smtpd_check_init_classes(const char *);	/* tests only */
extern void smtpd_check_free(struct smtpd_rlist *);	/* tests only */

 /*
  * smtpd_parse.c: command-line parsing without side effects.
  */
struct smtpd_cmd {
    const char *name;
    int     id;				/* SMTPD_CMD_* */
    int     (*action) (struct smtpd_state *, char *);
};

extern const struct smtpd_cmd *smtpd_cmd_find(const char *, size_t);
extern char *smtpd_cmd_split(char *, size_t *, char **);

#define SMTPD_PATH_OK		0
#define SMTPD_PATH_SYNTAX	1	/* keyword missing: 501 5.5.2 */
#define SMTPD_PATH_BADADDR	2	/* address syntax: 501 5.1.x */

extern int smtpd_parse_path(const char *, const char *, int,
			            struct vstring *, char **, struct vstring *);

#define SMTPD_BODY_NONE		0
#define SMTPD_BODY_7BIT		1
#define SMTPD_BODY_8BITMIME	2

#define SMTPD_PARAM_OK		0
#define SMTPD_PARAM_SYNTAX	1	/* 501 5.5.4 */
#define SMTPD_PARAM_UNKNOWN	2	/* 555 5.5.4 */

 /* What MAIL FROM and RCPT TO parameters said. */
struct smtpd_params {
    long    size;			/* SIZE=, 0 if none */
    int     body;			/* BODY=, SMTPD_BODY_* */
    const char *ret;			/* RET=, DSN_RET_* or null */
    struct vstring *envid;		/* ENVID=, decoded; empty if none */
    int     notify;			/* NOTIFY=, DSN_NOTIFY_*; 0 if none */
    struct vstring *orcpt;		/* ORCPT=, decoded; empty if none */
    int     seen;			/* parameters seen (one bit each) */
};

extern void smtpd_params_init(struct smtpd_params *);
extern void smtpd_params_free(struct smtpd_params *);
extern int smtpd_parse_params(char *, int, struct smtpd_params *,
			              struct vstring *);
extern int smtpd_addr_is_local(const char *, const char *);

 /*
  * smtpd_data.c: the DATA filter stack.
  */
struct smtpd_filter {
    int     (*put) (struct smtpd_filter *, const char *, size_t);
    int     (*finish) (struct smtpd_filter *);
    struct smtpd_filter *next;
};

extern int smtpd_filter_put(struct smtpd_filter *, const char *, size_t);
extern int smtpd_filter_finish(struct smtpd_filter *);

 /* End of data, dot-unstuffing. */
struct smtpd_dot {
    struct smtpd_filter filter;
    int     state;
    int     done;			/* saw CRLF.CRLF */
};
extern void smtpd_dot_init(struct smtpd_dot *, struct smtpd_filter *);
extern ssize_t smtpd_dot_feed(struct smtpd_dot *, const char *, size_t);

 /* Bare CR / bare LF detection (pass-through). */
#define SMTPD_BARE_LF	(1<<0)
#define SMTPD_BARE_CR	(1<<1)
struct smtpd_bare {
    struct smtpd_filter filter;
    int     last_cr;
    int     found;			/* SMTPD_BARE_* */
};
extern void smtpd_bare_init(struct smtpd_bare *, struct smtpd_filter *);

 /* CRLF to LF. */
struct smtpd_crlf {
    struct smtpd_filter filter;
    int     held_cr;
};
extern void smtpd_crlf_init(struct smtpd_crlf *, struct smtpd_filter *);

 /* Size limit: count, and stop passing data beyond the limit. */
struct smtpd_limit {
    struct smtpd_filter filter;
    long    limit;			/* 0: none */
    long    count;
    int     exceeded;
};
extern void smtpd_limit_init(struct smtpd_limit *, long, struct smtpd_filter *);

 /* Sink: REC_TYPE_CONT records, one per line (split at REC_CONT_MAX). */
struct smtpd_recsink {
    struct smtpd_filter filter;
    struct vstream *stream;		/* null: discard */
    struct vstring *line;
    size_t  max;
    int     error;
};
extern void smtpd_recsink_init(struct smtpd_recsink *, struct vstream *, size_t);
extern void smtpd_recsink_free(struct smtpd_recsink *);

 /* The stack as smtpd uses it. */
struct smtpd_data {
    struct smtpd_dot dot;
    struct smtpd_bare bare;
    struct smtpd_crlf crlf;
    struct smtpd_limit limit;
    struct smtpd_recsink sink;
};
extern void smtpd_data_init(struct smtpd_data *, struct vstream *, long);
extern void smtpd_data_free(struct smtpd_data *);

#define SMTPD_DATA_CHUNK	65536	/* bytes read per call */

 /*
  * Command handlers.
  */
extern int smtpd_cmd_helo(struct smtpd_state *, char *);
extern int smtpd_cmd_ehlo(struct smtpd_state *, char *);
extern int smtpd_cmd_mail(struct smtpd_state *, char *);
extern int smtpd_cmd_rcpt(struct smtpd_state *, char *);
extern int smtpd_cmd_data(struct smtpd_state *, char *);
extern int smtpd_cmd_rset(struct smtpd_state *, char *);
extern int smtpd_cmd_noop(struct smtpd_state *, char *);
extern int smtpd_cmd_quit(struct smtpd_state *, char *);
extern int smtpd_cmd_vrfy(struct smtpd_state *, char *);
extern int smtpd_cmd_help(struct smtpd_state *, char *);

#endif
