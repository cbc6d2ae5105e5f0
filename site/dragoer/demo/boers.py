"""Demo content of the exchange: the section page below the hub (/frivillig/boers/), the
areas of the municipality with their neighbours, and a few dozen posts of every kind from
demo citizens and associations, with one conversation and one waiting first post.
Idempotent: run by ``manage.py seed_demo``; ``history()`` makes the follow-up's past."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from boers import services
from boers.models import (
    Area,
    Conversation,
    ExchangePage,
    Message,
    Post,
    PostStatus,
    VerifiedAssociation,
)
from dragoer.demo.pages import section_page
from frivillig_blocks import themes
from frivillig_blocks.models import Association, AssociationMembership

SLUG = "boers"

# name, slug, neighbours
AREAS = [
    ("Dragør by", "dragoer-by", ["Dragør Nord", "St. Magleby"]),
    ("Dragør Nord", "dragoer-nord", ["Dragør by", "St. Magleby"]),
    ("St. Magleby", "st-magleby", ["Dragør by", "Dragør Nord", "Søvang", "Kongelunden"]),
    ("Søvang", "soevang", ["St. Magleby", "Kongelunden"]),
    ("Kongelunden", "kongelunden", ["St. Magleby", "Søvang"]),
]

# username, first name
PEOPLE = [
    ("karen.demo", "Karen"),
    ("ole.demo", "Ole"),
    ("fatima.demo", "Fatima"),
    ("birthe.demo", "Birthe"),
    ("mads.demo", "Mads"),
    ("sofie.demo", "Sofie"),
    ("henrik.demo", "Henrik"),
]

# side, kind, subject (a code of the exchange's old categories, mapped onto the shared themes
# by ``frivillig_blocks.themes``), title, text, area slug or None, when (kind, days from, days to or
# recurrence), time, age, children, person, association slug or None
POSTS = [
    (
        "offer",
        "recurring",
        "sport",
        "Gåmakker tirsdage",
        "Jeg går en tur langs stranden hver tirsdag formiddag, ca. 5 km i roligt tempo. "
        "Kom med – det er hyggeligere at være to.",
        "dragoer-by",
        ("recurring", "Tirsdage kl. 10"),
        "weekly",
        "seniors",
        False,
        "karen.demo",
        None,
    ),
    (
        "need",
        "recurring",
        "sport",
        "Søger makker til stavgang",
        "Jeg er lige flyttet til Søvang og vil gerne i gang med stavgang igen. Er der nogen, "
        "der vil gå med et par gange om ugen?",
        "soevang",
        ("recurring", "Mandag og torsdag eftermiddag"),
        "weekly",
        "adults",
        False,
        "fatima.demo",
        None,
    ),
    (
        "need",
        "generations",
        "children",
        "Reservebedstemor til to drenge",
        "Vi er en familie uden bedsteforældre i nærheden. Vores drenge på 5 og 8 år vil elske "
        "en reservebedstemor eller -bedstefar til højtlæsning og kage en gang om måneden.",
        "st-magleby",
        ("flexible",),
        "monthly",
        "all",
        True,
        "sofie.demo",
        None,
    ),
    (
        "offer",
        "generations",
        "children",
        "Pensioneret lærer tilbyder sig som reservemorfar",
        "Jeg er 68, tidligere folkeskolelærer og savner børn omkring mig. Jeg vil gerne være "
        "reservemorfar for en familie i nærheden.",
        "dragoer-by",
        ("flexible",),
        "monthly",
        "all",
        True,
        "ole.demo",
        None,
    ),
    (
        "offer",
        "generations",
        "children",
        "Bedstevenner søger nye frivillige",
        "Bedstevenner matcher seniorer med børnefamilier. Vi indhenter børneattest og holder "
        "en introsamtale med alle.",
        None,
        ("flexible",),
        "monthly",
        "seniors",
        True,
        "birthe.demo",
        "bedstevenner-dragoer",
    ),
    (
        "need",
        "task",
        "culture",
        "Frivillige til Dragør Havnefest",
        "Vi mangler hænder til opstilling, bar og oprydning til havnefesten. Du får en T-shirt "
        "og god stemning.",
        "dragoer-by",
        ("period", 30, 32),
        "day",
        "adults",
        False,
        "mads.demo",
        "dragoer-sejlklub",
    ),
    (
        "need",
        "task",
        "sport",
        "Hjælpere til Strandvejsløbet",
        "Vi søger 20 frivillige til depoter og rutevagter på løbsdagen. Ingen erfaring nødvendig.",
        "st-magleby",
        ("date", 45),
        "half_day",
        "all",
        False,
        "henrik.demo",
        "store-magleby-idraetsforening",
    ),
    (
        "offer",
        "equipment",
        "culture",
        "Festtelt 6 x 12 m til udlån",
        "Foreningens festtelt kan lånes af andre foreninger til arrangementer. Hentes og "
        "bringes selv.",
        None,
        ("flexible",),
        "day",
        "all",
        False,
        "mads.demo",
        "dragoer-sejlklub",
    ),
    (
        "offer",
        "equipment",
        "culture",
        "Lydanlæg og mikrofoner",
        "Vi låner gerne vores lille lydanlæg ud til foreninger og lokale arrangementer.",
        "dragoer-nord",
        ("flexible",),
        "day",
        "all",
        False,
        "henrik.demo",
        None,
    ),
    (
        "need",
        "equipment",
        "children",
        "Låne bordfodboldbord til ungdomsklub",
        "Vores ungdomsklub søger et bordfodboldbord til en temaaften.",
        "kongelunden",
        ("date", 20),
        "hours",
        "youth",
        True,
        "sofie.demo",
        None,
    ),
    (
        "offer",
        "one_off",
        "practical",
        "Hjælp til at bære ved flytning",
        "Jeg er stærk og har en ledig lørdag. Kan hjælpe ældre eller enlige med at bære.",
        "dragoer-nord",
        ("date", 12),
        "half_day",
        "all",
        False,
        "mads.demo",
        None,
    ),
    (
        "need",
        "one_off",
        "practical",
        "Hjælp til at slå græs i sommerferien",
        "Jeg er 82 og kan ikke længere slå græs selv. Vil nogen hjælpe mig to-tre gange i juli?",
        "st-magleby",
        ("period", 40, 70),
        "hours",
        "adults",
        False,
        "birthe.demo",
        None,
    ),
    (
        "need",
        "recurring",
        "social",
        "Besøgsven til min mor",
        "Min mor på 90 bor alene i Dragør by og vil gerne have besøg til en kop kaffe og en snak "
        "en gang om ugen.",
        "dragoer-by",
        ("recurring", "En eftermiddag om ugen"),
        "weekly",
        "seniors",
        False,
        "fatima.demo",
        None,
    ),
    (
        "offer",
        "recurring",
        "social",
        "Besøgsvenner fra Røde Kors",
        "Dansk Røde Kors Dragør formidler besøgsvenner til ensomme. Kontakt os, hvis du vil "
        "være eller have en besøgsven.",
        None,
        ("flexible",),
        "weekly",
        "adults",
        False,
        "birthe.demo",
        "dansk-roede-kors-dragoer",
    ),
    (
        "offer",
        "recurring",
        "learning",
        "Lektiehjælp i matematik",
        "Jeg er gymnasielærer og tilbyder lektiehjælp i matematik for udskolingen, onsdag "
        "eftermiddag på biblioteket.",
        "dragoer-by",
        ("recurring", "Onsdage kl. 15-17"),
        "weekly",
        "youth",
        True,
        "ole.demo",
        None,
    ),
    (
        "need",
        "recurring",
        "learning",
        "Dansktræning for nye borgere",
        "Vi er tre kvinder, der gerne vil øve dansk i hverdagen. Vil du mødes og snakke dansk "
        "over en kop te?",
        "soevang",
        ("recurring", "Fredage formiddag"),
        "weekly",
        "adults",
        False,
        "fatima.demo",
        None,
    ),
    (
        "offer",
        "one_off",
        "practical",
        "IT-hjælp til seniorer",
        "Jeg hjælper gerne med MitID, e-Boks og telefonen. Kom forbi, eller jeg kommer hjem "
        "til dig.",
        "st-magleby",
        ("flexible",),
        "hours",
        "seniors",
        False,
        "henrik.demo",
        None,
    ),
    (
        "need",
        "task",
        "nature",
        "Strandrensning ved Kalvebod Fælled",
        "Vi samler affald langs kysten en søndag formiddag. Handsker og poser er med.",
        "kongelunden",
        ("date", 25),
        "hours",
        "all",
        True,
        "karen.demo",
        "dragoer-naturforening",
    ),
    (
        "offer",
        "task",
        "nature",
        "Hjælp til fuglekasser og bistader",
        "Jeg bygger gerne fuglekasser med en skoleklasse eller en forening.",
        "soevang",
        ("flexible",),
        "half_day",
        "children",
        True,
        "ole.demo",
        None,
    ),
    (
        "need",
        "recurring",
        "sport",
        "Træner til U10 håndbold",
        "Vi mangler en hjælpetræner til vores U10-hold. Børneattest indhentes af klubben.",
        "dragoer-by",
        ("recurring", "Tirsdage kl. 16.30-17.30"),
        "weekly",
        "children",
        True,
        "henrik.demo",
        "dragoer-haandboldklub",
    ),
    (
        "offer",
        "recurring",
        "sport",
        "Cykelmakker til weekendture",
        "Jeg cykler rundt om Amager i weekenderne, 40-60 km. Kom med, hvis du kan holde 25 km/t.",
        None,
        ("recurring", "Lørdage kl. 9"),
        "weekly",
        "adults",
        False,
        "mads.demo",
        None,
    ),
    (
        "need",
        "one_off",
        "culture",
        "Kagebagere til julemarked",
        "Lokalhistorisk Forening søger frivillige bagere til kagebordet på julemarkedet.",
        "dragoer-by",
        ("date", 50),
        "hours",
        "all",
        False,
        "karen.demo",
        "dragoer-lokalhistoriske-forening",
    ),
    (
        "offer",
        "one_off",
        "culture",
        "Harmonikaspiller til fester",
        "Jeg spiller gerne til ældrefester og sommerfester – gratis for foreninger.",
        "st-magleby",
        ("flexible",),
        "hours",
        "all",
        False,
        "ole.demo",
        None,
    ),
    (
        "need",
        "equipment",
        "sport",
        "Låne kajakker til prøvetur",
        "Vi er en gruppe seniorer, der vil prøve kajak. Har en forening kajakker, vi kan låne en "
        "dag med instruktør?",
        "dragoer-by",
        ("period", 14, 28),
        "half_day",
        "seniors",
        False,
        "birthe.demo",
        None,
    ),
    (
        "offer",
        "equipment",
        "children",
        "Børnecykler og hjelme til låns",
        "Vi har otte børnecykler med hjelme, som institutioner og foreninger kan låne.",
        "dragoer-nord",
        ("flexible",),
        "day",
        "children",
        True,
        "sofie.demo",
        None,
    ),
    (
        "need",
        "one_off",
        "practical",
        "Hjælp til indkøb efter operation",
        "Jeg har fået ny hofte og kan ikke bære i fire uger. Er der en, der kan handle ind for "
        "mig en gang om ugen?",
        "soevang",
        ("period", 3, 31),
        "hours",
        "adults",
        False,
        "karen.demo",
        None,
    ),
    (
        "offer",
        "recurring",
        "social",
        "Strikkecafé for alle",
        "Vi strikker og hækler hver torsdag i Medborgerhuset. Nybegyndere er velkomne.",
        "dragoer-by",
        ("recurring", "Torsdage kl. 13-15"),
        "weekly",
        "all",
        False,
        "birthe.demo",
        None,
    ),
    (
        "need",
        "task",
        "social",
        "Værter til fællesspisning",
        "Vi søger frivillige værter, der tager imod og dækker bord til fællesspisning.",
        "st-magleby",
        ("recurring", "Første fredag i måneden"),
        "monthly",
        "adults",
        False,
        "fatima.demo",
        None,
    ),
    (
        "offer",
        "generations",
        "learning",
        "Læsemakker for skolebørn",
        "Jeg læser gerne med et barn, der har brug for træning – på biblioteket eller hjemme "
        "med forældrene til stede.",
        "dragoer-nord",
        ("recurring", "En gang om ugen"),
        "weekly",
        "children",
        True,
        "karen.demo",
        None,
    ),
    (
        "need",
        "recurring",
        "nature",
        "Haveven til fælleshaven",
        "Fælleshaven i Søvang søger folk, der vil luge, vande og høste med os.",
        "soevang",
        ("period", 7, 90),
        "weekly",
        "all",
        True,
        "sofie.demo",
        None,
    ),
    (
        "offer",
        "task",
        "other",
        "Fotograf til foreningsarrangementer",
        "Hobbyfotograf tilbyder at tage billeder til foreningers hjemmesider og arrangementer.",
        None,
        ("flexible",),
        "half_day",
        "all",
        False,
        "henrik.demo",
        None,
    ),
    (
        "need",
        "task",
        "other",
        "Kasserer til lille forening",
        "Vi søger en frivillig kasserer med styr på tal. Ca. to timer om måneden.",
        "dragoer-by",
        ("flexible",),
        "monthly",
        "adults",
        False,
        "ole.demo",
        "dragoer-skakklub",
    ),
]


def _page(stdout):
    return section_page(
        ExchangePage,
        SLUG,
        stdout,
        title="Frivilligbørsen",
        intro="<p>Her mødes behov og tilbud: find en gåmakker, en reservebedstemor, "
        "hjælpere til et arrangement eller udstyr til låns. Kontakten går gennem siden, "
        "så ingen e-mailadresser vises.</p>",
    )


def _areas() -> dict[str, Area]:
    areas = {}
    for order, (name, slug, _neighbours) in enumerate(AREAS):
        areas[name] = Area.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order}
        )[0]
    for name, _slug, neighbours in AREAS:
        areas[name].neighbours.add(*[areas[n] for n in neighbours])
    return {a.slug: a for a in areas.values()}


def _people():
    User = get_user_model()
    people = {}
    for username, first_name in PEOPLE:
        people[username] = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@example.org", "first_name": first_name},
        )[0]
    return people


@transaction.atomic
def seed(stdout) -> None:
    page = _page(stdout)
    areas = _areas()
    people = _people()
    if Post.objects.filter(author__in=people.values()).exists():
        stdout.write("boers: demo posts already there.")
        return
    today = timezone.localdate()
    now = timezone.now()
    associations = {a.slug: a for a in Association.objects.all()}
    for index, row in enumerate(POSTS):
        side, kind, category, title, body, area, when, time, age, children, who, assoc = row
        person = people[who]
        association = associations.get(assoc) if assoc else None
        if association is not None:
            AssociationMembership.objects.get_or_create(
                user=person, association=association, defaults={"role": "member"}
            )
        data = {
            "side": side,
            "kind": kind,
            "theme": themes.resolve(category),
            "title": title,
            "body": body,
            "area": areas.get(area) if area else None,
            "when_kind": when[0],
            "time_needed": time,
            "age_suitability": age,
            "involves_children": children,
            "association": association,
        }
        if when[0] == "recurring":
            data["recurrence"] = when[1]
        elif when[0] == "date":
            data["date_from"] = today + timedelta(days=when[1])
        elif when[0] == "period":
            data["date_from"] = today + timedelta(days=when[1])
            data["date_to"] = today + timedelta(days=when[2])
        post = Post(author=person, created_at=now - timedelta(days=index))
        services._apply(post, data)
        post.status = PostStatus.PUBLISHED
        post.published_at = now - timedelta(days=index, hours=index)
        post.expires_at = post.published_at + timedelta(days=60)
        post.save()
        services.index_terms(post)
    for slug in ("bedstevenner-dragoer", "dansk-roede-kors-dragoer"):
        if slug in associations:
            services.set_association_verified(
                association=associations[slug], by=None, verified=True, note="Demo"
            )
    # A first post from a new person, waiting for the coordinator.
    newcomer = get_user_model().objects.get_or_create(
        username="ny.demo", defaults={"email": "ny.demo@example.org", "first_name": "Jens"}
    )[0]
    pending = Post(author=newcomer)
    services._apply(
        pending,
        {
            "side": "offer",
            "kind": "one_off",
            "theme": themes.resolve("practical"),
            "title": "Gratis hjælp til havearbejde",
            "body": "Jeg har en trailer og hjælper gerne med at køre haveaffald væk.",
            "area": areas.get("kongelunden"),
            "when_kind": "flexible",
        },
    )
    pending.status = PostStatus.PENDING
    pending.expires_at = now + timedelta(days=60)
    pending.save()
    services.index_terms(pending)
    # One conversation on the walking buddy post (messages stored without mailing anyone).
    walk = Post.objects.get(title="Gåmakker tirsdage", author=people["karen.demo"])
    conversation = Conversation.objects.create(post=walk, starter=people["fatima.demo"])
    Message.objects.create(
        conversation=conversation,
        sender=people["fatima.demo"],
        body="Hej Karen! Jeg vil gerne gå med på tirsdag. Hvor mødes vi?",
    )
    Message.objects.create(
        conversation=conversation,
        sender=people["karen.demo"],
        body="Dejligt! Ved lodsens hus på havnen kl. 10.",
    )
    stdout.write(
        f"boers: {len(POSTS)} posts, {len(AREAS)} areas"
        + (f", page {page.url_path}" if page else "")
        + f"; {VerifiedAssociation.objects.count()} verified associations."
    )


# --- History for the follow-up's figures ---------------------------------------------------

HISTORY_USER = "boers.historik.{}"
HISTORY_SEED = 3011
UNUSABLE = "!"  # an unusable password: the history's people never log in
# What people ask for and offer, weighted: (side, kind, subject as in POSTS, title, text)
HISTORY_POSTS = [
    ("offer", "recurring", "sport", "Gåmakker søges og tilbydes", "Jeg går gerne en tur."),
    ("need", "recurring", "social", "Besøgsven til min mor", "Hun vil gerne have en kop kaffe."),
    ("need", "generations", "children", "Reservebedsteforælder", "Vi savner en bedste i byen."),
    ("offer", "generations", "children", "Reservemormor tilbydes", "Jeg læser gerne højt."),
    ("need", "task", "culture", "Hjælpere til byfesten", "Vi mangler hænder til opstilling."),
    ("need", "one_off", "practical", "Hjælp til flytning", "To timer en lørdag formiddag."),
    ("offer", "one_off", "practical", "Trailer og hjælp til havearbejde", "Ring via siden."),
    ("offer", "equipment", "nature", "Udlån af grej til strandrensning", "Tænger og poser."),
    ("need", "equipment", "sport", "Låner gerne en kajak", "Til en tur i havnen."),
    ("need", "task", "learning", "Lektiehjælpere til caféen", "Tirsdag og torsdag."),
    ("offer", "recurring", "learning", "Dansktræning for nye borgere", "En time om ugen."),
    ("need", "task", "nature", "Frivillige til naturpleje", "Vi slår græs på fælleden."),
]
HISTORY_WEIGHTS = [10, 6, 4, 3, 6, 5, 4, 2, 2, 4, 3, 3]
AGES = ["all", "all", "all", "children", "youth", "adults", "seniors", "seniors"]


def _history_users(count: int):
    User = get_user_model()
    names = [HISTORY_USER.format(i) for i in range(count)]
    User.objects.bulk_create(
        [
            User(username=name, email=f"{name}@example.org", first_name="Demo", password=UNUSABLE)
            for name in names
        ]
    )
    return list(User.objects.filter(username__in=names).order_by("pk"))


def _ending(rng, published, now, lifetime):
    """When and how a post ended: (status, closed_at, outcome), or still open."""
    expires = published + timedelta(days=lifetime)
    roll = rng.random()
    if roll < 0.45:
        closed, outcome, status = (
            published + timedelta(days=rng.uniform(2, lifetime - 1)),
            "yes",
            PostStatus.CLOSED,
        )
    elif roll < 0.6:
        closed, outcome, status = (
            published + timedelta(days=rng.uniform(5, lifetime - 1)),
            "no",
            PostStatus.CLOSED,
        )
    else:
        closed, outcome, status = expires, "unanswered", PostStatus.EXPIRED
    if closed > now:
        return PostStatus.PUBLISHED, None, ""
    return status, closed, outcome


def history(*, today, months: int = 24, scale: int = 1) -> int:
    """``months`` of past activity before ``today`` for the follow-up's figures: about three
    posts a month at ``scale`` 1 with their replies, closings and the outcome tally. Posts
    that ended more than ``BOERS_RETENTION_DAYS`` ago are not stored (the retention task
    would have deleted them) but their outcome is in the tally, as in real life. Bulk
    inserts, no mail, no tasks; deterministic; a second call creates nothing."""
    import datetime as dt
    import random

    from django.db.models import F

    from boers import conf
    from boers.models import OutcomeTally, PostTerm, terms_of

    User = get_user_model()
    if User.objects.filter(username=HISTORY_USER.format(0)).exists():
        return 0
    rng = random.Random(HISTORY_SEED)
    tz = timezone.get_current_timezone()
    end_of_today = dt.datetime.combine(today + timedelta(days=1), dt.time.min, tzinfo=tz)
    now = min(timezone.now(), end_of_today)
    lifetime = conf.lifetime_days()
    cutoff = now - timedelta(days=conf.retention_days())
    start = now - timedelta(days=round(months * 30.44))
    created = 0
    with transaction.atomic():
        users = _history_users(max(12, 10 * scale))
        created += len(users)
        areas = list(Area.objects.all()) or [None]
        associations = list(Association.objects.order_by("pk")[:8])
        posts, tally = [], {}
        theme_of = {code: themes.resolve(code) for _s, _k, code, _t, _b in HISTORY_POSTS}
        span = (now - start).total_seconds()
        total = round(3 * scale * span / (30.44 * 86400))
        for _ in range(total):
            side, kind, category, title, body = rng.choices(HISTORY_POSTS, HISTORY_WEIGHTS)[0]
            created_at = start + timedelta(seconds=rng.uniform(0, span))
            published = created_at + timedelta(minutes=rng.uniform(1, 600))
            if published >= now:
                continue
            status, closed, outcome = _ending(rng, published, now, lifetime)
            if closed is not None:
                month = timezone.localtime(closed, tz).date().replace(day=1)
                key = (month, side, kind, outcome)
                tally[key] = tally.get(key, 0) + 1
                if closed < cutoff:
                    continue  # deleted by the retention task long ago; the tally stays
            age = rng.choice(AGES)
            posts.append(
                Post(
                    side=side,
                    kind=kind,
                    theme=theme_of.get(category),
                    title=title,
                    body=body,
                    area=rng.choice(areas),
                    age_suitability=age,
                    involves_children=kind == "generations" or age == "children",
                    author=rng.choice(users),
                    association=rng.choice(associations)
                    if associations and rng.random() < 0.3
                    else None,
                    status=status,
                    created_at=created_at,
                    published_at=published,
                    expires_at=published + timedelta(days=lifetime),
                    closed_at=closed,
                    outcome=outcome,
                )
            )
        Post.objects.bulk_create(posts, batch_size=1000)
        created += len(posts)
        PostTerm.objects.bulk_create(
            [
                PostTerm(post=post, term=term)
                for post in posts
                if post.status == PostStatus.PUBLISHED
                for term in terms_of(post.title, post.body)
            ],
            batch_size=1000,
        )
        conversations, messages = [], []
        for post in posts:
            end = min(post.closed_at or now, post.expires_at, now)
            starters = [u for u in rng.sample(users, k=min(3, len(users))) if u != post.author]
            count = rng.choices([0, 1, 2, 3], [25, 45, 20, 10])[0]
            for starter in starters[:count]:
                at = post.published_at + timedelta(hours=rng.expovariate(1 / 40))
                if at >= end:
                    continue
                thread = [(starter, at)]
                if rng.random() < 0.6:
                    thread.append((post.author, at + timedelta(hours=rng.uniform(1, 30))))
                    if rng.random() < 0.4:
                        thread.append(
                            (starter, thread[-1][1] + timedelta(hours=rng.uniform(1, 30)))
                        )
                thread = [(who, when) for who, when in thread if when < now]
                conversation = Conversation(
                    post=post, starter=starter, created_at=at, last_message_at=thread[-1][1]
                )
                conversations.append(conversation)
                messages.append((conversation, thread))
        Conversation.objects.bulk_create(conversations, batch_size=1000)
        Message.objects.bulk_create(
            [
                Message(
                    conversation=conversation,
                    sender=who,
                    body="Hej! Jeg vil gerne.",
                    created_at=when,
                )
                for conversation, thread in messages
                for who, when in thread
            ],
            batch_size=1000,
        )
        created += len(conversations) + sum(len(thread) for _, thread in messages)
        existing = {
            (t.month, t.side, t.kind, t.outcome): t.pk
            for t in OutcomeTally.objects.filter(month__gte=start.date().replace(day=1))
        }
        new = []
        for key, count in tally.items():
            if key in existing:
                OutcomeTally.objects.filter(pk=existing[key]).update(count=F("count") + count)
            else:
                month, side, kind, outcome = key
                new.append(
                    OutcomeTally(month=month, side=side, kind=kind, outcome=outcome, count=count)
                )
        OutcomeTally.objects.bulk_create(new)
        created += len(new)
    return created
