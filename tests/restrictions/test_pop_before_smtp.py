"""permit_pop_before_smtp against a real instance.

smtpd_relay_restrictions = permit_mynetworks, permit_pop_before_smtp,
reject_unauth_destination with mynetworks = 127.0.0.1/32, so 127.0.0.3
and 127.0.0.4 are strangers. Until pop3d exists, a POP3 login is played
by what pbs_record() would write: "drommap -i" puts 127.0.0.3 with an
expiry a few seconds ahead into $pop_before_smtp_database. smtpd reads
the table through proxymap (it is chrooted), which notices the file was
changed in place and reopens it.

A second service reads the same table as "check_client_access
proxy:hash:..."
to show that an all-digit value is OK in an access table (Postfix's
access(5) rule, which the DRAC and pop-before-smtp tables rely on).

The scenarios: before any login 127.0.0.3 may not relay (554 5.7.1; the
table did not exist and smtpd made it empty at start, so this is no
lookup error); after the "login" it may (250 at RCPT) while 127.0.0.4
still may not; once the expiry has passed it may not relay again,
although its key is still in the table (nothing purged it).

IPv6 (::1) is not covered here: the instance listens on 127.0.0.1 only
(inet_interfaces), and the IPv6 keys are covered by the unit test
(tests/global/test_pop_before_smtp.c)."""
import os
import pwd
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'lib'))
from dromos_instance import Instance, free_port, wait_for  # noqa: E402
import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    'smtpd_conftest', os.path.join(HERE, '..', 'smtpd', 'conftest.py'))
_smtpd = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_smtpd)
Smtp = _smtpd.Smtp

HOST = 'mx.example.test'
ROAMER = '127.0.0.3'
STRANGER = '127.0.0.4'
RELAY_DENIED = '554 5.7.1 <x@outside.example>: Relay access denied'


class PbsInstance(Instance):
    def __init__(self):
        super().__init__(hostname=HOST)
        self.setup(smtpd_error_sleep_time='0', alias_maps='',
                   mynetworks='127.0.0.1/32',
                   smtpd_relay_restrictions='permit_mynetworks, '
                   'permit_pop_before_smtp, reject_unauth_destination')
        # The default, hash:$data_directory/pop-before-smtp, expanded.
        self.table = 'hash:' + os.path.join(self.data_dir, 'pop-before-smtp')
        self.port = free_port()
        # The same table as a plain access table: an all-digit value is
        # OK (access(5), as pop-before-smtp and DRAC tables rely on).
        # Through proxymap, as for permit_pop_before_smtp: a chrooted
        # smtpd could not reopen the file after a change in place.
        self.access_port = free_port()
        self.write_master_cf([
            '127.0.0.1:%d inet n - - - - smtpd' % self.port,
            '127.0.0.1:%d inet n - - - - smtpd -o smtpd_relay_restrictions='
            'permit_mynetworks,check_client_access,proxy:%s,'
            'reject_unauth_destination'
            % (self.access_port, self.table)])
        self.start()
        for port in (self.port, self.access_port):
            wait_for(lambda: _greets(port), what='port %d' % port)

    def login(self, addr, expires):
        """What pop3d's pbs_record() does after a login, by hand."""
        subprocess.run([os.path.join(self.command_dir, 'drommap'),
                        '-c', self.config_dir, '-r', '-i', self.table],
                       input='%s %d\n' % (addr, expires), text=True,
                       check=True)

    def show(self):
        return subprocess.run([os.path.join(self.command_dir, 'drommap'),
                               '-c', self.config_dir, '-s', self.table],
                              capture_output=True, text=True,
                              check=True).stdout


def _greets(port):
    try:
        c = Smtp(port, timeout=5)
        ok = c.greeting[0] == 220
        c.close()
        return ok
    except OSError:
        return False


def rcpt(inst, source, port=None):
    c = Smtp(port or inst.port, source=source)
    assert c.cmd('EHLO roaming.example')[0] == 250
    assert c.cmd('MAIL FROM:<me@roaming.example>')[0] == 250
    code, lines = c.cmd('RCPT TO:<x@outside.example>')
    assert c.cmd('RSET')[0] == 250
    c.cmd('QUIT')
    c.close()
    return lines[-1]


@pytest.fixture(scope='module')
def inst():
    if os.geteuid() != 0:
        pytest.skip('restriction tests need root (users, chroot)')
    i = PbsInstance()
    yield i
    log = i.log()
    i.cleanup()
    bad = [l for l in log.splitlines()
           if 'Sanitizer' in l or 'runtime error:' in l or 'panic:' in l
           or 'fatal:' in l]
    assert bad == [], 'bad log lines:\n' + '\n'.join(bad)


def test_pop_before_smtp_window(inst):
    # No login yet: a stranger, and no lookup error although no table
    # existed: smtpd made it (as root, for $mail_owner) at start.
    assert rcpt(inst, ROAMER) == RELAY_DENIED
    owner = inst.dromconf('-h', 'mail_owner').stdout.strip()
    db = inst.table.split(':', 1)[1] + '.db'
    assert os.path.exists(db)
    assert os.stat(db).st_mode & 0o7777 == 0o644
    assert os.stat(db).st_uid == pwd.getpwnam(owner).pw_uid

    # A login from 127.0.0.3, valid for 3 more seconds.
    expires = int(time.time()) + 3
    inst.login(ROAMER, expires)
    assert '%s\t%d' % (ROAMER, expires) in inst.show()
    q = subprocess.run([os.path.join(inst.command_dir, 'drommap'),
                        '-c', inst.config_dir, '-q', ROAMER, inst.table],
                       capture_output=True, text=True)
    assert (q.returncode, q.stdout.strip()) == (0, str(expires))
    assert rcpt(inst, ROAMER) == '250 2.1.5 Ok'
    assert rcpt(inst, STRANGER) == RELAY_DENIED
    # check_client_access reads the digits as OK (and knows no expiry).
    assert rcpt(inst, ROAMER, inst.access_port) == '250 2.1.5 Ok'
    assert rcpt(inst, STRANGER, inst.access_port) == RELAY_DENIED

    # Expired: refused again, though the key is still in the table.
    wait_for(lambda: time.time() >= expires, timeout=15,
             what='the expiry')
    wait_for(lambda: rcpt(inst, ROAMER) == RELAY_DENIED, timeout=15,
             interval=0.5, what='relay refused after the expiry')
    assert '%s\t%d' % (ROAMER, expires) in inst.show()
    assert rcpt(inst, STRANGER) == RELAY_DENIED


def test_foreign_value_not_trusted(inst):
    # A value that is not digits is never trusted (some other tool's).
    inst.login(ROAMER, 0)
    subprocess.run([os.path.join(inst.command_dir, 'drommap'),
                    '-c', inst.config_dir, '-r', '-i', inst.table],
                   input='%s ok\n' % ROAMER, text=True, check=True)
    assert rcpt(inst, ROAMER) == RELAY_DENIED
