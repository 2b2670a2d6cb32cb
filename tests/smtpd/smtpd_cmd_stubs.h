/*++
/* NAME
/*	smtpd_cmd_stubs 3h
/* SUMMARY
/*	command handler stubs for programs that link smtpd_parse.o alone
/* SYNOPSIS
/*	#include "smtpd_cmd_stubs.h"
/* DESCRIPTION
/*	smtpd_parse.c's command table names the command handlers. A unit
/*	test or fuzz target that only parses includes this header once
/*	(after smtpd.h) to define each handler as a function that does
/*	nothing and returns 0.
/*--*/
#ifndef SMTPD_CMD_STUBS_H
#define SMTPD_CMD_STUBS_H

#define SMTPD_CMD_STUB(name) \
	int name(struct smtpd_state *s, char *a) { return (0); }

SMTPD_CMD_STUB(smtpd_cmd_helo)
SMTPD_CMD_STUB(smtpd_cmd_ehlo)
SMTPD_CMD_STUB(smtpd_cmd_mail)
SMTPD_CMD_STUB(smtpd_cmd_rcpt)
SMTPD_CMD_STUB(smtpd_cmd_data)
SMTPD_CMD_STUB(smtpd_cmd_rset)
SMTPD_CMD_STUB(smtpd_cmd_noop)
SMTPD_CMD_STUB(smtpd_cmd_quit)
SMTPD_CMD_STUB(smtpd_cmd_vrfy)
SMTPD_CMD_STUB(smtpd_cmd_help)

#endif
