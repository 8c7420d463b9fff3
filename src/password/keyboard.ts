// Keyboard walks: runs of keys next to each other on a QWERTY keyboard or a numeric keypad, shifted
// or not (1qaz, !QAZ, 2wsx, qwer, 147, 159). The layouts are zxcvbn-ts's adjacency graphs.
export type Graph = Record<string, Array<null | string>>

export interface Walk {
  /** Exclusive end index. */
  end: number
  /** Guesses to find this walk: start keys × branching per turn × length, doubled when shifted. */
  cost: number
}

const SHIFTED = /[A-Z~!@#$%^&*()_+{}|:"<>?]/

interface Layout {
  graph: Graph
  starts: number
  degree: number
}

export class KeyboardWalks {
  private readonly layouts: Layout[]

  constructor(graphs: Graph[]) {
    this.layouts = graphs.map((graph) => {
      const keys = Object.keys(graph)
      const degree = keys.reduce((sum, k) => sum + (graph[k] ?? []).filter(Boolean).length, 0) / keys.length
      return {degree, graph, starts: keys.length}
    })
  }

  /** Every walk of at least `min` keys that starts at `i`. */
  walksFrom(password: string, i: number, min = 3): Walk[] {
    const out: Walk[] = []
    for (const layout of this.layouts) {
      let direction = -1
      let turns = 0
      let shifted = SHIFTED.test(password[i] ?? '') ? 1 : 0
      for (let k = i; k + 1 < password.length; k++) {
        const d = this.direction(layout.graph, password[k] as string, password[k + 1] as string)
        if (d < 0) break
        if (d !== direction) turns++
        direction = d
        if (SHIFTED.test(password[k + 1] as string)) shifted++
        const length = k + 2 - i
        if (length < min) continue
        const shift = shifted === 0 ? 1 : shifted === length ? 2 : 4
        out.push({cost: layout.starts * layout.degree ** turns * length * shift, end: k + 2})
      }
    }
    return out
  }

  private direction(graph: Graph, from: string, to: string): number {
    const neighbours = graph[from]
    if (!neighbours) return -1
    return neighbours.findIndex((key) => key !== null && key.includes(to))
  }
}
