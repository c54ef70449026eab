import pkg from '../package.json'

/** The console's version, as package.json gives it. */
export const VERSION: string = pkg.version
