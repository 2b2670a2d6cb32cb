/*++
/* NAME
/*	test_manifest 1
/* SUMMARY
/*	unit tests for the installation manifest reader
/* SYNOPSIS
/*	./test_manifest
/* DESCRIPTION
/*	Reads good and bad manifests written to a temporary file, with and
/*	without an expansion function, and checks the entries or the
/*	one-line error (which must name the file and the line).
/* DIAGNOSTICS
/*	cmocka's report.
/*--*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mymalloc.h>
#include <vstring.h>

#include <manifest.h>

static char test_path[] = "/tmp/test_manifest.XXXXXX";

static void write_manifest(const char *text, size_t len)
{
    FILE   *fp = fopen(test_path, "w");

    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

#define WRITE(s)	write_manifest(s, strlen(s))

/* test_expand - a stand-in for mail_conf_expand */

static int test_expand(const char *raw, struct vstring *out, struct vstring *why)
{
    static const char *map[][2] = {
	{"$config_directory", "/etc/dromos"},
	{"$queue_directory", "/var/spool/dromos"},
	{"$mail_owner", "dromos"},
	{"$setgid_group", "dromdrop"},
	{"$relative", "spool"},
	{"$empty", ""},
    };
    size_t  i;
    size_t  n;

    if (strstr(raw, "$html_directory"))
	return (1);
    if (strstr(raw, "$loop")) {
	vstring_strcpy(why, "parameter loop");
	return (-1);
    }
    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
	n = strlen(map[i][0]);
	if (strncmp(raw, map[i][0], n) == 0) {
	    vstring_strcpy(out, map[i][1]);
	    vstring_appends(out, raw + n);
	    return (0);
	}
    }
    vstring_sprintf(why, "unknown parameter in %s", raw);
    return (-1);
}

static const char good_text[] =
"# comment\n"
"\n"
"   # indented comment\n"
"$config_directory d - - 0755 - -\n"
"$config_directory/main.cf\tf  -  -  0644  p  conf/main.cf\n"
"$queue_directory/public d $mail_owner $setgid_group 0710 - -\n"
"$queue_directory/etc/hosts f - - 0644 co /etc/hosts\n"
"$html_directory D - - 0644 - html\n"
"$queue_directory/link l nobody - - - /target\n"
"$queue_directory/post f - - 4755 s postinstall/x";	/* no final newline */

static void test_good_expanded(void **state)
{
    struct manifest_ent *list;
    struct manifest_ent *e;
    struct vstring *why = vstring_alloc(10);

    WRITE(good_text);
    assert_int_equal(manifest_read(test_path, test_expand, &list, why), 0);

    e = list;
    assert_non_null(e);
    assert_string_equal(e->path, "/etc/dromos");
    assert_int_equal(e->type, MANIFEST_TYPE_DIR);
    assert_string_equal(e->owner, "root");
    assert_null(e->group);
    assert_int_equal(e->mode, 0755);
    assert_int_equal(e->flags, 0);
    assert_null(e->source);
    assert_int_equal(e->line, 4);

    e = e->next;
    assert_string_equal(e->path, "/etc/dromos/main.cf");
    assert_int_equal(e->type, MANIFEST_TYPE_FILE);
    assert_int_equal(e->mode, 0644);
    assert_int_equal(e->flags, MANIFEST_FLAG_PRESERVE);
    assert_string_equal(e->source, "conf/main.cf");
    assert_int_equal(e->line, 5);

    e = e->next;
    assert_string_equal(e->path, "/var/spool/dromos/public");
    assert_string_equal(e->owner, "dromos");
    assert_string_equal(e->group, "dromdrop");
    assert_int_equal(e->mode, 0710);

    e = e->next;
    assert_string_equal(e->path, "/var/spool/dromos/etc/hosts");
    assert_int_equal(e->flags, MANIFEST_FLAG_CHROOT | MANIFEST_FLAG_OPTIONAL);
    assert_string_equal(e->source, "/etc/hosts");
    assert_int_equal(e->line, 7);

    /* The $html_directory line was dropped by the expansion function. */
    e = e->next;
    assert_string_equal(e->path, "/var/spool/dromos/link");
    assert_int_equal(e->type, MANIFEST_TYPE_LINK);
    assert_string_equal(e->owner, "nobody");
    assert_int_equal(e->mode, -1);
    assert_int_equal(e->line, 9);

    e = e->next;
    assert_int_equal(e->mode, 04755);
    assert_int_equal(e->flags, MANIFEST_FLAG_SUBST);
    assert_int_equal(e->line, 10);
    assert_null(e->next);

    manifest_free(&list);
    assert_null(list);
    vstring_free(&why);
}

static void test_good_raw(void **state)
{
    struct manifest_ent *list;
    struct manifest_ent *e;
    struct vstring *why = vstring_alloc(10);
    int     count = 0;

    WRITE(good_text);
    assert_int_equal(manifest_read(test_path, 0, &list, why), 0);
    for (e = list; e; e = e->next)
	count++;
    assert_int_equal(count, 7);
    assert_string_equal(list->path, "$config_directory");
    assert_string_equal(list->next->next->owner, "$mail_owner");
    assert_string_equal(list->next->next->group, "$setgid_group");
    manifest_free(&list);
    vstring_free(&why);
}

static void test_empty(void **state)
{
    struct manifest_ent *list = (struct manifest_ent *) 1;
    struct vstring *why = vstring_alloc(10);

    WRITE("# nothing\n\n");
    assert_int_equal(manifest_read(test_path, test_expand, &list, why), 0);
    assert_null(list);
    vstring_free(&why);
}

struct bad_case {
    const char *text;
    int     line;			/* line the error names */
    const char *reason;			/* expected part of the reason */
};

static const struct bad_case bad_cases[] = {
    {"$config_directory d - - 0755 -\n", 1, "expected 7 columns, found 6"},
    {"# x\n$config_directory d - - 0755 - - extra\n", 2,
    "expected 7 columns, found more than 7"},
    {"$config_directory x - - 0755 - -\n", 1, "unknown type \"x\""},
    {"$config_directory dd - - 0755 - -\n", 1, "unknown type \"dd\""},
    {"$config_directory d - - 0999 - -\n", 1, "bad mode: 0999"},
    {"$config_directory d - - 17777 - -\n", 1, "bad mode: 17777"},
    {"$config_directory d - - rwx - -\n", 1, "bad mode: rwx"},
    {"$config_directory d - - 0755 px -\n", 1, "unknown flag 'x'"},
    {"$loop/x d - - 0755 - -\n", 1, "path $loop/x: parameter loop"},
    {"$nosuch/x d - - 0755 - -\n", 1, "unknown parameter"},
    {"$config_directory d $loop - 0755 - -\n", 1, "owner $loop: parameter loop"},
    {"\n\n$relative/x d - - 0755 - -\n", 3, "relative path"},
    {"$config_directory d $empty - 0755 - -\n", 1, "empty owner"},
    {"relative/x d - - 0755 - -\n", 1, "relative path"},
};

static void test_bad_table(void **state)
{
    struct manifest_ent *list;
    struct vstring *why = vstring_alloc(10);
    struct vstring *want = vstring_alloc(10);
    size_t  i;

    for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
	const struct bad_case *c = bad_cases + i;

	WRITE(c->text);
	vstring_reset(why);
	if (manifest_read(test_path, test_expand, &list, why) != -1)
	    fail_msg("case %zu: accepted: %s", i, c->text);
	if (list != 0)
	    fail_msg("case %zu: list not cleared", i);
	vstring_sprintf(want, "%s, line %d: ", test_path, c->line);
	if (strncmp(vstring_str(why), vstring_str(want), vstring_len(want)) != 0
	    || strstr(vstring_str(why), c->reason) == 0)
	    fail_msg("case %zu: want \"%s...%s\", got \"%s\"", i,
		     vstring_str(want), c->reason, vstring_str(why));
    }
    vstring_free(&why);
    vstring_free(&want);
}

static void test_too_long(void **state)
{
    struct manifest_ent *list;
    struct vstring *why = vstring_alloc(10);
    struct vstring *text = vstring_alloc(10);
    size_t  i;

    vstring_strcpy(text, "$config_directory d - - 0755 - -\n/");
    for (i = 0; i < MANIFEST_LINE_MAX; i++)
	vstring_appendc(text, 'x');
    vstring_appends(text, " d - - 0755 - -\n");
    write_manifest(vstring_str(text), vstring_len(text));
    assert_int_equal(manifest_read(test_path, 0, &list, why), -1);
    assert_null(list);
    assert_non_null(strstr(vstring_str(why), ", line 2: line longer than"));
    vstring_free(&why);
    vstring_free(&text);
}

static void test_nul_byte(void **state)
{
    struct manifest_ent *list;
    struct vstring *why = vstring_alloc(10);
    static const char text[] = "/x d - - 0755 - -\n/y d - -\0 0755 - -\n";

    write_manifest(text, sizeof(text) - 1);
    assert_int_equal(manifest_read(test_path, 0, &list, why), -1);
    assert_non_null(strstr(vstring_str(why), ", line 2: NUL byte"));
    vstring_free(&why);
}

static void test_missing_file(void **state)
{
    struct manifest_ent *list;
    struct vstring *why = vstring_alloc(10);

    assert_int_equal(manifest_read("/nonexistent/dromos-files", 0, &list, why), -1);
    assert_null(list);
    assert_string_equal(vstring_str(why),
		  "open /nonexistent/dromos-files: No such file or directory");
    vstring_free(&why);
}

static void test_real_manifest(void **state)
{
    struct manifest_ent *list;
    struct manifest_ent *e;
    struct vstring *why = vstring_alloc(10);
    int     count = 0;

    /* The project's own manifest must parse. */
    if (manifest_read("../../postinstall/dromos-files", 0, &list, why) < 0)
	fail_msg("%s", vstring_str(why));
    for (e = list; e; e = e->next)
	count++;
    assert_true(count > 10);
    manifest_free(&list);
    vstring_free(&why);
}

static void test_type_names(void **state)
{
    assert_string_equal(manifest_type_name(MANIFEST_TYPE_DIR), "folder");
    assert_string_equal(manifest_type_name(MANIFEST_TYPE_FILE), "file");
    assert_string_equal(manifest_type_name(MANIFEST_TYPE_LINK), "symbolic link");
    assert_string_equal(manifest_type_name(MANIFEST_TYPE_TREE), "folder of files");
}

static int setup(void **state)
{
    int     fd = mkstemp(test_path);

    if (fd < 0)
	return (-1);
    close(fd);
    return (0);
}

static int teardown(void **state)
{
    unlink(test_path);
    return (0);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_good_expanded),
	cmocka_unit_test(test_good_raw),
	cmocka_unit_test(test_empty),
	cmocka_unit_test(test_bad_table),
	cmocka_unit_test(test_too_long),
	cmocka_unit_test(test_nul_byte),
	cmocka_unit_test(test_missing_file),
	cmocka_unit_test(test_real_manifest),
	cmocka_unit_test(test_type_names),
    };

    return (cmocka_run_group_tests(tests, setup, teardown));
}
