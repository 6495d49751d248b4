"""A grid over latitude and longitude: nearest municipalities without measuring them all.

Points fall into cells of CELL_DEGREES × CELL_DEGREES; a search walks rings of cells
outward from the query's cell and stops once no unvisited cell can hold anything
nearer than what it has found (a lower bound on the distance to a ring of cells). So
`peers` and `near` measure only the neighbourhood, however large the directory.
Built per snapshot; `updated` shares every cell it does not touch (copy on write).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator

from .geo import EARTH_RADIUS_KM, distance_km

CELL_DEGREES = 0.1  # ~11 km north–south, ~7 km east–west in NRW
# Below this many points, measuring them all is faster than walking rings of cells.
MEASURE_ALL_BELOW = 400
_MARGIN_KM = 1e-6  # distances are compared rounded to 6 decimals

Point = tuple[float, float, str]  # lat, lon, id
Extent = tuple[int, int, int, int]  # rows and columns with points: low, high, low, high


def cell_of(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEGREES), math.floor(lon / CELL_DEGREES)


def _extent(cells: Iterable[tuple[int, int]]) -> Extent | None:
    rows, columns = [], []
    for row, column in cells:
        rows.append(row)
        columns.append(column)
    return (min(rows), max(rows), min(columns), max(columns)) if rows else None


def ring_bound_km(ring: int, highest_latitude: float) -> float:
    """A lower bound on the distance from a point to any cell `ring + 1` or more cells away.

    Such a cell is `ring` whole cells away along latitude or along longitude. Along a
    meridian that is R·Δφ exactly; along longitude the shortest great-circle distance
    between points Δλ apart is at the highest latitude either can have.
    """
    spread = math.radians(ring * CELL_DEGREES)
    north_south = EARTH_RADIUS_KM * spread
    cos_highest = max(0.0, math.cos(math.radians(min(highest_latitude, 90.0))))
    east_west = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, cos_highest * math.sin(min(spread, math.pi) / 2)))
    return min(north_south, east_west) - _MARGIN_KM


class GeoIndex:
    __slots__ = ("cells", "extent", "size")

    def __init__(
        self, cells: dict[tuple[int, int], tuple[Point, ...]] | None = None, extent: Extent | None = None
    ) -> None:
        self.cells = cells if cells is not None else {}
        self.extent = extent
        self.size = sum(len(points) for points in self.cells.values())

    @classmethod
    def build(cls, points: Iterable[Point]) -> GeoIndex:
        cells: dict[tuple[int, int], list[Point]] = {}
        for point in points:
            cells.setdefault(cell_of(point[0], point[1]), []).append(point)
        return cls({cell: tuple(found) for cell, found in cells.items()}, _extent(cells))

    def updated(self, removed: Iterable[Point], added: Iterable[Point]) -> GeoIndex:
        removed, added = list(removed), list(added)
        cells = dict(self.cells)
        for point in removed:
            cell = cell_of(point[0], point[1])
            kept = tuple(p for p in cells.get(cell, ()) if p[2] != point[2])
            if kept:
                cells[cell] = kept
            else:
                cells.pop(cell, None)
        emptied = False
        for point in added:
            cell = cell_of(point[0], point[1])
            cells[cell] = (*cells.get(cell, ()), point)
        for point in removed:
            emptied = emptied or cell_of(point[0], point[1]) not in cells
        extent = self.extent
        if emptied or extent is None:
            extent = _extent(cells)  # a cell went: the extent may shrink
        else:
            for point in added:
                row, column = cell_of(point[0], point[1])
                extent = (
                    min(extent[0], row),
                    max(extent[1], row),
                    min(extent[2], column),
                    max(extent[3], column),
                )
        return GeoIndex(cells, extent)

    def _rings(self, lat: float, lon: float) -> Iterator[tuple[float, list[Point]]]:
        """Rings of cells around the query's: (bound on anything beyond this ring, its points)."""
        if self.extent is None:
            return
        if self.size < MEASURE_ALL_BELOW:
            yield math.inf, [point for points in self.cells.values() for point in points]
            return
        low_row, high_row, low_column, high_column = self.extent
        row0, column0 = cell_of(lat, lon)
        highest = max(abs(low_row), abs(high_row + 1)) * CELL_DEGREES
        highest = max(highest, abs(lat))
        reach = max(row0 - low_row, high_row - row0, column0 - low_column, high_column - column0, 0)
        cells = self.cells
        start = max(row0 - high_row, low_row - row0, column0 - high_column, low_column - column0, 0)
        for ring in range(start, reach + 1):
            points: list[Point] = []
            if 8 * ring > len(cells):
                # Rings now have more cells than the grid holds: take everything left at once.
                for (row, column), held in cells.items():
                    if max(abs(row - row0), abs(column - column0)) >= ring:
                        points.extend(held)
                yield math.inf, points
                return
            for row in range(max(row0 - ring, low_row), min(row0 + ring, high_row) + 1):
                if row in (row0 - ring, row0 + ring):
                    columns: Iterable[int] = range(
                        max(column0 - ring, low_column), min(column0 + ring, high_column) + 1
                    )
                else:
                    columns = [c for c in {column0 - ring, column0 + ring} if low_column <= c <= high_column]
                for column in columns:
                    found = cells.get((row, column))
                    if found:
                        points.extend(found)
            yield ring_bound_km(ring, highest), points

    def nearest(
        self,
        lat: float,
        lon: float,
        count: int,
        order: Callable[[str], str],
        accept: Callable[[str], bool] | None = None,
        after: tuple[float, str, str] | None = None,
    ) -> list[tuple[float, str, str]]:
        """Up to `count` (distance rounded to 6 decimals, order(id), id), nearest first.

        `accept` filters ids; `after` skips everything up to and including that key (a cursor).
        """
        found: list[tuple[float, str, str]] = []
        for bound, points in self._rings(lat, lon):
            for p_lat, p_lon, point_id in points:
                if accept is not None and not accept(point_id):
                    continue
                key = (round(distance_km(lat, lon, p_lat, p_lon), 6), order(point_id), point_id)
                if after is None or key > after:
                    found.append(key)
            if len(found) >= count:
                found.sort()
                del found[count:]
                if found[-1][0] < bound:
                    break
        found.sort()
        return found[:count]

    def within(
        self, lat: float, lon: float, radius_km: float, accept: Callable[[str], bool] | None = None
    ) -> list[tuple[float, str]]:
        """Every (distance, id) within radius_km, unsorted."""
        found: list[tuple[float, str]] = []
        for bound, points in self._rings(lat, lon):
            for p_lat, p_lon, point_id in points:
                if accept is not None and not accept(point_id):
                    continue
                distance = distance_km(lat, lon, p_lat, p_lon)
                if distance <= radius_km:
                    found.append((distance, point_id))
            if bound > radius_km:
                break
        return found
