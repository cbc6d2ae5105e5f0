"""Domain errors to responses (issue #19): one status on the base error, one ``RateLimited``
that every app's rate-limit error descends from, and one place that shows them."""

from __future__ import annotations

import importlib

import pytest
from django import forms
from django.test import RequestFactory
from django.utils import translation

from frivillig_blocks import errors, exceptions
from frivillig_blocks.exceptions import FrivilligError, RateLimited

#: Every app's rate-limit error (module, class): all must answer 429 through the base.
APP_RATE_LIMITS = [
    ("booking.exceptions", "RateLimited"),
    ("kalender.exceptions", "RateLimited"),
    ("boers.exceptions", "TooManyMessages"),
    ("boers.exceptions", "TooManyPosts"),
    ("boers.exceptions", "TooManyReports"),
    ("kurser.exceptions", "TooManyRequests"),
    ("initiativpris.exceptions", "RateLimited"),
    ("henvendelser.exceptions", "TooManyContactMessages"),
    ("frivillig_blocks.ideas.exceptions", "TooManyProposals"),
    ("opfoelgning.exceptions", "RateLimited"),
]


class _Form(forms.Form):
    name = forms.CharField()


def test_the_base_error_answers_400_and_rate_limited_429():
    assert errors.status_of(FrivilligError()) == 400
    assert errors.status_of(exceptions.SubmissionKeyInvalid()) == 400
    assert errors.status_of(RateLimited()) == 429
    # Anything that is not a domain error (or carries a nonsense status) is a plain 400.
    assert errors.status_of(ValueError("x")) == 400
    odd = FrivilligError()
    odd.status = 200
    assert errors.status_of(odd) == 400


@pytest.mark.parametrize(("module", "name"), APP_RATE_LIMITS)
def test_every_apps_rate_limit_error_is_the_bases_rate_limited(module, name):
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, RuntimeError):  # an app-alone run without this app
        pytest.skip(f"{module} is not installed")
    error = cls()
    assert isinstance(error, RateLimited)
    assert errors.status_of(error) == 429
    # The app's own message stays, in Danish.
    with translation.override("da"):
        assert str(error.message) != str(RateLimited.message)
        assert str(error.message)


def test_show_on_form_puts_the_danish_message_on_the_form_and_returns_the_status():
    form = _Form({"name": "Anna"})
    assert form.is_valid()
    with translation.override("da"):
        status = errors.show_on_form(form, RateLimited())
        assert status == 429
        assert form.non_field_errors() == [str(RateLimited.message)]

    form = _Form({"name": "Anna"})
    form.is_valid()
    assert errors.show_on_form(form, FrivilligError("Noget gik galt her.")) == 400
    assert form.non_field_errors() == ["Noget gik galt her."]


def test_error_response_renders_the_message_with_the_errors_status(tmp_path, settings):
    (tmp_path / "fejl.html").write_text("<p>{{ error }}</p><p>{{ extra }}</p>")
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [str(tmp_path)],
        }
    ]
    request = RequestFactory().get("/")
    response = errors.error_response(
        request, FrivilligError("Prøv igen senere."), "fejl.html", {"extra": "mere"}
    )
    response.render()
    assert response.status_code == 400
    assert response.content.decode() == "<p>Prøv igen senere.</p><p>mere</p>"

    response = errors.error_response(request, RateLimited(), "fejl.html").render()
    assert response.status_code == 429
