"""The loans' figures for the council's follow-up (``frivillig_blocks.figures``).

A loan counts in a period by when it was requested (``created_at``). The status is the
loan's status now: requested = approved + declined + cancelled + still awaiting a decision.
``people`` is the number of distinct borrowers (user accounts); an anonymised loan has no
borrower any more and adds no one. A fixed number of queries per period whatever the data.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from frivillig_blocks.figures import (
    Figure,
    FigureSource,
    Filters,
    Period,
    aggregate_per_period,
    annotate_per_period,
    covering,
    days,
    median_duration,
    of_period,
    rows_from_counts,
)
from frivillig_blocks.parsers import parse_id

from . import rules as R
from .models import Institution, Loan, LoanStatus

REASON_LABEL_LENGTH = 80


def _label(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > REASON_LABEL_LENGTH:
        return text[: REASON_LABEL_LENGTH - 1].rstrip() + "…"
    return text


class LoanFigures(FigureSource):
    key = "booking"
    title = _("Loans of rooms and equipment")
    order = 10
    filters = frozenset({"institution", "association"})

    def filter_choices(self) -> dict[str, list[tuple[str, str]]]:
        return {
            "institution": [
                (str(pk), name)
                for pk, name in Institution.objects.order_by("name").values_list("pk", "name")
            ]
        }

    def loans(self, period: Period, filters: Filters):
        return self._loans(period.q("created_at"), filters)

    def _loans(self, when: Q, filters: Filters):
        qs = Loan.objects.filter(when)
        for name, field in (("institution", "institution_id"), ("association", "association_id")):
            value = getattr(filters, name)
            if value:
                if parse_id(value) is None:
                    return Loan.objects.none()
                qs = qs.filter(**{field: parse_id(value)})
        return qs

    def figures_for(self, periods: tuple[Period, ...], filters: Filters) -> list[list[Figure]]:
        # One statement per breakdown for all the periods (the report's period and the year
        # before), grouped by the period.
        loans = self._loans(covering(periods, "created_at"), filters)

        borrowers = Count("user", distinct=True)
        by_status = {
            status.value: Q(status=status)
            for status in (LoanStatus.APPROVED, LoanStatus.DECLINED, LoanStatus.CANCELLED)
        }
        # Decisions a leader took: instant confirmations of trusted associations are none.
        decided = Q(decided_by__isnull=False)
        totals = aggregate_per_period(
            loans,
            {
                "requested": Count("pk"),
                "requested_people": borrowers,
                # The rows the median reads (both ends set): counted here, not by a
                # query of its own.
                "decided_n": Count(
                    "pk",
                    filter=decided & Q(created_at__isnull=False, decided_at__isnull=False),
                ),
                "decided_people": Count(
                    "user", distinct=True, filter=decided & Q(decided_at__isnull=False)
                ),
                **{s: Count("pk", filter=q) for s, q in by_status.items()},
                **{
                    f"{s}_people": Count("user", distinct=True, filter=q)
                    for s, q in by_status.items()
                },
            },
            periods,
            "created_at",
        )

        def breakdown(values, **options):
            return annotate_per_period(
                values, {"n": Count("pk"), "p": borrowers}, periods, "created_at", **options
            )

        # By the period first: on SQLite not by walking the institution's index (issue #22).
        per_institution = breakdown(
            loans.values("institution_id", "institution__name"), period_first=True
        )
        per_purpose = breakdown(loans.values("purpose"))
        # By the fixed reason only (DeclineReason): a leader's own words stay in the admin.
        per_reason = breakdown(
            loans.filter(status=LoanStatus.DECLINED).values(reason=F("decline_reason__text"))
        )
        return [
            self._figures(
                of_period(totals, i),
                per_institution[i],
                per_purpose[i],
                per_reason[i],
                self.loans(period, filters).filter(decided),
            )
            for i, period in enumerate(periods)
        ]

    def _figures(self, totals, per_institution, per_purpose, per_reason, decided) -> list[Figure]:
        span, _n = median_duration(decided, "created_at", "decided_at", count=totals["decided_n"])

        def rows(items, key, label):
            items = list(items)
            return rows_from_counts(
                {r[key]: r["n"] for r in items},
                {r[key]: label(r) for r in items},
                {r[key]: r["p"] for r in items},
            )

        return [
            Figure(
                "booking.requested",
                str(_("Loans requested")),
                totals["requested"],
                people=totals["requested_people"],
                rows=rows(per_institution, "institution_id", lambda r: r["institution__name"]),
                help_text=str(_("Requests made in the period, by institution.")),
            ),
            Figure(
                "booking.purposes",
                str(_("Loans requested by purpose")),
                totals["requested"],
                people=totals["requested_people"],
                rows=rows(
                    per_purpose, "purpose", lambda r: R.PURPOSES.get(r["purpose"], r["purpose"])
                ),
                help_text=str(_("The purpose the borrower gave when requesting.")),
            ),
            Figure(
                "booking.approved",
                str(_("Loans approved")),
                totals["approved"],
                people=totals["approved_people"],
                help_text=str(
                    _(
                        "Requested in the period and approved now (a later cancellation counts as cancelled)."
                    )
                ),
            ),
            Figure(
                "booking.declined",
                str(_("Loans declined")),
                totals["declined"],
                people=totals["declined_people"],
                rows=rows(per_reason, "reason", lambda r: r["reason"] and _label(r["reason"])),
                help_text=str(_("By the reason the leader chose from the list of reasons.")),
                public_rows=False,  # for staff, as before
            ),
            Figure(
                "booking.cancelled",
                str(_("Loans cancelled")),
                totals["cancelled"],
                people=totals["cancelled_people"],
                help_text=str(_("Cancelled by the borrower or by the institution.")),
            ),
            Figure(
                "booking.decision_days",
                str(_("Median time from request to decision")),
                days(span),
                unit=str(_("days")),
                people=totals["decided_people"],
                decimals=1,
                additive=False,
                help_text=str(
                    _(
                        "Over the requests a leader approved or declined; instant confirmations "
                        "of trusted associations are left out."
                    )
                ),
            ),
        ]
