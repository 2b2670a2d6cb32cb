#!/usr/bin/python3
"""run_dns_tests.py - run test_dns_lookup against a real DNS server.

    /usr/bin/python3 run_dns_tests.py ./test_dns_lookup

1. test_dns_lookup offline (no server needed);
2. a network namespace of our own (dromos-dns-PID-N) whose resolv.conf
   says "nameserver 127.0.0.1, options timeout:1 attempts:1", with
   dnsmasq on 127.0.0.1:53 serving RECORDS below (names under .test
   without records: NXDOMAIN; other names: REFUSED), servfail.test
   forwarded to a server on 127.0.0.2 that answers SERVFAIL, and
   dead.test forwarded to 127.0.0.9 where nothing listens (a timeout);
3. test_dns_lookup up, inside the namespace;
4. dnsmasq stopped, then test_dns_lookup down (every lookup: RETRY);
5. everything removed again (servers by PID, the namespace and
   /etc/netns/NAME), also after a failure or a SIGTERM.

The cmocka output of each run is passed through, so tests/run-tests
counts its PASSED and FAILED lines. Exit status 0 when all passed.
"""

import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'lib'))
from dns_fixture import DnsServer, NetNs, ServfailServer  # noqa: E402

RECORDS = [
    ('MX', 'example.test', 10, 'mx1.example.test'),
    ('MX', 'example.test', 20, 'mx2a.example.test'),
    ('MX', 'example.test', 20, 'mx2b.example.test'),
    ('MX', 'example.test', 20, 'mx2c.example.test'),
    ('MX', 'example.test', 30, 'mx3.example.test'),
    ('A', 'mx1.example.test', '192.0.2.1'),
    ('AAAA', 'mx1.example.test', '2001:db8::1'),
    ('A', 'mx2a.example.test', '192.0.2.2'),
    ('A', 'mx2b.example.test', '192.0.2.3'),
    ('A', 'mx2c.example.test', '192.0.2.4'),
    ('A', 'mx3.example.test', '192.0.2.5'),
    ('TXT', 'example.test', 'v=spf1 -all'),
    ('TXT', 'multi.example.test', 'part one, ', 'part two'),
    ('MX', 'nullmx.test', 0, '.'),
    ('MX', 'mixed.test', 0, '.'),
    ('MX', 'mixed.test', 10, 'mx1.example.test'),
    ('A', 'nomx.test', '192.0.2.20'),
    ('AAAA', 'v6only.test', '2001:db8::6'),
    ('TXT', 'txtonly.test', 'hello'),
    ('CNAME', 'alias.example.test', 'mx1.example.test'),
    ('CNAME', 'alias2.example.test', 'alias.example.test'),
    # liar's PTR points at a name whose address is elsewhere.
    ('A', 'liar.example.test', '192.0.2.30'),
    ('PTR', '192.0.2.9', 'liar.example.test'),
    # The forward lookup of this PTR name fails with SERVFAIL.
    ('PTR', '192.0.2.8', 'host.servfail.test'),
    # A PTR that is a number, not a host name.
    ('PTR', '192.0.2.7', '10.0.0.1'),
    # Three PTR names; only the last one's A record is the address
    # (dnsmasq adds no PTR for an A record when ptr-record has the name).
    ('PTR', '192.0.2.40', 'gone.example.test'),
    ('PTR', '192.0.2.40', 'liar.example.test'),
    ('PTR', '192.0.2.40', 'multi40.example.test'),
    ('A', 'multi40.example.test', '192.0.2.40'),
]

RESOLV_CONF = 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n'


def run(ns, argv, phase):
    cmd = ns.argv(argv + [phase]) if ns else argv + [phase]
    print('--- test_dns_lookup %s' % phase, flush=True)
    try:
        res = subprocess.run(cmd, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, timeout=300)
    except subprocess.TimeoutExpired as e:
        print((e.stdout or b'').decode(errors='replace') if isinstance(e.stdout, bytes)
              else (e.stdout or ''))
        print('run_dns_tests: test_dns_lookup %s timed out' % phase)
        return False
    sys.stdout.write(res.stdout)
    sys.stdout.flush()
    return res.returncode == 0


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: run_dns_tests.py ./test_dns_lookup')
    prog = [os.path.abspath(sys.argv[1])]
    # A SIGTERM (make killed, a CI timeout) still cleans up.
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))

    ok = run(None, prog, 'offline')
    if os.geteuid() != 0:
        print('run_dns_tests: FAILED: must run as root (network namespaces, '
              'port 53)')
        return 1
    for tool in ('/usr/sbin/dnsmasq', '/usr/bin/dig'):
        if not os.path.exists(tool):
            print('run_dns_tests: FAILED: %s is missing '
                  '(auxiliary/install-deps)' % tool)
            return 1

    ns = NetNs()
    servfail = dns = None
    try:
        ns.create(RESOLV_CONF)
        servfail = ServfailServer('127.0.0.2', netns=ns).start()
        dns = DnsServer(RECORDS, address='127.0.0.1', netns=ns,
                        forward=[('servfail.test', '127.0.0.2'),
                                 ('dead.test', '127.0.0.9')]).start()
        up_ok = run(ns, prog, 'up')
        if not up_ok:
            print('--- dnsmasq log (last 60 lines)')
            print('\n'.join(dns.log().splitlines()[-60:]))
        dns.stop()
        down_ok = run(ns, prog, 'down')
        ok = ok and up_ok and down_ok
    finally:
        if dns:
            dns.stop()
        if servfail:
            servfail.stop()
        ns.delete()
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
