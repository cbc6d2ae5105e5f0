"""allauth adapter: its mails go through our outgoing queue (stored with Message-ID)."""

from allauth.account.adapter import DefaultAccountAdapter

from ..outbound import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        message = self.render_mail(template_prefix, email, context)
        queue_email(message, purpose=f"account:{template_prefix.rsplit('/', 1)[-1]}")
