/*++
/* NAME
/*	readfile 3
/* SUMMARY
/*	read a whole file with a size limit
/* SYNOPSIS
/*	#include <readfile.h>
/*
/*	int	readfile_limited(path, maxsize, buf, why)
/*	int	readfile_fd(fd, name, maxsize, buf, why)
/* DESCRIPTION
/*	See readfile.h. The file is opened with O_NONBLOCK and O_NOCTTY, so
/*	naming a FIFO or a terminal cannot hang the caller; the type check
/*	then refuses it. The size limit is checked against fstat() and
/*	again while reading, so a file that grows meanwhile is refused
/*	too. readfile_fd() does not close fd; name is used in messages.
/* DIAGNOSTICS
/*	-1 with one of these reasons in why: "open PATH: error",
/*	"PATH: not a regular file", "PATH: file too large (N bytes, limit
/*	M)", "read PATH: error".
/*--*/
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <vstring.h>
#include <readfile.h>

int     readfile_fd(int fd, const char *name, size_t maxsize,
		            struct vstring *buf, struct vstring *why)
{
    struct stat st;
    char    chunk[8192];
    ssize_t n;

    vstring_reset(buf);
    if (fstat(fd, &st) < 0) {
	if (why)
	    vstring_sprintf(why, "fstat %s: %s", name, strerror(errno));
	return (-1);
    }
    if (!S_ISREG(st.st_mode)) {
	if (why)
	    vstring_sprintf(why, "%s: not a regular file", name);
	return (-1);
    }
    if ((unsigned long long) st.st_size > maxsize) {
	if (why)
	    vstring_sprintf(why, "%s: file too large (%lld bytes, limit %zu)",
			    name, (long long) st.st_size, maxsize);
	return (-1);
    }
    for (;;) {
	if ((n = read(fd, chunk, sizeof(chunk))) < 0) {
	    if (errno == EINTR)
		continue;
	    if (why)
		vstring_sprintf(why, "read %s: %s", name, strerror(errno));
	    vstring_reset(buf);
	    return (-1);
	}
	if (n == 0)
	    return (0);
	if ((size_t) n > maxsize - vstring_len(buf)) {
	    if (why)
		vstring_sprintf(why, "%s: file too large (over %zu bytes)",
				name, maxsize);
	    vstring_reset(buf);
	    return (-1);
	}
	vstring_append(buf, chunk, (size_t) n);
    }
}

int     readfile_limited(const char *path, size_t maxsize,
			         struct vstring *buf, struct vstring *why)
{
    int     fd;
    int     ret;

    if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0) {
	if (why)
	    vstring_sprintf(why, "open %s: %s", path, strerror(errno));
	vstring_reset(buf);
	return (-1);
    }
    ret = readfile_fd(fd, path, maxsize, buf, why);
    close(fd);
    return (ret);
}
