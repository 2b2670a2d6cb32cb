/*++
/* NAME
/*	dsasl_server 3
/* SUMMARY
/*	server-side SASL over Cyrus SASL (libsasl2)
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
/*	const char *service;
/*	const char *server_fqdn;
/*	const char *user_realm;
/*	const char *local_addr;
/*	const char *local_port;
/*	const char *client_addr;
/*	const char *client_port;
/*	struct vstring *why;
/*
/*	const char *dsasl_server_mechs(server)
/*	struct dsasl_server *server;
/*
/*	int	dsasl_server_start(server, mech, init, init_len, challenge, why)
/*	struct dsasl_server *server;
/*	const char *mech;
/*	const char *init;
/*	size_t	init_len;
/*	struct vstring *challenge;
/*	struct vstring *why;
/*
/*	int	dsasl_server_step(server, resp, resp_len, challenge, why)
/*	struct dsasl_server *server;
/*	const char *resp;
/*	size_t	resp_len;
/*	struct vstring *challenge;
/*	struct vstring *why;
/*
/*	int	dsasl_server_check_pass(server, user, pass, why)
/*	struct dsasl_server *server;
/*	const char *user;
/*	const char *pass;
/*	struct vstring *why;
/*
/*	const char *dsasl_server_username(server)
/*	struct dsasl_server *server;
/*
/*	void	dsasl_server_free(serverp)
/*	struct dsasl_server **serverp;
/*
/*	void	dsasl_server_done(void)
/* DESCRIPTION
/*	This is the only module that calls libsasl2; dsasl(3h) describes
/*	the interface. Details of this implementation:
/* .IP \(bu
/*	dsasl_server_init() registers two callbacks: SASL_CB_LOG (to
/*	msg(3): errors and warnings as warnings, failures and notes as
/*	information, debug and trace only with msg_verbose, and the
/*	password trace level never) and SASL_CB_GETCONFPATH (conf_path;
/*	none for a null or empty conf_path, so that the library looks in
/*	its default folders). A
/*	second call after success does nothing and returns 0;
/*	dsasl_server_done() allows a new dsasl_server_init().
/* .IP \(bu
/*	dsasl_server_create() passes "local_addr;local_port" and
/*	"client_addr;client_port" to the library (none when the address
/*	is null or empty), and a null realm for an empty user_realm. The
/*	security properties are SASL_SEC_NOANONYMOUS and max_ssf 0: no
/*	security layer is ever negotiated.
/* .IP \(bu
/*	dsasl_server_start() refuses a mechanism that is not in the
/*	offered list (compared without regard to case) before the
/*	library sees it.
/* .IP \(bu
/*	Library results: SASL_OK and SASL_CONTINUE as such; SASL_BADAUTH,
/*	SASL_NOUSER, SASL_NOVERIFY, SASL_NOAUTHZ, SASL_EXPIRED,
/*	SASL_DISABLED, SASL_PWLOCK and SASL_NOUSERPASS (all say "these
/*	credentials do not give access") are DSASL_FAIL; SASL_NOMECH and
/*	SASL_TOOWEAK are DSASL_BADMECH; SASL_BADPROT and SASL_BADPARAM are
/*	DSASL_BADPROT; everything else (SASL_FAIL, SASL_NOMEM,
/*	SASL_UNAVAIL, SASL_TRYAGAIN, SASL_CONFIGERR, SASL_WRONGMECH...) is
/*	DSASL_TEMP. why then holds sasl_errdetail().
/* DIAGNOSTICS
/*	Results and reasons in why; library messages through msg(3).
/*	Nothing is fatal.
/* SEE ALSO
/*	dsasl(3h), dsasl_frame(3)
/*--*/
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <sasl/sasl.h>

#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <dsasl.h>

struct dsasl_server {
    sasl_conn_t *conn;
    char   *mechs;			/* "PLAIN LOGIN ..." */
    char   *username;			/* after DSASL_OK */
};

static int dsasl_server_ready;		/* sasl_server_init() done */
static char *dsasl_server_conf_path;	/* for the callback */

/* dsasl_server_getconfpath - where app.conf is looked for */

static int dsasl_server_getconfpath(void *context, const char **path)
{
    *path = dsasl_server_conf_path;
    return (SASL_OK);
}

/* dsasl_server_log - library messages to msg(3), never passwords */

static int dsasl_server_log(void *context, int level, const char *message)
{
    switch (level) {
    case SASL_LOG_ERR:
    case SASL_LOG_WARN:
	msg_warn("SASL: %s", message);
	break;
    case SASL_LOG_FAIL:
    case SASL_LOG_NOTE:
	msg_info("SASL: %s", message);
	break;
    case SASL_LOG_DEBUG:
    case SASL_LOG_TRACE:
	if (msg_verbose)
	    msg_info("SASL: %s", message);
	break;
    default:					/* SASL_LOG_PASS and unknown */
	break;
    }
    return (SASL_OK);
}

#define DSASL_SERVER_CB(fn)	((int (*) (void)) (void (*) (void)) (fn))

static sasl_callback_t dsasl_server_callbacks[] = {
    {SASL_CB_LOG, 0, 0},
    {SASL_CB_GETCONFPATH, 0, 0},	/* SASL_CB_LIST_END without a path */
    {SASL_CB_LIST_END, 0, 0},
};

/* dsasl_server_init - once per process, before chroot */

int     dsasl_server_init(const char *app, const char *conf_path,
			          struct vstring *why)
{
    int     status;

    if (dsasl_server_ready)
	return (0);
    if (dsasl_server_conf_path)
	myfree(dsasl_server_conf_path);
    dsasl_server_conf_path = mystrdup(conf_path ? conf_path : "");
    dsasl_server_callbacks[0].proc = DSASL_SERVER_CB(dsasl_server_log);
    dsasl_server_callbacks[1].id = *dsasl_server_conf_path ?
	SASL_CB_GETCONFPATH : SASL_CB_LIST_END;
    dsasl_server_callbacks[1].proc = DSASL_SERVER_CB(dsasl_server_getconfpath);
    if ((status = sasl_server_init(dsasl_server_callbacks, app)) != SASL_OK) {
	vstring_sprintf(why, "SASL initialisation for %s (config path \"%s\"): %s",
			app, dsasl_server_conf_path,
			sasl_errstring(status, 0, 0));
	return (-1);
    }
    dsasl_server_ready = 1;
    return (0);
}

/* dsasl_server_result - libsasl2 result to DSASL_*, reason in why */

static int dsasl_server_result(struct dsasl_server *server, int status,
			               struct vstring *why)
{
    switch (status) {
    case SASL_OK:
	return (DSASL_OK);
    case SASL_CONTINUE:
	return (DSASL_CONTINUE);
    }
    vstring_strcpy(why, sasl_errdetail(server->conn));
    switch (status) {
    case SASL_BADAUTH:
    case SASL_NOUSER:
    case SASL_NOVERIFY:
    case SASL_NOAUTHZ:
    case SASL_EXPIRED:
    case SASL_DISABLED:
    case SASL_PWLOCK:
    case SASL_NOUSERPASS:
	return (DSASL_FAIL);
    case SASL_NOMECH:
    case SASL_TOOWEAK:
	return (DSASL_BADMECH);
    case SASL_BADPROT:
    case SASL_BADPARAM:
	return (DSASL_BADPROT);
    default:
	return (DSASL_TEMP);
    }
}

/* dsasl_server_ipport - "addr;port", or null without an address */

static const char *dsasl_server_ipport(struct vstring *buf, const char *addr,
				               const char *port)
{
    if (addr == 0 || *addr == 0)
	return (0);
    vstring_sprintf(buf, "%s;%s", addr, port ? port : "0");
    return (vstring_str(buf));
}

/* dsasl_server_create - one context for one client */

struct dsasl_server *dsasl_server_create(const char *service,
				               const char *server_fqdn,
				               const char *user_realm,
				               const char *local_addr,
				               const char *local_port,
				               const char *client_addr,
				               const char *client_port,
				               struct vstring *why)
{
    struct dsasl_server *server;
    struct vstring *local = vstring_alloc(64);
    struct vstring *remote = vstring_alloc(64);
    sasl_security_properties_t props;
    sasl_conn_t *conn = 0;
    const char *mechs;
    unsigned mechs_len;
    int     count;
    int     status;

    status = sasl_server_new(service, server_fqdn,
			     (user_realm && *user_realm) ? user_realm : 0,
			     dsasl_server_ipport(local, local_addr, local_port),
			     dsasl_server_ipport(remote, client_addr, client_port),
			     0, 0, &conn);
    vstring_free(&local);
    vstring_free(&remote);
    if (status != SASL_OK) {
	vstring_sprintf(why, "SASL context for %s: %s", service,
			conn ? sasl_errdetail(conn) : sasl_errstring(status, 0, 0));
	if (conn)
	    sasl_dispose(&conn);
	return (0);
    }
    memset(&props, 0, sizeof(props));
    props.min_ssf = 0;
    props.max_ssf = 0;
    props.maxbufsize = 0;
    props.security_flags = SASL_SEC_NOANONYMOUS;
    if ((status = sasl_setprop(conn, SASL_SEC_PROPS, &props)) != SASL_OK
	|| (status = sasl_listmech(conn, 0, "", " ", "", &mechs,
				   &mechs_len, &count)) != SASL_OK) {
	vstring_sprintf(why, "SASL context for %s: %s", service,
			sasl_errdetail(conn));
	sasl_dispose(&conn);
	return (0);
    }
    server = (struct dsasl_server *) mymalloc(sizeof(*server));
    server->conn = conn;
    server->mechs = mystrndup(mechs, mechs_len);
    server->username = 0;
    return (server);
}

/* dsasl_server_mechs - the offered mechanisms */

const char *dsasl_server_mechs(struct dsasl_server *server)
{
    return (server->mechs);
}

/* dsasl_server_offered - is mech in the offered list */

static int dsasl_server_offered(struct dsasl_server *server, const char *mech)
{
    size_t  len = strlen(mech);
    const char *cp = server->mechs;
    size_t  n;

    if (len == 0)
	return (0);
    while (*cp) {
	n = strcspn(cp, " ");
	if (n == len && strncasecmp(cp, mech, len) == 0)
	    return (1);
	cp += n;
	cp += strspn(cp, " ");
    }
    return (0);
}

/* dsasl_server_set_user - replace the authenticated name (null: none) */

static void dsasl_server_set_user(struct dsasl_server *server, const char *name)
{
    if (server->username)
	myfree(server->username);
    server->username = name ? mystrdup(name) : 0;
}

/* dsasl_server_outcome - challenge and user name after a library step */

static int dsasl_server_outcome(struct dsasl_server *server, int status,
				        const char *out, unsigned out_len,
				        struct vstring *challenge,
				        struct vstring *why)
{
    const void *user;
    int     result = dsasl_server_result(server, status, why);

    vstring_reset(challenge);
    if (result == DSASL_CONTINUE && out_len > 0)
	vstring_memcpy(challenge, out, out_len);
    if (result == DSASL_OK) {
	if (sasl_getprop(server->conn, SASL_USERNAME, &user) != SASL_OK
	    || user == 0) {
	    dsasl_server_set_user(server, 0);
	    vstring_strcpy(why, "authenticated, but the library gives no user name");
	    return (DSASL_TEMP);
	}
	dsasl_server_set_user(server, (const char *) user);
    }
    return (result);
}

/* dsasl_server_start - first step of an exchange */

int     dsasl_server_start(struct dsasl_server *server, const char *mech,
			           const char *init, size_t init_len,
			           struct vstring *challenge,
			           struct vstring *why)
{
    const char *out = 0;
    unsigned out_len = 0;
    int     status;

    vstring_reset(challenge);
    if (!dsasl_server_offered(server, mech)) {
	vstring_sprintf(why, "mechanism %.*s is not offered",
			SASL_MECHNAMEMAX * 2, mech);
	return (DSASL_BADMECH);
    }
    if (init_len > UINT_MAX) {
	vstring_strcpy(why, "initial response too long");
	return (DSASL_BADPROT);
    }
    status = sasl_server_start(server->conn, mech, init,
			       init ? (unsigned) init_len : 0, &out, &out_len);
    return (dsasl_server_outcome(server, status, out, out_len, challenge, why));
}

/* dsasl_server_step - next step of an exchange */

int     dsasl_server_step(struct dsasl_server *server, const char *resp,
			          size_t resp_len, struct vstring *challenge,
			          struct vstring *why)
{
    const char *out = 0;
    unsigned out_len = 0;
    int     status;

    if (resp_len > UINT_MAX) {
	vstring_reset(challenge);
	vstring_strcpy(why, "response too long");
	return (DSASL_BADPROT);
    }
    status = sasl_server_step(server->conn, resp ? resp : "",
			      (unsigned) resp_len, &out, &out_len);
    return (dsasl_server_outcome(server, status, out, out_len, challenge, why));
}

/* dsasl_server_check_pass - plain user name and password */

int     dsasl_server_check_pass(struct dsasl_server *server, const char *user,
				        const char *pass, struct vstring *why)
{
    const void *canon;
    int     status;
    int     result;

    status = sasl_checkpass(server->conn, user, (unsigned) strlen(user),
			    pass, (unsigned) strlen(pass));
    result = dsasl_server_result(server, status, why);
    if (result == DSASL_OK) {
	if (sasl_getprop(server->conn, SASL_USERNAME, &canon) != SASL_OK
	    || canon == 0)
	    canon = user;
	dsasl_server_set_user(server, (const char *) canon);
	return (DSASL_OK);
    }
    /* DSASL_CONTINUE and DSASL_BADMECH mean nothing for a password. */
    if (result == DSASL_FAIL || result == DSASL_TEMP)
	return (result);
    return (status == SASL_BADPARAM || status == SASL_BADPROT ?
	    DSASL_FAIL : DSASL_TEMP);
}

/* dsasl_server_username - canonical name after DSASL_OK, else null */

const char *dsasl_server_username(struct dsasl_server *server)
{
    return (server->username);
}

/* dsasl_server_free - end one context, clear the caller's pointer */

void    dsasl_server_free(struct dsasl_server **serverp)
{
    struct dsasl_server *server = *serverp;

    if (server == 0)
	return;
    sasl_dispose(&server->conn);
    myfree(server->mechs);
    dsasl_server_set_user(server, 0);
    myfree(server);
    *serverp = 0;
}

/* dsasl_server_done - release the library (at process end) */

void    dsasl_server_done(void)
{
    if (!dsasl_server_ready)
	return;
    (void) sasl_server_done();
    dsasl_server_ready = 0;
    if (dsasl_server_conf_path) {
	myfree(dsasl_server_conf_path);
	dsasl_server_conf_path = 0;
    }
}
