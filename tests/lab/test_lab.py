"""The lab: real hosts, each in its own network namespace, on one bridge,
with a real DNS server (dnsmasq) serving the test zones
(tests/lib/lab.py). crepes (mail.crepes.test, alice) sends to
hamburger.test, whose MX hosts are mx.hamburger.test (bob) and the backup
MX backup.hamburger.test. The scenarios: delivery by MX with the
Received chain, a host that is down (deferred, then sent after dromos
flush, once), the backup MX relaying to the primary when it returns, an
unknown user (550 at RCPT, bounced, RFC 3464 report to alice), DSN
NOTIFY=NEVER and NOTIFY=SUCCESS, an expired message, a null MX, a DNS
server that is down, a domain with only an A record, and Postfix's
smtp-sink as the peer.

Needs root like the other integration areas (skipped otherwise); as
root, a lab that cannot be built fails every test with the reason."""
import email
import email.policy
import os
import re
import shutil
import sys
import tempfile
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from lab import Lab, headers  # noqa: E402
from dromos_instance import wait_for  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

FAST = dict(queue_run_delay='1s', minimal_backoff_time='2s',
            maximal_backoff_time='3s', smtp_connect_timeout='3s',
            smtp_helo_timeout='5s')
ALICE = 'alice@crepes.test'
BOB = 'bob@hamburger.test'
CREPES_IP = '192.0.2.10'
HAMBURGER_IP = '192.0.2.20'
BACKUP_IP = '192.0.2.30'


@pytest.fixture(scope='module')
def lab():
    with Lab(main=FAST) as the_lab:
        yield the_lab


@pytest.fixture(autouse=True)
def fresh(lab):
    """Each test starts with DNS and every host running, and leaves the
    lab that way (even when it fails), with the queues flushed."""
    yield
    for p in list(lab.procs):
        lab.stop_proc(p)
    if not (lab.dns and lab.dns.proc):
        lab.start_dns()
    for h in lab.hosts:
        if not lab.inst[h].started:
            lab.start_host(h)
    for h in lab.hosts:
        lab.flush(h)


def send(lab, rcpts, subject, sender=ALICE, rcpt_options=(),
         mail_options=(), body='hello from the lab\r\n'):
    msg = 'From: <%s>\r\nSubject: %s\r\n\r\n%s' % (sender, subject, body)
    return lab.send('crepes', sender, rcpts, msg, mail_options=mail_options,
                    rcpt_options=rcpt_options)['qid']


def rcpt_lines(lab, host, qid, rcpt):
    return re.findall(re.escape(qid) + r': to=<' + re.escape(rcpt) + r'>.*',
                      lab.log(host))


def with_subject(lab, host, user, subject):
    return [m for m in lab.read_mail(host, user)
            if ('Subject: %s\n' % subject).encode() in m.replace(b'\r\n', b'\n')]


def wait_mail(lab, host, user, subject, timeout=30):
    return wait_for(lambda: with_subject(lab, host, user, subject),
                    timeout=timeout,
                    what='%s@%s to get "%s"\n--- %s log:\n%s' % (
                        user, host, subject, host, lab.log(host)[-4000:]))


def reports(lab, pred=lambda m: True):
    """alice's delivery status notifications (multipart/report) as
    email.message.EmailMessage objects, those for which pred is true."""
    out = []
    for data in lab.read_mail('crepes', 'alice'):
        m = email.message_from_bytes(data, policy=email.policy.default)
        if m.get_content_type() == 'multipart/report' and pred(m):
            out.append(m)
    return out


def dsn_fields(report):
    """(per-message fields, [per-recipient fields]) of a report's
    message/delivery-status part, as dicts of lower-case names."""
    for part in report.walk():
        if part.get_content_type() == 'message/delivery-status':
            blocks = part.get_payload()
            dicts = [{k.lower(): str(v) for k, v in b.items()} for b in blocks]
            return dicts[0], dicts[1:]
    raise AssertionError('no message/delivery-status part:\n%s'
                         % report.as_string())


def about(rcpt):
    """A report predicate: it names rcpt as a recipient."""
    def pred(m):
        try:
            _, rcpts = dsn_fields(m)
        except AssertionError:
            return False
        return any(rcpt in r.get('final-recipient', '') or
                   rcpt in r.get('original-recipient', '') for r in rcpts)
    return pred


def wait_report(lab, rcpt, timeout=30):
    return wait_for(lambda: reports(lab, about(rcpt)), timeout=timeout,
                    what='a delivery status notification to alice about %s'
                    '\n--- crepes log:\n%s' % (rcpt, lab.log('crepes')[-5000:]))


# --- delivery by MX --------------------------------------------------------

def test_mx_delivery_received_chain(lab):
    qid = send(lab, BOB, 'lab mx delivery')
    lab.wait_log('crepes', re.escape(qid) + r': removed')
    line = rcpt_lines(lab, 'crepes', qid, BOB)[0]
    assert re.search(r'relay=mx\.hamburger\.test\[192\.0\.2\.20\]:25, '
                     r'delay=[\d.]+, dsn=2\.0\.0, status=sent \(250 ', line), line
    msgs = wait_mail(lab, 'hamburger', 'bob', 'lab mx delivery')
    assert len(msgs) == 1
    received = headers(msgs[0], 'Received')
    # Newest first: hamburger took it from crepes, crepes from alice.
    hops = [r for r in received if 'with ESMTP' in r]
    assert re.match(r'from mail\.crepes\.test \(mail\.crepes\.test '
                    r'\[192\.0\.2\.10\]\)\s+by mx\.hamburger\.test ', hops[0]), hops
    assert re.search(r'by mail\.crepes\.test .*id %s' % qid, hops[1]), hops
    assert 'hello from the lab' in msgs[0].decode()


def test_domain_without_mx_uses_its_address(lab):
    qid = send(lab, 'bob@amx.test', 'lab a record only')
    lab.wait_log('crepes', re.escape(qid) + r': removed')
    line = rcpt_lines(lab, 'crepes', qid, 'bob@amx.test')[0]
    assert 'relay=amx.test[192.0.2.20]:25' in line and 'status=sent' in line, line
    assert len(wait_mail(lab, 'hamburger', 'bob', 'lab a record only')) == 1


# --- a host that is down ---------------------------------------------------

def test_down_host_deferred_then_flush_once(lab):
    lab.stop_host('hamburger')
    lab.stop_host('backup')
    qid = send(lab, BOB, 'lab down host')
    lab.wait_log('crepes', re.escape(qid) + r': to=<bob@hamburger\.test>, '
                 r'relay=none, delay=[\d.]+, dsn=4\.4\.1, status=deferred '
                 r'\(connect to (mx|backup)\.hamburger\.test\[192\.0\.2\.[23]0\]'
                 r':25: Connection refused\)')
    assert re.search(r'connect to mx\.hamburger\.test\[192\.0\.2\.20\]:25: '
                     r'Connection refused', lab.log('crepes'))
    assert with_subject(lab, 'hamburger', 'bob', 'lab down host') == []
    lab.start_host('hamburger')
    lab.flush('crepes')
    lab.wait_log('crepes', re.escape(qid) + r': removed')
    sent = [l for l in rcpt_lines(lab, 'crepes', qid, BOB)
            if 'status=sent' in l]
    assert len(sent) == 1, sent
    assert 'relay=mx.hamburger.test[192.0.2.20]:25' in sent[0], sent
    assert len(wait_mail(lab, 'hamburger', 'bob', 'lab down host')) == 1
    time.sleep(2)
    assert len(with_subject(lab, 'hamburger', 'bob', 'lab down host')) == 1


def test_backup_mx_relays_to_primary_when_it_returns(lab):
    lab.stop_host('hamburger')
    qid = send(lab, BOB, 'lab backup mx')
    lab.wait_log('crepes', re.escape(qid) + r': to=<bob@hamburger\.test>, '
                 r'relay=backup\.hamburger\.test\[192\.0\.2\.30\]:25, .*'
                 r'status=sent \(250 2\.0\.0 Ok: queued as ([0-9A-F]+)\)')
    bqid = re.search(re.escape(qid) + r': to=<bob@hamburger\.test>, relay=backup'
                     r'.*queued as ([0-9A-F]+)\)', lab.log('crepes')).group(1)
    # The backup is a backup: it tries only the primary and keeps the mail.
    lab.wait_log('backup', re.escape(bqid) + r': to=<bob@hamburger\.test>, '
                 r'relay=none, .*status=deferred \(connect to '
                 r'mx\.hamburger\.test\[192\.0\.2\.20\]:25: Connection refused\)')
    assert 'loops back' not in lab.log('backup')
    lab.start_host('hamburger')
    lab.flush('backup')
    lab.wait_log('backup', re.escape(bqid) + r': to=<bob@hamburger\.test>, '
                 r'relay=mx\.hamburger\.test\[192\.0\.2\.20\]:25, .*status=sent')
    lab.wait_log('backup', re.escape(bqid) + r': removed')
    msgs = wait_mail(lab, 'hamburger', 'bob', 'lab backup mx')
    time.sleep(2)
    msgs = with_subject(lab, 'hamburger', 'bob', 'lab backup mx')
    assert len(msgs) == 1
    hops = [r for r in headers(msgs[0], 'Received') if 'with ESMTP' in r]
    assert re.match(r'from backup\.hamburger\.test .*by mx\.hamburger\.test ',
                    hops[0]), hops
    assert re.match(r'from mail\.crepes\.test .*by backup\.hamburger\.test ',
                    hops[1]), hops


# --- refusals, bounces and DSN --------------------------------------------

UNKNOWN_REPLY = (r'host mx\.hamburger\.test\[192\.0\.2\.20\]:25 said: 550 5\.1\.1 '
                 r'<%s>: [^)]*\(in reply to RCPT TO command\)')


def test_unknown_user_550_bounced(lab):
    rcpt = 'bob-missing@hamburger.test'
    qid = send(lab, rcpt, 'lab unknown user')
    lab.wait_log('hamburger', r'reject: RCPT from mail\.crepes\.test'
                 r'\[192\.0\.2\.10\]: 550 5\.1\.1 <bob-missing@hamburger\.test>')
    lab.wait_log('crepes', re.escape(qid) + r': to=<bob-missing@hamburger\.test>, '
                 r'relay=mx\.hamburger\.test\[192\.0\.2\.20\]:25, delay=[\d.]+, '
                 r'dsn=5\.1\.1, status=bounced \(' + UNKNOWN_REPLY
                 % re.escape(rcpt) + r'\)')
    assert with_subject(lab, 'hamburger', 'bob', 'lab unknown user') == []


def test_unknown_user_rfc3464_bounce_to_alice(lab):
    rcpt = 'bob-unknown@hamburger.test'
    send(lab, rcpt, 'lab bounce report')
    report = wait_report(lab, rcpt)[0]
    assert report['To'] and ALICE in str(report['To'])
    assert report.get_param('report-type') == 'delivery-status'
    per_msg, per_rcpt = dsn_fields(report)
    assert 'mail.crepes.test' in per_msg.get('reporting-mta', ''), per_msg
    r = [x for x in per_rcpt if rcpt in x.get('final-recipient', '')][0]
    assert r['final-recipient'].lower() == 'rfc822; ' + rcpt, r
    assert r['action'] == 'failed', r
    assert re.match(r'5\.\d{1,3}\.\d{1,3}$', r['status']), r
    assert re.match(r'smtp; ?550 5\.1\.1 <%s>' % re.escape(rcpt),
                    r['diagnostic-code']), r
    assert 'mx.hamburger.test' in r.get('remote-mta', ''), r
    # The original message (or its headers) comes back too.
    assert 'lab bounce report' in report.as_string()


def test_notify_never_no_bounce(lab):
    never = 'bob-never@hamburger.test'
    later = 'bob-later@hamburger.test'
    q1 = send(lab, never, 'lab notify never', rcpt_options=['NOTIFY=NEVER'])
    lab.wait_log('crepes', re.escape(q1) + r': to=<bob-never@hamburger\.test>.*'
                 r'status=bounced')
    # A later failure's notice arrives: the first one would be there by now.
    send(lab, later, 'lab notify never, later')
    wait_report(lab, later)
    time.sleep(2)
    assert reports(lab, about(never)) == []


def test_notify_success_notice(lab):
    qid = send(lab, BOB, 'lab notify success',
               rcpt_options=['NOTIFY=SUCCESS'])
    lab.wait_log('crepes', re.escape(qid) + r': to=<bob@hamburger\.test>.*'
                 r'status=sent')
    wait_mail(lab, 'hamburger', 'bob', 'lab notify success')
    report = wait_report(lab, BOB)[0]
    _, per_rcpt = dsn_fields(report)
    r = [x for x in per_rcpt if BOB in x.get('final-recipient', '') or
         BOB in x.get('original-recipient', '')][0]
    assert r['action'] in ('delivered', 'relayed', 'expanded'), r
    assert re.match(r'2\.\d{1,3}\.\d{1,3}$', r['status']), r
    # A success notice only: no failure report about bob.
    assert all(x.get('action') != 'failed' for m in reports(lab, about(BOB))
               for x in dsn_fields(m)[1])


def test_expired_message_bounced_with_delay_reason(lab):
    crepes = lab.inst['crepes']
    crepes.set_main(maximal_queue_lifetime='4s', bounce_queue_lifetime='4s')
    crepes.reload()
    rcpt = 'bob-expired@hamburger.test'
    try:
        lab.stop_host('hamburger')
        lab.stop_host('backup')
        qid = send(lab, rcpt, 'lab expired')
        lab.wait_log('crepes', re.escape(qid) + r': to=<%s>.*status=deferred'
                     % re.escape(rcpt))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not re.search(
                re.escape(qid) + r': to=<[^>]*>.*status=expired',
                lab.log('crepes')):
            lab.flush('crepes')
            time.sleep(1)
        line = lab.wait_log('crepes', re.escape(qid) + r': to=<%s>, .*'
                            r'status=expired \(message expired after \d+ '
                            r'seconds in the queue: connect to [^)]*'
                            r'Connection refused\)' % re.escape(rcpt)).group(0)
        assert 'status=sent' not in ''.join(rcpt_lines(lab, 'crepes', qid, rcpt))
        report = wait_report(lab, rcpt)[0]
        _, per_rcpt = dsn_fields(report)
        r = [x for x in per_rcpt if rcpt in x.get('final-recipient', '')][0]
        assert r['action'] == 'failed', r
        assert re.match(r'4\.\d{1,3}\.\d{1,3}$|5\.\d{1,3}\.\d{1,3}$',
                        r['status']), r
        text = report.as_string()
        assert 'Connection refused' in text or 'connect to' in text, (line, text)
    finally:
        crepes.set_main(maximal_queue_lifetime='5d', bounce_queue_lifetime='5d')
        crepes.reload()


# --- DNS -------------------------------------------------------------------

def test_null_mx_bounced_at_once(lab):
    qid = send(lab, 'someone@nullmx.test', 'lab null mx')
    lab.wait_log('crepes', re.escape(qid) + r': to=<someone@nullmx\.test>, '
                 r'relay=none, delay=[\d.]+, dsn=5\.1\.10, status=bounced '
                 r'\(Domain nullmx\.test does not accept mail \(nullMX\)\)')
    assert 'status=deferred' not in ''.join(
        rcpt_lines(lab, 'crepes', qid, 'someone@nullmx.test'))


def test_dns_down_deferred_then_delivered(lab):
    lab.stop_dns()
    qid = send(lab, BOB, 'lab dns down')
    lab.wait_log('crepes', re.escape(qid) + r': to=<bob@hamburger\.test>, '
                 r'relay=none, delay=[\d.]+, dsn=4\.\d\.\d, status=deferred '
                 r'\(Host or domain name not found\. Name service error for '
                 r'name=hamburger\.test type=MX', timeout=40)
    assert 'status=bounced' not in ''.join(rcpt_lines(lab, 'crepes', qid, BOB))
    lab.start_dns()
    lab.flush('crepes')
    lab.wait_log('crepes', re.escape(qid) + r': removed', timeout=40)
    sent = [l for l in rcpt_lines(lab, 'crepes', qid, BOB) if 'status=sent' in l]
    assert len(sent) == 1, sent
    assert len(wait_mail(lab, 'hamburger', 'bob', 'lab dns down')) == 1


# --- interop ---------------------------------------------------------------

def test_postfix_smtp_sink_as_the_mx(lab):
    sink = shutil.which('smtp-sink') or '/usr/sbin/smtp-sink'
    assert os.path.exists(sink), 'smtp-sink (package postfix) is missing'
    lab.stop_host('hamburger')
    dump = tempfile.mkdtemp(prefix='dromos-lab-sink-')
    os.chmod(dump, 0o777)
    try:
        lab.popen('hamburger', [sink, '-u', 'nobody', '-c', '-d',
                                os.path.join(dump, '%M.'),
                                '%s:25' % HAMBURGER_IP, '10'])
        wait_for(lambda: lab.listening('hamburger'), timeout=15,
                 what='smtp-sink on %s:25' % HAMBURGER_IP)
        qid = send(lab, ['sink1@hamburger.test', 'sink2@hamburger.test'],
                   'lab smtp-sink', body='for smtp-sink\r\n')
        lab.wait_log('crepes', re.escape(qid) + r': removed')
        for r in ('sink1@hamburger.test', 'sink2@hamburger.test'):
            line = rcpt_lines(lab, 'crepes', qid, r)[-1]
            assert re.search(r'relay=mx\.hamburger\.test\[192\.0\.2\.20\]:25, '
                             r'.*status=sent \(250', line), line
        files = wait_for(lambda: os.listdir(dump), what='smtp-sink dump file')
        with open(os.path.join(dump, files[0]), 'rb') as f:
            data = f.read()
        assert b'for smtp-sink' in data
        assert b'sink1@hamburger.test' in data and b'sink2@hamburger.test' in data
    finally:
        for p in list(lab.procs):
            lab.stop_proc(p)
        shutil.rmtree(dump, ignore_errors=True)
