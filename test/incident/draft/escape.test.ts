import {expect} from 'chai'

import {escapeHtml, escapeMarkdown} from '../../../src/incident/draft/escape.js'

describe('draft escaping', () => {
  it('escapes HTML text and attribute characters', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).to.equal('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;')
  })

  it('escapes Markdown: no raw HTML, no table break, one line', () => {
    expect(escapeMarkdown('a|b <img src=x> *c* [d](e) `f` #g\\\nh')).to.equal('a\\|b &lt;img src=x&gt; \\*c\\* \\[d\\](e) \\`f\\` \\#g\\\\ h')
  })
})
