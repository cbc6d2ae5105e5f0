"""Benchmarks of the prize: the vote page and the result page against a plain topic page
(same base layout, routing and middleware), and a vote's confirmation against a bare insert."""

import datetime

from run import benchmark, get_ok

TOPIC_URL = "/frivillig/om/"


def make_round(tree, *, phase: str, nominees: int, votes: int = 0):
    from django.utils import timezone

    from initiativpris import services
    from initiativpris.models import Consent, Nomination, PrizePage, PrizeRound, Vote

    page = tree.hub.add_child(instance=PrizePage(title="Initiativprisen", slug="initiativpris"))
    page.save_revision().publish()
    now = timezone.now()
    day = datetime.timedelta(days=1)
    offsets = {"vote": (-30, -20, -5, 5, 10), "announced": (-40, -30, -20, -10, -1)}[phase]
    round = PrizeRound.objects.create(
        prize_name="Initiativprisen",
        slug="bench",
        year=now.year,
        live=True,
        decision_model="shortlist_vote",
        nominations_open=now + offsets[0] * day,
        nominations_close=now + offsets[1] * day,
        vote_open=now + offsets[2] * day,
        vote_close=now + offsets[3] * day,
        announcement_at=now + offsets[4] * day,
    )
    nominations = Nomination.objects.bulk_create(
        Nomination(
            round=round,
            nominee_kind="person",
            nominee_name=f"Kandidat {i:03d}",
            nominee_email=f"k{i}@example.org",
            motivation="En ildsjæl, der har samlet hele kvarteret om lektiecaféen. " * 5,
            nominator_name="Indstiller",
            nominator_email=f"i{i}@example.org",
            nominator_key=services.voter_key(f"i{i}@example.org"),
            confirmed_at=now - 25 * day,
            slot=1,
            consent=Consent.GIVEN,
            shortlisted=True,
        )
        for i in range(nominees)
    )
    Vote.objects.bulk_create(
        Vote(
            round=round,
            nomination=nominations[i % nominees],
            voter_key=services.voter_key(f"v{i}@example.org"),
            confirmed_at=now - 6 * day,
        )
        for i in range(votes)
    )
    return round


@benchmark(
    "initiativpris_vote_page",
    target=2.5,
    description="the vote page with 30 nominees vs a plain topic page",
)
class VotePageBenchmark:
    def setup(self, tree):
        from django.test import Client

        make_round(tree, phase="vote", nominees=30)
        self.client = Client()
        get_ok(self.client, "/frivillig/initiativpris/stem/")

    def rows(self) -> tuple[int, int]:
        """The topic page lists no rows; the vote page lists the 30 nominees."""
        from initiativpris.models import Nomination

        return 0, Nomination.objects.filter(round__slug="bench", shortlisted=True).count()

    def baseline(self):
        get_ok(self.client, TOPIC_URL)

    def measured(self):
        get_ok(self.client, "/frivillig/initiativpris/stem/")


@benchmark(
    "initiativpris_result_10000_votes",
    target=2.5,
    description="the result page counting 10,000 votes for 3 nominees vs a plain topic page",
)
class ResultPageBenchmark:
    def setup(self, tree):
        from django.test import Client

        make_round(tree, phase="announced", nominees=3, votes=10_000)
        self.client = Client()
        get_ok(self.client, "/frivillig/initiativpris/resultat/")

    def rows(self) -> tuple[int, int]:
        """The topic page counts no rows; the result page counts the 10,000 votes."""
        from initiativpris.models import Vote

        return 0, Vote.objects.filter(round__slug="bench", confirmed_at__isnull=False).count()

    def baseline(self):
        get_ok(self.client, TOPIC_URL)

    def measured(self):
        get_ok(self.client, "/frivillig/initiativpris/resultat/")


@benchmark(
    "initiativpris_confirm_vote",
    target=8.0,
    description="confirming a vote (token, row lock, window and ballot checks) vs a bare "
    "insert and update",
    equal_rows=True,
)
class ConfirmVoteBenchmark:
    def setup(self, tree):
        from initiativpris import services
        from initiativpris.models import Nomination, Vote

        self.round = make_round(tree, phase="vote", nominees=3)
        self.nomination = Nomination.objects.filter(round=self.round).first()
        self.services = services
        self.Vote = Vote
        self.counter = 0

    def _pending(self):
        self.counter += 1
        return self.Vote.objects.create(
            round=self.round,
            nomination=self.nomination,
            voter_key=f"{self.counter:064d}",
        )

    def rows(self) -> tuple[int, int]:
        """Each call of either side confirms one vote."""
        return 1, 1

    def baseline(self):
        from django.utils import timezone

        vote = self._pending()
        self.Vote.objects.filter(pk=vote.pk).update(confirmed_at=timezone.now())

    def measured(self):
        vote = self._pending()
        self.services.confirm_vote(token=self.services.make_token(vote.pk, self.services.VOTE_SALT))
