// The rules lintSql runs, most severe first.
import type { Rule } from './rule'
import { addColumnGeneratedStored } from './rules/add-column-generated-stored'
import { addColumnNotNullNoDefault } from './rules/add-column-not-null-no-default'
import { addColumnReferences } from './rules/add-column-references'
import { addColumnVolatileDefault } from './rules/add-column-volatile-default'
import { addConstraintBuildsIndex } from './rules/add-constraint-builds-index'
import { addConstraintValidates } from './rules/add-constraint-validates'
import { alterColumnType } from './rules/alter-column-type'
import { cluster } from './rules/cluster'
import { concurrentIndexRetry } from './rules/concurrent-index-retry'
import { createIndexNonConcurrent } from './rules/create-index-non-concurrent'
import { dataChangeUnderLock } from './rules/data-change-under-lock'
import { deleteWithoutWhere } from './rules/delete-without-where'
import { doBlockDynamicSql } from './rules/do-block-dynamic-sql'
import { doBlockUnchecked } from './rules/do-block-unchecked'
import { dropColumn } from './rules/drop-column'
import { dropDatabase } from './rules/drop-database'
import { dropIndexNonConcurrent } from './rules/drop-index-non-concurrent'
import { dropOwned } from './rules/drop-owned'
import { dropSchema } from './rules/drop-schema'
import { dropTable } from './rules/drop-table'
import { insertWithoutOnConflict } from './rules/insert-without-on-conflict'
import { lockTable } from './rules/lock-table'
import { nonIdempotentAddColumn } from './rules/non-idempotent-add-column'
import { nonIdempotentCreateIndex } from './rules/non-idempotent-create-index'
import { nonIdempotentCreateTable } from './rules/non-idempotent-create-table'
import { nonTransactional } from './rules/non-transactional'
import { ownerChange } from './rules/owner-change'
import { ownTransaction } from './rules/own-transaction'
import { privilegeChange } from './rules/privilege-change'
import { reassignOwned } from './rules/reassign-owned'
import { rename } from './rules/rename'
import { roleChange } from './rules/role-change'
import { sequenceRestart } from './rules/sequence-restart'
import { setNotNull } from './rules/set-not-null'
import { transactionControl } from './rules/transaction-control'
import { truncate } from './rules/truncate'
import { updateWithoutWhere } from './rules/update-without-where'
import { vacuumFull } from './rules/vacuum-full'
import { validateInSameTransaction } from './rules/validate-in-same-transaction'

export const rules: Rule[] = [
  dropDatabase, dropSchema, dropTable, truncate, deleteWithoutWhere, updateWithoutWhere, dropColumn,
  alterColumnType, sequenceRestart, dropOwned, reassignOwned, privilegeChange, roleChange, ownerChange,
  createIndexNonConcurrent, dropIndexNonConcurrent, addConstraintValidates, setNotNull,
  addColumnVolatileDefault, addColumnNotNullNoDefault, addColumnGeneratedStored, addColumnReferences,
  addConstraintBuildsIndex, validateInSameTransaction, dataChangeUnderLock, concurrentIndexRetry, rename, vacuumFull, cluster, lockTable,
  doBlockDynamicSql, doBlockUnchecked, transactionControl,
  nonIdempotentCreateTable, nonIdempotentCreateIndex, nonIdempotentAddColumn, insertWithoutOnConflict,
  nonTransactional, ownTransaction,
]
