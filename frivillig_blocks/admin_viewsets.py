"""The admin's base classes: every app's viewsets derive from these, not from Wagtail's
directly, so that Wagtail's list exports (``list_export``: the buttons "Download CSV" and
"Download XLSX") go through the safe writer of ``frivillig_blocks.spreadsheets``: the Danish
dialect, numbers the Danish way, and no cell a spreadsheet would run as a formula.

    from frivillig_blocks.admin_viewsets import ModelViewSet, SnippetViewSet

A viewset with its own index view derives that view from :class:`IndexView` (or
:class:`SnippetIndexView`). ``tests/frivillig_blocks/test_csv.py`` walks every registered
viewset and fails on one whose export bypasses this."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.views import generic
from wagtail.admin.views.mixins import Echo
from wagtail.admin.viewsets.model import ModelViewSet as WagtailModelViewSet
from wagtail.snippets.views import snippets

from . import spreadsheets


class SafeSpreadsheetExportMixin:
    """Put before a view derived from Wagtail's ``SpreadsheetExportMixin``."""

    def preprocess_field_value(self, field, value, export_format):
        if not (isinstance(value, dt.datetime) and field not in self.custom_field_preprocess):
            # Wagtail's own steps (lists joined, objects as text); a time we leave to the
            # writer, which shows it in local time where Wagtail would give UTC.
            value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return spreadsheets.csv_cell(value)
        return spreadsheets.xlsx_cell(value)

    def get_heading(self, queryset, field):
        return spreadsheets.safe_text(super().get_heading(queryset, field))

    def stream_csv(self, queryset):
        # Wagtail's own, in the Danish dialect and with a byte order mark.
        writer = csv.DictWriter(
            Echo(), fieldnames=self.list_export, dialect=spreadsheets.DanishExcel
        )
        yield spreadsheets.BOM.encode("utf-8") + writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type=spreadsheets.CSV_CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response


class IndexView(SafeSpreadsheetExportMixin, generic.IndexView):
    pass


class SnippetIndexView(SafeSpreadsheetExportMixin, snippets.IndexView):
    pass


class RefusedDeleteMixin:
    """A record other records still need (a protected foreign key: a resource with loans, an
    association with events) is not deleted: the editor gets a Danish message instead of a
    500, and nothing changes (Wagtail's delete and its log entry run in one transaction)."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (ProtectedError, RestrictedError) as error:
            used_by = sorted({obj._meta.verbose_name_plural for obj in error.protected_objects})
            messages.error(
                self.request,
                _("%(object)s cannot be deleted: %(used_by)s still point to it.")
                % {"object": self.object, "used_by": ", ".join(str(u) for u in used_by)},
            )
            return HttpResponseRedirect(self.get_success_url())


class DeleteView(RefusedDeleteMixin, generic.DeleteView):
    pass


class SnippetDeleteView(RefusedDeleteMixin, snippets.DeleteView):
    pass


class OrmSearchWithFiltersMixin:
    """A listing with filters and search fields of its own searches with the ORM (``icontains``
    over those fields). Wagtail's database search refuses to filter on a field the model's
    ``search_fields`` does not declare as a ``FilterField``: a search combined with a filter
    was a FilterFieldError, a 500 for the staff member (tests/site/test_admin_listings.py
    tries every filtered listing). So does a listing whose own search fields the model's index
    does not declare as search fields (the backend refuses those). A viewset may still set
    ``search_backend_name`` itself."""

    def _has_filters(self) -> bool:
        return any(
            value not in (None, self.UNDEFINED) and bool(value)
            for value in (getattr(self, name, None) for name in ("list_filter", "filterset_class"))
        )

    @cached_property
    def search_fields(self):
        """A filtered listing without search fields of its own searches the model's own text
        columns among its ``search_fields`` (the ORM cannot search related ones this way)."""
        fields = super().search_fields
        if fields not in (None, self.UNDEFINED) or not self._has_filters():
            return fields
        from django.core.exceptions import FieldDoesNotExist
        from wagtail.search import index

        if not index.class_is_indexed(self.model):
            return fields
        columns = []
        for field in self.model.get_searchable_search_fields():
            try:
                column = self.model._meta.get_field(field.field_name)
            except FieldDoesNotExist:
                continue
            if column.concrete and not column.is_relation and field.field_name not in columns:
                columns.append(field.field_name)
        return columns or fields

    def _index_declares(self, fields) -> bool:
        """Whether the model's search index declares every one of ``fields`` as a search
        field (Wagtail's backend refuses any other: "Cannot search with field …")."""
        from wagtail.search import index

        if not index.class_is_indexed(self.model):
            return False
        declared = {field.field_name for field in self.model.get_searchable_search_fields()}
        return all(name in declared for name in fields)

    @cached_property
    def search_backend_name(self):
        fields = self.search_fields
        if fields not in (None, self.UNDEFINED) and (
            self._has_filters() or not self._index_declares(fields)
        ):
            return None
        return super().search_backend_name


class ModelViewSet(OrmSearchWithFiltersMixin, WagtailModelViewSet):
    index_view_class = IndexView
    delete_view_class = DeleteView


class SnippetViewSet(OrmSearchWithFiltersMixin, snippets.SnippetViewSet):
    index_view_class = SnippetIndexView
    delete_view_class = SnippetDeleteView
