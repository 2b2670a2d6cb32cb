/*++
/* NAME
/*	login_sender 3
/* SUMMARY
/*	which envelope senders a local login may submit with
/* SYNOPSIS
/*	#include <login_sender.h>
/*
/*	int	login_sender_ok(login, uid, sender, why)
/*	const char *login;
/*	long	uid;
/*	const char *sender;
/*	struct vstring *why;
/*
/*	int	login_sender_match(login, sender, allowed)
/* DESCRIPTION
/*	A local user may submit mail with any envelope sender by default
/*	(sendmail -f), as list managers and other programs expect; the
/*	administrator narrows that with $local_login_sender_maps.
/*	login_sender_ok() decides for one submission: root (uid 0)
/*	always may, and so may anyone using their own login name (bare,
/*	or as login@$myorigin). Otherwise the tables of
/*	$local_login_sender_maps are asked with the login name, then with
/*	"*" (the value for every other login); the first value found is
/*	a list, separated by blanks or commas, of what that login may use:
/* .IP *
/*	any sender;
/* .IP <>
/*	the null sender;
/* .IP @domain
/*	any address in that domain;
/* .IP address
/*	that address (case-insensitive); an address without "@" means
/*	itself and address@$myorigin.
/* .PP
/*	With no value found the login may use only its own name.
/*	login_sender_match(login, sender, allowed) applies one such list
/*	(for tests and the fuzzer).
/* DIAGNOSTICS
/*	LOGIN_SENDER_OK, LOGIN_SENDER_REFUSED (why says so), or
/*	LOGIN_SENDER_ERROR when a table could not be read (why says so;
/*	the submission should be refused for now, not accepted).
/*--*/
#include <string.h>
#include <strings.h>

#include <argv.h>
#include <vstring.h>

#include <dict.h>
#include <login_sender.h>
#include <mail_params.h>

/* login_sender_is - sender is name, or name@$myorigin for a bare name */

static int login_sender_is(const char *sender, const char *name)
{
    size_t  len = strlen(name);

    if (strcasecmp(sender, name) == 0)
	return (1);
    return (strchr(name, '@') == 0 && strncasecmp(sender, name, len) == 0
	    && sender[len] == '@'
	    && strcasecmp(sender + len + 1, var_myorigin) == 0);
}

int     login_sender_match(const char *login, const char *sender,
			           const char *allowed)
{
    struct argv *list;
    const char *at;
    const char *item;
    size_t  i;
    int     ok = 0;

    if (*sender && login_sender_is(sender, login))
	return (1);
    list = argv_split(allowed, ", \t\r\n");
    at = strrchr(sender, '@');
    for (i = 0; !ok && i < list->argc; i++) {
	item = list->argv[i];
	if (strcmp(item, "*") == 0)
	    ok = 1;
	else if (strcmp(item, "<>") == 0)
	    ok = (*sender == 0);
	else if (*item == '@')
	    ok = (at != 0 && strcasecmp(at + 1, item + 1) == 0);
	else
	    ok = (*sender != 0 && login_sender_is(sender, item));
    }
    argv_free(&list);
    return (ok);
}

int     login_sender_ok(const char *login, long uid, const char *sender,
			        struct vstring *why)
{
    struct argv *maps;
    struct dict *dict;
    const char *value = 0;
    const char *keys[2];
    size_t  i;
    size_t  k;
    int     status;
    int     ret = LOGIN_SENDER_REFUSED;
    int     found = 0;

    if (uid == 0 || (*sender && login_sender_is(sender, login)))
	return (LOGIN_SENDER_OK);
    keys[0] = login;
    keys[1] = "*";
    maps = argv_split_braced(var_login_sender_maps, ", \t\r\n");
    for (k = 0; !found && k < 2; k++) {
	for (i = 0; !found && i < maps->argc; i++) {
	    if ((dict = dict_open(maps->argv[i], DICT_MODE_READ,
				  DICT_FLAG_DEFAULT, why)) == 0) {
		vstring_sprintf(why, "%s %s: cannot open",
				VAR_LOGIN_SENDER_MAPS, maps->argv[i]);
		argv_free(&maps);
		return (LOGIN_SENDER_ERROR);
	    }
	    status = dict_lookup(dict, keys[k], &value);
	    if (status == DICT_STAT_ERROR) {
		vstring_sprintf(why, "%s %s: %s", VAR_LOGIN_SENDER_MAPS,
				maps->argv[i], dict_error(dict));
		dict_close(&dict);
		argv_free(&maps);
		return (LOGIN_SENDER_ERROR);
	    }
	    if (status == DICT_STAT_FOUND) {
		found = 1;
		if (login_sender_match(login, sender, value))
		    ret = LOGIN_SENDER_OK;
	    }
	    dict_close(&dict);
	}
    }
    argv_free(&maps);
    if (ret != LOGIN_SENDER_OK)
	vstring_sprintf(why, "login %s may not use the sender <%s> (%s)",
			login, sender, VAR_LOGIN_SENDER_MAPS);
    return (ret);
}
