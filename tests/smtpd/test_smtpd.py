"""smtpd against a real instance (see conftest.py): every scenario says
what it sends and the exact reply code and enhanced status it expects.
Clients: a raw socket client (Smtp), Python's smtplib and swaks."""
import os
import re
import shutil
import signal
import smtplib
import subprocess
import time

import pytest

from conftest import HOST, Smtp, wait_for

R = '@' + HOST
QUEUED = re.compile(r'^250 2\.0\.0 Ok: queued as ([0-9A-F]+)$')


def session(inst, name='main', ehlo=True):
    c = Smtp(inst.ports[name])
    assert c.greeting == (220, ['220 %s ESMTP dromos' % HOST])
    if ehlo:
        code, lines = c.cmd('EHLO client.example')
        assert code == 250, lines
    return c


def expect(c, text, reply):
    code, lines = c.cmd(text)
    assert lines[-1] == reply, (text, lines)
    return lines


def queued_id(inst, line):
    m = QUEUED.match(line)
    assert m, line
    qid = m.group(1)
    wait_for(lambda: inst.queued_or_handled(qid), timeout=10,
             what='queue file %s' % qid)
    return qid


def client_lines(inst):
    """How many "ID: client=" lines the log has, once it has settled:
    records travel through logd, so a line from an earlier session may
    still be on its way (slow under sanitizers)."""
    last = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        size = len(inst.log())
        if size == last:
            break
        last = size
        time.sleep(0.3)
    return len(re.findall(r': client=', inst.log()))


def new_client_id(inst, before):
    """The queue ID of the first "ID: client=" line after the first
    `before` ones."""
    wait_for(lambda: client_lines(inst) > before, timeout=10,
             what='a new client= line')
    return re.findall(r'(\w+): client=', inst.log())[before]


# --- greeting, EHLO, simple commands ------------------------------------

def test_greeting_and_ehlo(inst):
    c = session(inst, ehlo=False)
    code, lines = c.cmd('EHLO client.example')
    assert lines == ['250-' + HOST, '250-PIPELINING', '250-SIZE 200000',
                     '250-8BITMIME', '250-DSN', '250 ENHANCEDSTATUSCODES']
    assert c.cmd('HELO client.example') == (250, ['250 ' + HOST])
    expect(c, 'NOOP', '250 2.0.0 Ok')
    expect(c, 'HELP', '214 2.0.0 Commands: HELO EHLO MAIL RCPT DATA RSET '
           'NOOP QUIT VRFY HELP')
    expect(c, 'VRFY bob' + R,
           '252 2.0.0 VRFY is disabled; send RCPT to attempt delivery')
    expect(c, 'RSET', '250 2.0.0 Ok')
    expect(c, 'QUIT', '221 2.0.0 Bye')
    assert c.closed()
    inst.wait_log(r'disconnect from \S+\[127\.0\.0\.1\] helo=1 ehlo=1 rset=1 '
                  r'noop=1 quit=1 vrfy=1 help=1 commands=7')


def test_smtplib_message_queued(inst):
    with smtplib.SMTP('127.0.0.1', inst.ports['main'], timeout=20) as s:
        s.ehlo('client.example')
        s.mail('sender@example.org')
        s.rcpt('bob' + R)
        code, text = s.data(b'Subject: smtplib\r\n\r\n.leading dot\r\nbody\r\n')
        assert code == 250
        text = text.decode()
        assert text.startswith('2.0.0 Ok: queued as ')
        qid = queued_id(inst, '250 ' + text)
    inst.wait_log(re.escape(qid) + r': client=\S+\[127\.0\.0\.1\]')
    inst.wait_log(r'disconnect from \S+\[127\.0\.0\.1\] ehlo=1 mail=1 rcpt=1 '
                  r'data=1 quit=1 commands=5')


def test_swaks(inst):
    swaks = shutil.which('swaks')
    if not swaks:
        pytest.skip('swaks is not installed')
    res = subprocess.run([swaks, '--server', '127.0.0.1', '--port',
                          str(inst.ports['main']), '--from', 'a@example.org',
                          '--to', 'bob' + R, '--helo', 'client.example',
                          '--pipeline'],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, timeout=60)
    assert res.returncode == 0, res.stdout
    m = re.search(r'<-\s+250 2\.0\.0 Ok: queued as ([0-9A-F]+)', res.stdout)
    assert m, res.stdout
    wait_for(lambda: inst.queued_or_handled(m.group(1)), timeout=10)
    # Relay refused: swaks exits 24 when no recipient was accepted.
    res = subprocess.run([swaks, '--server', '127.0.0.1', '--port',
                          str(inst.ports['main']), '--from', 'a@example.org',
                          '--to', 'x@example.org', '--quit-after', 'RCPT'],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, timeout=60)
    assert res.returncode == 24, res.stdout
    assert '554 5.7.1 <x@example.org>: Relay access denied' in res.stdout


def test_vrfy_enabled(inst):
    c = session(inst, 'vrfy', ehlo=False)
    code, lines = c.cmd('EHLO client.example')
    assert '250-VRFY' in lines
    expect(c, 'VRFY <bob%s>' % R, '252 2.0.0 <bob%s>: cannot verify the user; '
           'send RCPT to attempt delivery' % R)
    expect(c, 'VRFY postmaster', '252 2.0.0 <postmaster>: cannot verify the '
           'user; send RCPT to attempt delivery')
    expect(c, 'VRFY <x@example.org>', '554 5.7.1 <x@example.org>: Relay access denied')
    expect(c, 'VRFY <a b>', '501 5.1.3 Bad recipient address syntax')
    expect(c, 'VRFY', '501 5.5.2 Syntax: VRFY address')
    expect(c, 'QUIT', '221 2.0.0 Bye')


def test_delivered_content_exact(inst):
    """Dots unstuffed, CR LF made LF, 8-bit kept, client headers kept, a
    100000-byte line (longer than a content record) intact: the delivered
    Maildir file ends with exactly the stored body."""
    user = 'dromsmtp1'
    inst.add_user(user)
    c = session(inst)
    expect(c, 'MAIL FROM:<a@example.org> BODY=8BITMIME', '250 2.1.0 Ok')
    expect(c, 'RCPT TO:<%s%s>' % (user, R), '250 2.1.5 Ok')
    expect(c, 'DATA', '354 End data with <CR><LF>.<CR><LF>')
    c.send(b'Subject: exact\r\nX-Test: smtpd\r\n\r\n..one dot\r\n...two dots\r\n'
           b'8bit: \xc3\xa9\r\n\r\n' + b'x' * 100000 + b'\r\nend\r\n.\r\n')
    qid = queued_id(inst, c.reply()[1][0])
    expect(c, 'QUIT', '221 2.0.0 Bye')
    inst.wait_log(re.escape(qid) + r': removed', timeout=20)
    files = inst.maildir_files(user)
    assert len(files) == 1, inst.log()
    with open(files[0], 'rb') as f:
        data = f.read()
    want = (b'.one dot\n..two dots\n8bit: \xc3\xa9\n\n' + b'x' * 100000 + b'\nend\n')
    assert data.endswith(b'\n\n' + want), data
    assert b'\r' not in data
    assert b'Subject: exact\nX-Test: smtpd\n' in data


# --- pipelining ----------------------------------------------------------

def test_pipelined_session(inst):
    c = session(inst, ehlo=False)
    c.send('EHLO client.example\r\nMAIL FROM:<a@example.org>\r\n'
           'RCPT TO:<bob%s>\r\nRCPT TO:<x@example.org>\r\n'
           'RCPT TO:<alice%s>\r\nDATA\r\n' % (R, R))
    assert c.reply()[0] == 250
    assert c.reply() == (250, ['250 2.1.0 Ok'])
    assert c.reply() == (250, ['250 2.1.5 Ok'])
    assert c.reply() == (554, ['554 5.7.1 <x@example.org>: Relay access denied'])
    assert c.reply() == (250, ['250 2.1.5 Ok'])
    assert c.reply() == (354, ['354 End data with <CR><LF>.<CR><LF>'])
    # The end of data, a whole second transaction and QUIT in one write.
    c.send('Subject: one\r\n\r\nbody\r\n.\r\nMAIL FROM:<>\r\n'
           'RCPT TO:<postmaster>\r\nDATA\r\n')
    code, lines = c.reply()
    first = queued_id(inst, lines[0])
    assert c.reply() == (250, ['250 2.1.0 Ok'])
    assert c.reply() == (250, ['250 2.1.5 Ok'])
    assert c.reply()[0] == 354
    c.send('Subject: two\r\n\r\n.\r\nQUIT\r\n')
    code, lines = c.reply()
    second = queued_id(inst, lines[0])
    assert second != first
    assert c.reply() == (221, ['221 2.0.0 Bye'])
    assert c.closed()


def test_rset_mid_transaction(inst):
    c = session(inst)
    expect(c, 'MAIL FROM:<a@example.org>', '250 2.1.0 Ok')
    expect(c, 'RCPT TO:<bob%s>' % R, '250 2.1.5 Ok')
    expect(c, 'RSET', '250 2.0.0 Ok')
    expect(c, 'RCPT TO:<bob%s>' % R, '503 5.5.1 Error: need MAIL command')
    expect(c, 'DATA', '503 5.5.1 Error: need RCPT command')
    expect(c, 'MAIL FROM:<b@example.org>', '250 2.1.0 Ok')
    expect(c, 'RCPT TO:<carol%s>' % R, '250 2.1.5 Ok')
    expect(c, 'DATA', '354 End data with <CR><LF>.<CR><LF>')
    c.send('x\r\n.\r\n')
    queued_id(inst, c.reply()[1][0])
    expect(c, 'QUIT', '221 2.0.0 Bye')


def test_hundred_recipients(inst):
    rcpts = ['user%03d%s' % (i, R) for i in range(100)]
    with smtplib.SMTP('127.0.0.1', inst.ports['main'], timeout=30) as s:
        refused = s.sendmail('a@example.org', rcpts,
                             b'Subject: many\r\n\r\nhello\r\n')
        assert refused == {}
    inst.wait_log(r'disconnect from \S+ ehlo=1 mail=1 rcpt=100 data=1 quit=1 '
                  r'commands=104')


def test_recipient_limit(inst):
    c = session(inst, 'rcptlim')
    expect(c, 'MAIL FROM:<a@example.org>', '250 2.1.0 Ok')
    for i in range(5):
        expect(c, 'RCPT TO:<u%d%s>' % (i, R), '250 2.1.5 Ok')
    expect(c, 'RCPT TO:<u5%s>' % R, '452 4.5.3 Error: too many recipients')
    expect(c, 'QUIT', '221 2.0.0 Bye')


# --- sequencing and syntax ------------------------------------------------

def test_sequencing_errors(inst):
    c = session(inst, ehlo=False)
    expect(c, 'MAIL FROM:<a@example.org>', '503 5.5.1 Error: send HELO/EHLO first')
    expect(c, 'RCPT TO:<bob%s>' % R, '503 5.5.1 Error: need MAIL command')
    expect(c, 'DATA', '503 5.5.1 Error: need RCPT command')
    expect(c, 'HELO client.example', '250 ' + HOST)
    expect(c, 'RCPT TO:<bob%s>' % R, '503 5.5.1 Error: need MAIL command')
    expect(c, 'DATA', '503 5.5.1 Error: need RCPT command')
    expect(c, 'MAIL FROM:<a@example.org>', '250 2.1.0 Ok')
    expect(c, 'MAIL FROM:<a@example.org>', '503 5.5.1 Error: nested MAIL command')
    expect(c, 'DATA', '503 5.5.1 Error: need RCPT command')
    expect(c, 'RCPT TO:<x@example.org>',
           '554 5.7.1 <x@example.org>: Relay access denied')
    expect(c, 'DATA', '554 5.5.1 Error: no valid recipients')
    # EHLO ends the transaction.
    expect(c, 'EHLO client.example', '250 ENHANCEDSTATUSCODES')
    expect(c, 'RCPT TO:<bob%s>' % R, '503 5.5.1 Error: need MAIL command')
    expect(c, 'QUIT', '221 2.0.0 Bye')
    inst.wait_log(r'disconnect from \S+ helo=1 ehlo=1 mail=1/3 rcpt=0/4 '
                  r'data=0/4 quit=1 commands=4/14')


def test_syntax_errors(inst):
    c = session(inst)
    expect(c, 'HELO', '501 5.5.2 Syntax: HELO hostname')
    expect(c, 'EHLO', '501 5.5.2 Syntax: EHLO hostname')
    expect(c, 'MAIL', '501 5.5.2 Syntax: MAIL FROM:<address>')
    expect(c, 'MAIL TO:<a@example.org>', '501 5.5.2 Syntax: MAIL FROM:<address>')
    expect(c, 'MAIL FROM:<a b@example.org>', '501 5.1.7 Bad sender address syntax')
    expect(c, 'MAIL FROM:<a@example.org> SIZE=12x', '501 5.5.4 Bad message size syntax')
    expect(c, 'MAIL FROM:<a@example.org> BODY=BINARYMIME',
           '501 5.5.4 Unsupported BODY parameter value')
    expect(c, 'MAIL FROM:<a@example.org> AUTH=<>', '555 5.5.4 Unsupported option: AUTH')
    expect(c, 'MAIL FROM:<a@example.org> X\rY=1', '555 5.5.4 Unsupported option: X?Y')
    expect(c, 'MAIL FROM:<a@example.org> SIZE=100 BODY=8BITMIME', '250 2.1.0 Ok')
    expect(c, 'RCPT', '501 5.5.2 Syntax: RCPT TO:<address>')
    expect(c, 'RCPT TO:<>', '501 5.1.3 Bad recipient address syntax')
    expect(c, 'RCPT TO:<bob@>', '501 5.1.3 Bad recipient address syntax')
    expect(c, 'RCPT TO:<bob>', '501 5.1.3 Bad recipient address syntax')
    expect(c, 'RCPT TO:<bob%s> XNOTIFY=NEVER' % R, '555 5.5.4 Unsupported option: XNOTIFY')
    expect(c, 'RCPT TO:<Postmaster>', '250 2.1.5 Ok')
    expect(c, 'RCPT TO: <bob%s>' % R.upper(), '250 2.1.5 Ok')
    expect(c, 'DATA now', '501 5.5.2 Syntax: DATA')
    expect(c, 'FOO bar', '502 5.5.2 Error: command not recognized')
    expect(c, 'STARTTLS', '502 5.5.2 Error: command not recognized')
    expect(c, '', '500 5.5.2 Error: bad syntax')
    expect(c, 'QUIT', '221 2.0.0 Bye')


def test_overlong_command_line(inst):
    c = session(inst)
    expect(c, 'NOOP ' + 'x' * 5000, '500 5.5.2 Error: line too long')
    expect(c, 'NOOP', '250 2.0.0 Ok')
    expect(c, 'QUIT', '221 2.0.0 Bye')


def test_oversized_size_param(inst):
    c = session(inst)
    expect(c, 'MAIL FROM:<a@example.org> SIZE=200001',
           '552 5.3.4 Message size exceeds fixed limit')
    expect(c, 'MAIL FROM:<a@example.org> SIZE=200000', '250 2.1.0 Ok')
    expect(c, 'QUIT', '221 2.0.0 Bye')


def test_oversized_data(inst):
    before = client_lines(inst)
    c = session(inst)
    expect(c, 'MAIL FROM:<a@example.org>', '250 2.1.0 Ok')
    expect(c, 'RCPT TO:<bob%s>' % R, '250 2.1.5 Ok')
    expect(c, 'DATA', '354 End data with <CR><LF>.<CR><LF>')
    c.send(('x' * 78 + '\r\n') * 3000 + '.\r\n')
    assert c.reply() == (552, ['552 5.3.4 Message size exceeds fixed limit'])
    expect(c, 'NOOP', '250 2.0.0 Ok')
    expect(c, 'QUIT', '221 2.0.0 Bye')
    qid = new_client_id(inst, before)
    inst.wait_log(re.escape(qid) + r': reject: END-OF-MESSAGE from \S+: 552 5\.3\.4 '
                  r'Message size exceeds fixed limit; from=<a@example\.org> '
                  r'proto=ESMTP helo=<client\.example>')
    wait_for(lambda: inst.queue_file(qid) is None, timeout=10,
             what='rejected file %s removed' % qid)


# --- bare newlines and SMTP smuggling -------------------------------------

def test_bare_lf_body_rejected(inst):
    c = session(inst)
    expect(c, 'MAIL FROM:<a@example.org>', '250 2.1.0 Ok')
    expect(c, 'RCPT TO:<bob%s>' % R, '250 2.1.5 Ok')
    expect(c, 'DATA', '354 End data with <CR><LF>.<CR><LF>')
    c.send('Subject: bare\n\nbody\r\n.\r\n')
    assert c.reply() == (550, ['550 5.5.2 Error: bare <LF> received'])
    expect(c, 'NOOP', '250 2.0.0 Ok')
    # A bare CR alone.
    expect(c, 'MAIL FROM:<a@example.org>', '250 2.1.0 Ok')
    expect(c, 'RCPT TO:<bob%s>' % R, '250 2.1.5 Ok')
    expect(c, 'DATA', '354 End data with <CR><LF>.<CR><LF>')
    c.send('Subject: bare\r\n\r\nbo\rdy\r\n.\r\n')
    assert c.reply() == (550, ['550 5.5.2 Error: bare <CR> received'])
    expect(c, 'QUIT', '221 2.0.0 Bye')


SMUGGLE = ('Subject: smuggle\r\n\r\nfirst{END}MAIL FROM:<evil@example.org>\r\n'
           'RCPT TO:<victim%s>\r\nDATA\r\nSubject: smuggled\r\n\r\nevil\r\n'
           '.\r\n' % R)


@pytest.mark.parametrize('end', ['\n.\n', '\n.\r\n', '\r\n.\n', '\r.\r',
                                 '\r\n.\r', '\r.\r\n'])
def test_smuggling_rejected(inst, end):
    before = client_lines(inst)
    c = session(inst)
    expect(c, 'MAIL FROM:<a@example.org>', '250 2.1.0 Ok')
    expect(c, 'RCPT TO:<bob%s>' % R, '250 2.1.5 Ok')
    expect(c, 'DATA', '354 End data with <CR><LF>.<CR><LF>')
    c.send(SMUGGLE.replace('{END}', end))
    code, lines = c.reply()
    assert code == 550 and lines[0].startswith('550 5.5.2 Error: bare <'), lines
    # Nothing else: the smuggled MAIL/RCPT/DATA were content.
    assert c.nothing_pending()
    expect(c, 'NOOP', '250 2.0.0 Ok')
    expect(c, 'QUIT', '221 2.0.0 Bye')
    assert client_lines(inst) == before + 1


def test_smuggling_with_bare_newlines_allowed(inst):
    """forbid_bare_newline = no: stored as content, still one message."""
    before = client_lines(inst)
    c = session(inst, 'bare_ok')
    expect(c, 'MAIL FROM:<a@example.org>', '250 2.1.0 Ok')
    expect(c, 'RCPT TO:<bob%s>' % R, '250 2.1.5 Ok')
    expect(c, 'DATA', '354 End data with <CR><LF>.<CR><LF>')
    c.send(SMUGGLE.replace('{END}', '\n.\n'))
    code, lines = c.reply()
    queued_id(inst, lines[0])
    assert c.nothing_pending()
    expect(c, 'QUIT', '221 2.0.0 Bye')
    assert client_lines(inst) == before + 1


# --- relay ------------------------------------------------------------------

def test_non_local_recipient_relay_denied(inst):
    before = client_lines(inst)
    ids = inst.queue_ids()
    c = session(inst)
    expect(c, 'MAIL FROM:<a@example.org>', '250 2.1.0 Ok')
    # bob@[127.0.0.1] would be local (this host's address literal).
    for rcpt in ('x@example.org', 'bob@%s.evil.test' % HOST, 'bob@[192.0.2.1]',
                 '@%s:x@example.org' % HOST, '"bob@%s"@example.org' % HOST):
        addr = rcpt.split(':')[-1]
        expect(c, 'RCPT TO:<%s>' % rcpt, '554 5.7.1 <%s>: Relay access denied' % addr)
    expect(c, 'DATA', '554 5.5.1 Error: no valid recipients')
    expect(c, 'QUIT', '221 2.0.0 Bye')
    inst.wait_log(r'NOQUEUE: reject: RCPT from \S+\[127\.0\.0\.1\]: 554 5\.7\.1 '
                  r'<x@example\.org>: Relay access denied; from=<a@example\.org> '
                  r'to=<x@example\.org> proto=ESMTP helo=<client\.example>')
    assert client_lines(inst) == before
    assert inst.queue_ids() - ids == set() or all(
        inst.queued_or_handled(i) for i in inst.queue_ids() - ids)


# --- limits and timeouts -----------------------------------------------------

def test_hard_and_soft_error_limits(inst):
    c = session(inst, 'errors')
    t0 = time.monotonic()
    expect(c, 'FOO', '502 5.5.2 Error: command not recognized')   # 1: no sleep
    t1 = time.monotonic()
    expect(c, 'BAR', '502 5.5.2 Error: command not recognized')   # 2: sleeps
    t2 = time.monotonic()
    assert t1 - t0 < 0.9
    assert t2 - t1 >= 0.9
    expect(c, 'BAZ', '502 5.5.2 Error: command not recognized')   # 3: limit
    assert c.reply() == (421, ['421 4.7.0 %s Error: too many errors' % HOST])
    assert c.closed()
    inst.wait_log(r'too many errors after UNKNOWN from \S+\[127\.0\.0\.1\]')


def test_idle_timeout(inst):
    c = session(inst, 'timeout', ehlo=False)
    t0 = time.monotonic()
    c.sock.settimeout(15)
    assert c.reply() == (421, ['421 4.4.2 %s Error: timeout exceeded' % HOST])
    assert 1.5 < time.monotonic() - t0 < 10
    assert c.closed()
    inst.wait_log(r'timeout after CONNECT from \S+\[127\.0\.0\.1\]')


def test_session_timeout(inst):
    """A busy client still ends after smtpd_session_timeout."""
    c = session(inst, 'session')
    t0 = time.monotonic()
    while True:
        code, lines = c.cmd('NOOP')
        if code != 250:
            break
        assert time.monotonic() - t0 < 10
        time.sleep(0.5)
    assert lines == ['421 4.4.2 %s Error: timeout exceeded' % HOST]
    assert 2.5 < time.monotonic() - t0 < 6
    assert c.closed()


def test_timeout_during_data_leaves_no_file(inst):
    before = client_lines(inst)
    c = session(inst, 'timeout')
    expect(c, 'MAIL FROM:<a@example.org>', '250 2.1.0 Ok')
    expect(c, 'RCPT TO:<bob%s>' % R, '250 2.1.5 Ok')
    expect(c, 'DATA', '354 End data with <CR><LF>.<CR><LF>')
    c.send('Subject: partial\r\n\r\nsome')
    c.sock.settimeout(15)
    assert c.reply() == (421, ['421 4.4.2 %s Error: timeout exceeded' % HOST])
    inst.wait_log(r'timeout after DATA from')
    qid = new_client_id(inst, before)
    wait_for(lambda: inst.queue_file(qid, ('incoming', 'active')) is None,
             timeout=10, what='partial file %s removed' % qid)


# --- durability ----------------------------------------------------------------

def test_kill_smtpd_during_data(inst):
    port = inst.ports['kill']
    before = client_lines(inst)
    c = session(inst, 'kill')
    expect(c, 'MAIL FROM:<a@example.org>', '250 2.1.0 Ok')
    expect(c, 'RCPT TO:<bob%s>' % R, '250 2.1.5 Ok')
    expect(c, 'DATA', '354 End data with <CR><LF>.<CR><LF>')
    c.send('Subject: killed\r\n\r\n' + 'line\r\n' * 1000)
    qid = new_client_id(inst, before)
    wait_for(lambda: inst.queue_file(qid, ('incoming',)), timeout=10,
             what='partial file in incoming/')
    pids = inst.service_pids('smtpd', '127.0.0.1:%d' % port)
    assert len(pids) == 1, pids
    os.kill(pids[0], signal.SIGKILL)
    # The client sees the connection end, never a 250.
    with pytest.raises((EOFError, ConnectionResetError)):
        c.reply()
    wait_for(lambda: inst.queue_file(qid, ('incoming', 'active')) is None,
             timeout=15, what='partial file %s removed' % qid)
    assert not re.search(re.escape(qid) + r': (from=|to=)', inst.log())


# --- privileges -----------------------------------------------------------------

def test_smtpd_runs_chrooted_as_mail_owner(inst):
    import pwd
    c = session(inst, 'kill')
    pids = inst.service_pids('smtpd', '127.0.0.1:%d' % inst.ports['kill'])
    assert pids
    owner = pwd.getpwnam(inst.default('mail_owner'))
    for pid in pids:
        with open('/proc/%d/status' % pid) as f:
            st = dict(l.rstrip('\n').split(':\t', 1) for l in f if ':\t' in l)
        assert st['Uid'].split() == [str(owner.pw_uid)] * 4
        assert st['Gid'].split() == [str(owner.pw_gid)] * 4
        assert os.path.realpath('/proc/%d/root' % pid) == os.path.realpath(inst.queue_dir)
    expect(c, 'QUIT', '221 2.0.0 Bye')
