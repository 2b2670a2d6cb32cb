"""The DSN extension (RFC 3461) in smtpd, against a real instance (see
conftest.py): EHLO announces DSN; MAIL FROM takes RET= and ENVID=, RCPT
TO takes NOTIFY= and ORCPT=; what was accepted reaches the queue file as
the attributes dsn_ret and dsn_envid and an N record ("MASK ORCPT", the
ORCPT decoded) before the recipient's R record. The messages go through
the 'hold' smtpd, whose sender restriction says HOLD, so each file stays
in hold/ to be read. Malformed parameters get 501 5.5.4 (a parameter the
command does not take 555 5.5.4) and nothing is queued."""
import struct

import pytest

from conftest import HOST, Smtp, wait_for

R = '@' + HOST
DSN_SUCCESS, DSN_FAILURE, DSN_DELAY, DSN_NEVER = 1, 2, 4, 8


def records(path):
    """A queue file as a list of (type, data): one type byte, a 4-byte
    big-endian length, the data (rec.h)."""
    with open(path, 'rb') as f:
        data = f.read()
    out = []
    i = 0
    while i < len(data):
        t = chr(data[i])
        (n,) = struct.unpack('>I', data[i + 1:i + 5])
        out.append((t, data[i + 5:i + 5 + n].decode('latin-1')))
        i += 5 + n
    return out


def envelope(path):
    """The records before M."""
    recs = records(path)
    return recs[:[t for t, _ in recs].index('M')]


def session(inst, name='hold'):
    c = Smtp(inst.ports[name])
    code, lines = c.cmd('EHLO client.example')
    assert code == 250, lines
    return c


def send(inst, mail, rcpts):
    """One message through the hold smtpd: the queue file's envelope."""
    c = session(inst)
    code, lines = c.cmd(mail)
    assert code == 250, (mail, lines)
    for r in rcpts:
        code, lines = c.cmd(r)
        assert lines == ['250 2.1.5 Ok'], (r, lines)
    return finish(inst, c)


def finish(inst, c):
    """DATA, a short message and QUIT: the held queue file's envelope."""
    assert c.cmd('DATA')[0] == 354
    code, lines = c.cmd('Subject: dsn\r\n\r\nbody\r\n.')
    assert code == 250, lines
    qid = lines[-1].split()[-1]
    c.cmd('QUIT')
    c.close()
    wait_for(lambda: inst.queue_file(qid, ('hold',)), timeout=10,
             what='%s in hold/' % qid)
    return envelope(inst.queue_file(qid, ('hold',)))


def attrs(env):
    return dict(d.split('=', 1) for t, d in env if t == 'A')


def rcpt_dsn(env):
    """{recipient address: N record data or None}."""
    out = {}
    pending = None
    for t, d in env:
        if t == 'N':
            assert pending is None, env
            pending = d
        elif t == 'R':
            out[d[1:]] = pending
            pending = None
    assert pending is None, env
    return out


def test_ehlo_announces_dsn(inst):
    c = Smtp(inst.ports['main'])
    code, lines = c.cmd('EHLO client.example')
    assert code == 250
    assert '250-DSN' in lines
    c.cmd('QUIT')
    c.close()


def test_accepted_forms_reach_the_queue_file(inst):
    env = send(inst, 'MAIL FROM:<alice@example.org> RET=HDRS '
               'ENVID=QQ314159+2Bx SIZE=100',
               ['RCPT TO:<bob%s> NOTIFY=SUCCESS,DELAY '
                'ORCPT=rfc822;Bob+2BTag@example.org' % R,
                'RCPT TO:<carol%s>' % R,
                'RCPT TO:<dave%s> notify=never' % R,
                'RCPT TO:<erin%s> ORCPT=rfc822;erin@example.org' % R,
                'RCPT TO:<frank%s> NOTIFY=FAILURE' % R])
    a = attrs(env)
    assert a['dsn_ret'] == 'HDRS'
    assert a['dsn_envid'] == 'QQ314159+x'
    assert rcpt_dsn(env) == {
        'bob' + R: '%d rfc822;Bob+Tag@example.org'
        % (DSN_SUCCESS | DSN_DELAY),
        'carol' + R: None,
        'dave' + R: '%d ' % DSN_NEVER,
        'erin' + R: '0 rfc822;erin@example.org',
        'frank' + R: '%d ' % DSN_FAILURE,
    }
    # N comes after the recipient's O record and right before its R.
    types = ''.join(t for t, _ in env if t in 'ONR')
    assert types == 'ONR' 'OR' 'ONR' 'ONR' 'ONR'


def test_no_dsn_parameters_no_dsn_records(inst):
    env = send(inst, 'MAIL FROM:<alice@example.org> ret=full',
               ['RCPT TO:<bob%s>' % R])
    a = attrs(env)
    assert a['dsn_ret'] == 'FULL'
    assert 'dsn_envid' not in a
    assert [t for t, _ in env if t == 'N'] == []


MAIL_BAD = [
    ('RET=NONE', 'Bad RET parameter'),
    ('RET', 'Bad RET parameter'),
    ('RET=FULL RET=HDRS', 'Duplicate RET parameter'),
    ('ENVID=a ENVID=b', 'Duplicate ENVID parameter'),
    ('SIZE=10 SIZE=10', 'Duplicate SIZE parameter'),
    ('ENVID=', 'Bad ENVID parameter: malformed xtext'),
    ('ENVID=abc+4', 'Bad ENVID parameter: malformed xtext'),
    ('ENVID=abc+ZZ', 'Bad ENVID parameter: malformed xtext'),
    ('ENVID=a=b', 'Bad ENVID parameter: malformed xtext'),
    ('ENVID=a+0Db', 'Bad ENVID parameter: malformed xtext'),
    ('ENVID=+C3+A9', 'Bad ENVID parameter: not printable ASCII'),
    ('ENVID=' + 'x' * 101, 'Bad ENVID parameter: longer than 100'),
    ('ENVID=' + '+41' * 101, 'Bad ENVID parameter: longer than 100'),
]


@pytest.mark.parametrize('param,text', MAIL_BAD)
def test_bad_mail_parameter(inst, param, text):
    before = inst.queue_ids(('incoming', 'active', 'deferred', 'hold'))
    c = session(inst)
    code, lines = c.cmd('MAIL FROM:<alice@example.org> ' + param)
    assert code == 501 and lines[-1].startswith('501 5.5.4 ' + text), lines
    # No transaction: RCPT needs MAIL, DATA has nothing to send.
    assert c.cmd('RCPT TO:<bob%s>' % R) == (
        503, ['503 5.5.1 Error: need MAIL command'])
    assert c.cmd('DATA')[0] == 503
    c.cmd('QUIT')
    c.close()
    assert inst.queue_ids(('incoming', 'active', 'deferred', 'hold')) == before


RCPT_BAD = [
    ('NOTIFY=NEVER,SUCCESS', 'Bad NOTIFY parameter'),
    ('NOTIFY=FAILURE,NEVER', 'Bad NOTIFY parameter'),
    ('NOTIFY=SUCCESS,,DELAY', 'Bad NOTIFY parameter'),
    ('NOTIFY=SUCCESS,SUCCESS', 'Bad NOTIFY parameter'),
    ('NOTIFY=', 'Bad NOTIFY parameter'),
    ('NOTIFY=ALWAYS', 'Bad NOTIFY parameter'),
    ('NOTIFY=DELAY NOTIFY=DELAY', 'Duplicate NOTIFY parameter'),
    ('ORCPT=rfc822;a@b ORCPT=rfc822;a@b', 'Duplicate ORCPT parameter'),
    ('ORCPT=bob@example.org', 'Bad ORCPT parameter: need addr-type;address'),
    ('ORCPT=rfc822;', 'Bad ORCPT parameter: need addr-type;address'),
    ('ORCPT=;bob@example.org', 'Bad ORCPT parameter: need addr-type;address'),
    ('ORCPT=rfc822;bob+4', 'Bad ORCPT parameter: malformed xtext'),
    ('ORCPT=rfc822;bob+GG@example.org',
     'Bad ORCPT parameter: malformed xtext'),
    ('ORCPT=rfc822;b+0Aob@example.org',
     'Bad ORCPT parameter: malformed xtext'),
    ('ORCPT=rfc822;' + 'x' * 500,
     'Bad ORCPT parameter: need addr-type;address'),
]


@pytest.mark.parametrize('param,text', RCPT_BAD)
def test_bad_rcpt_parameter(inst, param, text):
    before = inst.queue_ids(('incoming', 'active', 'deferred', 'hold'))
    c = session(inst)
    assert c.cmd('MAIL FROM:<alice@example.org>')[0] == 250
    code, lines = c.cmd('RCPT TO:<bob%s> %s' % (R, param))
    assert code == 501 and lines[-1].startswith('501 5.5.4 ' + text), lines
    assert c.cmd('DATA') == (554, ['554 5.5.1 Error: no valid recipients'])
    c.cmd('QUIT')
    c.close()
    assert inst.queue_ids(('incoming', 'active', 'deferred', 'hold')) == before


@pytest.mark.parametrize('cmd,param', [
    ('MAIL FROM:<alice@example.org>', 'NOTIFY=NEVER'),
    ('MAIL FROM:<alice@example.org>', 'ORCPT=rfc822;a@b'),
    ('RCPT TO:<bob%s>' % R, 'RET=FULL'),
    ('RCPT TO:<bob%s>' % R, 'ENVID=x'),
    ('RCPT TO:<bob%s>' % R, 'XFOO=1'),
])
def test_parameter_of_the_other_command_is_unknown(inst, cmd, param):
    c = session(inst, 'main')
    if cmd.startswith('RCPT'):
        assert c.cmd('MAIL FROM:<alice@example.org>')[0] == 250
    code, lines = c.cmd('%s %s' % (cmd, param))
    name = param.split('=')[0]
    assert lines == ['555 5.5.4 Unsupported option: ' + name], lines
    c.cmd('QUIT')
    c.close()


def test_rset_forgets_ret_and_envid(inst):
    """RET and ENVID belong to one transaction."""
    c = session(inst)
    assert c.cmd('MAIL FROM:<alice@example.org> RET=FULL ENVID=one')[0] == 250
    assert c.cmd('RSET')[0] == 250
    assert c.cmd('MAIL FROM:<alice@example.org>')[0] == 250
    assert c.cmd('RCPT TO:<bob%s>' % R)[0] == 250
    a = attrs(finish(inst, c))
    assert 'dsn_ret' not in a and 'dsn_envid' not in a
