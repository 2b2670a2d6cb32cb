"""The local delivery agent, end to end with qmgr and a real instance.

mbox in mail_spool_directory (home_mailbox empty): the mailbox is created
for the user (0600), each message gets a "From " line, Return-Path and
Delivered-To, mboxrd ">From " quoting and a trailing empty line; a delivery
waits while another process holds the fcntl lock (1 s) and then
succeeds; a stale dot-lock is removed. mbox in the home directory
(home_mailbox = Mailbox). Recipient handling: the local part is
case-folded, orig_to is logged, mail for root is deferred (4.7.1).
"""
import fcntl
import os
import pwd
import re
import stat
import sys
import threading
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'qmgr'))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'aliases'))
from mailtest import MailInstance, message, wait_for, HOST  # noqa: E402
from aliastest import build_aliases  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

USER = 'dromtest2'
OTHER = 'dromtest3'


@pytest.fixture(scope='module')
def m():
    inst = MailInstance(home_mailbox='')
    # The installed aliases (no alias for root), built as post-install
    # would when drommap has its aliases format.
    build_aliases(inst, os.path.join(inst.config_dir, 'aliases'))
    spool = os.path.join(inst.root, 'spool')
    os.makedirs(spool, mode=0o755)
    inst.set_main(mail_spool_directory=spool)
    inst.reload()
    inst.spool = spool
    inst.add_user(USER)
    inst.add_user(OTHER)
    time.sleep(0.5)
    yield inst
    inst.finish()


def deliver(m, rcpt, content, **kw):
    qid = m.inject(rcpt, content, **kw)
    m.trigger()
    m.wait_log(re.escape(qid) + ': removed', timeout=30)
    return qid


def test_mbox_in_spool(m):
    box = os.path.join(m.spool, USER)
    c1 = message('mbox one', body='From here on\n>From quoted\nno newline at end')
    qid = deliver(m, USER + '@' + HOST, c1, sender='bob@example.org')
    assert re.search(re.escape(qid) + r': to=<dromtest2@mx\.example\.test>, relay=local, '
                     r'delay=[\d.]+, dsn=2\.0\.0, status=sent \(delivered to mailbox\)',
                     m.log()), m.log()
    pw = pwd.getpwnam(USER)
    st = os.stat(box)
    assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (pw.pw_uid, 0o600)
    with open(box, 'rb') as f:
        data = f.read()
    first, rest = data.split(b'\n', 1)
    assert re.match(rb'^From bob@example\.org [A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d '
                    rb'\d\d:\d\d:\d\d \d{4}$', first), first
    body = c1.replace(b'\nFrom here on', b'\n>From here on').replace(
        b'\n>From quoted', b'\n>>From quoted')
    assert rest == (b'Return-Path: <bob@example.org>\n'
                    b'Delivered-To: dromtest2@mx.example.test\n' + body + b'\n\n')
    assert not os.path.exists(box + '.lock')

    # A second message is appended; the null sender is MAILER-DAEMON.
    deliver(m, USER + '@' + HOST, message('mbox two'), sender='')
    with open(box, 'rb') as f:
        data2 = f.read()
    assert data2.startswith(data)
    assert data2[len(data):].startswith(b'From MAILER-DAEMON ')
    assert b'Return-Path: <>\n' in data2[len(data):]


def test_mbox_waits_for_fcntl_lock(m):
    box = os.path.join(m.spool, USER)
    size = os.path.getsize(box)
    fd = os.open(box, os.O_RDWR)
    fcntl.lockf(fd, fcntl.LOCK_EX)
    locked_at = time.time()
    released = []

    def release():
        time.sleep(1.0)
        released.append(time.time())
        fcntl.lockf(fd, fcntl.LOCK_UN)
        os.close(fd)
    t = threading.Thread(target=release)
    t.start()
    try:
        qid = m.inject(USER + '@' + HOST, message('locked box'))
        m.trigger()
        time.sleep(0.7)
        assert os.path.getsize(box) == size, 'written while locked'
        m.wait_log(re.escape(qid) + ': removed', timeout=30)
    finally:
        t.join()
    assert released and time.time() - locked_at >= 1.0
    with open(box, 'rb') as f:
        data = f.read()
    assert b'Subject: locked box' in data[size:]
    assert re.search(re.escape(qid) + r': to=.*status=sent \(delivered to mailbox\)', m.log())


def test_slow_delivery_does_not_block_others(m):
    # USER's mailbox stays locked for 3 s; mail for OTHER, queued after
    # it, is delivered meanwhile on the second connection to local.
    box = os.path.join(m.spool, USER)
    fd = os.open(box, os.O_RDWR)
    fcntl.lockf(fd, fcntl.LOCK_EX)
    try:
        slow = m.inject(USER + '@' + HOST, message('slow one'))
        m.trigger()
        time.sleep(0.3)
        fast = m.inject(OTHER + '@' + HOST, message('fast one'))
        m.trigger()
        m.wait_log(re.escape(fast) + ': removed', timeout=2.5)
        assert slow + ': removed' not in m.log()
    finally:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        os.close(fd)
    m.wait_log(re.escape(slow) + ': removed', timeout=30)


def test_stale_dotlock_removed(m):
    box = os.path.join(m.spool, USER)
    lock = box + '.lock'
    with open(lock, 'w'):
        pass
    old = time.time() - 600
    os.utime(lock, (old, old))
    deliver(m, USER + '@' + HOST, message('stale lock'))
    assert not os.path.exists(lock)
    with open(box, 'rb') as f:
        assert b'Subject: stale lock' in f.read()


def test_case_folding_and_orig_to(m):
    qid = deliver(m, 'DromTest2@MX.Example.Test', message('folded'),
                  orig='Alias@mx.example.test')
    assert re.search(re.escape(qid) + r': to=<DromTest2@MX\.Example\.Test>, '
                     r'orig_to=<Alias@mx\.example\.test>, relay=local, delay=[\d.]+, '
                     r'dsn=2\.0\.0, status=sent', m.log()), m.log()
    with open(os.path.join(m.spool, USER), 'rb') as f:
        assert b'Subject: folded' in f.read()


def test_root_is_deferred(m):
    qid = m.inject('root@' + HOST, message('for root'))
    m.trigger()
    m.wait_log(re.escape(qid) + r': to=<root@mx\.example\.test>, relay=local, '
               r'delay=[\d.]+, dsn=4\.7\.1, status=deferred \(delivery to root is not '
               r'allowed without an alias\)', timeout=20)
    wait_for(lambda: any(p.endswith(qid) for p in m.queue_files('deferred')),
             timeout=10, what='root mail in deferred/')
    # Remove it again so that it does not disturb the other tests.
    for p in m.queue_files('deferred'):
        if p.endswith(qid):
            os.unlink(p)


def test_mbox_in_home(m):
    m.set_main(home_mailbox='Mailbox')
    m.reload()
    # The old local processes keep serving qmgr's open connections until
    # they exit; qmgr reconnects. Wait until a new configuration is used.
    deadline = time.time() + 30
    box = os.path.join(m.home_base, USER, 'Mailbox')
    while time.time() < deadline and not os.path.exists(box):
        deliver(m, USER + '@' + HOST, message('home mbox'))
    assert os.path.exists(box)
    pw = pwd.getpwnam(USER)
    st = os.stat(box)
    assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (pw.pw_uid, 0o600)
    with open(box, 'rb') as f:
        assert b'Subject: home mbox' in f.read()
