/*++
/* NAME
/*	bounce_clnt 3
/* SUMMARY
/*	client side of the bounce service: asking for notices
/* SYNOPSIS
/*	#include <bounce_clnt.h>
/*
/*	int	bounce_clnt_notice(kind, queue_name, queue_id, why)
/*	int	bounce_clnt_double_sender(sender)
/* DESCRIPTION
/*	See bounce_clnt.h for the protocol. bounce_clnt_notice() waits
/*	for the answer: notices are rare, and the queue file stays where
/*	it is until bounce has read it.
/* DIAGNOSTICS
/*	Return values and why.
/*--*/
#include <string.h>
#include <strings.h>

#include <sock.h>
#include <vstream.h>
#include <vstring.h>

#include <attr.h>
#include <bounce_clnt.h>
#include <mail_params.h>

/* bounce_clnt_notice - ask bounce for the notices of one message */

int     bounce_clnt_notice(const char *kind, const char *queue_name,
			           const char *queue_id, struct vstring *why)
{
    struct vstream *stream;
    struct vstring *reason;
    struct vstring *notice_id;
    long    status = 1;
    int     fd;

    if ((fd = unix_connect(BOUNCE_SERVICE, 0, why)) < 0)
	return (-1);
    stream = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(stream, var_ipc_timeout > 0 ?
			(int) var_ipc_timeout : 3600);
    reason = vstring_alloc(100);
    notice_id = vstring_alloc(40);
    if (attr_expect_protocol(stream, BOUNCE_PROTOCOL, BOUNCE_VERSION,
			     why) < 0) {
	/* why says it */
    } else if (attr_print(stream, ATTR_FLAG_NONE,
			  ATTR_TYPE_STR, ATTR_REQUEST, BOUNCE_REQ_NOTICE,
			  ATTR_TYPE_STR, BOUNCE_ATTR_KIND, kind,
			  ATTR_TYPE_STR, ATTR_QUEUE_NAME, queue_name,
			  ATTR_TYPE_STR, ATTR_QUEUE_ID, queue_id,
			  ATTR_TYPE_END) < 0
	       || attr_scan(stream, ATTR_FLAG_STRICT,
			    ATTR_TYPE_INT, ATTR_STATUS, &status,
			    ATTR_TYPE_STR, ATTR_REASON, reason,
			    ATTR_TYPE_STR, BOUNCE_ATTR_NOTICE_ID, notice_id,
			    ATTR_TYPE_END) < 0) {
	vstring_sprintf(why, "%s: %s", BOUNCE_SERVICE, attr_error());
	status = 1;
    } else if (status != 0) {
	vstring_sprintf(why, "%s: %s", BOUNCE_SERVICE, vstring_str(reason));
    }
    (void) vstream_close(&stream);
    vstring_free(&reason);
    vstring_free(&notice_id);
    return (status == 0 ? 0 : -1);
}

/* bounce_clnt_double_sender - is this the double-bounce sender */

int     bounce_clnt_double_sender(const char *sender)
{
    const char *at = strrchr(sender, '@');
    size_t  len = strlen(var_double_bounce_sender);

    return (at != 0 && (size_t) (at - sender) == len
	    && strncasecmp(sender, var_double_bounce_sender, len) == 0
	    && strcasecmp(at + 1, var_myorigin) == 0);
}
