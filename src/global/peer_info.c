/*++
/* NAME
/*	peer_info 3
/* SUMMARY
/*	the two ends of a client connection: addresses, ports, names
/* SYNOPSIS
/*	#include <peer_info.h>
/* DESCRIPTION
/*	See peer_info.h.
/*--*/
#include <sys/types.h>
#include <sys/socket.h>
#include <netdb.h>
#include <string.h>
#include <strings.h>

#include <mymalloc.h>
#include <vstring.h>

#include "peer_info.h"

/* peer_info_verify - the reverse name counts when it resolves back */

static int peer_info_verify(const char *name, const char *addr)
{
    struct addrinfo hints;
    struct addrinfo *res;
    struct addrinfo *ai;
    char    host[NI_MAXHOST];
    int     err;
    int     ret = PEER_NAME_NONE;

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    if ((err = getaddrinfo(name, (char *) 0, &hints, &res)) != 0)
	return (err == EAI_AGAIN ? PEER_NAME_TEMP : PEER_NAME_NONE);
    for (ai = res; ai && ret != PEER_NAME_OK; ai = ai->ai_next) {
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host),
			(char *) 0, 0, NI_NUMERICHOST) != 0)
	    continue;
	if (strcasecmp(host, addr) == 0
	    || (strncmp(host, "::ffff:", 7) == 0 && strcmp(host + 7, addr) == 0))
	    ret = PEER_NAME_OK;
    }
    freeaddrinfo(res);
    return (ret);
}

/* peer_info_numeric - numeric address and port of one end, or -1 */

static int peer_info_numeric(struct sockaddr_storage *ss, socklen_t len,
			             char *host, size_t hostlen,
			             char *serv, size_t servlen)
{
    if (ss->ss_family != AF_INET && ss->ss_family != AF_INET6)
	return (-1);
    if (getnameinfo((struct sockaddr *) ss, len, host, hostlen, serv, servlen,
		    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
	return (-1);
    /* An IPv4-mapped IPv6 address is shown as IPv4. */
    if (ss->ss_family == AF_INET6 && strncmp(host, "::ffff:", 7) == 0
	&& strchr(host + 7, ':') == 0)
	memmove(host, host + 7, strlen(host + 7) + 1);
    return (0);
}

void    peer_info_get(int fd, struct peer_info *peer)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    char    host[NI_MAXHOST];
    char    serv[NI_MAXSERV];
    char    name[NI_MAXHOST];
    struct vstring *buf;
    int     err;

    memset(peer, 0, sizeof(*peer));
    peer->name_status = PEER_NAME_NONE;
    if (getpeername(fd, (struct sockaddr *) &ss, &len) == 0
	&& peer_info_numeric(&ss, len, host, sizeof(host),
			     serv, sizeof(serv)) == 0) {
	peer->addr = mystrdup(host);
	peer->port = mystrdup(serv);
	if ((err = getnameinfo((struct sockaddr *) &ss, len, name,
			       sizeof(name), (char *) 0, 0, NI_NAMEREQD)) == 0) {
	    peer->reverse_name = mystrdup(name);
	    peer->name_status = peer_info_verify(name, host);
	} else if (err == EAI_AGAIN) {
	    peer->name_status = PEER_NAME_TEMP;
	}
	if (peer->name_status == PEER_NAME_OK)
	    peer->name = mystrdup(name);
    } else {
	peer->addr = mystrdup(PEER_UNKNOWN);
	peer->port = mystrdup(PEER_UNKNOWN);
    }
    if (peer->reverse_name == 0)
	peer->reverse_name = mystrdup(PEER_UNKNOWN);
    if (peer->name == 0)
	peer->name = mystrdup(PEER_UNKNOWN);
    buf = vstring_alloc(100);
    vstring_sprintf(buf, "%s[%s]", peer->name, peer->addr);
    peer->namaddr = vstring_export(&buf);
    len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *) &ss, &len) == 0
	&& peer_info_numeric(&ss, len, host, sizeof(host),
			     serv, sizeof(serv)) == 0) {
	peer->laddr = mystrdup(host);
	peer->lport = mystrdup(serv);
    } else {
	peer->laddr = mystrdup(PEER_UNKNOWN);
	peer->lport = mystrdup(PEER_UNKNOWN);
    }
}

void    peer_info_free(struct peer_info *peer)
{
    char  **fields[] = {&peer->addr, &peer->port, &peer->reverse_name,
    &peer->name, &peer->namaddr, &peer->laddr, &peer->lport};
    size_t  i;

    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
	if (*fields[i]) {
	    myfree(*fields[i]);
	    *fields[i] = 0;
	}
    }
}
