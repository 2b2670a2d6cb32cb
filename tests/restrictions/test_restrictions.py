"""smtpd restrictions against a real instance: relay control (the classic
relay tricks from an untrusted client, the plain case from a trusted one),
access tables with every result kind, restriction classes, the static
checks, and the log line of each reject.

Clients come from distinct loopback addresses (the whole 127/8 is on lo):
127.0.0.1 is this host (trusted with the default mynetworks_style =
host), 127.0.0.2 and 127.0.0.3 are strangers unless a service's
mynetworks says otherwise. Each smtpd service of the instance has its
own -o overrides (see SERVICES)."""
import glob
import importlib.util
import os
import re
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'lib'))
from dromos_instance import Instance, TOP, free_port, wait_for  # noqa: E402
from dns_fixture import (DnsServer, ServfailServer, free_loopback_address,  # noqa: E402
                         use_dns)

_spec = importlib.util.spec_from_file_location(
    'smtpd_conftest', os.path.join(HERE, '..', 'smtpd', 'conftest.py'))
_smtpd = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_smtpd)
Smtp = _smtpd.Smtp

HOST = 'mx.example.test'
USER = 'drrestrict'
OTHER = 'drredirect'
STRANGER = '127.0.0.2'
STRANGER2 = '127.0.0.3'

CLIENT_TABLE = """
127.0.0.3       REJECT go away
"""
SENDER_TABLE = """
ok@sender.example       OK
reject@sender.example   REJECT
text@sender.example     REJECT no mail from you
defer@sender.example    DEFER try later
dunno@sender.example    DUNNO
code@sender.example     551 5.7.9 custom refusal
code4@sender.example    452 busy
hold@sender.example     HOLD
discard@sender.example  DISCARD
redirect@sender.example REDIRECT %(other)s@%(host)s
prepend@sender.example  PREPEND X-Tag: tagged by sender table
warn@sender.example     WARN looks odd
class@sender.example    fqdnclass
list@sender.example     reject_non_fqdn_recipient
sender.example          REJECT domain rejected
parent.example          REJECT subdomain rejected
nolocal@                REJECT local part rejected
<>                      REJECT null sender rejected
"""
RCPT_TABLE = """
blocked@%(host)s        REJECT recipient blocked
"""
HELO_TABLE = """
bad.helo.example        REJECT helo rejected
"""
USERS_TABLE = """
%(user)s        ok
%(other)s       ok
postmaster      ok
"""

SERVICES = {
    # name: -o options (commas separate list items in master.cf)
    'default': '',
    'nets127': '-o mynetworks=127.0.0.0/8',
    'net1': '-o mynetworks=127.0.0.1/32',
    'access': ('-o mynetworks=127.0.0.1/32 '
               '-o smtpd_client_restrictions=check_client_access,texthash:{d}/client '
               '-o smtpd_helo_restrictions=check_helo_access,texthash:{d}/helo '
               '-o smtpd_sender_restrictions=check_sender_access,texthash:{d}/sender '
               '-o smtpd_recipient_restrictions=check_recipient_access,texthash:{d}/rcpt'),
    'strict': '-o strict_rfc821_envelopes=yes',
    'nodelay': ('-o smtpd_delay_reject=no '
                '-o smtpd_client_restrictions=check_client_access,texthash:{d}/client '
                '-o smtpd_helo_restrictions=reject_invalid_helo_hostname'),
    'helo': ('-o smtpd_helo_restrictions=reject_invalid_helo_hostname,'
             'reject_non_fqdn_helo_hostname'),
    'fqdn': ('-o smtpd_recipient_restrictions=reject_non_fqdn_sender,'
             'reject_non_fqdn_recipient'),
    'pipe': '-o smtpd_data_restrictions=reject_unauth_pipelining',
    'unknown': '-o smtpd_client_restrictions=reject_unknown_client_hostname',
    'warn': ('-o smtpd_client_restrictions=warn_if_reject,'
             'reject_unknown_client_hostname'),
    'classes': '-o smtpd_recipient_restrictions=fqdnclass',
    'unlisted': '-o local_recipient_maps=texthash:{d}/users',
    'nolrm': '-o local_recipient_maps=',
    'reverse': ('-o smtpd_client_restrictions=check_reverse_client_hostname_access,'
                'texthash:{d}/reverse'),
    'deferdest': ('-o mynetworks=127.0.0.1/32 '
                  '-o smtpd_relay_restrictions=permit_mynetworks,defer_unauth_destination'),
    'unlsender': ('-o smtpd_sender_restrictions=reject_unlisted_sender '
                  '-o local_recipient_maps=texthash:{d}/users'),
    'maps': ('-o mynetworks=127.0.0.1/32 '
             '-o smtpd_client_restrictions=check_client_access,cidr:{d}/clients.cidr '
             '-o smtpd_sender_restrictions=check_sender_access,hash:{d}/senders,'
             'check_sender_access,regexp:{d}/senders.re '
             '-o smtpd_recipient_restrictions=check_recipient_access,lmdb:{d}/rcpts'),
    'changing': ('-o smtpd_sender_restrictions=check_sender_access,'
                 'texthash:{d}/changing '
                 '-o local_recipient_maps=proxy:texthash:{d}/pusers'),
    'perm': ('-o smtpd_relay_restrictions=permit_auth_destination,reject '
             '-o relay_domains=relay.example'),
    'dnssender': '-o smtpd_sender_restrictions=reject_unknown_sender_domain',
    'dnsrcpt': '-o smtpd_recipient_restrictions=reject_unknown_recipient_domain',
}

# The DNS the chrooted smtpd sees (a real dnsmasq on a loopback address).
DNS_RECORDS = [
    ('MX', 'good.test', 10, 'mx.good.test'),
    ('A', 'mx.good.test', '192.0.2.10'),
    ('A', 'aonly.test', '192.0.2.11'),
    ('MX', 'nullmx.test', 0, '.'),
    ('TXT', 'nodata.test', 'only text here'),
]


class RestrictInstance(Instance):
    def __init__(self, dns):
        super().__init__(hostname=HOST)
        self.setup(queue_run_delay='1s', minimal_backoff_time='1s',
                   maximal_backoff_time='4s', smtpd_error_sleep_time='0',
                   alias_maps='',
                   smtpd_restriction_classes='fqdnclass',
                   fqdnclass='reject_non_fqdn_sender, reject_non_fqdn_recipient')
        self.tables = os.path.join(self.root, 'tables')
        os.makedirs(self.tables, exist_ok=True)
        subst = dict(host=HOST, user=USER, other=OTHER)
        for name, text in (('reverse', 'localhost REJECT reverse name listed\n'),
                           ('changing', 'old@sender.example REJECT old table\n'),
                           ('pusers', '%(user)s ok\n'),
                           ('client', CLIENT_TABLE), ('sender', SENDER_TABLE),
                           ('rcpt', RCPT_TABLE), ('helo', HELO_TABLE),
                           ('users', USERS_TABLE)):
            with open(os.path.join(self.tables, name), 'w') as f:
                f.write(text % subst)
        # Tables as an administrator makes them: drommap builds hash: and
        # lmdb: maps from text; cidr: and regexp: are read as text.
        for name, text in (('clients.cidr', '127.0.0.3/32 REJECT cidr says no\n'
                            '[::1]/128 OK\n'),
                           ('senders.re', '/^spam[0-9]+@/ REJECT regexp says no\n'),
                           ('senders', 'blocked@hash.example REJECT hash says no\n'),
                           ('rcpts', 'blocked@%s REJECT lmdb says no\n' % HOST)):
            with open(os.path.join(self.tables, name), 'w') as f:
                f.write(text)
        drommap = os.path.join(self.command_dir, 'drommap')
        for spec in ('hash:' + os.path.join(self.tables, 'senders'),
                     'lmdb:' + os.path.join(self.tables, 'rcpts')):
            subprocess.run([drommap, '-c', self.config_dir, spec], check=True)
        # proxymap (one for all services) must be allowed the table that
        # the "changing" service reads through it.
        self.set_main(proxy_read_maps='$local_recipient_maps '
                      'proxy:texthash:' + os.path.join(self.tables, 'pusers'))
        self.ports = {}
        lines = []
        for name, opts in SERVICES.items():
            port = free_port()
            self.ports[name] = port
            lines.append('127.0.0.1:%d inet n - - - - smtpd %s'
                         % (port, opts.format(d=self.tables)))
        self.write_master_cf(lines)
        self.add_user(USER)
        self.add_user(OTHER)
        use_dns(self, dns)
        self.start()
        for name, port in self.ports.items():
            try:
                wait_for(lambda: _greets(port), what='port %d' % port)
            except AssertionError:
                raise AssertionError('service %s does not answer; log:\n%s'
                                     % (name, self.log()[-3000:]))

    def maildir(self, user):
        d = os.path.join(self.home_base, user, 'Maildir', 'new')
        return sorted(glob.glob(os.path.join(d, '*')))

    def queue_ids(self, queues=('incoming', 'active', 'deferred', 'hold')):
        ids = set()
        for q in queues:
            for _, _, files in os.walk(os.path.join(self.queue_dir, q)):
                ids.update(f for f in files if not f.startswith('tmp.'))
        return ids


def _greets(port):
    try:
        c = Smtp(port, timeout=5)
        ok = c.greeting[0] == 220
        c.close()
        return ok
    except (OSError, EOFError):
        return False


@pytest.fixture(scope='module')
def inst():
    if os.geteuid() != 0:
        pytest.skip('restriction tests need root (users, chroot)')
    servfail = ServfailServer(free_loopback_address())
    servfail.start()
    dns = DnsServer(DNS_RECORDS, forward=(('broken.example',
                                           servfail.address),))
    dns.start()
    try:
        i = RestrictInstance(dns)
    except BaseException:
        dns.stop()
        servfail.stop()
        raise
    yield i
    log = i.log()
    try:
        i.cleanup()
    finally:
        i.remove_users()
        dns.stop()
        servfail.stop()
    bad = [l for l in log.splitlines()
           if 'Sanitizer' in l or 'runtime error:' in l or 'panic:' in l
           or 'fatal:' in l]
    assert bad == [], 'bad log lines:\n' + '\n'.join(bad)


def session(inst, service, source='127.0.0.1', helo='client.example'):
    c = Smtp(inst.ports[service], source=source)
    assert c.greeting[0] == 220, c.greeting
    if helo:
        code, lines = c.cmd('EHLO ' + helo)
        assert code == 250, lines
    return c


def reply(c, text):
    return c.cmd(text)[1][-1]


def rcpt_reply(inst, service, sender, rcpt, source='127.0.0.1'):
    c = session(inst, service, source)
    r = reply(c, 'MAIL FROM:<%s>' % sender)
    assert r.startswith('250'), r
    r = reply(c, 'RCPT TO:<%s>' % rcpt)
    reply(c, 'QUIT')
    c.close()
    return r


def send(inst, service, sender, rcpts, body='Subject: t\r\n\r\nbody\r\n',
         source='127.0.0.1'):
    """A whole message; returns the DATA reply."""
    c = session(inst, service, source)
    assert reply(c, 'MAIL FROM:<%s>' % sender).startswith('250')
    for r in rcpts:
        got = reply(c, 'RCPT TO:<%s>' % r)
        assert got.startswith('250'), (r, got)
    assert reply(c, 'DATA').startswith('354')
    c.send(body + '.\r\n')
    code, lines = c.reply()
    reply(c, 'QUIT')
    c.close()
    return lines[-1]


def log_has(inst, pattern, timeout=10):
    return wait_for(lambda: re.search(pattern, inst.log()), timeout=timeout,
                    what='log line %r' % pattern)


# --- relay control --------------------------------------------------------

RELAY_TRICKS = [
    'user@foreign.example',
    'user%%foreign.example@%s' % HOST,
    'foreign.example!user@%s' % HOST,
    '@%s:user@foreign.example' % HOST,
    '"user@foreign.example"@%s' % HOST,
    'user@foreign.example@%s' % HOST,
    'user@[192.0.2.1]',
    'user@[IPv6:2001:db8::1]',
    'user@foreign.example.',
    'user@FOREIGN.EXAMPLE',
    'user@Foreign.Example.',
]


@pytest.mark.parametrize('rcpt', RELAY_TRICKS)
@pytest.mark.parametrize('service,source', [('default', STRANGER),
                                            ('net1', STRANGER)])
def test_relay_tricks_refused(inst, service, source, rcpt):
    before = inst.queue_ids()
    r = rcpt_reply(inst, service, 'someone@outside.example', rcpt, source)
    # A source route is ignored (RFC 5321 4.1.2): the reply names the rest.
    shown = rcpt.split(':', 1)[1] if rcpt.startswith('@') else rcpt
    assert r == '554 5.7.1 <%s>: Relay access denied' % shown, r
    assert inst.queue_ids() == before


def test_forged_local_sender_cannot_relay(inst):
    r = rcpt_reply(inst, 'default', '%s@%s' % (USER, HOST),
                   'user@foreign.example', STRANGER)
    assert r == '554 5.7.1 <user@foreign.example>: Relay access denied'


def test_reject_is_logged_in_postfix_shape(inst):
    rcpt_reply(inst, 'default', 'spammer@outside.example',
               'victim@relay-target.example', STRANGER)
    log_has(inst, re.escape(
        'NOQUEUE: reject: RCPT from unknown[127.0.0.2]: 554 5.7.1 '
        '<victim@relay-target.example>: Relay access denied; '
        'from=<spammer@outside.example> to=<victim@relay-target.example> '
        'proto=ESMTP helo=<client.example>'))


def test_local_mail_from_stranger_accepted(inst):
    assert rcpt_reply(inst, 'default', 'x@outside.example',
                      '%s@%s' % (USER, HOST), STRANGER) == '250 2.1.5 Ok'
    assert rcpt_reply(inst, 'default', 'x@outside.example',
                      '%s@%s.' % (USER, HOST.upper()), STRANGER) == '250 2.1.5 Ok'
    # An address literal of this host (inet_interfaces = 127.0.0.1).
    assert rcpt_reply(inst, 'default', 'x@outside.example',
                      '%s@[127.0.0.1]' % USER, STRANGER) == '250 2.1.5 Ok'


def test_trusted_client_relays(inst):
    # Default mynetworks_style = host: this host's own addresses.
    assert rcpt_reply(inst, 'default', 'x@%s' % HOST, 'user@foreign.example',
                      '127.0.0.1') == '250 2.1.5 Ok'
    # mynetworks = 127.0.0.0/8 includes the "stranger".
    assert rcpt_reply(inst, 'nets127', 'x@%s' % HOST, 'user@foreign.example',
                      STRANGER) == '250 2.1.5 Ok'
    # mynetworks = 127.0.0.1/32 does not.
    assert rcpt_reply(inst, 'net1', 'x@%s' % HOST, 'user@foreign.example',
                      STRANGER).startswith('554 5.7.1')


def test_relay_domains_and_permit_auth_destination(inst):
    assert rcpt_reply(inst, 'perm', 'x@outside.example', 'a@relay.example',
                      STRANGER) == '250 2.1.5 Ok'
    # relay_domains matches subdomains (parent_domain_matches_subdomains).
    assert rcpt_reply(inst, 'perm', 'x@outside.example',
                      'a@sub.relay.example', STRANGER) == '250 2.1.5 Ok'
    assert rcpt_reply(inst, 'perm', 'x@outside.example',
                      'a@elsewhere.example', STRANGER).startswith('554 5.7.1')


def test_strict_envelopes_refuse_lenient_syntax(inst):
    assert rcpt_reply(inst, 'strict', 'x@outside.example',
                      'user@foreign.example@%s' % HOST, STRANGER) \
        == '501 5.1.3 Bad recipient address syntax'
    assert rcpt_reply(inst, 'strict', 'x@outside.example',
                      'user@foreign.example.', STRANGER) \
        == '501 5.1.3 Bad recipient address syntax'


# --- access tables ----------------------------------------------------------

def access_rcpt(inst, sender, rcpt=None, source='127.0.0.1'):
    return rcpt_reply(inst, 'access', sender, rcpt or '%s@%s' % (USER, HOST),
                      source)


def test_access_results(inst):
    ok = '250 2.1.5 Ok'
    assert access_rcpt(inst, 'ok@sender.example') == ok
    assert access_rcpt(inst, 'reject@sender.example') == \
        '554 5.7.1 <reject@sender.example>: Sender address rejected: Access denied'
    assert access_rcpt(inst, 'text@sender.example') == \
        '554 5.7.1 <text@sender.example>: Sender address rejected: no mail from you'
    assert access_rcpt(inst, 'defer@sender.example') == \
        '450 4.7.1 <defer@sender.example>: Sender address rejected: try later'
    assert access_rcpt(inst, 'code@sender.example') == \
        '551 5.7.9 <code@sender.example>: Sender address rejected: custom refusal'
    assert access_rcpt(inst, 'code4@sender.example') == \
        '452 4.7.1 <code4@sender.example>: Sender address rejected: busy'
    # DUNNO stops the lookups in that table: the domain entry is not used.
    assert access_rcpt(inst, 'dunno@sender.example') == ok
    # Lookup order: user@domain, domain, parent domains, user@.
    assert access_rcpt(inst, 'other@sender.example') == \
        '554 5.7.1 <other@sender.example>: Sender address rejected: domain rejected'
    assert access_rcpt(inst, 'a@deep.parent.example') == \
        '554 5.7.1 <a@deep.parent.example>: Sender address rejected: subdomain rejected'
    assert access_rcpt(inst, 'a@parent.example.org') == ok
    assert access_rcpt(inst, 'nolocal@anywhere.example') == \
        '554 5.7.1 <nolocal@anywhere.example>: Sender address rejected: local part rejected'
    assert access_rcpt(inst, '') == \
        '554 5.7.1 <>: Sender address rejected: null sender rejected'
    assert access_rcpt(inst, 'x@outside.example', 'blocked@%s' % HOST) == \
        '554 5.7.1 <blocked@%s>: Recipient address rejected: recipient blocked' % HOST
    # A restriction class and an inline list of steps as results.
    assert access_rcpt(inst, 'list@sender.example', 'bob@localhost') == \
        '504 5.5.2 <bob@localhost>: Recipient address rejected: need ' \
        'fully-qualified address'
    assert access_rcpt(inst, 'class@sender.example', 'bob@localhost') \
        .startswith('504 5.5.2 <bob@localhost>')


def test_access_client_and_helo(inst):
    assert access_rcpt(inst, 'x@outside.example', source=STRANGER2) == \
        '554 5.7.1 <unknown[127.0.0.3]>: Client host rejected: go away'
    c = session(inst, 'access', helo='bad.helo.example')
    assert reply(c, 'MAIL FROM:<x@outside.example>').startswith('250')
    assert reply(c, 'RCPT TO:<%s@%s>' % (USER, HOST)) == \
        '554 5.7.1 <bad.helo.example>: Helo command rejected: helo rejected'
    c.close()


def test_warn_is_logged_and_accepted(inst):
    assert access_rcpt(inst, 'warn@sender.example') == '250 2.1.5 Ok'
    log_has(inst, r'NOQUEUE: warn: RCPT from localhost\[127\.0\.0\.1\]: '
            r'<warn@sender\.example>: Sender address looks odd;')


def test_hold_puts_the_message_on_hold(inst):
    r = send(inst, 'access', 'hold@sender.example', ['%s@%s' % (USER, HOST)])
    m = re.match(r'250 2\.0\.0 Ok: queued as (\S+)$', r)
    assert m, r
    qid = m.group(1)
    wait_for(lambda: glob.glob(os.path.join(inst.queue_dir, 'hold', '*', qid)),
             what='the file in hold/')
    log_has(inst, re.escape(qid) + r': hold: <hold@sender\.example>: '
            r'Sender address triggers HOLD action')
    time.sleep(1.5)
    assert not re.search(re.escape(qid) + ': to=', inst.log())


def test_discard_accepts_and_drops(inst):
    before = len(inst.maildir(USER))
    r = send(inst, 'access', 'discard@sender.example', ['%s@%s' % (USER, HOST)])
    m = re.match(r'250 2\.0\.0 Ok: queued as (\S+)$', r)
    assert m, r
    qid = m.group(1)
    log_has(inst, re.escape(qid) + r': discard: ')
    assert qid not in inst.queue_ids()
    time.sleep(1.5)
    assert len(inst.maildir(USER)) == before


def test_redirect_delivers_elsewhere(inst):
    before = len(inst.maildir(OTHER))
    before_user = len(inst.maildir(USER))
    r = send(inst, 'access', 'redirect@sender.example',
             ['%s@%s' % (USER, HOST), 'postmaster@%s' % HOST])
    assert r.startswith('250 2.0.0 Ok: queued as'), r
    wait_for(lambda: len(inst.maildir(OTHER)) == before + 1,
             what='the redirected copy')
    assert len(inst.maildir(USER)) == before_user
    with open(inst.maildir(OTHER)[-1], 'rb') as f:
        data = f.read()
    assert b'Delivered-To: %s@%s' % (OTHER.encode(), HOST.encode()) in data


def test_prepend_adds_the_header(inst):
    before = set(inst.maildir(USER))
    r = send(inst, 'access', 'prepend@sender.example', ['%s@%s' % (USER, HOST)],
             body='Subject: p\r\n\r\nbody\r\n')
    assert r.startswith('250 2.0.0 Ok: queued as'), r
    wait_for(lambda: set(inst.maildir(USER)) - before, what='delivery')
    path = (set(inst.maildir(USER)) - before).pop()
    with open(path, 'rb') as f:
        head = f.read().split(b'\n\n', 1)[0]
    lines = head.split(b'\n')
    assert b'X-Tag: tagged by sender table' in lines
    assert lines.index(b'X-Tag: tagged by sender table') < \
        [i for i, l in enumerate(lines) if l.startswith(b'Received:')][0]


# --- static checks ----------------------------------------------------------

def test_helo_checks(inst):
    for helo, want in (('localhost', '504 5.5.2 <localhost>: Helo command '
                        'rejected: need fully-qualified hostname'),
                       ('bad_name!', '501 5.5.2 <bad_name!>: Helo command '
                        'rejected: Invalid name'),
                       ('good.example', '250 2.1.5 Ok'),
                       ('[192.0.2.1]', '250 2.1.5 Ok')):
        c = session(inst, 'helo', helo=helo)
        assert reply(c, 'MAIL FROM:<x@outside.example>').startswith('250')
        assert reply(c, 'RCPT TO:<%s@%s>' % (USER, HOST)) == want, helo
        c.close()


def test_fqdn_checks(inst):
    assert rcpt_reply(inst, 'fqdn', 'x@outside', '%s@%s' % (USER, HOST)) == \
        '504 5.5.2 <x@outside>: Sender address rejected: need fully-qualified address'
    assert rcpt_reply(inst, 'fqdn', 'x@outside.example', 'postmaster') == \
        '250 2.1.5 Ok'
    assert rcpt_reply(inst, 'fqdn', 'x@outside.example', 'bob@localhost') \
        .startswith('504 5.5.2 <bob@localhost>: Recipient address rejected')
    assert rcpt_reply(inst, 'classes', 'x@outside', '%s@%s' % (USER, HOST)) \
        .startswith('504 5.5.2 <x@outside>: Sender address rejected')


def test_delay_reject_off(inst):
    # The client reject comes at once and is repeated for HELO, MAIL, RCPT.
    c = Smtp(inst.ports['nodelay'], source=STRANGER2)
    assert c.greeting[0] == 220
    r = '554 5.7.1 <unknown[127.0.0.3]>: Client host rejected: go away'
    assert reply(c, 'EHLO client.example') == r
    assert reply(c, 'MAIL FROM:<x@outside.example>').startswith('503 5.5.1')
    assert reply(c, 'QUIT').startswith('221')
    c.close()
    log_has(inst, re.escape('NOQUEUE: reject: CONNECT from unknown[127.0.0.3]: '
                            + r))
    # HELO restrictions at HELO time.
    c = Smtp(inst.ports['nodelay'])
    assert reply(c, 'EHLO bad_name!') == \
        '501 5.5.2 <bad_name!>: Helo command rejected: Invalid name'
    assert reply(c, 'EHLO good.example').startswith('250')
    c.close()


def test_unauth_pipelining(inst):
    c = session(inst, 'pipe', helo=None)
    c.cmd('HELO client.example')
    # Commands ahead of the replies without having seen PIPELINING.
    c.send('MAIL FROM:<x@outside.example>\r\nRCPT TO:<%s@%s>\r\nDATA\r\n'
           'Subject: x\r\n\r\nbody\r\n.\r\n' % (USER, HOST))
    assert c.reply()[1][-1].startswith('250')
    assert c.reply()[1][-1].startswith('250')
    assert c.reply()[1][-1] == ('554 5.5.0 <localhost[127.0.0.1]>: Client host '
                                'rejected: Improper use of SMTP command pipelining')
    c.close()


def test_unknown_client_hostname(inst):
    assert rcpt_reply(inst, 'unknown', 'x@outside.example',
                      '%s@%s' % (USER, HOST), STRANGER) == \
        '450 4.7.1 <unknown[127.0.0.2]>: Client host rejected: cannot find ' \
        'your hostname, [127.0.0.2]'
    # 127.0.0.1 is "localhost" both ways in the chroot's hosts file.
    assert rcpt_reply(inst, 'unknown', 'x@outside.example',
                      '%s@%s' % (USER, HOST)) == '250 2.1.5 Ok'
    # warn_if_reject: only logged.
    assert rcpt_reply(inst, 'warn', 'x@outside.example',
                      '%s@%s' % (USER, HOST), STRANGER) == '250 2.1.5 Ok'
    log_has(inst, r'NOQUEUE: reject_warning: RCPT from unknown\[127\.0\.0\.2\]: '
            r'450 4\.7\.1 ')


def test_local_recipient_maps_default(inst):
    # proxy:unix:passwd.byname through proxymap: the system's users.
    assert rcpt_reply(inst, 'default', 'x@outside.example',
                      'nosuchuser@%s' % HOST, STRANGER) == \
        '550 5.1.1 <nosuchuser@%s>: Recipient address rejected: User unknown ' \
        'in local recipient table' % HOST
    assert rcpt_reply(inst, 'default', 'x@outside.example',
                      '%s@%s' % (USER.upper(), HOST), STRANGER) == '250 2.1.5 Ok'
    # Several lookups in one session share smtpd's proxymap connection;
    # one that proxymap closed meanwhile (it was killed) is reopened.
    c = session(inst, 'default', STRANGER)
    assert reply(c, 'MAIL FROM:<x@outside.example>').startswith('250')
    for n in range(3):
        assert reply(c, 'RCPT TO:<nosuch%d@%s>' % (n, HOST)).startswith(
            '550 5.1.1')
        assert reply(c, 'RCPT TO:<%s@%s>' % (USER, HOST)) == '250 2.1.5 Ok'
        if n == 1:
            for pid in inst.children():
                try:
                    with open('/proc/%d/cmdline' % pid, 'rb') as f:
                        name = os.path.basename(f.read().split(b'\0')[0])
                except OSError:
                    continue
                if name == b'proxymap':
                    os.kill(pid, 9)
    reply(c, 'QUIT')
    c.close()
    # Empty local_recipient_maps: every local part is accepted.
    assert rcpt_reply(inst, 'nolrm', 'x@outside.example',
                      'nosuchuser@%s' % HOST, STRANGER) == '250 2.1.5 Ok'


def test_unlisted_recipient(inst):
    assert rcpt_reply(inst, 'unlisted', 'x@outside.example',
                      'nosuchuser@%s' % HOST, STRANGER) == \
        '550 5.1.1 <nosuchuser@%s>: Recipient address rejected: User unknown ' \
        'in local recipient table' % HOST
    assert rcpt_reply(inst, 'unlisted', 'x@outside.example',
                      '%s@%s' % (USER, HOST), STRANGER) == '250 2.1.5 Ok'
    # Relay protection comes first for foreign domains.
    assert rcpt_reply(inst, 'unlisted', 'x@outside.example',
                      'nosuchuser@foreign.example', STRANGER).startswith('554 5.7.1')


# --- DNS ---------------------------------------------------------------------

def test_unknown_sender_domain(inst):
    ok = '250 2.1.5 Ok'
    rcpt = '%s@%s' % (USER, HOST)
    assert rcpt_reply(inst, 'dnssender', 'a@good.test', rcpt) == ok
    assert rcpt_reply(inst, 'dnssender', 'a@aonly.test', rcpt) == ok
    # This host's own domains are not looked up; neither is the null sender.
    assert rcpt_reply(inst, 'dnssender', 'a@%s' % HOST, rcpt) == ok
    assert rcpt_reply(inst, 'dnssender', '', rcpt) == ok
    assert rcpt_reply(inst, 'dnssender', 'a@nosuch.test', rcpt) == \
        '450 4.1.8 <a@nosuch.test>: Sender address rejected: Domain not found'
    assert rcpt_reply(inst, 'dnssender', 'a@nodata.test', rcpt) == \
        '450 4.1.8 <a@nodata.test>: Sender address rejected: Domain not found'
    assert rcpt_reply(inst, 'dnssender', 'a@nullmx.test', rcpt) == \
        '550 5.7.27 <a@nullmx.test>: Sender address rejected: Domain ' \
        'nullmx.test does not accept mail (nullMX)'
    r = rcpt_reply(inst, 'dnssender', 'a@broken.example', rcpt)
    assert r.startswith('450 4.4.3 <a@broken.example>: Sender address '
                        'rejected: Domain lookup failed'), r


def test_unknown_recipient_domain(inst):
    ok = '250 2.1.5 Ok'
    # 127.0.0.1 may relay (mynetworks_style = host); then the DNS check.
    assert rcpt_reply(inst, 'dnsrcpt', 'x@%s' % HOST, 'b@good.test') == ok
    assert rcpt_reply(inst, 'dnsrcpt', 'x@%s' % HOST, 'b@nosuch.test') == \
        '450 4.1.2 <b@nosuch.test>: Recipient address rejected: Domain not found'
    assert rcpt_reply(inst, 'dnsrcpt', 'x@%s' % HOST, 'b@nullmx.test') == \
        '556 5.1.10 <b@nullmx.test>: Recipient address rejected: Domain ' \
        'nullmx.test does not accept mail (nullMX)'


def test_changed_tables_are_noticed(inst):
    """smtpd notices a changed table after its client and a fresh smtpd
    uses the new contents; proxymap reopens a changed table itself."""
    rcpt = '%s@%s' % (USER, HOST)
    assert rcpt_reply(inst, 'changing', 'old@sender.example', rcpt) == \
        '554 5.7.1 <old@sender.example>: Sender address rejected: old table'
    assert rcpt_reply(inst, 'changing', 'x@outside.example',
                      '%s@%s' % (OTHER, HOST), STRANGER).startswith('550 5.1.1')
    time.sleep(1.1)                     # a new modification time
    tmp = os.path.join(inst.tables, 'changing.new')
    with open(tmp, 'w') as f:
        f.write('new@sender.example REJECT new table\n')
    os.rename(tmp, os.path.join(inst.tables, 'changing'))
    with open(os.path.join(inst.tables, 'pusers'), 'a') as f:
        f.write('%s ok\n' % OTHER)     # edited in place
    log_has(inst, r'a lookup table has changed -- restarting')
    wait_for(lambda: rcpt_reply(inst, 'changing', 'new@sender.example', rcpt)
             .startswith('554'), timeout=10, what='the new table in use')
    assert rcpt_reply(inst, 'changing', 'new@sender.example', rcpt) == \
        '554 5.7.1 <new@sender.example>: Sender address rejected: new table'
    assert rcpt_reply(inst, 'changing', 'old@sender.example', rcpt) == \
        '250 2.1.5 Ok'
    assert rcpt_reply(inst, 'changing', 'x@outside.example',
                      '%s@%s' % (OTHER, HOST), STRANGER) == '250 2.1.5 Ok'


def test_table_types_in_chrooted_smtpd(inst):
    """hash: and lmdb: maps built by drommap, cidr: and regexp: tables,
    all opened before the chroot and read after it."""
    rcpt = '%s@%s' % (USER, HOST)
    assert rcpt_reply(inst, 'maps', 'x@outside.example', rcpt) == '250 2.1.5 Ok'
    assert rcpt_reply(inst, 'maps', 'x@outside.example', rcpt, STRANGER2) == \
        '554 5.7.1 <unknown[127.0.0.3]>: Client host rejected: cidr says no'
    assert rcpt_reply(inst, 'maps', 'blocked@hash.example', rcpt) == \
        '554 5.7.1 <blocked@hash.example>: Sender address rejected: hash says no'
    assert rcpt_reply(inst, 'maps', 'spam42@anywhere.example', rcpt) == \
        '554 5.7.1 <spam42@anywhere.example>: Sender address rejected: ' \
        'regexp says no'
    assert rcpt_reply(inst, 'maps', 'x@outside.example',
                      'blocked@%s' % HOST) == \
        '554 5.7.1 <blocked@%s>: Recipient address rejected: lmdb says no' % HOST


def test_reverse_name_defer_destination_unlisted_sender(inst):
    rcpt = '%s@%s' % (USER, HOST)
    # The (unverified) reverse name of 127.0.0.1 is localhost.
    assert rcpt_reply(inst, 'reverse', 'x@outside.example', rcpt) == \
        '554 5.7.1 <localhost>: Client host rejected: reverse name listed'
    # 127.0.0.2 has no reverse name: only its address is looked up.
    assert rcpt_reply(inst, 'reverse', 'x@outside.example', rcpt,
                      STRANGER) == '250 2.1.5 Ok'
    # defer_unauth_destination: a temporary refusal for strangers.
    assert rcpt_reply(inst, 'deferdest', 'x@outside.example',
                      'user@foreign.example', STRANGER) == \
        '454 4.7.1 <user@foreign.example>: Relay access denied'
    assert rcpt_reply(inst, 'deferdest', 'x@outside.example',
                      'user@foreign.example') == '250 2.1.5 Ok'
    # reject_unlisted_sender: a local sender that the table does not list.
    assert rcpt_reply(inst, 'unlsender', 'forged@%s' % HOST, rcpt,
                      STRANGER) == \
        '550 5.1.0 <forged@%s>: Sender address rejected: User unknown in ' \
        'local recipient table' % HOST
    assert rcpt_reply(inst, 'unlsender', '%s@%s' % (OTHER, HOST), rcpt,
                      STRANGER) == '250 2.1.5 Ok'
    assert rcpt_reply(inst, 'unlsender', 'someone@outside.example', rcpt,
                      STRANGER) == '250 2.1.5 Ok'
