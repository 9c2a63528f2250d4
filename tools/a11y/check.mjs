// Accessibility and offline check of the built website, both editions, light and dark.
//
//   node tools/a11y/check.mjs [--site _build/html] [--reports _build/reports]
//                             [--chromium /usr/bin/chromium] [--only SUBSTRING]
//                             [--screenshots DIR] [--width 1280] [--jobs N]
//
// The site is served on 127.0.0.1 by a small server of this script; Chromium (headless,
// never a browser that a tool downloads) opens every page of both editions (every .html file
// outside _static, except the index.html redirects) once in light mode (a first visit on a
// system in light mode) and once in dark mode (a reader who chose dark, on a system in dark
// mode), with the network off: any request to another host is refused and counts as an
// error. Once MathJax has typeset the page, folded cells and solutions are opened, and
// axe-core runs the WCAG 2 A and AA rules (tags wcag2a, wcag2aa); console errors, uncaught
// errors and failed requests are recorded, and the page must show the mode asked for (its
// data-theme and a light or dark background). The report goes to <reports>/a11y.json and
// a11y.md. The exit status is 1 if anything is wrong, 2 for a usage error.
import { createServer } from "node:http";
import { readFile, readdir, stat, mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_VERSION = require("axe-core/package.json").version;
const TAGS = ["wcag2a", "wcag2aa"];
const MODES = ["light", "dark"];
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".ipynb": "application/json",
};

function options(argv) {
  const found = {
    site: "_build/html",
    reports: "_build/reports",
    chromium: process.env.CHROMIUM || "",
    only: "",
    screenshots: "",
    width: 1280,
    // pages checked at once: one more than the processors (the tabs wait on each other)
    jobs: Math.min(8, (os.availableParallelism?.() ?? os.cpus().length) + 1),
  };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, "");
    if (!(name in found) || i + 1 >= argv.length) {
      console.error(`usage error: unknown option or missing value: ${argv[i]}`);
      process.exit(2);
    }
    found[name] = typeof found[name] === "number" ? Number(argv[++i]) : argv[++i];
  }
  if (!found.chromium) {
    found.chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
      .find((p) => existsSync(p)) || "";
  }
  return found;
}

async function htmlPages(root, folder = "") {
  const pages = [];
  for (const entry of await readdir(path.join(root, folder), { withFileTypes: true })) {
    const relative = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!entry.name.startsWith("_") && !entry.name.startsWith(".")) {
        pages.push(...(await htmlPages(root, relative)));
      }
    } else if (entry.name.endsWith(".html") && entry.name !== "index.html") {
      pages.push(relative); // index.html only redirects to the first page
    }
  }
  return pages.sort();
}

function serve(root) {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, "http://127.0.0.1");
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(path.resolve(root))) {
      response.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
      const body = await readFile(file);
      response.writeHead(200, {
        "content-type": TYPES[path.extname(file)] || "application/octet-stream",
      });
      response.end(body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

// Relative luminance of a CSS rgb()/rgba() colour (WCAG's formula).
function luminance(colour) {
  const [r, g, b] = (colour.match(/[\d.]+/g) || ["0", "0", "0"]).slice(0, 3).map(Number);
  const channel = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

// A browser tab that checks one page after another (a new tab for each page would start a
// renderer process each time); what it reports goes to the record of the page it is on.
async function openTab(context, base) {
  const tab = await context.newPage();
  const state = { record: null, failed: new Set() };
  const report = (field, text) => state.record?.[field].push(text);
  tab.on("console", (message) => {
    if (message.type() === "error") report("console", message.text());
  });
  tab.on("pageerror", (error) => report("console", `uncaught: ${error.message}`));
  const fail = (url, why) => {
    // each URL once: a 404 is also reported as an aborted request
    if (!state.failed.has(url)) report("failed", `${url.replace(base, "")} (${why})`);
    state.failed.add(url);
  };
  tab.on("requestfailed", (request) => {
    if (request.url().startsWith(base)) fail(request.url(), request.failure()?.errorText);
  });
  tab.on("response", (response) => {
    if (response.status() >= 400 && response.url().startsWith(base)) {
      fail(response.url(), `HTTP ${response.status()}`);
    }
  });
  await tab.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith("data:") || url.startsWith("blob:")) {
      return route.continue();
    }
    report("remote", url);
    return route.abort("internetdisconnected");
  });
  return { tab, state };
}

async function checkPage({ tab, state }, base, page, mode, result, screenshots) {
  const started = Date.now();
  const record = { page, mode, violations: [], console: [], failed: [], remote: [], other: [] };
  state.record = record;
  state.failed = new Set();
  result.push(record);
  await tab.goto(`${base}/${page}`, { waitUntil: "load" });
  const loaded = Date.now();
  // MathJax typesets after load; wait for it so that axe sees the formulas.
  await tab.evaluate(async () => {
    if (window.MathJax?.startup?.promise) await window.MathJax.startup.promise;
  });
  // Open what a reader can open (folded cells, solutions), so that axe sees it too.
  await tab.evaluate(async () => {
    document.querySelectorAll("details").forEach((details) => (details.open = true));
    document.querySelectorAll(".toggle-button.toggle-button-hidden").forEach((b) => b.click());
    // and let them finish fading in: axe would measure colours halfway
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const finite = document
      .getAnimations()
      .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity);
    const settled = Promise.all(finite.map((animation) => animation.finished.catch(() => {})));
    await Promise.race([settled, new Promise((done) => setTimeout(done, 3000))]);
  });
  // The theme makes wide code focusable 300 ms after the page last changed (MathJax's
  // formulas, the opened blocks).
  await tab.waitForTimeout(400);
  const theme = await tab.evaluate(() => ({
    theme: document.documentElement.dataset.theme,
    background: getComputedStyle(document.body).backgroundColor,
  }));
  const light = luminance(theme.background) > 0.5;
  if (theme.theme !== mode || light !== (mode === "light")) {
    record.other.push(
      `the page is not in ${mode} mode (data-theme=${theme.theme}, background ${theme.background})`,
    );
  }
  const ready = Date.now();
  await tab.addScriptTag({ content: AXE_SOURCE });
  const axe = await tab.evaluate(
    (tags) =>
      window.axe.run(document, {
        runOnly: { type: "tag", values: tags },
        resultTypes: ["violations"],
      }),
    TAGS,
  );
  const checked = Date.now();
  for (const violation of axe.violations) {
    record.violations.push({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({
        target: node.target.join(" "),
        html: node.html.slice(0, 200),
        summary: (node.failureSummary || "").split("\n").slice(1).join(" ").trim(),
      })),
    });
  }
  if (screenshots) {
    const name = `${page.replace(/\//g, "_").replace(/\.html$/, "")}-${mode}.png`;
    await tab.screenshot({ path: path.join(screenshots, name) });
  }
  record.seconds = (Date.now() - started) / 1000;
  record.axeSeconds = (checked - ready) / 1000;
  record.loadSeconds = (loaded - started) / 1000;
}

function markdown(records, summary) {
  const lines = [
    "# Accessibility and offline check of the website",
    "",
    `axe-core ${summary.axe} (rules tagged ${TAGS.join(", ")}) in ${summary.browser}, ` +
      `${summary.pages} pages x ${MODES.length} modes, ${summary.seconds} s.`,
    "",
    "| edition | mode | pages | violations (elements) | console errors | failed requests | remote requests | other |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of summary.table) {
    lines.push(
      `| ${row.edition} | ${row.mode} | ${row.pages} | ${row.violations} (${row.elements}) | ` +
        `${row.console} | ${row.failed} | ${row.remote} | ${row.other} |`,
    );
  }
  for (const record of records) {
    const problems = [
      ...record.violations.flatMap((v) =>
        v.nodes.map((n) => `axe ${v.id} (${v.impact}): \`${n.target}\` ${n.summary}`),
      ),
      ...record.console.map((c) => `console: ${c}`),
      ...record.failed.map((f) => `failed request: ${f}`),
      ...record.remote.map((r) => `remote request: ${r}`),
      ...record.other.map((o) => `page: ${o}`),
    ];
    if (problems.length) {
      lines.push("", `## ${record.page} (${record.mode})`, "");
      lines.push(...problems.map((p) => `- ${p.replace(/\|/g, "\\|")}`));
    }
  }
  return lines.join("\n") + "\n";
}

async function main() {
  const opts = options(process.argv.slice(2));
  if (!opts.chromium || !existsSync(opts.chromium)) {
    console.error("error: no Chromium found (set CHROMIUM or install the chromium package)");
    process.exit(2);
  }
  const root = path.resolve(opts.site);
  if (!existsSync(path.join(root, "index.html"))) {
    console.error(`error: no website in ${root}: build it first`);
    process.exit(2);
  }
  const started = Date.now();
  let pages = await htmlPages(root);
  if (opts.only) pages = pages.filter((p) => p.includes(opts.only));
  if (!pages.length) {
    console.error(`error: no page to check in ${root}${opts.only ? ` matches ${opts.only}` : ""}`);
    process.exit(2);
  }
  if (opts.screenshots) await mkdir(opts.screenshots, { recursive: true });
  const server = await serve(root);
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: opts.chromium,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const records = [];
  try {
    for (const mode of MODES) {
      const context = await browser.newContext({
        colorScheme: mode,
        viewport: { width: opts.width, height: 900 },
        serviceWorkers: "block",
      });
      // Light: a first visit (nothing stored, the system's light scheme). Dark: a reader who
      // picked dark with the theme's switch (pydata-sphinx-theme keeps it in localStorage).
      if (mode === "dark") {
        await context.addInitScript(() => {
          localStorage.setItem("mode", "dark");
          localStorage.setItem("theme", "dark");
        });
      }
      const queue = [...pages];
      const worker = async () => {
        let tab = await openTab(context, base);
        while (queue.length) {
          const page = queue.shift();
          // A crashed renderer (short of memory on a busy machine) says nothing about the
          // page: its record is dropped and the page is checked once more in a new tab.
          for (let attempt = 1; attempt <= 2; attempt += 1) {
            const error = await checkPage(tab, base, page, mode, records, opts.screenshots).then(
              () => null,
              (caught) => caught,
            );
            if (error === null) break;
            await tab.tab.close().catch(() => {});
            const crashed = /crash/i.test(error.message);
            if (crashed && attempt === 1) {
              records.splice(records.indexOf(tab.state.record), 1);
            } else {
              tab.state.record.other.push(`the check could not run: ${error.message}`);
            }
            tab = await openTab(context, base);
            if (!crashed) break;
          }
        }
        await tab.tab.close();
      };
      await Promise.all(Array.from({ length: Math.max(1, opts.jobs) }, worker));
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  records.sort((a, b) => (a.page + a.mode).localeCompare(b.page + b.mode));
  const editionOf = (page) => (page.startsWith("ko/") ? "ko" : "en");
  const table = [];
  for (const edition of ["en", "ko"]) {
    for (const mode of MODES) {
      const rows = records.filter((r) => editionOf(r.page) === edition && r.mode === mode);
      if (!rows.length) continue;
      table.push({
        edition,
        mode,
        pages: rows.length,
        violations: rows.reduce((n, r) => n + r.violations.length, 0),
        elements: rows.reduce((n, r) => n + r.violations.reduce((m, v) => m + v.nodes.length, 0), 0),
        console: rows.reduce((n, r) => n + r.console.length, 0),
        failed: rows.reduce((n, r) => n + r.failed.length, 0),
        remote: rows.reduce((n, r) => n + r.remote.length, 0),
        other: rows.reduce((n, r) => n + r.other.length, 0),
      });
    }
  }
  const summary = {
    axe: AXE_VERSION,
    browser: `Chromium ${browser.version()}`,
    pages: pages.length,
    seconds: Math.round((Date.now() - started) / 1000),
    table,
  };
  await mkdir(opts.reports, { recursive: true });
  await writeFile(
    path.join(opts.reports, "a11y.json"),
    JSON.stringify({ summary, records }, null, 1) + "\n",
  );
  const report = markdown(records, summary);
  await writeFile(path.join(opts.reports, "a11y.md"), report);
  const problems = table.reduce(
    (n, r) => n + r.elements + r.console + r.failed + r.remote + r.other,
    0,
  );
  console.log(report.split("\n## ")[0].trimEnd());
  if (problems) {
    const listed = report.split("\n").filter((l) => l.startsWith("## ") || l.startsWith("- "));
    console.log(`\n${listed.slice(0, 60).join("\n")}`);
    if (listed.length > 60) console.log(`... (${listed.length - 60} more lines in the report)`);
    console.log(`\nFAILED: ${problems} problems; see ${path.join(opts.reports, "a11y.md")}`);
    process.exit(1);
  }
  console.log(`\nNo violation, console error or failed request (${path.join(opts.reports, "a11y.md")}).`);
}

await main();
