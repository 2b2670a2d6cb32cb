"""The drommap command, and maps rebuilt while other processes read them.

Every test works in its own temporary folder with an empty main.cf
(drommap -c). The concurrency tests run dictloop (a C helper built here)
as readers: one keeps the table open and reopens it when dict_changed()
says so, like a daemon; one opens it afresh for every lookup, like a new
process. Meanwhile drommap rebuilds the map over and over (and then
changes it in place with -i), alternating the value of one key between
"old" and "new" among thousands of other entries. Every lookup must find
one of the two values: never an error, never a missing key. All loops are
bounded in count and in time.
"""
import fcntl
import os
import pwd
import stat
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dromos_instance import TOP  # noqa: E402

DROMMAP = os.path.join(TOP, 'bin', 'drommap')
DICTLOOP = os.path.join(TOP, 'tests', 'tables', 'dictloop')


@pytest.fixture
def work(tmp_path):
    (tmp_path / 'main.cf').write_text('')
    return tmp_path


def drommap(work, *args, input=None, timeout=60):
    return subprocess.run([DROMMAP, '-c', str(work)] + list(args), input=input,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=timeout)


def write(path, text):
    with open(path, 'w') as f:
        f.write(text)


SOURCE = """# access map
Example.COM     OK
user@x.test     REJECT go away
multi           a,
    b
"""


def test_build_and_query(work):
    write(work / 'access', SOURCE)
    r = drommap(work, 'hash:' + str(work / 'access'))
    assert (r.returncode, r.stdout, r.stderr) == (0, '', '')
    assert (work / 'access.db').exists()
    r = drommap(work, '-q', 'example.com', 'hash:' + str(work / 'access'))
    assert (r.returncode, r.stdout) == (0, 'OK\n')
    r = drommap(work, '-q', 'USER@X.TEST', 'hash:' + str(work / 'access'))
    assert (r.returncode, r.stdout) == (0, 'REJECT go away\n')
    r = drommap(work, '-q', 'multi', 'hash:' + str(work / 'access'))
    assert (r.returncode, r.stdout) == (0, 'a, b\n')
    r = drommap(work, '-q', 'nope', 'hash:' + str(work / 'access'))
    assert (r.returncode, r.stdout, r.stderr) == (1, '', '')
    # The type defaults to hash.
    r = drommap(work, '-q', 'example.com', str(work / 'access'))
    assert (r.returncode, r.stdout) == (0, 'OK\n')
    # A map that does not exist is an error, not "not found".
    r = drommap(work, '-q', 'example.com', 'btree:' + str(work / 'access'))
    assert r.returncode == 2
    assert 'drommap: fatal: btree:%s: open %s.db: ' % (work / 'access', work / 'access') in r.stderr


@pytest.mark.parametrize('maptype', ['hash', 'btree', 'lmdb'])
def test_types_query_and_dump(work, maptype):
    write(work / 'm', SOURCE)
    spec = '%s:%s' % (maptype, work / 'm')
    assert drommap(work, spec).returncode == 0
    r = drommap(work, '-s', spec)
    assert r.returncode == 0
    assert sorted(r.stdout.splitlines()) == [
        'example.com\tOK', 'multi\ta, b', 'user@x.test\tREJECT go away']
    r = drommap(work, '-q', '-', spec, input='nope\nEXAMPLE.com\n\nmulti\r\n')
    assert (r.returncode, r.stdout) == (0, 'EXAMPLE.com\tOK\nmulti\ta, b\n')
    r = drommap(work, '-q', '-', spec, input='nope\nother\n')
    assert (r.returncode, r.stdout) == (1, '')


def test_query_other_types(work):
    write(work / 'c.cidr', '10.0.0.0/8 inside\n')
    write(work / 'r.re', '/^(.*)@example\\.com$/ user $1\n')
    write(work / 't', 'Key value\n')
    r = drommap(work, '-q', '10.1.2.3', 'cidr:' + str(work / 'c.cidr'))
    assert (r.returncode, r.stdout) == (0, 'inside\n')
    r = drommap(work, '-q', 'Bob@Example.com', 'regexp:' + str(work / 'r.re'))
    assert (r.returncode, r.stdout) == (0, 'user Bob\n')
    r = drommap(work, '-s', 'texthash:' + str(work / 't'))
    assert (r.returncode, r.stdout) == (0, 'key\tvalue\n')
    r = drommap(work, '-s', 'inline:{ b=2, a=1 }')
    assert (r.returncode, r.stdout) == (0, 'b\t2\na\t1\n')
    r = drommap(work, '-q', 'x', 'static:{ any thing }')
    assert (r.returncode, r.stdout) == (0, 'any thing\n')
    r = drommap(work, '-s', 'cidr:' + str(work / 'c.cidr'))
    assert r.returncode == 2
    assert 'cidr tables cannot be listed' in r.stderr
    write(work / 'bad.cidr', '# x\n10.0.0.1/8 x\n')
    r = drommap(work, '-q', '10.0.0.1', 'cidr:' + str(work / 'bad.cidr'))
    assert r.returncode == 2
    assert '%s, line 2: host bits set' % (work / 'bad.cidr') in r.stderr


def test_malformed_lines_warn_and_build(work):
    write(work / 'm', 'good 1\nbad\n  # comment\nalso 2\nGOOD dup\n')
    r = drommap(work, 'hash:' + str(work / 'm'))
    assert r.returncode == 0
    assert r.stderr.splitlines() == [
        'drommap: warning: %s, line 2: expected format: key whitespace value' % (work / 'm'),
        'drommap: warning: %s, line 5: duplicate entry "GOOD" ignored (the first value stays)'
        % (work / 'm')]
    r = drommap(work, '-s', 'hash:' + str(work / 'm'))
    assert sorted(r.stdout.splitlines()) == ['also\t2', 'good\t1']
    # -r: the last value wins, silently.
    r = drommap(work, '-r', 'hash:' + str(work / 'm'))
    assert r.stderr.count('warning') == 1
    assert drommap(work, '-q', 'good', 'hash:' + str(work / 'm')).stdout == 'dup\n'


def test_delete(work):
    write(work / 'm', 'a 1\nb 2\nc 3\nd 4\n')
    spec = 'lmdb:' + str(work / 'm')
    assert drommap(work, spec).returncode == 0
    assert drommap(work, '-d', 'A', spec).returncode == 0
    assert drommap(work, '-d', 'a', spec).returncode == 1
    r = drommap(work, '-d', '-', spec, input='b\nzz\nc\n')
    assert r.returncode == 0
    assert drommap(work, '-d', '-', spec, input='zz\n').returncode == 1
    assert drommap(work, '-s', spec).stdout == 'd\t4\n'
    r = drommap(work, '-d', 'x', 'hash:' + str(work / 'none'))
    assert r.returncode == 2
    assert not (work / 'none.db').exists()


def test_incremental(work):
    spec = 'hash:' + str(work / 'inc')
    r = drommap(work, '-i', spec, input='a 1\nb 2\n')
    assert (r.returncode, r.stderr) == (0, '')
    r = drommap(work, '-i', spec, input='A 9\nbroken\nc 3\n   more\n')
    assert r.returncode == 0
    assert r.stderr.splitlines() == [
        'drommap: warning: stdin, line 1: duplicate entry "A" ignored (the first value stays)',
        'drommap: warning: stdin, line 2: expected format: key whitespace value']
    assert sorted(drommap(work, '-s', spec).stdout.splitlines()) == [
        'a\t1', 'b\t2', 'c\t3 more']
    r = drommap(work, '-r', '-i', spec, input='a 9\n')
    assert (r.returncode, r.stderr) == (0, '')
    assert drommap(work, '-q', 'a', spec).stdout == '9\n'


def test_nul_flag(work):
    write(work / 'm', 'k v\n')
    spec = 'hash:' + str(work / 'm')
    assert drommap(work, '-N', spec).returncode == 0
    assert drommap(work, '-q', 'k', spec).stdout == 'v\n'        # tries both
    assert drommap(work, '-N', '-q', 'k', spec).stdout == 'v\n'
    assert drommap(work, spec).returncode == 0
    assert drommap(work, '-N', '-q', 'k', spec).returncode == 1
    assert drommap(work, '-q', 'k', spec).stdout == 'v\n'
    # The key really holds the NUL: db_dump shows it in hex (6b00).
    assert drommap(work, '-N', spec).returncode == 0
    dump = subprocess.run(['db_dump', str(work / 'm.db')], stdout=subprocess.PIPE,
                          text=True)
    if dump.returncode == 0:
        assert ' 6b00' in dump.stdout.splitlines()


def test_no_folding(work):
    write(work / 'm', 'MiXed v\n')
    spec = 'hash:' + str(work / 'm')
    assert drommap(work, '-f', spec).returncode == 0
    assert drommap(work, '-f', '-q', 'MiXed', spec).stdout == 'v\n'
    assert drommap(work, '-f', '-q', 'mixed', spec).returncode == 1
    assert drommap(work, '-q', 'MiXed', spec).returncode == 1    # folded to mixed
    assert drommap(work, spec).returncode == 0
    assert drommap(work, '-q', 'MIXED', spec).stdout == 'v\n'


def test_errors(work):
    r = drommap(work, 'hash:' + str(work / 'missing'))
    assert r.returncode == 2
    assert r.stderr == 'drommap: fatal: %s: No such file or directory\n' % (work / 'missing')
    r = drommap(work, 'nosuch:' + str(work / 'x'))
    assert r.returncode == 2
    write(work / 't', 'a b\n')
    r = drommap(work, 'texthash:' + str(work / 't'))
    assert r.returncode == 2
    assert 'drommap builds hash, btree and lmdb maps' in r.stderr
    r = drommap(work, '-q')
    assert r.returncode == 2
    assert 'usage' in r.stderr
    r = drommap(work, '-q', 'a', '-s', 'hash:x')
    assert r.returncode == 2
    r = subprocess.run([DROMMAP, '-c', str(work / 'nodir'), '-q', 'a', 'inline:{a=b}'],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert r.returncode == 2
    assert 'main.cf' in r.stderr
    r = drommap(work, '-Z', 'hash:' + str(work / 't'))
    assert r.returncode == 2


def test_failed_build_keeps_old_map(work):
    write(work / 'm', 'k old\n')
    spec = 'lmdb:' + str(work / 'm')
    assert drommap(work, spec).returncode == 0
    write(work / 'm', 'k new\n' + 'x' * 600 + ' too long for lmdb\n')
    r = drommap(work, spec)
    assert r.returncode == 2
    assert '%s, line 2: ' % (work / 'm') in r.stderr
    assert 'key of 600 bytes' in r.stderr
    assert drommap(work, '-q', 'k', spec).stdout == 'old\n'
    assert sorted(os.listdir(work)) == ['m', 'm.lmdb', 'm.lock', 'main.cf']


@pytest.mark.skipif(os.geteuid() != 0, reason='needs root to give files away')
def test_map_follows_source_owner_and_mode(work):
    nobody = pwd.getpwnam('nobody')
    write(work / 'secret', 'k v\n')
    os.chown(work / 'secret', nobody.pw_uid, nobody.pw_gid)
    os.chmod(work / 'secret', 0o640)
    for maptype, suffix in (('hash', '.db'), ('lmdb', '.lmdb')):
        assert drommap(work, '%s:%s' % (maptype, work / 'secret')).returncode == 0
        st = os.stat(str(work / 'secret') + suffix)
        assert (st.st_uid, st.st_gid) == (nobody.pw_uid, nobody.pw_gid)
        assert stat.S_IMODE(st.st_mode) == 0o640
    # -i creating a map takes the same owner and mode.
    os.unlink(str(work / 'secret') + '.db')
    assert drommap(work, '-i', 'btree:' + str(work / 'secret'), input='a b\n').returncode == 0
    st = os.stat(str(work / 'secret') + '.db')
    assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (nobody.pw_uid, 0o640)


def test_builders_wait_for_the_lock(work):
    write(work / 'm', 'k v\n')
    with open(str(work / 'm') + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        start = time.time()
        proc = subprocess.Popen([DROMMAP, '-c', str(work), 'hash:' + str(work / 'm')],
                                stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)
        assert proc.poll() is None              # waiting
        assert not (work / 'm.db').exists()
        fcntl.flock(lock, fcntl.LOCK_UN)
        assert proc.wait(timeout=30) == 0
        assert time.time() - start >= 0.5
    assert drommap(work, '-q', 'k', 'hash:' + str(work / 'm')).stdout == 'v\n'


FILLERS = 3000                  # entries besides the one that changes
REBUILDS = 30                   # full rebuilds by rename
INPLACE = 20                    # in-place changes with -i
TIME_LIMIT = 60                 # seconds for the whole exercise


def source_text(value):
    lines = ['filler%05d some filler value %d' % (i, i) for i in range(FILLERS)]
    lines.insert(FILLERS // 2, 'thekey %s' % value)
    return '\n'.join(lines) + '\n'


@pytest.mark.parametrize('maptype', ['hash', 'btree', 'lmdb'])
def test_readers_never_see_a_half_built_map(work, maptype):
    src = work / 'busy'
    spec = '%s:%s' % (maptype, src)
    write(src, source_text('old'))
    assert drommap(work, spec).returncode == 0
    stop = work / 'stop'
    readers = [subprocess.Popen([DICTLOOP] + opts + ['-s', str(TIME_LIMIT + 30), '-x', str(stop),
                                 spec, 'thekey', 'old', 'new'],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for opts in ([], ['-f'])]
    deadline = time.time() + TIME_LIMIT
    try:
        time.sleep(0.2)
        values = ['new', 'old']
        for i in range(REBUILDS):
            if time.time() > deadline:
                break
            write(src, source_text(values[i % 2]))
            r = drommap(work, spec)
            assert (r.returncode, r.stderr) == (0, '')
            time.sleep(0.02)
        for i in range(INPLACE):
            if time.time() > deadline:
                break
            r = drommap(work, '-r', '-i', spec, input='thekey %s\nextra%d x\n' % (values[i % 2], i))
            assert (r.returncode, r.stderr) == (0, '')
            time.sleep(0.02)
    finally:
        stop.write_text('')
        outputs = [p.communicate(timeout=TIME_LIMIT) for p in readers]
    for p, (out, err) in zip(readers, outputs):
        assert (p.returncode, err) == (0, '')
        words = out.split()
        assert words[0] == 'lookups' and int(words[1]) > 0, out
    print(maptype, [o for o, _ in outputs])
    persistent = outputs[0][0].split()
    assert int(persistent[3]) > 0, 'the open reader never noticed a change: %s' % outputs[0][0]
    assert drommap(work, '-q', 'filler02999', spec).stdout == 'some filler value 2999\n'
    # Nothing is left behind but the map and its lock.
    assert sorted(os.listdir(work)) == sorted(
        ['busy', 'busy' + ('.lmdb' if maptype == 'lmdb' else '.db'), 'busy.lock',
         'main.cf', 'stop'])
