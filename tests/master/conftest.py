"""Fixtures for the master integration tests: a minimal dromos instance
under a temporary root that runs the real master from libexec/ with the
test service tests/master/testsvc.

This is deliberately smaller than tests/lib/dromos_instance.py (which
installs the whole tree with make install and post-install): it needs only
master, testsvc and, when it has been built, logd. It creates the
mail_owner account (dromos) the way post-install does when it is missing.
Every process it starts is tracked by PID; clean-up ends only processes
whose command line names this instance's temporary root.
"""
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from dromos_instance import children_of, free_port, proc_status, wait_for  # noqa: E402,F401

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
LIBEXEC = os.path.join(TOP, 'libexec')
MASTER = os.path.join(LIBEXEC, 'master')
LOGD = os.path.join(LIBEXEC, 'logd')
TESTSVC = os.path.join(TOP, 'tests', 'master', 'testsvc')
MAIL_OWNER = 'dromos'


def alive(pid):
    st = proc_status(pid)
    return st is not None and not st.get('State', '').startswith('Z')


def cmdline(pid):
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            return f.read().replace(b'\0', b' ').decode(errors='replace')
    except (FileNotFoundError, ProcessLookupError):
        return ''


def ensure_mail_owner():
    try:
        return pwd.getpwnam(MAIL_OWNER)
    except KeyError:
        nologin = '/usr/sbin/nologin' if os.path.exists('/usr/sbin/nologin') else '/bin/false'
        subprocess.run(['useradd', '--system', '--user-group', '--no-create-home',
                        '--home-dir', '/nonexistent', '--shell', nologin,
                        '--comment', 'dromos mail system', MAIL_OWNER], check=True)
        return pwd.getpwnam(MAIL_OWNER)


def talk(port, lines=('whoami',), timeout=15.0):
    """Connect, send lines (then quit), return the reply lines."""
    with socket.create_connection(('127.0.0.1', port), timeout=timeout) as s:
        s.sendall(''.join(l + '\n' for l in list(lines) + ['quit']).encode())
        data = b''
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    return data.decode().splitlines()


def whoami(port, timeout=15.0):
    reply = talk(port, ['whoami'], timeout=timeout)
    assert reply and reply[0].startswith('pid='), reply
    return dict(kv.split('=') for kv in reply[0].split())


class MasterInstance:
    def __init__(self):
        self.owner = ensure_mail_owner()
        self.root = tempfile.mkdtemp(prefix='dromos-master-')
        os.chmod(self.root, 0o755)
        self.config_dir = os.path.join(self.root, 'etc')
        self.queue_dir = os.path.join(self.root, 'queue')
        self.data_dir = os.path.join(self.root, 'data')
        self.maillog = os.path.join(self.root, 'maillog')
        self.stderr_log = os.path.join(self.root, 'master.stderr')
        self.use_logd = os.access(LOGD, os.X_OK)
        for d in (self.config_dir, self.data_dir, os.path.join(self.queue_dir, 'pid')):
            os.makedirs(d)
        for d, mode in (('private', 0o700), ('public', 0o755)):
            p = os.path.join(self.queue_dir, d)
            os.makedirs(p)
            os.chown(p, self.owner.pw_uid, self.owner.pw_gid)
            os.chmod(p, mode)
        self.port = free_port()
        self.proc = None
        self.master_pid = None
        self.main_extra = {}
        self.write_main()
        self.write_master_cf([self.svc_line(self.port)])

    # --- configuration ---------------------------------------------------
    def svc_line(self, port, maxproc='-', args=''):
        return '127.0.0.1:%d inet n - y - %s %s %s' % (port, maxproc, TESTSVC, args)

    def write_main(self, text=None, **extra):
        self.main_extra.update(extra)
        settings = dict(queue_directory=self.queue_dir,
                        daemon_directory=LIBEXEC,
                        command_directory=os.path.join(self.root, 'bin'),
                        data_directory=self.data_dir,
                        maillog_file=self.maillog if self.use_logd else '',
                        mail_owner=MAIL_OWNER,
                        inet_interfaces='127.0.0.1',
                        service_backoff_time='1s',
                        service_throttle_time='4s')
        settings.update(self.main_extra)
        body = ''.join('%s = %s\n' % kv for kv in settings.items())
        if text:
            body += text
        self._write(os.path.join(self.config_dir, 'main.cf'), body)

    def write_master_cf(self, lines):
        base = []
        if self.use_logd:
            base.append('dromlog unix-dgram n - n - 1 logd')
        self._write(os.path.join(self.config_dir, 'master.cf'),
                    ''.join(l + '\n' for l in base + list(lines)))

    @staticmethod
    def _write(path, text):
        with open(path + '.tmp', 'w') as f:
            f.write(text)
        os.rename(path + '.tmp', path)

    # --- running ---------------------------------------------------------
    def pidfile(self):
        return os.path.join(self.queue_dir, 'pid', 'master.pid')

    def read_pidfile(self):
        try:
            with open(self.pidfile()) as f:
                return int(f.read().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None

    def run_master(self, *args, timeout=30):
        """Run master to completion (a failing start, -t, -w)."""
        return subprocess.run([MASTER, '-c', self.config_dir] + list(args),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=timeout)

    def start(self):
        """Start master in the foreground (-f), stderr to a file."""
        err = open(self.stderr_log, 'ab')
        self.proc = subprocess.Popen([MASTER, '-c', self.config_dir, '-f'],
                                     stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=err)
        err.close()
        self.master_pid = self.proc.pid
        wait_for(lambda: 'daemon started' in self.log() or self.proc.poll() is not None,
                 what='master to start')
        assert self.proc.poll() is None, 'master exited:\n' + self.log()
        return self.master_pid

    def start_daemon(self):
        """Start master detached, the way dromos start does (-w)."""
        res = self.run_master('-w')
        if res.returncode == 0:
            self.master_pid = wait_for(self.read_pidfile, what='pid file')
        return res

    def children(self):
        return children_of(self.master_pid) if self.master_pid else []

    def hup(self):
        os.kill(self.master_pid, signal.SIGHUP)

    def stop(self, timeout=20):
        """SIGTERM to master; return its exit status (None if detached)."""
        pid = self.master_pid
        if not pid or not alive(pid):
            return None
        os.kill(pid, signal.SIGTERM)
        if self.proc is not None and self.proc.pid == pid:
            return self.proc.wait(timeout=timeout)
        wait_for(lambda: not alive(pid), timeout=timeout, what='master to exit')
        return None

    def log(self):
        text = ''
        for path in (self.stderr_log, self.maillog):
            try:
                with open(path, errors='replace') as f:
                    text += f.read()
            except FileNotFoundError:
                pass
        return text

    def wait_log(self, needle, timeout=10.0):
        return wait_for(lambda: needle in self.log(), timeout=timeout,
                        what='log text %r\n--- log:\n%s' % (needle, self.log()))

    def own_processes(self):
        """Live processes that belong to this instance (name its root)."""
        pids = []
        for d in os.listdir('/proc'):
            if d.isdigit() and int(d) != os.getpid() and self.config_dir in cmdline(int(d)):
                if alive(int(d)):
                    pids.append(int(d))
        return pids

    def cleanup(self):
        self.final_log = self.log()
        try:
            self.stop()
        except Exception:
            pass
        for pid in self.own_processes():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.proc is not None:
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        self.final_log += self.log()[len(self.final_log):]
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def inst():
    if os.geteuid() != 0:
        pytest.skip('master tests need root')
    for prog in (MASTER, TESTSVC):
        if not os.access(prog, os.X_OK):
            pytest.fail('%s is not built' % prog)
    i = MasterInstance()
    yield i
    i.cleanup()
    # Sanitizer builds: master and its children (-f) report on stderr.
    text = i.final_log
    bad = [l for l in text.splitlines()
           if 'Sanitizer' in l or 'runtime error:' in l]
    assert bad == [], 'sanitizer reports:\n' + text
