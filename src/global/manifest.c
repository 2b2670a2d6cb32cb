/*++
/* NAME
/*	manifest 3
/* SUMMARY
/*	read the installation manifest (dromos-files)
/* SYNOPSIS
/*	#include <manifest.h>
/* DESCRIPTION
/*	See manifest.h. Lines are read with a bound (MANIFEST_LINE_MAX);
/*	a longer line is an error, not a silent cut.
/* DIAGNOSTICS
/*	Return values and why; no logging.
/*--*/
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <mymalloc.h>
#include <vstring.h>
#include <vstream.h>

#include <manifest.h>

#define MANIFEST_COLUMNS	7
#define MANIFEST_BLANKS		" \t\r\n"

/* manifest_split - split a line into at most max fields, in place */

static int manifest_split(char *line, char **fields, int max)
{
    int     count = 0;
    char   *cp = line;
    size_t  len;

    for (;;) {
	cp += strspn(cp, MANIFEST_BLANKS);
	if (*cp == 0)
	    return (count);
	if (count == max)
	    return (max + 1);			/* too many */
	len = strcspn(cp, MANIFEST_BLANKS);
	fields[count++] = cp;
	if (cp[len] == 0)
	    return (count);
	cp[len] = 0;
	cp += len + 1;
    }
}

/* manifest_expand - expand one column; 0 ok, -1 error, 1 skip entry */

static int manifest_expand(manifest_expand_fn expand, const char *raw,
			           const char *what, char **result,
			           struct vstring *why)
{
    struct vstring *out;
    int     status;

    if (expand == 0 || strchr(raw, '$') == 0) {
	*result = mystrdup(raw);
	return (0);
    }
    out = vstring_alloc(100);
    vstring_reset(why);
    status = expand(raw, out, why);
    if (status < 0) {
	if (vstring_len(why) == 0)
	    vstring_strcpy(why, "cannot expand");
	vstring_sprintf(out, "%s %s: %s", what, raw, vstring_str(why));
	vstring_strcpy(why, vstring_str(out));
	vstring_free(&out);
	return (-1);
    }
    if (status > 0) {
	vstring_free(&out);
	return (1);
    }
    *result = vstring_export(&out);
    return (0);
}

/* manifest_parse_flags - "-" or letters */

static int manifest_parse_flags(const char *text, int *flags,
				        struct vstring *why)
{
    const char *cp;

    *flags = 0;
    if (strcmp(text, "-") == 0)
	return (0);
    for (cp = text; *cp; cp++) {
	switch (*cp) {
	case 'p':
	    *flags |= MANIFEST_FLAG_PRESERVE;
	    break;
	case 'c':
	    *flags |= MANIFEST_FLAG_CHROOT;
	    break;
	case 'o':
	    *flags |= MANIFEST_FLAG_OPTIONAL;
	    break;
	case 's':
	    *flags |= MANIFEST_FLAG_SUBST;
	    break;
	default:
	    vstring_sprintf(why, "unknown flag '%c' in \"%s\"", *cp, text);
	    return (-1);
	}
    }
    return (0);
}

/* manifest_parse_mode - "-" or 1..4 octal digits */

static int manifest_parse_mode(const char *text, int *mode, struct vstring *why)
{
    const char *cp;
    int     val = 0;

    if (strcmp(text, "-") == 0) {
	*mode = -1;
	return (0);
    }
    if (strlen(text) > 5 || *text == 0) {
	vstring_sprintf(why, "bad mode: %s", text);
	return (-1);
    }
    for (cp = text; *cp; cp++) {
	if (*cp < '0' || *cp > '7') {
	    vstring_sprintf(why, "bad mode: %s", text);
	    return (-1);
	}
	val = val * 8 + (*cp - '0');
    }
    if (val > 07777) {
	vstring_sprintf(why, "bad mode: %s", text);
	return (-1);
    }
    *mode = val;
    return (0);
}

/* manifest_parse_line - one non-comment line; 1 entry, 0 skipped, -1 error */

static int manifest_parse_line(char *line, manifest_expand_fn expand,
			               struct manifest_ent **entp,
			               struct vstring *why)
{
    char   *f[MANIFEST_COLUMNS];
    struct manifest_ent *ent;
    int     n;
    int     status;

    *entp = 0;
    if ((n = manifest_split(line, f, MANIFEST_COLUMNS)) == 0 || *f[0] == '#')
	return (0);
    if (n != MANIFEST_COLUMNS) {
	vstring_sprintf(why, "expected %d columns, found %s%d",
			MANIFEST_COLUMNS,
			n > MANIFEST_COLUMNS ? "more than " : "",
			n > MANIFEST_COLUMNS ? MANIFEST_COLUMNS : n);
	return (-1);
    }
    if (strlen(f[1]) != 1 || strchr("dfDl", f[1][0]) == 0) {
	vstring_sprintf(why, "unknown type \"%s\" (expected d, f, D or l)",
			f[1]);
	return (-1);
    }
    ent = (struct manifest_ent *) mymalloc(sizeof(*ent));
    memset(ent, 0, sizeof(*ent));
    ent->type = f[1][0];
    if (manifest_parse_mode(f[4], &ent->mode, why) < 0
	|| manifest_parse_flags(f[5], &ent->flags, why) < 0) {
	manifest_free(&ent);
	return (-1);
    }
    status = manifest_expand(expand, f[0], "path", &ent->path, why);
    if (status == 0) {
	if (strcmp(f[2], "-") == 0)
	    ent->owner = mystrdup("root");
	else
	    status = manifest_expand(expand, f[2], "owner", &ent->owner, why);
    }
    if (status == 0 && strcmp(f[3], "-") != 0)
	status = manifest_expand(expand, f[3], "group", &ent->group, why);
    if (status == 0) {
	if (expand != 0 && ent->path[0] != '/') {
	    vstring_sprintf(why, "path %s expands to a relative path: \"%s\"",
			    f[0], ent->path);
	    status = -1;
	} else if (*ent->owner == 0 || (ent->group && *ent->group == 0)) {
	    vstring_sprintf(why, "empty owner or group after expansion");
	    status = -1;
	}
    }
    if (status != 0) {
	manifest_free(&ent);
	return (status < 0 ? -1 : 0);
    }
    if (strcmp(f[6], "-") != 0)
	ent->source = mystrdup(f[6]);
    *entp = ent;
    return (1);
}

/* manifest_read - read the whole manifest */

int     manifest_read(const char *path, manifest_expand_fn expand,
		              struct manifest_ent **list_r, struct vstring *why)
{
    struct vstream *fp;
    struct vstring *line;
    struct vstring *reason;
    struct manifest_ent *head = 0;
    struct manifest_ent **tail = &head;
    struct manifest_ent *ent;
    int     fd;
    int     lineno = 0;
    int     status;
    int     ret = 0;

    *list_r = 0;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
	vstring_sprintf(why, "open %s: %s", path, strerror(errno));
	return (-1);
    }
    fp = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    line = vstring_alloc(200);
    reason = vstring_alloc(100);
    while (ret == 0) {
	status = vstream_get_line(fp, line, MANIFEST_LINE_MAX);
	if (status == VSTREAM_EOF)
	    break;
	lineno++;
	if (status == VSTREAM_TOOLONG) {
	    vstring_sprintf(why, "%s, line %d: line longer than %d bytes",
			    path, lineno, MANIFEST_LINE_MAX);
	    ret = -1;
	    break;
	}
	if (status != VSTREAM_OK && status != VSTREAM_PARTIAL) {
	    vstring_sprintf(why, "read %s: %s", path,
			    status == VSTREAM_ERROR ? strerror(errno) :
			    vstream_status_str(status));
	    ret = -1;
	    break;
	}
	if (memchr(vstring_str(line), 0, vstring_len(line)) != 0) {
	    vstring_sprintf(why, "%s, line %d: NUL byte in line", path, lineno);
	    ret = -1;
	    break;
	}
	vstring_reset(reason);
	switch (manifest_parse_line(vstring_str(line), expand, &ent, reason)) {
	case 1:
	    ent->line = lineno;
	    *tail = ent;
	    tail = &ent->next;
	    break;
	case 0:
	    break;
	default:
	    vstring_sprintf(why, "%s, line %d: %s", path, lineno,
			    vstring_str(reason));
	    ret = -1;
	    break;
	}
	if (status == VSTREAM_PARTIAL)
	    break;
    }
    vstring_free(&line);
    vstring_free(&reason);
    (void) vstream_close(&fp);
    if (ret < 0)
	manifest_free(&head);
    *list_r = head;
    return (ret);
}

/* manifest_free - free a list, clear the pointer */

void    manifest_free(struct manifest_ent **list_r)
{
    struct manifest_ent *ent;
    struct manifest_ent *next;

    for (ent = *list_r; ent; ent = next) {
	next = ent->next;
	if (ent->path)
	    myfree(ent->path);
	if (ent->owner)
	    myfree(ent->owner);
	if (ent->group)
	    myfree(ent->group);
	if (ent->source)
	    myfree(ent->source);
	myfree(ent);
    }
    *list_r = 0;
}

/* manifest_type_name - printable type */

const char *manifest_type_name(int type)
{
    switch (type) {
    case MANIFEST_TYPE_DIR:
	return ("folder");
    case MANIFEST_TYPE_FILE:
	return ("file");
    case MANIFEST_TYPE_TREE:
	return ("folder of files");
    case MANIFEST_TYPE_LINK:
	return ("symbolic link");
    default:
	return ("unknown");
    }
}
