/*++
/* NAME
/*	alias_parse 3
/* SUMMARY
/*	aliases(5) files, .forward and :include: lists
/* SYNOPSIS
/*	#include <alias_parse.h>
/*
/*	int	alias_parse_file(path, fn, ctx, why)
/*	const char *path;
/*	alias_parse_fn fn;
/*	void	*ctx;
/*	struct vstring *why;
/*
/*	int	alias_parse_buf(data, len, file, fn, ctx)
/*	const char *data;
/*	size_t	len;
/*	const char *file;
/*	alias_parse_fn fn;
/*	void	*ctx;
/*
/*	int	alias_lines_buf(data, len, file, fn, ctx)
/*	const char *data;
/*	size_t	len;
/*	const char *file;
/*	alias_line_fn fn;
/*	void	*ctx;
/*
/*	struct argv *alias_split(value)
/*	const char *value;
/*
/*	int	alias_item_type(item, restp)
/*	const char *item;
/*	const char **restp;
/* DESCRIPTION
/*	See alias_parse.h for the interface. Details of this
/*	implementation:
/*
/*	Lines end at LF; trailing white space (a CR of a CRLF file
/*	included) is removed from each physical line before anything
/*	else. White space is space, tab, CR, vertical tab and form feed.
/*	A line with a NUL byte spoils its logical line (one warning). A
/*	continuation line with no entry before it starts a spoiled
/*	logical line, so its own continuation lines are skipped with it
/*	(one warning). The number returned counts spoiled logical lines.
/*
/*	A quoted name ends at the first double quote that is not escaped
/*	by a backslash; only white space may come between it and the
/*	colon. An unquoted name is everything before the first colon.
/*
/*	alias_split() never returns an empty item: ",,", "" and "<>" are
/*	dropped.
/* DIAGNOSTICS
/*	msg_warn() for malformed lines, naming file and line.
/*--*/
#include <string.h>
#include <strings.h>

#include <argv.h>
#include <msg.h>
#include <readfile.h>
#include <stringops.h>
#include <vstring.h>

#include <alias_parse.h>

#define ALIAS_BLANK(c)	((c) == ' ' || (c) == '\t' || (c) == '\r' \
			 || (c) == '\v' || (c) == '\f')

 /*
  * alias_parse_buf() passes this through alias_lines_buf().
  */
struct alias_entry_ctx {
    alias_parse_fn fn;
    void   *ctx;
    int     bad;
    struct vstring *name;
};

/* alias_lines_flush - hand over a finished logical line */

static void alias_lines_flush(struct vstring *text, int have, int spoiled,
			              const char *file, int line,
			              alias_line_fn fn, void *ctx)
{
    if (have && !spoiled)
	fn(ctx, vstring_str(text), file, line);
}

int     alias_lines_buf(const char *data, size_t len, const char *file,
			        alias_line_fn fn, void *ctx)
{
    struct vstring *text = vstring_alloc(256);
    const char *line;
    const char *nl;
    size_t  pos = 0;
    size_t  n;
    size_t  i;
    int     lineno = 0;
    int     start = 0;
    int     have = 0;
    int     spoiled = 0;
    int     bad = 0;

    while (pos < len) {
	line = data + pos;
	if ((nl = memchr(line, '\n', len - pos)) != 0) {
	    n = (size_t) (nl - line);
	    pos += n + 1;
	} else {
	    n = len - pos;
	    pos = len;
	}
	lineno++;
	while (n > 0 && ALIAS_BLANK(line[n - 1]))
	    n--;
	for (i = 0; i < n && ALIAS_BLANK(line[i]); i++)
	     /* void */ ;
	if (i == n || line[i] == '#')
	    continue;				/* blank or comment */
	if (i == 0) {				/* a new logical line */
	    alias_lines_flush(text, have, spoiled, file, start, fn, ctx);
	    vstring_reset(text);
	    have = 1;
	    spoiled = 0;
	    start = lineno;
	} else if (!have) {			/* an orphan continuation */
	    msg_warn("%s, line %d: continuation line without an entry "
		     "before it: skipped", file, lineno);
	    bad++;
	    vstring_reset(text);
	    have = 1;
	    spoiled = 1;
	    start = lineno;
	    continue;
	}
	if (spoiled)
	    continue;
	if (memchr(line, 0, n) != 0) {
	    msg_warn("%s, line %d: NUL byte in line: entry skipped",
		     file, lineno);
	    bad++;
	    spoiled = 1;
	    continue;
	}
	if (vstring_len(text) + 1 + (n - i) > ALIAS_PARSE_LINE_MAX) {
	    msg_warn("%s, line %d: logical line longer than %d bytes: "
		     "entry skipped", file, start, ALIAS_PARSE_LINE_MAX);
	    bad++;
	    spoiled = 1;
	    continue;
	}
	if (vstring_len(text) > 0)
	    vstring_appendc(text, ' ');
	vstring_append(text, line + i, n - i);
    }
    alias_lines_flush(text, have, spoiled, file, start, fn, ctx);
    vstring_free(&text);
    return (bad);
}

/* alias_unquote - append the inside of a quoted string; return past it */

static const char *alias_unquote(struct vstring *out, const char *cp,
				         const char *end)
{
    /* cp points just after the opening quote. */
    while (cp < end && *cp != '"') {
	if (*cp == '\\' && cp + 1 < end)
	    cp++;
	vstring_appendc(out, *cp++);
    }
    return (cp < end ? cp + 1 : 0);		/* null: unterminated */
}

/* alias_entry - one logical line "name: value" */

static void alias_entry(void *ptr, const char *text, const char *file,
			        int line)
{
    struct alias_entry_ctx *ec = ptr;
    const char *end = text + strlen(text);
    const char *cp;
    const char *colon;
    size_t  i;

    vstring_reset(ec->name);
    if (*text == '"') {
	if ((cp = alias_unquote(ec->name, text + 1, end)) == 0) {
	    msg_warn("%s, line %d: unterminated quoted name: entry skipped",
		     file, line);
	    ec->bad++;
	    return;
	}
	while (ALIAS_BLANK(*cp))
	    cp++;
	if (*cp != ':') {
	    msg_warn("%s, line %d: no colon after the quoted name: "
		     "entry skipped", file, line);
	    ec->bad++;
	    return;
	}
	colon = cp;
    } else {
	if ((colon = strchr(text, ':')) == 0) {
	    msg_warn("%s, line %d: no colon (expected \"name: value\"): "
		     "entry skipped", file, line);
	    ec->bad++;
	    return;
	}
	for (cp = colon; cp > text && ALIAS_BLANK(cp[-1]); cp--)
	     /* void */ ;
	vstring_memcpy(ec->name, text, (size_t) (cp - text));
	for (i = 0; i < vstring_len(ec->name); i++) {
	    if (ALIAS_BLANK(vstring_str(ec->name)[i])) {
		msg_warn("%s, line %d: white space in an unquoted name "
			 "(quote it): entry skipped", file, line);
		ec->bad++;
		return;
	    }
	}
    }
    if (vstring_len(ec->name) == 0) {
	msg_warn("%s, line %d: empty name: entry skipped", file, line);
	ec->bad++;
	return;
    }
    for (cp = colon + 1; ALIAS_BLANK(*cp); cp++)
	 /* void */ ;
    if (*cp == 0) {
	msg_warn("%s, line %d: empty value: entry skipped", file, line);
	ec->bad++;
	return;
    }
    lowercase(vstring_str(ec->name));
    ec->fn(ec->ctx, vstring_str(ec->name), cp, file, line);
}

int     alias_parse_buf(const char *data, size_t len, const char *file,
			        alias_parse_fn fn, void *ctx)
{
    struct alias_entry_ctx ec;
    int     bad;

    ec.fn = fn;
    ec.ctx = ctx;
    ec.bad = 0;
    ec.name = vstring_alloc(64);
    bad = alias_lines_buf(data, len, file, alias_entry, (void *) &ec);
    vstring_free(&ec.name);
    return (bad + ec.bad);
}

int     alias_parse_file(const char *path, alias_parse_fn fn, void *ctx,
			         struct vstring *why)
{
    struct vstring *buf = vstring_alloc(8192);
    int     ret;

    if (readfile_limited(path, ALIAS_PARSE_FILE_MAX, buf, why) < 0)
	ret = -1;
    else
	ret = alias_parse_buf(vstring_str(buf), vstring_len(buf), path,
			      fn, ctx);
    vstring_free(&buf);
    return (ret);
}

/* alias_special - an item that runs to the next comma */

static int alias_special(const char *cp, size_t len)
{
    return (len > 0 && (*cp == '|' || *cp == '/'
			|| (len >= 9 && strncasecmp(cp, ":include:", 9) == 0)));
}

/* alias_quoted_end - end of a quoted string that starts at cp, or null */

static const char *alias_quoted_end(const char *cp, const char *end)
{
    for (cp++; cp < end && *cp != '"'; cp++)
	if (*cp == '\\' && cp + 1 < end)
	    cp++;
    return (cp < end ? cp + 1 : 0);
}

/* alias_add_word - add one item, unquoted when it is all one quoted string */

static void alias_add_word(struct argv *items, struct vstring *buf,
			           const char *cp, const char *end)
{
    if (cp < end && *cp == '"' && alias_quoted_end(cp, end) == end) {
	vstring_reset(buf);
	(void) alias_unquote(buf, cp + 1, end);
	if (vstring_len(buf) > 0)
	    argv_addn(items, vstring_str(buf), vstring_len(buf));
    } else if (cp < end) {
	argv_addn(items, cp, (size_t) (end - cp));
    }
}

/* alias_segment - the items of one comma-separated segment */

static void alias_segment(struct argv *items, struct vstring *buf,
			          const char *cp, const char *end)
{
    const char *lt;
    const char *word;
    const char *q;

    /* A whole quoted segment: "|command, args", "/file name", "joe". */
    if (*cp == '"' && alias_quoted_end(cp, end) == end) {
	alias_add_word(items, buf, cp, end);
	return;
    }
    /* |command, /file, :include:/file: everything up to the comma. */
    if (alias_special(cp, (size_t) (end - cp))) {
	argv_addn(items, cp, (size_t) (end - cp));
	return;
    }
    /* Phrase <address>. */
    if (end[-1] == '>' && (lt = memrchr(cp, '<', (size_t) (end - cp))) != 0) {
	for (lt++; lt < end - 1 && ALIAS_BLANK(*lt); lt++)
	     /* void */ ;
	for (q = end - 1; q > lt && ALIAS_BLANK(q[-1]); q--)
	     /* void */ ;
	if (q > lt)
	    argv_addn(items, lt, (size_t) (q - lt));
	return;
    }
    /* Addresses separated by white space; quoted parts stay whole. */
    while (cp < end) {
	while (cp < end && ALIAS_BLANK(*cp))
	    cp++;
	if (cp >= end)
	    break;
	for (word = cp; cp < end && !ALIAS_BLANK(*cp); ) {
	    if (*cp == '"') {
		if ((q = alias_quoted_end(cp, end)) == 0)
		    cp = end;
		else
		    cp = q;
	    } else {
		cp++;
	    }
	}
	alias_add_word(items, buf, word, cp);
    }
}

struct argv *alias_split(const char *value)
{
    struct argv *items = argv_alloc(4);
    struct vstring *buf = vstring_alloc(64);
    const char *cp = value;
    const char *start;
    const char *end;
    int     in_quote;

    for (;;) {
	while (*cp == ',' || ALIAS_BLANK(*cp) || *cp == '\n')
	    cp++;
	if (*cp == 0)
	    break;
	for (start = cp, in_quote = 0; *cp; cp++) {
	    if (in_quote) {
		if (*cp == '\\' && cp[1] != 0)
		    cp++;
		else if (*cp == '"')
		    in_quote = 0;
	    } else if (*cp == '"') {
		in_quote = 1;
	    } else if (*cp == ',') {
		break;
	    }
	}
	for (end = cp; end > start && (ALIAS_BLANK(end[-1]) || end[-1] == '\n');
	     end--)
	     /* void */ ;
	if (end > start)
	    alias_segment(items, buf, start, end);
    }
    vstring_free(&buf);
    return (items);
}

int     alias_item_type(const char *item, const char **restp)
{
    const char *rest = item;
    int     type;

    if (*item == '|') {
	type = ALIAS_ITEM_COMMAND;
	rest = item + 1;
    } else if (*item == '/') {
	type = ALIAS_ITEM_FILE;
    } else if (strncasecmp(item, ":include:", 9) == 0) {
	type = ALIAS_ITEM_INCLUDE;
	for (rest = item + 9; ALIAS_BLANK(*rest); rest++)
	     /* void */ ;
    } else {
	type = ALIAS_ITEM_ADDRESS;
    }
    if (restp)
	*restp = rest;
    return (type);
}
