/*++
/* NAME
/*	pop3d_maildir 3
/* SUMMARY
/*	pop3d: Maildir back-end
/* SYNOPSIS
/*	#include "pop3d_box.h"
/*
/*	int	pop3d_maildir_open(box, why)
/*
/*	int	pop3d_maildir_read(box, index, filter, why)
/*
/*	void	pop3d_maildir_seen(box, index)
/*
/*	int	pop3d_maildir_update(box, why)
/* DESCRIPTION
/*	pop3d_maildir_open() scans box->path/new and box->path/cur
/*	(names that begin with "." are ignored, and so is tmp/), keeps
/*	the regular files, orders them by modification time, then base
/*	name, and reads each once to learn its size in CRLF form (through
/*	pop3d_box_filter, so that it matches what RETR sends). The uid
/*	is the base name up to the first ":", without a ",S=" or ",W="
/*	size hint, when that is 1 to 70 characters 0x21-0x7E; otherwise
/*	pop3d_box_hex() of the hash of that base name. A file that
/*	vanishes during the scan is skipped. A Maildir that does not
/*	exist (the user never had mail: local makes it with the first
/*	delivery) is an empty mailbox; one without new/ or cur/ is an
/*	error.
/*
/*	pop3d_maildir_read() feeds message index to filter, in bounded
/*	chunks. A message that another reader moved from new/ to cur/
/*	(or whose flags it changed) since the scan is found again in
/*	cur/ by its base name; one that vanished is an error.
/*
/*	pop3d_maildir_seen() renames new/X to cur/X:2,S, or adds the S
/*	flag to cur/X:2,FLAGS (flags kept in ASCII order), and records
/*	the new name. Failure (another reader moved the file) is ignored.
/*
/*	pop3d_maildir_update() unlinks the deleted messages (also when
/*	moved to cur/ since, as above); a file that is already gone is
/*	not an error.
/* DIAGNOSTICS
/*	-1 with a reason in why.
/*--*/
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mymalloc.h>
#include <stringops.h>
#include <vstream.h>
#include <vstring.h>

#include "pop3d_box.h"

#define MAILDIR_CHUNK	8192
#define MAILDIR_UID_MAX	70

/* maildir_base - base name of new/X or cur/X:2,... */

static const char *maildir_base(const char *name)
{
    const char *slash = strchr(name, '/');

    return (slash ? slash + 1 : name);
}

/* maildir_uid - the UIDL of a base name */

static char *maildir_uid(const char *base)
{
    size_t  len = strcspn(base, ":");
    const char *hint;
    size_t  i;

    for (hint = base; (hint = strchr(hint, ',')) != 0 && hint < base + len;
	 hint++) {
	if ((hint[1] == 'S' || hint[1] == 'W') && hint[2] == '=') {
	    len = hint - base;
	    break;
	}
    }
    for (i = 0; i < len; i++)
	if ((unsigned char) base[i] < 0x21 || (unsigned char) base[i] > 0x7e)
	    break;
    if (len >= 1 && len <= MAILDIR_UID_MAX && i == len)
	return (mystrndup(base, len));
    return (pop3d_box_hex(pop3d_box_hash(POP3D_BOX_HASH_INIT, base, len), 0));
}

/* maildir_compare - order by mtime (to the nanosecond), then names */

static int maildir_compare(const void *a, const void *b)
{
    const struct pop3d_msg *ma = a;
    const struct pop3d_msg *mb = b;
    int     ret;

    if (ma->mtime != mb->mtime)
	return (ma->mtime < mb->mtime ? -1 : 1);
    if (ma->mtime_nsec != mb->mtime_nsec)
	return (ma->mtime_nsec < mb->mtime_nsec ? -1 : 1);
    if ((ret = strcmp(maildir_base(ma->name), maildir_base(mb->name))) != 0)
	return (ret);
    return (strcmp(ma->name, mb->name));
}

/* maildir_feed - read a file through a filter; -1 with errno */

static int maildir_feed(int fd, struct pop3d_box_filter *filter)
{
    char    buf[MAILDIR_CHUNK];
    ssize_t n;

    while ((n = read(fd, buf, sizeof(buf))) != 0) {
	if (n < 0) {
	    if (errno == EINTR)
		continue;
	    return (-1);
	}
	pop3d_box_filter_feed(filter, buf, (size_t) n);
	if (filter->done || filter->error)
	    break;
    }
    return (0);
}

/* maildir_scan - add the messages of one subfolder */

static int maildir_scan(struct pop3d_box *box, const char *sub, int *space,
			        struct vstring *why)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *name = vstring_alloc(100);
    struct pop3d_box_filter filter;
    struct pop3d_msg *msg;
    struct dirent *dp;
    struct stat st;
    DIR    *dir;
    int     fd;
    int     ret = 0;

    path_join(path, box->path, sub);
    if ((dir = opendir(vstring_str(path))) == 0) {
	vstring_sprintf(why, "open folder %s: %m", vstring_str(path));
	ret = -1;
    }
    while (ret == 0 && (dp = readdir(dir)) != 0) {
	if (dp->d_name[0] == '.')
	    continue;
	vstring_sprintf(name, "%s/%s", sub, dp->d_name);
	path_join(path, box->path, vstring_str(name));
	if ((fd = open(vstring_str(path), O_RDONLY | O_NOFOLLOW | O_NONBLOCK
		       | O_CLOEXEC)) < 0) {
	    if (errno == ENOENT || errno == ELOOP)
		continue;
	    vstring_sprintf(why, "open %s: %m", vstring_str(path));
	    ret = -1;
	    break;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
	    (void) close(fd);
	    continue;
	}
	pop3d_box_filter_init(&filter, (struct vstream *) 0, 0, -1);
	if (maildir_feed(fd, &filter) < 0) {
	    vstring_sprintf(why, "read %s: %m", vstring_str(path));
	    (void) close(fd);
	    ret = -1;
	    break;
	}
	(void) close(fd);
	pop3d_box_filter_end(&filter);
	if (box->count >= *space) {
	    *space = *space ? 2 * *space : 64;
	    box->msgs = myreallocarray(box->msgs, *space, sizeof(*box->msgs));
	}
	msg = box->msgs + box->count++;
	memset(msg, 0, sizeof(*msg));
	msg->name = mystrdup(vstring_str(name));
	msg->uid = maildir_uid(dp->d_name);
	msg->size = filter.count;
	msg->mtime = st.st_mtim.tv_sec;
	msg->mtime_nsec = st.st_mtim.tv_nsec;
    }
    if (dir)
	(void) closedir(dir);
    vstring_free(&path);
    vstring_free(&name);
    return (ret);
}

/* pop3d_maildir_open - read the folder */

int     pop3d_maildir_open(struct pop3d_box *box, struct vstring *why)
{
    struct stat st;
    int     space = 0;

    /* No Maildir yet: local makes it with the first delivery. */
    if (lstat(box->path, &st) < 0 && errno == ENOENT)
	return (0);
    if (maildir_scan(box, "new", &space, why) < 0
	|| maildir_scan(box, "cur", &space, why) < 0)
	return (-1);
    if (box->count > 1)
	qsort(box->msgs, box->count, sizeof(*box->msgs), maildir_compare);
    return (0);
}

/* maildir_relocate - find a message another reader moved to cur/ */

static int maildir_relocate(struct pop3d_box *box, struct pop3d_msg *msg)
{
    struct vstring *path = vstring_alloc(100);
    const char *base = maildir_base(msg->name);
    size_t  len = strcspn(base, ":");
    struct dirent *dp;
    DIR    *dir;
    int     ret = -1;

    if ((dir = opendir(vstring_str(path_join(path, box->path, "cur")))) != 0) {
	while ((dp = readdir(dir)) != 0) {
	    if (strncmp(dp->d_name, base, len) == 0
		&& (dp->d_name[len] == ':' || dp->d_name[len] == 0)
		&& strcmp(dp->d_name, base) != 0) {
		vstring_sprintf(path, "cur/%s", dp->d_name);
		myfree(msg->name);
		msg->name = mystrdup(vstring_str(path));
		ret = 0;
		break;
	    }
	}
	(void) closedir(dir);
    }
    vstring_free(&path);
    return (ret);
}

/* maildir_open_msg - open a message, also when moved to cur/ since */

static int maildir_open_msg(struct pop3d_box *box, struct pop3d_msg *msg,
			            struct vstring *path)
{
    int     fd;

    path_join(path, box->path, msg->name);
    fd = open(vstring_str(path), O_RDONLY | O_NOFOLLOW | O_NONBLOCK
	      | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && maildir_relocate(box, msg) == 0) {
	path_join(path, box->path, msg->name);
	fd = open(vstring_str(path), O_RDONLY | O_NOFOLLOW | O_NONBLOCK
		  | O_CLOEXEC);
    }
    return (fd);
}

/* pop3d_maildir_read - send one message through a filter */

int     pop3d_maildir_read(struct pop3d_box *box, int index,
			           struct pop3d_box_filter *filter,
			           struct vstring *why)
{
    struct vstring *path = vstring_alloc(100);
    int     fd;
    int     ret = 0;

    if ((fd = maildir_open_msg(box, box->msgs + index, path)) < 0) {
	vstring_sprintf(why, "open message %s: %m", vstring_str(path));
	ret = -1;
    } else {
	if (maildir_feed(fd, filter) < 0) {
	    vstring_sprintf(why, "read message %s: %m", vstring_str(path));
	    ret = -1;
	}
	(void) close(fd);
    }
    vstring_free(&path);
    return (ret);
}

/* pop3d_maildir_seen - move to cur/, add the S flag */

void    pop3d_maildir_seen(struct pop3d_box *box, int index)
{
    struct pop3d_msg *msg = box->msgs + index;
    struct vstring *newname = vstring_alloc(100);
    struct vstring *from = vstring_alloc(100);
    struct vstring *to = vstring_alloc(100);
    const char *base = maildir_base(msg->name);
    const char *info = strstr(base, ":2,");
    const char *fp;

    vstring_strcpy(newname, "cur/");
    if (info == 0) {
	vstring_append(newname, base, strcspn(base, ":"));
	vstring_appends(newname, ":2,S");
    } else if (strchr(info + 3, 'S') == 0) {
	vstring_append(newname, base, info + 3 - base);
	for (fp = info + 3; *fp && (unsigned char) *fp < 'S'; fp++)
	    vstring_appendc(newname, *fp);
	vstring_appendc(newname, 'S');
	vstring_appends(newname, fp);
    } else {
	vstring_appends(newname, base);
    }
    if (strcmp(vstring_str(newname), msg->name) != 0) {
	path_join(from, box->path, msg->name);
	path_join(to, box->path, vstring_str(newname));
	if (rename(vstring_str(from), vstring_str(to)) == 0) {
	    myfree(msg->name);
	    msg->name = vstring_export(&newname);
	}
    }
    if (newname)
	vstring_free(&newname);
    vstring_free(&from);
    vstring_free(&to);
}

/* pop3d_maildir_update - unlink the deleted messages */

int     pop3d_maildir_update(struct pop3d_box *box, struct vstring *why)
{
    struct vstring *path = vstring_alloc(100);
    int     ret = 0;
    int     err;
    int     i;

    for (i = 0; i < box->count; i++) {
	if (!box->msgs[i].deleted)
	    continue;
	path_join(path, box->path, box->msgs[i].name);
	err = unlink(vstring_str(path)) < 0 ? errno : 0;
	if (err == ENOENT && maildir_relocate(box, box->msgs + i) == 0) {
	    path_join(path, box->path, box->msgs[i].name);
	    err = unlink(vstring_str(path)) < 0 ? errno : 0;
	}
	if (err != 0 && err != ENOENT) {
	    if (ret == 0)
		vstring_sprintf(why, "remove %s: %s", vstring_str(path),
				strerror(err));
	    ret = -1;
	}
    }
    vstring_free(&path);
    return (ret);
}
