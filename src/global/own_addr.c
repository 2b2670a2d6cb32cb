/*++
/* NAME
/*	own_addr 3
/* SUMMARY
/*	this host's addresses: mail for [address], and mynetworks
/* SYNOPSIS
/*	#include <own_addr.h>
/*
/*	int	own_addr_init(why)
/*	struct vstring *why;
/*
/*	int	own_addr_is_local(addr)
/*	const char *addr;
/*
/*	const char *own_addr_mynetworks(void)
/* DESCRIPTION
/*	own_addr_init() learns the addresses this host receives mail on:
/*	those of inet_interfaces ("all": every address of every interface,
/*	from getifaddrs(3); "loopback-only": 127.0.0.1 and ::1; otherwise
/*	the listed addresses, and the addresses of listed host names) and
/*	those of proxy_interfaces (addresses and names). inet_protocols
/*	(ipv4, ipv6, all) filters them. It also computes the default
/*	mynetworks from mynetworks_style: host (each interface address as
/*	a /32 or /128), subnet (each interface's network, with its mask)
/*	or class (the class A, B or C network of each IPv4 address; IPv6
/*	networks as with subnet). Call it before a chroot (names are
/*	resolved with the host's files); it returns -1 with a reason in
/*	why for a name that does not resolve or an unknown style.
/*
/*	own_addr_is_local() is non-zero when addr (text, IPv6 maybe in
/*	brackets or with the "IPv6:" tag of an address literal) is one of
/*	those addresses: mail for user@[addr] is for this host.
/*
/*	own_addr_mynetworks() is the computed default: a mynetworks value
/*	("127.0.0.1/32 [::1]/128 ...").
/* DIAGNOSTICS
/*	Return values and why.
/*--*/
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

#include <argv.h>
#include <mymalloc.h>
#include <vstring.h>

#include <mail_params.h>
#include <match_list.h>
#include <own_addr.h>

struct own_addr {
    unsigned char bytes[16];
    int     family;
};

static struct own_addr *own_addrs;
static size_t own_count;
static size_t own_alloc;
static struct vstring *own_mynetworks;

/* own_addr_want - inet_protocols allows this family */

static int own_addr_want(int family)
{
    if (strcasecmp(var_inet_protocols, "ipv4") == 0)
	return (family == AF_INET);
    if (strcasecmp(var_inet_protocols, "ipv6") == 0)
	return (family == AF_INET6);
    return (family == AF_INET || family == AF_INET6);
}

/* own_addr_add - remember one address */

static void own_addr_add(const void *bytes, int family)
{
    size_t  len = (family == AF_INET ? 4 : 16);
    size_t  i;

    if (!own_addr_want(family))
	return;
    for (i = 0; i < own_count; i++)
	if (own_addrs[i].family == family
	    && memcmp(own_addrs[i].bytes, bytes, len) == 0)
	    return;
    if (own_count >= own_alloc) {
	own_alloc = own_alloc ? 2 * own_alloc : 8;
	own_addrs = myreallocarray(own_addrs, own_alloc, sizeof(*own_addrs));
    }
    memset(own_addrs + own_count, 0, sizeof(*own_addrs));
    memcpy(own_addrs[own_count].bytes, bytes, len);
    own_addrs[own_count].family = family;
    own_count++;
}

/* own_addr_net - append one network to the mynetworks value */

static void own_addr_net(const unsigned char *bytes, int family, int bits)
{
    unsigned char net[16];
    char    text[INET6_ADDRSTRLEN];
    int     len = (family == AF_INET ? 4 : 16);
    int     i;

    if (!own_addr_want(family))
	return;
    memcpy(net, bytes, (size_t) len);
    for (i = bits; i < len * 8; i++)
	net[i / 8] &= (unsigned char) ~(0x80 >> (i % 8));
    if (inet_ntop(family, net, text, sizeof(text)) == 0)
	return;
    vstring_sprintf_append(own_mynetworks, family == AF_INET ? "%s%s/%d" :
			   "%s[%s]/%d", vstring_len(own_mynetworks) ? " " : "",
			   text, bits);
}

/* own_addr_bits - the prefix length of a netmask */

static int own_addr_bits(const struct sockaddr *mask, int family)
{
    const unsigned char *m;
    int     len;
    int     bits = 0;
    int     i;

    if (mask == 0)
	return (family == AF_INET ? 32 : 128);
    if (family == AF_INET) {
	m = (const unsigned char *) &((const struct sockaddr_in *) mask)->sin_addr;
	len = 4;
    } else {
	m = (const unsigned char *) &((const struct sockaddr_in6 *) mask)->sin6_addr;
	len = 16;
    }
    for (i = 0; i < len * 8 && (m[i / 8] & (0x80 >> (i % 8))); i++)
	bits++;
    return (bits);
}

/* own_addr_interfaces - every interface address; mynetworks by style */

static int own_addr_interfaces(int remember, struct vstring *why)
{
    struct ifaddrs *ifap;
    struct ifaddrs *ifa;
    const unsigned char *bytes;
    int     family;
    int     bits;
    int     style_host = (strcasecmp(var_mynetworks_style, "host") == 0);
    int     style_class = (strcasecmp(var_mynetworks_style, "class") == 0);

    if (!style_host && !style_class
	&& strcasecmp(var_mynetworks_style, "subnet") != 0) {
	vstring_sprintf(why, "bad mynetworks_style \"%.100s\": "
			"specify host, subnet or class", var_mynetworks_style);
	return (-1);
    }
    if (getifaddrs(&ifap) < 0) {
	vstring_sprintf(why, "getifaddrs: %m");
	return (-1);
    }
    for (ifa = ifap; ifa; ifa = ifa->ifa_next) {
	if (ifa->ifa_addr == 0)
	    continue;
	family = ifa->ifa_addr->sa_family;
	if (family == AF_INET)
	    bytes = (const unsigned char *)
		&((struct sockaddr_in *) ifa->ifa_addr)->sin_addr;
	else if (family == AF_INET6)
	    bytes = (const unsigned char *)
		&((struct sockaddr_in6 *) ifa->ifa_addr)->sin6_addr;
	else
	    continue;
	if (remember)
	    own_addr_add(bytes, family);
	if (style_host) {
	    bits = (family == AF_INET ? 32 : 128);
	} else {
	    bits = own_addr_bits(ifa->ifa_netmask, family);
	    if (style_class && family == AF_INET)
		bits = (bytes[0] < 128 ? 8 : bytes[0] < 192 ? 16 : 24);
	}
	own_addr_net(bytes, family, bits);
    }
    freeifaddrs(ifap);
    return (0);
}

/* own_addr_list - the addresses of a list of addresses and names */

static int own_addr_list(const char *title, const char *list,
			         struct vstring *why)
{
    struct argv *argv = argv_split(list, ", \t\r\n");
    struct addrinfo hints;
    struct addrinfo *res;
    struct addrinfo *ai;
    unsigned char bytes[16];
    int     family;
    size_t  i;
    int     err;

    for (i = 0; i < argv->argc; i++) {
	if (match_addr_parse(argv->argv[i], bytes, &family) == 0) {
	    own_addr_add(bytes, family);
	    continue;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if ((err = getaddrinfo(argv->argv[i], (char *) 0, &hints, &res)) != 0) {
	    vstring_sprintf(why, "%s: host %.100s: %s", title, argv->argv[i],
			    gai_strerror(err));
	    argv_free(&argv);
	    return (-1);
	}
	for (ai = res; ai; ai = ai->ai_next) {
	    if (ai->ai_family == AF_INET)
		own_addr_add(&((struct sockaddr_in *) ai->ai_addr)->sin_addr,
			     AF_INET);
	    else if (ai->ai_family == AF_INET6)
		own_addr_add(&((struct sockaddr_in6 *) ai->ai_addr)->sin6_addr,
			     AF_INET6);
	}
	freeaddrinfo(res);
    }
    argv_free(&argv);
    return (0);
}

int     own_addr_init(struct vstring *why)
{
    static const unsigned char v4_loop[4] = {127, 0, 0, 1};
    unsigned char v6_loop[16];
    int     all = (strcasecmp(var_inet_interfaces, "all") == 0);

    own_count = 0;
    if (own_mynetworks == 0)
	own_mynetworks = vstring_alloc(100);
    vstring_reset(own_mynetworks);
    if (own_addr_interfaces(all, why) < 0)
	return (-1);
    if (strcasecmp(var_inet_interfaces, "loopback-only") == 0) {
	memset(v6_loop, 0, sizeof(v6_loop));
	v6_loop[15] = 1;
	own_addr_add(v4_loop, AF_INET);
	own_addr_add(v6_loop, AF_INET6);
    } else if (!all
	       && own_addr_list(VAR_INET_INTERFACES, var_inet_interfaces,
				why) < 0) {
	return (-1);
    }
    if (own_addr_list(VAR_PROXY_INTERFACES, var_proxy_interfaces, why) < 0)
	return (-1);
    return (0);
}

int     own_addr_is_local(const char *addr)
{
    unsigned char bytes[16];
    int     family;
    size_t  i;

    if (match_addr_parse(addr, bytes, &family) < 0)
	return (0);
    for (i = 0; i < own_count; i++)
	if (own_addrs[i].family == family
	    && memcmp(own_addrs[i].bytes, bytes,
		      family == AF_INET ? 4 : 16) == 0)
	    return (1);
    return (0);
}

const char *own_addr_mynetworks(void)
{
    return (own_mynetworks ? vstring_str(own_mynetworks) : "");
}
