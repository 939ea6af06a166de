// Runs search queries over a built site's search index the way a browser does, with the site's own
// search-core.js (Node's Intl.Segmenter is the one Chromium ships). Prints one JSON line per query:
// the result URLs in rank order.
//
//   node bench/search_quality.mjs SITE_DIR QUERIES.json [--plain] [--bytes]
//
// SITE_DIR is the built site (containing search-index/ and static/js/search-core.js). --plain
// searches a stock Pagefind bundle (`pagefind --site` writes SITE_DIR/pagefind/) with Pagefind's
// own pagefind.js and the raw query. --bytes reports, for the first query only, the bytes and files
// the search transfers before it shows the first results: the script, the files it fetches to open
// the index and run the search, and the records of the first page of results (the search page
// loads the filter indexes after that). bench/search_cost.py measures the same in Chromium.
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [siteDir, queriesFile, ...flags] = process.argv.slice(2);
const plain = flags.includes("--plain");
const countBytes = flags.includes("--bytes");
const FIRST_PAGE = 20;

const site = path.resolve(siteDir);
let transferred = 0;
let requests = 1; // pagefind.js, imported rather than fetched
globalThis.fetch = async (url) => {
  const file = decodeURIComponent(new URL(url).pathname);
  const data = await readFile(file);
  transferred += data.length;
  requests += 1;
  return new Response(data);
};

const core = pathToFileURL(path.join(site, "static/js/search-core.js"));
const { openIndex, searchQuery } = await import(core.href);
// the script is imported, not fetched; a browser downloads it all the same
let searchIndex;
if (plain) {
  // `pagefind --site` writes one bundle, with no catalogue
  const bundle = pathToFileURL(path.join(site, "pagefind") + "/").href;
  searchIndex = await import(new URL("pagefind.js", bundle).href);
  await searchIndex.options({ basePath: bundle, baseUrl: "/" });
  transferred += (await readFile(new URL("pagefind.js", bundle))).length;
} else {
  searchIndex = await openIndex(pathToFileURL(path.join(site, "search-index") + "/").href);
  transferred += (await readFile(core)).length;
}

const queries = JSON.parse(await readFile(queriesFile, "utf8"));
for (const [index, query] of queries.entries()) {
  let results;
  if (plain) {
    results = (await searchIndex.search(query)).results;
  } else {
    results = (await searchQuery(searchIndex, query)).results;
  }
  // a browser loads the fragments of the first page of results only; count those, then the rest
  const firstPage = await Promise.all(results.slice(0, FIRST_PAGE).map((result) => result.data()));
  const bytesForFirstPage = transferred;
  const requestsForFirstPage = requests;
  const rest = await Promise.all(results.slice(FIRST_PAGE).map((result) => result.data()));
  const line = { query, urls: [...firstPage, ...rest].map((page) => page.url) };
  if (index === 0 && countBytes) Object.assign(line, { first_query_bytes: bytesForFirstPage, first_query_requests: requestsForFirstPage });
  console.log(JSON.stringify(line));
}
