/*++
/* NAME
/*	events 3
/* SUMMARY
/*	poll-based event loop: descriptors and timers
/* SYNOPSIS
/*	#include <events.h>
/*
/*	void	event_enable_read(fd, fn, context)
/*	void	event_enable_write(fd, fn, context)
/*	void	event_disable_readwrite(fd)
/*	void	event_request_timer(fn, context, delay_ms)
/*	int	event_cancel_timer(fn, context)
/*	void	event_loop(max_wait_ms)
/*	long long event_now_ms(void)
/* DESCRIPTION
/*	See events.h for the interface. Implementation notes:
/*
/*	Descriptor callbacks live in a table indexed by descriptor. Each
/*	slot carries a generation number that changes whenever its
/*	callbacks change; event_loop() remembers the generation it polled
/*	with and skips a slot whose generation moved on during dispatch,
/*	so a callback that closes or replaces another descriptor (or
/*	itself) never sees a stale readiness report.
/*
/*	Timers form a list sorted by deadline (CLOCK_MONOTONIC) and then
/*	by request order. A timer is unlinked before its callback runs,
/*	so the callback may request it again. Timers requested during
/*	dispatch do not run before the next event_loop() call, so a
/*	zero-delay timer that re-arms itself cannot starve descriptors.
/*
/*	Readiness is reported as EVENT_READ or EVENT_WRITE; when poll()
/*	reports only an error, hang-up or invalid descriptor, the callback
/*	gets EVENT_XCPT (reading will show end of file or the error).
/* DIAGNOSTICS
/*	Panic: descriptor out of range; poll() failing for another reason
/*	than EINTR.
/*--*/
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <msg.h>
#include <mymalloc.h>
#include <events.h>

#define EVENT_FD_LIMIT	(1 << 20)	/* sanity bound */

struct event_fdslot {
    event_fn read_fn;
    void   *read_ctx;
    event_fn write_fn;
    void   *write_ctx;
    int     exclusive;			/* wake one waiting process */
    unsigned long gen;			/* changes with the callbacks */
};

struct event_timer {
    long long when;			/* monotonic deadline, ms */
    unsigned long seq;			/* request order */
    event_fn fn;
    void   *ctx;
    struct event_timer *next;
};

static struct event_fdslot *event_fds;
static int event_fd_alloc;		/* slots allocated */
static int event_fd_max = -1;		/* highest slot possibly in use */
static unsigned long event_gen;
static struct event_timer *event_timers;
static unsigned long event_timer_seq;
static struct pollfd *event_pfd;
static unsigned long *event_pfd_gen;
static int event_pfd_alloc;
static int event_exclusive_used;	/* some slot may be exclusive */

long long event_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* event_slot - find or make the slot for fd */

static struct event_fdslot *event_slot(int fd, const char *myname)
{
    int     new_alloc;

    if (fd < 0 || fd >= EVENT_FD_LIMIT)
	msg_panic("%s: descriptor %d out of range", myname, fd);
    if (fd >= event_fd_alloc) {
	new_alloc = event_fd_alloc ? event_fd_alloc : 64;
	while (new_alloc <= fd)
	    new_alloc *= 2;
	event_fds = myreallocarray(event_fds, (size_t) new_alloc,
				   sizeof(*event_fds));
	memset(event_fds + event_fd_alloc, 0,
	       sizeof(*event_fds) * (size_t) (new_alloc - event_fd_alloc));
	event_fd_alloc = new_alloc;
    }
    if (fd > event_fd_max)
	event_fd_max = fd;
    event_fds[fd].gen = ++event_gen;
    return (event_fds + fd);
}

void    event_enable_read(int fd, event_fn fn, void *ctx)
{
    struct event_fdslot *slot = event_slot(fd, "event_enable_read");

    slot->read_fn = fn;
    slot->read_ctx = ctx;
    slot->exclusive = 0;
}

void    event_enable_read_exclusive(int fd, event_fn fn, void *ctx)
{
    struct event_fdslot *slot = event_slot(fd, "event_enable_read_exclusive");

    slot->read_fn = fn;
    slot->read_ctx = ctx;
    slot->exclusive = 1;
    event_exclusive_used = 1;
}

void    event_enable_write(int fd, event_fn fn, void *ctx)
{
    struct event_fdslot *slot = event_slot(fd, "event_enable_write");

    slot->write_fn = fn;
    slot->write_ctx = ctx;
}

void    event_disable_readwrite(int fd)
{
    struct event_fdslot *slot;

    if (fd < 0 || fd >= EVENT_FD_LIMIT)
	msg_panic("event_disable_readwrite: descriptor %d out of range", fd);
    if (fd >= event_fd_alloc)
	return;
    slot = event_slot(fd, "event_disable_readwrite");
    slot->read_fn = slot->write_fn = 0;
    slot->read_ctx = slot->write_ctx = 0;
    slot->exclusive = 0;
    while (event_fd_max >= 0 && event_fds[event_fd_max].read_fn == 0
	   && event_fds[event_fd_max].write_fn == 0)
	event_fd_max--;
}

/* event_timer_unlink - remove and return the (fn, ctx) timer */

static struct event_timer *event_timer_unlink(event_fn fn, void *ctx)
{
    struct event_timer **tpp;
    struct event_timer *t;

    for (tpp = &event_timers; (t = *tpp) != 0; tpp = &t->next) {
	if (t->fn == fn && t->ctx == ctx) {
	    *tpp = t->next;
	    return (t);
	}
    }
    return (0);
}

void    event_request_timer(event_fn fn, void *ctx, long delay_ms)
{
    struct event_timer *t;
    struct event_timer **tpp;

    if ((t = event_timer_unlink(fn, ctx)) == 0) {
	t = mymalloc(sizeof(*t));
	t->fn = fn;
	t->ctx = ctx;
    }
    t->when = event_now_ms() + (delay_ms > 0 ? delay_ms : 0);
    t->seq = ++event_timer_seq;
    for (tpp = &event_timers; *tpp != 0 && (*tpp)->when <= t->when;
	 tpp = &(*tpp)->next)
	 /* void */ ;
    t->next = *tpp;
    *tpp = t;
}

int     event_cancel_timer(event_fn fn, void *ctx)
{
    struct event_timer *t;

    if ((t = event_timer_unlink(fn, ctx)) == 0)
	return (0);
    myfree(t);
    return (1);
}

/* event_poll_timeout - how long poll() may wait */

static int event_poll_timeout(long max_wait_ms, long long now)
{
    long long wait = max_wait_ms;

    if (event_timers != 0) {
	long long left = event_timers->when - now;

	if (left < 0)
	    left = 0;
	if (wait < 0 || left < wait)
	    wait = left;
    }
    if (wait > INT_MAX)
	wait = INT_MAX;
    return ((int) wait);
}

/*
 * event_epoll_wait - wait like poll(), but with a fresh epoll instance in
 * which exclusive descriptors are registered with EPOLLEXCLUSIVE: of the
 * processes waiting here for the same listening socket, the kernel wakes
 * one, not all. The instance lives only while this process waits, so a
 * process that is busy elsewhere is never the one chosen. Returns what
 * poll() would, with revents filled in; -2 when epoll is not available.
 */

static int event_epoll_wait(struct pollfd *pfd, int npfd, int timeout)
{
    struct epoll_event ev;
    struct epoll_event *got;
    int     epfd;
    int     n;
    int     i;
    int     j;

    if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
	return (-2);
    for (i = 0; i < npfd; i++) {
	memset(&ev, 0, sizeof(ev));
	ev.events = ((pfd[i].events & POLLIN) ? EPOLLIN : 0)
	    | ((pfd[i].events & POLLOUT) ? EPOLLOUT : 0);
	if (event_fds[pfd[i].fd].exclusive && pfd[i].events == POLLIN)
	    ev.events |= EPOLLEXCLUSIVE;
	ev.data.u32 = (uint32_t) i;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, pfd[i].fd, &ev) < 0) {
	    (void) close(epfd);
	    return (-2);			/* e.g. a regular file: use poll */
	}
    }
    got = mymalloc(sizeof(*got) * (size_t) (npfd > 0 ? npfd : 1));
    n = epoll_wait(epfd, got, npfd > 0 ? npfd : 1, timeout);
    if (n < 0)
	n = -1;					/* errno from epoll_wait */
    for (j = 0; j < n; j++) {
	i = (int) got[j].data.u32;
	pfd[i].revents = ((got[j].events & EPOLLIN) ? POLLIN : 0)
	    | ((got[j].events & EPOLLOUT) ? POLLOUT : 0)
	    | ((got[j].events & EPOLLERR) ? POLLERR : 0)
	    | ((got[j].events & EPOLLHUP) ? POLLHUP : 0);
    }
    i = errno;
    myfree(got);
    (void) close(epfd);
    errno = i;
    return (n);
}

/* event_dispatch_fd - call the callbacks for one polled descriptor */

static void event_dispatch_fd(const struct pollfd *pfd, unsigned long gen)
{
    struct event_fdslot *slot;
    event_fn fn;
    short   bad = POLLERR | POLLHUP | POLLNVAL;

    if (pfd->fd >= event_fd_alloc)
	return;
    slot = event_fds + pfd->fd;
    if (slot->gen == gen && (fn = slot->read_fn) != 0
	&& (pfd->revents & (POLLIN | bad)))
	fn((pfd->revents & POLLIN) ? EVENT_READ : EVENT_XCPT, slot->read_ctx);
    slot = event_fds + pfd->fd;			/* table may have moved */
    if (slot->gen == gen && (fn = slot->write_fn) != 0
	&& (pfd->revents & (POLLOUT | bad)))
	fn((pfd->revents & POLLOUT) ? EVENT_WRITE : EVENT_XCPT,
	   slot->write_ctx);
}

void    event_loop(long max_wait_ms)
{
    int     npfd = 0;
    int     nexcl = 0;
    int     timeout;
    int     fd;
    int     n;
    int     i;
    unsigned long last_seq;
    long long now;
    struct event_timer *t;

    /* Snapshot the descriptors we are interested in. */
    if (event_fd_max + 1 > event_pfd_alloc) {
	event_pfd_alloc = event_fd_max + 1;
	event_pfd = myreallocarray(event_pfd, (size_t) event_pfd_alloc,
				   sizeof(*event_pfd));
	event_pfd_gen = myreallocarray(event_pfd_gen, (size_t) event_pfd_alloc,
				       sizeof(*event_pfd_gen));
    }
    for (fd = 0; fd <= event_fd_max; fd++) {
	short   want = 0;

	if (event_fds[fd].read_fn)
	    want |= POLLIN;
	if (event_fds[fd].write_fn)
	    want |= POLLOUT;
	if (want) {
	    event_pfd[npfd].fd = fd;
	    event_pfd[npfd].events = want;
	    event_pfd[npfd].revents = 0;
	    event_pfd_gen[npfd] = event_fds[fd].gen;
	    npfd++;
	    nexcl += (event_exclusive_used && event_fds[fd].exclusive);
	}
    }
    timeout = event_poll_timeout(max_wait_ms, event_now_ms());
    n = (nexcl > 0 ? event_epoll_wait(event_pfd, npfd, timeout) : -2);
    if (n == -2)
	n = poll(event_pfd, (nfds_t) npfd, timeout);
    if (n < 0) {
	if (errno == EINTR)
	    return;
	msg_panic("event_loop: poll: %s", strerror(errno));
    }

    /*
     * Dispatch from a private copy: a callback may re-enter the event
     * module and reallocate event_pfd.
     */
    if (n > 0) {
	struct pollfd *ready = mymalloc(sizeof(*ready) * (size_t) n);
	unsigned long *gens = mymalloc(sizeof(*gens) * (size_t) n);
	int     nready = 0;

	for (i = 0; i < npfd && nready < n; i++) {
	    if (event_pfd[i].revents) {
		ready[nready] = event_pfd[i];
		gens[nready++] = event_pfd_gen[i];
	    }
	}
	for (i = 0; i < nready; i++)
	    event_dispatch_fd(ready + i, gens[i]);
	myfree(ready);
	myfree(gens);
    }

    /* Run timers that are due, but none requested from here on. */
    last_seq = event_timer_seq;
    now = event_now_ms();
    for (;;) {
	for (t = event_timers; t != 0 && t->when <= now; t = t->next)
	    if (t->seq <= last_seq)
		break;
	if (t == 0 || t->when > now)
	    break;
	event_timer_unlink(t->fn, t->ctx);
	{
	    event_fn fn = t->fn;
	    void   *ctx = t->ctx;

	    myfree(t);
	    fn(EVENT_TIME, ctx);
	}
    }
}
