/*++
/* NAME
/*	cleanup_state 3
/* SUMMARY
/*	cleanup daemon: per-message state
/* SYNOPSIS
/*	#include "cleanup.h"
/*
/*	struct cleanup_state *cleanup_state_alloc(client)
/*	void	cleanup_state_reset(state)
/*	void	cleanup_state_free(&state)
/* DESCRIPTION
/*	cleanup_state_alloc() makes the state for one client connection;
/*	cleanup_state_reset() forgets the previous message so the next
/*	one on the same connection starts clean (the queue file must
/*	already be committed or discarded); cleanup_state_free() destroys
/*	it and clears the pointer.
/* DIAGNOSTICS
/*	None.
/*--*/
#include <string.h>

#include <mymalloc.h>
#include <vstream.h>
#include <vstring.h>

#include <cleanup_clnt.h>

#include "cleanup.h"

/* cleanup_state_alloc - make state for a connection */

struct cleanup_state *cleanup_state_alloc(struct vstream *client)
{
    struct cleanup_state *state = mycalloc(1, sizeof(*state));

    state->client = client;
    state->queue_id = vstring_alloc(40);
    state->reason = vstring_alloc(100);
    state->buf = vstring_alloc(1024);
    state->out = vstring_alloc(8192);
    state->why = vstring_alloc(100);
    state->temp = vstring_alloc(256);
    state->act_prepend = vstring_alloc(10);
    state->fd = -1;
    state->uid = -1;
    return (state);
}

/* cleanup_state_reset - forget the last message */

void    cleanup_state_reset(struct cleanup_state *state)
{
    vstring_reset(state->queue_id);
    vstring_reset(state->reason);
    vstring_reset(state->out);
    vstring_reset(state->why);
    state->fd = -1;
    state->name_synced = 0;
    state->dst = 0;
    state->status = CLEANUP_STAT_OK;
    memset(&state->arrival, 0, sizeof(state->arrival));
    myfree(state->sender);
    myfree(state->helo_name);
    myfree(state->client_name);
    myfree(state->client_addr);
    myfree(state->protocol);
    myfree(state->full_name);
    myfree(state->first_rcpt);
    state->sender = state->helo_name = state->client_name = 0;
    state->client_addr = state->protocol = state->first_rcpt = 0;
    state->full_name = 0;
    state->uid = -1;
    state->rcpt_count = 0;
    state->orcpt_pending = 0;
    state->dsn_pending = 0;
    state->client_size = 0;
    cleanup_header_free(&state->hdr);
    myfree(state->act_hold);
    myfree(state->act_discard);
    myfree(state->act_redirect);
    state->act_hold = state->act_discard = state->act_redirect = 0;
    vstring_reset(state->act_prepend);
}

/* cleanup_state_free - destroy */

void    cleanup_state_free(struct cleanup_state **statep)
{
    struct cleanup_state *state = *statep;

    if (state == 0)
	return;
    cleanup_state_reset(state);
    vstring_free(&state->queue_id);
    vstring_free(&state->reason);
    vstring_free(&state->buf);
    vstring_free(&state->out);
    vstring_free(&state->why);
    vstring_free(&state->temp);
    vstring_free(&state->act_prepend);
    myfree(state);
    *statep = 0;
}
