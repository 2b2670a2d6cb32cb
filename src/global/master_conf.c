/*++
/* NAME
/*	master_conf 3
/* SUMMARY
/*	master.cf parser
/* SYNOPSIS
/*	#include <master_conf.h>
/*
/*	int	master_conf_read(path, listp, why)
/*
/*	int	master_conf_parse_line(text, file, line, entp, why)
/*
/*	void	master_conf_free(listp)
/*
/*	void	master_conf_format(buf, ent)
/*
/*	const char *master_type_name(type)
/* DESCRIPTION
/*	See master_conf.h for the columns. Decisions this file makes:
/* .IP Words
/*	Fields are separated by white space. A word that begins with "{"
/*	runs to the matching "}" (braces nest) and may contain white space;
/*	the braces and the white space just inside them are dropped, so
/*	"{ a b }" is the one argument "a b". Text right after the closing
/*	"}" is an error, and so is a missing "}". Braces in the seven
/*	columns are allowed but rarely make sense.
/* .IP Overrides
/*	"-o name=value" or "-o { name = value }": the blanks around "=" are
/*	dropped inside braces. An override without "=", with an empty name,
/*	or with a name other than letters, digits and "_" is an error. An
/*	override whose name is neither in the parameter table nor set in
/*	main.cf (mail_conf_lookup_raw) is a warning from master_conf_read().
/* .IP "Service names"
/*	inet: "port", "host:port", ":port" or "[v6addr]:port"; a host that
/*	holds ":" needs brackets. A port is 1..65535 or a name that
/*	getservbyname(3) knows for tcp. Others: 1..100 bytes of letters,
/*	digits, ".", "-" and "_", not "." or "..".
/* .IP "Lines"
/*	Comment and blank lines are dropped before continuation lines are
/*	joined (with one space); a continuation line with no service
/*	before it is an error. A logical line longer than 64 kB is an
/*	error. Error messages and ent->line give the first physical line.
/* .IP "Canonical form"
/*	master_conf_format() appends, without a newline: the seven columns
/*	padded as in the shipped master.cf (y/n spelled out, wakeup 0 and
/*	the default maxproc as "-"), the command, the -o overrides, then
/*	the other arguments. A word that is empty, holds white space,
/*	begins with "{" or is "-o" is written in braces. Parsing the
/*	canonical form gives the same entry again.
/* DIAGNOSTICS
/*	Return values and why; master_conf_read() warns (msg_warn) about
/*	unknown parameters in -o.
/*--*/
#include <ctype.h>
#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <readfile.h>
#include <stringops.h>
#include <vstring.h>

#include <mail_params.h>
#include <mail_conf.h>
#include <master_conf.h>

#define MASTER_CONF_MAX_FILE	(4 * 1024 * 1024)
#define MASTER_CONF_MAX_LINE	(64 * 1024)
#define MASTER_CONF_MAX_NAME	100
#define MASTER_CONF_SHOW	100	/* bytes of a bad field shown */

 /*
  * One word of a line: its text and whether it was in braces.
  */
struct master_conf_words {
    struct argv *text;
    char   *braced;			/* one flag per word */
    size_t  alloc;
};

static const struct master_conf_type {
    const char *name;
    int     type;
}       master_conf_types[] = {
    {"inet", MASTER_TYPE_INET},
    {"unix", MASTER_TYPE_UNIX},
    {"unix-dgram", MASTER_TYPE_UNIX_DGRAM},
    {"fifo", MASTER_TYPE_FIFO},
    {"pass", MASTER_TYPE_PASS},
    {0, 0},
};

/* master_type_name - printable service type */

const char *master_type_name(int type)
{
    const struct master_conf_type *tp;

    for (tp = master_conf_types; tp->name; tp++)
	if (tp->type == type)
	    return (tp->name);
    return ("unknown");
}

/* master_conf_words_add - append a word */

static void master_conf_words_add(struct master_conf_words *w, const char *text,
				          size_t len, int braced)
{
    if (w->text->argc >= w->alloc) {
	w->alloc = w->alloc ? w->alloc * 2 : 16;
	w->braced = myrealloc(w->braced, w->alloc);
    }
    w->braced[w->text->argc] = braced;
    argv_addn(w->text, text, len);
}

/* master_conf_split - split a logical line into words */

static int master_conf_split(const char *text, struct master_conf_words *w,
			             struct vstring *why)
{
    const char *cp = text;
    const char *start;
    const char *end;
    int     depth;

    for (;;) {
	while (*cp && isspace((unsigned char) *cp))
	    cp++;
	if (*cp == 0)
	    return (0);
	if (*cp != '{') {
	    for (start = cp; *cp && !isspace((unsigned char) *cp); cp++)
		 /* void */ ;
	    master_conf_words_add(w, start, (size_t) (cp - start), 0);
	    continue;
	}
	start = cp;
	for (depth = 0; *cp; cp++) {
	    if (*cp == '{')
		depth++;
	    else if (*cp == '}' && --depth == 0)
		break;
	}
	if (*cp == 0) {
	    vstring_sprintf(why, "missing \"}\" after \"%.*s\"",
			    MASTER_CONF_SHOW, start);
	    return (-1);
	}
	end = cp++;				/* the closing brace */
	if (*cp && !isspace((unsigned char) *cp)) {
	    vstring_sprintf(why, "text after \"}\" in \"%.*s\"",
			    MASTER_CONF_SHOW, start);
	    return (-1);
	}
	for (start++; start < end && isspace((unsigned char) *start); start++)
	     /* void */ ;
	while (end > start && isspace((unsigned char) end[-1]))
	    end--;
	master_conf_words_add(w, start, (size_t) (end - start), 1);
    }
}

/* master_conf_valid_param - letters, digits, _ */

static int master_conf_valid_param(const char *name)
{
    if (*name == 0)
	return (0);
    for (; *name; name++)
	if (!isascii((unsigned char) *name)
	    || !(isalnum((unsigned char) *name) || *name == '_'))
	    return (0);
    return (1);
}

/* master_conf_trim - drop white space at both ends, in place */

static char *master_conf_trim(char *str)
{
    char   *end;

    while (*str && isspace((unsigned char) *str))
	str++;
    end = str + strlen(str);
    while (end > str && isspace((unsigned char) end[-1]))
	*--end = 0;
    return (str);
}

/* master_conf_override - parse the word after -o */

static int master_conf_override(const char *word, struct argv *overrides,
				        struct vstring *why)
{
    char   *copy = mystrdup(word);
    char   *eq;
    char   *name;
    char   *value;
    struct vstring *buf;

    if ((eq = strchr(copy, '=')) == 0) {
	vstring_sprintf(why, "-o \"%.*s\": expected name=value",
			MASTER_CONF_SHOW, word);
	myfree(copy);
	return (-1);
    }
    *eq = 0;
    name = master_conf_trim(copy);
    value = master_conf_trim(eq + 1);
    if (!master_conf_valid_param(name)) {
	vstring_sprintf(why, "-o \"%.*s\": bad parameter name \"%.*s\"",
			MASTER_CONF_SHOW, word, MASTER_CONF_SHOW, name);
	myfree(copy);
	return (-1);
    }
    buf = vstring_alloc(100);
    vstring_sprintf(buf, "%s=%s", name, value);
    argv_add(overrides, vstring_str(buf), (char *) 0);
    vstring_free(&buf);
    myfree(copy);
    return (0);
}

/* master_conf_port - a numeric port or a known tcp service name */

static int master_conf_port(const char *port)
{
    long    n;
    const char *cp;

    if (*port == 0)
	return (0);
    if (alldig(port))
	return (str_to_long(port, &n, 0) == 0 && n >= 1 && n <= 65535);
    for (cp = port; *cp; cp++)
	if (!isascii((unsigned char) *cp)
	    || !(isalnum((unsigned char) *cp) || *cp == '-' || *cp == '_'))
	    return (0);
    return (getservbyname(port, "tcp") != 0);
}

/* master_conf_inet_name - check an inet service address */

static int master_conf_inet_name(const char *name, struct vstring *why)
{
    const char *colon;
    const char *port;
    const char *cp;

    if (*name == '[') {
	if ((cp = strchr(name, ']')) == 0 || cp == name + 1 || cp[1] != ':') {
	    vstring_sprintf(why, "bad inet service \"%.*s\": expected [address]:port",
			    MASTER_CONF_SHOW, name);
	    return (-1);
	}
	port = cp + 2;
    } else if ((colon = strrchr(name, ':')) != 0) {
	if (memchr(name, ':', (size_t) (colon - name)) != 0) {
	    vstring_sprintf(why, "bad inet service \"%.*s\": an IPv6 address"
			    " needs brackets: [address]:port",
			    MASTER_CONF_SHOW, name);
	    return (-1);
	}
	port = colon + 1;
    } else {
	port = name;
    }
    if (!master_conf_port(port)) {
	vstring_sprintf(why, "bad inet service \"%.*s\": unknown port \"%.*s\"",
			MASTER_CONF_SHOW, name, MASTER_CONF_SHOW, port);
	return (-1);
    }
    return (0);
}

/* master_conf_local_name - check a unix/fifo/pass service name */

static int master_conf_local_name(const char *name, struct vstring *why)
{
    const char *cp;

    if (strlen(name) > MASTER_CONF_MAX_NAME || strcmp(name, ".") == 0
	|| strcmp(name, "..") == 0)
	goto bad;
    for (cp = name; *cp; cp++)
	if (!isascii((unsigned char) *cp)
	    || !(isalnum((unsigned char) *cp) || strchr("._-", *cp)))
	    goto bad;
    return (0);

bad:
    vstring_sprintf(why, "bad service name \"%.*s\": use up to %d letters,"
		    " digits, \".\", \"-\" or \"_\"", MASTER_CONF_SHOW, name,
		    MASTER_CONF_MAX_NAME);
    return (-1);
}

/* master_conf_yn - y, n or - */

static int master_conf_yn(const char *field, const char *what, int def,
			          int *result, struct vstring *why)
{
    if (strcmp(field, "-") == 0)
	*result = def;
    else if (strcmp(field, "y") == 0)
	*result = 1;
    else if (strcmp(field, "n") == 0)
	*result = 0;
    else {
	vstring_sprintf(why, "bad %s field \"%.*s\": use y, n or -",
			what, MASTER_CONF_SHOW, field);
	return (-1);
    }
    return (0);
}

/* master_conf_ent_free - free one entry */

static void master_conf_ent_free(struct master_ent *ent)
{
    myfree(ent->name);
    argv_free(&ent->args);
    argv_free(&ent->overrides);
    myfree(ent->file);
    myfree(ent);
}

/* master_conf_fields - fill ent from the words; why without file and line */

static int master_conf_fields(struct master_conf_words *w, struct master_ent *ent,
			              struct vstring *why)
{
    char  **f = w->text->argv;
    const struct master_conf_type *tp;
    char   *end;
    long    n;
    size_t  i;
    int     private_;

    if (w->text->argc < 8) {
	vstring_strcpy(why, w->text->argc == 7 ? "missing command" :
		       "too few fields: expected service, type, private,"
		       " unpriv, chroot, wakeup, maxproc and command");
	return (-1);
    }
    ent->name = mystrdup(f[0]);
    for (tp = master_conf_types; tp->name; tp++)
	if (strcmp(tp->name, f[1]) == 0)
	    break;
    if ((ent->type = tp->type) == 0) {
	vstring_sprintf(why, "unknown service type \"%.*s\": use inet, unix,"
			" unix-dgram, fifo or pass", MASTER_CONF_SHOW, f[1]);
	return (-1);
    }
    if ((ent->type == MASTER_TYPE_INET ?
	 master_conf_inet_name(f[0], why) : master_conf_local_name(f[0], why)) < 0)
	return (-1);
    if (master_conf_yn(f[2], "private", ent->type != MASTER_TYPE_INET,
		       &private_, why) < 0)
	return (-1);
    if (ent->type == MASTER_TYPE_INET && private_) {
	vstring_sprintf(why, "inet service \"%.*s\" cannot be private:"
			" use n or - in the private field",
			MASTER_CONF_SHOW, f[0]);
	return (-1);
    }
    ent->private_ = private_;
    if (master_conf_yn(f[3], "unpriv", 1, &ent->unpriv, why) < 0
	|| master_conf_yn(f[4], "chroot", 1, &ent->chroot, why) < 0)
	return (-1);

    /* wakeup: -, N or N? */
    if (strcmp(f[5], "-") != 0) {
	end = f[5] + strlen(f[5]);
	if (end > f[5] && end[-1] == '?') {
	    ent->wakeup_if_used = 1;
	    end[-1] = 0;
	}
	if (!alldig(f[5]) || str_to_long(f[5], &n, 0) < 0 || n > INT_MAX) {
	    if (ent->wakeup_if_used)
		end[-1] = '?';
	    vstring_sprintf(why, "bad wakeup field \"%.*s\": use seconds,"
			    " seconds followed by \"?\", or -",
			    MASTER_CONF_SHOW, f[5]);
	    return (-1);
	}
	ent->wakeup = (int) n;
    }

    /* maxproc: - or N */
    if (strcmp(f[6], "-") == 0) {
	ent->maxproc = MASTER_MAXPROC_DEFAULT;
    } else if (!alldig(f[6]) || str_to_long(f[6], &n, 0) < 0 || n > INT_MAX) {
	vstring_sprintf(why, "bad maxproc field \"%.*s\": use a number or -",
			MASTER_CONF_SHOW, f[6]);
	return (-1);
    } else {
	ent->maxproc = (int) n;
    }

    /* command, arguments and overrides */
    argv_add(ent->args, f[7], (char *) 0);
    for (i = 8; i < w->text->argc; i++) {
	if (!w->braced[i] && strcmp(f[i], "-o") == 0) {
	    if (++i >= w->text->argc) {
		vstring_strcpy(why, "-o at the end of the line: expected name=value");
		return (-1);
	    }
	    if (master_conf_override(f[i], ent->overrides, why) < 0)
		return (-1);
	} else {
	    argv_add(ent->args, f[i], (char *) 0);
	}
    }
    return (0);
}

/* master_conf_parse_line - parse one logical line */

int     master_conf_parse_line(const char *text, const char *file, int line,
			               struct master_ent **entp,
			               struct vstring *why)
{
    struct master_conf_words w;
    struct master_ent *ent;
    struct vstring *reason;
    const char *cp;
    int     ret;

    *entp = 0;
    for (cp = text; *cp && isspace((unsigned char) *cp); cp++)
	 /* void */ ;
    if (*cp == 0 || *cp == '#')
	return (0);
    w.text = argv_alloc(16);
    w.braced = 0;
    w.alloc = 0;
    reason = vstring_alloc(100);
    ent = mycalloc(1, sizeof(*ent));
    ent->args = argv_alloc(8);
    ent->overrides = argv_alloc(4);
    ent->file = mystrdup(file);
    ent->line = line;
    if (master_conf_split(text, &w, reason) < 0
	|| master_conf_fields(&w, ent, reason) < 0) {
	vstring_sprintf(why, "%s, line %d: %s", file, line, vstring_str(reason));
	master_conf_ent_free(ent);
	ret = -1;
    } else {
	*entp = ent;
	ret = 1;
    }
    argv_free(&w.text);
    myfree(w.braced);
    vstring_free(&reason);
    return (ret);
}

/* master_conf_free - free a list */

void    master_conf_free(struct master_ent **listp)
{
    struct master_ent *ent;
    struct master_ent *next;

    for (ent = *listp; ent; ent = next) {
	next = ent->next;
	master_conf_ent_free(ent);
    }
    *listp = 0;
}

/* master_conf_warn_overrides - warn about unknown -o names */

static void master_conf_warn_overrides(const struct master_ent *ent)
{
    size_t  i;
    char   *name;
    char   *eq;

    for (i = 0; i < ent->overrides->argc; i++) {
	name = mystrdup(ent->overrides->argv[i]);
	if ((eq = strchr(name, '=')) != 0)
	    *eq = 0;
	if (mail_param_find(name) == 0 && mail_conf_lookup_raw(name) == 0)
	    msg_warn("%s, line %d: unknown parameter \"%s\" in -o",
		     ent->file, ent->line, name);
	myfree(name);
    }
}

/* master_conf_add - check for a duplicate, append */

static int master_conf_add(struct master_ent **listp, struct master_ent **tailp,
			           struct master_ent *ent, struct vstring *why)
{
    struct master_ent *old;

    for (old = *listp; old; old = old->next) {
	if (old->type == ent->type && strcmp(old->name, ent->name) == 0) {
	    vstring_sprintf(why, "%s, line %d: duplicate service \"%s/%s\""
			    " (first defined on line %d)", ent->file, ent->line,
			    ent->name, master_type_name(ent->type), old->line);
	    return (-1);
	}
    }
    if (*tailp)
	(*tailp)->next = ent;
    else
	*listp = ent;
    *tailp = ent;
    return (0);
}

/* master_conf_read - parse a whole master.cf */

int     master_conf_read(const char *path, struct master_ent **listp,
			         struct vstring *why)
{
    struct vstring *data = vstring_alloc(4096);
    struct vstring *logical = vstring_alloc(200);
    struct vstring *reason = vstring_alloc(100);
    struct master_ent *list = 0;
    struct master_ent *tail = 0;
    struct master_ent *ent;
    const char *cp;
    const char *end;
    const char *eol;
    const char *next;
    const char *nul;
    int     line = 0;
    int     logical_line = 0;
    int     have = 0;
    int     ret = 0;
    int     blank;

    *listp = 0;
    if (readfile_limited(path, MASTER_CONF_MAX_FILE, data, reason) < 0) {
	if (strstr(vstring_str(reason), path) != 0)
	    vstring_strcpy(why, vstring_str(reason));
	else
	    vstring_sprintf(why, "%s: %s", path, vstring_str(reason));
	ret = -1;
    }
    cp = vstring_str(data);
    end = vstring_end(data);
    if (ret == 0 && (nul = memchr(cp, 0, vstring_len(data))) != 0) {
	for (line = 1; cp < nul; cp++)
	    if (*cp == '\n')
		line++;
	vstring_sprintf(why, "%s, line %d: NUL byte in line", path, line);
	ret = -1;
    }
    for (;;) {
	if (ret < 0)
	    break;
	if (cp < end) {
	    line++;
	    if ((eol = memchr(cp, '\n', (size_t) (end - cp))) == 0)
		eol = end;
	    next = eol < end ? eol + 1 : end;
	    for (blank = 1, nul = cp; nul < eol; nul++) {
		if (!isspace((unsigned char) *nul)) {
		    blank = (*nul == '#');
		    break;
		}
	    }
	    if (blank) {
		cp = next;
		continue;
	    }
	    if (isspace((unsigned char) *cp)) {
		if (!have) {
		    vstring_sprintf(why, "%s, line %d: line begins with white"
				    " space but continues no service", path, line);
		    ret = -1;
		    break;
		}
		vstring_appendc(logical, ' ');
		vstring_append(logical, cp, (size_t) (eol - cp));
		if (vstring_len(logical) > MASTER_CONF_MAX_LINE) {
		    vstring_sprintf(why, "%s, line %d: line longer than %d bytes",
				    path, logical_line, MASTER_CONF_MAX_LINE);
		    ret = -1;
		    break;
		}
		cp = next;
		continue;
	    }
	}
	/* A new service line, or the end: finish the one before. */
	if (have) {
	    if ((ret = master_conf_parse_line(vstring_str(logical), path,
					      logical_line, &ent, why)) < 0)
		break;
	    if (ret == 1) {
		if ((ret = master_conf_add(&list, &tail, ent, why)) < 0) {
		    master_conf_ent_free(ent);
		    break;
		}
		master_conf_warn_overrides(ent);
	    }
	    ret = 0;
	    have = 0;
	}
	if (cp >= end)
	    break;
	if ((size_t) (eol - cp) > MASTER_CONF_MAX_LINE) {
	    vstring_sprintf(why, "%s, line %d: line longer than %d bytes",
			    path, line, MASTER_CONF_MAX_LINE);
	    ret = -1;
	    break;
	}
	vstring_memcpy(logical, cp, (size_t) (eol - cp));
	logical_line = line;
	have = 1;
	cp = next;
    }
    vstring_free(&data);
    vstring_free(&logical);
    vstring_free(&reason);
    if (ret < 0) {
	master_conf_free(&list);
	return (-1);
    }
    *listp = list;
    return (0);
}

/* master_conf_word - append a word, in braces when it needs them */

static void master_conf_word(struct vstring *buf, const char *word)
{
    const char *cp;
    int     brace = (*word == 0 || *word == '{' || strcmp(word, "-o") == 0);

    for (cp = word; !brace && *cp; cp++)
	if (isspace((unsigned char) *cp))
	    brace = 1;
    if (brace)
	vstring_sprintf_append(buf, *word ? " { %s }" : " {}", word);
    else
	vstring_sprintf_append(buf, " %s", word);
}

/* master_conf_format - one entry in canonical form */

void    master_conf_format(struct vstring *buf, const struct master_ent *ent)
{
    struct vstring *col = vstring_alloc(20);
    const char *eq;
    const char *cp;
    size_t  i;
    int     brace;

    vstring_sprintf_append(buf, "%-11s %-11s %-7s %-7s %-7s ", ent->name,
			   master_type_name(ent->type), ent->private_ ? "y" : "n",
			   ent->unpriv ? "y" : "n", ent->chroot ? "y" : "n");
    if (ent->wakeup == 0 && !ent->wakeup_if_used)
	vstring_strcpy(col, "-");
    else
	vstring_sprintf(col, "%d%s", ent->wakeup, ent->wakeup_if_used ? "?" : "");
    vstring_sprintf_append(buf, "%-7s ", vstring_str(col));
    if (ent->maxproc == MASTER_MAXPROC_DEFAULT)
	vstring_strcpy(col, "-");
    else
	vstring_sprintf(col, "%d", ent->maxproc);
    vstring_sprintf_append(buf, "%-7s", vstring_str(col));
    master_conf_word(buf, ent->args->argc > 0 ? ent->args->argv[0] : "");
    for (i = 0; i < ent->overrides->argc; i++) {
	eq = strchr(ent->overrides->argv[i], '=');
	for (brace = 0, cp = ent->overrides->argv[i]; *cp; cp++)
	    if (isspace((unsigned char) *cp))
		brace = 1;
	if (brace && eq)
	    vstring_sprintf_append(buf, " -o { %.*s = %s }",
				   (int) (eq - ent->overrides->argv[i]),
				   ent->overrides->argv[i], eq + 1);
	else
	    vstring_sprintf_append(buf, " -o %s", ent->overrides->argv[i]);
    }
    for (i = 1; i < ent->args->argc; i++)
	master_conf_word(buf, ent->args->argv[i]);
    vstring_free(&col);
}
