"""dns_fixture - a real DNS server (dnsmasq) with test records, for tests
that need DNS: dns_lookup's own tests and integration tests of smtpd
restrictions or the smtp client.

    from dns_fixture import DnsServer, use_dns

    records = [
        ('MX', 'example.test', 10, 'mx1.example.test'),
        ('MX', 'nullmx.test', 0, '.'),            # RFC 7505 null MX
        ('A', 'mx1.example.test', '192.0.2.1'),
        ('AAAA', 'mx1.example.test', '2001:db8::1'),
        ('CNAME', 'alias.example.test', 'mx1.example.test'),
        ('PTR', '192.0.2.1', 'mx1.example.test'),  # address or arpa name
        ('TXT', 'example.test', 'v=spf1 -all'),   # more strings: more items
    ]
    with DnsServer(records) as dns:              # 127.0.53.x:53, host netns
        inst = Instance(); inst.setup()
        use_dns(inst, dns)                       # after setup, before start
        inst.start()
        ...

DnsServer(records=(), address=None, port=53, netns=None,
          local_domains=('test', 'in-addr.arpa', 'ip6.arpa'), forward=(),
          timeout=10)
    records      tuples as above. Kinds: MX (name, preference, target;
                 target '.' is a null MX), A and AAAA (name, address),
                 CNAME (name, target: a name with records here), PTR
                 (address or in-addr.arpa/ip6.arpa name, target), TXT
                 (name, string, ...). Note that dnsmasq also answers the
                 PTR query for the first A or AAAA address of each name.
    address      where dnsmasq listens (--listen-address with
                 --bind-interfaces). None: a free 127.0.53.x address is
                 chosen, and another one if dnsmasq finds it taken.
    netns        None: the host's network namespace. A name: run dnsmasq
                 inside that namespace (ip netns exec), which the caller
                 made (see NetNs below).
    local_domains  answered from the records only (--local=/d/): names
                 under them that have no records are NXDOMAIN, names
                 without records of the asked type NODATA (so an address
                 without a PTR record is NXDOMAIN). Names outside
                 them and outside forward are REFUSED (no upstream:
                 --no-resolv, --no-hosts; /etc/hosts is never read).
    forward      (domain, server) pairs: queries for domain go to server
                 ("addr" or "addr#port"). A dead server makes the resolver
                 time out; ServfailServer gives a real SERVFAIL.
    timeout      seconds that start() and stop() wait at most.

    .start() / .stop() (also by "with"); .address, .port, .pid, .log()
    (dnsmasq's log, queries included); .resolv_conf() is the text of a
    resolv.conf pointing at it ("options timeout:1 attempts:2", so a
    temporary failure costs the test seconds, not minutes).

ServfailServer(address, port=53, netns=None): a tiny UDP server that
    answers every query with SERVFAIL (dnsmasq passes that through when a
    forward points at it). It runs as "python3 dns_fixture.py servfail
    ADDRESS PORT". Same start/stop/with.

use_dns(inst, dns_or_address): point the chrooted daemons of a
    dromos_instance.Instance at the server. It sets chroot_refresh = no
    (otherwise "dromos start" copies the host's /etc/resolv.conf over the
    chroot copy) and writes inst.queue_dir/etc/resolv.conf. Call it after
    inst.setup() (post-install refreshes the chroot copies itself) and
    before inst.start(). The daemons read resolv.conf at their first
    lookup, so a daemon already running keeps the servers it had: restart
    the instance to change them. Daemons that master.cf runs without
    chroot read the host's /etc/resolv.conf; for those, run the instance
    in a network namespace with its own /etc/netns/NAME/resolv.conf.

NetNs(prefix='dromos-dns'): a network namespace with a unique name (the
    prefix, the pid, a counter), loopback up, and
    /etc/netns/NAME/resolv.conf (nameserver 127.0.0.1 unless given).
    .create(resolv_conf=None), .delete() (also by "with"; removes the
    namespace and /etc/netns/NAME, and /etc/netns when it is empty),
    .argv(cmd) is cmd prefixed with "ip netns exec NAME".

Everything is started as a child of the test process and stopped by its
PID: nothing else on the machine is touched, and all waits are bounded.
Needs root (port 53, namespaces) and the Debian packages dnsmasq-base,
iproute2 and bind9-dnsutils (dig, used to see that a server answers).
"""

import itertools
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

DNSMASQ = '/usr/sbin/dnsmasq'
DIG = '/usr/bin/dig'

_counter = itertools.count()


def reverse_name(addr):
    """The in-addr.arpa or ip6.arpa name of an address."""
    try:
        packed = socket.inet_pton(socket.AF_INET, addr)
        return '.'.join(str(b) for b in reversed(packed)) + '.in-addr.arpa'
    except OSError:
        pass
    packed = socket.inet_pton(socket.AF_INET6, addr)
    nibbles = []
    for b in reversed(packed):
        nibbles += ['%x' % (b & 0xf), '%x' % (b >> 4)]
    return '.'.join(nibbles) + '.ip6.arpa'


def _check_text(value):
    if not isinstance(value, str) or any(c in value for c in '"\\\n\r\0'):
        raise ValueError('dns_fixture: unusable record text %r' % (value,))
    return value


def _record_lines(records):
    """dnsmasq configuration lines for the records."""
    lines = []
    for rec in records:
        kind = rec[0].upper()
        args = [_check_text(str(a)) for a in rec[1:]]
        if kind == 'MX' and len(args) == 3:
            name, pref, target = args
            lines.append('mx-host=%s,%s,%d' % (name, target, int(pref)))
        elif kind in ('A', 'AAAA') and len(args) == 2:
            fam = socket.AF_INET if kind == 'A' else socket.AF_INET6
            socket.inet_pton(fam, args[1])
            lines.append('host-record=%s,%s' % (args[0], args[1]))
        elif kind == 'CNAME' and len(args) == 2:
            lines.append('cname=%s,%s' % (args[0], args[1]))
        elif kind == 'PTR' and len(args) == 2:
            name = args[0]
            if not name.endswith('.arpa'):
                name = reverse_name(name)
            lines.append('ptr-record=%s,%s' % (name, args[1]))
        elif kind == 'TXT' and len(args) >= 2:
            lines.append('txt-record=%s,%s' % (
                args[0], ','.join('"%s"' % a for a in args[1:])))
        else:
            raise ValueError('dns_fixture: bad record %r' % (rec,))
    return lines


def _wait(pred, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    raise AssertionError('dns_fixture: timed out after %.1fs waiting for %s'
                         % (timeout, what))


def _stop_pid(proc, timeout):
    """Stop our own child process proc (a Popen): TERM, then KILL."""
    if proc is None or proc.poll() is not None:
        return
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)
    except ProcessLookupError:
        pass


def _udp53_free(addr, port):
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        with socket.socket(socket.AF_INET, kind) as s:
            try:
                s.bind((addr, port))
            except OSError:
                return False
    return True


def free_loopback_address(port=53):
    """A 127.0.53.x address whose port is free at the moment."""
    hosts = list(range(2, 255))
    random.shuffle(hosts)
    for h in hosts:
        addr = '127.0.53.%d' % h
        if _udp53_free(addr, port):
            return addr
    raise AssertionError('dns_fixture: no free 127.0.53.x address')


class NetNs:
    """A network namespace of our own, with its own resolv.conf."""

    def __init__(self, prefix='dromos-dns'):
        self.name = '%s-%d-%d' % (prefix, os.getpid(), next(_counter))
        self.etc = os.path.join('/etc/netns', self.name)
        self.created = False

    def create(self, resolv_conf=None):
        subprocess.run(['ip', 'netns', 'add', self.name], check=True,
                       timeout=30)
        self.created = True
        try:
            subprocess.run(['ip', '-n', self.name, 'link', 'set', 'lo', 'up'],
                           check=True, timeout=30)
            os.makedirs(self.etc, exist_ok=True)
            with open(os.path.join(self.etc, 'resolv.conf'), 'w') as f:
                f.write(resolv_conf or
                        'nameserver 127.0.0.1\noptions timeout:1 attempts:2\n')
        except BaseException:
            self.delete()
            raise
        return self

    def argv(self, cmd):
        return ['ip', 'netns', 'exec', self.name] + list(cmd)

    def delete(self):
        if self.created:
            subprocess.run(['ip', 'netns', 'del', self.name], timeout=30,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.created = False
        shutil.rmtree(self.etc, ignore_errors=True)
        try:
            os.rmdir('/etc/netns')
        except OSError:
            pass

    def __enter__(self):
        return self.create()

    def __exit__(self, *exc):
        self.delete()


class _Child:
    """Shared start/stop plumbing for a server process of our own."""
    netns = None
    proc = None

    def _argv(self, cmd):
        if self.netns:
            name = self.netns.name if isinstance(self.netns, NetNs) else self.netns
            return ['ip', 'netns', 'exec', name] + cmd
        return cmd

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def answers(self):
        """True when the server answers a query (any response code)."""
        res = subprocess.run(self._argv(
            [DIG, '@' + self.address, '-p', str(self.port), '+time=1',
             '+tries=1', '+norecurse', 'probe.invalid', 'A']),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=10)
        return 'status:' in res.stdout

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class DnsServer(_Child):
    """dnsmasq with the given records; see the module docstring."""

    def __init__(self, records=(), address=None, port=53, netns=None,
                 local_domains=('test', 'in-addr.arpa', 'ip6.arpa'),
                 forward=(), timeout=10):
        self.records = list(records)
        self.auto_address = address is None
        self.address = address
        self.port = port
        self.netns = netns
        self.local_domains = list(local_domains)
        self.forward = list(forward)
        self.timeout = timeout
        self.dir = None
        self.proc = None

    def conf_lines(self):
        lines = ['no-resolv', 'no-hosts', 'bind-interfaces',
                 'listen-address=%s' % self.address, 'port=%d' % self.port,
                 'user=nobody', 'group=nogroup', 'log-queries',
                 'log-facility=%s' % os.path.join(self.dir, 'dnsmasq.log'),
                 'pid-file=%s' % os.path.join(self.dir, 'dnsmasq.pid')]
        lines += ['local=/%s/' % d for d in self.local_domains]
        lines += ['server=/%s/%s' % (d, s) for d, s in self.forward]
        return lines + _record_lines(self.records)

    def start(self):
        self.dir = tempfile.mkdtemp(prefix='dromos-dnsmasq-')
        os.chmod(self.dir, 0o755)
        for attempt in range(5):
            if self.auto_address:
                self.address = free_loopback_address(self.port)
            conf = os.path.join(self.dir, 'dnsmasq.conf')
            with open(conf, 'w') as f:
                f.write(''.join(l + '\n' for l in self.conf_lines()))
            errlog = open(os.path.join(self.dir, 'stderr'), 'w')
            self.proc = subprocess.Popen(
                self._argv([DNSMASQ, '--keep-in-foreground', '--conf-file=' + conf]),
                stdin=subprocess.DEVNULL, stdout=errlog, stderr=errlog)
            errlog.close()
            try:
                _wait(lambda: self.proc.poll() is not None or self.answers(),
                      self.timeout, 'dnsmasq on %s:%d' % (self.address, self.port))
            except BaseException:
                self.stop()
                raise
            if self.proc.poll() is None:
                return self
            err = self.stderr()
            self.proc = None
            if not (self.auto_address and 'in use' in err):
                self.stop()
                raise AssertionError('dns_fixture: dnsmasq failed:\n' + err)
        self.stop()
        raise AssertionError('dns_fixture: no address for dnsmasq')

    def stderr(self):
        try:
            with open(os.path.join(self.dir, 'stderr')) as f:
                return f.read()
        except (OSError, TypeError):
            return ''

    def log(self):
        try:
            with open(os.path.join(self.dir, 'dnsmasq.log'), errors='replace') as f:
                return f.read()
        except (OSError, TypeError):
            return ''

    def resolv_conf(self):
        if self.port != 53:
            raise ValueError('dns_fixture: resolv.conf needs port 53')
        return 'nameserver %s\noptions timeout:1 attempts:2\n' % self.address

    def stop(self):
        _stop_pid(self.proc, self.timeout)
        self.proc = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


class ServfailServer(_Child):
    """Answers every query with SERVFAIL."""

    def __init__(self, address, port=53, netns=None, timeout=10):
        self.address = address
        self.port = port
        self.netns = netns
        self.timeout = timeout
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            self._argv([sys.executable, os.path.abspath(__file__), 'servfail',
                        self.address, str(self.port)]),
            stdin=subprocess.DEVNULL)
        try:
            _wait(lambda: self.proc.poll() is not None or self.answers(),
                  self.timeout, 'SERVFAIL server on %s:%d' % (self.address, self.port))
            if self.proc.poll() is not None:
                raise AssertionError('dns_fixture: SERVFAIL server exited')
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        _stop_pid(self.proc, self.timeout)
        self.proc = None


def use_dns(inst, dns):
    """Point inst's chrooted daemons at dns (a DnsServer or an address)."""
    address = dns.address if isinstance(dns, DnsServer) else str(dns)
    inst.set_main(chroot_refresh='no')
    path = os.path.join(inst.queue_dir, 'etc', 'resolv.conf')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + '.tmp', 'w') as f:
        f.write('nameserver %s\noptions timeout:1 attempts:2\n' % address)
    os.chmod(path + '.tmp', 0o644)
    os.rename(path + '.tmp', path)
    return path


def _servfail_main(address, port):
    """Answer each query with its question and RCODE 2 (SERVFAIL)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((address, int(port)))
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    while True:
        query, peer = s.recvfrom(4096)
        if len(query) < 12 or query[2] & 0x80:
            continue
        # End of the question: its name, then type and class.
        i = 12
        while i < len(query) and query[i] != 0 and query[i] < 64:
            i += query[i] + 1
        end = i + 5
        if end > len(query):
            continue
        qdcount = 1 if query[4:6] != b'\0\0' else 0
        flags = bytes([0x80 | (query[2] & 0x79), 0x80 | 2])
        reply = (query[:2] + flags + bytes([0, qdcount]) + b'\0' * 6
                 + (query[12:end] if qdcount else b''))
        s.sendto(reply, peer)


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'servfail':
        _servfail_main(sys.argv[2], sys.argv[3])
    else:
        sys.exit('usage: dns_fixture.py servfail ADDRESS PORT')
