"""The idea catalogue (/frivillig/idekatalog/): published ideas with filters, one page per
idea and a public form to propose an idea, which editors publish from the admin."""

from .views import idea_list_view, idea_view, propose_view

__all__ = ["idea_list_view", "idea_view", "propose_view"]
