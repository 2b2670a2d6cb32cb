/*++
/* NAME
/*	smtpd_check 3
/* SUMMARY
/*	SMTP restrictions: relay control and access policy
/* SYNOPSIS
/*	#include "smtpd.h"
/*
/*	void	smtpd_check_init(void)
/*	int	smtpd_check_changed(void)
/*
/*	int	smtpd_check_client(state)
/*	int	smtpd_check_helo(state)
/*	int	smtpd_check_mail(state)
/*	int	smtpd_check_rcpt(state, rcpt)
/*	int	smtpd_check_data(state)
/*	int	smtpd_check_eod(state)
/*	struct smtpd_state *state;
/*	const char *rcpt;
/*
/*	struct smtpd_rlist *smtpd_check_parse(title, text, why)
/*
/*	void	smtpd_check_init_classes(names)
/*	void	smtpd_check_free(list)
/*	const char *names;
/*	struct smtpd_rlist *list;
/* DESCRIPTION
/*	smtpd_check_init() compiles the restriction lists of main.cf
/*	(smtpd_client_restrictions, smtpd_helo_restrictions,
/*	smtpd_sender_restrictions, smtpd_relay_restrictions,
/*	smtpd_recipient_restrictions, smtpd_data_restrictions,
/*	smtpd_end_of_data_restrictions and every class named in
/*	smtpd_restriction_classes), opens their tables, makes mynetworks
/*	(or its default from mynetworks_style), relay_recipient_maps and
/*	local_recipient_maps, and the address classes (addr_class(3)).
/*	It runs before the chroot; any error is fatal with the parameter
/*	named, so smtpd never runs half-configured.
/*
/*	smtpd_check_changed() is non-zero when a table changed on disk:
/*	smtpd then exits between clients and master starts a fresh one.
/*
/*	Each smtpd_check_STAGE() evaluates the lists of that stage and
/*	returns 0 to go on or -1 after it has sent the reject reply and
/*	logged "NOQUEUE: reject: STAGE from name[addr]: REPLY; from=<...>
/*	to=<...> proto=... helo=<...>". With smtpd_delay_reject = yes
/*	(the default) the client, HELO and sender lists are evaluated at
/*	each RCPT, before the relay and recipient lists; with "no" at
/*	connect, HELO and MAIL (a client reject is then repeated for
/*	every later command but QUIT).
/*
/*	The steps: permit, reject, defer, warn_if_reject,
/*	permit_mynetworks, permit_pop_before_smtp,
/*	reject_unauth_destination, defer_unauth_destination,
/*	permit_auth_destination, reject_unauth_pipelining,
/*	check_client_access, check_reverse_client_hostname_access,
/*	check_helo_access, check_sender_access, check_recipient_access
/*	(each with a type:table), reject_invalid_helo_hostname,
/*	reject_non_fqdn_helo_hostname, reject_non_fqdn_sender,
/*	reject_non_fqdn_recipient, reject_unlisted_recipient,
/*	reject_unlisted_sender, reject_unknown_sender_domain,
/*	reject_unknown_recipient_domain, reject_unknown_client_hostname,
/*	and restriction class names. permit_pop_before_smtp permits when
/*	pbs_check(3) finds the client address with an expiry time still
/*	ahead (a login by POP3 within $pop_before_smtp_timeout); a table
/*	that cannot be read defers (451 4.3.0, as any table error). When
/*	a list uses it, smtpd_check_init() makes the table if it is
/*	missing (pbs_purge(), as root, before the chroot), so proxymap
/*	finds a table before the first POP3 login.
/*
/*	In a list, steps are tried in order: "permit" (and the permit_*
/*	steps that match) ends that list with a permit and evaluation
/*	goes on with the next list; a reject or defer ends everything with
/*	that reply; other steps have no opinion. A list without an opinion
/*	permits. After the recipient lists, smtpd_reject_unlisted_recipient
/*	applies reject_unlisted_recipient; after the sender list,
/*	smtpd_reject_unlisted_sender applies reject_unlisted_sender.
/*
/*	Access tables (check_*_access type:table) answer with OK or a
/*	number (permit), REJECT [text] ($access_map_reject_code 5.7.1),
/*	DEFER [text] ($access_map_defer_code 4.7.1), DUNNO (no opinion,
/*	stop looking in this table), "4NN text" or "5NN text" (that reply),
/*	HOLD [text], DISCARD [text], REDIRECT address, PREPEND header,
/*	WARN text (the message is accepted so far and the action noted for
/*	cleanup, or just logged), or a restriction class name or list of
/*	table-less steps (evaluated in place). The lookup keys are listed
/*	in html/restrictions.html ("Lookup order").
/*
/*	smtpd_check_parse() compiles one list (for tests and the fuzz
/*	target): null and a reason in why for an unknown step, a step
/*	without its table, or a table that cannot be opened.
/*
/*	smtpd_check_init_classes() and smtpd_check_free() are for tests
/*	and the fuzz target only. The first makes the names in names
/*	(separated by commas and blanks) known as restriction classes,
/*	with empty lists, in place of any classes known before, so that
/*	smtpd_check_parse() accepts them as steps; the second frees a
/*	list made by smtpd_check_parse().
/* DIAGNOSTICS
/*	Configuration errors are fatal at init. A table that fails at
/*	lookup time gives "451 4.3.0 <...>: Temporary lookup failure".
/*--*/
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <argv.h>
#include <htable.h>
#include <msg.h>
#include <mymalloc.h>
#include <stringops.h>
#include <vstream.h>
#include <vstring.h>

#include <addr_class.h>
#include <dict.h>
#include <dns_lookup.h>
#include <mail_addr.h>
#include <mail_conf.h>
#include <mail_params.h>
#include <match_list.h>
#include <own_addr.h>
#include <pop_before_smtp.h>

#include "smtpd.h"

 /*
  * Steps.
  */
#define OP_PERMIT		1
#define OP_REJECT		2
#define OP_DEFER		3
#define OP_WARN_IF_REJECT	4
#define OP_PERMIT_MYNETWORKS	5
#define OP_REJECT_UNAUTH_DEST	6
#define OP_DEFER_UNAUTH_DEST	7
#define OP_PERMIT_AUTH_DEST	8
#define OP_REJECT_UNAUTH_PIPE	9
#define OP_CHECK_CLIENT		10
#define OP_CHECK_REV_CLIENT	11
#define OP_CHECK_HELO		12
#define OP_CHECK_SENDER		13
#define OP_CHECK_RCPT		14
#define OP_REJECT_INVALID_HELO	15
#define OP_REJECT_NONFQDN_HELO	16
#define OP_REJECT_NONFQDN_SENDER 17
#define OP_REJECT_NONFQDN_RCPT	18
#define OP_REJECT_UNLISTED_RCPT	19
#define OP_REJECT_UNLISTED_SENDER 20
#define OP_REJECT_UNKNOWN_SENDER_DOM 21
#define OP_REJECT_UNKNOWN_RCPT_DOM 22
#define OP_REJECT_UNKNOWN_CLIENT 23
#define OP_CLASS		24
#define OP_PERMIT_POP_BEFORE_SMTP 25

struct smtpd_op {
    const char *name;
    int     op;
    int     table;			/* needs a type:table argument */
};

static const struct smtpd_op smtpd_ops[] = {
    {"permit", OP_PERMIT, 0},
    {"reject", OP_REJECT, 0},
    {"defer", OP_DEFER, 0},
    {"warn_if_reject", OP_WARN_IF_REJECT, 0},
    {"permit_mynetworks", OP_PERMIT_MYNETWORKS, 0},
    {"permit_pop_before_smtp", OP_PERMIT_POP_BEFORE_SMTP, 0},
    {"reject_unauth_destination", OP_REJECT_UNAUTH_DEST, 0},
    {"defer_unauth_destination", OP_DEFER_UNAUTH_DEST, 0},
    {"permit_auth_destination", OP_PERMIT_AUTH_DEST, 0},
    {"reject_unauth_pipelining", OP_REJECT_UNAUTH_PIPE, 0},
    {"check_client_access", OP_CHECK_CLIENT, 1},
    {"check_reverse_client_hostname_access", OP_CHECK_REV_CLIENT, 1},
    {"check_helo_access", OP_CHECK_HELO, 1},
    {"check_sender_access", OP_CHECK_SENDER, 1},
    {"check_recipient_access", OP_CHECK_RCPT, 1},
    {"reject_invalid_helo_hostname", OP_REJECT_INVALID_HELO, 0},
    {"reject_non_fqdn_helo_hostname", OP_REJECT_NONFQDN_HELO, 0},
    {"reject_non_fqdn_sender", OP_REJECT_NONFQDN_SENDER, 0},
    {"reject_non_fqdn_recipient", OP_REJECT_NONFQDN_RCPT, 0},
    {"reject_unlisted_recipient", OP_REJECT_UNLISTED_RCPT, 0},
    {"reject_unlisted_sender", OP_REJECT_UNLISTED_SENDER, 0},
    {"reject_unknown_sender_domain", OP_REJECT_UNKNOWN_SENDER_DOM, 0},
    {"reject_unknown_recipient_domain", OP_REJECT_UNKNOWN_RCPT_DOM, 0},
    {"reject_unknown_client_hostname", OP_REJECT_UNKNOWN_CLIENT, 0},
    {0, 0, 0},
};

struct smtpd_rstep {
    int     op;
    char   *name;			/* the step as written */
    struct maps *table;			/* check_*_access (shared) */
};

struct smtpd_rlist {
    char   *title;
    struct smtpd_rstep *steps;
    size_t  count;
};

 /*
  * Results of a step or a list.
  */
#define CHK_DUNNO	0		/* no opinion */
#define CHK_OK		1		/* permit: this list is done */
#define CHK_REJECT	2		/* reply made: stop */

#define CHK_CLASS_DEPTH	20		/* classes within classes */

 /*
  * What a step is about, for reply texts.
  */
#define WHAT_CLIENT	"Client host"
#define WHAT_HELO	"Helo command"
#define WHAT_SENDER	"Sender address"
#define WHAT_RCPT	"Recipient address"
#define WHAT_DATA	"Data command"
#define WHAT_EOD	"End-of-data"

static struct htable *smtpd_tables;	/* "type:name" -> struct maps */
static struct htable *smtpd_classes;	/* class name -> struct smtpd_rlist */
static struct htable *smtpd_dynamic;	/* access results as lists */
static int smtpd_uses_pbs;		/* permit_pop_before_smtp is used */
static struct smtpd_rlist *smtpd_client_list;
static struct smtpd_rlist *smtpd_helo_list;
static struct smtpd_rlist *smtpd_sender_list;
static struct smtpd_rlist *smtpd_relay_list;
static struct smtpd_rlist *smtpd_rcpt_list;
static struct smtpd_rlist *smtpd_data_list;
static struct smtpd_rlist *smtpd_eod_list;
static struct match_list *smtpd_mynetworks;
static struct maps *smtpd_local_rcpt_maps;
static struct maps *smtpd_relay_rcpt_maps;
static int smtpd_access_parent = 1;	/* "domain" matches subdomains */

 /*
  * One evaluation.
  */
struct smtpd_eval {
    struct smtpd_state *state;
    const char *stage;			/* "RCPT", "DATA", ... for logs */
    const char *rcpt;			/* current recipient, or null */
    int     warn_next;			/* warn_if_reject before this step */
    int     depth;			/* class nesting */
};

/* smtpd_check_table - open a table once for all lists */

static struct maps *smtpd_check_table(const char *spec, struct vstring *why)
{
    struct maps *maps;

    if (smtpd_tables == 0)
	smtpd_tables = htable_create(10);
    if ((maps = htable_find(smtpd_tables, spec)) != 0)
	return (maps);
    if ((maps = maps_create(spec, spec, DICT_FLAG_DEFAULT, why)) == 0)
	return (0);
    htable_enter(smtpd_tables, spec, maps);
    return (maps);
}

/* smtpd_check_free_list - free a compiled list */

static void smtpd_check_free_list(void *ptr)
{
    struct smtpd_rlist *list = ptr;
    size_t  i;

    if (list == 0)
	return;
    for (i = 0; i < list->count; i++)
	myfree(list->steps[i].name);
    myfree(list->steps);
    myfree(list->title);
    myfree(list);
}

/* smtpd_check_compile - one list; tables opened (or only found, when dynamic) */

static struct smtpd_rlist *smtpd_check_compile(const char *title,
					               const char *text,
					               int dynamic,
					               struct vstring *why)
{
    struct argv *argv = argv_split_braced(text, ", \t\r\n");
    struct smtpd_rlist *list;
    const struct smtpd_op *op;
    struct smtpd_rstep *step;
    size_t  i;

    if (argv == 0) {
	vstring_sprintf(why, "%s: unbalanced braces in \"%.100s\"", title,
			text);
	return (0);
    }
    list = mymalloc(sizeof(*list));
    list->title = mystrdup(title);
    list->steps = mycalloc(argv->argc + 1, sizeof(*list->steps));
    list->count = 0;
    for (i = 0; i < argv->argc; i++) {
	step = list->steps + list->count;
	for (op = smtpd_ops; op->name; op++)
	    if (strcasecmp(op->name, argv->argv[i]) == 0)
		break;
	step->name = mystrdup(argv->argv[i]);
	list->count++;
	if (op->name != 0) {
	    step->op = op->op;
	    if (op->op == OP_PERMIT_POP_BEFORE_SMTP)
		smtpd_uses_pbs = 1;
	    if (!op->table)
		continue;
	    if (i + 1 >= argv->argc || strchr(argv->argv[i + 1], ':') == 0) {
		vstring_sprintf(why, "%s: %s needs a type:table argument",
				title, op->name);
		goto bad;
	    }
	    i++;
	    if (dynamic) {
		/* After the chroot only tables opened before can be used. */
		if (smtpd_tables == 0
		    || (step->table = htable_find(smtpd_tables,
						  argv->argv[i])) == 0) {
		    vstring_sprintf(why, "%s: table %s is not used in any "
				    "restriction list of main.cf, so it was "
				    "not opened", title, argv->argv[i]);
		    goto bad;
		}
	    } else if ((step->table = smtpd_check_table(argv->argv[i],
							why)) == 0) {
		vstring_sprintf_append(why, " (in %s)", title);
		goto bad;
	    }
	    continue;
	}
	/* A restriction class, resolved when used. */
	if (smtpd_classes != 0 && htable_locate(smtpd_classes, argv->argv[i])) {
	    step->op = OP_CLASS;
	    continue;
	}
	vstring_sprintf(why, "%s: unknown restriction \"%s\"", title,
			argv->argv[i]);
	goto bad;
    }
    argv_free(&argv);
    return (list);

bad:
    argv_free(&argv);
    smtpd_check_free_list(list);
    return (0);
}

struct smtpd_rlist *smtpd_check_parse(const char *title, const char *text,
				              struct vstring *why)
{
    return (smtpd_check_compile(title, text, 0, why));
}

void    smtpd_check_free(struct smtpd_rlist *list)
{
    smtpd_check_free_list(list);
}

void    smtpd_check_init_classes(const char *names)
{
    struct argv *argv = argv_split(names, ", \t\r\n");
    size_t  i;

    if (smtpd_classes != 0)
	htable_free(&smtpd_classes, smtpd_check_free_list);
    smtpd_classes = htable_create(10);
    for (i = 0; i < argv->argc; i++)
	if (htable_locate(smtpd_classes, argv->argv[i]) == 0)
	    htable_enter(smtpd_classes, argv->argv[i], (void *) 0);
    argv_free(&argv);
}

/* smtpd_check_list_param - compile the list of a parameter, or die */

static struct smtpd_rlist *smtpd_check_list_param(const char *name,
						          const char *value)
{
    struct vstring *why = vstring_alloc(100);
    struct smtpd_rlist *list;

    if ((list = smtpd_check_compile(name, value, 0, why)) == 0)
	msg_fatal("%s", vstring_str(why));
    vstring_free(&why);
    return (list);
}

void    smtpd_check_init(void)
{
    struct vstring *why = vstring_alloc(100);
    struct vstring *value = vstring_alloc(100);
    struct argv *names;
    size_t  i;

    if (addr_class_init(why) < 0)
	msg_fatal("%s", vstring_str(why));
    smtpd_access_parent = match_parent_style("smtpd_access_maps");
    if ((smtpd_mynetworks = match_list_create(VAR_MYNETWORKS,
					      *var_mynetworks ? var_mynetworks :
					      own_addr_mynetworks(),
					      MATCH_FLAG_NONE, why)) == 0)
	msg_fatal("%s", vstring_str(why));
    if (msg_verbose)
	msg_info("mynetworks: %s", *var_mynetworks ? var_mynetworks :
		 own_addr_mynetworks());
    if (*var_local_rcpt_maps
	&& (smtpd_local_rcpt_maps = maps_create(VAR_LOCAL_RCPT_MAPS,
						var_local_rcpt_maps,
						DICT_FLAG_DEFAULT, why)) == 0)
	msg_fatal("%s", vstring_str(why));
    if (*var_relay_rcpt_maps
	&& (smtpd_relay_rcpt_maps = maps_create(VAR_RELAY_RCPT_MAPS,
						var_relay_rcpt_maps,
						DICT_FLAG_DEFAULT, why)) == 0)
	msg_fatal("%s", vstring_str(why));

    /* Class names first, so that lists may use them; then their lists. */
    smtpd_classes = htable_create(10);
    smtpd_dynamic = htable_create(10);
    names = argv_split(var_smtpd_rest_classes, ", \t\r\n");
    for (i = 0; i < names->argc; i++)
	if (htable_locate(smtpd_classes, names->argv[i]) == 0)
	    htable_enter(smtpd_classes, names->argv[i], (void *) 0);
    for (i = 0; i < names->argc; i++) {
	if (htable_find(smtpd_classes, names->argv[i]) != 0)
	    continue;				/* named twice */
	if (mail_conf_eval_name(names->argv[i], value, why) < 0)
	    msg_fatal("restriction class %s: %s", names->argv[i],
		      vstring_str(why));
	htable_locate(smtpd_classes, names->argv[i])->value =
	    smtpd_check_list_param(names->argv[i], vstring_str(value));
    }
    argv_free(&names);
    smtpd_client_list = smtpd_check_list_param(VAR_SMTPD_CLIENT_RESTR,
					       var_smtpd_client_restr);
    smtpd_helo_list = smtpd_check_list_param(VAR_SMTPD_HELO_RESTR,
					     var_smtpd_helo_restr);
    smtpd_sender_list = smtpd_check_list_param(VAR_SMTPD_SENDER_RESTR,
					       var_smtpd_sender_restr);
    smtpd_relay_list = smtpd_check_list_param(VAR_SMTPD_RELAY_RESTR,
					      var_smtpd_relay_restr);
    smtpd_rcpt_list = smtpd_check_list_param(VAR_SMTPD_RCPT_RESTR,
					     var_smtpd_rcpt_restr);
    smtpd_data_list = smtpd_check_list_param(VAR_SMTPD_DATA_RESTR,
					     var_smtpd_data_restr);
    smtpd_eod_list = smtpd_check_list_param(VAR_SMTPD_EOD_RESTR,
					    var_smtpd_eod_restr);

    /*
     * permit_pop_before_smtp: make the table (as root, for $mail_owner)
     * when no POP3 login made it yet, so that proxymap finds a table and
     * not an error; drop expired entries while at it.
     */
    if (smtpd_uses_pbs && pbs_purge(time((time_t *) 0), why) < 0)
	msg_warn("permit_pop_before_smtp: %s", vstring_str(why));
    vstring_free(&why);
    vstring_free(&value);
}

int     smtpd_check_changed(void)
{
    struct htable_info **list;
    int     changed = 0;
    size_t  i;

    if (addr_class_changed()
	|| (smtpd_mynetworks && match_list_changed(smtpd_mynetworks))
	|| (smtpd_local_rcpt_maps && maps_changed(smtpd_local_rcpt_maps))
	|| (smtpd_relay_rcpt_maps && maps_changed(smtpd_relay_rcpt_maps)))
	return (1);
    if (smtpd_tables == 0)
	return (0);
    list = htable_list(smtpd_tables);
    for (i = 0; list[i] && !changed; i++)
	changed = maps_changed((struct maps *) list[i]->value);
    myfree(list);
    return (changed);
}

/* smtpd_check_log - "NOQUEUE: ACTION: STAGE from client: TEXT; ..." */

static void smtpd_check_log(struct smtpd_eval *ev, const char *action,
			            const char *text)
{
    struct smtpd_state *state = ev->state;
    struct vstring *line = vstring_alloc(200);

    /* At the end of the message the queue file has its ID already. */
    vstring_sprintf(line, "%s: %s: %s from %s: %s;",
		    strcmp(ev->stage, "END-OF-MESSAGE") == 0
		    && vstring_len(state->queue_id) > 0 ?
		    vstring_str(state->queue_id) : "NOQUEUE",
		    action, ev->stage, state->namaddr, text);
    if (state->sender)
	vstring_sprintf_append(line, " from=<%s>", state->sender);
    if (ev->rcpt)
	vstring_sprintf_append(line, " to=<%s>", ev->rcpt);
    vstring_sprintf_append(line, " proto=%s", state->esmtp ? "ESMTP" : "SMTP");
    if (state->helo_name)
	vstring_sprintf_append(line, " helo=<%s>", state->helo_name);
    msg_info("%s", vstring_str(line));
    vstring_free(&line);
}

/* smtpd_check_reply - a reject or defer: format, log, remember */

static int smtpd_check_reply(struct smtpd_eval *ev, int code,
			             const char *dsn, const char *fmt,...)
{
    struct vstring *text = vstring_alloc(100);
    va_list ap;

    vstring_sprintf(text, "%d %c%s ", code, code >= 500 ? '5' : '4', dsn + 1);
    va_start(ap, fmt);
    vstring_vsprintf_append(text, fmt, ap);
    va_end(ap);
    (void) printable(vstring_str(text), '?');
    if (ev->warn_next) {
	ev->warn_next = 0;
	smtpd_check_log(ev, "reject_warning", vstring_str(text));
	vstring_free(&text);
	return (CHK_DUNNO);
    }
    vstring_strcpy(ev->state->check_reply, vstring_str(text));
    vstring_free(&text);
    return (CHK_REJECT);
}

/* smtpd_check_tempfail - a table failed */

static int smtpd_check_tempfail(struct smtpd_eval *ev, const char *key,
				        const char *what, const char *why)
{
    msg_warn("%s lookup error for \"%s\": %s", what, key, why);
    ev->warn_next = 0;
    return (smtpd_check_reply(ev, 451, "4.3.0", "<%s>: Temporary lookup "
			      "failure", key));
}

static int smtpd_check_list(struct smtpd_eval *, struct smtpd_rlist *);
static int smtpd_check_dns(struct smtpd_eval *, int);

/* smtpd_check_action - what an access table said */

static int smtpd_check_action(struct smtpd_eval *ev, const char *value,
			              const char *key, const char *what,
			              const char *table)
{
    struct smtpd_state *state = ev->state;
    struct vstring *why;
    struct smtpd_rlist *list;
    const char *arg;
    size_t  len;
    int     ret;

    /* The word and its optional text. */
    len = strcspn(value, " \t");
    arg = value + len;
    arg += strspn(arg, " \t");

#define WORD_IS(w) (len == strlen(w) && strncasecmp(value, (w), len) == 0)

    if (WORD_IS("OK") || (len > 0 && strspn(value, "0123456789") == len
			  && *arg == 0 && !(len == 3 && (value[0] == '4'
							 || value[0] == '5'))))
	return (CHK_OK);
    if (WORD_IS("DUNNO"))
	return (CHK_DUNNO);
    if (WORD_IS("REJECT"))
	return (smtpd_check_reply(ev, (int) var_access_map_code, "5.7.1",
				  "<%s>: %s rejected: %s", key, what,
				  *arg ? arg : "Access denied"));
    if (WORD_IS("DEFER"))
	return (smtpd_check_reply(ev, (int) var_access_map_defer_code,
				  "4.7.1", "<%s>: %s rejected: %s", key, what,
				  *arg ? arg : "Access denied"));
    if (len == 3 && (value[0] == '4' || value[0] == '5')
	&& isdigit((unsigned char) value[1]) && isdigit((unsigned char) value[2])) {
	/* "4NN text" / "5NN text": that code; a DSN code in text is kept. */
	const char *dsn = (value[0] == '4' ? "4.7.1" : "5.7.1");

	if (isdigit((unsigned char) arg[0]) && arg[0] == value[0]
	    && arg[1] == '.' && strcspn(arg, " \t") < 12) {
	    struct vstring *own = vstring_alloc(16);

	    vstring_memcpy(own, arg, strcspn(arg, " \t"));
	    arg += vstring_len(own);
	    arg += strspn(arg, " \t");
	    ret = smtpd_check_reply(ev, atoi(value), vstring_str(own),
				    "<%s>: %s rejected: %s", key, what,
				    *arg ? arg : "Access denied");
	    vstring_free(&own);
	    return (ret);
	}
	return (smtpd_check_reply(ev, atoi(value), dsn, "<%s>: %s rejected: %s",
				  key, what, *arg ? arg : "Access denied"));
    }
    if (WORD_IS("HOLD") || WORD_IS("DISCARD")) {
	struct vstring *text = vstring_alloc(100);
	int     hold = WORD_IS("HOLD");

	vstring_sprintf(text, "<%s>: %s %s", key, what,
			*arg ? arg : hold ? "triggers HOLD action" :
			"triggers DISCARD action");
	smtpd_check_log(ev, hold ? "hold" : "discard", vstring_str(text));
	if (hold) {
	    myfree(state->act_hold);
	    state->act_hold = mystrdup(vstring_str(text));
	} else {
	    myfree(state->act_discard);
	    state->act_discard = mystrdup(vstring_str(text));
	}
	vstring_free(&text);
	/* Postfix: DISCARD also ends the evaluation with a permit. */
	return (hold ? CHK_DUNNO : CHK_OK);
    }
    if (WORD_IS("REDIRECT")) {
	struct vstring *addr = vstring_alloc(100);
	struct vstring *err = vstring_alloc(100);
	struct vstring *text = vstring_alloc(100);

	vstring_sprintf(text, "<%s>: %s triggers REDIRECT %s", key, what, arg);
	if (*arg == 0 || strchr(arg, '@') == 0
	    || mail_addr_parse(arg, strlen(arg), MAIL_ADDR_FLAG_BARE_OK,
			       addr, err) == 0) {
	    msg_warn("%s: bad REDIRECT address \"%s\" for %s", table, arg, key);
	    ret = smtpd_check_reply(ev, 451, "4.3.5", "<%s>: %s rejected: "
				    "Server configuration error", key, what);
	} else {
	    smtpd_check_log(ev, "redirect", vstring_str(text));
	    myfree(state->act_redirect);
	    state->act_redirect = mystrdup(vstring_str(addr));
	    ret = CHK_DUNNO;
	}
	vstring_free(&addr);
	vstring_free(&err);
	vstring_free(&text);
	return (ret);
    }
    if (WORD_IS("PREPEND")) {
	if (*arg == 0 || strchr(arg, ':') == 0) {
	    msg_warn("%s: PREPEND needs a header \"name: value\", for %s",
		     table, key);
	    return (smtpd_check_reply(ev, 451, "4.3.5", "<%s>: %s rejected: "
				      "Server configuration error", key, what));
	}
	argv_add(state->act_prepend, arg, (char *) 0);
	return (CHK_DUNNO);
    }
    if (WORD_IS("WARN")) {
	struct vstring *text = vstring_alloc(100);

	vstring_sprintf(text, "<%s>: %s %s", key, what, *arg ? arg : "");
	smtpd_check_log(ev, "warn", vstring_str(text));
	vstring_free(&text);
	return (CHK_DUNNO);
    }

    /* A restriction class or a list of steps. */
    if ((list = htable_find(smtpd_dynamic, value)) == 0) {
	why = vstring_alloc(100);
	if ((list = smtpd_check_compile(table, value, 1, why)) == 0) {
	    msg_warn("%s: bad result \"%s\" for %s: %s", table, value, key,
		     vstring_str(why));
	    vstring_free(&why);
	    return (smtpd_check_reply(ev, 451, "4.3.5", "<%s>: %s rejected: "
				      "Server configuration error", key, what));
	}
	vstring_free(&why);
	htable_enter(smtpd_dynamic, value, list);
    }
    return (smtpd_check_list(ev, list));
}

/* smtpd_check_lookup - look up keys in order; the first found decides */

static int smtpd_check_lookup(struct smtpd_eval *ev, struct maps *table,
			              struct argv *keys, const char *key_shown,
			              const char *what, int *found)
{
    const char *value;
    size_t  i;
    int     st;

    *found = 0;
    for (i = 0; i < keys->argc; i++) {
	st = maps_find(table, keys->argv[i], &value);
	if (st == DICT_STAT_ERROR)
	    return (smtpd_check_tempfail(ev, key_shown, maps_title(table),
					 maps_error(table)));
	if (st == DICT_STAT_FOUND) {
	    char   *copy = mystrdup(value);
	    int     ret;

	    *found = 1;
	    ret = smtpd_check_action(ev, copy, key_shown, what,
				     maps_title(table));
	    myfree(copy);
	    return (ret);
	}
    }
    return (CHK_DUNNO);
}

/* smtpd_check_domain_keys - "name", then parents ("parent" or ".parent") */

static void smtpd_check_domain_keys(struct argv *keys, const char *domain,
				            const char *prefix)
{
    struct vstring *buf = vstring_alloc(100);
    const char *cp;
    int     parent = smtpd_access_parent;

    vstring_sprintf(buf, "%s%s", prefix, domain);
    argv_add(keys, vstring_str(buf), (char *) 0);
    for (cp = strchr(domain, '.'); cp != 0; cp = strchr(cp + 1, '.')) {
	vstring_sprintf(buf, "%s%s", prefix, parent ? cp + 1 : cp);
	argv_add(keys, vstring_str(buf), (char *) 0);
    }
    vstring_free(&buf);
}

/* smtpd_check_addr_keys - the lookup order for an envelope address */

static struct argv *smtpd_check_addr_keys(const char *addr)
{
    struct argv *keys = argv_alloc(8);
    struct addr_class_info info;
    struct vstring *buf = vstring_alloc(100);
    struct vstring *bare = vstring_alloc(100);
    char   *ext;

    memset(&info, 0, sizeof(info));
    (void) addr_class(addr, &info);
    lowercase(vstring_str(info.local));
    /* user+ext: without the extension too (recipient_delimiter). */
    vstring_strcpy(bare, vstring_str(info.local));
    if (*var_rcpt_delim && (ext = strpbrk(vstring_str(bare) + 1,
					  var_rcpt_delim)) != 0)
	vstring_truncate(bare, (size_t) (ext - vstring_str(bare)));
    if (vstring_len(info.domain)) {
	vstring_sprintf(buf, "%s@%s", vstring_str(info.local),
			vstring_str(info.domain));
	argv_add(keys, vstring_str(buf), (char *) 0);
	if (strcmp(vstring_str(bare), vstring_str(info.local)) != 0) {
	    vstring_sprintf(buf, "%s@%s", vstring_str(bare),
			    vstring_str(info.domain));
	    argv_add(keys, vstring_str(buf), (char *) 0);
	}
	smtpd_check_domain_keys(keys, vstring_str(info.domain), "");
    }
    vstring_sprintf(buf, "%s@", vstring_str(info.local));
    argv_add(keys, vstring_str(buf), (char *) 0);
    if (strcmp(vstring_str(bare), vstring_str(info.local)) != 0) {
	vstring_sprintf(buf, "%s@", vstring_str(bare));
	argv_add(keys, vstring_str(buf), (char *) 0);
    }
    vstring_free(&info.local);
    vstring_free(&info.domain);
    vstring_free(&buf);
    vstring_free(&bare);
    return (keys);
}

/* smtpd_check_client_keys - name, parents, address, address prefixes */

static struct argv *smtpd_check_client_keys(const char *name, const char *addr)
{
    struct argv *keys = argv_alloc(8);
    struct vstring *buf = vstring_alloc(64);
    char   *lc;
    char    sep;
    char   *cp;

    if (name && strcmp(name, "unknown") != 0) {
	lc = lowercase(mystrdup(name));
	smtpd_check_domain_keys(keys, lc, "");
	myfree(lc);
    }
    vstring_strcpy(buf, addr);
    argv_add(keys, vstring_str(buf), (char *) 0);
    sep = strchr(addr, ':') ? ':' : '.';
    while ((cp = strrchr(vstring_str(buf), sep)) != 0 && cp > vstring_str(buf)) {
	vstring_truncate(buf, (size_t) (cp - vstring_str(buf)));
	/* IPv6 "a::b": "a:" is no prefix to look up; go on shortening. */
	if (vstring_len(buf) > 0 && vstring_end(buf)[-1] == sep)
	    continue;
	argv_add(keys, vstring_str(buf), (char *) 0);
    }
    vstring_free(&buf);
    return (keys);
}

/* smtpd_check_helo_keys - the name and its parents */

static struct argv *smtpd_check_helo_keys(const char *helo)
{
    struct argv *keys = argv_alloc(8);
    char   *lc = lowercase(mystrdup(helo));
    size_t  len = strlen(lc);

    if (len > 1 && lc[len - 1] == '.')
	lc[len - 1] = 0;
    if (lc[0] == '[')
	argv_add(keys, lc, (char *) 0);
    else
	smtpd_check_domain_keys(keys, lc, "");
    myfree(lc);
    return (keys);
}

/* smtpd_check_auth_dest - is rcpt a destination anyone may send to */

static int smtpd_check_auth_dest(struct smtpd_eval *ev, const char *rcpt)
{
    struct addr_class_info info;
    int     cls;

    memset(&info, 0, sizeof(info));
    cls = addr_class(rcpt, &info);
    vstring_free(&info.local);
    vstring_free(&info.domain);
    if (cls == ADDR_CLASS_ERROR)
	return (-1);
    return ((cls == ADDR_CLASS_LOCAL || cls == ADDR_CLASS_RELAY)
	    && !info.routed);
}

/* smtpd_check_fqdn - a domain with at least one dot (or a literal) */

static int smtpd_check_fqdn(const char *name)
{
    size_t  len = strlen(name);

    if (name[0] == '[')
	return (1);
    if (len > 1 && name[len - 1] == '.')
	len--;
    return (memchr(name, '.', len) != 0);
}

/* smtpd_check_listed - reject_unlisted_{recipient,sender} */

static int smtpd_check_listed(struct smtpd_eval *ev, const char *addr,
			              const char *what, const char *dsn)
{
    struct addr_class_info info;
    struct maps *maps;
    struct argv *keys;
    const char *value;
    const char *table_name;
    struct vstring *buf;
    char   *ext;
    int     cls;
    int     st = DICT_STAT_NOTFOUND;
    size_t  i;
    int     code;

    if (*addr == 0)				/* the null sender */
	return (CHK_DUNNO);
    memset(&info, 0, sizeof(info));
    cls = addr_class(addr, &info);
    if (cls == ADDR_CLASS_ERROR) {
	vstring_free(&info.local);
	vstring_free(&info.domain);
	return (smtpd_check_tempfail(ev, addr, "address class",
				     addr_class_error()));
    }
    if (cls == ADDR_CLASS_LOCAL) {
	maps = smtpd_local_rcpt_maps;
	table_name = "local recipient table";
	code = (int) var_local_rcpt_code;
    } else if (cls == ADDR_CLASS_RELAY) {
	maps = smtpd_relay_rcpt_maps;
	table_name = "relay recipient table";
	code = (int) var_relay_rcpt_code;
    } else {
	maps = 0;
	table_name = "";
	code = 0;
    }
    /* RFC 5321 4.5.1: postmaster is always a valid recipient here. */
    if (maps == 0 || info.routed
	|| (strcmp(what, WHAT_RCPT) == 0
	    && strcasecmp(vstring_str(info.local), "postmaster") == 0)) {
	vstring_free(&info.local);
	vstring_free(&info.domain);
	return (CHK_DUNNO);
    }
    /* user@domain, then the bare local part; both without +extension. */
    keys = argv_alloc(4);
    buf = vstring_alloc(100);
    lowercase(vstring_str(info.local));
    vstring_sprintf(buf, "%s@%s", vstring_str(info.local),
		    vstring_str(info.domain));
    argv_add(keys, vstring_str(buf), vstring_str(info.local), (char *) 0);
    if (*var_rcpt_delim && (ext = strpbrk(vstring_str(info.local) + 1,
					  var_rcpt_delim)) != 0) {
	*ext = 0;
	vstring_sprintf(buf, "%s@%s", vstring_str(info.local),
			vstring_str(info.domain));
	argv_add(keys, vstring_str(buf), vstring_str(info.local), (char *) 0);
    }
    for (i = 0; i < keys->argc; i++) {
	if (vstring_len(info.domain) == 0 && strchr(keys->argv[i], '@'))
	    continue;
	if ((st = maps_find(maps, keys->argv[i], &value)) != DICT_STAT_NOTFOUND)
	    break;
    }
    argv_free(&keys);
    vstring_free(&buf);
    vstring_free(&info.local);
    vstring_free(&info.domain);
    if (st == DICT_STAT_ERROR)
	return (smtpd_check_tempfail(ev, addr, table_name, maps_error(maps)));
    if (st == DICT_STAT_FOUND)
	return (CHK_DUNNO);
    return (smtpd_check_reply(ev, code, dsn, "<%s>: %s rejected: User unknown "
			      "in %s", addr, what, table_name));
}

/* smtpd_check_pbs - permit_pop_before_smtp */

static int smtpd_check_pbs(struct smtpd_eval *ev)
{
    struct smtpd_state *state = ev->state;
    struct vstring *why = vstring_alloc(100);
    int     st;

    st = pbs_check(state->addr, time((time_t *) 0), why);
    if (st < 0) {
	st = smtpd_check_tempfail(ev, state->addr, VAR_PBS_DATABASE,
				  vstring_str(why));
	vstring_free(&why);
	return (st);
    }
    vstring_free(&why);
    if (st > 0 && msg_verbose)
	msg_info("permit_pop_before_smtp: client %s logged in by POP3",
		 state->namaddr);
    return (st > 0 ? CHK_OK : CHK_DUNNO);
}

/* smtpd_check_step - one step */

static int smtpd_check_step(struct smtpd_eval *ev, struct smtpd_rstep *step)
{
    struct smtpd_state *state = ev->state;
    struct argv *keys;
    struct smtpd_rlist *class;
    const char *sender;
    int     found;
    int     ret;
    int     st;

    switch (step->op) {
    case OP_PERMIT:
	return (CHK_OK);
    case OP_REJECT:
	return (smtpd_check_reply(ev, (int) var_reject_code, "5.7.1",
				  "<%s>: %s rejected: Access denied",
				  ev->rcpt ? ev->rcpt : state->namaddr,
				  ev->rcpt ? WHAT_RCPT : WHAT_CLIENT));
    case OP_DEFER:
	return (smtpd_check_reply(ev, (int) var_defer_code, "4.7.1",
				  "<%s>: %s rejected: Access denied",
				  ev->rcpt ? ev->rcpt : state->namaddr,
				  ev->rcpt ? WHAT_RCPT : WHAT_CLIENT));
    case OP_WARN_IF_REJECT:
	ev->warn_next = 1;
	return (CHK_DUNNO);
    case OP_PERMIT_MYNETWORKS:
	st = match_list_addr(smtpd_mynetworks, state->addr);
	if (st == MATCH_ERROR)
	    return (smtpd_check_tempfail(ev, state->addr, VAR_MYNETWORKS,
					 match_list_error(smtpd_mynetworks)));
	return (st == MATCH_YES ? CHK_OK : CHK_DUNNO);
    case OP_PERMIT_POP_BEFORE_SMTP:
	return (smtpd_check_pbs(ev));
    case OP_REJECT_UNAUTH_DEST:
    case OP_DEFER_UNAUTH_DEST:
    case OP_PERMIT_AUTH_DEST:
	if (ev->rcpt == 0)
	    return (CHK_DUNNO);
	if ((st = smtpd_check_auth_dest(ev, ev->rcpt)) < 0)
	    return (smtpd_check_tempfail(ev, ev->rcpt, "address class",
					 addr_class_error()));
	if (step->op == OP_PERMIT_AUTH_DEST)
	    return (st ? CHK_OK : CHK_DUNNO);
	if (st)
	    return (CHK_DUNNO);
	return (smtpd_check_reply(ev, step->op == OP_REJECT_UNAUTH_DEST ?
				  (int) var_relay_code : 454, "4.7.1",
				  "<%s>: Relay access denied", ev->rcpt));
    case OP_REJECT_UNAUTH_PIPE:
	if (vstream_pending(state->client) > 0
	    && (!state->esmtp || strcmp(ev->stage, "DATA") == 0))
	    return (smtpd_check_reply(ev, 554, "5.5.0", "<%s>: %s rejected: "
				      "Improper use of SMTP command "
				      "pipelining", state->namaddr,
				      WHAT_CLIENT));
	return (CHK_DUNNO);
    case OP_CHECK_CLIENT:
	keys = smtpd_check_client_keys(state->name, state->addr);
	ret = smtpd_check_lookup(ev, step->table, keys, state->namaddr,
				 WHAT_CLIENT, &found);
	argv_free(&keys);
	return (ret);
    case OP_CHECK_REV_CLIENT:
	keys = smtpd_check_client_keys(state->reverse_name, state->addr);
	ret = smtpd_check_lookup(ev, step->table, keys, state->reverse_name,
				 WHAT_CLIENT, &found);
	argv_free(&keys);
	return (ret);
    case OP_CHECK_HELO:
	if (state->helo_name == 0)
	    return (CHK_DUNNO);
	keys = smtpd_check_helo_keys(state->helo_name);
	ret = smtpd_check_lookup(ev, step->table, keys, state->helo_name,
				 WHAT_HELO, &found);
	argv_free(&keys);
	return (ret);
    case OP_CHECK_SENDER:
	if ((sender = state->sender) == 0)
	    return (CHK_DUNNO);
	if (*sender == 0) {
	    keys = argv_alloc(1);
	    argv_add(keys, var_smtpd_null_key, (char *) 0);
	} else {
	    keys = smtpd_check_addr_keys(sender);
	}
	ret = smtpd_check_lookup(ev, step->table, keys, sender, WHAT_SENDER,
				 &found);
	argv_free(&keys);
	return (ret);
    case OP_CHECK_RCPT:
	if (ev->rcpt == 0)
	    return (CHK_DUNNO);
	keys = smtpd_check_addr_keys(ev->rcpt);
	ret = smtpd_check_lookup(ev, step->table, keys, ev->rcpt, WHAT_RCPT,
				 &found);
	argv_free(&keys);
	return (ret);
    case OP_REJECT_INVALID_HELO:
	if (state->helo_name == 0)
	    return (CHK_DUNNO);
	if (mail_addr_domain_valid(state->helo_name, strlen(state->helo_name))
	    || (strlen(state->helo_name) > 1
		&& state->helo_name[strlen(state->helo_name) - 1] == '.'
		&& mail_addr_domain_valid(state->helo_name,
					  strlen(state->helo_name) - 1)))
	    return (CHK_DUNNO);
	return (smtpd_check_reply(ev, (int) var_bad_name_code, "5.5.2",
				  "<%s>: %s rejected: Invalid name",
				  state->helo_name, WHAT_HELO));
    case OP_REJECT_NONFQDN_HELO:
	if (state->helo_name == 0 || smtpd_check_fqdn(state->helo_name))
	    return (CHK_DUNNO);
	return (smtpd_check_reply(ev, (int) var_non_fqdn_code, "5.5.2",
				  "<%s>: %s rejected: need fully-qualified "
				  "hostname", state->helo_name, WHAT_HELO));
    case OP_REJECT_NONFQDN_SENDER:
    case OP_REJECT_NONFQDN_RCPT:
	{
	    const char *addr = (step->op == OP_REJECT_NONFQDN_SENDER ?
				state->sender : ev->rcpt);
	    const char *at;

	    if (addr == 0 || *addr == 0)
		return (CHK_DUNNO);
	    at = strrchr(addr, '@');
	    if (at && smtpd_check_fqdn(at + 1))
		return (CHK_DUNNO);
	    /* RFC 5321: <postmaster> needs no domain. */
	    if (at == 0 && step->op == OP_REJECT_NONFQDN_RCPT
		&& strcasecmp(addr, "postmaster") == 0)
		return (CHK_DUNNO);
	    return (smtpd_check_reply(ev, (int) var_non_fqdn_code,
		      step->op == OP_REJECT_NONFQDN_SENDER ? "5.5.2" : "5.5.2",
				      "<%s>: %s rejected: need "
				      "fully-qualified address", addr,
		  step->op == OP_REJECT_NONFQDN_SENDER ? WHAT_SENDER :
				      WHAT_RCPT));
	}
    case OP_REJECT_UNLISTED_RCPT:
	if (ev->rcpt == 0)
	    return (CHK_DUNNO);
	return (smtpd_check_listed(ev, ev->rcpt, WHAT_RCPT, "5.1.1"));
    case OP_REJECT_UNLISTED_SENDER:
	if (state->sender == 0)
	    return (CHK_DUNNO);
	return (smtpd_check_listed(ev, state->sender, WHAT_SENDER, "5.1.0"));
    case OP_REJECT_UNKNOWN_CLIENT:
	if (state->name_status == SMTPD_NAME_OK)
	    return (CHK_DUNNO);
	return (smtpd_check_reply(ev, state->name_status == SMTPD_NAME_TEMP ?
				  450 : (int) var_unk_client_code, "4.7.1",
				  "<%s>: %s rejected: cannot find your "
				  "hostname, [%s]", state->namaddr,
				  WHAT_CLIENT, state->addr));
    case OP_REJECT_UNKNOWN_SENDER_DOM:
    case OP_REJECT_UNKNOWN_RCPT_DOM:
	return (smtpd_check_dns(ev, step->op));
    case OP_CLASS:
	if (++ev->depth > CHK_CLASS_DEPTH) {
	    msg_warn("restriction class %s: classes nested too deeply",
		     step->name);
	    ev->depth--;
	    return (smtpd_check_reply(ev, 451, "4.3.5", "<%s>: Server "
				      "configuration error", state->namaddr));
	}
	class = htable_find(smtpd_classes, step->name);
	ret = class ? smtpd_check_list(ev, class) : CHK_DUNNO;
	ev->depth--;
	return (ret);
    }
    msg_panic("smtpd_check_step: unknown step %d", step->op);
}

/* smtpd_check_list - the steps of a list, in order */

static int smtpd_check_list(struct smtpd_eval *ev, struct smtpd_rlist *list)
{
    size_t  i;
    int     ret;

    for (i = 0; i < list->count; i++) {
	if ((ret = smtpd_check_step(ev, list->steps + i)) != CHK_DUNNO) {
	    ev->warn_next = 0;
	    return (ret);
	}
	if (list->steps[i].op != OP_WARN_IF_REJECT)
	    ev->warn_next = 0;
    }
    return (CHK_DUNNO);
}

/* smtpd_check_eval - lists in order; reply and log a reject */

static int smtpd_check_eval(struct smtpd_state *state, const char *stage,
			            const char *rcpt,
			            struct smtpd_rlist **lists, int count,
			            int unlisted_sender, int unlisted_rcpt,
			            int reply)
{
    struct smtpd_eval ev;
    int     ret = CHK_DUNNO;
    int     i;

    memset(&ev, 0, sizeof(ev));
    ev.state = state;
    ev.stage = stage;
    ev.rcpt = rcpt;
    for (i = 0; i < count && ret != CHK_REJECT; i++) {
	ret = smtpd_check_list(&ev, lists[i]);
	if (ret != CHK_REJECT && unlisted_sender && lists[i] == smtpd_sender_list
	    && var_smtpd_rej_unl_sender && state->sender)
	    ret = smtpd_check_listed(&ev, state->sender, WHAT_SENDER, "5.1.0");
    }
    if (ret != CHK_REJECT && unlisted_rcpt && rcpt && var_smtpd_rej_unl_rcpt)
	ret = smtpd_check_listed(&ev, rcpt, WHAT_RCPT, "5.1.1");
    if (ret == CHK_REJECT) {
	smtpd_check_log(&ev, "reject", vstring_str(state->check_reply));
	if (reply)
	    smtpd_reply(state, "%s", vstring_str(state->check_reply));
	return (-1);
    }
    return (0);
}

/* smtpd_check_early - a client reject made at connect time, repeated */

static int smtpd_check_early(struct smtpd_state *state)
{
    if (state->client_reject == 0)
	return (0);
    smtpd_reply(state, "%s", state->client_reject);
    return (-1);
}

int     smtpd_check_client(struct smtpd_state *state)
{
    struct smtpd_rlist *lists[1];

    if (var_smtpd_delay_reject || smtpd_client_list->count == 0)
	return (0);
    lists[0] = smtpd_client_list;
    vstring_reset(state->check_reply);
    if (smtpd_check_eval(state, "CONNECT", (const char *) 0, lists, 1,
			 0, 0, 0) < 0) {
	state->client_reject = mystrdup(vstring_str(state->check_reply));
	return (-1);
    }
    return (0);
}

int     smtpd_check_helo(struct smtpd_state *state)
{
    struct smtpd_rlist *lists[1];

    if (smtpd_check_early(state) < 0)
	return (-1);
    if (var_smtpd_delay_reject)
	return (0);
    lists[0] = smtpd_helo_list;
    return (smtpd_check_eval(state, "HELO", (const char *) 0, lists, 1, 0, 0, 1));
}

int     smtpd_check_mail(struct smtpd_state *state)
{
    struct smtpd_rlist *lists[1];

    if (smtpd_check_early(state) < 0)
	return (-1);
    if (var_smtpd_delay_reject)
	return (0);
    lists[0] = smtpd_sender_list;
    return (smtpd_check_eval(state, "MAIL", (const char *) 0, lists, 1, 1, 0,
			     1));
}

int     smtpd_check_rcpt(struct smtpd_state *state, const char *rcpt)
{
    struct smtpd_rlist *lists[5];
    int     n = 0;

    if (smtpd_check_early(state) < 0)
	return (-1);
    if (var_smtpd_delay_reject) {
	lists[n++] = smtpd_client_list;
	lists[n++] = smtpd_helo_list;
	lists[n++] = smtpd_sender_list;
    }
    lists[n++] = smtpd_relay_list;
    lists[n++] = smtpd_rcpt_list;
    return (smtpd_check_eval(state, "RCPT", rcpt, lists, n,
			     var_smtpd_delay_reject, 1, 1));
}

int     smtpd_check_data(struct smtpd_state *state)
{
    struct smtpd_rlist *lists[1];

    if (smtpd_data_list->count == 0)
	return (0);
    lists[0] = smtpd_data_list;
    return (smtpd_check_eval(state, "DATA", (const char *) 0, lists, 1, 0, 0, 1));
}

int     smtpd_check_eod(struct smtpd_state *state)
{
    struct smtpd_rlist *lists[1];

    if (smtpd_eod_list->count == 0)
	return (0);
    lists[0] = smtpd_eod_list;
    return (smtpd_check_eval(state, "END-OF-MESSAGE", (const char *) 0,
			     lists, 1, 0, 0, 1));
}

/* smtpd_check_dns - reject_unknown_{sender,recipient}_domain */

static int smtpd_check_dns(struct smtpd_eval *ev, int op)
{
    int     sender = (op == OP_REJECT_UNKNOWN_SENDER_DOM);
    const char *addr = sender ? ev->state->sender : ev->rcpt;
    const char *what = sender ? WHAT_SENDER : WHAT_RCPT;
    struct addr_class_info info;
    struct vstring *why;
    int     cls;
    int     st;
    int     ret;

    if (addr == 0 || *addr == 0)		/* no address, or the null sender */
	return (CHK_DUNNO);
    memset(&info, 0, sizeof(info));
    cls = addr_class(addr, &info);
    /* This host's own domains and address literals need no DNS. */
    if (cls == ADDR_CLASS_LOCAL || vstring_len(info.domain) == 0
	|| vstring_str(info.domain)[0] == '[') {
	vstring_free(&info.local);
	vstring_free(&info.domain);
	return (CHK_DUNNO);
    }
    why = vstring_alloc(100);
    st = dns_domain_exists(vstring_str(info.domain), why);
    switch (st) {
    case DNS_OK:
	ret = CHK_DUNNO;
	break;
    case DNS_NULLMX:
	/* RFC 7505 section 4.2 and 4.3. */
	ret = smtpd_check_reply(ev, sender ? 550 : 556,
				sender ? "5.7.27" : "5.1.10",
				"<%s>: %s rejected: Domain %s does not accept "
				"mail (nullMX)", addr, what,
				vstring_str(info.domain));
	break;
    case DNS_RETRY:
	ret = smtpd_check_reply(ev, 450, "4.4.3", "<%s>: %s rejected: "
				"Domain lookup failed: %s", addr, what,
				vstring_str(why));
	break;
    default:
	ret = smtpd_check_reply(ev, (int) var_unk_addr_code,
				sender ? "5.1.8" : "5.1.2",
				"<%s>: %s rejected: Domain not found", addr,
				what);
	break;
    }
    vstring_free(&why);
    vstring_free(&info.local);
    vstring_free(&info.domain);
    return (ret);
}
