// The search: how a reader's query is looked up in gkml's search index, and how its results become
// one ranked list. The browser (search.js) and the search-quality measurement
// (bench/search_quality.mjs) both use this module, so the figures measured are the figures readers
// get. The index is written by gkml_ssg/search/bundle.py; the text rules mirror
// gkml_ssg/search/text.py.
//
// A page is a sequence of one-character tokens. The index holds, for every two adjacent letters,
// digits or ideographs (a bigram), the pages and positions where they occur; a query word of n
// characters matches where its n-1 bigrams stand at consecutive positions, so a page matches
// exactly when its text contains the word. A one-character word reads the unigram index (its pages
// and first position). Words a reader separates with spaces must all occur. Pages whose title
// contains more of the words come first (a position below TITLE_SPAN is in the title), then pages
// where the first word comes earlier, then the index's own order.

const TITLE_SPAN = 1024;
const EXCERPT_BEFORE = 12;
const EXCERPT_LENGTH = 40;
// The hidden filter that names each page's agency: a search sets aside the shards' copies of the
// agencies an edit bundle replaces (see gkml_ssg/build/index_units.py).
const AGENCY_ID = "网址标识";

// Opens the site's search index: `index.json` (the catalogue) lists the bundles (shards), with
// what is needed to find a term's block in each. While a build re-indexes shards after an edit,
// the catalogue also names an edit bundle and the agencies it replaces.
export async function openIndex(indexUrl) {
  const response = await fetch(new URL("index.json", indexUrl), { cache: "no-cache" });
  if (!response.ok) throw new Error(`search index catalogue: HTTP ${response.status}`);
  const catalogue = await response.json();
  const bundles = catalogue.shards.map((meta) => new Bundle(new URL(meta.folder, indexUrl), meta, false));
  const replaced = catalogue.edits?.replaced ?? [];
  if (catalogue.edits?.bundle) bundles.push(new Bundle(new URL(catalogue.edits.bundle.folder, indexUrl), catalogue.edits.bundle, true));
  return new SearchIndex(bundles, replaced);
}

// One bundle: its files are fetched once, when first needed, by a URL that names its version (so
// that a rebuilt bundle is never served from a cache).
class Bundle {
  constructor(url, meta, isEdits) {
    this.url = url;
    this.meta = meta;
    this.isEdits = isEdits;
    this.bounds = meta.bounds ? meta.bounds.split(" ") : [];
    this.loaded = new Map();
  }

  load(path, read) {
    if (!this.loaded.has(path)) {
      const url = new URL(`${path}?v=${this.meta.version}`, this.url);
      this.loaded.set(path, fetch(url).then((response) => {
        if (!response.ok) throw new Error(`search index ${path}: HTTP ${response.status}`);
        return read(response);
      }));
    }
    return this.loaded.get(path);
  }

  keyed(path) {
    return this.load(path, async (response) => readKeyed(new Uint8Array(await response.arrayBuffer())));
  }

  // The block of `term`, or undefined: the chunk is the last whose first term is not after it.
  async block(term) {
    let low = 0;
    let high = this.bounds.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.bounds[middle] <= term) low = middle + 1;
      else high = middle;
    }
    return (await this.keyed(`terms/${low}.bin`)).get(term);
  }

  // The pages of each value of a filter: Map value → Set of pages (decoded once).
  filter(name) {
    const number = this.meta.filters.indexOf(name);
    if (number < 0) return Promise.resolve(new Map());
    return this.load(`filter/${number}.bin`, async (response) => {
      const blocks = readKeyed(new Uint8Array(await response.arrayBuffer()));
      return new Map([...blocks].map(([value, block]) => [value, new Set(pageList(block))]));
    });
  }

  async record(page) {
    const group = Math.floor(page / this.meta.group);
    const records = await this.load(`pages/${group}.json`, (response) => response.json());
    return records[page % this.meta.group];
  }

  // The pages this bundle must not return: in a shard, those of agencies an edit bundle replaces.
  async setAside(replaced) {
    if (this.isEdits || replaced.length === 0) return null;
    const agencies = await this.filter(AGENCY_ID);
    return new Set(replaced.flatMap((slug) => [...(agencies.get(slug) ?? [])]));
  }

  // Pages whose text contains `word`: Map page → sorted start positions (a one-character word:
  // its first position only).
  async find(word) {
    const characters = [...word];
    if (characters.length === 1) {
      const block = await this.block(word);
      return block ? firstPositions(block) : new Map();
    }
    // Bigrams that cover every character are enough: abcde is ab at p, cd at p+2 and de at p+3.
    const offsets = [];
    for (let offset = 0; offset < characters.length - 1; offset += 2) offsets.push(offset);
    if (characters.length % 2 === 1) offsets.push(characters.length - 2);
    const terms = offsets.map((offset) => characters[offset] + characters[offset + 1]);
    const unique = [...new Set(terms)];
    const blocks = await Promise.all(unique.map((term) => this.block(term)));
    if (blocks.some((block) => !block)) return new Map();
    const byTerm = new Map(unique.map((term, i) => [term, positionLists(blocks[i])]));
    const lists = terms.map((term) => byTerm.get(term));
    const found = new Map();
    for (const [page, starts] of lists[0]) {
      const others = lists.map((list) => list.get(page));
      if (others.some((positions) => !positions)) continue;
      const sets = others.map((positions) => new Set(positions));
      const matches = starts.filter((start) => sets.every((set, i) => set.has(start + offsets[i])));
      if (matches.length > 0) found.set(page, matches);
    }
    return found;
  }
}

function numbers(bytes) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const byte of bytes) {
    value += (byte & 0x7f) * 2 ** shift;
    if (byte & 0x80) shift += 7;
    else {
      values.push(value);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

function readKeyed(bytes) {
  let at = 0;
  const next = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return value;
      shift += 7;
    }
  };
  const decoder = new TextDecoder();
  const heads = [];
  for (let count = next(); count > 0; count--) {
    const length = next();
    const name = decoder.decode(bytes.subarray(at, at + length));
    at += length;
    heads.push([name, next()]);
  }
  const blocks = new Map();
  for (const [name, length] of heads) {
    blocks.set(name, bytes.subarray(at, at + length));
    at += length;
  }
  return blocks;
}

function pageList(block) {
  let page = 0;
  return numbers(block).map((gap) => (page += gap));
}

function firstPositions(block) {
  const values = numbers(block);
  const found = new Map();
  let page = 0;
  for (let i = 0; i < values.length; i += 2) {
    page += values[i];
    found.set(page, [values[i + 1]]);
  }
  return found;
}

function positionLists(block) {
  const values = numbers(block);
  const found = new Map();
  let page = 0;
  for (let i = 0; i < values.length; ) {
    page += values[i++];
    const positions = [];
    let position = 0;
    for (let count = values[i++]; count > 0; count--) positions.push((position += values[i++]));
    found.set(page, positions);
  }
  return found;
}

class SearchIndex {
  constructor(bundles, replaced) {
    this.bundles = bundles;
    this.replaced = replaced;
  }

  // The pages of every bundle that contain every word: [{bundle, page, words: [starts per word]}].
  async match(words) {
    const perBundle = await Promise.all(
      this.bundles.map(async (bundle, order) => {
        const [aside, ...found] = await Promise.all([bundle.setAside(this.replaced), ...words.map((word) => bundle.find(word))]);
        const matches = [];
        for (const [page, starts] of found[0]) {
          if (aside?.has(page)) continue;
          const all = found.map((map) => map.get(page));
          if (all.every(Boolean)) matches.push({ bundle, order, page, words: all });
        }
        return matches;
      }),
    );
    return perBundle.flat();
  }

  // Whether each match passes the filters ({name: [values]}: any value of each name, every name).
  async allowed(matches, filters, except = null) {
    const names = Object.keys(filters).filter((name) => name !== except && filters[name].length > 0);
    if (names.length === 0) return matches;
    const passing = new Map(
      await Promise.all(
        this.bundles.map(async (bundle) => {
          const sets = await Promise.all(names.map(async (name) => {
            const values = await bundle.filter(name);
            return new Set(filters[name].flatMap((value) => [...(values.get(value) ?? [])]));
          }));
          return [bundle, sets];
        }),
      ),
    );
    return matches.filter((match) => passing.get(match.bundle).every((set) => set.has(match.page)));
  }

  // For each filter name, the number of `matches` with each value, under the other names' filters
  // (so that a reader can add a second value of a name they have chosen one of). Each value's pages
  // or the matches, whichever are fewer, are walked: a shard's pages at most, per name.
  async filterCounts(matches, filters, names) {
    const counts = {};
    for (const name of names) {
      const chosen = new Map(this.bundles.map((bundle) => [bundle, new Set()]));
      for (const match of await this.allowed(matches, filters, name)) chosen.get(match.bundle).add(match.page);
      const tally = {};
      await Promise.all(
        this.bundles.map(async (bundle) => {
          const pages = chosen.get(bundle);
          if (pages.size === 0) return;
          for (const [value, having] of await bundle.filter(name)) {
            const [fewer, more] = having.size < pages.size ? [having, pages] : [pages, having];
            let count = 0;
            for (const page of fewer) if (more.has(page)) count += 1;
            if (count > 0) tally[value] = (tally[value] ?? 0) + count;
          }
        }),
      );
      counts[name] = tally;
    }
    return counts;
  }
}

// A query's words: letters, digits and ideographs, folded to lower case where that keeps one
// character (as the index folds them).
export function queryWords(query) {
  return query
    .split(/\s+/u)
    .map((word) => [...word].filter((c) => /[\p{L}\p{N}]/u.test(c)).map(fold).join(""))
    .filter((word) => word.length > 0);
}

function fold(character) {
  const lower = character.toLowerCase();
  return [...lower].length === 1 ? lower : character;
}

// Question words, particles and verbs of asking a reader may type around what they look for
// ("我想查询三公经费", "如何办理异地就医备案").
const FUNCTION_WORDS = new Set([
  "我", "我们", "我想", "你", "您", "想", "要", "请问", "怎么", "怎样", "怎么样", "如何", "什么", "哪里",
  "哪儿", "哪些", "哪个", "是否", "可以", "能", "能否", "吗", "呢", "吧", "啊", "的", "了", "是", "在",
  "去", "到", "查询", "查找", "查看", "了解", "关于", "有关", "相关",
]);

// The words of a sentence typed without spaces, as the browser's own segmenter cuts it. Runs of
// single characters are joined again: the segmenter splits terms it does not know (异地就医 →
// 异 地 就 医), and they are one term to the reader.
export function sentenceWords(query) {
  const segmenter = new Intl.Segmenter("zh-CN", { granularity: "word" });
  const words = [];
  let run = "";
  for (const part of segmenter.segment(query)) {
    const word = part.isWordLike ? queryWords(part.segment)[0] : undefined;
    if (word && [...word].length === 1 && !FUNCTION_WORDS.has(word)) {
      run += word;
      continue;
    }
    if (run) words.push(run);
    run = "";
    if (word && !FUNCTION_WORDS.has(word)) words.push(word);
  }
  if (run) words.push(run);
  return [...new Set(words)];
}

// Runs every search a query needs. Returns the words searched, the ranked results (each with
// `data()`, the page's address, title, result line and excerpt) and `counts(names)`, the filter
// counts. A query typed as one run of text that no page contains as it stands is searched again
// as its separate words (`relaxed` then lists them), so that a sentence still finds the pages that
// contain all its words.
export async function searchQuery(index, query, filters = {}) {
  const exact = await searchWords(index, queryWords(query), filters);
  if (exact.results.length > 0 || exact.words.length !== 1) return { ...exact, relaxed: null };
  const words = sentenceWords(query);
  if (words.length < 2) return { ...exact, relaxed: null };
  return { ...(await searchWords(index, words, filters)), relaxed: words };
}

async function searchWords(index, words, filters) {
  if (words.length === 0) return { words, results: [], counts: async () => ({}) };
  const matches = await index.match(words);
  const ranked = (await index.allowed(matches, filters))
    .map((match) => ({
      match,
      titles: match.words.filter((starts) => starts[0] < TITLE_SPAN).length,
      at: match.words[0][0],
    }))
    .sort((a, b) => b.titles - a.titles || a.at - b.at || a.match.order - b.match.order || a.match.page - b.match.page);
  const results = ranked.map(({ match }) => ({ data: () => resultData(match, words) }));
  return { words, results, counts: (names) => index.filterCounts(matches, filters, names) };
}

async function resultData(match, words) {
  const record = await match.bundle.record(match.page);
  const start = record.start ?? TITLE_SPAN;
  const inBody = match.words[0].find((position) => position >= start);
  return { url: record.url, meta: record.meta, excerpt: excerpt([...record.text], inBody === undefined ? 0 : inBody - start, words) };
}

// About EXCERPT_LENGTH characters of the text around `at`, HTML-escaped, with every occurrence of
// the query's words marked.
export function excerpt(characters, at, words) {
  const from = Math.max(0, Math.min(at - EXCERPT_BEFORE, characters.length - EXCERPT_LENGTH));
  const to = Math.min(characters.length, from + EXCERPT_LENGTH);
  const window = characters.slice(from, to);
  const folded = window.map(fold);
  const marked = new Array(window.length).fill(false);
  for (const word of words) {
    const target = [...word];
    for (let i = 0; i + target.length <= folded.length; i++) {
      if (target.every((character, j) => folded[i + j] === character)) marked.fill(true, i, i + target.length);
    }
  }
  let html = from > 0 ? "…" : "";
  window.forEach((character, i) => {
    if (marked[i] && !marked[i - 1]) html += "<mark>";
    html += escape(character);
    if (marked[i] && !marked[i + 1]) html += "</mark>";
  });
  return to < characters.length ? html + "…" : html;
}

function escape(character) {
  return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[character] ?? character;
}
