from .associations import Association, AssociationInvitation, AssociationMembership, MembershipRole
from .mail import InboundMessage, OutboundMessage
from .pages import HomePage, TopicPage, VolunteerHubPage
from .settings import MunicipalitySettings

__all__ = [
    "Association",
    "AssociationInvitation",
    "AssociationMembership",
    "HomePage",
    "InboundMessage",
    "MembershipRole",
    "MunicipalitySettings",
    "OutboundMessage",
    "TopicPage",
    "VolunteerHubPage",
]
