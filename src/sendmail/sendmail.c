/*++
/* NAME
/*	sendmail 1
/* SUMMARY
/*	the Sendmail-compatible submission command, mailq and newaliases
/* SYNOPSIS
/*	sendmail [options] [recipient ...]
/*
/*	mailq [options]
/*
/*	newaliases [options]
/* DESCRIPTION
/*	Programs on a Unix host send mail by running sendmail with the
/*	message on standard input. dromos' sendmail takes the options
/*	programs use, reads the message, and submits it through
/*	dromdrop(1), the set-group-ID program that puts it in the
/*	maildrop queue, from where pickup(8) passes it to cleanup(8). It
/*	needs no privilege: any user may submit. When it exits with
/*	status 0 the message is on disk. Run as mailq it lists the queue
/*	(dromqueue -p); run as newaliases it rebuilds $alias_database.
/*
/*	The message is read up to the end of input, or up to a line with
/*	only "." unless -i or -oi is given. Lines may end in LF or CR LF.
/*	Recipients are the arguments, plus with -t the addresses of the
/*	To:, Cc: and Bcc: headers (Resent-To:, Resent-Cc: and Resent-Bcc:
/*	when the message has Resent- headers), and the Bcc: headers are
/*	then removed. The envelope sender is -f's address, else the login
/*	name of the user (cleanup adds @$myorigin). Any user may use -f,
/*	as list managers and similar programs need;
/*	$local_login_sender_maps can narrow that per login (see
/*	dromdrop(1)); the log always shows the real login.
/*
/*	Options:
/* .IP -bm
/*	Read a message and submit it (the default).
/* .IP -bs
/*	Speak SMTP on standard input and output (see sendmail_bs(3)).
/* .IP -bp
/*	List the queue, as mailq does.
/* .IP -bi
/*	Rebuild the aliases database, as newaliases does: "drommap -a"
/*	for each table of $alias_database.
/* .IP "-C config_dir"
/*	Use config_dir/main.cf (also $MAIL_CONFIG).
/* .IP "-F full_name"
/*	The sender's full name, used in a From: header that cleanup adds
/*	when the message has none (default: the first field of the
/*	user's GECOS entry).
/* .IP "-f sender, -r sender"
/*	The envelope sender; "<>" or "" is the null sender.
/* .IP "-i, -oi"
/*	A line with only "." does not end the message.
/* .IP "-N dsn"
/*	DSN NOTIFY for every recipient: "never", or a comma list of
/*	"success", "failure", "delay".
/* .IP "-R ret"
/*	DSN RET: "full" or "hdrs".
/* .IP "-V envid"
/*	DSN ENVID: printable ASCII, at most 100 characters.
/* .IP "-q"
/*	Flush the queue (dromqueue -f); "-qIinterval" forms are accepted
/*	and flush too.
/* .IP -t
/*	Add recipients from the headers, as above.
/* .IP -v
/*	More logging.
/* .PP
/*	Legacy options that make no sense here (-B, -h, -L, -m, -n, -U,
/*	-G, -X, -O, the other -o options, -e, -c, -x, -oX... and -bd)
/*	are accepted with a warning where they would change behaviour,
/*	and otherwise ignored, as Postfix does: scripts written for other
/*	mail systems keep working.
/* DIAGNOSTICS
/*	Problems are reported on the standard error stream. The exit
/*	status follows sysexits.h (dromdrop's status when it ran): 0
/*	submitted, 64 usage, 65 a malformed or too large message, 66 no
/*	input, 67 the sender is not allowed, 75 try again later.
/* CONFIGURATION PARAMETERS
/* .IP command_directory
/*	Where dromdrop, dromqueue and drommap are.
/* .IP message_size_limit
/*	The largest message.
/* .IP alias_database
/*	What newaliases builds.
/* SEE ALSO
/*	dromdrop(1), pickup(8), dromqueue(1), drommap(1)
/*--*/
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <dsn.h>
#include <mail_conf.h>
#include <mail_params.h>

#include "sendmail.h"

const char *sendmail_config_dir;

#define MODE_SUBMIT	'm'
#define MODE_SMTP	's'
#define MODE_QUEUE	'p'
#define MODE_ALIASES	'i'
#define MODE_FLUSH	'q'

static void sendmail_usage(void)
{
    msg_fatal_status(EX_USAGE);
    msg_fatal("usage: sendmail [-t] [-i] [-f sender] [-F name] [-N dsn] "
	      "[-R ret] [-V envid] [-bm|-bs|-bp|-bi|-q] [recipient ...]");
}

/* sendmail_exec - run a dromos command; its exit status */

static int sendmail_exec(const char *cmd, char **args)
{
    struct vstring *path = vstring_alloc(100);
    struct argv *argv = argv_alloc(8);
    pid_t   pid;
    int     status;

    vstring_sprintf(path, "%s/%s", var_command_dir, cmd);
    argv_add(argv, cmd, (char *) 0);
    for (; args && *args; args++)
	argv_add(argv, *args, (char *) 0);
    if ((pid = fork()) < 0)
	msg_fatal("fork: %m");
    if (pid == 0) {
	if (sendmail_config_dir)
	    (void) setenv("MAIL_CONFIG", sendmail_config_dir, 1);
	execv(vstring_str(path), argv->argv);
	msg_warn("execute %s: %m", vstring_str(path));
	_exit(EX_OSERR);
    }
    while (waitpid(pid, &status, 0) < 0)
	if (errno != EINTR)
	    msg_fatal("waitpid: %m");
    vstring_free(&path);
    argv_free(&argv);
    return (WIFEXITED(status) ? WEXITSTATUS(status) : EX_SOFTWARE);
}

/* sendmail_newaliases - drommap -a for each $alias_database table */

static int sendmail_newaliases(void)
{
    struct argv *tables = argv_split(var_alias_db, ", \t\r\n");
    char   *args[3];
    size_t  i;
    int     status = 0;
    int     st;

    for (i = 0; i < tables->argc; i++) {
	args[0] = "-a";
	args[1] = tables->argv[i];
	args[2] = 0;
	if ((st = sendmail_exec("drommap", args)) != 0)
	    status = st;
    }
    argv_free(&tables);
    return (status);
}

/* sendmail_arg - the option's value: rest of the word or the next word */

static const char *sendmail_arg(int argc, char **argv, int *i, const char *rest)
{
    if (*rest)
	return (rest);
    if (*i + 1 >= argc)
	sendmail_usage();
    return (argv[++*i]);
}

/* sendmail_sender - -f's value: "<addr>" or "addr"; "<>" is "" */

static char *sendmail_sender(const char *arg)
{
    size_t  len = strlen(arg);

    if (len >= 2 && arg[0] == '<' && arg[len - 1] == '>')
	return (mystrndup(arg + 1, len - 2));
    return (mystrdup(arg));
}

int     main(int argc, char **argv)
{
    struct sendmail_msg m;
    struct vstring *why;
    struct vstring *content;
    struct argv *rcpts;
    struct vstream *in;
    int     read_status;
    struct passwd *pw;
    const char *name;
    const char *val;
    char   *sender = 0;
    char   *full_name = 0;
    char   *cp;
    char   *ret = 0;
    char   *envid = 0;
    int     mode = MODE_SUBMIT;
    int     extract = 0;
    int     dots = 1;
    int     notify = 0;
    int     status;
    int     i;
    int     n;

    msg_init(argv[0]);
    msg_stderr_init(1, 0);
    msg_fatal_status(EX_TEMPFAIL);
    if ((name = strrchr(argv[0], '/')) != 0)
	name++;
    else
	name = argv[0];
    if (strcmp(name, "mailq") == 0)
	mode = MODE_QUEUE;
    else if (strcmp(name, "newaliases") == 0)
	mode = MODE_ALIASES;
    if ((val = getenv("MAIL_CONFIG")) != 0 && *val)
	sendmail_config_dir = val;
    rcpts = argv_alloc(8);

    /* Sendmail's options: letters with values attached or not. */
    for (i = 1; i < argc; i++) {
	cp = argv[i];
	if (strcmp(cp, "--") == 0) {
	    i++;
	    break;
	}
	if (cp[0] != '-' || cp[1] == 0)
	    break;
	switch (cp[1]) {
	case 'b':
	    switch (cp[2]) {
	    case 'm':
		mode = MODE_SUBMIT;
		break;
	    case 's':
		mode = MODE_SMTP;
		break;
	    case 'p':
		mode = MODE_QUEUE;
		break;
	    case 'i':
		mode = MODE_ALIASES;
		break;
	    default:
		msg_fatal_status(EX_USAGE);
		msg_fatal("-b%s: unsupported mode", cp + 2);
	    }
	    break;
	case 'C':
	    sendmail_config_dir = sendmail_arg(argc, argv, &i, cp + 2);
	    break;
	case 'F':
	    if (full_name)
		myfree(full_name);
	    full_name = mystrdup(sendmail_arg(argc, argv, &i, cp + 2));
	    break;
	case 'f':
	case 'r':
	    if (sender)
		myfree(sender);
	    sender = sendmail_sender(sendmail_arg(argc, argv, &i, cp + 2));
	    break;
	case 'i':
	    dots = 0;
	    break;
	case 'o':
	    val = sendmail_arg(argc, argv, &i, cp + 2);
	    if (strcmp(val, "i") == 0)
		dots = 0;
	    else if (val[0] != 'd' && val[0] != 'e' && val[0] != 'm')
		msg_warn("-o%s ignored", val);
	    break;
	case 'N':
	    val = sendmail_arg(argc, argv, &i, cp + 2);
	    if ((notify = dsn_notify_parse(val)) <= 0) {
		msg_fatal_status(EX_USAGE);
		msg_fatal("-N %s: need \"never\" or a list of success, "
			  "failure, delay", val);
	    }
	    break;
	case 'R':
	    val = sendmail_arg(argc, argv, &i, cp + 2);
	    if (strcasecmp(val, "full") && strcasecmp(val, "hdrs")) {
		msg_fatal_status(EX_USAGE);
		msg_fatal("-R %s: need \"full\" or \"hdrs\"", val);
	    }
	    if (ret)
		myfree(ret);
	    ret = mystrdup(strcasecmp(val, "full") == 0 ? DSN_RET_FULL :
			   DSN_RET_HDRS);
	    break;
	case 'V':
	    val = sendmail_arg(argc, argv, &i, cp + 2);
	    if (*val == 0 || strlen(val) > DSN_ENVID_MAX) {
		msg_fatal_status(EX_USAGE);
		msg_fatal("-V: the envelope ID must be 1 to %d characters",
			  DSN_ENVID_MAX);
	    }
	    for (n = 0; val[n]; n++)
		if ((unsigned char) val[n] < 0x21 || (unsigned char) val[n] > 0x7e) {
		    msg_fatal_status(EX_USAGE);
		    msg_fatal("-V: the envelope ID must be printable ASCII");
		}
	    if (envid)
		myfree(envid);
	    envid = mystrdup(val);
	    break;
	case 'q':
	    mode = MODE_FLUSH;
	    break;
	case 't':
	    extract = 1;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	case 'B':
	case 'h':
	case 'L':
	case 'O':
	case 'X':
	    (void) sendmail_arg(argc, argv, &i, cp + 2);
	    if (cp[1] != 'B' && cp[1] != 'h')
		msg_warn("-%c ignored", cp[1]);
	    break;
	case 'c':
	case 'e':
	case 'G':
	case 'm':
	case 'n':
	case 'U':
	case 'x':
	    break;
	default:
	    msg_warn("-%c: unknown option ignored", cp[1]);
	    break;
	}
    }

    why = vstring_alloc(100);
    if (mail_conf_read(sendmail_config_dir ? sendmail_config_dir :
		       DEF_CONFIG_DIR, why) < 0 || mail_conf_eval(why) < 0)
	msg_fatal("%s", vstring_str(why));

    content = vstring_alloc(4096);
    switch (mode) {
    case MODE_QUEUE:
	status = sendmail_exec("dromqueue", (char *[]) {"-p", 0});
	goto out;
    case MODE_FLUSH:
	status = sendmail_exec("dromqueue", (char *[]) {"-f", 0});
	goto out;
    case MODE_ALIASES:
	status = sendmail_newaliases();
	goto out;
    default:
	break;
    }

    /* Who is sending. */
    if ((pw = getpwuid(getuid())) == 0) {
	msg_fatal_status(EX_NOUSER);
	msg_fatal("no login name for user ID %ld", (long) getuid());
    }
    if (sender == 0)
	sender = mystrdup(pw->pw_name);
    if (full_name == 0 && pw->pw_gecos && *pw->pw_gecos) {
	full_name = mystrdup(pw->pw_gecos);
	if ((cp = strchr(full_name, ',')) != 0)
	    *cp = 0;
    }
    memset(&m, 0, sizeof(m));
    m.sender = sender;
    m.rcpts = rcpts;
    m.notify = notify;
    m.ret = ret;
    m.envid = envid;
    m.full_name = full_name;

    if (mode == MODE_SMTP) {
	status = sendmail_bs(&m);
	goto out;
    }
    for (; i < argc; i++)
	argv_add(rcpts, argv[i], (char *) 0);
    in = vstream_fdopen(0, 0);
    read_status = sendmail_read(in, dots ? SENDMAIL_READ_DOT : 0,
				var_message_limit, content);
    (void) vstream_close(&in);
    switch (read_status) {
    case SENDMAIL_READ_ERROR:
	msg_fatal_status(EX_IOERR);
	msg_fatal("read the message: %m");
    case SENDMAIL_READ_TOOBIG:
	msg_fatal_status(EX_DATAERR);
	msg_fatal("message larger than %ld bytes (message_size_limit)",
		  var_message_limit);
    default:
	break;
    }
    if (extract && sendmail_extract(content, rcpts) < 0)
	msg_warn("a recipient header could not be parsed in full");
    if (rcpts->argc == 0) {
	msg_fatal_status(EX_USAGE);
	msg_fatal("no recipients given%s", extract ? " or found in the headers"
		  : " (use -t to take them from the headers)");
    }
    status = sendmail_submit(&m, content, why);
    if (status == EX_OSERR)
	msg_warn("%s", vstring_str(why));
out:
    vstring_free(&content);
    vstring_free(&why);
    argv_free(&rcpts);
    if (sender)
	myfree(sender);
    if (full_name)
	myfree(full_name);
    if (ret)
	myfree(ret);
    if (envid)
	myfree(envid);
    return (status);
}
