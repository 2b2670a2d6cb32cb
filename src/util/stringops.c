/*++
/* NAME
/*	stringops 3
/* SUMMARY
/*	small string helpers
/* SYNOPSIS
/*	#include <stringops.h>
/*
/*	char	*mystrtok(&bufp, delim)
/*	char	*trimblanks(str)
/*	char	*lowercase(str)
/*	int	alldig(str)
/*	int	str_to_long(str, &val_r, why)
/*	int	str_has_prefix(str, prefix)
/*	char	*printable(str, repl)
/*	struct vstring *path_join(vs, dir, name)
/* DESCRIPTION
/*	See stringops.h. White space means ASCII space, tab, CR, LF, VT
/*	and FF; "printable" means ASCII 0x20 to 0x7e, independent of the
/*	locale. str_to_long() accepts an optional sign followed by
/*	decimal digits and nothing else (no white space). path_join()
/*	inserts one "/" unless dir is empty or already ends in one.
/* DIAGNOSTICS
/*	str_to_long(): -1 with "empty number", "bad number \"...\"" or
/*	"number out of range \"...\"" in why.
/*--*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <vstring.h>
#include <stringops.h>

#define STR_IS_BLANK(c)	((c) == ' ' || ((c) >= '\t' && (c) <= '\r'))

char   *mystrtok(char **bufp, const char *delim)
{
    char   *start = *bufp;
    char   *end;

    start += strspn(start, delim);
    if (*start == 0) {
	*bufp = start;
	return (0);
    }
    end = start + strcspn(start, delim);
    if (*end != 0)
	*end++ = 0;
    *bufp = end;
    return (start);
}

char   *trimblanks(char *str)
{
    char   *end;

    while (STR_IS_BLANK(*str))
	str++;
    end = str + strlen(str);
    while (end > str && STR_IS_BLANK(end[-1]))
	end--;
    *end = 0;
    return (str);
}

char   *lowercase(char *str)
{
    char   *cp;

    for (cp = str; *cp; cp++)
	if (*cp >= 'A' && *cp <= 'Z')
	    *cp += 'a' - 'A';
    return (str);
}

int     alldig(const char *str)
{
    const char *cp;

    if (*str == 0)
	return (0);
    for (cp = str; *cp; cp++)
	if (*cp < '0' || *cp > '9')
	    return (0);
    return (1);
}

int     str_to_long(const char *str, long *val_r, struct vstring *why)
{
    const char *digits = str;
    char   *end;
    long    val;

    if (*digits == '+' || *digits == '-')
	digits++;
    if (*str == 0) {
	if (why)
	    vstring_strcpy(why, "empty number");
	return (-1);
    }
    if (!alldig(digits)) {
	if (why)
	    vstring_sprintf(why, "bad number \"%s\"", str);
	return (-1);
    }
    errno = 0;
    val = strtol(str, &end, 10);
    if (errno == ERANGE) {
	if (why)
	    vstring_sprintf(why, "number out of range \"%s\"", str);
	return (-1);
    }
    *val_r = val;
    return (0);
}

int     str_has_prefix(const char *str, const char *prefix)
{
    return (strncmp(str, prefix, strlen(prefix)) == 0);
}

char   *printable(char *str, int repl)
{
    char   *cp;

    for (cp = str; *cp; cp++)
	if ((unsigned char) *cp < 0x20 || (unsigned char) *cp > 0x7e)
	    *cp = (char) repl;
    return (str);
}

struct vstring *path_join(struct vstring *vs, const char *dir, const char *name)
{
    size_t  len = strlen(dir);

    vstring_strcpy(vs, dir);
    if (len > 0 && dir[len - 1] != '/')
	vstring_appendc(vs, '/');
    return (vstring_appends(vs, name));
}
