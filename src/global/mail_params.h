#ifndef MAIL_PARAMS_H
#define MAIL_PARAMS_H
/*++
/* NAME
/*	mail_params 3h
/* SUMMARY
/*	the parameter table: every configuration parameter, in one place
/* SYNOPSIS
/*	#include <mail_params.h>
/* DESCRIPTION
/*	mail_param_table[] lists every parameter dromos knows, each with
/*	its name (VAR_X), type, default (DEF_X, which may refer to other
/*	parameters with $name), range, one-line description and the
/*	variable (var_x) that mail_conf_eval() fills. It is the single
/*	source of truth: mail_conf validates against it, dromconf -d prints
/*	it, and html/parameters.html is generated from it.
/*
/*	Types: MAIL_PARAM_STR (any text, after $name expansion),
/*	MAIL_PARAM_INT (a decimal integer within [min, max]),
/*	MAIL_PARAM_BOOL ("yes" or "no"), MAIL_PARAM_TIME (a number with an
/*	optional unit s, m, h, d or w, default unit s, stored in seconds
/*	within [min, max]). MAIL_PARAM_F_COMPUTED marks defaults computed
/*	at run time (myhostname from the system's host name, mydomain from
/*	myhostname). MAIL_PARAM_F_BUILD marks defaults chosen when dromos is
/*	built (the installation paths, from mail_build.h), so documentation
/*	need not show one build's values.
/*
/*	mail_param_find(name) returns the row or NULL.
/*	mail_param_type_name(type) returns "string", "integer", "boolean"
/*	or "time".
/*	mail_param_default(row, buf) gives the default as text (computed
/*	ones computed).
/* DIAGNOSTICS
/*	None.
/*--*/
#include <mail_build.h>

#define MAIL_PARAM_STR		1
#define MAIL_PARAM_INT		2
#define MAIL_PARAM_BOOL		3
#define MAIL_PARAM_TIME		4

#define MAIL_PARAM_F_COMPUTED	(1<<0)
#define MAIL_PARAM_F_BUILD	(1<<1)

struct vstring;

struct mail_param {
    const char *name;
    int     type;
    const char *defval;
    long    min;
    long    max;
    int     flags;
    const char *descr;
    void   *var;			/* char **, long *, or int * (BOOL) */
};

extern const struct mail_param mail_param_table[];
extern const struct mail_param *mail_param_find(const char *);
extern const char *mail_param_type_name(int);
extern const char *mail_param_default(const struct mail_param *, struct vstring *);

/* Installation paths. Defaults come from mail_build.h (made by the build). */
#define VAR_CONFIG_DIR		"config_directory"
#define DEF_CONFIG_DIR		BUILD_CONFIG_DIR
extern char *var_config_dir;

#define VAR_QUEUE_DIR		"queue_directory"
#define DEF_QUEUE_DIR		BUILD_QUEUE_DIR
extern char *var_queue_dir;

#define VAR_DAEMON_DIR		"daemon_directory"
#define DEF_DAEMON_DIR		BUILD_DAEMON_DIR
extern char *var_daemon_dir;

#define VAR_COMMAND_DIR		"command_directory"
#define DEF_COMMAND_DIR		BUILD_COMMAND_DIR
extern char *var_command_dir;

#define VAR_DATA_DIR		"data_directory"
#define DEF_DATA_DIR		BUILD_DATA_DIR
extern char *var_data_dir;

/* Users. */
#define VAR_MAIL_OWNER		"mail_owner"
#define DEF_MAIL_OWNER		"dromos"
extern char *var_mail_owner;

#define VAR_SGID_GROUP		"setgid_group"
#define DEF_SGID_GROUP		"dromdrop"
extern char *var_sgid_group;

/* Names. */
#define VAR_MYHOSTNAME		"myhostname"
extern char *var_myhostname;

#define VAR_MYDOMAIN		"mydomain"
extern char *var_mydomain;

#define VAR_MYORIGIN		"myorigin"
#define DEF_MYORIGIN		"$myhostname"
extern char *var_myorigin;

#define VAR_MYDEST		"mydestination"
#define DEF_MYDEST		"$myhostname, localhost"
extern char *var_mydest;

/* Network. */
#define VAR_INET_INTERFACES	"inet_interfaces"
#define DEF_INET_INTERFACES	"all"
extern char *var_inet_interfaces;

#define VAR_INET_PROTOCOLS	"inet_protocols"
#define DEF_INET_PROTOCOLS	"all"
extern char *var_inet_protocols;

/* Logging. */
#define VAR_SYSLOG_NAME		"syslog_name"
#define DEF_SYSLOG_NAME		"dromos"
extern char *var_syslog_name;

#define VAR_SYSLOG_FACILITY	"syslog_facility"
#define DEF_SYSLOG_FACILITY	"mail"
extern char *var_syslog_facility;

#define VAR_MAILLOG_FILE	"maillog_file"
#define DEF_MAILLOG_FILE	""
extern char *var_maillog_file;

#define VAR_MAILLOG_ROTATE_SUFFIX "maillog_file_rotate_suffix"
#define DEF_MAILLOG_ROTATE_SUFFIX "%Y%m%d-%H%M%S"
extern char *var_maillog_rotate_suffix;

/* Process management (master). */
#define VAR_PROC_LIMIT		"default_process_limit"
#define DEF_PROC_LIMIT		"100"
extern long var_proc_limit;

#define VAR_MAX_USE		"max_use"
#define DEF_MAX_USE		"100"
extern long var_max_use;

#define VAR_MAX_IDLE		"max_idle"
#define DEF_MAX_IDLE		"100s"
extern long var_max_idle;

#define VAR_THROTTLE_MIN	"service_backoff_time"
#define DEF_THROTTLE_MIN	"1s"
extern long var_throttle_min;

#define VAR_THROTTLE_TIME	"service_throttle_time"
#define DEF_THROTTLE_TIME	"60s"
extern long var_throttle_time;

#define VAR_DAEMON_TIMEOUT	"daemon_timeout"
#define DEF_DAEMON_TIMEOUT	"18000s"
extern long var_daemon_timeout;

#define VAR_IMPORT_ENVIRON	"import_environment"
#define DEF_IMPORT_ENVIRON	"TZ MAIL_CONFIG LANG"
extern char *var_import_environ;

/* Start-up. */
#define VAR_CHROOT_REFRESH	"chroot_refresh"
#define DEF_CHROOT_REFRESH	"yes"
extern int var_chroot_refresh;

/* The mail path: smtpd, cleanup, qmgr, local. */
#define VAR_MAIL_NAME	"mail_name"
#define DEF_MAIL_NAME	"dromos"
extern char *var_mail_name;

#define VAR_SMTPD_BANNER	"smtpd_banner"
#define DEF_SMTPD_BANNER	"$myhostname ESMTP $mail_name"
extern char *var_smtpd_banner;

#define VAR_MESSAGE_LIMIT	"message_size_limit"
#define DEF_MESSAGE_LIMIT	"10240000"
extern long var_message_limit;

#define VAR_HEADER_LIMIT	"header_size_limit"
#define DEF_HEADER_LIMIT	"102400"
extern long var_header_limit;

#define VAR_LINE_LIMIT	"line_length_limit"
#define DEF_LINE_LIMIT	"2048"
extern long var_line_limit;

#define VAR_SMTPD_RCPT_LIMIT	"smtpd_recipient_limit"
#define DEF_SMTPD_RCPT_LIMIT	"1000"
extern long var_smtpd_rcpt_limit;

#define VAR_SMTPD_SOFT_ERLIM	"smtpd_soft_error_limit"
#define DEF_SMTPD_SOFT_ERLIM	"10"
extern long var_smtpd_soft_erlim;

#define VAR_SMTPD_HARD_ERLIM	"smtpd_hard_error_limit"
#define DEF_SMTPD_HARD_ERLIM	"20"
extern long var_smtpd_hard_erlim;

#define VAR_SMTPD_ERR_SLEEP	"smtpd_error_sleep_time"
#define DEF_SMTPD_ERR_SLEEP	"1s"
extern long var_smtpd_err_sleep;

#define VAR_SMTPD_TMOUT	"smtpd_timeout"
#define DEF_SMTPD_TMOUT	"300s"
extern long var_smtpd_tmout;

#define VAR_SMTPD_SESSION_TMOUT	"smtpd_session_timeout"
#define DEF_SMTPD_SESSION_TMOUT	"3600s"
extern long var_smtpd_session_tmout;

#define VAR_DISABLE_VRFY	"disable_vrfy_command"
#define DEF_DISABLE_VRFY	"yes"
extern int var_disable_vrfy;

#define VAR_SMTPD_FORBID_BARE_NL	"smtpd_forbid_bare_newline"
#define DEF_SMTPD_FORBID_BARE_NL	"yes"
extern int var_smtpd_forbid_bare_nl;

#define VAR_IPC_TIMEOUT	"ipc_timeout"
#define DEF_IPC_TIMEOUT	"3600s"
extern long var_ipc_timeout;

#define VAR_HOPCOUNT_LIMIT	"hopcount_limit"
#define DEF_HOPCOUNT_LIMIT	"50"
extern long var_hopcount_limit;

#define VAR_QFILE_RECYCLE	"queue_file_recycle_limit"
#define DEF_QFILE_RECYCLE	"1000"
extern long var_qfile_recycle;

#define VAR_QUEUE_RUN_DELAY	"queue_run_delay"
#define DEF_QUEUE_RUN_DELAY	"300s"
extern long var_queue_run_delay;

#define VAR_MIN_BACKOFF_TIME	"minimal_backoff_time"
#define DEF_MIN_BACKOFF_TIME	"300s"
extern long var_min_backoff_time;

#define VAR_MAX_BACKOFF_TIME	"maximal_backoff_time"
#define DEF_MAX_BACKOFF_TIME	"4000s"
extern long var_max_backoff_time;

#define VAR_LOCAL_DEST_CONC	"local_destination_concurrency_limit"
#define DEF_LOCAL_DEST_CONC	"2"
extern long var_local_dest_conc;

#define VAR_LOCAL_BATCH_LIMIT	"local_delivery_batch_limit"
#define DEF_LOCAL_BATCH_LIMIT	"16"
extern long var_local_batch_limit;

#define VAR_HOME_MAILBOX	"home_mailbox"
#define DEF_HOME_MAILBOX	"Maildir/"
extern char *var_home_mailbox;

#define VAR_MAIL_SPOOL_DIR	"mail_spool_directory"
#define DEF_MAIL_SPOOL_DIR	"/var/mail"
extern char *var_mail_spool_dir;

/* Aliases, .forward, commands and files (local). */
#define VAR_ALIAS_MAPS		"alias_maps"
#define DEF_ALIAS_MAPS		"hash:${config_directory}/aliases"
extern char *var_alias_maps;

#define VAR_ALIAS_DB		"alias_database"
#define DEF_ALIAS_DB		"hash:${config_directory}/aliases"
extern char *var_alias_db;

#define VAR_ALLOW_COMMANDS	"allow_mail_to_commands"
#define DEF_ALLOW_COMMANDS	"alias, forward"
extern char *var_allow_commands;

#define VAR_ALLOW_FILES		"allow_mail_to_files"
#define DEF_ALLOW_FILES		"alias, forward"
extern char *var_allow_files;

#define VAR_DEFAULT_PRIVS	"default_privs"
#define DEF_DEFAULT_PRIVS	"nobody"
extern char *var_default_privs;

#define VAR_FORWARD_PATH	"forward_path"
#define DEF_FORWARD_PATH	"$home/.forward${recipient_delimiter}${extension}, $home/.forward"
extern char *var_forward_path;

#define VAR_RCPT_DELIM		"recipient_delimiter"
#define DEF_RCPT_DELIM		""
extern char *var_rcpt_delim;

#define VAR_EXP_OWNER_ALIAS	"expand_owner_alias"
#define DEF_EXP_OWNER_ALIAS	"no"
extern int var_exp_owner_alias;

#define VAR_COMMAND_MAXTIME	"command_time_limit"
#define DEF_COMMAND_MAXTIME	"1000s"
extern long var_command_maxtime;

#define VAR_STRICT_RFC821	"strict_rfc821_envelopes"
#define DEF_STRICT_RFC821	"no"
extern int var_strict_rfc821;

#define VAR_SMTPD_CLIENT_RESTR	"smtpd_client_restrictions"
#define DEF_SMTPD_CLIENT_RESTR	""
extern char *var_smtpd_client_restr;

#define VAR_SMTPD_HELO_RESTR	"smtpd_helo_restrictions"
#define DEF_SMTPD_HELO_RESTR	""
extern char *var_smtpd_helo_restr;

#define VAR_SMTPD_SENDER_RESTR	"smtpd_sender_restrictions"
#define DEF_SMTPD_SENDER_RESTR	""
extern char *var_smtpd_sender_restr;

#define VAR_SMTPD_RELAY_RESTR	"smtpd_relay_restrictions"
#define DEF_SMTPD_RELAY_RESTR	"permit_mynetworks, reject_unauth_destination"
extern char *var_smtpd_relay_restr;

#define VAR_SMTPD_RCPT_RESTR	"smtpd_recipient_restrictions"
#define DEF_SMTPD_RCPT_RESTR	""
extern char *var_smtpd_rcpt_restr;

#define VAR_SMTPD_DATA_RESTR	"smtpd_data_restrictions"
#define DEF_SMTPD_DATA_RESTR	""
extern char *var_smtpd_data_restr;

#define VAR_SMTPD_EOD_RESTR	"smtpd_end_of_data_restrictions"
#define DEF_SMTPD_EOD_RESTR	""
extern char *var_smtpd_eod_restr;

#define VAR_SMTPD_REST_CLASSES	"smtpd_restriction_classes"
#define DEF_SMTPD_REST_CLASSES	""
extern char *var_smtpd_rest_classes;

#define VAR_SMTPD_DELAY_REJECT	"smtpd_delay_reject"
#define DEF_SMTPD_DELAY_REJECT	"yes"
extern int var_smtpd_delay_reject;

#define VAR_SMTPD_REJ_UNL_RCPT	"smtpd_reject_unlisted_recipient"
#define DEF_SMTPD_REJ_UNL_RCPT	"yes"
extern int var_smtpd_rej_unl_rcpt;

#define VAR_SMTPD_REJ_UNL_SENDER	"smtpd_reject_unlisted_sender"
#define DEF_SMTPD_REJ_UNL_SENDER	"no"
extern int var_smtpd_rej_unl_sender;

#define VAR_SMTPD_NULL_KEY	"smtpd_null_access_lookup_key"
#define DEF_SMTPD_NULL_KEY	"<>"
extern char *var_smtpd_null_key;

#define VAR_MYNETWORKS	"mynetworks"
#define DEF_MYNETWORKS	""
extern char *var_mynetworks;

#define VAR_MYNETWORKS_STYLE	"mynetworks_style"
#define DEF_MYNETWORKS_STYLE	"host"
extern char *var_mynetworks_style;

#define VAR_RELAY_DOMAINS	"relay_domains"
#define DEF_RELAY_DOMAINS	""
extern char *var_relay_domains;

#define VAR_RELAY_RCPT_MAPS	"relay_recipient_maps"
#define DEF_RELAY_RCPT_MAPS	""
extern char *var_relay_rcpt_maps;

#define VAR_PROXY_INTERFACES	"proxy_interfaces"
#define DEF_PROXY_INTERFACES	""
extern char *var_proxy_interfaces;

#define VAR_LOGIN_SENDER_MAPS	"local_login_sender_maps"
#define DEF_LOGIN_SENDER_MAPS	"static:*"
extern char *var_login_sender_maps;

#define VAR_LOCAL_RCPT_MAPS	"local_recipient_maps"
#define DEF_LOCAL_RCPT_MAPS	"proxy:unix:passwd.byname $alias_maps"
extern char *var_local_rcpt_maps;

#define VAR_PAR_DOM_MATCH	"parent_domain_matches_subdomains"
#define DEF_PAR_DOM_MATCH	"debug_peer_list, fast_flush_domains, mynetworks, permit_mx_backup_networks, qmqpd_authorized_clients, relay_domains, smtpd_access_maps"
extern char *var_par_dom_match;

#define VAR_ACCESS_MAP_CODE	"access_map_reject_code"
#define DEF_ACCESS_MAP_CODE	"554"
extern long var_access_map_code;

#define VAR_ACCESS_MAP_DEFER_CODE	"access_map_defer_code"
#define DEF_ACCESS_MAP_DEFER_CODE	"450"
extern long var_access_map_defer_code;

#define VAR_RELAY_CODE	"relay_domains_reject_code"
#define DEF_RELAY_CODE	"554"
extern long var_relay_code;

#define VAR_LOCAL_RCPT_CODE	"unknown_local_recipient_reject_code"
#define DEF_LOCAL_RCPT_CODE	"550"
extern long var_local_rcpt_code;

#define VAR_RELAY_RCPT_CODE	"unknown_relay_recipient_reject_code"
#define DEF_RELAY_RCPT_CODE	"550"
extern long var_relay_rcpt_code;


#define VAR_UNK_CLIENT_CODE	"unknown_client_reject_code"
#define DEF_UNK_CLIENT_CODE	"450"
extern long var_unk_client_code;

#define VAR_BAD_NAME_CODE	"invalid_hostname_reject_code"
#define DEF_BAD_NAME_CODE	"501"
extern long var_bad_name_code;

#define VAR_NON_FQDN_CODE	"non_fqdn_reject_code"
#define DEF_NON_FQDN_CODE	"504"
extern long var_non_fqdn_code;

#define VAR_REJECT_CODE	"reject_code"
#define DEF_REJECT_CODE	"554"
extern long var_reject_code;

#define VAR_DEFER_CODE	"defer_code"
#define DEF_DEFER_CODE	"450"
extern long var_defer_code;

#define VAR_PROXY_READ_MAPS	"proxy_read_maps"
#define DEF_PROXY_READ_MAPS	"$local_recipient_maps $alias_maps $relay_recipient_maps $mydestination $relay_domains $mynetworks proxy:$pop_before_smtp_database"
extern char *var_proxy_read_maps;

#define VAR_UNK_ADDR_CODE	"unknown_address_reject_code"
#define DEF_UNK_ADDR_CODE	"450"
extern long var_unk_addr_code;

 /*
  * Delivery to other hosts: qmgr scheduling and the smtp client.
  */
#define VAR_2BOUNCE_RCPT	"2bounce_notice_recipient"
#define DEF_2BOUNCE_RCPT	"postmaster"
extern char *var_2bounce_rcpt;

#define VAR_BOUNCE_SIZE_LIMIT	"bounce_size_limit"
#define DEF_BOUNCE_SIZE_LIMIT	"50000"
extern long  var_bounce_size_limit;

#define VAR_BOUNCE_QUEUE_LIFETIME	"bounce_queue_lifetime"
#define DEF_BOUNCE_QUEUE_LIFETIME	"5d"
extern long  var_bounce_queue_lifetime;

#define VAR_DEFAULT_DEST_CONC	"default_destination_concurrency_limit"
#define DEF_DEFAULT_DEST_CONC	"20"
extern long  var_default_dest_conc;

#define VAR_DEFAULT_RCPT_LIMIT	"default_destination_recipient_limit"
#define DEF_DEFAULT_RCPT_LIMIT	"50"
extern long  var_default_rcpt_limit;

#define VAR_DEFAULT_TRANSPORT	"default_transport"
#define DEF_DEFAULT_TRANSPORT	"smtp"
extern char *var_default_transport;

#define VAR_DELAY_WARNING_TIME	"delay_warning_time"
#define DEF_DELAY_WARNING_TIME	"0h"
extern long  var_delay_warning_time;

#define VAR_INIT_DEST_CONC	"initial_destination_concurrency"
#define DEF_INIT_DEST_CONC	"5"
extern long  var_init_dest_conc;

#define VAR_QMGR_ACTIVE_LIMIT	"qmgr_message_active_limit"
#define DEF_QMGR_ACTIVE_LIMIT	"20000"
extern long var_qmgr_active_limit;

#define VAR_MAX_QUEUE_LIFETIME	"maximal_queue_lifetime"
#define DEF_MAX_QUEUE_LIFETIME	"5d"
extern long  var_max_queue_lifetime;

#define VAR_RELAYHOST	"relayhost"
#define DEF_RELAYHOST	""
extern char *var_relayhost;

#define VAR_SMTP_8BIT_FALLBACK	"smtp_8bitmime_fallback"
#define DEF_SMTP_8BIT_FALLBACK	"convert"
extern char *var_smtp_8bit_fallback;

#define VAR_SMTP_BIND_ADDR	"smtp_bind_address"
#define DEF_SMTP_BIND_ADDR	""
extern char *var_smtp_bind_addr;

#define VAR_SMTP_BIND_ADDR6	"smtp_bind_address6"
#define DEF_SMTP_BIND_ADDR6	""
extern char *var_smtp_bind_addr6;

#define VAR_SMTP_CACHE_TIME	"smtp_connection_cache_time_limit"
#define DEF_SMTP_CACHE_TIME	"2s"
extern long  var_smtp_cache_time;

#define VAR_SMTP_CONN_TMOUT	"smtp_connect_timeout"
#define DEF_SMTP_CONN_TMOUT	"30s"
extern long  var_smtp_conn_tmout;

#define VAR_SMTP_DATA0_TMOUT	"smtp_data_init_timeout"
#define DEF_SMTP_DATA0_TMOUT	"120s"
extern long  var_smtp_data0_tmout;

#define VAR_SMTP_DATA1_TMOUT	"smtp_data_xfer_timeout"
#define DEF_SMTP_DATA1_TMOUT	"180s"
extern long  var_smtp_data1_tmout;

#define VAR_SMTP_DATA2_TMOUT	"smtp_data_done_timeout"
#define DEF_SMTP_DATA2_TMOUT	"600s"
extern long  var_smtp_data2_tmout;

#define VAR_SMTP_DEST_CONC	"smtp_destination_concurrency_limit"
#define DEF_SMTP_DEST_CONC	"20"
extern long  var_smtp_dest_conc;

#define VAR_SMTP_HELO_NAME	"smtp_helo_name"
#define DEF_SMTP_HELO_NAME	"$myhostname"
extern char *var_smtp_helo_name;

#define VAR_SMTP_HELO_TMOUT	"smtp_helo_timeout"
#define DEF_SMTP_HELO_TMOUT	"300s"
extern long  var_smtp_helo_tmout;

#define VAR_SMTP_MAIL_TMOUT	"smtp_mail_timeout"
#define DEF_SMTP_MAIL_TMOUT	"300s"
extern long  var_smtp_mail_tmout;

#define VAR_SMTP_MX_ADDR_LIMIT	"smtp_mx_address_limit"
#define DEF_SMTP_MX_ADDR_LIMIT	"5"
extern long  var_smtp_mx_addr_limit;

#define VAR_SMTP_QUIT_TMOUT	"smtp_quit_timeout"
#define DEF_SMTP_QUIT_TMOUT	"300s"
extern long  var_smtp_quit_tmout;

#define VAR_SMTP_RCPT_TMOUT	"smtp_rcpt_timeout"
#define DEF_SMTP_RCPT_TMOUT	"300s"
extern long  var_smtp_rcpt_tmout;

#define VAR_TRANSPORT_MAPS	"transport_maps"
#define DEF_TRANSPORT_MAPS	""
extern char *var_transport_maps;

#define VAR_DOUBLE_BOUNCE_SENDER	"double_bounce_sender"
#define DEF_DOUBLE_BOUNCE_SENDER	"double-bounce"
extern char *var_double_bounce_sender;

/* pop3d, SASL and POP-before-SMTP. */
#define VAR_POP3D_TMOUT		"pop3d_timeout"
#define DEF_POP3D_TMOUT		"10m"
extern long var_pop3d_tmout;

#define VAR_POP3D_AUTH_DELAY	"pop3d_auth_failure_delay"
#define DEF_POP3D_AUTH_DELAY	"2s"
extern long var_pop3d_auth_delay;

#define VAR_POP3D_AUTH_LIMIT	"pop3d_auth_failure_limit"
#define DEF_POP3D_AUTH_LIMIT	"3"
extern long var_pop3d_auth_limit;

#define VAR_POP3D_HARD_ERLIM	"pop3d_hard_error_limit"
#define DEF_POP3D_HARD_ERLIM	"10"
extern long var_pop3d_hard_erlim;

#define VAR_POP3D_LOGIN_USER	"pop3d_login_user"
#define DEF_POP3D_LOGIN_USER	"$default_privs"
extern char *var_pop3d_login_user;

#define VAR_POP3D_SASL_PATH	"pop3d_sasl_path"
#define DEF_POP3D_SASL_PATH	"pop3d"
extern char *var_pop3d_sasl_path;

#define VAR_POP3D_SASL_REALM	"pop3d_sasl_local_domain"
#define DEF_POP3D_SASL_REALM	""
extern char *var_pop3d_sasl_realm;

#define VAR_CYRUS_SASL_CONF	"cyrus_sasl_config_path"
#define DEF_CYRUS_SASL_CONF	"$config_directory/sasl"
extern char *var_cyrus_sasl_conf;

#define VAR_PBS_DATABASE	"pop_before_smtp_database"
#define DEF_PBS_DATABASE	"hash:$data_directory/pop-before-smtp"
extern char *var_pbs_database;

#define VAR_PBS_TMOUT		"pop_before_smtp_timeout"
#define DEF_PBS_TMOUT		"30m"
extern long var_pbs_tmout;

#endif
