import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  // Tauri loads the built files from its own protocol; relative paths work there and in tests.
  base: "./",
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: "dist",
    target: "safari16",
    // React Flow and CodeMirror together are about 0.9 MB; the app loads locally, so one chunk is fine.
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    // The stylesheet is read as text by src/theme.test.ts (otherwise Vitest gives CSS as "").
    css: { include: [/styles\.css/] },
  },
});
