"""The prize in a real Chromium, as issue 8's "done when" describes: a citizen nominates and
confirms by the link from the outbox; the nominee consents; an editor shortlists three in
the Wagtail admin; a citizen votes and confirms; a second vote from Name+x@Example.com is
refused in Danish; the tally stays hidden until the announcement, then the result page shows
the winner. axe passes on the nomination form, the vote page, the result page and the
Frivillig Fredag page."""

import datetime
from urllib.parse import urlparse

from django.utils import timezone
from playwright.sync_api import expect

from frivillig_blocks import roles
from initiativpris.models import Consent, Nomination, PrizeRound, Vote
from tests.helpers import last_mail_to

from ..factories import UserFactory
from ..initiativpris.conftest import make_nomination, round_in_phase

PASSWORD = "correct horse battery staple"
DAY = datetime.timedelta(days=1)


def build_prize(tree):
    from initiativpris.models import FrivilligFredagPage, PrizePage

    hub = tree.hub.specific
    for model, title, slug in [
        (PrizePage, "Initiativprisen", "initiativpris"),
        (FrivilligFredagPage, "Frivillig Fredag", "frivillig-fredag"),
    ]:
        page = model(title=title, slug=slug, intro="<p>Vi fejrer de frivillige.</p>")
        hub.add_child(instance=page)
        page.save_revision().publish()


def move_to(round: PrizeRound, phase: str) -> None:
    now = timezone.now()
    if phase == "jury":
        round.nominations_close = now - DAY
    elif phase == "vote":
        round.vote_open = now - DAY
    elif phase == "announced":
        round.vote_close = now - 2 * DAY
        round.announcement_at = now - DAY
    round.save()


def path_of_link(message) -> str:
    for word in message.body.split():
        if word.startswith("http"):
            return urlparse(word).path
    raise AssertionError(message.body)


def test_nominate_consent_shortlist_vote_and_result(live_site, page, axe):
    _server, tree = live_site
    build_prize(tree)
    round = round_in_phase("nominations", prize_name="Initiativprisen")
    others = [make_nomination(round, n=i, nominee_name=f"Kandidat {i}") for i in (1, 2, 3)]
    UserFactory(username="koordinator", groups=[roles.FRIVILLIGKOORDINATOR])

    # A citizen nominates from the prize page.
    page.goto("/frivillig/initiativpris/")
    axe(page)
    page.get_by_role("link", name="Indstil en kandidat").first.click()
    page.wait_for_url("**/initiativpris/indstil/")
    axe(page)
    page.get_by_label("En person").check()
    page.get_by_label("Kandidatens navn").fill("Karen Holm")
    page.get_by_label("Kandidatens e-mailadresse").fill("karen@example.org")
    page.get_by_label("Hvorfor fortjener de prisen?").fill(
        "Karen har drevet lektiecaféen på biblioteket i ti år."
    )
    page.get_by_label("Dit navn", exact=True).fill("Ole Hansen")
    page.get_by_label("Din e-mailadresse", exact=True).fill("ole@example.org")
    page.get_by_role("button", name="Send indstillingen").click()
    page.wait_for_url("**/indstil/tak/")
    expect(page.get_by_role("heading", name="Tjek din mail")).to_be_visible()
    axe(page)

    # The nominator confirms by the link from the outbox.
    page.goto(path_of_link(last_mail_to("ole@example.org")))
    axe(page)
    page.get_by_role("button", name="Bekræft min indstilling").click()
    expect(page.get_by_role("heading", name="Tak for din indstilling")).to_be_visible()
    karen = Nomination.objects.get(nominee_name="Karen Holm")
    assert karen.confirmed_at is not None and karen.consent == Consent.PENDING

    # The nominee consents by the link in their mail.
    page.goto(path_of_link(last_mail_to("karen@example.org")))
    axe(page)
    page.get_by_role("button", name="Ja, jeg giver samtykke").click()
    expect(page.get_by_text("Dit navn må nu vises på sitet")).to_be_visible()
    karen.refresh_from_db()
    assert karen.consent == Consent.GIVEN

    # Nominations close; an editor shortlists three in the Wagtail admin.
    move_to(round, "jury")
    page.goto("/admin/login/")
    page.locator("#id_username").fill("koordinator")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/initiativpris-jury/runde/{round.pk}/")
    for name in ["Karen Holm", "Kandidat 1", "Kandidat 2"]:
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Gem shortlisten").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Shortlisten er gemt (3 kandidater).")).to_be_visible()
    assert set(
        Nomination.objects.filter(shortlisted=True).values_list("nominee_name", flat=True)
    ) == {
        "Karen Holm",
        "Kandidat 1",
        "Kandidat 2",
    }
    page.context.clear_cookies()

    # The vote opens; a citizen votes and confirms.
    move_to(round, "vote")
    page.goto("/frivillig/initiativpris/stem/")
    axe(page)
    assert page.get_by_text(others[2].nominee_name, exact=True).count() == 0  # not shortlisted
    page.get_by_label("Karen Holm", exact=True).check()
    page.get_by_label("Din e-mailadresse", exact=True).fill("name@example.com")
    page.get_by_role("button", name="Send min stemme").click()
    page.wait_for_url("**/stem/tak/")
    page.goto(path_of_link(last_mail_to("name@example.com")))
    axe(page)
    page.get_by_role("button", name="Bekræft min stemme").click()
    expect(page.get_by_text("Din stemme er talt med.")).to_be_visible()

    # A second vote from the same person's address, written differently, is refused.
    page.goto("/frivillig/initiativpris/stem/")
    page.get_by_label("Kandidat 1", exact=True).check()
    page.get_by_label("Din e-mailadresse", exact=True).fill("Name+x@Example.com")
    page.get_by_role("button", name="Send min stemme").click()
    expect(
        page.get_by_text(
            "Der er allerede afgivet en stemme fra denne e-mailadresse i denne runde."
        ).first
    ).to_be_visible()
    axe(page)
    assert Vote.objects.filter(confirmed_at__isnull=False).count() == 1

    # The tally stays hidden until the announcement.
    response = page.goto("/frivillig/initiativpris/resultat/")
    assert response.status == 404
    page.goto("/frivillig/initiativpris/")
    assert page.get_by_text("stemme i alt").count() == 0

    # After the ceremony the result page shows the winner.
    move_to(round, "announced")
    page.goto("/frivillig/initiativpris/")
    page.get_by_role("link", name="Se resultatet").click()
    page.wait_for_url("**/resultat/")
    axe(page)
    expect(page.get_by_role("heading", name="Vinderen")).to_be_visible()
    expect(page.locator(".winner").get_by_text("Karen Holm")).to_be_visible()
    expect(page.get_by_text("1 stemme i alt")).to_be_visible()


def test_the_frivillig_fredag_page_passes_axe(live_site, page, axe):
    _server, tree = live_site
    build_prize(tree)
    round = round_in_phase("nominations")
    earlier = round_in_phase("announced", slug="tidligere", year=round.year - 1)
    earlier.winner = make_nomination(earlier, nominee_name="Strandrenserne")
    earlier.save()
    page.goto("/frivillig/frivillig-fredag/")
    axe(page)
    expect(page.get_by_role("heading", name="Frivillig Fredag", exact=True)).to_be_visible()
    expect(page.get_by_text("Strandrenserne")).to_be_visible()
    page.get_by_role("link", name="Indstil en kandidat").click()
    page.wait_for_url("**/initiativpris/indstil/")
    page.goto("/frivillig/initiativpris/arkiv/")
    axe(page)
