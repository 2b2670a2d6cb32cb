/*++
/* NAME
/*	mail_params 3
/* SUMMARY
/*	the parameter table: every configuration parameter, in one place
/* SYNOPSIS
/*	#include <mail_params.h>
/*
/*	const struct mail_param mail_param_table[];
/*
/*	const struct mail_param *mail_param_find(name)
/*	const char *name;
/*
/*	const char *mail_param_type_name(type)
/*	int	type;
/*
/*	const char *mail_param_default(row, buf)
/*	const struct mail_param *row;
/*	struct vstring *buf;
/* DESCRIPTION
/*	See mail_params.h. This file defines the var_ variables and the
/*	table that describes them; mail_conf_eval() fills the variables.
/*	The table is sorted by name (dromconf and the generated
/*	html/parameters.html list it in this order).
/*
/*	Computed defaults:
/* .IP myhostname
/*	the system's host name (gethostname(2)). When it has no dot, the
/*	canonical name from getaddrinfo(3) with AI_CANONNAME is used if
/*	that has a dot; otherwise ".localdomain" is appended to the bare
/*	name, so myhostname always looks fully qualified. The result is
/*	folded to lower case and computed once per process.
/* .IP mydomain
/*	myhostname without its first label; "localdomain" when nothing is
/*	left. (In effect, mail_conf derives mydomain from the myhostname
/*	value in effect, not from this built-in one.)
/* DIAGNOSTICS
/*	None. A failing gethostname() gives "localhost.localdomain".
/*--*/
#include <sys/types.h>
#include <sys/socket.h>
#include <ctype.h>
#include <netdb.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <mail_params.h>

char   *var_config_dir;
char   *var_queue_dir;
char   *var_daemon_dir;
char   *var_command_dir;
char   *var_data_dir;
char   *var_mail_owner;
char   *var_sgid_group;
char   *var_myhostname;
char   *var_mydomain;
char   *var_myorigin;
char   *var_mydest;
char   *var_inet_interfaces;
char   *var_inet_protocols;
char   *var_syslog_name;
char   *var_syslog_facility;
char   *var_maillog_file;
char   *var_maillog_rotate_suffix;
long    var_proc_limit;
long    var_max_use;
long    var_max_idle;
long    var_throttle_min;
long    var_throttle_time;
long    var_daemon_timeout;
char   *var_import_environ;
int     var_chroot_refresh;
char   *var_mail_name;
char   *var_smtpd_banner;
long    var_message_limit;
long    var_header_limit;
long    var_line_limit;
long    var_smtpd_rcpt_limit;
long    var_smtpd_soft_erlim;
long    var_smtpd_hard_erlim;
long    var_smtpd_err_sleep;
long    var_smtpd_tmout;
long    var_smtpd_session_tmout;
int     var_disable_vrfy;
int     var_smtpd_forbid_bare_nl;
long    var_ipc_timeout;
long    var_hopcount_limit;
long    var_queue_run_delay;
long    var_qfile_recycle;
long    var_min_backoff_time;
long    var_max_backoff_time;
long    var_local_dest_conc;
long    var_local_batch_limit;
char   *var_home_mailbox;
char   *var_mail_spool_dir;
char   *var_alias_maps;
char   *var_alias_db;
char   *var_allow_commands;
char   *var_allow_files;
char   *var_default_privs;
char   *var_forward_path;
char   *var_rcpt_delim;
int     var_exp_owner_alias;
long    var_command_maxtime;
int     var_strict_rfc821;
char   *var_smtpd_client_restr;
char   *var_smtpd_helo_restr;
char   *var_smtpd_sender_restr;
char   *var_smtpd_relay_restr;
char   *var_smtpd_rcpt_restr;
char   *var_smtpd_data_restr;
char   *var_smtpd_eod_restr;
char   *var_smtpd_rest_classes;
int     var_smtpd_delay_reject;
int     var_smtpd_rej_unl_rcpt;
int     var_smtpd_rej_unl_sender;
char   *var_smtpd_null_key;
char   *var_mynetworks;
char   *var_mynetworks_style;
char   *var_relay_domains;
char   *var_relay_rcpt_maps;
char   *var_proxy_interfaces;
char   *var_local_rcpt_maps;
char   *var_login_sender_maps;
char   *var_par_dom_match;
long    var_access_map_code;
long    var_access_map_defer_code;
long    var_relay_code;
long    var_local_rcpt_code;
long    var_relay_rcpt_code;
long    var_unk_client_code;
long    var_bad_name_code;
long    var_non_fqdn_code;
long    var_reject_code;
long    var_defer_code;
char   *var_proxy_read_maps;
long    var_pop3d_tmout;
long    var_pop3d_auth_delay;
long    var_pop3d_auth_limit;
long    var_pop3d_hard_erlim;
char   *var_pop3d_login_user;
char   *var_pop3d_sasl_path;
char   *var_pop3d_sasl_realm;
char   *var_cyrus_sasl_conf;
char   *var_pbs_database;
long    var_pbs_tmout;
long    var_unk_addr_code;

#define STR(name, def, flags, descr, var) \
	{ name, MAIL_PARAM_STR, def, 0, 0, flags, descr, var }
#define INT(name, def, min, max, descr, var) \
	{ name, MAIL_PARAM_INT, def, min, max, 0, descr, var }
#define TIME(name, def, min, max, descr, var) \
	{ name, MAIL_PARAM_TIME, def, min, max, 0, descr, var }

char   *var_2bounce_rcpt;
long    var_bounce_queue_lifetime;
long    var_bounce_size_limit;
long    var_default_dest_conc;
long    var_default_rcpt_limit;
char   *var_default_transport;
long    var_delay_warning_time;
long    var_init_dest_conc;
long    var_max_queue_lifetime;
long    var_qmgr_active_limit;
char   *var_relayhost;
char   *var_smtp_8bit_fallback;
char   *var_smtp_bind_addr;
char   *var_smtp_bind_addr6;
long    var_smtp_cache_time;
long    var_smtp_conn_tmout;
long    var_smtp_data0_tmout;
long    var_smtp_data1_tmout;
long    var_smtp_data2_tmout;
long    var_smtp_dest_conc;
char   *var_smtp_helo_name;
long    var_smtp_helo_tmout;
long    var_smtp_mail_tmout;
long    var_smtp_mx_addr_limit;
long    var_smtp_quit_tmout;
long    var_smtp_rcpt_tmout;
char   *var_transport_maps;

char   *var_double_bounce_sender;

#define DAY	86400L
#define WEEK	(7 * DAY)

const struct mail_param mail_param_table[] = {
    STR(VAR_2BOUNCE_RCPT, DEF_2BOUNCE_RCPT, 0,
	"Who gets the notice about a failed notice (a double bounce), sent from the double_bounce_sender address.",
	&var_2bounce_rcpt),
    INT(VAR_ACCESS_MAP_DEFER_CODE, DEF_ACCESS_MAP_DEFER_CODE, 400, 599,
	"The SMTP code for DEFER in an access table.",
	&var_access_map_defer_code),
    INT(VAR_ACCESS_MAP_CODE, DEF_ACCESS_MAP_CODE, 400, 599,
	"The SMTP code for REJECT in an access table.",
	&var_access_map_code),
    STR(VAR_ALIAS_DB, DEF_ALIAS_DB, 0,
	"The alias files that newaliases (drommap -a) builds: type:name, the text source being name.",
	&var_alias_db),
    STR(VAR_ALIAS_MAPS, DEF_ALIAS_MAPS, 0,
	"The tables local looks alias names up in, in order (the first table with the name wins).",
	&var_alias_maps),
    STR(VAR_ALLOW_COMMANDS, DEF_ALLOW_COMMANDS, 0,
	"Where local may deliver to |command: any of alias, forward, include.",
	&var_allow_commands),
    STR(VAR_ALLOW_FILES, DEF_ALLOW_FILES, 0,
	"Where local may deliver to /file/name: any of alias, forward, include.",
	&var_allow_files),
    TIME(VAR_BOUNCE_QUEUE_LIFETIME, DEF_BOUNCE_QUEUE_LIFETIME, 0, WEEK*10,
	"How long a delivery status notice (null sender) stays in the queue before it is given up; 0: one attempt.",
	&var_bounce_queue_lifetime),
    INT(VAR_BOUNCE_SIZE_LIMIT, DEF_BOUNCE_SIZE_LIMIT, 1, LONG_MAX,
	"The largest message that a non-delivery notice returns whole (RET=FULL, the default); of a larger one only the headers are returned.",
	&var_bounce_size_limit),
    {VAR_CHROOT_REFRESH, MAIL_PARAM_BOOL, DEF_CHROOT_REFRESH, 0, 0, 0,
	"Whether dromos start first copies the chroot's etc/ files (resolv.conf, hosts, ...) from the system.",
    &var_chroot_refresh},
    STR(VAR_COMMAND_DIR, DEF_COMMAND_DIR, MAIL_PARAM_F_BUILD,
	"The folder with the administrator commands (dromos, dromconf).",
	&var_command_dir),
    TIME(VAR_COMMAND_MAXTIME, DEF_COMMAND_MAXTIME, 1, WEEK,
	 "How long a command run for an alias or .forward may take; then it is killed and the delivery deferred.",
	 &var_command_maxtime),
    STR(VAR_CONFIG_DIR, DEF_CONFIG_DIR, MAIL_PARAM_F_BUILD,
	"The folder with main.cf and master.cf: the -c option or MAIL_CONFIG when given.",
	&var_config_dir),
    STR(VAR_CYRUS_SASL_CONF, DEF_CYRUS_SASL_CONF, 0,
	"The folder with the Cyrus SASL application files (pop3d.conf: pwcheck_method, auxprop_plugin, sasldb_path, mech_list).",
	&var_cyrus_sasl_conf),
    STR(VAR_DAEMON_DIR, DEF_DAEMON_DIR, MAIL_PARAM_F_BUILD,
	"The folder with the daemon programs that master runs.",
	&var_daemon_dir),
    TIME(VAR_DAEMON_TIMEOUT, DEF_DAEMON_TIMEOUT, 1, WEEK,
	 "How long a daemon may take to handle one request before it is killed.",
	 &var_daemon_timeout),
    STR(VAR_DATA_DIR, DEF_DATA_DIR, MAIL_PARAM_F_BUILD,
	"The folder, owned by mail_owner, with data that must survive restarts.",
	&var_data_dir),
    INT(VAR_DEFAULT_DEST_CONC, DEF_DEFAULT_DEST_CONC, 1, 1000,
	"The most connections qmgr keeps busy for one destination (transport and next hop) at once, for transports without a limit of their own.",
	&var_default_dest_conc),
    INT(VAR_DEFAULT_RCPT_LIMIT, DEF_DEFAULT_RCPT_LIMIT, 1, 100000,
	"The most recipients of one message that qmgr gives a delivery agent in one request group (one SMTP transaction).",
	&var_default_rcpt_limit),
    STR(VAR_DEFAULT_PRIVS, DEF_DEFAULT_PRIVS, 0,
	"The user that runs commands and file deliveries for aliases when the alias file belongs to root; never root.",
	&var_default_privs),
    INT(VAR_PROC_LIMIT, DEF_PROC_LIMIT, 1, 100000,
	"The most processes of one service at once, where master.cf says \"-\".",
	&var_proc_limit),
    STR(VAR_DEFAULT_TRANSPORT, DEF_DEFAULT_TRANSPORT, 0,
	"The transport (a master.cf service) for recipients outside mydestination that transport_maps does not route.",
	&var_default_transport),
    INT(VAR_DEFER_CODE, DEF_DEFER_CODE, 400, 599,
	"The SMTP code for the defer step.",
	&var_defer_code),
    TIME(VAR_DELAY_WARNING_TIME, DEF_DELAY_WARNING_TIME, 0, WEEK*10,
	"After how long in the queue the sender gets a notice that a message is not yet delivered; 0: never.",
	&var_delay_warning_time),
    {VAR_DISABLE_VRFY, MAIL_PARAM_BOOL, DEF_DISABLE_VRFY, 0, 0, 0,
	"Whether VRFY is disabled (answered with 252 and no information about users).",
    &var_disable_vrfy},
    STR(VAR_DOUBLE_BOUNCE_SENDER, DEF_DOUBLE_BOUNCE_SENDER, 0,
	"The local part of the envelope sender of double bounces (notices about failed notices, to postmaster); mail returned to it is discarded.",
	&var_double_bounce_sender),
    {VAR_EXP_OWNER_ALIAS, MAIL_PARAM_BOOL, DEF_EXP_OWNER_ALIAS, 0, 0, 0,
	"Whether the envelope sender for an alias with an owner-NAME alias is the owner alias's expansion instead of owner-NAME@$myhostname.",
    &var_exp_owner_alias},
    STR(VAR_FORWARD_PATH, DEF_FORWARD_PATH, 0,
	"The .forward files local looks for, in order; $user, $home, $shell, $recipient, $extension, $domain, $local and $recipient_delimiter are the recipient's.",
	&var_forward_path),
    INT(VAR_HEADER_LIMIT, DEF_HEADER_LIMIT, 1024, LONG_MAX,
	"The most bytes of one message header; the rest of a longer header goes to the body.",
	&var_header_limit),
    STR(VAR_HOME_MAILBOX, DEF_HOME_MAILBOX, 0,
	"The mailbox relative to the home folder: ending in / a Maildir, otherwise an mbox file; empty: mail_spool_directory.",
	&var_home_mailbox),
    INT(VAR_HOPCOUNT_LIMIT, DEF_HOPCOUNT_LIMIT, 1, 1000,
	"The most Received: headers a message may have before cleanup refuses it as a loop.",
	&var_hopcount_limit),
    STR(VAR_IMPORT_ENVIRON, DEF_IMPORT_ENVIRON, 0,
	"Environment variables that master passes on to the daemons it starts.",
	&var_import_environ),
    STR(VAR_INET_INTERFACES, DEF_INET_INTERFACES, 0,
	"The addresses inet services listen on: all, loopback-only, or a list.",
	&var_inet_interfaces),
    STR(VAR_INET_PROTOCOLS, DEF_INET_PROTOCOLS, 0,
	"The IP versions to use: all, ipv4 or ipv6.",
	&var_inet_protocols),
    INT(VAR_INIT_DEST_CONC, DEF_INIT_DEST_CONC, 1, 1000,
	"The connections qmgr starts with for a destination; each delivered group adds one, up to the destination's limit.",
	&var_init_dest_conc),
    INT(VAR_BAD_NAME_CODE, DEF_BAD_NAME_CODE, 400, 599,
	"The SMTP code for reject_invalid_helo_hostname.",
	&var_bad_name_code),
    TIME(VAR_IPC_TIMEOUT, DEF_IPC_TIMEOUT, 1, WEEK,
	"How long a daemon waits for another dromos daemon on an internal socket.",
	&var_ipc_timeout),
    INT(VAR_LINE_LIMIT, DEF_LINE_LIMIT, 512, 1048576,
	"The longest SMTP command line, and the longest content line kept in one piece.",
	&var_line_limit),
    INT(VAR_LOCAL_BATCH_LIMIT, DEF_LOCAL_BATCH_LIMIT, 1, 256,
	"The most delivery requests one local process commits together (one sync of each Maildir folder for the group); qmgr keeps up to twice as many waiting at a process.",
	&var_local_batch_limit),
    INT(VAR_LOCAL_DEST_CONC, DEF_LOCAL_DEST_CONC, 1, 1000,
	"The most local delivery processes that qmgr keeps busy for one recipient at once.",
	&var_local_dest_conc),
    STR(VAR_LOGIN_SENDER_MAPS, DEF_LOGIN_SENDER_MAPS, 0,
	"Which envelope senders (sendmail -f) each local login may use: tables asked with the login name, then \"*\"; the value lists \"*\" (any), \"<>\" (the null sender), \"@domain\" or addresses. Root and a login's own name are always allowed.",
	&var_login_sender_maps),
    STR(VAR_LOCAL_RCPT_MAPS, DEF_LOCAL_RCPT_MAPS, 0,
	"Tables of the valid recipients in mydestination (the local part, or the whole address), read through proxymap; empty: accept every local part.",
	&var_local_rcpt_maps),
    STR(VAR_MAIL_NAME, DEF_MAIL_NAME, 0,
	"The mail system name shown in the SMTP greeting and in Received: headers.",
	&var_mail_name),
    STR(VAR_MAIL_OWNER, DEF_MAIL_OWNER, 0,
	"The account that owns the queue and runs the unprivileged daemons; never root.",
	&var_mail_owner),
    STR(VAR_MAIL_SPOOL_DIR, DEF_MAIL_SPOOL_DIR, 0,
	"Where mbox files are when home_mailbox is empty.",
	&var_mail_spool_dir),
    STR(VAR_MAILLOG_FILE, DEF_MAILLOG_FILE, 0,
	"The file that logd writes the log to; empty: log through syslog(3).",
	&var_maillog_file),
    STR(VAR_MAILLOG_ROTATE_SUFFIX, DEF_MAILLOG_ROTATE_SUFFIX, 0,
	"The strftime(3) suffix that dromos logrotate gives the old log file.",
	&var_maillog_rotate_suffix),
    TIME(VAR_MAX_IDLE, DEF_MAX_IDLE, 1, DAY,
	 "How long an idle daemon process waits for a client before it exits.",
	 &var_max_idle),
    INT(VAR_MAX_USE, DEF_MAX_USE, 1, 1000000,
	"How many clients a daemon process serves before it exits.",
	&var_max_use),
    TIME(VAR_MAX_BACKOFF_TIME, DEF_MAX_BACKOFF_TIME, 1, WEEK,
	"The longest wait before a deferred message is tried again.",
	&var_max_backoff_time),
    TIME(VAR_MAX_QUEUE_LIFETIME, DEF_MAX_QUEUE_LIFETIME, 0, WEEK*10,
	"How long a message that cannot be delivered stays in the queue; then its recipients are bounced with the last reason; 0: one attempt.",
	&var_max_queue_lifetime),
    INT(VAR_MESSAGE_LIMIT, DEF_MESSAGE_LIMIT, 0, LONG_MAX,
	"The largest message in bytes that smtpd accepts and cleanup queues (0: no limit).",
	&var_message_limit),
    TIME(VAR_MIN_BACKOFF_TIME, DEF_MIN_BACKOFF_TIME, 1, WEEK,
	"The shortest wait before a deferred message is tried again.",
	&var_min_backoff_time),
    STR(VAR_MYDEST, DEF_MYDEST, 0,
	"The domains this host delivers locally; mail for others is relayed.",
	&var_mydest),
    STR(VAR_MYDOMAIN, "", MAIL_PARAM_F_COMPUTED,
	"This host's domain: myhostname without its first label, or localdomain.",
	&var_mydomain),
    STR(VAR_MYHOSTNAME, "", MAIL_PARAM_F_COMPUTED,
	"This host's fully-qualified name: the system host name, made fully qualified.",
	&var_myhostname),
    STR(VAR_MYNETWORKS, DEF_MYNETWORKS, 0,
	"Trusted client networks (permit_mynetworks): addresses, CIDR networks, /file names and type:table lookups; empty: computed from mynetworks_style.",
	&var_mynetworks),
    STR(VAR_MYNETWORKS_STYLE, DEF_MYNETWORKS_STYLE, 0,
	"How an empty mynetworks is computed: host (the addresses of this host only), subnet (the subnets of its interfaces) or class (their class A/B/C networks).",
	&var_mynetworks_style),
    STR(VAR_MYORIGIN, DEF_MYORIGIN, 0,
	"The domain that locally posted mail appears to come from.",
	&var_myorigin),
    INT(VAR_NON_FQDN_CODE, DEF_NON_FQDN_CODE, 400, 599,
	"The SMTP code for reject_non_fqdn_helo_hostname, reject_non_fqdn_sender and reject_non_fqdn_recipient.",
	&var_non_fqdn_code),
    STR(VAR_PAR_DOM_MATCH, DEF_PAR_DOM_MATCH, 0,
	"Features in which a domain name also matches its subdomains (elsewhere write .domain for subdomains).",
	&var_par_dom_match),
    TIME(VAR_POP3D_AUTH_DELAY, DEF_POP3D_AUTH_DELAY, 0, 60,
	 "How long pop3d waits before it answers a failed login.",
	 &var_pop3d_auth_delay),
    INT(VAR_POP3D_AUTH_LIMIT, DEF_POP3D_AUTH_LIMIT, 1, 1000,
	"The most failed logins on one POP3 connection; then pop3d closes it.",
	&var_pop3d_auth_limit),
    INT(VAR_POP3D_HARD_ERLIM, DEF_POP3D_HARD_ERLIM, 1, 100000,
	"The most -ERR replies on one POP3 connection; then pop3d closes it.",
	&var_pop3d_hard_erlim),
    STR(VAR_POP3D_LOGIN_USER, DEF_POP3D_LOGIN_USER, 0,
	"The unprivileged user that reads POP3 commands before login (chrooted to $queue_directory/empty); never root.",
	&var_pop3d_login_user),
    STR(VAR_POP3D_SASL_REALM, DEF_POP3D_SASL_REALM, 0,
	"The SASL realm of pop3d logins without one (saslpasswd2 -u); empty: none.",
	&var_pop3d_sasl_realm),
    STR(VAR_POP3D_SASL_PATH, DEF_POP3D_SASL_PATH, 0,
	"The Cyrus SASL application name of pop3d: its settings are in $cyrus_sasl_config_path/NAME.conf.",
	&var_pop3d_sasl_path),
    TIME(VAR_POP3D_TMOUT, DEF_POP3D_TMOUT, 1, DAY,
	 "How long pop3d waits for a POP3 client to send a command or accept data (RFC 1939: at least 10 minutes).",
	 &var_pop3d_tmout),
    STR(VAR_PBS_DATABASE, DEF_PBS_DATABASE, 0,
	"The table where pop3d records the address of each POP3 login, with when it expires, for permit_pop_before_smtp.",
	&var_pbs_database),
    TIME(VAR_PBS_TMOUT, DEF_PBS_TMOUT, 1, WEEK,
	 "How long after a POP3 login from an address permit_pop_before_smtp lets that address relay.",
	 &var_pbs_tmout),
    STR(VAR_PROXY_INTERFACES, DEF_PROXY_INTERFACES, 0,
	"Addresses this host receives mail on through a proxy or NAT; user@[address] is local for them as for inet_interfaces.",
	&var_proxy_interfaces),
    STR(VAR_PROXY_READ_MAPS, DEF_PROXY_READ_MAPS, 0,
	"The tables proxymap may open for other daemons, named proxy:type:name (other words are ignored).",
	&var_proxy_read_maps),
    INT(VAR_QMGR_ACTIVE_LIMIT, DEF_QMGR_ACTIVE_LIMIT, 1, 1000000,
	"The most messages qmgr holds in the active queue (in memory) at once; the messages of a destination that is slow or throttled wait there without holding back the others.",
	&var_qmgr_active_limit),
    STR(VAR_QUEUE_DIR, DEF_QUEUE_DIR, MAIL_PARAM_F_BUILD,
	"The folder with the mail queue and the daemons' sockets; the chroot jail.",
	&var_queue_dir),
    INT(VAR_QFILE_RECYCLE, DEF_QFILE_RECYCLE, 0, 10000,
	"How many finished queue files (of at most 256 KiB; larger ones are removed) qmgr keeps in recycle/ for cleanup to reuse instead of making new ones; 0: none.",
	&var_qfile_recycle),
    TIME(VAR_QUEUE_RUN_DELAY, DEF_QUEUE_RUN_DELAY, 1, WEEK,
	"How often qmgr scans the deferred queue.",
	&var_queue_run_delay),
    STR(VAR_RCPT_DELIM, DEF_RCPT_DELIM, 0,
	"The characters that separate a user name from an address extension (bob+tag); empty: none.",
	&var_rcpt_delim),
    INT(VAR_REJECT_CODE, DEF_REJECT_CODE, 400, 599,
	"The SMTP code for the reject step.",
	&var_reject_code),
    STR(VAR_RELAY_DOMAINS, DEF_RELAY_DOMAINS, 0,
	"Domains (names, /file names, type:table) that this host relays mail to from any client; subdomains match as parent_domain_matches_subdomains says.",
	&var_relay_domains),
    INT(VAR_RELAY_CODE, DEF_RELAY_CODE, 400, 599,
	"The SMTP code for reject_unauth_destination.",
	&var_relay_code),
    STR(VAR_RELAY_RCPT_MAPS, DEF_RELAY_RCPT_MAPS, 0,
	"Tables of the valid recipients in relay_domains; empty: every address there is accepted.",
	&var_relay_rcpt_maps),
    STR(VAR_RELAYHOST, DEF_RELAYHOST, 0,
	"The next hop for all non-local mail that transport_maps does not route: a domain (MX lookup), host:port, or [host]:port (no MX lookup); empty: each recipient's domain.",
	&var_relayhost),
    TIME(VAR_THROTTLE_MIN, DEF_THROTTLE_MIN, 1, DAY,
	 "How long master waits before restarting a crashed service the first time.",
	 &var_throttle_min),
    TIME(VAR_THROTTLE_TIME, DEF_THROTTLE_TIME, 1, DAY,
	 "The longest wait before restarting a service that keeps crashing.",
	 &var_throttle_time),
    STR(VAR_SGID_GROUP, DEF_SGID_GROUP, 0,
	"The group of the one set-gid submission program and of public/ and maildrop/.",
	&var_sgid_group),
    STR(VAR_SMTP_8BIT_FALLBACK, DEF_SMTP_8BIT_FALLBACK, 0,
	"What smtp does with 8-bit content when the peer does not announce 8BITMIME: convert (8-bit MIME parts to quoted-printable), send (as it is), defer or bounce.",
	&var_smtp_8bit_fallback),
    STR(VAR_SMTP_BIND_ADDR, DEF_SMTP_BIND_ADDR, 0,
	"The local IPv4 address that smtp connects from; empty: the system's choice.",
	&var_smtp_bind_addr),
    STR(VAR_SMTP_BIND_ADDR6, DEF_SMTP_BIND_ADDR6, 0,
	"The local IPv6 address that smtp connects from; empty: the system's choice.",
	&var_smtp_bind_addr6),
    TIME(VAR_SMTP_CONN_TMOUT, DEF_SMTP_CONN_TMOUT, 1, DAY,
	"How long smtp waits for a TCP connection to a peer.",
	&var_smtp_conn_tmout),
    TIME(VAR_SMTP_CACHE_TIME, DEF_SMTP_CACHE_TIME, 0, DAY,
	"How long smtp keeps a finished session open for the next message to the same destination; 0: never.",
	&var_smtp_cache_time),
    TIME(VAR_SMTP_DATA2_TMOUT, DEF_SMTP_DATA2_TMOUT, 1, DAY,
	"How long smtp waits for the reply to the end of the content.",
	&var_smtp_data2_tmout),
    TIME(VAR_SMTP_DATA0_TMOUT, DEF_SMTP_DATA0_TMOUT, 1, DAY,
	"How long smtp waits for the reply to DATA.",
	&var_smtp_data0_tmout),
    TIME(VAR_SMTP_DATA1_TMOUT, DEF_SMTP_DATA1_TMOUT, 1, DAY,
	"How long smtp waits for the peer to take more content.",
	&var_smtp_data1_tmout),
    INT(VAR_SMTP_DEST_CONC, DEF_SMTP_DEST_CONC, 1, 1000,
	"The most connections qmgr keeps busy for one smtp destination at once.",
	&var_smtp_dest_conc),
    STR(VAR_SMTP_HELO_NAME, DEF_SMTP_HELO_NAME, 0,
	"The name smtp gives in EHLO and HELO.",
	&var_smtp_helo_name),
    TIME(VAR_SMTP_HELO_TMOUT, DEF_SMTP_HELO_TMOUT, 1, DAY,
	"How long smtp waits for the greeting and the reply to EHLO or HELO.",
	&var_smtp_helo_tmout),
    TIME(VAR_SMTP_MAIL_TMOUT, DEF_SMTP_MAIL_TMOUT, 1, DAY,
	"How long smtp waits for the reply to MAIL FROM.",
	&var_smtp_mail_tmout),
    INT(VAR_SMTP_MX_ADDR_LIMIT, DEF_SMTP_MX_ADDR_LIMIT, 1, 100,
	"The most peer addresses smtp tries for one delivery (MX hosts and their addresses, in order).",
	&var_smtp_mx_addr_limit),
    TIME(VAR_SMTP_QUIT_TMOUT, DEF_SMTP_QUIT_TMOUT, 1, DAY,
	"How long smtp waits for the reply to QUIT.",
	&var_smtp_quit_tmout),
    TIME(VAR_SMTP_RCPT_TMOUT, DEF_SMTP_RCPT_TMOUT, 1, DAY,
	"How long smtp waits for the reply to RCPT TO.",
	&var_smtp_rcpt_tmout),
    STR(VAR_SMTPD_BANNER, DEF_SMTPD_BANNER, 0,
	"The text after 220 in the SMTP greeting; it must begin with $myhostname.",
	&var_smtpd_banner),
    STR(VAR_SMTPD_CLIENT_RESTR, DEF_SMTPD_CLIENT_RESTR, 0,
	"Restrictions on the client host (name and address), evaluated at RCPT time when smtpd_delay_reject = yes.",
	&var_smtpd_client_restr),
    STR(VAR_SMTPD_DATA_RESTR, DEF_SMTPD_DATA_RESTR, 0,
	"Restrictions at the DATA command (all recipients known).",
	&var_smtpd_data_restr),
    {VAR_SMTPD_DELAY_REJECT, MAIL_PARAM_BOOL, DEF_SMTPD_DELAY_REJECT, 0, 0, 0,
	"Evaluate client, HELO and sender restrictions at RCPT TO instead of at connect, HELO and MAIL FROM (the reject then names the recipient and is logged with it).",
    &var_smtpd_delay_reject},
    STR(VAR_SMTPD_EOD_RESTR, DEF_SMTPD_EOD_RESTR, 0,
	"Restrictions after the end of the message content, before cleanup commits it.",
	&var_smtpd_eod_restr),
    TIME(VAR_SMTPD_ERR_SLEEP, DEF_SMTPD_ERR_SLEEP, 0, DAY,
	"The delay before each reply once a client passed smtpd_soft_error_limit.",
	&var_smtpd_err_sleep),
    {VAR_SMTPD_FORBID_BARE_NL, MAIL_PARAM_BOOL, DEF_SMTPD_FORBID_BARE_NL, 0, 0, 0,
	"Reject a message with a bare LF or CR, and any end of data other than CRLF.CRLF (SMTP smuggling defence).",
    &var_smtpd_forbid_bare_nl},
    INT(VAR_SMTPD_HARD_ERLIM, DEF_SMTPD_HARD_ERLIM, 1, LONG_MAX,
	"After this many errors in a session, smtpd disconnects the client.",
	&var_smtpd_hard_erlim),
    STR(VAR_SMTPD_HELO_RESTR, DEF_SMTPD_HELO_RESTR, 0,
	"Restrictions on the HELO/EHLO name, evaluated at RCPT time when smtpd_delay_reject = yes.",
	&var_smtpd_helo_restr),
    STR(VAR_SMTPD_NULL_KEY, DEF_SMTPD_NULL_KEY, 0,
	"The key check_sender_access looks up for the null sender.",
	&var_smtpd_null_key),
    INT(VAR_SMTPD_RCPT_LIMIT, DEF_SMTPD_RCPT_LIMIT, 1, LONG_MAX,
	"The most recipients smtpd accepts in one message.",
	&var_smtpd_rcpt_limit),
    STR(VAR_SMTPD_RCPT_RESTR, DEF_SMTPD_RCPT_RESTR, 0,
	"Restrictions on the RCPT TO address (spam policy), after smtpd_relay_restrictions.",
	&var_smtpd_rcpt_restr),
    {VAR_SMTPD_REJ_UNL_RCPT, MAIL_PARAM_BOOL, DEF_SMTPD_REJ_UNL_RCPT, 0, 0, 0,
	"After the recipient restrictions, reject a recipient in a local or relay domain that is not listed (as reject_unlisted_recipient).",
    &var_smtpd_rej_unl_rcpt},
    {VAR_SMTPD_REJ_UNL_SENDER, MAIL_PARAM_BOOL, DEF_SMTPD_REJ_UNL_SENDER, 0, 0, 0,
	"After the sender restrictions, reject a sender in a local or relay domain that is not listed (as reject_unlisted_sender).",
    &var_smtpd_rej_unl_sender},
    STR(VAR_SMTPD_RELAY_RESTR, DEF_SMTPD_RELAY_RESTR, 0,
	"Relay control at RCPT TO, before smtpd_recipient_restrictions; the default relays only for mynetworks and accepts mail only for this host and relay_domains from others.",
	&var_smtpd_relay_restr),
    STR(VAR_SMTPD_REST_CLASSES, DEF_SMTPD_REST_CLASSES, 0,
	"Names of restriction classes: each is a parameter whose value is a restriction list, usable as a step or as an access map result.",
	&var_smtpd_rest_classes),
    STR(VAR_SMTPD_SENDER_RESTR, DEF_SMTPD_SENDER_RESTR, 0,
	"Restrictions on the MAIL FROM address, evaluated at RCPT time when smtpd_delay_reject = yes.",
	&var_smtpd_sender_restr),
    TIME(VAR_SMTPD_SESSION_TMOUT, DEF_SMTPD_SESSION_TMOUT, 1, WEEK,
	"The longest an SMTP session may last in all.",
	&var_smtpd_session_tmout),
    INT(VAR_SMTPD_SOFT_ERLIM, DEF_SMTPD_SOFT_ERLIM, 0, LONG_MAX,
	"After this many errors in a session, smtpd waits smtpd_error_sleep_time before each reply.",
	&var_smtpd_soft_erlim),
    TIME(VAR_SMTPD_TMOUT, DEF_SMTPD_TMOUT, 1, DAY,
	"How long smtpd waits for the client to send or accept data (idle timeout).",
	&var_smtpd_tmout),
    {VAR_STRICT_RFC821, MAIL_PARAM_BOOL, DEF_STRICT_RFC821, 0, 0, 0,
	"Require RFC 5321 syntax for MAIL FROM and RCPT TO addresses exactly; with no, also accept an unquoted local part with \"@\" and a trailing dot after the domain (they are then judged by the relay checks).",
    &var_strict_rfc821},
    STR(VAR_SYSLOG_FACILITY, DEF_SYSLOG_FACILITY, 0,
	"The syslog(3) facility used when maillog_file is empty.",
	&var_syslog_facility),
    STR(VAR_SYSLOG_NAME, DEF_SYSLOG_NAME, 0,
	"The name in front of each program name in log records (dromos/smtpd).",
	&var_syslog_name),
    STR(VAR_TRANSPORT_MAPS, DEF_TRANSPORT_MAPS, 0,
	"Tables that route recipients: the address, its domain, then each parent domain as .domain, to transport:nexthop (either part may be empty: the default).",
	&var_transport_maps),
    INT(VAR_UNK_ADDR_CODE, DEF_UNK_ADDR_CODE, 400, 599,
	"The SMTP code for reject_unknown_sender_domain and reject_unknown_recipient_domain when the domain does not exist.",
	&var_unk_addr_code),
    INT(VAR_UNK_CLIENT_CODE, DEF_UNK_CLIENT_CODE, 400, 599,
	"The SMTP code for reject_unknown_client_hostname.",
	&var_unk_client_code),
    INT(VAR_LOCAL_RCPT_CODE, DEF_LOCAL_RCPT_CODE, 400, 599,
	"The SMTP code for a recipient that local_recipient_maps does not list.",
	&var_local_rcpt_code),
    INT(VAR_RELAY_RCPT_CODE, DEF_RELAY_RCPT_CODE, 400, 599,
	"The SMTP code for a recipient that relay_recipient_maps does not list.",
	&var_relay_rcpt_code),
    {0},
};

/* mail_param_find - look up a row by name */

const struct mail_param *mail_param_find(const char *name)
{
    const struct mail_param *p;

    for (p = mail_param_table; p->name; p++)
	if (strcmp(p->name, name) == 0)
	    return (p);
    return (0);
}

/* mail_param_type_name - printable type */

const char *mail_param_type_name(int type)
{
    switch (type) {
    case MAIL_PARAM_STR:
	return ("string");
    case MAIL_PARAM_INT:
	return ("integer");
    case MAIL_PARAM_BOOL:
	return ("boolean");
    case MAIL_PARAM_TIME:
	return ("time");
    default:
	return ("unknown");
    }
}

/* mail_param_hostname - compute the default myhostname, once */

static const char *mail_param_hostname(void)
{
    static char *hostname;
    char    name[256];
    struct addrinfo hints;
    struct addrinfo *res = 0;
    struct vstring *buf;
    char   *cp;

    if (hostname)
	return (hostname);
    buf = vstring_alloc(100);
    if (gethostname(name, sizeof(name) - 1) < 0 || name[0] == 0) {
	vstring_strcpy(buf, "localhost");
    } else {
	name[sizeof(name) - 1] = 0;
	vstring_strcpy(buf, name);
    }
    if (strchr(vstring_str(buf), '.') == 0) {
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_CANONNAME;
	if (getaddrinfo(vstring_str(buf), 0, &hints, &res) == 0) {
	    if (res && res->ai_canonname && strchr(res->ai_canonname, '.')
		&& res->ai_canonname[strlen(res->ai_canonname) - 1] != '.')
		vstring_strcpy(buf, res->ai_canonname);
	    freeaddrinfo(res);
	}
	if (strchr(vstring_str(buf), '.') == 0)
	    vstring_appends(buf, ".localdomain");
    }
    for (cp = vstring_str(buf); *cp; cp++)
	*cp = (char) tolower((unsigned char) *cp);
    hostname = vstring_export(&buf);
    return (hostname);
}

/* mail_param_default - the default as text */

const char *mail_param_default(const struct mail_param *p, struct vstring *buf)
{
    const char *host;
    const char *dot;

    if (strcmp(p->name, VAR_MYHOSTNAME) == 0) {
	vstring_strcpy(buf, mail_param_hostname());
    } else if (strcmp(p->name, VAR_MYDOMAIN) == 0) {
	host = mail_param_hostname();
	dot = strchr(host, '.');
	vstring_strcpy(buf, dot && dot[1] ? dot + 1 : "localdomain");
    } else {
	vstring_strcpy(buf, p->defval);
    }
    return (vstring_str(buf));
}
