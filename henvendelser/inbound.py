"""The handler the shared inbound dispatch calls for mail to the volunteer address."""

from anymail.inbound import AnymailInboundMessage

from frivillig_blocks.models import InboundMessage

from .models import Inquiry


def handle_message(inbound: InboundMessage, message: AnymailInboundMessage) -> Inquiry:
    sender = message.from_email
    return Inquiry.objects.create(
        sender_email=(sender.addr_spec if sender else "")[:254],
        sender_name=(sender.display_name if sender else "")[:200],
        subject=inbound.subject,
        body_text=message.text or "",
        inbound_message=inbound,
    )
