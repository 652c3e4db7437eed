import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import FilterBar from "./FilterBar.svelte";
import { noFilter } from "../queue.svelte";

describe("FilterBar", () => {
  it("opens a labelled menu of checkboxes from its button and ticks a value", async () => {
    const onchange = vi.fn();
    render(FilterBar, { filter: noFilter(), onchange });

    const button = screen.getByRole("button", { name: /Channel/ });
    expect(button.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(button);
    expect(button.getAttribute("aria-expanded")).toBe("true");

    const menu = screen.getByRole("group", { name: "Channel" });
    expect(button.getAttribute("aria-controls")).toBe(menu.id);
    const telegram = within(menu).getByRole("checkbox", { name: "Telegram" });
    expect(document.activeElement).toBe(within(menu).getAllByRole("checkbox")[0]);
    await fireEvent.click(telegram);
    expect(onchange).toHaveBeenLastCalledWith({ ...noFilter(), channels: ["telegram"] });
  });

  it("adds to the values of a kind and removes an unticked one", async () => {
    const onchange = vi.fn();
    render(FilterBar, { filter: { ...noFilter(), priorities: ["urgent"], plans: ["professional"] }, onchange });

    const button = screen.getByRole("button", { name: "Priority (1)" });
    await fireEvent.click(button);
    const menu = screen.getByTestId("filter-menu-priorities");
    expect((within(menu).getByRole("checkbox", { name: "Urgent" }) as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(within(menu).getByRole("checkbox", { name: "High" }));
    expect(onchange).toHaveBeenLastCalledWith({ ...noFilter(), priorities: ["urgent", "high"], plans: ["professional"] });
    await fireEvent.click(within(menu).getByRole("checkbox", { name: "Urgent" }));
    expect(onchange).toHaveBeenLastCalledWith({ ...noFilter(), priorities: [], plans: ["professional"] });
  });

  it("closes a menu with Escape and gives the focus back to its button", async () => {
    render(FilterBar, { filter: noFilter(), onchange: () => {} });
    const button = screen.getByRole("button", { name: "Category" });
    await fireEvent.click(button);
    const box = within(screen.getByTestId("filter-menu-categories")).getByRole("checkbox", { name: "Billing" });
    const escape = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
    box.dispatchEvent(escape);
    await Promise.resolve();
    expect(escape.defaultPrevented).toBe(true);
    expect(screen.queryByTestId("filter-menu-categories")).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it("offers to clear the filters only while some are on, and says counts show matches", async () => {
    const onchange = vi.fn();
    const { rerender } = render(FilterBar, { filter: noFilter(), onchange });
    expect(screen.queryByRole("button", { name: "Clear filters" })).toBeNull();
    expect(screen.getByTestId("filter-summary").textContent?.trim()).toBe("");

    await rerender({ filter: { ...noFilter(), channels: ["email", "phone"], statuses: ["pending"] }, onchange });
    expect(screen.getByTestId("filter-summary").textContent?.trim()).toBe(
      "3 filters on; counts show matching tickets",
    );
    await fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(onchange).toHaveBeenLastCalledWith(noFilter());
  });
});
