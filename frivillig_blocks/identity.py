"""The canonical identity of an e-mail address: one person, one key, under any spelling.

Every one-per-person rule of the platform (a vote, a nomination slot, a course seat, a rate
limit keyed by an address) compares ``canonical_email(address)``, never the address as typed:

1. Invisible and format characters (Unicode category Cf and the other default-ignorable code
   points: zero-width space, soft hyphen, bidi marks, variation selectors …) and control
   characters are *refused*, not stripped: IDNA would silently drop some of them, so each
   would be a new spelling of one mailbox, and a person who pastes one should see it.
2. Unicode NFKC: fullwidth letters, a decomposed ``å`` and the fullwidth ``＠`` become the
   ordinary characters.
3. A quoted local part (``"name"@example.com``) is refused, and the local part may only hold
   a–z, 0–9 and ``. _ - +`` (no leading, trailing or double dot): every other character is
   either rare in real addresses or a way to spell one mailbox twice.
4. The domain through IDNA (UTS 46, non-transitional, the ``idna`` package) to lower-case
   ASCII: ``strandgård.dk`` and ``xn--strandgrd-c3a.dk`` are one domain; a trailing dot goes.
5. The local part lower-cased and its sub-address (``+tag``) removed.
6. Provider rules where the provider documents them: Gmail ignores dots in the local part
   and ``googlemail.com`` is ``gmail.com``.

The canonical form is an identity, not an address to write to: mail goes to the address the
person typed (``clean_address``: NFKC, the domain in ASCII, the local part as typed).
"""

from __future__ import annotations

import re
import unicodedata

import idna
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .exceptions import (
    InvalidAddress,
    InvisibleCharacter,
    QuotedAddress,
    UnusualCharacter,
)

MAX_LENGTH = 254
LOCAL_MAX = 64

#: Default-ignorable code points (Unicode DerivedCoreProperties) that are not category Cf:
#: IDNA maps several of them to nothing, so they are refused like the format characters.
_IGNORABLE_RANGES = (
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian variation selectors
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical format controls
    (0xE0000, 0xE0FFF),  # tags and variation selectors supplement
)
_REFUSED_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Co", "Cn", "Zl", "Zp"})

_LOCAL = re.compile(r"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*\Z")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)\Z")

#: Documented provider rules: (domains, the domain they are, whether dots count).
#: Gmail's help ("Dots don't matter in Gmail addresses"; googlemail.com is the same account).
PROVIDERS = {
    "gmail.com": ("gmail.com", True),
    "googlemail.com": ("gmail.com", True),
}


def _invisible(char: str) -> bool:
    point = ord(char)
    if unicodedata.category(char) in _REFUSED_CATEGORIES:
        return True
    return any(low <= point <= high for low, high in _IGNORABLE_RANGES)


def _parts(address) -> tuple[str, str]:
    """The NFKC local part (as typed) and the ASCII domain of ``address`` (as typed when it
    was plain ASCII already, else in lower case), or an error."""
    if not isinstance(address, str):
        raise InvalidAddress
    text = address.strip()
    if not text or len(text) > 4 * MAX_LENGTH:
        raise InvalidAddress
    if any(_invisible(char) for char in text):
        raise InvisibleCharacter
    text = unicodedata.normalize("NFKC", text)
    if any(_invisible(char) for char in text):  # NFKC can reveal one (rarely)
        raise InvisibleCharacter
    if '"' in text or "\\" in text:
        raise QuotedAddress
    if any(char.isspace() for char in text) or text.count("@") != 1:
        raise InvalidAddress
    local, _at, domain = text.partition("@")
    if not local or not domain:
        raise InvalidAddress
    if len(local) > LOCAL_MAX:
        raise InvalidAddress
    if not _LOCAL.match(local.lower()):
        raise UnusualCharacter
    ascii_domain = _ascii_domain(domain)
    typed = domain[:-1] if domain.endswith(".") else domain
    return local, typed if typed.lower() == ascii_domain else ascii_domain


def _ascii_domain(domain: str) -> str:
    if domain.endswith((".", "\u3002", "\uff0e", "\uff61")):
        domain = domain[:-1]
    try:
        ascii_domain = idna.encode(domain, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError) as exc:
        raise InvalidAddress from exc
    ascii_domain = ascii_domain.lower()
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise InvalidAddress
    if labels[-1].isdigit() or len(ascii_domain) > 253:
        raise InvalidAddress
    return ascii_domain


def canonical_email(address) -> str:
    """The one identity of the mailbox ``address`` names (see the module's rule), or
    ``InvalidAddress`` (a subclass tells why) with a Danish message."""
    local, domain = _parts(address)
    local, domain = local.lower().split("+", 1)[0], domain.lower()
    if not local:
        raise UnusualCharacter
    domain, dots_count = PROVIDERS.get(domain, (domain, False))
    if dots_count:
        local = local.replace(".", "")
        if not local:
            raise InvalidAddress
    result = f"{local}@{domain}"
    if len(result) > MAX_LENGTH:
        raise InvalidAddress
    return result


def clean_address(address) -> str:
    """The address to write to: NFKC, the domain in ASCII (lower case unless it was typed in
    ASCII), the local part as typed (case and sub-address kept); refused exactly when
    ``canonical_email`` refuses it."""
    local, domain = _parts(address)
    canonical_email(address)
    result = f"{local}@{domain}"
    if len(result) > MAX_LENGTH:
        raise InvalidAddress
    return result


def legacy_key(address) -> str:
    """The normalisation used before the canonical identity (lower case, spaces and the
    ``+tag`` gone): data migrations fall back to it for a stored address the rule refuses."""
    address = str(address or "").strip().lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    return f"{local.split('+', 1)[0]}@{domain}"


def canonical_or_legacy(address) -> str:
    """For stored data only (migrations, look-ups of old rows): never raises."""
    try:
        return canonical_email(address)
    except InvalidAddress:
        return legacy_key(address)


def validate_identity(value) -> None:
    """A Django validator: the address has a canonical identity."""
    try:
        canonical_email(value)
    except InvalidAddress as exc:
        raise ValidationError(exc.message, code=exc.code) from exc


class IdentityEmailField(forms.CharField):
    """An e-mail field whose cleaned value is ``clean_address`` (refused when the address has
    no canonical identity, with the Danish reason); the canonical form is
    ``canonical_email(cleaned_value)``."""

    widget = forms.EmailInput
    default_error_messages = {
        "required": _("Write your e-mail address."),
        "invalid": _("Write a valid e-mail address, e.g. navn@eksempel.dk."),
        "max_length": _("Write a valid e-mail address of at most 254 characters."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_LENGTH)
        kwargs.setdefault("label", _("Your e-mail address"))
        super().__init__(strip=True, **kwargs)

    def clean(self, value):
        text = self.to_python(value)
        if text not in self.empty_values:
            # The identity's reason first (an invisible character, a NUL included).
            try:
                clean_address(text)
            except InvalidAddress as exc:
                raise ValidationError(exc.message, code=exc.code) from exc
        value = super().clean(value)
        if value in self.empty_values:
            return value
        address = clean_address(value)
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        return address
