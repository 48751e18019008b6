// The workbench (§10): Vue 3 + Element Plus, built into web/dist and served by the service at /.
// Components and their styles are imported on demand (unplugin-vue-components), pages load when
// opened (the router's lazy imports), ECharts only with the 驾驶舱: the inbox loads small.
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import { promisify } from 'node:util';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** Writes each text asset also as .gz and .br, which the service sends to browsers that accept them
 *  (@fastify/static preCompressed): compressed once at build time, never per request. */
function precompress(): Plugin {
  return {
    name: 'nanxian-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir!;
      await Promise.all(Object.keys(bundle).filter((f) => /\.(js|css|html|svg)$/.test(f)).map(async (f) => {
        const item = bundle[f];
        const data = Buffer.from(item.type === 'chunk' ? item.code : item.source);
        if (data.length < 1024) return;
        await writeFile(path.join(dir, f + '.gz'), await gzip(data, { level: 9 }));
        await writeFile(path.join(dir, f + '.br'), await brotli(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }));
    },
  };
}

const api = process.env.API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [
    vue(),
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false, dirs: [] }),
    precompress(),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    // WEB_OUT_DIR: another folder (e.g. a test's own build); the service serves web/dist
    outDir: process.env.WEB_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
    manifest: true, // bench/web-bundle.ts reads what the inbox loads from it
  },
  // `npm run dev:web`: Vite's dev server, its API calls sent to the running service (API_URL)
  server: { port: 5173, proxy: { '/api': api, '/docs': api } },
});
