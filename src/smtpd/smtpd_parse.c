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
/*	int	smtpd_parse_mail_params(params, size, body, why)
/*	char	*params;
/*	long	*size;
/*	int	*body;
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
/*	smtpd_parse_mail_params() parses MAIL FROM parameters (modified
/*	in place): SIZE=n (decimal) into size and BODY=7BIT|8BITMIME into
/*	body (SMTPD_BODY_*). Result: SMTPD_PARAM_OK,
/*	SMTPD_PARAM_SYNTAX (a bad value) or SMTPD_PARAM_UNKNOWN (a
/*	parameter that was not announced), with the reason in why.
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

/* smtpd_parse_mail_params - SIZE= and BODY= */

int     smtpd_parse_mail_params(char *params, long *size, int *body,
				        struct vstring *why)
{
    char   *cp = params;
    char   *word;
    char   *value;
    size_t  n;
    char   *end;
    unsigned long long val;

    *size = 0;
    *body = SMTPD_BODY_NONE;
    while (*(cp += strspn(cp, " \t")) != 0) {
	word = cp;
	n = strcspn(cp, " \t");
	cp += n;
	if (*cp)
	    *cp++ = 0;
	if ((value = strchr(word, '=')) != 0)
	    *value++ = 0;
	if (strcasecmp(word, "SIZE") == 0) {
	    if (value == 0 || *value == 0 || strspn(value, "0123456789")
		!= strlen(value) || strlen(value) > 18) {
		vstring_strcpy(why, "Bad message size syntax");
		return (SMTPD_PARAM_SYNTAX);
	    }
	    /* At most 18 digits: fits a long. */
	    val = strtoull(value, &end, 10);
	    *size = (long) val;
	} else if (strcasecmp(word, "BODY") == 0) {
	    if (value != 0 && strcasecmp(value, "7BIT") == 0) {
		*body = SMTPD_BODY_7BIT;
	    } else if (value != 0 && strcasecmp(value, "8BITMIME") == 0) {
		*body = SMTPD_BODY_8BITMIME;
	    } else {
		vstring_strcpy(why, "Unsupported BODY parameter value");
		return (SMTPD_PARAM_SYNTAX);
	    }
	} else {
	    vstring_sprintf(why, "Unsupported option: %.100s", word);
	    return (SMTPD_PARAM_UNKNOWN);
	}
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
