// Draw the numbers page's charts from the JSON the server embedded (no inline data in JS).
document.addEventListener('DOMContentLoaded', function () {
  if (!window.Chart) return;
  var data = JSON.parse(document.getElementById('charts-data').textContent);
  var colours = ['#1f5fa8', '#e08a1e', '#1c7c47', '#b3261e'];
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
  Chart.defaults.animation = false;
  function draw(id, chart, type, stacked) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type: type,
      data: { labels: chart.labels, datasets: chart.series.map(function (s, i) {
        return { label: s.label, data: s.data, backgroundColor: colours[i], borderColor: colours[i], tension: 0.2 };
      }) },
      options: { responsive: true, maintainAspectRatio: false,
        scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  draw('chart-periods', data.periods, 'bar', false);
  draw('chart-fairness', data.fairness, 'bar', true);
});
