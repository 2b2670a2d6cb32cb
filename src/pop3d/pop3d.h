/*++
/* NAME
/*	pop3d 3h
/* SUMMARY
/*	pop3d private interfaces
/* SYNOPSIS
/*	#include "pop3d.h"
/* DESCRIPTION
/*	The command parser (pop3d_parse.c), the I/O helpers shared by the
/*	login and session processes (pop3d_io.c), the pre-login process
/*	(pop3d_login.c), the privileged part (pop3d.c, pop3d_auth.c) and
/*	the mailbox session (pop3d_session.c); the mailboxes are in
/*	pop3d_box.h.
/*--*/
#ifndef POP3D_H
#define POP3D_H
#include <stddef.h>
#include <sys/types.h>
#include <peer_info.h>

struct vstream;
struct vstring;

 /*
  * Commands. The states a command is valid in are a bit mask.
  */
#define POP3D_STATE_AUTH	(1<<0)	/* AUTHORIZATION */
#define POP3D_STATE_TRANS	(1<<1)	/* TRANSACTION */

#define POP3D_CMD_USER	0
#define POP3D_CMD_PASS	1
#define POP3D_CMD_AUTH	2
#define POP3D_CMD_CAPA	3
#define POP3D_CMD_QUIT	4
#define POP3D_CMD_STAT	5
#define POP3D_CMD_LIST	6
#define POP3D_CMD_RETR	7
#define POP3D_CMD_DELE	8
#define POP3D_CMD_NOOP	9
#define POP3D_CMD_RSET	10
#define POP3D_CMD_TOP	11
#define POP3D_CMD_UIDL	12
#define POP3D_CMD_COUNT	13

struct pop3d_cmd {
    const char *name;
    int     id;				/* POP3D_CMD_* */
    int     states;			/* POP3D_STATE_* mask */
    int     min_args;
    int     max_args;
};

struct pop3d_req {
    const struct pop3d_cmd *cmd;
    int     argc;
    char   *argv[2];
};

#define POP3D_PARSE_OK		0
#define POP3D_PARSE_UNKNOWN	1	/* -ERR unknown command */
#define POP3D_PARSE_SYNTAX	2	/* -ERR syntax error */

 /*
  * Limits. RFC 2449: a command line is at most 255 octets with CR LF; a
  * SASL response line (RFC 5034) is not bound by that.
  */
#define POP3D_LINE_MAX		255
#define POP3D_AUTH_LINE_MAX	16384

extern int pop3d_parse(char *, size_t, struct pop3d_req *);
extern int pop3d_parse_msgno(const char *, long, long *);
extern const char *pop3d_state_name(int);

 /*
  * pop3d_io.c: line reading, replies, the monitor channel.
  */
#define POP3D_READ_OK		0
#define POP3D_READ_TOOLONG	1	/* the rest of the line is skipped */
#define POP3D_READ_EOF		2
#define POP3D_READ_TIMEOUT	3
#define POP3D_READ_ERROR	4

extern int pop3d_peek_line(int, struct vstring *, size_t, int);
extern int pop3d_stream_line(struct vstream *, struct vstring *, size_t);
extern void pop3d_chop(struct vstring *);
extern int pop3d_reply(struct vstream *, const char *,...)
	__attribute__((format(printf, 2, 3)));
extern int pop3d_mon_send(int, int, const char *, size_t);
extern int pop3d_mon_recv(int, struct vstring *, int);
extern int pop3d_answer(int, int, int);
extern void pop3d_close_fds(const int *, int);
extern void pop3d_proc_name(const char *);
extern int pop3d_error(struct vstream *, long *, const char *);

 /*
  * The monitor channel: one SOCK_SEQPACKET message a request or answer,
  * a type byte then data. The login process asks, the privileged part
  * answers.
  */
#define POP3D_MON_MAX		(POP3D_AUTH_LINE_MAX + 256)

#define POP3D_REQ_PASS		'P'	/* user NUL password */
#define POP3D_REQ_AUTH		'A'	/* mech NUL flag(0|1) initial-response */
#define POP3D_REQ_STEP		'S'	/* client response */
#define POP3D_REQ_CANCEL	'X'	/* client sent "*" */
#define POP3D_REQ_LOCK		'L'	/* session: dot-lock the mbox */
#define POP3D_REQ_UNLOCK	'U'	/* session: remove the dot-lock */

#define POP3D_ANS_OK		'O'	/* logged in; or lock done */
#define POP3D_ANS_CONT		'C'	/* challenge */
#define POP3D_ANS_FAIL		'F'	/* one of the codes below */

#define POP3D_FAIL_AUTH		'a'	/* -ERR [AUTH] */
#define POP3D_FAIL_LIMIT	'l'	/* -ERR [AUTH] and close */
#define POP3D_FAIL_MECH		'm'	/* unsupported mechanism */
#define POP3D_FAIL_PROT		'p'	/* malformed SASL data */
#define POP3D_FAIL_TEMP		't'	/* -ERR [SYS/TEMP] */
#define POP3D_FAIL_INUSE	'u'	/* -ERR [IN-USE] */

 /*
  * pop3d.c and pop3d_auth.c: the privileged part's view of one connection.
  */
struct dsasl_server;
struct passwd;

struct pop3d_conn {
    struct peer_info client;		/* both ends (peer_info(3h)) */
    struct dsasl_server *sasl;
    int     failures;
    int     in_exchange;		/* AUTH in progress */
    char   *method;			/* AUTH mechanism or "USER" */
    char   *attempt;			/* user name tried, for logs */
    /* After a successful login. */
    struct passwd *pw;			/* copy: name, uid, gid, dir */
    int     lock_fd;			/* the in-use lock */
    char   *box_path;
    int     box_format;
    char   *dotlock;			/* held mbox dot-lock, or null */
};

extern int pop3d_monitor(struct pop3d_conn *, int);
extern int pop3d_sasl_new(struct pop3d_conn *, struct vstring *);
extern void pop3d_set(char **, const char *);

 /*
  * pop3d_login.c: the pre-login process (unprivileged, chrooted).
  */
extern void pop3d_login(int, int, const char *) __attribute__((noreturn));

 /*
  * pop3d_session.c: the mailbox session (as the user).
  */
struct pop3d_box;
extern int pop3d_session(struct vstream *, struct pop3d_box *, const char *,
			         const char *);

#endif
