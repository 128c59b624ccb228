/** A real SMTP server on loopback that keeps what it receives, parsed (tests read the messages as a recipient would). */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as received, with its SMTP envelope (the sender given in MAIL FROM, the recipients in RCPT TO). */
export type Received = ParsedMail & { envelope?: { from: string; to: string[] } };
export type SmtpSink = { url: string; received: Received[]; close(): Promise<void> };

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const to = session.envelope.rcptTo.map((r) => r.address);
      simpleParser(stream).then((mail) => {
        received.push(Object.assign(mail, { envelope: { from, to } }));
        cb();
      }, cb);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}
