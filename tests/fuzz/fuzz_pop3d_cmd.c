/*++
/* NAME
/*	fuzz_pop3d_cmd 1
/* SUMMARY
/*	libFuzzer target: POP3 command lines
/* SYNOPSIS
/*	./fuzz_pop3d_cmd [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	The input is taken as what a client sends: it is split into lines
/*	at LF, a CR before the LF is removed (as pop3d_chop() does), and
/*	each line goes through pop3d_parse() in a buffer of exactly its
/*	length plus the one byte the parser may write. Each argument is
/*	then given to pop3d_parse_msgno() with a few message counts.
/*	Invariants checked: a parsed command has a name and an argument
/*	count within its range, each argument lies inside the line and is
/*	NUL-terminated there, PASS's argument is everything after "PASS ",
/*	and a message number that is accepted is within 1..count.
/*	Seeds: corpus/fuzz_pop3d_cmd/; dictionary: fuzz_pop3d_cmd.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pop3d.h"

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void fuzz_line(const uint8_t *data, size_t len)
{
    static const long counts[] = {0, 1, 7, 999999999L};
    struct pop3d_req req;
    char   *line;
    size_t  i;
    size_t  c;
    long    n;
    int     status;

    if (len > 0 && data[len - 1] == '\r')
	len--;
    line = malloc(len + 1);
    if (line == 0)
	abort();
    memcpy(line, data, len);
    status = pop3d_parse(line, len, &req);
    if (status == POP3D_PARSE_OK) {
	if (req.cmd == 0 || req.cmd->name == 0
	    || req.argc < req.cmd->min_args || req.argc > req.cmd->max_args)
	    abort();
	for (i = 0; i < (size_t) req.argc; i++) {
	    if (req.argv[i] < line || req.argv[i] > line + len
		|| memchr(req.argv[i], 0, line + len + 1 - req.argv[i]) == 0)
		abort();
	    for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++)
		if (pop3d_parse_msgno(req.argv[i], counts[c], &n) > 0
		    && (n < 1 || n > counts[c]))
		    abort();
	}
	if (req.cmd->id == POP3D_CMD_PASS
	    && strlen(req.argv[0]) != len - (req.argv[0] - line))
	    abort();
    } else if (status != POP3D_PARSE_UNKNOWN && status != POP3D_PARSE_SYNTAX) {
	abort();
    }
    free(line);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *end = data + size;
    const uint8_t *nl;

    while (data < end) {
	nl = memchr(data, '\n', end - data);
	fuzz_line(data, (nl ? nl : end) - data);
	data = nl ? nl + 1 : end;
    }
    return (0);
}
