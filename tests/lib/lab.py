"""lab - the dromos test lab: several mail hosts, each in its own network
namespace, on one bridge, with a real DNS server serving the test zones.
Used by the tests in tests/lab/ and by auxiliary/dromos-lab (by hand).

    from lab import Lab

    with Lab(main=dict(queue_run_delay='1s')) as lab:
        qid = lab.send('crepes', 'alice@crepes.test', ['bob@hamburger.test'],
                       'Subject: hi\\r\\n\\r\\nhello\\r\\n')['qid']
        lab.wait_log('crepes', qid + r': removed')
        print(lab.mailbox('hamburger', 'bob'))

Topology (192.0.2.0/24 is TEST-NET-1, a documentation range):

    host       namespace              address      runs
    dns        dromos-lab-ID-dns      192.0.2.53   dnsmasq (the zones below)
    crepes     dromos-lab-ID-crepes   192.0.2.10   dromos, mail.crepes.test
    hamburger  dromos-lab-ID-hamburger 192.0.2.20  dromos, mx.hamburger.test
    backup     dromos-lab-ID-backup   192.0.2.30   dromos, backup.hamburger.test

Every host namespace has lo up and a veth "eth0" whose other end is on
the bridge "dromos-ID" in a namespace of its own, dromos-lab-ID-switch:
nothing is added to the host's own network. /etc/netns/NS/resolv.conf
of every namespace points at 192.0.2.53.

DNS: crepes.test MX 10 mail.crepes.test; hamburger.test MX 10
mx.hamburger.test and MX 20 backup.hamburger.test; the hosts' A records
(ns.lab.test for the DNS host); nullmx.test a null MX (RFC 7505);
amx.test only an A record (hamburger's address).

Mail: crepes is the final destination of crepes.test (user alice),
hamburger of hamburger.test and amx.test (user bob); backup relays
hamburger.test (relay_domains, no mailbox of its own). Each host's
mynetworks is 127.0.0.0/8 and its own address, so a host's own users may
relay through it. Mailbox users are aliases of system users made for
the lab (dlID-alice, ...) with homes under the lab's folder; mailbox()
reads their Maildir.

Lab(main=None, hosts=None, lab_id=None)
    main     extra main.cf parameters for every host (test speed-ups).
    hosts    which dromos hosts to make (default all three).
    .up() (also by "with") builds everything; on any failure it removes
    what it made and raises LabError. .down() removes everything it made:
    dromos instances, other processes (by PID), DNS, namespaces (and so
    the bridge and veths), /etc/netns folders, users, temporary folders.
    Safe to call twice and after a failed up().

    .stop_host(h) / .start_host(h), .stop_dns() / .start_dns(),
    .inst[h] the host's dromos_instance.Instance, .log(h), .wait_log(h,
    pattern, timeout), .flush(h), .send(...), .mailbox(h, user),
    .read_mail(h, user), .popen(h, argv) (a process in the namespace,
    stopped by down()), .argv(h, cmd), .save(path) / Lab.load(path) (the
    state of a running lab, for the dromos-lab command).

Needs root, iproute2 (ip) and dnsmasq (dnsmasq-base); without them
up() raises LabError saying what is missing.
"""

import atexit
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dromos_instance import Instance, proc_status, wait_for  # noqa: E402
from dns_fixture import DnsServer, DNSMASQ, _stop_pid  # noqa: E402

NET = '192.0.2'
DNS_ADDR = NET + '.53'
PREFIXLEN = 24

# name: (address, FQDN, mail domains it is final for, relay_domains, users)
HOSTS = {
    'crepes': (NET + '.10', 'mail.crepes.test', ['crepes.test'], [],
               ['alice']),
    'hamburger': (NET + '.20', 'mx.hamburger.test',
                  ['hamburger.test', 'amx.test'], [], ['bob']),
    'backup': (NET + '.30', 'backup.hamburger.test', [], ['hamburger.test'],
               []),
}
HOST_ORDER = ['crepes', 'hamburger', 'backup']

RECORDS = [
    ('MX', 'crepes.test', 10, 'mail.crepes.test'),
    ('MX', 'hamburger.test', 10, 'mx.hamburger.test'),
    ('MX', 'hamburger.test', 20, 'backup.hamburger.test'),
    ('A', 'mail.crepes.test', HOSTS['crepes'][0]),
    ('A', 'mx.hamburger.test', HOSTS['hamburger'][0]),
    ('A', 'backup.hamburger.test', HOSTS['backup'][0]),
    ('A', 'ns.lab.test', DNS_ADDR),
    ('MX', 'nullmx.test', 0, '.'),
    ('A', 'amx.test', HOSTS['hamburger'][0]),
]

RESOLV_CONF = 'nameserver %s\noptions timeout:1 attempts:2\n' % DNS_ADDR

SEND_HELPER = r'''
import json, smtplib, sys
a = json.load(sys.stdin)
out = {'rcpts': [], 'code': None, 'text': '', 'qid': None}
with smtplib.SMTP(a['addr'], 25, timeout=60) as s:
    s.ehlo(a['helo'])
    code, text = s.mail(a['sender'], a['mail_options'])
    out['mail'] = [code, text.decode('utf-8', 'replace')]
    ok = 0
    if code == 250:
        for r in a['rcpts']:
            c, t = s.rcpt(r, a['rcpt_options'])
            out['rcpts'].append([r, c, t.decode('utf-8', 'replace')])
            ok += c in (250, 251)
    if ok:
        code, text = s.data(a['msg'].encode('utf-8'))
        out['code'] = code
        out['text'] = text.decode('utf-8', 'replace')
        if code == 250 and 'queued as ' in out['text']:
            out['qid'] = out['text'].split('queued as ')[1].split()[0]
    else:
        s.rset()
json.dump(out, sys.stdout)
'''


class LabError(Exception):
    """The lab cannot be built here (the message says why)."""


def _run(argv, check=True, timeout=30):
    res = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, timeout=timeout)
    if check and res.returncode != 0:
        raise LabError('lab: %s failed (%d): %s' % (
            ' '.join(argv), res.returncode, (res.stderr or res.stdout).strip()))
    return res


class _PidProc:
    """Enough of Popen (poll, send_signal, wait, kill) for a process known
    only by its PID (a lab loaded from its state file)."""

    def __init__(self, pid, mark=None):
        self.pid = pid
        self.mark = mark

    def _alive(self):
        st = proc_status(self.pid)
        if st is None or st.get('State', '').startswith('Z'):
            return False
        if self.mark:
            try:
                with open('/proc/%d/cmdline' % self.pid, 'rb') as f:
                    return self.mark.encode() in f.read()
            except OSError:
                return False
        return True

    def poll(self):
        return None if self._alive() else 0

    def send_signal(self, sig):
        if self._alive():
            os.kill(self.pid, sig)

    def wait(self, timeout=None):
        deadline = time.monotonic() + (timeout or 10)
        while self._alive():
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired('pid %d' % self.pid, timeout)
            time.sleep(0.05)
        return 0

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def terminate(self):
        self.send_signal(signal.SIGTERM)


class Lab:
    def __init__(self, main=None, hosts=None, lab_id=None):
        self.id = lab_id or os.urandom(3).hex()
        self.main = dict(main or {})
        self.hosts = list(hosts or HOST_ORDER)
        self.switch = 'dromos-lab-%s-switch' % self.id
        self.bridge = 'dromos-%s' % self.id
        self.dir = None
        self.namespaces = []        # made by us, in order
        self.users = []             # system users made by us
        self.inst = {}
        self.dns = None
        self.procs = []             # other processes started in namespaces
        self._atexit = False

    # --- names --------------------------------------------------------
    def ns(self, host):
        return 'dromos-lab-%s-%s' % (self.id, host)

    def addr(self, host):
        return DNS_ADDR if host == 'dns' else HOSTS[host][0]

    def fqdn(self, host):
        return 'ns.lab.test' if host == 'dns' else HOSTS[host][1]

    def sysuser(self, user):
        return 'dl%s-%s' % (self.id, user)

    def argv(self, host, cmd):
        return ['ip', 'netns', 'exec', self.ns(host)] + list(cmd)

    # --- building -----------------------------------------------------
    @staticmethod
    def check_prerequisites():
        if os.geteuid() != 0:
            raise LabError('lab: needs root (network namespaces, port 25, '
                           'users)')
        for prog, pkg in (('ip', 'iproute2'), (DNSMASQ, 'dnsmasq-base')):
            if not shutil.which(prog):
                raise LabError('lab: %s is missing (Debian package %s; '
                               'auxiliary/install-deps installs it)'
                               % (prog, pkg))

    def up(self):
        self.check_prerequisites()
        if not self._atexit:
            atexit.register(self._down_at_exit)
            self._atexit = True
        try:
            self.dir = tempfile.mkdtemp(prefix='dromos-lab-%s-' % self.id)
            os.chmod(self.dir, 0o755)
            self._make_network()
            self.start_dns()
            for h in self.hosts:
                self._make_host(h)
            for h in self.hosts:
                self.start_host(h)
        except BaseException as e:
            self.down()
            if isinstance(e, (LabError, KeyboardInterrupt)):
                raise
            raise LabError('lab: cannot build the lab: %s' % e) from e
        return self

    def _add_ns(self, name):
        _run(['ip', 'netns', 'add', name])
        self.namespaces.append(name)
        _run(['ip', '-n', name, 'link', 'set', 'lo', 'up'])
        etc = os.path.join('/etc/netns', name)
        os.makedirs(etc, exist_ok=True)
        with open(os.path.join(etc, 'resolv.conf'), 'w') as f:
            f.write(RESOLV_CONF)

    def _make_network(self):
        try:
            self._add_ns(self.switch)
            _run(['ip', '-n', self.switch, 'link', 'add', self.bridge,
                  'type', 'bridge'])
        except LabError as e:
            raise LabError('lab: cannot make a namespace and a bridge '
                           '(kernel without netns or bridge support?): %s'
                           % e)
        _run(['ip', '-n', self.switch, 'link', 'set', self.bridge, 'up'])
        for h in ['dns'] + self.hosts:
            ns = self.ns(h)
            self._add_ns(ns)
            port = 'v-' + h
            _run(['ip', '-n', self.switch, 'link', 'add', port, 'type', 'veth',
                  'peer', 'name', 'eth0', 'netns', ns])
            _run(['ip', '-n', self.switch, 'link', 'set', port, 'master',
                  self.bridge])
            _run(['ip', '-n', self.switch, 'link', 'set', port, 'up'])
            _run(['ip', '-n', ns, 'addr', 'add',
                  '%s/%d' % (self.addr(h), PREFIXLEN), 'dev', 'eth0'])
            _run(['ip', '-n', ns, 'link', 'set', 'eth0', 'up'])

    def _make_user(self, user):
        name = self.sysuser(user)
        try:
            pwd.getpwnam(name)
            raise LabError('lab: user %s exists already' % name)
        except KeyError:
            pass
        home = os.path.join(self.dir, 'home', name)
        os.makedirs(os.path.dirname(home), mode=0o755, exist_ok=True)
        nologin = ('/usr/sbin/nologin' if os.path.exists('/usr/sbin/nologin')
                   else '/bin/false')
        _run(['useradd', '--user-group', '--no-create-home', '--home-dir',
              home, '--shell', nologin, name])
        self.users.append(name)
        pw = pwd.getpwnam(name)
        os.makedirs(home, mode=0o700, exist_ok=True)
        os.chown(home, pw.pw_uid, pw.pw_gid)
        return name

    def _make_host(self, h):
        addr, fqdn, domains, relay, users = HOSTS[h]
        aliases = ['%s=%s' % (u, self._make_user(u)) for u in users]
        inst = Instance(hostname=fqdn, netns=self.ns(h))
        self.inst[h] = inst
        mydomain = (domains or relay)[0]
        settings = dict(
            inet_interfaces=addr,
            myhostname=fqdn,
            mydomain=mydomain,
            myorigin='$mydomain',
            mydestination=', '.join(['$myhostname', 'localhost'] + domains),
            relay_domains=', '.join(relay),
            mynetworks='127.0.0.0/8, %s/32' % addr,
            alias_maps=('inline:{ %s }' % ', '.join(aliases)) if aliases
            else '',
            alias_database='')
        settings.update(self.main)
        inst.setup(**settings)

    # --- processes ----------------------------------------------------
    def _register(self):
        if not self._atexit:
            atexit.register(self._down_at_exit)
            self._atexit = True

    def start_host(self, h):
        inst = self.inst[h]
        inst.start()
        wait_for(lambda: self._listening(h), timeout=20,
                 what='%s smtpd on %s:25' % (h, self.addr(h)))

    def stop_host(self, h):
        self.inst[h].stop()

    def _listening(self, h, port=25):
        res = subprocess.run(self.argv(h, [
            sys.executable, '-c',
            'import socket,sys\ntry:\n socket.create_connection((%r, %d), '
            'timeout=1).close()\nexcept OSError:\n sys.exit(1)'
            % (self.addr(h), port)]), timeout=15,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return res.returncode == 0

    def listening(self, h, port=25):
        return self._listening(h, port)

    def start_dns(self):
        self.dns = DnsServer(RECORDS, address=DNS_ADDR, netns=self.ns('dns'))
        self.dns.start()

    def stop_dns(self):
        if self.dns:
            self.dns.stop()

    def popen(self, h, cmd, **kw):
        """A process inside host h's namespace; down() stops it."""
        kw.setdefault('stdin', subprocess.DEVNULL)
        p = subprocess.Popen(self.argv(h, cmd), **kw)
        self.procs.append(p)
        return p

    def stop_proc(self, p):
        _stop_pid(p, 10)
        if p in self.procs:
            self.procs.remove(p)

    # --- using it -----------------------------------------------------
    def log(self, h):
        return self.inst[h].log()

    def wait_log(self, h, pattern, timeout=30.0):
        return self.inst[h].wait_log(pattern, timeout=timeout)

    def flush(self, h):
        return self.inst[h].dromos('flush')

    def send(self, from_host, sender, rcpts, msg, mail_options=(),
             rcpt_options=(), check=True):
        """Submit msg over SMTP to from_host's own dromos (port 25 on its
        address), from inside its namespace. Returns a dict: qid, code,
        text (the DATA reply), rcpts ([address, code, text] each), mail.
        With check, a refused recipient or DATA is an AssertionError."""
        if isinstance(rcpts, str):
            rcpts = [rcpts]
        if isinstance(msg, bytes):
            msg = msg.decode('utf-8')
        args = dict(addr=self.addr(from_host), helo=self.fqdn(from_host),
                    sender=sender, rcpts=list(rcpts), msg=msg,
                    mail_options=list(mail_options),
                    rcpt_options=list(rcpt_options))
        res = subprocess.run(self.argv(from_host, [sys.executable, '-c',
                                                   SEND_HELPER]),
                             input=json.dumps(args), text=True, timeout=120,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if res.returncode != 0:
            raise AssertionError('lab: send from %s failed: %s'
                                 % (from_host, res.stderr))
        out = json.loads(res.stdout)
        if check:
            assert all(c in (250, 251) for _, c, _ in out['rcpts']), out
            assert out['code'] == 250 and out['qid'], out
        return out

    def maildir(self, h, user):
        home = os.path.join(self.dir, 'home', self.sysuser(user))
        return os.path.join(home, 'Maildir')

    def mailbox(self, h, user):
        """Paths of the messages delivered to user's Maildir on host h
        (new/ and cur/), oldest first."""
        if user not in HOSTS[h][4]:
            return []
        md = self.maildir(h, user)
        paths = []
        for sub in ('new', 'cur'):
            d = os.path.join(md, sub)
            try:
                paths += [os.path.join(d, f) for f in os.listdir(d)]
            except FileNotFoundError:
                pass
        return sorted(paths, key=lambda p: (os.path.getmtime(p), p))

    def read_mail(self, h, user):
        """The delivered messages (bytes), oldest first."""
        out = []
        for p in self.mailbox(h, user):
            with open(p, 'rb') as f:
                out.append(f.read())
        return out

    def clear_mailbox(self, h, user):
        for p in self.mailbox(h, user):
            os.unlink(p)

    # --- teardown -----------------------------------------------------
    def _down_at_exit(self):
        try:
            self.down()
        except Exception:
            pass

    def down(self):
        for h, inst in list(self.inst.items()):
            try:
                inst.stop()
            except Exception:
                pass
        for p in self.procs:
            try:
                _stop_pid(p, 10)
            except Exception:
                pass
        self.procs = []
        try:
            self.stop_dns()
        except Exception:
            pass
        for name in reversed(self.namespaces):
            subprocess.run(['ip', 'netns', 'del', name], timeout=30,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            shutil.rmtree(os.path.join('/etc/netns', name), ignore_errors=True)
        self.namespaces = []
        try:
            os.rmdir('/etc/netns')
        except OSError:
            pass
        for u in self.users:
            subprocess.run(['userdel', u], timeout=30,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.users = []
        for inst in self.inst.values():
            shutil.rmtree(inst.root, ignore_errors=True)
        self.inst = {}
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self):
        return self.up()

    def __exit__(self, *exc):
        self.down()

    # --- state, for auxiliary/dromos-lab -------------------------------
    def detach(self):
        """Leave the lab running when this process exits (dromos-lab up)."""
        if self._atexit:
            atexit.unregister(self._down_at_exit)
            self._atexit = False
        for inst in self.inst.values():
            atexit.unregister(inst._stop_at_exit)
            inst._atexit = False

    INST_FIELDS = ('root', 'hostname', 'netns', 'config_dir', 'queue_dir',
                   'daemon_dir', 'command_dir', 'data_dir', 'maillog',
                   'home_base', 'smtp_port', 'master_pid', 'started')

    def save(self, path):
        state = dict(id=self.id, main=self.main, hosts=self.hosts,
                     dir=self.dir, namespaces=self.namespaces,
                     users=self.users,
                     dns=dict(pid=self.dns.pid, dir=self.dns.dir)
                     if self.dns and self.dns.proc else None,
                     inst={h: {k: getattr(i, k, None)
                               for k in self.INST_FIELDS}
                           for h, i in self.inst.items()})
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path + '.tmp', 'w') as f:
            json.dump(state, f, indent=1)
        os.rename(path + '.tmp', path)

    @classmethod
    def load(cls, path):
        with open(path) as f:
            st = json.load(f)
        lab = cls(main=st['main'], hosts=st['hosts'], lab_id=st['id'])
        lab.dir = st['dir']
        lab.namespaces = st['namespaces']
        lab.users = st['users']
        for h, fields in st['inst'].items():
            inst = Instance.__new__(Instance)
            inst.users = []
            for k, v in fields.items():
                setattr(inst, k, v)
            lab.inst[h] = inst
        lab.dns = DnsServer(RECORDS, address=DNS_ADDR, netns=lab.ns('dns'))
        if st['dns']:
            lab.dns.dir = st['dns']['dir']
            lab.dns.proc = _PidProc(st['dns']['pid'], mark=lab.dns.dir)
        return lab

    def status(self):
        """One line per host: namespace, address, what runs."""
        lines = ['lab %s: switch %s, bridge %s, folder %s'
                 % (self.id, self.switch, self.bridge, self.dir)]
        dns_up = bool(self.dns and self.dns.proc
                      and self.dns.proc.poll() is None)
        lines.append('%-10s %-16s %-28s dnsmasq %s' % (
            'dns', DNS_ADDR, self.ns('dns'), 'running' if dns_up else 'stopped'))
        for h in self.hosts:
            inst = self.inst.get(h)
            pid = inst.read_master_pid() if inst else None
            running = bool(pid and proc_status(pid))
            lines.append('%-10s %-16s %-28s dromos %s (%s, log %s)' % (
                h, self.addr(h), self.ns(h),
                'running' if running else 'stopped', self.fqdn(h),
                inst.maillog if inst else '-'))
        return '\n'.join(lines)


def qid_of(out):
    return out['qid']


def headers(data, name):
    """The values of header name in a message (bytes), unfolded."""
    head = data.split(b'\n\n', 1)[0].split(b'\r\n\r\n', 1)[0]
    text = re.sub(r'\r?\n[ \t]+', ' ', head.decode('utf-8', 'replace'))
    return [l.split(':', 1)[1].strip() for l in text.splitlines()
            if l.lower().startswith(name.lower() + ':')]
