import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import SearchResults from "./SearchResults.svelte";
import type { SearchHit } from "../bindings";

const hits: SearchHit[] = [
  {
    number: 10001,
    subject: [{ text: "Диск", hit: true }, { text: " переполнен", hit: false }],
    snippet: [
      { text: "на vm-7f3a21 кончился ", hit: false },
      { text: "диск", hit: true },
      { text: " <img src=x onerror=alert(1)>", hit: false },
    ],
    customer_name: "Анна Петрова",
    status: "open",
  },
  {
    number: 10002,
    subject: [{ text: "Billing question", hit: false }],
    snippet: [],
    customer_name: "John Miller",
    status: "pending",
  },
];

function show(overrides: Partial<Parameters<typeof render<typeof SearchResults>>[1]> = {}) {
  const onopen = vi.fn();
  const onescape = vi.fn();
  render(SearchResults, { hits, answered: true, searching: false, error: null, onopen, onescape, ...overrides });
  return { onopen, onescape };
}

describe("SearchResults", () => {
  it("marks the matched words and shows everything else as text", () => {
    show();
    const [first] = screen.getAllByTestId("search-hit");
    const marks = Array.from(first!.querySelectorAll("mark"), (m) => m.textContent);
    expect(marks).toEqual(["Диск", "диск"]);
    expect(within(first!).getByTestId("search-hit-subject").textContent).toBe("Диск переполнен");
    // Customer text is never markup.
    expect(first!.querySelector("img")).toBeNull();
    expect(within(first!).getByTestId("search-hit-snippet").textContent).toContain("<img src=x onerror=alert(1)>");
    expect(screen.getByText("2 tickets found")).toBeTruthy();
  });

  it("opens a ticket with a click or Enter, and moves between results with the arrows", async () => {
    const { onopen, onescape } = show();
    const [first, second] = screen.getAllByTestId("search-hit");
    await fireEvent.click(second!);
    expect(onopen).toHaveBeenLastCalledWith(10002);

    first!.focus();
    await fireEvent.keyDown(first!, { key: "ArrowDown" });
    expect(document.activeElement).toBe(second);
    await fireEvent.keyDown(second!, { key: "ArrowUp" });
    expect(document.activeElement).toBe(first);
    expect(first!.tagName).toBe("BUTTON"); // Enter on a button is its click

    await fireEvent.keyDown(first!, { key: "Escape" });
    expect(onescape).toHaveBeenCalledTimes(1);
  });

  it("says when nothing matched", () => {
    show({ hits: [] });
    expect(screen.getByText("No tickets match.")).toBeTruthy();
    expect(screen.queryAllByTestId("search-hit")).toHaveLength(0);
  });
});
