"""make install into a temporary root, then post-install: every manifest
entry ends up with its owner, group and mode; an administrator's main.cf
survives a reinstall; post-install can run again."""
import grp
import os
import pwd
import stat
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dromos_instance import Instance, TOP, run  # noqa: E402

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason='needs root')


def manifest_entries(inst):
    subst = {'$config_directory': inst.config_dir, '$queue_directory': inst.queue_dir,
             '$data_directory': inst.data_dir, '$daemon_directory': inst.daemon_dir,
             '$command_directory': inst.command_dir}
    out = []
    with open(os.path.join(TOP, 'postinstall', 'dromos-files')) as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith('#'):
                continue
            path, typ, owner, group, mode, flags, source = line.split()
            if '$html_directory' in path:
                continue
            for k, v in subst.items():
                path = path.replace(k, v)
            out.append((n, path, typ, owner, group, mode, flags, source))
    return out


@pytest.fixture(scope='module')
def inst():
    i = Instance().setup()
    yield i
    i.cleanup()


def test_manifest_owners_and_modes(inst):
    problems = []
    for n, path, typ, owner, group, mode, flags, source in manifest_entries(inst):
        if 'o' in flags and not os.path.exists(source):
            continue
        if not os.path.lexists(path):
            problems.append('line %d: %s missing' % (n, path))
            continue
        st = os.lstat(path)
        want_owner = {'-': 'root', '$mail_owner': 'dromos'}.get(owner, owner)
        if pwd.getpwuid(st.st_uid).pw_name != want_owner:
            problems.append('%s: owner %s, want %s' % (path, pwd.getpwuid(st.st_uid).pw_name, want_owner))
        if group == '$setgid_group' and grp.getgrgid(st.st_gid).gr_name != 'dromdrop':
            problems.append('%s: group %s, want dromdrop' % (path, grp.getgrgid(st.st_gid).gr_name))
        if mode != '-' and typ != 'D' and stat.S_IMODE(st.st_mode) != int(mode, 8):
            problems.append('%s: mode %o, want %s' % (path, stat.S_IMODE(st.st_mode), mode))
        if typ == 'd' and not stat.S_ISDIR(st.st_mode):
            problems.append('%s: not a folder' % path)
    assert problems == []


def test_user_and_group_exist(inst):
    pw = pwd.getpwnam('dromos')
    assert pw.pw_uid != 0
    assert grp.getgrnam('dromdrop')


def test_chroot_copies_match_the_system(inst):
    with open('/etc/services', 'rb') as a, \
         open(os.path.join(inst.queue_dir, 'etc', 'services'), 'rb') as b:
        assert a.read() == b.read()


def test_reinstall_keeps_edited_main_cf(inst):
    inst.set_main(myhostname='kept.example.test')
    run(['make', '-s', '-C', TOP, 'install', 'DESTDIR=' + inst.root], timeout=600)
    assert inst.dromconf('-h', 'myhostname').stdout.strip() == 'kept.example.test'
    inst.set_main(myhostname=inst.hostname)


def test_post_install_repairs_modes_and_is_idempotent(inst):
    incoming = os.path.join(inst.queue_dir, 'incoming')
    os.chmod(incoming, 0o777)
    env = dict(os.environ, PATH=inst.command_dir + ':' + os.environ.get('PATH', '/usr/bin:/bin'))
    for _ in range(2):
        run([os.path.join(inst.daemon_dir, 'post-install'), '-c', inst.config_dir], env=env)
    assert stat.S_IMODE(os.stat(incoming).st_mode) == 0o700


def test_post_install_refuses_root_mail_owner(inst):
    inst.set_main(mail_owner='root')
    try:
        env = dict(os.environ, PATH=inst.command_dir + ':' + os.environ.get('PATH', '/usr/bin:/bin'))
        res = run([os.path.join(inst.daemon_dir, 'post-install'), '-c', inst.config_dir],
                  env=env, check=False)
        assert res.returncode != 0
        assert 'mail_owner must not be root' in res.stderr
    finally:
        inst.set_main(mail_owner='dromos')


def test_installed_programs_run(inst):
    res = inst.dromconf('-h', 'queue_directory')
    assert res.stdout.strip() == inst.queue_dir
    assert os.access(os.path.join(inst.daemon_dir, 'master'), os.X_OK)
