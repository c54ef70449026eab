import { lintMigrationModule } from '~server/migrations/modules/lint'
const deep = 'export const up = () => db.exec(' + '['.repeat(20000) + ']'.repeat(20000) + ')'
console.time('deep'); console.log(await lintMigrationModule(deep, 'a.ts')); console.timeEnd('deep')
const concat = 'export const up = () => db.exec(' + Array.from({length: 20000}, (_, i) => `'x${i}'`).join(' + ') + ')'
console.time('concat'); console.log(await lintMigrationModule(concat, 'a.ts')); console.timeEnd('concat')
console.log(await lintMigrationModule('export const up = async (db) => {\n  const x = ;\n  await db.exec("DROP TABLE a")\n}', 'a.ts'))
console.log(await lintMigrationModule('export const up = async (db) => {\n  let a = 1; let a = 2\n  await db.exec("DROP TABLE a")\n}', 'a.ts'))
