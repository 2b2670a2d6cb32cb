"""Tests of tests/lib/dns_fixture.py, and of dns_lookup in a chroot.

- DnsServer in the host namespace on a free 127.0.53.x address answers
  its records (dig), and is gone, with its files, after stop().
- A chroot whose etc/resolv.conf points at it: dnsq -r ROOT (dns_lookup
  after chroot, as a chrooted daemon does it) gets the records; the same
  with a resolv.conf pointing at nothing gets RETRY. So the resolver
  reads the chroot's file at the first lookup, after chroot.
- ServfailServer answers SERVFAIL; NetNs leaves nothing behind.
- use_dns() on a real dromos instance: after "dromos start" the chroot
  copy still points at the fixture (chroot_refresh = no), and a lookup
  inside queue_directory sees the fixture's records.
"""

import os
import shutil
import subprocess
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'lib'))
from dns_fixture import (DnsServer, NetNs, ServfailServer,  # noqa: E402
                         free_loopback_address, reverse_name, use_dns)
from dns_fixture import _record_lines as record_lines  # noqa: E402
from dromos_instance import Instance, proc_status  # noqa: E402

DNSQ = os.path.join(HERE, 'dnsq')

RECORDS = [
    ('MX', 'example.test', 10, 'mx1.example.test'),
    ('MX', 'example.test', 20, 'mx2.example.test'),
    ('A', 'mx1.example.test', '192.0.2.1'),
    ('A', 'mx2.example.test', '192.0.2.2'),
    ('MX', 'nullmx.test', 0, '.'),
    ('TXT', 'example.test', 'v=spf1 -all'),
    ('PTR', '192.0.2.1', 'mx1.example.test'),
]

pytestmark = pytest.mark.skipif(os.geteuid() != 0,
                                reason='needs root (port 53, chroot)')


def dig(server, *args):
    return subprocess.run(['dig', '@' + server.address, '+time=1', '+tries=1']
                          + list(args), stdout=subprocess.PIPE, text=True,
                          timeout=30).stdout


def dnsq(*args):
    env = dict(os.environ)
    if '-r' in args:
        # A sanitizer build: LeakSanitizer needs /proc, which a chroot lacks.
        env['ASAN_OPTIONS'] = ':'.join(
            o for o in (env.get('ASAN_OPTIONS'), 'detect_leaks=0') if o)
    res = subprocess.run([DNSQ] + list(args), stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=60,
                         env=env)
    return res.returncode, res.stdout


@pytest.fixture(scope='module')
def dns():
    with DnsServer(RECORDS) as server:
        yield server


def make_root(nameserver):
    root = tempfile.mkdtemp(prefix='dromos-dns-root-')
    os.makedirs(os.path.join(root, 'etc'))
    with open(os.path.join(root, 'etc', 'resolv.conf'), 'w') as f:
        f.write('nameserver %s\noptions timeout:1 attempts:1\n' % nameserver)
    return root


def test_server_answers(dns):
    assert dns.address.startswith('127.0.53.')
    assert proc_status(dns.pid) is not None
    out = dig(dns, 'MX', 'example.test')
    assert 'status: NOERROR' in out
    assert '10 mx1.example.test.' in out
    assert 'status: NXDOMAIN' in dig(dns, 'A', 'nx.test')
    assert 'status: REFUSED' in dig(dns, 'A', 'example.com')
    assert 'mx1.example.test.' in dig(dns, '-x', '192.0.2.1')
    assert 'query[MX] example.test' in dns.log()


def test_chroot_resolver(dns):
    root = make_root(dns.address)
    try:
        rc, out = dnsq('-r', root, 'mxsorted', 'example.test')
        assert rc == 0, out
        assert out.splitlines()[:3] == [
            'OK', 'example.test MX 0 10 mx1.example.test',
            'example.test MX 0 20 mx2.example.test']
        rc, out = dnsq('-r', root, 'mxsorted', 'nullmx.test')
        assert out.startswith('NULLMX'), out
        rc, out = dnsq('-r', root, 'verify', '192.0.2.1')
        assert out.splitlines() == ['OK', 'mx1.example.test'], out
        rc, out = dnsq('-r', root, 'exists', 'nx.test')
        assert out.startswith('NOTFOUND'), out
    finally:
        shutil.rmtree(root)


def test_chroot_resolver_dead():
    # Nothing listens there: the chroot's resolv.conf is what counts.
    root = make_root(free_loopback_address())
    try:
        rc, out = dnsq('-r', root, 'mx', 'example.test')
        assert rc == 1
        assert out.startswith('RETRY'), out
        assert 'try again' in out
    finally:
        shutil.rmtree(root)


def test_stop_cleans_up():
    server = DnsServer([('A', 'h.test', '192.0.2.9')]).start()
    pid, folder = server.pid, server.dir
    assert '192.0.2.9' in dig(server, 'A', 'h.test')
    server.stop()
    assert proc_status(pid) is None or proc_status(pid)['State'].startswith('Z')
    assert not os.path.exists(folder)
    server.stop()                       # twice is harmless


def test_bad_records():
    for rec in [('MX', 'a.test', 10), ('A', 'a.test', 'not-an-address'),
                ('TXT', 'a.test', 'quote"inside'), ('SRV', 'a.test', 'x'),
                ('AAAA', 'a.test', '192.0.2.1')]:
        with pytest.raises((ValueError, OSError)):
            record_lines([rec])
    assert record_lines([('MX', 'n.test', 0, '.'),
                         ('TXT', 'n.test', 'a, b', 'c')]) == [
        'mx-host=n.test,.,0', 'txt-record=n.test,"a, b","c"']
    assert reverse_name('192.0.2.1') == '1.2.0.192.in-addr.arpa'
    assert reverse_name('2001:db8::1').endswith('.8.b.d.0.1.0.0.2.ip6.arpa')


def test_servfail_server():
    server = ServfailServer(free_loopback_address())
    with server:
        assert 'status: SERVFAIL' in dig(server, 'A', 'anything.test')
        pid = server.pid
    assert proc_status(pid) is None or proc_status(pid)['State'].startswith('Z')


def test_netns_leaves_nothing():
    with NetNs() as ns:
        name = ns.name
        out = subprocess.run(ns.argv(['cat', '/etc/resolv.conf']),
                             stdout=subprocess.PIPE, text=True,
                             timeout=30).stdout
        assert out.startswith('nameserver 127.0.0.1')
    listed = subprocess.run(['ip', 'netns', 'list'], stdout=subprocess.PIPE,
                            text=True, timeout=30).stdout
    assert name not in listed
    assert not os.path.exists('/etc/netns/' + name)


def test_use_dns_with_instance(dns):
    inst = Instance()
    try:
        inst.setup()
        path = use_dns(inst, dns)
        assert path == os.path.join(inst.queue_dir, 'etc', 'resolv.conf')
        assert inst.dromconf('-h', 'chroot_refresh').stdout.strip() == 'no'
        inst.start()
        # dromos start did not copy /etc/resolv.conf over it.
        with open(path) as f:
            assert f.read().startswith('nameserver %s\n' % dns.address)
        # What a daemon chrooted in queue_directory sees.
        rc, out = dnsq('-r', inst.queue_dir, 'mxsorted', 'example.test')
        assert rc == 0, out
        assert 'example.test MX 0 10 mx1.example.test' in out
    finally:
        inst.cleanup()
