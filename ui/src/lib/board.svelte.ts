// The lead's breach board as the screen sees it: the last board Rust
// computed, the team to reassign to, and whether a refresh failed. Refreshes
// asked for while one is under way are folded into one more after it, so a
// burst of SLA events costs two requests, not twenty.

import type { Agent, BreachBoard } from "./bindings";
import { IpcError, breachBoard, teamAgents, toIpcError } from "./ipc";

export class BoardState {
  board: BreachBoard | null = $state.raw(null);
  agents: Agent[] = $state.raw([]);
  /** The last refresh failed (the last board, if any, is still shown). */
  error: IpcError | null = $state(null);
  loading = $state(false);

  #again = false;
  #agentsLoaded = false;

  /** Asks Rust for the board again; resolves when the screen is up to date. */
  async refresh(): Promise<void> {
    if (this.loading) {
      this.#again = true;
      return;
    }
    this.loading = true;
    try {
      do {
        this.#again = false;
        try {
          this.board = await breachBoard();
          this.error = null;
        } catch (error: unknown) {
          this.error = toIpcError(error);
        }
      } while (this.#again);
      if (!this.#agentsLoaded) await this.#loadAgents();
    } finally {
      this.loading = false;
    }
  }

  async #loadAgents(): Promise<void> {
    try {
      this.agents = await teamAgents();
      this.#agentsLoaded = true;
    } catch {
      // The board still shows names from its own counts; the next refresh tries again.
    }
  }
}
