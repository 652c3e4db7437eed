import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import CommandPalette, { type Command } from "./CommandPalette.svelte";

function commands(run: (id: string) => void): Command[] {
  return ["Go to My open", "Go to Breaching soon", "Reply to the customer", "Set status: Pending"].map(
    (label, i) => ({ id: `c${i}`, label, run: () => run(label) }),
  );
}

const shown = () => screen.getAllByTestId("palette-command").map((c) => c.textContent?.trim());
const input = () => screen.getByTestId("palette-input") as HTMLInputElement;

describe("CommandPalette", () => {
  it("finds commands by any words of their name and runs the chosen one with Enter", async () => {
    const ran: string[] = [];
    const onclose = vi.fn();
    render(CommandPalette, { commands: commands((l) => ran.push(l)), onopenticket: vi.fn(), onclose });
    await waitFor(() => expect(document.activeElement).toBe(input()));
    await fireEvent.input(input(), { target: { value: "go soon" } });
    expect(shown()).toEqual(["Go to Breaching soon"]);

    await fireEvent.input(input(), { target: { value: "go" } });
    await fireEvent.keyDown(input(), { key: "ArrowDown" });
    await fireEvent.keyDown(input(), { key: "Enter" });
    expect(ran).toEqual(["Go to Breaching soon"]);
    expect(onclose).toHaveBeenCalled();
  });

  it("opens a ticket by its number", async () => {
    const onopenticket = vi.fn();
    render(CommandPalette, { commands: commands(() => {}), onopenticket, onclose: vi.fn() });
    await fireEvent.input(input(), { target: { value: "#10547" } });
    expect(shown()[0]).toBe("Open ticket #10547");
    await fireEvent.keyDown(input(), { key: "Enter" });
    expect(onopenticket).toHaveBeenCalledWith(10547);
  });

  it("says when nothing matches and closes with Escape", async () => {
    const onclose = vi.fn();
    render(CommandPalette, { commands: commands(() => {}), onopenticket: vi.fn(), onclose });
    await fireEvent.input(input(), { target: { value: "<script>" } });
    expect(screen.queryAllByTestId("palette-command")).toHaveLength(0);
    expect(screen.getByRole("listbox").textContent).toContain("No command matches.");
    await fireEvent.keyDown(input(), { key: "Escape" });
    expect(onclose).toHaveBeenCalled();
  });
});
