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
/*	files outside the chroot. Each lookup is one short connection:
/*	connect, check the announcement, ask, read the answer, close (a
/*	connection never pins a proxymap process). The key goes as it is
/*	(folded here when the table folds keys).
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

static int dict_proxy_lookup(struct dict *dict, const char *key,
			             const char **value)
{
    struct dict_proxy *dp = (struct dict_proxy *) dict;
    struct vstring *why = vstring_alloc(100);
    struct vstream *stream;
    long    status = DICT_STAT_ERROR;
    int     fd;

    if ((fd = unix_connect(PROXY_SERVICE, 0, why)) < 0) {
	dict_set_error(dict, "%s: %s", PROXY_SERVICE, vstring_str(why));
	vstring_free(&why);
	return (DICT_STAT_ERROR);
    }
    stream = vstream_fdopen(fd, VSTREAM_FLAG_CLOSE);
    vstream_set_timeout(stream, var_ipc_timeout > 0 ?
			(int) var_ipc_timeout : 3600);
    vstring_reset(dp->reason);
    if (attr_expect_protocol(stream, PROXY_PROTOCOL, PROXY_VERSION, why) < 0) {
	dict_set_error(dict, "%s: %s", PROXY_SERVICE, vstring_str(why));
	status = DICT_STAT_ERROR;
    } else if (attr_print(stream, ATTR_FLAG_NONE,
			  ATTR_TYPE_STR, ATTR_REQUEST, PROXY_REQ_LOOKUP,
			  ATTR_TYPE_STR, PROXY_ATTR_TABLE, dp->table,
			  ATTR_TYPE_INT, ATTR_FLAGS, (long) dict->flags,
			  ATTR_TYPE_STR, PROXY_ATTR_KEY, key,
			  ATTR_TYPE_END) < 0
	       || attr_scan(stream, ATTR_FLAG_NONE,
			    ATTR_TYPE_INT, ATTR_STATUS, &status,
			    ATTR_TYPE_STR, PROXY_ATTR_VALUE, dp->value,
			    ATTR_TYPE_STR, ATTR_REASON, dp->reason,
			    ATTR_TYPE_END) < 0) {
	dict_set_error(dict, "%s: %s", PROXY_SERVICE, attr_error());
	status = DICT_STAT_ERROR;
    } else if (status != DICT_STAT_FOUND && status != DICT_STAT_NOTFOUND) {
	dict_set_error(dict, "%s: %s", PROXY_SERVICE,
		       vstring_len(dp->reason) ? vstring_str(dp->reason) :
		       "lookup failed");
	status = DICT_STAT_ERROR;
    }
    (void) vstream_close(&stream);
    vstring_free(&why);
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
