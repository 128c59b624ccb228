/**
 * An open load at a given pace: each of `clients` (one kept-alive connection each, as a phone at a door holds) sends
 * its next request at a random moment — exponential gaps of `meanGapMs` on average — whatever the answers' speed. So
 * requests arrive as they do at gates, not in the once-a-second bursts of a rate-limited load generator, and the
 * latency measured is the one a door sees (a closed loop of 100 connections measures capacity instead).
 */
import http from 'node:http';

export type PacedRequest = { method?: string; path: string; headers?: Record<string, string>; body?: string };
export type PacedResult = {
  rps: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  errors: number;
  total: number;
};

export async function pacedLoad(opts: {
  port: number;
  clients: number;
  seconds: number;
  meanGapMs: number;
  request: () => PacedRequest;
}): Promise<PacedResult> {
  const lat: number[] = [];
  let errors = 0;
  const until = performance.now() + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.clients }, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      while (performance.now() < until) {
        await new Promise((r) => setTimeout(r, -Math.log(1 - Math.random()) * opts.meanGapMs));
        const r = opts.request();
        const t = performance.now();
        const status = await new Promise<number>((resolve) => {
          const headers = {
            ...(r.body
              ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(r.body)) }
              : {}),
            ...r.headers,
          };
          const req = http.request(
            { host: '127.0.0.1', port: opts.port, path: r.path, method: r.method ?? 'GET', agent, headers },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', () => resolve(0));
          req.end(r.body);
        });
        if (status < 200 || status >= 300) errors++;
        lat.push(performance.now() - t);
      }
      agent.destroy();
    }),
  );
  lat.sort((a, b) => a - b);
  const q = (p: number) => Math.round((lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN) * 10) / 10;
  return {
    rps: lat.length / opts.seconds,
    p50: q(0.5),
    p99: q(0.99),
    p999: q(0.999),
    max: q(1),
    errors,
    total: lat.length,
  };
}
