from .associations import Association, AssociationInvitation, AssociationMembership, MembershipRole
from .mail import InboundMessage, OutboundMessage
from .pages import (
    AssociationIndexPage,
    ContactPage,
    GrantIndexPage,
    HomePage,
    IdeaCatalogPage,
    TopicPage,
    VolunteerHubPage,
)
from .scheduling import PeriodicRun
from .search import SearchEntry, SearchWord
from .settings import MainMenuSettings, MunicipalitySettings
from .snippets import ContactPerson, Grant, GrantApplication, Idea, Initiative, Place
from .submissions import Submission
from .taxonomy import AgeGroup, Theme, Topic

__all__ = [
    "AgeGroup",
    "Association",
    "AssociationIndexPage",
    "AssociationInvitation",
    "AssociationMembership",
    "ContactPage",
    "ContactPerson",
    "Grant",
    "GrantApplication",
    "GrantIndexPage",
    "HomePage",
    "Idea",
    "IdeaCatalogPage",
    "InboundMessage",
    "Initiative",
    "MainMenuSettings",
    "MembershipRole",
    "MunicipalitySettings",
    "OutboundMessage",
    "PeriodicRun",
    "Place",
    "SearchEntry",
    "SearchWord",
    "Submission",
    "Theme",
    "Topic",
    "TopicPage",
    "VolunteerHubPage",
]
