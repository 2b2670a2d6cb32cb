#ifndef PROXY_PROTO_H
#define PROXY_PROTO_H
/*++
/* NAME
/*	proxy_proto 3h
/* SUMMARY
/*	the proxymap protocol: table lookups for chrooted daemons
/* SYNOPSIS
/*	#include <proxy_proto.h>
/* DESCRIPTION
/*	On private/proxymap (attr.h messages), one lookup a connection or
/*	several:
/*
/*	server: {protocol = "proxymap", version = 1}
/*	client: {request = "lookup", table = "type:name", flags = F,
/*		key = K}
/*	server: {status = S, value = V, reason = R}
/*
/*	S is a DICT_STAT_* value (1 found, 0 not found, -1 error with R).
/*	Tables are opened only when "proxy:type:name" is listed in
/*	proxy_read_maps; other requests get -1 "not allowed".
/*--*/
#define PROXY_SERVICE	"private/proxymap"
#define PROXY_PROTOCOL	"proxymap"
#define PROXY_VERSION	1

#define PROXY_REQ_LOOKUP "lookup"
#define PROXY_ATTR_TABLE "table"
#define PROXY_ATTR_KEY	"key"
#define PROXY_ATTR_VALUE "value"

#endif
