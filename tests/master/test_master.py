"""master and the server skeletons, end to end: a real master (as root)
runs tests/master/testsvc, a single_server daemon, on 127.0.0.1."""
import os
import re
import signal
import socket
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from dromos_instance import world_copy  # noqa: E402

from conftest import (TESTSVC, alive, children_of, proc_status, talk, wait_for,
                      whoami, free_port)


def fatal_lines(text):
    return [l for l in text.splitlines() if 'fatal:' in l]


# --- start-up and the lock -------------------------------------------------

def test_daemon_start_lock_and_test_mode(inst):
    assert inst.run_master('-t').returncode == 0          # not running
    res = inst.start_daemon()
    assert res.returncode == 0, res.stderr
    pid = inst.master_pid
    assert alive(pid)
    st = proc_status(pid)
    assert st['Uid'].split()[0] == '0'
    assert inst.run_master('-t').returncode == 1          # running
    again = inst.run_master('-w')
    assert again.returncode != 0
    assert 'the dromos mail system is already running (pid %d)' % pid in again.stderr
    assert len(fatal_lines(again.stderr)) == 1, again.stderr
    inst.stop()
    assert not alive(pid)
    assert inst.run_master('-t').returncode == 0
    assert inst.own_processes() == []


def test_refuses_non_root(inst):
    # A copy any user can run: the build tree may be under /root (0700).
    master = world_copy(os.path.join(os.path.dirname(TESTSVC), '..', '..',
                                     'libexec', 'master'))
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            os.dup2(w, 2)
            os.setgid(inst.owner.pw_gid)
            os.setuid(inst.owner.pw_uid)
            os.execv(master, ['master', '-c', inst.config_dir, '-f'])
        except OSError as e:
            os.write(2, ('exec %s: %s\n' % (master, e)).encode())
        finally:
            os._exit(99)
    os.close(w)
    err = b''
    while True:
        chunk = os.read(r, 4096)
        if not chunk:
            break
        err += chunk
    os.close(r)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 1, err
    assert b'fatal: must be run by the super-user' in err


# --- processes on demand, privileges, chroot --------------------------------

def test_child_spawned_on_demand_unprivileged_and_chrooted(inst):
    inst.start()
    time.sleep(0.3)
    assert inst.children() == [] or all(
        TESTSVC not in open('/proc/%d/cmdline' % p).read() for p in inst.children())
    who = whoami(inst.port)
    pid = int(who['pid'])
    assert pid in inst.children()
    assert int(who['uid']) == inst.owner.pw_uid
    assert int(who['gid']) == inst.owner.pw_gid
    st = proc_status(pid)
    assert st['Uid'].split() == [str(inst.owner.pw_uid)] * 4
    assert st['Gid'].split() == [str(inst.owner.pw_gid)] * 4
    assert st['Groups'].split() == [str(inst.owner.pw_gid)]
    assert os.readlink('/proc/%d/root' % pid) == inst.queue_dir
    assert os.readlink('/proc/%d/cwd' % pid) == inst.queue_dir
    # The same idle process serves the next client.
    time.sleep(0.3)
    assert int(whoami(inst.port)['pid']) == pid
    # Its environment is only import_environment plus MAIL_CONFIG.
    with open('/proc/%d/environ' % pid, 'rb') as f:
        names = {e.split(b'=', 1)[0].decode() for e in f.read().split(b'\0') if e}
    assert 'MAIL_CONFIG' in names
    assert names <= {'MAIL_CONFIG', 'TZ', 'LANG'}
    inst.wait_log('connect from 127.0.0.1')


def test_echo_and_concurrency(inst):
    inst.start()
    assert talk(inst.port, ['hello', 'world']) == ['hello', 'world']
    # Two clients at once get two processes.
    a = socket.create_connection(('127.0.0.1', inst.port), timeout=10)
    b = socket.create_connection(('127.0.0.1', inst.port), timeout=10)
    try:
        pids = set()
        for s in (a, b):
            s.sendall(b'whoami\n')
            line = s.makefile().readline()
            pids.add(line.split()[0])
        assert len(pids) == 2
    finally:
        a.close()
        b.close()


def test_multi_server_serves_clients_in_one_process(inst):
    """multi_server: one process for all clients; each connection is
    served request by request, interleaved; one client leaving does not
    end the others."""
    inst.write_master_cf([inst.svc_line(inst.port, args='multi')])
    inst.start()
    socks = [socket.create_connection(('127.0.0.1', inst.port), timeout=10)
             for _ in range(3)]
    files = [s.makefile('rw') for s in socks]
    try:
        pids = set()
        for rnd in range(2):
            for f in files:
                f.write('whoami\n')
                f.flush()
            for f in files:
                pids.add(f.readline().split()[0])
        assert len(pids) == 1, pids
        files[0].write('quit\n')
        files[0].flush()
        for f in files[1:]:
            f.write('still here\n')
            f.flush()
            assert f.readline() == 'still here\n'
    finally:
        for s in socks:
            s.close()


# --- crashes and back-off ---------------------------------------------------

def test_killed_child_is_logged_and_replaced_after_backoff(inst):
    inst.start()
    pid = int(whoami(inst.port)['pid'])
    os.kill(pid, signal.SIGKILL)
    inst.wait_log('process %s pid %d killed by signal 9' % (TESTSVC, pid))
    inst.wait_log('throttling')
    t0 = time.monotonic()
    new = int(whoami(inst.port, timeout=20)['pid'])
    assert new != pid
    assert time.monotonic() - t0 < 10
    assert alive(inst.master_pid)


def test_bad_exit_status_throttles_with_growing_backoff(inst):
    # A command that exits 1 at once: logged, throttled, back-off grows.
    bad = os.path.join(inst.root, 'bad.sh')
    with open(bad, 'w') as f:
        f.write('#!/bin/sh\nexit 1\n')
    os.chmod(bad, 0o755)
    port = free_port()
    inst.write_master_cf([inst.svc_line(inst.port),
                          '127.0.0.1:%d inet n - y - 1 %s' % (port, bad)])
    inst.start()
    # A client waits in the listen queue (no busy loop, master stays up).
    s = socket.create_connection(('127.0.0.1', port), timeout=10)
    try:
        inst.wait_log('process %s pid' % bad)
        inst.wait_log('exit status 1')
        inst.wait_log('%s: bad command startup -- throttling for 1s' % bad)
        inst.wait_log('%s: bad command startup -- throttling for 2s' % bad, timeout=15)
    finally:
        s.close()
    n = len(re.findall('process %s pid' % re.escape(bad), inst.log()))
    assert n < 10, 'no busy loop expected, saw %d starts' % n
    # The other service is unaffected.
    assert whoami(inst.port)


# --- max_use ------------------------------------------------------------------

def test_max_use_from_master_cf_override(inst):
    inst.write_master_cf([inst.svc_line(inst.port, args='-o max_use=2')])
    inst.start()
    served = {}
    for _ in range(6):
        pid = int(whoami(inst.port)['pid'])
        served[pid] = served.get(pid, 0) + 1
        time.sleep(0.3)          # let the process report that it is idle
    assert max(served.values()) == 2, served
    for pid, count in served.items():
        if count == 2:
            wait_for(lambda: not alive(pid), timeout=10,
                     what='process %d to exit after max_use' % pid)
    assert 'killed by signal' not in inst.log()
    assert 'exit status' not in inst.log()


def test_max_idle_ends_idle_process(inst):
    inst.write_master_cf([inst.svc_line(inst.port, args='-o max_idle=1')])
    inst.start()
    pid = int(whoami(inst.port)['pid'])
    wait_for(lambda: not alive(pid), timeout=10, what='idle process to exit')
    assert int(whoami(inst.port)['pid']) != pid


# --- reload -------------------------------------------------------------------

def test_reload_adds_service_and_retires_old_processes(inst):
    inst.start()
    old = int(whoami(inst.port)['pid'])
    port2 = free_port()
    inst.write_master_cf([inst.svc_line(inst.port), inst.svc_line(port2)])
    inst.hup()
    inst.wait_log('reload -- version')
    inst.wait_log('configuration %s' % inst.config_dir)
    who2 = whoami(port2)
    assert int(who2['uid']) == inst.owner.pw_uid
    # The old idle process exits; the kept listener serves with a new one.
    wait_for(lambda: not alive(old), timeout=10, what='old process to exit')
    assert int(whoami(inst.port)['pid']) != old
    assert 'killed by signal' not in inst.log()


def test_reload_lets_busy_process_finish(inst):
    inst.start()
    s = socket.create_connection(('127.0.0.1', inst.port), timeout=10)
    f = s.makefile('rw')
    f.write('whoami\n')
    f.flush()
    busy = int(f.readline().split()[0].split('=')[1])
    port2 = free_port()
    inst.write_master_cf([inst.svc_line(port2)])            # first one removed
    inst.hup()
    inst.wait_log('reload -- version')
    assert whoami(port2)
    time.sleep(0.5)
    assert alive(busy)                                      # still serving us
    f.write('still here\n')
    f.flush()
    assert f.readline().strip() == 'still here'
    f.write('quit\n')
    f.flush()
    s.close()
    wait_for(lambda: not alive(busy), timeout=10, what='busy process to exit')
    with pytest.raises(OSError):
        socket.create_connection(('127.0.0.1', inst.port), timeout=2).close()


def test_reload_with_broken_main_cf_keeps_old_config(inst):
    inst.start()
    pid = int(whoami(inst.port)['pid'])
    inst.write_main(text='myorigin = $mydomain\nmydomain = $myorigin\n')
    inst.hup()
    inst.wait_log('configuration not reloaded')
    assert re.search(r'error: .*main\.cf, line \d+', inst.log()), inst.log()
    assert 'reload -- version' not in inst.log()
    assert alive(inst.master_pid)
    assert int(whoami(inst.port)['pid']) == pid


def test_reload_with_broken_master_cf_keeps_old_config(inst):
    inst.start()
    whoami(inst.port)
    inst.write_master_cf([inst.svc_line(inst.port), 'broken inet n - y - notanumber x'])
    inst.hup()
    inst.wait_log('configuration not reloaded')
    assert re.search(r'error: .*master\.cf, line \d+', inst.log()), inst.log()
    assert whoami(inst.port)


# --- refusing to start --------------------------------------------------------

@pytest.mark.parametrize('case', ['main_loop', 'main_syntax', 'master_line',
                                  'master_missing', 'main_missing'])
def test_refuses_broken_configuration(inst, case):
    main_cf = os.path.join(inst.config_dir, 'main.cf')
    master_cf = os.path.join(inst.config_dir, 'master.cf')
    want_file, want_line = main_cf, True
    if case == 'main_loop':
        inst.write_main(text='myorigin = $mydomain\nmydomain = $myorigin\n')
    elif case == 'main_syntax':
        inst.write_main(text='this line is not a parameter\n')
    elif case == 'master_line':
        inst.write_master_cf([inst.svc_line(inst.port), 'x inet n - y - 1'])
        want_file = master_cf
    elif case == 'master_missing':
        os.unlink(master_cf)
        want_file, want_line = master_cf, False
    elif case == 'main_missing':
        os.unlink(main_cf)
        want_line = False
    for args in (['-f'], ['-w']):
        res = inst.run_master(*args)
        assert res.returncode != 0
        fatal = fatal_lines(res.stderr)
        assert len(fatal) == 1, res.stderr
        assert want_file in fatal[0]
        if want_line:
            assert re.search(r', line \d+', fatal[0]), fatal[0]
    assert inst.read_pidfile() is None
    assert inst.own_processes() == []
    with pytest.raises(OSError):
        socket.create_connection(('127.0.0.1', inst.port), timeout=2).close()


# --- stopping -----------------------------------------------------------------

def test_sigterm_stops_everything(inst):
    port2 = free_port()
    inst.write_master_cf([inst.svc_line(inst.port), inst.svc_line(port2)])
    inst.start()
    master = inst.master_pid
    busy = socket.create_connection(('127.0.0.1', inst.port), timeout=10)
    busy.sendall(b'whoami\n')
    busy.recv(100)
    whoami(port2)
    kids = inst.children()
    assert len(kids) >= 2
    status = inst.stop()
    busy.close()
    assert status == 0
    assert 'terminating on signal 15' in inst.log()
    for pid in kids:
        assert not alive(pid)
    assert children_of(master) == []
    assert inst.own_processes() == []
    assert not os.path.exists(inst.pidfile())


# --- the log service --------------------------------------------------------

def test_logd_receives_master_and_service_records(inst):
    if not inst.use_logd:
        pytest.skip('logd is not built')
    inst.start()
    sock = os.path.join(inst.queue_dir, 'public', 'dromlog')
    st = os.stat(sock)
    # A public datagram socket: root, mail_owner and $setgid_group only.
    assert oct(st.st_mode & 0o777) == '0o660'
    whoami(inst.port)

    def maillog():
        try:
            return open(inst.maillog, errors='replace').read()
        except FileNotFoundError:
            return ''
    wait_for(lambda: 'daemon started' in maillog(), what='master record in maillog')
    wait_for(lambda: 'connect from 127.0.0.1' in maillog(), what='testsvc record in maillog')
    inst.stop()
    wait_for(lambda: 'terminating on signal 15' in maillog(), timeout=5,
             what='last master record in maillog')


# --- other transports -------------------------------------------------------

def test_unix_sockets_modes_and_wakeup(inst):
    inst.write_master_cf([inst.svc_line(inst.port),
                          'privsvc unix - - y 1 1 %s' % TESTSVC,
                          'pubsvc unix n - y - 1 %s' % TESTSVC])
    inst.start()
    priv = os.path.join(inst.queue_dir, 'private', 'privsvc')
    pub = os.path.join(inst.queue_dir, 'public', 'pubsvc')
    for path, mode in ((priv, 0o600), (pub, 0o666)):
        st = os.stat(path)
        assert st.st_mode & 0o777 == mode, path
        assert st.st_uid == inst.owner.pw_uid, path
    # Wake-up triggers arrive every second as connections carrying "W".
    wait_for(lambda: inst.log().count('privsvc: connect from unix') >= 2,
             timeout=8, what='two wake-up connections')
    # The public one answers a local client.
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(10)
        s.connect(pub)
        s.sendall(b'whoami\nquit\n')
        reply = s.makefile().readline()
    assert reply.startswith('pid=')


def test_pass_service_gets_client_descriptor(inst):
    inst.write_master_cf([inst.svc_line(inst.port),
                          'passsvc pass n - y - 1 %s' % TESTSVC])
    inst.start()
    path = os.path.join(inst.queue_dir, 'public', 'passsvc')
    client, server_end = socket.socketpair()
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(10)
        s.connect(path)
        socket.send_fds(s, [b'x'], [server_end.fileno()])
    server_end.close()
    client.settimeout(10)
    client.sendall(b'whoami\nquit\n')
    reply = client.makefile().readline()
    client.close()
    assert reply.startswith('pid=')


def test_bare_port_listens_on_ipv4_and_ipv6(inst):
    if not socket.has_ipv6 or not os.path.exists('/proc/net/if_inet6'):
        pytest.skip('no IPv6')
    port = free_port()
    inst.write_main(inet_interfaces='all', inet_protocols='all')
    inst.write_master_cf(['%d inet n - y - - %s' % (port, TESTSVC)])
    inst.start()
    assert whoami(port)
    with socket.create_connection(('::1', port), timeout=10) as s:
        s.sendall(b'whoami\nquit\n')
        assert s.makefile().readline().startswith('pid=')
    # inet_protocols = ipv4: no IPv6 listener.
    inst.write_main(inet_protocols='ipv4')
    inst.hup()
    inst.wait_log('reload -- version')

    def served():
        try:
            return whoami(port, timeout=5)
        except OSError:
            return None
    assert wait_for(served, timeout=10, what='IPv4 service after reload')
    with pytest.raises(OSError):
        socket.create_connection(('::1', port), timeout=2).close()


# --- the skeleton without master ---------------------------------------------

def test_skeleton_refuses_without_master_and_serves_stand_alone(inst):
    import subprocess
    res = subprocess.run([TESTSVC, '-c', inst.config_dir, '-n', 'x', '-t', 'inet'],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, timeout=30,
                         close_fds=True)
    assert res.returncode == 1
    assert 'no master' in res.stderr
    ours, theirs = socket.socketpair()
    proc = subprocess.Popen([TESTSVC, '-S', '-c', inst.config_dir, '-u'],
                            stdin=theirs, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    theirs.close()
    ours.settimeout(20)
    ours.sendall(b'whoami\nquit\n')
    reply = ours.makefile().readline()
    ours.close()
    err = proc.communicate(timeout=20)[1]
    assert proc.returncode == 0, err
    assert reply.startswith('pid=')
    assert 'uid=%d ' % inst.owner.pw_uid in reply
