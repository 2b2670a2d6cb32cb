/*++
/* NAME
/*	proxymap 8
/* SUMMARY
/*	dromos table lookup service for chrooted daemons
/* SYNOPSIS
/*	proxymap [generic daemon options]
/* DESCRIPTION
/*	proxymap answers table lookups for daemons that cannot open the
/*	table themselves: a chrooted smtpd that checks local_recipient_maps
/*	against the system's user database (proxy:unix:passwd.byname) or
/*	against tables outside the queue directory. A daemon names such a
/*	table "proxy:type:name" (dict_proxy(3)); master runs proxymap from
/*	this master.cf line:
/*
/* .nf
/*	proxymap  unix  -  -  n  -  -  proxymap
/* .fi
/*
/*	The protocol on private/proxymap is described in proxy_proto(3h):
/*	after the announcement {protocol = "proxymap", version = 1} each
/*	request {request = "lookup", table, flags, key} gets {status,
/*	value, reason}, status being 1 (found), 0 (not found) or -1
/*	(error, with the reason), until the client closes the connection.
/*	One proxymap process serves every client at once (multi_server(3)):
/*	each smtpd keeps its connection for as long as it runs.
/*
/*	Only tables listed as "proxy:type:name" in proxy_read_maps may be
/*	opened; any other table is refused ("table type:name is not
/*	listed in proxy_read_maps") and logged as a warning. Tables are
/*	opened on first use and kept; one whose file changed is reopened
/*	before the next lookup. The flags of the request (key folding, the
/*	terminating NUL) are those of the client's table.
/* SECURITY
/*	proxymap runs as $mail_owner and is not chrooted (master.cf
/*	unpriv "-", chroot "n"): it must read /etc/passwd and tables in
/*	the configuration directory. It reads and answers; it never
/*	writes a table. Requests are read with the attribute protocol's
/*	bounds (names, value length); the table name must be in
/*	proxy_read_maps, so a client cannot make it open arbitrary files.
/* DIAGNOSTICS
/*	Warnings for refused tables and tables that fail to open.
/* CONFIGURATION PARAMETERS
/* .IP proxy_read_maps
/*	The tables proxymap may open, as "proxy:type:name" (by default
/*	every table in local_recipient_maps, alias_maps,
/*	relay_recipient_maps, mydestination, relay_domains and mynetworks).
/* .IP ipc_timeout
/*	How long a client may take to send its request.
/* FILES
/*	$queue_directory/private/proxymap, the service socket.
/* SEE ALSO
/*	smtpd(8), which uses it for local_recipient_maps.
/*	dict(3h), the tables.
/*--*/
#include <stdlib.h>
#include <string.h>

#include <argv.h>
#include <htable.h>
#include <msg.h>
#include <vstream.h>
#include <vstring.h>

#include <attr.h>
#include <dict.h>
#include <mail_conf.h>
#include <mail_params.h>
#include <mail_server.h>
#include <proxy_proto.h>

#define PROXYMAP_KEY_MAX	4096	/* the longest key we look up */

static struct htable *proxymap_tables;	/* "type:name/flags" -> dict */
static struct argv *proxymap_allowed;	/* "proxy:type:name" words */

/* proxymap_allowed_table - is table listed in proxy_read_maps */

static int proxymap_allowed_table(const char *table)
{
    size_t  i;

    for (i = 0; i < proxymap_allowed->argc; i++)
	if (strncmp(proxymap_allowed->argv[i], "proxy:", 6) == 0
	    && strcmp(proxymap_allowed->argv[i] + 6, table) == 0)
	    return (1);
    return (0);
}

/* proxymap_table - open (or reopen) a table */

static struct dict *proxymap_table(const char *table, long flags,
				           struct vstring *why)
{
    struct vstring *id = vstring_alloc(100);
    struct htable_info *ht;
    struct dict *dict;

    flags &= (DICT_FLAG_FOLD_KEY | DICT_FLAG_APPEND_NUL | DICT_FLAG_TRY_BOTH);
    vstring_sprintf(id, "%s/%ld", table, flags);
    if ((ht = htable_locate(proxymap_tables, vstring_str(id))) != 0) {
	dict = ht->value;
	if (!dict_changed(dict)) {
	    vstring_free(&id);
	    return (dict);
	}
	msg_info("table %s has changed -- reopening", table);
	dict_close(&dict);
	htable_delete(proxymap_tables, vstring_str(id), (void (*) (void *)) 0);
    }
    if ((dict = dict_open(table, DICT_MODE_READ, (int) flags, why)) != 0)
	htable_enter(proxymap_tables, vstring_str(id), dict);
    vstring_free(&id);
    return (dict);
}

/* proxymap_answer - one reply */

static int proxymap_answer(struct vstream *stream, long status,
			           const char *value, const char *reason)
{
    return (attr_print(stream, ATTR_FLAG_NONE,
		       ATTR_TYPE_INT, ATTR_STATUS, status,
		       ATTR_TYPE_STR, PROXY_ATTR_VALUE, value,
		       ATTR_TYPE_STR, ATTR_REASON, reason,
		       ATTR_TYPE_END));
}

/* proxymap_connect - a new client: the announcement */

static int proxymap_connect(struct vstream *stream, const char *service,
			            char **argv)
{
    (void) service;
    (void) argv;
    return (attr_send_protocol(stream, PROXY_PROTOCOL, PROXY_VERSION));
}

/* proxymap_service - one request of a client; -1 ends the connection */

static int proxymap_service(struct vstream *stream, const char *service,
			            char **argv)
{
    static struct vstring *request;
    static struct vstring *table;
    static struct vstring *key;
    static struct vstring *why;
    const char *value;
    struct dict *dict;
    long    flags = 0;
    int     st;

    (void) service;
    (void) argv;
    if (request == 0) {
	request = vstring_alloc(20);
	table = vstring_alloc(100);
	key = vstring_alloc(100);
	why = vstring_alloc(100);
    }
    if (attr_scan(stream, ATTR_FLAG_STRICT,
		  ATTR_TYPE_STR, ATTR_REQUEST, request,
		  ATTR_TYPE_STR, PROXY_ATTR_TABLE, table,
		  ATTR_TYPE_INT, ATTR_FLAGS, &flags,
		  ATTR_TYPE_STR, PROXY_ATTR_KEY, key,
		  ATTR_TYPE_END) < 0) {
	if (strstr(attr_error(), "end of input") == 0)
	    msg_warn("bad request: %s", attr_error());
	return (-1);
    }
    if (strcmp(vstring_str(request), PROXY_REQ_LOOKUP) != 0) {
	msg_warn("unknown request \"%.100s\"", vstring_str(request));
	(void) proxymap_answer(stream, DICT_STAT_ERROR, "", "unknown request");
	return (-1);
    }
    if (vstring_len(key) > PROXYMAP_KEY_MAX)
	return (proxymap_answer(stream, DICT_STAT_ERROR, "", "key too long"));
    if (!proxymap_allowed_table(vstring_str(table))) {
	msg_warn("refused table %.200s: it is not listed in %s as "
		 "proxy:%.200s", vstring_str(table), VAR_PROXY_READ_MAPS,
		 vstring_str(table));
	vstring_sprintf(why, "table %.200s is not listed in %s",
			vstring_str(table), VAR_PROXY_READ_MAPS);
	return (proxymap_answer(stream, DICT_STAT_ERROR, "", vstring_str(why)));
    }
    if ((dict = proxymap_table(vstring_str(table), flags, why)) == 0) {
	msg_warn("%s", vstring_str(why));
	return (proxymap_answer(stream, DICT_STAT_ERROR, "", vstring_str(why)));
    }
    st = dict_lookup(dict, vstring_str(key), &value);
    return (proxymap_answer(stream, st, st == DICT_STAT_FOUND ? value : "",
			    st == DICT_STAT_ERROR ? dict_error(dict) : ""));
}

/* proxymap_init - the list of allowed tables */

static void proxymap_init(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    proxymap_tables = htable_create(10);
    proxymap_allowed = argv_split(var_proxy_read_maps, ", \t\r\n");
}

int     main(int argc, char **argv)
{
    multi_server_main(argc, argv, proxymap_service,
		      MAIL_SERVER_PRE_INIT, proxymap_init,
		      MAIL_SERVER_CONNECT, proxymap_connect,
		      MAIL_SERVER_END);
}
