"""The pack's shelf: documents compressed in groups, each handed out whole, in any order."""

from __future__ import annotations

import random

import pytest

from chalicelib.domain.links import Links
from chalicelib.domain.shelf import GROUP, Shelf, ShelfWriter


def _texts(count: int) -> list[bytes]:
    rng = random.Random(count)
    return [f'{{"id":"{n}","name":"Stadt {"ä" * rng.randrange(40)}"}}'.encode() for n in range(count)]


@pytest.mark.parametrize("count", [0, 1, GROUP - 1, GROUP, GROUP + 1, 3 * GROUP + 7])
def test_every_text_comes_back_whole_in_any_order(count: int) -> None:
    texts = _texts(count)
    writer = ShelfWriter()
    places = [writer.add(text) for text in texts]
    shelf = Shelf(writer.pack(), Links(""))
    order = list(range(count))
    random.Random(7).shuffle(order)
    assert {n: shelf.take(places[n]) for n in order} == dict(enumerate(texts))
    assert shelf._open == {}  # every group closed once each of its texts was taken


def test_a_text_taken_twice_is_the_same_text() -> None:
    writer = ShelfWriter()
    places = [writer.add(text) for text in _texts(GROUP + 3)]
    shelf = Shelf(writer.pack(), Links(""))
    assert shelf.take(places[2]) == shelf.take(places[2])


def test_a_raw_newline_is_refused_when_written() -> None:
    with pytest.raises(ValueError, match="newline"):
        ShelfWriter().add(b'{"a":\n1}')


def test_a_shelf_of_the_wrong_length_is_refused() -> None:
    writer = ShelfWriter()
    writer.add(b'{"a":1}')
    data = writer.pack()
    for broken in (data[:-1], data + b"x"):
        with pytest.raises(ValueError, match="wrong length"):
            Shelf(broken, Links(""))
