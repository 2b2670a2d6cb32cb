"""burst - pieces shared by the relay burst test (tests/smtp/test_burst.py)
and the relay benchmark (tests/bench/relaybench.py).

Blackhole(address, port=0): a TCP server that accepts connections and never
    says a word (an SMTP server that hangs before its greeting: the worst
    kind of dead destination, since every attempt costs the client its
    greeting timeout). .start(), .stop(), .port, .connections (how many it
    accepted). Accepted sockets are held until stop() or for at most
    hold_seconds.

SmtpSink(address, port): Postfix's smtp-sink (Debian package postfix) as a
    fast live peer that accepts everything. .start(), .stop().

smtp_source(port, count, rcpt, sessions=10, sender=...): submits count
    messages to 127.0.0.1:port with Postfix's smtp-source, one recipient
    each; returns the Popen (the caller waits). Bounded: smtp-source sends
    exactly count messages.

burst_setup(greeting_timeout): (sink, dead, inst): an smtp-sink on
    LIVE_ADDR (live.test), a Blackhole on DEAD_ADDR (dead.test) and an
    Instance set up to relay to both (transport_maps), not yet started.

count_results(log, domain): {'sent': n, 'deferred': n, 'bounced': n}
    counted from the delivery log lines of recipients in domain (the
    last result of each queue ID and recipient).
"""
import os
import re
import shutil
import socket
import subprocess
import threading
import time


def postfix_tool(name):
    path = shutil.which(name) or os.path.join('/usr/sbin', name)
    if not os.path.exists(path):
        raise RuntimeError('%s is missing (Debian package postfix; '
                           'auxiliary/install-deps installs it)' % name)
    return path


class Blackhole:
    def __init__(self, address, port=0, hold_seconds=120):
        self.address = address
        self.hold_seconds = hold_seconds
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((address, port))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.held = []
        self.stopping = False
        self.thread = None

    def start(self):
        self.sock.listen(128)
        self.sock.settimeout(0.2)
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()
        return self

    def _accept(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                now = time.monotonic()
                self._drop(lambda t: now - t > self.hold_seconds)
                continue
            except OSError:
                return
            self.connections += 1
            self.held.append((conn, time.monotonic()))

    def _drop(self, old):
        keep = []
        for conn, t in self.held:
            if old(t):
                conn.close()
            else:
                keep.append((conn, t))
        self.held = keep

    def stop(self):
        self.stopping = True
        if self.thread:
            self.thread.join(5)
        self._drop(lambda t: True)
        self.sock.close()


class SmtpSink:
    def __init__(self, address, port):
        self.address = address
        self.port = port
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [postfix_tool('smtp-sink'), '-u', 'nobody',
             '%s:%d' % (self.address, self.port), '256'],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection((self.address, self.port),
                                         timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError('smtp-sink did not start listening')

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def smtp_source(port, count, rcpt, sessions=10,
                sender='alice@a.example.test'):
    return subprocess.Popen(
        [postfix_tool('smtp-source'), '-s', str(sessions), '-m', str(count),
         '-f', sender, '-t', rcpt, '-S', 'burst', '127.0.0.1:%d' % port],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


LIVE_ADDR = '127.0.0.4'
DEAD_ADDR = '127.0.0.5'


def _port_on(addr):
    with socket.socket() as s:
        s.bind((addr, 0))
        return s.getsockname()[1]


def burst_setup(greeting_timeout):
    from dromos_instance import Instance
    sink = SmtpSink(LIVE_ADDR, _port_on(LIVE_ADDR))
    dead = Blackhole(DEAD_ADDR)
    inst = Instance(hostname='a.example.test')
    inst.setup(queue_run_delay='2s', minimal_backoff_time='60s',
               maximal_backoff_time='120s', mynetworks='127.0.0.0/8',
               transport_maps='inline:{ live.test=smtp:[%s]:%d, '
               'dead.test=smtp:[%s]:%d }' % (LIVE_ADDR, sink.port,
                                              DEAD_ADDR, dead.port),
               smtp_helo_timeout='%ds' % greeting_timeout,
               smtp_connect_timeout='3s')
    return sink, dead, inst


_RESULT = re.compile(r' ([0-9A-F]+): to=<[^@>]*@([^>]+)>, .*status=(\w+)')


def count_results(log, domain):
    last = {}
    for m in _RESULT.finditer(log):
        if m.group(2).lower() == domain:
            last[m.group(1)] = m.group(3)
    counts = {'sent': 0, 'deferred': 0, 'bounced': 0}
    for status in last.values():
        counts[status] = counts.get(status, 0) + 1
    return counts
