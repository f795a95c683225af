// The build `npm start` runs first (its prestart) — an esbuild config kept at the top level with the other tool configs.
// `npm start` runs the service compiled: esbuild (installed with tsx) bundles src/main.ts and our own
// modules into dist/ in a second or two; packages stay in node_modules. Transpiling at start
// instead (tsx) keeps its loader thread and every transpiled source in memory: about 150 MB of RSS.
// Split into chunks: what main.ts imports only when configured (the Lark and WeCom AI bot long
// connections and their SDKs) sits in a chunk of its own and is never loaded otherwise. A single
// file would hoist those SDKs' imports to its top: 30–50 MB of RSS the webhook mode never uses.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunks are named by content hash: a stale one from an earlier build would only take up room.
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  // `npm start` runs with --enable-source-maps, which parses the maps at load and keeps them: with the
  // sources inside (2.0 MB of map) that held 12–15 MB of RSS, without them (0.65 MB) 1–3 MB. Stack
  // traces still name src/….ts and its lines; Node reads a source from disk when it shows one.
  sourcesContent: false,
  logLevel: 'warning',
});
