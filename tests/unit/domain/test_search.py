"""Folding, fuzzy matching and ranking — on the shipped data and on synthetic records."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain import geo, search
from chalicelib.domain.queries import SearchQuery, find
from chalicelib.write.models import Municipality
from tests.support.snapshots import shipped, snapshot_of
from tests.support.synthetic import Synthetic

SNAPSHOT = snapshot_of(shipped())


def names(q: str) -> list[str]:
    return [hit.entry.summary["name"] for hit in find(SNAPSHOT, SearchQuery(q=q))]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Münster", "muenster"),
        ("Münster", "MUNSTER"),
        ("Straße", "STRASSE"),
        ("Köln", "koeln"),
        ("Düsseldorf", "Duesseldorf"),
        ("Gevelsberg", "GEVELSBERG"),
        ("Élise", "elise"),
        # Letters NFKD leaves alone: their own letters, typed as the base letter.
        ("Yılmaz", "Yilmaz"),
        ("YILMAZ", "yılmaz"),
        ("İstanbul", "istanbul"),
        ("Søren", "Soren"),
        ("Łódź", "Lodz"),
        ("Đorđević", "Dordevic"),
        ("Guðrún", "Gudrun"),
        ("Æsa", "Aesa"),
        ("Cœur", "Coeur"),
        ("Þór", "Thor"),
        ("Ħamrun", "Hamrun"),
    ],
)
def test_fold_makes_spellings_equal(a: str, b: str) -> None:
    assert search.fold(a) == search.fold(b)


def test_fold_keeps_different_words_apart() -> None:
    assert search.fold("Soest") != search.fold("Essen")
    assert search.compact("Ennepe-Ruhr-Kreis") == search.compact("ennepe ruhr kreis")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("monchengladbch", "monchengladbach", True),
        ("steinfrut", "steinfurt", True),
        ("steinfurtt", "steinfurt", True),
        ("sxeinfurt", "steinfurt", True),
        ("stienfurt", "steinfurt", True),
        ("stinfrt", "steinfurt", False),
        ("abc", "abcde", False),
        ("tsienfurt", "steinfurt", False),
    ],
)
def test_within_one_edit(a: str, b: str, expected: bool) -> None:
    assert search.within_one_edit(a, b) is expected
    assert search.within_one_edit(b, a) is expected


@given(
    st.text(alphabet="abcdefgh", min_size=1, max_size=8), st.integers(0, 7), st.sampled_from("abcdefghxyz")
)
def test_one_substitution_is_always_within_one_edit(word: str, position: int, letter: str) -> None:
    position %= len(word)
    changed = word[:position] + letter + word[position + 1 :]
    assert search.within_one_edit(word, changed)


@pytest.mark.parametrize("q", ["muenster", "Münster", "MUNSTER", "münster", "Munster"])
def test_muenster_spellings_find_stadt_muenster_first(q: str) -> None:
    assert names(q)[0] == "Stadt Münster"


def test_steinfurt_ranks_kreis_steinfurt_first() -> None:
    assert names("steinfurt")[0] == "Kreis Steinfurt"


@pytest.mark.parametrize("q", ["ennepe ruhr", "Ennepe-Ruhr", "enneperuhr", "ENNEPE"])
def test_hyphens_and_spaces_do_not_matter(q: str) -> None:
    assert "Ennepe-Ruhr-Kreis" in names(q)


@pytest.mark.parametrize("q", ["Mönchengladbch", "Monchengladbahc", "Mönchen Gladbach", "moenchengladbach"])
def test_one_typo_or_a_split_word_still_finds_moenchengladbach(q: str) -> None:
    assert names(q)[0] == "Stadt Mönchengladbach"


def test_short_words_get_no_typo_tolerance() -> None:
    assert names("kön") == []  # "köln" with a typo, but only four letters
    assert names("koln") == ["Stadt Köln"]


def test_prefix_finds_while_typing() -> None:
    assert names("steinf")[0] == "Kreis Steinfurt"
    assert names("gevel") == ["Stadt Gevelsberg"]


def test_contacts_functions_and_topics_are_searchable() -> None:
    assert names("hieronimus") == ["Kreis Steinfurt"]
    assert names("Stephanie Hieronimus") == ["Kreis Steinfurt"]
    assert "Kreis Steinfurt" in names("integration")


def test_all_words_must_match() -> None:
    assert names("steinfurt soest") == []


def test_ranking_exact_name_then_prefix_then_fuzzy() -> None:
    synthetic = Synthetic(seed=7)
    records = [
        synthetic.model(name="Stadt Lindenberg", seat="Lindenberg"),
        synthetic.model(name="Kreis Linden", seat="Linden"),
        synthetic.model(name="Stadt Lindan", seat="Lindan"),
        synthetic.model(name="Gemeinde Altlinden", seat="Altlinden"),
    ]
    snapshot = snapshot_of(records)
    found = [h.entry.summary["name"] for h in find(snapshot, SearchQuery(q="linden"))]
    assert found == ["Kreis Linden", "Stadt Lindenberg", "Stadt Lindan"]


def test_name_match_outranks_a_match_in_an_office_or_person() -> None:
    synthetic = Synthetic(seed=8)
    named = synthetic.model(name="Stadt Rheinberg", seat="Rheinberg")
    mentions = synthetic.model(name="Kreis Aachtal", seat="Aachtal")
    office = mentions.offices[0].model_copy(update={"name": "Büro Rheinberg"})
    mentions = mentions.model_copy(update={"offices": [office]})
    snapshot = snapshot_of([mentions, named])
    found = [h.entry.summary["name"] for h in find(snapshot, SearchQuery(q="rheinberg"))]
    assert found == ["Stadt Rheinberg", "Kreis Aachtal"]


def test_equal_ranks_are_ordered_by_name_then_id() -> None:
    synthetic = Synthetic(seed=9)
    records = [synthetic.model(name=f"Stadt Twin {suffix}", seat="Twin") for suffix in ("B", "A", "C")]
    snapshot = snapshot_of(reversed(records))
    found = [h.entry.summary["name"] for h in find(snapshot, SearchQuery(q="twin"))]
    assert found == ["Stadt Twin A", "Stadt Twin B", "Stadt Twin C"]


@pytest.mark.parametrize(
    ("stored", "typed"), [("Yılmaz", "Yilmaz"), ("Søren", "Soren"), ("Łukasz", "Lukasz")]
)
def test_a_person_is_found_by_the_base_letters_of_their_name(stored: str, typed: str) -> None:
    synthetic = Synthetic(seed=11)
    record = synthetic.municipality(contacts=0)
    record["offices"][0]["contacts"] = [synthetic.contact(family_name=f"{stored}zade", given_name=stored)]
    snapshot = snapshot_of([Municipality.model_validate(record)])
    assert [h.entry.summary["id"] for h in find(snapshot, SearchQuery(q=typed))] == [record["id"]]
    assert [h.entry.summary["id"] for h in find(snapshot, SearchQuery(q=f"{typed}zade"))] == [record["id"]]


def test_non_public_contacts_are_not_searchable() -> None:
    synthetic = Synthetic(seed=10)
    record = synthetic.municipality(contacts=0)
    record["offices"][0]["contacts"] = [synthetic.contact(public=False, family_name="Verborgenname")]
    snapshot = snapshot_of([Municipality.model_validate(record)])
    assert find(snapshot, SearchQuery(q="verborgenname")) == []


def test_distance_between_known_places() -> None:
    # Centre points of Stadt Münster and of the Gemeinde Steinfurt: about 24 km apart.
    assert geo.distance_km(51.961908, 7.626804, 52.125169, 7.395195) == pytest.approx(24.3, abs=1.5)
    assert geo.distance_km(51.0, 7.0, 51.0, 7.0) == 0


# A vocabulary dense in near-misses: every word of a small alphabet, and their one-edit variants.
_BASE = ["munster", "monster", "muenster", "kreis", "krise", "steinfurt", "steinfrut", "ortsteil"]
FUZZY_INDEX = search.SearchIndex.build(
    (f"d{n}", search.Document(word, [(search.NAME, word)]))
    for n, word in enumerate(
        [*_BASE, *(w[:i] + w[i + 1 :] for w in _BASE for i in range(len(w))), *(w + "e" for w in _BASE)]
    )
)


@settings(max_examples=300, deadline=None)
@given(word=st.text(alphabet="abcdeklmnorstu", min_size=5, max_size=12))
def test_one_typo_candidates_are_exactly_the_vocabulary_one_edit_away(word: str) -> None:
    index = FUZZY_INDEX
    expected = {token for token in index.vocabulary if search.within_one_edit(word, token)}
    assert index._fuzzy(word) == expected
