// The sample district's policy (policies/examples/): the default's checks with its networks set.
// The default itself leaves them unconfigured, so a compliant PC audited with it cannot pass.
import {join} from 'node:path'

import {ROOT} from './run-cli.js'

export const SAMPLE_POLICY = join(ROOT, 'policies', 'examples', 'gaocheng-district.yaml')
export const SAMPLE_POLICY_ARGS = ['--policy', SAMPLE_POLICY]
