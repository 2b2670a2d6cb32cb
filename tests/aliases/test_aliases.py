"""Aliases, :include:, .forward, commands, files and recipient_delimiter in
the local delivery agent, end to end: a real instance (master, qmgr,
local, cleanup), real users, an alias map built by drommap, and messages
put into the queue by tests/qmgr/mkqfile.

What is checked: a list is sent on as one new message (forwarded as ID)
and each member gets a copy with Delivered-To: of the list; nested
aliases; :include: files (and their owner rule); alias loops (dropped,
bounced 5.4.6) and a user aliased to itself (mailbox); a message that
carries Delivered-To: for its recipient (5.4.6 forwarding loop); commands
(run as default_privs, the environment, the message on stdin, exit codes
0, 67, 75, other, the time limit) and files (mbox format) in aliases;
commands and files in :include: files refused by default; the owner of a
non-root alias map runs its commands; .forward with "\\user" keeping a
copy, a command run as the user, an unsafe .forward ignored;
recipient_delimiter (user+ext, alias+ext, an exact alias with the
delimiter, EXTENSION for commands, .forward+ext); owner-NAME as the
envelope sender (Return-Path) of the copies; root through an alias; a
remote member; finally, after a reload, commands in aliases refused when
allow_mail_to_commands lacks "alias", expand_owner_alias, and an
unavailable alias map deferring mail (4.3.0).
"""
import os
import pwd
import re
import stat
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'qmgr'))
sys.path.insert(0, os.path.dirname(__file__))
from mailtest import MailInstance, message, wait_for, HOST  # noqa: E402
from aliastest import build_aliases  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

U1, U2, U3, U4, OWNER = 'aliasu1', 'aliasu2', 'aliasu3', 'aliasu4', 'aliasown'


def write_file(path, text, mode=0o644, owner=None):
    with open(path, 'w') as f:
        f.write(text)
    os.chmod(path, mode)
    if owner:
        os.chown(path, owner.pw_uid, owner.pw_gid)


@pytest.fixture(scope='module')
def m():
    inst = MailInstance(recipient_delimiter='+', command_time_limit='6s')
    try:
        for u in (U1, U2, U3, U4, OWNER):
            inst.add_user(u)
        inst.pw = {u: pwd.getpwnam(u) for u in (U1, U2, U3, U4, OWNER)}
        inst.out = os.path.join(inst.root, 'out')
        os.makedirs(inst.out)
        os.chmod(inst.out, 0o1777)
        lists = os.path.join(inst.root, 'lists')
        os.makedirs(lists, mode=0o755)
        inst.lists = lists
        write_file(os.path.join(lists, 'list.txt'),
                   '# members\n%s\n  %s@%s\n' % (U1, U2, HOST))
        write_file(os.path.join(lists, 'foreign.txt'), U3 + '\n',
                   owner=inst.pw[U1])
        write_file(os.path.join(lists, 'cmds.txt'),
                   '"|touch %s/inclcmd"\n%s/inclfile\n%s\n' % (inst.out, inst.out, U3))
        out = inst.out
        build_aliases(inst, os.path.join(inst.config_dir, 'aliases'), f'''\
# test aliases
postmaster: root
root: {U1}
team: {U1}, {U2}@{HOST},
\t{U3}
nested: team, {U4}@MX.Example.Test
incl: :include:{lists}/list.txt
badincl: :include:{lists}/foreign.txt
inclcmd: ":include:{lists}/cmds.txt"
loopa: loopb
loopb: loopa
{U4}: {U4}, {U3}
cmd: "|id -u > {out}/cmd.uid; env > {out}/cmd.env; cat > {out}/cmd.msg"
exttest: "|env > {out}/ext.env"
tofile: {out}/file.mbox
devnull: /dev/null
blackhole: "|exit 0"
nouser: "|exit 67"
tempfail: "|exit 75"
fail3: "|echo some output; exit 3"
slow: "|sleep 30"
reloadslow: "|i=0; while [ ! -e {out}/reload.go ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; cat >> {out}/reloadslow.msg"
list2: {U1}, {U3}
owner-list2: {U2}
special+x: {U2}
withremote: {U3}, someone@elsewhere.example
''' + ''.join('fan%d: fan%d, fan%d, "|exit 0"\n' % (i, i + 1, i + 1) for i in range(1, 40))
                      + 'fan40: %s\n' % U3)
        build_aliases(inst, os.path.join(inst.config_dir, 'aliases2'), f'''\
owned: "|id -u > {out}/owned.uid"
''', owner=inst.pw[OWNER])
        cf = inst.config_dir
        inst.set_main(alias_maps='hash:%s/aliases, hash:%s/aliases2' % (cf, cf))
        inst.reload()
        time.sleep(0.5)
    except BaseException:
        inst.cleanup()
        raise
    yield inst
    log = inst.log()
    if os.environ.get('ALIAS_TEST_LOG'):
        with open(os.environ['ALIAS_TEST_LOG'], 'w') as f:
            f.write(log)
    inst.cleanup()
    bad = [l for l in log.splitlines() if 'Sanitizer' in l or 'runtime error:' in l
           or 'panic:' in l or 'fatal:' in l]
    assert bad == [], 'bad log lines:\n' + log


def deliver(m, rcpt, subject, timeout=30, **kw):
    qid = m.inject(rcpt, message(subject), **kw)
    m.trigger()
    m.wait_log(re.escape(qid) + ': removed', timeout=timeout)
    return qid


def forwarded(m, qid):
    """The queue ID of the copy that qid's delivery sent on; waits until
    the copy is delivered too."""
    found = m.wait_log(re.escape(qid) + r': to=<[^>]*>, .*status=sent '
                       r'\(forwarded as ([0-9A-F]+)\)')
    new = found.group(1)
    m.trigger()
    m.wait_log(re.escape(new) + ': removed', timeout=30)
    return new


def mailbox(m, user, subject):
    """The Maildir copies for user with this Subject."""
    hits = []
    for p in m.maildir_files(user):
        with open(p, 'rb') as f:
            data = f.read()
        if ('\nSubject: %s\n' % subject).encode() in data:
            hits.append(data)
    return hits


def wait_mailbox(m, user, subject, count=1):
    return wait_for(lambda: len(mailbox(m, user, subject)) >= count and
                    mailbox(m, user, subject), timeout=20,
                    what='%s gets "%s"' % (user, subject))


def log_line(m, qid, rest):
    return re.search(re.escape(qid) + r': ' + rest, m.log())


def test_list_is_forwarded_as_one_message(m):
    qid = deliver(m, 'Team@' + HOST, 'list one', sender='alice@example.org')
    new = forwarded(m, qid)
    assert log_line(m, qid, r'to=<Team@mx\.example\.test>, relay=local, delay=[\d.]+, '
                    r'dsn=2\.0\.0, status=sent \(forwarded as %s\)' % new), m.log()
    for u in (U1, U2, U3):
        assert log_line(m, new, r'to=<%s@mx\.example\.test>, relay=local, .*'
                        r'status=sent \(delivered to maildir\)' % u), m.log()
        data = wait_mailbox(m, u, 'list one')[0]
        assert data.startswith(b'Return-Path: <alice@example.org>\n'
                               b'Delivered-To: %s@mx.example.test\n' % u.encode())
        assert b'\nDelivered-To: Team@mx.example.test\n' in data
    # One new message for the three members.
    assert len(re.findall(re.escape(new) + r': to=', m.log())) == 3


def test_nested_alias_and_domain_case(m):
    qid = deliver(m, 'nested@' + HOST, 'nested one')
    new = forwarded(m, qid)
    for u in (U1, U2, U3):
        assert len(wait_mailbox(m, u, 'nested one')) == 1
    # aliasu4 is an alias of itself and aliasu3: on the expansion path it
    # is a user, so it gets its mailbox copy here; aliasu3 is sent on
    # once although two aliases name it.
    assert log_line(m, qid, r'to=<%s@mx\.example\.test>, orig_to=<nested@mx\.example\.test>, '
                    r'relay=local, .*status=sent \(delivered to maildir\)' % U4), m.log()
    wait_mailbox(m, U4, 'nested one')
    assert len(re.findall(re.escape(new) + r': to=', m.log())) == 3


def test_include_file(m):
    qid = deliver(m, 'incl@' + HOST, 'include one')
    forwarded(m, qid)
    wait_mailbox(m, U1, 'include one')
    wait_mailbox(m, U2, 'include one')


def test_include_owned_by_someone_else_is_refused(m):
    qid = deliver(m, 'badincl@' + HOST, 'bad include')
    assert log_line(m, qid, r'to=<badincl@mx\.example\.test>, relay=local, .*dsn=5\.3\.5, '
                    r'status=bounced \(cannot use :include: file: .*foreign\.txt: '
                    r'owned by uid %d' % m.pw[U1].pw_uid), m.log()


def test_commands_and_files_in_include_are_refused_by_default(m):
    qid = deliver(m, 'inclcmd@' + HOST, 'include cmd')
    assert log_line(m, qid, r'to=<inclcmd@mx\.example\.test>, .*dsn=5\.7\.1, '
                    r'status=bounced \(mail to command is restricted: touch '), m.log()
    assert log_line(m, qid, r'to=<inclcmd@mx\.example\.test>, .*dsn=5\.7\.1, '
                    r'status=bounced \(mail to file is restricted: '), m.log()
    assert not os.path.exists(os.path.join(m.out, 'inclcmd'))
    assert not os.path.exists(os.path.join(m.out, 'inclfile'))
    # The address in the same file still gets its copy.
    forwarded(m, qid)
    wait_mailbox(m, U3, 'include cmd')


def test_alias_loop_is_dropped_and_bounced(m):
    qid = deliver(m, 'loopa@' + HOST, 'loop one')
    assert re.search(re.escape(qid) + r': mail forwarding loop for loopa@mx\.example\.test: '
                     r'loopa is expanded already', m.log()), m.log()
    assert log_line(m, qid, r'to=<loopa@mx\.example\.test>, relay=local, .*dsn=5\.4\.6, '
                    r'status=bounced \(mail forwarding loop for loopa@mx\.example\.test\)'), m.log()


def test_user_aliased_to_itself_gets_the_mailbox_copy(m):
    qid = deliver(m, U4 + '@' + HOST, 'self alias')
    assert log_line(m, qid, r'to=<%s@mx\.example\.test>, relay=local, .*'
                    r'status=sent \(delivered to maildir\)' % U4), m.log()
    forwarded(m, qid)
    wait_mailbox(m, U4, 'self alias')
    wait_mailbox(m, U3, 'self alias')


def test_delivered_to_loop_is_bounced(m):
    content = message('been here', extra='Delivered-To: %s@%s\n' % (U1, HOST))
    qid = m.inject(U1 + '@' + HOST, content)
    m.trigger()
    m.wait_log(re.escape(qid) + ': removed', timeout=30)
    assert log_line(m, qid, r'to=<%s@mx\.example\.test>, relay=local, .*dsn=5\.4\.6, '
                    r'status=bounced \(mail forwarding loop for %s@mx\.example\.test\)'
                    % (U1, U1)), m.log()
    assert mailbox(m, U1, 'been here') == []


def test_command_runs_as_default_privs(m):
    qid = deliver(m, 'cmd@' + HOST, 'to command', sender='bob@example.org')
    assert log_line(m, qid, r'to=<cmd@mx\.example\.test>, relay=local, delay=[\d.]+, '
                    r'dsn=2\.0\.0, status=sent \(delivered to command: id -u'), m.log()
    with open(os.path.join(m.out, 'cmd.uid')) as f:
        assert int(f.read()) == pwd.getpwnam('nobody').pw_uid
    with open(os.path.join(m.out, 'cmd.env')) as f:
        env = dict(l.split('=', 1) for l in f.read().splitlines() if '=' in l)
    assert env['SENDER'] == 'bob@example.org'
    assert env['RECIPIENT'] == 'cmd@' + HOST
    assert env['LOCAL'] == 'cmd'
    assert env['DOMAIN'] == HOST
    assert env['EXTENSION'] == ''
    assert env['USER'] == env['LOGNAME'] == 'nobody'
    assert env['PATH'] == '/usr/bin:/bin'
    assert set(env) <= {'HOME', 'USER', 'LOGNAME', 'SHELL', 'SENDER', 'RECIPIENT',
                        'LOCAL', 'EXTENSION', 'DOMAIN', 'PATH', 'PWD', 'OLDPWD', 'SHLVL', '_'}
    with open(os.path.join(m.out, 'cmd.msg'), 'rb') as f:
        msg = f.read()
    first, rest = msg.split(b'\n', 1)
    assert re.match(rb'^From bob@example\.org \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$', first)
    assert rest.startswith(b'Return-Path: <bob@example.org>\n'
                           b'Delivered-To: cmd@mx.example.test\n')
    assert b'Subject: to command\n' in rest


def test_command_extension_environment(m):
    deliver(m, 'exttest+Some.Thing@' + HOST, 'ext env')
    with open(os.path.join(m.out, 'ext.env')) as f:
        env = dict(l.split('=', 1) for l in f.read().splitlines() if '=' in l)
    assert env['EXTENSION'] == 'some.thing'
    assert env['LOCAL'] == 'exttest+some.thing'
    assert env['RECIPIENT'] == 'exttest+Some.Thing@' + HOST


@pytest.mark.parametrize('name,dsn,status,text', [
    ('blackhole', '2.0.0', 'sent', r'delivered to command: exit 0'),
    ('nouser', '5.1.1', 'bounced', r'command died with status 67 \(user unknown\): "exit 67"'),
    ('fail3', '5.3.0', 'bounced', r'command died with status 3: "echo some output; exit 3"\. '
     r'Command output: some output'),
    ('devnull', '2.0.0', 'sent', r'delivered to file: /dev/null'),
])
def test_command_results(m, name, dsn, status, text):
    qid = deliver(m, name + '@' + HOST, 'result ' + name)
    assert log_line(m, qid, r'to=<%s@mx\.example\.test>, relay=local, delay=[\d.]+, '
                    r'dsn=%s, status=%s \(%s\)' % (name, re.escape(dsn), status, text)), m.log()


@pytest.mark.parametrize('name,text', [
    ('tempfail', r'command died with status 75 \(temporary failure\): "exit 75"'),
    ('slow', r'command time limit exceeded: "sleep 30"'),
])
def test_command_deferrals(m, name, text):
    qid = m.inject(name + '@' + HOST, message('defer ' + name))
    m.trigger()
    m.wait_log(re.escape(qid) + r': to=<%s@mx\.example\.test>, relay=local, delay=[\d.]+, '
               r'dsn=4\.3\.0, status=deferred \(%s\)' % (name, text), timeout=20)
    wait_for(lambda: any(p.endswith(qid) for p in m.queue_files('deferred')),
             timeout=10, what='deferred queue file')
    for p in m.queue_files('deferred'):
        if p.endswith(qid):
            os.unlink(p)


def test_file_delivery(m):
    box = os.path.join(m.out, 'file.mbox')
    deliver(m, 'tofile@' + HOST, 'file one', sender='carol@example.org')
    deliver(m, 'tofile@' + HOST, 'file two', sender='')
    st = os.stat(box)
    assert st.st_uid == pwd.getpwnam('nobody').pw_uid
    assert stat.S_IMODE(st.st_mode) == 0o600
    with open(box, 'rb') as f:
        data = f.read()
    assert data.startswith(b'From carol@example.org ')
    assert b'\nReturn-Path: <carol@example.org>\nDelivered-To: tofile@mx.example.test\n' in data
    assert b'\n\nFrom MAILER-DAEMON ' in data
    assert data.endswith(b'\n\n')


def test_owner_of_the_alias_map_runs_its_commands(m):
    qid = deliver(m, 'owned@' + HOST, 'owned map')
    assert log_line(m, qid, r'to=<owned@mx\.example\.test>, .*status=sent '
                    r'\(delivered to command: id -u'), m.log()
    with open(os.path.join(m.out, 'owned.uid')) as f:
        assert int(f.read()) == m.pw[OWNER].pw_uid


def test_owner_alias_is_the_envelope_sender(m):
    qid = deliver(m, 'list2@' + HOST, 'owned list', sender='dave@example.org')
    new = forwarded(m, qid)
    for u in (U1, U3):
        data = wait_mailbox(m, u, 'owned list')[0]
        assert data.startswith(b'Return-Path: <owner-list2@mx.example.test>\n'), data[:200]
    assert re.search(re.escape(new) + r': to=<%s@' % U1, m.log())
    # The null sender stays null.
    qid = deliver(m, 'list2@' + HOST, 'owned bounce', sender='')
    forwarded(m, qid)
    data = wait_mailbox(m, U1, 'owned bounce')[0]
    assert data.startswith(b'Return-Path: <>\n')


def test_root_through_an_alias(m):
    qid = deliver(m, 'root@' + HOST, 'for root')
    forwarded(m, qid)
    wait_mailbox(m, U1, 'for root')
    qid = deliver(m, 'postmaster@' + HOST, 'for postmaster')
    forwarded(m, qid)
    wait_mailbox(m, U1, 'for postmaster')


def test_each_alias_is_expanded_once(m):
    # fan1 names fan2 twice, fan2 fan3 twice, ... 40 levels: without
    # remembering what was expanded that would be 2^40 expansions.
    qid = deliver(m, 'fan1@' + HOST, 'fan out')
    assert len(re.findall(re.escape(qid) + r': to=<[^>]*>, .*delivered to command: '
                          r'exit 0\)', m.log())) == 1
    forwarded(m, qid)
    assert len(wait_mailbox(m, U3, 'fan out')) == 1


def test_remote_member_is_forwarded(m):
    qid = deliver(m, 'withremote@' + HOST, 'remote member')
    new = forwarded(m, qid)
    # The instance routes remote domains to the error transport
    # (tests/qmgr/mailtest.py): the forwarded copy got that far.
    assert log_line(m, new, r'to=<someone@elsewhere\.example>, relay=none, .*'
                    r'status=bounced \(no remote delivery in tests\)'), m.log()
    m.wait_log(re.escape(new) + r': sender non-delivery notification: [0-9A-F]+',
               timeout=10)
    wait_mailbox(m, U3, 'remote member')


def test_recipient_delimiter(m):
    # user+ext: the user's mailbox; orig_to shows the address.
    qid = deliver(m, U2 + '+news@' + HOST, 'plus user')
    assert log_line(m, qid, r'to=<%s\+news@mx\.example\.test>, relay=local, .*'
                    r'status=sent \(delivered to maildir\)' % U2), m.log()
    data = wait_mailbox(m, U2, 'plus user')[0]
    assert b'Delivered-To: %s+news@mx.example.test\n' % U2.encode() in data
    # alias+ext: the alias.
    qid = deliver(m, 'team+x@' + HOST, 'plus alias')
    forwarded(m, qid)
    wait_mailbox(m, U3, 'plus alias')
    # An alias with the delimiter in its name is found first.
    qid = deliver(m, 'special+x@' + HOST, 'plus exact')
    forwarded(m, qid)
    wait_mailbox(m, U2, 'plus exact')


def test_forward_keeps_a_copy_and_runs_as_user(m):
    home = os.path.join(m.home_base, U2)
    fwd = os.path.join(home, '.forward')
    write_file(fwd, '\\%s, %s\n"|id -u > %s/fwd.uid"\n' % (U2, U1, m.out),
               mode=0o600, owner=m.pw[U2])
    try:
        qid = deliver(m, U2 + '@' + HOST, 'dot forward')
        assert log_line(m, qid, r'to=<%s@mx\.example\.test>, relay=local, .*'
                        r'status=sent \(delivered to maildir\)' % U2), m.log()
        assert log_line(m, qid, r'to=<%s@mx\.example\.test>, relay=local, .*'
                        r'status=sent \(delivered to command: id -u' % U2), m.log()
        forwarded(m, qid)
        wait_mailbox(m, U2, 'dot forward')
        data = wait_mailbox(m, U1, 'dot forward')[0]
        assert b'\nDelivered-To: %s@mx.example.test\n' % U2.encode() in data
        with open(os.path.join(m.out, 'fwd.uid')) as f:
            assert int(f.read()) == m.pw[U2].pw_uid
    finally:
        os.unlink(fwd)


def test_forward_with_extension(m):
    home = os.path.join(m.home_base, U2)
    fwd = os.path.join(home, '.forward+lists')
    write_file(fwd, U3 + '\n', mode=0o644, owner=m.pw[U2])
    try:
        qid = deliver(m, U2 + '+lists@' + HOST, 'forward ext')
        forwarded(m, qid)
        wait_mailbox(m, U3, 'forward ext')
        assert mailbox(m, U2, 'forward ext') == []
    finally:
        os.unlink(fwd)


def test_unsafe_forward_is_ignored(m):
    home = os.path.join(m.home_base, U2)
    fwd = os.path.join(home, '.forward')
    write_file(fwd, U3 + '\n', mode=0o664, owner=m.pw[U2])
    try:
        qid = deliver(m, U2 + '@' + HOST, 'unsafe forward')
        assert re.search(re.escape(qid) + r': .*\.forward: writable by group or '
                         r'others: \.forward file ignored', m.log()), m.log()
        wait_mailbox(m, U2, 'unsafe forward')
        assert mailbox(m, U3, 'unsafe forward') == []
    finally:
        os.unlink(fwd)


def test_reload_during_delivery_delivers_once(m):
    # qmgr is told to stop by a reload while local runs a slow command: it
    # records the result before it exits, and the new qmgr waits for it
    # (before the fix the old qmgr exited at once, the new one recovered
    # active/ and the command ran a second time).
    before = m.log()
    qid = m.inject('reloadslow@' + HOST, message('reload while busy'))
    m.trigger()
    m.wait_log(re.escape(qid) + r': from=<.*\(queue active\)', timeout=20)
    # The command waits (up to 5 s, within command_time_limit) for the go
    # file, which the test makes once the old qmgr is stopping and the new
    # one waits for it.
    def wait_new(pattern):
        wait_for(lambda: re.search(pattern, m.log()[len(before):]), timeout=20,
                 what=pattern)

    m.reload()
    wait_new(r'qmgr\[\d+\]: stopping: waiting for 1 deliveries in progress')
    # Mail that arrives meanwhile waits for the new qmgr and is delivered.
    qid2 = m.inject(U1 + '@' + HOST, message('during the reload'))
    m.trigger()
    wait_new(r'qmgr\[\d+\]: waiting for the previous qmgr process to finish')
    with open(os.path.join(m.out, 'reload.go'), 'w'):
        pass
    m.wait_log(re.escape(qid) + ': removed', timeout=30)
    m.wait_log(re.escape(qid2) + ': removed', timeout=30)
    log = m.log()[len(before):]
    assert len(re.findall(re.escape(qid) + r': to=<reloadslow@', log)) == 1, log
    assert len(re.findall(re.escape(qid2) + r': to=<', log)) == 1, log
    with open(os.path.join(m.out, 'reloadslow.msg'), 'rb') as f:
        assert f.read().count(b'Subject: reload while busy') == 1
    wait_mailbox(m, U1, 'during the reload')


def test_zz_commands_refused_and_map_unavailable_after_reload(m):
    # Runs last: it changes main.cf.
    m.set_main(allow_mail_to_commands='forward', expand_owner_alias='yes')
    m.reload()
    deadline = time.time() + 30
    while time.time() < deadline:
        qid = deliver(m, 'blackhole@' + HOST, 'refused command')
        if log_line(m, qid, r'to=<blackhole@mx\.example\.test>, .*dsn=5\.7\.1, '
                    r'status=bounced \(mail to command is restricted: exit 0\)'):
            break
    else:
        pytest.fail('commands in aliases were not refused:\n' + m.log())
    # expand_owner_alias: the value of owner-list2 is the sender.
    n = 0
    while time.time() < deadline:
        n += 1
        qid = deliver(m, 'list2@' + HOST, 'expanded owner %d' % n)
        forwarded(m, qid)
        data = wait_mailbox(m, U1, 'expanded owner %d' % n)[0]
        if data.startswith(b'Return-Path: <%s@mx.example.test>\n' % U2.encode()):
            break
    else:
        pytest.fail('expand_owner_alias had no effect:\n' + m.log())
    m.set_main(alias_maps='hash:%s/missing' % m.config_dir)
    m.reload()
    deadline = time.time() + 30
    while time.time() < deadline:
        qid = m.inject(U1 + '@' + HOST, message('no map'))
        m.trigger()
        line = m.wait_log(re.escape(qid) + r': to=<%s@mx\.example\.test>, relay=local, '
                          r'.*status=(sent|deferred) \((.*)\)' % U1, timeout=20)
        if line.group(1) == 'deferred':
            assert line.group(2) == 'alias database unavailable'
            assert 'alias database unavailable: ' in m.log()
            break
        m.wait_log(re.escape(qid) + ': removed', timeout=20)
    else:
        pytest.fail('a missing alias map did not defer:\n' + m.log())
