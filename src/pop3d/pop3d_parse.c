/*++
/* NAME
/*	pop3d_parse 3
/* SUMMARY
/*	POP3 command-line parser
/* SYNOPSIS
/*	#include "pop3d.h"
/*
/*	int	pop3d_parse(line, len, req)
/*	char	*line;
/*	size_t	len;
/*	struct pop3d_req *req;
/*
/*	int	pop3d_parse_msgno(text, count, number)
/*	const char *text;
/*	long	count;
/*	long	*number;
/*
/*	const char *pop3d_state_name(state)
/* DESCRIPTION
/*	pop3d_parse() splits one command line of len bytes (CR LF already
/*	removed; the line is modified in place, and line[len] must exist:
/*	it becomes a NUL, as a vstring always allows) into the command and its
/*	arguments, without side effects. The keyword is matched without
/*	regard to case. Arguments are separated by spaces (runs of spaces
/*	count as one; leading and trailing spaces are ignored), except that
/*	the argument of PASS is the rest of the line after one space,
/*	spaces included (RFC 1939 allows a password with spaces).
/*	Results:
/* .IP POP3D_PARSE_OK
/*	req->cmd, req->argc and req->argv[] are set, and argc is within
/*	the command's range.
/* .IP POP3D_PARSE_UNKNOWN
/*	no such command (or an empty line).
/* .IP POP3D_PARSE_SYNTAX
/*	a known command with too few or too many arguments, or any line
/*	with a NUL byte or another control character other than tab
/*	(req->cmd is set when the keyword was found).
/* .PP
/*	Whether the command is valid in the session's state is the
/*	caller's business (req->cmd->states).
/*
/*	pop3d_parse_msgno() converts a message number: 1 to 9 decimal
/*	digits and nothing else. It returns 1 with the number when it is
/*	between 1 and count, 0 when it is a number out of that range, and
/*	-1 when the text is not a number.
/*
/*	pop3d_state_name() is "AUTHORIZATION" or "TRANSACTION", for logs.
/* DIAGNOSTICS
/*	Results only.
/*--*/
#include <string.h>
#include <strings.h>

#include "pop3d.h"

static const struct pop3d_cmd pop3d_cmds[] = {
    {"USER", POP3D_CMD_USER, POP3D_STATE_AUTH, 1, 1},
    {"PASS", POP3D_CMD_PASS, POP3D_STATE_AUTH, 1, 1},
    {"AUTH", POP3D_CMD_AUTH, POP3D_STATE_AUTH, 0, 2},
    {"CAPA", POP3D_CMD_CAPA, POP3D_STATE_AUTH | POP3D_STATE_TRANS, 0, 0},
    {"QUIT", POP3D_CMD_QUIT, POP3D_STATE_AUTH | POP3D_STATE_TRANS, 0, 0},
    {"STAT", POP3D_CMD_STAT, POP3D_STATE_TRANS, 0, 0},
    {"LIST", POP3D_CMD_LIST, POP3D_STATE_TRANS, 0, 1},
    {"RETR", POP3D_CMD_RETR, POP3D_STATE_TRANS, 1, 1},
    {"DELE", POP3D_CMD_DELE, POP3D_STATE_TRANS, 1, 1},
    {"NOOP", POP3D_CMD_NOOP, POP3D_STATE_TRANS, 0, 0},
    {"RSET", POP3D_CMD_RSET, POP3D_STATE_TRANS, 0, 0},
    {"TOP", POP3D_CMD_TOP, POP3D_STATE_TRANS, 2, 2},
    {"UIDL", POP3D_CMD_UIDL, POP3D_STATE_TRANS, 0, 1},
    {0, 0, 0, 0, 0},
};

/* pop3d_parse - split one command line */

int     pop3d_parse(char *line, size_t len, struct pop3d_req *req)
{
    const struct pop3d_cmd *cmd;
    char   *end = line + len;
    char   *cp;
    char   *word;
    size_t  wlen;
    int     bad = 0;

    req->cmd = 0;
    req->argc = 0;
    req->argv[0] = req->argv[1] = 0;
    for (cp = line; cp < end; cp++)
	if ((unsigned char) *cp < 0x20 && *cp != '\t')
	    bad = 1;
    /* The keyword. */
    for (cp = line; cp < end && *cp == ' '; cp++)
	 /* void */ ;
    word = cp;
    while (cp < end && *cp != ' ')
	cp++;
    wlen = cp - word;
    for (cmd = pop3d_cmds; cmd->name; cmd++)
	if (strlen(cmd->name) == wlen && strncasecmp(cmd->name, word, wlen) == 0)
	    break;
    if (cmd->name)
	req->cmd = cmd;
    if (bad)
	return (POP3D_PARSE_SYNTAX);
    if (cmd->name == 0)
	return (POP3D_PARSE_UNKNOWN);
    /* PASS: the rest of the line after one space. */
    if (cmd->id == POP3D_CMD_PASS) {
	if (cp >= end || cp + 1 >= end)
	    return (POP3D_PARSE_SYNTAX);
	*end = 0;
	req->argv[req->argc++] = cp + 1;
	return (POP3D_PARSE_OK);
    }
    /* Other commands: space-separated words. */
    for (;;) {
	while (cp < end && *cp == ' ')
	    *cp++ = 0;
	if (cp >= end)
	    break;
	if (req->argc >= cmd->max_args)
	    return (POP3D_PARSE_SYNTAX);
	req->argv[req->argc++] = cp;
	while (cp < end && *cp != ' ')
	    cp++;
    }
    *end = 0;
    if (req->argc < cmd->min_args)
	return (POP3D_PARSE_SYNTAX);
    return (POP3D_PARSE_OK);
}

/* pop3d_parse_msgno - message number within 1..count */

int     pop3d_parse_msgno(const char *text, long count, long *number)
{
    const char *cp;
    long    n = 0;

    for (cp = text; *cp; cp++) {
	if (*cp < '0' || *cp > '9' || cp - text >= 9)
	    return (-1);
	n = n * 10 + (*cp - '0');
    }
    if (cp == text)
	return (-1);
    if (n < 1 || n > count)
	return (0);
    *number = n;
    return (1);
}

/* pop3d_state_name - for logs */

const char *pop3d_state_name(int state)
{
    return (state == POP3D_STATE_TRANS ? "TRANSACTION" : "AUTHORIZATION");
}
