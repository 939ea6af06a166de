// How a reader's query becomes Pagefind searches, and how their results become one ranked list.
// The browser (search.js) and the search-quality measurement (bench/search_quality.mjs) both use
// this module, so the figures measured are the figures readers get. The rules mirror
// gkml_ssg/search_text.py.
//
// Every letter, digit and ideograph is indexed as its own word, so a query word is searched as a
// quoted phrase of its characters: a page matches exactly when its text contains the word. Words
// a reader separates with spaces must all occur. Pages whose title contains more of the words come
// first (titles are indexed a second time as "title tokens" that only a title search matches),
// then pages where the match comes earlier.

// Opens the site's search index: `pagefind/index.json` names its shards (see
// gkml_ssg/search_shards.py); the first one's Pagefind runtime is loaded and the others are merged
// into it, so that one search covers them all. While a build re-indexes shards after an edit, the
// catalogue also names an edit bundle and the agencies it replaces: it is merged too, and every
// search sets aside those agencies' pages in the shards (they carry the hidden filter 网址标识;
// the edit bundle's pages do not). Returns an object with Pagefind's `search` and `filters`.
export async function openIndex(bundleUrl, options = {}) {
  const response = await fetch(new URL("index.json", bundleUrl), { cache: "no-cache" });
  if (!response.ok) throw new Error(`search index catalogue: HTTP ${response.status}`);
  const catalogue = await response.json();
  const [first, ...others] = catalogue.shards.map((shard) => new URL(shard, bundleUrl).href);
  const pagefind = await import(`${first}pagefind.js`);
  await pagefind.options({ ...options, basePath: first });
  if (catalogue.edits?.bundle) others.push(new URL(catalogue.edits.bundle, bundleUrl).href);
  // merged in parallel: each costs a round trip or two (its entry and metadata files)
  await Promise.all(others.map((shard) => pagefind.mergeIndex(shard, options)));
  const replaced = catalogue.edits?.replaced ?? [];
  if (replaced.length === 0) return pagefind;
  const setAside = { not: { 网址标识: { any: replaced } } };
  return {
    search: (term, searchOptions = {}) =>
      pagefind.search(term, { ...searchOptions, filters: { ...(searchOptions.filters ?? {}), ...setAside } }),
    filters: () => pagefind.filters(),
  };
}

export function queryWords(query) {
  return query
    .split(/\s+/u)
    .map((word) => [...word].filter((c) => /[\p{L}\p{N}]/u.test(c)).join("").toLowerCase())
    .filter((word) => word.length > 0);
}

export function phrase(word) {
  return `"${[...word].join(" ")}"`;
}

export function titleToken(character) {
  const hex = character.toLowerCase().codePointAt(0).toString(16);
  return "q" + [...hex].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join("");
}

export function titlePhrase(word) {
  return `"${[...word].map(titleToken).join(" ")}"`;
}

// Pagefind's excerpt shows the indexed tokens: one character each, title tokens at the end.
export function readableExcerpt(html) {
  return html
    .replace(/(<mark>)?\bq[a-pz]{1,6}\b\s*(<\/mark>)?/gu, "")
    .replace(/[\s\u200b]+/gu, "")
    .replace(/<\/mark><mark>/gu, "");
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

// Runs every search a query needs. Returns the ranked results and, for a one-word query,
// Pagefind's filter counts (for several words the caller counts from the results). A query typed
// as one run of text that no page contains as it stands is searched again as its separate words
// (`relaxed` then lists them), so that a sentence still finds the pages that contain all its words.
export async function searchQuery(pagefind, query, filters = {}) {
  const exact = await searchWords(pagefind, queryWords(query), filters);
  if (exact.results.length > 0 || exact.words.length !== 1) return { ...exact, relaxed: null };
  const words = sentenceWords(query);
  if (words.length < 2) return { ...exact, relaxed: null };
  return { ...(await searchWords(pagefind, words, filters)), relaxed: words };
}

async function searchWords(pagefind, words, filters) {
  if (words.length === 0) return { words, results: [], filterCounts: {} };
  const searches = await Promise.all(
    words.flatMap((word) => [
      pagefind.search(phrase(word), { filters }),
      pagefind.search(titlePhrase(word), { filters }),
    ]),
  );
  const contentSearches = searches.filter((_, i) => i % 2 === 0);
  const titleSearches = searches.filter((_, i) => i % 2 === 1);

  const titleHits = new Map();
  for (const search of titleSearches) {
    for (const result of search.results) titleHits.set(result.id, (titleHits.get(result.id) ?? 0) + 1);
  }
  let common = new Set(contentSearches[0].results.map((r) => r.id));
  for (const search of contentSearches.slice(1)) {
    const ids = new Set(search.results.map((r) => r.id));
    common = new Set([...common].filter((id) => ids.has(id)));
  }
  const results = contentSearches[0].results
    .filter((result) => common.has(result.id))
    .map((result, index) => ({ result, index, titles: titleHits.get(result.id) ?? 0, at: Math.min(...result.words) }))
    .sort((a, b) => b.titles - a.titles || a.at - b.at || a.index - b.index)
    .map((entry) => entry.result);
  return { words, results, filterCounts: words.length === 1 ? contentSearches[0].filters : null };
}
