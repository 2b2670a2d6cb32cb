"""The log service logd.

Stand-alone (logd -S reads records from standard input, no master): the
file is created with mode 0600, records become one line each, a relative
maillog_file, a symbolic link and a hard-linked file are refused,
/dev/stdout works. With a real instance (once
master is built): records from master and from a chrooted, unprivileged
daemon (tests/master/testsvc) end in maillog_file as
"Mon DD HH:MM:SS host dromos/NAME[pid]: text"; a datagram with newlines
stays one line; logd runs as mail_owner; after a rename and a new file
made for mail_owner, logd switches to the new file by itself.
"""
import os
import pwd
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dromos_instance import Instance, TOP, free_port, wait_for, proc_status  # noqa: E402

LOGD = os.path.join(TOP, 'libexec', 'logd')
TESTSVC = os.path.join(TOP, 'tests', 'master', 'testsvc')
STAMP = r'[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d'

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')


@pytest.fixture
def conf():
    d = tempfile.mkdtemp(prefix='logd-test-')
    with open(os.path.join(d, 'main.cf'), 'w') as f:
        f.write('queue_directory = %s\nmyhostname = mx.example.test\n' % d)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def standalone(conf, maillog, data):
    return subprocess.run([LOGD, '-c', conf, '-S', '-o', 'maillog_file=' + maillog],
                          input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=30)


def test_standalone_appends_one_line(conf):
    log = os.path.join(conf, 'maillog')
    res = standalone(conf, log, b'Jan 01 00:00:00 mx dromos/x[1]: one\ntwo\x07three\n')
    assert res.returncode == 0, res.stderr
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600
    res = standalone(conf, log, b'second record')
    assert res.returncode == 0, res.stderr
    with open(log, 'rb') as f:
        assert f.read() == (b'Jan 01 00:00:00 mx dromos/x[1]: one?two?three\n'
                            b'second record\n')


def test_standalone_relative_path_refused(conf):
    res = standalone(conf, 'relative.log', b'x')
    assert res.returncode != 0
    assert b'maillog_file must be an absolute path: "relative.log"' in res.stderr
    assert not os.path.exists(os.path.join(conf, 'relative.log'))


def test_standalone_refuses_links(conf):
    target = os.path.join(conf, 'target')
    link = os.path.join(conf, 'link.log')
    os.symlink(target, link)
    res = standalone(conf, link, b'x')
    assert res.returncode != 0
    assert b'Too many levels of symbolic links' in res.stderr
    assert not os.path.exists(target)
    hard = os.path.join(conf, 'hard.log')
    with open(target, 'w') as f:
        f.write('precious\n')
    os.link(target, hard)
    res = standalone(conf, hard, b'x')
    assert res.returncode != 0
    assert b'has 2 hard links; refusing to write it' in res.stderr
    with open(target) as f:
        assert f.read() == 'precious\n'


def test_standalone_dev_stdout(conf):
    res = standalone(conf, '/dev/stdout', b'to stdout\n')
    assert res.returncode == 0, res.stderr
    assert res.stdout == b'to stdout\n'


# --- a real instance --------------------------------------------------------

need_master = pytest.mark.skipif(
    not os.path.exists(os.path.join(TOP, 'libexec', 'master')),
    reason='master is not built yet')


@pytest.fixture(scope='module')
def inst():
    i = Instance()
    try:
        i.setup()
        i.port = free_port()
        if os.path.exists(TESTSVC):
            i.write_master_cf(['127.0.0.1:%d inet n - y - - %s' % (i.port, TESTSVC)])
        i.start()
    except BaseException:
        i.cleanup()
        raise
    yield i
    i.cleanup()


def logd_pid(inst):
    for pid in inst.children():
        try:
            with open('/proc/%d/cmdline' % pid, 'rb') as f:
                if os.path.basename(f.read().split(b'\0')[0]) == b'logd':
                    return pid
        except FileNotFoundError:
            pass
    return None


@need_master
def test_master_records_reach_the_file(inst):
    inst.wait_log(r'(?m)^%s mx dromos/master\[%d\]: daemon started'
                  % (STAMP, inst.master_pid))
    st = os.stat(inst.maillog)
    assert stat.S_IMODE(st.st_mode) == 0o600


@need_master
@pytest.mark.skipif(not os.path.exists(TESTSVC), reason='tests/master/testsvc is not built')
def test_chrooted_daemon_records_reach_the_file(inst):
    with socket.create_connection(('127.0.0.1', inst.port), timeout=10) as s:
        s.sendall(b'quit\n')
        s.recv(100)
    inst.wait_log(r'(?m)^%s mx dromos/testsvc\[\d+\]: \S+: connect from 127\.0\.0\.1'
                  % STAMP, timeout=15)


@need_master
def test_logd_runs_as_mail_owner(inst):
    pid = wait_for(lambda: logd_pid(inst), what='logd process')
    uid = int(proc_status(pid)['Uid'].split()[0])
    assert uid == pwd.getpwnam('dromos').pw_uid


@need_master
def test_datagram_stays_one_line(inst):
    sock = os.path.join(inst.queue_dir, 'public', 'dromlog')
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
        s.connect(sock)
        s.send(b'Jan 01 00:00:00 mx dromos/fake[1]: first\n'
               b'Jan 01 00:00:00 mx dromos/forged[2]: second\n')
    inst.wait_log(r'first\?Jan 01 00:00:00 mx dromos/forged\[2\]: second\n')
    assert not re.search(r'(?m)^Jan 01 00:00:00 mx dromos/forged', inst.log())


@need_master
def test_logd_follows_a_rotated_file(inst):
    sock = os.path.join(inst.queue_dir, 'public', 'dromlog')
    old = inst.maillog + '.old'
    os.rename(inst.maillog, old)
    pw = pwd.getpwnam('dromos')
    fd = os.open(inst.maillog, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchown(fd, pw.pw_uid, pw.pw_gid)
    os.close(fd)
    before = logd_pid(inst)
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
        s.connect(sock)
        # logd compares the file before each record.
        for n in range(30):
            s.send(b'after rotation %d' % n)
            if 'after rotation' in inst.log():
                break
            time.sleep(0.2)
    inst.wait_log(r'after rotation \d+\n')
    assert logd_pid(inst) == before, 'logd was restarted instead of reopening'
