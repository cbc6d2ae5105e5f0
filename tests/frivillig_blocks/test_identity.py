"""The canonical identity of an e-mail address (frivillig_blocks.identity): every spelling of
one mailbox gives one identity; invisible characters, quoted local parts and unusual
characters are refused with a Danish message; distinct mailboxes stay distinct. The
spellings below are also fed to the prize's real vote and nomination flows
(tests/initiativpris/test_vote.py, test_nominations.py)."""

import pytest
from django import forms
from django.utils import translation

from frivillig_blocks import identity
from frivillig_blocks.identity import IdentityEmailField, canonical_email, clean_address

MAILBOX = "karen.holm@xn--strandgrd-c3a.dk"  # karen.holm@strandgård.dk

#: 32 spellings of one mailbox (issue #18, item 1, and more).
SPELLINGS = [
    "karen.holm@strandgård.dk",
    "Karen.Holm@strandgård.dk",  # case
    "KAREN.HOLM@STRANDGÅRD.DK",
    "karen.holm+pris@strandgård.dk",  # sub-address
    "Karen.Holm+Stem2026@Strandgård.dk",
    "karen.holm+a+b@strandgård.dk",
    "karen.holm+@strandgård.dk",
    "  karen.holm@strandgård.dk  ",  # spaces
    "\tkaren.holm@strandgård.dk\n",
    "karen.holm@xn--strandgrd-c3a.dk",  # punycode vs the Unicode domain
    "KAREN.HOLM@XN--STRANDGRD-C3A.DK",
    "Karen.Holm+x@Xn--StrandGrd-C3a.dk",
    "karen.holm@strandga\u030ard.dk",  # a decomposed å
    "KAREN.HOLM@STRANDGA\u030aRD.DK",  # a decomposed Å
    "ｋａｒｅｎ.ｈｏｌｍ@strandgård.dk",  # fullwidth letters
    "ＫＡＲＥＮ．ＨＯＬＭ@strandgård.dk",
    "karen.holm@ｓｔｒａｎｄｇåｒｄ.ｄｋ",
    "karen.holm@ＳＴＲＡＮＤＧÅＲＤ．ＤＫ",
    "karen.holm＠strandgård.dk",  # a fullwidth @
    "ｋａｒｅｎ．ｈｏｌｍ＠ｓｔｒａｎｄｇåｒｄ．ｄｋ",
    "karen.holm＋x@strandgård.dk",  # a fullwidth +
    "karen.holm@strandgård．dk",  # a fullwidth full stop
    "karen.holm@strandgård。dk",  # an ideographic full stop (IDNA's label separator)
    "karen.holm@strandgård.dk.",  # the root's trailing dot
    "karen.holm@xn--strandgrd-c3a.dk.",
    "\U0001d424\U0001d41a\U0001d42b\U0001d41e\U0001d427.holm@strandgård.dk",  # bold letters
    "karen.holm+tag@STRANDGA\u030aRD.dk.",
    " Karen.Holm+x@xn--strandgrd-c3a.DK ",
    "karen.holm\uff0bnyhed@ｓｔｒａｎｄｇａ\u030aｒｄ.dk",
    "KAREN.holm+Y@strandgÅrd.dk",
    "karen.HOLM@Strandgård.Dk",
    "karen.holm+1@strandgård.dk",
]

GMAIL = "karenholm@gmail.com"

#: Gmail's documented rules: dots do not count and googlemail.com is gmail.com.
GMAIL_SPELLINGS = [
    "karen.holm@gmail.com",
    "karenholm@gmail.com",
    "k.a.r.e.n.h.o.l.m@gmail.com",
    "Karen.Holm@GMAIL.COM",
    "karen.holm@googlemail.com",
    "KarenHolm+pris@GoogleMail.com",
    "ｋａｒｅｎ．ｈｏｌｍ＠ｇｍａｉｌ．ｃｏｍ",
    " karen.holm+x@gmail.com. ",
]

#: Refused, each with its Danish reason: invisible and format characters (never stripped),
#: quoted local parts, characters outside the conservative set.
INVISIBLE = [
    "karen.holm@strand\u200bgård.dk",  # zero-width space in the domain
    "karen.holm@strand\u00adgård.dk",  # soft hyphen in the domain
    "karen.holm@strandgård\u00ad.dk",
    "karen.holm@\u200estrandgård.dk",  # left-to-right mark
    "karen.holm@strandgård.dk\u202e",  # right-to-left override
    "karen.holm@strand\u200dgård.dk",  # zero-width joiner
    "karen.holm@strand\u2060gård.dk",  # word joiner
    "karen.holm@strand\ufeffgård.dk",  # zero-width no-break space
    "karen.holm@strandga\ufe0frd.dk",  # variation selector
    "karen.holm@strand\u034fgård.dk",  # combining grapheme joiner
    "kar\u200ben.holm@strandgård.dk",  # zero-width space in the local part
    "karen.holm@strandgård.dk\x00",
]
QUOTED = [
    '"karen.holm"@strandgård.dk',
    '"karen holm"@strandgård.dk',
    '"karen.holm@strandgård.dk"@strandgård.dk',
    "karen\\.holm@strandgård.dk",
]
UNUSUAL = [
    "karen!holm@strandgård.dk",
    "kåren.holm@strandgård.dk",
    "karen..holm@strandgård.dk",
    ".karen.holm@strandgård.dk",
    "karen.holm.@strandgård.dk",
    "+karen@strandgård.dk",
    "karen%holm@strandgård.dk",
    "karen(holm)@strandgård.dk",
]
INVALID = [
    "",
    "karen.holm",
    "karen.holm@",
    "@strandgård.dk",
    "karen@holm@strandgård.dk",
    "karen holm@strandgård.dk",
    "karen.holm@strandgård",
    "karen.holm@-strandgård.dk",
    "karen.holm@strand_gård.dk",
    "karen.holm@xn--zz.dk",
    "karen.holm@[127.0.0.1]",
    "karen.holm@strandgård..dk",
    "a" * 65 + "@strandgård.dk",
    None,
    123,
]

#: Distinct mailboxes: each its own identity.
DISTINCT = [
    "karen.holm@xn--strandgrd-c3a.dk",
    "karenholm@xn--strandgrd-c3a.dk",  # dots count outside Gmail
    "karen-holm@xn--strandgrd-c3a.dk",
    "karen.holm@strandgard.dk",
    "karen.holm@strandgaard.dk",
    "karen.holm@xn--strandgrd-c3a.com",
    "karen.holm@gmail.com",
    "karen.holm@outlook.com",
    "karenholm@outlook.com",
    "karen.holm2@xn--strandgrd-c3a.dk",
]


def test_there_are_at_least_30_spellings_of_one_mailbox():
    assert len(set(SPELLINGS)) >= 30


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_one_mailbox_has_one_identity(spelling):
    assert canonical_email(spelling) == MAILBOX


@pytest.mark.parametrize("spelling", GMAIL_SPELLINGS)
def test_gmail_dots_and_googlemail_are_one_mailbox(spelling):
    assert canonical_email(spelling) == GMAIL


def test_distinct_mailboxes_stay_distinct():
    assert len({canonical_email(address) for address in DISTINCT}) == len(DISTINCT)


@pytest.mark.parametrize(
    ("addresses", "error", "danish"),
    [
        (INVISIBLE, identity.InvisibleCharacter, "usynligt tegn"),
        (QUOTED, identity.QuotedAddress, "anførselstegn"),
        (UNUSUAL, identity.UnusualCharacter, "bogstaverne a-z"),
        (INVALID, identity.InvalidAddress, "gyldig e-mailadresse"),
    ],
)
def test_refused_addresses_say_why_in_danish(addresses, error, danish):
    with translation.override("da"):
        for address in addresses:
            with pytest.raises(error) as caught:
                canonical_email(address)
            assert danish in str(caught.value.message), address


def test_invisible_characters_are_refused_not_stripped():
    """IDNA alone would drop a soft hyphen or a zero-width space: each would then be one
    more key for one mailbox."""
    import idna

    assert idna.encode("strand\u00adgård.dk", uts46=True) == b"xn--strandgrd-c3a.dk"
    for address in INVISIBLE:
        with pytest.raises(identity.InvisibleCharacter):
            canonical_email(address)


def test_mail_goes_to_the_address_as_typed_with_an_ascii_domain():
    assert (
        clean_address(" Karen.Holm+pris@Strandgård.dk ") == "Karen.Holm+pris@xn--strandgrd-c3a.dk"
    )
    assert clean_address("ｋａｒｅｎ@gmail.com") == "karen@gmail.com"
    with pytest.raises(identity.InvisibleCharacter):
        clean_address("karen@strand\u200bgård.dk")


def test_the_old_normalisation_remains_for_stored_rows_the_rule_refuses():
    assert identity.canonical_or_legacy("Karen+x@Example.com") == "karen@example.com"
    assert identity.canonical_or_legacy('"Karen"@Example.com') == '"karen"@example.com'


class Form(forms.Form):
    email = IdentityEmailField()


@pytest.mark.parametrize(
    ("value", "danish"),
    [
        ("karen.holm@strand\u00adgård.dk", "usynligt tegn"),
        ('"karen"@strandgård.dk', "uden anførselstegn"),
        ("kåren@strandgård.dk", "bogstaverne a-z"),
        ("karen", "Skriv en gyldig e-mailadresse"),
        ("", "Skriv din e-mailadresse"),
    ],
)
def test_the_form_field_refuses_with_a_danish_message(value, danish):
    with translation.override("da"):
        form = Form({"email": value})
        assert not form.is_valid()
        assert danish in " ".join(form.errors["email"])


def test_the_form_field_gives_the_address_to_write_to():
    form = Form({"email": " ＫＡＲＥＮ.holm+x@Strandgård.dk "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "KAREN.holm+x@xn--strandgrd-c3a.dk"
    assert canonical_email(form.cleaned_data["email"]) == MAILBOX


@pytest.mark.parametrize("value", INVISIBLE)
def test_the_form_field_names_every_invisible_character(value):
    with translation.override("da"):
        form = Form({"email": value})
        assert not form.is_valid()
        assert "usynligt tegn" in " ".join(form.errors["email"])


def test_allauths_failed_login_counter_is_one_per_mailbox(rf, db):
    """allauth keys its failed-login limit by the address lower-cased; ours by the mailbox."""
    from frivillig_blocks.accounts.adapter import AccountAdapter

    request = rf.post("/konto/login/")
    keys = {
        AccountAdapter(request)._get_login_attempts_cache_key(request, email=spelling)
        for spelling in GMAIL_SPELLINGS
    }
    assert len(keys) == 1
    other = AccountAdapter(request)._get_login_attempts_cache_key(request, email=DISTINCT[0])
    assert other not in keys
