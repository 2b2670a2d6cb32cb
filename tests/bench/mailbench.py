#!/usr/bin/python3
"""mailbench - load dromos and a stock Postfix with smtp-source, side by side.

NAME
    mailbench - mail path benchmark: dromos against stock Postfix

SYNOPSIS
    /usr/bin/python3 tests/bench/mailbench.py [options]      (as root)

    --systems LIST     which systems to load: postfix,dromos (default both)
    --sessions LIST    concurrent smtp-source sessions (default 1,10,50)
    --sizes LIST       message sizes in bytes (default 1024,102400)
    --repeat N         runs of each system per configuration (default 3)
    --count-small N    messages per run for sizes below 10 KiB (default 1000)
    --count-large N    messages per run for larger sizes (default 200)
    --timeout S        the most seconds one run may take (default 120); a
                       run also ends when nothing was delivered for 20 s
                       after smtp-source finished
    --warmup N         messages of an uncounted warm-up run per system, at
                       the highest session count (default 50; 0: none)
    --port-postfix P   --port-dromos P: listening ports (default: free ones)
    --keep             keep the temporary directories (for debugging)
    --html             also print the table as an html fragment (the one
                       in html/performance.html)
    --no-fsync-probe   skip the 3-second fsync rate probe (1 and 20
                       writers) that goes into the machine description
                       (it runs after the measurements: its files are
                       deleted, see "Keeping the two systems apart")

DESCRIPTION
    mailbench measures the mail path SMTP -> queue -> local Maildir
    delivery of two mail systems on the same machine in the same run:
    dromos, installed from this work tree into a temporary root the way
    tests/lib/dromos_instance.py does it, and a stock Postfix from
    Debian's postfix package, run as a private instance (postfix -c DIR)
    with its own configuration, queue and data directories under /tmp.
    Nothing runs on a public address: both listen on 127.0.0.1 on high
    ports and all traffic goes to 127.0.0.1. It is not part of `make
    check`: benchmarks print figures, they never assert timings.

    Both systems are configured alike: myhostname = mydestination =
    bench.example.test, local delivery to the test user "benchuser"
    (created for the run and removed afterwards; a benchuser left by an
    earlier, killed run, recognised by its home under /tmp/mailbench-*,
    is replaced; any other existing benchuser makes mailbench stop)
    with home_mailbox = Maildir.postfix/ and Maildir.dromos/, fsync on (both systems always fsync
    the queue file before "250" and the Maildir file before a delivery
    counts), maillog_file written by the system's own log daemon, no
    aliases, no biff, everything else left at its default (Postfix:
    the Debian master.cf with only its smtp line replaced by
    "127.0.0.1:PORT inet n - y - - smtpd", so its stock process
    limits, max_use 100 and max_idle 100s, apply; the files Debian
    copies into the chroot (hosts, services, resolv.conf, ...) are
    copied into the private queue directory; dromos: the installed
    master.cf plus smtpd, cleanup, qmgr and local).
    Both instances run for the whole benchmark; the idle one uses
    next to no CPU and is not measured meanwhile.

    First each system gets an uncounted warm-up run (--warmup
    messages at the highest session count), which starts its processes;
    a system that fails it is left out. Then, for each configuration
    (sessions x size) and each repetition, the two systems run one after
    the other, the order swapped every repetition, so slow phases of a
    shared, noisy machine hit both. A system with two failed runs in a
    row is dropped (its log tail is printed). One run is:

        smtp-source -s SESSIONS -m COUNT -l SIZE -f bench@client.example.test
                    -t benchuser@bench.example.test 127.0.0.1:PORT

    (one message per connection, smtp-source's default; COUNT is 1000,
    or 200 for 100 KiB messages: a run of a second or two, long enough
    that a system's steady state, its own file deletions included,
    shows rather than its start), and reports:

    accepted/s  COUNT / wall time of smtp-source (start to exit: every
                message got its 250).
    delivered/s COUNT / time from the start of smtp-source until the
                COUNT-th file is in the system's ~benchuser/Maildir.*/new (counted by
                polling the folder every 5 ms).
    CPU ms/msg  the CPU time (user + system) that all processes of the
                mail system spent during the run, divided by COUNT.
    sys%        the kernel's share of that CPU time.

    How CPU time is measured (from /proc only): every process of a
    mail system descends from its master. The CPU used by the whole
    tree is the master's own utime+stime, plus its cutime+cstime (the
    CPU of every child that already exited and was reaped, and of
    their reaped children), plus, for each live descendant, its own
    CPU and its cutime+cstime. That sum is sampled just before
    smtp-source starts and again after the last delivery once the
    queue is empty (no file left under incoming/, active/, deferred/;
    bounded wait), and the difference is the run's CPU. A process alive
    at the first sample that exits before the second is counted
    correctly: its CPU moves into its parent's cutime/cstime. For the
    own CPU of a live process the exact runtime in nanoseconds from
    /proc/PID/schedstat is used when the kernel provides it (utime and
    stime in /proc/PID/stat are whole clock ticks); cutime/cstime come
    from /proc/PID/stat (accumulated in nanoseconds by the kernel,
    truncated once to ticks). The user/system split comes from the tick
    counts. Not counted: smtp-source and this script; kernel threads
    (journal commits, block I/O workers: about 0.1 ms per message for
    Postfix here) and interrupt work charged to no process. A check
    against the machine-wide busy time in /proc/stat (tree + smtp-source
    + this script) agreed within 2-6% while the machine was otherwise
    quiet.

    At the end it prints a table with the medians over the repetitions,
    and the ratios dromos/Postfix for delivered/s, accepted/s and CPU
    per message. The issue's target: delivered/s ratio >= 1.5 and CPU
    ratio <= 0.67. CPU per message is the steadier figure on a shared
    machine.

    When smtp-source is missing, mailbench installs Debian's postfix
    package: debconf preseeded "No configuration", DEBIAN_FRONTEND=
    noninteractive, a policy-rc.d that returns 101 in place during the
    install (an existing one that already returns 101 is left alone;
    another is put back afterwards) so that no Postfix daemon starts.
    Afterwards it checks that no system Postfix master runs (the PID in
    /var/spool/postfix/pid/master.pid) and nothing listens on port 25,
    and stops such a master by its PID if one started anyway. The
    package installs /usr/sbin/sendmail (Postfix's) when there was none,
    or replaces another MTA's, and creates /etc/aliases if missing;
    mailbench reports the sendmail change and does not undo it. postfix
    is deliberately not in auxiliary/install-deps: no test depends on
    it.

    The mail path programs that make install does not install yet are
    copied from libexec/ into the instance (and a note says so).
    When dromos cannot be set up (not built, or its mail path programs
    smtpd, cleanup, qmgr, local not installed yet) the dromos columns
    stay empty ("-"; "not yet measured" in the --html table), the
    reason is printed, and Postfix is still measured.

    Keeping the two systems apart on disk. On a file system that skips
    recently freed inodes when it allocates one (ext4 without a journal,
    as here: inodes freed in the last minute or more are passed over, one
    by one), a system that deletes many files slows down every file
    creation in the same block group for a while. Both systems run on
    one machine here, which a real mail host never does, so neither
    should pay for the other's deletions (nor for the harness's):
    each system delivers to a Maildir of its own in benchuser's home
    (Maildir.postfix/, Maildir.dromos/), and the home, the temporary
    root of the dromos instance and mailbench's own temporary folder
    (which holds Postfix's tree and the home) are marked with chattr +T,
    so that ext4 places each folder made in them, each system's queue and
    each Maildir, in a block group of its own; between runs the
    delivered files are set aside, not deleted
    (new/ is renamed to delivered.N and made again). Everything goes at
    the end, with the temporary directories; so do the fsync probe's
    files, which is why the probe runs last. A system's own deletions
    (queue files) still cost it what they cost on its own machine. For
    the same reason, start a benchmark a few minutes after anything
    deleted many files in /tmp (an earlier benchmark's clean-up).

    Cleanup: both instances are stopped (postfix -c DIR stop; dromos
    stop) and every process of their trees that is still there is
    killed by PID; the temporary directories are removed (unless
    --keep); the test user is removed if mailbench created it. An
    interrupt (^C, SIGTERM) runs the same cleanup.

    Python 3 standard library only; run with /usr/bin/python3 as root.

FILES
    /tmp/mailbench-XXXX/          home of benchuser, Postfix instance
        postfix/etc/              main.cf, master.cf (postfix -c)
        postfix/queue/            queue_directory (chroot of smtpd etc.)
        postfix/data/             data_directory
        postfix/maillog           maillog_file
    /tmp/dromos-test-XXXX/        the dromos instance (dromos_instance.py)

SEE ALSO
    smtp-source(1), postfix(1), tests/lib/dromos_instance.py,
    html/performance.html (the recorded figures)
"""

import argparse
import os
import pwd
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(TOP, 'tests', 'lib'))

DOMAIN = 'bench.example.test'
USER = 'benchuser'
SENDER = 'bench@client.example.test'
TICK = os.sysconf('SC_CLK_TCK')
POSTFIX_MASTER_PID = '/var/spool/postfix/pid/master.pid'
POLICY_RC_D = '/usr/sbin/policy-rc.d'
SMTP_SOURCE_PATHS = ['/usr/sbin/smtp-source', '/usr/bin/smtp-source']
STALL = 20          # seconds without a new delivery after the last 250
CHROOT_ETC = ['localtime', 'services', 'resolv.conf', 'hosts',
              'nsswitch.conf', 'host.conf']


def note(fmt, *args):
    sys.stderr.write('mailbench: ' + (fmt % args if args else fmt) + '\n')
    sys.stderr.flush()


def run(argv, check=True, timeout=120, **kw):
    res = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, timeout=timeout, **kw)
    if check and res.returncode != 0:
        raise RuntimeError('%s failed (%d): %s%s' % (
            ' '.join(argv), res.returncode, res.stdout, res.stderr))
    return res


def wait_until(pred, timeout, interval=0.05):
    """Poll pred until it is true or timeout seconds pass; its last value."""
    deadline = time.monotonic() + timeout
    while True:
        val = pred()
        if val or time.monotonic() >= deadline:
            return val
        time.sleep(interval)


# --- /proc --------------------------------------------------------------

def proc_stat(pid):
    """(ppid, state, utime, stime, cutime, cstime) in ticks, or None."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            text = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # comm may hold spaces and parentheses: split after the last ')'.
    fields = text[text.rindex(')') + 2:].split()
    # fields[0] is field 3 (state); utime is field 14.
    return (int(fields[1]), fields[0], int(fields[11]), int(fields[12]),
            int(fields[13]), int(fields[14]))


def proc_runtime_ns(pid):
    """Exact CPU runtime of pid's main thread from schedstat, or None."""
    try:
        with open('/proc/%d/schedstat' % pid) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def proc_exe(pid):
    try:
        return os.readlink('/proc/%d/exe' % pid)
    except OSError:
        return None


def all_parents():
    """{pid: ppid} for every process."""
    out = {}
    for d in os.listdir('/proc'):
        if d.isdigit():
            st = proc_stat(int(d))
            if st:
                out[int(d)] = st[0]
    return out


def descendants(root):
    """Every live process below root (not root itself)."""
    parents = all_parents()
    kids = {}
    for pid, ppid in parents.items():
        kids.setdefault(ppid, []).append(pid)
    out, todo = [], list(kids.get(root, []))
    while todo and len(out) < 10000:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def tree_cpu(master):
    """(total_ns, user_ticks, sys_ticks) used so far by master's tree.

    See "How CPU time is measured" above."""
    total = 0
    user = system = 0
    for pid in [master] + descendants(master):
        st = proc_stat(pid)
        if st is None:
            continue
        _, _, ut, stt, cut, cst = st
        own = proc_runtime_ns(pid)
        if own is None:
            own = (ut + stt) * 1000000000 // TICK
        total += own + (cut + cst) * 1000000000 // TICK
        user += ut + cut
        system += stt + cst
    return total, user, system


def listeners(port):
    """Socket inodes listening on TCP port (any address, v4 and v6)."""
    inodes = set()
    for path in ('/proc/net/tcp', '/proc/net/tcp6'):
        try:
            with open(path) as f:
                next(f)
                for line in f:
                    w = line.split()
                    if w[3] == '0A' and int(w[1].rsplit(':', 1)[1], 16) == port:
                        inodes.add(w[9])
        except FileNotFoundError:
            pass
    return inodes


def socket_owners(inodes):
    """PIDs holding any of the socket inodes."""
    want = {'socket:[%s]' % i for i in inodes}
    pids = set()
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            for fd in os.listdir('/proc/%s/fd' % d):
                try:
                    if os.readlink('/proc/%s/fd/%s' % (d, fd)) in want:
                        pids.add(int(d))
                except OSError:
                    pass
        except OSError:
            pass
    return pids


def kill_pid(pid, why):
    """SIGTERM, then SIGKILL after 10 s, one process by PID."""
    note('stopping %s (pid %d)', why, pid)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if not wait_until(lambda: (proc_stat(pid) is None or
                               proc_stat(pid)[1] == 'Z'), 10):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


# --- smtp-source and the postfix package ---------------------------------

def find_smtp_source():
    for p in SMTP_SOURCE_PATHS:
        if os.access(p, os.X_OK):
            return p
    return shutil.which('smtp-source')


def sendmail_state():
    p = '/usr/sbin/sendmail'
    if not os.path.lexists(p):
        return 'absent'
    owner = run(['dpkg', '-S', p], check=False).stdout.strip() or 'no package'
    return '%s -> %s (%s)' % (p, os.path.realpath(p), owner)


def policy_returns_101():
    if not os.access(POLICY_RC_D, os.X_OK):
        return False
    try:
        return subprocess.run([POLICY_RC_D, 'postfix', 'start'],
                              timeout=10).returncode == 101
    except (OSError, subprocess.TimeoutExpired):
        return False


def stop_system_postfix():
    """Stop a Debian default Postfix master (by its PID file) and report
    anything else bound to port 25."""
    try:
        with open(POSTFIX_MASTER_PID) as f:
            pid = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        pid = None
    if pid and proc_stat(pid) and \
            (proc_exe(pid) or '').startswith('/usr/lib/postfix/'):
        kill_pid(pid, 'the system Postfix master that the install started')
    owners = socket_owners(listeners(25))
    for pid in owners:
        exe = proc_exe(pid) or ''
        if exe.startswith('/usr/lib/postfix/'):
            kill_pid(pid, 'Postfix process %s listening on port 25' % exe)
        else:
            note('warning: pid %d (%s) listens on port 25; left alone', pid, exe)
    return not socket_owners(listeners(25))


def install_postfix():
    """apt-get install postfix with no configuration and no daemon."""
    note('smtp-source is missing: installing Debian package postfix')
    before = sendmail_state()
    saved_policy = None
    made_policy = False
    if not policy_returns_101():
        if os.path.lexists(POLICY_RC_D):
            saved_policy = POLICY_RC_D + '.mailbench-saved'
            os.rename(POLICY_RC_D, saved_policy)
        with open(POLICY_RC_D, 'w') as f:
            f.write('#!/bin/sh\n# mailbench: start no daemon during install\nexit 101\n')
        os.chmod(POLICY_RC_D, 0o755)
        made_policy = True
    try:
        sel = ('postfix postfix/main_mailer_type select No configuration\n'
               'postfix postfix/mailname string %s\n' % socket.gethostname())
        subprocess.run(['debconf-set-selections'], input=sel, text=True,
                       check=True, timeout=60)
        env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
        res = subprocess.run(['apt-get', 'install', '-y', '-q', 'postfix'],
                             env=env, timeout=900)
        if res.returncode != 0:
            note('apt-get install postfix: exit %d; trying apt-get update first',
                 res.returncode)
            subprocess.run(['apt-get', 'update', '-q'], env=env, timeout=600)
            subprocess.run(['apt-get', 'install', '-y', '-q', 'postfix'],
                           env=env, timeout=900, check=True)
    finally:
        if made_policy:
            os.unlink(POLICY_RC_D)
            if saved_policy:
                os.rename(saved_policy, POLICY_RC_D)
    if not stop_system_postfix():
        raise RuntimeError('something still listens on port 25')
    after = sendmail_state()
    if after != before:
        note('note: the postfix package changed /usr/sbin/sendmail: '
             'before: %s; now: %s (left as is)', before, after)
    path = find_smtp_source()
    if not path:
        raise RuntimeError('postfix installed but no smtp-source found')
    return path


def ensure_smtp_source():
    path = find_smtp_source()
    if path:
        return path
    return install_postfix()


# --- the test user ---------------------------------------------------------

class BenchUser:
    def __init__(self, base):
        self.created = False
        try:
            old = pwd.getpwnam(USER).pw_dir
        except KeyError:
            old = None
        if old is not None:
            # Only a leftover of an earlier (killed) run is replaced.
            if not old.startswith(os.path.join(tempfile.gettempdir(),
                                               'mailbench-')):
                raise RuntimeError('user %s exists with home %s, not made by '
                                   'mailbench; remove it or rename it first'
                                   % (USER, old))
            note('removing user %s left by an earlier run (home %s)', USER, old)
            run(['userdel', USER])
            shutil.rmtree(old, ignore_errors=True)
        self.home = os.path.join(base, 'home', USER)
        os.makedirs(os.path.dirname(self.home), exist_ok=True)
        run(['useradd', '-M', '-d', self.home, '-s', '/usr/sbin/nologin',
             '-c', 'mailbench test user', USER])
        self.created = True
        pw = pwd.getpwnam(USER)
        self.uid, self.gid = pw.pw_uid, pw.pw_gid
        os.makedirs(self.home, exist_ok=True)
        os.chown(self.home, self.uid, self.gid)
        os.chmod(self.home, 0o700)
        spread(self.home)       # each system's Maildir apart (see above)
        self.use('Maildir/')

    def use(self, mailbox):
        """Count and set aside in ~/mailbox (a system's home_mailbox)."""
        self.maildir = os.path.join(self.home, mailbox.rstrip('/'))
        self.new = os.path.join(self.maildir, 'new')

    def count_new(self):
        try:
            with os.scandir(self.new) as it:
                return sum(1 for _ in it)
        except FileNotFoundError:
            return 0

    def empty_maildir(self):
        """Set the delivered files aside between runs: Maildir/new is
        renamed to Maildir/delivered.N and made again. Nothing is deleted
        until the end: deleting hundreds of files would slow down the
        next run's file creations (ext4 without a journal skips inodes
        freed in the last minutes, scanning past each), for whichever
        system runs next."""
        if not os.path.isdir(self.new) or not os.listdir(self.new):
            return
        self.aside = getattr(self, 'aside', 0) + 1
        os.rename(self.new, os.path.join(self.maildir, 'delivered.%d'
                                         % self.aside))
        os.mkdir(self.new, 0o700)
        os.chown(self.new, self.uid, self.gid)

    def remove(self):
        if self.created:
            run(['userdel', USER], check=False)
            self.created = False


def spread(path):
    """Mark a folder with chattr +T, so that ext4 puts each folder made
    in it into a block group of its own (as for top-level folders)."""
    if run(['chattr', '+T', path], check=False).returncode != 0:
        note('chattr +T %s failed: the systems may share block groups', path)


def queue_files(qdir, folders=('incoming', 'active', 'deferred', 'maildrop')):
    """How many files wait in the queue folders below qdir."""
    n = 0
    for f in folders:
        for root, _, files in os.walk(os.path.join(qdir, f)):
            n += len(files)
    return n


# --- Postfix ---------------------------------------------------------------

class PostfixSystem:
    name = 'postfix'
    mailbox = 'Maildir.postfix/'

    def __init__(self, base, port):
        self.root = os.path.join(base, 'postfix')
        self.conf = os.path.join(self.root, 'etc')
        self.queue = os.path.join(self.root, 'queue')
        self.data = os.path.join(self.root, 'data')
        self.maillog = os.path.join(self.root, 'maillog')
        self.port = port
        self.master_pid = None
        self.started = False
        self.version = run(['postconf', '-d', '-h', 'mail_version']).stdout.strip()

    def postconf(self, *args):
        return run(['postconf', '-c', self.conf] + list(args))

    def setup(self):
        for d in (self.conf, self.queue, self.data):
            os.makedirs(d)
        os.chmod(self.root, 0o755)
        os.chmod(self.queue, 0o755)
        pf = pwd.getpwnam('postfix')
        os.chown(self.data, pf.pw_uid, pf.pw_gid)
        open(os.path.join(self.conf, 'main.cf'), 'w').close()
        # The Debian master.cf, with its one inet service moved to our port.
        src = '/usr/share/postfix/master.cf.dist'
        if not os.path.exists(src):
            src = '/etc/postfix/master.cf'
        lines = []
        with open(src) as f:
            for line in f:
                w = line.split()
                if len(w) >= 2 and not line[0].isspace() and w[0] != '#' \
                        and not w[0].startswith('#') and w[1] == 'inet':
                    line = '127.0.0.1:%d inet n - y - - smtpd\n' % self.port
                lines.append(line)
        with open(os.path.join(self.conf, 'master.cf'), 'w') as f:
            f.write(''.join(lines))
        self.postconf(
            '-e',
            'compatibility_level=3.6',
            'queue_directory=' + self.queue,
            'data_directory=' + self.data,
            'myhostname=' + DOMAIN,
            'mydomain=example.test',
            'mydestination=$myhostname, localhost',
            'inet_interfaces=127.0.0.1',
            'inet_protocols=ipv4',
            'mynetworks=127.0.0.0/8',
            'relayhost=',
            'home_mailbox=' + self.mailbox,
            'alias_maps=',
            'alias_database=',
            'biff=no',
            'maillog_file=' + self.maillog,
            'maillog_file_prefixes=' + self.root)
        # What Debian's init script copies into the chroot (smtpd runs
        # chrooted in queue_directory and resolves the client's name).
        etc = os.path.join(self.queue, 'etc')
        os.makedirs(etc, exist_ok=True)
        for name in CHROOT_ETC:
            if os.path.exists('/etc/' + name):
                shutil.copy('/etc/' + name, os.path.join(etc, name))
        run(['postfix', '-c', self.conf, 'check'], timeout=60)

    def read_pid(self):
        try:
            with open(os.path.join(self.queue, 'pid', 'master.pid')) as f:
                p = int(f.read().split()[0])
            return p if proc_stat(p) else None
        except (OSError, ValueError, IndexError):
            return None

    def start(self):
        self.started = True
        run(['postfix', '-c', self.conf, 'start'], timeout=60)
        self.master_pid = wait_until(self.read_pid, 15)
        if not self.master_pid:
            raise RuntimeError('postfix master did not start; log:\n' + self.log())
        if not wait_until(lambda: listeners(self.port), 15):
            raise RuntimeError('postfix does not listen on port %d' % self.port)

    def queue_count(self):
        return queue_files(self.queue)

    def log(self):
        try:
            with open(self.maillog, errors='replace') as f:
                return f.read()
        except FileNotFoundError:
            return ''

    def stop(self):
        if not self.started:
            return
        self.started = False
        pid = self.master_pid or self.read_pid()
        kids = descendants(pid) if pid else []
        run(['postfix', '-c', self.conf, 'stop'], check=False, timeout=60)
        if pid:
            wait_until(lambda: proc_stat(pid) is None, 30)
            for p in [pid] + kids:
                if proc_stat(p) is not None and proc_stat(p)[1] != 'Z':
                    kill_pid(p, 'leftover postfix process')
            left = [p for p in [pid] + kids if proc_stat(p) is not None]
            if left:
                note('warning: postfix processes still there: %s', left)


# --- dromos ----------------------------------------------------------------

MAIL_PATH_PROGRAMS = ('smtpd', 'cleanup', 'qmgr', 'local')


def master_cf_lines(path, port):
    """The installed master.cf without any service defined here (the lead
    may have added them to conf/master.cf meanwhile), plus ours."""
    ours = {'smtp', 'cleanup', 'qmgr', 'local'}
    keep = []
    skipping = False
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if line[:1].isspace() and line.strip() \
                    and not line.lstrip().startswith('#'):
                if not skipping:       # continuation line
                    keep.append(line)
                continue
            w = line.split()
            skipping = bool(w) and not w[0].startswith('#') and (
                w[0] in ours or (len(w) > 1 and w[1] == 'inet'))
            if not skipping:
                keep.append(line)
    return keep + ['127.0.0.1:%d inet n - - - - smtpd' % port,
                   'cleanup unix - - - - 0 cleanup',
                   'qmgr unix-dgram - - - 60 1 qmgr',
                   'local unix - n n - - local']


class DromosSystem:
    name = 'dromos'
    mailbox = 'Maildir.dromos/'

    def __init__(self, port):
        self.port = port
        self.inst = None
        self.started = False
        self.master_pid = None
        self.version = 'work tree'

    def setup(self):
        from dromos_instance import Instance
        self.inst = Instance(hostname=DOMAIN)
        spread(self.inst.root)  # its queue apart from Postfix's (see above)
        self.inst.setup(mydestination='$myhostname, localhost',
                        home_mailbox=self.mailbox)
        # Until the install manifest lists the mail path programs, take
        # them from the build (libexec/), as tests/smtpd does.
        for p in MAIL_PATH_PROGRAMS:
            src = os.path.join(TOP, 'libexec', p)
            dst = os.path.join(self.inst.daemon_dir, p)
            if not os.path.exists(dst) and os.access(src, os.X_OK):
                shutil.copy(src, dst)
                note('dromos: %s is not installed by make install yet; '
                     'copied libexec/%s', p, p)
        missing = [p for p in MAIL_PATH_PROGRAMS
                   if not os.access(os.path.join(self.inst.daemon_dir, p), os.X_OK)]
        if missing:
            raise RuntimeError('mail path programs not installed yet: %s'
                               % ' '.join(missing))
        keep = master_cf_lines(os.path.join(TOP, 'conf', 'master.cf'), self.port)
        self.inst.write_master_cf(keep, keep_defaults=False)

    def start(self):
        self.inst.start()
        self.started = True
        self.master_pid = self.inst.master_pid
        if not wait_until(lambda: listeners(self.port), 15):
            raise RuntimeError('dromos does not listen on port %d; log:\n%s'
                               % (self.port, self.inst.log()))

    def queue_count(self):
        return queue_files(self.inst.queue_dir)

    def log(self):
        return self.inst.log() if self.inst else ''

    def stop(self):
        if self.inst is None:
            return
        pid = self.master_pid
        kids = descendants(pid) if pid else []
        try:
            self.inst.stop()
        except Exception as e:   # stop() kills what is left; report only
            note('dromos stop: %s', e)
        for p in [pid] + kids if pid else []:
            if proc_stat(p) is not None and proc_stat(p)[1] != 'Z':
                kill_pid(p, 'leftover dromos process')
        self.started = False

    def remove(self, keep):
        if self.inst is None:
            return
        if keep:
            note('kept %s (dromos instance)', self.inst.root)
        else:
            shutil.rmtree(self.inst.root, ignore_errors=True)


# --- one run ---------------------------------------------------------------

def wait_run(proc, user, count, t0, deadline):
    """Poll until smtp-source exits and count files are delivered, or
    the deadline, or a stall; (t_accept, t_deliver), None if not reached."""
    t_accept = t_deliver = None
    seen, t_seen = 0, t0
    while time.monotonic() < deadline:
        now = time.monotonic()
        if t_accept is None and proc.poll() is not None:
            t_accept = now
        if t_deliver is None:
            n = user.count_new()
            if n >= count:
                t_deliver = now
            elif n != seen:
                seen, t_seen = n, now
        if t_accept is not None and t_deliver is not None:
            break
        # Everything accepted, and no delivery for STALL seconds: give up.
        if t_accept is not None and now - max(t_seen, t_accept) > STALL:
            break
        time.sleep(0.005)
    return t_accept, t_deliver


def one_run(system, user, smtp_source, sessions, size, count, timeout):
    """Load system once; a dict of figures, or {'error': why}."""
    user.use(system.mailbox)
    user.empty_maildir()
    if not wait_until(lambda: system.queue_count() == 0, 30):
        return {'error': 'queue not empty before the run'}
    argv = [smtp_source, '-s', str(sessions), '-m', str(count), '-l', str(size),
            '-f', SENDER, '-t', '%s@%s' % (USER, DOMAIN),
            '127.0.0.1:%d' % system.port]
    cpu0 = tree_cpu(system.master_pid)
    t0 = time.monotonic()
    deadline = t0 + timeout
    errf = tempfile.TemporaryFile(mode='w+')
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errf)
    try:
        t_accept, t_deliver = wait_run(proc, user, count, t0, deadline)
    except BaseException:
        proc.kill()             # interrupted: our smtp-source goes too
        proc.wait()
        raise
    if t_accept is None:
        proc.kill()
        proc.wait()
    proc.wait()
    errf.seek(0)
    err = errf.read(4000)
    errf.close()
    if t_accept is None:
        return {'error': 'smtp-source did not finish in %ds' % timeout}
    if proc.returncode != 0 or err.strip():
        return {'error': 'smtp-source exit %d: %s' % (proc.returncode,
                                                       err.strip()[:300])}
    if t_deliver is None:
        return {'error': 'only %d of %d delivered (%.0fs; stalled or timed out)'
                % (user.count_new(), count, time.monotonic() - t0)}
    # Let the queue manager finish (remove the queue files), then sample.
    wait_until(lambda: system.queue_count() == 0, 10, interval=0.01)
    time.sleep(0.1)
    cpu1 = tree_cpu(system.master_pid)
    ns = cpu1[0] - cpu0[0]
    ut, st = cpu1[1] - cpu0[1], cpu1[2] - cpu0[2]
    return {'accept': count / (t_accept - t0),
            'deliver': count / (t_deliver - t0),
            'cpu': ns / 1e6 / count,
            'sys': 100.0 * st / (ut + st) if ut + st else 0.0}


# --- machine description -----------------------------------------------

def machine():
    lines = []
    lines.append('ended     %s' % time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime()))
    lines.append('nproc     %d' % os.cpu_count())
    try:
        with open('/proc/cpuinfo') as f:
            model = [l.split(':', 1)[1].strip() for l in f if l.startswith('model name')]
        lines.append('cpu       %s' % (model[0] if model else '?'))
    except OSError:
        pass
    with open('/proc/meminfo') as f:
        mem = int(f.readline().split()[1])
    lines.append('memory    %.1f GiB' % (mem / 1048576))
    df = run(['df', '-hT', tempfile.gettempdir()], check=False).stdout.splitlines()
    if len(df) > 1:
        lines.append('disk      %s' % ' '.join(df[1].split()[:3]) + ' (temp dirs)')
    u = os.uname()
    lines.append('kernel    %s %s %s' % (u.sysname, u.release, u.machine))
    try:
        with open('/etc/debian_version') as f:
            lines.append('debian    %s' % f.read().strip())
    except OSError:
        pass
    return lines


def fsync_probe(directory, writers, seconds=1.5):
    """fsyncs per second on the temp file system: each of `writers`
    threads appends 1 KiB to its own file and fsyncs, over and over."""
    import threading
    stop = time.monotonic() + seconds
    counts = [0] * writers

    def work(i):
        fd = os.open(os.path.join(directory, 'fsync.%d' % i),
                     os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            while time.monotonic() < stop and counts[i] < 1000000:
                os.write(fd, b'x' * 1024)
                os.fsync(fd)
                counts[i] += 1
        finally:
            os.close(fd)
    threads = [threading.Thread(target=work, args=(i,)) for i in range(writers)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(writers):
        os.unlink(os.path.join(directory, 'fsync.%d' % i))
    return sum(counts) / (time.monotonic() - t0)


def loadavg():
    return '%.2f %.2f %.2f' % os.getloadavg()


def med(results, key):
    vals = [r[key] for r in results if 'error' not in r]
    return statistics.median(vals) if vals else None


def table_rows(results, sessions, sizes):
    """[(sessions, size label, postfix medians, dromos medians, ratios)]."""
    rows = []
    for size in sizes:
        for sess in sessions:
            fig = {}
            for name in ('postfix', 'dromos'):
                rs = results.get((name, sess, size), [])
                fig[name] = {k: med(rs, k) for k in ('accept', 'deliver', 'cpu', 'sys')}
                fig[name]['fail'] = sum(1 for r in rs if 'error' in r)
            p, d = fig['postfix'], fig['dromos']
            x = {k: (d[k] / p[k] if p[k] and d[k] is not None else None)
                 for k in ('accept', 'deliver', 'cpu')}
            sz = '%d KiB' % (size // 1024) if size % 1024 == 0 else '%d B' % size
            rows.append((sess, sz, p, d, x))
    return rows


def html_table(rows):
    """The same table as an html fragment for html/performance.html."""
    nm = '<td colspan="4">not yet measured</td>'
    out = ['<table>',
           '<tr><th rowspan="2">sessions</th><th rowspan="2">size</th>'
           '<th colspan="4">Postfix</th><th colspan="4">dromos</th>'
           '<th colspan="3">dromos / Postfix</th></tr>',
           '<tr><th>accepted/s</th><th>delivered/s</th><th>CPU ms/msg</th>'
           '<th>sys %</th><th>accepted/s</th><th>delivered/s</th>'
           '<th>CPU ms/msg</th><th>sys %</th><th>delivered/s</th>'
           '<th>CPU/msg</th><th>accepted/s</th></tr>']
    for sess, sz, p, d, x in rows:
        cells = ['<td>%d</td><td>%s</td>' % (sess, sz)]
        for fig in (p, d):
            if fig['deliver'] is None:
                cells.append(nm)
            else:
                cells.append('<td>%.0f</td><td>%.0f</td><td>%.2f</td><td>%.0f</td>'
                             % (fig['accept'], fig['deliver'], fig['cpu'], fig['sys']))
        if x['deliver'] is None:
            cells.append('<td>-</td>' * 3)
        else:
            cells.append('<td>%.2f</td><td>%.2f</td><td>%.2f</td>'
                         % (x['deliver'], x['cpu'], x['accept']))
        out.append('<tr>' + ''.join(cells) + '</tr>')
    out.append('</table>')
    return '\n'.join(out)


def fmt(v, spec):
    return '-' if v is None else spec % v


def main():
    ap = argparse.ArgumentParser(description='dromos vs Postfix mail path benchmark')
    ap.add_argument('--systems', default='postfix,dromos')
    ap.add_argument('--sessions', default='1,10,50')
    ap.add_argument('--sizes', default='1024,102400')
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--count-small', type=int, default=1000)
    ap.add_argument('--count-large', type=int, default=200)
    ap.add_argument('--timeout', type=int, default=120)
    ap.add_argument('--warmup', type=int, default=50)
    ap.add_argument('--port-postfix', type=int, default=0)
    ap.add_argument('--port-dromos', type=int, default=0)
    ap.add_argument('--keep', action='store_true')
    ap.add_argument('--html', action='store_true')
    ap.add_argument('--no-fsync-probe', dest='fsync_probe', action='store_false')
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit('mailbench: must run as root (instances, test user, local delivery)')
    wanted = [s.strip() for s in args.systems.split(',') if s.strip()]
    sessions = [int(x) for x in args.sessions.split(',')]
    sizes = [int(x) for x in args.sizes.split(',')]
    repeat = max(1, min(args.repeat, 50))
    for n in sessions + sizes + [args.count_small, args.count_large]:
        if n <= 0:
            sys.exit('mailbench: counts must be positive')
    if max(sessions) > 500 or max(sizes) > 50 * 1048576 or \
            max(args.count_small, args.count_large, args.warmup) > 100000:
        sys.exit('mailbench: at most 500 sessions, 50 MiB, 100000 messages')
    status = 0

    def interrupted(signum, frame):
        raise KeyboardInterrupt()
    signal.signal(signal.SIGTERM, interrupted)

    smtp_source = ensure_smtp_source()
    load_before = loadavg()
    fsyncs = None
    started_at = time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())
    base = tempfile.mkdtemp(prefix='mailbench-')
    os.chmod(base, 0o755)
    spread(base)        # Postfix's tree and benchuser's home apart
    user = None
    systems = []       # measured
    everything = []    # to stop and remove at the end
    unavailable = {}
    try:
        user = BenchUser(base)
        if 'postfix' in wanted:
            pf = PostfixSystem(base, args.port_postfix or free_port())
            everything.append(pf)
            pf.setup()
            pf.start()
            systems.append(pf)
        if 'dromos' in wanted:
            dr = DromosSystem(args.port_dromos or free_port())
            everything.append(dr)
            try:
                dr.setup()
                dr.start()
                systems.append(dr)
            except Exception as e:
                unavailable['dromos'] = 'not available: ' + str(e).strip()
                note('dromos %s', unavailable['dromos'][:2000])
                dr.stop()
        if not systems:
            sys.exit('mailbench: no system to measure')

        # Warm-up: forks each system's processes and fills caches; a
        # system that cannot deliver it is reported and left out.
        if args.warmup > 0:
            for sysm in list(systems):
                r = one_run(sysm, user, smtp_source, max(sessions), 1024,
                            args.warmup, args.timeout)
                if 'error' in r:
                    unavailable[sysm.name] = 'warm-up failed: ' + r['error']
                    note('%s: %s; log tail:\n%s', sysm.name,
                         unavailable[sysm.name], sysm.log()[-3000:])
                    systems.remove(sysm)
                    sysm.stop()
                else:
                    note('%s warm-up (%d messages, %d sessions): ok', sysm.name,
                         args.warmup, max(sessions))
        if not systems:
            sys.exit('mailbench: no system to measure')

        results = {}   # (system, sessions, size) -> [dict]
        failures = {}  # system -> failed runs in a row
        for size in sizes:
            count = args.count_small if size < 10240 else args.count_large
            for sess in sessions:
                for rep in range(repeat):
                    order = systems if rep % 2 == 0 else systems[::-1]
                    for sysm in order:
                        if failures.get(sysm.name, 0) >= 2:
                            continue    # two failed runs in a row: dropped
                        r = one_run(sysm, user, smtp_source, sess, size, count,
                                    args.timeout)
                        results.setdefault((sysm.name, sess, size), []).append(r)
                        if 'error' in r:
                            failures[sysm.name] = failures.get(sysm.name, 0) + 1
                            note('%s s=%d size=%d run %d: %s', sysm.name, sess,
                                 size, rep + 1, r['error'])
                            if failures[sysm.name] >= 2:
                                note('%s: two failed runs in a row; no more runs'
                                     ' of it. Log tail:\n%s', sysm.name,
                                     sysm.log()[-3000:])
                                unavailable[sysm.name] = 'dropped after two failed runs'
                        else:
                            failures[sysm.name] = 0
                            note('%s s=%d size=%d run %d: accepted %.1f/s, '
                                 'delivered %.1f/s, %.2f ms CPU/msg (%.0f%% sys)',
                                 sysm.name, sess, size, rep + 1, r['accept'],
                                 r['deliver'], r['cpu'], r['sys'])

        # The machine's fsync rate, measured last: the probe deletes files.
        if args.fsync_probe:
            probe = tempfile.mkdtemp(prefix='mailbench-fsync-')
            try:
                fsyncs = (fsync_probe(probe, 1), fsync_probe(probe, 20))
            finally:
                shutil.rmtree(probe, ignore_errors=True)

        # The table.
        print('mailbench: dromos vs Postfix, medians of %d runs each' % repeat)
        for line in machine():
            print('  ' + line)
        if fsyncs:
            print('  fsync     %.0f/s with 1 writer, %.0f/s with 20 writers'
                  ' (1 KiB append + fsync, temp file system)' % fsyncs)
        print('  started   %s' % started_at)
        print('  load      %s at the start, %s at the end (1, 5, 15 min)'
              % (load_before, loadavg()))
        for s in systems:
            print('  %-9s %s' % (s.name, s.version))
        for name, why in unavailable.items():
            print('  %-9s %s' % (name, why.splitlines()[0] if why else '?'))
        print('  smtp-source %s; messages per run: %d (<10 KiB), %d (larger)'
              % (smtp_source, args.count_small, args.count_large))
        print()
        rows = table_rows(results, sessions, sizes)
        hdr = ('%-5s %6s | %9s %9s %7s %4s | %9s %9s %7s %4s | %6s %6s %6s' % (
            'sess', 'size', 'P acc/s', 'P dlv/s', 'P ms/m', 'sys%',
            'D acc/s', 'D dlv/s', 'D ms/m', 'sys%', 'acc x', 'dlv x', 'cpu x'))
        print(hdr)
        print('-' * len(hdr))
        for sess, sz, p, d, x in rows:
            print('%-5d %6s | %9s %9s %7s %4s | %9s %9s %7s %4s | %6s %6s %6s' % (
                sess, sz,
                fmt(p['accept'], '%.1f'), fmt(p['deliver'], '%.1f'),
                fmt(p['cpu'], '%.2f'), fmt(p['sys'], '%.0f'),
                fmt(d['accept'], '%.1f'), fmt(d['deliver'], '%.1f'),
                fmt(d['cpu'], '%.2f'), fmt(d['sys'], '%.0f'),
                fmt(x['accept'], '%.2f'), fmt(x['deliver'], '%.2f'),
                fmt(x['cpu'], '%.2f')))
            for name, fig in (('postfix', p), ('dromos', d)):
                if fig['fail']:
                    print('      %s: %d failed run(s), see stderr'
                          % (name, fig['fail']))
        print()
        print('P = Postfix, D = dromos; acc/s = messages/s accepted (smtp-source wall'
              ' time); dlv/s = messages/s delivered end to end (last file in'
              ' Maildir/new); ms/m = CPU ms per message of all the system\'s'
              ' processes; sys% = kernel share of that CPU; x = dromos/Postfix'
              ' (target: dlv x >= 1.5, cpu x <= 0.67).')
        if args.html:
            print()
            print(html_table(rows))
    except KeyboardInterrupt:
        note('interrupted; cleaning up')
        status = 1
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        note('error: %s', e)
        status = 1
    finally:
        for s in everything:
            try:
                s.stop()
            except Exception as e:
                note('stopping %s: %s', s.name, e)
            if isinstance(s, DromosSystem):
                s.remove(args.keep)
        if user is not None:
            user.remove()
        if args.keep:
            note('kept %s', base)
        else:
            shutil.rmtree(base, ignore_errors=True)
    sys.exit(status)


if __name__ == '__main__':
    main()
