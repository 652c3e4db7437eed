// The queue as the screen sees it: one view under one filter, the rows
// loaded so far, and the cursor to the next page. Responses that arrive
// after the view or the filter changed are dropped, so a slow page of "Team"
// never lands in "My open".

import type { QueueCursor, QueueFilter, QueuePage, QueueRow, QueueView, TicketNumber } from "./bindings";
import { IpcError, queuePage, toIpcError } from "./ipc";

export const PAGE_SIZE = 50;
/** The largest page the cache answers (the store's MAX_PAGE). */
const MAX_PAGE = 500;

/** The kinds a queue can be filtered by, in the order the filter bar shows them. */
export const FILTER_KINDS = ["channels", "statuses", "priorities", "categories", "plans"] as const;
export type FilterKind = (typeof FILTER_KINDS)[number];

export function noFilter(): QueueFilter {
  return { channels: [], statuses: [], priorities: [], categories: [], plans: [] };
}

/** How many values are ticked across all kinds. */
export function filterSize(filter: QueueFilter): number {
  return FILTER_KINDS.reduce((sum, kind) => sum + filter[kind].length, 0);
}

/** The filter as a request carries it: nothing when it narrows nothing. */
export function requestFilter(filter: QueueFilter): QueueFilter | undefined {
  return filterSize(filter) === 0 ? undefined : filter;
}

export class QueueState {
  view: QueueView = $state("mine_open");
  filter: QueueFilter = $state.raw(noFilter());
  rows: QueueRow[] = $state.raw([]);
  /** The first page has arrived (so an empty `rows` means an empty view). */
  loaded = $state(false);
  loading = $state(false);
  /** No page after the last one loaded. */
  done = $state(false);
  error: IpcError | null = $state(null);

  #next: QueueCursor | null = null;
  #generation = 0;

  /** Switches to `view` (or reloads it) and loads its first page. */
  show(view: QueueView): Promise<void> {
    this.#generation += 1;
    this.view = view;
    this.rows = [];
    this.loaded = false;
    this.loading = false;
    this.done = false;
    this.error = null;
    this.#next = null;
    return this.loadMore();
  }

  /** Narrows the view to `filter` and loads it from the first page. */
  narrow(filter: QueueFilter): Promise<void> {
    this.filter = filter;
    return this.show(this.view);
  }

  /** The agent has read `ticket`: its row loses the unread marker at once. */
  markRead(ticket: TicketNumber): void {
    if (!this.rows.some((row) => row.number === ticket && row.unread)) return;
    this.rows = this.rows.map((row) => (row.number === ticket ? { ...row, unread: false } : row));
  }

  /**
   * Reads the rows shown so far again, in one go, because the cache changed
   * under them (sync brought news, a change was settled): same view, same
   * filter, as many rows, so the list neither jumps nor goes stale.
   */
  async refresh(): Promise<void> {
    if (!this.loaded || this.loading) return;
    this.#generation += 1;
    const generation = this.#generation;
    const wanted = Math.max(this.rows.length, PAGE_SIZE);
    this.loading = true;
    try {
      let rows: QueueRow[] = [];
      let next: QueueCursor | null = null;
      do {
        const page: QueuePage = await queuePage({
          view: this.view,
          after: next,
          limit: Math.min(MAX_PAGE, wanted - rows.length),
          filter: requestFilter(this.filter),
        });
        if (generation !== this.#generation) return;
        const seen = new Set(rows.map((row) => row.number));
        rows = [...rows, ...page.rows.filter((row) => !seen.has(row.number))];
        next = page.next;
      } while (next !== null && rows.length < wanted);
      this.rows = rows;
      this.#next = next;
      this.done = next === null;
      this.error = null;
    } catch (error: unknown) {
      if (generation === this.#generation) this.error = toIpcError(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Loads the next page; does nothing while a page is loading or after the last. */
  async loadMore(): Promise<void> {
    if (this.loading || this.done) return;
    const generation = this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const page = await queuePage({
        view: this.view,
        after: this.#next,
        limit: PAGE_SIZE,
        filter: requestFilter(this.filter),
      });
      if (generation !== this.#generation) return;
      // The cache may change between two pages and move a ticket past the
      // cursor; keep the first copy so a ticket is never listed twice.
      const seen = new Set(this.rows.map((row) => row.number));
      const fresh = page.rows.filter((row) => !seen.has(row.number));
      this.rows = [...this.rows, ...fresh];
      this.#next = page.next;
      this.done = page.next === null;
      this.loaded = true;
    } catch (error: unknown) {
      if (generation === this.#generation) this.error = toIpcError(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}

/** The queue views offered: the team view to leads (an agent's cache holds only their own tickets). */
export function queueViews(team: boolean): QueueView[] {
  return team
    ? ["mine_open", "breaching_soon", "waiting_on_customer", "team"]
    : ["mine_open", "breaching_soon", "waiting_on_customer"];
}
