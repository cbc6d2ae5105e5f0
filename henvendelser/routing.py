"""Route a new inquiry: apply the routing rules, assign it, and record the decision."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from . import rules
from .models import Inquiry, InquiryMessage, InquiryStatus, RoutingDecision, RoutingRule

REASON_MAX = 500


def rule_data(rule: RoutingRule) -> rules.RuleData:
    return rules.RuleData(
        id=rule.pk,
        name=rule.name,
        priority=rule.priority,
        active=rule.active,
        recipient=rule.recipient,
        keywords=rule.keywords,
        sender_domain=rule.sender_domain,
        topic_id=rule.topic_id,
        is_default=rule.is_default,
    )


def _inquiry_text(inquiry: Inquiry) -> str:
    if inquiry.body_text:
        return inquiry.body_text
    if inquiry.pk:
        first = (
            InquiryMessage.objects.filter(inquiry=inquiry, kind=InquiryMessage.Kind.INCOMING)
            .order_by("created_at", "pk")
            .values_list("body_text", flat=True)
            .first()
        )
        return first or ""
    return ""


def _take_turn(rule: RoutingRule):
    """The next of the rule's active staff users, under a row lock on the rule so two
    inquiries routed at the same time never take the same turn."""
    locked = RoutingRule.objects.select_for_update().get(pk=rule.pk)
    user_ids = list(
        locked.assign_users.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    )
    chosen_id = rules.next_in_turn(user_ids, locked.last_assigned_user_id)
    if chosen_id is None:
        return None
    RoutingRule.objects.filter(pk=locked.pk).update(last_assigned_user_id=chosen_id)
    rule.last_assigned_user_id = chosen_id
    return get_user_model().objects.get(pk=chosen_id)


def route_inquiry(inquiry: Inquiry, *, recipient: str) -> RoutingDecision:
    """Apply the first matching active rule (else the default rule) to ``inquiry``: set its
    assignee, contact person, topic, ``routed_by`` and ``routing_note``, mark it assigned
    when someone was chosen, save it, and record a RoutingDecision."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        active_rules = {
            r.pk: r
            for r in RoutingRule.objects.filter(active=True).select_related(
                "assign_contact_person__user", "topic"
            )
        }
        message = rules.MessageData(
            recipient=recipient or "",
            subject=inquiry.subject or "",
            text=_inquiry_text(inquiry),
            sender=inquiry.sender_email or "",
            topic_id=inquiry.topic_id,
        )
        match = rules.choose_rule([rule_data(r) for r in active_rules.values()], message)
        rule = active_rules.get(match.rule.id) if match.rule else None
        reason = match.reason
        assignee = None
        contact_person = None
        if rule is not None:
            contact_person = rule.assign_contact_person
            assignee = _take_turn(rule)
            person_user = contact_person.user if contact_person is not None else None
            if assignee is None and person_user is not None and person_user.is_active:
                assignee = person_user
            if assignee is not None:
                reason += " " + _("Given to %(user)s.") % {
                    "user": assignee.get_full_name() or assignee.get_username()
                }
            elif contact_person is not None:
                reason += " " + _("Given to %(person)s.") % {"person": contact_person.name}
            else:
                reason += " " + _("The rule names nobody to give it to.")
        reason = reason[:REASON_MAX]

        if rule is not None:
            inquiry.routed_by = rule
            if inquiry.topic_id is None and rule.topic_id:
                inquiry.topic = rule.topic
            if contact_person is not None:
                inquiry.contact_person = contact_person
            if assignee is not None:
                inquiry.assignee = assignee
        inquiry.routing_note = reason
        if (assignee is not None or contact_person is not None) and (
            inquiry.status == InquiryStatus.NEW
        ):
            inquiry.status = InquiryStatus.ASSIGNED
        inquiry.save()
        return RoutingDecision.objects.create(
            inquiry=inquiry,
            rule=rule,
            assignee=assignee,
            contact_person=contact_person,
            reason=reason,
        )
