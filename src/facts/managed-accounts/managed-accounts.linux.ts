// The metadata store is the same on every platform: one shared collector (it finds the other
// users' stores per platform when elevated).
export {collect} from '../../accounts/managed-accounts-facts.js'
