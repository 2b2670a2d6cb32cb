"""The cleanup daemon, end to end: a real instance (make install, post-install,
dromos start) whose master.cf runs only logd and cleanup (no qmgr, so queue
files stay in incoming/ and the "I" trigger to qmgr fails with a warning
only). tests/cleanup/cleanup_client, a C client built on cleanup_clnt.c,
talks to private/cleanup; the queue files are parsed here (rec.h records:
type byte, 4-byte big-endian length, data) and also checked with the real
reader, qfile_read_envelope().

Covered: cleanup runs as dromos, chrooted; the file (mode 0700, records in
order, Z sizes right); Received (SMTP and local forms, the "for" clause only
with one recipient), Date, Message-ID, From added only when missing (case,
Resent-*, null sender); message-id logging; lines spanning C records; a
line longer than a record; hopcount_limit; message_size_limit with the
connection staying usable; a header over header_size_limit (it and the rest
become body, nothing lost); no recipients; record types a client may not
send and records out of order (status BAD, file gone, warning); a client
that disconnects mid-message (file gone, info only); 25 messages on one
connection; a queue file that cannot be created; a full file system
(tmpfs over incoming/: status WRITE, file gone).
"""
import email.utils
import os
import pwd
import re
import shutil
import stat
import struct
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dromos_instance import Instance, TOP, wait_for, children_of, proc_status  # noqa: E402

CLIENT = os.path.join(TOP, 'tests', 'cleanup', 'cleanup_client')
CLEANUP = os.path.join(TOP, 'libexec', 'cleanup')
HOST = 'mx.example.test'
SIZE_LIMIT = 300000
HOP_LIMIT = 5
HEADER_LIMIT = 2048

STAT_OK, STAT_BAD, STAT_WRITE, STAT_SIZE, STAT_HOPS, STAT_RCPT = 0, 1, 2, 4, 8, 16

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

SMTP_ATTRS = ('client_name=client.example', 'client_addr=192.0.2.1',
              'helo_name=helo.example', 'protocol=ESMTP')


@pytest.fixture(scope='module')
def inst():
    for prog in (CLIENT, CLEANUP):
        if not os.access(prog, os.X_OK):
            pytest.fail('%s is not built' % prog)
    i = Instance(hostname=HOST)
    try:
        i.setup(message_size_limit=str(SIZE_LIMIT),
                hopcount_limit=str(HOP_LIMIT),
                header_size_limit=str(HEADER_LIMIT))
        target = os.path.join(i.daemon_dir, 'cleanup')
        if not os.path.exists(target):          # not in the manifest yet
            shutil.copy2(CLEANUP, target)
        i.write_master_cf(['dromlog unix-dgram n - n - 1 logd',
                           'cleanup unix - - - - 0 cleanup'],
                          keep_defaults=False)
        i.start()
        yield i
    finally:
        log = i.log()
        i.cleanup()
    bad = [l for l in log.splitlines()
           if 'Sanitizer' in l or 'runtime error:' in l or 'panic:' in l
           or 'fatal:' in l]
    assert bad == [], log


# --- the client and the queue file ------------------------------------------

def esc(data):
    if isinstance(data, str):
        data = data.encode()
    out = []
    for b in data:
        c = chr(b)
        if c == '\\':
            out.append('\\\\')
        elif c == '\n':
            out.append('\\n')
        elif c == '\t':
            out.append('\\t')
        elif 32 <= b < 127:
            out.append(c)
        else:
            out.append('\\x%02x' % b)
    return ''.join(out)


def message(sender='alice@example.org', rcpts=('bob@%s' % HOST,),
            content='Subject: test\n\nHello.\n', attrs=SMTP_ATTRS, chunk=None,
            orig=None):
    """Script lines for one message (begin ... finish). content is sent one
    line per C record, or in chunk-byte pieces when chunk is given."""
    lines = ['begin'] + ['rec A ' + esc(a) for a in attrs]
    lines.append('rec S ' + esc(sender))
    for r in rcpts:
        if orig:
            lines.append('rec O ' + esc(orig))
        lines.append('rec R ' + esc(r))
    lines.append('rec M')
    if isinstance(content, str):
        content = content.encode()
    if chunk:
        pieces = [content[i:i + chunk] for i in range(0, len(content), chunk)]
    else:
        pieces = content.splitlines(keepends=True)
    lines += ['rec C ' + esc(p) for p in pieces]
    lines += ['rec X', 'rec E', 'finish']
    return lines


def run_client(inst, lines, timeout=60):
    res = subprocess.run([CLIENT, inst.queue_dir],
                         input=''.join(l + '\n' for l in ['open'] + lines + ['close']),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, timeout=timeout)
    out = res.stdout.splitlines()
    assert out and out[0].startswith('open ok'), (out, res.stderr, inst.log())
    return out


def results(out):
    """[(queue_id, status, reason, reply)] for each begin ... finish."""
    msgs = []
    qid = None
    for i, l in enumerate(out):
        if l.startswith('begin '):
            st, rest = l[6:].split(' ', 1)
            assert st == '0', out
            qid = rest
        elif l.startswith('finish '):
            parts = l[7:].split(' ', 1)
            reply = out[i + 1][len('reply '):]
            msgs.append((qid, int(parts[0]), parts[1] if len(parts) > 1 else '', reply))
    return msgs


def send(inst, **kw):
    msgs = results(run_client(inst, message(**kw)))
    assert len(msgs) == 1
    return msgs[0]


def qpath(inst, qid, queue='incoming'):
    return os.path.join(inst.queue_dir, queue, qid[-1], qid)


def records(path):
    with open(path, 'rb') as f:
        data = f.read()
    recs = []
    off = 0
    while off < len(data):
        assert off + 5 <= len(data), 'truncated record header'
        t = chr(data[off])
        n = struct.unpack('>I', data[off + 1:off + 5])[0]
        assert off + 5 + n <= len(data), 'truncated record data'
        recs.append((t, data[off + 5:off + 5 + n]))
        off += 5 + n
    return recs


def content_of(recs):
    return b''.join(d for t, d in recs if t == 'C')


def headers_of(content):
    return content.split(b'\n\n', 1)[0].decode() + '\n'


def check_file(inst, qid):
    """The file is complete and well formed; return its records."""
    path = qpath(inst, qid)
    st = os.stat(path)
    assert stat.S_IMODE(st.st_mode) == 0o700
    assert st.st_uid == pwd.getpwnam('dromos').pw_uid
    recs = records(path)
    types = ''.join(t for t, _ in recs)
    assert re.fullmatch(r'VT[AS]*(O?R)+MC*XZE', types), types
    assert recs[0][1] == b'dromos-queue 1'
    assert re.fullmatch(rb'\d+\.\d{6}', recs[1][1])
    assert types.count('S') == 1
    content = content_of(recs)
    z = [d for t, d in recs if t == 'Z'][0].decode().split()
    nrcpt = types.count('R')
    assert int(z[0]) == len(content)
    sep = content.find(b'\n\n')
    assert int(z[1]) == (sep + 2 if sep >= 0 else len(content))
    assert int(z[2]) == nrcpt
    # Every C record holds whole lines unless one line is longer than a record.
    for t, d in recs:
        if t == 'C':
            assert d.endswith(b'\n') or len(d) == 65536
    # The queue file reader (qfile_read_envelope) accepts it too.
    res = subprocess.run([CLIENT, inst.queue_dir],
                         input='verify %s\n' % os.path.relpath(path, inst.queue_dir),
                         stdout=subprocess.PIPE, text=True, timeout=30)
    assert res.stdout.strip() == 'verify ok %d' % nrcpt, res.stdout
    return recs


def assert_gone(inst, qid):
    wait_for(lambda: not os.path.exists(qpath(inst, qid)), timeout=10,
             what='%s to be removed' % qid)
    tmp = [f for f in os.listdir(os.path.join(inst.queue_dir, 'incoming'))
           if f.startswith('tmp')]
    assert tmp == []


# --- tests ------------------------------------------------------------------

def test_runs_unprivileged_and_chrooted(inst):
    send(inst)
    kids = [p for p in children_of(inst.master_pid)
            if 'cleanup' in open('/proc/%d/cmdline' % p).read()]
    assert kids, 'no cleanup process'
    owner = pwd.getpwnam('dromos')
    for p in kids:
        st = proc_status(p)
        assert st['Uid'].split() == [str(owner.pw_uid)] * 4
        assert os.readlink('/proc/%d/root' % p) == os.path.realpath(inst.queue_dir)


def test_simple_message_headers_added(inst):
    qid, status, reason, reply = send(inst)
    assert status == STAT_OK and reason == '' and reply == '250 2.0.0 Ok'
    recs = check_file(inst, qid)
    assert [d for t, d in recs if t == 'S'] == [b'alice@example.org']
    assert [d for t, d in recs if t == 'R'] == [b'Pbob@' + HOST.encode()]
    assert (b'A', ) and [d for t, d in recs if t == 'A'] == [a.encode() for a in SMTP_ATTRS]
    content = content_of(recs).decode()
    m = re.match(r'Received: from helo\.example \(client\.example \[192\.0\.2\.1\]\)\n'
                 r'\tby mx\.example\.test \(dromos\) with ESMTP id (\w+)\n'
                 r'\tfor <bob@mx\.example\.test>; (.+)\n'
                 r'Subject: test\n'
                 r'Message-ID: <(\d{14})\.(\w+)@mx\.example\.test>\n'
                 r'Date: (.+)\n'
                 r'From: <alice@example\.org>\n'
                 r'\nHello\.\n\Z', content)
    assert m, content
    assert m.group(1) == qid and m.group(4) == qid
    for d in (m.group(2), m.group(5)):
        assert re.fullmatch(r'\w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}( \(\w+\))?', d), d
        assert email.utils.parsedate_to_datetime(d) is not None
    inst.wait_log(r'cleanup\[\d+\]: %s: message-id=<%s\.%s@mx\.example\.test>'
                  % (qid, m.group(3), qid))
    # No qmgr here: the trigger fails, as a warning only.
    inst.wait_log(r'warning: %s: cannot notify qmgr' % qid)


def test_existing_headers_kept_and_no_for_clause(inst):
    hdrs = ('from: Alice <alice@example.org>\nDATE: Fri, 27 Nov 2026 10:00:00 +0000\n'
            'Message-Id: <given@example.org>\nSubject: x\n\nbody\n')
    qid, status, _, _ = send(inst, content=hdrs,
                             rcpts=('bob@%s' % HOST, 'carol@%s' % HOST))
    assert status == STAT_OK
    content = content_of(check_file(inst, qid)).decode()
    head = headers_of(content.encode())
    assert '\tfor <' not in head
    assert re.match(r'Received: from .*\n\tby .* id %s; ' % qid, head)
    assert head.split('\n', 2)[2].startswith(hdrs.split('\n\n')[0].split('\n')[0])
    assert content.endswith(hdrs)
    for name in ('Message-ID:', 'Date:', 'From:'):
        assert name not in content
    inst.wait_log(r'%s: message-id=<given@example\.org>' % qid)


def test_null_sender_and_resent(inst):
    qid, status, _, _ = send(inst, sender='', content='Subject: bounce\n\nx\n')
    assert status == STAT_OK
    head = headers_of(content_of(check_file(inst, qid)))
    assert 'From: MAILER-DAEMON\n' in head
    qid, status, _, _ = send(inst, content='From: a@b\nResent-From: c@d\n\nx\n')
    assert status == STAT_OK
    head = headers_of(content_of(check_file(inst, qid)))
    assert 'Resent-Message-ID: <' in head and 'Resent-Date: ' in head
    assert '\nMessage-ID:' not in head and '\nDate:' not in head
    assert head.count('From:') == 2            # From and Resent-From, none added
    inst.wait_log(r'%s: resent-message-id=<' % qid)


def test_local_submission_form(inst):
    qid, status, _, _ = send(inst, attrs=('uid=1000',))
    assert status == STAT_OK
    head = headers_of(content_of(check_file(inst, qid)))
    assert head.startswith('Received: by %s (dromos, from userid 1000)\n\tid %s\n'
                           '\tfor <bob@%s>; ' % (HOST, qid, HOST))


def test_lines_spanning_records(inst):
    text = ('Subject: folded\n  continued\nReceived: from x\n\tby y\n'
            'Message-ID: <span@example.org>\n\n' + 'line %d\n' * 50) % tuple(range(50))
    qid, status, _, _ = send(inst, content=text, chunk=7)
    assert status == STAT_OK
    content = content_of(check_file(inst, qid)).decode()
    assert content.endswith(text.split('\nMessage-ID: <span@example.org>\n')[1])
    assert 'Subject: folded\n  continued\n' in content
    assert content.count('Message-ID:') == 1
    inst.wait_log(r'%s: message-id=<span@example\.org>' % qid)


def test_hop_limit(inst):
    hops = ''.join('Received: from h%d by h%d\n' % (n, n + 1) for n in range(HOP_LIMIT))
    qid, status, reason, reply = send(inst, content=hops + '\nbody\n')
    assert status == STAT_HOPS
    assert reply == '554 5.4.6 Error: too many hops'
    assert_gone(inst, qid)
    inst.wait_log(r'warning: %s: message rejected: too many hops' % qid)
    hops = ''.join('received: x%d\n' % n for n in range(HOP_LIMIT - 1))
    qid, status, _, _ = send(inst, content=hops + '\nbody\n')
    assert status == STAT_OK
    check_file(inst, qid)


def test_size_limit_keeps_protocol_in_step(inst):
    big = message(content='Subject: big\n\n' + 'x' * 99 + '\n' * 1)
    # Add 4000 lines of 100 bytes (400000 > SIZE_LIMIT).
    i = big.index('rec X')
    big = big[:i] + ['big 4000 ' + 'y' * 99 + '\\n'] + big[i:]
    out = run_client(inst, big + message())
    (qid1, st1, _, reply1), (qid2, st2, _, _) = results(out)
    assert st1 == STAT_SIZE and reply1 == '552 5.3.4 Error: message file too big'
    assert_gone(inst, qid1)
    assert st2 == STAT_OK          # the same connection goes on
    check_file(inst, qid2)


def test_oversize_header_goes_to_body(inst):
    long_hdr = 'X-Long: ' + 'a' * 70 + ''.join('\n ' + 'b' * 70 for _ in range(40)) + '\n'
    text = 'Subject: s\n' + long_hdr + 'From: late@example.org\n\nbody\n'
    qid, status, _, _ = send(inst, content=text)
    assert status == STAT_OK
    content = content_of(check_file(inst, qid)).decode()
    head, body = content.split('\n\n', 1)
    assert 'X-Long' not in head and 'From: <alice@example.org>' in head
    # Nothing truncated: the long header and what followed are the body.
    assert body == long_hdr + 'From: late@example.org\n\nbody\n'
    inst.wait_log(r'%s: a header exceeds header_size_limit' % qid)


def test_no_recipients(inst):
    qid, status, _, reply = send(inst, rcpts=())
    assert status == STAT_RCPT and reply == '554 5.5.1 Error: no valid recipients'
    assert_gone(inst, qid)


@pytest.mark.parametrize('bad', ['Z', 'V', 'T', 'Q'])
def test_unexpected_record_type(inst, bad):
    lines = message()
    lines.insert(lines.index('rec M'), 'rec %s junk' % bad)
    out = run_client(inst, lines)
    (qid, status, reason, reply), = results(out)
    assert status == STAT_BAD and reply == '451 4.3.0 Error: internal error'
    assert 'unexpected record type %s' % bad in reason
    assert_gone(inst, qid)
    inst.wait_log(r'warning: %s: unexpected record type %s from client' % (qid, bad))


def test_records_out_of_order(inst):
    # A recipient before the sender; content before M; X twice.
    for lines in (['begin', 'rec R bob@x', 'rec S a@b', 'rec M', 'rec X', 'rec E', 'finish'],
                  ['begin', 'rec S a@b', 'rec R bob@x', 'rec C Subject: x\\n',
                   'rec M', 'rec X', 'rec E', 'finish'],
                  ['begin', 'rec S a@b', 'rec R bob@x', 'rec M', 'rec X', 'rec X',
                   'rec E', 'finish']):
        (qid, status, _, _), = results(run_client(inst, lines))
        assert status == STAT_BAD
        assert_gone(inst, qid)


@pytest.mark.parametrize('record', ['rec A Bad-Name=x', 'rec A novalue',
                                    'rec A x=a\\nb', 'rec S a\\tb@c',
                                    'rec R bob\\n@x', 'rec R', 'rec O a\\x01b'])
def test_envelope_the_reader_would_refuse(inst, record):
    if record.startswith('rec A'):
        lines = ['begin', record, 'rec S a@b', 'rec R c@d']
    elif record.startswith('rec S'):
        lines = ['begin', record, 'rec R c@d']
    else:
        lines = ['begin', 'rec S a@b', record, 'rec R c@d']
    lines += ['rec M', 'rec X', 'rec E', 'finish']
    (qid, status, _, _), = results(run_client(inst, lines))
    assert status == STAT_BAD
    assert_gone(inst, qid)


def test_disconnect_mid_message(inst):
    lines = message()
    lines = lines[:lines.index('rec X')] + ['flush', 'exit']
    out = run_client(inst, lines)
    qid = [l for l in out if l.startswith('begin ')][0].split()[2]
    inst.wait_log(r'%s: client disconnected before the end of the message' % qid)
    assert_gone(inst, qid)
    assert not re.search(r'(warning|error|fatal): %s' % qid, inst.log())


def test_many_messages_one_connection(inst):
    lines = []
    for n in range(25):
        lines += message(content='Subject: n%d\n\nmessage %d\n' % (n, n))
    msgs = results(run_client(inst, lines))
    assert len(msgs) == 25
    assert len({m[0] for m in msgs}) == 25
    for n, (qid, status, _, _) in enumerate(msgs):
        assert status == STAT_OK
        content = content_of(check_file(inst, qid)).decode()
        assert content.endswith('\nmessage %d\n' % n)


def test_long_line_and_large_body(inst):
    line = 'z' * 150000 + '\n'
    body = ''.join('line %06d %s\n' % (n, 'w' * 60) for n in range(1500))
    text = 'Subject: long\n\n' + line + body
    qid, status, _, _ = send(inst, content=text, chunk=60000)
    assert status == STAT_OK
    recs = check_file(inst, qid)
    content = content_of(recs).decode()
    assert content.endswith('\n\n' + line + body)
    assert max(len(d) for t, d in recs if t == 'C') == 65536


def test_cannot_create_queue_file(inst):
    # A file may be made elsewhere (recycle/) and renamed into incoming/X:
    # every folder it could end up in is closed.
    incoming = os.path.join(inst.queue_dir, 'incoming')
    folders = [incoming] + [os.path.join(incoming, d) for d in os.listdir(incoming)
                            if os.path.isdir(os.path.join(incoming, d))]
    for d in folders:
        os.chmod(d, 0o500)
    try:
        out = run_client(inst, ['begin', 'close'])
    finally:
        for d in folders:
            os.chmod(d, 0o700)
    assert out[1].startswith('begin %d ' % STAT_WRITE), out
    inst.wait_log(r'warning: cannot create a queue file in incoming')


def test_write_error_removes_file(inst):
    """A full file system (a 64 KiB tmpfs over incoming/): the message
    gets CLEANUP_STAT_WRITE, the partial file is removed, and the next
    message on a file system with room is fine again."""
    incoming = os.path.join(inst.queue_dir, 'incoming')
    owner = pwd.getpwnam('dromos')
    res = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=64k,mode=0700,uid=%d,gid=%d'
                          % (owner.pw_uid, owner.pw_gid), 'tmpfs', incoming],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if res.returncode != 0:
        pytest.skip('cannot mount a tmpfs here: ' + res.stdout)
    try:
        body = ''.join('line %06d %s\n' % (n, 'q' * 80) for n in range(2000))
        qid, status, reason, reply = send(inst, content='Subject: full\n\n' + body)
        assert status == STAT_WRITE, (status, reason)
        assert reply == '451 4.3.0 Error: queue file write error'
        assert_gone(inst, qid)
        inst.wait_log(r'warning: %s: (queue file write error|cannot commit)' % qid)
        left = [f for _, _, files in os.walk(incoming) for f in files]
        assert left == []
    finally:
        subprocess.run(['umount', incoming], check=True)
    qid, status, _, _ = send(inst)
    assert status == STAT_OK
    check_file(inst, qid)
