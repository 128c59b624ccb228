/**
 * Counts the statements this process sends to the database, for tests and benchmarks that check how many statements
 * and round trips a request costs (BENCHMARKS.md, issue 20). Every database handle logs through `statementLogger`;
 * it costs one branch per statement while nobody counts. Counting is per process, so count one request at a time.
 */
import type { Logger } from 'drizzle-orm/logger';

let recording: string[] | undefined;

export const statementLogger: Logger = {
  logQuery(query) {
    if (recording) recording.push(query);
  },
};

/** What `fn` sent: every statement, and the same without the transaction's own begin / commit / rollback. */
export async function countStatements<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; statements: string[]; work: string[] }> {
  const mine: string[] = [];
  const outer = recording;
  recording = mine;
  try {
    const result = await fn();
    return {
      result,
      statements: mine,
      work: mine.filter((s) => !/^\s*(begin|commit|rollback|savepoint|release savepoint)\b/i.test(s)),
    };
  } finally {
    outer?.push(...mine);
    recording = outer;
  }
}
