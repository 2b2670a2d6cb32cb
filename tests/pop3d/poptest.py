"""poptest - shared helpers for the pop3d integration tests: an installed
dromos instance that runs pop3d on 127.0.0.1:<free port> with SASL
passwords in a sasldb, test users, fresh mail per test, a raw POP3
client that returns exact reply lines, and /proc helpers for the
privilege checks.

    inst = PopInstance({'drpop1': pw1, 'drpop2': pw2})   # installed, started
    msgs = fresh(inst, 'drpop1', 2)     # empty the mailbox, deliver 2
    c = login(inst, 'drpop1', pw1)      # raw client after USER/PASS
    c.cmd('STAT')  -> '+OK 2 1234'
    inst.cleanup()

Mail is delivered the real way: smtplib -> smtpd -> cleanup -> qmgr ->
local, into ~/Maildir/new (home_mailbox = Maildir/) or into the mbox
$mail_spool_directory/USER (home_mailbox empty). Every message carries a
line that begins with ".", a line "." alone, "From here" (mbox quoting),
">From there", a 1500-octet line, 8-bit bytes and an empty last line.
"""
import base64
import grp
import os
import poplib
import pwd
import re
import secrets
import smtplib
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'lib'))
from dromos_instance import (Instance, LineClient, TOP, free_port, listening, wait_for,  # noqa: E402,F401
                             proc_status)

HOST = 'mx.example.test'
REALM = 'example.test'
MECHS = ('PLAIN', 'LOGIN', 'CRAM-MD5')
LOGIN_RE = re.compile(r'^\+OK maildrop locked and ready, (\d+) messages \((\d+) octets\)$')


def password():
    """A password unique to this run (so a search of the log means
    something); only characters that need no quoting in fetchmail's rc
    file or curl's -u."""
    return 'pw-' + secrets.token_hex(10)


def b64(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.b64encode(data).decode()


# --- the instance -----------------------------------------------------

def pop3_master_line(port, opts=''):
    return ('127.0.0.1:%d inet n n n - - pop3d %s' % (port, opts)).rstrip()


def rewrite_master_cf(path, port, extra_lines=()):
    """Put pop3d on 127.0.0.1:port: replace the line whose first two
    columns are "pop3 inet" or "#pop3 inet" (or an inet pop3d line the
    installed master.cf already moved to 127.0.0.1, see
    Instance.pop3_port) by our own; append it when there is none. The
    commented-out "#8110 inet ... pop3d" example stays as it is."""
    with open(path) as f:
        lines = f.read().split('\n')
    mine = pop3_master_line(port)
    done = False
    for n, line in enumerate(lines):
        cols = line.split()
        if len(cols) < 2 or cols[1] != 'inet':
            continue
        svc = cols[0]
        if svc in ('pop3', '#pop3') or (
                re.match(r'^127\.0\.0\.1:\d+$', svc) and len(cols) >= 8
                and cols[7] == 'pop3d'):
            if not done:
                lines[n] = mine
                done = True
            else:
                lines[n] = '#' + line if not line.startswith('#') else line
    # "# pop3 inet ..." (a space after the hash) is a comment: leave it.
    if not done:
        lines.append(mine)
    lines += list(extra_lines)
    text = '\n'.join(lines)
    if not text.endswith('\n'):
        text += '\n'
    with open(path + '.tmp', 'w') as f:
        f.write(text)
    os.rename(path + '.tmp', path)


class PopInstance(Instance):
    """An instance with pop3d on self.pop3_port (127.0.0.1) and, for
    each name in extra_ports, another pop3d service with its -o options
    on self.ports[name]. users maps user names to passwords: each is a
    system user (home under the instance root) and a sasldb entry in
    realm example.test."""

    def __init__(self, users, mbox=False, extra_ports=None, **main):
        super().__init__(hostname=HOST)
        try:
            self._init(users, mbox, extra_ports, main)
        except BaseException:
            # Nothing left behind: no master, no users, no folder.
            self.cleanup()
            raise

    def _init(self, users, mbox, extra_ports, main):
        self.passwords = dict(users)
        self.mbox = mbox
        sasl_dir = os.path.join(self.config_dir, 'sasl')
        settings = dict(queue_run_delay='1s', minimal_backoff_time='1s',
                        maximal_backoff_time='4s',
                        pop3d_auth_failure_delay='1s',
                        pop3d_sasl_local_domain=REALM,
                        cyrus_sasl_config_path=sasl_dir)
        if mbox:
            self.spool = os.path.join(self.root, 'var', 'mail')
            settings.update(home_mailbox='', mail_spool_directory=self.spool)
        else:
            self.spool = None
            settings.update(home_mailbox='Maildir/')
        settings.update(main)
        self.setup(**settings)
        if mbox:
            # Like Debian's /var/mail: root-owned, group mail, setgid,
            # 2775; local creates the mbox as root and hands it over.
            os.makedirs(self.spool, exist_ok=True)
            try:
                gid = grp.getgrnam('mail').gr_gid
                os.chown(self.spool, 0, gid)
                os.chmod(self.spool, 0o2775)
            except KeyError:
                os.chown(self.spool, 0, 0)
                os.chmod(self.spool, 0o1777)
        # SASL: our own pop3d.conf and sasldb.
        os.makedirs(sasl_dir, exist_ok=True)
        self.sasldb = os.path.join(sasl_dir, 'sasldb2')
        with open(os.path.join(sasl_dir, 'pop3d.conf'), 'w') as f:
            f.write('pwcheck_method: auxprop\n'
                    'auxprop_plugin: sasldb\n'
                    'sasldb_path: %s\n'
                    'mech_list: %s\n' % (self.sasldb, ' '.join(MECHS)))
        for name, pw in self.passwords.items():
            self.add_user(name)
            res = subprocess.run(['saslpasswd2', '-f', self.sasldb, '-c', '-p',
                                  '-u', REALM, name], input=pw.encode(),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 timeout=60)
            assert res.returncode == 0, res.stderr.decode(errors='replace')
        # master.cf: pop3d on a free port of 127.0.0.1, plus extra ports.
        self.pop3_port = free_port()
        self.ports = {'main': self.pop3_port}
        extra = []
        for name, opts in (extra_ports or {}).items():
            port = free_port()
            self.ports[name] = port
            extra.append(pop3_master_line(port, opts))
        rewrite_master_cf(os.path.join(self.config_dir, 'master.cf'),
                          self.pop3_port, extra)
        self.start()
        for name, port in self.ports.items():
            try:
                wait_for(lambda: _greets(port), timeout=15,
                         what='pop3d on port %d' % port)
            except AssertionError:
                raise AssertionError('pop3d service %s (port %d) does not greet;'
                                     ' log:\n%s' % (name, port, self.log()[-4000:]))
        wait_for(lambda: listening(self.smtp_port), timeout=15,
                 what='smtpd port')

    # --- mailboxes --------------------------------------------------
    def maildir(self, user):
        return os.path.join(self.home_base, user, 'Maildir')

    def maildir_files(self, user, sub='new'):
        d = os.path.join(self.maildir(user), sub)
        try:
            return sorted(os.path.join(d, f) for f in os.listdir(d))
        except FileNotFoundError:
            return []

    def mbox_path(self, user):
        return os.path.join(self.spool, user)

    def mbox_bytes(self, user):
        try:
            with open(self.mbox_path(user), 'rb') as f:
                return f.read()
        except FileNotFoundError:
            return b''

    def empty_mailbox(self, user):
        if self.mbox:
            p = self.mbox_path(user)
            if os.path.exists(p):
                with open(p, 'r+b') as f:
                    f.truncate(0)
        else:
            for sub in ('new', 'cur', 'tmp'):
                for p in self.maildir_files(user, sub):
                    os.unlink(p)

    def finish(self):
        """cleanup(); then fail when the log shows a password, a
        sanitizer report, a panic or a fatal error of pop3d."""
        log = self.log()
        try:
            self.cleanup()
        finally:
            self.remove_users()
        bad = [l for l in log.splitlines() if 'Sanitizer' in l
               or 'runtime error:' in l or 'panic:' in l
               or ('pop3d' in l and 'fatal:' in l)]
        assert bad == [], 'bad log lines:\n' + '\n'.join(bad)
        leaked = [s for s in SECRETS if s in log]
        assert leaked == [], 'secrets in the maillog: %r' % leaked


# Every password and credential blob a test sent (right or wrong): none
# of them may ever show up in the maillog.
SECRETS = set()


def secret(s):
    SECRETS.add(s)
    return s


def _greets(port):
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=5) as s:
            s.settimeout(5)
            data = b''
            while b'\n' not in data:
                chunk = s.recv(512)
                if not chunk:
                    break
                data += chunk
            ok = data.startswith(b'+OK')
            try:
                s.sendall(b'QUIT\r\n')
            except OSError:
                pass
            return ok
    except OSError:
        return False


# --- mail ----------------------------------------------------------------

_counter = [0]


def message(tag, rcpt):
    """The test message (CR LF form, as sent by SMTP)."""
    lines = [
        b'From: Pop Sender <sender@example.test>',
        b'To: <' + rcpt.encode() + b'>',
        b'Subject: pop3d test ' + tag,
        b'Message-ID: <' + tag + b'@example.test>',
        b'',
        b'first body line of ' + tag,
        b'.a line that begins with a dot',
        b'..two dots',
        b'.',
        b'From here the mbox writer quotes this line',
        b'>From there, already quoted once',
        b'long: ' + b'0123456789' * 150,
        b'8-bit: gr\xc3\xbc\xc3\x9fe \xe9t\xe9 \xff\x80\xa0',
        b'last text line',
        b'',
    ]
    return b'\r\n'.join(lines) + b'\r\n'


def send_mail(inst, user, tag=None):
    """Send one message to user over SMTP; returns (qid, tag)."""
    _counter[0] += 1
    if tag is None:
        tag = '%s-%d-%s' % (user, _counter[0], secrets.token_hex(4))
    rcpt = '%s@%s' % (user, HOST)
    with smtplib.SMTP('127.0.0.1', inst.smtp_port, timeout=60) as s:
        s.ehlo('client.example')
        code, text = s.mail('sender@example.test')
        assert code == 250, text
        code, text = s.rcpt(rcpt)
        assert code == 250, text
        code, text = s.data(message(tag.encode(), rcpt))
    assert code == 250, text
    m = re.search(rb'queued as ([0-9A-Za-z]+)', text)
    assert m, text
    return m.group(1).decode(), tag


def wait_delivered(inst, qid, user, timeout=30):
    pat = (re.escape(qid) + r': to=<' + re.escape(user) + r'@' +
           re.escape(HOST) + r'>.*status=sent')
    try:
        inst.wait_log(pat, timeout=timeout)
    except AssertionError:
        raise AssertionError('%s not delivered to %s; log tail:\n%s'
                             % (qid, user, inst.log()[-3000:]))


def maildir_file_for(inst, user, qid):
    needle = (' id %s' % qid).encode()
    for sub in ('new', 'cur'):
        for p in inst.maildir_files(user, sub):
            with open(p, 'rb') as f:
                data = f.read()
            if needle in data:
                return p, data
    return None


def deliver(inst, user, n=1):
    """Deliver n messages to user, one after the other (each waited
    for, so the delivery order is the message order). Returns a list
    of dicts: qid, tag, data (the message as the mailbox holds it, LF
    lines: for mbox with the "From " line, the separator and one ">"
    of >From quoting removed) and, for Maildir, path."""
    out = []
    for _ in range(n):
        qid, tag = send_mail(inst, user)
        wait_delivered(inst, qid, user)
        if inst.mbox:
            msgs = parse_mbox(inst.mbox_bytes(user))
            hits = [m for m in msgs if (' id %s' % qid).encode() in m]
            assert len(hits) == 1, (qid, len(msgs))
            out.append(dict(qid=qid, tag=tag, data=hits[0], path=None))
        else:
            got = wait_for(lambda: maildir_file_for(inst, user, qid),
                           timeout=10, what='Maildir file of %s' % qid)
            out.append(dict(qid=qid, tag=tag, path=got[0], data=got[1]))
    return out


def fresh(inst, user, n):
    """No session open for user, an empty mailbox, then n new messages."""
    wait_no_session(inst, user)
    inst.empty_mailbox(user)
    return deliver(inst, user, n)


def crlf(data):
    """The message as POP3 counts it: every LF as CR LF."""
    assert b'\r' not in data
    return data.replace(b'\n', b'\r\n')


def parse_mbox(data):
    """The messages of an mbox as pop3d must present them: without the
    "From " line, without the empty line local adds after each message,
    with one ">" removed from lines that match ^>+From ."""
    msgs = []
    cur = None
    lines = data.split(b'\n')
    if lines and lines[-1] == b'':
        lines.pop()
    prev_empty = True
    for line in lines:
        if line.startswith(b'From ') and prev_empty:
            if cur is not None:
                msgs.append(cur)
            cur = []
        elif cur is not None:
            cur.append(line)
        prev_empty = (line == b'')
    if cur is not None:
        msgs.append(cur)
    result = []
    for m in msgs:
        assert m and m[-1] == b'', 'mbox message without the separator line'
        m = m[:-1]
        m = [l[1:] if re.match(rb'^>+From ', l) else l for l in m]
        result.append(b''.join(l + b'\n' for l in m))
    return result


# --- the POP3 clients -------------------------------------------------------

class Pop(LineClient):
    """A raw POP3 client: exact reply lines, pipelining, any bytes."""

    ENCODING = 'latin-1'

    def __init__(self, port, source=None, timeout=20):
        super().__init__(port, timeout=timeout, source=source)
        self.greeting = self.line()

    def line(self):
        return self.rawline().decode('latin-1')

    def cmd(self, text):
        self.send(text + '\r\n')
        return self.line()

    def timed(self, text):
        t0 = time.monotonic()
        r = self.cmd(text)
        return r, time.monotonic() - t0

    def multi(self):
        """The rest of a multi-line reply: (lines with the dot-stuffing
        removed, lines as sent)."""
        lines, wire = [], []
        while True:
            raw = self.rawline()
            if raw == b'.':
                return lines, wire
            wire.append(raw)
            lines.append(raw[1:] if raw.startswith(b'.') else raw)

    def cmd_multi(self, text):
        first = self.cmd(text)
        if not first.startswith('+OK'):
            return first, None, None
        lines, wire = self.multi()
        return first, lines, wire

    def closed(self, timeout=10):
        """True when the server closed the connection (nothing more)."""
        self.sock.settimeout(timeout)
        try:
            return self.buf == b'' and self.sock.recv(1) == b''
        except ConnectionResetError:
            return self.buf == b''
        except socket.timeout:
            return False
        finally:
            self.sock.settimeout(self.timeout)

    def nothing_pending(self, wait=0.5):
        self.sock.settimeout(wait)
        try:
            data = self.sock.recv(1)
        except socket.timeout:
            return self.buf == b''
        finally:
            self.sock.settimeout(self.timeout)
        self.buf += data
        return False

    def quit(self):
        """QUIT, then wait for the server to close; returns the reply."""
        r = self.cmd('QUIT')
        self.closed(10)
        self.close()
        return r

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def login(inst, user, pw, source=None, port=None, timeout=10):
    """A raw session after USER/PASS. A mailbox still locked by the
    session a test just ended (-ERR [IN-USE]) is retried for a few
    seconds."""
    deadline = time.monotonic() + timeout
    while True:
        c = Pop(port or inst.pop3_port, source=source)
        assert c.greeting.startswith('+OK'), c.greeting
        r = c.cmd('USER ' + user)
        assert r == '+OK send PASS', r
        r = c.cmd('PASS ' + pw)
        if LOGIN_RE.match(r):
            c.login_reply = r
            return c
        c.close()
        if r.startswith('-ERR [IN-USE]') and time.monotonic() < deadline:
            time.sleep(0.2)
            continue
        raise AssertionError('login %s: %r' % (user, r))


class POP3From(poplib.POP3):
    """poplib.POP3 from a chosen source address."""

    def __init__(self, host, port, source=None, timeout=20):
        self._source = source
        super().__init__(host, port, timeout)

    def _create_socket(self, timeout):
        return socket.create_connection(
            (self.host, self.port), timeout,
            source_address=(self._source, 0) if self._source else None)


def poplib_login(inst, user, pw, source=None, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        p = POP3From('127.0.0.1', inst.pop3_port, source=source)
        p.user(user)
        try:
            p.pass_(pw)
            return p
        except poplib.error_proto as e:
            p.close()
            if b'[IN-USE]' in e.args[0] and time.monotonic() < deadline:
                time.sleep(0.2)
                continue
            raise


# --- processes -----------------------------------------------------------------

def _stat_ppid(pid):
    try:
        with open('/proc/%d/stat' % pid, 'rb') as f:
            data = f.read()
    except OSError:
        return None
    rest = data[data.rfind(b')') + 2:].split()
    if rest[0] == b'Z':
        return None
    return int(rest[1])


def descendants(root):
    """PIDs below root (not zombies), by walking /proc's parent links."""
    parent = {}
    for d in os.listdir('/proc'):
        if d.isdigit():
            pp = _stat_ppid(int(d))
            if pp is not None:
                parent[int(d)] = pp
    found = set()
    for pid in parent:
        p, seen = pid, 0
        while p in parent and seen < 64:
            p = parent[p]
            seen += 1
            if p == root:
                found.add(pid)
                break
    return sorted(found)


def comm(pid):
    try:
        with open('/proc/%d/comm' % pid) as f:
            return f.read().strip()
    except OSError:
        return None


def ids(pid, key='Uid'):
    """[real, effective, saved, fs] from /proc/PID/status."""
    st = proc_status(pid)
    if st is None or key not in st:
        return None
    return [int(x) for x in st[key].split()]


def groups(pid):
    st = proc_status(pid)
    if st is None:
        return None
    return [int(x) for x in st.get('Groups', '').split()]


def procs_named(inst, name):
    if not inst.master_pid:
        return []
    return [p for p in descendants(inst.master_pid) if comm(p) == name]


def wait_no_session(inst, user, timeout=10):
    """Wait until no pop3d-user process runs as user (a session a
    previous test dropped may still be finishing)."""
    uid = pwd.getpwnam(user).pw_uid

    def none_left():
        for p in procs_named(inst, 'pop3d-user'):
            u = ids(p)
            if u and uid in u:
                return False
        return True
    wait_for(none_left, timeout=timeout, what='no pop3d session of %s' % user)
