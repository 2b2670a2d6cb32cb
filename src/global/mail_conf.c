/*++
/* NAME
/*	mail_conf 3
/* SUMMARY
/*	main.cf: read, expand, validate, edit
/* SYNOPSIS
/*	#include <mail_conf.h>
/*
/*	int	mail_conf_read(config_dir, why)
/*
/*	int	mail_conf_read_buf(path, data, len, why)
/*
/*	int	mail_conf_override(name, value, origin, why)
/*
/*	int	mail_conf_eval(why)
/*
/*	void	mail_conf_load(config_dir, overrides)
/*
/*	const char *mail_conf_lookup_raw(name)
/*
/*	const char *mail_conf_origin(name, buf)
/*
/*	int	mail_conf_expand(raw, out, why)
/*
/*	int	mail_conf_eval_name(name, out, why)
/*
/*	struct argv *mail_conf_names(void)
/*
/*	int	mail_conf_edit(path, name, value, why)
/*
/*	int	mail_conf_edit_remove(path, name, why)
/* DESCRIPTION
/*	See mail_conf.h for the interface. Decisions this file makes:
/* .IP "Comments and continuations"
/*	Blank and comment lines are dropped before continuation lines are
/*	joined, so a comment between a setting and its continuation lines
/*	does not end the setting. A continuation line is joined to what
/*	comes before with one space (its leading white space dropped). A
/*	continuation line with nothing before it is an error.
/* .IP "Parameter names"
/*	letters, digits and "_". Anything else before "=" is an error.
/* .IP "Unknown parameters"
/*	A name that is not in mail_param_table[] is a warning ("FILE, line
/*	N: unknown parameter "name"") unless another value in main.cf (or
/*	a built-in default) refers to it as $name, or it is named in
/*	smtpd_restriction_classes: such a user-defined parameter is legal,
/*	as in Postfix. Names set only by
/*	mail_conf_override() are not checked here (master_conf warns about
/*	unknown -o names).
/* .IP "References"
/*	$name, ${name}, $(name), ${name?text}, ${name:text} (text is itself
/*	expanded, and may nest), $$ for "$". A "$" followed by anything else,
/*	an empty name, or a missing closing bracket is an error. A reference
/*	to a name that is neither set nor in the table expands to nothing.
/*	The condition of ${name?text} and ${name:text} looks at the expanded
/*	value of name. A chain of references deeper than 100 levels, or an
/*	expanded value larger than 1 MB, is an error (these stop
/*	exponential blow-up from hostile input).
/* .IP "Defaults in effect"
/*	config_directory defaults to the folder mail_conf_read() read from;
/*	mydomain defaults to the myhostname in effect minus its first label
/*	(or "localdomain"); other defaults come from mail_param_default().
/* .IP "mail_conf_read_buf()"
/*	(an addition to the interface, used by tests and the fuzz target)
/*	parses data of len bytes as if read from path, with all of
/*	mail_conf_read()'s checks and warnings, but leaves
/*	config_directory alone. A NUL byte in data is an error.
/* .IP "mail_conf_origin()"
/*	returns "default" for a name that is not set.
/* .IP "mail_conf_load()"
/*	with a null config_dir uses $MAIL_CONFIG, else DEF_CONFIG_DIR. Its
/*	overrides are labelled "command line -o" in messages.
/* .IP "Editing"
/*	A missing file is created (mode 0644) by mail_conf_edit(); for
/*	mail_conf_edit_remove() it means there is nothing to remove. A
/*	value is trimmed and may not contain a newline. Removing deletes
/*	every setting of the name, each with its continuation lines, so no
/*	earlier setting comes back into effect. Comment lines between a
/*	setting and its continuation lines are kept.
/* DIAGNOSTICS
/*	Functions return 0 or -1 with a one-line reason in why;
/*	mail_conf_read() also warns (msg_warn) about unknown parameters;
/*	mail_conf_load() is fatal on any error.
/*--*/
#include <sys/stat.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <argv.h>
#include <atomic_file.h>
#include <htable.h>
#include <msg.h>
#include <mymalloc.h>
#include <readfile.h>
#include <stringops.h>
#include <vstring.h>

#include <mail_params.h>
#include <mail_conf.h>

#define MAIL_CONF_FILE		"main.cf"
#define MAIL_CONF_MAX_FILE	(16 * 1024 * 1024)	/* main.cf size */
#define MAIL_CONF_MAX_LINE	(1024 * 1024)	/* one logical line */
#define MAIL_CONF_MAX_VALUE	(1024 * 1024)	/* one expanded value */
#define MAIL_CONF_MAX_TOTAL	(16 * 1024 * 1024)	/* one evaluation */
#define MAIL_CONF_MAX_DEPTH	100	/* reference nesting */
#define MAIL_CONF_SHOW		100	/* value bytes shown in errors */

#define ISASCII_DIGIT(c)	((c) >= '0' && (c) <= '9')
#define ISASCII_ALNUM(c)	(ISASCII_DIGIT(c) || ((c) >= 'a' && (c) <= 'z') \
				 || ((c) >= 'A' && (c) <= 'Z'))

 /*
  * One setting from main.cf or an override.
  */
struct mail_conf_ent {
    char   *value;			/* raw value */
    char   *origin;			/* "FILE, line N" or override origin */
    int     line;			/* 0 for overrides */
};

static struct htable *mail_conf_table;	/* name -> struct mail_conf_ent */
static char *mail_conf_dir;		/* last folder read */

/* mail_conf_name_char - can this byte be part of a parameter name */

static int mail_conf_name_char(int ch)
{
    return (ISASCII_ALNUM(ch) || ch == '_');
}

/* mail_conf_valid_name - non-empty, letters digits and _ */

static int mail_conf_valid_name(const char *name)
{
    const char *cp;

    if (*name == 0)
	return (0);
    for (cp = name; *cp; cp++)
	if (!mail_conf_name_char((unsigned char) *cp))
	    return (0);
    return (1);
}

/* mail_conf_ent_free - htable destructor */

static void mail_conf_ent_free(void *ptr)
{
    struct mail_conf_ent *ent = ptr;

    myfree(ent->value);
    myfree(ent->origin);
    myfree(ent);
}

/* mail_conf_set - enter or replace a setting */

static void mail_conf_set(struct htable *table, const char *name,
			          const char *value, const char *origin, int line)
{
    struct mail_conf_ent *ent;

    if ((ent = htable_find(table, name)) != 0) {
	myfree(ent->value);
	myfree(ent->origin);
    } else {
	ent = mymalloc(sizeof(*ent));
	htable_enter(table, name, ent);
    }
    ent->value = mystrdup(value);
    ent->origin = mystrdup(origin);
    ent->line = line;
}

/* mail_conf_refers - does value refer to name as $name, ${name...}, $(name...) */

static int mail_conf_refers(const char *value, const char *name)
{
    const char *cp = value;
    const char *start;
    size_t  len = strlen(name);

    while ((cp = strchr(cp, '$')) != 0) {
	cp++;
	if (*cp == '$') {
	    cp++;
	    continue;
	}
	if (*cp == '{' || *cp == '(')
	    cp++;
	start = cp;
	while (*cp && mail_conf_name_char((unsigned char) *cp))
	    cp++;
	if ((size_t) (cp - start) == len && strncmp(start, name, len) == 0)
	    return (1);
    }
    return (0);
}

/* mail_conf_word_in - is name one of the words of list (", \t" separated) */

static int mail_conf_word_in(const char *list, const char *name)
{
    size_t  len = strlen(name);
    const char *cp = list;
    size_t  n;

    while (*cp) {
	cp += strspn(cp, ", \t");
	n = strcspn(cp, ", \t");
	if (n == len && n > 0 && strncmp(cp, name, n) == 0)
	    return (1);
	cp += n;
    }
    return (0);
}

/* mail_conf_is_referenced - does any other setting or default use name */

static int mail_conf_is_referenced(struct htable_info **list, const char *name)
{
    const struct mail_param *p;
    struct htable_info **ip;

    for (ip = list; *ip; ip++) {
	if (strcmp((*ip)->key, name) == 0)
	    continue;
	if (mail_conf_refers(((struct mail_conf_ent *) (*ip)->value)->value, name))
	    return (1);
    }
    for (p = mail_param_table; p->name; p++)
	if (mail_conf_refers(p->defval, name))
	    return (1);
    /* A restriction class is a parameter that the administrator names. */
    for (ip = list; *ip; ip++)
	if (strcmp((*ip)->key, VAR_SMTPD_REST_CLASSES) == 0
	    && mail_conf_word_in(((struct mail_conf_ent *) (*ip)->value)->value,
				 name))
	    return (1);
    return (0);
}

/* mail_conf_line_cmp - order settings by line for the warnings */

static int mail_conf_line_cmp(const void *a, const void *b)
{
    const struct htable_info *ia = *(const struct htable_info *const *) a;
    const struct htable_info *ib = *(const struct htable_info *const *) b;
    const struct mail_conf_ent *ea = ia->value;
    const struct mail_conf_ent *eb = ib->value;

    return (ea->line < eb->line ? -1 : ea->line > eb->line);
}

/* mail_conf_warn_unknown - warn about unknown, unreferenced names */

static void mail_conf_warn_unknown(struct htable *table)
{
    struct htable_info **list = htable_list(table);
    struct htable_info **warn;
    size_t  n = 0;
    size_t  i;

    warn = mycalloc(table->used + 1, sizeof(*warn));
    for (i = 0; list[i]; i++)
	if (mail_param_find(list[i]->key) == 0
	    && !mail_conf_is_referenced(list, list[i]->key))
	    warn[n++] = list[i];
    qsort(warn, n, sizeof(*warn), mail_conf_line_cmp);
    for (i = 0; i < n; i++)
	msg_warn("%s: unknown parameter \"%s\"",
		 ((struct mail_conf_ent *) warn[i]->value)->origin, warn[i]->key);
    myfree(warn);
    myfree(list);
}

/* mail_conf_setting - parse one logical line into the table */

static int mail_conf_setting(struct htable *table, const char *path, int line,
			             char *text, struct vstring *why)
{
    char   *eq;
    char   *name;
    char   *value;
    struct vstring *origin;

    if ((eq = strchr(text, '=')) == 0) {
	vstring_sprintf(why, "%s, line %d: syntax error: missing \"=\" in \"%.*s\"",
			path, line, MAIL_CONF_SHOW, text);
	return (-1);
    }
    *eq = 0;
    name = trimblanks(text);
    value = trimblanks(eq + 1);
    if (*name == 0) {
	vstring_sprintf(why, "%s, line %d: syntax error: missing parameter name before \"=\"",
			path, line);
	return (-1);
    }
    if (!mail_conf_valid_name(name)) {
	vstring_sprintf(why, "%s, line %d: syntax error: bad parameter name \"%.*s\"",
			path, line, MAIL_CONF_SHOW, name);
	return (-1);
    }
    origin = vstring_alloc(100);
    vstring_sprintf(origin, "%s, line %d", path, line);
    mail_conf_set(table, name, value, vstring_str(origin), line);
    vstring_free(&origin);
    return (0);
}

/* mail_conf_blank_or_comment - first non-blank byte is '#', or none */

static int mail_conf_blank_or_comment(const char *cp, const char *end)
{
    while (cp < end && isspace((unsigned char) *cp))
	cp++;
    return (cp == end || *cp == '#');
}

/* mail_conf_read_buf - parse main.cf text */

int     mail_conf_read_buf(const char *path, const char *data, size_t len,
			           struct vstring *why)
{
    struct htable *table = htable_create(50);
    struct vstring *logical = vstring_alloc(200);
    const char *cp = data;
    const char *end = data + len;
    const char *eol;
    const char *next;
    int     line = 0;
    int     logical_line = 0;
    int     have = 0;
    int     ret = 0;

    if (memchr(data, 0, len) != 0) {
	eol = memchr(data, 0, len);
	for (line = 1, next = data; next < eol; next++)
	    if (*next == '\n')
		line++;
	vstring_sprintf(why, "%s, line %d: NUL byte in line", path, line);
	ret = -1;
    }
    while (ret == 0 && cp < end) {
	line++;
	if ((eol = memchr(cp, '\n', (size_t) (end - cp))) == 0)
	    eol = end;
	next = eol < end ? eol + 1 : end;
	if (mail_conf_blank_or_comment(cp, eol)) {
	    /* skipped; does not end a logical line */
	} else if (isspace((unsigned char) *cp)) {
	    if (!have) {
		vstring_sprintf(why, "%s, line %d: syntax error: line begins with"
				" white space but continues no setting",
				path, line);
		ret = -1;
		break;
	    }
	    while (cp < eol && isspace((unsigned char) *cp))
		cp++;
	    vstring_appendc(logical, ' ');
	    vstring_append(logical, cp, (size_t) (eol - cp));
	} else {
	    if (have && mail_conf_setting(table, path, logical_line,
					  vstring_str(logical), why) < 0) {
		ret = -1;
		break;
	    }
	    vstring_memcpy(logical, cp, (size_t) (eol - cp));
	    logical_line = line;
	    have = 1;
	}
	if (vstring_len(logical) > MAIL_CONF_MAX_LINE) {
	    vstring_sprintf(why, "%s, line %d: line longer than %d bytes",
			    path, logical_line, MAIL_CONF_MAX_LINE);
	    ret = -1;
	    break;
	}
	cp = next;
    }
    if (ret == 0 && have)
	ret = mail_conf_setting(table, path, logical_line, vstring_str(logical), why);
    vstring_free(&logical);
    if (ret < 0) {
	htable_free(&table, mail_conf_ent_free);
	return (-1);
    }
    if (mail_conf_table)
	htable_free(&mail_conf_table, mail_conf_ent_free);
    mail_conf_table = table;
    mail_conf_warn_unknown(table);
    return (0);
}

/* mail_conf_read - read config_dir/main.cf */

int     mail_conf_read(const char *config_dir, struct vstring *why)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *data = vstring_alloc(4096);
    struct vstring *reason = vstring_alloc(100);
    int     ret;

    path_join(path, config_dir, MAIL_CONF_FILE);
    if (readfile_limited(vstring_str(path), MAIL_CONF_MAX_FILE, data, reason) < 0) {
	if (strstr(vstring_str(reason), vstring_str(path)) != 0)
	    vstring_strcpy(why, vstring_str(reason));
	else
	    vstring_sprintf(why, "%s: %s", vstring_str(path), vstring_str(reason));
	ret = -1;
    } else if ((ret = mail_conf_read_buf(vstring_str(path), vstring_str(data),
					 vstring_len(data), why)) == 0) {
	myfree(mail_conf_dir);
	mail_conf_dir = mystrdup(config_dir);
    }
    vstring_free(&path);
    vstring_free(&data);
    vstring_free(&reason);
    return (ret);
}

/* mail_conf_override - set a value as from -o name=value */

int     mail_conf_override(const char *name, const char *value,
			           const char *origin, struct vstring *why)
{
    if (!mail_conf_valid_name(name)) {
	vstring_sprintf(why, "%s: bad parameter name \"%.*s\"",
			origin, MAIL_CONF_SHOW, name);
	return (-1);
    }
    if (mail_conf_table == 0)
	mail_conf_table = htable_create(50);
    mail_conf_set(mail_conf_table, name, value, origin, 0);
    return (0);
}

/* mail_conf_lookup_raw - the value as set, or NULL */

const char *mail_conf_lookup_raw(const char *name)
{
    struct mail_conf_ent *ent;

    if (mail_conf_table && (ent = htable_find(mail_conf_table, name)) != 0)
	return (ent->value);
    return (0);
}

/* mail_conf_origin - where name was set */

const char *mail_conf_origin(const char *name, struct vstring *buf)
{
    struct mail_conf_ent *ent;

    if (mail_conf_table && (ent = htable_find(mail_conf_table, name)) != 0)
	vstring_strcpy(buf, ent->origin);
    else
	vstring_strcpy(buf, "default");
    return (vstring_str(buf));
}

/* mail_conf_names - the names set, sorted */

struct argv *mail_conf_names(void)
{
    struct argv *names = argv_alloc(50);
    struct htable_info **list;
    struct htable_info **ip;

    if (mail_conf_table) {
	list = htable_list(mail_conf_table);
	for (ip = list; *ip; ip++)
	    argv_add(names, (*ip)->key, (char *) 0);
	myfree(list);
    }
    return (names);
}

 /*
  * Expansion. Each name is expanded at most once per evaluation (memo), so
  * hostile chains of references cost linear, not exponential, time.
  */
struct mail_conf_xp {
    struct htable *memo;		/* name -> expanded value */
    const char *stack[MAIL_CONF_MAX_DEPTH + 1];	/* names being expanded */
    int     names;			/* in stack */
    int     depth;			/* nesting of names and texts */
    size_t  total;			/* bytes in memo */
    int     final;			/* why is complete */
};

static int mail_conf_xp_name(struct mail_conf_xp *, const char *, const char **,
			             struct vstring *);

static void mail_conf_xp_init(struct mail_conf_xp *xp)
{
    xp->memo = htable_create(50);
    xp->names = 0;
    xp->depth = 0;
    xp->total = 0;
    xp->final = 0;
}

static void mail_conf_xp_done(struct mail_conf_xp *xp)
{
    htable_free(&xp->memo, myfree);
}

/* mail_conf_xp_text - expand text[0..len-1], appending to out */

static int mail_conf_xp_text(struct mail_conf_xp *xp, const char *text,
			             size_t len, struct vstring *out,
			             struct vstring *why)
{
    const char *cp = text;
    const char *end = text + len;
    const char *run;
    const char *name_start;
    const char *arg = 0;
    size_t  name_len;
    size_t  arg_len = 0;
    const char *value;
    char   *name;
    int     lb;
    int     rb;
    int     op;
    int     nest;
    int     ret = 0;

    if (++xp->depth > MAIL_CONF_MAX_DEPTH) {
	vstring_sprintf(why, "references nested more than %d deep",
			MAIL_CONF_MAX_DEPTH);
	xp->depth--;
	return (-1);
    }
    while (ret == 0 && cp < end) {
	if (*cp != '$') {
	    for (run = cp; cp < end && *cp != '$'; cp++)
		 /* void */ ;
	    vstring_append(out, run, (size_t) (cp - run));
	} else if (++cp >= end) {
	    vstring_strcpy(why, "\"$\" at the end of the value (use $$ for a literal $)");
	    ret = -1;
	} else if (*cp == '$') {
	    vstring_appendc(out, '$');
	    cp++;
	} else {
	    lb = rb = op = 0;
	    if (*cp == '{' || *cp == '(') {
		lb = *cp;
		rb = (lb == '{' ? '}' : ')');
		cp++;
	    }
	    for (name_start = cp; cp < end && mail_conf_name_char((unsigned char) *cp); cp++)
		 /* void */ ;
	    name_len = (size_t) (cp - name_start);
	    if (name_len == 0) {
		vstring_sprintf(why, "bad reference \"$%.*s\": expected a parameter"
				" name after \"$\" (use $$ for a literal $)",
				cp < end ? 1 : 0, cp);
		ret = -1;
		break;
	    }
	    if (lb) {
		if (cp >= end) {
		    vstring_sprintf(why, "missing \"%c\" after \"$%c%.*s\"",
				    rb, lb, (int) name_len, name_start);
		    ret = -1;
		    break;
		}
		if (*cp == '?' || *cp == ':') {
		    op = *cp++;
		    for (arg = cp, nest = 1; cp < end; cp++) {
			if (*cp == lb)
			    nest++;
			else if (*cp == rb && --nest == 0)
			    break;
		    }
		    if (cp >= end) {
			vstring_sprintf(why, "missing \"%c\" after \"$%c%.*s%c\"",
					rb, lb, (int) name_len, name_start, op);
			ret = -1;
			break;
		    }
		    arg_len = (size_t) (cp - arg);
		} else if (*cp != rb) {
		    vstring_sprintf(why, "bad character \"%c\" in \"$%c%.*s\"",
				    isprint((unsigned char) *cp) ? *cp : '?',
				    lb, (int) name_len, name_start);
		    ret = -1;
		    break;
		}
		cp++;				/* the closing bracket */
	    }
	    name = mystrndup(name_start, name_len);
	    ret = mail_conf_xp_name(xp, name, &value, why);
	    myfree(name);
	    if (ret < 0)
		break;
	    if (op == 0)
		vstring_appends(out, value);
	    else if ((op == '?') == (*value != 0))
		ret = mail_conf_xp_text(xp, arg, arg_len, out, why);
	}
	if (ret == 0 && vstring_len(out) > MAIL_CONF_MAX_VALUE) {
	    vstring_sprintf(why, "value longer than %d bytes after expansion",
			    MAIL_CONF_MAX_VALUE);
	    ret = -1;
	}
    }
    xp->depth--;
    return (ret);
}

/* mail_conf_default_raw - the unexpanded default in effect, or NULL */

static const char *mail_conf_default_raw(struct mail_conf_xp *xp,
				              const struct mail_param *p,
				              struct vstring *buf,
				              struct vstring *why, int *err)
{
    const char *host;
    const char *dot;

    *err = 0;
    if (strcmp(p->name, VAR_CONFIG_DIR) == 0 && mail_conf_dir)
	return (vstring_str(vstring_strcpy(buf, mail_conf_dir)));
    if (strcmp(p->name, VAR_MYDOMAIN) == 0) {
	if (mail_conf_xp_name(xp, VAR_MYHOSTNAME, &host, why) < 0) {
	    *err = 1;
	    return (0);
	}
	dot = strchr(host, '.');
	vstring_strcpy(buf, dot && dot[1] ? dot + 1 : "localdomain");
	return (vstring_str(buf));		/* literal: not expanded again */
    }
    return (mail_param_default(p, buf));
}

/* mail_conf_xp_name - expand the value in effect for name (memoized) */

static int mail_conf_xp_name(struct mail_conf_xp *xp, const char *name,
			             const char **result, struct vstring *why)
{
    struct mail_conf_ent *ent = 0;
    const struct mail_param *p;
    struct vstring *raw_buf;
    struct vstring *out;
    const char *raw = "";
    char   *value;
    int     literal = 0;
    int     err;
    int     i;
    int     ret;

    if ((value = htable_find(xp->memo, name)) != 0) {
	*result = value;
	return (0);
    }
    if (mail_conf_table)
	ent = htable_find(mail_conf_table, name);
    for (i = 0; i < xp->names; i++) {
	if (strcmp(xp->stack[i], name) == 0) {
	    vstring_sprintf(why, "%s: parameter %s: reference loop: ",
			    ent ? ent->origin : "default", name);
	    for (; i < xp->names; i++)
		vstring_sprintf_append(why, "$%s -> ", xp->stack[i]);
	    vstring_sprintf_append(why, "$%s", name);
	    xp->final = 1;
	    return (-1);
	}
    }
    if (xp->names >= MAIL_CONF_MAX_DEPTH) {
	vstring_sprintf(why, "parameter %s: references nested more than %d deep",
			name, MAIL_CONF_MAX_DEPTH);
	return (-1);
    }
    raw_buf = vstring_alloc(100);
    if (ent != 0) {
	raw = ent->value;
    } else if ((p = mail_param_find(name)) != 0) {
	if ((raw = mail_conf_default_raw(xp, p, raw_buf, why, &err)) == 0) {
	    vstring_free(&raw_buf);
	    return (-1);
	}
	literal = (strcmp(name, VAR_MYDOMAIN) == 0);
    }
    out = vstring_alloc(100);
    xp->stack[xp->names++] = name;
    if (literal) {
	vstring_strcpy(out, raw);
	ret = 0;
    } else {
	ret = mail_conf_xp_text(xp, raw, strlen(raw), out, why);
    }
    xp->names--;
    if (ret < 0 && !xp->final) {
	struct vstring *reason = vstring_alloc(100);

	vstring_strcpy(reason, vstring_str(why));
	vstring_sprintf(why, "%s: parameter %s: %s", ent ? ent->origin : "default",
			name, vstring_str(reason));
	vstring_free(&reason);
	xp->final = 1;
    }
    if (ret == 0) {
	xp->total += vstring_len(out);
	if (xp->total > MAIL_CONF_MAX_TOTAL) {
	    vstring_sprintf(why, "%s: parameter %s: expansion larger than %d bytes",
			    ent ? ent->origin : "default", name, MAIL_CONF_MAX_TOTAL);
	    xp->final = 1;
	    ret = -1;
	} else {
	    value = vstring_export(&out);
	    htable_enter(xp->memo, name, value);
	    *result = value;
	}
    }
    vstring_free(&out);
    vstring_free(&raw_buf);
    return (ret);
}

/* mail_conf_expand - expand arbitrary text */

int     mail_conf_expand(const char *raw, struct vstring *out, struct vstring *why)
{
    struct mail_conf_xp xp;
    int     ret;

    mail_conf_xp_init(&xp);
    vstring_reset(out);
    ret = mail_conf_xp_text(&xp, raw, strlen(raw), out, why);
    mail_conf_xp_done(&xp);
    return (ret);
}

/* mail_conf_eval_name - expand the value in effect for name */

int     mail_conf_eval_name(const char *name, struct vstring *out,
			            struct vstring *why)
{
    struct mail_conf_xp xp;
    const char *value;
    int     ret;

    mail_conf_xp_init(&xp);
    if ((ret = mail_conf_xp_name(&xp, name, &value, why)) == 0)
	vstring_strcpy(out, value);
    mail_conf_xp_done(&xp);
    return (ret);
}

/* mail_conf_time - parse a time value into seconds */

static int mail_conf_time(const char *value, long *secs)
{
    const char *cp = value;
    long    n = 0;
    long    unit;

    if (!ISASCII_DIGIT(*cp))
	return (-1);
    for (; ISASCII_DIGIT(*cp); cp++)
	if (__builtin_mul_overflow(n, 10L, &n)
	    || __builtin_add_overflow(n, (long) (*cp - '0'), &n))
	    return (-1);
    switch (*cp) {
    case 0:
    case 's':
	unit = 1;
	break;
    case 'm':
	unit = 60;
	break;
    case 'h':
	unit = 3600;
	break;
    case 'd':
	unit = 86400;
	break;
    case 'w':
	unit = 7 * 86400;
	break;
    default:
	return (-1);
    }
    if (*cp && cp[1])
	return (-1);
    if (__builtin_mul_overflow(n, unit, secs))
	return (-1);
    return (0);
}

/* mail_conf_convert - check a value against its row; store into *result */

static int mail_conf_convert(const struct mail_param *p, const char *value,
			             long *result, struct vstring *why)
{
    long    n;

    switch (p->type) {
    case MAIL_PARAM_INT:
	if (str_to_long(value, &n, 0) < 0) {
	    vstring_sprintf(why, "bad integer value \"%.*s\"", MAIL_CONF_SHOW, value);
	    return (-1);
	}
	if (n < p->min || n > p->max) {
	    vstring_sprintf(why, "value %ld is out of range (%ld..%ld)",
			    n, p->min, p->max);
	    return (-1);
	}
	break;
    case MAIL_PARAM_TIME:
	if (mail_conf_time(value, &n) < 0) {
	    vstring_sprintf(why, "bad time value \"%.*s\" (use a number with an"
			    " optional unit s, m, h, d or w)", MAIL_CONF_SHOW, value);
	    return (-1);
	}
	if (n < p->min || n > p->max) {
	    vstring_sprintf(why, "time value %s (%lds) is out of range (%lds..%lds)",
			    value, n, p->min, p->max);
	    return (-1);
	}
	break;
    case MAIL_PARAM_BOOL:
	if (strcasecmp(value, "yes") == 0) {
	    n = 1;
	} else if (strcasecmp(value, "no") == 0) {
	    n = 0;
	} else {
	    vstring_sprintf(why, "bad boolean value \"%.*s\" (use yes or no)",
			    MAIL_CONF_SHOW, value);
	    return (-1);
	}
	break;
    default:
	n = 0;
	break;
    }
    *result = n;
    return (0);
}

/* mail_conf_eval - expand, check and store every parameter */

int     mail_conf_eval(struct vstring *why)
{
    struct mail_conf_xp xp;
    const struct mail_param *p;
    const char **values;
    long   *nums;
    struct vstring *reason;
    struct vstring *origin;
    size_t  count;
    size_t  i;
    int     ret = 0;

    for (count = 0; mail_param_table[count].name; count++)
	 /* void */ ;
    values = mycalloc(count + 1, sizeof(*values));
    nums = mycalloc(count + 1, sizeof(*nums));
    mail_conf_xp_init(&xp);
    reason = vstring_alloc(100);
    origin = vstring_alloc(100);
    for (i = 0; ret == 0 && i < count; i++) {
	p = mail_param_table + i;
	if ((ret = mail_conf_xp_name(&xp, p->name, values + i, why)) < 0)
	    break;
	if ((ret = mail_conf_convert(p, values[i], nums + i, reason)) < 0)
	    vstring_sprintf(why, "%s: parameter %s: %s",
			    mail_conf_origin(p->name, origin), p->name,
			    vstring_str(reason));
    }
    if (ret == 0) {
	for (i = 0; i < count; i++) {
	    p = mail_param_table + i;
	    if (p->var == 0)
		continue;
	    switch (p->type) {
	    case MAIL_PARAM_STR:
		myfree(*(char **) p->var);
		*(char **) p->var = mystrdup(values[i]);
		break;
	    case MAIL_PARAM_INT:
	    case MAIL_PARAM_TIME:
		*(long *) p->var = nums[i];
		break;
	    case MAIL_PARAM_BOOL:
		*(int *) p->var = (int) nums[i];
		break;
	    }
	}
    }
    vstring_free(&reason);
    vstring_free(&origin);
    mail_conf_xp_done(&xp);
    myfree(values);
    myfree(nums);
    return (ret);
}

/* mail_conf_load - read, override, eval; fatal on error */

void    mail_conf_load(const char *config_dir, const struct argv *overrides)
{
    struct vstring *why = vstring_alloc(100);
    char   *copy;
    char   *eq;
    size_t  i;

    if (config_dir == 0 && (config_dir = getenv("MAIL_CONFIG")) == 0)
	config_dir = DEF_CONFIG_DIR;
    if (mail_conf_read(config_dir, why) < 0)
	msg_fatal("%s", vstring_str(why));
    for (i = 0; overrides && i < overrides->argc; i++) {
	copy = mystrdup(overrides->argv[i]);
	if ((eq = strchr(copy, '=')) == 0)
	    msg_fatal("command line -o: bad override \"%s\": expected name=value",
		      copy);
	*eq = 0;
	if (mail_conf_override(trimblanks(copy), trimblanks(eq + 1),
			       "command line -o", why) < 0)
	    msg_fatal("%s", vstring_str(why));
	myfree(copy);
    }
    if (mail_conf_eval(why) < 0)
	msg_fatal("%s", vstring_str(why));
    vstring_free(&why);
}

 /*
  * Editing. The file is split into physical lines; a setting is its head
  * line plus the continuation lines that follow it (skipping, but keeping,
  * comment and blank lines in between).
  */
struct mail_conf_pline {
    const char *start;			/* first byte */
    size_t  len;			/* with the newline */
    int     owner;			/* head line index of its setting, or -1 */
    int     is_head;			/* head line of a setting of name */
};

/* mail_conf_head_name - is this physical line "name = ..." for name */

static int mail_conf_head_is(const char *cp, size_t len, const char *name)
{
    const char *end = cp + len;
    const char *start;

    start = cp;
    while (cp < end && mail_conf_name_char((unsigned char) *cp))
	cp++;
    if ((size_t) (cp - start) != strlen(name) || strncmp(start, name, cp - start) != 0)
	return (0);
    while (cp < end && (*cp == ' ' || *cp == '\t'))
	cp++;
    return (cp < end && *cp == '=');
}

/* mail_conf_edit_common - replace (value != 0) or remove (value == 0) */

static int mail_conf_edit_common(const char *path, const char *name,
				         const char *value, struct vstring *why)
{
    struct stat st;
    struct vstring *data;
    struct vstring *out;
    struct vstring *reason;
    struct vstring *clean = 0;
    struct mail_conf_pline *lines;
    size_t  nlines = 0;
    size_t  alloc;
    size_t  i;
    const char *cp;
    const char *end;
    const char *eol;
    int     head = -1;			/* current setting's head line */
    int     last = -1;			/* last head line of name */
    int     exists = 1;
    int     ret;

    if (!mail_conf_valid_name(name)) {
	vstring_sprintf(why, "bad parameter name \"%.*s\"", MAIL_CONF_SHOW, name);
	return (-1);
    }
    if (value && strpbrk(value, "\r\n") != 0) {
	vstring_sprintf(why, "parameter %s: value contains a line break", name);
	return (-1);
    }
    data = vstring_alloc(4096);
    if (stat(path, &st) < 0 && errno == ENOENT) {
	exists = 0;
	if (value == 0) {
	    vstring_free(&data);
	    return (0);
	}
    } else {
	reason = vstring_alloc(100);
	if (readfile_limited(path, MAIL_CONF_MAX_FILE, data, reason) < 0) {
	    if (strstr(vstring_str(reason), path) != 0)
		vstring_strcpy(why, vstring_str(reason));
	    else
		vstring_sprintf(why, "%s: %s", path, vstring_str(reason));
	    vstring_free(&reason);
	    vstring_free(&data);
	    return (-1);
	}
	vstring_free(&reason);
    }

    /*
     * Split into physical lines and find the settings of name.
     */
    cp = vstring_str(data);
    end = vstring_end(data);
    lines = mycalloc(alloc = 64, sizeof(*lines));
    while (cp < end) {
	if (nlines >= alloc)
	    lines = myreallocarray(lines, alloc *= 2, sizeof(*lines));
	eol = memchr(cp, '\n', (size_t) (end - cp));
	lines[nlines].start = cp;
	lines[nlines].len = eol ? (size_t) (eol - cp + 1) : (size_t) (end - cp);
	lines[nlines].owner = -1;
	lines[nlines].is_head = 0;
	if (mail_conf_blank_or_comment(cp, cp + lines[nlines].len)) {
	     /* kept */ ;
	} else if (isspace((unsigned char) *cp)) {
	    lines[nlines].owner = head;
	} else if (mail_conf_head_is(cp, lines[nlines].len, name)) {
	    head = (int) nlines;
	    lines[nlines].owner = head;
	    lines[nlines].is_head = 1;
	    last = head;
	} else {
	    head = -1;
	}
	cp += lines[nlines].len;
	nlines++;
    }

    /*
     * Copy what stays; put the new setting in place of the last one.
     */
    out = vstring_alloc(vstring_len(data) + 100);
    if (value) {
	clean = vstring_alloc(100);
	vstring_strcpy(clean, value);
	value = trimblanks(vstring_str(clean));
    }
    for (i = 0; i < nlines; i++) {
	if (lines[i].owner < 0) {
	    vstring_append(out, lines[i].start, lines[i].len);
	} else if (value && lines[i].is_head && (int) i == last) {
	    vstring_sprintf_append(out, *value ? "%s = %s\n" : "%s =%s\n", name, value);
	} else if (value && lines[i].owner != last) {
	    /* an earlier setting of name: kept, the last one wins */
	    vstring_append(out, lines[i].start, lines[i].len);
	}
	/* else: removed */
    }
    if (value && last < 0) {
	if (vstring_len(out) > 0 && vstring_end(out)[-1] != '\n')
	    vstring_appendc(out, '\n');
	vstring_sprintf_append(out, *value ? "%s = %s\n" : "%s =%s\n", name, value);
    }
    if (exists && vstring_len(out) == vstring_len(data)
	&& memcmp(vstring_str(out), vstring_str(data), vstring_len(out)) == 0)
	ret = 0;				/* nothing changed */
    else
	ret = atomic_file_replace(path, vstring_str(out), vstring_len(out),
				  0644, why);
    myfree(lines);
    vstring_free(&out);
    vstring_free(&data);
    if (clean)
	vstring_free(&clean);
    return (ret);
}

/* mail_conf_edit - set name = value in main.cf */

int     mail_conf_edit(const char *path, const char *name, const char *value,
		               struct vstring *why)
{
    return (mail_conf_edit_common(path, name, value ? value : "", why));
}

/* mail_conf_edit_remove - delete the settings of name from main.cf */

int     mail_conf_edit_remove(const char *path, const char *name,
			              struct vstring *why)
{
    return (mail_conf_edit_common(path, name, 0, why));
}
