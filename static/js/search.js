// The search page: the form, the filters and the result list around search-core.js.

const root = document.querySelector("[data-search]");
// Imported by its versioned URL (like every asset), so a changed module is never served from cache.
const { openIndex, searchQuery } = await import(root.dataset.core);
const form = root.querySelector("form");
const input = root.querySelector("#search-query");
const statusLine = root.querySelector("[data-status]");
const resultList = root.querySelector("[data-results]");
const moreButton = root.querySelector("[data-more]");
const filterPanel = root.querySelector(".search-filters");
const filterGroups = root.querySelector("[data-filter-groups]");
const clearButton = root.querySelector("[data-clear-filters]");

const FILTER_KEYS = ["类型", "省份", "城市", "机构", "一级事项", "公开方式", "公开对象", "主题分类", "有效性"];
const PAGE_SIZE = 20;

const index = await openIndex(new URL(root.dataset.bundle, location.href));

const selected = new Map(FILTER_KEYS.map((key) => [key, new Set()]));
let ordered = [];
let shown = 0;
let searchNumber = 0;

function filterOption() {
  const filters = {};
  for (const [key, values] of selected) {
    if (values.size > 0) filters[key] = [...values];
  }
  return filters;
}

async function runSearch(query) {
  const number = ++searchNumber;
  resultList.replaceChildren();
  moreButton.hidden = true;
  statusLine.textContent = query.trim() ? "正在搜索…" : "";
  const { words, results, counts, relaxed } = await searchQuery(index, query, filterOption());
  if (number !== searchNumber) return; // a newer search has started
  if (words.length === 0) {
    statusLine.textContent = query.trim() ? "请输入文字或数字再搜索。" : "";
    filterPanel.hidden = true;
    return;
  }
  ordered = results;
  shown = 0;
  if (ordered.length === 0) {
    statusLine.textContent = `没有找到与“${query.trim()}”相关的结果。请换一个词，或减少筛选条件。`;
  } else {
    await showMore(number);
    if (number !== searchNumber) return;
    // announced once the first results are on the page
    statusLine.textContent = relaxed
      ? `没有完全包含“${query.trim()}”的页面；以下 ${ordered.length} 条结果同时包含${relaxed.map((w) => `“${w}”`).join("")}。`
      : `共找到 ${ordered.length} 条结果。`;
  }
  // The filter indexes load after the first results are shown, so that those do not wait for them.
  const filterCounts = await counts(FILTER_KEYS);
  if (number !== searchNumber) return;
  renderFilters(filterCounts);
}

// Shows the next results, each as soon as it and those before it are loaded: on a slow network the
// first ones are read while the later ones arrive (they are added below, so nothing moves).
async function showMore(number) {
  const batch = ordered.slice(shown, shown + PAGE_SIZE);
  shown += batch.length;
  moreButton.hidden = true;
  const loading = batch.map((result) => result.data());
  for (const data of loading) {
    const item = resultItem(await data);
    if (number !== searchNumber) return;
    resultList.append(item);
  }
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
  excerpt.innerHTML = data.excerpt; // search-core.js escapes the text; only <mark> is added
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

// On a phone the filters stay folded, so that the results come first (folded in the HTML: unfolding
// on a wide screen moves nothing, while folding after the first paint would move the results).
filterPanel.open = window.matchMedia("(min-width: 40rem)").matches;
readAddress();
if (input.value) runSearch(input.value);
input.focus();
root.dataset.ready = "true"; // until now, submitting the form reloads the page with ?q=

