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

// Runs every search a query needs. Returns the ranked results and, for a one-word query,
// Pagefind's filter counts (for several words the caller counts from the results).
export async function searchQuery(pagefind, query, filters = {}) {
  const words = queryWords(query);
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
