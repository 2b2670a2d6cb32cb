"""POP-before-SMTP against a real instance: a roaming client (a distinct
loopback source address) may relay through smtpd for
pop_before_smtp_timeout after a POP3 login from the same address, and
only then; other addresses and failed logins gain nothing.

    mynetworks = 127.0.0.1/32
    smtpd_relay_restrictions = permit_mynetworks, permit_pop_before_smtp,
                               reject_unauth_destination
    pop_before_smtp_timeout = 3s

pop3d listens on 127.0.0.1; the clients bind their source address
(127.0.0.3, .4, .5) and connect to 127.0.0.1. For the IPv6 case, a
pop3d and an smtpd service on [::1] are added with a reload (::1 is not
in mynetworks). Every SMTP reply that matters is printed with the prefix
"ROAMING:" (pytest -s shows them).
"""
import os
import re
import smtplib
import socket
import subprocess
import time

import pytest

from poptest import (LOGIN_RE, TOP, Pop, PopInstance, fresh, login, password,
                     secret, wait_for)
from dromos_instance import free_port, listening

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

USER = 'drpopr'
PW = secret(password())
ROAMER = '127.0.0.3'
OTHER = '127.0.0.4'
FAILER = '127.0.0.5'
TIMEOUT = 3
REMOTE = 'x@remote.example'


@pytest.fixture(scope='module')
def inst():
    if not os.access(os.path.join(TOP, 'libexec', 'pop3d'), os.X_OK):
        pytest.fail('libexec/pop3d is not built')
    i = None
    try:
        i = PopInstance({USER: PW}, mynetworks='127.0.0.1/32',
                        smtpd_relay_restrictions='permit_mynetworks, '
                        'permit_pop_before_smtp, reject_unauth_destination',
                        pop_before_smtp_timeout='%ds' % TIMEOUT)
        yield i
    finally:
        if i is not None:
            i.finish()


def rcpt(inst, source, rcpt=REMOTE, server=('127.0.0.1', None)):
    """MAIL and RCPT from source; returns (code, text) of the RCPT
    reply (nothing is sent: RSET and QUIT follow)."""
    host, port = server
    with smtplib.SMTP(host, port or inst.smtp_port, timeout=30,
                      source_address=(source, 0)) as s:
        code, _ = s.ehlo('roamer.example')
        assert code == 250
        code, text = s.mail('roamer@example.test')
        assert code == 250, text
        code, text = s.rcpt(rcpt)
        text = text.decode(errors='replace')
        print('ROAMING: RCPT TO:<%s> from %s -> %d %s' % (rcpt, source, code, text))
        s.rset()
    return code, text


def assert_denied(inst, source):
    code, text = rcpt(inst, source)
    assert code == 554, (code, text)
    assert text.startswith('5.7.1 '), text
    return code, text


def pop_login(inst, source):
    c = Pop(inst.pop3_port, source=source)
    try:
        assert c.greeting.startswith('+OK'), c.greeting
        assert c.cmd('USER ' + USER) == '+OK send PASS'
        r = c.cmd('PASS ' + PW)
        print('ROAMING: POP3 login from %s -> %s' % (source, r))
        assert LOGIN_RE.match(r), r
        r = c.cmd('QUIT')
        print('ROAMING: POP3 QUIT -> %s' % r)
        assert r.startswith('+OK dromos POP3 server signing off')
        c.closed()
    finally:
        c.close()


def table(inst):
    """The POP-before-SMTP table as drommap -s prints it: {key: value}."""
    res = subprocess.run([os.path.join(inst.command_dir, 'drommap'), '-c',
                          inst.config_dir, '-s',
                          'hash:' + os.path.join(inst.data_dir, 'pop-before-smtp')],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         timeout=60)
    text = res.stdout.decode(errors='replace')
    print('ROAMING: drommap -s -> rc %d: %r %s' % (res.returncode, text,
                                                    res.stderr.decode(errors='replace').strip()))
    assert res.returncode == 0, res.stderr
    out = {}
    for line in text.splitlines():
        k, _, v = line.partition('\t')
        out[k] = v
    return out


def test_pop_before_smtp(inst):
    fresh(inst, USER, 1)
    # Local mail is accepted from anyone; relaying is not.
    code, text = rcpt(inst, ROAMER, '%s@%s' % (USER, inst.hostname))
    assert code == 250, text
    assert_denied(inst, ROAMER)
    inst.wait_log(r'reject: RCPT from [^\[]*\[%s\]: 554 5\.7\.1 <%s>'
                  % (re.escape(ROAMER), re.escape(REMOTE)))
    # 127.0.0.1 is in mynetworks: allowed without POP.
    code, text = rcpt(inst, '127.0.0.1')
    assert code == 250, text

    t0 = time.time()
    pop_login(inst, ROAMER)
    inst.wait_log(r'pop3d\[\d+\]: login: user=<%s>, method=USER, '
                  r'client=[^\[]*\[%s\]' % (USER, re.escape(ROAMER)))
    code, text = rcpt(inst, ROAMER)
    elapsed = time.time() - t0
    if code != 250 and elapsed >= TIMEOUT:
        pytest.skip('this host is too slow for a %ds timeout (%.1fs)'
                    % (TIMEOUT, elapsed))
    assert code == 250, (code, text)
    assert_denied(inst, OTHER)

    entries = table(inst)
    assert ROAMER in entries, entries
    assert OTHER not in entries, entries
    value = entries[ROAMER]
    assert re.match(r'^\d+$', value), value
    # The value is when the entry expires: login time + timeout.
    assert t0 - 2 <= int(value) - TIMEOUT <= time.time() + 2, (value, t0)

    # After the timeout the address is a stranger again.
    def denied_again():
        code, text = rcpt(inst, ROAMER)
        return code == 554 and text.startswith('5.7.1 ')
    wait_for(denied_again, timeout=15, interval=0.5,
             what='relay from %s denied again after %ds' % (ROAMER, TIMEOUT))
    assert time.time() - t0 >= TIMEOUT - 1
    assert_denied(inst, ROAMER)


def test_failed_login_gives_no_relay(inst):
    assert_denied(inst, FAILER)
    c = Pop(inst.pop3_port, source=FAILER)
    try:
        assert c.cmd('USER ' + USER) == '+OK send PASS'
        r = c.cmd('PASS ' + secret(password()))
        print('ROAMING: POP3 wrong password from %s -> %s' % (FAILER, r))
        assert r == '-ERR [AUTH] authentication failed'
    finally:
        c.close()
    assert_denied(inst, FAILER)
    # A login from 127.0.0.1 does not open relaying for FAILER either.
    login(inst, USER, PW).quit()
    assert_denied(inst, FAILER)


def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(('::1', 0))
        return True
    except OSError:
        return False


def pop_line(f):
    line = f.readline()
    assert line.endswith(b'\r\n'), line
    return line[:-2].decode()


def test_pop_before_smtp_ipv6(inst):
    """The same over IPv6: a login from ::1 records "::1" and lets ::1
    relay until the timeout."""
    if not ipv6_loopback():
        pytest.skip('no IPv6 loopback address on this host')
    pop6, smtp6 = free_port(), free_port()
    with open(os.path.join(inst.config_dir, 'master.cf'), 'a') as f:
        f.write('[::1]:%d inet n n n - - pop3d\n' % pop6)
        f.write('[::1]:%d inet n - - - - smtpd\n' % smtp6)
    inst.reload()
    wait_for(lambda: listening(pop6, '::1') and listening(smtp6, '::1'), timeout=15,
             what='pop3d and smtpd on [::1]')
    server = ('::1', smtp6)
    code, text = rcpt(inst, '::1', server=server)
    assert (code, text[:6]) == (554, '5.7.1 '), (code, text)

    t0 = time.time()
    with socket.create_connection(('::1', pop6), timeout=20) as sock:
        f = sock.makefile('rb')
        assert pop_line(f).startswith('+OK')
        sock.sendall(('USER %s\r\nPASS %s\r\n' % (USER, PW)).encode())
        assert pop_line(f) == '+OK send PASS'
        r = pop_line(f)
        print('ROAMING: POP3 login from ::1 -> %s' % r)
        assert LOGIN_RE.match(r), r
        sock.sendall(b'QUIT\r\n')
        assert pop_line(f).startswith('+OK')
    inst.wait_log(r'pop3d\[\d+\]: login: user=<%s>, method=USER, '
                  r'client=[^\[]*\[::1\]' % USER)
    code, text = rcpt(inst, '::1', server=server)
    if code != 250 and time.time() - t0 >= TIMEOUT:
        pytest.skip('this host is too slow for a %ds timeout' % TIMEOUT)
    assert code == 250, (code, text)
    entries = table(inst)
    assert re.match(r'^\d+$', entries.get('::1', '')), entries

    def denied_again():
        code, text = rcpt(inst, '::1', server=server)
        return code == 554 and text.startswith('5.7.1 ')
    wait_for(denied_again, timeout=15, interval=0.5,
             what='relay from ::1 denied again after %ds' % TIMEOUT)
