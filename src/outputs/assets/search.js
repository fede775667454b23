/* medfm offline search. Loaded on every page: `/` focuses the header search box. On
   search.html it also reads ?q=, queries window.medfmSearchIndex (written by `medfm build` as
   <lang>/search/index.js and loaded with a plain <script>, so it works from file://) and shows
   ranked results: categories (term pages, with their number of entries) first, then pages,
   filtered by the facets site.yaml declares (kept in the URL: ?q=…&kind=model); snippet text
   comes from search/text-<n>.js, loaded the same way on demand. Tokenizing and ranking mirror
   src/outputs/search/tokenize.rs and index.rs: keep them in step. */
(function () {
  "use strict";

  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var EXACT_TITLE_BONUS = 64;
  var SYNONYM_PERCENT = 75;
  var CATEGORY_SHARE = 4;
  var LEVELS = [1, 2, 3, 5, 8, 16, 32, 48];
  var PAGE_SIZE = 30;
  var ALNUM = /[\p{Alphabetic}\p{N}]/u;

  // ---- tokenizer (mirror of tokenize.rs) ----
  function isCjk(cp) {
    return cp === 0x3007 || (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0x20000 && cp <= 0x3134f);
  }
  function chars(text) {
    return Array.from(text, function (ch) {
      var cp = ch.codePointAt(0);
      return cp >= 0xff01 && cp <= 0xff5e ? String.fromCodePoint(cp - 0xfee0) : ch;
    });
  }
  function normalize(text) {
    return chars(text).map(function (c) { return c.toLowerCase(); }).join("").trim().split(/\s+/).join(" ");
  }
  function allCjk(s) {
    return Array.from(s).every(function (c) { return isCjk(c.codePointAt(0)); });
  }
  // Tokens a phrase must all match: words (prefix-matched) and CJK bigrams (a lone character stands for itself).
  function queryTokens(phrase) {
    var out = [], run = [], word = "";
    function pushWord() { if (word) { out.push({ word: true, t: word }); word = ""; } }
    function pushRun() {
      if (run.length === 1) out.push({ word: false, t: run[0] });
      for (var i = 1; i < run.length; i++) out.push({ word: false, t: run[i - 1] + run[i] });
      run = [];
    }
    chars(phrase).forEach(function (c) {
      if (isCjk(c.codePointAt(0))) { pushWord(); run.push(c); return; }
      pushRun();
      if (ALNUM.test(c)) word += c.toLowerCase(); else pushWord();
    });
    pushWord();
    pushRun();
    return out.filter(function (tok, i) { return i === 0 || tok.t !== out[i - 1].t || tok.word !== out[i - 1].word; });
  }

  // ---- index (mirror of index.rs and encode.rs) ----
  function frontDecode(s) {
    var out = [], prev = "";
    if (!s) return out;
    s.split(" ").forEach(function (item) {
      prev = prev.slice(0, item.charCodeAt(0) - 48) + item.slice(1);
      out.push(prev);
    });
    return out;
  }
  var DIGIT = {};
  for (var d = 0; d < ALPHABET.length; d++) DIGIT[ALPHABET.charCodeAt(d)] = d;
  // A posting list: varints of (page gap * 8 + score level), see encode.rs.
  function decodeIds(s) {
    var out = [], n = 0, scale = 1, prev = 0;
    for (var i = 0; i < s.length; i++) {
      var v = DIGIT[s.charCodeAt(i)];
      n += (v & 31) * scale;
      scale *= 32;
      if (v < 32) { prev += n; out.push(prev); n = 0; scale = 1; }
    }
    return out;
  }
  function decodePostings(s) {
    var out = [], n = 0, scale = 1, page = 0;
    for (var i = 0; i < s.length; i++) {
      var v = DIGIT[s.charCodeAt(i)];
      n += (v & 31) * scale;
      scale *= 32;
      if (v < 32) {
        page += Math.floor(n / 8);
        out.push([page, LEVELS[n % 8]]);
        n = 0;
        scale = 1;
      }
    }
    return out;
  }
  function Index(raw) {
    this.raw = raw;
    this.tokens = frontDecode(raw.tokens);
    this.lists = raw.postings.split(" ");
    this.synonyms = raw.synonyms || {};
    this.categories = raw.categories || [];
    this.firstCategory = raw.pages.length;
    this.entries = this.categories.map(function (c) { return decodeIds(c[3]); });
  }
  Index.prototype.title = function (page) {
    return page < this.firstCategory ? this.raw.pages[page][1] : this.categories[page - this.firstCategory][2];
  };
  // What a result row shows: [url, title, meta labels, facet values (none for a category), entries].
  Index.prototype.row = function (page) {
    var raw = this.raw;
    if (page < this.firstCategory) {
      var p = raw.pages[page];
      var facets = (p[4] || []).map(function (v) { return typeof v === "number" ? (v < 0 ? [] : [v]) : v; });
      return { url: p[0], title: p[1], meta: [raw.labels[p[2]]].concat(p[3] >= 0 ? [raw.labels[p[3]]] : []), facets: facets };
    }
    var c = this.categories[page - this.firstCategory], tax = raw.taxonomies[c[0]];
    return { url: tax[0] + c[1] + ".html", title: c[2], meta: [tax[1]], facets: [], count: this.entries[page - this.firstCategory].length };
  };
  // Each entry of a matching category gets CATEGORY_SHARE of its score, unless it scored more itself.
  Index.prototype.lend = function (scores) {
    var self = this, lent = [];
    scores.forEach(function (s, page) {
      if (page < self.firstCategory) return;
      self.entries[page - self.firstCategory].forEach(function (e) { lent.push([e, Math.floor(s / CATEGORY_SHARE)]); });
    });
    lent.forEach(function (l) { if (l[1] > 0) scores.set(l[0], Math.max(scores.get(l[0]) || 0, l[1])); });
  };
  Index.prototype.tokenScores = function (tok) {
    var lo = 0, hi = this.tokens.length, out = new Map();
    while (lo < hi) { var mid = (lo + hi) >> 1; if (this.tokens[mid] < tok.t) lo = mid + 1; else hi = mid; }
    for (var i = lo; i < this.tokens.length; i++) {
      var exact = this.tokens[i] === tok.t;
      if (!exact && !(tok.word && this.tokens[i].startsWith(tok.t))) break;
      decodePostings(this.lists[i]).forEach(function (p) {
        var s = exact ? p[1] : Math.max(1, Math.floor(p[1] / 2));
        out.set(p[0], Math.max(out.get(p[0]) || 0, s));
      });
    }
    return out;
  };
  function intersect(prev, next) {
    if (!prev) return next;
    var out = new Map();
    prev.forEach(function (s, page) { if (next.has(page)) out.set(page, s + next.get(page)); });
    return out;
  }
  Index.prototype.phraseScores = function (phrase) {
    var self = this, acc = null;
    var tokens = queryTokens(phrase), out = new Map();
    tokens.forEach(function (tok) { acc = intersect(acc, self.tokenScores(tok)); });
    (acc || out).forEach(function (s, page) { out.set(page, Math.floor(s / Math.max(1, tokens.length))); });
    return out;
  };
  // One group per query term: the term and its synonyms (see Synonyms::groups in index.rs).
  Index.prototype.groups = function (query) {
    var q = normalize(query), syn = this.synonyms;
    Object.keys(syn).forEach(function (k) {
      if (allCjk(k) && q.indexOf(k) >= 0) q = q.split(k).join(" " + k + " ");
    });
    return q.split(/\s+/).filter(function (term) { return term && queryTokens(term).length; }).map(function (term) {
      return [term].concat(Object.prototype.hasOwnProperty.call(syn, term) ? syn[term] : []);
    });
  };
  Index.prototype.search = function (query) {
    var self = this, total = null, wanted = normalize(query);
    this.groups(query).forEach(function (alternatives) {
      var best = new Map();
      alternatives.forEach(function (phrase, n) {
        self.phraseScores(phrase).forEach(function (s, page) {
          if (n > 0) s = Math.floor(s * SYNONYM_PERCENT / 100);
          best.set(page, Math.max(best.get(page) || 0, s));
        });
      });
      self.lend(best);
      total = intersect(total, best);
    });
    var hits = [];
    (total || new Map()).forEach(function (score, page) {
      var exact = normalize(self.title(page)) === wanted;
      hits.push({ page: page, score: score + (exact ? EXACT_TITLE_BONUS : 0) });
    });
    var first = this.firstCategory;
    return hits.sort(function (a, b) {
      return (b.page >= first) - (a.page >= first) || b.score - a.score || a.page - b.page;
    });
  };

  // ---- snippets ----
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function highlighter(groups) {
    var words = [], cjk = [];
    groups.forEach(function (alts) {
      alts.forEach(function (phrase) {
        queryTokens(phrase).forEach(function (tok) { (tok.word ? words : cjk).push(tok.t); });
        phrase.split(/[^\p{Alphabetic}\p{N}]+/u).forEach(function (part) { if (part && allCjk(part)) cjk.push(part); });
      });
    });
    var byLength = function (a, b) { return b.length - a.length; };
    var parts = [];
    if (words.length) parts.push("(?<!(?![\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}])[\\p{Alphabetic}\\p{N}])(?:" + words.sort(byLength).map(escapeRe).join("|") + ")");
    if (cjk.length) parts.push(cjk.sort(byLength).map(escapeRe).join("|"));
    try { return parts.length ? new RegExp(parts.join("|"), "giu") : null; } catch (e) { return null; }
  }
  // Appends `text` (or a window of it around the first match) to `el`, matches in <mark>.
  function fillSnippet(el, text, re, whole) {
    var start = 0, end = text.length;
    if (!whole) {
      re.lastIndex = 0;
      var first = re.exec(text);
      if (!first) return false;
      start = Math.max(0, first.index - 30);
      end = Math.min(text.length, start + 120);
      var space = text.indexOf(" ", start);
      if (start > 0 && space >= 0 && space < first.index) start = space + 1; // whole words in Latin text
      space = text.lastIndexOf(" ", end);
      if (end < text.length && space > first.index + first[0].length) end = space;
      if (/[\udc00-\udfff]/.test(text.charAt(start))) start++;
    }
    var piece = text.slice(start, end), last = 0, m;
    if (start > 0) el.appendChild(document.createTextNode("…"));
    if (re) {
      re.lastIndex = 0;
      while ((m = re.exec(piece)) && m[0]) {
        el.appendChild(document.createTextNode(piece.slice(last, m.index)));
        var mark = document.createElement("mark");
        mark.textContent = m[0];
        el.appendChild(mark);
        last = m.index + m[0].length;
      }
    }
    el.appendChild(document.createTextNode(piece.slice(last)));
    if (end < text.length) el.appendChild(document.createTextNode("…"));
    return true;
  }

  // ---- results page ----
  function ResultsPage(app, index, input) {
    this.app = app;
    this.index = index;
    this.input = input;
    this.list = document.getElementById("search-results");
    this.status = document.getElementById("search-status");
    this.moreWrap = document.getElementById("search-more-wrap");
    this.texts = window.medfmSearchText = window.medfmSearchText || {};
    this.loading = {};
    this.baseTitle = document.title;
    this.facets = index.raw.facets || [];
    this.chosen = this.facets.map(function () { return -1; });
    this.selects = [];
  }
  // One <select> per facet in the #search-facets fieldset (shown only when the site declares
  // facets; made here, without a legend, when the template has none).
  ResultsPage.prototype.buildFacets = function (params, onChange) {
    var self = this, box = document.getElementById("search-facets");
    if (!this.facets.length) return;
    if (!box) {
      box = document.createElement("div");
      box.id = "search-facets";
      box.className = "search-facets";
      this.status.parentNode.insertBefore(box, this.status);
    }
    this.facets.forEach(function (facet, f) {
      var id = "search-facet-" + facet.name, label = document.createElement("label"), select = document.createElement("select");
      label.htmlFor = id;
      label.textContent = facet.label;
      select.id = id;
      select.name = facet.name;
      var wanted = params.get(facet.name);
      self.chosen[f] = facet.values.findIndex(function (v) { return v[0] === wanted; });
      select.addEventListener("change", function () { self.chosen[f] = Number(select.value); onChange(); });
      var wrap = document.createElement("span");
      wrap.className = "search-facet";
      wrap.appendChild(label);
      wrap.appendChild(select);
      box.appendChild(wrap);
      self.selects.push(select);
    });
    box.hidden = false;
  };
  // True when `row` carries the chosen term of every facet except `skip`.
  ResultsPage.prototype.passes = function (row, skip) {
    for (var f = 0; f < this.chosen.length; f++) {
      if (f === skip || this.chosen[f] < 0) continue;
      if (!row.facets[f] || row.facets[f].indexOf(this.chosen[f]) < 0) return false;
    }
    return true;
  };
  // Each facet's options, with the number of results each would leave.
  ResultsPage.prototype.fillFacets = function (rows) {
    var self = this, any = this.app.dataset.any || "—";
    this.selects.forEach(function (select, f) {
      var counts = self.facets[f].values.map(function () { return 0; }), all = 0;
      rows.forEach(function (row) {
        if (!self.passes(row, f)) return;
        all++;
        (row.facets[f] || []).forEach(function (v) { counts[v]++; });
      });
      select.textContent = "";
      var option = new Option(any + " (" + all + ")", "-1");
      select.appendChild(option);
      self.facets[f].values.forEach(function (v, i) {
        if (counts[i] || i === self.chosen[f]) select.appendChild(new Option(v[1] + " (" + counts[i] + ")", String(i)));
      });
      select.value = String(self.chosen[f]);
    });
  };
  // The query and the chosen facet terms as a URL query string.
  ResultsPage.prototype.search = function () {
    var self = this, params = new URLSearchParams();
    params.set("q", this.query || "");
    this.facets.forEach(function (facet, f) { if (self.chosen[f] >= 0) params.set(facet.name, facet.values[self.chosen[f]][0]); });
    return "?" + params.toString();
  };
  ResultsPage.prototype.run = function (query) {
    var self = this;
    this.query = query.trim();
    this.groups = this.index.groups(this.query);
    var hits = this.groups.length ? this.index.search(this.query) : [];
    var rows = hits.map(function (hit) { return self.index.row(hit.page); });
    this.fillFacets(rows);
    this.hits = hits.filter(function (hit, i) { return self.passes(rows[i], -1); });
    this.rows = rows.filter(function (row) { return self.passes(row, -1); });
    this.re = highlighter(this.groups);
    this.shown = 0;
    this.list.textContent = "";
    document.title = this.query ? this.query + " · " + this.baseTitle : this.baseTitle;
    var d = this.app.dataset, n = this.hits.length;
    if (!this.query) this.status.textContent = d.empty;
    else if (!n) this.status.textContent = d.none.replace("{q}", this.query);
    else this.status.textContent = (n === 1 ? d.countOne : d.count).replace("{n}", String(n));
    this.app.classList.toggle("search-none", !!this.query && !n);
    this.more();
  };
  ResultsPage.prototype.more = function () {
    var self = this, start = this.shown, next = this.hits.slice(start, start + PAGE_SIZE);
    next.forEach(function (hit, i) { self.list.appendChild(self.item(hit, self.rows[start + i])); });
    this.shown += next.length;
    this.moreWrap.hidden = this.shown >= this.hits.length;
    next.forEach(function (hit) { if (hit.page < self.index.firstCategory) self.snippet(hit); });
  };
  // A result row: a category shows its taxonomy and number of entries instead of a snippet.
  ResultsPage.prototype.item = function (hit, row) {
    var li = document.createElement("li"), a = document.createElement("a"), meta = document.createElement("span");
    li.className = row.count === undefined ? "search-hit" : "search-hit search-category";
    li.dataset.page = String(hit.page);
    a.className = "search-title";
    a.href = row.url;
    a.textContent = row.title;
    meta.className = "meta";
    var count = row.count === undefined ? [] : [(this.app.dataset.categoryCount || "{n}").replace("{n}", String(row.count))];
    meta.textContent = row.meta.concat(count).join(" · ");
    li.appendChild(a);
    li.appendChild(meta);
    if (row.count === undefined) {
      var p = document.createElement("p");
      p.className = "search-snippet";
      li.appendChild(p);
    }
    return li;
  };
  ResultsPage.prototype.shardOf = function (page) {
    var shards = this.index.raw.shards, n = 0;
    while (n + 1 < shards.length && shards[n + 1] <= page) n++;
    return n;
  };
  ResultsPage.prototype.snippet = function (hit) {
    var self = this, n = this.shardOf(hit.page);
    if (this.texts[n]) return this.fill(hit.page, n);
    if (this.loading[n]) return;
    this.loading[n] = true;
    var script = document.createElement("script");
    script.src = "search/text-" + n + ".js";
    script.onload = function () {
      Array.prototype.forEach.call(self.list.children, function (li) {
        var page = Number(li.dataset.page);
        if (self.shardOf(page) === n) self.fill(page, n);
      });
    };
    document.head.appendChild(script);
  };
  ResultsPage.prototype.fill = function (page, n) {
    var li = this.list.querySelector('li[data-page="' + page + '"]'), shard = this.texts[n];
    if (!li || !shard) return;
    var entry = shard[page - this.index.raw.shards[n]], p = li.querySelector(".search-snippet");
    if (!entry || p.childNodes.length) return;
    if (!(this.re && fillSnippet(p, entry[1], this.re, false))) fillSnippet(p, entry[0], this.re, true);
  };
  ResultsPage.prototype.links = function () {
    return Array.prototype.slice.call(this.list.querySelectorAll("a.search-title"));
  };
  // Arrow keys move between the box and the result links; Enter on a link opens it.
  ResultsPage.prototype.onKey = function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = this.links(), i = links.indexOf(document.activeElement);
    if (!links.length || (document.activeElement !== this.input && i < 0)) return;
    e.preventDefault();
    if (e.key === "ArrowDown") links[Math.min(i + 1, links.length - 1)].focus();
    else if (i <= 0) this.input.focus();
    else links[i - 1].focus();
  };

  function startResults(app, input) {
    if (!window.medfmSearchIndex) return;
    var page = new ResultsPage(app, new Index(window.medfmSearchIndex), input);
    var params = new URLSearchParams(window.location.search);
    var query = params.get("q") || "";
    if (input) input.value = query;
    function update() {
      page.run(input ? input.value : page.query);
      try { window.history.replaceState(null, "", page.search()); } catch (e) { /* some file:// setups refuse */ }
    }
    page.buildFacets(params, update);
    page.run(query);
    document.getElementById("search-more").addEventListener("click", function () { page.more(); });
    document.addEventListener("keydown", function (e) { page.onKey(e); });
    if (!input) return;
    var timer = 0;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 150); });
    input.form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); update(); });
  }

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  function init() {
    var input = document.getElementById("search-q");
    document.addEventListener("keydown", function (e) {
      if (e.key === "/" && input && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(document.activeElement)) {
        e.preventDefault();
        input.focus();
        input.select();
      }
    });
    var app = document.getElementById("search-app");
    if (app) startResults(app, input);
  }
  // For tests and the curious: the same engine the results page uses.
  window.medfmSearch = { Index: Index, queryTokens: queryTokens, normalize: normalize };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
