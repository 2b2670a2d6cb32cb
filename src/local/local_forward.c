/*++
/* NAME
/*	local_forward 3
/* SUMMARY
/*	~/.forward and :include: files, and the forwarding loop check
/* SYNOPSIS
/*	#include "local.h"
/*
/*	int	local_forward_read(exp, user, data, path)
/*
/*	int	local_read_list(run, path, owner, root_ok, &uid, &gid,
/*				data, why)
/*
/*	int	local_loop_check(state, recipient)
/* DESCRIPTION
/*	local_forward_read() finds the user's .forward file: each file of
/*	forward_path in turn (the raw main.cf text, so that $home is the
/*	recipient's and not a main.cf parameter), after the expansion of
/*	$user, $home, $shell (from the password file), $recipient (the
/*	whole address), $local (the local part, folded), $extension,
/*	$recipient_delimiter (the delimiter found in the address, empty
/*	without an extension) and $domain; ${name} and $(name) work too,
/*	$$ is "$", and any other $name is the main.cf parameter. An element
/*	whose $extension holds anything but letters, digits and
/*	"!%+-=_:,." or begins with "." is skipped, so an address cannot
/*	steer local to another file. The first file that exists, belongs
/*	to the user, is not writable by group or others and names at least
/*	one item is used: 1 with its text in data and its name in path. 0
/*	when there is none; a file that exists but cannot be used is
/*	skipped with a warning; a name that the list gave before is not
/*	tried again. The files are opened with the user's identity.
/*
/*	local_read_list() opens path with the effective identity of run
/*	and reads it (at most LOCAL_LIST_MAX bytes): 1 with the text in
/*	data and the owner in uid and gid; 0 when it does not exist; -1
/*	with a reason when it is not a regular file, belongs neither to
/*	owner nor (with root_ok) to root, is writable by group or others,
/*	or cannot be read.
/*
/*	local_loop_check() reads the message headers from the queue file:
/*	1 when a "Delivered-To:" header names recipient (case ignored),
/*	0 when none does, -1 on a read error. Only the first
/*	LOCAL_LOOP_MAX bytes of headers are looked at.
/* DIAGNOSTICS
/*	Warnings for unusable .forward files.
/*--*/
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <readfile.h>
#include <vstream.h>
#include <vstring.h>

#include <alias_parse.h>
#include <mail_conf.h>
#include <deliver_request.h>
#include <mail_params.h>
#include <qfile.h>

#include "local.h"

#define LOCAL_LIST_MAX	(1024 * 1024)	/* .forward, :include: file */
#define LOCAL_LOOP_MAX	(1024 * 1024)	/* headers looked at */

#define LOCAL_NAME_CHAR(c) (((c) >= 'a' && (c) <= 'z') \
			    || ((c) >= 'A' && (c) <= 'Z') \
			    || ((c) >= '0' && (c) <= '9') || (c) == '_')

int     local_read_list(struct local_user *run, const char *path, uid_t owner,
			        int root_ok, uid_t *uid_r, gid_t *gid_r,
			        struct vstring *data, struct vstring *why)
{
    struct stat st;
    mode_t  old_mask = umask(077);
    int     fd = -1;
    int     err = 0;
    int     ret;

    if (local_become(run->uid, run->gid) < 0) {
	err = errno;
	local_restore();
	(void) umask(old_mask);
	errno = err;
	vstring_sprintf(why, "cannot switch to user %s: %m", run->name);
	return (-1);
    }
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    err = errno;
    local_keep();
    (void) umask(old_mask);
    if (fd < 0) {
	if (err == ENOENT || err == ENOTDIR)
	    return (0);
	errno = err;
	vstring_sprintf(why, "open %s as %s: %m", path, run->name);
	return (-1);
    }
    if (fstat(fd, &st) < 0) {
	vstring_sprintf(why, "fstat %s: %m", path);
	ret = -1;
    } else if (!S_ISREG(st.st_mode)) {
	vstring_sprintf(why, "%s: not a regular file", path);
	ret = -1;
    } else if (st.st_uid != owner && !(root_ok && st.st_uid == 0)) {
	vstring_sprintf(why, "%s: owned by uid %ld, not by uid %ld%s", path,
			(long) st.st_uid, (long) owner,
			root_ok && owner != 0 ? " or root" : "");
	ret = -1;
    } else if (st.st_mode & (S_IWGRP | S_IWOTH)) {
	vstring_sprintf(why, "%s: writable by group or others", path);
	ret = -1;
    } else if (readfile_fd(fd, path, LOCAL_LIST_MAX, data, why) < 0) {
	ret = -1;
    } else {
	if (uid_r)
	    *uid_r = st.st_uid;
	if (gid_r)
	    *gid_r = st.st_gid;
	ret = 1;
    }
    (void) close(fd);
    return (ret);
}

/* local_ext_safe - may the extension become part of a file name? */

static int local_ext_safe(const char *ext)
{
    const char *cp;

    if (*ext == '.')
	return (0);
    for (cp = ext; *cp; cp++)
	if (!LOCAL_NAME_CHAR(*cp) && strchr("!%+-=:,.", *cp) == 0)
	    return (0);
    return (1);
}

/* local_forward_expand - one forward_path element; -1 when unsafe */

static int local_forward_expand(struct local_exp *exp, struct local_user *u,
				        const char *raw, struct vstring *out)
{
    struct vstring *name = vstring_alloc(20);
    struct vstring *val = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    const char *cp = raw;
    const char *start;
    const char *value;
    int     close_ch;
    int     ret = 0;

    vstring_reset(out);
    while (*cp) {
	if (*cp != '$') {
	    vstring_appendc(out, *cp++);
	    continue;
	}
	cp++;
	if (*cp == '$') {
	    vstring_appendc(out, *cp++);
	    continue;
	}
	close_ch = (*cp == '{' ? '}' : *cp == '(' ? ')' : 0);
	if (close_ch)
	    cp++;
	for (start = cp; LOCAL_NAME_CHAR(*cp); cp++)
	     /* void */ ;
	vstring_memcpy(name, start, (size_t) (cp - start));
	if (close_ch) {
	    if (*cp != close_ch) {
		ret = -1;			/* not for us: skip it */
		break;
	    }
	    cp++;
	}
	if (strcmp(vstring_str(name), "user") == 0)
	    value = u->name;
	else if (strcmp(vstring_str(name), "home") == 0)
	    value = u->home;
	else if (strcmp(vstring_str(name), "shell") == 0)
	    value = u->shell;
	else if (strcmp(vstring_str(name), "recipient") == 0)
	    value = vstring_str(exp->req->recipient);
	else if (strcmp(vstring_str(name), "local") == 0)
	    value = exp->local;
	else if (strcmp(vstring_str(name), "domain") == 0)
	    value = exp->domain;
	else if (strcmp(vstring_str(name), "recipient_delimiter") == 0)
	    value = exp->delim;
	else if (strcmp(vstring_str(name), "extension") == 0) {
	    if (!local_ext_safe(exp->ext)) {
		ret = -1;
		break;
	    }
	    value = exp->ext;
	} else if (vstring_len(name) > 0
		   && mail_conf_eval_name(vstring_str(name), val, why) == 0)
	    value = vstring_str(val);
	else
	    value = "";
	vstring_appends(out, value);
    }
    vstring_free(&name);
    vstring_free(&val);
    vstring_free(&why);
    return (ret);
}

/* local_count_line - count the items of a list file */

static void local_count_line(void *ctx, const char *text, const char *file,
			             int line)
{
    struct argv *items = alias_split(text);

    *(size_t *) ctx += items->argc;
    argv_free(&items);
}

int     local_forward_read(struct local_exp *exp, struct local_user *u,
			           struct vstring *data, struct vstring *path)
{
    const char *raw = mail_conf_lookup_raw(VAR_FORWARD_PATH);
    struct vstring *why = vstring_alloc(100);
    struct argv *list;
    struct argv *tried = argv_alloc(2);
    size_t  count;
    size_t  i;
    size_t  j;
    int     ret = 0;
    int     status;

    list = argv_split(raw ? raw : DEF_FORWARD_PATH, ", \t\r\n");
    for (i = 0; ret == 0 && i < list->argc; i++) {
	if (local_forward_expand(exp, u, list->argv[i], path) < 0
	    || vstring_str(path)[0] != '/')
	    continue;
	for (j = 0; j < tried->argc; j++)
	    if (strcmp(tried->argv[j], vstring_str(path)) == 0)
		break;
	if (j < tried->argc)
	    continue;				/* the same file again */
	argv_add(tried, vstring_str(path), (char *) 0);
	status = local_read_list(u, vstring_str(path), u->uid, 0,
				 (uid_t *) 0, (gid_t *) 0, data, why);
	if (status < 0) {
	    msg_warn("%s: %s: .forward file ignored", exp->state->queue_id,
		     vstring_str(why));
	} else if (status > 0) {
	    count = 0;
	    (void) alias_lines_buf(vstring_str(data), vstring_len(data),
				   vstring_str(path), local_count_line,
				   (void *) &count);
	    if (count > 0)
		ret = 1;
	}
    }
    argv_free(&list);
    argv_free(&tried);
    vstring_free(&why);
    return (ret);
}

int     local_loop_check(struct local_state *state, const char *rcpt)
{
    struct vstream *in;
    struct vstring *chunk = vstring_alloc(8192);
    struct vstring *hdr = vstring_alloc(8192);
    off_t   left = state->info->content_size;
    off_t   want = state->info->header_size;
    size_t  rlen = strlen(rcpt);
    const char *cp;
    const char *end;
    const char *nl;
    const char *val;
    const char *vend;
    ssize_t n;
    int     ret = 0;

    if (want > LOCAL_LOOP_MAX)
	want = LOCAL_LOOP_MAX;
    if ((in = qfile_content_open(state->qfd, state->info)) == 0) {
	ret = -1;
	goto out;
    }
    while ((off_t) vstring_len(hdr) < want && left > 0) {
	if ((n = qfile_content_read(in, chunk, &left)) <= 0) {
	    ret = -1;
	    break;
	}
	vstring_append(hdr, vstring_str(chunk), (size_t) n);
    }
    (void) vstream_close(&in);
    if (ret < 0)
	goto out;
    if ((off_t) vstring_len(hdr) > want)
	vstring_truncate(hdr, (size_t) want);
    end = vstring_end(hdr);
    for (cp = vstring_str(hdr); cp < end; cp = nl + 1) {
	if ((nl = memchr(cp, '\n', (size_t) (end - cp))) == 0)
	    nl = end;
	if (nl - cp < 13 || strncasecmp(cp, "Delivered-To:", 13) != 0)
	    continue;
	for (val = cp + 13; val < nl && (*val == ' ' || *val == '\t'); val++)
	     /* void */ ;
	for (vend = nl; vend > val && (vend[-1] == ' ' || vend[-1] == '\t'
				       || vend[-1] == '\r'); vend--)
	     /* void */ ;
	if ((size_t) (vend - val) == rlen
	    && strncasecmp(val, rcpt, rlen) == 0) {
	    ret = 1;
	    break;
	}
    }
out:
    vstring_free(&chunk);
    vstring_free(&hdr);
    return (ret);
}
