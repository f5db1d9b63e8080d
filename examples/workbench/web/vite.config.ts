import { defineConfig } from "vite";

// In `cargo portcullis dev` the app's window loads every page through the
// core, on the app's own origin; only Vite's hot-reload socket connects here
// directly, so the client is told where it is. VITE_PORT lets the hot-reload
// test run its own server.
const port = Number(process.env.VITE_PORT ?? 5173);

export default defineConfig({
  server: {
    port,
    strictPort: true,
    hmr: { protocol: "ws", host: "localhost", clientPort: port },
  },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
});
