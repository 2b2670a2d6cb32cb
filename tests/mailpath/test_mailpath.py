"""The first mail path, end to end, on an instance installed with the
default configuration (only the smtp port moved to a free one): real SMTP
clients (smtplib, swaks) -> smtpd -> cleanup -> qmgr -> local -> Maildir.
Checks the delivered bytes, the log lines an administrator greps for, who
runs as whom, and that no acknowledged message is ever lost."""
import os
import re
import signal
import smtplib
import stat
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dromos_instance import Instance, listening, proc_status, wait_for  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

HOST = 'mx.example.test'
USER = 'dromtbob'


@pytest.fixture(scope='module')
def inst():
    i = Instance(hostname=HOST).setup(queue_run_delay='2s',
                                      minimal_backoff_time='1s',
                                      maximal_backoff_time='2s')
    i.add_user(USER)
    i.start()
    wait_for(lambda: listening(i.smtp_port), what='smtpd port')
    yield i
    i.cleanup()


def maildir(inst, user=USER):
    d = os.path.join(inst.home_base, user, 'Maildir', 'new')
    try:
        return sorted(os.path.join(d, f) for f in os.listdir(d))
    except FileNotFoundError:
        return []


def send(inst, body, sender='alice@example.org', rcpt=USER + '@' + HOST):
    """Send with smtplib; return the queue ID from the 250 reply."""
    with smtplib.SMTP('127.0.0.1', inst.smtp_port, timeout=60) as s:
        s.ehlo('client.example')
        s.mail(sender)
        s.rcpt(rcpt)
        code, text = s.data(body)
    assert code == 250, text
    m = re.match(rb'2\.0\.0 Ok: queued as ([0-9A-F]+)$', text)
    assert m, text
    return m.group(1).decode()


def delivered(inst, qid, timeout=30):
    inst.wait_log(re.escape(qid) + r': removed', timeout=timeout)
    line = re.search(re.escape(qid) + r': to=<[^>]*>, relay=local, .*', inst.log())
    assert line and 'status=sent (delivered to maildir)' in line.group(0), inst.log()
    for path in maildir(inst):
        with open(path, 'rb') as f:
            data = f.read()
        if (' id %s' % qid).encode() in data:
            return path, data
    raise AssertionError('no Maildir file for %s' % qid)


def test_smtplib_message_arrives_byte_exact(inst):
    """Lines that begin with dots, 8-bit text and a body with no final
    newline: the Maildir file is Return-Path, Delivered-To, the Received
    header cleanup added, the headers cleanup added because they were
    missing, then the message exactly as sent (CR LF as LF)."""
    headers = b'Subject: byte exact\r\nFrom: Alice <alice@example.org>\r\n'
    body = (b'.leading dot\r\n..two dots\r\n.\r\n'
            b'8-bit: gr\xc3\xbc\xc3\x9fe\r\nno final newline')
    qid = send(inst, headers + b'\r\n' + body)
    path, data = delivered(inst, qid)
    want_tail = (b'Subject: byte exact\nFrom: Alice <alice@example.org>\n')
    lines = data.split(b'\n')
    assert lines[0] == b'Return-Path: <alice@example.org>'
    assert lines[1] == ('Delivered-To: %s@%s' % (USER, HOST)).encode()
    assert lines[2].startswith(b'Received: from client.example (')
    rec = re.search(rb'Received: from client\.example \(\S+ \[127\.0\.0\.1\]\)\n'
                    rb'\tby mx\.example\.test \(dromos\) with ESMTP id ([0-9A-F]+)\n'
                    rb'\tfor <' + USER.encode() + rb'@mx\.example\.test>; .+\n', data)
    assert rec and rec.group(1).decode() == qid, data[:600]
    head, sep, rest = data.partition(b'\n\n')
    assert sep
    assert want_tail in head + b'\n'
    assert re.search(rb'\nDate: [A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} '
                     rb'\d\d:\d\d:\d\d [+-]\d{4}', head)
    assert re.search(rb'\nMessage-ID: <[^>]+@mx\.example\.test>', head)
    # smtplib ends the data with CR LF, so the body gets its final newline.
    assert rest == (b'.leading dot\n..two dots\n.\n'
                    b'8-bit: gr\xc3\xbc\xc3\x9fe\nno final newline\n')
    st = os.stat(path)
    assert stat.S_IMODE(st.st_mode) == 0o600
    assert st.st_uid == __import__('pwd').getpwnam(USER).pw_uid


def test_swaks_ten_megabyte_body(inst, tmp_path):
    """A 10 MB message (under the default message_size_limit of
    10240000) sent by swaks arrives byte for byte."""
    line = b'0123456789abcdefghijklmnopqrstuvwxyz.ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n'
    count = 10_000_000 // len(line)
    body = b'.' + line * count
    msg = tmp_path / 'big.eml'
    # swaks ends the data with CR LF itself, so the file has no final one.
    msg.write_bytes(b'Subject: ten megabytes\r\nMessage-ID: <big@example.org>\r\n\r\n'
                    + body[:-2])
    res = subprocess.run(['swaks', '--server', '127.0.0.1', '--port', str(inst.smtp_port),
                          '--from', 'bigsender@example.org', '--to', '%s@%s' % (USER, HOST),
                          '--data', '@' + str(msg), '--suppress-data', '--timeout', '120'],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    out = res.stdout.decode(errors='replace')
    assert res.returncode == 0, out[-2000:]
    m = re.search(r'<[-~]  250 2\.0\.0 Ok: queued as ([0-9A-F]+)', out)
    assert m, out[-2000:]
    path, data = delivered(inst, m.group(1), timeout=60)
    head, sep, rest = data.partition(b'\n\n')
    # swaks dot-stuffs the leading "." line; smtpd unstuffs it again.
    assert rest == body.replace(b'\r\n', b'\n')
    assert b'Message-ID: <big@example.org>' in head
    assert head.count(b'\nMessage-ID:') == 1


def test_log_lines_have_postfix_shape(inst):
    qid = send(inst, b'Subject: logging\r\nMessage-ID: <log-1@example.org>\r\n\r\nx\r\n',
               sender='logger@example.org')
    delivered(inst, qid)
    log = inst.log()
    prefix = r'^[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d \S+ dromos/%s\[\d+\]: ' 
    for prog, text in (
            ('smtpd', r'%s: client=\S+\[127\.0\.0\.1\]$' % qid),
            ('cleanup', r'%s: message-id=<log-1@example\.org>$' % qid),
            ('qmgr', r'%s: from=<logger@example\.org>, size=\d+, nrcpt=1 \(queue active\)$' % qid),
            ('local', r'%s: to=<%s@mx\.example\.test>, relay=local, delay=\d+(\.\d+)?, '
                      r'dsn=2\.0\.0, status=sent \(delivered to maildir\)$' % (qid, USER)),
            ('qmgr', r'%s: removed$' % qid)):
        assert re.search(prefix % prog + text, log, re.M), (prog, text, log[-3000:])
    assert re.search(prefix % 'smtpd' + r'disconnect from \S+\[127\.0\.0\.1\] .*quit=1', log, re.M)


def test_privileges(inst):
    """smtpd, cleanup and qmgr run as the mail owner, chrooted into the
    queue; local runs as root outside it (it switches per delivery)."""
    import pwd
    owner = pwd.getpwnam('dromos').pw_uid
    qdir = os.path.realpath(inst.queue_dir)
    # Keep an SMTP session open so an smtpd process exists.
    s = smtplib.SMTP('127.0.0.1', inst.smtp_port, timeout=30)
    try:
        s.ehlo('client.example')
        send(inst, b'Subject: privileges\r\n\r\nx\r\n')
        seen = {}
        def scan():
            for pid in inst.children():
                try:
                    exe = os.path.basename(os.readlink('/proc/%d/exe' % pid))
                    root = os.readlink('/proc/%d/root' % pid)
                except OSError:
                    continue
                st = proc_status(pid)
                if st:
                    # Real uid: local takes the recipient's effective uid
                    # while it writes a mailbox, and keeps root as real uid.
                    seen[exe] = (int(st['Uid'].split()[0]), root)
            return {'smtpd', 'cleanup', 'qmgr', 'local'} <= set(seen)
        wait_for(scan, timeout=20, what='all four daemons running')
    finally:
        s.close()
    for prog in ('smtpd', 'cleanup', 'qmgr'):
        assert seen[prog] == (owner, qdir), (prog, seen)
    assert seen['local'] == (0, '/'), seen


def test_kill_qmgr_and_local_during_burst_loses_nothing(inst):
    """500 messages over SMTP; qmgr and local are killed with SIGKILL
    while they work. Every message that got 250 ends in the Maildir
    (duplicates allowed, losses never)."""
    before = set(maildir(inst))
    tag = 'burst-%d' % os.getpid()
    acked = []
    killed = 0
    with smtplib.SMTP('127.0.0.1', inst.smtp_port, timeout=60) as s:
        s.ehlo('client.example')
        for n in range(500):
            code, text = s.sendmail('burst@example.org', ['%s@%s' % (USER, HOST)],
                                    'Subject: %s %d\r\nX-Seq: %s-%d\r\n\r\nbody %d\r\n'
                                    % (tag, n, tag, n, n)) or (250, b'')
            acked.append(n)
            if n % 100 == 50:
                for pid in inst.children():
                    try:
                        exe = os.path.basename(os.readlink('/proc/%d/exe' % pid))
                    except OSError:
                        continue
                    if exe in ('qmgr', 'local'):
                        os.kill(pid, signal.SIGKILL)
                        killed += 1
    assert killed >= 2
    # A new message wakes qmgr if master has not restarted it yet.
    send(inst, b'Subject: wake up\r\n\r\nx\r\n')

    def got_all():
        seqs = set()
        for path in set(maildir(inst)) - before:
            with open(path, 'rb') as f:
                m = re.search(rb'\nX-Seq: ' + tag.encode() + rb'-(\d+)\n', f.read())
            if m:
                seqs.add(int(m.group(1)))
        return seqs >= set(acked)
    wait_for(got_all, timeout=120, interval=0.5, what='all 500 messages delivered')
