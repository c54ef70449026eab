import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import VueRouter from 'vue-router/vite'
import { aliases } from './aliases.config.ts'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

export default defineConfig({
  root: here('./app'),
  plugins: [
    VueRouter({ routesFolder: here('./app/pages'), dts: here('./app/typed-router.d.ts') }),
    vue(),
  ],
  resolve: { alias: aliases },
  build: { outDir: here('./dist'), emptyOutDir: true },
  server: {
    port: Number(process.env.VITE_PORT ?? 5173),
    // In dev the API runs in `nitro dev`; Vite forwards /api to it so the browser sees one origin.
    proxy: { '/api': { target: process.env.DBSAFE_API_URL ?? 'http://127.0.0.1:3001', changeOrigin: false } },
  },
})
