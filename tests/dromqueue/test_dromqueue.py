"""dromqueue, mailq and sendmail -bp through the showq service, as root
and as an ordinary user: the text and JSON listings of deferred mail,
flushes (all, one site, one message), an empty queue, a corrupt file, and
the modes of the public sockets."""
import json
import os
import pwd
import re
import socket
import subprocess
import time
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dromos_instance import Instance, wait_for  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

HOST = 'mx.example.test'
USER = 'dromq1'
DEAD = '127.0.0.5'


def _free_port():
    s = socket.socket()
    s.bind((DEAD, 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture(scope='module')
def inst():
    port = _free_port()
    i = Instance(hostname=HOST).setup(
        mydestination='%s, localhost' % HOST,
        minimal_backoff_time='3600s', maximal_backoff_time='7200s',
        queue_run_delay='3600s', smtp_connect_timeout='1s',
        transport_maps='inline:{ dead.test=smtp:[%s]:%d, '
        'other.test=smtp:[%s]:%d }' % (DEAD, port, DEAD, port))
    i.add_user(USER)
    i.start()
    yield i
    i.cleanup()


def as_user(argv):
    pw = pwd.getpwnam(USER)
    return ['setpriv', '--reuid', str(pw.pw_uid), '--regid',
            str(pw.pw_gid), '--init-groups'] + argv


def run(inst, cmd, args, user=False, check=True, env_extra=None):
    argv = [os.path.join(inst.command_dir, cmd)] + list(args)
    if user:
        argv = as_user(argv)
    env = dict(os.environ, MAIL_CONFIG=inst.config_dir, **(env_extra or {}))
    r = subprocess.run(argv, env=env, capture_output=True, timeout=60)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def listing(inst, user=False):
    out = run(inst, 'dromqueue', ['-j'], user=user).stdout.decode()
    return [json.loads(line) for line in out.splitlines()]


def submit(inst, rcpt, subject):
    r = run(inst, 'sendmail', ['-i', '-f', 'alice@example.org', rcpt],
            check=False)
    assert r.returncode == 0, r.stderr
    return subject


def deferred_count(inst, rcpt):
    return len(re.findall(r'to=<%s>.*status=deferred' % re.escape(rcpt),
                          inst.log()))


def queued(inst, n):
    def ok():
        msgs = listing(inst)
        if len(msgs) == n and all(m['queue_name'] == 'deferred'
                                  and all('delay_reason' in r
                                          for r in m['recipients'])
                                  for m in msgs):
            return msgs
        return None
    return wait_for(ok, timeout=60, what='%d deferred messages' % n)


def test_empty_queue(inst):
    r = run(inst, 'dromqueue', ['-p'])
    assert r.stdout == b'Mail queue is empty\n'
    r = run(inst, 'mailq', [], user=True)
    assert r.stdout == b'Mail queue is empty\n'
    assert run(inst, 'dromqueue', ['-j']).stdout == b''


def test_listing_and_flush(inst):
    submit(inst, 'bob@dead.test', 'one')
    submit(inst, 'carol@other.test', 'two')
    msgs = queued(inst, 2)
    byrcpt = {m['recipients'][0]['address']: m for m in msgs}
    assert set(byrcpt) == {'bob@dead.test', 'carol@other.test'}
    for m in msgs:
        assert set(m) == {'queue_name', 'queue_id', 'arrival_time',
                          'message_size', 'forced_expire', 'sender',
                          'recipients'}
        assert m['queue_name'] == 'deferred'
        assert m['sender'] == 'alice@example.org'
        assert m['forced_expire'] is False
        assert isinstance(m['arrival_time'], int)
        assert isinstance(m['message_size'], int) and m['message_size'] > 0
        assert len(m['recipients']) == 1
        assert 'Connection refused' in m['recipients'][0]['delay_reason']
        path = os.path.join(inst.queue_dir, 'deferred',
                            m['queue_id'][-1], m['queue_id'])
        assert os.path.exists(path)

    # The same as an ordinary user, who cannot read the spool.
    assert listing(inst, user=True) == msgs
    text = run(inst, 'dromqueue', ['-p']).stdout.decode()
    assert text.startswith('-Queue ID-           --Size-- '
                           '----Arrival Time---- -Sender/Recipient-------\n')
    assert text.endswith('in 2 Requests.\n')
    for m in msgs:
        assert m['queue_id'] in text
    assert '(connect to' in text and 'Connection refused)' in text
    assert run(inst, 'mailq', [], user=True).stdout.decode() == text
    assert run(inst, 'sendmail', ['-bp'], user=True).stdout.decode() == text

    # -s: only that site is tried again.
    bob = byrcpt['bob@dead.test']['queue_id']
    carol = byrcpt['carol@other.test']['queue_id']
    b0, c0 = deferred_count(inst, 'bob@dead.test'), \
        deferred_count(inst, 'carol@other.test')
    run(inst, 'dromqueue', ['-s', 'dead.test'], user=True)
    wait_for(lambda: deferred_count(inst, 'bob@dead.test') > b0,
             timeout=30, what='a new attempt for dead.test')
    assert deferred_count(inst, 'carol@other.test') == c0

    # -i: one message.
    c0 = deferred_count(inst, 'carol@other.test')
    run(inst, 'dromqueue', ['-i', carol])
    wait_for(lambda: deferred_count(inst, 'carol@other.test') > c0,
             timeout=30, what='a new attempt for the one message')

    # -f: everything.
    b0, c0 = deferred_count(inst, 'bob@dead.test'), \
        deferred_count(inst, 'carol@other.test')
    queued(inst, 2)
    run(inst, 'dromqueue', ['-f'])
    wait_for(lambda: deferred_count(inst, 'bob@dead.test') > b0
             and deferred_count(inst, 'carol@other.test') > c0,
             timeout=30, what='new attempts after -f')
    assert bob in run(inst, 'dromqueue', ['-p']).stdout.decode()


def test_hold_shown_with_bang_and_status_counts(inst):
    """dromsuper -h: the listing shows the message with "!" and queue_name
    hold, and nothing tries it; -H puts it back in deferred. dromos status
    (as root) counts each queue."""
    msgs = queued(inst, 2)
    qid = msgs[0]['queue_id']
    rcpt = msgs[0]['recipients'][0]['address']
    r = run(inst, 'dromsuper', ['-h', qid])
    assert b'Placed on hold: 1 message' in r.stderr
    text = run(inst, 'dromqueue', ['-p'], user=True).stdout.decode()
    assert re.search(re.escape(qid) + r'!\s+\d+ ', text), text
    held = [m for m in listing(inst) if m['queue_id'] == qid][0]
    assert held['queue_name'] == 'hold'
    st = run(inst, 'dromos', ['-c', inst.config_dir, 'status']).stderr.decode()
    assert re.search(r'queue: maildrop 0, incoming 0, active 0, '
                     r'deferred 1, hold 1, corrupt \d+', st), st
    n0 = deferred_count(inst, rcpt)
    run(inst, 'dromqueue', ['-f'])
    time.sleep(2)
    assert deferred_count(inst, rcpt) == n0     # held: not tried
    r = run(inst, 'dromsuper', ['-H', qid])
    assert b'Released from hold: 1 message' in r.stderr
    wait_for(lambda: deferred_count(inst, rcpt) > n0, timeout=30,
             what='a new attempt after release')
    queued(inst, 2)


def test_corrupt_file_skipped(inst):
    msgs = queued(inst, 2)
    bad = '0000000010000' + 'ABCDEF7'
    d = os.path.join(inst.queue_dir, 'hold', bad[-1])
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, bad)
    with open(path, 'wb') as f:
        f.write(b'V\x00\x00\x00\x05garbage')
    os.chmod(path, 0o700)
    owner = pwd.getpwnam(inst.default('mail_owner'))
    os.chown(path, owner.pw_uid, owner.pw_gid)
    try:
        assert listing(inst, user=True) == msgs
        wait_for(lambda: bad in inst.log() or None, timeout=10,
                 what='a warning about the corrupt file')
    finally:
        os.unlink(path)


def test_public_datagram_sockets_closed_to_users(inst):
    pw = pwd.getpwnam(USER)
    for name in ('dromlog', 'pickup'):
        path = os.path.join(inst.queue_dir, 'public', name)
        code = ('import socket\ns = socket.socket(socket.AF_UNIX, '
                'socket.SOCK_DGRAM)\ntry:\n    s.sendto(b"W", %r)\n'
                'except PermissionError:\n    print("denied")\n' % path)
        r = subprocess.run(as_user([sys.executable, '-c', code]),
                           capture_output=True, timeout=30)
        assert r.stdout == b'denied\n', (name, r.stdout, r.stderr)
    st = os.stat(os.path.join(inst.queue_dir, 'public'))
    assert st.st_mode & 0o777 == 0o711
    assert pw.pw_uid != 0
