// Draws every chart of the page: each <figure data-vega-chart> holds its Vega-Lite spec as
// JSON. The libraries are served by nordarchive itself; nothing is fetched from elsewhere.
(function () {
  "use strict";
  document.querySelectorAll("figure[data-vega-chart]").forEach(function (figure) {
    var source = figure.querySelector("script[type='application/json']");
    var spec = JSON.parse(source.textContent);
    var target = document.createElement("div");
    figure.appendChild(target);
    vegaEmbed(target, spec, { renderer: "svg", actions: false }).catch(function (error) {
      target.textContent = "This chart could not be drawn: " + error;
    });
  });
})();
