/*++
/* NAME
/*	dsn_log 3
/* SUMMARY
/*	per-message logs of recipient results that need a notice
/* SYNOPSIS
/*	#include <dsn_log.h>
/* DESCRIPTION
/*	See dsn_log.h for the format and the interface.
/*--*/
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mymalloc.h>
#include <readfile.h>
#include <vstring.h>

#include <dsn.h>
#include <dsn_log.h>
#include <qfile.h>

/* dsn_log_field - one escaped "name=value", the value cut at max bytes */

static void dsn_log_field(struct vstring *buf, const char *name,
			          const char *value, size_t max)
{
    const char *cp;
    size_t  n;

    if (vstring_len(buf) > 0 && vstring_str(buf)[vstring_len(buf) - 1] != '\n')
	vstring_appendc(buf, '\t');
    vstring_appends(buf, name);
    vstring_appendc(buf, '=');
    for (cp = value ? value : "", n = 0; *cp && n < max; cp++, n++) {
	switch (*cp) {
	case '\\':
	    vstring_appends(buf, "\\\\");
	    break;
	case '\t':
	    vstring_appends(buf, "\\t");
	    break;
	case '\n':
	    vstring_appends(buf, "\\n");
	    break;
	case '\r':
	    vstring_appends(buf, "\\r");
	    break;
	default:
	    vstring_appendc(buf, *cp);
	    break;
	}
    }
}

 /*
  * Every value is cut before it is escaped (an escape doubles a byte at
  * most), so that the longest line there can be fits the reader's limit.
  */
#define DSN_LOG_LONGEST	(2 * (3 * DSN_LOG_ADDR_MAX + 3 * DSN_LOG_WORD_MAX \
			      + 2 * DSN_LOG_TEXT_MAX) + 2 * 40 + 100)

_Static_assert(DSN_LOG_LONGEST < DSN_LOG_LINE_MAX,
	       "the longest dsn_log line fits the reader's limit");

void    dsn_log_format(struct vstring *buf, const struct dsn_entry *e)
{
    char    num[40];

    dsn_log_field(buf, "rcpt", e->rcpt, DSN_LOG_ADDR_MAX);
    dsn_log_field(buf, "orig", e->orig, DSN_LOG_ADDR_MAX);
    dsn_log_field(buf, "orcpt", e->orcpt, DSN_LOG_ADDR_MAX);
    (void) snprintf(num, sizeof(num), "%d", e->notify & DSN_NOTIFY_MASK);
    dsn_log_field(buf, "notify", num, sizeof(num));
    dsn_log_field(buf, "action", e->action, DSN_LOG_WORD_MAX);
    dsn_log_field(buf, "status", e->status, DSN_LOG_WORD_MAX);
    dsn_log_field(buf, "reason", e->reason, DSN_LOG_TEXT_MAX);
    dsn_log_field(buf, "mta", e->mta, DSN_LOG_WORD_MAX);
    dsn_log_field(buf, "diag", e->diag, DSN_LOG_TEXT_MAX);
    (void) snprintf(num, sizeof(num), "%ld", e->time);
    dsn_log_field(buf, "time", num, sizeof(num));
    vstring_appendc(buf, '\n');
}

int     dsn_log_append(const char *folder, const char *id,
		               const struct dsn_entry *e, struct vstring *why)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *line = vstring_alloc(200);
    int     fd;
    int     made = 0;
    int     ret = -1;
    ssize_t n;

    if (qfile_folder_for(folder, id, why) < 0)
	goto out;
    qfile_path(path, folder, id);
    if ((fd = open(vstring_str(path), O_WRONLY | O_APPEND | O_CLOEXEC)) < 0) {
	if (errno == ENOENT)
	    fd = open(vstring_str(path), O_WRONLY | O_APPEND | O_CREAT
		      | O_EXCL | O_CLOEXEC, 0600);
	made = 1;
    }
    if (fd < 0) {
	vstring_sprintf(why, "open %s: %s", vstring_str(path), strerror(errno));
	goto out;
    }
    dsn_log_format(line, e);
    n = write(fd, vstring_str(line), vstring_len(line));
    if (n != (ssize_t) vstring_len(line)) {
	vstring_sprintf(why, "write %s: %s", vstring_str(path),
			n < 0 ? strerror(errno) : "short write");
	(void) close(fd);
	goto out;
    }
    if (fsync(fd) < 0) {
	vstring_sprintf(why, "fsync %s: %s", vstring_str(path), strerror(errno));
	(void) close(fd);
	goto out;
    }
    (void) close(fd);
    if (made) {
	/* The name too, or a crash could lose the line. */
	vstring_sprintf(line, "%s/%c", folder, id[strlen(id) - 1]);
	if ((fd = open(vstring_str(line), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0
	    || fsync(fd) < 0) {
	    vstring_sprintf(why, "fsync folder %s: %s", vstring_str(line),
			    strerror(errno));
	    if (fd >= 0)
		(void) close(fd);
	    goto out;
	}
	(void) close(fd);
    }
    ret = 0;
out:
    vstring_free(&path);
    vstring_free(&line);
    return (ret);
}

/* dsn_log_unescape - one value, in place; -1 for a bad escape */

static int dsn_log_unescape(char *value)
{
    char   *in;
    char   *out;

    for (in = out = value; *in; in++) {
	if (*in != '\\') {
	    *out++ = *in;
	    continue;
	}
	switch (*++in) {
	case '\\':
	    *out++ = '\\';
	    break;
	case 't':
	    *out++ = '\t';
	    break;
	case 'n':
	    *out++ = '\n';
	    break;
	case 'r':
	    *out++ = '\r';
	    break;
	default:
	    return (-1);
	}
    }
    *out = 0;
    return (0);
}

/* dsn_log_set - keep a field's value */

static void dsn_log_set(char **field, const char *value)
{
    if (*field)
	myfree(*field);
    *field = mystrdup(value);
}

/* dsn_log_line - parse one line into e; -1 when malformed */

static int dsn_log_line(char *line, struct dsn_entry *e, struct vstring *why)
{
    char   *field;
    char   *next;
    char   *eq;
    char   *end;
    long    num;

    for (field = line; field; field = next) {
	if ((next = strchr(field, '\t')) != 0)
	    *next++ = 0;
	if ((eq = strchr(field, '=')) == 0 || eq == field) {
	    vstring_sprintf(why, "field without name=value");
	    return (-1);
	}
	*eq++ = 0;
	if (dsn_log_unescape(eq) < 0) {
	    vstring_sprintf(why, "bad escape in field %s", field);
	    return (-1);
	}
	if (strcmp(field, "rcpt") == 0) {
	    dsn_log_set(&e->rcpt, eq);
	} else if (strcmp(field, "orig") == 0) {
	    dsn_log_set(&e->orig, eq);
	} else if (strcmp(field, "orcpt") == 0) {
	    dsn_log_set(&e->orcpt, eq);
	} else if (strcmp(field, "action") == 0) {
	    dsn_log_set(&e->action, eq);
	} else if (strcmp(field, "status") == 0) {
	    dsn_log_set(&e->status, eq);
	} else if (strcmp(field, "reason") == 0) {
	    dsn_log_set(&e->reason, eq);
	} else if (strcmp(field, "mta") == 0) {
	    dsn_log_set(&e->mta, eq);
	} else if (strcmp(field, "diag") == 0) {
	    dsn_log_set(&e->diag, eq);
	} else if (strcmp(field, "notify") == 0 || strcmp(field, "time") == 0) {
	    errno = 0;
	    num = strtol(eq, &end, 10);
	    if (*eq == 0 || *end || errno || num < 0
		|| (field[0] == 'n' && num > DSN_NOTIFY_MASK)) {
		vstring_sprintf(why, "bad number in field %s", field);
		return (-1);
	    }
	    if (field[0] == 'n')
		e->notify = (int) num;
	    else
		e->time = num;
	}
	/* Other names: from a newer writer; skipped. */
    }
    if (e->rcpt == 0 || *e->rcpt == 0 || e->action == 0 || *e->action == 0
	|| e->status == 0 || *e->status == 0) {
	vstring_sprintf(why, "missing rcpt, action or status");
	return (-1);
    }
    return (0);
}

/* dsn_log_empty - fill in "" for missing optional fields */

static void dsn_log_empty(struct dsn_entry *e)
{
    char  **fields[] = {&e->orig, &e->orcpt, &e->reason, &e->mta, &e->diag};
    size_t  i;

    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
	if (*fields[i] == 0)
	    *fields[i] = mystrdup("");
}

int     dsn_log_parse(const char *text, size_t len, struct dsn_entry **entries,
		              size_t *count, struct vstring *why)
{
    struct dsn_entry *list = 0;
    size_t  n = 0;
    size_t  alloc = 0;
    size_t  lineno = 0;
    const char *cp = text;
    const char *end = text + len;
    const char *nl;
    char   *line;
    struct vstring *err = vstring_alloc(100);
    int     ret = 0;

    while (cp < end) {
	lineno++;
	if ((nl = memchr(cp, '\n', (size_t) (end - cp))) == 0) {
	    vstring_sprintf(why, "line %lu: incomplete line",
			    (unsigned long) lineno);
	    ret = -1;
	    break;
	}
	if ((size_t) (nl - cp) > DSN_LOG_LINE_MAX || memchr(cp, 0, (size_t) (nl - cp))) {
	    vstring_sprintf(why, "line %lu: %s", (unsigned long) lineno,
			    (size_t) (nl - cp) > DSN_LOG_LINE_MAX ?
			    "line too long" : "null byte");
	    ret = -1;
	    break;
	}
	if (n == alloc) {
	    alloc = alloc ? 2 * alloc : 4;
	    list = myrealloc(list, alloc * sizeof(*list));
	}
	memset(list + n, 0, sizeof(*list));
	line = mystrndup(cp, (size_t) (nl - cp));
	n++;
	if (dsn_log_line(line, list + n - 1, err) < 0) {
	    vstring_sprintf(why, "line %lu: %s", (unsigned long) lineno,
			    vstring_str(err));
	    myfree(line);
	    ret = -1;
	    break;
	}
	dsn_log_empty(list + n - 1);
	myfree(line);
	cp = nl + 1;
    }
    vstring_free(&err);
    if (ret < 0) {
	dsn_log_free(list, n);
	*entries = 0;
	*count = 0;
	return (-1);
    }
    *entries = list;
    *count = n;
    return (0);
}

int     dsn_log_read(const char *folder, const char *id,
		             struct dsn_entry **entries, size_t *count,
		             struct vstring *why)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *text = vstring_alloc(1000);
    int     ret;

    *entries = 0;
    *count = 0;
    qfile_path(path, folder, id);
    if (access(vstring_str(path), F_OK) < 0 && errno == ENOENT) {
	ret = 1;
    } else if (readfile_limited(vstring_str(path), DSN_LOG_SIZE_MAX, text,
				why) < 0) {
	ret = -1;
    } else {
	ret = dsn_log_parse(vstring_str(text), vstring_len(text), entries,
			    count, why);
    }
    vstring_free(&path);
    vstring_free(&text);
    return (ret);
}

void    dsn_log_free(struct dsn_entry *list, size_t count)
{
    size_t  i;
    struct dsn_entry *e;

    for (i = 0; i < count; i++) {
	e = list + i;
	if (e->rcpt)
	    myfree(e->rcpt);
	if (e->orig)
	    myfree(e->orig);
	if (e->orcpt)
	    myfree(e->orcpt);
	if (e->action)
	    myfree(e->action);
	if (e->status)
	    myfree(e->status);
	if (e->reason)
	    myfree(e->reason);
	if (e->mta)
	    myfree(e->mta);
	if (e->diag)
	    myfree(e->diag);
    }
    if (list)
	myfree(list);
}

int     dsn_log_remove(const char *folder, const char *id, struct vstring *why)
{
    struct vstring *path = vstring_alloc(100);
    int     ret = 0;

    if (unlink(qfile_path(path, folder, id)) < 0 && errno != ENOENT) {
	vstring_sprintf(why, "remove %s: %s", vstring_str(path),
			strerror(errno));
	ret = -1;
    }
    vstring_free(&path);
    return (ret);
}

int     dsn_log_exists(const char *folder, const char *id)
{
    struct vstring *path = vstring_alloc(100);
    int     ret = access(qfile_path(path, folder, id), F_OK) == 0;

    vstring_free(&path);
    return (ret);
}
