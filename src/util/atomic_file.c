/*++
/* NAME
/*	atomic_file 3
/* SUMMARY
/*	replace a file atomically and durably; lock files
/* SYNOPSIS
/*	#include <atomic_file.h>
/*
/*	int	atomic_file_replace(path, data, len, mode, why)
/*	int	fsync_dir(path, why)
/*	int	lock_file_open(path, pid_r, why)
/*	int	lock_file_pid(path, pid_r, why)
/* DESCRIPTION
/*	See atomic_file.h. Implementation notes:
/*
/*	The temporary file is named ".NAME.tmp.PID.N" in the folder of
/*	path, where N counts up within the process; a name that exists
/*	already (O_EXCL) makes it try the next N, up to 100 times. It is
/*	opened with O_NOFOLLOW and mode 0600, then fchown()ed (only when
/*	the old owner or group differs from ours) and fchmod()ed to the
/*	final mode before any data goes in, so the new file never exists
/*	with wider permissions than the old one.
/*
/*	Lock files hold the owner's pid as decimal text and a newline. A
/*	pid_r argument may be NULL. Locks are flock() locks: they belong
/*	to the open file description, so a second lock_file_open() of the
/*	same file fails even inside the same process, and the lock goes
/*	away when the last descriptor closes (also on a crash).
/* DIAGNOSTICS
/*	Return values and why; no logging.
/*--*/
#include <sys/file.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vstring.h>
#include <atomic_file.h>

#define ATOMIC_TRIES	100

/* atomic_split - folder and base name of path */

static void atomic_split(const char *path, struct vstring *dir,
			         const char **base)
{
    const char *slash = strrchr(path, '/');

    if (slash == 0) {
	vstring_strcpy(dir, ".");
	*base = path;
    } else if (slash == path) {
	vstring_strcpy(dir, "/");
	*base = slash + 1;
    } else {
	vstring_memcpy(dir, path, (size_t) (slash - path));
	*base = slash + 1;
    }
}

int     fsync_dir(const char *path, struct vstring *why)
{
    struct vstring *dir = vstring_alloc(100);
    const char *base;
    int     fd;
    int     ret = 0;

    atomic_split(path, dir, &base);
    if ((fd = open(vstring_str(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
	if (why)
	    vstring_sprintf(why, "open %s: %s", vstring_str(dir), strerror(errno));
	ret = -1;
    } else {
	if (fsync(fd) < 0) {
	    if (why)
		vstring_sprintf(why, "fsync %s: %s", vstring_str(dir),
				strerror(errno));
	    ret = -1;
	}
	close(fd);
    }
    vstring_free(&dir);
    return (ret);
}

/* atomic_write_all - write(2) until done */

static int atomic_write_all(int fd, const char *data, size_t len)
{
    ssize_t n;

    while (len > 0) {
	if ((n = write(fd, data, len)) < 0) {
	    if (errno == EINTR)
		continue;
	    return (-1);
	}
	data += n;
	len -= (size_t) n;
    }
    return (0);
}

/* atomic_open_temp - make a fresh temporary file next to path */

static int atomic_open_temp(const char *path, struct vstring *tmp,
			            struct vstring *why)
{
    static unsigned long counter;
    struct vstring *dir = vstring_alloc(100);
    const char *base;
    int     fd = -1;
    int     tries;

    atomic_split(path, dir, &base);
    for (tries = 0; tries < ATOMIC_TRIES; tries++) {
	vstring_sprintf(tmp, "%s/.%s.tmp.%ld.%lu", vstring_str(dir), base,
			(long) getpid(), ++counter);
	fd = open(vstring_str(tmp), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW
		  | O_CLOEXEC, 0600);
	if (fd >= 0 || errno != EEXIST)
	    break;
    }
    if (fd < 0 && why)
	vstring_sprintf(why, "create %s: %s", vstring_str(tmp), strerror(errno));
    vstring_free(&dir);
    return (fd);
}

int     atomic_file_replace(const char *path, const void *data, size_t len,
			            int mode, struct vstring *why)
{
    struct vstring *tmp = vstring_alloc(100);
    struct stat st;
    int     have_old;
    int     fd;
    const char *step;

    if ((have_old = (stat(path, &st) == 0)) == 0 && errno != ENOENT) {
	if (why)
	    vstring_sprintf(why, "stat %s: %s", path, strerror(errno));
	vstring_free(&tmp);
	return (-1);
    }
    if (have_old && !S_ISREG(st.st_mode)) {
	if (why)
	    vstring_sprintf(why, "%s: not a regular file", path);
	vstring_free(&tmp);
	return (-1);
    }
    if ((fd = atomic_open_temp(path, tmp, why)) < 0) {
	vstring_free(&tmp);
	return (-1);
    }
    if (have_old && (st.st_uid != geteuid() || st.st_gid != getegid())
	&& fchown(fd, st.st_uid, st.st_gid) < 0)
	step = "fchown";
    else if (fchmod(fd, have_old ? (st.st_mode & 07777) : (mode_t) mode) < 0)
	step = "fchmod";
    else if (atomic_write_all(fd, data, len) < 0)
	step = "write";
    else if (fsync(fd) < 0)
	step = "fsync";
    else
	step = 0;
    if (close(fd) < 0 && step == 0)
	step = "close";
    if (step == 0 && rename(vstring_str(tmp), path) < 0)
	step = "rename";
    if (step != 0) {
	if (why)
	    vstring_sprintf(why, "%s %s: %s", step, vstring_str(tmp),
			    strerror(errno));
	(void) unlink(vstring_str(tmp));
	vstring_free(&tmp);
	return (-1);
    }
    vstring_free(&tmp);
    return (fsync_dir(path, why));
}

/* lock_file_read_pid - the pid recorded in a lock file, or 0 */

static pid_t lock_file_read_pid(int fd)
{
    char    buf[32];
    ssize_t n;
    char   *end;
    long    pid;

    if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
	return (0);
    buf[n] = 0;
    pid = strtol(buf, &end, 10);
    if (end == buf || (*end != 0 && *end != '\n') || pid <= 0)
	return (0);
    return ((pid_t) pid);
}

int     lock_file_open(const char *path, pid_t *pid_r, struct vstring *why)
{
    struct vstring *text;
    pid_t   owner;
    int     fd;
    int     ok;

    if (pid_r)
	*pid_r = 0;
    if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0) {
	if (why)
	    vstring_sprintf(why, "open %s: %s", path, strerror(errno));
	return (-1);
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
	if (errno == EWOULDBLOCK) {
	    owner = lock_file_read_pid(fd);
	    if (pid_r)
		*pid_r = owner;
	    if (why)
		vstring_sprintf(why, "%s is locked by pid %ld", path, (long) owner);
	} else if (why) {
	    vstring_sprintf(why, "lock %s: %s", path, strerror(errno));
	}
	close(fd);
	return (-1);
    }
    text = vstring_alloc(32);
    vstring_sprintf(text, "%ld\n", (long) getpid());
    ok = (ftruncate(fd, 0) == 0
	  && pwrite(fd, vstring_str(text), vstring_len(text), 0)
	  == (ssize_t) vstring_len(text));
    if (!ok) {
	if (why)
	    vstring_sprintf(why, "write pid to %s: %s", path, strerror(errno));
	close(fd);
	fd = -1;
    }
    vstring_free(&text);
    return (fd);
}

int     lock_file_pid(const char *path, pid_t *pid_r, struct vstring *why)
{
    int     fd;
    int     ret = 0;

    if (pid_r)
	*pid_r = 0;
    if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
	if (errno == ENOENT)
	    return (0);
	if (why)
	    vstring_sprintf(why, "open %s: %s", path, strerror(errno));
	return (-1);
    }
    if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
	(void) flock(fd, LOCK_UN);
    } else if (errno == EWOULDBLOCK) {
	if (pid_r)
	    *pid_r = lock_file_read_pid(fd);
	ret = 1;
    } else {
	if (why)
	    vstring_sprintf(why, "lock %s: %s", path, strerror(errno));
	ret = -1;
    }
    close(fd);
    return (ret);
}
