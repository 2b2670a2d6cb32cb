/*++
/* NAME
/*	qmgr_notice 3
/* SUMMARY
/*	ask the bounce daemon for a notice
/* SYNOPSIS
/*	#include "qmgr.h"
/*
/*	int	qmgr_notice(kind, queue_name, queue_id, why)
/* DESCRIPTION
/*	qmgr_notice() asks bounce(8), over private/bounce, to send the
/*	notices for a message from its log (kind QMGR_NOTICE_FLUSH: the
/*	failures and success reports in bounce/; QMGR_NOTICE_DELAY: the
/*	delay warning from defer/). The protocol:
/*
/*	bounce: {protocol = "bounce", version = 1}
/*	qmgr:   {request = "notice", kind, queue_name, queue_id}
/*	bounce: {status = 0 or 1, reason, notice_id}
/*
/*	The queue file must stay where it is until the answer. qmgr waits
/*	for it (at most $ipc_timeout): notices are rare, and the queue
/*	file stays consistent whatever happens.
/* DIAGNOSTICS
/*	0 when the notices are queued (or none was needed), -1 with the
/*	reason in why.
/*--*/
#include <msg.h>
#include <sock.h>
#include <vstream.h>
#include <vstring.h>

#include <attr.h>
#include <mail_params.h>

#include "qmgr.h"

#define QMGR_BOUNCE_SERVICE	"private/bounce"

int     qmgr_notice(const char *kind, const char *queue_name,
		            const char *queue_id, struct vstring *why)
{
    struct vstream *stream;
    struct vstring *reason;
    struct vstring *notice_id;
    long    status = 1;
    int     fd;

    if ((fd = unix_connect(QMGR_BOUNCE_SERVICE, 0, why)) < 0)
	return (-1);
    stream = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(stream, var_ipc_timeout > 0 ?
			(int) var_ipc_timeout : 3600);
    reason = vstring_alloc(100);
    notice_id = vstring_alloc(40);
    if (attr_expect_protocol(stream, "bounce", 1, why) < 0) {
	/* why says it */
    } else if (attr_print(stream, ATTR_FLAG_NONE,
			  ATTR_TYPE_STR, ATTR_REQUEST, "notice",
			  ATTR_TYPE_STR, "kind", kind,
			  ATTR_TYPE_STR, ATTR_QUEUE_NAME, queue_name,
			  ATTR_TYPE_STR, ATTR_QUEUE_ID, queue_id,
			  ATTR_TYPE_END) < 0
	       || attr_scan(stream, ATTR_FLAG_STRICT,
			    ATTR_TYPE_INT, ATTR_STATUS, &status,
			    ATTR_TYPE_STR, ATTR_REASON, reason,
			    ATTR_TYPE_STR, "notice_id", notice_id,
			    ATTR_TYPE_END) < 0) {
	vstring_sprintf(why, "%s: %s", QMGR_BOUNCE_SERVICE, attr_error());
	status = 1;
    } else if (status != 0) {
	vstring_sprintf(why, "%s: %s", QMGR_BOUNCE_SERVICE,
			vstring_str(reason));
    }
    (void) vstream_close(&stream);
    vstring_free(&reason);
    vstring_free(&notice_id);
    return (status == 0 ? 0 : -1);
}
