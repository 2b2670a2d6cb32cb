"""bounce(8) end to end: qmgr, local, cleanup and bounce in a real
instance (tests/lib), queue files written by tests/qmgr/mkqfile (so the
DSN records, N and the dsn_ret/dsn_envid attributes, can be given before
smtpd takes them from clients).

A failed recipient brings the sender a non-delivery notice in its Maildir
that Python's email package reads as RFC 3464 multipart/report; RET=HDRS
and a message over bounce_size_limit return only the header; a failed
notice goes to 2bounce_notice_recipient from the double-bounce sender;
a failed double bounce is dropped and logged; NOTIFY=SUCCESS brings a
success notice; delay_warning_time brings a delay warning; with bounce
down the message stays deferred and the notice comes once it is back.
"""
import email
import email.policy
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'qmgr'))
from mailtest import (MailInstance, message, wait_for, require_built,  # noqa: E402
                      make_maildir_a_file, fix_maildir, HOST)

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

USER = 'dromtest1'
PM = 'dromtest2'
SENDER = USER + '@' + HOST


@pytest.fixture(scope='module')
def m():
    require_built('qmgr', 'local', 'bounce', 'cleanup')
    inst = MailInstance(**{'2bounce_notice_recipient': PM + '@' + HOST})
    inst.add_user(USER)
    inst.add_user(PM)
    yield inst
    inst.finish()


def notice_for(m, user, needle, timeout=20):
    """The parsed notice in user's Maildir whose content holds needle."""
    found = []

    def look():
        for p in m.maildir_files(user):
            with open(p, 'rb') as f:
                data = f.read()
            if needle.encode() in data:
                found.append(data)
                return True
        return False
    wait_for(look, timeout=timeout, what='notice with %r for %s' % (needle, user))
    return email.message_from_bytes(found[0], policy=email.policy.default)


def parts(msg):
    assert msg.get_content_type() == 'multipart/report'
    assert msg.get_param('report-type') == 'delivery-status'
    p = list(msg.iter_parts())
    assert len(p) == 3, [x.get_content_type() for x in p]
    assert p[0].get_content_type() == 'text/plain'
    assert p[1].get_content_type() == 'message/delivery-status'
    return p


def status_groups(part):
    """The per-message group and the per-recipient groups."""
    groups = part.get_payload()
    return groups[0], groups[1:]


def test_unknown_user_bounces_to_sender(m):
    qid = m.inject(['nosuchuser@' + HOST], message('bounce me one'),
                   sender=SENDER)
    m.trigger()
    m.wait_log(re.escape(qid) + r': sender non-delivery notification: [0-9A-F]+',
               timeout=20)
    msg = notice_for(m, USER, 'bounce me one')
    assert msg['Subject'] == 'Undelivered Mail Returned to Sender'
    assert 'MAILER-DAEMON@' + HOST in msg['From']
    assert msg['To'].addresses[0].addr_spec == SENDER
    assert msg['Auto-Submitted'] == 'auto-replied'
    assert msg['Message-ID'] and msg['Date']
    text, ds, orig = parts(msg)
    assert 'nosuchuser@' + HOST in text.get_content()
    per_msg, rcpts = status_groups(ds)
    assert per_msg['Reporting-MTA'] == 'dns; ' + HOST
    assert per_msg['Arrival-Date']
    assert len(rcpts) == 1
    r = rcpts[0]
    assert r['Final-Recipient'] == 'rfc822; nosuchuser@' + HOST
    assert r['Action'] == 'failed'
    assert re.match(r'5\.\d+\.\d+$', r['Status']), r['Status']
    assert r['Diagnostic-Code']
    assert r['Last-Attempt-Date']
    # RET not given: the whole message comes back
    assert orig.get_content_type() == 'message/rfc822'
    inner = orig.get_payload()[0]
    assert inner['Subject'] == 'bounce me one'
    assert 'hello' in inner.get_content()
    # The notice itself has the null sender.
    assert re.search(r': from=<>, size=\d+, nrcpt=1', m.log()), m.log()
    wait_for(m.queue_empty, timeout=20, what='empty queue')
    assert not m.queue_files('bounce')


def test_ret_hdrs_returns_header_only(m):
    qid = m.inject(['nosuchuser@' + HOST], message('headers only please',
                   body='secret body text\n'), sender=SENDER,
                   attrs=['dsn_ret=HDRS', 'dsn_envid=ENV-42'])
    m.trigger()
    m.wait_log(re.escape(qid) + r': sender non-delivery notification: ', timeout=20)
    msg = notice_for(m, USER, 'headers only please')
    text, ds, orig = parts(msg)
    assert orig.get_content_type() == 'text/rfc822-headers'
    assert 'headers only please' in orig.get_content()
    assert b'secret body text' not in msg.as_bytes()
    per_msg, rcpts = status_groups(ds)
    assert per_msg['Original-Envelope-Id'] == 'ENV-42'


def test_large_message_returns_header_only(m):
    body = 'x' * 70 + '\n'
    qid = m.inject(['nosuchuser@' + HOST], message('too big to return',
                   body=body * 1000), sender=SENDER)
    m.trigger()
    m.wait_log(re.escape(qid) + r': sender non-delivery notification: ', timeout=20)
    msg = notice_for(m, USER, 'too big to return')
    orig = parts(msg)[2]
    assert orig.get_content_type() == 'text/rfc822-headers'
    assert len(msg.as_bytes()) < 20000


def test_orcpt_and_remote_fields(m):
    qid = m.inject(['nosuchuser@' + HOST], message('with orcpt'), sender=SENDER,
                   dsn=['2 rfc822;Original@Example.Test'])
    m.trigger()
    m.wait_log(re.escape(qid) + r': sender non-delivery notification: ', timeout=20)
    msg = notice_for(m, USER, 'with orcpt')
    per_msg, rcpts = status_groups(parts(msg)[1])
    assert rcpts[0]['Original-Recipient'] == 'rfc822;Original@Example.Test'


def test_bounce_of_bounce_goes_to_postmaster(m):
    qid = m.inject(['nosuchuser@' + HOST], message('a notice that fails'),
                   sender='')
    m.trigger()
    m.wait_log(re.escape(qid) + r': postmaster non-delivery notification: '
               r'([0-9A-F]+)', timeout=20)
    msg = notice_for(m, PM, 'a notice that fails')
    assert msg['Subject'] == 'Undelivered Mail Returned to Sender'
    text, ds, orig = parts(msg)
    assert 'postmaster' in text.get_content()
    # From the double-bounce sender, so a failure of it is not returned.
    assert re.search(r': from=<double-bounce@%s>, size=\d+, nrcpt=1'
                     % re.escape(HOST), m.log()), m.log()


def test_double_bounce_dropped(m):
    qid = m.inject(['nosuchuser@' + HOST], message('double trouble'),
                   sender='double-bounce@' + HOST)
    m.trigger()
    m.wait_log(re.escape(qid) + r': double bounce dropped: <nosuchuser@%s>: '
               % re.escape(HOST), timeout=20)
    m.wait_log(re.escape(qid) + ': removed', timeout=10)
    assert not re.search(re.escape(qid) + r': \w+ non-delivery notification',
                         m.log())
    wait_for(m.queue_empty, timeout=20, what='empty queue')


def test_success_notice(m):
    qid = m.inject([PM + '@' + HOST], message('tell me it arrived'),
                   sender=SENDER, dsn=['1 rfc822;' + PM + '@' + HOST])
    m.trigger()
    m.wait_log(re.escape(qid) + r': sender delivery status notification: ',
               timeout=20)
    msg = notice_for(m, USER, 'tell me it arrived')
    assert msg['Subject'] == 'Successful Mail Delivery Report'
    text, ds, orig = parts(msg)
    per_msg, rcpts = status_groups(ds)
    assert rcpts[0]['Action'] == 'delivered'
    assert rcpts[0]['Status'].startswith('2.')
    assert orig.get_content_type() == 'text/rfc822-headers'


def test_delay_warning(m):
    m.set_main(delay_warning_time='2s')
    m.reload()
    md, saved = make_maildir_a_file(m, PM)
    try:
        qid = m.inject([PM + '@' + HOST], message('slow one'), sender=SENDER)
        m.trigger()
        m.wait_log(re.escape(qid) + r': sender delay notification: ', timeout=30)
        msg = notice_for(m, USER, 'slow one')
        assert msg['Subject'] == 'Delayed Mail (still being retried)'
        text, ds, orig = parts(msg)
        assert 'keeps trying' in text.get_content()
        per_msg, rcpts = status_groups(ds)
        assert rcpts[0]['Action'] == 'delayed'
        assert rcpts[0]['Status'].startswith('4.')
        assert rcpts[0]['Will-Retry-Until']
        assert orig.get_content_type() == 'text/rfc822-headers'
    finally:
        fix_maildir(md, saved)
        m.set_main(delay_warning_time='0h')
        m.reload()
    m.wait_log(re.escape(qid) + ': removed', timeout=30)
    # Only one warning.
    assert len(re.findall(re.escape(qid) + r': sender delay notification',
                          m.log())) == 1


def test_bounce_down_then_back(m):
    path = os.path.join(m.config_dir, 'master.cf')
    with open(path) as f:
        saved = f.read()
    assert re.search(r'^bounce\s', saved, re.M)
    with open(path, 'w') as f:
        f.write(''.join(l for l in saved.splitlines(True)
                        if not l.startswith('bounce ')))
    m.reload()
    wait_for(lambda: not m.service_pids('bounce'), timeout=10, what='bounce gone')
    try:
        qid = m.inject(['nosuchuser@' + HOST], message('wait for bounce'),
                       sender=SENDER)
        m.trigger()
        m.wait_log(re.escape(qid) + r': notice not sent, will try again', timeout=20)
        wait_for(lambda: [os.path.basename(f) for f in m.queue_files('deferred')]
                 == [qid], timeout=10, what='deferred file')
        assert m.queue_files('bounce')
    finally:
        with open(path, 'w') as f:
            f.write(saved)
        m.reload()
    m.wait_log(re.escape(qid) + r': sender non-delivery notification: ', timeout=30)
    msg = notice_for(m, USER, 'wait for bounce')
    assert parts(msg)[1]
    m.wait_log(re.escape(qid) + ': removed', timeout=20)
    wait_for(lambda: not m.queue_files('bounce'), timeout=10, what='log removed')
