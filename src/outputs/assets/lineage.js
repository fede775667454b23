/* medfm — lineage graphs: pointing at a work, or reaching it with the keyboard, highlights what
   it builds on and what builds on it, and dims the rest. The drawing reads the same without
   JavaScript. Plain script, no dependencies, no network: works from file://. */
(function () {
  "use strict";

  function reach(start, next) {
    var seen = {};
    var todo = [start];
    while (todo.length) {
      var n = todo.pop();
      (next[n] || []).forEach(function (m) {
        if (!seen[m]) { seen[m] = true; todo.push(m); }
      });
    }
    return seen;
  }

  function trace(svg) {
    var nodes = Array.prototype.slice.call(svg.querySelectorAll("[data-n]"));
    var edges = Array.prototype.slice.call(svg.querySelectorAll("[data-from]"));
    var up = {};
    var down = {};
    edges.forEach(function (e) {
      var from = e.getAttribute("data-from");
      var to = e.getAttribute("data-to");
      (down[from] = down[from] || []).push(to);
      (up[to] = up[to] || []).push(from);
    });

    function show(node) {
      var n = node.getAttribute("data-n");
      var ancestors = reach(n, up);
      var descendants = reach(n, down);
      svg.classList.add("tracing");
      nodes.forEach(function (m) {
        var k = m.getAttribute("data-n");
        m.classList.toggle("lit", k === n || !!ancestors[k] || !!descendants[k]);
      });
      edges.forEach(function (e) {
        var from = e.getAttribute("data-from");
        var to = e.getAttribute("data-to");
        var onPath = (ancestors[from] && (to === n || ancestors[to])) ||
          (descendants[to] && (from === n || descendants[from]));
        e.classList.toggle("lit", !!onPath);
      });
    }

    function clear() {
      svg.classList.remove("tracing");
    }

    nodes.forEach(function (node) {
      node.addEventListener("pointerenter", function () { show(node); });
      node.addEventListener("pointerleave", clear);
      node.addEventListener("focus", function () { show(node); });
      node.addEventListener("blur", clear);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("svg.lineage-graph"), trace);
})();
