"""dromos_instance - a whole dromos instance under a temporary root, for
integration tests.

    inst = Instance()            # make install DESTDIR=<tmp>, paths pointed
    inst.setup()                 # into the temporary root, post-install
    inst.set_main(max_use='2')   # dromconf -e
    inst.write_master_cf([...])  # extra master.cf lines after the defaults
    inst.start()                 # dromos start (master detaches, -w)
    ...
    inst.stop()                  # dromos stop; then make sure nothing is left

Instance(hostname, netns=NAME) runs the instance inside the network
namespace NAME (made by the caller, e.g. tests/lib/lab.py): master and
the dromos command run under "ip netns exec NAME", and master.cf's smtp
service stays on port 25 (smtp_port = 25; set inet_interfaces to the
namespace's address).

Everything it starts runs as real processes: the installed master, the real
dromos user made by post-install, real sockets on 127.0.0.1. It kills only
processes it can prove belong to this instance (children of its master).
"""

import atexit
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
BIN = os.path.join(TOP, 'bin')


_given_ports = set()


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago and that this
    process has not handed out before: the kernel may offer the same
    free port twice in a row, and an instance takes its ports (smtp,
    pop3, extra services) only when it starts."""
    for _ in range(1000):
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            port = s.getsockname()[1]
        if port not in _given_ports:
            _given_ports.add(port)
            return port
    raise AssertionError('no free port that was not handed out before')


_world_dir = None


def world_copy(path):
    """A copy of the built program path that any user may run, for tests
    that run programs as an unprivileged user: the build tree itself may
    be unreachable for them (a clone under /root, mode 0700). The copies
    live in one temporary folder (mode 0755) removed at exit."""
    global _world_dir
    if _world_dir is None:
        import atexit
        _world_dir = tempfile.mkdtemp(prefix='dromos-bin-')
        os.chmod(_world_dir, 0o755)
        atexit.register(shutil.rmtree, _world_dir, True)
    dst = os.path.join(_world_dir, os.path.basename(path))
    if not os.path.exists(dst) or os.path.getmtime(dst) < os.path.getmtime(path):
        shutil.copy2(path, dst + '.tmp')
        os.chmod(dst + '.tmp', 0o755)
        os.rename(dst + '.tmp', dst)
    return dst


def run(argv, check=True, **kw):
    """Run argv; return CompletedProcess with text output."""
    res = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, timeout=kw.pop('timeout', 120), **kw)
    if check and res.returncode != 0:
        raise AssertionError('%s failed (%d):\n%s%s' % (
            ' '.join(argv), res.returncode, res.stdout, res.stderr))
    return res


def proc_status(pid):
    """/proc/PID/status as a dict, or None when the process is gone."""
    try:
        with open('/proc/%d/status' % pid) as f:
            return dict(line.rstrip('\n').split(':\t', 1) for line in f
                        if ':\t' in line)
    except (FileNotFoundError, ProcessLookupError):
        return None


def children_of(pid):
    """PIDs whose parent is pid (zombies left out)."""
    kids = []
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        st = proc_status(int(d))
        if st and st.get('PPid') == str(pid) and not st.get('State', '').startswith('Z'):
            kids.append(int(d))
    return kids


def wait_for(pred, timeout=10.0, interval=0.05, what='condition'):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        val = pred()
        if val:
            return val
        time.sleep(interval)
    raise AssertionError('timed out after %.1fs waiting for %s' % (timeout, what))


class Instance:
    def __init__(self, hostname='mx.example.test', netns=None):
        self.netns = netns
        self.root = tempfile.mkdtemp(prefix='dromos-test-')
        os.chmod(self.root, 0o755)
        self.hostname = hostname
        self.config_dir = os.path.join(self.root, 'etc', 'dromos')
        self.master_pid = None
        self.started = False
        self.users = []
        self.home_base = os.path.join(self.root, 'home')

    # --- installation -------------------------------------------------
    def default(self, name):
        return run([os.path.join(BIN, 'dromconf'), '-d', '-h', name]).stdout.strip()

    def setup(self, **main):
        run(['make', '-s', '-C', TOP, 'install', 'DESTDIR=' + self.root],
            timeout=600)
        self.queue_dir = self.root + self.default('queue_directory')
        self.daemon_dir = self.root + self.default('daemon_directory')
        self.command_dir = self.root + self.default('command_directory')
        self.data_dir = self.root + self.default('data_directory')
        self.maillog = os.path.join(self.root, 'var', 'log', 'dromos.log')
        os.makedirs(os.path.dirname(self.maillog), exist_ok=True)
        settings = dict(queue_directory=self.queue_dir,
                        daemon_directory=self.daemon_dir,
                        command_directory=self.command_dir,
                        data_directory=self.data_dir,
                        maillog_file=self.maillog,
                        myhostname=self.hostname,
                        inet_interfaces='127.0.0.1',
                        service_backoff_time='1s',
                        service_throttle_time='4s')
        settings.update(main)
        self.set_main(**settings)
        if self.netns:
            self.smtp_port = 25
        else:
            self.use_test_smtp_port()
        env = dict(os.environ)
        env['PATH'] = self.command_dir + ':' + env.get('PATH', '/usr/bin:/bin')
        run([os.path.join(self.daemon_dir, 'post-install'),
             '-c', self.config_dir], env=env)
        return self

    def use_test_smtp_port(self):
        """Move the installed master.cf's smtp service (port 25) and pop3
        service (port 110) to free ports on 127.0.0.1, kept in
        self.smtp_port and self.pop3_port, so tests never need or take
        the real ports."""
        self.smtp_port = free_port()
        self.pop3_port = free_port()
        path = os.path.join(self.config_dir, 'master.cf')
        with open(path) as f:
            lines = f.read().split('\n')
        for n, line in enumerate(lines):
            lines[n] = self.test_port_line(line)
        with open(path + '.tmp', 'w') as f:
            f.write('\n'.join(lines))
        os.rename(path + '.tmp', path)

    def test_port_line(self, line):
        """A master.cf line with the smtp service (port 25) moved to
        127.0.0.1:smtp_port and the pop3 service (port 110) to
        127.0.0.1:pop3_port."""
        cols = line.split()
        if len(cols) > 1 and cols[1] == 'inet':
            if cols[0] == 'smtp':
                return line.replace('smtp', '127.0.0.1:%d' % self.smtp_port, 1)
            if cols[0] == 'pop3':
                return line.replace('pop3', '127.0.0.1:%d' % self.pop3_port, 1)
        return line

    # --- test users ---------------------------------------------------
    def add_user(self, name, home_mode=0o700):
        """A real system user with a home under the instance root; removed
        again by remove_users() and cleanup()."""
        subprocess.run(['userdel', name], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        os.makedirs(self.home_base, mode=0o755, exist_ok=True)
        home = os.path.join(self.home_base, name)
        nologin = '/usr/sbin/nologin' if os.path.exists('/usr/sbin/nologin') else '/bin/false'
        subprocess.run(['useradd', '--user-group', '--no-create-home',
                        '--home-dir', home, '--shell', nologin, name], check=True)
        self.users.append(name)
        pw = pwd.getpwnam(name)
        os.makedirs(home, mode=home_mode, exist_ok=True)
        os.chown(home, pw.pw_uid, pw.pw_gid)
        os.chmod(home, home_mode)
        return pw

    def remove_users(self):
        for u in self.users:
            subprocess.run(['userdel', u], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        self.users = []

    def dromconf(self, *args, check=True):
        return run([os.path.join(self.command_dir, 'dromconf'),
                    '-c', self.config_dir] + list(args), check=check)

    def netns_argv(self, argv):
        """argv, run inside the instance's network namespace if it has one."""
        if self.netns:
            return ['ip', 'netns', 'exec', self.netns] + list(argv)
        return list(argv)

    def dromos(self, *args, check=True, timeout=60):
        return run(self.netns_argv([os.path.join(self.command_dir, 'dromos'),
                                    '-c', self.config_dir] + list(args)),
                   check=check, timeout=timeout)

    def set_main(self, **kw):
        if kw:
            self.dromconf('-e', *['%s=%s' % kv for kv in kw.items()])

    def write_master_cf(self, lines, keep_defaults=True):
        """Replace master.cf: the installed default services (when
        keep_defaults) followed by lines."""
        path = os.path.join(self.config_dir, 'master.cf')
        base = ''
        if keep_defaults:
            with open(os.path.join(TOP, 'conf', 'master.cf')) as f:
                base = f.read()
            if not self.netns:
                base = '\n'.join(self.test_port_line(l)
                                 for l in base.split('\n'))
        with open(path + '.tmp', 'w') as f:
            f.write(base + ''.join(l + '\n' for l in lines))
        os.rename(path + '.tmp', path)

    # --- running ------------------------------------------------------
    def pidfile(self):
        return os.path.join(self.queue_dir, 'pid', 'master.pid')

    def read_master_pid(self):
        try:
            with open(self.pidfile()) as f:
                return int(f.read().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None

    def start(self):
        res = self.dromos('start')
        self.started = True
        # A fixture that fails after this point (or a test run that is
        # interrupted) must not leave this instance running: stop it when
        # the test process exits, whatever happened.
        if not getattr(self, '_atexit', False):
            atexit.register(self._stop_at_exit)
            self._atexit = True
        self.master_pid = wait_for(self.read_master_pid, what='master pid file')
        wait_for(lambda: proc_status(self.master_pid), what='master running')
        return res

    def _stop_at_exit(self):
        try:
            self.stop()
        except Exception:
            pass

    def children(self):
        return children_of(self.master_pid) if self.master_pid else []

    RELOADED = re.compile(r'dromos/master\[\d+\]: (reload -- |warning: configuration '
                          r'(not reloaded|changed while reloading))')

    def reload(self, wait=True):
        """dromos reload; with wait, return once master has acted on it
        (its "reload --" line or a refusal is in the log): from then on new
        connections and queue triggers reach the new processes."""
        before = len(self.RELOADED.findall(self.log()))
        res = self.dromos('reload')
        if wait and self.started:
            wait_for(lambda: len(self.RELOADED.findall(self.log())) > before,
                     timeout=30, what='master to log the reload')
        return res

    def stop(self):
        if not self.started:
            return
        pid = self.master_pid
        kids = self.children()
        self.dromos('stop', check=False)
        self.started = False
        if pid:
            try:
                wait_for(lambda: proc_status(pid) is None or
                         proc_status(pid).get('State', '').startswith('Z'),
                         timeout=30, what='master to exit')
            finally:
                # Only our own processes, by PID: the master and its children.
                for p in [pid] + kids:
                    if proc_status(p) is not None:
                        try:
                            os.kill(p, signal.SIGKILL)
                        except ProcessLookupError:
                            pass

    def log(self):
        try:
            with open(self.maillog, errors='replace') as f:
                return f.read()
        except FileNotFoundError:
            return ''

    def wait_log(self, pattern, timeout=10.0):
        rx = re.compile(pattern)
        return wait_for(lambda: rx.search(self.log()), timeout=timeout,
                        what='log line /%s/\n--- log so far:\n%s' % (pattern, self.log()))

    def cleanup(self):
        self.stop()
        self.remove_users()
        shutil.rmtree(self.root, ignore_errors=True)



def listening(port, addr='127.0.0.1', timeout=2):
    """True when something accepts TCP connections on addr:port."""
    try:
        socket.create_connection((addr, port), timeout=timeout).close()
        return True
    except OSError:
        return False

class LineClient:
    """A raw client of a CR LF line protocol (SMTP, POP3): the connection
    from an optional source address, sending text or any bytes, reading
    exact lines. Subclasses set ENCODING for str data and add the
    protocol's replies."""

    ENCODING = 'utf-8'

    def __init__(self, port, timeout=20, source=None):
        self.timeout = timeout
        self.sock = socket.create_connection(
            ('127.0.0.1', port), timeout=timeout,
            source_address=(source, 0) if source else None)
        self.buf = b''

    def send(self, data):
        if isinstance(data, str):
            data = data.encode(self.ENCODING)
        self.sock.sendall(data)

    def rawline(self):
        """One line as bytes, without its CR LF (which must be there)."""
        while b'\n' not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError('connection closed; partial: %r' % self.buf)
            self.buf += chunk
        line, self.buf = self.buf.split(b'\n', 1)
        assert line.endswith(b'\r'), 'line without CR LF: %r' % line
        return line[:-1]
