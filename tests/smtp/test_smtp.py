"""The smtp client end to end on loopback: a real dromos instance (a)
relays to scripted SMTP peers on 127.0.0.3 (tests/lib/smtp_peer.py), to
Postfix's smtp-sink, and to MX hosts that a real DNS server (dnsmasq)
names. Checks what the peer receives, the per-recipient results and log
lines, retries of refused recipients, throttling of a dead destination,
dromos flush, loop detection, SIZE, 8BITMIME and PIPELINING."""
import email
import email.policy
import os
import re
import shutil
import smtplib
import socket
import subprocess
import sys
import tempfile
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dromos_instance import Instance, free_port, listening, wait_for  # noqa: E402
from dns_fixture import DnsServer, ServfailServer, use_dns  # noqa: E402
from smtp_peer import SmtpPeer  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

HOST = 'a.example.test'
PEER_ADDR = '127.0.0.3'
SINK_ADDR = '127.0.0.4'
DEAD_ADDR = '127.0.0.5'


def _free_port_on(addr):
    with socket.socket() as s:
        s.bind((addr, 0))
        return s.getsockname()[1]


@pytest.fixture(scope='module')
def env():
    peer_port = _free_port_on(PEER_ADDR)
    sink_port = _free_port_on(SINK_ADDR)
    servfail_port = free_port()
    records = [
        ('MX', 'mx.test', 10, 'mx1.mx.test'),
        ('MX', 'mx.test', 20, 'mx2.mx.test'),
        ('A', 'mx1.mx.test', DEAD_ADDR),       # nothing listens there
        ('A', 'mx2.mx.test', PEER_ADDR),
        ('MX', 'nullmx.test', 0, '.'),
        ('A', 'nomx.test', PEER_ADDR),
        ('MX', 'self.test', 10, 'me.self.test'),
        ('A', 'me.self.test', '127.0.0.1'),    # this host
    ]
    servfail = ServfailServer('127.0.0.1', port=servfail_port)
    servfail.start()
    dns = DnsServer(records, forward=[('servfail.test', '127.0.0.1#%d'
                                       % servfail_port)])
    dns.start()
    inst = Instance(hostname=HOST)
    transport = ('inline:{ sink.test=smtp:[%s]:%d, '
                 'mx.test=smtp:mx.test:%d, nomx.test=smtp:nomx.test:%d, '
                 'nullmx.test=smtp:nullmx.test:%d, '
                 'servfail.test=smtp:servfail.test:%d, '
                 'self.test=smtp:self.test:%d, '
                 'loop.test=smtp:[127.0.0.1]:%d, '
                 '{ gone.test = error:no such domain here } }'
                 % (SINK_ADDR, sink_port, peer_port, peer_port, peer_port,
                    peer_port, peer_port, 2525))
    inst.setup(queue_run_delay='1s', minimal_backoff_time='2s',
               maximal_backoff_time='3s', mynetworks='127.0.0.0/8',
               relayhost='[%s]:%d' % (PEER_ADDR, peer_port),
               transport_maps=transport,
               smtp_connect_timeout='3s', smtp_helo_timeout='5s')
    use_dns(inst, dns)
    inst.start()
    wait_for(lambda: listening(inst.smtp_port), what='smtpd port')
    yield dict(inst=inst, peer_port=peer_port, sink_port=sink_port, dns=dns)
    inst.cleanup()
    dns.stop()
    servfail.stop()


@pytest.fixture
def peer(env):
    p = SmtpPeer(PEER_ADDR, env['peer_port'])
    yield p
    p.stop()


def send(inst, rcpts, body=None, sender='alice@a.example.test',
         mail_options=(), rcpt_options=()):
    if isinstance(rcpts, str):
        rcpts = [rcpts]
    if body is None:
        body = 'Subject: test\r\n\r\nhello\r\n'
    with smtplib.SMTP('127.0.0.1', inst.smtp_port, timeout=60) as s:
        s.ehlo('client.example')
        s.mail(sender, list(mail_options))
        for r in rcpts:
            code, text = s.rcpt(r, list(rcpt_options))
            assert code == 250, (r, code, text)
        code, text = s.data(body)
    assert code == 250, text
    return re.search(rb'queued as ([0-9A-F]+)', text).group(1).decode()


def removed(inst, qid, timeout=30):
    inst.wait_log(re.escape(qid) + r': removed', timeout=timeout)


def rcpt_lines(inst, qid, rcpt):
    return re.findall(re.escape(qid) + r': to=<' + re.escape(rcpt) + r'>.*',
                      inst.log())


def test_relay_to_peer(env, peer):
    inst = env['inst']
    peer.start()
    qid = send(inst, 'bob@peer.test', 'Subject: hi\r\n\r\nline 1\r\n'
               '.leading dot\r\n..two dots\r\n.\r\nend\r\n')
    removed(inst, qid)
    assert len(peer.messages) == 1
    m = peer.messages[0]
    assert m.mail == 'alice@a.example.test'
    assert m.rcpts == ['bob@peer.test']
    # Dot-stuffing and CRLF survive the trip exactly.
    assert m.data.endswith(b'line 1\r\n.leading dot\r\n..two dots\r\n.\r\n'
                           b'end\r\n')
    assert re.search(rb'Received: from client\.example .*\r\n\s+by '
                     rb'a\.example\.test', m.data)
    line = rcpt_lines(inst, qid, 'bob@peer.test')[0]
    assert re.search(r'relay=%s\[%s\]:%d, delay=[\d.]+, dsn=2\.0\.0, '
                     r'status=sent \(250 2\.0\.0 Ok: queued as PEER1\)'
                     % (re.escape(PEER_ADDR), re.escape(PEER_ADDR),
                        env['peer_port']), line), line
    # SIZE: the peer announced it, so MAIL FROM says how big.
    assert re.match(r'SIZE=\d+$', m.params), m.params


def test_pipelining_one_write(env, peer):
    inst = env['inst']
    peer.start()
    qid = send(inst, ['r1@peer.test', 'r2@peer.test', 'r3@peer.test'])
    removed(inst, qid)
    assert len(peer.messages) == 1
    assert peer.messages[0].rcpts == ['r1@peer.test', 'r2@peer.test',
                                      'r3@peer.test']
    verbs = [[c.split(' ')[0].split(':')[0] for c in b]
             for s in peer.sessions for b in s.batches]
    assert ['MAIL', 'RCPT', 'RCPT', 'RCPT', 'DATA'] in verbs, verbs


def test_no_pipelining_one_command_at_a_time(env, peer):
    inst = env['inst']
    peer.features = ['8BITMIME']
    peer.start()
    qid = send(inst, ['r1@peer.test', 'r2@peer.test'])
    removed(inst, qid)
    assert peer.messages[0].rcpts == ['r1@peer.test', 'r2@peer.test']
    for s in peer.sessions:
        for b in s.batches:
            assert len(b) <= 1, s.batches
    # No SIZE announced: no SIZE parameter.
    assert peer.messages[0].params == ''


def test_452_only_refused_recipients_retried(env, peer):
    inst = env['inst']
    refused = {'n': 0}

    def rcpt_reply(addr, params, n):
        if addr.startswith('later') and refused['n'] < 2:
            refused['n'] += 1
            return (452, '4.2.2 Mailbox full, try again')
        return None
    peer.rcpt_reply = rcpt_reply
    peer.start()
    qid = send(inst, ['now1@peer.test', 'later@peer.test', 'now2@peer.test'])
    inst.wait_log(re.escape(qid) + r': to=<later@peer\.test>.*status=deferred '
                  r'\(host .* said: 452 4\.2\.2 Mailbox full, try again \(in '
                  r'reply to RCPT TO command\)\)')
    removed(inst, qid, timeout=40)
    got = sorted(r for m in peer.messages for r in m.rcpts)
    # Each recipient exactly once: the accepted ones were not resent.
    assert got == ['later@peer.test', 'now1@peer.test', 'now2@peer.test']
    assert len(rcpt_lines(inst, qid, 'now1@peer.test')) == 1
    assert 'status=sent' in rcpt_lines(inst, qid, 'later@peer.test')[-1]


def test_550_bounced_others_sent(env, peer):
    inst = env['inst']
    peer.rcpt_reply = lambda a, p, n: ((550, '5.1.1 <%s>: Recipient address '
                                        'rejected: User unknown' % a)
                                       if a.startswith('nobody') else None)
    peer.start()
    qid = send(inst, ['nobody@peer.test', 'yes@peer.test'],
               sender='<>' if False else 'alice@a.example.test')
    inst.wait_log(re.escape(qid) + r': to=<nobody@peer\.test>, relay=.*, '
                  r'dsn=5\.1\.1, status=bounced \(host 127\.0\.0\.3\[127\.0\.0\.3\]'
                  r':\d+ said: 550 5\.1\.1 <nobody@peer\.test>: Recipient '
                  r'address rejected: User unknown \(in reply to RCPT TO '
                  r'command\)\)')
    inst.wait_log(re.escape(qid) + r': to=<yes@peer\.test>.*status=sent')
    assert [m.rcpts for m in peer.messages] == [['yes@peer.test']]


def test_size_limit_bounced_unsent(env, peer):
    inst = env['inst']
    peer.features = ['PIPELINING', 'SIZE 1000']
    peer.start()
    qid = send(inst, 'big@peer.test', 'Subject: big\r\n\r\n' + 'x' * 70 +
               '\r\n' * 1 + ('y' * 70 + '\r\n') * 60)
    inst.wait_log(re.escape(qid) + r': to=<big@peer\.test>.*dsn=5\.3\.4, '
                  r'status=bounced \(message size \d+ exceeds size limit 1000 '
                  r'of server')
    assert peer.messages == []
    assert not any(c.startswith('MAIL') for s in peer.sessions
                   for c in s.commands)


# Headers stay as written (8-bit headers need SMTPUTF8, not a body
# conversion), so the test's subject is RFC 2047 encoded.
EIGHTBIT = ('Subject: =?utf-8?q?caf=C3=A9?=\r\nMIME-Version: 1.0\r\n'
            'Content-Type: text/plain; charset=utf-8\r\n'
            'Content-Transfer-Encoding: 8bit\r\n\r\n'
            'Cr\u00e8me br\u00fbl\u00e9e = dessert\r\n'
            'trailing space \r\n' + '\u00e9' * 60 + '\r\n')


def _send_8bit(inst, rcpt):
    with smtplib.SMTP('127.0.0.1', inst.smtp_port, timeout=60) as s:
        s.ehlo('client.example')
        s.mail('alice@a.example.test', ['BODY=8BITMIME'])
        s.rcpt(rcpt)
        code, text = s.data(EIGHTBIT.encode('utf-8'))
    assert code == 250, text
    return re.search(rb'queued as ([0-9A-F]+)', text).group(1).decode()


def test_8bit_converted_for_7bit_peer(env, peer):
    inst = env['inst']
    peer.features = ['PIPELINING']
    peer.start()
    qid = _send_8bit(inst, 'seven@peer.test')
    removed(inst, qid)
    data = peer.messages[0].data
    assert max(data) < 128, 'peer without 8BITMIME got 8-bit bytes'
    assert 'BODY=8BITMIME' not in peer.messages[0].params
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg['Content-Transfer-Encoding'] == 'quoted-printable'
    text = msg.get_content().replace('\r\n', '\n')
    assert text == ('Cr\u00e8me br\u00fbl\u00e9e = dessert\n'
                    'trailing space \n' + '\u00e9' * 60 + '\n')
    for line in data.split(b'\r\n'):
        assert len(line) <= 998


def test_8bit_passed_to_8bitmime_peer(env, peer):
    inst = env['inst']
    peer.start()
    qid = _send_8bit(inst, 'eight@peer.test')
    removed(inst, qid)
    assert 'BODY=8BITMIME' in peer.messages[0].params
    assert 'Cr\u00e8me'.encode('utf-8') in peer.messages[0].data


def test_session_reused_for_next_message(env, peer):
    inst = env['inst']
    peer.start()
    q1 = send(inst, 'one@peer.test')
    removed(inst, q1)
    q2 = send(inst, 'two@peer.test')
    removed(inst, q2)
    assert [m.rcpts for m in peer.messages] == [['one@peer.test'],
                                                ['two@peer.test']]
    assert peer.messages[0].session is peer.messages[1].session
    # ...and closed with QUIT once nothing more comes.
    wait_for(lambda: any(c == 'QUIT' for c in peer.sessions[0].commands),
             timeout=10, what='QUIT after the cache time')


def test_helo_when_ehlo_refused(env, peer):
    inst = env['inst']
    peer.ehlo_reply = (502, '5.5.2 Error: command not recognized')
    peer.start()
    qid = send(inst, 'old@peer.test')
    removed(inst, qid)
    cmds = peer.sessions[0].commands
    assert cmds[0].startswith('EHLO a.example.test')
    assert cmds[1] == 'HELO a.example.test'
    assert peer.messages[0].params == ''


def test_dead_peer_deferred_throttled_then_flush(env, peer):
    inst = env['inst']
    # Nothing listens on the peer's port: connection refused.
    q1 = send(inst, 'wait1@peer.test')
    inst.wait_log(re.escape(q1) + r': to=<wait1@peer\.test>, relay=none, '
                  r'delay=[\d.]+, dsn=4\.4\.1, status=deferred \(connect to '
                  r'127\.0\.0\.3\[127\.0\.0\.3\]:\d+: Connection refused\)')
    inst.wait_log(r'smtp: destination \[127\.0\.0\.3\]:\d+ throttled')
    # The destination is throttled: the next message is not even tried.
    q2 = send(inst, 'wait2@peer.test')
    inst.wait_log(re.escape(q2) + r': to=<wait2@peer\.test>, relay=none, '
                  r'delay=[\d.]+, dsn=4\.4\.1, status=deferred \(delivery '
                  r'temporarily suspended: connect to 127\.0\.0\.3')
    peer.start()
    inst.dromos('flush')
    removed(inst, q1)
    removed(inst, q2)
    got = sorted(r for m in peer.messages for r in m.rcpts)
    assert got == ['wait1@peer.test', 'wait2@peer.test']


def test_greeting_421_deferred(env, peer):
    inst = env['inst']
    peer.banner = (421, '4.3.2 Service shutting down')
    peer.start()
    qid = send(inst, 'g@peer.test')
    inst.wait_log(re.escape(qid) + r': to=<g@peer\.test>, relay=none, .*'
                  r'status=deferred \(host 127\.0\.0\.3\[127\.0\.0\.3\]:\d+ '
                  r'refused to talk to me: 421 4\.3\.2 Service shutting down\)')
    peer.stop()
    peer2 = SmtpPeer(PEER_ADDR, env['peer_port']).start()
    try:
        inst.dromos('flush')
        removed(inst, qid)
        assert [m.rcpts for m in peer2.messages] == [['g@peer.test']]
    finally:
        peer2.stop()


def result_without_relay(inst, rcpt, dsn, status, reason, timeout=10):
    """Send to rcpt and wait for its log line: relay=none, this dsn and
    status, and reason (plain text) in the parentheses."""
    qid = send(inst, rcpt)
    inst.wait_log(re.escape(qid) + r': to=<' + re.escape(rcpt)
                  + r'>, relay=none, .*dsn=' + re.escape(dsn) + r', status='
                  + status + r' \(' + re.escape(reason), timeout=timeout)
    return qid


def test_loop_to_self_bounced(env):
    result_without_relay(env['inst'], 'x@loop.test', '5.4.6', 'bounced',
                         'mail for [127.0.0.1]:2525 loops back to myself)')


def test_mx_of_self_bounced(env):
    result_without_relay(env['inst'], 'x@self.test', '5.4.6', 'bounced',
                         'mail for self.test loops back to myself)')


def test_error_transport_bounces(env):
    result_without_relay(env['inst'], 'x@gone.test', '5.0.0', 'bounced',
                         'no such domain here)')


def test_mx_backup_used_when_primary_dead(env, peer):
    inst = env['inst']
    peer.start()
    qid = send(inst, 'm@mx.test')
    removed(inst, qid)
    assert [m.rcpts for m in peer.messages] == [['m@mx.test']]
    line = rcpt_lines(inst, qid, 'm@mx.test')[-1]
    assert 'relay=mx2.mx.test[127.0.0.3]' in line, line
    assert re.search(r'connect to mx1\.mx\.test\[127\.0\.0\.5\]:\d+: '
                     r'Connection refused', inst.log())


def test_no_mx_uses_address(env, peer):
    inst = env['inst']
    peer.start()
    qid = send(inst, 'n@nomx.test')
    removed(inst, qid)
    line = rcpt_lines(inst, qid, 'n@nomx.test')[-1]
    assert 'relay=nomx.test[127.0.0.3]' in line, line


def test_null_mx_bounced_at_once(env):
    result_without_relay(env['inst'], 'n@nullmx.test', '5.1.10', 'bounced',
                         'Domain nullmx.test does not accept mail (nullMX))')


def test_dns_failure_deferred_not_bounced(env):
    inst = env['inst']
    qid = result_without_relay(inst, 's@servfail.test', '4.4.3', 'deferred',
                               'Host or domain name not found. Name service '
                               'error for name=servfail.test type=MX',
                               timeout=30)
    assert 'status=bounced' not in ''.join(rcpt_lines(inst, qid,
                                                      's@servfail.test'))


def test_postfix_smtp_sink_interop(env):
    inst = env['inst']
    sink = shutil.which('smtp-sink') or '/usr/sbin/smtp-sink'
    assert os.path.exists(sink), 'smtp-sink (package postfix) is missing'
    dump = tempfile.mkdtemp(prefix='dromos-sink-')
    os.chmod(dump, 0o777)
    proc = subprocess.Popen([sink, '-u', 'nobody', '-c', '-d',
                             os.path.join(dump, '%M.'),
                             '%s:%d' % (SINK_ADDR, env['sink_port']), '10'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: listening(env['sink_port'], SINK_ADDR),
                 what='smtp-sink listening')
        qid = send(inst, ['s1@sink.test', 's2@sink.test'],
                   'Subject: to the sink\r\n\r\nfor smtp-sink\r\n')
        removed(inst, qid)
        for r in ('s1@sink.test', 's2@sink.test'):
            assert re.search(r'relay=%s\[%s\]:%d, .*status=sent \(250'
                             % (SINK_ADDR, SINK_ADDR, env['sink_port']),
                             rcpt_lines(inst, qid, r)[-1])
        files = wait_for(lambda: os.listdir(dump), what='sink dump file')
        with open(os.path.join(dump, files[0]), 'rb') as f:
            data = f.read()
        assert b'for smtp-sink' in data
        assert b's1@sink.test' in data and b's2@sink.test' in data
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(dump, ignore_errors=True)


def test_dsn_passed_on_to_dsn_peer(env, peer):
    """RFC 3461 requests go on to a peer that announces DSN: RET and ENVID
    with MAIL FROM, NOTIFY and ORCPT with each RCPT TO (ORCPT as the
    client gave it, xtext included)."""
    inst = env['inst']
    peer.features = ['PIPELINING', 'DSN']
    peer.start()
    qid = send(inst, ['d1@peer.test', 'd2@peer.test'],
               mail_options=['RET=HDRS', 'ENVID=env+2Bid'],
               rcpt_options=['NOTIFY=SUCCESS,FAILURE',
                             'ORCPT=rfc822;orig+2Bx@a.example.test'])
    removed(inst, qid)
    m = peer.messages[0]
    assert 'RET=HDRS' in m.params.split()
    assert 'ENVID=env+2Bid' in m.params.split()
    for p in m.rcpt_params:
        words = p.split()
        assert 'NOTIFY=SUCCESS,FAILURE' in words, p
        assert 'ORCPT=rfc822;orig+2Bx@a.example.test' in words, p


def test_dsn_not_sent_to_plain_peer(env, peer):
    """A peer without DSN never sees the parameters."""
    inst = env['inst']
    peer.features = ['PIPELINING']
    peer.start()
    qid = send(inst, 'p1@peer.test', mail_options=['RET=FULL'],
               rcpt_options=['NOTIFY=FAILURE'])
    removed(inst, qid)
    m = peer.messages[0]
    assert 'RET' not in m.params and 'ENVID' not in m.params
    assert m.rcpt_params == ['']
