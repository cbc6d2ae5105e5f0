"""Danish words for the search (frivillig_blocks/search/danish.py): the normal form, the
stem and the typo allowance, by table."""

import pytest

from frivillig_blocks.search import danish


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("Søspejdere", "søspejdere"),
        ("ÆBLE", "æble"),
        ("Aabenraa", "åbenrå"),
        ("AAben", "åben"),
        ("Café", "cafe"),
        ("naïve", "naive"),
        ("ｆｒｉｖｉｌｌｉｇ", "frivillig"),  # fullwidth
        ("a\u030a", "å"),  # a decomposed å is the letter å
        ("Ø", "ø"),
    ],
)
def test_the_normal_form(word, key):
    assert danish.normalise(word) == key


@pytest.mark.parametrize(
    "forms",
    [
        ("senior", "seniorer"),
        ("lokale", "lokaler"),
        ("pulje", "puljen", "puljer"),
        ("kursus", "kurser"),
        ("forening", "foreningen", "foreninger"),
        ("ansøgning", "ansøgningen", "ansøgninger"),
        ("frivillig", "frivillige"),
    ],
)
def test_word_forms_share_a_stem(forms):
    assert len({danish.stem(danish.normalise(form)) for form in forms}) == 1


def test_query_words_drop_stop_words_repeats_and_excess():
    assert danish.query_words("Hvordan søger jeg en PULJE, en pulje?") == [
        "hvordan",
        "søger",
        "pulje",
    ]
    assert danish.query_words("og i en") == []
    assert len(danish.query_words(" ".join(f"ord{n}" for n in range(50)))) == 8


@pytest.mark.parametrize(("key", "typos"), [("is", 0), ("sang", 1), ("kajak", 1), ("frivillig", 2)])
def test_longer_words_allow_more_typos(key, typos):
    assert danish.allowed_typos(key) == typos
