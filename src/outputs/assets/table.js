/* medfm — comparison table: sort by any column, filter by facets and text, choose the columns,
   keep the state in the URL (?modality=pathology&open_code=yes&q=sam&sort=date&dir=desc&
   cols=kind,date). Plain script, no dependencies, no network: works from file://. Without
   JavaScript the full table still shows, and the column chooser works through CSS alone. */
(function () {
  "use strict";

  var table = document.getElementById("compare");
  var form = document.getElementById("table-filters");
  if (!table || !form || !table.tBodies.length) { return; }

  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var fields = Array.prototype.slice.call(form.querySelectorAll("select[name], input[name]"));
  var status = document.getElementById("table-status");
  var lang = document.documentElement.lang || undefined;
  var collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });
  var state = { sort: "", dir: "asc" };
  var chooser = document.getElementById("table-columns");
  var columnBoxes = chooser ? Array.prototype.slice.call(chooser.querySelectorAll("input[type=checkbox]")) : [];

  function fold(text) {
    return (text || "").toLocaleLowerCase().normalize("NFKC");
  }

  rows.forEach(function (row) {
    row.searchText = fold(row.textContent + " " + (row.getAttribute("data-search") || ""));
  });

  function sortValue(row, column) {
    var cell = row.cells[column];
    var value = cell.getAttribute("data-sort");
    return value === null ? cell.textContent.trim() : value;
  }

  function compare(column, numeric, dir) {
    return function (a, b) {
      var x = sortValue(a, column);
      var y = sortValue(b, column);
      if (x === "" || y === "") {
        if (x === y) { return a.index - b.index; }
        return x === "" ? 1 : -1;
      }
      var c = numeric ? Number(x) - Number(y) : collator.compare(x, y);
      if (c === 0) { return a.index - b.index; }
      return dir === "desc" ? -c : c;
    };
  }

  function applySort() {
    var column = -1;
    headers.forEach(function (th, i) {
      var active = th.getAttribute("data-key") === state.sort;
      if (active) { column = i; }
      th.setAttribute("aria-sort", active ? (state.dir === "desc" ? "descending" : "ascending") : "none");
    });
    var ordered = rows.slice();
    if (column >= 0) {
      ordered.sort(compare(column, headers[column].getAttribute("data-numeric") === "true", state.dir));
    } else {
      ordered.sort(function (a, b) { return a.index - b.index; });
    }
    ordered.forEach(function (row) { tbody.appendChild(row); });
  }

  function applyFilters() {
    var words = [];
    var facets = [];
    fields.forEach(function (field) {
      if (!field.value) { return; }
      if (field.name === "q") {
        words = fold(field.value).split(/\s+/).filter(Boolean);
      } else {
        facets.push({ name: field.name, value: field.value });
      }
    });
    var shown = 0;
    rows.forEach(function (row) {
      var ok = facets.every(function (f) {
        return (row.getAttribute("data-f-" + f.name) || "").split(" ").indexOf(f.value) >= 0;
      }) && words.every(function (w) { return row.searchText.indexOf(w) >= 0; });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    if (status) {
      status.textContent = (status.getAttribute("data-template") || "{shown}/{total}")
        .replace("{shown}", String(shown)).replace("{total}", String(rows.length));
    }
  }

  function writeUrl() {
    var params = new URLSearchParams();
    fields.forEach(function (field) { if (field.value) { params.set(field.name, field.value); } });
    if (state.sort) { params.set("sort", state.sort); params.set("dir", state.dir); }
    /* The columns go into the address only when they differ from the site's default. */
    if (columnBoxes.some(function (box) { return box.checked !== box.defaultChecked; })) {
      params.set("cols", columnBoxes.filter(function (box) { return box.checked; })
        .map(function (box) { return box.value; }).join(","));
    }
    var query = params.toString();
    try {
      history.replaceState(null, "", query ? "?" + query : location.pathname);
    } catch (e) {
      /* Some browsers refuse history changes on file:// pages; the view still works. */
    }
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    fields.forEach(function (field) {
      var value = params.get(field.name);
      if (value === null) { return; }
      if (field.tagName === "SELECT") {
        var known = Array.prototype.some.call(field.options, function (o) { return o.value === value; });
        field.value = known ? value : "";
      } else {
        field.value = value;
      }
    });
    var sort = params.get("sort");
    var known = headers.some(function (th) { return th.getAttribute("data-key") === sort; });
    state.sort = known ? sort : "";
    state.dir = params.get("dir") === "desc" ? "desc" : "asc";
    var cols = params.get("cols");
    if (cols !== null) {
      var shown = cols.split(",");
      columnBoxes.forEach(function (box) { box.checked = shown.indexOf(box.value) >= 0; });
    }
  }

  function update() {
    applyFilters();
    writeUrl();
  }

  headers.forEach(function (th) {
    var key = th.getAttribute("data-key");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    button.addEventListener("click", function () {
      state.dir = state.sort === key && state.dir === "asc" ? "desc" : "asc";
      state.sort = key;
      applySort();
      writeUrl();
    });
  });

  fields.forEach(function (field) {
    field.addEventListener(field.tagName === "SELECT" ? "change" : "input", update);
  });
  columnBoxes.forEach(function (box) { box.addEventListener("change", writeUrl); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  var reset = document.getElementById("table-reset");
  if (reset) {
    reset.addEventListener("click", function () {
      fields.forEach(function (field) { field.value = ""; });
      state.sort = "";
      applySort();
      update();
    });
  }

  rows.forEach(function (row, i) { row.index = i; });
  readUrl();
  form.hidden = false;
  table.classList.add("sortable");
  applySort();
  applyFilters();
})();
