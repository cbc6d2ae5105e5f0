"""Grants (puljer): the open grants, an application form per grant and its receipt.

``GrantIndexPage`` routes to the views exported here; ``services.submit_application`` is
the use case."""

from .views import grant_list_view, grant_view, receipt_view

__all__ = ["grant_list_view", "grant_view", "receipt_view"]
