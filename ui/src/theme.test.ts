import { describe, expect, it } from "vitest";
import css from "./app.css?raw";

// The palette in app.css, each colour as light-dark(light, dark).
const palette = new Map(
  [...css.matchAll(/--([a-z-]+):\s*light-dark\((#[0-9a-f]{6}),\s*(#[0-9a-f]{6})\)/g)].map(
    ([, name, light, dark]) => [name as string, { light: light as string, dark: dark as string }],
  ),
);

/** WCAG 2 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Colours text is written in, and every background it can sit on. */
const TEXT = ["text", "muted", "accent-text", "accent", "danger", "warning"];
const BACKGROUNDS = [
  "bg",
  "surface",
  "chip-bg",
  "row-hover",
  "row-selected",
  "accent-bg",
  "danger-bg",
  "notice-bg",
  "button-bg",
  "button-hover",
];

describe.each(["light", "dark"] as const)("the %s theme", (theme) => {
  const colour = (name: string) => {
    const pair = palette.get(name);
    if (pair === undefined) throw new Error(`app.css has no --${name}`);
    return pair[theme];
  };

  it.each(TEXT)("writes --%s at WCAG AA contrast (4.5:1) on every background", (text) => {
    const weak = BACKGROUNDS.map((bg) => ({ bg, ratio: contrast(colour(text), colour(bg)) })).filter(
      ({ ratio }) => ratio < 4.5,
    );
    expect(weak).toEqual([]);
  });

  it("draws the focus ring at 3:1 at least against what it surrounds", () => {
    for (const bg of ["bg", "surface", "row-selected", "accent-bg"]) {
      expect(contrast(colour("focus"), colour(bg))).toBeGreaterThanOrEqual(3);
    }
  });
});
