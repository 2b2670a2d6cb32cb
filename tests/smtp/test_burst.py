"""A burst of 1000 messages to two destinations, one alive (Postfix's
smtp-sink on 127.0.0.4) and one dead (a server on 127.0.0.5 that accepts
connections and never greets): the live one must get all its mail while
the dead one is throttled after its first failures, so that it costs a
handful of connection attempts, not one per message, and its messages
wait in the deferred queue (none is bounced or lost).

The figures (how fast the live destination drains with and without the
dead one) come from tests/bench/relaybench.py; this test asserts no
timing, only what happened. Its waits are upper bounds that stop a hung
run."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dromos_instance import listening, wait_for  # noqa: E402
from burst import DEAD_ADDR, burst_setup, count_results, smtp_source  # noqa

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')

PER_DESTINATION = 500
# Long enough that the whole live burst is through before the first
# attempt at the dead destination gives up: the live messages must not
# wait for it (with a small active queue they did, a timeout each).
GREETING_TIMEOUT = 30


def test_burst_live_drains_dead_throttled():
    sink, dead, inst = burst_setup(GREETING_TIMEOUT)
    try:
        sink.start()
        dead.start()
        inst.start()
        wait_for(lambda: listening(inst.smtp_port), what='smtpd port')
        procs = [smtp_source(inst.smtp_port, PER_DESTINATION,
                             'user@%s.test' % d) for d in ('live', 'dead')]
        for p in procs:
            _, err = p.communicate(timeout=300)
            assert p.returncode == 0, err

        def live_done():
            return count_results(inst.log(), 'live.test')['sent'] \
                == PER_DESTINATION
        wait_for(live_done, timeout=300, interval=0.5,
                 what='%d messages sent to the live destination'
                 % PER_DESTINATION)
        # The dead destination's first attempts are still waiting for a
        # greeting: nothing there has failed yet, and the live burst is
        # through all the same.
        assert 'throttled' not in inst.log()
        assert 1 <= dead.connections <= 5, dead.connections

        def dead_all_deferred():
            c = count_results(inst.log(), 'dead.test')
            return c['deferred'] == PER_DESTINATION
        wait_for(dead_all_deferred, timeout=GREETING_TIMEOUT + 90, interval=0.5,
                 what='every message to the dead destination deferred')
        log = inst.log()
        live = count_results(log, 'live.test')
        gone = count_results(log, 'dead.test')
        assert live == {'sent': PER_DESTINATION, 'deferred': 0,
                        'bounced': 0}, live
        assert gone == {'sent': 0, 'deferred': PER_DESTINATION,
                        'bounced': 0}, gone
        assert 'smtp: destination [%s]:%d throttled for 60s' % (DEAD_ADDR,
                                                          dead.port) in log
        assert 'delivery temporarily suspended' in log
        # Throttled after its first window of attempts: a few connections
        # (initial_destination_concurrency, 5), not one per message.
        assert 1 <= dead.connections <= 10, dead.connections
        # Nothing to the dead site is lost: all 500 wait in deferred/.
        deferred = sum(len(files) for _, _, files in
                       os.walk(os.path.join(inst.queue_dir, 'deferred')))
        assert deferred == PER_DESTINATION
    finally:
        inst.cleanup()
        dead.stop()
        sink.stop()
