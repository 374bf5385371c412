// The cleaner playground. Everything that comes from the input or the result is put into the
// page as text (textContent / createTextNode): no string is ever parsed as markup here.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const REMOVED = ["duplicate", "navigation", "share", "newsletter", "cookie", "legal", "advert",
    "comment", "byline", "dateline", "widget", "other"];
  const KEPT = ["title", "standfirst", "body", "heading", "caption", "credit", "source", "related"];
  const VIEWS = ["article", "json", "text", "markdown"];
  const FILES = {
    article: ["article.html", "text/html"], json: ["article.json", "application/json"],
    text: ["article.txt", "text/plain"], markdown: ["article.md", "text/markdown"],
  };
  const state = { file: null, result: null, markdown: "", view: "article" };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // --- input -------------------------------------------------------------------------------

  function looksLikeHtml(text) {
    return /^\s*</.test(text) && /<\/?[a-zA-Z][^>]*>/.test(text);
  }

  function chosenKind(sample, fileName) {
    const picked = document.querySelector("input[name=kind]:checked").value;
    if (picked !== "auto") return picked;
    if (fileName && /\.html?$/i.test(fileName)) return "html";
    return looksLikeHtml(sample) ? "html" : "text";
  }

  function useFile(file) {
    if (!file) return;
    file.arrayBuffer().then((buf) => {
      const bytes = new Uint8Array(buf);
      state.file = { name: file.name, bytes };
      $("source").value = new TextDecoder("utf-8", { fatal: false }).decode(bytes.slice(0, 200000));
      $("file-note").textContent = `${file.name} (${bytes.length.toLocaleString()} bytes) is sent as it is; ` +
        "editing the box sends the box instead.";
    }, (err) => showError(`The file could not be read: ${err}`));
  }

  function buildRequest(format) {
    const url = $("url").value.trim();
    const params = new URLSearchParams({ explain: "true" });
    if (format) params.set("format", format);
    if (state.file) {
      const kind = chosenKind($("source").value.slice(0, 2000), state.file.name);
      if (url) params.set("url", url);
      return { path: "/v1/clean?" + params, type: kind === "html" ? "text/html" : "text/plain",
        body: state.file.bytes };
    }
    const text = $("source").value;
    const kind = chosenKind(text, null);
    const doc = kind === "html" ? { html: text } : { text };
    if (url) doc.url = url;
    return { path: "/v1/clean?" + params, type: "application/json", body: JSON.stringify(doc) };
  }

  async function call(format) {
    const req = buildRequest(format);
    const resp = await fetch(req.path, { method: "POST", headers: { "Content-Type": req.type }, body: req.body });
    if (!resp.ok) {
      let problem = null;
      try { problem = await resp.json(); } catch (_) { problem = null; }
      const err = new Error(problem && problem.detail ? problem.detail : `HTTP ${resp.status}`);
      err.problem = problem || { status: resp.status, title: resp.statusText };
      throw err;
    }
    return format === "markdown" ? resp.text() : resp.json();
  }

  async function submit(event) {
    event.preventDefault();
    hideError();
    if (!state.file && !$("source").value.trim()) {
      showError("Paste some text or HTML, or choose a file, first.");
      $("source").focus();
      return;
    }
    const button = $("clean");
    button.disabled = true;
    button.textContent = "Cleaning…";
    try {
      const [result, markdown] = await Promise.all([call(null), call("markdown")]);
      state.result = result;
      state.markdown = markdown;
      render();
    } catch (err) {
      $("results").hidden = true;  // an old result beside a new error would mislead
      showError(err.message, err.problem);
    } finally {
      button.disabled = false;
      button.textContent = "Clean";
    }
  }

  function showError(message, problem) {
    const box = $("error");
    box.replaceChildren();
    const head = problem ? `${problem.title || "Error"} (${problem.status || "?"})` : "Cannot clean this";
    box.append(el("strong", {}, head), el("p", { class: "detail" }, message));
    if (problem && problem.request_id) box.append(el("p", { class: "help" }, `Request id ${problem.request_id}`));
    box.hidden = false;
  }

  function hideError() {
    $("error").hidden = true;
    $("error").replaceChildren();
  }

  // --- the result --------------------------------------------------------------------------

  const keyOf = (item) => (item.lines ? "L" + item.lines.join("-") : item.locator || "");

  function displayRole(block, bodyKinds) {
    if (block.role === "body" && bodyKinds.get(keyOf(block)) === "heading") return "heading";
    return block.role;
  }

  function lineLabel(block) {
    if (!block.lines) return "";
    const [a, b] = block.lines;
    return a === b ? `line ${a}` : `lines ${a}–${b}`;
  }

  function blockText(block, caption) {
    const span = el("span", { class: "txt", dir: "auto" });
    const text = block.text || "";
    const credit = caption && caption.credit;
    const at = credit ? text.lastIndexOf(credit) : -1;
    if (at < 0) {
      span.append(text);
    } else {
      span.append(text.slice(0, at), el("mark", { class: "credit", title: "credit" }, credit),
        text.slice(at + credit.length));
    }
    return span;
  }

  function renderBlocks(result) {
    const bodyKinds = new Map(result.body.map((b) => [keyOf(b), b.kind]));
    const captions = new Map(result.captions.map((c) => [keyOf(c), c]));
    const related = result.related.filter((r) => r.lines);
    const container = $("blocks");
    container.replaceChildren();
    const counts = new Map();
    const top = el("ol", { class: "block-list", "aria-label": "Blocks of the input" });
    container.append(top);
    let group = null;
    let groupList = null;
    result.blocks.forEach((block, i) => {
      const role = displayRole(block, bodyKinds);
      counts.set(role, (counts.get(role) || 0) + 1);
      const item = related.findIndex((r) => block.lines && block.lines[0] >= r.lines[0] && block.lines[1] <= r.lines[1]);
      if (item >= 0 && (!group || group.dataset.item !== String(item))) {
        group = el("li", { class: "group related-item", "data-item": item },
          el("p", { class: "group-label" }, `Related item ${item + 1} (${related[item].kind})`));
        groupList = el("ol", { class: "group-blocks" });
        group.append(groupList);
        top.append(group);
      } else if (item < 0) {
        group = null;
      }
      const list = item >= 0 ? groupList : top;
      const removed = REMOVED.includes(role);
      const tipId = `tip-${i}`;
      const why = `${removed ? "Removed as " : ""}${role} · rule ${block.rule}` +
        (block.reason ? ` — ${block.reason}` : "") + (block.locator ? ` (${block.locator})` : "");
      const li = el("li", {
        class: `blk r-${role}${removed ? " removed" : ""}`, tabindex: 0, "data-role": role,
        "data-rule": block.rule, "data-lines": block.lines ? block.lines.join("-") : null,
        "aria-describedby": tipId,
      },
      el("span", { class: "badge" }, role),
      block.lines ? el("span", { class: "where" }, lineLabel(block)) : null,
      blockText(block, role === "caption" ? captions.get(keyOf(block)) : null),
      el("span", { class: "tip", id: tipId, role: "tooltip" }, why));
      list.append(li);
    });
    renderLegend(counts);
  }

  function renderLegend(counts) {
    const legend = $("legend");
    legend.replaceChildren();
    for (const role of [...KEPT, ...REMOVED]) {
      if (!counts.has(role) && role !== "credit") continue;
      if (role === "credit" && !$("blocks").querySelector(".credit")) continue;
      const n = role === "credit" ? $("blocks").querySelectorAll(".credit").length : counts.get(role);
      legend.append(el("li", { class: `r-${role}${REMOVED.includes(role) ? " removed" : ""}` },
        el("span", { class: "swatch", "aria-hidden": "true" }), `${role} ${n}`));
    }
  }

  function renderArticle(result) {
    const art = el("article", { lang: result.language || null, dir: "auto" });
    $("view-article").replaceChildren(art);
    if (result.title) art.append(el("h3", { class: "a-title" }, result.title));
    if (result.standfirst) art.append(el("p", { class: "a-standfirst" }, result.standfirst));
    const meta = [result.byline, result.page && result.page.date].filter(Boolean).join(" · ");
    if (meta) art.append(el("p", { class: "a-byline" }, meta));
    const order = new Map(result.blocks.map((b, i) => [keyOf(b), i]));
    const flow = [
      ...result.body.map((b) => ({ at: order.get(keyOf(b)) ?? 0, body: b })),
      ...result.captions.map((c) => ({ at: order.get(keyOf(c)) ?? 0, caption: c })),
    ].sort((x, y) => x.at - y.at);
    let listNode = null;
    for (const part of flow) {
      if (part.body && part.body.kind === "list_item") {
        if (!listNode) { listNode = el("ul", {}); art.append(listNode); }
        listNode.append(el("li", {}, part.body.text));
        continue;
      }
      listNode = null;
      if (part.caption) {
        const c = part.caption;
        art.append(el("figure", { class: "a-figure" }, el("div", { class: "a-picture", "aria-hidden": "true" }, "picture"),
          el("figcaption", {}, c.text, c.credit ? el("span", { class: "a-credit" }, ` ${c.credit}`) : null)));
      } else if (part.body.kind === "heading") {
        art.append(el("h4", {}, part.body.text));
      } else if (part.body.kind === "quote") {
        art.append(el("blockquote", {}, part.body.text));
      } else {
        art.append(el("p", {}, part.body.text));
      }
    }
    if (!result.body.length) art.append(el("p", { class: "a-empty" }, "The cleaner kept no body text from this input."));
    if (result.source) art.append(el("p", { class: "a-source" }, `Source: ${result.source}`));
    if (result.related.length) {
      const ul = el("ul", { class: "a-related-list" });
      for (const r of result.related) {
        ul.append(el("li", {}, el("span", { class: "a-kind" }, r.kind), " ", el("strong", {}, r.title),
          r.summary ? el("span", { class: "a-summary" }, r.summary) : null));
      }
      art.append(el("aside", { class: "a-related", "aria-label": "Related" }, el("h4", {}, "Related"), ul));
    }
  }

  function render() {
    const result = state.result;
    $("results").hidden = false;
    renderBlocks(result);
    renderArticle(result);
    $("view-json").textContent = JSON.stringify(result, null, 2);
    $("view-text").textContent = result.text ? result.text + "\n" : "";
    $("view-markdown").textContent = state.markdown;
    const removed = result.blocks.filter((b) => REMOVED.includes(b.role)).length;
    const status = [
      `${result.blocks.length} blocks, ${removed} removed`,
      `language ${result.language || "unknown"}`,
      `confidence ${Number(result.confidence).toFixed(2)}`,
      `input ${result.input}`,
    ];
    if (result.encoding) status.push(`encoding ${result.encoding}`);
    $("status").replaceChildren(el("p", {}, status.join(" · ")));
    for (const warning of result.warnings || []) {
      $("status").append(el("p", { class: "warning" }, typeof warning === "string" ? warning : JSON.stringify(warning)));
    }
    show(state.view);
  }

  // --- views: switch, copy, download ----------------------------------------------------

  function show(view) {
    state.view = view;
    for (const name of VIEWS) {
      const on = name === view;
      const tab = $(`tab-${name}`);
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      $(`view-${name}`).hidden = !on;
    }
    $("tool-note").textContent = "";
  }

  function onTabKey(event) {
    const at = VIEWS.indexOf(state.view);
    let next = null;
    if (event.key === "ArrowRight") next = VIEWS[(at + 1) % VIEWS.length];
    else if (event.key === "ArrowLeft") next = VIEWS[(at + VIEWS.length - 1) % VIEWS.length];
    else if (event.key === "Home") next = VIEWS[0];
    else if (event.key === "End") next = VIEWS[VIEWS.length - 1];
    if (!next) return;
    event.preventDefault();
    show(next);
    $(`tab-${next}`).focus();
  }

  function currentContent() {
    if (state.view === "article") {
      const doc = document.implementation.createHTMLDocument(state.result.title || "article");
      const meta = doc.createElement("meta");
      meta.setAttribute("charset", "utf-8");
      doc.head.prepend(meta);
      doc.body.append(doc.importNode($("view-article"), true));
      return { text: $("view-article").innerText, file: "<!doctype html>\n" + doc.documentElement.outerHTML + "\n" };
    }
    const text = $(`view-${state.view}`).textContent;
    return { text, file: text };
  }

  async function copy() {
    const { text } = currentContent();
    try {
      await navigator.clipboard.writeText(text);
      $("tool-note").textContent = "Copied.";
    } catch (_) {
      const area = el("textarea", { class: "offscreen", "aria-hidden": "true" });
      area.value = text;
      document.body.append(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      $("tool-note").textContent = ok ? "Copied." : "Copy is not allowed here: select the text instead.";
    }
  }

  function download() {
    const [name, type] = FILES[state.view];
    const blob = new Blob([currentContent().file], { type: `${type};charset=utf-8` });
    const link = el("a", { href: URL.createObjectURL(blob), download: name, class: "offscreen" });
    document.body.append(link);
    link.click();
    setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    $("tool-note").textContent = `Saved ${name}.`;
  }

  // --- rules -------------------------------------------------------------------------------

  async function loadRules() {
    try {
      const resp = await fetch("/v1/rules");
      if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
      const data = await resp.json();
      const box = $("rules");
      box.replaceChildren();
      for (const f of data.files) {
        const ul = el("ul", { class: "rule-ids" });
        for (const id of f.rules) ul.append(el("li", { "data-search": `${id} ${f.file}`.toLowerCase() }, el("code", {}, id)));
        box.append(el("section", { class: "rule-file", "data-search": `${f.file} ${f.description || ""}`.toLowerCase() },
          el("h3", {}, `${f.file} `, el("span", { class: "count" }, `v${f.version} · ${f.rules.length} rules`)),
          f.description ? el("p", { class: "help" }, f.description) : null, ul));
      }
      $("rule-count").textContent = `(${data.rule_count})`;
      filterRules();
    } catch (err) {
      $("rule-note").textContent = `The rules could not be loaded: ${err.message}`;
    }
  }

  function filterRules() {
    const words = $("rule-search").value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    let total = 0;
    for (const file of $("rules").querySelectorAll(".rule-file")) {
      const fileHit = words.length > 0 && words.every((w) => file.dataset.search.includes(w));
      let inFile = 0;
      for (const li of file.querySelectorAll("li")) {
        total += 1;
        const hit = !words.length || fileHit || words.every((w) => li.dataset.search.includes(w));
        li.hidden = !hit;
        if (hit) inFile += 1;
      }
      file.hidden = inFile === 0;
      shown += inFile;
    }
    $("rule-note").textContent = words.length ? `${shown} of ${total} rules match.` : "";
  }

  // --- wiring ------------------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", () => {
    $("form").addEventListener("submit", submit);
    $("clear").addEventListener("click", () => {
      state.file = null;
      $("source").value = "";
      $("file").value = "";
      $("file-note").textContent = "";
      hideError();
      $("source").focus();
    });
    $("source").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) $("form").requestSubmit();
    });
    $("source").addEventListener("input", () => {
      if (state.file) { state.file = null; $("file-note").textContent = "The edited box is sent, not the file."; }
    });
    $("file").addEventListener("change", (e) => useFile(e.target.files[0]));
    const drop = $("drop");
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      useFile(e.dataTransfer.files[0]);
    });
    for (const name of VIEWS) $(`tab-${name}`).addEventListener("click", () => show(name));
    document.querySelector("[role=tablist]").addEventListener("keydown", onTabKey);
    $("copy").addEventListener("click", copy);
    $("download").addEventListener("click", download);
    for (const type of ["input", "change", "search"]) $("rule-search").addEventListener(type, filterRules);
    loadRules();
  });
})();
