/*++
/* NAME
/*	dsasl_frame 3
/* SUMMARY
/*	SASL exchange framing: base64 client answers and challenges
/* SYNOPSIS
/*	#include <dsasl.h>
/*
/*	int	dsasl_frame_decode(line, len, out)
/*	const char *line;
/*	size_t	len;
/*	struct vstring *out;
/*
/*	void	dsasl_frame_encode(data, len, out)
/*	const char *data;
/*	size_t	len;
/*	struct vstring *out;
/* DESCRIPTION
/*	dsasl_frame_decode() parses the len bytes at line, one client
/*	answer of a SASL exchange without its CR LF, and replaces the
/*	contents of out:
/* .IP \(bu
/*	"*" is DSASL_FRAME_CANCEL (the client gives up; RFC 4954, 5034);
/* .IP \(bu
/*	"=" is an empty answer (the RFC 4954 and 5034 form of an empty
/*	initial response), DSASL_FRAME_OK with out empty;
/* .IP \(bu
/*	an empty line is an empty answer to a challenge, DSASL_FRAME_OK
/*	with out empty;
/* .IP \(bu
/*	anything else must be strict RFC 4648 base64: a length that is a
/*	multiple of four, only the 64 alphabet characters, "=" padding
/*	only at the end and only as much as needed, and zero bits under
/*	the padding. It is decoded into out (which may then hold NUL
/*	bytes): DSASL_FRAME_OK. Everything else (white space, "-" or "_",
/*	a missing or extra "=", a NUL byte in line) is DSASL_FRAME_BAD,
/*	with out empty.
/* .PP
/*	dsasl_frame_encode() replaces the contents of out with the base64
/*	(padded) form of the len bytes at data; empty data gives an
/*	empty string (the caller sends "+ " or "334 " alone).
/*
/*	This module does not use libsasl2, so that it links into the fuzz
/*	target and into programs that only frame.
/* DIAGNOSTICS
/*	Results only; nothing is logged and nothing is fatal.
/*--*/
#include <stddef.h>

#include <vstring.h>

#include <dsasl.h>

static const char dsasl_frame_alphabet[] =
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#define DSASL_FRAME_NOT_B64	0xff

/* dsasl_frame_value - the 6-bit value of a base64 character, or NOT_B64 */

static unsigned dsasl_frame_value(unsigned char ch)
{
    if (ch >= 'A' && ch <= 'Z')
	return (ch - 'A');
    if (ch >= 'a' && ch <= 'z')
	return (ch - 'a' + 26);
    if (ch >= '0' && ch <= '9')
	return (ch - '0' + 52);
    if (ch == '+')
	return (62);
    if (ch == '/')
	return (63);
    return (DSASL_FRAME_NOT_B64);
}

/* dsasl_frame_decode - one client answer */

int     dsasl_frame_decode(const char *line, size_t len, struct vstring *out)
{
    const unsigned char *cp = (const unsigned char *) line;
    size_t  pad = 0;
    size_t  i;
    size_t  j;
    unsigned quad[4];

    vstring_reset(out);
    if (len == 1 && line[0] == '*')
	return (DSASL_FRAME_CANCEL);
    if (len == 0 || (len == 1 && line[0] == '='))
	return (DSASL_FRAME_OK);
    if (len % 4 != 0)
	return (DSASL_FRAME_BAD);

    /*
     * Up to two "=" at the very end; none anywhere else (checked below,
     * since "=" is not in the alphabet).
     */
    if (cp[len - 1] == '=')
	pad = (cp[len - 2] == '=') ? 2 : 1;

    for (i = 0; i < len; i += 4) {
	size_t  ndata = (i + 4 == len) ? 4 - pad : 4;

	for (j = 0; j < 4; j++) {
	    if (j < ndata) {
		if ((quad[j] = dsasl_frame_value(cp[i + j])) == DSASL_FRAME_NOT_B64) {
		    vstring_reset(out);
		    return (DSASL_FRAME_BAD);
		}
	    } else {
		quad[j] = 0;
	    }
	}
	vstring_appendc(out, (int) ((quad[0] << 2) | (quad[1] >> 4)));
	if (ndata >= 3)
	    vstring_appendc(out, (int) (((quad[1] & 0x0f) << 4) | (quad[2] >> 2)));
	if (ndata == 4)
	    vstring_appendc(out, (int) (((quad[2] & 0x03) << 6) | quad[3]));

	/*
	 * Non-canonical encodings: bits under the padding must be zero.
	 */
	if ((ndata == 2 && (quad[1] & 0x0f) != 0)
	    || (ndata == 3 && (quad[2] & 0x03) != 0)) {
	    vstring_reset(out);
	    return (DSASL_FRAME_BAD);
	}
    }
    return (DSASL_FRAME_OK);
}

/* dsasl_frame_encode - one challenge */

void    dsasl_frame_encode(const char *data, size_t len, struct vstring *out)
{
    const unsigned char *cp = (const unsigned char *) data;
    unsigned long word;
    size_t  left;
    size_t  i;

    vstring_reset(out);
    for (i = 0; i < len; i += 3) {
	left = len - i;
	word = (unsigned long) cp[i] << 16;
	if (left > 1)
	    word |= (unsigned long) cp[i + 1] << 8;
	if (left > 2)
	    word |= cp[i + 2];
	vstring_appendc(out, dsasl_frame_alphabet[(word >> 18) & 0x3f]);
	vstring_appendc(out, dsasl_frame_alphabet[(word >> 12) & 0x3f]);
	vstring_appendc(out, left > 1 ? dsasl_frame_alphabet[(word >> 6) & 0x3f] : '=');
	vstring_appendc(out, left > 2 ? dsasl_frame_alphabet[word & 0x3f] : '=');
    }
}
