"""smtp_peer - a scripted SMTP server for testing the smtp client: it
listens on an address of the test's choosing (127.0.0.x) and records every
session, command and message; what it announces and answers is set by the
test.

    peer = SmtpPeer('127.0.0.3', features=['PIPELINING', 'SIZE 100000'])
    peer.rcpt_reply = lambda rcpt, n: (452, '4.2.1 try later') if ... else None
    peer.start()
    ...
    peer.messages   # [Message(mail, mail_params, rcpts, data, session)]
    peer.sessions   # [Session(commands, batches)]
    peer.stop()

Replies: banner (default "220 NAME ESMTP peer"), ehlo_reply (None: 250
with the features; an (code, text) pair refuses EHLO), mail_reply(addr,
params), rcpt_reply(addr, params, index_in_transaction) and data_reply(msg)
return None for the usual 250 or an (code, text) pair. Session.batches
records, for every read from the socket, the command lines that arrived
together (so a test can see that PIPELINING sent MAIL, RCPT and DATA in
one write). Every socket has a timeout; stop() closes the listener and
joins the threads (bounded).
"""
import socket
import threading
import time


class Message:
    def __init__(self, mail, params, rcpts, data, session):
        self.mail = mail
        self.params = params
        self.rcpts = rcpts
        self.data = data
        self.session = session


class Session:
    def __init__(self):
        self.commands = []
        self.batches = []
        self.closed_without_quit = False


class SmtpPeer:
    def __init__(self, address='127.0.0.3', port=0, name='peer.test',
                 features=('PIPELINING', '8BITMIME', 'SIZE 10240000')):
        self.address = address
        self.port = port
        self.name = name
        self.features = list(features)
        self.banner = (220, '%s ESMTP peer' % name)
        self.ehlo_reply = None
        self.mail_reply = lambda addr, params: None
        self.rcpt_reply = lambda addr, params, n: None
        self.data_reply = lambda msg: None
        self.messages = []
        self.sessions = []
        self.lock = threading.Lock()
        self.sock = None
        self.threads = []
        self.running = False

    def start(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((self.address, self.port))
        self.port = self.sock.getsockname()[1]
        self.sock.listen(50)
        self.sock.settimeout(0.2)
        self.running = True
        t = threading.Thread(target=self._accept, daemon=True)
        t.start()
        self.threads.append(t)
        return self

    def stop(self):
        self.running = False
        for t in list(self.threads):
            t.join(timeout=10)
        if self.sock:
            self.sock.close()
            self.sock = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def nexthop(self):
        return '[%s]:%d' % (self.address, self.port)

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            t.start()
            with self.lock:
                self.threads.append(t)

    def _serve(self, conn):
        session = Session()
        with self.lock:
            self.sessions.append(session)
        conn.settimeout(30)
        buf = b''
        out = []

        def reply(code, text):
            lines = text.split('\n') if isinstance(text, str) else text
            for i, line in enumerate(lines):
                sep = ' ' if i == len(lines) - 1 else '-'
                out.append(('%d%s%s\r\n' % (code, sep, line)).encode())

        def flush():
            if out:
                conn.sendall(b''.join(out))
                del out[:]

        def std(result, default=(250, '2.0.0 Ok')):
            reply(*(result or default))

        mail = None
        params = ''
        rcpts = []
        try:
            reply(*self.banner)
            flush()
            if self.banner[0] != 220:
                return
            while self.running:
                try:
                    chunk = conn.recv(65536)
                except socket.timeout:
                    return
                if not chunk:
                    session.closed_without_quit = True
                    return
                buf += chunk
                batch = []
                while b'\r\n' in buf:
                    line, buf = buf.split(b'\r\n', 1)
                    cmd = line.decode('latin-1')
                    batch.append(cmd)
                    session.commands.append(cmd)
                    verb = cmd.split(' ', 1)[0].upper()
                    if verb == 'EHLO':
                        if self.ehlo_reply:
                            reply(*self.ehlo_reply)
                        else:
                            reply(250, [self.name] + self.features)
                    elif verb == 'HELO':
                        reply(250, self.name)
                    elif verb == 'MAIL':
                        arg = cmd[10:]
                        addr, _, params = arg.partition('>')
                        mail = addr.lstrip('<')
                        params = params.strip()
                        rcpts = []
                        r = self.mail_reply(mail, params)
                        if r:
                            mail = None
                        std(r)
                    elif verb == 'RCPT':
                        arg = cmd[8:]
                        addr, _, rparams = arg.partition('>')
                        addr = addr.lstrip('<')
                        r = self.rcpt_reply(addr, rparams.strip(), len(rcpts))
                        if mail is not None and not r:
                            rcpts.append((addr, rparams.strip()))
                        std(r)
                    elif verb == 'DATA':
                        if mail is None or not rcpts:
                            reply(554, '5.5.1 Error: no valid recipients')
                            continue
                        reply(354, 'End data with <CR><LF>.<CR><LF>')
                        flush()
                        data = self._read_data(conn, buf)
                        buf = data[1]
                        msg = Message(mail, params, [a for a, _ in rcpts],
                                      data[0], session)
                        msg.rcpt_params = [p for _, p in rcpts]
                        r = self.data_reply(msg)
                        if not r:
                            with self.lock:
                                self.messages.append(msg)
                        std(r, (250, '2.0.0 Ok: queued as PEER%d' %
                                len(self.messages)))
                        mail = None
                        rcpts = []
                    elif verb == 'RSET':
                        mail = None
                        rcpts = []
                        std(None)
                    elif verb == 'QUIT':
                        reply(221, '2.0.0 Bye')
                        flush()
                        return
                    elif verb == 'NOOP':
                        std(None)
                    else:
                        reply(502, '5.5.2 Error: command not recognized')
                session.batches.append(batch)
                flush()
        except OSError:
            session.closed_without_quit = True
        finally:
            conn.close()

    def _read_data(self, conn, buf):
        """The content up to CRLF.CRLF, dot-unstuffed; and what is left."""
        deadline = time.monotonic() + 60
        while b'\r\n.\r\n' not in b'\r\n' + buf:
            if time.monotonic() > deadline:
                raise OSError('data timeout')
            chunk = conn.recv(65536)
            if not chunk:
                raise OSError('lost connection in data')
            buf += chunk
        full = b'\r\n' + buf
        end = full.index(b'\r\n.\r\n')
        body = full[2:end + 2] if end > 0 else b''
        rest = full[end + 5:]
        lines = body.split(b'\r\n')
        lines = [l[1:] if l.startswith(b'.') else l for l in lines]
        return b'\r\n'.join(lines), rest
