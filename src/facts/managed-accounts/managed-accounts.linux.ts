// The metadata store is the same on every platform: one shared collector.
export {collect} from '../../accounts/managed-accounts-facts.js'
