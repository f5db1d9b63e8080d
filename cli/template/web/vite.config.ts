import { defineConfig } from "vite";

// In `cargo portcullis dev` the app's window loads every page through the
// core, on the app's own origin; only Vite's hot-reload socket connects here
// directly, so the client is told where it is.
export default defineConfig({
  server: {
    port: 5173,
    strictPort: true,
    hmr: { protocol: "ws", host: "localhost", clientPort: 5173 },
  },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
});
