"""dromcat: a known queue file shown exactly (envelope, headers, body, raw
records), corrupt copies reported precisely with nothing of their content,
queue IDs found by -q, and a maildrop file shown with its own grammar."""
import os
import pwd
import shutil
import struct
import subprocess
import tempfile
import time

import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DROMCAT = os.path.join(TOP, 'bin', 'dromcat')
MKQFILE = os.path.join(TOP, 'tests', 'qmgr', 'mkqfile')

HEADERS = b'Subject: hello\nFrom: alice@example.org\n'
BODY = b'first line\n\x01binary \xff bytes\n\nlast\n'
WHEN = 1795926529


@pytest.fixture
def queue():
    top = tempfile.mkdtemp(prefix='dromcat.')
    qdir = os.path.join(top, 'q')
    conf = os.path.join(top, 'conf')
    for d in ('incoming', 'maildrop', 'hold'):
        os.makedirs(os.path.join(qdir, d))
    os.makedirs(conf)
    with open(os.path.join(conf, 'main.cf'), 'w') as f:
        f.write('queue_directory = %s\n' % qdir)
    out = subprocess.run(
        [MKQFILE, '-d', qdir, '-f', 'alice@example.org', '-t', str(WHEN),
         '-a', 'dsn_envid=E1', '-o', 'bob@x', '-N', '3 rfc822;bob@x',
         '-r', 'bob@x', '-r', 'carol@y'],
        input=HEADERS + b'\n' + BODY, stdout=subprocess.PIPE, check=True)
    qid = out.stdout.decode().strip()
    yield {'top': top, 'qdir': qdir, 'conf': conf, 'id': qid,
           'path': _qpath(qdir, 'incoming', qid)}
    shutil.rmtree(top)


def _qpath(qdir, queue, qid):
    return os.path.join(qdir, queue, qid[-1], qid)


def _cat(q, *args, user=None):
    pre = None
    if user is not None:
        pw = pwd.getpwnam(user)

        def pre():
            os.setgid(pw.pw_gid)
            os.setuid(pw.pw_uid)
    return subprocess.run([DROMCAT, '-c', q['conf']] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          preexec_fn=pre)


def _section(out, name):
    """The lines after "*** NAME ..." up to the next "***" line."""
    lines = out.split(b'\n')
    for i, line in enumerate(lines):
        if line.startswith(b'*** ' + name.encode()):
            for j in range(i + 1, len(lines)):
                if lines[j].startswith(b'*** '):
                    return b'\n'.join(lines[i + 1:j]) + b'\n'
    raise AssertionError('no section %s in %r' % (name, out))


def test_default_shows_everything(queue):
    r = _cat(queue, '-q', queue['id'])
    assert r.returncode == 0, r.stderr
    name = 'incoming/' + queue['id']
    assert r.stdout.startswith(b'*** ENVELOPE RECORDS %s ***\n' % name.encode())
    env = _section(r.stdout, 'ENVELOPE').decode().splitlines()
    assert env[0] == 'message_arrival_time: ' + time.ctime(WHEN)
    assert 'sender: alice@example.org' in env
    assert 'named_attribute: dsn_envid=E1' in env
    i = env.index('original_recipient: bob@x')
    assert env[i + 1] == 'dsn: NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@x'
    assert env[i + 2] == 'recipient: bob@x (to do)'
    assert env[-1] == 'recipient: carol@y (to do)'
    assert _section(r.stdout, 'MESSAGE CONTENTS') == HEADERS + b'\n' + BODY
    assert r.stdout.endswith(b'*** MESSAGE FILE END %s ***\n' % name.encode())
    assert r.stderr == b''


def test_each_section_alone(queue):
    r = _cat(queue, '-e', queue['path'])
    assert r.returncode == 0
    assert b'MESSAGE CONTENTS' not in r.stdout
    assert b'recipient: carol@y (to do)' in r.stdout
    r = _cat(queue, '-h', queue['path'])
    assert _section(r.stdout, 'MESSAGE CONTENTS') == HEADERS
    assert b'ENVELOPE' not in r.stdout
    r = _cat(queue, '-b', queue['path'])
    assert _section(r.stdout, 'MESSAGE CONTENTS') == BODY
    r = _cat(queue, '-x', queue['path'])
    assert r.returncode == 0
    lines = r.stdout.decode().splitlines()
    assert lines[1] == '0: magic: dromos-queue 1'
    assert any(l.endswith(': original recipient: bob@x') for l in lines)
    assert any(l.endswith(': recipient: Pbob@x') for l in lines)
    assert any('\\001binary \\377 bytes\\012' in l for l in lines)
    assert b'ENVELOPE' not in r.stdout


def test_recipient_states(queue):
    data = open(queue['path'], 'rb').read()
    i = data.index(b'Pbob@x')
    data = data[:i] + b'D' + data[i + 1:]
    j = data.index(b'Pcarol@y')
    data = data[:j] + b'B' + data[j + 1:]
    copy = os.path.join(queue['top'], 'states')
    open(copy, 'wb').write(data)
    r = _cat(queue, '-e', copy)
    assert b'recipient: bob@x (delivered)\n' in r.stdout
    assert b'recipient: carol@y (bounced)\n' in r.stdout


def _corrupt(queue, name, data):
    path = os.path.join(queue['top'], name)
    open(path, 'wb').write(data)
    return path


@pytest.mark.parametrize('how', ['truncate', 'flip', 'garbage'])
def test_corrupt_copy(queue, how):
    data = open(queue['path'], 'rb').read()
    if how == 'truncate':
        bad = data[:data.index(b'Pcarol@y') + 3]
        reason = 'truncated'
    elif how == 'flip':
        i = data.index(b'Pbob@x') - 5
        bad = data[:i] + b'Q' + data[i + 1:]
        reason = 'offset %d' % i
    else:
        bad = data + b'garbage'
        reason = 'after'
    path = _corrupt(queue, how, bad)
    r = _cat(queue, path)
    assert r.returncode == 1
    assert r.stdout == b''
    err = r.stderr.decode()
    assert err.startswith('dromcat: warning: %s: ' % path), err
    assert reason in err, err
    # -x: the records up to the bad one, then the error; never the body.
    r = _cat(queue, '-x', path)
    assert r.returncode == 1
    assert b'0: magic: dromos-queue 1\n' in r.stdout
    assert reason in r.stderr.decode()


def test_missing_and_usage(queue):
    r = _cat(queue, '-q', '0123456789ABCDEF0')
    assert r.returncode == 1 and b'no such queue ID' in r.stderr
    r = _cat(queue, '-q', '../etc/passwd')
    assert r.returncode == 1 and b'not a valid queue ID' in r.stderr
    r = _cat(queue)
    assert r.returncode == 2 and b'usage' in r.stderr
    r = _cat(queue, '-Z', queue['path'])
    assert r.returncode == 2
    # One good file and one missing: the good one is shown, status 1.
    r = _cat(queue, queue['path'], '/nonexistent')
    assert r.returncode == 1 and b'MESSAGE FILE END' in r.stdout


def test_found_in_hold(queue):
    dst = _qpath(queue['qdir'], 'hold', queue['id'])
    os.makedirs(os.path.dirname(dst))
    os.rename(queue['path'], dst)
    r = _cat(queue, '-e', '-q', queue['id'])
    assert r.returncode == 0
    assert b'*** ENVELOPE RECORDS hold/%s ***' % queue['id'].encode() \
        in r.stdout


def test_not_root(queue):
    os.chmod(queue['qdir'], 0o700)
    os.chmod(queue['path'], 0o700)
    r = _cat(queue, queue['path'], user='nobody')
    assert r.returncode == 1
    assert b'permission denied' in r.stderr
    assert r.stdout == b''


def _rec(t, data):
    return t.encode() + struct.pack('>I', len(data)) + data


def test_maildrop_file(queue):
    data = (_rec('V', b'dromos-maildrop 1') + _rec('T', b'1795900000.000001')
            + _rec('A', b'uid=0') + _rec('A', b'full_name=Root')
            + _rec('S', b'root') + _rec('N', b'1 rfc822;u@x')
            + _rec('R', b'u@x') + _rec('M', b'')
            + _rec('C', b'Subject: dropped\n\nx\n') + _rec('X', b'')
            + _rec('E', b''))
    path = os.path.join(queue['qdir'], 'maildrop', queue['id'])
    open(path, 'wb').write(data)
    r = _cat(queue, '-q', queue['id'])
    # The queue file is found first; the maildrop one by path.
    assert b'incoming/' in r.stdout
    os.unlink(queue['path'])
    r = _cat(queue, '-q', queue['id'])
    assert r.returncode == 0, r.stderr
    env = _section(r.stdout, 'ENVELOPE').decode().splitlines()
    assert env == ['message_arrival_time: ' + time.ctime(1795900000),
                   'named_attribute: uid=0', 'named_attribute: full_name=Root',
                   'sender: root', 'dsn: NOTIFY=SUCCESS ORCPT=rfc822;u@x',
                   'recipient: u@x']
    assert _section(r.stdout, 'MESSAGE CONTENTS') == b'Subject: dropped\n\nx\n'
    # Truncated: the maildrop grammar's own error.
    bad = _corrupt(queue, 'md', data[:-5])
    r = _cat(queue, bad)
    assert r.returncode == 1 and r.stdout == b''
    assert r.stderr.startswith(b'dromcat: warning: %s: ' % bad.encode())
