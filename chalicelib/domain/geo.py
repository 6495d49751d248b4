"""Great-circle distances, for `near` and peers."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def latitude_window(lat: float, radius_km: float) -> tuple[float, float]:
    """Latitudes a point within radius_km of lat can have: a cheap pre-filter before haversine."""
    delta = math.degrees(radius_km / EARTH_RADIUS_KM)
    return lat - delta, lat + delta
