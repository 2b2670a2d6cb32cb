"""qmgr and local end to end, with a real instance (tests/lib) and queue
files written by mkqfile the way cleanup writes them.

Maildir delivery is byte-exact (Return-Path and Delivered-To, then the
stored content), mode 0600, owned by the user; an unknown user is bounced
and the file removed; a non-local domain goes to the error transport
(transport_maps) and its sender gets a notice; a deferred
delivery (Maildir is a plain file) goes to deferred/ with a future
modification time and is delivered once fixed; a corrupt file goes to
corrupt/ with a log line; mail in deferred/ survives a stop and start;
kill -9 of qmgr and local during a burst of 200 messages loses nothing;
qmgr runs as mail_owner chrooted into the queue, local as root unchrooted.
"""
import os
import pwd
import re
import signal
import stat
import time

import pytest

from mailtest import (MailInstance, message, wait_for, proc_status, require_built,
                      make_maildir_a_file, fix_maildir, HOST)

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

USER = 'dromtest1'


@pytest.fixture(scope='module')
def m():
    require_built('qmgr', 'local')
    inst = MailInstance()
    inst.add_user(USER)
    yield inst
    inst.finish()


def deliver_one(m, rcpt, subject, **kw):
    qid = m.inject(rcpt, message(subject), **kw)
    m.trigger()
    m.wait_log(re.escape(qid) + ': removed', timeout=20)
    return qid


def file_with(m, user, needle):
    for p in m.maildir_files(user):
        with open(p, 'rb') as f:
            data = f.read()
        if needle in data:
            return p, data
    return None, None


def test_maildir_delivery_byte_exact(m):
    content = message('exact one', body='line 1\nFrom the start\n\n.\nlast\n')
    qid = m.inject(USER + '@' + HOST, content, sender='alice@example.org')
    m.trigger()
    m.wait_log(re.escape(qid) + ': removed', timeout=20)
    log = m.log()
    assert re.search(re.escape(qid) + r': from=<alice@example.org>, size=%d, '
                     r'nrcpt=1 \(queue active\)' % len(content), log), log
    assert re.search(re.escape(qid) + r': to=<%s@%s>, relay=local, delay=\d+\.\d, '
                     r'dsn=2\.0\.0, status=sent \(delivered to maildir\)'
                     % (USER, re.escape(HOST)), log), log
    path, data = file_with(m, USER, b'exact one')
    assert path, m.maildir_files(USER)
    assert data == (b'Return-Path: <alice@example.org>\n'
                    b'Delivered-To: dromtest1@mx.example.test\n') + content
    st = os.stat(path)
    assert stat.S_IMODE(st.st_mode) == 0o600

    pw = pwd.getpwnam(USER)
    assert (st.st_uid, st.st_gid) == (pw.pw_uid, pw.pw_gid)
    assert path.endswith(',S=%d' % len(data))
    for sub in ('', 'tmp', 'new', 'cur'):
        d = os.path.join(m.home_base, USER, 'Maildir', sub)
        assert stat.S_IMODE(os.stat(d).st_mode) == 0o700
        assert os.stat(d).st_uid == pw.pw_uid
    assert m.maildir_files(USER, 'tmp') == []
    assert m.queue_empty()


def test_unknown_user_bounced(m):
    qid = deliver_one(m, 'nosuchuser@' + HOST, 'unknown')
    assert re.search(re.escape(qid) + r': to=<nosuchuser@mx\.example\.test>, relay=local, '
                     r'delay=[\d.]+, dsn=5\.1\.1, status=bounced \(unknown user: '
                     r'"nosuchuser"\)', m.log()), m.log()
    # The sender's notice is queued before the file goes; it bounces in
    # turn (example.org goes to the error transport) and leaves too.
    m.wait_log(re.escape(qid) + r': sender non-delivery notification: [0-9A-F]+',
               timeout=10)
    wait_for(m.queue_empty, timeout=20, what='empty queue (the notice too)')


def test_non_local_domain_routed_to_error_transport(m):
    """A non-local domain goes where transport_maps says: here the error
    transport (the instance delivers nothing remote), so qmgr bounces it
    with the table's text and the sender gets a notice (which bounces
    in turn: example.org is routed to error too, and that double bounce
    is dropped)."""
    qid = deliver_one(m, 'someone@elsewhere.example', 'relay')
    assert re.search(re.escape(qid) + r': to=<someone@elsewhere\.example>, relay=none, '
                     r'delay=[\d.]+, dsn=5\.0\.0, status=bounced \(no remote delivery '
                     r'in tests\)', m.log()), m.log()
    m.wait_log(re.escape(qid) + r': sender non-delivery notification: [0-9A-F]+',
               timeout=10)


def test_mixed_recipients_one_file(m):
    qid = m.inject([USER + '@' + HOST, 'ghost@' + HOST, USER.upper() + '@localhost'],
                   message('mixed'))
    m.trigger()
    m.wait_log(re.escape(qid) + ': removed', timeout=20)
    log = m.log()
    assert re.search(re.escape(qid) + r': from=<sender@example\.org>, size=\d+, nrcpt=3', log)
    assert len(re.findall(re.escape(qid) + r': to=.*status=sent', log)) == 2, log
    assert len(re.findall(re.escape(qid) + r': to=.*status=bounced', log)) == 1, log


def test_deferred_then_delivered(m):
    md, saved = make_maildir_a_file(m, USER)
    try:
        qid = m.inject(USER + '@' + HOST, message('deferred once'))
        m.trigger()
        m.wait_log(re.escape(qid) + r': to=<dromtest1@mx\.example\.test>, relay=local, '
                   r'delay=[\d.]+, dsn=4\.2\.0, status=deferred \(maildir delivery '
                   r'failed: ', timeout=20)
        files = wait_for(lambda: m.queue_files('deferred'), timeout=10,
                         what='file in deferred/')
        assert [os.path.basename(f) for f in files] == [qid]
        try:
            # The next attempt is in the future (unless it began already).
            assert os.stat(files[0]).st_mtime > time.time() - 1
        except FileNotFoundError:
            pass
        # Retried after the back-off and still failing: stays deferred.
        wait_for(lambda: len(re.findall(re.escape(qid) + r': to=.*status=deferred',
                                        m.log())) >= 2, timeout=20,
                 what='second attempt')
    finally:
        fix_maildir(md, saved)
    m.wait_log(re.escape(qid) + r': to=<dromtest1@mx\.example\.test>, relay=local, '
               r'delay=[\d.]+, dsn=2\.0\.0, status=sent', timeout=20)
    m.wait_log(re.escape(qid) + ': removed', timeout=10)
    assert file_with(m, USER, b'deferred once')[0]
    assert m.queue_empty()


def test_flush_tries_deferred_now(m):
    """dromos flush: a deferred message whose next attempt is an hour
    away goes out at once; without the flush it stays deferred."""
    md, saved = make_maildir_a_file(m, USER)
    try:
        qid = m.inject(USER + '@' + HOST, message('flushed'))
        m.trigger()
        # Deferred; push its next attempt an hour out (again if a retry
        # came first).
        deadline = time.monotonic() + 30
        while True:
            assert time.monotonic() < deadline, 'no deferred file'
            files = m.queue_files('deferred')
            if files:
                later = time.time() + 3600
                try:
                    os.utime(files[0], (later, later))
                    break
                except FileNotFoundError:
                    pass
            time.sleep(0.01)
        assert [os.path.basename(f) for f in files] == [qid]
    finally:
        fix_maildir(md, saved)
    time.sleep(3)           # scans every second (queue_run_delay=1s)
    assert [os.path.basename(f) for f in m.queue_files('deferred')] == [qid]
    assert not re.search(re.escape(qid) + r': to=.*status=sent', m.log())
    m.dromos('flush')
    m.wait_log(r'qmgr\[\d+\]: flush: every deferred message is tried now',
               timeout=10)
    m.wait_log(re.escape(qid) + r': to=<dromtest1@mx\.example\.test>, relay=local, '
               r'delay=[\d.]+, dsn=2\.0\.0, status=sent', timeout=20)
    m.wait_log(re.escape(qid) + ': removed', timeout=10)
    assert file_with(m, USER, b'flushed')[0]


def test_corrupt_file_moved(m):
    qid = '0123456789ABCDEF01'
    d = os.path.join(m.queue_dir, 'incoming', qid[-1])
    os.makedirs(d, exist_ok=True)
    os.chown(d, m.owner.pw_uid, m.owner.pw_gid)
    os.chmod(d, 0o700)
    path = os.path.join(d, qid)
    with open(path, 'wb') as f:
        f.write(b'V\x00\x00\x00\x0edromos-queue 1T\x00\x00\x00\x05garbage and more')
    os.chown(path, m.owner.pw_uid, m.owner.pw_gid)
    os.chmod(path, 0o700)
    m.trigger()
    m.wait_log(re.escape(qid) + r': corrupt queue file moved to corrupt', timeout=20)
    assert [os.path.basename(p) for p in m.queue_files('corrupt')] == [qid]
    assert not os.path.exists(path)


def test_unready_file_left_alone(m):
    # A file without the ready bit is still being written: not touched.
    qid = '0123456789ABCDEF02'
    d = os.path.join(m.queue_dir, 'incoming', qid[-1])
    os.makedirs(d, exist_ok=True)
    os.chown(d, m.owner.pw_uid, m.owner.pw_gid)
    path = os.path.join(d, qid)
    with open(path, 'wb') as f:
        f.write(b'partial')
    os.chown(path, m.owner.pw_uid, m.owner.pw_gid)
    os.chmod(path, 0o600)
    m.trigger()
    time.sleep(2.5)
    assert os.path.exists(path)
    # Older than an hour: an abandoned write, removed.
    old = time.time() - 7200
    os.utime(path, (old, old))
    m.trigger()
    wait_for(lambda: not os.path.exists(path), timeout=10, what='abandoned file removed')


def test_process_owners(m):
    qmgr = wait_for(lambda: m.service_pids('qmgr'), what='qmgr process')[0]
    st = proc_status(qmgr)
    assert st['Uid'].split()[:2] == [str(m.owner.pw_uid)] * 2, st['Uid']
    assert os.readlink('/proc/%d/root' % qmgr) == os.path.realpath(m.queue_dir)
    # local runs while a delivery connection is open (max_idle after that).
    deliver_one(m, USER + '@' + HOST, 'owners')
    local = wait_for(lambda: m.service_pids('local'), what='local process')[0]
    st = proc_status(local)
    assert st['Uid'].split()[0] == '0', st['Uid']
    assert os.readlink('/proc/%d/root' % local) == '/'


def test_deferred_survives_restart(m):
    md, saved = make_maildir_a_file(m, USER)
    fixed = False
    try:
        qid = m.inject(USER + '@' + HOST, message('across restart'))
        m.trigger()
        wait_for(lambda: m.queue_files('deferred'), timeout=20, what='deferred file')
        m.stop()
        fix_maildir(md, saved)
        fixed = True
        m.start()
        m.wait_log(re.escape(qid) + ': removed', timeout=30)
        assert file_with(m, USER, b'across restart')[0]
    finally:
        if not fixed:
            fix_maildir(md, saved)


def kill_service(m, name):
    for pid in m.service_pids(name):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_kill_during_burst_loses_nothing(m):
    n = 500
    before = set(m.maildir_files(USER))
    ids = m.inject(USER + '@' + HOST, message('burst'), count=n)
    m.trigger()
    old_qmgr = set(m.service_pids('qmgr'))
    killed_busy = 0
    # The first kill comes early: 500 local deliveries can take well
    # under a second.
    for pause in (0.01, 0.1, 0.3):
        time.sleep(pause)
        killed_busy += not m.queue_empty()
        kill_service(m, 'qmgr')
        kill_service(m, 'local')
    assert killed_busy, 'the burst was over before the first kill'
    # master starts qmgr again on its next trigger: new mail (cleanup's
    # "I") or the wakeup timer; do what cleanup would do.
    time.sleep(0.5)
    m.trigger()
    wait_for(m.queue_empty, timeout=120, interval=0.2, what='queue to drain')
    seqs = []
    for p in set(m.maildir_files(USER)) - before:
        with open(p, 'rb') as f:
            data = f.read()
        mm = re.search(rb'^X-Seq: (\d+)$', data, re.M)
        assert mm, data[:200]
        seqs.append(int(mm.group(1)))
    missing = set(range(1, n + 1)) - set(seqs)
    assert missing == set(), 'lost: %s' % sorted(missing)
    # qmgr may be killed between the unlink and its "removed" line; then
    # the delivery line shows the message went out. The last lines may
    # reach the log file a moment after the queue is empty.

    def accounted(log, qid):
        return (qid + ': removed' in log or re.search(
            re.escape(qid) + r': to=<[^>]*>, .*status=sent', log))

    wait_for(lambda: all(accounted(m.log(), q) for q in ids), timeout=30,
             interval=0.2, what='a delivery or removal line for each message')
    log = m.log()
    for qid in ids:
        assert accounted(log, qid), qid
    assert not (set(m.service_pids('qmgr')) & old_qmgr)
    assert 'recovered from active' in log


def test_named_trigger_activates_one_file(m):
    """cleanup's trigger "A" + queue ID activates that file directly; a
    malformed ID is refused with a warning and nothing happens."""
    qid = m.inject(USER + '@' + HOST, message('named trigger'))
    m.trigger(b'A' + qid.encode())
    m.wait_log(re.escape(qid) + ': removed', timeout=20)
    m.trigger(b'A../../etc/passwd')
    m.wait_log(r'trigger with a malformed queue ID ignored', timeout=10)
    m.trigger(b'A' + b'F' * 100)
    m.wait_log(r'trigger with an over-long queue ID ignored', timeout=10)
    # A trigger for a file that is not (or no longer) there is harmless.
    m.trigger(b'A' + qid.encode())
    assert file_with(m, USER, b'named trigger')[0]
