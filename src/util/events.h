#ifndef EVENTS_H
#define EVENTS_H
/*++
/* NAME
/*	events 3h
/* SUMMARY
/*	poll-based event loop: descriptors and timers
/* SYNOPSIS
/*	#include <events.h>
/* DESCRIPTION
/*	One event loop per process. Callbacks have the type
/*	void fn(int event, void *context), where event is EVENT_READ,
/*	EVENT_WRITE, EVENT_XCPT (error or hang-up on the descriptor) or
/*	EVENT_TIME.
/*
/*	event_enable_read(fd, fn, ctx) and event_enable_write(fd, fn, ctx)
/*	call fn whenever fd is readable/writable, until
/*	event_disable_readwrite(fd). A descriptor has at most one read and
/*	one write callback; enabling again replaces it.
/*	event_enable_read_exclusive(fd, fn, ctx) is event_enable_read() for
/*	a listening socket that several processes wait on: while any such
/*	descriptor is enabled, event_loop() waits with a fresh epoll
/*	instance (Linux) that registers it with EPOLLEXCLUSIVE, so that a
/*	new connection wakes one waiting process instead of all of them
/*	(each of which would try accept() and lose); elsewhere, or when
/*	epoll refuses a descriptor, it waits with poll() as always.
/*	event_request_timer(fn, ctx, delay_ms) calls fn once after delay_ms
/*	milliseconds; a second request for the same (fn, ctx) pair moves
/*	the deadline. event_cancel_timer(fn, ctx) cancels it.
/*	event_loop(max_wait_ms) waits for at most max_wait_ms (-1: until a
/*	timer or descriptor event), dispatches whatever is ready and
/*	returns. It is safe for callbacks to enable or disable events and
/*	timers, including their own. A signal interrupting poll() makes
/*	event_loop() return early.
/*	event_now_ms() returns a monotonic clock in milliseconds.
/* DIAGNOSTICS
/*	Panic: a descriptor out of range.
/*--*/
#define EVENT_READ	(1<<0)
#define EVENT_WRITE	(1<<1)
#define EVENT_XCPT	(1<<2)
#define EVENT_TIME	(1<<3)

typedef void (*event_fn) (int, void *);

extern void event_enable_read(int, event_fn, void *);
extern void event_enable_read_exclusive(int, event_fn, void *);
extern void event_enable_write(int, event_fn, void *);
extern void event_disable_readwrite(int);
extern void event_request_timer(event_fn, void *, long);
extern int event_cancel_timer(event_fn, void *);
extern void event_loop(long);
extern long long event_now_ms(void);

#endif
