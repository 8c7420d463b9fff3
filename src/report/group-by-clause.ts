// Items grouped by the clause they enforce, clauses in the order they first appear.
export interface ClauseGroup<T> {
  clause: {id: string; text: string}
  items: T[]
}

export function groupByClause<T extends {clause: {id: string; text: string}}>(items: readonly T[]): Array<ClauseGroup<T>> {
  const groups = new Map<string, ClauseGroup<T>>()
  for (const item of items) {
    const group = groups.get(item.clause.id) ?? {clause: item.clause, items: []}
    group.items.push(item)
    groups.set(item.clause.id, group)
  }
  return [...groups.values()]
}
