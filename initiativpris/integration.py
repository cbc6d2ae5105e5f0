"""The prize's implementations of the base's hooks (registered in wagtail_hooks.py): the
jury's admin, the shared calendar (each published round's Frivillig Fredag and its
ceremony), the figures and the one door's personal data registry
(frivillig_blocks.personal_data).

Nominations and votes are made without an account, so a person's are found by their
addresses: the nominator's and nominee's address as written, and the keyed hash
(``services.voter_key``) of each address for the nominator key and the voter key.

Choices made here (#17):

* A person's vote is exported without whom it was for: the ballot is secret, and a file
  that proves how someone voted could be demanded from them. It says the round, when the
  vote was asked for and confirmed, and whether it counts.
* Nominations about a person are exported without the nominator (another person's data).
* Erasing a nominator: unconfirmed nominations go; a confirmed nomination whose nominee
  has consented stays in the competition (the text is the nominee's candidacy, jury scores
  and votes stand) without the nominator's name and address; one without consent (pending
  or declined) goes. The nominator key (a keyed hash, not the address) stays on a kept
  nomination until the retention, so erasing and coming back does not lift the limit of
  nominations per person in a running round.
* Erasing a voter: unconfirmed votes go; a confirmed vote still counts once (the tally
  does not change). Its voter key (a keyed hash) stays until the result, as for every
  voter: it is what holds one vote per address while the vote is open; the retention
  deletes it after the announcement. The stored confirmation mails go at once.
* Erasing a nominee: after an announced round a public nomination (shown with consent,
  the prize's history) keeps name and motivation and loses the address; any other
  nomination of the person goes (they can no longer consent).
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import SummaryItem

from frivillig_blocks.hooks import CalendarEntry
from frivillig_blocks.links import section_page
from frivillig_blocks.personal_data import Person, PersonalDataSource, scrub_mail
from frivillig_blocks.search.sources import Entry, Hit, SearchSource
from frivillig_blocks.search.text import summary

from . import services
from .models import (
    ConflictOfInterest,
    Consent,
    FrivilligFredagPage,
    JuryScore,
    Nomination,
    PrizePage,
    PrizeRound,
    Vote,
)


def _keys(person: Person) -> list[str]:
    return sorted(services.stored_voter_key(address) for address in person.emails)


def _made_by(person: Person):
    return Nomination.objects.filter(
        Q(nominator_key__in=_keys(person)) | person.email_q("nominator_email")
    ).select_related("round")


def _about(person: Person):
    return Nomination.objects.filter(person.email_q("nominee_email")).select_related("round")


def _votes(person: Person):
    return Vote.objects.filter(voter_key__in=_keys(person)).select_related("round")


def export_nominations(person: Person) -> list[dict]:
    return [
        {
            "round": str(n.round),
            "nominee_kind": n.nominee_kind,
            "nominee": n.nominee_name,
            "nominee_email": n.nominee_email,
            "motivation": n.motivation,
            "nominator": n.nominator_name,
            "nominator_email": n.nominator_email,
            "sent": n.created_at,
            "confirmed": n.confirmed_at,
            "waiting_for_your_confirmation": n.confirmed_at is None,
            "nominee_consent": n.consent,
            "shortlisted": n.shortlisted,
        }
        for n in _made_by(person)
    ]


def export_nominee(person: Person) -> list[dict]:
    return [
        {
            "round": str(n.round),
            "nominee_kind": n.nominee_kind,
            "nominee": n.nominee_name,
            "nominee_email": n.nominee_email,
            "motivation": n.motivation,
            "confirmed": n.confirmed_at,
            "consent": n.consent,
            "consent_answered": n.consent_at,
            "shortlisted": n.shortlisted,
        }
        for n in _about(person).filter(confirmed_at__isnull=False)
    ]


def export_votes(person: Person) -> list[dict]:
    return [
        {
            "round": str(v.round),
            "requested": v.created_at,
            "confirmed": v.confirmed_at,
            "waiting_for_your_confirmation": v.confirmed_at is None,
            "counts": v.confirmed_at is not None,
        }
        for v in _votes(person).order_by("created_at", "pk")
    ]


def export_jury(person: Person) -> dict:
    user = person.user
    scores = [
        {"nomination": s.nomination.nominee_name, "score": s.score, "comment": s.comment}
        for s in JuryScore.objects.filter(juror=user).select_related("nomination")
    ]
    conflicts = [
        {"nomination": c.nomination.nominee_name, "reason": c.reason}
        for c in ConflictOfInterest.objects.filter(juror=user).select_related("nomination")
    ]
    if not (scores or conflicts):
        return {}
    return {"jury_scores": scores, "conflicts_of_interest": conflicts}


def erase_nominations(person: Person) -> None:
    made = list(_made_by(person))
    scrub_mail(made)
    kept = [
        n.pk
        for n in made
        if n.nominator_key == "" or (n.confirmed_at is not None and n.consent == Consent.GIVEN)
    ]
    services.delete_nominations(n.pk for n in made if n.pk not in kept)
    Nomination.objects.filter(pk__in=kept).update(nominator_name="", nominator_email="")


def erase_nominee(person: Person) -> None:
    now = timezone.now()
    about = list(_about(person))
    scrub_mail(about)
    kept = [n.pk for n in about if n.is_public and n.round.is_announced(now)]
    services.delete_nominations(n.pk for n in about if n.pk not in kept)
    Nomination.objects.filter(pk__in=kept).update(nominee_email="")


def erase_votes(person: Person) -> None:
    votes = list(_votes(person))
    scrub_mail(votes)
    Vote.objects.filter(pk__in=[v.pk for v in votes], confirmed_at__isnull=True).delete()


def erase_jury(person: Person) -> None:
    """Scores and conflicts of interest go with the juror's account (on delete cascade)."""


def expire_nominations(now) -> int:
    return services.expire_unconfirmed_nominations(now) + services.expire_nominators(now)


PUBLIC_TASK = _(
    "GDPR art. 6(1)(e) (public authority task: the municipality's prize for voluntary work)"
)


def personal_data_sources() -> list[PersonalDataSource]:
    return [
        PersonalDataSource(
            key="initiativpris.nominations",
            label=_("Prize nominations (the nominator)"),
            data=_(
                "Nominator's name, e-mail and a keyed hash of it, the nomination they wrote "
                "and when it was sent and confirmed"
            ),
            purpose=_(
                "Confirming the nomination, holding the number of nominations per person "
                "and contacting the nominator about the prize"
            ),
            legal_basis=PUBLIC_TASK,
            retention=_(
                "Unconfirmed nominations are deleted when the confirmation link has expired "
                "(INITIATIVPRIS_LINK_MAX_AGE_HOURS plus a day). The nominator's name, e-mail "
                "and key are removed INITIATIVPRIS_RETENTION_DAYS (default 90) days after "
                "the round's announcement."
            ),
            export=export_nominations,
            erase=erase_nominations,
            expire=expire_nominations,
        ),
        PersonalDataSource(
            key="initiativpris.nominees",
            label=_("Prize nominations (the nominee)"),
            data=_(
                "Nominee's name and e-mail, the motivation about them, their consent and "
                "whether they were shortlisted or won"
            ),
            purpose=_(
                "Asking the nominee's consent, the jury's assessment, the public vote and "
                "showing the winner and the nominees on the site"
            ),
            legal_basis=_(
                "GDPR art. 6(1)(e) (public authority task: the municipality's prize) for "
                "the assessment; art. 6(1)(a) (consent) for showing the name"
            ),
            retention=_(
                "INITIATIVPRIS_RETENTION_DAYS (default 90) days after the round's "
                "announcement the nominee's e-mail is removed and nominations never shown "
                "are deleted; the shown ones stay as the prize's history."
            ),
            export=export_nominee,
            erase=erase_nominee,
            expire=services.expire_nominees,
        ),
        PersonalDataSource(
            key="initiativpris.votes",
            label=_("Votes in the public vote"),
            data=_(
                "A keyed hash of the voter's e-mail, when the vote was asked for and "
                "confirmed, and the nominee voted for"
            ),
            purpose=_("One vote per person, confirmed by e-mail"),
            legal_basis=PUBLIC_TASK,
            retention=_(
                "After the round's announcement unconfirmed votes are deleted and counted "
                "votes lose the hash (the count stays); the confirmation mails lose the "
                "address."
            ),
            export=export_votes,
            erase=erase_votes,
            expire=services.expire_voter_identifiers,
        ),
        PersonalDataSource(
            key="initiativpris.jury",
            label=_("The prize jury's scores"),
            data=_("A jury member's scores, comments and declared conflicts of interest"),
            purpose=_("The jury's assessment of the nominations, open to review"),
            legal_basis=PUBLIC_TASK,
            retention=_("Kept with the jury member's account; deleted with it."),
            export=export_jury,
            erase=erase_jury,
        ),
    ]


# --- The shared calendar --------------------------------------------------------------------


def calendar_entries(start, end) -> list[CalendarEntry]:
    tz = timezone.get_current_timezone()
    first, last = timezone.localtime(start, tz).date(), timezone.localtime(end, tz).date()
    rounds = PrizeRound.objects.live().filter(year__gte=first.year - 1, year__lte=last.year + 1)
    page = FrivilligFredagPage.objects.live().first()
    url = page.get_url() if page else ""
    entries = []
    for round in rounds:
        day = round.frivillig_fredag
        day_start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
        day_end = day_start + datetime.timedelta(days=1)
        if day_start < end and day_end > start:
            entries.append(
                CalendarEntry(
                    uid=f"initiativpris-{round.pk}-frivillig-fredag",
                    title=gettext("Frivillig Fredag"),
                    start=day_start,
                    end=day_end,
                    kind="prize",
                    url=url or "",
                    description=gettext("The national day for volunteers."),
                )
            )
        ceremony_end = round.announcement_at + datetime.timedelta(hours=2)
        if round.announcement_at < end and ceremony_end > start:
            entries.append(
                CalendarEntry(
                    uid=f"initiativpris-{round.pk}-ceremony",
                    title=gettext("Award of the %(prize)s %(year)s")
                    % {"prize": round.prize_name, "year": round.year},
                    start=round.announcement_at,
                    end=ceremony_end,
                    kind="prize",
                    url=url or "",
                    location=round.ceremony_place,
                )
            )
    return entries


def _phase_text(round, phase) -> str:
    """The phase in the words of the prize page (prize_page.html)."""
    from django.utils import formats

    def when(moment, fmt):
        return formats.date_format(timezone.localtime(moment), fmt)

    day, day_time = "j. F Y", r"j. F Y \k\l. H:i"
    if phase == "upcoming":
        return gettext("Nominations open on %(date)s.") % {
            "date": when(round.nominations_open, day)
        }
    if phase == "nominations":
        return gettext("Nominations are open until %(date)s.") % {
            "date": when(round.nominations_close, day_time)
        }
    if phase == "jury" and round.decision_model == "vote":
        return gettext("Nominations are closed. The vote opens on %(date)s.") % {
            "date": when(round.vote_open, day)
        }
    if phase == "jury":
        return gettext("Nominations are closed. The jury is assessing the nominations.")
    if phase == "vote":
        return gettext("The public vote is open until %(date)s.") % {
            "date": when(round.vote_close, day_time)
        }
    if phase == "counting":
        return gettext("The vote is closed. The winner is announced at the ceremony.")
    return gettext("The winner has been announced.")


def prize_now(request, limit):
    """What is on now (the hub): the current round's phase, and its Frivillig Fredag."""
    from django.utils import formats

    from frivillig_blocks.hooks import WhatsOn, WhatsOnItem

    page = section_page(PrizePage)
    round = services.current_round()
    if page is None or round is None:
        return None
    url = page.get_url(request) or ""
    items = [WhatsOnItem(title=_phase_text(round, round.phase()), url=url)]
    day = section_page(FrivilligFredagPage)
    if day is not None and limit > 1:
        items.append(
            WhatsOnItem(
                title=day.title,
                url=day.get_url(request) or "",
                meta=formats.date_format(round.frivillig_fredag, "j. F Y"),
            )
        )
    return WhatsOn(
        title=f"{round.prize_name} {round.year}",
        items=items,
        more_url=url,
        more_text=page.title,
        order=40,
    )


def figure_source():
    from .figures import PrizeFigures

    return PrizeFigures()


# --- The admin: rounds, nominations, jury, log actions, dashboard ---------------------------

LOG_ACTIONS = {
    "initiativpris.score": (_("Score"), _("Jury score given")),
    "initiativpris.conflict": (_("Conflict of interest"), _("Conflict of interest declared")),
    "initiativpris.shortlist": (_("Shortlist"), _("Shortlist chosen")),
    "initiativpris.winner": (_("Winner"), _("Winner chosen")),
    "initiativpris.jury_candidate": (_("Jury's candidate"), _("The jury's own candidate added")),
    "initiativpris.paper_vote": (_("Paper vote"), _("Paper vote entered")),
    "initiativpris.voters_deleted": (_("Voters deleted"), _("Voters' identifiers deleted")),
}


def admin_urls():
    from . import admin_urls

    return [path("initiativpris-jury/", include(admin_urls, namespace="initiativpris_admin"))]


class JuryMenuItem(MenuItem):
    def is_shown(self, request):
        from .admin_views import is_jury_user

        return is_jury_user(request.user)


def admin_menu_item():
    return JuryMenuItem(
        _("Prize jury"), reverse("initiativpris_admin:index"), icon_name="group", order=410
    )


def admin_viewset():
    from .viewsets import PrizeViewSetGroup

    return PrizeViewSetGroup()


def log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


class NominationsSummaryItem(SummaryItem):
    """The dashboard: confirmed nominations of the running round, for editors."""

    order = 400
    template_name = "initiativpris/admin/summary_item.html"

    def __init__(self, request):
        super().__init__(request)
        self.round = None

    def is_shown(self):
        if not services.is_editor(self.request.user):
            return False
        self.round = services.current_round()
        return self.round is not None

    def get_context_data(self, parent_context):
        return {
            "round": self.round,
            "confirmed": Nomination.objects.confirmed().filter(round=self.round).count(),
        }


def add_nominations_summary(request, items):
    items.append(NominationsSummaryItem(request))


def page_cache_models():
    """The page cache is retired by writes to every model of the prize (rounds, sponsors, nominees, votes)."""
    return ["initiativpris"]


# --- Site search (frivillig_blocks.search) ----------------------------------------------------
#
# The prize's pages are Wagtail pages (searched as pages); what the prize page shows of its
# rounds is not: the current round (its rules, amount and ceremony) on the prize page, and
# each announced round's result in the archive. A round is found by its own text only:
# never by a nominee's or nominator's name or a motivation (people, even those who agreed
# to be shown), so the hit's summary is the round's rules.


def searchable_rounds():
    return PrizeRound.objects.live()


def round_entry(round) -> Entry:
    return Entry(round.title, summary(round.rules))


def round_hits(request, objects) -> list[Hit | None]:
    objects = list(objects)
    page = section_page(PrizePage) if objects else None
    if page is None:
        return [None] * len(objects)
    now = timezone.now()
    current = services.current_round(now)
    base = page.get_url(request) or ""
    hits = []
    for round in objects:
        if current is not None and round.pk == current.pk:
            url = base
        elif round.is_announced(now):
            url = base + page.reverse_subpage("archived_round", args=[round.slug])
        else:
            hits.append(None)  # a later round the site does not show yet
            continue
        hits.append(
            Hit(
                title=round.title,
                url=url,
                summary=summary(round.rules),
                date=round.announcement_at if not round.is_announced(now) else None,
            )
        )
    return hits


def search_sources():
    return [
        SearchSource(
            key="prize_rounds",
            label=_("Prize rounds"),
            queryset=searchable_rounds,
            hits=round_hits,
            order=60,
            entry=round_entry,
        )
    ]
