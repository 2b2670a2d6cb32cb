/*++
/* NAME
/*	smtpd_cmd 3
/* SUMMARY
/*	HELO, EHLO, RSET, NOOP, QUIT, VRFY and HELP
/* SYNOPSIS
/*	#include "smtpd.h"
/*
/*	int	smtpd_cmd_helo(state, args)
/*	int	smtpd_cmd_ehlo(state, args)
/*	int	smtpd_cmd_rset(state, args)
/*	int	smtpd_cmd_noop(state, args)
/*	int	smtpd_cmd_quit(state, args)
/*	int	smtpd_cmd_vrfy(state, args)
/*	int	smtpd_cmd_help(state, args)
/*	struct smtpd_state *state;
/*	char	*args;
/* DESCRIPTION
/*	Each handler replies and returns 0 when the command succeeded,
/*	-1 otherwise (for the "disconnect from" counters).
/*
/*	HELO and EHLO need an argument (any text: the name is recorded
/*	for the Received: header, not checked) and end any mail
/*	transaction. EHLO announces PIPELINING, SIZE $message_size_limit,
/*	VRFY (unless $disable_vrfy_command), 8BITMIME, DSN (RFC 3461) and
/*	ENHANCEDSTATUSCODES.
/*
/*	VRFY reveals nothing about users: with $disable_vrfy_command (the
/*	default) it replies "252 2.0.0 VRFY is disabled; send RCPT to
/*	attempt delivery"; otherwise it checks the syntax and the domain
/*	as RCPT would and replies 252 (the user is not looked up).
/* DIAGNOSTICS
/*	None.
/*--*/

/* System library. */

#include <string.h>

/* Utility library. */

#include <mymalloc.h>
#include <stringops.h>
#include <vstring.h>

/* Global library. */

#include <mail_addr.h>
#include <addr_class.h>
#include <mail_params.h>

/* Application-specific. */

#include "smtpd.h"

/* smtpd_hello - HELO and EHLO */

static int smtpd_hello(struct smtpd_state *state, char *args, int esmtp)
{
    if (*args == 0) {
	smtpd_reply(state, "501 5.5.2 Syntax: %s hostname",
		    esmtp ? "EHLO" : "HELO");
	return (-1);
    }
    smtpd_reset(state);
    myfree(state->helo_name);
    state->helo_name = printable(mystrndup(args, strcspn(args, " \t")), '?');
    state->esmtp = esmtp;
    if (smtpd_check_helo(state) < 0) {
	myfree(state->helo_name);
	state->helo_name = 0;
	return (-1);
    }
    if (!esmtp) {
	smtpd_reply(state, "250 %s", var_myhostname);
	return (0);
    }
    smtpd_reply(state, "250-%s", var_myhostname);
    smtpd_reply(state, "250-PIPELINING");
    smtpd_reply(state, "250-SIZE %ld", var_message_limit);
    if (!var_disable_vrfy)
	smtpd_reply(state, "250-VRFY");
    smtpd_reply(state, "250-8BITMIME");
    smtpd_reply(state, "250-DSN");
    smtpd_reply(state, "250 ENHANCEDSTATUSCODES");
    return (0);
}

int     smtpd_cmd_helo(struct smtpd_state *state, char *args)
{
    return (smtpd_hello(state, args, 0));
}

int     smtpd_cmd_ehlo(struct smtpd_state *state, char *args)
{
    return (smtpd_hello(state, args, 1));
}

int     smtpd_cmd_rset(struct smtpd_state *state, char *args)
{
    if (*args) {
	smtpd_reply(state, "501 5.5.2 Syntax: RSET");
	return (-1);
    }
    smtpd_reset(state);
    smtpd_reply(state, "250 2.0.0 Ok");
    return (0);
}

int     smtpd_cmd_noop(struct smtpd_state *state, char *args)
{
    smtpd_reply(state, "250 2.0.0 Ok");
    return (0);
}

int     smtpd_cmd_quit(struct smtpd_state *state, char *args)
{
    smtpd_reply(state, "221 2.0.0 Bye");
    state->quit = 1;
    return (0);
}

int     smtpd_cmd_help(struct smtpd_state *state, char *args)
{
    smtpd_reply(state, "214 2.0.0 Commands: HELO EHLO MAIL RCPT DATA RSET "
		"NOOP QUIT VRFY HELP");
    return (0);
}

int     smtpd_cmd_vrfy(struct smtpd_state *state, char *args)
{
    struct vstring *addr;
    char   *rest;
    int     ret = -1;

    if (*args == 0) {
	smtpd_reply(state, "501 5.5.2 Syntax: VRFY address");
	return (-1);
    }
    if (var_disable_vrfy) {
	smtpd_reply(state, "252 2.0.0 VRFY is disabled; "
		    "send RCPT to attempt delivery");
	return (0);
    }
    addr = vstring_alloc(100);
    if (smtpd_parse_path(args, "", MAIL_ADDR_FLAG_NODOMAIN, addr, &rest,
			 state->why) != SMTPD_PATH_OK || *rest != 0) {
	smtpd_reply(state, "501 5.1.3 Bad recipient address syntax");
    } else if (addr_class(vstring_str(addr), (struct addr_class_info *) 0)
	       != ADDR_CLASS_LOCAL) {
	smtpd_reply(state, "554 5.7.1 <%s>: Relay access denied",
		    vstring_str(addr));
    } else {
	smtpd_reply(state, "252 2.0.0 <%s>: cannot verify the user; "
		    "send RCPT to attempt delivery", vstring_str(addr));
	ret = 0;
    }
    vstring_free(&addr);
    return (ret);
}
