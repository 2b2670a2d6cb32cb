/*++
/* NAME
/*	addr_list 3
/* SUMMARY
/*	the addresses in an RFC 5322 address header
/* SYNOPSIS
/*	#include <addr_list.h>
/*
/*	int	addr_list_parse(argv, text, len)
/*	struct argv *argv;
/*	const char *text;
/*	size_t	len;
/* DESCRIPTION
/*	addr_list_parse() appends to argv the addr-specs of an address
/*	list, as a To:, Cc: or Bcc: header body holds it (RFC 5322 3.4,
/*	with the obsolete forms real mail still has): "a@b, Name <c@d>,
/*	(comment) e@f, group: g@h, i@j;, "Quoted, Name" <k@l>". Comments
/*	(nested, with quoted pairs) are dropped, quoted strings keep
/*	their content, white space and folding outside quotes are
/*	dropped, the display name before "<" is dropped, a group's name
/*	and its ";" are dropped and its members kept, a route
/*	("<@x,@y:a@b>") is dropped. An empty list or an empty group adds
/*	nothing. At most ADDR_LIST_MAX addresses of at most ADDR_LIST_LEN
/*	bytes each are taken from one header.
/* DIAGNOSTICS
/*	The number of addresses added; -1 when the text could not be
/*	understood (an unbalanced quote, comment or angle bracket), with
/*	whatever was understood before added.
/*--*/
#include <string.h>

#include <argv.h>
#include <vstring.h>

#include <addr_list.h>

/* Tokens of the address list. */
#define TOK_ATOM	1		/* atom, dot-atom, quoted text, literal */
#define TOK_SPECIAL	2		/* one of , : ; < > @ */
#define TOK_END		3
#define TOK_ERROR	4

struct addr_list_scan {
    const char *cp;
    const char *end;
    struct vstring *tok;		/* token text */
    int     special;		/* the special character */
};

/* addr_list_comment - skip a comment; 0 or -1 when unbalanced */

static int addr_list_comment(struct addr_list_scan *s)
{
    int     depth = 0;

    while (s->cp < s->end) {
	if (*s->cp == '\\' && s->cp + 1 < s->end) {
	    s->cp += 2;
	    continue;
	}
	if (*s->cp == '(')
	    depth++;
	else if (*s->cp == ')' && --depth == 0) {
	    s->cp++;
	    return (0);
	}
	s->cp++;
    }
    return (-1);
}

/* addr_list_token - the next token */

static int addr_list_token(struct addr_list_scan *s)
{
    unsigned char ch;
    const char *stop;

    vstring_strcpy(s->tok, "");
    for (;;) {
	while (s->cp < s->end && (*s->cp == ' ' || *s->cp == '\t'
				  || *s->cp == '\r' || *s->cp == '\n'))
	    s->cp++;
	if (s->cp >= s->end)
	    return (TOK_END);
	if (*s->cp != '(')
	    break;
	if (addr_list_comment(s) < 0)
	    return (TOK_ERROR);
    }
    ch = (unsigned char) *s->cp;
    if (ch != 0 && strchr(",:;<>@", ch)) {
	s->special = ch;
	s->cp++;
	return (TOK_SPECIAL);
    }
    if (ch == '"') {
	/* A quoted string; its content, quoted pairs undone, in quotes. */
	vstring_appendc(s->tok, '"');
	for (s->cp++; s->cp < s->end && *s->cp != '"'; s->cp++) {
	    if (*s->cp == '\\' && s->cp + 1 < s->end) {
		s->cp++;
		if (*s->cp == '"' || *s->cp == '\\')
		    vstring_appendc(s->tok, '\\');
	    }
	    if ((unsigned char) *s->cp < 0x20 && *s->cp != '\t') {
		if (*s->cp == '\r' || *s->cp == '\n')
		    continue;			/* folding */
		return (TOK_ERROR);
	    }
	    if (*s->cp == 0x7f)
		return (TOK_ERROR);
	    vstring_appendc(s->tok, *s->cp);
	}
	if (s->cp >= s->end)
	    return (TOK_ERROR);
	s->cp++;
	vstring_appendc(s->tok, '"');
	return (TOK_ATOM);
    }
    if (ch == '[') {
	/* A domain literal, up to its "]". */
	if ((stop = memchr(s->cp, ']', (size_t) (s->end - s->cp))) == 0)
	    return (TOK_ERROR);
	for (; s->cp <= stop; s->cp++) {
	    if ((unsigned char) *s->cp < 0x20 || *s->cp == 0x7f)
		return (TOK_ERROR);
	    vstring_appendc(s->tok, *s->cp);
	}
	return (TOK_ATOM);
    }
    /* An atom (dots included): up to white space or a special. */
    while (s->cp < s->end && (unsigned char) *s->cp > 0x20
	   && *s->cp != 0x7f && !strchr("()\",:;<>@[]", *s->cp)) {
	vstring_appendc(s->tok, *s->cp);
	s->cp++;
    }
    /* A control character, a stray ")" or "]": not an address list. */
    if (vstring_len(s->tok) == 0)
	return (TOK_ERROR);
    return (TOK_ATOM);
}

/* addr_list_add - one address, when it fits */

static void addr_list_add(struct argv *argv, struct vstring *addr, int *count)
{
    if (vstring_len(addr) > 0 && vstring_len(addr) <= ADDR_LIST_LEN
	&& *count < ADDR_LIST_MAX) {
	argv_add(argv, vstring_str(addr), (char *) 0);
	(*count)++;
    }
    vstring_strcpy(addr, "");
}

int     addr_list_parse(struct argv *argv, const char *text, size_t len)
{
    struct addr_list_scan s;
    struct vstring *addr = vstring_alloc(100);
    struct vstring *words = vstring_alloc(100);
    int     count = 0;
    int     angle = 0;
    int     route = 0;
    int     multi = 0;			/* words holds a display name */
    int     tok;
    int     ret = 0;

    s.cp = text;
    s.end = text + len;
    s.tok = vstring_alloc(100);
    s.special = 0;

    /*
     * Outside "<...>" the words so far are either a bare addr-spec or a
     * display name: "," or ";" or the end makes them an address, "<"
     * a display name, ":" a group name.
     */
    while ((tok = addr_list_token(&s)) != TOK_END) {
	if (tok == TOK_ERROR) {
	    ret = -1;
	    break;
	}
	if (angle) {
	    if (tok == TOK_SPECIAL && s.special == '>') {
		addr_list_add(argv, addr, &count);
		angle = route = 0;
	    } else if (tok == TOK_SPECIAL && s.special == ':' && route) {
		vstring_strcpy(addr, "");	/* end of a route */
		route = 0;
	    } else if (tok == TOK_SPECIAL && s.special == '@'
		       && vstring_len(addr) == 0) {
		route = 1;
	    } else if (tok == TOK_SPECIAL && s.special == '<') {
		ret = -1;
		break;
	    } else if (!route) {
		if (tok == TOK_SPECIAL)
		    vstring_appendc(addr, s.special);
		else
		    vstring_append(addr, vstring_str(s.tok),
				   vstring_len(s.tok));
	    }
	    continue;
	}
	if (tok == TOK_SPECIAL) {
	    switch (s.special) {
	    case '<':
		vstring_strcpy(words, "");
		vstring_strcpy(addr, "");
		angle = 1;
		multi = 0;
		break;
	    case ':':
		vstring_strcpy(words, "");	/* a group name */
		multi = 0;
		break;
	    case ',':
	    case ';':
		/* Words with a blank are a name without an address. */
		if (!multi)
		    addr_list_add(argv, words, &count);
		vstring_strcpy(words, "");
		multi = 0;
		break;
	    case '@':
		vstring_appendc(words, '@');
		break;
	    default:				/* a stray ">" */
		ret = -1;
		break;
	    }
	    if (ret < 0)
		break;
	    continue;
	}
	/* Words of a display name are separated; an addr-spec has none. */
	if (vstring_len(words) > 0 && vstring_str(words)[vstring_len(words) - 1]
	    != '@' && vstring_str(s.tok)[0] != '.'
	    && vstring_str(words)[vstring_len(words) - 1] != '.') {
	    vstring_appendc(words, ' ');
	    multi = 1;
	}
	vstring_append(words, vstring_str(s.tok), vstring_len(s.tok));
    }
    if (angle)
	ret = -1;
    else if (ret == 0 && vstring_len(words) > 0 && !multi)
	addr_list_add(argv, words, &count);
    vstring_free(&s.tok);
    vstring_free(&addr);
    vstring_free(&words);
    return (ret < 0 ? -1 : count);
}
