"""aliastest - build an alias map for a test instance.

    build_aliases(m, path, text, owner=None)

writes the aliases(5) source path (owned by owner, a pwd entry, when
given) and builds path.db: with "drommap -a" when drommap has the aliases
format, else from the same entries, parsed by alias_parse (the alias_kv
helper), through drommap's key/value format. The map gets the source's
owner either way, which decides who runs the map's commands.
"""
import os
import subprocess

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DROMMAP = os.path.join(TOP, 'bin', 'drommap')
ALIAS_KV = os.path.join(TOP, 'tests', 'aliases', 'alias_kv')


def build_aliases(m, path, text=None, owner=None):
    if text is not None:
        with open(path, 'w') as f:
            f.write(text)
        os.chmod(path, 0o644)
    if owner:
        os.chown(path, owner.pw_uid, owner.pw_gid)
    res = subprocess.run([DROMMAP, '-c', m.config_dir, '-a', 'hash:' + path],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if res.returncode == 0:
        return
    kv = subprocess.run([ALIAS_KV, path], stdout=subprocess.PIPE,
                        check=True).stdout
    tmp = path + '.kv'
    with open(tmp, 'wb') as f:
        f.write(kv)
    st = os.stat(path)
    os.chown(tmp, st.st_uid, st.st_gid)
    subprocess.run([DROMMAP, '-c', m.config_dir, 'hash:' + tmp], check=True)
    os.rename(tmp + '.db', path + '.db')
    os.unlink(tmp)
