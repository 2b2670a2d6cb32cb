/*++
/* NAME
/*	sendmail_bs 3
/* SUMMARY
/*	"sendmail -bs": an SMTP dialogue on standard input and output
/* SYNOPSIS
/*	#include "sendmail.h"
/*
/*	int	sendmail_bs(defaults)
/* DESCRIPTION
/*	sendmail_bs() speaks SMTP (RFC 5321) with the program on the
/*	other end of standard input and output, the way programs that
/*	talk SMTP to "sendmail -bs" expect: a 220 greeting, HELO or EHLO
/*	(announcing PIPELINING, 8BITMIME, DSN and ENHANCEDSTATUSCODES),
/*	MAIL FROM (BODY=, SIZE=, RET=, ENVID=), RCPT TO (NOTIFY=,
/*	ORCPT= accepted; ORCPT is not kept), DATA, RSET, NOOP, VRFY (252)
/*	and QUIT. Each message is submitted through dromdrop(1) like a
/*	command-line submission, with the caller's login checked against
/*	$local_login_sender_maps for the MAIL FROM address; the reply to
/*	DATA reports dromdrop's result (250 only after the maildrop file
/*	is on disk). A command line is at most 2048 bytes; more is a 500
/*	reply. defaults gives the DSN settings and full name of the
/*	command line.
/* DIAGNOSTICS
/*	Returns the exit status: 0 after QUIT, EX_IOERR when the input
/*	ended without it.
/*--*/
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <dsn.h>
#include <mail_addr.h>
#include <mail_params.h>

#include "sendmail.h"

#define BS_LINE_MAX	2048
#define BS_RCPT_MAX	1000

struct bs_state {
    struct vstream *in;
    struct vstream *out;
    int     helo;				/* HELO or EHLO seen */
    char   *sender;			/* MAIL FROM done, or null */
    char   *ret;
    char   *envid;
    struct argv *rcpts;
    int    *notify;			/* per recipient, 0: the default */
};

static void bs_reply(struct bs_state *s, const char *text)
{
    vstream_puts(s->out, text);
    vstream_puts(s->out, "\r\n");
}

static void bs_reset(struct bs_state *s)
{
    if (s->sender)
	myfree(s->sender);
    if (s->ret)
	myfree(s->ret);
    if (s->envid)
	myfree(s->envid);
    s->sender = s->ret = s->envid = 0;
    argv_free(&s->rcpts);
    s->rcpts = argv_alloc(8);
}

/* bs_path - "FROM:<addr> params" after the verb: the address, params */

static int bs_path(const char *arg, const char *key, struct vstring *addr,
		           const char **params)
{
    struct vstring *why = vstring_alloc(100);
    size_t  klen = strlen(key);
    const char *end;
    int     flags = MAIL_ADDR_FLAG_NODOMAIN;

    if (strncasecmp(arg, key, klen) != 0) {
	vstring_free(&why);
	return (-1);
    }
    arg += klen;
    while (*arg == ' ')
	arg++;
    if (strcasecmp(key, "FROM:") == 0)
	flags |= MAIL_ADDR_FLAG_NULL_OK;
    end = mail_addr_parse(arg, strlen(arg), flags, addr, why);
    vstring_free(&why);
    if (end == 0)
	return (-1);
    while (*end == ' ')
	end++;
    *params = end;
    return (0);
}

/* bs_mail_params - RET= and ENVID=; BODY= and SIZE= are fine */

static const char *bs_mail_params(struct bs_state *s, const char *params)
{
    struct argv *words = argv_split(params, " ");
    struct vstring *buf = vstring_alloc(100);
    const char *err = 0;
    size_t  i;
    char   *w;

    for (i = 0; err == 0 && i < words->argc; i++) {
	w = words->argv[i];
	if (strncasecmp(w, "RET=", 4) == 0) {
	    if (strcasecmp(w + 4, "FULL") && strcasecmp(w + 4, "HDRS"))
		err = "501 5.5.4 Bad RET parameter";
	    else if (s->ret == 0) {
		s->ret = mystrdup(w + 4);
		for (w = s->ret; *w; w++)
		    *w = toupper((unsigned char) *w);
	    }
	} else if (strncasecmp(w, "ENVID=", 6) == 0) {
	    if (dsn_xtext_decode(buf, w + 6) < 0 || vstring_len(buf) == 0
		|| vstring_len(buf) > DSN_ENVID_MAX)
		err = "501 5.5.4 Bad ENVID parameter";
	    else if (s->envid == 0)
		s->envid = mystrdup(vstring_str(buf));
	} else if (strncasecmp(w, "BODY=", 5) != 0
		   && strncasecmp(w, "SIZE=", 5) != 0) {
	    err = "555 5.5.4 Unsupported option";
	}
    }
    argv_free(&words);
    vstring_free(&buf);
    return (err);
}

/* bs_rcpt_params - NOTIFY= (and ORCPT=, accepted) */

static const char *bs_rcpt_params(const char *params, int *notify)
{
    struct argv *words = argv_split(params, " ");
    const char *err = 0;
    size_t  i;

    for (i = 0; err == 0 && i < words->argc; i++) {
	if (strncasecmp(words->argv[i], "NOTIFY=", 7) == 0) {
	    if ((*notify = dsn_notify_parse(words->argv[i] + 7)) <= 0)
		err = "501 5.5.4 Bad NOTIFY parameter";
	} else if (strncasecmp(words->argv[i], "ORCPT=", 6) != 0) {
	    err = "555 5.5.4 Unsupported option";
	}
    }
    argv_free(&words);
    return (err);
}

/* bs_data - read the message and submit it */

static void bs_data(struct bs_state *s, const struct sendmail_msg *defaults)
{
    struct vstring *content = vstring_alloc(4096);
    struct vstring *why = vstring_alloc(100);
    struct sendmail_msg m;
    int     status;

    bs_reply(s, "354 End data with <CR><LF>.<CR><LF>");
    vstream_flush(s->out);
    status = sendmail_read(s->in, SENDMAIL_READ_SMTP, var_message_limit,
			   content);
    if (status == SENDMAIL_READ_ERROR) {
	vstring_free(&content);
	vstring_free(&why);
	return;
    }
    if (status == SENDMAIL_READ_TOOBIG) {
	bs_reply(s, "552 5.3.4 Error: message file too big");
    } else {
	m = *defaults;
	m.sender = s->sender;
	m.rcpts = s->rcpts;
	m.rcpt_notify = s->notify;
	if (s->ret)
	    m.ret = s->ret;
	if (s->envid)
	    m.envid = s->envid;
	switch (sendmail_submit(&m, content, why)) {
	case 0:
	    bs_reply(s, "250 2.0.0 Ok: queued");
	    break;
	case EX_NOUSER:
	case EX_NOPERM:
	    bs_reply(s, "553 5.7.1 Sender address not allowed for this login");
	    break;
	case EX_DATAERR:
	    bs_reply(s, "554 5.6.0 Error: message not accepted");
	    break;
	default:
	    bs_reply(s, "451 4.3.0 Error: queue file write error");
	    break;
	}
    }
    bs_reset(s);
    vstring_free(&content);
    vstring_free(&why);
}

int     sendmail_bs(const struct sendmail_msg *defaults)
{
    struct bs_state state;
    struct bs_state *s = &state;
    struct vstring *line = vstring_alloc(BS_LINE_MAX);
    struct vstring *addr = vstring_alloc(100);
    struct vstring *buf = vstring_alloc(100);
    const char *params;
    const char *err;
    char   *cmd;
    char   *arg;
    int     status;
    int     notify;
    int     ret = EX_IOERR;

    memset(s, 0, sizeof(*s));
    s->in = vstream_fdopen(0, 0);
    s->out = vstream_fdopen(1, 0);
    vstream_set_timeout(s->in, 300);
    s->rcpts = argv_alloc(8);
    s->notify = (int *) mymalloc(sizeof(int) * BS_RCPT_MAX);
    vstring_sprintf(buf, "220 %s ESMTP %s", var_myhostname, var_mail_name);
    bs_reply(s, vstring_str(buf));
    for (;;) {
	if (vstream_pending(s->in) == 0)
	    vstream_flush(s->out);
	status = vstream_get_line(s->in, line, BS_LINE_MAX);
	if (status == VSTREAM_TOOLONG) {
	    (void) vstream_skip_line(s->in);
	    bs_reply(s, "500 5.5.0 Error: line too long");
	    continue;
	}
	if (status != VSTREAM_OK && status != VSTREAM_PARTIAL)
	    break;
	vstring_truncate(line, vstring_len(line)
			 - (vstring_str(line)[vstring_len(line) - 1] == '\n'));
	if (vstring_len(line) > 0
	    && vstring_str(line)[vstring_len(line) - 1] == '\r')
	    vstring_truncate(line, vstring_len(line) - 1);
	cmd = vstring_str(line);
	if (memchr(cmd, 0, vstring_len(line)) != 0) {
	    bs_reply(s, "500 5.5.2 Error: bad syntax");
	    continue;
	}
	if ((arg = strchr(cmd, ' ')) != 0)
	    *arg++ = 0;
	else
	    arg = cmd + strlen(cmd);
	if (strcasecmp(cmd, "HELO") == 0 || strcasecmp(cmd, "EHLO") == 0) {
	    if (*arg == 0) {
		bs_reply(s, "501 5.5.4 Syntax: HELO hostname");
		continue;
	    }
	    bs_reset(s);
	    s->helo = 1;
	    if (strcasecmp(cmd, "EHLO") == 0) {
		vstring_sprintf(buf, "250-%s", var_myhostname);
		bs_reply(s, vstring_str(buf));
		bs_reply(s, "250-PIPELINING");
		bs_reply(s, "250-8BITMIME");
		bs_reply(s, "250-DSN");
		bs_reply(s, "250 ENHANCEDSTATUSCODES");
	    } else {
		vstring_sprintf(buf, "250 %s", var_myhostname);
		bs_reply(s, vstring_str(buf));
	    }
	} else if (strcasecmp(cmd, "MAIL") == 0) {
	    if (s->sender) {
		bs_reply(s, "503 5.5.1 Error: nested MAIL command");
	    } else if (bs_path(arg, "FROM:", addr, &params) < 0) {
		bs_reply(s, "501 5.1.7 Bad sender address syntax");
	    } else if ((err = bs_mail_params(s, params)) != 0) {
		bs_reply(s, err);
		bs_reset(s);
	    } else {
		s->sender = mystrdup(vstring_str(addr));
		bs_reply(s, "250 2.1.0 Ok");
	    }
	} else if (strcasecmp(cmd, "RCPT") == 0) {
	    notify = 0;
	    if (s->sender == 0) {
		bs_reply(s, "503 5.5.1 Error: need MAIL command");
	    } else if (bs_path(arg, "TO:", addr, &params) < 0
		       || vstring_len(addr) == 0) {
		bs_reply(s, "501 5.1.3 Bad recipient address syntax");
	    } else if ((err = bs_rcpt_params(params, &notify)) != 0) {
		bs_reply(s, err);
	    } else if (s->rcpts->argc >= BS_RCPT_MAX) {
		bs_reply(s, "452 4.5.3 Error: too many recipients");
	    } else {
		s->notify[s->rcpts->argc] = notify;
		argv_add(s->rcpts, vstring_str(addr), (char *) 0);
		bs_reply(s, "250 2.1.5 Ok");
	    }
	} else if (strcasecmp(cmd, "DATA") == 0) {
	    if (*arg)
		bs_reply(s, "501 5.5.4 Syntax: DATA");
	    else if (s->sender == 0)
		bs_reply(s, "503 5.5.1 Error: need MAIL command");
	    else if (s->rcpts->argc == 0)
		bs_reply(s, "554 5.5.1 Error: no valid recipients");
	    else
		bs_data(s, defaults);
	} else if (strcasecmp(cmd, "RSET") == 0) {
	    bs_reset(s);
	    bs_reply(s, "250 2.0.0 Ok");
	} else if (strcasecmp(cmd, "NOOP") == 0) {
	    bs_reply(s, "250 2.0.0 Ok");
	} else if (strcasecmp(cmd, "VRFY") == 0) {
	    bs_reply(s, "252 2.0.0 Send some mail, I'll try my best");
	} else if (strcasecmp(cmd, "QUIT") == 0) {
	    bs_reply(s, "221 2.0.0 Bye");
	    ret = 0;
	    break;
	} else {
	    bs_reply(s, "502 5.5.2 Error: command not recognized");
	}
    }
    vstream_flush(s->out);
    bs_reset(s);
    argv_free(&s->rcpts);
    myfree(s->notify);
    (void) vstream_close(&s->in);
    (void) vstream_close(&s->out);
    vstring_free(&line);
    vstring_free(&addr);
    vstring_free(&buf);
    return (ret);
}
