"""dromsuper against a running instance with delivery paused: mail for
slow.test goes to 127.0.0.5 on a port where nothing listens, so it waits
in deferred/ (minimal_backoff_time is an hour). hold, release, requeue,
delete (ALL of one queue, and IDs from standard input), expire (the
sender gets a multipart/report), the structure check and its repairs,
purge of old temporary files, and the refusal for non-root users."""
import email
import email.policy
import os
import re
import smtplib
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dromos_instance import Instance, free_port, wait_for  # noqa: E402
from burst import Blackhole  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

HOST = 'mx.example.test'
USER = 'dromsup1'          # a local sender that gets notices
DEAD = '127.0.0.5'
BUSY = '127.0.0.6'         # accepts and says nothing: mail stays active
QUEUES = ('incoming', 'active', 'deferred', 'hold', 'maildrop')


@pytest.fixture(scope='module')
def inst():
    busy = Blackhole(BUSY).start()
    i = Instance(hostname=HOST).setup(
        mydestination='%s, localhost' % HOST, mynetworks='127.0.0.0/8',
        transport_maps='inline:{ slow.test=smtp:[%s]:%d, '
        'busy.test=smtp:[%s]:%d }' % (DEAD, free_port(), BUSY, busy.port),
        smtp_connect_timeout='1s', smtp_helo_timeout='4s',
        queue_run_delay='1s',
        minimal_backoff_time='3600s', maximal_backoff_time='7200s')
    i.add_user(USER)
    i.start()
    yield i
    i.cleanup()
    busy.stop()


def submit(inst, rcpts, subject, sender=None):
    """Send one message over SMTP; its queue ID."""
    sender = sender or '%s@%s' % (USER, HOST)
    body = ('From: <%s>\nTo: <%s>\nSubject: %s\n\nbody of %s\n'
            % (sender, rcpts[0], subject, subject))
    s = wait_for(lambda: _connect(inst), timeout=20, what='smtpd')
    try:
        s.ehlo("client.example.test")
        assert s.mail(sender)[0] == 250
        for r in rcpts:
            assert s.rcpt(r)[0] == 250
        code, text = s.data(body.replace('\n', '\r\n').encode())
        assert code == 250, text
    finally:
        s.quit()
    return re.search(rb'queued as ([0-9A-F]+)', text).group(1).decode()


def _connect(inst):
    try:
        return smtplib.SMTP('127.0.0.1', inst.smtp_port, timeout=20)
    except OSError:
        return None


def where(inst, qid):
    """The queue that holds qid, or None."""
    for q in QUEUES:
        sub = '' if q == 'maildrop' else qid[-1]
        if os.path.exists(os.path.join(inst.queue_dir, q, sub, qid)):
            return q
    return None


def deferred(inst, rcpts, subject, **kw):
    qid = submit(inst, rcpts, subject, **kw)
    wait_for(lambda: where(inst, qid) == 'deferred' and
             re.search(r'%s: to=<[^>]*>, relay=.*status=deferred' % qid,
                       inst.log()),
             timeout=30, what='%s deferred' % qid)
    return qid


def dromsuper(inst, *args, data=None, user=None):
    argv = [os.path.join(inst.command_dir, 'dromsuper')] + list(args)
    if user:
        argv = ['setpriv', '--reuid', user, '--regid', user,
                '--clear-groups'] + argv
    env = dict(os.environ, MAIL_CONFIG=inst.config_dir)
    return subprocess.run(argv, input=data, env=env, capture_output=True,
                          text=True, timeout=60)


def mkdir_like(top, d):
    """A subfolder as the queue's own: mail_owner, mode 0700."""
    if not os.path.isdir(d):
        os.mkdir(d, 0o700)
        st = os.stat(top)
        os.chown(d, st.st_uid, st.st_gid)


def attempts(inst, qid):
    return len(re.findall(r'%s: to=<' % qid, inst.log()))


def test_non_root_refused(inst):
    r = dromsuper(inst, '-d', 'ALL', user='65534')
    assert r.returncode != 0
    assert 'reserved for the superuser' in r.stderr


def test_usage_errors(inst):
    assert dromsuper(inst).returncode != 0
    r = dromsuper(inst, '-d', 'not/an/id')
    assert r.returncode != 0 and 'not a queue ID' in r.stderr
    r = dromsuper(inst, '-H', 'ALL', 'deferred')
    assert r.returncode != 0 and 'not a queue' in r.stderr


def test_hold_and_release(inst):
    qid = deferred(inst, ['a@slow.test'], 'hold me')
    r = dromsuper(inst, '-h', qid)
    assert r.returncode == 0, r.stderr
    assert 'dromsuper: Placed on hold: 1 message' in r.stderr
    assert where(inst, qid) == 'hold'
    inst.wait_log(r'%s: placed on hold' % qid)
    tried = attempts(inst, qid)
    inst.dromos('flush')
    time.sleep(3)
    assert where(inst, qid) == 'hold'
    assert attempts(inst, qid) == tried
    r = dromsuper(inst, '-H', qid)
    assert r.returncode == 0, r.stderr
    assert 'dromsuper: Released from hold: 1 message' in r.stderr
    inst.wait_log(r'%s: released from hold' % qid)
    wait_for(lambda: attempts(inst, qid) > tried, timeout=30,
             what='%s tried again' % qid)
    dromsuper(inst, '-d', qid)


def test_requeue(inst):
    qid = deferred(inst, ['c1@slow.test', 'c2@slow.test'], 'requeue me')
    r = dromsuper(inst, '-r', qid)
    assert r.returncode == 0, r.stderr
    assert 'dromsuper: Requeued: 1 message' in r.stderr
    m = inst.wait_log(r'%s: requeued as ([0-9A-F]+)' % qid)
    new = m.group(1)
    assert new != qid
    assert where(inst, qid) is None
    inst.wait_log(r'%s: from=<%s@%s>, size=\d+, nrcpt=2 \(queue active\)'
                  % (new, USER, HOST))
    for rcpt in ('c1@slow.test', 'c2@slow.test'):
        inst.wait_log(r'%s: to=<%s>' % (new, rcpt), timeout=30)
    dromsuper(inst, '-d', new)


def test_delete_all_deferred_keeps_hold(inst):
    ids = [deferred(inst, ['d%d@slow.test' % n], 'delete %d' % n)
           for n in range(2)]
    held = deferred(inst, ['held@slow.test'], 'keep me')
    assert dromsuper(inst, '-h', held).returncode == 0
    # A notice log belongs to its message.
    for folder in ('defer', 'bounce'):
        top = os.path.join(inst.queue_dir, folder)
        d = os.path.join(top, ids[0][-1])
        mkdir_like(top, d)
        with open(os.path.join(d, ids[0]), 'w') as f:
            f.write('rcpt=d0@slow.test\taction=delayed\tstatus=4.4.1\n')
        st = os.stat(top)
        os.chown(os.path.join(d, ids[0]), st.st_uid, st.st_gid)
    r = dromsuper(inst, '-d', 'ALL', 'deferred')
    assert r.returncode == 0, r.stderr
    assert 'dromsuper: Deleted: 2 messages' in r.stderr
    for qid in ids:
        assert where(inst, qid) is None
        inst.wait_log(r'%s: removed' % qid)
    for folder in ('defer', 'bounce'):
        assert not os.path.exists(os.path.join(inst.queue_dir, folder,
                                               ids[0][-1], ids[0]))
    assert where(inst, held) == 'hold'
    # IDs from standard input, one a line.
    r = dromsuper(inst, '-d', '-', data=held + '\n')
    assert r.returncode == 0, r.stderr
    assert 'dromsuper: Deleted: 1 message' in r.stderr
    assert where(inst, held) is None
    r = dromsuper(inst, '-d', held)
    assert r.returncode == 1 and 'no such message' in r.stderr


def test_expire_bounces_with_notice(inst):
    qid = deferred(inst, ['e@slow.test'], 'expire me')
    r = dromsuper(inst, '-e', qid)
    assert r.returncode == 0, r.stderr
    assert 'dromsuper: Expired: 1 message' in r.stderr
    inst.wait_log(r'%s: expired by the administrator' % qid)
    inst.wait_log(r'%s: to=<e@slow.test>, relay=none, .*dsn=5\.4\.7, '
                  r'status=expired \(message expired by the administrator\)'
                  % qid, timeout=30)
    inst.wait_log(r'%s: removed' % qid, timeout=30)

    def notice():
        d = os.path.join(inst.home_base, USER, 'Maildir', 'new')
        for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            with open(os.path.join(d, f), 'rb') as fp:
                raw = fp.read()
            if qid.encode() in raw or b'expire me' in raw:
                return email.message_from_bytes(
                    raw, policy=email.policy.compat32)
        return None
    msg = wait_for(notice, timeout=30, what='the sender notice')
    assert msg.get_content_type() == 'multipart/report'
    assert 'expired by the administrator' in msg.as_string()


def test_structure_check_repairs_misplaced(inst):
    qid = deferred(inst, ['s@slow.test'], 'misplaced')
    assert dromsuper(inst, '-h', qid).returncode == 0
    right = os.path.join(inst.queue_dir, 'hold', qid[-1], qid)
    wrong_digit = '0' if qid[-1] != '0' else '1'
    wrong_dir = os.path.join(inst.queue_dir, 'hold', wrong_digit)
    mkdir_like(os.path.join(inst.queue_dir, 'hold'), wrong_dir)
    os.rename(right, os.path.join(wrong_dir, qid))
    junk = os.path.join(wrong_dir, 'not-a-queue-id')
    with open(junk, 'w') as f:
        f.write('junk\n')
    r = dromsuper(inst, '-s')
    assert r.returncode == 1
    assert 'misplaced: moved to hold/%s/%s' % (qid[-1], qid) in r.stderr
    assert 'not-a-queue-id: not a queue file' in r.stderr
    assert 'Structure check: 1 repaired, 1 not repaired' in r.stderr
    assert os.path.exists(right)
    os.unlink(junk)
    r = dromsuper(inst, '-s')
    assert r.returncode == 0, r.stderr
    assert 'Structure check: 0 repaired, 0 not repaired' in r.stderr
    dromsuper(inst, '-d', qid)


def test_purge_old_temporary_files(inst):
    old = os.path.join(inst.queue_dir, 'deferred', 'tmp.1.2.3.4')
    fresh = os.path.join(inst.queue_dir, 'deferred', 'tmp.5.6.7.8')
    for p in (old, fresh):
        with open(p, 'w') as f:
            f.write('partial')
    past = time.time() - 2 * 3600
    os.utime(old, (past, past))
    r = dromsuper(inst, '-s')
    assert 'tmp.1.2.3.4: temporary file older than an hour' in r.stderr
    assert 'tmp.5.6.7.8' not in r.stderr
    r = dromsuper(inst, '-p')
    assert r.returncode == 0, r.stderr
    # The old file, and any spare files in recycle/.
    recycle = os.path.join(inst.queue_dir, 'recycle')
    # (a fresh tmp.* there is a file cleanup prepared for its next message)
    spares = [f for f in os.listdir(recycle) if not f.startswith('tmp.')] \
        if os.path.isdir(recycle) else []
    assert spares == []
    assert re.search(r'dromsuper: Purged: [1-9]\d* files?\n', r.stderr)
    inst.wait_log(r'removed temporary file deferred/tmp\.1\.2\.3\.4')
    assert not os.path.exists(old)
    assert os.path.exists(fresh)
    os.unlink(fresh)


def test_active_messages_qmgr_copes(inst):
    """Messages at a delivery agent: -r and -e leave them alone; -h and
    -d take them, and qmgr, finding active/ID gone when the agent
    answers, drops the message instead of exiting."""
    held = submit(inst, ['x@busy.test'], 'active hold')
    gone = submit(inst, ['z@busy.test'], 'active delete')
    for qid in (held, gone):
        wait_for(lambda: where(inst, qid) == 'active', timeout=20,
                 what='%s active' % qid)
    for busy_op in ('-r', '-e'):
        r = dromsuper(inst, busy_op, held)
        assert r.returncode == 1
        assert '%s: busy' % held in r.stderr
    r = dromsuper(inst, '-h', held, '-d', gone)
    assert r.returncode == 0, r.stderr
    assert 'dromsuper: Placed on hold: 1 message' in r.stderr
    assert 'dromsuper: Deleted: 1 message' in r.stderr
    for qid in (held, gone):
        inst.wait_log(r'%s: queue file is gone \(removed or put on hold by '
                      r'the administrator\): dropped from the active queue'
                      % qid, timeout=30)
    assert not re.search(r'qmgr\[\d+\]: fatal', inst.log())
    assert where(inst, held) == 'hold'
    assert where(inst, gone) is None
    # qmgr still works.
    other = deferred(inst, ['y@slow.test'], 'after active')
    assert dromsuper(inst, '-d', other, '-d', held).returncode == 0
