"""The searches without results in the personal data registry. The kept queries hold no
personal data (no visitor, and never an address or a number: see rules.keepable); the
pending rows hold a keyed hash of a session key or an address, which is pseudonymous
data: it is declared here and deleted when its month has passed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from frivillig_blocks.personal_data import Person, PersonalDataSource

from . import services


def export_pending(person: Person) -> list:
    # The digest is made from the session key or the address of the moment, neither of
    # which is kept, so no row can be found from the person's account.
    return []


def erase_pending(person: Person) -> None:
    # As above: nothing is tied to the account; the rows go when their month has passed.
    return None


def sources() -> list[PersonalDataSource]:
    return [
        PersonalDataSource(
            key="opfoelgning.search_misses",
            label=_("Searches without results"),
            data=_(
                "A search on the site that found nothing, with a keyed hash of the visitor's "
                "session key or IP address (neither is stored; the key changes every month)."
            ),
            purpose=_(
                "To show the coordinator what citizens search for and do not find, counting "
                "a search only once three different visitors sent it in a month."
            ),
            legal_basis=_(
                "GDPR art. 6(1)(e) (public authority task: the municipality's information "
                "about voluntary work)."
            ),
            retention=_(
                "The hashes are deleted when the search is counted, or when the month has "
                "passed; the count of a search kept holds no visitor. The hash cannot be "
                "linked to an account, so it is neither downloaded nor deleted with one."
            ),
            export=export_pending,
            erase=erase_pending,
            expire=services.expire_pending,
        )
    ]
