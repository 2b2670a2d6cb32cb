#ifndef DSASL_H
#define DSASL_H
/*++
/* NAME
/*	dsasl 3h
/* SUMMARY
/*	server-side SASL: the only code that calls Cyrus SASL (libsasl2)
/* SYNOPSIS
/*	#include <dsasl.h>
/*
/*	int	dsasl_server_init(app, conf_path, why)
/*	const char *app;
/*	const char *conf_path;
/*	struct vstring *why;
/*
/*	struct dsasl_server *dsasl_server_create(service, server_fqdn,
/*				user_realm, local_addr, local_port,
/*				client_addr, client_port, why)
/*
/*	const char *dsasl_server_mechs(server)
/*
/*	int	dsasl_server_start(server, mech, init, init_len, challenge, why)
/*	const char *init;	(null: no initial response)
/*
/*	int	dsasl_server_step(server, resp, resp_len, challenge, why)
/*
/*	int	dsasl_server_check_pass(server, user, pass, why)
/*
/*	const char *dsasl_server_username(server)
/*
/*	void	dsasl_server_free(serverp)
/*
/*	void	dsasl_server_done(void)
/*
/*	int	dsasl_frame_decode(line, len, out)
/*	void	dsasl_frame_encode(data, len, out)
/* DESCRIPTION
/*	dsasl_server_init() initialises the library once per process,
/*	as root and before any chroot (it loads the mechanism plugins).
/*	app is the application name: the settings are read from
/*	app.conf in the colon-separated folders conf_path (main.cf
/*	cyrus_sasl_config_path), Cyrus SASL's own file format
/*	("pwcheck_method: auxprop", "auxprop_plugin: sasldb",
/*	"sasldb_path: /etc/dromos/sasl/sasldb2", "mech_list: PLAIN LOGIN",
/*	or "pwcheck_method: saslauthd"). Library log messages go to msg(3).
/*	It returns 0, or -1 with a reason in why.
/*
/*	dsasl_server_create() makes one authentication context for one
/*	client: service "pop" or "smtp"; user_realm may be empty (none).
/*	Plaintext mechanisms are allowed; anonymous ones never are.
/*	dsasl_server_mechs() lists the offered mechanisms, separated by
/*	one space, upper case ("PLAIN LOGIN CRAM-MD5").
/*
/*	dsasl_server_start() and dsasl_server_step() drive the RFC 4422
/*	exchange with raw (already base64-decoded) client data. Results:
/* .IP DSASL_OK
/*	authenticated; dsasl_server_username() is the canonical name.
/*	With Cyrus SASL and a sasldb that is "user@realm": a client
/*	that logs in as "alice" on a context made with user_realm
/*	"example.test" is "alice@example.test" (the library adds
/*	user_realm to a name without "@"; with an empty user_realm it
/*	adds the server's fqdn, so clients must then give the qualified
/*	name). The same holds after dsasl_server_check_pass().
/*	dsasl_server_username() is null until a DSASL_OK.
/* .IP DSASL_CONTINUE
/*	send challenge (raw bytes, may be empty) and call
/*	dsasl_server_step() with the client's answer.
/* .IP DSASL_FAIL
/*	bad credentials or an unknown user (the two are not told apart);
/*	why says what the library said, for the log only.
/* .IP DSASL_BADMECH
/*	mech is not offered.
/* .IP DSASL_BADPROT
/*	the client's data is malformed for the mechanism.
/* .IP DSASL_TEMP
/*	a system problem (the password database cannot be read...).
/* .PP
/*	dsasl_server_check_pass() checks a plain user name and password
/*	(POP3 USER/PASS) with the same settings: DSASL_OK (username is
/*	then set), DSASL_FAIL or DSASL_TEMP.
/*
/*	dsasl_frame_decode() parses one client answer line of a SASL
/*	exchange (without CR LF): "*" is DSASL_FRAME_CANCEL, "=" an empty
/*	answer, otherwise base64 (RFC 4648, padding required) decoded into
/*	out: DSASL_FRAME_OK, or DSASL_FRAME_BAD for anything else (bad
/*	characters, bad length or padding, white space). The decoded data
/*	may contain NUL bytes (PLAIN). dsasl_frame_encode() is the
/*	inverse for challenges (empty data gives an empty string).
/* DIAGNOSTICS
/*	Results and reasons in why; nothing here is fatal.
/*--*/
#include <stddef.h>

struct vstring;
struct dsasl_server;

#define DSASL_OK	0
#define DSASL_CONTINUE	1
#define DSASL_FAIL	2
#define DSASL_BADMECH	3
#define DSASL_BADPROT	4
#define DSASL_TEMP	5

#define DSASL_FRAME_OK		0
#define DSASL_FRAME_CANCEL	1
#define DSASL_FRAME_BAD		2

extern int dsasl_server_init(const char *, const char *, struct vstring *);
extern struct dsasl_server *dsasl_server_create(const char *, const char *,
						        const char *, const char *,
						        const char *, const char *,
						        const char *, struct vstring *);
extern const char *dsasl_server_mechs(struct dsasl_server *);
extern int dsasl_server_start(struct dsasl_server *, const char *,
			              const char *, size_t, struct vstring *,
			              struct vstring *);
extern int dsasl_server_step(struct dsasl_server *, const char *, size_t,
			             struct vstring *, struct vstring *);
extern int dsasl_server_check_pass(struct dsasl_server *, const char *,
				           const char *, struct vstring *);
extern const char *dsasl_server_username(struct dsasl_server *);
extern void dsasl_server_free(struct dsasl_server **);
extern void dsasl_server_done(void);

extern int dsasl_frame_decode(const char *, size_t, struct vstring *);
extern void dsasl_frame_encode(const char *, size_t, struct vstring *);

#endif
