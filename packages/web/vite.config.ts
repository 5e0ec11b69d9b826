import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const serverOrigin = "http://127.0.0.1:3000";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react()],
  resolve: {
    // ProseMirror and Yjs break (instanceof checks, "Yjs was already imported") if two
    // copies ever meet in a page; npm overrides keep one copy, this guards the bundle.
    dedupe: ["@tiptap/core", "@tiptap/pm", "@tiptap/y-tiptap", "yjs", "y-protocols", "lib0", "react", "react-dom"],
  },
  server: {
    proxy: {
      "/api": serverOrigin,
      "/collab": { target: serverOrigin, ws: true },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
