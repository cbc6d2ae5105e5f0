"""Admin: courses, sessions (with their meetings and a link to the participants), competence
areas and the answers of the needs form, in one "Courses" menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup

from frivillig_blocks.admin_viewsets import ModelViewSet

from .models import CompetenceArea, CompetenceNeed, Course, Session


class ParticipantsColumn(Column):
    cell_template_name = "kurser/admin/participants_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["instance"] = instance
        return context


class CourseViewSet(ModelViewSet):
    model = Course
    icon = "doc-full"
    menu_label = _("Courses")
    url_prefix = "kurser/kurser"
    name = "kurser_course"
    list_display = ["title", "competence_area", "audience", "published"]
    list_filter = ["competence_area", "audience", "published"]
    search_fields = ["title", "summary"]

    def get_index_view_kwargs(self, **kwargs):
        # One query for the list, not one per row for its competence area (#22).
        return super().get_index_view_kwargs(
            queryset=Course.objects.select_related("competence_area"), **kwargs
        )


class SessionViewSet(ModelViewSet):
    model = Session
    icon = "date"
    menu_label = _("Sessions")
    url_prefix = "kurser/hold"
    name = "kurser_session"
    list_display = [
        "__str__",
        "starts_at",
        "capacity",
        "registration_deadline",
        ParticipantsColumn("participants", label=_("Participants")),
    ]
    list_filter = ["course"]
    ordering = ["-starts_at"]


class CompetenceAreaViewSet(ModelViewSet):
    model = CompetenceArea
    icon = "tag"
    menu_label = _("Competence areas")
    url_prefix = "kurser/omraader"
    name = "kurser_competencearea"
    list_display = ["name", "sort_order"]


class CompetenceNeedViewSet(ModelViewSet):
    model = CompetenceNeed
    icon = "help"
    menu_label = _("Answers about needs")
    url_prefix = "kurser/behov-svar"
    name = "kurser_competenceneed"
    list_display = [
        "__str__",
        "competence_area",
        "audience",
        "age_group",
        "association_name",
        "created_at",
    ]
    list_filter = ["competence_area", "audience", "age_group"]
    list_export = [
        "competence_area",
        "description",
        "audience",
        "age_group",
        "association_name",
        "created_at",
    ]
    export_filename = "kompetencebehov"
    form_fields = ["competence_area", "description", "audience", "age_group", "association_name"]


class CoursesGroup(ViewSetGroup):
    menu_label = _("Courses")
    menu_icon = "doc-full"
    menu_order = 320
    items = (CourseViewSet, SessionViewSet, CompetenceAreaViewSet, CompetenceNeedViewSet)
