// Each component test starts with its own empty Pinia: components that read a store (the dialogs read the targets) mount without one of their own.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach } from 'vitest'

beforeEach(() => setActivePinia(createPinia()))
