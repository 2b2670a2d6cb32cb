/*++
/* NAME
/*	dict_proxy 3
/* SUMMARY
/*	proxy: tables, looked up by proxymap(8) for chrooted daemons
/* SYNOPSIS
/*	#include <dict_private.h>
/*
/*	struct dict *dict_proxy_open(type, name, mode, flags, why)
/* DESCRIPTION
/*	"proxy:type:name" hands every lookup of the table type:name to the
/*	proxymap service (private/proxymap, relative to the working
/*	directory, which is queue_directory for every dromos daemon, in a
/*	chroot or not), so that a chrooted daemon can use tables it cannot
/*	open: the system's user database (proxy:unix:passwd.byname), or
/*	files outside the chroot. All proxy tables of a process share one
/*	connection, made at the first lookup and kept for the life of the
/*	process (proxymap serves all its clients in one process, so a kept
/*	connection costs nothing); one that proxymap closed meanwhile (a
/*	reload, a restart) is reopened once. The key goes as it is (folded
/*	here when the table folds keys). A key that a unix: table cannot
/*	hold (dict_unix_key_possible(), "user@domain" for instance) is not
/*	found without asking proxymap.
/*
/*	Only reading: the proxymap server refuses tables that are not in
/*	proxy_read_maps. Changes of the table are proxymap's business: it
/*	reopens a table that changed, so dict_changed() is always 0 here.
/*	When proxymap cannot be reached, or answers nonsense, the lookup
/*	is DICT_STAT_ERROR: the caller defers.
/* DIAGNOSTICS
/*	Return values; reasons in dict_error().
/*--*/
#include <string.h>
#include <unistd.h>

#include <sock.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <attr.h>
#include <dict_private.h>
#include <mail_params.h>
#include <proxy_proto.h>

struct dict_proxy {
    struct dict dict;
    char   *table;			/* type:name behind the proxy */
    struct vstring *value;
    struct vstring *reason;
};

 /*
  * One connection to proxymap for all proxy tables of the process.
  */
static struct vstream *dict_proxy_stream;

static void dict_proxy_disconnect(void);

/* dict_proxy_connect - the connection, made when needed */

static struct vstream *dict_proxy_connect(struct dict *dict)
{
    struct vstring *why;
    int     fd;

    if (dict_proxy_stream != 0)
	return (dict_proxy_stream);
    why = vstring_alloc(100);
    if ((fd = unix_connect(PROXY_SERVICE, 0, why)) < 0) {
	dict_set_error(dict, "%s: %s", PROXY_SERVICE, vstring_str(why));
	vstring_free(&why);
	return (0);
    }
    dict_proxy_stream = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(dict_proxy_stream, var_ipc_timeout > 0 ?
			(int) var_ipc_timeout : 3600);
    if (attr_expect_protocol(dict_proxy_stream, PROXY_PROTOCOL,
			     PROXY_VERSION, why) < 0) {
	dict_set_error(dict, "%s: %s", PROXY_SERVICE, vstring_str(why));
	dict_proxy_disconnect();
    }
    vstring_free(&why);
    return (dict_proxy_stream);
}

static void dict_proxy_disconnect(void)
{
    if (dict_proxy_stream != 0)
	(void) vstream_close(&dict_proxy_stream);
    dict_proxy_stream = 0;
}

/* dict_proxy_ask - one request and its answer; -1 on a broken connection */

static int dict_proxy_ask(struct dict_proxy *dp, const char *key,
			          long *status)
{
    struct vstream *stream;

    if ((stream = dict_proxy_connect(&dp->dict)) == 0)
	return (-1);
    vstring_reset(dp->reason);
    if (attr_print(stream, ATTR_FLAG_NONE,
		   ATTR_TYPE_STR, ATTR_REQUEST, PROXY_REQ_LOOKUP,
		   ATTR_TYPE_STR, PROXY_ATTR_TABLE, dp->table,
		   ATTR_TYPE_INT, ATTR_FLAGS, (long) dp->dict.flags,
		   ATTR_TYPE_STR, PROXY_ATTR_KEY, key,
		   ATTR_TYPE_END) < 0
	|| attr_scan(stream, ATTR_FLAG_NONE,
		     ATTR_TYPE_INT, ATTR_STATUS, status,
		     ATTR_TYPE_STR, PROXY_ATTR_VALUE, dp->value,
		     ATTR_TYPE_STR, ATTR_REASON, dp->reason,
		     ATTR_TYPE_END) < 0) {
	dict_set_error(&dp->dict, "%s: %s", PROXY_SERVICE, attr_error());
	dict_proxy_disconnect();
	return (-1);
    }
    return (0);
}

static int dict_proxy_lookup(struct dict *dict, const char *key,
			             const char **value)
{
    struct dict_proxy *dp = (struct dict_proxy *) dict;
    int     had_stream = (dict_proxy_stream != 0);
    long    status = DICT_STAT_ERROR;

    /* "user@domain" is never in unix:passwd.byname: no round trip. */
    if (strncmp(dp->table, "unix:", 5) == 0 && !dict_unix_key_possible(key))
	return (DICT_STAT_NOTFOUND);
    /* A kept connection may have been closed by proxymap: retry once. */
    if (dict_proxy_ask(dp, key, &status) < 0
	&& (!had_stream || dict_proxy_ask(dp, key, &status) < 0))
	return (DICT_STAT_ERROR);
    if (status != DICT_STAT_FOUND && status != DICT_STAT_NOTFOUND) {
	dict_set_error(dict, "%s: %s", PROXY_SERVICE,
		       vstring_len(dp->reason) ? vstring_str(dp->reason) :
		       "lookup failed");
	return (DICT_STAT_ERROR);
    }
    if (status == DICT_STAT_FOUND)
	*value = vstring_str(dp->value);
    return ((int) status);
}

static void dict_proxy_close(struct dict *dict)
{
    struct dict_proxy *dp = (struct dict_proxy *) dict;

    myfree(dp->table);
    vstring_free(&dp->value);
    vstring_free(&dp->reason);
    dict_free(dict);
}

struct dict *dict_proxy_open(const char *type, const char *name, int mode,
			             int flags, struct vstring *why)
{
    struct dict_proxy *dp;
    const char *colon = strchr(name, ':');

    if (colon == 0 || colon == name || colon[1] == 0
	|| strncmp(name, "proxy:", 6) == 0) {
	vstring_sprintf(why, "table \"%s:%s\": expected proxy:type:name",
			type, name);
	return (0);
    }
    dp = (struct dict_proxy *) dict_alloc(type, name, sizeof(*dp), mode, flags);
    dp->table = mystrdup(name);
    dp->value = vstring_alloc(100);
    dp->reason = vstring_alloc(100);
    dp->dict.lookup = dict_proxy_lookup;
    dp->dict.close = dict_proxy_close;
    return (&dp->dict);
}
