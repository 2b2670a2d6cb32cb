"""Documentation and source-rule checks."""
import os
import re
import subprocess

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
HTML = os.path.join(TOP, 'html')


def program_sources():
    with open(os.path.join(TOP, 'Makefile')) as f:
        text = f.read()
    m = re.search(r'^PROGRAM_SOURCES\s*=\s*((?:.*\\\n)*.*)$', text, re.M)
    return m.group(1).replace('\\\n', ' ').split()


def test_program_pages_are_generated_from_source():
    stale = []
    for src in program_sources():
        name = os.path.basename(src)[:-2]
        want = subprocess.run(['/usr/bin/python3', os.path.join(TOP, 'auxiliary', 'srctohtml'),
                               os.path.join(TOP, src)], stdout=subprocess.PIPE,
                              text=True, check=True).stdout
        path = os.path.join(HTML, name + '.html')
        have = open(path).read() if os.path.exists(path) else None
        if have != want:
            stale.append(name)
    assert stale == [], 'stale html pages (run make html): %s' % stale


def test_every_program_folder_has_a_page():
    libs = {'util', 'global', 'tls', 'sasl', 'dns'}
    missing = [d for d in os.listdir(os.path.join(TOP, 'src'))
               if os.path.isdir(os.path.join(TOP, 'src', d)) and d not in libs
               and not os.path.exists(os.path.join(HTML, d + '.html'))]
    assert missing == []


def test_every_program_source_is_listed():
    listed = {os.path.basename(s)[:-2] for s in program_sources()}
    libs = {'util', 'global', 'tls', 'sasl', 'dns'}
    folders = {d for d in os.listdir(os.path.join(TOP, 'src'))
               if os.path.isdir(os.path.join(TOP, 'src', d)) and d not in libs}
    assert folders <= listed, 'programs without a generated page: %s' % (folders - listed)


def test_local_links_resolve():
    bad = []
    for page in sorted(os.listdir(HTML)):
        if not page.endswith('.html'):
            continue
        text = open(os.path.join(HTML, page)).read()
        for href in re.findall(r'href="([^"#:]+)(?:#[^"]*)?"', text):
            if not os.path.exists(os.path.join(HTML, href)):
                bad.append('%s -> %s' % (page, href))
    assert bad == []


BANNED = re.compile(r'\b(strcpy|strcat|sprintf|vsprintf|gets|system|popen|strtok|tmpnam|mktemp)\s*\(')


def strip_comments_and_strings(text):
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    return text


def test_no_banned_calls_in_source():
    hits = []
    for root, _, files in os.walk(os.path.join(TOP, 'src')):
        for name in files:
            if name.endswith(('.c', '.h')):
                path = os.path.join(root, name)
                text = strip_comments_and_strings(open(path, errors='replace').read())
                for m in BANNED.finditer(text):
                    # snprintf/vsnprintf/fgets etc. do not match thanks to \b
                    hits.append('%s: %s' % (os.path.relpath(path, TOP), m.group(0)))
    assert hits == []


def test_banned_call_checker_catches_a_call():
    assert BANNED.search(strip_comments_and_strings('x; strcpy(a, b);'))
    assert not BANNED.search(strip_comments_and_strings('snprintf(a, 1, "strcpy(")'))
