// Runs search queries over a built site's Pagefind bundle with Pagefind's own pagefind.js, the way
// a browser does (Node's Intl.Segmenter is the one Chromium ships), using the site's own
// search-core.js. Prints one JSON line per query: the result URLs in rank order.
//
//   node bench/search_quality.mjs SITE_DIR QUERIES.json [--plain] [--bytes]
//
// SITE_DIR is the built site (containing pagefind/ and static/js/search-core.js). --plain sends the
// raw query to Pagefind (what a stock Pagefind search does). --bytes reports, for the first query
// only, the bytes and files a browser transfers before it shows the first results: pagefind.js,
// the files it fetches to initialise and run the search, and the fragments of the first page of
// results (the search page loads the filter indexes after that).
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

const bundle = pathToFileURL(path.join(site, "pagefind") + "/").href;
const { openIndex, searchQuery } = await import(pathToFileURL(path.join(site, "static/js/search-core.js")).href);
// the runtime is imported, not fetched; a browser downloads it all the same
let runtime = bundle;
let pagefind;
if (plain) {
  // `pagefind --site` writes one bundle, with no catalogue
  pagefind = await import(new URL("pagefind.js", bundle).href);
  await pagefind.options({ basePath: bundle, baseUrl: "/" });
} else {
  pagefind = await openIndex(bundle, { baseUrl: "/" });
  runtime = new URL(JSON.parse(await readFile(new URL("index.json", bundle), "utf8")).shards[0], bundle);
}
transferred += (await readFile(new URL("pagefind.js", runtime))).length;

const queries = JSON.parse(await readFile(queriesFile, "utf8"));
for (const [index, query] of queries.entries()) {
  let results;
  if (plain) {
    results = (await pagefind.search(query)).results;
  } else {
    results = (await searchQuery(pagefind, query)).results;
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
