/*++
/* NAME
/*	test_params 1
/* SUMMARY
/*	the parameter table: consistent, documented, used
/* SYNOPSIS
/*	./test_params
/* DESCRIPTION
/*	test_page: html/parameters.html equals what paramdoc prints now,
/*	so the reference page cannot drift from the table (make -C
/*	tests/global html regenerates it).
/*
/*	test_header_and_table: every VAR_ name in mail_params.h has a
/*	table row and every row has a VAR_ name; rows are sorted, typed,
/*	described in one line, and their defaults pass mail_conf_eval().
/*
/*	test_referenced: every parameter is read somewhere under src/
/*	outside mail_params.[ch], by its VAR_ macro or its var_ variable
/*	(a whole-word search of the .c and .h files). A parameter nobody
/*	reads is documented but unused. The failure lists the names.
/* DIAGNOSTICS
/*	cmocka's report.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <sys/wait.h>

#include <argv.h>
#include <msg.h>
#include <mymalloc.h>
#include <vstring.h>

#include <mail_params.h>
#include <mail_conf.h>

#include "test_capture.h"

 /*
  * What mail_params.h says: parameter name, VAR_ macro, var_ variable.
  */
struct header_param {
    char   *name;
    char   *macro;
    char   *var;
};

static struct header_param hparams[200];
static int nhparams;

/* ident_char - part of a C identifier */

static int ident_char(int ch)
{
    return ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
	    || (ch >= '0' && ch <= '9') || ch == '_');
}

/* read_header - collect #define VAR_X "name" and the extern after it */

static void read_header(void)
{
    struct vstring *text;
    char   *cp;
    char   *end;
    char   *semi;
    char   *start;

    if (nhparams)
	return;
    text = vstring_alloc(10000);
    assert_int_equal(test_read_file(TOP_DIR "/src/global/mail_params.h", text), 0);
    for (cp = vstring_str(text); (cp = strstr(cp, "#define VAR_")) != 0; cp = end) {
	assert_true(nhparams < 200);
	start = cp + 8;
	for (end = start; ident_char(*end); end++)
	     /* void */ ;
	hparams[nhparams].macro = mystrndup(start, (size_t) (end - start));
	start = strchr(end, '"') + 1;
	end = strchr(start, '"');
	hparams[nhparams].name = mystrndup(start, (size_t) (end - start));
	start = strstr(end, "\nextern ");
	assert_non_null(start);
	semi = strchr(start, ';');
	for (start = semi; ident_char(start[-1]); start--)
	     /* void */ ;
	hparams[nhparams].var = mystrndup(start, (size_t) (semi - start));
	nhparams++;
    }
    vstring_free(&text);
    assert_true(nhparams > 10);
}

static void test_page(void **state)
{
    struct vstring *have = vstring_alloc(10000);
    struct vstring *want = vstring_alloc(10000);
    char    chunk[4096];
    ssize_t n;
    int     pfd[2];
    int     status;
    pid_t   pid;

    assert_int_equal(pipe(pfd), 0);
    if ((pid = fork()) == 0) {
	dup2(pfd[1], 1);
	close(pfd[0]);
	close(pfd[1]);
	execl(TEST_DIR "/paramdoc", "paramdoc", (char *) 0);
	_exit(127);
    }
    assert_true(pid > 0);
    close(pfd[1]);
    while ((n = read(pfd[0], chunk, sizeof(chunk))) > 0)
	vstring_append(want, chunk, (size_t) n);
    close(pfd[0]);
    assert_true(waitpid(pid, &status, 0) == pid);
    assert_int_equal(status, 0);
    assert_true(vstring_len(want) > 1000);
    assert_int_equal(test_read_file(TOP_DIR "/html/parameters.html", have), 0);
    if (vstring_len(have) != vstring_len(want)
	|| memcmp(vstring_str(have), vstring_str(want), vstring_len(want)) != 0) {
	print_error("html/parameters.html is stale: run make -C tests/global html\n");
	fail();
    }
    vstring_free(&have);
    vstring_free(&want);
}

static void test_header_and_table(void **state)
{
    const struct mail_param *p;
    struct vstring *why = vstring_alloc(100);
    int     i;
    int     rows = 0;

    read_header();
    for (i = 0; i < nhparams; i++) {
	if (mail_param_find(hparams[i].name) == 0) {
	    print_error("%s (%s) has no table row\n", hparams[i].name, hparams[i].macro);
	    fail();
	}
    }
    for (p = mail_param_table; p->name; p++, rows++) {
	for (i = 0; i < nhparams; i++)
	    if (strcmp(hparams[i].name, p->name) == 0)
		break;
	if (i == nhparams) {
	    print_error("table row %s has no VAR_ macro in mail_params.h\n", p->name);
	    fail();
	}
	if (p > mail_param_table && strcmp(p[-1].name, p->name) >= 0) {
	    print_error("table not sorted: %s before %s\n", p[-1].name, p->name);
	    fail();
	}
	assert_non_null(p->var);
	assert_non_null(p->descr);
	assert_true(strlen(p->descr) > 10);
	assert_null(strchr(p->descr, '\n'));
	assert_string_not_equal(mail_param_type_name(p->type), "unknown");
	if (p->type == MAIL_PARAM_INT || p->type == MAIL_PARAM_TIME)
	    assert_true(p->min <= p->max);
    }
    assert_int_equal(rows, nhparams);
    assert_null(mail_param_find("no_such_parameter"));

    /* Every default is valid and in range. */
    assert_int_equal(mail_conf_read_buf("empty", "", 0, why), 0);
    if (mail_conf_eval(why) != 0) {
	print_error("defaults: %s\n", vstring_str(why));
	fail();
    }
    assert_int_equal(var_max_use, 100);
    assert_int_equal(var_max_idle, 100);
    assert_int_equal(var_chroot_refresh, 1);
    assert_string_equal(var_myorigin, var_myhostname);
    assert_non_null(strchr(var_myhostname, '.'));
    assert_string_equal(var_mydomain, strchr(var_myhostname, '.') + 1);
    vstring_free(&why);
}

static struct argv *src_files;

static int collect(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    size_t  len = strlen(path);

    if (flag == FTW_F && len > 2 && path[len - 2] == '.'
	&& (path[len - 1] == 'c' || path[len - 1] == 'h')
	&& strcmp(path, TOP_DIR "/src/global/mail_params.c") != 0
	&& strcmp(path, TOP_DIR "/src/global/mail_params.h") != 0)
	argv_add(src_files, path, (char *) 0);
    return (0);
}

/* has_word - text holds word as a whole identifier */

static int has_word(const char *text, const char *word)
{
    const char *cp = text;
    size_t  len = strlen(word);

    while ((cp = strstr(cp, word)) != 0) {
	if ((cp == text || !ident_char(cp[-1])) && !ident_char(cp[len]))
	    return (1);
	cp += len;
    }
    return (0);
}

static void test_referenced(void **state)
{
    struct vstring *text = vstring_alloc(10000);
    struct vstring *missing = vstring_alloc(100);
    char    used[200] = {0};
    size_t  f;
    int     i;

    read_header();
    src_files = argv_alloc(100);
    assert_int_equal(nftw(TOP_DIR "/src", collect, 20, FTW_PHYS), 0);
    for (f = 0; f < src_files->argc; f++) {
	if (test_read_file(src_files->argv[f], text) < 0)
	    continue;
	for (i = 0; i < nhparams; i++)
	    if (!used[i] && (has_word(vstring_str(text), hparams[i].macro)
			     || has_word(vstring_str(text), hparams[i].var)))
		used[i] = 1;
    }
    for (i = 0; i < nhparams; i++)
	if (!used[i])
	    vstring_sprintf_append(missing, " %s", hparams[i].name);
    argv_free(&src_files);
    vstring_free(&text);
    if (vstring_len(missing)) {
	print_error("parameters in the table that no code under src/ reads:%s\n",
		    vstring_str(missing));
	vstring_free(&missing);
	fail();
    }
    vstring_free(&missing);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_page),
	cmocka_unit_test(test_header_and_table),
	cmocka_unit_test(test_referenced),
    };

    msg_init("test_params");
    msg_stderr_init(1, 0);
    return (cmocka_run_group_tests(tests, 0, 0));
}
