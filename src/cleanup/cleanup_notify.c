/*++
/* NAME
/*	cleanup_notify 3
/* SUMMARY
/*	cleanup daemon: tell qmgr about a new queue file
/* SYNOPSIS
/*	#include "cleanup.h"
/*
/*	void	cleanup_notify_init()
/*	void	cleanup_notify_qmgr(queue_id)
/* DESCRIPTION
/*	cleanup_notify_init() opens the datagram socket used for
/*	triggers (once). cleanup_notify_qmgr() sends one datagram, "A"
/*	and the queue ID (qmgr activates that file at once), to
/*	private/qmgr (relative to queue_directory, the working
/*	directory, also inside the chroot) without waiting. qmgr also
/*	scans incoming/ periodically, so a lost trigger only delays the
/*	message.
/* DIAGNOSTICS
/*	A failed send is a warning with the queue ID; a full qmgr
/*	socket (EAGAIN) is not reported: qmgr has triggers to read then.
/*--*/
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <sock.h>
#include <vstring.h>

#include "cleanup.h"

static int cleanup_notify_sock = -1;
static struct vstring *cleanup_notify_buf;

/* cleanup_notify_init - open the trigger socket */

void    cleanup_notify_init(void)
{
    if (cleanup_notify_sock >= 0)
	return;
    cleanup_notify_sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC
				 | SOCK_NONBLOCK, 0);
    if (cleanup_notify_sock < 0)
	msg_warn("cannot make a socket to notify qmgr: %m");
}

/* cleanup_notify_qmgr - send the trigger */

void    cleanup_notify_qmgr(const char *queue_id)
{
    struct sockaddr_un sun;

    cleanup_notify_init();
    if (cleanup_notify_sock < 0)
	return;
    if (cleanup_notify_buf == 0)
	cleanup_notify_buf = vstring_alloc(64);
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, CLEANUP_QMGR_SERVICE, sizeof(CLEANUP_QMGR_SERVICE));
    vstring_sprintf(cleanup_notify_buf, "%s%s", CLEANUP_QMGR_TRIGGER, queue_id);
    if (sendto(cleanup_notify_sock, vstring_str(cleanup_notify_buf),
	       vstring_len(cleanup_notify_buf), MSG_DONTWAIT,
	       (struct sockaddr *) &sun, sizeof(sun)) < 0
	&& errno != EAGAIN && errno != EWOULDBLOCK)
	msg_warn("%s: cannot notify qmgr (%s): %m", queue_id,
		 CLEANUP_QMGR_SERVICE);
}
