/*++
/* NAME
/*	smtpd_cmd_mail 3
/* SUMMARY
/*	MAIL and RCPT
/* SYNOPSIS
/*	#include "smtpd.h"
/*
/*	int	smtpd_cmd_mail(state, args)
/*	int	smtpd_cmd_rcpt(state, args)
/*	struct smtpd_state *state;
/*	char	*args;
/* DESCRIPTION
/*	smtpd_cmd_mail() starts a mail transaction: "MAIL FROM:<path>"
/*	with optional SIZE=, BODY=, RET= and ENVID= parameters
/*	(smtpd_parse_params()). It needs HELO/EHLO first and no
/*	transaction in progress (503 5.5.1); a malformed command gets
/*	501 5.5.2, a malformed address 501 5.1.7, a bad or repeated
/*	parameter 501 5.5.4, an unknown parameter 555 5.5.4, and a SIZE=
/*	above $message_size_limit 552 5.3.4. RET and ENVID (decoded) are
/*	kept for the A records dsn_ret and dsn_envid.
/*
/*	smtpd_cmd_rcpt() adds a recipient: "RCPT TO:<path>" with optional
/*	NOTIFY= and ORCPT= parameters (RFC 3461; 501 5.5.4 when bad or
/*	repeated, 555 5.5.4 for any other parameter); when either was
/*	given the recipient gets an N record (dsn_rec_format()) before
/*	its R record. It needs
/*	MAIL first (503 5.5.1); a malformed address gets 501 5.1.3; past
/*	$smtpd_recipient_limit recipients 452 4.5.3; then the restrictions
/*	decide (smtpd_check_rcpt(): relay control and policy; a reject is
/*	replied and logged as "NOQUEUE: reject: RCPT from ..."). The sender
/*	is checked by smtpd_check_mail() (which does nothing until RCPT
/*	with smtpd_delay_reject = yes). Unless strict_rfc821_envelopes is
/*	set, addresses are parsed leniently (MAIL_ADDR_FLAG_LENIENT).
/* DIAGNOSTICS
/*	None.
/*--*/

/* System library. */

#include <string.h>

/* Utility library. */

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

/* Global library. */

#include <dsn.h>
#include <mail_addr.h>
#include <mail_params.h>

/* Application-specific. */

#include "smtpd.h"

/* smtpd_param_reply - reply to a parameter error; 0 when there was none */

static int smtpd_param_reply(struct smtpd_state *state, int status)
{
    switch (status) {
    case SMTPD_PARAM_SYNTAX:
	smtpd_reply(state, "501 5.5.4 %s", vstring_str(state->why));
	return (-1);
    case SMTPD_PARAM_UNKNOWN:
	smtpd_reply(state, "555 5.5.4 %s", vstring_str(state->why));
	return (-1);
    default:
	return (0);
    }
}

int     smtpd_cmd_mail(struct smtpd_state *state, char *args)
{
    struct vstring *addr;
    struct smtpd_params params;
    char   *rest;
    int     ret = -1;

    if (state->helo_name == 0) {
	smtpd_reply(state, "503 5.5.1 Error: send HELO/EHLO first");
	return (-1);
    }
    if (state->sender != 0) {
	smtpd_reply(state, "503 5.5.1 Error: nested MAIL command");
	return (-1);
    }
    addr = vstring_alloc(100);
    smtpd_params_init(&params);
    switch (smtpd_parse_path(args, "FROM:", MAIL_ADDR_FLAG_NULL_OK
			     | (var_strict_rfc821 ? 0 : MAIL_ADDR_FLAG_LENIENT), addr,
			     &rest, state->why)) {
    case SMTPD_PATH_SYNTAX:
	smtpd_reply(state, "501 5.5.2 Syntax: MAIL FROM:<address>");
	break;
    case SMTPD_PATH_BADADDR:
	smtpd_reply(state, "501 5.1.7 Bad sender address syntax");
	break;
    default:
	if (smtpd_param_reply(state, smtpd_parse_params(rest, SMTPD_CMD_MAIL,
							&params,
							state->why)) < 0)
	    break;
	if (var_message_limit > 0 && params.size > var_message_limit) {
	    smtpd_reply(state, "552 5.3.4 Message size exceeds fixed limit");
	    break;
	}
	state->sender = mystrdup(vstring_str(addr));
	if (smtpd_check_mail(state) < 0) {
	    myfree(state->sender);
	    state->sender = 0;
	    break;
	}
	state->size_param = params.size;
	state->dsn_ret = params.ret ? mystrdup(params.ret) : 0;
	state->dsn_envid = vstring_len(params.envid) ?
	    mystrdup(vstring_str(params.envid)) : 0;
	state->rcpt_tries = 0;
	smtpd_reply(state, "250 2.1.0 Ok");
	ret = 0;
	break;
    }
    smtpd_params_free(&params);
    vstring_free(&addr);
    return (ret);
}

int     smtpd_cmd_rcpt(struct smtpd_state *state, char *args)
{
    struct vstring *addr;
    struct vstring *local;
    struct vstring *domain;
    struct smtpd_params params;
    char   *rest;
    int     ret = -1;

    if (state->sender == 0) {
	smtpd_reply(state, "503 5.5.1 Error: need MAIL command");
	return (-1);
    }
    state->rcpt_tries++;
    addr = vstring_alloc(100);
    local = vstring_alloc(64);
    domain = vstring_alloc(64);
    smtpd_params_init(&params);
    switch (smtpd_parse_path(args, "TO:", MAIL_ADDR_FLAG_NODOMAIN
			     | (var_strict_rfc821 ? 0 : MAIL_ADDR_FLAG_LENIENT), addr,
			     &rest, state->why)) {
    case SMTPD_PATH_SYNTAX:
	smtpd_reply(state, "501 5.5.2 Syntax: RCPT TO:<address>");
	break;
    case SMTPD_PATH_BADADDR:
	smtpd_reply(state, "501 5.1.3 Bad recipient address syntax");
	break;
    default:
	if (smtpd_param_reply(state, smtpd_parse_params(rest, SMTPD_CMD_RCPT,
							&params,
							state->why)) < 0) {
	    /* Replied. */
	} else if (mail_addr_split(vstring_str(addr), local, domain) == 0
		   && strcasecmp(vstring_str(local), "postmaster") != 0) {
	    /* Only <postmaster> may come without a domain. */
	    smtpd_reply(state, "501 5.1.3 Bad recipient address syntax");
	} else if (var_smtpd_rcpt_limit > 0
		   && (long) state->rcpts->argc >= var_smtpd_rcpt_limit) {
	    smtpd_reply(state, "452 4.5.3 Error: too many recipients");
	} else if (smtpd_check_rcpt(state, vstring_str(addr)) < 0) {
	    /* The restrictions replied and logged. */
	} else {
	    argv_add(state->rcpts, vstring_str(addr), (char *) 0);
	    /* The N record cleanup gets before this recipient's R, if any. */
	    if (params.notify != 0 || vstring_len(params.orcpt) != 0)
		dsn_rec_format(state->scratch, params.notify,
			       vstring_str(params.orcpt));
	    else
		vstring_reset(state->scratch);
	    argv_add(state->rcpt_dsn, vstring_str(state->scratch), (char *) 0);
	    smtpd_reply(state, "250 2.1.5 Ok");
	    if (state->rcpts->argc == 1)
		smtpd_cleanup_start(state);
	    ret = 0;
	}
	break;
    }
    smtpd_params_free(&params);
    vstring_free(&addr);
    vstring_free(&local);
    vstring_free(&domain);
    return (ret);
}
