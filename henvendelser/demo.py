"""Demo content of the inbox: routing rules pointing at the demo contact persons (with staff
accounts for them) and a dozen inquiries in every state. Idempotent: registered on the
one door's ``frivillig_seed_demo`` hook, run by ``manage.py seed_demo`` as often as you like.
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

from .models import Inquiry, InquiryMessage, InquiryStatus, RoutingRule
from .routing import route_inquiry

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
