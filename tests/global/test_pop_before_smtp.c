/*++
/* NAME
/*	test_pop_before_smtp 1
/* SUMMARY
/*	unit tests for the POP-before-SMTP table (pop_before_smtp)
/* SYNOPSIS
/*	./test_pop_before_smtp
/* DESCRIPTION
/*	With a fresh temporary folder as the table's home for each test
/*	(var_pbs_database = hash:DIR/pop-before-smtp):
/*
/*	pbs_addr_key() on IPv4, IPv6 in long and short forms, upper case,
/*	IPv4-mapped IPv6, and on what is not a numeric address.
/*
/*	pbs_record() then pbs_check_table() on the file opened directly
/*	(pbs_check() itself asks proxymap, which a unit test has not):
/*	the address is in, another is not, an expired entry is not
/*	trusted although its key is still there, a second login moves
/*	the expiry on, the file is mode 0644 and the stored value is the
/*	expiry in decimal digits (what drommap -s shows). pbs_purge()
/*	removes the expired entries and only those; so does the next
/*	pbs_record().
/*
/*	Concurrency: 8 writer processes record 50 addresses each while 2
/*	reader processes keep looking addresses up (a millisecond apart)
/*	with a table they keep open (so each sees the file modified in
/*	place under it); then all
/*	400 addresses must be in the table, a walk of the file must find
/*	exactly those 400 well-formed entries, and no process may have
/*	failed.
/* DIAGNOSTICS
/*	cmocka's report.
/*--*/
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vstring.h>

#include <dict.h>
#include <mail_params.h>
#include <pop_before_smtp.h>

#define NOW	((time_t) 1764385200)
#define TMOUT	1800

static char test_dir[] = "/tmp/test_pbs.XXXXXX";
static char *test_db;
static char *test_file;

/* setup - a fresh folder and the parameters */

static int setup(void **unused)
{
    struct vstring *buf = vstring_alloc(100);

    strcpy(test_dir, "/tmp/test_pbs.XXXXXX");
    if (mkdtemp(test_dir) == 0)
	return (-1);
    vstring_sprintf(buf, "hash:%s/pop-before-smtp", test_dir);
    test_db = vstring_export(&buf);
    buf = vstring_alloc(100);
    vstring_sprintf(buf, "%s/pop-before-smtp.db", test_dir);
    test_file = vstring_export(&buf);
    var_data_dir = test_dir;
    var_pbs_database = test_db;
    var_pbs_tmout = TMOUT;
    var_mail_owner = "nobody";
    return (0);
}

static int teardown(void **unused)
{
    struct vstring *cmd = vstring_alloc(100);

    vstring_sprintf(cmd, "rm -rf '%s'", test_dir);
    if (system(vstring_str(cmd)) != 0)
	return (-1);
    vstring_free(&cmd);
    free(test_db);
    free(test_file);
    return (0);
}

/* open_table - the table as a reader opens it */

static struct dict *open_table(void)
{
    struct vstring *why = vstring_alloc(100);
    struct dict *dict;

    dict = dict_open(test_db, DICT_MODE_READ, DICT_FLAG_DEFAULT, why);
    if (dict == 0)
	fail_msg("open %s: %s", test_db, vstring_str(why));
    vstring_free(&why);
    return (dict);
}

/* check - pbs_check_table() on a freshly opened table */

static int check(const char *addr, time_t now)
{
    struct vstring *why = vstring_alloc(100);
    struct dict *dict = open_table();
    int     st;

    st = pbs_check_table(dict, addr, now, why);
    if (st < 0)
	fail_msg("check %s: %s", addr, vstring_str(why));
    dict_close(&dict);
    vstring_free(&why);
    return (st);
}

/* stored - the value stored for key, or "" */

static const char *stored(const char *key)
{
    static struct vstring *buf;
    struct dict *dict = open_table();
    const char *value;

    if (buf == 0)
	buf = vstring_alloc(20);
    vstring_strcpy(buf, "");
    if (dict_lookup(dict, key, &value) == DICT_STAT_FOUND)
	vstring_strcpy(buf, value);
    dict_close(&dict);
    return (vstring_str(buf));
}

/* count - entries in the table */

static int count(void)
{
    struct dict *dict = open_table();
    const char *key;
    const char *value;
    int     n = 0;
    int     how = DICT_SEQ_FIRST;

    while (dict_sequence(dict, how, &key, &value) == DICT_STAT_FOUND) {
	how = DICT_SEQ_NEXT;
	n++;
    }
    dict_close(&dict);
    return (n);
}

static void record(const char *addr, time_t now)
{
    struct vstring *why = vstring_alloc(100);

    if (pbs_record(addr, now, why) < 0)
	fail_msg("record %s: %s", addr, vstring_str(why));
    vstring_free(&why);
}

static void test_addr_key(void **unused)
{
    static const struct {
	const char *addr;
	int     ret;
	const char *key;
    } cases[] = {
	{"127.0.0.3", 0, "127.0.0.3"},
	{"192.0.2.10", 0, "192.0.2.10"},
	{"2001:db8::1", 0, "2001:db8::1"},
	{"2001:0db8:0000:0000:0000:0000:0000:0001", 0, "2001:db8::1"},
	{"2001:DB8::A:1", 0, "2001:db8::a:1"},
	{"::1", 0, "::1"},
	{"0:0:0:0:0:0:0:1", 0, "::1"},
	{"::ffff:127.0.0.3", 0, "127.0.0.3"},
	{"::FFFF:192.0.2.1", 0, "192.0.2.1"},
	{"::ffff:7f00:3", 0, "127.0.0.3"},
	{"", -1, 0},
	{"unknown", -1, 0},
	{"mail.example.com", -1, 0},
	{"127.0.0", -1, 0},
	{"127.0.0.256", -1, 0},
	{"[127.0.0.3]", -1, 0},
	{"2001:db8::1/64", -1, 0},
	{"127.0.0.3 ", -1, 0},
	{"fe80::1%lo", -1, 0},
    };
    struct vstring *key = vstring_alloc(10);
    size_t  i;
    int     ret;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	vstring_strcpy(key, "");
	ret = pbs_addr_key(cases[i].addr, key);
	if (ret != cases[i].ret)
	    fail_msg("case %zu \"%s\": result %d, want %d", i, cases[i].addr,
		     ret, cases[i].ret);
	if (ret == 0 && strcmp(vstring_str(key), cases[i].key) != 0)
	    fail_msg("case %zu \"%s\": key \"%s\", want \"%s\"", i,
		     cases[i].addr, vstring_str(key), cases[i].key);
    }
    vstring_free(&key);
}

static void test_record_check(void **unused)
{
    struct vstring *why = vstring_alloc(100);
    struct stat st;
    char    want[32];

    record("127.0.0.3", NOW);
    assert_int_equal(stat(test_file, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);
    snprintf(want, sizeof(want), "%lld", (long long) NOW + TMOUT);
    assert_string_equal(stored("127.0.0.3"), want);

    assert_int_equal(check("127.0.0.3", NOW), 1);
    assert_int_equal(check("::ffff:127.0.0.3", NOW + 10), 1);
    assert_int_equal(check("127.0.0.4", NOW), 0);
    assert_int_equal(check("unknown", NOW), 0);
    assert_int_equal(check("127.0.0.3", NOW + TMOUT - 1), 1);
    /* Expired: never trusted, although the key is still there. */
    assert_int_equal(check("127.0.0.3", NOW + TMOUT), 0);
    assert_int_equal(check("127.0.0.3", NOW + TMOUT + 3600), 0);
    assert_string_equal(stored("127.0.0.3"), want);

    /* IPv6, any spelling. */
    record("2001:DB8:0:0::7", NOW);
    assert_string_equal(stored("2001:db8::7"), want);
    assert_int_equal(check("2001:db8::7", NOW), 1);
    assert_int_equal(check("2001:0db8::0007", NOW), 1);
    assert_int_equal(check("2001:db8::8", NOW), 0);

    /* Not an address. */
    assert_int_equal(pbs_record("unknown", NOW, why), -1);
    assert_non_null(strstr(vstring_str(why), "not a numeric address"));
    assert_int_equal(count(), 2);
    vstring_free(&why);
}

static void test_refresh(void **unused)
{
    char    want[32];

    record("192.0.2.1", NOW);
    record("192.0.2.1", NOW + 1000);
    snprintf(want, sizeof(want), "%lld", (long long) NOW + 1000 + TMOUT);
    assert_string_equal(stored("192.0.2.1"), want);
    assert_int_equal(check("192.0.2.1", NOW + TMOUT + 10), 1);
    assert_int_equal(check("192.0.2.1", NOW + 1000 + TMOUT), 0);
    assert_int_equal(count(), 1);
}

static void test_purge(void **unused)
{
    struct vstring *why = vstring_alloc(100);
    struct dict *dict;

    record("192.0.2.1", NOW);			/* expires NOW + TMOUT */
    record("192.0.2.2", NOW + 100);		/* NOW + TMOUT + 100 */
    record("192.0.2.3", NOW + 200);		/* NOW + TMOUT + 200 */
    record("2001:db8::1", NOW + 50);		/* NOW + TMOUT + 50 */

    /* A key some other tool wrote: not ours to purge, never trusted. */
    dict = dict_open(test_db, DICT_MODE_WRITE, DICT_FLAG_DEFAULT, why);
    assert_non_null(dict);
    assert_int_not_equal(dict_update(dict, "192.0.2.9", "ok"),
			 DICT_STAT_ERROR);
    dict_close(&dict);
    assert_int_equal(check("192.0.2.9", NOW), 0);

    assert_int_equal(pbs_purge(NOW + TMOUT - 1, why), 0);
    assert_int_equal(count(), 5);
    assert_int_equal(pbs_purge(NOW + TMOUT + 50, why), 2);
    assert_int_equal(count(), 3);
    assert_string_equal(stored("192.0.2.1"), "");
    assert_string_equal(stored("2001:db8::1"), "");
    assert_int_equal(check("192.0.2.2", NOW + TMOUT + 50), 1);
    assert_int_equal(check("192.0.2.3", NOW + TMOUT + 50), 1);
    assert_string_equal(stored("192.0.2.9"), "ok");

    /* A login purges too, but keeps its own entry. */
    record("192.0.2.4", NOW + TMOUT + 150);
    assert_string_equal(stored("192.0.2.2"), "");
    assert_int_equal(check("192.0.2.3", NOW + TMOUT + 150), 1);
    assert_int_equal(check("192.0.2.4", NOW + TMOUT + 150), 1);
    assert_int_equal(count(), 3);
    assert_int_equal(pbs_purge(NOW + 10 * TMOUT, why), 2);
    assert_int_equal(count(), 1);
    vstring_free(&why);
}

#define WRITERS		8
#define PER_WRITER	50
#define READERS		2

/* writer - record PER_WRITER addresses of its own */

static int writer(int w)
{
    struct vstring *why = vstring_alloc(100);
    char    addr[64];
    int     i;

    for (i = 0; i < PER_WRITER; i++) {
	if (i % 2)
	    snprintf(addr, sizeof(addr), "10.%d.%d.1", w, i);
	else
	    snprintf(addr, sizeof(addr), "2001:db8:%x::%x", w + 1, i + 1);
	if (pbs_record(addr, NOW, why) < 0) {
	    fprintf(stderr, "writer %d: %s: %s\n", w, addr, vstring_str(why));
	    return (1);
	}
    }
    return (0);
}

/* reader - look up until killed; one table, kept open */

static int reader(int r)
{
    struct vstring *why = vstring_alloc(100);
    struct dict *dict = open_table();
    struct timespec nap = {0, 1000 * 1000};
    char    addr[64];
    unsigned n;

    /*
     * A nap between lookups, as between SMTP clients: flock(2) does not
     * queue a writer behind readers, so readers that overlap their shared
     * locks without a break would starve the writers.
     */
    for (n = 0;; n++) {
	(void) nanosleep(&nap, (struct timespec *) 0);
	snprintf(addr, sizeof(addr), "10.%u.%u.1", n % WRITERS,
		 (n / WRITERS) % PER_WRITER | 1);
	if (pbs_check_table(dict, addr, NOW, why) < 0) {
	    fprintf(stderr, "reader %d: %s: %s\n", r, addr, vstring_str(why));
	    return (1);
	}
    }
}

static void test_concurrent(void **unused)
{
    pid_t   readers[READERS];
    pid_t   writers[WRITERS];
    int     status;
    int     failed = 0;
    int     i;
    char    addr[64];
    struct dict *dict;
    const char *key;
    const char *value;
    int     how = DICT_SEQ_FIRST;
    int     n = 0;
    char    want[32];

    record("192.0.2.1", NOW);			/* the readers' table exists */
    for (i = 0; i < READERS; i++) {
	if ((readers[i] = fork()) < 0)
	    fail_msg("fork: %m");
	if (readers[i] == 0)
	    _exit(reader(i));
    }
    for (i = 0; i < WRITERS; i++) {
	if ((writers[i] = fork()) < 0)
	    fail_msg("fork: %m");
	if (writers[i] == 0)
	    _exit(writer(i));
    }
    for (i = 0; i < WRITERS; i++) {
	assert_int_equal(waitpid(writers[i], &status, 0), writers[i]);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
	    failed++;
    }
    for (i = 0; i < READERS; i++) {
	/* A reader that failed has exited already. */
	if (waitpid(readers[i], &status, WNOHANG) == readers[i]) {
	    failed++;
	    continue;
	}
	(void) kill(readers[i], SIGTERM);
	assert_int_equal(waitpid(readers[i], &status, 0), readers[i]);
	if (!WIFSIGNALED(status))
	    failed++;
    }
    assert_int_equal(failed, 0);

    for (i = 0; i < WRITERS * PER_WRITER; i++) {
	int     w = i / PER_WRITER;
	int     k = i % PER_WRITER;

	if (k % 2)
	    snprintf(addr, sizeof(addr), "10.%d.%d.1", w, k);
	else
	    snprintf(addr, sizeof(addr), "2001:db8:%x::%x", w + 1, k + 1);
	if (check(addr, NOW) != 1)
	    fail_msg("%s is missing", addr);
    }
    snprintf(want, sizeof(want), "%lld", (long long) NOW + TMOUT);
    dict = open_table();
    while (dict_sequence(dict, how, &key, &value) == DICT_STAT_FOUND) {
	how = DICT_SEQ_NEXT;
	if (strcmp(value, want) != 0)
	    fail_msg("entry %s has value \"%s\"", key, value);
	n++;
    }
    dict_close(&dict);
    assert_int_equal(n, WRITERS * PER_WRITER + 1);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_addr_key),
	cmocka_unit_test_setup_teardown(test_record_check, setup, teardown),
	cmocka_unit_test_setup_teardown(test_refresh, setup, teardown),
	cmocka_unit_test_setup_teardown(test_purge, setup, teardown),
	cmocka_unit_test_setup_teardown(test_concurrent, setup, teardown),
    };

    return (cmocka_run_group_tests(tests, 0, 0));
}
