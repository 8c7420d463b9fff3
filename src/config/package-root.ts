// The installed package's root (where messages/ and policies/ live), from src/ or dist/ alike.
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export const packageRoot = (): string => root
