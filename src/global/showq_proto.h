#ifndef SHOWQ_PROTO_H
#define SHOWQ_PROTO_H
/*++
/* NAME
/*	showq_proto 3h
/* SUMMARY
/*	the showq protocol: queue listing and flush requests
/* SYNOPSIS
/*	#include <showq_proto.h>
/* DESCRIPTION
/*	On public/showq the server announces {protocol = "showq",
/*	version = 1}; the client sends one request:
/* .IP "{request = \"list\"}"
/*	The server answers one message per queued message, {type =
/*	"message", queue_name, queue_id, arrival_time, message_size,
/*	forced_expire, sender, count}, followed by count messages {type =
/*	"recipient", recipient, reason} (reason "" when unknown), and
/*	then {type = "end"}.
/* .IP "{request = \"flush\", queue_id, site}"
/*	Both optional ("" for none): flush everything, one message, or
/*	the deferred messages with a recipient at site. The answer is
/*	{status, reason}: 0 for success, -1 with the reason.
/*--*/

#define SHOWQ_SERVICE		"public/showq"
#define SHOWQ_PROTOCOL		"showq"
#define SHOWQ_VERSION		1

#define SHOWQ_REQ_LIST		"list"
#define SHOWQ_REQ_FLUSH		"flush"

#define SHOWQ_ATTR_TYPE		"type"
#define SHOWQ_ATTR_SIZE		"message_size"
#define SHOWQ_ATTR_EXPIRE	"forced_expire"
#define SHOWQ_ATTR_SITE		"site"

#define SHOWQ_TYPE_MESSAGE	"message"
#define SHOWQ_TYPE_RCPT		"recipient"
#define SHOWQ_TYPE_END		"end"

#endif
