#!/usr/bin/python3
"""capture_seeds.py - raw DNS answers from dnsmasq, as fuzzer seeds.

    /usr/bin/python3 capture_seeds.py ../fuzz/corpus/fuzz_dns_parse

Makes the namespace and servers of run_dns_tests.py (same records), sends
each query of QUERIES over UDP to its dnsmasq, and writes each answer as
is (whatever its response code) to OUTDIR/NAME. Needs root. The files in
tests/fuzz/corpus/fuzz_dns_parse/ were made this way; rerun it when the
records change.
"""

import os
import random
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'lib'))
sys.path.insert(0, HERE)

T = {'A': 1, 'CNAME': 5, 'PTR': 12, 'MX': 15, 'TXT': 16, 'AAAA': 28}

QUERIES = [
    ('mx_example', 'example.test', 'MX', False),
    ('mx_example_edns', 'Example.TEST', 'MX', True),
    ('mx_nullmx', 'nullmx.test', 'MX', False),
    ('mx_mixed', 'mixed.test', 'MX', False),
    ('mx_nodata', 'nomx.test', 'MX', False),
    ('mx_cname_only', 'alias.example.test', 'MX', False),
    ('a_nxdomain', 'nx.test', 'A', False),
    ('a_cname', 'alias.example.test', 'A', False),
    ('aaaa_cname2', 'alias2.example.test', 'AAAA', False),
    ('a_mx1', 'mx1.example.test', 'A', False),
    ('aaaa_mx1', 'mx1.example.test', 'AAAA', False),
    ('ptr_v4', '1.2.0.192.in-addr.arpa', 'PTR', False),
    ('ptr_three', '40.2.0.192.in-addr.arpa', 'PTR', False),
    ('ptr_numeric', '7.2.0.192.in-addr.arpa', 'PTR', False),
    ('ptr_v6', '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
     'PTR', False),
    ('txt_example', 'example.test', 'TXT', False),
    ('txt_multi', 'multi.example.test', 'TXT', False),
    ('a_servfail', 'host.servfail.test', 'A', False),
    ('mx_refused', 'example.invalid', 'MX', False),
]


def query_packet(name, qtype, edns):
    header = struct.pack('>HHHHHH', random.randrange(65536), 0x0100, 1, 0, 0,
                         1 if edns else 0)
    qname = b''.join(bytes([len(l)]) + l.encode() for l in name.split('.'))
    packet = header + qname + b'\0' + struct.pack('>HH', T[qtype], 1)
    if edns:
        packet += b'\0' + struct.pack('>HHIH', 41, 1232, 0, 0)
    return packet


def inside(outdir):
    import socket
    for fname, name, qtype, edns in QUERIES:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(5)
            s.sendto(query_packet(name, qtype, edns), ('127.0.0.1', 53))
            answer = s.recv(65535)
        with open(os.path.join(outdir, fname), 'wb') as f:
            f.write(answer)
        print('%s: %d bytes, rcode %d' % (fname, len(answer), answer[3] & 15))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--inside':
        inside(sys.argv[2])
        return 0
    if len(sys.argv) != 2:
        sys.exit('usage: capture_seeds.py OUTDIR')
    from dns_fixture import DnsServer, NetNs, ServfailServer
    from run_dns_tests import RECORDS, RESOLV_CONF
    outdir = os.path.abspath(sys.argv[1])
    os.makedirs(outdir, exist_ok=True)
    with NetNs() as ns:
        with ServfailServer('127.0.0.2', netns=ns), \
                DnsServer(RECORDS, address='127.0.0.1', netns=ns,
                          forward=[('servfail.test', '127.0.0.2')]):
            subprocess.run(ns.argv([sys.executable, os.path.abspath(__file__),
                                    '--inside', outdir]), check=True,
                           timeout=120)
    return 0


if __name__ == '__main__':
    sys.exit(main())
