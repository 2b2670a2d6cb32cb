/*++
/* NAME
/*	dict_regexp 3
/* SUMMARY
/*	regexp: tables (POSIX regular expressions, first match)
/* SYNOPSIS
/*	#include <dict_private.h>
/*
/*	struct dict *dict_regexp_parse(type, name, src, flags, why)
/*	const char *type;
/*	const char *name;
/*	struct dict_source *src;
/*	int	flags;
/*	struct vstring *why;
/* DESCRIPTION
/*	Each logical line of src (dict_source syntax) is one of:
/* .IP "/pattern/flags result"
/*	When pattern matches the key, the result (with substitutions) is
/*	found.
/* .IP "!/pattern/flags result"
/*	When pattern does not match the key, the result is found; it may
/*	not refer to groups.
/* .IP "if /pattern/flags, if !/pattern/flags ... endif"
/*	The lines up to the matching endif are used only when the key
/*	matches (does not match) pattern. if..endif nests; "if" and
/*	"endif" may be written in any case.
/* .PP
/*	The delimiter is the first character of the pattern: "/" or any
/*	other character that is not a letter, a digit, white space or a
/*	backslash. A backslash before the delimiter keeps it in the
/*	pattern (the backslash stays too). The pattern may contain blanks.
/*	Flags toggle regcomp(3) options: "i" case-insensitive matching
/*	(REG_ICASE, on by default), "x" extended syntax (REG_EXTENDED, on
/*	by default) and "m" multi-line mode (REG_NEWLINE, off by default).
/*
/*	The rules are tried in file order against the whole key, and the
/*	first match wins. In the result, $1 ... $9 (also ${1} or $(1))
/*	stand for the text that a parenthesized group matched (empty when
/*	it took no part in the match); $$ is a "$". Any other "$" is
/*	itself. Keys are never folded (the "i" flag does that job).
/*
/*	A bad pattern, an unknown flag, a missing result, a $n beyond the
/*	groups of the pattern (or any $n with "!"), "endif" without "if"
/*	or "if" without "endif" make the open fail with a reason that
/*	names the file and line.
/* DIAGNOSTICS
/*	Open errors in why; a regexec(3) failure in dict_error().
/*--*/
#include <sys/types.h>
#include <ctype.h>
#include <regex.h>
#include <string.h>
#include <strings.h>

#include <mymalloc.h>
#include <vstring.h>

#include <dict_private.h>
#include <dict_source.h>

#define DICT_REGEXP_MATCH	1	/* pattern result */
#define DICT_REGEXP_IF		2	/* if pattern */
#define DICT_REGEXP_ENDIF	3	/* endif */

#define DICT_REGEXP_NMATCH	10	/* $0 .. $9 */

struct dict_regexp_rule {
    int     op;				/* DICT_REGEXP_* */
    int     negate;			/* "!" */
    int     compiled;			/* re is valid */
    regex_t re;
    size_t  nmatch;			/* pmatch entries needed */
    char   *result;			/* DICT_REGEXP_MATCH */
    size_t  endif;			/* DICT_REGEXP_IF: its endif */
    long    lineno;			/* where it was written */
};

struct dict_regexp {
    struct dict dict;
    struct dict_regexp_rule *rules;
    size_t  count;
    size_t  space;
    struct vstring *expansion;
};

/* dict_regexp_ref - parse "$n" at cp; the group number, -1 literal, -2 bad */

static int dict_regexp_ref(const char *cp, size_t *used)
{
    char    close;

    if (cp[1] == '$') {
	*used = 2;
	return (-3);				/* "$$" */
    }
    if (isdigit((unsigned char) cp[1])) {
	*used = 2;
	return (cp[1] - '0');
    }
    if (cp[1] == '{' || cp[1] == '(') {
	close = cp[1] == '{' ? '}' : ')';
	if (isdigit((unsigned char) cp[2]) && cp[3] == close) {
	    *used = 4;
	    return (cp[2] - '0');
	}
	return (-2);
    }
    *used = 1;
    return (-1);
}

/* dict_regexp_expand - the result with groups substituted */

static const char *dict_regexp_expand(struct dict_regexp *dr, const char *result,
				              const char *key, regmatch_t *pm)
{
    const char *cp;
    size_t  used;
    int     n;

    vstring_reset(dr->expansion);
    for (cp = result; *cp; cp += used) {
	if (*cp != '$') {
	    used = 1;
	    vstring_appendc(dr->expansion, *cp);
	    continue;
	}
	n = dict_regexp_ref(cp, &used);
	if (n == -3 || n == -1 || n == -2) {
	    if (n == -2)
		used = 1;			/* checked at open */
	    vstring_appendc(dr->expansion, '$');
	} else if (pm && pm[n].rm_so >= 0 && pm[n].rm_eo >= pm[n].rm_so) {
	    vstring_append(dr->expansion, key + pm[n].rm_so,
			   (size_t) (pm[n].rm_eo - pm[n].rm_so));
	}
    }
    return (vstring_str(dr->expansion));
}

/* dict_regexp_exec - 1 match, 0 no match, -1 error */

static int dict_regexp_exec(struct dict_regexp *dr,
			            struct dict_regexp_rule *rule,
			            const char *key, regmatch_t *pm)
{
    char    buf[256];
    int     ret;

    ret = regexec(&rule->re, key, pm ? rule->nmatch : 0, pm, 0);
    if (ret == 0)
	return (1);
    if (ret == REG_NOMATCH)
	return (0);
    (void) regerror(ret, &rule->re, buf, sizeof(buf));
    dict_set_error(&dr->dict, "%s: regexec: %s", dr->dict.spec, buf);
    return (-1);
}

/* dict_regexp_lookup - first rule that matches */

static int dict_regexp_lookup(struct dict *dict, const char *key,
			              const char **value)
{
    struct dict_regexp *dr = (struct dict_regexp *) dict;
    struct dict_regexp_rule *rule;
    regmatch_t pm[DICT_REGEXP_NMATCH];
    size_t  i = 0;
    int     m;

    while (i < dr->count) {
	rule = dr->rules + i;
	switch (rule->op) {
	case DICT_REGEXP_ENDIF:
	    i++;
	    break;
	case DICT_REGEXP_IF:
	    if ((m = dict_regexp_exec(dr, rule, key, (regmatch_t *) 0)) < 0)
		return (DICT_STAT_ERROR);
	    i = (m != rule->negate) ? i + 1 : rule->endif + 1;
	    break;
	default:
	    if ((m = dict_regexp_exec(dr, rule, key,
				      rule->negate ? (regmatch_t *) 0 : pm)) < 0)
		return (DICT_STAT_ERROR);
	    if (m != rule->negate) {
		*value = dict_regexp_expand(dr, rule->result, key,
					    rule->negate ? 0 : pm);
		return (DICT_STAT_FOUND);
	    }
	    i++;
	    break;
	}
    }
    return (DICT_STAT_NOTFOUND);
}

/* dict_regexp_close - free */

static void dict_regexp_close(struct dict *dict)
{
    struct dict_regexp *dr = (struct dict_regexp *) dict;
    size_t  i;

    for (i = 0; i < dr->count; i++) {
	if (dr->rules[i].compiled)
	    regfree(&dr->rules[i].re);
	myfree(dr->rules[i].result);
    }
    myfree(dr->rules);
    vstring_free(&dr->expansion);
    dict_free(dict);
}

/* dict_regexp_pattern - "[!]/pattern/flags" at *cpp into rule */

static int dict_regexp_pattern(char **cpp, struct dict_regexp_rule *rule,
			               struct vstring *why)
{
    char   *cp = *cpp;
    char   *pattern;
    char    delim;
    int     cflags = REG_EXTENDED | REG_ICASE;
    int     ret;
    char    buf[256];

    if (*cp == '!') {
	rule->negate = 1;
	cp++;
	while (isspace((unsigned char) *cp))
	    cp++;
    }
    delim = *cp;
    if (delim == 0 || isalnum((unsigned char) delim)
	|| isspace((unsigned char) delim) || delim == '\\') {
	vstring_strcpy(why, "expected /pattern/ (any delimiter that is not"
		       " a letter, digit, blank or backslash)");
	return (-1);
    }
    pattern = ++cp;
    while (*cp && *cp != delim) {
	if (*cp == '\\' && cp[1])
	    cp++;
	cp++;
    }
    if (*cp == 0) {
	vstring_sprintf(why, "missing closing \"%c\" after the pattern", delim);
	return (-1);
    }
    *cp++ = 0;
    for (; *cp && !isspace((unsigned char) *cp); cp++) {
	switch (*cp) {
	case 'i':
	    cflags ^= REG_ICASE;
	    break;
	case 'x':
	    cflags ^= REG_EXTENDED;
	    break;
	case 'm':
	    cflags ^= REG_NEWLINE;
	    break;
	default:
	    vstring_sprintf(why, "unknown flag \"%c\" (known: i, m, x)", *cp);
	    return (-1);
	}
    }
    if ((ret = regcomp(&rule->re, pattern, cflags)) != 0) {
	(void) regerror(ret, &rule->re, buf, sizeof(buf));
	vstring_sprintf(why, "bad regular expression \"%s\": %s", pattern, buf);
	return (-1);
    }
    rule->compiled = 1;
    while (isspace((unsigned char) *cp))
	cp++;
    *cpp = cp;
    return (0);
}

/* dict_regexp_check_result - $n references are valid for the pattern */

static int dict_regexp_check_result(struct dict_regexp_rule *rule,
				            struct vstring *why)
{
    const char *cp;
    size_t  used;
    int     n;
    int     max = 0;

    for (cp = rule->result; *cp; cp += used) {
	if (*cp != '$') {
	    used = 1;
	    continue;
	}
	if ((n = dict_regexp_ref(cp, &used)) == -2) {
	    vstring_sprintf(why, "bad substitution \"%.4s\" in the result"
			    " (write $$ for a \"$\")", cp);
	    return (-1);
	}
	if (n < 0)
	    continue;
	if (rule->negate) {
	    vstring_sprintf(why, "$%d in the result of a negated pattern"
			    " (it has no groups to substitute)", n);
	    return (-1);
	}
	if (n == 0) {
	    vstring_strcpy(why, "$0 in the result (groups are numbered from 1)");
	    return (-1);
	}
	if ((size_t) n > rule->re.re_nsub) {
	    vstring_sprintf(why, "$%d in the result, but the pattern has %lu"
			    " group(s)", n, (unsigned long) rule->re.re_nsub);
	    return (-1);
	}
	if (n > max)
	    max = n;
    }
    rule->nmatch = (size_t) max + 1;
    return (0);
}

/* dict_regexp_keyword - line starts with keyword (any case) */

static int dict_regexp_keyword(const char *line, const char *keyword)
{
    size_t  len = strlen(keyword);

    return (strncasecmp(line, keyword, len) == 0
	    && (line[len] == 0 || !isalnum((unsigned char) line[len])));
}

/* dict_regexp_add - append a rule */

static struct dict_regexp_rule *dict_regexp_add(struct dict_regexp *dr,
						        long lineno)
{
    struct dict_regexp_rule *rule;

    if (dr->count == dr->space) {
	dr->space = dr->space ? dr->space * 2 : 16;
	dr->rules = myreallocarray(dr->rules, dr->space, sizeof(*dr->rules));
    }
    rule = dr->rules + dr->count++;
    memset(rule, 0, sizeof(*rule));
    rule->lineno = lineno;
    return (rule);
}

/* dict_regexp_line - parse one logical line; 0 or -1 with a reason */

static int dict_regexp_line(struct dict_regexp *dr, char *line, long lineno,
			            size_t **open_ifs, size_t *depth,
			            size_t *space, struct vstring *why)
{
    struct dict_regexp_rule *rule;
    char   *cp = line;

    if (dict_regexp_keyword(cp, "endif")) {
	for (cp += 5; isspace((unsigned char) *cp); cp++)
	     /* void */ ;
	if (*cp) {
	    vstring_sprintf(why, "unexpected text after endif: \"%s\"", cp);
	    return (-1);
	}
	if (*depth == 0) {
	    vstring_strcpy(why, "endif without if");
	    return (-1);
	}
	rule = dict_regexp_add(dr, lineno);
	rule->op = DICT_REGEXP_ENDIF;
	dr->rules[(*open_ifs)[--*depth]].endif = dr->count - 1;
	return (0);
    }
    rule = dict_regexp_add(dr, lineno);
    if (dict_regexp_keyword(cp, "if")) {
	rule->op = DICT_REGEXP_IF;
	for (cp += 2; isspace((unsigned char) *cp); cp++)
	     /* void */ ;
	if (dict_regexp_pattern(&cp, rule, why) < 0)
	    return (-1);
	if (*cp) {
	    vstring_sprintf(why, "unexpected text after the if pattern: \"%s\"",
			    cp);
	    return (-1);
	}
	if (*depth == *space) {
	    *space = *space ? *space * 2 : 8;
	    *open_ifs = myreallocarray(*open_ifs, *space, sizeof(**open_ifs));
	}
	(*open_ifs)[(*depth)++] = dr->count - 1;
	return (0);
    }
    rule->op = DICT_REGEXP_MATCH;
    if (dict_regexp_pattern(&cp, rule, why) < 0)
	return (-1);
    if (*cp == 0) {
	vstring_strcpy(why, "missing result after the pattern");
	return (-1);
    }
    rule->result = mystrdup(cp);
    return (dict_regexp_check_result(rule, why));
}

struct dict *dict_regexp_parse(const char *type, const char *name,
			               struct dict_source *src, int flags,
			               struct vstring *why)
{
    struct dict_regexp *dr;
    struct vstring *line = vstring_alloc(100);
    struct vstring *reason = vstring_alloc(100);
    size_t *open_ifs = 0;
    size_t  depth = 0;
    size_t  space = 0;
    int     status;

    dr = (struct dict_regexp *) dict_alloc(type, name, sizeof(*dr),
					   DICT_MODE_READ, flags);
    dr->expansion = vstring_alloc(100);
    dr->dict.lookup = dict_regexp_lookup;
    dr->dict.close = dict_regexp_close;
    while ((status = dict_source_get(src, line, why)) == DICT_SOURCE_OK) {
	if (dict_regexp_line(dr, vstring_str(line), dict_source_lineno(src),
			     &open_ifs, &depth, &space, reason) < 0) {
	    vstring_sprintf(why, "%s, line %ld: %s", dict_source_origin(src),
			    dict_source_lineno(src), vstring_str(reason));
	    status = DICT_SOURCE_ERROR;
	    break;
	}
    }
    if (status == DICT_SOURCE_EOF && depth > 0) {
	vstring_sprintf(why, "%s, line %ld: if without endif",
			dict_source_origin(src),
			dr->rules[open_ifs[depth - 1]].lineno);
	status = DICT_SOURCE_ERROR;
    }
    myfree(open_ifs);
    vstring_free(&line);
    vstring_free(&reason);
    if (status != DICT_SOURCE_EOF) {
	dict_regexp_close(&dr->dict);
	return (0);
    }
    return (&dr->dict);
}
