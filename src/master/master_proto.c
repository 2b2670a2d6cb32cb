/*++
/* NAME
/*	master_proto 3
/* SUMMARY
/*	what master and its children tell each other
/* SYNOPSIS
/*	#include <master_proto.h>
/*
/*	int	master_notify(pid, status)
/*	pid_t	pid;
/*	int	status;
/* DESCRIPTION
/*	See master_proto.h for the status record and its rules.
/*	master_notify() writes one struct master_status record to
/*	MASTER_STATUS_FD with a single write(), retried on EINTR.
/* DIAGNOSTICS
/*	0 on success, -1 when master is gone or the write failed.
/*--*/
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <mail_server.h>
#include <master_proto.h>

int     master_notify(pid_t pid, int status)
{
    struct master_status rec;
    ssize_t n;

    memset(&rec, 0, sizeof(rec));
    rec.pid = (int) pid;
    rec.status = status;
    do {
	n = write(MASTER_STATUS_FD, &rec, sizeof(rec));
    } while (n < 0 && errno == EINTR);
    return (n == (ssize_t) sizeof(rec) ? 0 : -1);
}
