"""Issue #18, item 3: the public forms of the base (ideas, grants; the feedback form in
tests/opfoelgning/test_races.py) sent 8 times at
once with the same page's hidden key store one row, and every duplicate gets the same result
page. Real concurrent connections (PostgreSQL)."""

import re

import pytest
from django.test import Client

from tests.races import ON_POSTGRES, one_result, same_post

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="needs real concurrent connections (PostgreSQL)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_eight_identical_idea_proposals_store_one(site_tree):
    from frivillig_blocks.models import Idea, IdeaCatalogPage

    from .test_ideas import PROPOSE, proposal

    catalog = IdeaCatalogPage(title="Idékatalog", slug="idekatalog")
    site_tree.hub.add_child(instance=catalog)
    catalog.save_revision().publish()
    key = re.search(
        r'name="submission_key" value="([0-9a-f-]{36})"', Client().get(PROPOSE).content.decode()
    ).group(1)
    one_result(same_post(PROPOSE, proposal(submission_key=key)))
    assert Idea.objects.count() == 1


def test_eight_identical_grant_applications_store_one(site_tree):
    from frivillig_blocks.models import GrantApplication, GrantIndexPage

    from .test_grants import application_data, make_grant, url

    index = GrantIndexPage(title="Puljer", slug="puljer")
    site_tree.hub.add_child(instance=index)
    index.save_revision().publish()
    grant = make_grant(name="Frivilligpuljen", slug="frivilligpuljen")
    key = re.search(
        r'name="submission_key" value="([0-9a-f-]{36})"', Client().get(url(grant)).content.decode()
    ).group(1)
    one_result(same_post(url(grant), application_data(submission_key=key)))
    assert GrantApplication.objects.count() == 1
