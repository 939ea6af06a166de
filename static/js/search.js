// The search page: Pagefind's JavaScript API with the query rules of gkml_ssg/search_text.py.
//
// Every letter, digit and ideograph is indexed as its own word, so a query word is searched as a
// quoted phrase of its characters: a page matches exactly when its text contains the word. Words a
// reader separates with spaces must all occur. Pages whose title contains a word come first: titles
// are indexed a second time as "title tokens" that only a title search matches.

const root = document.querySelector("[data-search]");
const form = root.querySelector("form");
const input = root.querySelector("#search-query");
const statusLine = root.querySelector("[data-status]");
const resultList = root.querySelector("[data-results]");
const moreButton = root.querySelector("[data-more]");
const filterPanel = root.querySelector(".search-filters");
const filterGroups = root.querySelector("[data-filter-groups]");
const clearButton = root.querySelector("[data-clear-filters]");

const FILTER_KEYS = ["类型", "省份", "城市", "机构", "一级事项", "公开方式", "公开对象"];
const PAGE_SIZE = 20;
const MAX_COUNTED = 400; // several words: counts come from loaded results, up to this many

const bundlePath = root.dataset.bundle;
const pagefind = await import(`${bundlePath}pagefind.js`);
await pagefind.options({ basePath: bundlePath, baseUrl: "/", excerptLength: 36 });
await pagefind.filters(); // loads the filter indexes, so that searches return counts

const selected = new Map(FILTER_KEYS.map((key) => [key, new Set()]));
let ordered = [];
let shown = 0;
let searchNumber = 0;

function queryWords(query) {
  return query
    .split(/\s+/u)
    .map((word) => [...word].filter((c) => /[\p{L}\p{N}]/u.test(c)).join("").toLowerCase())
    .filter((word) => word.length > 0);
}

function phrase(word) {
  return `"${[...word].join(" ")}"`;
}

function titleToken(character) {
  const hex = character.toLowerCase().codePointAt(0).toString(16);
  return "q" + [...hex].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join("");
}

function titlePhrase(word) {
  return `"${[...word].map(titleToken).join(" ")}"`;
}

function filterOption() {
  const filters = {};
  for (const [key, values] of selected) {
    if (values.size > 0) filters[key] = { any: [...values] };
  }
  return filters;
}

// Pagefind's excerpt shows the indexed tokens: one character each, title tokens at the end.
function readableExcerpt(html) {
  return html
    .replace(/(<mark>)?\bq[a-pz]{1,6}\b\s*(<\/mark>)?/gu, "")
    .replace(/[\s\u200b]+/gu, "")
    .replace(/<\/mark><mark>/gu, "");
}

async function runSearch(query) {
  const number = ++searchNumber;
  const words = queryWords(query);
  resultList.replaceChildren();
  moreButton.hidden = true;
  if (words.length === 0) {
    statusLine.textContent = query.trim() ? "请输入文字或数字再搜索。" : "";
    filterPanel.hidden = true;
    return;
  }
  statusLine.textContent = "正在搜索…";
  const filters = filterOption();
  const searches = await Promise.all(
    words.flatMap((word) => [
      pagefind.search(phrase(word), { filters }),
      pagefind.search(titlePhrase(word), { filters }),
    ]),
  );
  if (number !== searchNumber) return; // a newer search has started
  const contentSearches = searches.filter((_, i) => i % 2 === 0);
  const titleSearches = searches.filter((_, i) => i % 2 === 1);

  const titleHits = new Map();
  for (const search of titleSearches) {
    for (const result of search.results) titleHits.set(result.id, (titleHits.get(result.id) ?? 0) + 1);
  }
  const inAll = contentSearches
    .slice(1)
    .reduce((ids, search) => new Set(search.results.map((r) => r.id).filter((id) => ids.has(id))),
      new Set(contentSearches[0].results.map((r) => r.id)));
  const first = contentSearches[0].results.filter((r) => inAll.has(r.id));
  ordered = first
    .map((result, index) => ({ result, index, titles: titleHits.get(result.id) ?? 0, at: Math.min(...result.words) }))
    .sort((a, b) => b.titles - a.titles || a.at - b.at || a.index - b.index)
    .map((entry) => entry.result);

  const counts = words.length === 1 ? contentSearches[0].filters : await countFilters(ordered);
  if (number !== searchNumber) return;
  renderFilters(counts);
  shown = 0;
  if (ordered.length === 0) {
    statusLine.textContent = `没有找到与“${query.trim()}”相关的结果。请换一个词，或减少筛选条件。`;
    return;
  }
  statusLine.textContent = `共找到 ${ordered.length} 条结果。`;
  await showMore(number);
}

async function countFilters(results) {
  const counts = {};
  const counted = await Promise.all(results.slice(0, MAX_COUNTED).map((r) => r.data()));
  for (const data of counted) {
    for (const [key, values] of Object.entries(data.filters ?? {})) {
      counts[key] ??= {};
      for (const value of values) counts[key][value] = (counts[key][value] ?? 0) + 1;
    }
  }
  return counts;
}

async function showMore(number) {
  const batch = ordered.slice(shown, shown + PAGE_SIZE);
  const pages = await Promise.all(batch.map((result) => result.data()));
  if (number !== searchNumber) return;
  for (const data of pages) resultList.append(resultItem(data));
  shown += batch.length;
  moreButton.hidden = shown >= ordered.length;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "result";
  const heading = document.createElement("h3");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title;
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "result-meta";
  meta.textContent = [data.meta.kind, data.meta.agency, data.meta.category].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "result-excerpt";
  excerpt.innerHTML = readableExcerpt(data.excerpt); // Pagefind escapes the text; only <mark> remains
  item.append(heading, meta, excerpt);
  return item;
}

function renderFilters(counts) {
  filterGroups.replaceChildren();
  let any = false;
  for (const key of FILTER_KEYS) {
    const values = Object.entries(counts[key] ?? {}).filter(([value, count]) => count > 0 || selected.get(key).has(value));
    if (values.length === 0) continue;
    any = true;
    values.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "zh-CN"));
    const group = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = key;
    group.append(legend);
    for (const [value, count] of values) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = key;
      box.value = value;
      box.checked = selected.get(key).has(value);
      box.addEventListener("change", () => {
        if (box.checked) selected.get(key).add(value);
        else selected.get(key).delete(value);
        updateAddress();
        runSearch(input.value);
      });
      const text = document.createElement("span");
      text.textContent = value;
      const number = document.createElement("span");
      number.className = "count";
      number.textContent = `（${count}）`;
      label.append(box, text, number);
      group.append(label);
    }
    filterGroups.append(group);
  }
  filterPanel.hidden = !any;
}

function updateAddress() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const [key, values] of selected) for (const value of values) params.append("f", `${key}:${value}`);
  const address = params.toString() ? `?${params}` : location.pathname;
  history.replaceState(null, "", address);
}

function readAddress() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") ?? "";
  for (const filter of params.getAll("f")) {
    const [key, ...rest] = filter.split(":");
    if (selected.has(key)) selected.get(key).add(rest.join(":"));
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  updateAddress();
  runSearch(input.value);
});
moreButton.addEventListener("click", () => showMore(searchNumber));
clearButton.addEventListener("click", () => {
  for (const values of selected.values()) values.clear();
  updateAddress();
  runSearch(input.value);
});

readAddress();
if (input.value) runSearch(input.value);
input.focus();
