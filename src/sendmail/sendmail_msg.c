/*++
/* NAME
/*	sendmail_msg 3
/* SUMMARY
/*	read a message, find header recipients, submit through dromdrop
/* SYNOPSIS
/*	#include "sendmail.h"
/*
/*	int	sendmail_read(in, flags, limit, content)
/*
/*	int	sendmail_extract(content, rcpts)
/*
/*	int	sendmail_submit(msg, content, why)
/* DESCRIPTION
/*	sendmail_read() reads a message from in into content as lines
/*	ending in "\\n": a CR before a line's LF is dropped; a last line
/*	without LF gets one. With SENDMAIL_READ_DOT a line holding only
/*	"." ends the message (sendmail without -i); with
/*	SENDMAIL_READ_SMTP the input is SMTP DATA: the "." line ends it
/*	and a leading dot of other lines is removed. Lines are read in
/*	pieces of at most 64 KiB, so no line is too long. When content
/*	would exceed limit bytes, the rest of the message is read and
/*	discarded and SENDMAIL_READ_TOOBIG is returned.
/*
/*	sendmail_extract() is "sendmail -t": it appends the addresses of
/*	the To:, Cc: and Bcc: headers (Resent-To:, Resent-Cc: and
/*	Resent-Bcc: instead when the message has any Resent- header) to
/*	rcpts, and removes the Bcc: and Resent-Bcc: headers from the
/*	content. It returns the number of addresses found, or -1 when a
/*	header could not be parsed (the addresses understood are kept).
/*
/*	sendmail_submit() runs $command_directory/dromdrop with the
/*	message's records (maildrop(3)) on its standard input and returns
/*	its exit status (sysexits.h), or EX_OSERR with why when it could
/*	not run it. dromdrop writes its own diagnostics on the standard
/*	error stream.
/* DIAGNOSTICS
/*	Return values.
/*--*/
#include <sys/types.h>
#include <sys/wait.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <addr_list.h>
#include <dsn.h>
#include <mail_params.h>
#include <rec.h>

#include "sendmail.h"

#define SENDMAIL_CHUNK	65536

int     sendmail_read(struct vstream *in, int flags, off_t limit,
		              struct vstring *content)
{
    struct vstring *line = vstring_alloc(1024);
    int     bol = 1;			/* at the start of a line */
    int     status;
    int     ret = SENDMAIL_READ_OK;
    char   *cp;
    size_t  len;

    vstring_strcpy(content, "");
    for (;;) {
	status = vstream_get_line(in, line, SENDMAIL_CHUNK);
	if (status == VSTREAM_EOF)
	    break;
	if (status == VSTREAM_TIMEOUT || status == VSTREAM_ERROR) {
	    ret = SENDMAIL_READ_ERROR;
	    break;
	}
	cp = vstring_str(line);
	len = vstring_len(line);
	if (status == VSTREAM_OK) {
	    len--;				/* the LF */
	    if (len > 0 && cp[len - 1] == '\r')
		len--;
	}
	if (bol && (flags & (SENDMAIL_READ_DOT | SENDMAIL_READ_SMTP))
	    && status == VSTREAM_OK && len == 1 && cp[0] == '.')
	    break;
	if (bol && (flags & SENDMAIL_READ_SMTP) && len > 0 && cp[0] == '.') {
	    cp++;
	    len--;
	}
	if (ret == SENDMAIL_READ_OK) {
	    if (limit > 0 && (off_t) (vstring_len(content) + len + 1) > limit) {
		ret = SENDMAIL_READ_TOOBIG;
		vstring_strcpy(content, "");
	    } else {
		vstring_append(content, cp, len);
		if (status == VSTREAM_OK)
		    vstring_appendc(content, '\n');
	    }
	}
	bol = (status == VSTREAM_OK);
	if (status == VSTREAM_PARTIAL)
	    break;
    }
    if (ret == SENDMAIL_READ_OK && vstring_len(content) > 0
	&& vstring_str(content)[vstring_len(content) - 1] != '\n')
	vstring_appendc(content, '\n');
    vstring_free(&line);
    return (ret);
}

/* sendmail_header_name - "name:" at text? its length, or 0 */

static size_t sendmail_header_name(const char *text, size_t len)
{
    size_t  i;

    for (i = 0; i < len; i++) {
	if (text[i] == ':')
	    return (i > 0 ? i : 0);
	if ((unsigned char) text[i] <= ' ' || (unsigned char) text[i] > '~')
	    return (0);
    }
    return (0);
}

/* The header section: each header with its continuation lines. */
struct sendmail_hdr {
    size_t  start;			/* offset in content */
    size_t  len;			/* bytes, with the final LF */
    size_t  name_len;			/* 0: not a header */
};

static int sendmail_is(const char *text, size_t name_len, const char *name)
{
    return (strlen(name) == name_len && strncasecmp(text, name, name_len) == 0);
}

int     sendmail_extract(struct vstring *content, struct argv *rcpts)
{
    const char *text = vstring_str(content);
    size_t  total = vstring_len(content);
    size_t  pos = 0;
    size_t  nl;
    size_t  name_len;
    struct sendmail_hdr *hdrs = 0;
    size_t  count = 0;
    size_t  alloc = 0;
    size_t  i;
    int     resent = 0;
    int     found = 0;
    int     bad = 0;
    int     n;
    const char *const *names;
    static const char *const plain[] = {"To", "Cc", "Bcc", 0};
    static const char *const again[] = {"Resent-To", "Resent-Cc",
    "Resent-Bcc", 0};
    struct vstring *out;
    const char *const *np;

    /* Split the header section into headers. */
    while (pos < total) {
	const char *eol = memchr(text + pos, '\n', total - pos);

	nl = eol ? (size_t) (eol - text) + 1 : total;
	if (nl - pos == 1)			/* the empty line */
	    break;
	if ((text[pos] == ' ' || text[pos] == '\t') && count > 0) {
	    hdrs[count - 1].len = nl - hdrs[count - 1].start;
	    pos = nl;
	    continue;
	}
	if ((name_len = sendmail_header_name(text + pos, nl - pos)) == 0)
	    break;				/* the body starts */
	if (count == alloc) {
	    alloc = alloc ? 2 * alloc : 32;
	    hdrs = myreallocarray(hdrs, alloc, sizeof(*hdrs));
	}
	hdrs[count].start = pos;
	hdrs[count].len = nl - pos;
	hdrs[count].name_len = name_len;
	if (name_len > 7 && strncasecmp(text + pos, "Resent-", 7) == 0)
	    resent = 1;
	count++;
	pos = nl;
    }
    names = resent ? again : plain;
    for (i = 0; i < count; i++) {
	for (np = names; *np; np++) {
	    if (sendmail_is(text + hdrs[i].start, hdrs[i].name_len, *np)) {
		n = addr_list_parse(rcpts, text + hdrs[i].start
				    + hdrs[i].name_len + 1,
				    hdrs[i].len - hdrs[i].name_len - 1);
		if (n < 0)
		    bad = 1;
		else
		    found += n;
	    }
	}
    }

    /* Without the Bcc headers. */
    out = vstring_alloc(total + 1);
    pos = 0;
    for (i = 0; i < count; i++) {
	if (sendmail_is(text + hdrs[i].start, hdrs[i].name_len, "Bcc")
	    || sendmail_is(text + hdrs[i].start, hdrs[i].name_len,
			   "Resent-Bcc")) {
	    vstring_append(out, text + pos, hdrs[i].start - pos);
	    pos = hdrs[i].start + hdrs[i].len;
	}
    }
    vstring_append(out, text + pos, total - pos);
    vstring_memcpy(content, vstring_str(out), vstring_len(out));
    vstring_free(&out);
    if (hdrs)
	myfree(hdrs);
    return (bad ? -1 : found);
}

/* sendmail_records - the submission on the pipe; -1 on a write error */

static int sendmail_records(struct vstream *out, const struct sendmail_msg *m,
			            const struct vstring *content)
{
    struct vstring *buf = vstring_alloc(100);
    const char *cp = vstring_str(content);
    size_t  left = vstring_len(content);
    size_t  chunk;
    size_t  i;
    int     err = 0;
    int     notify;

    if (m->full_name && *m->full_name)
	err |= rec_fprintf(out, REC_TYPE_ATTR, "full_name=%s", m->full_name);
    if (m->envid)
	err |= rec_fprintf(out, REC_TYPE_ATTR, "dsn_envid=%s", m->envid);
    if (m->ret)
	err |= rec_fprintf(out, REC_TYPE_ATTR, "dsn_ret=%s", m->ret);
    err |= rec_fputs(out, REC_TYPE_FROM, m->sender);
    for (i = 0; i < m->rcpts->argc; i++) {
	notify = (m->rcpt_notify && m->rcpt_notify[i]) ? m->rcpt_notify[i] :
	    m->notify;
	if (notify)
	    err |= rec_fputs(out, REC_TYPE_DSN,
			     dsn_rec_format(buf, notify, ""));
	err |= rec_fputs(out, REC_TYPE_RCPT, m->rcpts->argv[i]);
    }
    err |= rec_put(out, REC_TYPE_MESG, "", 0);
    while (left > 0) {
	chunk = left > REC_CONT_MAX ? REC_CONT_MAX : left;
	err |= rec_put(out, REC_TYPE_CONT, cp, chunk);
	cp += chunk;
	left -= chunk;
    }
    err |= rec_put(out, REC_TYPE_XTRA, "", 0);
    err |= rec_put(out, REC_TYPE_END, "", 0);
    vstring_free(&buf);
    return (err ? -1 : 0);
}

int     sendmail_submit(const struct sendmail_msg *m,
			        const struct vstring *content,
			        struct vstring *why)
{
    struct vstring *path = vstring_alloc(100);
    struct vstream *out;
    int     pfd[2];
    pid_t   pid;
    int     status;
    void    (*old) (int);

    vstring_sprintf(path, "%s/dromdrop", var_command_dir);
    if (pipe(pfd) < 0) {
	vstring_sprintf(why, "pipe: %m");
	vstring_free(&path);
	return (EX_OSERR);
    }
    switch (pid = fork()) {
    case -1:
	vstring_sprintf(why, "fork: %m");
	(void) close(pfd[0]);
	(void) close(pfd[1]);
	vstring_free(&path);
	return (EX_OSERR);
    case 0:
	(void) close(pfd[1]);
	if (pfd[0] != 0) {
	    if (dup2(pfd[0], 0) < 0)
		_exit(EX_OSERR);
	    (void) close(pfd[0]);
	}
	if (sendmail_config_dir && setenv("MAIL_CONFIG", sendmail_config_dir,
					  1) < 0)
	    _exit(EX_OSERR);
	execl(vstring_str(path), "dromdrop", (char *) 0);
	msg_warn("execute %s: %m", vstring_str(path));
	_exit(EX_OSERR);
    default:
	break;
    }
    (void) close(pfd[0]);
    old = signal(SIGPIPE, SIG_IGN);
    out = vstream_fdopen(pfd[1], VSTREAM_FLAG_CLOSE);
    /* A write error means dromdrop gave up: its status says why. */
    (void) sendmail_records(out, m, content);
    (void) vstream_close(&out);
    signal(SIGPIPE, old);
    while (waitpid(pid, &status, 0) < 0) {
	if (errno != EINTR) {
	    vstring_sprintf(why, "waitpid: %m");
	    vstring_free(&path);
	    return (EX_OSERR);
	}
    }
    vstring_free(&path);
    if (WIFEXITED(status)) {
	if (WEXITSTATUS(status) != 0)
	    vstring_sprintf(why, "dromdrop exited with status %d",
			    WEXITSTATUS(status));
	return (WEXITSTATUS(status));
    }
    vstring_sprintf(why, "dromdrop was killed by signal %d",
		    WTERMSIG(status));
    return (EX_SOFTWARE);
}
