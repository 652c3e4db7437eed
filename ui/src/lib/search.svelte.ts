// Offline search in the queue pane: what the agent typed, and the tickets
// the cache found for it. A keystroke asks at once when no query is being
// answered; while one is, only the latest text waits for it, so fast typing
// never piles queries up. An answer to an older query is dropped, so
// results never jump back to what was typed before.

import type { SearchHit } from "./bindings";
import { IpcError, searchTickets, toIpcError } from "./ipc";

/** The most results shown. */
export const SEARCH_LIMIT = 50;
/** The code of a query with no word or number in it ("***"). */
const EMPTY_QUERY = "search.empty_query";

export class SearchState {
  query = $state("");
  hits: SearchHit[] = $state.raw([]);
  /** The hits answer the query as typed (so no hits means nothing matched). */
  answered = $state(false);
  searching = $state(false);
  error: IpcError | null = $state(null);

  #generation = 0;
  /** A query is being answered now. */
  #inFlight = false;
  /** Typed while one was in flight: asked as soon as it is answered. */
  #next: { generation: number; text: string } | null = null;

  /** Something is typed: the queue pane shows results instead of the view. */
  get active(): boolean {
    return this.query.trim() !== "";
  }

  /** The agent typed `query`: search for it, or go back to the view when empty. */
  type(query: string): void {
    this.query = query;
    this.#generation += 1;
    this.#next = null;
    this.error = null;
    if (!this.active) {
      this.hits = [];
      this.answered = false;
      this.searching = false;
      return;
    }
    this.searching = true;
    const asked = { generation: this.#generation, text: query.trim() };
    if (this.#inFlight) this.#next = asked;
    else void this.#run(asked);
  }

  clear(): void {
    this.type("");
  }

  async #run({ generation, text }: { generation: number; text: string }): Promise<void> {
    this.#inFlight = true;
    try {
      const hits = await searchTickets(text, SEARCH_LIMIT);
      if (generation !== this.#generation) return;
      this.hits = hits;
      this.answered = true;
    } catch (error: unknown) {
      if (generation !== this.#generation) return;
      const failure = toIpcError(error);
      // Only punctuation typed so far: nothing matches, nothing went wrong.
      if (failure.code === EMPTY_QUERY) {
        this.hits = [];
        this.answered = true;
      } else {
        this.error = failure;
      }
    } finally {
      this.#inFlight = false;
      if (generation === this.#generation) this.searching = false;
      const next = this.#next;
      this.#next = null;
      if (next !== null) void this.#run(next);
    }
  }
}
