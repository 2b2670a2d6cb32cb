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
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'qmgr'))
from mailtest import MailInstance, message, wait_for, HOST  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

USER = 'dromtest1'
PM = 'dromtest2'
SENDER = USER + '@' + HOST


@pytest.fixture(scope='module')
def m():
    for p in ('qmgr', 'local', 'bounce', 'cleanup'):
        path = os.path.join(os.path.dirname(__file__), '..', '..', 'libexec', p)
        if not os.access(path, os.X_OK):
            pytest.fail('%s is not built' % path)
    inst = MailInstance(**{'2bounce_notice_recipient': PM + '@' + HOST})
    inst.add_user(USER)
    inst.add_user(PM)
    yield inst
    log = inst.log()
    inst.cleanup()
    bad = [l for l in log.splitlines() if 'Sanitizer' in l or 'runtime error:' in l
           or 'panic:' in l]
    assert bad == [], 'bad log lines:\n' + log


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
