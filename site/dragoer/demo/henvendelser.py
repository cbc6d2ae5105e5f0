"""Demo content of the inbox: routing rules pointing at the demo contact persons (with staff
accounts for them) and a dozen inquiries in every state. Idempotent: run by
``manage.py seed_demo`` as often as you like; ``history()`` makes the follow-up's past.
"""

from __future__ import annotations

import datetime
import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from frivillig_blocks import roles
from frivillig_blocks.models import ContactPerson, Topic
from henvendelser.models import Inquiry, InquiryMessage, InquiryStatus, RoutingRule
from henvendelser.routing import route_inquiry

CONTACT_PERSONS_GROUP = "Kontaktpersoner"
DEMO_MESSAGE_DOMAIN = "demo.dragoer.invalid"

# e-mail of the contact person -> (username, first name, last name)
STAFF = {
    "mette.holm@dragoer.dk": ("mette", "Mette", "Holm"),
    "jonas.friis@dragoer.dk": ("jonas", "Jonas", "Friis"),
    "aisha.nielsen@dragoer.dk": ("aisha", "Aisha", "Nielsen"),
    "lars.bech@dragoer.dk": ("lars", "Lars", "Bech"),
    "hanne.sorensen@dragoer.dk": ("hanne", "Hanne", "Sørensen"),
    "peter.kjaer@dragoer.dk": ("peter", "Peter", "Kjær"),
}


def _domain() -> str:
    return settings.FRIVILLIG_EMAIL.rpartition("@")[2] or "dragoer.dk"


def _rules() -> list[dict]:
    """name, priority, criteria, contact person's e-mail, staff usernames (round robin)."""
    return [
        {
            "name": "Puljeadressen",
            "priority": 5,
            "recipient": f"frivillig+puljer@{_domain()}",
            "person": "aisha.nielsen@dragoer.dk",
        },
        {
            "name": "Puljer og § 18",
            "priority": 10,
            "keywords": "pulje, puljer, § 18, tilskud, ansøgning",
            "person": "aisha.nielsen@dragoer.dk",
        },
        {
            "name": "Lån af lokaler og udstyr",
            "priority": 20,
            "topic": "Lån af lokaler og udstyr",
            "person": "jonas.friis@dragoer.dk",
        },
        {
            "name": "Kurser",
            "priority": 30,
            "keywords": "kursus, kurser, førstehjælp",
            "person": "lars.bech@dragoer.dk",
        },
        {
            "name": "Dragør Boldklub",
            "priority": 40,
            "sender_domain": "dragoer-boldklub.dk",
            "person": "jonas.friis@dragoer.dk",
        },
        {
            "name": "Standard: frivilligkoordinatoren",
            "priority": 1000,
            "is_default": True,
            "person": "mette.holm@dragoer.dk",
            "users": ["mette", "koordinator"],
        },
    ]


# key, sender, name, subject, text, recipient (None: the one address), topic, state
INQUIRIES = [
    (
        "lokale-strik",
        "karen.jensen@example.org",
        "Karen Jensen",
        "Lokale til strikkeklub",
        "Hej. Vi er en lille strikkeklub på 8 personer. Kan vi låne et lokale på biblioteket "
        "hver anden tirsdag aften?",
        None,
        "Lån af lokaler og udstyr",
        "assigned",
    ),
    (
        "pulje-18",
        "formand@dragoer-soespejdere.dk",
        "Søren Vang",
        "Spørgsmål om § 18-puljen",
        "Kan vi søge § 18-midler til en weekendtur for ensomme ældre sammen med spejderne?",
        None,
        None,
        "waiting",
    ),
    (
        "pulje-adresse",
        "kasserer@aeldresagen-dragoer.dk",
        "Birthe Lund",
        "Regnskab for sidste års tilskud",
        "Vedhæftet finder I vores regnskab. Sig endelig til, hvis I mangler noget.",
        "puljer",
        None,
        "closed",
    ),
    (
        "boldklub",
        "kontakt@dragoer-boldklub.dk",
        "Dragør Boldklub",
        "Baner til sommerstævne",
        "Vi holder sommerstævne i juni og mangler to ekstra baner og et telt.",
        None,
        None,
        "assigned",
    ),
    (
        "kursus",
        "ali.hassan@example.org",
        "Ali Hassan",
        "Førstehjælpskursus for trænere",
        "Hvornår er der næste førstehjælpskursus? Vi er fire trænere, der gerne vil med.",
        None,
        "Kurser",
        "assigned",
    ),
    (
        "ny-frivillig",
        "lone.p@example.org",
        "Lone Petersen",
        "Jeg vil gerne være frivillig",
        "Jeg er lige gået på pension og vil gerne hjælpe til et sted. Hvor skal jeg starte?",
        None,
        None,
        "new",
    ),
    (
        "ny-forening",
        "mikkel@example.org",
        "Mikkel Dahl",
        "Stifte en forening",
        "Vi er nogle naboer, der vil stifte en forening for kajakroere. Hvad skal vi gøre?",
        None,
        "Foreninger og opstart",
        "new",
    ),
    (
        "initiativpris",
        "nina.k@example.org",
        "Nina Krogh",
        "Indstilling til initiativprisen",
        "Jeg vil gerne indstille vores nabo, der har drevet lektiecafé i ti år.",
        None,
        None,
        "waiting",
    ),
    (
        "boers",
        "jens@example.org",
        "Jens Møller",
        "Opslag på frivilligbørsen",
        "Mit opslag om hjælp til havearbejde er ikke kommet på børsen endnu.",
        None,
        "Frivilligbørsen",
        "closed",
    ),
    (
        "kalender",
        "sekretaer@dragoer-kunstforening.dk",
        "Kunstforeningen",
        "Udstilling i kalenderen",
        "Hvordan får vi vores udstilling i august med i den fælles kalender?",
        None,
        "Kalender og arrangementer",
        "assigned",
    ),
    (
        "udstyr",
        "per.olsen@example.org",
        "Per Olsen",
        "Lån af højttaleranlæg",
        "Kan vi låne kommunens højttaleranlæg til loppemarkedet på Strandlinien?",
        None,
        None,
        "closed",
    ),
    (
        "spam",
        "winner@lottery-prize.invalid",
        "Lottery Department",
        "You have WON 1.000.000 EUR",
        "Dear friend, send your bank details to claim your prize today!!!",
        None,
        None,
        "spam",
    ),
]

REPLIES = {
    "pulje-18": "Hej Søren. Ja, det kan I godt. Send os et kort budget, så vender vi tilbage.",
    "pulje-adresse": "Tak, Birthe. Regnskabet er modtaget og godkendt.",
    "initiativpris": "Tak, Nina. Kan du fortælle lidt mere om, hvad hun har gjort?",
    "boers": "Hej Jens. Opslaget er nu godkendt og vises på børsen.",
    "udstyr": "Hej Per. Anlægget er reserveret til dig; hent det på rådhuset fredag.",
}


def _message_id(key: str) -> str:
    return f"<demo-{key}@{DEMO_MESSAGE_DOMAIN}>"


def _contact_persons_group() -> Group:
    group, _created = Group.objects.get_or_create(name=CONTACT_PERSONS_GROUP)
    access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access is not None:
        group.permissions.add(access)
    return group


def seed_staff(stdout=None) -> dict[str, object]:
    """A staff account for each demo contact person (linked as its ``user``)."""
    User = get_user_model()
    password = os.environ.get("DEMO_ADMIN_PASSWORD", "dragoer-demo")
    group = _contact_persons_group()
    users = {}
    persons = ContactPerson.objects.filter(email__in=STAFF).select_related("user")
    for person in persons:
        username, first, last = STAFF[person.email]
        user = person.user
        if user is None:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, email=person.email, first_name=first, last_name=last)
                user.set_password(password)
                user.save()
            person.user = user
            person.save(update_fields=["user"])
        user.groups.add(group)
        if person.email == "mette.holm@dragoer.dk":
            koordinator = Group.objects.filter(name=roles.FRIVILLIGKOORDINATOR).first()
            if koordinator is not None:
                user.groups.add(koordinator)
        users[user.username] = user
    coordinator = User.objects.filter(username="koordinator").first()
    if coordinator is not None:
        users["koordinator"] = coordinator
    return users


def seed_rules(users: dict[str, object]) -> list[RoutingRule]:
    persons = {p.email: p for p in ContactPerson.objects.filter(email__in=STAFF)}
    made = []
    for spec in _rules():
        topic = None
        if spec.get("topic"):
            topic = Topic.objects.filter(name=spec["topic"]).first()
        rule, created = RoutingRule.objects.get_or_create(
            name=spec["name"],
            defaults={
                "priority": spec["priority"],
                "recipient": spec.get("recipient", ""),
                "keywords": spec.get("keywords", ""),
                "sender_domain": spec.get("sender_domain", ""),
                "topic": topic,
                "is_default": spec.get("is_default", False),
                "assign_contact_person": persons.get(spec["person"]),
            },
        )
        if created and spec.get("users"):
            rule.assign_users.set([users[u] for u in spec["users"] if u in users])
        made.append(rule)
    return made


def seed_inquiries() -> int:
    """The demo inquiries; each is made once (found again by its first message's id)."""
    existing = set(
        InquiryMessage.objects.filter(message_id__endswith=f"@{DEMO_MESSAGE_DOMAIN}>").values_list(
            "message_id", flat=True
        )
    )
    topics = {t.name: t for t in Topic.objects.all()}
    now = timezone.now()
    made = 0
    for age, (key, sender, name, subject, text, plus, topic, state) in enumerate(
        reversed(INQUIRIES)
    ):
        if _message_id(key) in existing:
            continue
        received = now - datetime.timedelta(hours=6 * (age + 1))
        inquiry = Inquiry.objects.create(
            sender_email=sender,
            sender_name=name,
            subject=subject,
            body_text=text,
            topic=topics.get(topic) if topic else None,
            is_spam=state == "spam",
            last_message_at=received,
        )
        InquiryMessage.objects.create(
            inquiry=inquiry,
            kind=InquiryMessage.Kind.INCOMING,
            message_id=_message_id(key),
            sender=f"{name} <{sender}>",
            body_text=text,
        )
        if state not in ("spam", "new"):  # "new": arrived, not yet handled by anyone
            local, _at, domain = settings.FRIVILLIG_EMAIL.partition("@")
            recipient = f"{local}+{plus}@{domain}" if plus else settings.FRIVILLIG_EMAIL
            route_inquiry(inquiry, recipient=recipient)
            inquiry.refresh_from_db()
        if state in ("waiting", "closed"):
            reply = REPLIES.get(key, "Tak for din henvendelse. Vi vender tilbage.")
            InquiryMessage.objects.create(
                inquiry=inquiry,
                kind=InquiryMessage.Kind.REPLY,
                author=inquiry.assignee,
                sender=settings.FRIVILLIG_EMAIL,
                body_text=reply,
            )
            inquiry.first_answered_at = received + datetime.timedelta(hours=2)
            inquiry.status = InquiryStatus.WAITING if state == "waiting" else InquiryStatus.CLOSED
            if state == "closed":
                inquiry.closed_at = received + datetime.timedelta(hours=3)
        # received_at is set on creation (auto_now_add): back-date it for a realistic list.
        inquiry.save()
        Inquiry.objects.filter(pk=inquiry.pk).update(received_at=received)
        made += 1
    return made


@transaction.atomic
def seed(stdout) -> None:
    users = seed_staff(stdout)
    rules = seed_rules(users)
    made = seed_inquiries()
    stdout.write(
        f"Inbox: {len(rules)} routing rules, {made} new demo inquiries "
        f"(contact persons log in as {', '.join(sorted(u for u in users if u != 'koordinator'))})."
    )


# --- History for the follow-up's figures ---------------------------------------------------

HISTORY_PREFIX = "HIST-"
HISTORY_SEED = 1160
HISTORY_PER_MONTH = 9  # at scale 1: about a hundred inquiries a year
HISTORY_SENDERS = 60
HISTORY_SUBJECTS = {
    "Lån af lokaler og udstyr": "Kan vi låne et lokale?",
    "Puljer og tilskud": "Spørgsmål om ansøgning til puljen",
    "Kalender og arrangementer": "Vores arrangement i kalenderen",
    "Frivilligbørsen": "Mit opslag på børsen",
    "Kurser": "Tilmelding til kursus",
    "Foreninger og opstart": "Vi vil stifte en forening",
    "Initiativprisen": "Indstilling til initiativprisen",
    "Frivilligt socialt arbejde": "§ 18-midler til vores besøgstjeneste",
}


def history(*, today: datetime.date, months: int = 24, scale: int = 1) -> int:
    """Past inquiries for the figures: ``months`` months up to ``today``, about
    ``HISTORY_PER_MONTH × scale`` a month from ``HISTORY_SENDERS × scale`` addresses, with the
    citizen's message and staff's reply. Bulk inserts, no mail, no routing, no log entries.
    Idempotent: nothing if history is there."""
    import itertools
    import random
    from zoneinfo import ZoneInfo

    from django.db.models import F, OuterRef, Subquery

    from .frivillig_blocks import seed_taxonomy

    if Inquiry.objects.filter(reference__startswith=HISTORY_PREFIX).exists():
        return 0
    cph = ZoneInfo("Europe/Copenhagen")
    with transaction.atomic():
        topics = list(Topic.objects.order_by("pk"))
        if not topics:
            seed_taxonomy()
            topics = list(Topic.objects.order_by("pk"))
        staff = list(
            get_user_model()
            .objects.filter(groups__name__in=[CONTACT_PERSONS_GROUP, roles.FRIVILLIGKOORDINATOR])
            .distinct()
            .order_by("pk")[:10]
        ) or [None]
        rng = random.Random(HISTORY_SEED)
        senders = [
            (f"borger{i:05d}@example.invalid", f"Borger {i}")
            for i in range(1, HISTORY_SENDERS * scale + 1)
        ]
        sender_weights = list(itertools.accumulate(1 / (i + 1) ** 0.6 for i in range(len(senders))))
        # Everything happened before ``today`` begins: the same rows whenever it runs.
        now = datetime.datetime.combine(today, datetime.time.min, tzinfo=cph)
        first_day = today - datetime.timedelta(days=round(months * 30.44))
        span_days = (today - first_day).days
        total = HISTORY_PER_MONTH * months * scale
        inquiries, messages = [], []
        for n in range(1, total + 1):
            day = first_day + datetime.timedelta(days=rng.randrange(span_days))
            received = datetime.datetime.combine(
                day, datetime.time(rng.randrange(24), rng.randrange(60)), tzinfo=cph
            )
            email, name = rng.choices(senders, cum_weights=sender_weights)[0]
            topic = rng.choice(topics) if rng.random() < 0.8 else None
            subject = HISTORY_SUBJECTS.get(topic.name if topic else "", "Et spørgsmål")
            text = f"Hej. {subject} Venlig hilsen {name}"
            assignee = rng.choice(staff)
            roll = rng.random()
            # Staff answer in a working day or so; some wait longer than the promise.
            answered = received + datetime.timedelta(hours=rng.lognormvariate(2.9, 1.0))
            spam = roll < 0.03
            status, first_answered_at, closed_at = InquiryStatus.CLOSED, None, None
            if spam:
                status = InquiryStatus.NEW
            elif answered >= now:
                status = InquiryStatus.ASSIGNED
            elif roll < 0.08:  # a thank-you or a phone call: closed without a reply
                closed_at = min(answered, now)
            else:
                first_answered_at = answered
                if rng.random() < 0.85:
                    closed_at = min(answered + datetime.timedelta(hours=rng.randrange(1, 72)), now)
                else:
                    status = InquiryStatus.WAITING
            reference = f"{HISTORY_PREFIX}{n:07d}"
            inquiries.append(
                Inquiry(
                    reference=reference,
                    sender_email=email,
                    sender_name=name,
                    subject=subject,
                    body_text=text,
                    topic=topic,
                    status=status,
                    is_spam=spam,
                    assignee=None if spam else assignee,
                    last_message_at=first_answered_at or received,
                    first_answered_at=first_answered_at,
                    closed_at=closed_at,
                    # Carries the arrival past ``auto_now_add`` (moved below).
                    anonymised_at=received,
                )
            )
            messages.append(
                (reference, InquiryMessage.Kind.INCOMING, None, f"{name} <{email}>", text)
            )
            if first_answered_at:
                messages.append(
                    (
                        reference,
                        InquiryMessage.Kind.REPLY,
                        assignee,
                        settings.FRIVILLIG_EMAIL,
                        "Tak for din henvendelse. Her er svaret på dit spørgsmål.",
                    )
                )
        Inquiry.objects.bulk_create(inquiries, batch_size=500)
        ours = Inquiry.objects.filter(reference__startswith=HISTORY_PREFIX)
        # received_at is auto_now_add: one UPDATE moves the carried arrival times into it.
        ours.update(received_at=F("anonymised_at"), anonymised_at=None)
        pks = dict(ours.values_list("reference", "pk"))
        InquiryMessage.objects.bulk_create(
            (
                InquiryMessage(
                    inquiry_id=pks[ref], kind=kind, author=author, sender=sender, body_text=body
                )
                for ref, kind, author, sender, body in messages
            ),
            batch_size=500,
        )
        # A message's created_at is auto_now_add too: the citizen's when the inquiry arrived,
        # staff's reply when it was first answered.
        mine = InquiryMessage.objects.filter(inquiry__reference__startswith=HISTORY_PREFIX)
        for kind, field in (
            (InquiryMessage.Kind.INCOMING, "received_at"),
            (InquiryMessage.Kind.REPLY, "first_answered_at"),
        ):
            mine.filter(kind=kind).update(
                created_at=Subquery(
                    Inquiry.objects.filter(pk=OuterRef("inquiry_id")).values(field)[:1]
                )
            )
    return total
