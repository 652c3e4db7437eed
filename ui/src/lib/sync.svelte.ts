// Sync and the outbox as the window sees them: the shell's latest sync
// status (pushed on every change) and the outbox entries, read again
// whenever the cache changes.

import type { OutboxItem, Resolution, SyncStatus } from "./bindings";
import {
  IpcError,
  onSyncChanged,
  onTicketsChanged,
  outboxItems,
  resolveOutboxEntry,
  syncStatus,
  toIpcError,
  whenDeskStarted,
} from "./ipc";

export class SyncState {
  /** null: sync has not started, or not known yet. */
  status: SyncStatus | null = $state.raw(null);
  items: OutboxItem[] = $state.raw([]);
  error: IpcError | null = $state(null);

  /** Entries that wait for the agent: refused, or held by the traffic cop or a conflict. */
  get needsAgent(): number {
    return this.items.filter((item) => item.state !== "queued").length;
  }

  /** Starts listening; returns the function that stops. */
  start(): () => void {
    void this.#loadStatus();
    void this.refresh();
    const stopSync = onSyncChanged((status) => {
      this.status = status;
      void this.refresh();
    });
    const stopTickets = onTicketsChanged(() => void this.refresh());
    return () => {
      stopSync();
      stopTickets();
    };
  }

  async refresh(): Promise<void> {
    try {
      this.items = await outboxItems();
      this.error = null;
    } catch (error: unknown) {
      this.error = toIpcError(error);
    }
  }

  /** Carries out the agent's decision on an entry; the tray is read again after. */
  async resolve(id: string, resolution: Resolution): Promise<void> {
    await resolveOutboxEntry(id, resolution);
    await this.refresh();
  }

  async #loadStatus(): Promise<void> {
    try {
      this.status = await whenDeskStarted(syncStatus);
    } catch {
      // No engine (no agent known, no cache): the server line says why.
    }
  }
}
