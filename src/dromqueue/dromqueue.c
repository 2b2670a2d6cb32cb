/*++
/* NAME
/*	dromqueue 1
/* SUMMARY
/*	list and flush the dromos mail queue
/* SYNOPSIS
/*	dromqueue [-c config_dir] -p
/*	dromqueue [-c config_dir] -j
/*	dromqueue [-c config_dir] -f
/*	dromqueue [-c config_dir] -s site
/*	dromqueue [-c config_dir] -i queue_id
/* DESCRIPTION
/*	dromqueue lists the mail queue and asks for deliveries now. Any
/*	user may run it (mailq and sendmail -bp run "dromqueue -p",
/*	sendmail -q runs "dromqueue -f"): it never reads the spool
/*	itself, but asks the showq(8) service on public/showq.
/*	Messages are listed from maildrop/ (local submissions not yet
/*	picked up), incoming/, active/, deferred/ and hold/, with the
/*	recipients still to be delivered.
/* .IP -p
/*	The familiar mailq layout: queue ID ("*" after it when the
/*	message is being delivered, in active/; "!" when it is on hold),
/*	size of the content in bytes, arrival time, sender, then each
/*	recipient still to do, preceded by its last deferral reason in
/*	parentheses when there is one; a total at the end, or "Mail
/*	queue is empty":
/*
/* .nf
/*	-Queue ID-           --Size-- ----Arrival Time---- -Sender/Recipient-------
/*	06B0B9C02021A7A76BFC      1234 Sun Nov 29 03:28:49  alice@example.org
/*	                                                    (connect to mx.example.test[192.0.2.1]:25: Connection refused)
/*	                                                    bob@example.test
/*
/*	-- 2 Kbytes in 1 Request.
/* .fi
/* .IP -j
/*	One JSON object per line and message: queue_name, queue_id,
/*	arrival_time (seconds since the epoch), message_size (bytes),
/*	forced_expire (true when the message was expired by force),
/*	sender, and recipients, a list of objects with address and, when
/*	known, delay_reason:
/*
/* .nf
/*	{"queue_name": "deferred", "queue_id": "06B0B9C02021A7A76BFC", "arrival_time": 1795922929, "message_size": 1234, "forced_expire": false, "sender": "alice@example.org", "recipients": [{"address": "bob@example.test", "delay_reason": "connect to mx.example.test[192.0.2.1]:25: Connection refused"}]}
/* .fi
/*
/*	Strings are escaped as JSON requires; control characters as
/*	\\uXXXX, and each byte that is not part of valid UTF-8 as \\u00XX
/*	(its value), so the output is always valid JSON.
/* .IP -f
/*	Try every deferred message now.
/* .IP "-s site"
/*	Try now every deferred message with a recipient at site.
/* .IP "-i queue_id"
/*	Try this deferred message now.
/* .IP "-c config_dir"
/*	The configuration directory (also $MAIL_CONFIG).
/* DIAGNOSTICS
/*	Exit status 0 on success, 75 (EX_TEMPFAIL) when the showq
/*	service cannot be reached or refuses the request, 64 on a usage
/*	error.
/* CONFIGURATION PARAMETERS
/* .IP queue_directory
/*	Where public/showq is.
/* SEE ALSO
/*	showq(8), the service; sendmail(1), mailq.
/*--*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <sock.h>
#include <vstream.h>
#include <vstring.h>

#include <attr.h>
#include <mail_conf.h>
#include <mail_params.h>
#include <showq_proto.h>

 /*
  * One message of the listing, as it arrives.
  */
struct dromqueue_msg {
    struct vstring *queue;
    struct vstring *id;
    long    arrival;
    long    size;
    long    expire;
    struct vstring *sender;
    long    count;
};

/* dromqueue_connect - a stream to showq after the handshake */

static struct vstream *dromqueue_connect(void)
{
    struct vstring *why = vstring_alloc(100);
    struct vstream *stream;
    int     fd;

    if (chdir(var_queue_dir) < 0)
	msg_fatal("chdir %s: %m", var_queue_dir);
    if ((fd = unix_connect(SHOWQ_SERVICE, 0, why)) < 0)
	msg_fatal("cannot reach the showq service: %s", vstring_str(why));
    stream = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(stream, var_ipc_timeout > 0 ?
			(int) var_ipc_timeout : 3600);
    if (attr_expect_protocol(stream, SHOWQ_PROTOCOL, SHOWQ_VERSION, why) < 0)
	msg_fatal("showq service: %s", vstring_str(why));
    vstring_free(&why);
    return (stream);
}

/* dromqueue_json_str - a JSON string, every byte accounted for */

static void dromqueue_json_str(const char *s)
{
    const unsigned char *cp = (const unsigned char *) s;
    size_t  n;
    size_t  i;

    putchar('"');
    while (*cp) {
	n = *cp < 0x80 ? 1 : (*cp & 0xe0) == 0xc0 && *cp >= 0xc2 ? 2 :
	    (*cp & 0xf0) == 0xe0 ? 3 : (*cp & 0xf8) == 0xf0 && *cp <= 0xf4 ? 4 : 0;
	for (i = 1; i < n; i++)
	    if ((cp[i] & 0xc0) != 0x80)
		n = 0;
	if (n == 3 && ((cp[0] == 0xe0 && cp[1] < 0xa0)
		       || (cp[0] == 0xed && cp[1] >= 0xa0)))
	    n = 0;				/* overlong; surrogate */
	if (n == 4 && ((cp[0] == 0xf0 && cp[1] < 0x90)
		       || (cp[0] == 0xf4 && cp[1] >= 0x90)))
	    n = 0;				/* overlong; above U+10FFFF */
	if (n == 0 || *cp < 0x20 || *cp == 0x7f) {
	    printf("\\u%04x", *cp++);
	    continue;
	}
	if (*cp == '"' || *cp == '\\')
	    putchar('\\');
	fwrite(cp, 1, n, stdout);
	cp += n;
    }
    putchar('"');
}

/* dromqueue_text_head - the -p line of a message */

static void dromqueue_text_head(const struct dromqueue_msg *m)
{
    char    date[64];
    time_t  t = (time_t) m->arrival;
    const char *mark = "";

    if (strcmp(vstring_str(m->queue), "active") == 0)
	mark = "*";
    else if (strcmp(vstring_str(m->queue), "hold") == 0)
	mark = "!";
    if (strftime(date, sizeof(date), "%a %b %e %H:%M:%S", localtime(&t)) == 0)
	date[0] = 0;
    printf("%s%-*s %8ld %-19s  %s\n", vstring_str(m->id),
	   vstring_len(m->id) < 20 ? (int) (20 - vstring_len(m->id)) : 1,
	   mark, m->size, date,
	   *vstring_str(m->sender) ? vstring_str(m->sender) : "MAILER-DAEMON");
}

/* dromqueue_list - the -p and -j listings */

static int dromqueue_list(int json)
{
    struct vstream *stream = dromqueue_connect();
    struct vstring *type = vstring_alloc(20);
    struct vstring *rcpt = vstring_alloc(100);
    struct vstring *reason = vstring_alloc(100);
    struct vstring *last_reason = vstring_alloc(100);
    struct dromqueue_msg m;
    long    total = 0;
    long    requests = 0;
    long    i;

    m.queue = vstring_alloc(20);
    m.id = vstring_alloc(40);
    m.sender = vstring_alloc(100);
    if (attr_print(stream, ATTR_FLAG_NONE,
		   ATTR_TYPE_STR, ATTR_REQUEST, SHOWQ_REQ_LIST,
		   ATTR_TYPE_END) < 0)
	msg_fatal("showq service: request failed");
    for (;;) {
	m.count = 0;
	m.expire = 0;
	if (attr_scan(stream, ATTR_FLAG_NONE,
		      ATTR_TYPE_STR, SHOWQ_ATTR_TYPE, type,
		      ATTR_TYPE_STR, ATTR_QUEUE_NAME, m.queue,
		      ATTR_TYPE_STR, ATTR_QUEUE_ID, m.id,
		      ATTR_TYPE_INT, ATTR_ARRIVAL, &m.arrival,
		      ATTR_TYPE_INT, SHOWQ_ATTR_SIZE, &m.size,
		      ATTR_TYPE_INT, SHOWQ_ATTR_EXPIRE, &m.expire,
		      ATTR_TYPE_STR, ATTR_SENDER, m.sender,
		      ATTR_TYPE_INT, ATTR_COUNT, &m.count,
		      ATTR_TYPE_END) < 0)
	    msg_fatal("showq service: %s", attr_error());
	if (strcmp(vstring_str(type), SHOWQ_TYPE_END) == 0)
	    break;
	if (strcmp(vstring_str(type), SHOWQ_TYPE_MESSAGE) != 0 || m.count < 0)
	    msg_fatal("showq service: unexpected answer");
	if (json) {
	    printf("{\"queue_name\": ");
	    dromqueue_json_str(vstring_str(m.queue));
	    printf(", \"queue_id\": ");
	    dromqueue_json_str(vstring_str(m.id));
	    printf(", \"arrival_time\": %ld, \"message_size\": %ld, "
		   "\"forced_expire\": %s, \"sender\": ", m.arrival, m.size,
		   m.expire ? "true" : "false");
	    dromqueue_json_str(vstring_str(m.sender));
	    printf(", \"recipients\": [");
	} else {
	    if (requests == 0)
		printf("-Queue ID-           --Size-- ----Arrival Time---- "
		       "-Sender/Recipient-------\n");
	    dromqueue_text_head(&m);
	}
	requests++;
	total += m.size;
	vstring_reset(last_reason);
	for (i = 0; i < m.count; i++) {
	    if (attr_scan(stream, ATTR_FLAG_STRICT,
			  ATTR_TYPE_STR, SHOWQ_ATTR_TYPE, type,
			  ATTR_TYPE_STR, ATTR_RECIPIENT, rcpt,
			  ATTR_TYPE_STR, ATTR_REASON, reason,
			  ATTR_TYPE_END) < 0)
		msg_fatal("showq service: %s", attr_error());
	    if (json) {
		printf("%s{\"address\": ", i ? ", " : "");
		dromqueue_json_str(vstring_str(rcpt));
		if (vstring_len(reason)) {
		    printf(", \"delay_reason\": ");
		    dromqueue_json_str(vstring_str(reason));
		}
		putchar('}');
	    } else {
		if (vstring_len(reason)
		    && strcmp(vstring_str(reason), vstring_str(last_reason)) != 0)
		    printf("%52s(%s)\n", "", vstring_str(reason));
		vstring_strcpy(last_reason, vstring_str(reason));
		printf("%52s%s\n", "", vstring_str(rcpt));
	    }
	}
	if (json)
	    printf("]}\n");
	else
	    putchar('\n');
    }
    if (!json) {
	if (requests == 0)
	    printf("Mail queue is empty\n");
	else
	    printf("-- %ld Kbytes in %ld Request%s.\n", (total + 1023) / 1024,
		   requests, requests == 1 ? "" : "s");
    }
    (void) vstream_close(&stream);
    vstring_free(&type);
    vstring_free(&rcpt);
    vstring_free(&reason);
    vstring_free(&last_reason);
    vstring_free(&m.queue);
    vstring_free(&m.id);
    vstring_free(&m.sender);
    if (fflush(stdout) != 0 || ferror(stdout))
	msg_fatal("write the listing: %m");
    return (0);
}

/* dromqueue_flush - the -f, -s and -i requests */

static int dromqueue_flush(const char *id, const char *site)
{
    struct vstream *stream = dromqueue_connect();
    struct vstring *reason = vstring_alloc(100);
    long    status = -1;

    if (attr_print(stream, ATTR_FLAG_NONE,
		   ATTR_TYPE_STR, ATTR_REQUEST, SHOWQ_REQ_FLUSH,
		   ATTR_TYPE_STR, ATTR_QUEUE_ID, id,
		   ATTR_TYPE_STR, SHOWQ_ATTR_SITE, site,
		   ATTR_TYPE_END) < 0
	|| attr_scan(stream, ATTR_FLAG_STRICT,
		     ATTR_TYPE_INT, ATTR_STATUS, &status,
		     ATTR_TYPE_STR, ATTR_REASON, reason,
		     ATTR_TYPE_END) < 0)
	msg_fatal("showq service: %s", attr_error());
    if (status != 0)
	msg_fatal("flush refused: %s", vstring_str(reason));
    (void) vstream_close(&stream);
    vstring_free(&reason);
    return (0);
}

int     main(int argc, char **argv)
{
    struct vstring *why;
    const char *config_dir = getenv("MAIL_CONFIG");
    const char *id = "";
    const char *site = "";
    int     mode = 0;
    int     ch;

    msg_init(argv[0]);
    msg_stderr_init(1, 0);
    msg_fatal_status(EX_TEMPFAIL);
    while ((ch = getopt(argc, argv, "c:fi:js:pv")) != -1) {
	switch (ch) {
	case 'c':
	    config_dir = optarg;
	    break;
	case 'i':
	    id = optarg;
	    mode = ch;
	    break;
	case 's':
	    site = optarg;
	    mode = ch;
	    break;
	case 'f':
	case 'j':
	case 'p':
	    mode = ch;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	default:
	    mode = 0;
	    optind = argc + 1;
	    break;
	}
    }
    if (mode == 0 || optind != argc) {
	msg_fatal_status(EX_USAGE);
	msg_fatal("usage: dromqueue [-c config_dir] -p | -j | -f | -s site "
		  "| -i queue_id");
    }
    why = vstring_alloc(100);
    if (mail_conf_read(config_dir ? config_dir : DEF_CONFIG_DIR, why) < 0
	|| mail_conf_eval(why) < 0)
	msg_fatal("%s", vstring_str(why));
    vstring_free(&why);
    if (mode == 'p' || mode == 'j')
	return (dromqueue_list(mode == 'j'));
    return (dromqueue_flush(id, site));
}
