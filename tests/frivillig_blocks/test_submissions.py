"""The one-time submission key of the public forms (frivillig_blocks.submissions)."""

import datetime
import uuid

import pytest
from django import forms
from django.utils import timezone

from frivillig_blocks import submissions
from frivillig_blocks.exceptions import FrivilligError, SubmissionKeyInvalid
from frivillig_blocks.models import Place, Submission
from frivillig_blocks.tasks import prune_operational_records

from ..factories import PlaceFactory

pytestmark = pytest.mark.django_db


def make_place(name="Rådhuset"):
    return PlaceFactory(name=name)


def test_the_same_key_twice_creates_once_and_returns_the_first_result():
    key = uuid.uuid4()
    first, created = submissions.once(key=key, purpose="test", create=make_place)
    again, created_again = submissions.once(key=str(key), purpose="test", create=make_place)
    assert created and not created_again
    assert again == first
    assert Place.objects.count() == 1


def test_a_refused_submission_keeps_nothing_and_frees_the_key():
    key = uuid.uuid4()

    def refuse():
        make_place()
        raise FrivilligError("Nej")

    with pytest.raises(FrivilligError):
        submissions.once(key=key, purpose="test", create=refuse)
    assert not Place.objects.exists() and not Submission.objects.exists()
    place, created = submissions.once(key=key, purpose="test", create=make_place)
    assert created and place.pk


def test_a_key_of_another_form_or_a_broken_key_is_refused():
    key = uuid.uuid4()
    submissions.once(key=key, purpose="one form", create=make_place)
    with pytest.raises(SubmissionKeyInvalid):
        submissions.once(key=key, purpose="another form", create=make_place)
    for broken in ["", "abc", "x" * 1000, None, "²" * 32]:
        with pytest.raises(SubmissionKeyInvalid) as refused:
            submissions.once(key=broken, purpose="one form", create=make_place)
        assert refused.value.status == 400
    assert Place.objects.count() == 1


def test_a_derived_key_is_the_same_for_the_same_parts_only():
    key = uuid.uuid4()
    assert submissions.derived_key(key, "1.2.3.4", "ja") == submissions.derived_key(
        str(key), "1.2.3.4", "ja"
    )
    assert submissions.derived_key(key, "1.2.3.4", "ja") != submissions.derived_key(
        key, "1.2.3.5", "ja"
    )


class NameForm(submissions.SubmissionKeyForm):
    name = forms.CharField()


def test_the_form_refuses_a_missing_key_in_danish_and_gives_a_fresh_one():
    shown = NameForm()
    assert uuid.UUID(str(shown["submission_key"].value()))
    assert 'type="hidden" name="submission_key"' in str(shown["submission_key"])
    form = NameForm({"name": "Karen"})
    assert not form.is_valid()
    assert list(form.non_field_errors()) == [
        "Formularen var ufuldstændig. Tjek den, og send den igen."
    ]
    assert uuid.UUID(form.data["submission_key"])
    ok = NameForm({"name": "Karen", "submission_key": str(uuid.uuid4())})
    assert ok.is_valid()


def test_keys_older_than_a_week_are_pruned_at_night():
    old, new = uuid.uuid4(), uuid.uuid4()
    submissions.once(key=old, purpose="test", create=make_place)
    submissions.once(key=new, purpose="test", create=make_place)
    Submission.objects.filter(key=old).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    prune_operational_records.call()
    assert list(Submission.objects.values_list("key", flat=True)) == [new]
