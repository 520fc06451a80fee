/* The Map page's map (dashboard/mapview.py makes what it receives).
 *
 * Drawn once per page load: Leaflet map, province outlines (fetched from a static file the browser
 * keeps), tile layer, legend boxes. Every Streamlit rerun posts new arguments; only what changed is
 * redrawn (a layer's points when its string changed, province fills and labels, legends, rings), and
 * the view stays where the person left it unless the arguments ask to fit (a new `fit.key`) or to
 * focus on a feature (a new `focus.key`).
 *
 * Every text put into HTML here was escaped by the server (maps.esc, maps.tooltips, maps.legend_html).
 * Streamlit's component protocol (v1) is spoken directly: componentReady, render, setFrameHeight,
 * setComponentValue (the first draw done, when asked: the page then draws its filters; a click).
 */
(function () {
  "use strict";
  var map = null, outlines = null, outlinesUrl = null, tileLayer = null;
  var groups = {}, drawnPoints = {}, ringedGroup = null, ringGroup = null, drawnRings = null;
  var provinceFills = {}, provinceLabels = {}, drawnProvinceKey = null;
  var overlays = document.getElementById("overlays"), drawnOverlays = null;
  var lastFit, lastFocus, args = {}, tips = null, tipsUrl = null, clicks = 0, drawSeq = 0;
  // this map document's own tag: a click is new when its (mount, n) is, also after the page remounted the map
  var mount = Date.now().toString(36) + Math.random().toString(36).slice(2);
  var slicing = null, SLICE_MS = 8;  // the first draw, sliced over animation frames (see render)
  var markers = {}, ringMarkers = {};

  // Markers placed with a 2D translate: Leaflet's translate3d gives every marker and cluster icon its own
  // compositing layer, and laying out ~150 of them cost ~100 ms of the first render. Zoom animation is kept
  // (it moves the panes, not each marker with a 3D transform).
  L.Marker.prototype._setPos = function (pos) {
    [this._icon, this._shadow].forEach(function (el) {
      if (el) { el._leaflet_pos = pos; el.style.transform = "translate(" + pos.x + "px," + pos.y + "px)"; }
    });
    this._zIndex = pos.y + this.options.zIndexOffset;
    this._resetZIndex();
  };

  function send(type, extra) {
    var msg = {isStreamlitMessage: true, type: type};
    for (var k in extra) { msg[k] = extra[k]; }
    window.parent.postMessage(msg, "*");
  }

  function tipFor(layer) {
    var pos = layer.options.pos, extra = (args.tipExtra || {})[pos] || "";
    return (tips ? tips[pos] : "…") + extra;
  }

  // Clicks and tooltips are handled by each marker's group (the events bubble up to it), and a marker's
  // tooltip is bound when it is first hovered: binding a tooltip and a click handler on every one of 26,000
  // markers cost ~100 ms of the first render at 10x.
  function onClick(e) {
    clicks += 1;
    send("streamlit:setComponentValue", {value: {pos: e.layer.options.pos, n: clicks, mount: mount},
                                         dataType: "json"});
  }

  function onHover(e) {
    if (!e.layer.getTooltip()) { e.layer.bindTooltip(tipFor).openTooltip(); }
  }

  function listened(group) {
    return group.on("click", onClick).on("mouseover", onHover);
  }

  function fillOf(pos, style) {
    if (!args.valueMode) { return style.colour; }
    return (args.pointColours || {})[pos] || args.noValueColour;
  }

  function marker(cache, pos, lat, lon, style) {
    var fill = fillOf(pos, style), m = cache[pos];
    if (!m) {
      // provincial zones (style.hollow): a ring in the type's colour around a white centre
      m = L.circleMarker([lat, lon], {radius: style.radius, color: style.stroke || "#1a1a1a",
                                      weight: style.weight || 1, fillColor: fill,
                                      fillOpacity: style.fillOpacity || 0.9, pos: pos});
      cache[pos] = m;
    } else if (m.options.fillColor !== fill) {
      m.setStyle({fillColor: fill});
    }
    return m;
  }

  function markersOf(text, style, cache) {
    var nums = text ? JSON.parse("[" + text + "]") : [], out = new Array(nums.length / 3);
    for (var i = 0, j = 0; i < nums.length; i += 3, j += 1) {
      out[j] = marker(cache, nums[i + 2], nums[i], nums[i + 1], style);
    }
    return out;
  }

  function clusterIcon(style) {
    return function (c) {
      var n = c.getChildCount(), size = n < 10 ? 30 : n < 100 ? 36 : 42;
      return L.divIcon({className: "marker-cluster atlas-cluster", iconSize: L.point(size, size),
        html: "<div style='background:" + (style.bubble || style.colour) + ";color:" + style.text + ";width:" + size
          + "px;height:" + size + "px;line-height:" + size + "px;border-radius:50%;border:"
          + (style.bubbleBorder || "2px solid rgba(255,255,255,.9)") + ";"
          + "box-shadow:0 0 0 1px #1a1a1a;font:bold 12px sans-serif;text-align:center'>" + n + "</div>"});
    };
  }

  // Draws the layers whose points changed, in the order they come (the registry's: national zones first).
  // With `budgetMs`, stops before the next layer once that much time is spent and returns true if some remain.
  function drawLayers(budgetMs) {
    var colourKey = args.valueMode ? JSON.stringify(args.pointColours) : "", start = Date.now();
    var list = args.layers || [];
    for (var i = 0; i < list.length; i += 1) {
      var layer = list[i], key = layer.points + "|" + colourKey, group = groups[layer.id];
      if (drawnPoints[layer.id] === key) { continue; }
      if (budgetMs && Date.now() - start >= budgetMs) { return true; }
      if (!group) {
        group = groups[layer.id] = listened(L.markerClusterGroup({
          disableClusteringAtZoom: args.clusterOffZoom, maxClusterRadius: 45, showCoverageOnHover: false,
          iconCreateFunction: clusterIcon(layer.style)}));
        group.addTo(map);
      }
      group.clearLayers();
      group.addLayers(markersOf(layer.points, layer.style, markers));
      drawnPoints[layer.id] = key;
    }
    return false;
  }

  function drawRings() {
    var key = JSON.stringify([args.ringed, args.rings, args.valueMode ? args.pointColours : 0]);
    if (key === drawnRings) { return; }
    if (!ringedGroup) { ringedGroup = listened(L.featureGroup()).addTo(map); ringGroup = L.layerGroup().addTo(map); }
    ringedGroup.clearLayers();
    ringGroup.clearLayers();
    (args.ringed || []).forEach(function (layer) {
      markersOf(layer.points, layer.style, ringMarkers).forEach(function (m) { ringedGroup.addLayer(m); });
    });
    (args.rings || []).forEach(function (r) {
      L.circleMarker([r[0], r[1]], {radius: 14, color: "#e41a1c", weight: 3, fill: false, interactive: true})
        .bindTooltip(r[2]).addTo(ringGroup);
    });
    drawnRings = key;
  }

  function styleProvince(f) {
    var fill = provinceFills[f.id];
    return {color: "#6b6b6b", weight: 0.8, fillColor: fill || "#fbfaf6", fillOpacity: fill ? 0.75 : 0.9};
  }

  function drawProvinces() {
    var key = JSON.stringify([args.provinceFills, args.provinceLabels]);
    provinceFills = args.provinceFills || {};
    provinceLabels = args.provinceLabels || {};
    if (!outlines || key === drawnProvinceKey) { return; }
    outlines.eachLayer(function (l) { l.setStyle(styleProvince(l.feature)); });  // labels: read when shown
    drawnProvinceKey = key;
  }

  function loadOutlines(url) {
    if (!url || url === outlinesUrl) { return; }
    outlinesUrl = url;
    fetch(url).then(function (r) { return r.json(); }).then(function (geojson) {
      if (outlines) { map.removeLayer(outlines); }
      outlines = L.geoJson(geojson, {
        style: styleProvince,
        onEachFeature: function (f, l) {
          l.bindTooltip(function () { return provinceLabels[f.id] || ""; }, {sticky: true});
          l.on("mouseover", function () { l.setStyle({weight: 2, color: "#222"}); });
          l.on("mouseout", function () { outlines.resetStyle(l); });
        }
      });
      outlines.addTo(map);
      outlines.bringToBack();
      drawnProvinceKey = null;
      drawProvinces();
    });
  }

  function loadTips(url) {
    if (!url || url === tipsUrl) { return; }
    tipsUrl = url;
    fetch(url).then(function (r) { return r.json(); }).then(function (list) { tips = list; });
  }

  function drawTiles() {
    if (args.tiles === "osm" && !tileLayer) {
      tileLayer = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {maxZoom: 19,
        attribution: "&copy; <a href='https://www.openstreetmap.org/copyright'>OpenStreetMap</a> contributors"});
      tileLayer.addTo(map);
      tileLayer.bringToBack();
    } else if (args.tiles !== "osm" && tileLayer) {
      map.removeLayer(tileLayer);
      tileLayer = null;
    }
  }

  function drawOverlays() {
    var html = (args.legend || "") + (args.choroplethLegend || "") + (args.valueLegend || "");
    if (html !== drawnOverlays) { overlays.innerHTML = html; drawnOverlays = html; }
  }

  function moveView() {
    var fitKey = args.fit ? args.fit.key : null, focusKey = args.focus ? args.focus.key : null;
    if (args.focus && focusKey !== lastFocus) {
      map.setView([args.focus.lat, args.focus.lon], args.focus.zoom);
    } else if (args.fit && fitKey !== lastFit) {
      map.fitBounds(args.fit.bounds);
    }
    lastFit = fitKey;
    lastFocus = focusKey;
  }

  function create() {
    document.body.style.background = args.background;
    // the map's own height, not the iframe's: Streamlit sizes the iframe after this first render, and a
    // map of height 0 would fit the selection at the minimum zoom
    document.getElementById("map").style.height = (args.height || 600) + "px";
    map = L.map("map", {minZoom: 3, maxZoom: 18, zoomControl: true});
    map.setView([args.home.lat, args.home.lon], args.home.zoom);
    L.control.scale().addTo(map);
    map.attributionControl.addAttribution(args.attribution);
    document.getElementById("map").style.background = args.background;
    window.atlasMap = map;  // read by the browser tests (zoom) and the benchmark
  }

  function drawn(got) {  // after the layers: rings (the selected feature, unclustered) on top of them
    drawRings();
    if (drawSeq === 0 && args.reportDrawn) {  // the page draws its filters once the map has drawn
      send("streamlit:setComponentValue", {value: {drawn: true}, dataType: "json"});
    }
    drawSeq += 1;
    var seq = drawSeq, drawMs = Date.now() - got;
    requestAnimationFrame(function () {  // drawn: the next frame after the layers changed
      window.atlasDrawn = {seq: seq, at: Date.now(), got: got, drawMs: drawMs};  // read by tests and the bench
    });
  }

  function render(newArgs) {
    var got = Date.now(), first = !map;
    args = newArgs;
    send("streamlit:setFrameHeight", {height: args.height || 600});
    if (first) { create(); }
    moveView();
    drawTiles();
    drawOverlays();
    loadOutlines(args.outlinesUrl);
    drawProvinces();
    loadTips(args.tipsUrl);
    if (slicing !== null) { cancelAnimationFrame(slicing); slicing = null; }  // new arguments: draw the rest now
    if (first) {
      // The first draw is sliced: about SLICE_MS of layers per animation frame, so that the map and its first
      // layers show while the rest (at 10x, 20,000 provincial zones) are added, and the page stays responsive.
      // If a layer fails to draw, the rest of the page still comes: drawn() reports and the error is raised.
      (function slice() {
        var more = false;
        try { more = drawLayers(SLICE_MS); } finally {
          if (more) { slicing = requestAnimationFrame(slice); } else { slicing = null; drawn(got); }
        }
      })();
    } else {
      drawLayers();
      drawn(got);
    }
  }

  window.addEventListener("message", function (event) {
    if (event.data && event.data.type === "streamlit:render") { render(event.data.args.view); }
  });
  send("streamlit:componentReady", {apiVersion: 1});
})();
