/*++
/* NAME
/*	dromos 1
/* SUMMARY
/*	dromos control program: check, start, stop, reload, status
/* SYNOPSIS
/*	dromos [-c config_dir] [-v] command
/* DESCRIPTION
/*	dromos checks the installation and configuration, and starts,
/*	stops and refreshes the dromos mail system: the master daemon and
/*	the services it runs. The commands:
/* .IP check
/*	Check the configuration and the installation, report every
/*	problem, and change nothing. Errors (exit status 1): main.cf or
/*	master.cf does not parse (one line per error, naming the file and
/*	line); mail_owner or setgid_group does not exist; mail_owner is
/*	root, has uid 0, or shares its uid with another user; setgid_group
/*	is mail_owner's primary group; a master.cf command is missing from
/*	daemon_directory or not executable; the installation manifest
/*	($daemon_directory/dromos-files) cannot be read. Warnings (printed,
/*	exit status 0): myhostname or a mydestination entry that is not a
/*	valid domain name; a manifest entry that is missing or has the
/*	wrong type, owner, group or mode, as in "warning:
/*	/var/spool/dromos/incoming: owner is root, should be dromos"; a
/*	chroot copy (manifest flag c) that differs from the live system
/*	file it copies; proxy: tables in local_recipient_maps, a restriction
/*	list, mynetworks, relay_domains or mydestination without a proxymap
/*	service in master.cf (an upgraded installation keeps its old
/*	master.cf). Run as root to check everything; other users get
/*	what their permissions allow.
/* .IP start
/*	Refuse when master already runs ("the dromos mail system is
/*	already running (pid N)", exit status 1). Run the checks (errors
/*	stop it), refresh the chroot copies (manifest flag c) from the live
/*	system files with the manifest's owner, group and mode (unless
/*	chroot_refresh = no), then run
/*	"$daemon_directory/master -c config_dir -w", which detaches and
/*	reports whether it started. The exit status is master's.
/* .IP start-fg
/*	The same checks and refresh, then replace this process with
/*	"master -c config_dir -f": master stays in the foreground and logs
/*	to the standard error stream as well. For containers and tests.
/* .IP stop
/*	Send SIGTERM to master (found through the lock on
/*	$queue_directory/pid/master.pid) and wait up to 30 seconds until
/*	it has let go of that lock. Exit status 1 when master was not
/*	running ("the dromos mail system is not running") or did not stop.
/* .IP reload
/*	Send SIGHUP to master: it rereads main.cf and master.cf and
/*	restarts its services.
/* .IP flush
/*	Ask qmgr(8) to try every deferred message now, whatever its
/*	back-off (the trigger "F" on $queue_directory/private/qmgr), and
/*	wake pickup(8) for local submissions waiting in maildrop/. Exit
/*	status 1 when master is not running or qmgr cannot be reached.
/*	(Ordinary users flush with "dromqueue -f", through showq(8).)
/* .IP status
/*	Say whether master runs ("the dromos mail system is running: PID:
/*	N", exit status 0) or not (exit status 1); when the caller can read
/*	the queue (root), also how many messages each queue holds:
/*
/* .nf
/*	dromos: queue: maildrop 0, incoming 0, active 2, deferred 17, hold 1, corrupt 0
/* .fi
/*
/*	(mailq, dromqueue(1), lists them).
/* .IP logrotate
/*	When maillog_file is a regular file: rename it to
/*	FILE.SUFFIX, where SUFFIX is the current time formatted with
/*	strftime(3) and maillog_file_rotate_suffix; create a new empty
/*	FILE owned by mail_owner with mode 0600; reload master when it
/*	runs, so logd(8) writes to the new file. Reports the new name. An
/*	empty maillog_file, or one that is not a regular file, is an error.
/* .PP
/*	Options:
/* .IP "-c config_dir"
/*	Read main.cf and master.cf from config_dir instead of
/*	$MAIL_CONFIG or the compiled-in default.
/* .IP -v
/*	More verbose output (repeatable); passed on to master.
/* .PP
/*	start, stop and reload are also logged (through logd(8) when
/*	maillog_file is set and its socket answers, otherwise syslog).
/* SECURITY
/*	dromos is not set-uid. start, start-fg, stop, reload and logrotate
/*	must be run by root and say "must be run as root" otherwise; check
/*	and status may be run by anyone. It trusts the configuration files
/*	and the manifest (they are root-owned); as root it writes only the
/*	chroot copies under queue_directory, the new maillog_file, and
/*	renames the old one. It runs master without a shell.
/* DIAGNOSTICS
/*	Messages go to the standard error stream as "dromos: text",
/*	"dromos: warning: text", "dromos: error: text" or "dromos: fatal:
/*	text". Exit status 0 on success (check: no errors, perhaps
/*	warnings), 1 on failure, 2 for a usage error; start passes on
/*	master's exit status.
/* BUGS
/*	check looks at syntax only: it does not resolve myhostname or
/*	test that master.cf services can bind their addresses.
/* CONFIGURATION PARAMETERS
/* .IP config_directory
/*	Where main.cf and master.cf are.
/* .IP daemon_directory
/*	Where master, the daemons and the manifest dromos-files are.
/* .IP queue_directory
/*	The queue; its pid/master.pid names the running master.
/* .IP mail_owner, setgid_group
/*	The users and groups checked.
/* .IP myhostname, myorigin, mydestination
/*	The names checked.
/* .IP command_directory, data_directory
/*	check warns when the commands are not in command_directory, and
/*	when data_directory is inside queue_directory (the jail).
/* .IP chroot_refresh
/*	Whether start and start-fg refresh the chroot copies.
/* .IP maillog_file, maillog_file_rotate_suffix
/*	The log file that logrotate renames, and the strftime(3) format of
/*	the suffix it adds.
/* .IP syslog_name, syslog_facility
/*	How start, stop and reload are logged without maillog_file.
/* FILES
/*	$config_directory/main.cf, $config_directory/master.cf.
/*	$daemon_directory/dromos-files, the installation manifest.
/*	$queue_directory/pid/master.pid, master's lock file.
/*	$queue_directory/etc/, the chroot copies of system files.
/* SEE ALSO
/*	master(8), the process manager.
/*	logd(8), the log service.
/*	dromconf(1), configuration parameters.
/*--*/
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <vstring.h>

#include <mail_conf.h>
#include <mail_params.h>

#include "dromos.h"

#define DROMOS_EXIT_USAGE	2

const char *dromos_config_dir;

struct dromos_command {
    const char *name;
    int     need_root;
    int     (*fn) (void);
};

static const struct dromos_command dromos_commands[] = {
    {"check", 0, dromos_cmd_check},
    {"start", 1, dromos_cmd_start},
    {"start-fg", 1, dromos_cmd_start_fg},
    {"stop", 1, dromos_cmd_stop},
    {"reload", 1, dromos_cmd_reload},
    {"status", 0, dromos_cmd_status},
    {"flush", 1, dromos_cmd_flush},
    {"logrotate", 1, dromos_cmd_logrotate},
    {0, 0, 0},
};

/* dromos_usage - one line, listing the commands */

static void __attribute__((noreturn)) dromos_usage(const char *problem)
{
    const struct dromos_command *cmd;
    struct vstring *buf = vstring_alloc(100);

    for (cmd = dromos_commands; cmd->name; cmd++)
	vstring_sprintf_append(buf, "%s%s", cmd == dromos_commands ? "" : "|",
			       cmd->name);
    msg_fatal_status(DROMOS_EXIT_USAGE);
    msg_fatal("%s%susage: dromos [-c config_dir] [-v] %s",
	      problem ? problem : "", problem ? "; " : "", vstring_str(buf));
}

int     main(int argc, char **argv)
{
    const struct dromos_command *cmd;
    struct vstring *why;
    struct vstring *problem;
    int     ch;

    msg_init("dromos");
    msg_stderr_init(1, 0);
    while ((ch = getopt(argc, argv, "+c:v")) != -1) {
	switch (ch) {
	case 'c':
	    dromos_config_dir = optarg;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	default:
	    dromos_usage(0);
	}
    }
    if (optind != argc - 1)
	dromos_usage(optind >= argc ? "no command" : "too many arguments");
    for (cmd = dromos_commands; cmd->name; cmd++)
	if (strcmp(cmd->name, argv[optind]) == 0)
	    break;
    if (cmd->name == 0) {
	problem = vstring_alloc(100);
	vstring_sprintf(problem, "unknown command \"%s\"", argv[optind]);
	dromos_usage(vstring_str(problem));
    }
    if (cmd->need_root && geteuid() != 0)
	msg_fatal("%s: must be run as root", cmd->name);

    /*
     * The configuration folder: -c, else $MAIL_CONFIG, else the default.
     * Every error is one line naming the file and line.
     */
    if (dromos_config_dir == 0
	&& (dromos_config_dir = getenv("MAIL_CONFIG")) == 0)
	dromos_config_dir = DEF_CONFIG_DIR;
    why = vstring_alloc(100);
    if (mail_conf_read(dromos_config_dir, why) < 0
	|| mail_conf_eval(why) < 0) {
	msg_error("%s", vstring_str(why));
	exit(1);
    }
    vstring_free(&why);
    msg_set_syslog_name(var_syslog_name);
    msg_set_hostname(var_myhostname);
    exit(cmd->fn());
}
