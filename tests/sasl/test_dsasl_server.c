/*++
/* NAME
/*	test_dsasl_server 1
/* SUMMARY
/*	unit tests for dsasl_server over the real libsasl2 and a real sasldb
/* SYNOPSIS
/*	./test_dsasl_server
/* DESCRIPTION
/*	The group setup makes a fresh folder under /tmp, creates
/*	DIR/sasldb2 with user alice (password "secret", realm
/*	example.test) by running saslpasswd2 (password on its standard
/*	input), writes DIR/dsasltest.conf (auxprop with sasldb, mech_list
/*	PLAIN LOGIN CRAM-MD5) and calls dsasl_server_init("dsasltest",
/*	DIR). The teardown calls
/*	dsasl_server_done() and removes the folder.
/*
/*	Cases, each on a fresh context (service "smtp", realm
/*	example.test unless said otherwise):
/* .IP \(bu
/*	the offered mechanisms are exactly PLAIN, LOGIN and CRAM-MD5;
/* .IP \(bu
/*	PLAIN with an initial response: good password (user name
/*	"alice@example.test"), wrong password, unknown user, authzid
/*	equal to and different from the authcid, malformed data, and a
/*	mechanism name in lower case;
/* .IP \(bu
/*	PLAIN without an initial response (empty challenge, then step);
/* .IP \(bu
/*	LOGIN in two steps, with a good and a wrong password;
/* .IP \(bu
/*	CRAM-MD5 with a digest computed here (OpenSSL HMAC-MD5) and with
/*	a wrong digest;
/* .IP \(bu
/*	unknown ("FOO"), empty, not configured (DIGEST-MD5) and anonymous
/*	mechanisms are DSASL_BADMECH;
/* .IP \(bu
/*	dsasl_server_check_pass() good, wrong, unknown user, and a
/*	qualified name with no realm given;
/* .IP \(bu
/*	the log: what the library logs during failed logins (it reports
/*	them at SASL_LOG_FAIL, which goes to msg_info()) is there and
/*	never contains the password that was tried;
/* .IP \(bu
/*	a second dsasl_server_init() is a no-op returning 0;
/* .IP \(bu
/*	last, after dsasl_server_done(), a new dsasl_server_init() with
/*	another app.conf whose sasldb_path is not a database: PLAIN and
/*	dsasl_server_check_pass() are then DSASL_TEMP (not DSASL_FAIL),
/*	and mech_list PLAIN LOGIN is what is offered.
/* DIAGNOSTICS
/*	cmocka's report; a failing check says what the library said.
/*--*/
#include <sys/types.h>
#include <sys/wait.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <msg.h>
#include <vstring.h>

#include <dsasl.h>

#include "../global/test_capture.h"

#define APP		"dsasltest"
#define REALM		"example.test"
#define USER		"alice"
#define PASS		"secret"
#define CANON		USER "@" REALM

static struct vstring *dir;
static struct vstring *why;
static struct vstring *challenge;

/* make_sasldb - saslpasswd2 -f DIR/sasldb2 -c -p -u REALM USER */

static int make_sasldb(const char *path, const char *realm, const char *user,
		               const char *pass)
{
    int     fds[2];
    pid_t   pid;
    int     status;
    int     wrote;
    size_t  len = strlen(pass);

    if (pipe(fds) < 0)
	return (-1);
    if ((pid = fork()) < 0)
	return (-1);
    if (pid == 0) {
	char   *args[] = {"saslpasswd2", "-f", (char *) path, "-c", "-p",
	"-u", (char *) realm, (char *) user, 0};

	(void) close(fds[1]);
	if (dup2(fds[0], 0) < 0)
	    _exit(126);
	(void) close(fds[0]);
	execvp(args[0], args);
	execv("/usr/sbin/saslpasswd2", args);
	_exit(127);
    }
    (void) close(fds[0]);
    wrote = (write(fds[1], pass, len) == (ssize_t) len);
    (void) close(fds[1]);
    if (waitpid(pid, &status, 0) != pid)
	return (-1);
    return (wrote && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1);
}

/* write_conf - DIR/app.conf: auxprop over the sasldb at sasldb */

static void write_conf(const char *app, const char *sasldb, const char *mechs)
{
    struct vstring *path = vstring_alloc(100);
    struct vstring *conf = vstring_alloc(200);

    vstring_sprintf(conf, "pwcheck_method: auxprop\n"
		    "auxprop_plugin: sasldb\n"
		    "sasldb_path: %s\n"
		    "mech_list: %s\n", sasldb, mechs);
    vstring_sprintf(path, "%s/%s.conf", vstring_str(dir), app);
    test_write_file(vstring_str(path), vstring_str(conf), vstring_len(conf));
    vstring_free(&path);
    vstring_free(&conf);
}

static int setup(void **state)
{
    struct vstring *path = vstring_alloc(100);

    msg_init("test_dsasl_server");
    msg_stderr_init(1, 0);
    dir = vstring_alloc(100);
    why = vstring_alloc(100);
    challenge = vstring_alloc(100);
    test_tempdir(dir);
    vstring_sprintf(path, "%s/sasldb2", vstring_str(dir));
    if (make_sasldb(vstring_str(path), REALM, USER, PASS) != 0) {
	print_error("saslpasswd2 failed for %s\n", vstring_str(path));
	vstring_free(&path);
	return (-1);
    }
    write_conf(APP, vstring_str(path), "PLAIN LOGIN CRAM-MD5");
    vstring_free(&path);
    if (dsasl_server_init(APP, vstring_str(dir), why) != 0) {
	print_error("dsasl_server_init: %s\n", vstring_str(why));
	return (-1);
    }
    return (0);
}

static int teardown(void **state)
{
    dsasl_server_done();
    test_rmdir(vstring_str(dir));
    vstring_free(&dir);
    vstring_free(&why);
    vstring_free(&challenge);
    return (0);
}

/* new_server - a context as smtpd would make it */

static struct dsasl_server *new_server(const char *realm)
{
    struct dsasl_server *server;

    server = dsasl_server_create("smtp", "mail." REALM, realm, "127.0.0.1",
				 "25", "127.0.0.2", "40000", why);
    if (server == 0)
	fail_msg("dsasl_server_create: %s", vstring_str(why));
    return (server);
}

/* result_name - for messages */

static const char *result_name(int result)
{
    static const char *names[] = {"DSASL_OK", "DSASL_CONTINUE", "DSASL_FAIL",
    "DSASL_BADMECH", "DSASL_BADPROT", "DSASL_TEMP"};

    return (result >= 0 && result <= DSASL_TEMP ? names[result] : "unknown");
}

/* expect_result - a result, with the library's reason on a mismatch */

static void expect_result(const char *what, int got, int want)
{
    if (got != want)
	fail_msg("%s: %s, want %s (why: %s)", what, result_name(got),
		 result_name(want), vstring_str(why));
}

/* start - dsasl_server_start() with a data/length pair */

static int start(struct dsasl_server *server, const char *mech,
		         const char *init, size_t len)
{
    vstring_strcpy(why, "");
    return (dsasl_server_start(server, mech, init, len, challenge, why));
}

/* step - dsasl_server_step() with a data/length pair */

static int step(struct dsasl_server *server, const char *resp, size_t len)
{
    vstring_strcpy(why, "");
    return (dsasl_server_step(server, resp, len, challenge, why));
}

#define S(s)	(s), (sizeof(s) - 1)

/* plain_case - one PLAIN login with an initial response */

static void plain_case(const char *what, const char *mech, const char *init,
		               size_t len, int want)
{
    struct dsasl_server *server = new_server(REALM);
    int     result = start(server, mech, init, len);

    expect_result(what, result, want);
    if (want == DSASL_OK)
	assert_string_equal(dsasl_server_username(server), CANON);
    else
	assert_true(vstring_len(why) > 0);
    dsasl_server_free(&server);
    assert_null(server);
}

/* test_mechs - exactly the configured mechanisms, as a set */

static void test_mechs(void **state)
{
    struct dsasl_server *server = new_server(REALM);
    static const char *want[] = {"PLAIN", "LOGIN", "CRAM-MD5"};
    int     seen[3] = {0, 0, 0};
    char   *copy = strdup(dsasl_server_mechs(server));
    char   *word;
    char   *save = 0;
    size_t  i;

    assert_non_null(copy);
    for (word = strtok_r(copy, " ", &save); word; word = strtok_r(0, " ", &save)) {
	for (i = 0; i < 3; i++)
	    if (strcmp(word, want[i]) == 0)
		break;
	if (i == 3)
	    fail_msg("unexpected mechanism \"%s\" in \"%s\"", word,
		     dsasl_server_mechs(server));
	seen[i]++;
    }
    for (i = 0; i < 3; i++)
	if (seen[i] != 1)
	    fail_msg("mechanism %s seen %d times in \"%s\"", want[i], seen[i],
		     dsasl_server_mechs(server));
    free(copy);
    dsasl_server_free(&server);
}

/* test_plain - PLAIN with an initial response */

static void test_plain(void **state)
{
    plain_case("good password", "PLAIN", S("\0alice\0secret"), DSASL_OK);
    plain_case("lower-case name", "plain", S("\0alice\0secret"), DSASL_OK);
    plain_case("qualified name", "PLAIN", S("\0alice@example.test\0secret"),
	       DSASL_OK);
    plain_case("authzid = authcid", "PLAIN", S("alice\0alice\0secret"),
	       DSASL_OK);
    plain_case("wrong password", "PLAIN", S("\0alice\0secreT"), DSASL_FAIL);
    plain_case("empty password", "PLAIN", S("\0alice\0"), DSASL_FAIL);
    plain_case("unknown user", "PLAIN", S("\0mallory\0secret"), DSASL_FAIL);
    plain_case("other realm", "PLAIN", S("\0alice@example.org\0secret"),
	       DSASL_FAIL);
    plain_case("authzid bob", "PLAIN", S("bob\0alice\0secret"), DSASL_FAIL);
    plain_case("no NUL", "PLAIN", S("alice secret"), DSASL_BADPROT);
}

/* test_plain_no_realm - a realm-less context takes qualified names */

static void test_plain_no_realm(void **state)
{
    struct dsasl_server *server = new_server("");

    expect_result("qualified, no realm",
		  start(server, "PLAIN", S("\0alice@example.test\0secret")),
		  DSASL_OK);
    assert_string_equal(dsasl_server_username(server), CANON);
    dsasl_server_free(&server);

    /* "alice" is then alice@<server fqdn>, who does not exist. */
    server = new_server("");
    expect_result("bare, no realm",
		  start(server, "PLAIN", S("\0alice\0secret")), DSASL_FAIL);
    assert_null(dsasl_server_username(server));
    dsasl_server_free(&server);
}

/* test_plain_two_steps - PLAIN, empty challenge, then the answer */

static void test_plain_two_steps(void **state)
{
    struct dsasl_server *server = new_server(REALM);

    vstring_strcpy(challenge, "junk");
    expect_result("start", start(server, "PLAIN", 0, 0), DSASL_CONTINUE);
    assert_int_equal(vstring_len(challenge), 0);
    assert_null(dsasl_server_username(server));
    expect_result("step", step(server, S("\0alice\0secret")), DSASL_OK);
    assert_string_equal(dsasl_server_username(server), CANON);
    dsasl_server_free(&server);

    server = new_server(REALM);
    expect_result("start", start(server, "PLAIN", 0, 0), DSASL_CONTINUE);
    expect_result("wrong step", step(server, S("\0alice\0wrong")), DSASL_FAIL);
    dsasl_server_free(&server);
}

/* login_case - LOGIN: user name, then password */

static void login_case(const char *pass, int want)
{
    struct dsasl_server *server = new_server(REALM);

    expect_result("LOGIN start", start(server, "LOGIN", 0, 0), DSASL_CONTINUE);
    assert_string_equal(vstring_str(challenge), "Username:");
    expect_result("LOGIN user", step(server, S(USER)), DSASL_CONTINUE);
    assert_string_equal(vstring_str(challenge), "Password:");
    expect_result("LOGIN password", step(server, pass, strlen(pass)), want);
    if (want == DSASL_OK)
	assert_string_equal(dsasl_server_username(server), CANON);
    dsasl_server_free(&server);
}

static void test_login(void **state)
{
    login_case(PASS, DSASL_OK);
    login_case("Secret", DSASL_FAIL);
}

/* cram_case - CRAM-MD5 with HMAC-MD5(key, challenge) */

static void cram_case(const char *key, int want)
{
    struct dsasl_server *server = new_server(REALM);
    struct vstring *resp = vstring_alloc(100);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned digest_len = 0;
    unsigned i;

    expect_result("CRAM-MD5 start", start(server, "CRAM-MD5", 0, 0),
		  DSASL_CONTINUE);
    /* RFC 2195: the challenge is a msg-id, "<...@...>". */
    assert_true(vstring_len(challenge) > 2);
    assert_int_equal(vstring_str(challenge)[0], '<');
    assert_int_equal(vstring_end(challenge)[-1], '>');
    assert_non_null(HMAC(EVP_md5(), key, (int) strlen(key),
			 (const unsigned char *) vstring_str(challenge),
			 vstring_len(challenge), digest, &digest_len));
    assert_int_equal(digest_len, 16);
    vstring_sprintf(resp, "%s ", USER);
    for (i = 0; i < digest_len; i++)
	vstring_sprintf_append(resp, "%02x", digest[i]);
    expect_result("CRAM-MD5 answer",
		  step(server, vstring_str(resp), vstring_len(resp)), want);
    if (want == DSASL_OK)
	assert_string_equal(dsasl_server_username(server), CANON);
    vstring_free(&resp);
    dsasl_server_free(&server);
}

static void test_cram_md5(void **state)
{
    cram_case(PASS, DSASL_OK);
    cram_case("wrong", DSASL_FAIL);
}

/* test_badmech - names not offered never reach the library */

static void test_badmech(void **state)
{
    static const char *mechs[] = {"FOO", "", "DIGEST-MD5", "ANONYMOUS",
    "PLAIN LOGIN", "PLAI", "PLAINX", "SCRAM-SHA-256"};
    struct dsasl_server *server;
    size_t  i;

    for (i = 0; i < sizeof(mechs) / sizeof(mechs[0]); i++) {
	server = new_server(REALM);
	vstring_strcpy(challenge, "junk");
	if (start(server, mechs[i], 0, 0) != DSASL_BADMECH)
	    fail_msg("mechanism \"%s\" was not refused", mechs[i]);
	assert_int_equal(vstring_len(challenge), 0);
	assert_true(vstring_len(why) > 0);
	dsasl_server_free(&server);
    }
}

/* test_check_pass - USER/PASS */

static void test_check_pass(void **state)
{
    struct dsasl_server *server = new_server(REALM);

    expect_result("good", dsasl_server_check_pass(server, USER, PASS, why),
		  DSASL_OK);
    assert_string_equal(dsasl_server_username(server), CANON);
    dsasl_server_free(&server);

    server = new_server(REALM);
    expect_result("wrong", dsasl_server_check_pass(server, USER, "Secret", why),
		  DSASL_FAIL);
    assert_null(dsasl_server_username(server));
    expect_result("unknown", dsasl_server_check_pass(server, "mallory", PASS,
						     why), DSASL_FAIL);
    expect_result("empty", dsasl_server_check_pass(server, USER, "", why),
		  DSASL_FAIL);
    dsasl_server_free(&server);

    server = new_server("");
    expect_result("qualified", dsasl_server_check_pass(server, CANON, PASS,
						       why), DSASL_OK);
    assert_string_equal(dsasl_server_username(server), CANON);
    dsasl_server_free(&server);
}

/* test_log_no_password - failed logins log, but never the password */

static void test_log_no_password(void **state)
{
    struct vstring *log = vstring_alloc(1000);
    struct dsasl_server *server;

    capture_start();
    plain_case("wrong password", "PLAIN", S("\0alice\0Tr0ub4dor"), DSASL_FAIL);
    server = new_server(REALM);
    expect_result("check_pass",
		  dsasl_server_check_pass(server, USER, "Tr0ub4dor", why),
		  DSASL_FAIL);
    dsasl_server_free(&server);
    login_case("Tr0ub4dor", DSASL_FAIL);
    capture_end(log);
    if (strstr(vstring_str(log), "Tr0ub4dor") != 0)
	fail_msg("password in the log: %s", vstring_str(log));
    /* The failures themselves were logged (so the check above means something). */
    if (strstr(vstring_str(log), "SASL: ") == 0)
	fail_msg("no library message logged: \"%s\"", vstring_str(log));
    vstring_free(&log);
}

/* test_init_twice - a second init is a no-op */

static void test_init_twice(void **state)
{
    struct dsasl_server *server;

    assert_int_equal(dsasl_server_init(APP, "/nonexistent", why), 0);
    server = new_server(REALM);
    expect_result("after second init",
		  start(server, "PLAIN", S("\0alice\0secret")), DSASL_OK);
    dsasl_server_free(&server);
}

/* test_broken_db - a password database that cannot be read */

static void test_broken_db(void **state)
{
    struct vstring *path = vstring_alloc(100);
    struct dsasl_server *server;

    /*
     * dsasl_server_done() then dsasl_server_init() with another app name:
     * its sasldb is not a database, so the library cannot read it.
     */
    vstring_sprintf(path, "%s/garbage", vstring_str(dir));
    test_write_file(vstring_str(path), S("this is not a Berkeley DB file\n"));
    write_conf("dsasltemp", vstring_str(path), "PLAIN LOGIN");
    dsasl_server_done();
    assert_int_equal(dsasl_server_init("dsasltemp", vstring_str(dir), why), 0);
    server = new_server(REALM);
    assert_string_equal(dsasl_server_mechs(server), "PLAIN LOGIN");
    expect_result("PLAIN, broken database",
		  start(server, "PLAIN", S("\0alice\0secret")), DSASL_TEMP);
    assert_null(dsasl_server_username(server));
    dsasl_server_free(&server);
    server = new_server(REALM);
    expect_result("check_pass, broken database",
		  dsasl_server_check_pass(server, USER, PASS, why), DSASL_TEMP);
    assert_null(dsasl_server_username(server));
    dsasl_server_free(&server);
    vstring_free(&path);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_mechs),
	cmocka_unit_test(test_plain),
	cmocka_unit_test(test_plain_no_realm),
	cmocka_unit_test(test_plain_two_steps),
	cmocka_unit_test(test_login),
	cmocka_unit_test(test_cram_md5),
	cmocka_unit_test(test_badmech),
	cmocka_unit_test(test_check_pass),
	cmocka_unit_test(test_log_no_password),
	cmocka_unit_test(test_init_twice),
	cmocka_unit_test(test_broken_db),
    };

    return (cmocka_run_group_tests(tests, setup, teardown));
}
