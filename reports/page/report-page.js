// converge report page: draws the charts from the JSON embedded in index.html with the inlined
// uPlot. It only reads data and draws; every figure and every text was escaped and computed when
// the page was rendered (reports/render-report.ts). Loaded from disk, it makes no request.
/* global uPlot, document, window, performance, ResizeObserver */
(function () {
  'use strict';
  var started = performance.now();
  var data = JSON.parse(document.getElementById('report-data').textContent);

  function bandsPlugin(bands) {
    return {
      hooks: {
        drawClear: function (u) {
          var ctx = u.ctx;
          bands.forEach(function (band) {
            var left = u.valToPos(band.from, 'x', true);
            var right = band.to === null ? u.bbox.left + u.bbox.width : u.valToPos(band.to, 'x', true);
            left = Math.max(left, u.bbox.left);
            right = Math.min(right, u.bbox.left + u.bbox.width);
            if (right <= left) return;
            ctx.save();
            ctx.globalAlpha = 0.15;
            ctx.fillStyle = band.color;
            ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
            ctx.restore();
          });
        },
      },
    };
  }

  function seriesOptions(spec, s) {
    var options = { label: s.label, stroke: s.color, width: 1.5, spanGaps: spec.style !== 'points' };
    if (s.dashed) options.dash = [6, 4];
    if (spec.style === 'points') {
      options.paths = function () { return null; };
      options.points = { show: true, size: 4, fill: s.color, stroke: s.color };
    } else if (spec.style === 'step') {
      options.paths = uPlot.paths.stepped({ align: 1 });
      options.points = { show: spec.x.length <= 60, size: 5, fill: s.color };
    } else {
      options.points = { show: spec.x.length <= 60, size: 5, fill: s.color };
    }
    return options;
  }

  function widthOf(element) {
    return Math.max(280, Math.floor(element.clientWidth || 600));
  }

  var charts = [];
  data.charts.forEach(function (spec) {
    var element = document.getElementById(spec.id);
    if (!element) return;
    var options = {
      width: widthOf(element),
      height: 240,
      // every quantity drawn is ≥ 0: start the y axis at 0 so small differences do not look large
      scales: { x: { time: false }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } } },
      axes: [{ label: spec.xLabel }, { label: spec.yLabel, size: 60 }],
      series: [{ label: spec.xUnit }].concat(spec.series.map(function (s) { return seriesOptions(spec, s); })),
      plugins: [bandsPlugin(spec.bands)],
      legend: { live: true },
    };
    var chart = new uPlot(options, [spec.x].concat(spec.series.map(function (s) { return s.values; })), element);
    element.setAttribute('data-points', String(spec.x.length * spec.series.length));
    charts.push({ chart: chart, element: element });
  });

  if (typeof ResizeObserver === 'function') {
    var pending = 0;
    new ResizeObserver(function () {
      window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(function () {
        charts.forEach(function (c) {
          var width = widthOf(c.element);
          if (width !== c.chart.width) c.chart.setSize({ width: width, height: 240 });
        });
      });
    }).observe(document.body);
  }

  window.requestAnimationFrame(function () {
    document.body.setAttribute('data-charts-drawn', String(charts.length));
    document.body.setAttribute('data-render-ms', (performance.now() - started).toFixed(1));
  });
})();
