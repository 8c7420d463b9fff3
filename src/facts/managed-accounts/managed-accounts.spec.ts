import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'managed_accounts',
  description:
    'The new-media accounts registered with `nm-guard account add`, from the metadata store only: never the secret, never the keychain. Elevated (the scheduled audit as SYSTEM or root), every local user\'s store is read, each row naming whose; a store that cannot be read is one row with store_error set and the account columns null.',
  platforms: ['linux', 'win32', 'darwin'],
  columns: [
    {name: 'platform', type: 'text', description: 'wechat, weibo, douyin, toutiao, baijiahao, kuaishou, channels, xiaohongshu or other.'},
    {name: 'account', type: 'text', description: 'The account name on the platform.'},
    {name: 'custodian', type: 'text', description: 'The person who manages the password (专职人员).'},
    {name: 'contact_set', type: 'boolean', description: 'A contact for the custodian is recorded.'},
    {name: 'strength_score', type: 'integer', description: 'Strength 0–4 when the password was last judged (add, rotate, check).'},
    {name: 'weak_reasons', type: 'text[]', description: 'Reason codes of the strength model; empty when the password passed.'},
    {name: 'age_days', type: 'integer', description: 'Days since the password was last set.'},
    {name: 'reused', type: 'boolean', description: 'Another managed account has the same password (keyed fingerprints match).'},
    {name: 'forced', type: 'boolean', description: 'The password was stored with --force despite failing the rules.'},
    {name: 'rotated_at', type: 'datetime', description: 'When the password was last set.'},
    {name: 'info_changed_at', type: 'datetime', description: 'The newest custodian or contact change (`account edit`) not yet reported to 全国政务新媒体信息报送系统 (二(七)); null when every change was reported (`account edit --reported`) or none was made.'},
    {name: 'info_change_working_days', type: 'integer', description: 'Working days (Monday to Friday on this PC\'s calendar; no public-holiday calendar) since info_changed_at; null without one.'},
    {name: 'info_change_report_due', type: 'text', description: 'YYYY-MM-DD: the 5th working day after the oldest unreported change, the plan\'s deadline; null without one.'},
    {name: 'user', type: 'text', description: 'The local user whose store lists the account (the user running nm-guard, or another profile when elevated).'},
    {name: 'store_error', type: 'text', description: 'Set only on a row standing for a user\'s store that could not be read (damaged, too large, a link): why. Null on account rows.'},
  ],
}
