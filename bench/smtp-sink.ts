/**
 * An SMTP server on loopback for the e-mail drain of `npm run bench`: accepts every message and discards it (no
 * parsing: the sink must not be the bottleneck). Prints its URL, then how many messages it received, once a second.
 */
import { SMTPServer } from 'smtp-server';

let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, _session, cb) {
    stream.on('end', () => {
      received++;
      cb();
    });
    stream.resume();
  },
});
server.listen(0, '127.0.0.1', () => {
  const port = (server.server.address() as { port: number }).port;
  console.log(`smtp://127.0.0.1:${port}`);
});
setInterval(() => console.log(String(received)), 1000).unref();
process.on('SIGTERM', () => server.close(() => process.exit(0)));
