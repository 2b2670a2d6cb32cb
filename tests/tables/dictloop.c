/*++
/* NAME
/*	dictloop 1
/* SUMMARY
/*	test helper: look a key up in a loop while the table changes
/* SYNOPSIS
/*	./dictloop [-f] [-s seconds] [-x stopfile] spec key value ...
/* DESCRIPTION
/*	dictloop looks key up in table spec again and again and checks
/*	that every lookup finds one of the values given. By default it
/*	keeps the table open and, like a daemon, reopens it when
/*	dict_changed() says so; with -f it opens the table afresh for
/*	every lookup, like a new process would. It stops when the file
/*	stopfile exists or after seconds (default 30), and prints
/*	"lookups N reopens N" and the count of each value found.
/* DIAGNOSTICS
/*	Exit status 0 when every lookup found an allowed value; 1 with a
/*	message on the first open error, lookup error, missing key or
/*	unexpected value; 2 for bad usage.
/*--*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <vstring.h>

#include <dict.h>

#define MAX_VALUES	8

int     main(int argc, char **argv)
{
    struct vstring *why = vstring_alloc(100);
    struct dict *dict = 0;
    const char *stopfile = 0;
    const char *spec;
    const char *key;
    const char *value;
    long    counts[MAX_VALUES] = {0};
    long    lookups = 0;
    long    reopens = 0;
    int     seconds = 30;
    int     fresh = 0;
    int     nvalues;
    int     status;
    int     ch;
    int     i;
    time_t  deadline;

    msg_init(argv[0]);
    msg_stderr_init(1, 0);
    while ((ch = getopt(argc, argv, "fs:x:")) != -1) {
	switch (ch) {
	case 'f':
	    fresh = 1;
	    break;
	case 's':
	    seconds = atoi(optarg);
	    break;
	case 'x':
	    stopfile = optarg;
	    break;
	default:
	    fprintf(stderr, "usage: dictloop [-f] [-s seconds] [-x stopfile]"
		    " spec key value ...\n");
	    return (2);
	}
    }
    nvalues = argc - optind - 2;
    if (nvalues < 1 || nvalues > MAX_VALUES) {
	fprintf(stderr, "dictloop: need a spec, a key and 1 to %d values\n",
		MAX_VALUES);
	return (2);
    }
    spec = argv[optind];
    key = argv[optind + 1];
    deadline = time((time_t *) 0) + seconds;
    while (time((time_t *) 0) < deadline
	   && (stopfile == 0 || access(stopfile, F_OK) < 0)) {
	if (dict != 0 && (fresh || dict_changed(dict))) {
	    dict_close(&dict);
	    reopens++;
	}
	if (dict == 0 && (dict = dict_open(spec, DICT_MODE_READ,
					   DICT_FLAG_DEFAULT, why)) == 0) {
	    fprintf(stderr, "dictloop: lookup %ld: open: %s\n", lookups,
		    vstring_str(why));
	    return (1);
	}
	status = dict_lookup(dict, key, &value);
	lookups++;
	if (status != DICT_STAT_FOUND) {
	    fprintf(stderr, "dictloop: lookup %ld: %s: %s\n", lookups, key,
		    status == DICT_STAT_ERROR ? dict_error(dict) : "not found");
	    return (1);
	}
	for (i = 0; i < nvalues; i++)
	    if (strcmp(value, argv[optind + 2 + i]) == 0)
		break;
	if (i == nvalues) {
	    fprintf(stderr, "dictloop: lookup %ld: %s: unexpected value \"%s\"\n",
		    lookups, key, value);
	    return (1);
	}
	counts[i]++;
    }
    if (dict)
	dict_close(&dict);
    printf("lookups %ld reopens %ld", lookups, reopens);
    for (i = 0; i < nvalues; i++)
	printf(" %s=%ld", argv[optind + 2 + i], counts[i]);
    printf("\n");
    vstring_free(&why);
    return (0);
}
