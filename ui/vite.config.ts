import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

// The web UI of the Shiftdesk desktop shell. Everything it loads is bundled
// from this folder: the shell's CSP allows no remote scripts, styles, fonts or
// images, no inline scripts and no inline <style>.
export default defineConfig({
  base: "./",
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Keep every asset a file of its own: an inlined data: script or style would
    // be refused by the CSP (data: is allowed for images only).
    assetsInlineLimit: 0,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
    // The palette's contrast test reads app.css; other styles stay out of tests.
    css: { include: [/app\.css/] },
  },
});
