// Offline search in the queue pane: what the agent typed, and the tickets
// the cache found for it. Typing is debounced; an answer to an older query
// is dropped, so results never jump back to what was typed before.

import type { SearchHit } from "./bindings";
import { IpcError, searchTickets, toIpcError } from "./ipc";

/** Wait this long after the last keystroke before asking. */
export const SEARCH_DEBOUNCE_MS = 100;
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
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Something is typed: the queue pane shows results instead of the view. */
  get active(): boolean {
    return this.query.trim() !== "";
  }

  /** The agent typed `query`: search for it shortly, or go back to the view when empty. */
  type(query: string): void {
    this.query = query;
    this.#generation += 1;
    clearTimeout(this.#timer);
    this.error = null;
    if (!this.active) {
      this.hits = [];
      this.answered = false;
      this.searching = false;
      return;
    }
    this.searching = true;
    const generation = this.#generation;
    const text = query.trim();
    this.#timer = setTimeout(() => void this.#run(generation, text), SEARCH_DEBOUNCE_MS);
  }

  clear(): void {
    this.type("");
  }

  async #run(generation: number, text: string): Promise<void> {
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
      if (generation === this.#generation) this.searching = false;
    }
  }
}
