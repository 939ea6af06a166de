// The comparison page: two to four agencies side by side, category (一级事项) by category. The
// agencies are in the page's URL (?a=<slug>&a=<slug>), so a comparison can be bookmarked or sent.

const root = document.querySelector("[data-compare]");
const form = root.querySelector("form");
const inputs = [...form.querySelectorAll("input[name=a]")];
const options = root.querySelector("#compare-agencies");
const statusLine = root.querySelector("[data-status]");
const output = root.querySelector("[data-comparison]");

const MIN = 2;
const MAX = inputs.length;
const FIELDS = ["公开时限", "公开主体", "公开渠道", "公开依据"];

async function agencyListing() {
  try {
    const response = await fetch(root.dataset.agencies);
    if (response.ok) return await response.json();
  } catch {
    // the message below says what to do
  }
  statusLine.textContent = "无法读取机构列表，请稍后刷新页面再试。";
  return { 机构: [] };
}

const listing = await agencyListing();
// [slug, name, region, comparison file]; a reader picks by "name（region）", which is unique.
const agencies = listing["机构"].map(([slug, name, region, file]) => ({ slug, name, region, file, label: `${name}（${region}）` }));
const bySlug = new Map(agencies.map((agency) => [agency.slug, agency]));
const byLabel = new Map(agencies.map((agency) => [agency.label, agency]));

for (const agency of agencies) {
  const option = document.createElement("option");
  option.value = agency.label;
  options.append(option);
}

// What a reader typed: a label from the list, a slug, or a name only one agency has.
function agencyOf(text) {
  const typed = text.trim();
  if (!typed) return null;
  const named = agencies.filter((agency) => agency.name === typed);
  return byLabel.get(typed) ?? bySlug.get(typed) ?? (named.length === 1 ? named[0] : undefined);
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function link(text, href) {
  const anchor = element("a", text);
  anchor.href = href;
  return anchor;
}

function itemView(item) {
  const entry = element("li");
  entry.append(link(item["事项"], item["网址"]));
  const fields = element("dl", undefined, "compare-fields");
  for (const field of FIELDS) {
    const value = item[field];
    const text = Array.isArray(value) ? value.join("；") : value;
    const row = element("div");
    row.append(element("dt", field), element("dd", text || "未填写", text ? undefined : "empty"));
    fields.append(row);
  }
  entry.append(fields);
  return entry;
}

function render(catalogues) {
  const categories = [];
  for (const catalogue of catalogues) {
    for (const category of catalogue["目录"]) {
      if (!categories.includes(category["一级事项"])) categories.push(category["一级事项"]);
    }
  }
  const overview = element("table", undefined, "catalogue compare-overview");
  const head = element("tr");
  head.append(element("th", "机构"), element("th", "地区"), element("th", "主动公开事项"));
  for (const cell of head.children) cell.scope = "col";
  const body = element("tbody");
  for (const catalogue of catalogues) {
    const row = element("tr");
    const name = element("th");
    name.scope = "row";
    name.append(link(catalogue["名称"], catalogue["网址"]));
    const count = catalogue["目录"].reduce((sum, category) => sum + category["事项"].length, 0);
    row.append(name, element("td", catalogue["地区"]), element("td", `${count} 项`));
    // the labels a narrow screen shows before each cell, as the site's other tables have
    [...row.children].forEach((cell, index) => { cell.dataset.label = head.children[index].textContent; });
    body.append(row);
  }
  overview.append(element("thead"), body);
  overview.tHead.append(head);

  const sections = categories.map((name, index) => {
    const section = element("section", undefined, "compare-category");
    const heading = element("h2", name || "（未分类）");
    heading.id = `compare-category-${index + 1}`;
    section.setAttribute("aria-labelledby", heading.id);
    const columns = element("div", undefined, "compare-columns");
    for (const catalogue of catalogues) {
      const column = element("div", undefined, "compare-column");
      column.append(element("h3", catalogue["名称"]));
      const category = catalogue["目录"].find((found) => found["一级事项"] === name);
      if (category) {
        const list = element("ul", undefined, "compare-items");
        list.append(...category["事项"].map(itemView));
        column.append(list);
      } else {
        column.append(element("p", "目录中没有这个一级事项", "empty"));
      }
      columns.append(column);
    }
    section.append(heading, columns);
    return section;
  });
  output.replaceChildren(overview, ...sections);
}

async function compare(slugs) {
  output.replaceChildren();
  if (slugs.length === 0) {
    statusLine.textContent = "";
    return;
  }
  const chosen = slugs.map((slug) => bySlug.get(slug));
  const unknown = slugs.filter((slug, index) => !chosen[index]);
  if (unknown.length > 0) {
    statusLine.textContent = `找不到机构：${unknown.join("、")}。请从列表中重新选择。`;
    return;
  }
  if (chosen.length < MIN) {
    statusLine.textContent = "请再选择至少一个机构。";
    return;
  }
  statusLine.textContent = "正在读取目录…";
  try {
    const catalogues = await Promise.all(chosen.map(async (agency) => {
      const response = await fetch(agency.file);
      if (!response.ok) throw new Error(`${agency.name}：${response.status}`);
      return response.json();
    }));
    render(catalogues);
    statusLine.textContent = `正在对比 ${catalogues.map((catalogue) => catalogue["名称"]).join("、")}。`;
  } catch (error) {
    statusLine.textContent = `无法读取目录（${error.message}），请稍后再试。`;
  }
}

function slugsInAddress() {
  return [...new Set(new URLSearchParams(location.search).getAll("a").filter(Boolean))].slice(0, MAX);
}

function fill(slugs) {
  inputs.forEach((input, index) => {
    const agency = bySlug.get(slugs[index]);
    input.value = agency ? agency.label : (slugs[index] ?? "");
  });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const typed = inputs.map((input) => input.value).filter((text) => text.trim());
  const found = typed.map(agencyOf);
  const missing = typed.filter((text, index) => !found[index]);
  if (missing.length > 0) {
    statusLine.textContent = `找不到机构：${missing.join("、")}。请从列表中选择。`;
    return;
  }
  const slugs = [...new Set(found.map((agency) => agency.slug))];
  const address = new URL(location.href);
  address.search = new URLSearchParams(slugs.map((slug) => ["a", slug])).toString();
  history.pushState(null, "", address);
  fill(slugs);
  compare(slugs);
});

addEventListener("popstate", () => {
  fill(slugsInAddress());
  compare(slugsInAddress());
});

fill(slugsInAddress());
compare(slugsInAddress());
