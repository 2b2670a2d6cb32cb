"""mailtest - a dromos instance that runs qmgr and local, test users, and
queue files written by tests/qmgr/mkqfile (no smtpd or cleanup needed).

    m = MailInstance(queue_run_delay='1s', ...)   # installed and started
    u = m.add_user('dromtest1')                    # real user, home in root
    qid = m.inject('dromtest1@mx.example.test', b'Subject: x\n\nbody\n')
    m.trigger()                                    # "I" to private/qmgr
    m.wait_log(qid + ': removed')
    m.cleanup()                                    # stop, userdel, rm -rf
"""
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dromos_instance import Instance, TOP, wait_for, proc_status, children_of  # noqa: E402,F401

MKQFILE = os.path.join(TOP, 'tests', 'qmgr', 'mkqfile')
PROGS = ('qmgr', 'local')
SERVICES = {
    'qmgr': 'qmgr      unix-dgram  -  -  -  60  1  qmgr',
    'local': 'local     unix  -  n  n  -  -  local',
}
HOST = 'mx.example.test'
NO_REMOTE_MAPS = ('inline:{ { .org = error:no remote delivery in tests }, '
                  '{ .com = error:no remote delivery in tests }, '
                  '{ .net = error:no remote delivery in tests }, '
                  '{ .example = error:no remote delivery in tests } }')
QUEUES = ('incoming', 'active', 'deferred', 'hold', 'corrupt')


def default_services():
    with open(os.path.join(TOP, 'conf', 'master.cf')) as f:
        text = f.read()
    return {m.group(1) for m in re.finditer(r'^(\S+)\s', text, re.M)}


class MailInstance(Instance):
    def __init__(self, **main):
        super().__init__(hostname=HOST)
        self.users = []
        # Mail leaves this host only through the error transport: the
        # notices to test senders (example.org) bounce at once, and the
        # resulting double bounces go to an address that fails too, so
        # they are dropped (bounce(8)). Tests that want them say where.
        settings = dict(queue_run_delay='1s', minimal_backoff_time='1s',
                        maximal_backoff_time='4s',
                        transport_maps=NO_REMOTE_MAPS,
                        **{'2bounce_notice_recipient': 'postmaster@example.org'})
        settings.update(main)
        self.setup(**settings)
        # Until the manifest lists them, install the programs by hand.
        for p in PROGS:
            dst = os.path.join(self.daemon_dir, p)
            if not os.path.exists(dst):
                shutil.copy(os.path.join(TOP, 'libexec', p), dst)
        have = default_services()
        self.write_master_cf([line for name, line in SERVICES.items()
                              if name not in have])
        self.owner = pwd.getpwnam(self.default('mail_owner'))
        self.home_base = os.path.join(self.root, 'home')
        os.makedirs(self.home_base, mode=0o755, exist_ok=True)
        self.start()


    # --- mail ----------------------------------------------------------
    def inject(self, rcpts, content, sender='sender@example.org', count=1,
               orig=None, when=None, attrs=(), dsn=None):
        if isinstance(rcpts, str):
            rcpts = [rcpts]
        argv = [MKQFILE, '-d', self.queue_dir, '-u', self.owner.pw_name,
                '-f', sender, '-n', str(count)]
        if when is not None:
            argv += ['-t', str(int(when))]
        if orig:
            argv += ['-o', orig]
        for a in attrs:
            argv += ['-a', a]
        for i, r in enumerate(rcpts):
            if dsn and i < len(dsn) and dsn[i]:
                argv += ['-N', dsn[i]]
            argv += ['-r', r]
        res = subprocess.run(argv, input=content, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, timeout=120)
        assert res.returncode == 0, res.stderr.decode(errors='replace')
        ids = res.stdout.decode().split()
        assert len(ids) == count
        return ids if count > 1 else ids[0]

    def trigger(self, what=b'I'):
        path = os.path.join(self.queue_dir, 'private', 'qmgr')
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
            try:
                s.sendto(what, path)
            except OSError:
                pass        # qmgr's wakeup and queue_run_delay will do

    def queue_files(self, queue):
        found = []
        top = os.path.join(self.queue_dir, queue)
        for dirpath, dirs, files in os.walk(top):
            found += [os.path.join(dirpath, f) for f in files]
        return found

    def queue_empty(self):
        return all(not self.queue_files(q) for q in ('incoming', 'active', 'deferred'))

    def maildir_files(self, user, sub='new'):
        d = os.path.join(self.home_base, user, 'Maildir', sub)
        try:
            return sorted(os.path.join(d, f) for f in os.listdir(d))
        except FileNotFoundError:
            return []

    def service_pids(self, name):
        """Children of master running libexec program name."""
        pids = []
        for pid in self.children():
            try:
                with open('/proc/%d/cmdline' % pid, 'rb') as f:
                    argv0 = f.read().split(b'\0')[0].decode()
            except OSError:
                continue
            if os.path.basename(argv0) == name:
                st = proc_status(pid)
                if st and not st.get('State', '').startswith('Z'):
                    pids.append(pid)
        return pids

    def cleanup(self):
        try:
            self.stop()
        finally:
            self.remove_users()
            shutil.rmtree(self.root, ignore_errors=True)

    def finish(self):
        """cleanup(), then fail when the log shows a sanitizer report or
        a panic."""
        log = self.log()
        self.cleanup()
        bad = [l for l in log.splitlines() if 'Sanitizer' in l
               or 'runtime error:' in l or 'panic:' in l]
        assert bad == [], 'bad log lines:\n' + log


def make_maildir_a_file(m, user):
    """Make user's deliveries defer: Maildir becomes a plain file. Give
    the result to fix_maildir() to undo it."""
    md = os.path.join(m.home_base, user, 'Maildir')
    saved = md + '.saved'
    os.rename(md, saved)
    with open(md, 'w') as f:
        f.write('not a folder\n')
    return md, saved


def fix_maildir(md, saved):
    os.unlink(md)
    os.rename(saved, md)


def require_built(*progs):
    """Fail (not skip) when a program the test runs was not built."""
    for p in progs:
        path = os.path.join(TOP, 'libexec', p)
        if not os.access(path, os.X_OK):
            raise AssertionError('%s is not built' % path)


def message(subject, body='hello\n', extra=''):
    return ('From: Sender <sender@example.org>\n'
            'To: someone\n'
            'Subject: %s\n'
            'Message-ID: <%s@example.org>\n%s'
            '\n%s' % (subject, subject.replace(' ', '-'), extra, body)).encode()
