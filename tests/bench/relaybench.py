#!/usr/bin/python3
"""relaybench - how fast dromos relays a burst, with and without a dead
destination beside the live one.

NAME
    relaybench - relay throughput of the smtp client and qmgr's scheduler

SYNOPSIS
    /usr/bin/python3 tests/bench/relaybench.py [--count N] [--sessions S]
                                               [--repeat R]     (as root)

DESCRIPTION
    One dromos instance (installed from this work tree under a temporary
    root, tests/lib/dromos_instance.py) relays to Postfix's smtp-sink on
    127.0.0.4 (live.test) and, in the second scenario, also to a server
    on 127.0.0.5 that accepts connections and never greets (dead.test,
    smtp_helo_timeout 4s). Postfix's smtp-source submits the burst over
    S sessions (default 10): N messages (default 1000) to live.test, or
    N/2 to each destination. For each run it prints the seconds from
    the first submission until the last live message is sent (from the
    log), the live messages per second, and how many connections the
    dead destination received. All traffic stays on 127.0.0.0/8; every
    run is bounded (300 s).

    It asserts nothing about speed: it prints figures. The burst test in
    tests/smtp/test_burst.py checks what must happen.
"""
import argparse
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dromos_instance import wait_for  # noqa: E402
from burst import burst_setup, count_results, smtp_source  # noqa

def one_run(count, sessions, with_dead):
    sink, dead, inst = burst_setup(4)
    try:
        sink.start()
        dead.start()
        inst.start()
        wait_for(lambda: socket.create_connection(
            ('127.0.0.1', inst.smtp_port), timeout=1).close() or True,
            what='smtpd')
        live = count // 2 if with_dead else count
        t0 = time.monotonic()
        procs = [smtp_source(inst.smtp_port, live, 'u@live.test', sessions)]
        if with_dead:
            procs.append(smtp_source(inst.smtp_port, count - live,
                                     'u@dead.test', sessions))
        for p in procs:
            p.communicate(timeout=300)
        wait_for(lambda: count_results(inst.log(), 'live.test')['sent']
                 >= live, timeout=300, interval=0.05, what='live drained')
        seconds = time.monotonic() - t0
        return live, seconds, dead.connections
    finally:
        inst.cleanup()
        dead.stop()
        sink.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--count', type=int, default=1000)
    ap.add_argument('--sessions', type=int, default=10)
    ap.add_argument('--repeat', type=int, default=3)
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit('relaybench: run as root')
    print('%-22s %6s %9s %9s %10s' % ('scenario', 'live', 'seconds',
                                      'live/s', 'dead conns'))
    for with_dead in (False, True):
        name = 'live + dead' if with_dead else 'live only'
        for _ in range(args.repeat):
            live, secs, conns = one_run(args.count, args.sessions, with_dead)
            print('%-22s %6d %9.2f %9.1f %10d' % (name, live, secs,
                                                  live / secs, conns),
                  flush=True)


if __name__ == '__main__':
    main()
