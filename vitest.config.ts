import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'
import { aliases } from './aliases.config.ts'

export default defineConfig({
  resolve: { alias: aliases },
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', globalSetup: ['test/support/global-tmp.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-cluster.ts', 'test/support/global-tmp.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      // Components and composables, beside their sources in app/, in a simulated browser.
      { extends: true, plugins: [vue()], test: { name: 'components', include: ['app/**/*.test.ts'], environment: 'happy-dom', setupFiles: ['test/support/components-setup.ts'] } },
    ],
  },
})
