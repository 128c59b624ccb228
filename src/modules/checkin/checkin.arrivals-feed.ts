/**
 * Live arrivals for the secretariat's open pages: when scans land, the counts are made once and sent to every open
 * stream, at most once a second — a hundred doors admitting a hundred people a second cost one count a second,
 * however many pages watch. The 15-second heartbeat of each stream sends the latest counts again.
 */
import type { Db } from '../../db/client.js';
import { arrivals, countArrivals } from './checkin.service.js';

type Counts = Awaited<ReturnType<typeof countArrivals>>;
type Listener = (counts: Counts) => void;

export const FEED_INTERVAL_MS = 1000;

class Feed {
  private listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | undefined;
  private lastRun = 0;
  /** A count is being made; a scan landing meanwhile asks for another after it (it may not be in this one). */
  private running = false;
  private dirty = false;
  private readonly onScan = () => this.schedule();

  constructor(private readonly db: Db) {}

  subscribe(listener: Listener): () => void {
    if (!this.listeners.size) arrivals.on('scan', this.onScan);
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (!this.listeners.size) {
        arrivals.off('scan', this.onScan);
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  private schedule() {
    if (this.running) {
      this.dirty = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => void this.run(), Math.max(0, this.lastRun + FEED_INTERVAL_MS - Date.now()));
  }

  private async run() {
    this.timer = undefined;
    this.running = true;
    this.lastRun = Date.now();
    try {
      const counts = await countArrivals(this.db);
      for (const l of this.listeners) l(counts);
    } catch {
      // the next scan or heartbeat tries again
    } finally {
      this.running = false;
      if (this.dirty && this.listeners.size) {
        this.dirty = false;
        this.schedule();
      }
    }
  }
}

const feeds = new WeakMap<Db, Feed>();

/** Calls `listener` with fresh counts after scans land (at most once a second); returns the unsubscribe. */
export function onArrivals(db: Db, listener: Listener): () => void {
  let feed = feeds.get(db);
  if (!feed) feeds.set(db, (feed = new Feed(db)));
  return feed.subscribe(listener);
}
