"""Layered maps behave as the dicts they stand for, through any sequence of updates and folds."""

from __future__ import annotations

import random

import pytest

from chalicelib.domain.layered import GONE, Gone, Layered


@pytest.mark.parametrize("seed", range(8))
def test_random_updates_equal_a_dict_and_leave_earlier_maps_alone(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Layered, "FOLD_AT_LEAST", 6)  # fold often
    rng = random.Random(seed)
    plain = {f"k{n}": n for n in range(20)}
    current: Layered[str, int] = Layered(dict(plain))
    history: list[tuple[Layered[str, int], dict[str, int]]] = []
    for _ in range(200):
        changes: list[tuple[str, int | Gone]] = []
        for _ in range(rng.randint(1, 4)):
            key = f"k{rng.randint(0, 30)}"
            value: int | Gone = GONE if rng.random() < 0.4 else rng.randint(0, 99)
            changes.append((key, value))
            if isinstance(value, Gone):
                plain.pop(key, None)
            else:
                plain[key] = value
        history.append((current, dict(current)))
        current = current.updated(changes)
        assert dict(current) == plain and len(current) == len(plain)
        assert all((key in current) == (key in plain) for key in (f"k{n}" for n in range(32)))
        assert all(current.get(key) == plain.get(key) for key in (f"k{n}" for n in range(32)))
    for earlier, seen in history:
        assert dict(earlier) == seen
    with pytest.raises(KeyError):
        current["nope"]
