/*++
/* NAME
/*	smtpd_parse 3
/* SUMMARY
/*	SMTP command-line parsing
/* SYNOPSIS
/*	#include "smtpd.h"
/*
/*	const struct smtpd_cmd *smtpd_cmd_find(verb, len)
/*	const char *verb;
/*	size_t	len;
/*
/*	char	*smtpd_cmd_split(line, verb_len, args)
/*	char	*line;
/*	size_t	*verb_len;
/*	char	**args;
/*
/*	int	smtpd_parse_path(args, keyword, flags, addr, rest, why)
/*	const char *args;
/*	const char *keyword;
/*	int	flags;
/*	struct vstring *addr;
/*	char	**rest;
/*	struct vstring *why;
/*
/*	void	smtpd_params_init(params)
/*	void	smtpd_params_free(params)
/*	struct smtpd_params *params;
/*
/*	int	smtpd_parse_params(text, cmd, params, why)
/*	char	*text;
/*	int	cmd;
/*	struct smtpd_params *params;
/*	struct vstring *why;
/*
/*	int	smtpd_addr_is_local(addr, mydestination)
/*	const char *addr;
/*	const char *mydestination;
/* DESCRIPTION
/*	These functions only parse: they keep no state, log nothing and
/*	write no replies, so that unit tests and the fuzz target can
/*	drive them directly.
/*
/*	smtpd_cmd_find() looks up a command verb of len bytes (case does
/*	not matter) in the command table; null when it is unknown.
/*
/*	smtpd_cmd_split() removes trailing white space (CR and LF
/*	included) from line, then returns a pointer to the verb (leading
/*	blanks skipped), its length in verb_len, and in args the text
/*	after the blanks that follow the verb ("" when there is none).
/*
/*	smtpd_parse_path() parses "keyword<path> params" (keyword such as
/*	"FROM:", matched without regard to case, and blanks allowed after
/*	it, as many clients send them) into addr (mail_addr_parse() with
/*	flags, plus MAIL_ADDR_FLAG_BARE_OK), and sets rest to the
/*	parameters after the path, blanks skipped. The result is
/*	SMTPD_PATH_OK, SMTPD_PATH_SYNTAX (no keyword, no path) or
/*	SMTPD_PATH_BADADDR (with the reason in why).
/*
/*	smtpd_params_init() prepares params for one command (nothing seen)
/*	and smtpd_params_free() releases its buffers.
/*	smtpd_parse_params() parses the ESMTP parameters of a MAIL FROM
/*	(cmd SMTPD_CMD_MAIL) or RCPT TO (SMTPD_CMD_RCPT) command; text is
/*	modified in place. Keywords are matched without regard to case.
/*	MAIL takes SIZE=n (decimal, at most 18 digits) into size,
/*	BODY=7BIT|8BITMIME into body (SMTPD_BODY_*), and the RFC 3461
/*	RET=FULL|HDRS into ret (DSN_RET_*) and ENVID=xtext, decoded into
/*	envid (printable ASCII, at most DSN_ENVID_MAX characters). RCPT
/*	takes NOTIFY=NEVER or a comma list of SUCCESS, FAILURE and DELAY
/*	into notify (DSN_NOTIFY_*) and ORCPT=addr-type;xtext, decoded into
/*	orcpt (printable ASCII, checked with dsn_orcpt_ok()). xtext
/*	(RFC 3461 section 4) is checked with dsn_xtext_decode(): a "+"
/*	must begin a two-digit hex escape.
/*	Result: SMTPD_PARAM_OK; SMTPD_PARAM_SYNTAX for a bad value or a
/*	parameter given twice (501 5.5.4); SMTPD_PARAM_UNKNOWN for a
/*	parameter the command does not take (555 5.5.4); the reason is
/*	in why. Parsing stops at the first error.
/*
/*	smtpd_addr_is_local() decides whether a parsed recipient address
/*	is for this host: its domain is one of mydestination's names, or
/*	it is "postmaster" without a domain (RFC 5321 section 4.5.1).
/*	Local parts are not checked (see smtpd(8), BUGS).
/* DIAGNOSTICS
/*	Return values and why.
/*--*/

/* System library. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Utility library. */

#include <vstring.h>

/* Global library. */

#include <dsn.h>
#include <mail_addr.h>

/* Application-specific. */

#include "smtpd.h"

static const struct smtpd_cmd smtpd_cmd_table[] = {
    {"HELO", SMTPD_CMD_HELO, smtpd_cmd_helo},
    {"EHLO", SMTPD_CMD_EHLO, smtpd_cmd_ehlo},
    {"MAIL", SMTPD_CMD_MAIL, smtpd_cmd_mail},
    {"RCPT", SMTPD_CMD_RCPT, smtpd_cmd_rcpt},
    {"DATA", SMTPD_CMD_DATA, smtpd_cmd_data},
    {"RSET", SMTPD_CMD_RSET, smtpd_cmd_rset},
    {"NOOP", SMTPD_CMD_NOOP, smtpd_cmd_noop},
    {"QUIT", SMTPD_CMD_QUIT, smtpd_cmd_quit},
    {"VRFY", SMTPD_CMD_VRFY, smtpd_cmd_vrfy},
    {"HELP", SMTPD_CMD_HELP, smtpd_cmd_help},
    {0, 0, 0},
};

/* smtpd_cmd_find - command table lookup */

const struct smtpd_cmd *smtpd_cmd_find(const char *verb, size_t len)
{
    const struct smtpd_cmd *cmd;

    for (cmd = smtpd_cmd_table; cmd->name; cmd++)
	if (strlen(cmd->name) == len && strncasecmp(cmd->name, verb, len) == 0)
	    return (cmd);
    return (0);
}

/* smtpd_cmd_split - verb and arguments */

char   *smtpd_cmd_split(char *line, size_t *verb_len, char **args)
{
    size_t  len = strlen(line);
    char   *verb;
    char   *cp;

    while (len > 0 && isspace((unsigned char) line[len - 1]))
	line[--len] = 0;
    verb = line + strspn(line, " \t");
    for (cp = verb; *cp && *cp != ' ' && *cp != '\t'; cp++)
	 /* void */ ;
    *verb_len = (size_t) (cp - verb);
    *args = cp + strspn(cp, " \t");
    return (verb);
}

/* smtpd_parse_path - "FROM:<addr> params" */

int     smtpd_parse_path(const char *args, const char *keyword, int flags,
			         struct vstring *addr, char **rest,
			         struct vstring *why)
{
    size_t  klen = strlen(keyword);
    const char *cp;
    const char *end;

    if (strncasecmp(args, keyword, klen) != 0)
	return (SMTPD_PATH_SYNTAX);
    cp = args + klen;
    cp += strspn(cp, " \t");
    if (*cp == 0)
	return (SMTPD_PATH_SYNTAX);
    end = mail_addr_parse(cp, strlen(cp), flags | MAIL_ADDR_FLAG_BARE_OK,
			  addr, why);
    if (end == 0)
	return (SMTPD_PATH_BADADDR);
    if (*end != 0 && *end != ' ' && *end != '\t') {
	vstring_strcpy(why, "garbage after address");
	return (SMTPD_PATH_BADADDR);
    }
    end += strspn(end, " \t");
    *rest = (char *) end;
    return (SMTPD_PATH_OK);
}

/* smtpd_param_size - SIZE=n */

static int smtpd_param_size(struct smtpd_params *p, const char *value,
			            struct vstring *why)
{
    if (value == 0 || *value == 0 || strspn(value, "0123456789")
	!= strlen(value) || strlen(value) > 18) {
	vstring_strcpy(why, "Bad message size syntax");
	return (SMTPD_PARAM_SYNTAX);
    }
    /* At most 18 digits: fits a long. */
    p->size = (long) strtoull(value, (char **) 0, 10);
    return (SMTPD_PARAM_OK);
}

/* smtpd_param_choice - value's index in a null-terminated list, or -1 */

static int smtpd_param_choice(const char *value, const char *const * names)
{
    int     i;

    for (i = 0; value != 0 && names[i] != 0; i++)
	if (strcasecmp(value, names[i]) == 0)
	    return (i);
    return (-1);
}

/* smtpd_param_body - BODY=7BIT|8BITMIME */

static int smtpd_param_body(struct smtpd_params *p, const char *value,
			            struct vstring *why)
{
    static const char *const names[] = {"7BIT", "8BITMIME", 0};
    static const int codes[] = {SMTPD_BODY_7BIT, SMTPD_BODY_8BITMIME};
    int     i;

    if ((i = smtpd_param_choice(value, names)) < 0) {
	vstring_strcpy(why, "Unsupported BODY parameter value");
	return (SMTPD_PARAM_SYNTAX);
    }
    p->body = codes[i];
    return (SMTPD_PARAM_OK);
}

/* smtpd_param_ret - RET=FULL|HDRS */

static int smtpd_param_ret(struct smtpd_params *p, const char *value,
			           struct vstring *why)
{
    static const char *const names[] = {DSN_RET_FULL, DSN_RET_HDRS, 0};
    int     i;

    if ((i = smtpd_param_choice(value, names)) < 0) {
	vstring_strcpy(why, "Bad RET parameter: need FULL or HDRS");
	return (SMTPD_PARAM_SYNTAX);
    }
    p->ret = names[i];
    return (SMTPD_PARAM_OK);
}

/* smtpd_param_xtext - decode xtext, printable ASCII only */

static int smtpd_param_xtext(struct vstring *buf, const char *name,
			             const char *value, struct vstring *why)
{
    const unsigned char *cp;

    if (value == 0 || *value == 0 || dsn_xtext_decode(buf, value) < 0) {
	vstring_reset(buf);
	vstring_sprintf(why, "Bad %s parameter: malformed xtext", name);
	return (SMTPD_PARAM_SYNTAX);
    }
    for (cp = (const unsigned char *) vstring_str(buf); *cp; cp++) {
	if (*cp > '~') {
	    vstring_reset(buf);
	    vstring_sprintf(why, "Bad %s parameter: not printable ASCII", name);
	    return (SMTPD_PARAM_SYNTAX);
	}
    }
    return (SMTPD_PARAM_OK);
}

/* smtpd_param_envid - ENVID=xtext */

static int smtpd_param_envid(struct smtpd_params *p, const char *value,
			             struct vstring *why)
{
    if (smtpd_param_xtext(p->envid, "ENVID", value, why) != SMTPD_PARAM_OK)
	return (SMTPD_PARAM_SYNTAX);
    if (vstring_len(p->envid) > DSN_ENVID_MAX) {
	vstring_reset(p->envid);
	vstring_sprintf(why, "Bad ENVID parameter: longer than %d characters",
			DSN_ENVID_MAX);
	return (SMTPD_PARAM_SYNTAX);
    }
    return (SMTPD_PARAM_OK);
}

/* smtpd_param_notify - NOTIFY=NEVER or a list of SUCCESS,FAILURE,DELAY */

static int smtpd_param_notify(struct smtpd_params *p, const char *value,
			              struct vstring *why)
{
    int     mask;

    if (value == 0 || (mask = dsn_notify_parse(value)) <= 0) {
	vstring_strcpy(why, "Bad NOTIFY parameter: need NEVER, or "
		       "SUCCESS, FAILURE and DELAY separated by commas");
	return (SMTPD_PARAM_SYNTAX);
    }
    p->notify = mask;
    return (SMTPD_PARAM_OK);
}

/* smtpd_param_orcpt - ORCPT=addr-type;xtext */

static int smtpd_param_orcpt(struct smtpd_params *p, const char *value,
			             struct vstring *why)
{
    if (smtpd_param_xtext(p->orcpt, "ORCPT", value, why) != SMTPD_PARAM_OK)
	return (SMTPD_PARAM_SYNTAX);
    if (!dsn_orcpt_ok(vstring_str(p->orcpt))) {
	vstring_reset(p->orcpt);
	vstring_sprintf(why, "Bad ORCPT parameter: need addr-type;address, "
			"at most %d characters", DSN_ORCPT_MAX);
	return (SMTPD_PARAM_SYNTAX);
    }
    return (SMTPD_PARAM_OK);
}

 /*
  * The parameters announced in EHLO, and the command each belongs to.
  * A parameter's bit in smtpd_params.seen is 1 << its index.
  */
static const struct smtpd_param_info {
    const char *name;
    int     cmd;			/* SMTPD_CMD_MAIL or SMTPD_CMD_RCPT */
    int     (*parse) (struct smtpd_params *, const char *, struct vstring *);
} smtpd_param_table[] = {
    {"SIZE", SMTPD_CMD_MAIL, smtpd_param_size},
    {"BODY", SMTPD_CMD_MAIL, smtpd_param_body},
    {"RET", SMTPD_CMD_MAIL, smtpd_param_ret},
    {"ENVID", SMTPD_CMD_MAIL, smtpd_param_envid},
    {"NOTIFY", SMTPD_CMD_RCPT, smtpd_param_notify},
    {"ORCPT", SMTPD_CMD_RCPT, smtpd_param_orcpt},
    {0, 0, 0},
};

/* smtpd_params_init - no parameters yet */

void    smtpd_params_init(struct smtpd_params *p)
{
    p->size = 0;
    p->body = SMTPD_BODY_NONE;
    p->ret = 0;
    p->envid = vstring_alloc(DSN_ENVID_MAX);
    p->notify = 0;
    p->orcpt = vstring_alloc(100);
    p->seen = 0;
}

/* smtpd_params_free - release */

void    smtpd_params_free(struct smtpd_params *p)
{
    vstring_free(&p->envid);
    vstring_free(&p->orcpt);
}

/* smtpd_parse_params - MAIL FROM or RCPT TO parameters */

int     smtpd_parse_params(char *params, int cmd, struct smtpd_params *p,
			           struct vstring *why)
{
    const struct smtpd_param_info *info;
    char   *cp = params;
    char   *word;
    char   *value;
    int     bit;
    int     status;

    while (*(cp += strspn(cp, " \t")) != 0) {
	word = cp;
	cp += strcspn(cp, " \t");
	if (*cp)
	    *cp++ = 0;
	if ((value = strchr(word, '=')) != 0)
	    *value++ = 0;
	for (info = smtpd_param_table; info->name; info++)
	    if (info->cmd == cmd && strcasecmp(word, info->name) == 0)
		break;
	if (info->name == 0) {
	    vstring_sprintf(why, "Unsupported option: %.100s", word);
	    return (SMTPD_PARAM_UNKNOWN);
	}
	bit = 1 << (info - smtpd_param_table);
	if (p->seen & bit) {
	    vstring_sprintf(why, "Duplicate %s parameter", info->name);
	    return (SMTPD_PARAM_SYNTAX);
	}
	p->seen |= bit;
	if ((status = info->parse(p, value, why)) != SMTPD_PARAM_OK)
	    return (status);
    }
    return (SMTPD_PARAM_OK);
}

/* smtpd_addr_is_local - recipient for this host? */

int     smtpd_addr_is_local(const char *addr, const char *mydest)
{
    struct vstring *local = vstring_alloc(64);
    struct vstring *domain = vstring_alloc(64);
    int     ret;

    if (mail_addr_split(addr, local, domain) == 0)
	ret = (strcasecmp(vstring_str(local), "postmaster") == 0);
    else
	ret = mail_addr_domain_in_list(vstring_str(domain), mydest);
    vstring_free(&local);
    vstring_free(&domain);
    return (ret);
}
