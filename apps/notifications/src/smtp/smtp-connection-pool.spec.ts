import { AddressInfo, Socket, createServer } from 'node:net';
import { SMTPServer, SMTPServerOptions } from 'smtp-server';
import { isPermanentSmtpFailure } from './mail-transport';
import { SmtpConnectionPool, SmtpConnectionSettings } from './smtp-connection-pool';

/** What the server saw: messages by recipient, connections opened, the most open at once. */
interface Seen {
  messages: Map<string, string>;
  connections: number;
  open: number;
  mostOpen: number;
}

/** A real SMTP server on a free port, recording what it receives. */
async function startServer(options: Partial<SMTPServerOptions> = {}) {
  const seen: Seen = { messages: new Map(), connections: 0, open: 0, mostOpen: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      seen.connections += 1;
      seen.open += 1;
      seen.mostOpen = Math.max(seen.mostOpen, seen.open);
      callback();
    },
    onClose() {
      seen.open -= 1;
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('unknown@')) {
        callback(Object.assign(new Error('5.1.1 Mailbox unavailable'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        for (const to of session.envelope.rcptTo) {
          seen.messages.set(to.address, Buffer.concat(chunks).toString('utf8'));
        }
        callback(null);
      });
    },
    ...options,
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    seen,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function settings(port: number, overrides: Partial<SmtpConnectionSettings> = {}) {
  return {
    host: '127.0.0.1',
    port,
    secure: false,
    requireTls: false,
    maxConnections: 3,
    maxMessages: 4,
    connectionTimeoutMs: 2_000,
    socketTimeoutMs: 5_000,
    ...overrides,
  };
}

function message(to: string, body: string): Buffer {
  return Buffer.from(
    `From: noreply@partners.example\r\nTo: ${to}\r\nSubject: Test\r\n\r\n${body}\r\n`,
    'utf8',
  );
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('SmtpConnectionPool', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (closers.length > 0) await closers.pop()!();
  });

  /** A pool connecting to `port`, destroyed after the test. */
  const openPool = (port: number, overrides: Partial<SmtpConnectionSettings> = {}) => {
    const pool = new SmtpConnectionPool(settings(port, overrides));
    closers.push(() => pool.destroy());
    return pool;
  };

  /** The error a send of one message to `to` fails with (a send that succeeds fails the test). */
  const failureOf = (pool: SmtpConnectionPool, to: string): Promise<unknown> =>
    pool.send({ from: 'a@partners.example', to: [to] }, message(to, 'x')).then(
      () => {
        throw new Error(`the send to ${to} succeeded`);
      },
      (error: unknown) => error,
    );

  it('sends every message once over at most maxConnections, replacing each after maxMessages', async () => {
    const server = await startServer();
    closers.push(server.close);
    const pool = openPool(server.port);

    const recipients = Array.from({ length: 25 }, (_, i) => `customer${i}@example.test`);
    const infos = await Promise.all(
      recipients.map((to) =>
        pool.send(
          { from: 'noreply@partners.example', to: [to] },
          message(to, `Hello ${to}\r\n.a line that starts with a dot`),
        ),
      ),
    );

    expect(infos.every((info) => /^250 /.test(info.response))).toBe(true);
    expect([...server.seen.messages.keys()].sort()).toEqual([...recipients].sort());
    expect(server.seen.messages.get('customer7@example.test')).toContain(
      'Hello customer7@example.test\r\n.a line that starts with a dot',
    );
    expect(server.seen.mostOpen).toBeLessThanOrEqual(3);
    expect(server.seen.connections).toBeGreaterThanOrEqual(Math.ceil(25 / 4));
  });

  it('answers a refused recipient with the server reply (permanent) and keeps sending', async () => {
    const server = await startServer();
    closers.push(server.close);
    const pool = openPool(server.port, { maxConnections: 1 });

    const refused = await failureOf(pool, 'unknown@example.test');
    expect(refused).toMatchObject({ responseCode: 550 });
    expect(isPermanentSmtpFailure(refused)).toBe(true);

    const info = await pool.send(
      { from: 'noreply@partners.example', to: ['known@example.test'] },
      message('known@example.test', 'after the refusal'),
    );
    expect(info.response).toMatch(/^250 /);
    expect(server.seen.messages.get('known@example.test')).toContain('after the refusal');
    // The connection of the refused message was dropped, as nodemailer's pool drops it.
    expect(server.seen.connections).toBe(2);
  });

  it('opens a new connection when the server has closed the previous one', async () => {
    const server = await startServer({ socketTimeout: 200 });
    closers.push(server.close);
    const pool = openPool(server.port, { maxConnections: 1 });

    await pool.send({ from: 'a@partners.example', to: ['one@example.test'] }, message('one', '1'));
    // The server drops the idle client after its socket timeout.
    await until(() => server.seen.open === 0);
    expect(server.seen.open).toBe(0);

    const info = await pool.send(
      { from: 'a@partners.example', to: ['two@example.test'] },
      message('two', '2'),
    );
    expect(info.response).toMatch(/^250 /);
    expect(server.seen.connections).toBe(2);
  });

  it('fails the send (never hangs) when the server stops answering in the middle of it', async () => {
    const server = await startServer({
      onData(stream) {
        // Takes the message and never answers the end of DATA.
        stream.on('data', () => undefined);
      },
    });
    closers.push(server.close);
    const pool = openPool(server.port, { maxConnections: 1, socketTimeoutMs: 300 });

    const error = await failureOf(pool, 'slow@example.test');
    expect(error).toMatchObject({ code: 'ETIMEDOUT' });
    expect(isPermanentSmtpFailure(error)).toBe(false);
  });

  it('fails the send (never hangs) when the server drops the connection during DATA', async () => {
    // A bare SMTP server that closes the connection once the message starts.
    const sockets: Socket[] = [];
    const bare = createServer((socket) => {
      sockets.push(socket);
      socket.write('220 bare.example ESMTP\r\n');
      socket.on('data', (chunk: Buffer) => {
        const line = chunk.toString('utf8');
        if (/^EHLO/i.test(line)) socket.write('250 bare.example\r\n');
        else if (/^(MAIL|RCPT)/i.test(line)) socket.write('250 OK\r\n');
        else if (/^DATA/i.test(line)) socket.write('354 go ahead\r\n');
        else socket.destroy();
      });
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => bare.close(() => resolve()));
    });
    const pool = openPool((bare.address() as AddressInfo).port, { maxConnections: 1 });

    const error = await failureOf(pool, 'gone@example.test');
    expect(error).toMatchObject({ code: 'ECONNECTION' });
    expect(isPermanentSmtpFailure(error)).toBe(false);
  });

  it('fails a send with a temporary error when the server cannot be reached', async () => {
    const server = await startServer();
    const port = server.port;
    await server.close();
    const pool = openPool(port);

    const error = await failureOf(pool, 'b@example.test');
    expect(error).toMatchObject({
      code: 'ESOCKET',
      message: expect.stringContaining('ECONNREFUSED') as unknown,
    });
    expect(isPermanentSmtpFailure(error)).toBe(false);
  });

  it('authenticates with the credentials, and fails with EAUTH (not permanent) on wrong ones', async () => {
    const server = await startServer({
      authOptional: false,
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'relay' && auth.password === 'right')
          callback(null, { user: 'relay' });
        else callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
      },
    });
    closers.push(server.close);

    const good = openPool(server.port, { user: 'relay', password: 'right' });
    const info = await good.send(
      { from: 'a@partners.example', to: ['authed@example.test'] },
      message('authed', 'authenticated'),
    );
    expect(info.response).toMatch(/^250 /);

    const bad = openPool(server.port, { user: 'relay', password: 'wrong' });
    const error = await failureOf(bad, 'no@example.test');
    expect(error).toMatchObject({ code: 'EAUTH' });
    expect(isPermanentSmtpFailure(error)).toBe(false);
    expect(server.seen.messages.has('no@example.test')).toBe(false);
  });

  it('closes its connections when destroyed', async () => {
    const server = await startServer();
    closers.push(server.close);
    const pool = new SmtpConnectionPool(settings(server.port));
    await Promise.all(
      ['x@example.test', 'y@example.test'].map((to) =>
        pool.send({ from: 'a@partners.example', to: [to] }, message(to, to)),
      ),
    );
    expect(server.seen.open).toBeGreaterThan(0);

    await pool.destroy();
    await until(() => server.seen.open === 0);
    expect(server.seen.open).toBe(0);
  });
});
