"""Fixtures for the smtpd integration tests: one installed dromos
instance (tests/lib/dromos_instance.py) running master, cleanup, qmgr,
local and several smtpd services on 127.0.0.1, each smtpd with its own
-o overrides:

    main      the defaults, with message_size_limit = 200000 and no
              error sleep (so error tests are quick)
    errors    smtpd_soft_error_limit = 1, smtpd_hard_error_limit = 3,
              smtpd_error_sleep_time = 1s
    timeout   smtpd_timeout = 2s
    bare_ok   smtpd_forbid_bare_newline = no
    rcptlim   smtpd_recipient_limit = 5
    kill      maxproc 1, for the kill -9 test
    vrfy      disable_vrfy_command = no
    session   smtpd_session_timeout = 3s
    hold      every sender gets HOLD (check_sender_access static:HOLD),
              so the queue file stays in hold/ to be read

Smtp is a raw client that returns each reply as (code, [lines]) so tests
can check the exact code and enhanced status.
"""
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dromos_instance import (Instance, LineClient, TOP, free_port, wait_for,  # noqa: E402
                             proc_status)

HOST = 'mx.example.test'
PROGS = ('smtpd', 'cleanup', 'qmgr', 'local')
SERVICES = {
    'cleanup': 'cleanup   unix  -  -  -  -  0  cleanup',
    'qmgr': 'qmgr      unix-dgram  -  -  -  60  1  qmgr',
    'local': 'local     unix  -  n  n  -  -  local',
}
PORT_OPTS = {
    'main': ('-', ''),
    'errors': ('-', '-o smtpd_soft_error_limit=1 -o smtpd_hard_error_limit=3 '
                    '-o smtpd_error_sleep_time=1s'),
    'timeout': ('-', '-o smtpd_timeout=2s'),
    'bare_ok': ('-', '-o smtpd_forbid_bare_newline=no'),
    'rcptlim': ('-', '-o smtpd_recipient_limit=5'),
    'kill': ('1', ''),
    'vrfy': ('-', '-o disable_vrfy_command=no'),
    'session': ('-', '-o smtpd_session_timeout=3s'),
    'hold': ('-', '-o smtpd_sender_restrictions=check_sender_access,'
                  'static:HOLD'),
}


def default_services():
    with open(os.path.join(TOP, 'conf', 'master.cf')) as f:
        text = f.read()
    return {m.group(1) for m in re.finditer(r'^(\S+)\s', text, re.M)}


class SmtpdInstance(Instance):
    def __init__(self):
        super().__init__(hostname=HOST)
        # Recipients such as bob@ are no system users: the protocol tests
        # accept every local part (tests/restrictions checks the table).
        # No client of these tests is trusted to relay: mynetworks names
        # only a documentation address (tests/restrictions covers
        # mynetworks).
        self.setup(message_size_limit='200000', smtpd_error_sleep_time='0',
                   local_recipient_maps='', mynetworks='192.0.2.1/32',
                   queue_run_delay='1s', minimal_backoff_time='1s',
                   maximal_backoff_time='4s')
        for p in PROGS:
            src = os.path.join(TOP, 'libexec', p)
            dst = os.path.join(self.daemon_dir, p)
            if not os.path.exists(dst) and os.path.exists(src):
                shutil.copy(src, dst)
        have = default_services()
        lines = [line for name, line in SERVICES.items()
                 if name not in have
                 and os.path.exists(os.path.join(self.daemon_dir, name))]
        self.ports = {}
        for name, (maxproc, opts) in PORT_OPTS.items():
            port = free_port()
            self.ports[name] = port
            lines.append('127.0.0.1:%d inet n - - - %s smtpd %s'
                         % (port, maxproc, opts))
        self.write_master_cf(lines)
        self.users = []
        self.home_base = os.path.join(self.root, 'home')
        os.makedirs(self.home_base, mode=0o755, exist_ok=True)
        self.start()
        for port in self.ports.values():
            wait_for(lambda: _can_connect(port), what='port %d' % port)


    def maildir_files(self, user):
        d = os.path.join(self.home_base, user, 'Maildir', 'new')
        try:
            return sorted(os.path.join(d, f) for f in os.listdir(d))
        except FileNotFoundError:
            return []


    def queue_file(self, qid, queues=('incoming', 'active', 'deferred')):
        for q in queues:
            hits = glob.glob(os.path.join(self.queue_dir, q, '*', qid)) + \
                glob.glob(os.path.join(self.queue_dir, q, qid))
            if hits:
                return hits[0]
        return None

    def queue_ids(self, queues=('incoming', 'active', 'deferred')):
        ids = set()
        for q in queues:
            for dirpath, dirs, files in os.walk(os.path.join(self.queue_dir, q)):
                ids.update(files)
        return ids

    def queued_or_handled(self, qid):
        """The queue file exists, or qmgr already worked on it."""
        if self.queue_file(qid):
            return True
        return re.search(re.escape(qid) + r': (removed|to=|from=)', self.log())

    def service_pids(self, name, needle=None):
        pids = []
        for pid in self.children():
            try:
                with open('/proc/%d/cmdline' % pid, 'rb') as f:
                    argv = f.read().split(b'\0')
            except OSError:
                continue
            if os.path.basename(argv[0].decode()) != name:
                continue
            if needle and needle.encode() not in b' '.join(argv):
                continue
            st = proc_status(pid)
            if st and not st.get('State', '').startswith('Z'):
                pids.append(pid)
        return pids


def _can_connect(port):
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=5) as s:
            s.settimeout(5)
            return s.recv(100).startswith(b'220')
    except OSError:
        return False


class Smtp(LineClient):
    """A raw SMTP client: exact replies, pipelining, arbitrary bytes."""

    def __init__(self, port, timeout=20, source=None):
        super().__init__(port, timeout=timeout, source=source)
        self.greeting = self.reply()

    def line(self):
        return self.rawline().decode()

    def reply(self):
        lines = []
        while True:
            line = self.line()
            lines.append(line)
            assert re.match(r'^\d{3}[ -]', line), line
            if line[3] == ' ':
                return int(line[:3]), lines

    def cmd(self, text):
        self.send(text + '\r\n')
        return self.reply()

    def closed(self, timeout=10):
        """True when the server closed the connection (nothing more)."""
        self.sock.settimeout(timeout)
        try:
            return self.buf == b'' and self.sock.recv(1) == b''
        except ConnectionResetError:
            return True

    def nothing_pending(self, wait=0.5):
        self.sock.settimeout(wait)
        try:
            data = self.sock.recv(1)
        except socket.timeout:
            return self.buf == b''
        finally:
            self.sock.settimeout(20)
        self.buf += data
        return False

    def close(self):
        self.sock.close()


@pytest.fixture(scope='session')
def inst():
    if os.geteuid() != 0:
        pytest.skip('smtpd tests need root')
    for p in PROGS:
        if not os.access(os.path.join(TOP, 'libexec', p), os.X_OK):
            pytest.fail('libexec/%s is not built' % p)
    i = SmtpdInstance()
    yield i
    log = i.log()
    try:
        i.cleanup()
    finally:
        i.remove_users()
    if os.environ.get('SMTPD_TEST_KEEPLOG'):
        with open(os.environ['SMTPD_TEST_KEEPLOG'], 'w') as f:
            f.write(log)
    # Only test_kill_smtpd_during_data kills an smtpd (signal 9); any other
    # abnormal smtpd exit (a sanitizer abort exits with status 1) is a bug.
    bad = [l for l in log.splitlines()
           if 'Sanitizer' in l or 'runtime error:' in l or 'panic:' in l
           or ('smtpd' in l and 'fatal:' in l)
           or (re.search(r'process \S*/smtpd pid \d+ ', l)
               and 'signal 9' not in l)]
    assert bad == [], 'bad log lines:\n' + '\n'.join(bad)
