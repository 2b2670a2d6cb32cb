/*++
/* NAME
/*	mail_trigger 3
/* SUMMARY
/*	wake a daemon with a datagram
/* SYNOPSIS
/*	#include <mail_trigger.h>
/*
/*	int	mail_trigger(path, data, len, why)
/*	const char *path;
/*	const char *data;
/*	size_t	len;
/*	struct vstring *why;
/* DESCRIPTION
/*	mail_trigger() sends data as one datagram to the unix-dgram
/*	socket path (relative to the working directory, normally
/*	queue_directory: "public/pickup", "private/qmgr") without waiting.
/*	Triggers only hurry a daemon up: each one also looks for work on
/*	its own timer, so a lost trigger only delays. A full socket
/*	(EAGAIN) therefore counts as sent: the daemon has triggers to
/*	read.
/* DIAGNOSTICS
/*	0, or -1 with the reason in why (no such socket, permission).
/*--*/
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <vstring.h>

#include <mail_trigger.h>

int     mail_trigger(const char *path, const char *data, size_t len,
		             struct vstring *why)
{
    struct sockaddr_un sun;
    int     sock;
    int     ret = 0;

    if (strlen(path) >= sizeof(sun.sun_path)) {
	vstring_sprintf(why, "%s: socket path too long", path);
	return (-1);
    }
    if ((sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
	vstring_sprintf(why, "socket: %m");
	return (-1);
    }
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, path, strlen(path) + 1);
    if (sendto(sock, data, len, MSG_DONTWAIT, (struct sockaddr *) &sun,
	       sizeof(sun)) < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
	vstring_sprintf(why, "send a trigger to %s: %m", path);
	ret = -1;
    }
    (void) close(sock);
    return (ret);
}
