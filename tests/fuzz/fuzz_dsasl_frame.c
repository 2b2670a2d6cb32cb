/*++
/* NAME
/*	fuzz_dsasl_frame 1
/* SUMMARY
/*	libFuzzer target: the SASL exchange framing of dsasl_frame(3)
/* SYNOPSIS
/*	./fuzz_dsasl_frame [libFuzzer options] [corpus ...]
/* DESCRIPTION
/*	Each input is one client answer line of a SASL exchange, as
/*	pop3d or smtpd would pass it to dsasl_frame_decode() (without
/*	its CR LF; the input may hold any byte). Invariants:
/* .IP \(bu
/*	the result is DSASL_FRAME_OK, DSASL_FRAME_CANCEL (only for "*")
/*	or DSASL_FRAME_BAD, and out is empty unless DSASL_FRAME_OK;
/* .IP \(bu
/*	DSASL_FRAME_OK for "" and "=" gives no data; otherwise the
/*	decoded length is three quarters of the input length, less the
/*	padding;
/* .IP \(bu
/*	decoded data encodes back to exactly the input (the decoder
/*	takes canonical base64 only), and that decodes again to the
/*	same data.
/* .PP
/*	Crashes, sanitizer reports, leaks and broken invariants are
/*	findings. Seeds: corpus/fuzz_dsasl_frame/; dictionary:
/*	fuzz_dsasl_frame.dict.
/* DIAGNOSTICS
/*	libFuzzer's; a broken invariant aborts.
/*--*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <msg.h>
#include <vstring.h>

#include <dsasl.h>

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* check - abort when a promise is broken */

static void check(int ok, const char *what)
{
    if (!ok)
	msg_panic("fuzz_dsasl_frame: %s", what);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct vstring *out;
    static struct vstring *line;
    static struct vstring *again;
    const char *in = (const char *) data;
    int     status;
    size_t  pad;

    if (out == 0) {
	msg_init("fuzz_dsasl_frame");
	msg_stderr_init(0, 0);
	out = vstring_alloc(100);
	line = vstring_alloc(100);
	again = vstring_alloc(100);
    }
    status = dsasl_frame_decode(in, size, out);
    check(vstring_str(out)[vstring_len(out)] == 0, "spare NUL");
    switch (status) {
    case DSASL_FRAME_CANCEL:
	check(size == 1 && in[0] == '*', "cancel only for \"*\"");
	check(vstring_len(out) == 0, "data with cancel");
	return (0);
    case DSASL_FRAME_BAD:
	check(vstring_len(out) == 0, "data with BAD");
	return (0);
    case DSASL_FRAME_OK:
	break;
    default:
	check(0, "status");
    }
    if (size == 0 || (size == 1 && in[0] == '=')) {
	check(vstring_len(out) == 0, "data from an empty answer");
	return (0);
    }
    check(size % 4 == 0, "length not a multiple of 4");
    pad = (in[size - 1] == '=') + (in[size - 2] == '=');
    check(vstring_len(out) == size / 4 * 3 - pad, "decoded length");
    dsasl_frame_encode(vstring_str(out), vstring_len(out), line);
    check(vstring_len(line) == size && memcmp(vstring_str(line), in, size) == 0,
	  "encode(decode(x)) != x");
    check(dsasl_frame_decode(vstring_str(line), vstring_len(line), again)
	  == DSASL_FRAME_OK, "re-encoded line does not decode");
    check(vstring_len(again) == vstring_len(out)
	  && memcmp(vstring_str(again), vstring_str(out), vstring_len(out)) == 0,
	  "decode(encode(data)) != data");
    return (0);
}
