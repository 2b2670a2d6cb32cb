#ifndef POP_BEFORE_SMTP_H
#define POP_BEFORE_SMTP_H
/*++
/* NAME
/*	pop_before_smtp 3h
/* SUMMARY
/*	the POP-before-SMTP table: client addresses that logged in by POP3
/* SYNOPSIS
/*	#include <pop_before_smtp.h>
/*
/*	int	pbs_record(addr, now, why)
/*	const char *addr;
/*	time_t	now;
/*	struct vstring *why;
/*
/*	int	pbs_check(addr, now, why)
/*
/*	int	pbs_purge(now, why)
/*
/*	int	pbs_addr_key(addr, key)
/*	struct vstring *key;
/*
/*	int	pbs_check_table(dict, addr, now, why)
/*	struct dict *dict;
/* DESCRIPTION
/*	The table is $pop_before_smtp_database (a Berkeley DB hash under
/*	$data_directory by default). Each key is a client address in the
/*	form pbs_addr_key() makes; each value is the time (seconds since
/*	the epoch, decimal digits only, so check_client_access reads it as
/*	OK) when the entry expires.
/*
/*	pbs_record() is called by pop3d (as root) after a successful login:
/*	it opens the table for writing (created, owned by mail_owner, mode
/*	0644, when missing), sets addr to now + $pop_before_smtp_timeout,
/*	deletes every entry whose time has passed, syncs and closes. The
/*	table's exclusive lock is held from open to close, so concurrent
/*	writers wait for each other and readers never see a half-done
/*	update. 0, or -1 with a reason in why.
/*
/*	pbs_check() is permit_pop_before_smtp: it looks addr up (always
/*	through proxymap, i.e. the table name with "proxy:" in front,
/*	opened on first use and kept: smtpd is chrooted, and proxymap
/*	reopens the file when it was modified in place) and returns 1 when
/*	an entry exists whose time has not yet passed, 0 when there is
/*	none or it has expired (an expired key is never trusted, purged or
/*	not), -1 with a reason in why when the table cannot be read.
/*
/*	pbs_purge() deletes the expired entries alone; returns the number
/*	deleted or -1.
/*
/*	pbs_addr_key() puts the canonical form of a numeric address into
/*	key: IPv4 dotted quad; IPv6 in inet_ntop(3) form, lower case; an
/*	IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address.
/*	Returns 0, or -1 when addr is not a numeric address.
/*
/*	pbs_check_table() is pbs_check() on a table the caller opened
/*	(with DICT_FLAG_DEFAULT): pbs_check() calls it with its proxy
/*	table, tests with the file opened directly. A value that is not
/*	all digits (a key some other tool wrote) is never trusted (0); so
/*	is an address that is not numeric.
/*
/*	Writers serialize on name.lock, the lock drommap -i and -d take,
/*	waiting for it at most 10 seconds (then -1, "still locked").
/* DIAGNOSTICS
/*	Results and reasons; nothing here is fatal.
/*--*/
#include <time.h>

struct vstring;
struct dict;

extern int pbs_record(const char *, time_t, struct vstring *);
extern int pbs_check(const char *, time_t, struct vstring *);
extern int pbs_purge(time_t, struct vstring *);
extern int pbs_addr_key(const char *, struct vstring *);
extern int pbs_check_table(struct dict *, const char *, time_t,
			           struct vstring *);

#endif
