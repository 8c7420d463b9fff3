// Several tables of one gathering read the same source (the process list, the interface list, the
// package database). They share one read per context instead of repeating it; a new context (the
// next gathering, or a test) reads afresh.
import type {CollectContext} from './types.js'

const memos = new WeakMap<CollectContext, Map<string, Promise<unknown>>>()

export function perContext<T>(ctx: CollectContext, key: string, compute: () => Promise<T>): Promise<T> {
  let memo = memos.get(ctx)
  if (!memo) {
    memo = new Map()
    memos.set(ctx, memo)
  }
  let value = memo.get(key) as Promise<T> | undefined
  if (!value) {
    value = compute()
    memo.set(key, value)
  }
  return value
}
