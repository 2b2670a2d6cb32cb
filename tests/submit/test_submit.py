"""Local submission end to end: sendmail -> dromdrop (set-gid) -> maildrop/
-> pickup -> cleanup -> qmgr -> local, as root and as an ordinary user;
-f and local_login_sender_maps; sendmail -bs on a pipe; -t header
recipients and Bcc removal; forged and truncated maildrop files."""
import email
import email.policy
import os
import re
import stat
import struct
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dromos_instance import Instance, wait_for  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

HOST = 'mx.example.test'
USER = 'dromsub1'      # receives
OTHER = 'dromsub2'     # an ordinary user who submits


@pytest.fixture(scope='module')
def inst():
    i = Instance(hostname=HOST).setup(
        mydestination='%s, localhost' % HOST,
        local_login_sender_maps='inline:{ { %s = @lists.example.org, '
        'announce@example.org } }' % OTHER)
    i.add_user(USER)
    i.add_user(OTHER)
    i.start()
    yield i
    i.cleanup()


def maildir(inst, user=USER):
    d = os.path.join(inst.home_base, user, 'Maildir', 'new')
    try:
        return sorted(os.path.join(d, f) for f in os.listdir(d))
    except FileNotFoundError:
        return []


def sendmail(inst, args, data, user=None, timeout=60):
    argv = [os.path.join(inst.command_dir, 'sendmail')] + list(args)
    if user:
        import pwd
        pw = pwd.getpwnam(user)
        argv = ['setpriv', '--reuid', str(pw.pw_uid), '--regid',
                str(pw.pw_gid), '--init-groups'] + argv
    env = dict(os.environ, MAIL_CONFIG=inst.config_dir)
    return subprocess.run(argv, input=data, env=env, capture_output=True,
                          timeout=timeout)


def arrived(inst, marker, user=USER, timeout=30):
    """The one Maildir message holding marker (bytes), parsed."""
    def find():
        hits = [p for p in maildir(inst, user)
                if marker in open(p, 'rb').read()]
        return hits or None
    hits = wait_for(find, timeout=timeout, what='delivery of %r' % marker)
    assert len(hits) == 1, hits
    with open(hits[0], 'rb') as f:
        return email.message_from_bytes(f.read(), policy=email.policy.compat32)


def test_root_submission_delivered(inst):
    r = sendmail(inst, ['-i', '-F', 'The Admin', USER],
                 b'Subject: root one\n\nline\n.\nafter the dot\n')
    assert r.returncode == 0, r.stderr
    assert r.stdout == b'' and r.stderr == b''
    m = arrived(inst, b'root one')
    # -i: a lone dot is content.
    assert m.get_payload() == 'line\n.\nafter the dot\n'
    assert m['From'] == '"The Admin" <root@%s>' % HOST
    assert 'from userid 0' in m['Received']
    log = inst.log()
    assert re.search(r'dromdrop\[\d+\]: [0-9A-F]+: uid=0 login=root '
                     r'from=<root> size=\d+ nrcpt=1', log)
    assert re.search(r'pickup\[\d+\]: [0-9A-F]+: uid=0 from=<root>', log)


def test_user_submission_with_t_and_dot(inst):
    data = (b'To: Someone <%s@%s>\nCc: (nobody) \nBcc: "Hidden, Person" '
            b'<%s@%s>\nSubject: user two\n\nbody\n.\nnot sent\n'
            % (USER.encode(), HOST.encode(), OTHER.encode(), HOST.encode()))
    r = sendmail(inst, ['-t'], data, user=OTHER)
    assert r.returncode == 0, r.stderr
    m = arrived(inst, b'user two')
    # Without -i the lone dot ends the message; Bcc is gone.
    assert m.get_payload() == 'body\n'
    assert m['Bcc'] is None
    assert m['Return-Path'] == '<%s@%s>' % (OTHER, HOST)
    m2 = arrived(inst, b'user two', user=OTHER)
    assert m2['Bcc'] is None
    uid = __import__('pwd').getpwnam(OTHER).pw_uid
    assert re.search(r'dromdrop\[\d+\]: [0-9A-F]+: uid=%d login=%s '
                     r'from=<%s>' % (uid, OTHER, OTHER), inst.log())


def test_user_f_allowed_by_table_and_logged_with_login(inst):
    r = sendmail(inst, ['-i', '-f', 'owner@lists.example.org', USER],
                 b'Subject: list mail\n\nx\n', user=OTHER)
    assert r.returncode == 0, r.stderr
    m = arrived(inst, b'list mail')
    assert m['Return-Path'] == '<owner@lists.example.org>'
    uid = __import__('pwd').getpwnam(OTHER).pw_uid
    assert re.search(r'dromdrop\[\d+\]: [0-9A-F]+: uid=%d login=%s '
                     r'from=<owner@lists.example.org>' % (uid, OTHER),
                     inst.log())


def test_user_f_refused_by_table(inst):
    before = len(maildir(inst))
    r = sendmail(inst, ['-i', '-f', 'ceo@example.org', USER],
                 b'Subject: forged\n\nx\n', user=OTHER)
    assert r.returncode == 67, (r.returncode, r.stderr)
    assert b'may not use the sender <ceo@example.org>' in r.stderr
    time.sleep(1)
    assert len(maildir(inst)) == before
    assert not [p for p in maildir(inst) if b'forged' in open(p, 'rb').read()]


def test_root_may_use_any_sender(inst):
    r = sendmail(inst, ['-i', '-f', '<>', USER], b'Subject: null sender\n\nx\n')
    assert r.returncode == 0, r.stderr
    m = arrived(inst, b'null sender')
    assert m['Return-Path'] == '<>'


def test_sendmail_bs_on_a_pipe(inst):
    dialogue = (b'EHLO client.example\r\n'
                b'MAIL FROM:<root@%s>\r\n'
                b'RCPT TO:<%s@%s>\r\n'
                b'DATA\r\n'
                b'Subject: via bs\r\n\r\n..dot stuffed\r\nend\r\n.\r\n'
                b'VRFY x\r\n'
                b'BOGUS\r\n'
                b'QUIT\r\n' % (HOST.encode(), USER.encode(), HOST.encode()))
    r = sendmail(inst, ['-bs'], dialogue)
    assert r.returncode == 0, r.stderr
    codes = [line[:3] for line in r.stdout.split(b'\r\n') if line
             and line[3:4] == b' ']
    assert codes == [b'220', b'250', b'250', b'250', b'354', b'250', b'252',
                     b'502', b'221'], r.stdout
    assert b'250-DSN' in r.stdout and b'250-PIPELINING' in r.stdout
    m = arrived(inst, b'via bs')
    assert m.get_payload() == '.dot stuffed\nend\n'


def test_bs_sender_refused_for_login(inst):
    dialogue = (b'HELO c\r\nMAIL FROM:<boss@example.org>\r\n'
                b'RCPT TO:<%s@%s>\r\nDATA\r\nSubject: bs refused\r\n\r\nx\r\n'
                b'.\r\nQUIT\r\n' % (USER.encode(), HOST.encode()))
    r = sendmail(inst, ['-bs'], dialogue, user=OTHER)
    assert b'\r\n553 5.7.1 ' in r.stdout, r.stdout
    assert r.returncode == 0


def test_usage_errors(inst):
    r = sendmail(inst, ['-i'], b'Subject: nobody\n\nx\n')
    assert r.returncode == 64
    assert b'no recipients' in r.stderr
    r = sendmail(inst, ['-N', 'sometimes', USER], b'x\n')
    assert r.returncode == 64
    r = sendmail(inst, ['-R', 'some', USER], b'x\n')
    assert r.returncode == 64
    # Legacy options are accepted.
    r = sendmail(inst, ['-oem', '-odb', '-i', '-U', USER],
                 b'Subject: legacy options\n\nx\n')
    assert r.returncode == 0, r.stderr
    arrived(inst, b'legacy options')


def test_too_big_refused(inst):
    inst.set_main(message_size_limit='2000')
    try:
        r = sendmail(inst, ['-i', USER], b'Subject: big\n\n' + b'x' * 5000
                     + b'\n')
        assert r.returncode == 65, r.stderr
        assert b'larger than 2000 bytes' in r.stderr
    finally:
        inst.set_main(message_size_limit='10240000')


def test_dsn_options_reach_the_notice(inst):
    """-N, -R and -V travel with the message: NOTIFY=SUCCESS brings the
    sender a success notice that names the envelope ID."""
    sender = '%s@%s' % (OTHER, HOST)
    r = sendmail(inst, ['-i', '-f', sender, '-N', 'success', '-R', 'hdrs',
                        '-V', 'ENV42', USER], b'Subject: dsn opts\n\nx\n')
    assert r.returncode == 0, r.stderr
    arrived(inst, b'dsn opts')
    notice = arrived(inst, b'ENV42', user=OTHER)
    assert notice.get_content_type() == 'multipart/report'
    status = [p for p in notice.walk()
              if p.get_content_type() == 'message/delivery-status'][0]
    text = status.as_string()
    assert 'Original-Envelope-Id: ENV42' in text
    assert re.search(r'Final-Recipient: rfc822; ?%s@%s' % (USER, HOST), text)
    assert 'Action: delivered' in text


def _rec(t, data):
    return t.encode() + struct.pack('>I', len(data)) + data


def _drop(inst, name, data, uid=0, ready=True):
    path = os.path.join(inst.queue_dir, 'maildrop', name)
    with open(path + '.new', 'wb') as f:
        f.write(data)
    os.chown(path + '.new', uid, 0)
    os.chmod(path + '.new', 0o744 if ready else 0o600)
    os.rename(path + '.new', path)
    return path


def _good(uid, rcpt):
    return (_rec('V', b'dromos-maildrop 1') + _rec('T', b'1795900000.000001')
            + _rec('A', b'uid=%d' % uid) + _rec('S', b'root')
            + _rec('R', rcpt.encode()) + _rec('M', b'')
            + _rec('C', b'Subject: dropped by hand\n\nx\n') + _rec('X', b'')
            + _rec('E', b''))


def _trigger(inst):
    import socket
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.sendto(b'W', os.path.join(inst.queue_dir, 'public', 'pickup'))
    s.close()


@pytest.mark.parametrize('name,mutate,reason', [
    ('06B0B9000000000AAAA1', lambda d: d[:-7], 'truncated'),
    ('06B0B9000000000AAAA6', lambda d: d[:-5], 'ends early'),
    ('06B0B9000000000AAAA2', lambda d: d.replace(b'uid=0', b'uid=7'),
     'the file says uid 7, but it belongs to uid 0'),
    ('06B0B9000000000AAAA3', lambda d: d.replace(b'\x00\x00\x00\x04root',
                                                 b'\x00\x00\x00\x04ro\nt'),
     'control character in address'),
    ('06B0B9000000000AAAA4', lambda d: _rec('Q', b'x') + d,
     'not a maildrop file'),
    ('06B0B9000000000AAAA7', lambda d: b'garbage' + d, 'record too long'),
    ('06B0B9000000000AAAA5', lambda d: d + _rec('R', b'late@x'),
     'data after the end record'),
])
def test_forged_or_truncated_file_goes_to_corrupt(inst, name, mutate, reason):
    rcpt = '%s@%s' % (USER, HOST)
    before = len(maildir(inst))
    _drop(inst, name, mutate(_good(0, rcpt)))
    _trigger(inst)
    inst.wait_log(re.escape(name) + r': corrupt maildrop file moved to '
                  r'corrupt: .*' + re.escape(reason), timeout=20)
    assert os.path.exists(os.path.join(inst.queue_dir, 'corrupt', name[-1],
                                       name))
    assert not os.path.exists(os.path.join(inst.queue_dir, 'maildrop', name))
    time.sleep(0.5)
    assert len(maildir(inst)) == before


def test_hand_made_good_file_is_delivered_and_unready_left(inst):
    rcpt = '%s@%s' % (USER, HOST)
    unready = _drop(inst, '06B0B9000000000BBBB1', _good(0, rcpt), ready=False)
    _drop(inst, '06B0B9000000000BBBB2', _good(0, rcpt))
    _trigger(inst)
    arrived(inst, b'dropped by hand')
    # A file without the ready bit is still being written: left alone.
    assert os.path.exists(unready)
    os.unlink(unready)


def test_dromdrop_stream_as_root_without_set_gid_bit(inst):
    """dromdrop fed by hand (the records sendmail writes), from a copy
    without the set-gid bit: root may write maildrop/ anyway, and in the
    sanitizer build LeakSanitizer checks this run (it cannot check a
    set-gid process)."""
    import shutil
    import tempfile
    d = tempfile.mkdtemp(prefix='dromdrop-copy-')
    try:
        copy = os.path.join(d, 'dromdrop')
        shutil.copy(os.path.join(inst.command_dir, 'dromdrop'), copy)
        os.chmod(copy, 0o755)
        stream = (_rec('A', b'full_name=By Hand') + _rec('S', b'root')
                  + _rec('N', b'2 ') + _rec('R', USER.encode())
                  + _rec('M', b'')
                  + _rec('C', b'Subject: stream by hand\n\nx\n')
                  + _rec('X', b'') + _rec('E', b''))
        r = subprocess.run([copy], input=stream, capture_output=True,
                           env=dict(os.environ, MAIL_CONFIG=inst.config_dir))
        assert r.returncode == 0, r.stderr
        m = arrived(inst, b'stream by hand')
        assert m['From'] == '"By Hand" <root@%s>' % HOST
        # A stream with an attribute only dromdrop may write is refused.
        r = subprocess.run([copy], input=_rec('A', b'uid=0') + stream,
                           capture_output=True,
                           env=dict(os.environ, MAIL_CONFIG=inst.config_dir))
        assert r.returncode == 65
        assert b'a client may not send the uid attribute' in r.stderr
    finally:
        shutil.rmtree(d)


def test_maildrop_modes(inst):
    st = os.stat(os.path.join(inst.queue_dir, 'maildrop'))
    assert stat.S_IMODE(st.st_mode) == 0o730
    st = os.stat(os.path.join(inst.command_dir, 'dromdrop'))
    assert stat.S_IMODE(st.st_mode) == 0o2755
    import grp
    assert grp.getgrgid(st.st_gid).gr_name == inst.dromconf(
        '-h', 'setgid_group').stdout.strip()
    # An ordinary user can neither list maildrop/ nor write there directly.
    import pwd
    pw = pwd.getpwnam(OTHER)
    r = subprocess.run(['setpriv', '--reuid', str(pw.pw_uid), '--regid',
                        str(pw.pw_gid), '--init-groups', 'ls',
                        os.path.join(inst.queue_dir, 'maildrop')],
                       capture_output=True)
    assert r.returncode != 0
    assert os.path.islink(os.path.join(inst.command_dir, 'mailq'))
    assert os.path.islink(os.path.join(inst.command_dir, 'newaliases'))


def test_newaliases_builds_the_alias_database(inst):
    aliases = os.path.join(inst.config_dir, 'aliases')
    with open(aliases, 'a') as f:
        f.write('subalias: %s\n' % USER)
    r = subprocess.run([os.path.join(inst.command_dir, 'newaliases')],
                       env=dict(os.environ, MAIL_CONFIG=inst.config_dir),
                       capture_output=True)
    assert r.returncode == 0, r.stderr
    r = sendmail(inst, ['-i', 'subalias'], b'Subject: via alias\n\nx\n')
    assert r.returncode == 0, r.stderr
    arrived(inst, b'via alias')
