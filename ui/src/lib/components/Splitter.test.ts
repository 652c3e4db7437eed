import { describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import Splitter from "./Splitter.svelte";

describe("Splitter", () => {
  it("resizes from the keyboard within its bounds and says its size", async () => {
    render(Splitter, { size: 300, min: 260, max: 332, grows: "left", label: "Queue width", testid: "s" });
    const bar = screen.getByRole("separator", { name: "Queue width" });
    expect(bar.getAttribute("aria-valuenow")).toBe("300");
    await fireEvent.keyDown(bar, { key: "ArrowRight" });
    expect(bar.getAttribute("aria-valuenow")).toBe("316");
    await fireEvent.keyDown(bar, { key: "ArrowRight" });
    await fireEvent.keyDown(bar, { key: "ArrowRight" });
    expect(bar.getAttribute("aria-valuenow")).toBe("332");
    await fireEvent.keyDown(bar, { key: "Home" });
    expect(bar.getAttribute("aria-valuenow")).toBe("260");
  });

  it("widens the right-hand pane when moved left", async () => {
    render(Splitter, { size: 300, min: 200, max: 500, grows: "right", label: "Panel width", testid: "s" });
    const bar = screen.getByRole("separator");
    await fireEvent.keyDown(bar, { key: "ArrowLeft" });
    expect(bar.getAttribute("aria-valuenow")).toBe("316");
  });
});
