"""pop3d against a real instance: the POP3 protocol (RFC 1939, CAPA RFC
2449, AUTH RFC 5034) with exact reply texts, passwords in a Cyrus sasldb
(USER/PASS, AUTH PLAIN, LOGIN, CRAM-MD5), Maildir and mbox mailboxes
filled by real deliveries (smtpd -> local) and compared byte for byte
with what POP3 serves, UIDL stability, deletions (QUIT, RSET, dropped
connection), the mailbox lock, error limits, privilege separation
(pop3d-login as nobody in a chroot, pop3d-user as the mailbox owner),
the log lines, and the real clients poplib, fetchmail and curl.

The instance runs pop3d on 127.0.0.1:<free port> ("main", defaults except
pop3d_auth_failure_delay = 1s) and on a second port ("errors",
-o pop3d_hard_error_limit=4). Each test starts with an empty mailbox and
fresh mail (poptest.fresh), so the order of the tests does not matter.
No test makes more than 9 -ERR replies in one session on the main port
(pop3d_hard_error_limit defaults to 10) unless it tests that limit.
"""
import hashlib
import hmac
import os
import shutil
import pwd
import re
import subprocess
import time

import pytest

from poptest import (HOST, LOGIN_RE, MECHS, REALM, TOP, Pop, PopInstance, b64,
                     comm, crlf, deliver, fresh, ids, groups, login, parse_mbox,
                     password, poplib_login, procs_named, secret,
                     wait_for, wait_no_session)

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

U1 = 'drpop1'
U2 = 'drpop2'
UM = 'drpopm'          # the mbox instance's user
PW = {U1: secret(password()), U2: secret(password()), UM: secret(password())}
ERROR_LIMIT = 4        # the "errors" port

CAPA_ALWAYS = ['TOP', 'UIDL', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING',
               'IMPLEMENTATION dromos']

AUTH_FAILED = '-ERR [AUTH] authentication failed'
AUTH_CLOSING = ('-ERR [AUTH] authentication failed; too many failures, '
                'closing connection')
BAD_STATE = '-ERR command not valid in this state'
NO_SUCH = '-ERR no such message'
SYNTAX = '-ERR syntax error'
UNKNOWN = '-ERR unknown command'


def require_pop3d():
    if not os.access(os.path.join(TOP, 'libexec', 'pop3d'), os.X_OK):
        pytest.fail('libexec/pop3d is not built')


@pytest.fixture(scope='module')
def inst():
    require_pop3d()
    i = None
    try:
        i = PopInstance({U1: PW[U1], U2: PW[U2]},
                        extra_ports={'errors': '-o pop3d_hard_error_limit=%d'
                                     % ERROR_LIMIT})
        yield i
    finally:
        if i is not None:
            i.finish()


@pytest.fixture(scope='module')
def mbox_inst():
    require_pop3d()
    i = None
    try:
        i = PopInstance({UM: PW[UM]}, mbox=True)
        yield i
    finally:
        if i is not None:
            i.finish()


def sizes(msgs):
    return [len(crlf(m['data'])) for m in msgs]


def expect_login(reply, msgs):
    m = LOGIN_RE.match(reply)
    assert m, reply
    assert (int(m.group(1)), int(m.group(2))) == (len(msgs), sum(sizes(msgs))), \
        (reply, sizes(msgs))


def header_and_body(data):
    """(header lines, body lines) of a message in LF form."""
    lines = data.split(b'\n')
    assert lines[-1] == b''
    lines = lines[:-1]
    i = lines.index(b'')
    return lines[:i], lines[i + 1:]


# --- greeting, CAPA, QUIT ---------------------------------------------------

def test_greeting_capa_quit(inst):
    fresh(inst, U1, 1)
    c = Pop(inst.pop3_port)
    assert c.greeting == '+OK %s POP3 server ready' % HOST
    first, lines, _ = c.cmd_multi('CAPA')
    assert first == '+OK Capability list follows'
    caps = [l.decode() for l in lines]
    for cap in CAPA_ALWAYS + ['USER']:
        assert cap in caps, caps
    sasl = [l for l in caps if l.split()[:1] == ['SASL']]
    assert len(sasl) == 1, caps
    assert sorted(sasl[0].split()[1:]) == sorted(MECHS), caps
    assert c.cmd('NOOP') == BAD_STATE
    assert c.cmd('USER ' + U1) == '+OK send PASS'
    r = c.cmd('PASS ' + PW[U1])
    assert LOGIN_RE.match(r), r
    # After login: no USER, no SASL; the rest stays.
    first, lines, _ = c.cmd_multi('capa')
    assert first == '+OK Capability list follows'
    caps = [l.decode() for l in lines]
    for cap in CAPA_ALWAYS:
        assert cap in caps, caps
    assert 'USER' not in caps, caps
    assert not [l for l in caps if l.split()[:1] == ['SASL']], caps
    assert c.quit() == '+OK dromos POP3 server signing off (1 messages left)'


def test_quit_in_authorization(inst):
    c = Pop(inst.pop3_port)
    assert c.cmd('QUIT') == '+OK dromos POP3 server signing off'
    assert c.closed()
    c.close()
    c = Pop(inst.pop3_port)
    assert c.cmd('USER ' + U1) == '+OK send PASS'
    assert c.cmd('quit') == '+OK dromos POP3 server signing off'
    assert c.closed()
    c.close()


# --- USER/PASS ----------------------------------------------------------------

def test_user_pass_stat_list(inst):
    msgs = fresh(inst, U1, 3)
    c = login(inst, U1, PW[U1])
    try:
        expect_login(c.login_reply, msgs)
        assert c.cmd('STAT') == '+OK %d %d' % (len(msgs), sum(sizes(msgs)))
        first, lines, _ = c.cmd_multi('LIST')
        assert first == '+OK %d messages (%d octets)' % (len(msgs), sum(sizes(msgs)))
        assert lines == [b'%d %d' % (n + 1, s) for n, s in enumerate(sizes(msgs))]
        for n, s in enumerate(sizes(msgs)):
            assert c.cmd('LIST %d' % (n + 1)) == '+OK %d %d' % (n + 1, s)
        assert c.cmd('NOOP') == '+OK'
    finally:
        c.quit()


def test_retr_is_the_delivered_file(inst):
    """RETR gives the Maildir file with CR LF, dot-stuffed on the wire;
    the octet count in the reply and in LIST is the un-stuffed CR LF
    size."""
    msgs = fresh(inst, U1, 2)
    c = login(inst, U1, PW[U1])
    try:
        for n, m in enumerate(msgs, 1):
            want = crlf(m['data'])
            first, lines, wire = c.cmd_multi('RETR %d' % n)
            assert first == '+OK %d octets' % len(want), first
            assert b''.join(l + b'\r\n' for l in lines) == want
            # Dot-stuffing on the wire: every line that begins with "."
            # got another one, and nothing else changed.
            for l, w in zip(lines, wire):
                assert w == (b'.' + l if l.startswith(b'.') else l)
            assert b'..a line that begins with a dot' in wire
            assert b'...two dots' in wire
            assert b'..' in wire                  # the line "." alone
            assert lines[-1] == b''               # the empty last line
    finally:
        c.quit()


def test_poplib_octets_match_list(inst):
    msgs = fresh(inst, U1, 2)
    p = poplib_login(inst, U1, PW[U1])
    try:
        count, total = p.stat()
        assert (count, total) == (2, sum(sizes(msgs)))
        resp, listing, _ = p.list()
        listed = [int(l.split()[1]) for l in listing]
        assert listed == sizes(msgs)
        for n, m in enumerate(msgs, 1):
            resp, lines, octets = p.retr(n)
            assert octets == listed[n - 1] == len(crlf(m['data']))
            assert b'\r\n'.join(lines) + b'\r\n' == crlf(m['data'])
        assert p.quit().startswith(b'+OK dromos POP3 server signing off')
    finally:
        p.close()


def test_user_who_never_had_mail(inst):
    """No Maildir at all (local makes it with the first delivery): an
    empty maildrop, not an error; the next delivery makes the Maildir."""
    wait_no_session(inst, U2)
    shutil.rmtree(inst.maildir(U2), ignore_errors=True)
    c = login(inst, U2, PW[U2])
    try:
        assert c.login_reply == \
            '+OK maildrop locked and ready, 0 messages (0 octets)'
        assert c.cmd('STAT') == '+OK 0 0'
        assert c.cmd('LIST 1') == '-ERR no such message'
    finally:
        c.quit()
    assert not os.path.exists(inst.maildir(U2))
    fresh(inst, U2, 1)
    assert len(inst.maildir_files(U2)) == 1


def test_case_insensitive_commands(inst):
    msgs = fresh(inst, U1, 1)
    c = Pop(inst.pop3_port)
    try:
        assert c.cmd('user ' + U1) == '+OK send PASS'
        r = c.cmd('pAsS ' + PW[U1])
        expect_login(r, msgs)
        assert c.cmd('stat') == '+OK 1 %d' % sizes(msgs)[0]
        assert c.cmd('List 1') == '+OK 1 %d' % sizes(msgs)[0]
        assert c.cmd('nOoP') == '+OK'
        first, lines, _ = c.cmd_multi('retr 1')
        assert b''.join(l + b'\r\n' for l in lines) == crlf(msgs[0]['data'])
    finally:
        c.quit()


def test_login_name_with_realm(inst):
    """user@example.test is the same login as user: the mailbox owner is
    the part before "@"."""
    msgs = fresh(inst, U1, 2)
    c = login(inst, U1 + '@' + REALM, PW[U1])
    try:
        expect_login(c.login_reply, msgs)
    finally:
        c.quit()


def test_pass_without_user(inst):
    c = Pop(inst.pop3_port)
    try:
        assert c.cmd('PASS ' + PW[U1]) == '-ERR send USER first'
        assert c.cmd('STAT') == BAD_STATE
        # The session goes on: USER then PASS works.
        assert c.cmd('USER ' + U1) == '+OK send PASS'
        assert LOGIN_RE.match(c.cmd('PASS ' + PW[U1]))
    finally:
        c.quit()


def test_wrong_password_delay_and_limit(inst):
    fresh(inst, U1, 1)
    wrong = secret(password())
    c = Pop(inst.pop3_port, source='127.0.0.5')
    try:
        # The reply to USER does not tell whether the user exists.
        assert c.cmd('USER nosuchuser') == '+OK send PASS'
        r, took = c.timed('PASS ' + wrong)
        assert r == AUTH_FAILED and took >= 0.9, (r, took)
        assert c.cmd('USER ' + U1) == '+OK send PASS'
        r, took = c.timed('PASS ' + wrong)
        assert r == AUTH_FAILED and took >= 0.9, (r, took)
        assert c.cmd('STAT') == BAD_STATE
        assert c.cmd('USER ' + U1) == '+OK send PASS'
        r, took = c.timed('PASS ' + wrong)
        assert r == AUTH_CLOSING and took >= 0.9, (r, took)
        assert c.closed()
    finally:
        c.close()
    inst.wait_log(r'(?m)^(?=.*pop3d\[\d+\]: warning: )(?=.*\[127\.0\.0\.5\])'
                  r'(?=.*authentication failed).*$')
    # The right password still works afterwards (no lock-out).
    c = login(inst, U1, PW[U1])
    c.quit()


def test_unknown_user_is_delayed_too(inst):
    c = Pop(inst.pop3_port)
    try:
        assert c.cmd('USER nosuch' + U1) == '+OK send PASS'
        r, took = c.timed('PASS ' + PW[U1])
        assert r == AUTH_FAILED and took >= 0.9, (r, took)
        # root has no sasldb password: no way in.
        assert c.cmd('USER root') == '+OK send PASS'
        r, took = c.timed('PASS ' + PW[U1])
        assert r == AUTH_FAILED and took >= 0.9, (r, took)
    finally:
        c.close()
    # Another realm is another (unknown) user, although the part before
    # "@" names drpop1's mailbox.
    c = Pop(inst.pop3_port)
    try:
        assert c.cmd('USER %s@other.example' % U1) == '+OK send PASS'
        r, took = c.timed('PASS ' + PW[U1])
        assert r == AUTH_FAILED and took >= 0.9, (r, took)
        r = c.cmd('AUTH PLAIN ' + secret(b64('\0%s@other.example\0%s' % (U1, PW[U1]))))
        assert r == AUTH_FAILED, r
    finally:
        c.close()


def test_in_use(inst):
    msgs = fresh(inst, U1, 2)
    a = login(inst, U1, PW[U1])
    b = Pop(inst.pop3_port)
    try:
        assert b.cmd('USER ' + U1) == '+OK send PASS'
        assert b.cmd('PASS ' + PW[U1]) == '-ERR [IN-USE] maildrop already in use'
        # b stays in AUTHORIZATION state...
        assert b.cmd('STAT') == BAD_STATE
        # ... and AUTH is refused the same way.
        blob = secret(b64('\0%s\0%s' % (U1, PW[U1])))
        assert b.cmd('AUTH PLAIN ' + blob) == '-ERR [IN-USE] maildrop already in use'
        # a is unaffected.
        assert a.cmd('NOOP') == '+OK'
        assert a.cmd('STAT') == '+OK 2 %d' % sum(sizes(msgs))
        assert a.cmd('DELE 1') == '+OK message 1 deleted'
        # Another mailbox is no problem meanwhile.
        other = fresh(inst, U2, 1)
        o = login(inst, U2, PW[U2])
        expect_login(o.login_reply, other)
        assert o.quit() == '+OK dromos POP3 server signing off (1 messages left)'
        assert a.quit() == '+OK dromos POP3 server signing off (1 messages left)'
        # Once a is gone, b can log in, and sees the deletion.
        deadline = time.monotonic() + 10
        while True:
            assert b.cmd('USER ' + U1) == '+OK send PASS'
            r = b.cmd('PASS ' + PW[U1])
            if not r.startswith('-ERR [IN-USE]') or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        expect_login(r, msgs[1:])
    finally:
        a.close()
        b.quit()


# --- AUTH (RFC 5034) ----------------------------------------------------------

def login_logged(inst, user, method, source):
    """The login line; method is a regular expression."""
    inst.wait_log(r'pop3d\[\d+\]: login: user=<%s(@%s)?>, method=%s, '
                  r'client=[^\[]*\[%s\]' % (re.escape(user), re.escape(REALM),
                                           method, re.escape(source)))


def test_auth_plain_initial_response(inst):
    msgs = fresh(inst, U1, 2)
    c = Pop(inst.pop3_port, source='127.0.0.11')
    try:
        r = c.cmd('AUTH PLAIN ' + secret(b64('\0%s\0%s' % (U1, PW[U1]))))
        expect_login(r, msgs)
        assert c.cmd('AUTH PLAIN') == BAD_STATE
        assert c.cmd('USER ' + U1) == BAD_STATE
        assert c.cmd('PASS ' + PW[U1]) == BAD_STATE
        assert c.cmd('STAT') == '+OK 2 %d' % sum(sizes(msgs))
    finally:
        c.quit()
    login_logged(inst, U1, 'PLAIN', '127.0.0.11')


def test_auth_plain_empty_challenge(inst):
    msgs = fresh(inst, U1, 1)
    c = Pop(inst.pop3_port, source='127.0.0.12')
    try:
        assert c.cmd('auth plain') == '+ '
        r = c.cmd(secret(b64('%s\0%s\0%s' % (U1, U1, PW[U1]))))
        expect_login(r, msgs)
    finally:
        c.quit()
    login_logged(inst, U1, 'PLAIN', '127.0.0.12')


def test_auth_login(inst):
    msgs = fresh(inst, U1, 1)
    c = Pop(inst.pop3_port, source='127.0.0.13')
    try:
        r = c.cmd('AUTH LOGIN')
        assert r.startswith('+ '), r
        r = c.cmd(b64(U1))
        assert r.startswith('+ '), r
        r = c.cmd(secret(b64(PW[U1])))
        expect_login(r, msgs)
    finally:
        c.quit()
    login_logged(inst, U1, 'LOGIN', '127.0.0.13')


def test_auth_cram_md5(inst):
    msgs = fresh(inst, U1, 2)
    c = Pop(inst.pop3_port, source='127.0.0.14')
    try:
        r = c.cmd('AUTH CRAM-MD5')
        assert r.startswith('+ ') and len(r) > 2, r
        import base64
        challenge = base64.b64decode(r[2:], validate=True)
        assert re.match(rb'^<[^<>]+@[^<>]+>$', challenge), challenge
        digest = hmac.new(PW[U1].encode(), challenge, hashlib.md5).hexdigest()
        r = c.cmd(b64('%s %s' % (U1, digest)))
        expect_login(r, msgs)
    finally:
        c.quit()
    login_logged(inst, U1, 'CRAM-MD5', '127.0.0.14')


def test_auth_cram_md5_wrong_password(inst):
    c = Pop(inst.pop3_port)
    try:
        r = c.cmd('AUTH CRAM-MD5')
        assert r.startswith('+ '), r
        import base64
        challenge = base64.b64decode(r[2:])
        digest = hmac.new(b'not-the-password', challenge, hashlib.md5).hexdigest()
        r, took = c.timed(b64('%s %s' % (U1, digest)))
        assert r == AUTH_FAILED and took >= 0.9, (r, took)
    finally:
        c.close()


UNSUPPORTED = '-ERR unsupported authentication mechanism'
AUTH_ERROR_CASES = [
    [('AUTH PLAIN', '+ '), ('*', '-ERR authentication cancelled')],
    [('AUTH LOGIN', '+ *'), ('*', '-ERR authentication cancelled')],
    [('AUTH LOGIN', '+ *'), (b64(U1), '+ *'), ('*', '-ERR authentication cancelled')],
    [('AUTH CRAM-MD5', '+ *'), ('*', '-ERR authentication cancelled')],
    [('AUTH PLAIN', '+ '), ('!!not base64!!', '-ERR invalid base64 data')],
    [('AUTH PLAIN', '+ '), ('AGFiYw', '-ERR invalid base64 data')],   # no padding
    [('AUTH PLAIN AGFiYw', '-ERR invalid base64 data')],
    [('AUTH XYZZY', UNSUPPORTED)],
    # Installed on the system, but not in mech_list; never anonymous.
    [('AUTH DIGEST-MD5', UNSUPPORTED)],
    [('AUTH ANONYMOUS', UNSUPPORTED)],
]


def test_auth_lists_mechanisms(inst):
    """AUTH without an argument lists the mechanisms (the RFC 1734 form,
    which RFC 5034 dropped but clients still probe with), the same set
    as CAPA's SASL line; the session stays in AUTHORIZATION."""
    c = Pop(inst.pop3_port)
    try:
        status, lines, _ = c.cmd_multi('AUTH')
        assert status == '+OK', status
        assert sorted(lines) == [b'CRAM-MD5', b'LOGIN', b'PLAIN']
        assert c.cmd('STAT') == '-ERR command not valid in this state'
    finally:
        c.quit()


@pytest.mark.parametrize('case', AUTH_ERROR_CASES,
                         ids=[' / '.join(x[0] for x in c) for c in AUTH_ERROR_CASES])
def test_auth_errors(inst, case):
    """Each case in a session of its own (whether these count as failed
    logins is not specified); afterwards the session is still in the
    AUTHORIZATION state and USER/PASS works."""
    msgs = fresh(inst, U1, 1)
    c = Pop(inst.pop3_port)
    try:
        for send, want in case:
            r = c.cmd(send)
            if want.endswith('*'):
                assert r.startswith(want[:-1]), (send, r)
            else:
                assert r == want, (send, r)
        assert c.cmd('STAT') == BAD_STATE
        assert c.cmd('USER ' + U1) == '+OK send PASS'
        expect_login(c.cmd('PASS ' + PW[U1]), msgs)
    finally:
        c.quit()


def test_auth_failures(inst):
    msgs = fresh(inst, U1, 1)
    c = Pop(inst.pop3_port)
    try:
        r, took = c.timed('AUTH PLAIN ' + secret(b64('\0%s\0%s' % (U1, 'x' + PW[U1]))))
        assert r == AUTH_FAILED and took >= 0.9, (r, took)
        # "=" is an empty initial response: not a request for a challenge,
        # and no login.
        r = c.cmd('AUTH PLAIN =')
        assert r.startswith('-ERR'), r
        # Authorising as someone else (drpop2) with drpop1's password.
        r = c.cmd('AUTH PLAIN ' + secret(b64('%s\0%s\0%s' % (U2, U1, PW[U1]))))
        assert r.startswith('-ERR'), r
    finally:
        c.close()
    c = Pop(inst.pop3_port)
    try:
        expect_login(c.cmd('AUTH PLAIN ' + secret(b64('\0%s\0%s' % (U1, PW[U1])))), msgs)
    finally:
        c.quit()


def test_auth_failure_limit(inst):
    c = Pop(inst.pop3_port)
    try:
        bad = secret(b64('\0%s\0%s' % (U1, 'y' + PW[U1])))
        assert c.cmd('AUTH PLAIN ' + bad) == AUTH_FAILED
        assert c.cmd('AUTH PLAIN') == '+ '
        assert c.cmd(bad) == AUTH_FAILED
        assert c.cmd('AUTH PLAIN ' + bad) == AUTH_CLOSING
        assert c.closed()
    finally:
        c.close()


# --- TRANSACTION ----------------------------------------------------------------

def test_top(inst):
    msgs = fresh(inst, U1, 2)
    head, body = header_and_body(msgs[0]['data'])
    c = login(inst, U1, PW[U1])
    try:
        for k in (0, 1, 3, 4, len(body), len(body) + 50):
            first, lines, wire = c.cmd_multi('TOP 1 %d' % k)
            assert first == '+OK top of message follows', first
            assert lines == head + [b''] + body[:k], k
        # TOP 2 3 is message 2's header and first three body lines,
        # dot-stuffed on the wire.
        head2, body2 = header_and_body(msgs[1]['data'])
        first, lines, wire = c.cmd_multi('top 2 3')
        assert lines == head2 + [b''] + body2[:3]
        assert wire[-2:] == [b'..a line that begins with a dot', b'...two dots']
        assert c.cmd('TOP 3 0') == NO_SUCH
        assert c.cmd('TOP 0 0') == NO_SUCH
        assert c.cmd('TOP 1') == SYNTAX
        assert c.cmd('TOP 1 x') == SYNTAX
        assert c.cmd('TOP') == SYNTAX
        assert c.cmd('TOP 1 2 3') == SYNTAX
        assert c.cmd('DELE 1') == '+OK message 1 deleted'
        assert c.cmd('TOP 1 0') == NO_SUCH
    finally:
        c.quit()


def uidl_map(c):
    first, lines, _ = c.cmd_multi('UIDL')
    assert first.startswith('+OK'), first
    out = {}
    for l in lines:
        n, uid = l.decode('latin-1').split(' ')
        assert re.match(r'^[\x21-\x7e]{1,70}$', uid), uid
        out[int(n)] = uid
    return out


def test_uidl_stable_and_seen_moves_to_cur(inst):
    msgs = fresh(inst, U1, 3)
    c = login(inst, U1, PW[U1])
    try:
        u1 = uidl_map(c)
        assert sorted(u1) == [1, 2, 3]
        assert len(set(u1.values())) == 3
        for n, uid in u1.items():
            assert c.cmd('UIDL %d' % n) == '+OK %d %s' % (n, uid)
        assert c.cmd('UIDL 4') == NO_SUCH
        assert c.cmd('UIDL 0') == NO_SUCH
        assert c.cmd('UIDL x') == SYNTAX
        # RETR 2: the message moves from new/ to cur/NAME:2,S at once.
        c.cmd_multi('RETR 2')
        name = os.path.basename(msgs[1]['path'])
        assert msgs[1]['path'] == os.path.join(inst.maildir(U1), 'new', name)
        cur = os.path.join(inst.maildir(U1), 'cur', name + ':2,S')
        wait_for(lambda: os.path.exists(cur), timeout=5, what=cur)
        assert not os.path.exists(msgs[1]['path'])
        with open(cur, 'rb') as f:
            assert f.read() == msgs[1]['data']
        # The other two stay in new/.
        assert os.path.exists(msgs[0]['path']) and os.path.exists(msgs[2]['path'])
        assert uidl_map(c) == u1
    finally:
        c.quit()
    c = login(inst, U1, PW[U1])
    try:
        assert uidl_map(c) == u1
        # The message in cur/ is still message 2, same content.
        first, lines, _ = c.cmd_multi('RETR 2')
        assert b''.join(l + b'\r\n' for l in lines) == crlf(msgs[1]['data'])
        assert c.cmd('DELE 1') == '+OK message 1 deleted'
        assert c.cmd('UIDL 1') == NO_SUCH
        m = uidl_map(c)
        assert m == {2: u1[2], 3: u1[3]}
    finally:
        c.quit()
    c = login(inst, U1, PW[U1])
    try:
        # After the deletion, the old messages 2 and 3 are 1 and 2 with
        # the same UIDs.
        assert uidl_map(c) == {1: u1[2], 2: u1[3]}
    finally:
        c.quit()


def test_dele_rset_keeps(inst):
    msgs = fresh(inst, U1, 3)
    total = sum(sizes(msgs))
    c = login(inst, U1, PW[U1])
    try:
        assert c.cmd('DELE 2') == '+OK message 2 deleted'
        assert c.cmd('DELE 2') == '-ERR message 2 already deleted'
        assert c.cmd('STAT') == '+OK 2 %d' % (total - sizes(msgs)[1])
        first, lines, _ = c.cmd_multi('LIST')
        assert first == '+OK 2 messages (%d octets)' % (total - sizes(msgs)[1])
        assert lines == [b'1 %d' % sizes(msgs)[0], b'3 %d' % sizes(msgs)[2]]
        assert c.cmd('LIST 2') == NO_SUCH
        assert c.cmd('RETR 2') == NO_SUCH
        assert c.cmd('RSET') == '+OK maildrop has 3 messages (%d octets)' % total
        assert c.cmd('LIST 2') == '+OK 2 %d' % sizes(msgs)[1]
        assert c.quit() == '+OK dromos POP3 server signing off (3 messages left)'
    finally:
        c.close()
    assert all(maildir_exists(m) for m in msgs)
    c = login(inst, U1, PW[U1])
    try:
        expect_login(c.login_reply, msgs)
    finally:
        c.quit()


def maildir_exists(m):
    """The message's file, in new/ or (seen) in cur/."""
    if os.path.exists(m['path']):
        return True
    d = os.path.dirname(os.path.dirname(m['path']))
    base = os.path.basename(m['path'])
    return any(f.split(':')[0] == base for f in os.listdir(os.path.join(d, 'cur')))


def test_dele_quit_removes(inst):
    msgs = fresh(inst, U1, 3)
    c = login(inst, U1, PW[U1])
    try:
        c.cmd_multi('RETR 1')               # one seen message (in cur/)
        assert c.cmd('DELE 1') == '+OK message 1 deleted'
        assert c.cmd('DELE 3') == '+OK message 3 deleted'
        # Not removed before QUIT.
        assert maildir_exists(msgs[0]) and maildir_exists(msgs[2])
        assert c.quit() == '+OK dromos POP3 server signing off (1 messages left)'
    finally:
        c.close()
    assert not maildir_exists(msgs[0])
    assert not maildir_exists(msgs[2])
    assert maildir_exists(msgs[1])
    assert inst.maildir_files(U1, 'cur') == []
    assert inst.maildir_files(U1, 'new') == [msgs[1]['path']]
    c = login(inst, U1, PW[U1])
    try:
        expect_login(c.login_reply, msgs[1:2])
        first, lines, _ = c.cmd_multi('RETR 1')
        assert b''.join(l + b'\r\n' for l in lines) == crlf(msgs[1]['data'])
    finally:
        c.quit()


def test_dele_dropped_connection_keeps(inst):
    msgs = fresh(inst, U1, 2)
    c = login(inst, U1, PW[U1])
    assert c.cmd('DELE 1') == '+OK message 1 deleted'
    assert c.cmd('DELE 2') == '+OK message 2 deleted'
    c.close()                               # no QUIT
    c = login(inst, U1, PW[U1])
    try:
        expect_login(c.login_reply, msgs)
    finally:
        c.quit()
    assert all(maildir_exists(m) for m in msgs)


def test_message_number_errors(inst):
    fresh(inst, U1, 2)
    c = login(inst, U1, PW[U1])
    try:
        for cmd in ('LIST 0', 'LIST 3', 'RETR 0', 'RETR 3', 'DELE 3',
                    'UIDL 3', 'TOP 3 1'):
            assert c.cmd(cmd) == NO_SUCH, cmd
        r = c.cmd('RETR 99999999999999999999999')
        assert r in (NO_SUCH, SYNTAX), r
        assert c.cmd('STAT').startswith('+OK 2 ')
    finally:
        c.quit()


def test_syntax_errors(inst):
    fresh(inst, U1, 1)
    cases = ['LIST x', 'LIST 1 2', 'RETR', 'RETR 1x', 'RETR 1 2', 'DELE',
             'DELE one', 'STAT 1', 'NOOP x', 'RSET now', 'UIDL 1 2', 'TOP 1 -1',
             'LIST -1']
    # A new session every few errors keeps under the hard error limit.
    for i in range(0, len(cases), 4):
        c = login(inst, U1, PW[U1])
        try:
            for cmd in cases[i:i + 4]:
                assert c.cmd(cmd) == SYNTAX, cmd
            assert c.cmd('NOOP') == '+OK'
            assert c.cmd('DELE 1') == '+OK message 1 deleted'
        finally:
            c.close()      # no QUIT: keep the message for the next round


def test_wrong_state_before_login(inst):
    cmds = ['STAT', 'LIST', 'LIST 1', 'RETR 1', 'DELE 1', 'NOOP', 'RSET',
            'TOP 1 0', 'UIDL', 'UIDL 1']
    for i in range(0, len(cmds), 5):
        c = Pop(inst.pop3_port)
        try:
            for cmd in cmds[i:i + 5]:
                assert c.cmd(cmd) == BAD_STATE, cmd
            assert c.cmd('USER ' + U1) == '+OK send PASS'
            assert c.cmd('RETR 1') == BAD_STATE
        finally:
            c.quit()


def test_wrong_state_after_login(inst):
    msgs = fresh(inst, U1, 1)
    c = login(inst, U1, PW[U1])
    try:
        assert c.cmd('USER ' + U1) == BAD_STATE
        assert c.cmd('PASS ' + PW[U1]) == BAD_STATE
        assert c.cmd('AUTH PLAIN') == BAD_STATE
        assert c.cmd('AUTH PLAIN ' + secret(b64('\0%s\0%s' % (U2, PW[U2])))) == BAD_STATE
        # Still drpop1's mailbox.
        assert c.cmd('STAT') == '+OK 1 %d' % sizes(msgs)[0]
    finally:
        c.quit()


def test_unknown_commands(inst):
    c = Pop(inst.pop3_port)
    try:
        for cmd in ('LAST', 'APOP %s 0123456789abcdef0123456789abcdef' % U1,
                    'XYZZY', 'HELO x'):
            assert c.cmd(cmd) == UNKNOWN, cmd
    finally:
        c.quit()
    fresh(inst, U1, 1)
    c = login(inst, U1, PW[U1])
    try:
        assert c.cmd('LAST') == UNKNOWN
        assert c.cmd('xyzzy 1') == UNKNOWN
        assert c.cmd('STAT').startswith('+OK 1 ')
    finally:
        c.quit()


def test_long_line_and_nul(inst):
    fresh(inst, U1, 1)
    c = Pop(inst.pop3_port)
    try:
        # 255 octets with CR LF is the longest line RFC 2449 allows.
        assert c.cmd('USER ' + 'a' * 248) == '+OK send PASS'
        assert c.cmd('USER ' + 'a' * 300) == '-ERR line too long'
        assert c.cmd('NOOP ' + 'x' * 10000) == '-ERR line too long'
        # One reply for the whole long line: the next reply is NOOP's.
        assert c.cmd('NO\0OP') == SYNTAX
        assert c.cmd('USER ' + U1 + '\0x') == SYNTAX
        assert c.cmd('USER ' + U1) == '+OK send PASS'
        assert LOGIN_RE.match(c.cmd('PASS ' + PW[U1]))
        assert c.cmd('LIST ' + '1' * 400) == '-ERR line too long'
        assert c.cmd('ST\0AT') == SYNTAX
        assert c.cmd('STAT').startswith('+OK 1 ')
        assert c.nothing_pending()
    finally:
        c.quit()


def test_hard_error_limit(inst):
    """The "errors" port has pop3d_hard_error_limit = 4: after four -ERR
    replies the server says so and closes, whatever the errors were."""
    c = Pop(inst.ports['errors'])
    try:
        assert c.cmd('XYZZY') == UNKNOWN
        assert c.cmd('STAT') == BAD_STATE
        assert c.cmd('USER ' + 'a' * 300) == '-ERR line too long'
        assert c.cmd('NOOP') == BAD_STATE
        assert c.line() == '-ERR too many errors, closing connection'
        assert c.closed()
    finally:
        c.close()
    # After login the count goes on; +OK replies do not reset it.
    fresh(inst, U1, 1)
    c = login(inst, U1, PW[U1], port=inst.ports['errors'])
    try:
        for cmd in ('RETR 5', 'NOOP', 'LIST x', 'NOOP', 'XYZZY', 'STAT'):
            r = c.cmd(cmd)
            assert r.startswith('-ERR' if cmd not in ('NOOP', 'STAT') else '+OK'), (cmd, r)
        assert c.cmd('DELE 1') == '+OK message 1 deleted'
        assert c.cmd('DELE 1') == '-ERR message 1 already deleted'
        assert c.line() == '-ERR too many errors, closing connection'
        assert c.closed()
    finally:
        c.close()
    # Closed without QUIT: nothing deleted.
    c = login(inst, U1, PW[U1])
    try:
        assert c.cmd('STAT').startswith('+OK 1 ')
    finally:
        c.quit()
    # The default (10) on the main port: nine errors are fine.
    c = Pop(inst.pop3_port)
    try:
        for _ in range(9):
            assert c.cmd('XYZZY') == UNKNOWN
        assert c.nothing_pending()
        assert c.cmd('USER ' + U1) == '+OK send PASS'
        assert c.cmd('STAT') == BAD_STATE
        assert c.line() == '-ERR too many errors, closing connection'
        assert c.closed()
    finally:
        c.close()


def test_pipelining(inst):
    msgs = fresh(inst, U1, 2)
    c = Pop(inst.pop3_port)
    try:
        c.send('CAPA\r\nUSER %s\r\nPASS %s\r\nSTAT\r\nLIST\r\nUIDL 1\r\n'
               'RETR 2\r\nTOP 1 0\r\nDELE 1\r\nNOOP\r\nRSET\r\nQUIT\r\n'
               % (U1, PW[U1]))
        assert c.line() == '+OK Capability list follows'
        c.multi()
        assert c.line() == '+OK send PASS'
        expect_login(c.line(), msgs)
        assert c.line() == '+OK 2 %d' % sum(sizes(msgs))
        assert c.line() == '+OK 2 messages (%d octets)' % sum(sizes(msgs))
        assert c.multi()[0] == [b'1 %d' % sizes(msgs)[0], b'2 %d' % sizes(msgs)[1]]
        assert re.match(r'^\+OK 1 [\x21-\x7e]+$', c.line())
        assert c.line() == '+OK %d octets' % sizes(msgs)[1]
        lines, _ = c.multi()
        assert b''.join(l + b'\r\n' for l in lines) == crlf(msgs[1]['data'])
        assert c.line() == '+OK top of message follows'
        head, _ = header_and_body(msgs[0]['data'])
        assert c.multi()[0] == head + [b'']
        assert c.line() == '+OK message 1 deleted'
        assert c.line() == '+OK'
        assert c.line() == '+OK maildrop has 2 messages (%d octets)' % sum(sizes(msgs))
        assert c.line() == '+OK dromos POP3 server signing off (2 messages left)'
        assert c.closed()
    finally:
        c.close()
    assert all(maildir_exists(m) for m in msgs)


# --- privileges and logs --------------------------------------------------------

def login_proc_ok(p, nobody, empty):
    """A pop3d-login process runs as nobody (real, effective, saved and
    file-system uid), with no root group, chrooted to queue_dir/empty."""
    try:
        root = os.path.realpath(os.readlink('/proc/%d/root' % p))
    except OSError:
        return True                         # gone meanwhile
    uids, gids, grps = ids(p, 'Uid'), ids(p, 'Gid'), groups(p)
    if uids is None:
        return True
    return (uids == [nobody.pw_uid] * 4 and 0 not in gids and 0 not in grps
            and root == empty)


def user_proc_ok(p, owner):
    uids, gids, grps = ids(p, 'Uid'), ids(p, 'Gid'), groups(p)
    if uids is None:
        return True
    return (uids[:3] == [owner.pw_uid] * 3 and 0 not in uids
            and 0 not in gids and 0 not in grps)


def describe(pids):
    return [(p, comm(p), ids(p, 'Uid'), ids(p, 'Gid'), groups(p),
             _root(p)) for p in pids]


def _root(p):
    try:
        return os.readlink('/proc/%d/root' % p)
    except OSError:
        return None


def test_privilege_separation(inst):
    fresh(inst, U1, 1)
    nobody = pwd.getpwnam('nobody')
    owner = pwd.getpwnam(U1)
    empty = os.path.realpath(os.path.join(inst.queue_dir, 'empty'))
    c = Pop(inst.pop3_port)
    try:
        assert c.cmd('NOOP') == BAD_STATE      # the session is up
        # Some pop3d-login process exists, and (once any that is still
        # starting has settled) every one is unprivileged and chrooted.
        wait_for(lambda: procs_named(inst, 'pop3d-login'), timeout=5,
                 what='a pop3d-login process')
        try:
            wait_for(lambda: all(login_proc_ok(p, nobody, empty)
                                 for p in procs_named(inst, 'pop3d-login')),
                     timeout=5, what='pop3d-login as nobody in %s' % empty)
        except AssertionError:
            raise AssertionError('pop3d-login processes: %r (want uid %d, root %s)'
                                 % (describe(procs_named(inst, 'pop3d-login')),
                                    nobody.pw_uid, empty))
        assert c.cmd('USER ' + U1) == '+OK send PASS'
        assert LOGIN_RE.match(c.cmd('PASS ' + PW[U1]))
        assert c.cmd('STAT').startswith('+OK 1 ')

        def mine():
            return [p for p in procs_named(inst, 'pop3d-user')
                    if ids(p, 'Uid') and owner.pw_uid in ids(p, 'Uid')]
        wait_for(mine, timeout=5, what='a pop3d-user process of %s: %r'
                 % (U1, describe(procs_named(inst, 'pop3d-user'))))
        try:
            wait_for(lambda: all(user_proc_ok(p, owner) for p in mine()),
                     timeout=5, what='pop3d-user as %s only' % U1)
        except AssertionError:
            raise AssertionError('pop3d-user processes: %r (want uid %d)'
                                 % (describe(mine()), owner.pw_uid))
        # No pop3d-user process runs as root.
        for p in procs_named(inst, 'pop3d-user'):
            assert 0 not in (ids(p, 'Uid') or []), describe([p])
    finally:
        c.quit()
    # No process of the session is left.
    wait_no_session(inst, U1)


def test_log_lines_and_no_password(inst):
    fresh(inst, U1, 1)
    c = login(inst, U1, PW[U1], source='127.0.0.21')
    c.quit()
    login_logged(inst, U1, 'USER', '127.0.0.21')
    wrong = secret(password())
    c = Pop(inst.pop3_port, source='127.0.0.22')
    try:
        assert c.cmd('USER ' + U1) == '+OK send PASS'
        assert c.cmd('PASS ' + wrong) == AUTH_FAILED
    finally:
        c.quit()
    inst.wait_log(r'(?m)^(?=.*pop3d\[\d+\]: warning: )(?=.*\[127\.0\.0\.22\])'
                  r'(?=.*authentication failed).*$')
    log = inst.log()
    assert not re.search(r'login: user=<[^>]*>, method=\S+, client=[^\[]*'
                         r'\[127\.0\.0\.22\]', log)
    for pw in (PW[U1], PW[U2], wrong):
        assert pw not in log


# --- real clients -----------------------------------------------------------------

def test_fetchmail(inst, tmp_path):
    msgs = fresh(inst, U1, 2)
    out = tmp_path / 'fetched'
    rc = tmp_path / 'fetchmailrc'
    # sslproto "": no STARTTLS; "set invisible": no Received header of
    # fetchmail's own; "no rewrite": headers as they are.
    rc.write_text('set invisible\n'
                  'poll 127.0.0.1 service %d protocol POP3\n'
                  '  user "%s" password "%s" sslproto "" keep\n'
                  '  no rewrite mda "cat >> %s"\n'
                  % (inst.pop3_port, U1, PW[U1], out))
    os.chmod(rc, 0o600)
    env = dict(os.environ, FETCHMAILHOME=str(tmp_path), HOME=str(tmp_path))
    res = subprocess.run(['fetchmail', '-f', str(rc), '--nosyslog', '--nodetach',
                          '-v'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         env=env, timeout=120)
    text = res.stdout.decode(errors='replace')
    assert res.returncode == 0, text
    got = out.read_bytes()
    # fetchmail hands each message to the mda with LF line ends (stripcr
    # is the default with an mda) and, with "invisible", adds nothing.
    want = b''.join(m['data'] for m in msgs)
    if got != want:
        # Tolerate only header lines fetchmail itself may add: every
        # message's body must be there exactly, in order.
        pos = 0
        for m in msgs:
            head, body = header_and_body(m['data'])
            b = b'\n'.join(body) + b'\n'
            i = got.find(b, pos)
            assert i >= 0, (text, got[:3000])
            for h in head:
                assert h + b'\n' in got[pos:i], (h, got[pos:i])
            pos = i + len(b)
        assert pos == len(got), got[pos:]
    assert 'LAST' not in text or '-ERR unknown command' in text
    # keep: still there.
    c = login(inst, U1, PW[U1])
    try:
        assert c.cmd('STAT') == '+OK 2 %d' % sum(sizes(msgs))
    finally:
        c.quit()
    login_logged(inst, U1, '(USER|PLAIN|LOGIN|CRAM-MD5)', '127.0.0.1')


def curl(inst, url_path, user=U1, extra=()):
    res = subprocess.run(['curl', '-sS', '--max-time', '60', '-u',
                          '%s:%s' % (user, PW[user])] + list(extra) +
                         ['pop3://127.0.0.1:%d/%s' % (inst.pop3_port, url_path)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=90)
    assert res.returncode == 0, res.stderr.decode(errors='replace')
    return res.stdout


def test_curl_list_and_retr(inst):
    msgs = fresh(inst, U1, 2)
    got = curl(inst, '')
    assert got == b''.join(b'%d %d\r\n' % (n, s) for n, s in enumerate(sizes(msgs), 1))
    for n, m in enumerate(msgs, 1):
        assert curl(inst, str(n)) == crlf(m['data'])
    for mech in ('PLAIN', 'LOGIN', 'CRAM-MD5'):
        assert curl(inst, '2', extra=['--login-options', 'AUTH=' + mech]) == \
            crlf(msgs[1]['data'])
    c = login(inst, U1, PW[U1])
    try:
        assert c.cmd('STAT') == '+OK 2 %d' % sum(sizes(msgs))
    finally:
        c.quit()


# --- mbox ------------------------------------------------------------------------

def mbox_msgs(inst):
    return parse_mbox(inst.mbox_bytes(UM))


def test_mbox_sizes_and_content(mbox_inst):
    msgs = fresh(mbox_inst, UM, 3)
    # The mbox holds the quoted ">From here" and local's separator.
    raw = mbox_inst.mbox_bytes(UM)
    assert raw.count(b'\n>From here the mbox writer') == 3
    assert [m['data'] for m in msgs] == mbox_msgs(mbox_inst)
    p = poplib_login(mbox_inst, UM, PW[UM])
    try:
        assert p.stat() == (3, sum(sizes(msgs)))
        resp, listing, _ = p.list()
        assert [int(l.split()[1]) for l in listing] == sizes(msgs)
        for n, m in enumerate(msgs, 1):
            resp, lines, octets = p.retr(n)
            assert octets == len(crlf(m['data']))
            assert b'\r\n'.join(lines) + b'\r\n' == crlf(m['data'])
            assert b'From here the mbox writer quotes this line' in lines
        head, body = header_and_body(msgs[0]['data'])
        resp, lines, _ = p.top(1, 2)
        assert lines == head + [b''] + body[:2]
        p.quit()
    finally:
        p.close()
    assert mbox_inst.mbox_bytes(UM) == raw     # reading changes nothing


def test_mbox_quoted_from_round_trip(mbox_inst):
    fresh(mbox_inst, UM, 1)
    c = login(mbox_inst, UM, PW[UM])
    try:
        first, lines, _ = c.cmd_multi('RETR 1')
        assert b'From here the mbox writer quotes this line' in lines
        assert b'>From there, already quoted once' in lines
    finally:
        c.quit()


def test_mbox_uidl_and_deletions(mbox_inst):
    msgs = fresh(mbox_inst, UM, 3)
    c = login(mbox_inst, UM, PW[UM])
    try:
        u1 = uidl_map(c)
        assert sorted(u1) == [1, 2, 3] and len(set(u1.values())) == 3
    finally:
        c.quit()
    # RSET keeps; a dropped connection keeps.
    c = login(mbox_inst, UM, PW[UM])
    assert uidl_map(c) == u1
    assert c.cmd('DELE 1') == '+OK message 1 deleted'
    assert c.cmd('RSET') == '+OK maildrop has 3 messages (%d octets)' % sum(sizes(msgs))
    assert c.cmd('DELE 2') == '+OK message 2 deleted'
    c.close()
    before = mbox_inst.mbox_bytes(UM)
    assert [m['data'] for m in msgs] == parse_mbox(before)
    # DELE then QUIT: the mbox is shorter, the rest unchanged.
    c = login(mbox_inst, UM, PW[UM])
    try:
        assert uidl_map(c) == u1
        assert c.cmd('DELE 2') == '+OK message 2 deleted'
        assert c.quit() == '+OK dromos POP3 server signing off (2 messages left)'
    finally:
        c.close()
    after = mbox_inst.mbox_bytes(UM)
    assert len(after) < len(before)
    assert parse_mbox(after) == [msgs[0]['data'], msgs[2]['data']]
    # Only message 2's "From " line, content and separator are gone.
    chunks = [ch for ch in re.split(rb'(?m)^(?=From )', before) if ch]
    assert len(chunks) == 3
    assert after == b''.join(ch for ch in chunks
                             if (' id %s' % msgs[1]['qid']).encode() not in ch)
    c = login(mbox_inst, UM, PW[UM])
    try:
        assert uidl_map(c) == {1: u1[1], 2: u1[3]}
        first, lines, _ = c.cmd_multi('RETR 2')
        assert b''.join(l + b'\r\n' for l in lines) == crlf(msgs[2]['data'])
    finally:
        c.quit()
    # Mail that arrives during a session survives its QUIT.
    c = login(mbox_inst, UM, PW[UM])
    try:
        assert c.cmd('DELE 1') == '+OK message 1 deleted'
        late = deliver(mbox_inst, UM, 1)
        assert c.quit() == '+OK dromos POP3 server signing off (1 messages left)'
    finally:
        c.close()
    assert parse_mbox(mbox_inst.mbox_bytes(UM)) == [msgs[2]['data'], late[0]['data']]


def test_mbox_owner_and_in_use(mbox_inst):
    fresh(mbox_inst, UM, 1)
    st = os.stat(mbox_inst.mbox_path(UM))
    assert st.st_uid == pwd.getpwnam(UM).pw_uid
    a = login(mbox_inst, UM, PW[UM])
    b = Pop(mbox_inst.pop3_port)
    try:
        assert b.cmd('USER ' + UM) == '+OK send PASS'
        assert b.cmd('PASS ' + PW[UM]) == '-ERR [IN-USE] maildrop already in use'
        assert a.cmd('STAT').startswith('+OK 1 ')
    finally:
        a.quit()
        b.quit()
    # pop3d left no dot-lock behind.
    assert not os.path.exists(mbox_inst.mbox_path(UM) + '.lock')
