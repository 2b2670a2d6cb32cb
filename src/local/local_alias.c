/*++
/* NAME
/*	local_alias 3
/* SUMMARY
/*	alias expansion: aliases, .forward, :include:, loops, owners
/* SYNOPSIS
/*	#include "local.h"
/*
/*	void	local_recipient(exp, pending)
/*
/*	int	local_alias_lookup(name, &value, &uid, &gid, why)
/*
/*	int	local_user_by_name(name, user)
/*
/*	int	local_user_by_uid(uid, gid, user)
/*
/*	void	local_user_free(user)
/*
/*	int	local_allowed(list, class)
/* DESCRIPTION
/*	local_recipient() delivers one recipient (exp->local, folded; its
/*	domain exp->domain) and sets exp->res:
/* .IP 1.
/*	With recipient_delimiter set, "bob+tag" is split into the user
/*	bob and the extension tag at the first delimiter character (not
/*	the first character; never "owner-NAME" or "NAME-request" when
/*	"-" is a delimiter).
/* .IP 2.
/*	The name, then the name without the extension, is looked up in
/*	alias_maps (as root). A table error defers the recipient (4.3.0
/*	"alias database unavailable").
/* .IP 3.
/*	An alias is expanded recursively (below). Otherwise the user (the
/*	name without extension) must exist (else 5.1.1 "unknown user");
/*	root is deferred (4.7.1: mail for root needs an alias). The
/*	user's .forward file (forward_path, local_forward.c) is expanded
/*	like an alias, with the user's privileges; without one the message
/*	goes to the user's mailbox (a Maildir delivery may join the group
/*	commit through pending).
/* .PP
/*	Expansion. Each item of a value (alias_split()) is:
/* .IP "an address in another domain"
/*	(not in $mydestination), or a local name that is not an alias:
/*	collected and sent on, after the expansion, as one new message per
/*	envelope sender through cleanup (local_resend.c), with the
/*	duplicates removed. An address without a domain gets
/*	"@$myhostname". Local names are not delivered in this process: the
/*	new message gives each its own delivery, retries and .forward.
/* .IP "a local name that is an alias"
/*	expanded in turn (at most 100 levels deep), unless the name is on
/*	the expansion path already (a loop): then a user of that name gets
/*	the message in the mailbox, and any other name is dropped with a
/*	warning. "\NAME" always means the mailbox of user NAME.
/* .IP "|command, /file"
/*	delivered here (local_command.c, local_file.c) when
/*	allow_mail_to_commands or allow_mail_to_files names the class of
/*	the item: "alias" (from the alias table), "forward" (a .forward
/*	file) or "include" (any :include: file); otherwise bounced (5.7.1
/*	"mail to command is restricted"). They run as the owner of the
/*	alias table file, or as default_privs when root owns it; for
/*	.forward as the user; in an :include: file owned by someone other
/*	than root, as that owner. Never as root.
/* .IP ":include:/file"
/*	read with the privileges of the expansion (default_privs for a
/*	root-owned alias table); the file must belong to root or to the
/*	owner of the table (or .forward) that names it and must not be
/*	writable by group or others. Its lines are expanded like a value.
/* .PP
/*	Within one delivery each alias, :include: file, command, file and
/*	mailbox is used once: a second mention elsewhere in the expansion
/*	is skipped (so a list that names another list twice, at every
/*	level, costs no more than one that names it once).
/*
/*	Owners: when an alias NAME has a companion alias "owner-NAME",
/*	the items of NAME's expansion get the envelope sender
/*	owner-NAME@$myhostname (with expand_owner_alias, the value of
/*	owner-NAME when that is one address). The null sender stays null.
/*
/*	Every delivery of the expansion is logged with its own line,
/*	"to=<ADDRESS>, orig_to=<RECIPIENT>" where ADDRESS is the name
/*	whose expansion it came from (or the user whose mailbox got it);
/*	forwarded copies as "to=<RECIPIENT>, ... status=sent (forwarded as
/*	QUEUEID)". The recipient's result is the worst one: deferred before
/*	bounced before sent. An expansion that delivers nothing bounces
/*	(5.4.6 "mail forwarding loop" when names were dropped as loops).
/*
/*	local_alias_lookup() looks name up in alias_maps, in order, and
/*	returns DICT_STAT_FOUND with a copy of the value (the caller frees
/*	it) and the owner of the table's file (root for a table without a
/*	file), DICT_STAT_NOTFOUND, or DICT_STAT_ERROR with a reason. The
/*	tables are opened at the first use, and opened again when
/*	alias_maps changes or any table file changed. When they are
/*	(re)opened, a hash, btree or lmdb file of alias_database that is
/*	older than its text source is reported with a warning (run
/*	newaliases).
/*
/*	local_user_by_name() fills user from the password file: 1 found,
/*	0 unknown, -1 lookup error. local_user_by_uid() always fills
/*	user ("#UID" with the given gid and / as home when the uid has no
/*	password entry). local_user_free() frees the members.
/*
/*	local_allowed(list, class) is non-zero when the list (words
/*	separated by commas or white space) names the class.
/* DIAGNOSTICS
/*	Results; warnings for loops, unsafe files and table trouble.
/*--*/
#include <sys/stat.h>
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include <argv.h>
#include <htable.h>
#include <msg.h>
#include <mymalloc.h>
#include <stringops.h>
#include <vstring.h>

#include <alias_parse.h>
#include <deliver_request.h>
#include <dict.h>
#include <mail_addr.h>
#include <mail_params.h>
#include <qfile.h>

#include "local.h"

#define LOCAL_EXP_DEPTH	100		/* nested aliases and includes */
#define LOCAL_BLANKS		", \t\r\n"

 /*
  * The alias tables, with the owner of each table's file.
  */
struct local_alias_table {
    struct dict *dict;
    uid_t   uid;
    gid_t   gid;
};

static struct local_alias_table *local_alias_tables;
static int local_alias_count;
static char *local_alias_spec;		/* alias_maps when opened */
static struct vstring *local_alias_err;	/* why opening failed */

/* local_user_fill - copy a password entry */

static void local_user_fill(struct local_user *u, const struct passwd *pw)
{
    u->name = mystrdup(pw->pw_name);
    u->uid = pw->pw_uid;
    u->gid = pw->pw_gid;
    u->home = mystrdup(pw->pw_dir ? pw->pw_dir : "/");
    u->shell = mystrdup(pw->pw_shell && *pw->pw_shell ? pw->pw_shell :
			"/bin/sh");
}

int     local_user_by_name(const char *name, struct local_user *u)
{
    struct passwd *pw;

    memset(u, 0, sizeof(*u));
    if (*name == 0 || strchr(name, '/') != 0)
	return (0);
    errno = 0;
    if ((pw = getpwnam(name)) == 0) {
	if (errno != 0 && errno != ENOENT && errno != ESRCH
	    && errno != EBADF && errno != EPERM)
	    return (-1);
	return (0);
    }
    local_user_fill(u, pw);
    return (1);
}

int     local_user_by_uid(uid_t uid, gid_t gid, struct local_user *u)
{
    struct passwd *pw;
    struct vstring *buf;

    memset(u, 0, sizeof(*u));
    if ((pw = getpwuid(uid)) != 0) {
	local_user_fill(u, pw);
    } else {
	buf = vstring_alloc(20);
	vstring_sprintf(buf, "#%ld", (long) uid);
	u->name = vstring_export(&buf);
	u->uid = uid;
	u->gid = gid;
	u->home = mystrdup("/");
	u->shell = mystrdup("/bin/sh");
    }
    return (1);
}

void    local_user_free(struct local_user *u)
{
    myfree(u->name);
    myfree(u->home);
    myfree(u->shell);
    memset(u, 0, sizeof(*u));
}

int     local_allowed(const char *list, int class)
{
    const char *want = (class == LOCAL_CLASS_ALIAS ? "alias" :
			class == LOCAL_CLASS_FORWARD ? "forward" : "include");
    const char *cp = list;
    size_t  n;

    while (*cp) {
	cp += strspn(cp, LOCAL_BLANKS);
	if ((n = strcspn(cp, LOCAL_BLANKS)) == 0)
	    break;
	if (n == strlen(want) && strncasecmp(cp, want, n) == 0)
	    return (1);
	cp += n;
    }
    return (0);
}

/* local_alias_close - close every table */

static void local_alias_close(void)
{
    int     i;

    for (i = 0; i < local_alias_count; i++)
	dict_close(&local_alias_tables[i].dict);
    myfree(local_alias_tables);
    local_alias_tables = 0;
    local_alias_count = 0;
    myfree(local_alias_spec);
    local_alias_spec = 0;
}

/* local_alias_file - the file behind type:name, or null */

static const char *local_alias_file(const char *spec, struct vstring *buf)
{
    const char *colon = strchr(spec, ':');
    size_t  tlen;

    if (colon == 0)
	return (0);
    tlen = (size_t) (colon - spec);
    vstring_strcpy(buf, colon + 1);
    if ((tlen == 4 && strncmp(spec, "hash", 4) == 0)
	|| (tlen == 5 && strncmp(spec, "btree", 5) == 0))
	vstring_appends(buf, ".db");
    else if (tlen == 4 && strncmp(spec, "lmdb", 4) == 0)
	vstring_appends(buf, ".lmdb");
    else if (!((tlen == 8 && strncmp(spec, "texthash", 8) == 0)
	       || (tlen == 4 && strncmp(spec, "cidr", 4) == 0)
	       || (tlen == 6 && strncmp(spec, "regexp", 6) == 0)))
	return (0);
    return (vstring_str(buf));
}

/* local_alias_members - split a table list, keeping {...} whole */

static struct argv *local_alias_members(const char *list)
{
    struct argv *members = argv_alloc(2);
    const char *cp = list;
    const char *start;
    int     depth;

    for (;;) {
	cp += strspn(cp, LOCAL_BLANKS);
	if (*cp == 0)
	    break;
	for (start = cp, depth = 0; *cp; cp++) {
	    if (*cp == '{')
		depth++;
	    else if (*cp == '}' && depth > 0)
		depth--;
	    else if (depth == 0 && strchr(LOCAL_BLANKS, *cp) != 0)
		break;
	}
	argv_addn(members, start, (size_t) (cp - start));
    }
    return (members);
}

/* local_alias_check_db - warn when an alias map is older than its source */

static void local_alias_check_db(void)
{
    struct argv *members = local_alias_members(var_alias_db);
    struct vstring *db = vstring_alloc(100);
    struct stat src_st;
    struct stat db_st;
    const char *colon;
    char   *type;
    int     is_file;
    size_t  i;

    for (i = 0; i < members->argc; i++) {
	if ((colon = strchr(members->argv[i], ':')) == 0)
	    continue;
	type = mystrndup(members->argv[i], (size_t) (colon - members->argv[i]));
	is_file = dict_type_is_file(type);
	myfree(type);
	if (is_file && local_alias_file(members->argv[i], db) != 0
	    && stat(colon + 1, &src_st) == 0
	    && stat(vstring_str(db), &db_st) == 0
	    && src_st.st_mtime > db_st.st_mtime)
	    msg_warn("database %s is older than source file %s: "
		     "run newaliases", vstring_str(db), colon + 1);
    }
    argv_free(&members);
    vstring_free(&db);
}

/* local_alias_open - open the tables of alias_maps */

static void local_alias_open(void)
{
    struct argv *members = local_alias_members(var_alias_maps);
    struct vstring *file = vstring_alloc(100);
    struct local_alias_table *t;
    struct stat st;
    size_t  i;

    local_alias_close();
    if (local_alias_err == 0)
	local_alias_err = vstring_alloc(100);
    vstring_reset(local_alias_err);
    local_alias_spec = mystrdup(var_alias_maps);
    local_alias_tables = mycalloc(members->argc + 1, sizeof(*t));
    for (i = 0; i < members->argc; i++) {
	t = local_alias_tables + local_alias_count;
	if ((t->dict = dict_open(members->argv[i], DICT_MODE_READ,
				 DICT_FLAG_DEFAULT, local_alias_err)) == 0) {
	    if (vstring_len(local_alias_err) == 0)
		vstring_sprintf(local_alias_err, "cannot open %s",
				members->argv[i]);
	    break;
	}
	local_alias_count++;
	if (local_alias_file(members->argv[i], file) != 0
	    && stat(vstring_str(file), &st) == 0) {
	    t->uid = st.st_uid;
	    t->gid = st.st_gid;
	}
    }
    if (vstring_len(local_alias_err) == 0)
	local_alias_check_db();
    argv_free(&members);
    vstring_free(&file);
}

/* local_alias_refresh - (re)open when needed; 0 or -1 with why */

static int local_alias_refresh(struct vstring *why)
{
    int     i;
    int     changed = (local_alias_spec == 0
		       || strcmp(local_alias_spec, var_alias_maps) != 0
		       || vstring_len(local_alias_err) > 0);

    for (i = 0; !changed && i < local_alias_count; i++)
	changed = dict_changed(local_alias_tables[i].dict);
    if (changed)
	local_alias_open();
    if (vstring_len(local_alias_err) > 0) {
	vstring_strcpy(why, vstring_str(local_alias_err));
	return (-1);
    }
    return (0);
}

int     local_alias_lookup(const char *name, char **value, uid_t *uid,
			           gid_t *gid, struct vstring *why)
{
    const char *found;
    int     status;
    int     i;

    local_restore();				/* tables are read as root */
    if (local_alias_err && vstring_len(local_alias_err) > 0) {
	vstring_strcpy(why, vstring_str(local_alias_err));
	return (DICT_STAT_ERROR);
    }
    for (i = 0; i < local_alias_count; i++) {
	status = dict_lookup(local_alias_tables[i].dict, name, &found);
	if (status == DICT_STAT_FOUND) {
	    *value = mystrdup(found);
	    *uid = local_alias_tables[i].uid;
	    *gid = local_alias_tables[i].gid;
	    return (status);
	}
	if (status == DICT_STAT_ERROR) {
	    vstring_sprintf(why, "%s: %s",
			    dict_name(local_alias_tables[i].dict),
			    dict_error(local_alias_tables[i].dict));
	    return (status);
	}
    }
    return (DICT_STAT_NOTFOUND);
}

/* local_rank - how bad a result is */

static int local_rank(int status)
{
    return (status == DELIVER_STAT_DEFER ? 3 :
	    status == DELIVER_STAT_BOUNCE ? 2 : 1);
}

/* local_leaf_init, local_leaf_free - a scratch result */

static void local_leaf_init(struct local_result *leaf)
{
    leaf->status = DELIVER_STAT_DEFER;
    leaf->dsn = vstring_alloc(10);
    leaf->reason = vstring_alloc(100);
    leaf->logged = 0;
}

static void local_leaf_free(struct local_result *leaf)
{
    vstring_free(&leaf->dsn);
    vstring_free(&leaf->reason);
}

/* local_leaf_done - log one delivery of the expansion, keep the worst */

static void local_leaf_done(struct local_exp *exp, const char *to,
			            struct local_result *leaf)
{
    struct deliver_request *req = exp->req;
    const char *orig = vstring_len(req->orig_recipient) ?
    vstring_str(req->orig_recipient) : vstring_str(req->recipient);

    local_log(exp->state->queue_id, to, orig, exp->state->info->arrival_sec,
	      exp->state->info->arrival_usec, leaf);
    if (exp->leaves == 0
	|| local_rank(leaf->status) > local_rank(exp->res->status)) {
	exp->res->status = leaf->status;
	vstring_strcpy(exp->res->dsn, vstring_str(leaf->dsn));
	vstring_strcpy(exp->res->reason, vstring_str(leaf->reason));
    }
    exp->leaves++;
}

/* local_leaf_fail - a delivery of the expansion that failed at once */

static void __attribute__((format(printf, 5, 6)))
local_leaf_fail(struct local_exp *exp, const char *to, int status,
		        const char *dsn, const char *fmt,...)
{
    struct local_result leaf;
    va_list ap;

    local_leaf_init(&leaf);
    leaf.status = status;
    vstring_strcpy(leaf.dsn, dsn);
    va_start(ap, fmt);
    vstring_vsprintf_append(leaf.reason, fmt, ap);
    va_end(ap);
    local_leaf_done(exp, to, &leaf);
    local_leaf_free(&leaf);
}

/* local_qualify - name@domain of the recipient (name alone without one) */

static const char *local_qualify(struct local_exp *exp, const char *name,
				         struct vstring *buf)
{
    if (*exp->domain)
	vstring_sprintf(buf, "%s@%s", name, exp->domain);
    else
	vstring_strcpy(buf, name);
    return (vstring_str(buf));
}

/* local_on_path - is name being expanded already? */

static int local_on_path(struct local_exp *exp, const char *name)
{
    size_t  i;

    for (i = 0; i < exp->path->argc; i++)
	if (strcmp(exp->path->argv[i], name) == 0)
	    return (1);
    return (0);
}

/* local_seen - was this expanded or delivered before? Remember it. */

static int local_seen(struct local_exp *exp, const char *kind,
		              const char *what)
{
    struct vstring *key = vstring_alloc(100);
    int     seen;

    vstring_sprintf(key, "%s%s", kind, what);
    if ((seen = (htable_locate(exp->seen, vstring_str(key)) != 0)) == 0)
	(void) htable_enter(exp->seen, vstring_str(key), (void *) 0);
    vstring_free(&key);
    return (seen);
}

/* local_split_ext - user and address extension */

static void local_split_ext(const char *name, char **base, char **ext,
			            char **delim)
{
    size_t  len = strlen(name);
    size_t  pos;

    *base = 0;
    if (*var_rcpt_delim && len > 1
	&& !(strchr(var_rcpt_delim, '-') != 0
	     && (strncmp(name, "owner-", 6) == 0
		 || (len > 8 && strcmp(name + len - 8, "-request") == 0)))) {
	pos = strcspn(name + 1, var_rcpt_delim) + 1;
	if (pos < len) {
	    *base = mystrndup(name, pos);
	    *ext = mystrdup(name + pos + 1);
	    *delim = mystrndup(name + pos, 1);
	}
    }
    if (*base == 0) {
	*base = mystrdup(name);
	*ext = mystrdup("");
	*delim = mystrdup("");
    }
}

/* local_alias_find - look up name, then name without extension */

static int local_alias_find(const char *name, const char *base, char **key,
			            char **value, uid_t *uid, gid_t *gid,
			            struct vstring *why)
{
    int     status;

    *key = 0;
    status = local_alias_lookup(name, value, uid, gid, why);
    if (status == DICT_STAT_FOUND) {
	*key = mystrdup(name);
    } else if (status == DICT_STAT_NOTFOUND && strcmp(name, base) != 0) {
	status = local_alias_lookup(base, value, uid, gid, why);
	if (status == DICT_STAT_FOUND)
	    *key = mystrdup(base);
    }
    return (status);
}

/* local_owner - the envelope sender for an alias's expansion */

static int local_owner(const char *key, const char *sender,
		               struct vstring *out, struct vstring *why)
{
    struct vstring *owner = vstring_alloc(100);
    struct argv *items;
    const char *rest;
    char   *value = 0;
    uid_t   uid;
    gid_t   gid;
    int     status;

    vstring_strcpy(out, sender);
    if (*sender == 0) {			/* a bounce stays a bounce */
	vstring_free(&owner);
	return (0);
    }
    vstring_sprintf(owner, "owner-%s", key);
    status = local_alias_lookup(vstring_str(owner), &value, &uid, &gid, why);
    if (status == DICT_STAT_FOUND) {
	vstring_sprintf(out, "%s@%s", vstring_str(owner), var_myhostname);
	if (var_exp_owner_alias) {
	    items = alias_split(value);
	    if (items->argc == 1
		&& alias_item_type(items->argv[0], &rest) == ALIAS_ITEM_ADDRESS
		&& *rest != '\\') {
		vstring_strcpy(out, rest);
		if (strchr(rest, '@') == 0)
		    vstring_sprintf_append(out, "@%s", var_myhostname);
	    }
	    argv_free(&items);
	}
    }
    myfree(value);
    vstring_free(&owner);
    return (status == DICT_STAT_ERROR ? -1 : 0);
}

/* local_forward_add - an address for the new message of this sender */

static void local_forward_add(struct local_exp *exp, struct local_ctx *ctx,
			              const char *addr)
{
    struct vstring *parsed = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct argv *rcpts;
    const char *end;
    size_t  len = strlen(addr);
    size_t  i;

    end = mail_addr_parse(addr, len, MAIL_ADDR_FLAG_BARE_OK, parsed, why);
    if (end == 0 || end != addr + len) {
	local_leaf_fail(exp, ctx->addr, DELIVER_STAT_BOUNCE, "5.1.3",
			"bad address syntax in expansion: \"%s\"", addr);
	goto out;
    }
    for (i = 0; i < exp->fwd_senders->argc; i++)
	if (strcmp(exp->fwd_senders->argv[i], ctx->sender) == 0)
	    break;
    if (i == exp->fwd_senders->argc) {
	argv_add(exp->fwd_senders, ctx->sender, (char *) 0);
	exp->fwd_rcpts = myrealloc(exp->fwd_rcpts,
			       exp->fwd_senders->argc * sizeof(struct argv *));
	exp->fwd_rcpts[i] = argv_alloc(4);
    }
    rcpts = exp->fwd_rcpts[i];
    for (i = 0; i < rcpts->argc; i++)
	if (strcasecmp(rcpts->argv[i], vstring_str(parsed)) == 0)
	    goto out;				/* a duplicate */
    argv_add(rcpts, vstring_str(parsed), (char *) 0);
out:
    vstring_free(&parsed);
    vstring_free(&why);
}

/* local_leaf_mailbox - the mailbox of a user reached by the expansion */

static void local_leaf_mailbox(struct local_exp *exp, struct local_ctx *ctx,
			               const char *user)
{
    struct vstring *to = vstring_alloc(100);
    struct local_result leaf;
    struct local_state st;
    struct local_user u;
    int     status;

    local_qualify(exp, user, to);
    if (local_seen(exp, "mailbox:", user)) {
	vstring_free(&to);
	return;
    }
    if ((status = local_user_by_name(user, &u)) < 0) {
	local_leaf_fail(exp, vstring_str(to), DELIVER_STAT_DEFER, "4.3.0",
			"user lookup %s: %m", user);
    } else if (status == 0) {
	local_leaf_fail(exp, vstring_str(to), DELIVER_STAT_BOUNCE, "5.1.1",
			"unknown user: \"%s\"", user);
    } else if (u.uid == 0) {
	local_leaf_fail(exp, vstring_str(to), DELIVER_STAT_DEFER, "4.7.1",
			"delivery to root's mailbox is not allowed");
    } else {
	st = *exp->state;
	st.sender = ctx->sender;
	st.recipient = vstring_str(to);
	st.user = u.name;
	st.uid = u.uid;
	st.gid = u.gid;
	st.home = u.home;
	st.pending = 0;
	local_leaf_init(&leaf);
	local_mailbox(&st, &leaf);
	local_leaf_done(exp, vstring_str(to), &leaf);
	local_leaf_free(&leaf);
    }
    if (status > 0)
	local_user_free(&u);
    vstring_free(&to);
}

/* local_leaf_run - a |command or /file of the expansion */

static void local_leaf_run(struct local_exp *exp, struct local_ctx *ctx,
			           int type, const char *what)
{
    const char *kind = (type == ALIAS_ITEM_COMMAND ? "command" : "file");
    struct local_result leaf;
    struct local_state st;

    if (!local_allowed(type == ALIAS_ITEM_COMMAND ? var_allow_commands :
		       var_allow_files, ctx->class)) {
	local_leaf_fail(exp, ctx->addr, DELIVER_STAT_BOUNCE, "5.7.1",
			"mail to %s is restricted: %s", kind, what);
	return;
    }
    if (*what == 0) {
	local_leaf_fail(exp, ctx->addr, DELIVER_STAT_BOUNCE, "5.3.5",
			"empty %s name", kind);
	return;
    }
    if (local_seen(exp, type == ALIAS_ITEM_COMMAND ? "|" : "", what))
	return;
    if (ctx->run == 0) {
	local_leaf_fail(exp, ctx->addr, DELIVER_STAT_DEFER, "4.3.0",
			"no user to run the %s as: default_privs \"%s\" is "
			"unknown or root", kind, var_default_privs);
	return;
    }
    st = *exp->state;
    st.sender = ctx->sender;
    st.recipient = ctx->addr;
    st.user = ctx->run->name;
    st.uid = ctx->run->uid;
    st.gid = ctx->run->gid;
    st.home = ctx->run->home;
    st.pending = 0;
    st.spool_priv = 0;
    local_leaf_init(&leaf);
    if (type == ALIAS_ITEM_COMMAND)
	local_command(&st, exp, ctx, what, &leaf);
    else
	local_file(&st, ctx->run, what, &leaf);
    local_leaf_done(exp, ctx->addr, &leaf);
    local_leaf_free(&leaf);
}

static void local_expand_items(struct local_exp *, struct local_ctx *,
			               const char *, int);

 /*
  * A list file (.forward, :include:) is expanded a logical line at a time.
  */
struct local_list {
    struct local_exp *exp;
    struct local_ctx *ctx;
    int     depth;
};

static void local_list_line(void *ptr, const char *text, const char *file,
			            int line)
{
    struct local_list *list = ptr;

    local_expand_items(list->exp, list->ctx, text, list->depth);
}

/* local_expand_list - every item of a list file */

static void local_expand_list(struct local_exp *exp, struct local_ctx *ctx,
			              struct vstring *data, const char *file,
			              int depth)
{
    struct local_list list;

    list.exp = exp;
    list.ctx = ctx;
    list.depth = depth;
    (void) alias_lines_buf(vstring_str(data), vstring_len(data), file,
			   local_list_line, (void *) &list);
}

/* local_expand_include - the items of an :include: file */

static void local_expand_include(struct local_exp *exp, struct local_ctx *ctx,
				         const char *path, int depth)
{
    struct vstring *tag = vstring_alloc(100);
    struct vstring *data = vstring_alloc(1000);
    struct vstring *why = vstring_alloc(100);
    struct local_user owner_user;
    struct local_ctx inc;
    uid_t   file_uid;
    gid_t   file_gid;
    int     status;

    memset(&owner_user, 0, sizeof(owner_user));
    vstring_sprintf(tag, ":include:%s", path);
    if (*path != '/') {
	local_leaf_fail(exp, ctx->addr, DELIVER_STAT_BOUNCE, "5.3.5",
			":include: file name is not absolute: %s", path);
    } else if (depth > LOCAL_EXP_DEPTH) {
	local_leaf_fail(exp, ctx->addr, DELIVER_STAT_BOUNCE, "5.4.6",
			"aliases nested more than %d levels deep",
			LOCAL_EXP_DEPTH);
    } else if (local_on_path(exp, vstring_str(tag))) {
	msg_warn("%s: mail forwarding loop: %s includes itself: dropped",
		 exp->state->queue_id, path);
	exp->loops++;
    } else if (local_seen(exp, "", vstring_str(tag))) {
	 /* Expanded already, through another alias. */ ;
    } else if (ctx->run == 0) {
	local_leaf_fail(exp, ctx->addr, DELIVER_STAT_DEFER, "4.3.0",
			"no user to read %s as: default_privs \"%s\" is "
			"unknown or root", path, var_default_privs);
    } else if ((status = local_read_list(ctx->run, path, ctx->owner, 1,
					 &file_uid, &file_gid, data,
					 why)) <= 0) {
	if (status == 0)
	    vstring_sprintf(why, "%s: no such file", path);
	local_leaf_fail(exp, ctx->addr, DELIVER_STAT_BOUNCE, "5.3.5",
			"cannot use :include: file: %s", vstring_str(why));
    } else {
	inc = *ctx;
	inc.class = LOCAL_CLASS_INCLUDE;
	if (file_uid != 0) {
	    inc.owner = file_uid;
	    if (file_uid != ctx->run->uid) {
		(void) local_user_by_uid(file_uid, file_gid, &owner_user);
		inc.run = &owner_user;
	    }
	}
	argv_add(exp->path, vstring_str(tag), (char *) 0);
	local_expand_list(exp, &inc, data, path, depth);
	argv_truncate(exp->path, exp->path->argc - 1);
    }
    if (owner_user.name)
	local_user_free(&owner_user);
    vstring_free(&tag);
    vstring_free(&data);
    vstring_free(&why);
}

/* local_expand_alias - the value of alias key */

static void local_expand_alias(struct local_exp *exp, struct local_ctx *parent,
			               const char *key, const char *value,
			               uid_t uid, gid_t gid, int depth,
			               const char *addr)
{
    struct vstring *sender = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct local_user run;
    struct local_ctx ctx;
    int     have_run = 0;

    if (depth > LOCAL_EXP_DEPTH) {
	local_leaf_fail(exp, addr, DELIVER_STAT_BOUNCE, "5.4.6",
			"aliases nested more than %d levels deep",
			LOCAL_EXP_DEPTH);
	goto out;
    }
    if (local_owner(key, parent->sender, sender, why) < 0) {
	msg_warn("%s: alias database unavailable: %s", exp->state->queue_id,
		 vstring_str(why));
	local_leaf_fail(exp, addr, DELIVER_STAT_DEFER, "4.3.0",
			"alias database unavailable");
	goto out;
    }

    /* Commands and files: the table's owner, or default_privs for root. */
    if (uid != 0) {
	have_run = local_user_by_uid(uid, gid, &run);
    } else if (local_user_by_name(var_default_privs, &run) > 0) {
	if (run.uid == 0)
	    local_user_free(&run);
	else
	    have_run = 1;
    }
    ctx.class = LOCAL_CLASS_ALIAS;
    ctx.owner = uid;
    ctx.run = have_run ? &run : 0;
    ctx.sender = vstring_str(sender);
    ctx.addr = addr;
    argv_add(exp->path, key, (char *) 0);
    local_expand_items(exp, &ctx, value, depth);
    argv_truncate(exp->path, exp->path->argc - 1);
    if (have_run)
	local_user_free(&run);
out:
    vstring_free(&sender);
    vstring_free(&why);
}

/* local_expand_addr - an address item */

static void local_expand_addr(struct local_exp *exp, struct local_ctx *ctx,
			              const char *item, int depth)
{
    struct vstring *lp = vstring_alloc(64);
    struct vstring *dom = vstring_alloc(64);
    struct vstring *buf = vstring_alloc(100);
    struct vstring *why = vstring_alloc(100);
    struct local_user u;
    char   *name = 0;
    char   *base = 0;
    char   *ext = 0;
    char   *delim = 0;
    char   *key = 0;
    char   *value = 0;
    uid_t   uid;
    gid_t   gid;
    int     backslash = 0;
    int     has_domain;
    int     status;

    if (*item == '\\') {
	backslash = 1;
	item++;
    }
    has_domain = mail_addr_split(item, lp, dom);
    if (has_domain && !mail_addr_domain_in_list(vstring_str(dom), var_mydest)) {
	local_forward_add(exp, ctx, item);
	goto out;
    }
    name = mystrdup(vstring_str(lp));
    lowercase(name);
    if (*name == 0) {
	local_leaf_fail(exp, ctx->addr, DELIVER_STAT_BOUNCE, "5.1.3",
			"bad address syntax in expansion: \"%s\"", item);
	goto out;
    }
    local_split_ext(name, &base, &ext, &delim);
    if (backslash) {
	local_leaf_mailbox(exp, ctx, base);
	goto out;
    }
    status = local_alias_find(name, base, &key, &value, &uid, &gid, why);
    if (status == DICT_STAT_ERROR) {
	msg_warn("%s: alias database unavailable: %s", exp->state->queue_id,
		 vstring_str(why));
	local_leaf_fail(exp, local_qualify(exp, name, buf), DELIVER_STAT_DEFER,
			"4.3.0", "alias database unavailable");
	goto out;
    }
    if (local_on_path(exp, status == DICT_STAT_FOUND ? key : base)) {
	if ((status = local_user_by_name(base, &u)) > 0) {
	    local_user_free(&u);
	    local_leaf_mailbox(exp, ctx, base);
	} else if (status < 0) {
	    local_leaf_fail(exp, local_qualify(exp, base, buf),
			    DELIVER_STAT_DEFER, "4.3.0", "user lookup %s: %m",
			    base);
	} else {
	    msg_warn("%s: mail forwarding loop for %s: %s is expanded "
		     "already and is not a user: dropped",
		     exp->state->queue_id, vstring_str(exp->req->recipient),
		     name);
	    exp->loops++;
	}
	goto out;
    }
    if (status == DICT_STAT_FOUND) {
	if (!local_seen(exp, "alias:", key))
	    local_expand_alias(exp, ctx, key, value, uid, gid, depth + 1,
			       local_qualify(exp, key, buf));
    } else if (has_domain) {
	local_forward_add(exp, ctx, item);
    } else {
	vstring_sprintf(buf, "%s@%s", item, var_myhostname);
	local_forward_add(exp, ctx, vstring_str(buf));
    }
out:
    myfree(name);
    myfree(base);
    myfree(ext);
    myfree(delim);
    myfree(key);
    myfree(value);
    vstring_free(&lp);
    vstring_free(&dom);
    vstring_free(&buf);
    vstring_free(&why);
}

/* local_expand_items - every item of a value */

static void local_expand_items(struct local_exp *exp, struct local_ctx *ctx,
			               const char *value, int depth)
{
    struct argv *items = alias_split(value);
    const char *rest;
    size_t  i;
    int     type;

    for (i = 0; i < items->argc; i++) {
	type = alias_item_type(items->argv[i], &rest);
	switch (type) {
	case ALIAS_ITEM_ADDRESS:
	    local_expand_addr(exp, ctx, rest, depth);
	    break;
	case ALIAS_ITEM_INCLUDE:
	    local_expand_include(exp, ctx, rest, depth + 1);
	    break;
	default:
	    local_leaf_run(exp, ctx, type, rest);
	    break;
	}
    }
    argv_free(&items);
}

/* local_expand_finish - send the forwarded copies, settle the result */

static void local_expand_finish(struct local_exp *exp)
{
    struct local_result leaf;
    size_t  i;

    for (i = 0; i < exp->fwd_senders->argc; i++) {
	local_leaf_init(&leaf);
	local_resend(exp, exp->fwd_senders->argv[i], exp->fwd_rcpts[i], &leaf);
	local_leaf_done(exp, vstring_str(exp->req->recipient), &leaf);
	local_leaf_free(&leaf);
    }
    if (exp->leaves > 0)
	exp->res->logged = 1;
    else if (exp->loops > 0)
	local_result_set(exp->res, DELIVER_STAT_BOUNCE, "5.4.6",
			 "mail forwarding loop for %s",
			 vstring_str(exp->req->recipient));
    else
	local_result_set(exp->res, DELIVER_STAT_BOUNCE, "5.1.1",
			 "the expansion of %s is empty",
			 vstring_str(exp->req->recipient));
}

void    local_recipient(struct local_exp *exp, struct local_pending *pend)
{
    struct local_result *res = exp->res;
    struct vstring *why = vstring_alloc(100);
    struct vstring *data = vstring_alloc(1000);
    struct vstring *fpath = vstring_alloc(100);
    const char *rcpt = vstring_str(exp->req->recipient);
    struct local_state st;
    struct local_ctx top;
    struct local_user u;
    char   *key = 0;
    char   *value = 0;
    uid_t   uid;
    gid_t   gid;
    int     have_user = 0;
    int     status;
    size_t  i;

    exp->path = argv_alloc(4);
    exp->seen = htable_create(16);
    exp->fwd_senders = argv_alloc(2);
    exp->fwd_rcpts = 0;
    local_split_ext(exp->local, &exp->base, &exp->ext, &exp->delim);
    memset(&top, 0, sizeof(top));
    top.class = LOCAL_CLASS_ALIAS;
    top.sender = exp->state->sender;
    top.addr = rcpt;

    if (*exp->local == 0 || strchr(exp->local, '/') != 0) {
	local_result_set(res, DELIVER_STAT_BOUNCE, "5.1.1",
			 "unknown user: \"%s\"", exp->local);
	goto out;
    }

    /* Aliases: the name, then the name without its extension. */
    if (local_alias_refresh(why) < 0
	|| (status = local_alias_find(exp->local, exp->base, &key, &value,
				      &uid, &gid, why)) == DICT_STAT_ERROR) {
	msg_warn("%s: alias database unavailable: %s", exp->state->queue_id,
		 vstring_str(why));
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "alias database unavailable");
	goto out;
    }
    if (status == DICT_STAT_FOUND) {
	(void) local_seen(exp, "alias:", key);
	local_expand_alias(exp, &top, key, value, uid, gid, 1, rcpt);
	local_expand_finish(exp);
	goto out;
    }

    /* A user: .forward, else the mailbox. */
    if ((status = local_user_by_name(exp->base, &u)) < 0) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.3.0",
			 "user lookup %s: %m", exp->base);
	goto out;
    }
    if (status == 0) {
	local_result_set(res, DELIVER_STAT_BOUNCE, "5.1.1",
			 "unknown user: \"%s\"", exp->base);
	goto out;
    }
    have_user = 1;
    if (u.uid == 0) {
	local_result_set(res, DELIVER_STAT_DEFER, "4.7.1",
			 "delivery to root is not allowed without an alias");
	goto out;
    }
    if (local_forward_read(exp, &u, data, fpath) > 0) {
	top.class = LOCAL_CLASS_FORWARD;
	top.owner = u.uid;
	top.run = &u;
	argv_add(exp->path, exp->base, (char *) 0);
	local_expand_list(exp, &top, data, vstring_str(fpath), 1);
	local_expand_finish(exp);
	goto out;
    }
    st = *exp->state;
    st.user = u.name;
    st.uid = u.uid;
    st.gid = u.gid;
    st.home = u.home;
    if ((st.pending = pend) != 0) {
	pend->uid = u.uid;
	pend->gid = u.gid;
	pend->arrival_sec = st.info->arrival_sec;
	pend->arrival_usec = st.info->arrival_usec;
    }
    local_mailbox(&st, res);

out:
    if (have_user)
	local_user_free(&u);
    for (i = 0; i < exp->fwd_senders->argc; i++)
	argv_free(&exp->fwd_rcpts[i]);
    myfree(exp->fwd_rcpts);
    exp->fwd_rcpts = 0;
    argv_free(&exp->fwd_senders);
    argv_free(&exp->path);
    htable_free(&exp->seen, (void (*) (void *)) 0);
    myfree(exp->base);
    myfree(exp->ext);
    myfree(exp->delim);
    exp->base = exp->ext = exp->delim = 0;
    myfree(key);
    myfree(value);
    vstring_free(&why);
    vstring_free(&data);
    vstring_free(&fpath);
}
