"""The dromos command.

Most tests run against a scratch installation tree made here from the
manifest (no make install, no master): check reports wrong modes, owners,
groups, types and stale chroot copies as warnings and configuration
problems as one-line errors; status, stop and reload talk to a stand-in
"master" (a child process holding the pid-file lock); logrotate renames
and recreates maillog_file. The tests at the end run a real instance
(tests/lib/dromos_instance.py) once master is built.
"""
import grp
import os
import pwd
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dromos_instance import Instance, TOP, wait_for, world_copy  # noqa: E402

DROMOS = os.path.join(TOP, 'bin', 'dromos')
MANIFEST = os.path.join(TOP, 'postinstall', 'dromos-files')

# Existing Debian accounts stand in for dromos/dromdrop in the scratch tree.
OWNER = 'nobody'
SGID = 'mail'

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')


def dromos(cfg, *args, user=None, env=None, timeout=60):
    kw = {}
    if user is not None:
        pw = pwd.getpwnam(user)

        def drop():
            os.setgroups([])
            os.setgid(pw.pw_gid)
            os.setuid(pw.pw_uid)
        kw['preexec_fn'] = drop
    prog = DROMOS if user is None else world_copy(DROMOS)
    argv = [prog] + (['-c', cfg] if cfg else []) + list(args)
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=timeout, env=env, **kw)


class Scratch:
    """An installation tree under a temporary root, built from the manifest
    with the manifest's owners, groups and modes."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix='dromos-scratch-')
        os.chmod(self.root, 0o755)
        self.paths = {
            'config_directory': os.path.join(self.root, 'etc'),
            'queue_directory': os.path.join(self.root, 'spool'),
            'daemon_directory': os.path.join(self.root, 'libexec'),
            'command_directory': os.path.join(self.root, 'sbin'),
            'data_directory': os.path.join(self.root, 'data'),
        }
        self.cfg = self.paths['config_directory']
        self.q = self.paths['queue_directory']
        self.maillog = os.path.join(self.root, 'log', 'maillog')
        self.main = dict(self.paths, mail_owner=OWNER, setgid_group=SGID,
                         myhostname='mx.example.test',
                         mydestination='$myhostname, localhost, example.test',
                         maillog_file=self.maillog)
        self.build()

    def write_main(self, extra=''):
        with open(os.path.join(self.cfg, 'main.cf'), 'w') as f:
            for k, v in self.main.items():
                f.write('%s = %s\n' % (k, v))
            f.write(extra)

    def write_master(self, text='dromlog unix-dgram n - n - 1 logd\n'
                     'proxymap unix - - n - - proxymap\n'):
        with open(os.path.join(self.cfg, 'master.cf'), 'w') as f:
            f.write('# scratch master.cf\n' + text)

    def entries(self):
        out = []
        with open(MANIFEST) as f:
            for n, line in enumerate(f, 1):
                if not line.strip() or line.lstrip().startswith('#'):
                    continue
                path, typ, owner, group, mode, flags, source = line.split()
                if '$html_directory' in path:
                    continue
                for k, v in self.paths.items():
                    path = path.replace('$' + k, v)
                out.append((path, typ, owner, group, mode, flags, source))
        return out

    def build(self):
        pw = pwd.getpwnam(OWNER)
        for path, typ, owner, group, mode, flags, source in self.entries():
            user = {'-': 'root', '$mail_owner': OWNER}.get(owner, owner)
            upw = pwd.getpwnam(user)
            gid = {'-': upw.pw_gid, '$setgid_group': grp.getgrnam(SGID).gr_gid}.get(
                group, None)
            if gid is None:
                gid = grp.getgrnam(group).gr_gid
            if typ in ('d', 'D'):
                os.makedirs(path, exist_ok=True)
            elif typ == 'f':
                os.makedirs(os.path.dirname(path), exist_ok=True)
                if 'c' in flags:
                    if not os.path.exists(source):
                        continue
                    shutil.copyfile(source, path)
                else:
                    with open(path, 'w') as f:
                        f.write('#!/bin/sh\nexit 0\n')
            elif typ == 'l':
                os.symlink(source, path)
                continue
            os.chown(path, upw.pw_uid, gid)
            if mode != '-':
                os.chmod(path, int(mode, 8))
        shutil.copyfile(MANIFEST, os.path.join(self.paths['daemon_directory'],
                                               'dromos-files'))
        os.makedirs(os.path.dirname(self.maillog))
        self.write_main()
        self.write_master()
        assert pw.pw_uid != 0

    def check(self, *args, **kw):
        return dromos(self.cfg, 'check', *args, **kw)

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def scratch():
    s = Scratch()
    yield s
    s.cleanup()


def lines(text):
    return [l for l in text.splitlines() if l]


# --- check -------------------------------------------------------------

def test_check_clean_tree(scratch):
    res = scratch.check()
    assert res.returncode == 0, res.stderr
    assert res.stderr == ''
    assert res.stdout == ''


def test_check_wrong_mode_owner_group(scratch):
    incoming = os.path.join(scratch.q, 'incoming')
    public = os.path.join(scratch.q, 'public')
    os.chmod(incoming, 0o777)
    os.chown(incoming, 0, 0)
    os.chown(public, pwd.getpwnam(OWNER).pw_uid, 0)
    res = scratch.check()
    assert res.returncode == 0, res.stderr
    assert sorted(lines(res.stderr)) == sorted([
        'dromos: warning: %s: owner is root, should be %s' % (incoming, OWNER),
        'dromos: warning: %s: group is root, should be %s' % (
            incoming, grp.getgrgid(pwd.getpwnam(OWNER).pw_gid).gr_name),
        'dromos: warning: %s: mode is 0777, should be 0700' % incoming,
        'dromos: warning: %s: group is root, should be %s' % (public, SGID),
    ])


def test_check_missing_and_wrong_type(scratch):
    hold = os.path.join(scratch.q, 'hold')
    corrupt = os.path.join(scratch.q, 'corrupt')
    os.rmdir(hold)
    os.rmdir(corrupt)
    open(corrupt, 'w').close()
    res = scratch.check()
    assert res.returncode == 0
    err = res.stderr
    assert re.search(r'^dromos: warning: %s: missing \(dromos-files, line \d+\)$'
                     % re.escape(hold), err, re.M), err
    assert 'dromos: warning: %s: is a file, should be a folder\n' % corrupt in err


def test_check_stale_chroot_copy(scratch):
    services = os.path.join(scratch.q, 'etc', 'services')
    with open(services, 'a') as f:
        f.write('# local change\n')
    res = scratch.check()
    assert res.returncode == 0
    assert lines(res.stderr) == [
        'dromos: warning: %s: differs from /etc/services '
        '(dromos start refreshes it)' % services]


def test_check_bad_main_cf_is_one_line(scratch):
    scratch.write_main('this line is not a setting\n')
    res = scratch.check()
    assert res.returncode == 1
    out = lines(res.stderr)
    assert len(out) == 1, res.stderr
    n = len(scratch.main) + 1
    assert out[0].startswith('dromos: error: %s/main.cf, line %d: '
                             % (scratch.cfg, n)), out


def test_check_bad_value_is_an_error(scratch):
    scratch.write_main('max_use = lots\n')
    res = scratch.check()
    assert res.returncode == 1
    out = lines(res.stderr)
    assert len(out) == 1 and 'main.cf, line' in out[0] and 'max_use' in out[0], out


def test_check_missing_main_cf(scratch):
    os.unlink(os.path.join(scratch.cfg, 'main.cf'))
    res = scratch.check()
    assert res.returncode == 1
    assert len(lines(res.stderr)) == 1
    assert 'main.cf' in res.stderr


def test_check_proxy_tables_need_proxymap(scratch):
    # An upgrade keeps the old master.cf: the default local_recipient_maps
    # reads proxy:unix:passwd.byname through a service it lacks.
    scratch.write_master('dromlog unix-dgram n - n - 1 logd\n')
    res = scratch.check()
    assert res.returncode == 0, res.stderr
    assert lines(res.stderr) == [
        'dromos: warning: local_recipient_maps uses proxy: tables, but '
        'master.cf has no proxymap service: add "proxymap unix - - n - - '
        'proxymap"'], res.stderr
    scratch.write_master()
    assert scratch.check().stderr == ''


def test_check_bad_master_cf(scratch):
    scratch.write_master('dromlog unix-dgram n - n - 1 logd\nbroken line\n')
    res = scratch.check()
    assert res.returncode == 1
    assert re.search(r'^dromos: error: %s/master\.cf, line 3: '
                     % re.escape(scratch.cfg), res.stderr, re.M), res.stderr


def test_check_master_cf_command_missing(scratch):
    scratch.write_master('dromlog unix-dgram n - n - 1 logd\n'
                         'extra unix - - - - - nosuchdaemon\n')
    os.chmod(os.path.join(scratch.paths['daemon_directory'], 'logd'), 0o644)
    res = scratch.check()
    assert res.returncode == 1
    err = res.stderr
    assert 'master.cf, line 3: service extra: %s/nosuchdaemon: No such file' \
        % scratch.paths['daemon_directory'] in err, err
    assert 'master.cf, line 2: service dromlog: %s/logd is not executable' \
        % scratch.paths['daemon_directory'] in err, err


def test_check_mail_owner_root(scratch):
    scratch.main['mail_owner'] = 'root'
    scratch.write_main()
    res = scratch.check()
    assert res.returncode == 1
    assert 'dromos: error: mail_owner root must not be root (uid 0)' in res.stderr


def test_check_unknown_users(scratch):
    scratch.main['mail_owner'] = 'no-such-user-x'
    scratch.main['setgid_group'] = 'no-such-group-x'
    scratch.write_main()
    res = scratch.check()
    assert res.returncode == 1
    assert 'dromos: error: mail_owner: no such user: no-such-user-x' in res.stderr
    assert 'dromos: error: setgid_group: no such group: no-such-group-x' in res.stderr


def test_check_setgid_group_is_owner_group(scratch):
    scratch.main['setgid_group'] = grp.getgrgid(pwd.getpwnam(OWNER).pw_gid).gr_name
    scratch.write_main()
    res = scratch.check()
    assert res.returncode == 1
    assert 'must not be the primary group of mail_owner' in res.stderr


def test_check_bad_names_are_warnings(scratch):
    scratch.main['myhostname'] = 'bad_host!.example'
    scratch.main['mydestination'] = '$myhostname, localhost, -x.example, ok.example'
    scratch.write_main()
    res = scratch.check()
    assert res.returncode == 0
    err = lines(res.stderr)
    assert 'dromos: warning: myhostname: not a valid domain name: "bad_host!.example"' in err
    assert 'dromos: warning: mydestination: not a valid domain name: "bad_host!.example"' in err
    assert 'dromos: warning: myorigin: not a valid domain name: "bad_host!.example"' in err
    assert 'dromos: warning: mydestination: not a valid domain name: "-x.example"' in err
    assert len(err) == 4, err


def test_check_bad_manifest_is_an_error(scratch):
    with open(os.path.join(scratch.paths['daemon_directory'], 'dromos-files'), 'a') as f:
        f.write('$queue_directory/x d - - 0999 - -\n')
    res = scratch.check()
    assert res.returncode == 1
    assert re.search(r'dromos: error: .*/dromos-files, line \d+: bad mode: 0999', res.stderr)


def test_check_as_unprivileged_user(scratch):
    res = scratch.check(user='nobody')
    # nobody may not be able to look everywhere, but check runs.
    assert res.returncode in (0, 1)
    assert 'must be run as root' not in res.stderr


def test_mail_config_environment(scratch):
    env = dict(os.environ, MAIL_CONFIG=scratch.cfg)
    res = dromos(None, 'check', env=env)
    assert res.returncode == 0, res.stderr


# --- usage -------------------------------------------------------------

def test_unknown_command_lists_commands(scratch):
    res = dromos(scratch.cfg, 'frobnicate')
    assert res.returncode == 2
    assert res.stderr.strip() == (
        'dromos: fatal: unknown command "frobnicate"; usage: dromos [-c config_dir] '
        '[-v] check|start|start-fg|stop|reload|status|flush|logrotate')


def test_no_command(scratch):
    res = dromos(scratch.cfg)
    assert res.returncode == 2
    assert 'usage: dromos' in res.stderr


@pytest.mark.parametrize('cmd', ['start', 'start-fg', 'stop', 'reload', 'flush',
                                 'logrotate'])
def test_root_only_commands(scratch, cmd):
    res = dromos(scratch.cfg, cmd, user='nobody')
    assert res.returncode == 1
    assert res.stderr.strip() == 'dromos: fatal: %s: must be run as root' % cmd


# --- status, stop, reload against a stand-in master --------------------

def test_not_running(scratch):
    for cmd in ('status', 'stop', 'reload', 'flush'):
        res = dromos(scratch.cfg, cmd)
        assert res.returncode == 1, cmd
        assert res.stderr.strip().split('\n')[0].endswith(
            'the dromos mail system is not running'), (cmd, res.stderr)
    res = dromos(scratch.cfg, 'status', user='nobody')
    assert res.returncode == 1


STAND_IN = r'''
import fcntl, os, signal, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
os.ftruncate(fd, 0)
os.write(fd, b'%d\n' % os.getpid())
def hup(*a):
    with open(sys.argv[2], 'a') as f:
        f.write('HUP\n')
signal.signal(signal.SIGHUP, hup)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
print('ready', flush=True)
while True:
    time.sleep(1)
'''


@pytest.fixture
def stand_in(scratch):
    """A process that holds master's lock, as master does."""
    pidfile = os.path.join(scratch.q, 'pid', 'master.pid')
    note = os.path.join(scratch.root, 'signals')
    proc = subprocess.Popen([sys.executable, '-c', STAND_IN, pidfile, note],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == 'ready'
    proc.note = note
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def test_status_running(scratch, stand_in):
    res = dromos(scratch.cfg, 'status')
    assert res.returncode == 0
    lines = res.stderr.strip().split('\n')
    assert lines[0] == \
        'dromos: the dromos mail system is running: PID: %d' % stand_in.pid
    # As root it also counts the queue.
    assert re.fullmatch(r'dromos: queue: maildrop \d+, incoming \d+, '
                        r'active \d+, deferred \d+, hold \d+, corrupt \d+',
                        lines[1]), lines



def test_start_when_running(scratch, stand_in):
    res = dromos(scratch.cfg, 'start')
    assert res.returncode == 1
    assert res.stderr.strip() == \
        'dromos: error: the dromos mail system is already running (pid %d)' % stand_in.pid


def test_reload_sends_hup(scratch, stand_in):
    res = dromos(scratch.cfg, 'reload')
    assert res.returncode == 0, res.stderr
    assert 'dromos: refreshing the dromos mail system' in res.stderr
    wait_for(lambda: os.path.exists(stand_in.note), what='SIGHUP')
    assert stand_in.poll() is None


def test_stop_waits_for_lock(scratch, stand_in):
    res = dromos(scratch.cfg, 'stop')
    assert res.returncode == 0, res.stderr
    assert 'dromos: stopping the dromos mail system' in res.stderr
    assert stand_in.wait(timeout=5) == 0
    res = dromos(scratch.cfg, 'status')
    assert res.returncode == 1


def test_stale_pid_file_is_not_running(scratch):
    with open(os.path.join(scratch.q, 'pid', 'master.pid'), 'w') as f:
        f.write('%d\n' % os.getpid())
    res = dromos(scratch.cfg, 'status')
    assert res.returncode == 1
    assert 'not running' in res.stderr


# --- start refuses a broken configuration ---------------------------------

def test_start_refuses_errors(scratch):
    scratch.write_master('dromlog unix-dgram n - n - 1 nosuchdaemon\n')
    res = dromos(scratch.cfg, 'start')
    assert res.returncode == 1
    assert 'nosuchdaemon: No such file' in res.stderr
    assert res.stderr.rstrip().endswith(
        'dromos: fatal: configuration errors: the dromos mail system was not started')


# --- logrotate -----------------------------------------------------------

def test_logrotate(scratch):
    with open(scratch.maillog, 'w') as f:
        f.write('old record\n')
    os.chmod(scratch.maillog, 0o600)
    res = dromos(scratch.cfg, 'logrotate')
    assert res.returncode == 0, res.stderr
    m = re.search(r'^dromos: rotated %s to (%s\.\d{8}-\d{6})$'
                  % (re.escape(scratch.maillog), re.escape(scratch.maillog)),
                  res.stderr, re.M)
    assert m, res.stderr
    assert 'not running' in res.stderr
    with open(m.group(1)) as f:
        assert f.read() == 'old record\n'
    st = os.stat(scratch.maillog)
    assert st.st_size == 0
    assert st.st_uid == pwd.getpwnam(OWNER).pw_uid
    assert stat.S_IMODE(st.st_mode) == 0o600
    # A second rotation in the same second would clobber: refused.
    res2 = dromos(scratch.cfg, 'logrotate')
    if res2.returncode != 0:
        assert 'already exists' in res2.stderr


def test_logrotate_custom_suffix(scratch):
    open(scratch.maillog, 'w').close()
    scratch.main['maillog_file_rotate_suffix'] = 'old'
    scratch.write_main()
    res = dromos(scratch.cfg, 'logrotate')
    assert res.returncode == 0, res.stderr
    assert os.path.exists(scratch.maillog + '.old')
    res = dromos(scratch.cfg, 'logrotate')
    assert res.returncode == 1
    assert 'dromos: error: logrotate: %s.old already exists' % scratch.maillog in res.stderr


def test_logrotate_errors(scratch):
    res = dromos(scratch.cfg, 'logrotate')
    assert res.returncode == 1
    assert 'No such file or directory' in res.stderr
    scratch.main['maillog_file'] = ''
    scratch.write_main()
    res = dromos(scratch.cfg, 'logrotate')
    assert res.returncode == 1
    assert res.stderr.strip() == 'dromos: error: logrotate: maillog_file is not set'
    scratch.main['maillog_file'] = '/dev/null'
    scratch.write_main()
    res = dromos(scratch.cfg, 'logrotate')
    assert res.returncode == 1
    assert res.stderr.strip() == 'dromos: error: logrotate: /dev/null is not a regular file'


# --- a real instance -------------------------------------------------------

need_master = pytest.mark.skipif(
    not os.path.exists(os.path.join(TOP, 'libexec', 'master')),
    reason='master is not built yet')


@pytest.fixture(scope='module')
def inst():
    i = Instance()
    try:
        i.setup()
    except BaseException:
        i.cleanup()
        raise
    yield i
    i.cleanup()


@need_master
def test_instance_check_is_clean(inst):
    res = inst.dromos('check')
    assert res.returncode == 0
    assert res.stderr == '', res.stderr


@need_master
def test_instance_start_status_reload_stop(inst):
    services = os.path.join(inst.queue_dir, 'etc', 'services')
    with open(services, 'a') as f:
        f.write('# stale\n')
    res = inst.start()
    assert 'dromos: starting the dromos mail system' in res.stderr
    # start refreshed the chroot copy.
    with open(services, 'rb') as a, open('/etc/services', 'rb') as b:
        assert a.read() == b.read()
    res = inst.dromos('status')
    assert res.stderr.strip().split('\n')[0] == \
        'dromos: the dromos mail system is running: PID: %d' % inst.master_pid
    res = inst.dromos('start', check=False)
    assert res.returncode == 1
    assert 'already running (pid %d)' % inst.master_pid in res.stderr
    res = inst.reload()
    assert 'refreshing the dromos mail system' in res.stderr
    inst.wait_log(r'dromos/dromos\[\d+\]: refreshing the dromos mail system')
    assert proc_alive(inst.master_pid)
    inst.stop()
    res = inst.dromos('status', check=False)
    assert res.returncode == 1
    assert 'not running' in res.stderr


@need_master
def test_instance_logrotate(inst):
    inst.start()
    try:
        inst.wait_log(r'starting the dromos mail system')
        res = inst.dromos('logrotate')
        m = re.search(r'rotated \S+ to (\S+)$', res.stderr, re.M)
        assert m, res.stderr
        rotated = m.group(1)
        assert 'refreshing the dromos mail system' in res.stderr
        # New records reach the new file, written by logd.
        inst.dromos('reload')
        inst.wait_log(r'dromos/dromos\[\d+\]: refreshing the dromos mail system')
        with open(rotated) as f:
            assert 'starting the dromos mail system' in f.read()
    finally:
        inst.stop()


def proc_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


@need_master
def test_instance_start_fg(inst):
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen([os.path.join(inst.command_dir, 'dromos'), '-c',
                             inst.config_dir, 'start-fg'],
                            stdout=subprocess.DEVNULL, stderr=err)
    try:
        # dromos replaced itself with master: the same process holds the lock.
        wait_for(lambda: inst.read_master_pid() == proc.pid and
                 inst.dromos('status', check=False).returncode == 0,
                 timeout=20, what='master in the foreground')
        res = inst.dromos('stop')
        assert 'stopping the dromos mail system' in res.stderr
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err.seek(0)
    text = err.read().decode(errors='replace')
    assert 'dromos: starting the dromos mail system in the foreground' in text
    # master -f logs to stderr as well.
    assert re.search(r'dromos/master\[%d\]: daemon started' % proc.pid, text), text


@need_master
def test_instance_start_reports_master_error(inst):
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        s.listen()
        port = s.getsockname()[1]
        inst.write_master_cf(['127.0.0.1:%d inet n - n - - logd' % port])
        try:
            res = inst.dromos('start', check=False)
        finally:
            inst.write_master_cf([])
    assert res.returncode == 1
    assert 'dromos: starting the dromos mail system' in res.stderr
    assert 'Address already in use' in res.stderr
    assert 'dromos: error: master failed to start: exit status 1' in res.stderr
    assert inst.dromos('status', check=False).returncode == 1
