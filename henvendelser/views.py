"""The public view of the inbox: the contact form's POST (the form itself is shown on the
contact page through the one door's CONTACT_FORM hook, see ``contact.py``)."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frivillig_blocks.errors import show_on_form
from frivillig_blocks.exceptions import FrivilligError
from frivillig_blocks.forms import show_in_error_summary

from . import contact
from .exceptions import TooManyContactMessages
from .forms import ContactForm

#: allauth's rate limiter; configure it with ACCOUNT_RATE_LIMITS["henvendelser_contact"]
#: (e.g. "10/h/ip"). Without that setting the form is not limited.
RATE_LIMIT_ACTION = "henvendelser_contact"


@require_POST
def contact_view(request):
    page = contact.contact_page_for(request.POST.get("page"))
    if page is None:
        raise Http404(_("There is no contact page."))
    form = ContactForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            # The same form sent again (a double click, a retry) is the message already
            # received: it answers the same and uses no second allowance.
            submitted = contact.already_submitted(form.cleaned_data["submission_key"])
            if submitted is None:
                if not ratelimit.consume(request, action=RATE_LIMIT_ACTION):
                    raise TooManyContactMessages
                submitted = contact.submit_contact_form(data=form.cleaned_data)
        except FrivilligError as exc:
            status = show_on_form(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Thank you for your message. We have received it and answer you by e-mail. "
                    "Your reference is %(reference)s."
                )
                % {"reference": submitted.reference},
            )
            return HttpResponseRedirect(page.get_url(request))
    form.prepare_for_redisplay(page_id=page.pk)
    setattr(request, contact.REQUEST_ATTRIBUTE, form)
    show_in_error_summary(request, form)
    response = page.render(request)
    response.status_code = status
    return response
