import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'activation_traces',
  description: 'Traces of pirate activators (KMSpico, KMSAuto, AAct, KMS_VL_ALL, HEU…): files, registry values, scheduled tasks.',
  platforms: ['win32'],
  columns: [
    {name: 'kind', type: 'text', description: 'file, kms_host, ifeo or task.'},
    {name: 'location', type: 'text', description: 'Path, registry key or task name.'},
    {name: 'detail', type: 'text', description: 'What was found there (KMS host name, debugger value…).'},
  ],
}
