// The workbench (§10): Vue 3 + Element Plus, built into web/dist and served by the service at /.
// Components and their styles are imported on demand (unplugin-vue-components), pages load when
// opened (the router's lazy imports), ECharts only with the 驾驶舱: the inbox loads small.
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import { defineConfig } from 'vite';

const api = process.env.API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [
    vue(),
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false, dirs: [] }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    // WEB_OUT_DIR: another folder (e.g. a test's own build); the service serves web/dist
    outDir: process.env.WEB_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
  // `npm run dev:web`: Vite's dev server, its API calls sent to the running service (API_URL)
  server: { port: 5173, proxy: { '/api': api, '/docs': api } },
});
