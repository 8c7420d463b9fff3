import {expect} from 'chai'

import {bindNamed, MissingParamError, numbered} from '../../../src/collector/store/named-params.js'

describe('named SQL parameters for PostgreSQL', () => {
  it('numbers each name in order of first use, the same name the same number', () => {
    expect(numbered('UPDATE t SET a = @a, b = @b_2 WHERE a < @a AND c = @c')).to.deep.equal({text: 'UPDATE t SET a = $1, b = $2 WHERE a < $1 AND c = $3', names: ['a', 'b_2', 'c']})
  })

  it("leaves quoted text, comments and PostgreSQL's @ operators alone", () => {
    const sql = `SELECT '@not', "@col", 'it''s @x', tags @> @tags, a @@ b -- @comment\nFROM t WHERE x = @x`
    expect(numbered(sql)).to.deep.equal({text: `SELECT '@not', "@col", 'it''s @x', tags @> $1, a @@ b -- @comment\nFROM t WHERE x = $2`, names: ['tags', 'x']})
  })

  it('works a statement out once and hands back the same result after', () => {
    const sql = 'SELECT @once AS once_only_test'
    expect(numbered(sql)).to.equal(numbered(sql))
  })

  it('binds the values in $n order and refuses a name it has no value for', () => {
    expect(bindNamed('SELECT @b, @a, @b', {a: 1, b: null, unused: 3})).to.deep.equal({text: 'SELECT $1, $2, $1', values: [null, 1]})
    expect(() => bindNamed('SELECT @a, @missing', {a: 1})).to.throw(MissingParamError, '@missing')
  })
})
