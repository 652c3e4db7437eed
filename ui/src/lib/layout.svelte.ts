// How wide the agent made the queue and the customer panel, kept on this
// machine (the webview's local storage) so the window opens as they left it.

const KEY = "shiftdesk.pane-widths";

export const QUEUE_WIDTH = { min: 260, max: 900, initial: 420 } as const;
export const SIDE_WIDTH = { min: 240, max: 520, initial: 320 } as const;

type Saved = { queue?: unknown; side?: unknown };

function read(): Saved {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "{}") as Saved;
  } catch {
    return {};
  }
}

function width(value: unknown, range: { min: number; max: number; initial: number }): number {
  return typeof value === "number" && value >= range.min && value <= range.max ? value : range.initial;
}

export class PaneWidths {
  queue: number;
  side: number;

  constructor() {
    const saved = read();
    this.queue = $state(width(saved.queue, QUEUE_WIDTH));
    this.side = $state(width(saved.side, SIDE_WIDTH));
  }

  save(): void {
    try {
      localStorage.setItem(KEY, JSON.stringify({ queue: this.queue, side: this.side }));
    } catch {
      // A full or disabled storage only costs the widths on the next start.
    }
  }
}
