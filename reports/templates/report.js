// Filters and search for the HTML audit report. Reads its data from the JSON block and never
// writes markup: only textContent, the hidden attribute and <details>.open change.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function apply(section) {
    var bar = section.querySelector("[data-filters]");
    var severities = {};
    bar.querySelectorAll('input[data-filter="severity"]').forEach(function (box) {
      severities[box.value] = box.checked;
    });
    var rule = bar.querySelector('[data-filter="rule"]').value;
    var table = bar.querySelector('[data-filter="table"]').value;
    // Figures match with or without thousands separators: the search text holds both forms.
    var query = bar.querySelector('[data-filter="search"]').value.toLowerCase().replace(/(\d)[,，](?=\d{3})/g, "$1");
    var terms = query.split(/\s+/).filter(Boolean);
    var items = section.querySelectorAll("[data-finding]");
    var shown = 0;
    items.forEach(function (item) {
      var text = data.search[item.id] || "";
      var visible = severities[item.getAttribute("data-severity")] !== false &&
        (!rule || item.getAttribute("data-rule") === rule) &&
        (!table || item.getAttribute("data-table") === table) &&
        terms.every(function (term) { return text.indexOf(term) !== -1; });
      item.hidden = !visible;
      if (visible) { shown += 1; }
    });
    bar.querySelector("[data-shown]").textContent = format(data.words.shown, {shown: shown, total: items.length});
    section.querySelector("[data-no-match]").hidden = shown !== 0;
  }

  document.querySelectorAll("[data-doc]").forEach(function (section) {
    var bar = section.querySelector("[data-filters]");
    if (!bar) { return; }
    bar.addEventListener("input", function () { apply(section); });
    bar.addEventListener("change", function () { apply(section); });
    apply(section);
  });

  // Opening a finding scrolls each wide or long excerpt to its first highlighted cell.
  document.querySelectorAll("[data-finding]").forEach(function (item) {
    item.addEventListener("toggle", function () {
      if (!item.open) { return; }
      item.querySelectorAll(".scroll").forEach(function (box) {
        var cell = box.querySelector("td.hit");
        if (!cell) { return; }
        var right = cell.offsetLeft + cell.offsetWidth, bottom = cell.offsetTop + cell.offsetHeight;
        if (right > box.clientWidth) { box.scrollLeft = right - box.clientWidth + 24; }
        if (bottom > box.clientHeight) { box.scrollTop = cell.offsetTop - 40; }
      });
    });
  });

  // Printing shows every finding open with its figures and excerpts; afterwards the page is as it was.
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = [];
    document.querySelectorAll("details.finding:not([open]), details.coverage:not([open])").forEach(function (item) {
      closed.push(item);
      item.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (item) { item.open = false; });
    closed = [];
  });

  // A link to #d1-f3 opens that finding.
  function openFromHash() {
    var target = location.hash.length > 1 ? document.getElementById(location.hash.slice(1)) : null;
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  window.addEventListener("hashchange", openFromHash);
  // A likely cause's links open the finding they name, even when the address already points there.
  document.querySelectorAll("[data-causes] a").forEach(function (link) {
    link.addEventListener("click", function () {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (target && target.tagName === "DETAILS") { target.open = true; }
    });
  });
  openFromHash();
}());
