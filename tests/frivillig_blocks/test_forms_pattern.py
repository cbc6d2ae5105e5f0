"""Forms in one pattern (#21): every public form leaves validation to the server
(novalidate), and a failed form shows the one error summary (frivillig_forms): first,
"Fejl:" in the title, each message linked to its field, radio groups to their first box."""

from __future__ import annotations

import re
from pathlib import Path

from django import forms
from django.template import Context, Template

from tests.helpers import danish

ROOT = Path(__file__).resolve().parents[2]
APPS = ["frivillig_blocks", "booking", "kalender", "boers", "kurser", "initiativpris"]
APPS += ["henvendelser", "opfoelgning"]


def public_templates():
    for app in APPS:
        for path in sorted((ROOT / app / "templates").rglob("*.html")):
            relative = path.relative_to(ROOT / app / "templates").as_posix()
            # The admin's own forms are Wagtail's (and the council report lives there).
            if "/admin/" in relative or relative.startswith(
                ("wagtailadmin/", "opfoelgning/report/")
            ):
                continue
            yield relative, path.read_text(encoding="utf-8")


def test_every_public_form_says_novalidate():
    missing = [
        f"{name}: {tag}"
        for name, text in public_templates()
        for tag in re.findall(r"<form\b[^>]*>", text)
        if "novalidate" not in tag
    ]
    assert not missing, "forms that let the browser validate:\n" + "\n".join(missing)


class Sample(forms.Form):
    error_heading = "The sample was not sent. Correct the following:"
    who = forms.ChoiceField(
        label="Who", choices=[("me", "Me"), ("them", "Them")], widget=forms.RadioSelect
    )
    name = forms.CharField(label="Name")
    key = forms.CharField(widget=forms.HiddenInput)
    agree = forms.BooleanField(label="I agree")

    def clean(self):
        raise forms.ValidationError("Not about one field.")


PAGE = Template("{% load frivillig_forms %}<title>{% error_title %}Side</title>{% error_summary %}")


def test_the_summary_links_each_message_to_its_field():
    form = Sample({})
    html = PAGE.render(Context({"form": form}))
    assert html.startswith(f"<title>{danish('Error:')} Side</title>")
    assert 'id="error-summary"' in html and 'tabindex="-1"' in html
    assert "The sample was not sent. Correct the following:" in html
    # A radio group links to its first box, a checkbox and a text field to themselves;
    # a message that is about no field (or a hidden one) is text.
    assert re.search(r'<a href="#id_who_0">Who: ', html)
    assert re.search(r'<a href="#id_name">Name: ', html)
    assert re.search(r'<a href="#id_agree">I agree: ', html)
    assert "<li>Not about one field.</li>" in html
    assert 'href="#id_key"' not in html
    rendered = str(form["who"])
    assert 'id="id_who_0"' in rendered


def test_no_summary_and_no_prefix_before_a_submit_or_after_a_good_one():
    assert "error-summary" not in PAGE.render(Context({"form": Sample()}))
    html = PAGE.render(Context({"form": Sample()}))
    assert html.startswith("<title>Side</title>")


def test_a_message_outside_a_form_and_a_page_s_own_failure():
    html = PAGE.render(Context({"error": "The time is taken.", "problems": ["Too many."]}))
    assert html.startswith(f"<title>{danish('Error:')} ")
    assert '<h2 id="error-summary-heading">The time is taken.</h2>' in html
    assert "<li>Too many.</li>" in html
    assert "error-summary" in PAGE.render(Context({"form_failed": True}))


def test_looking_for_failed_forms_evaluates_no_lazy_value():
    """The CSRF token and the user are lazy; evaluating them would make every page
    uncacheable (pagecache.py), so the summary never touches them."""
    from django.utils.functional import SimpleLazyObject

    evaluated = []
    lazy = SimpleLazyObject(lambda: evaluated.append(1) or "token")
    html = PAGE.render(Context({"csrf_token": lazy, "user": lazy}))
    assert html.startswith("<title>Side</title>") and evaluated == []


class _Options(forms.Form):
    pick = forms.ChoiceField(
        choices=[(1, "Én"), (2, 'To "og" <b>tre</b>'), ("x&y", "Fire")],
        widget=forms.RadioSelect(attrs={"data-x": 'a"b', "disabled": False, "hidden": True}),
        help_text="Hjælp",
    )
    many = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B"), ("", "Ingen")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class _OwnTemplate(forms.RadioSelect):
    option_template_name = "django/forms/widgets/input.html"


def test_option_input_writes_the_markup_djangos_renderer_writes():
    """``{% option_input %}`` (issue #22) is a faster ``{{ choice.tag }}``: for radio buttons
    and checkboxes, chosen or not, with help text, errors, boolean, quoted and hostile
    attributes and values, the same bytes."""
    template = Template(
        "{% load frivillig_forms %}{% for f in form %}{% for c in f %}"
        "{% option_input c %}|{{ c.tag }}\n{% endfor %}{% endfor %}"
    )
    forms_ = [
        _Options(),
        _Options(data={"pick": "2", "many": ["a", ""]}),
        _Options(data={"pick": "nej<script>"}),
    ]
    lines = 0
    for form in forms_:
        for line in template.render(Context({"form": form})).splitlines():
            ours, djangos = line.split("|")
            assert ours == djangos
            lines += 1
    assert lines == 3 * 6
    chosen = Template(
        "{% load frivillig_forms %}{% for c in form.pick %}{% option_input c %}{% endfor %}"
    )
    html = chosen.render(Context({"form": forms_[1]}))
    assert 'value="2" data-x="a&quot;b" hidden id="id_pick_1" required checked' in html
    assert "disabled" not in html


def test_option_input_leaves_a_widget_with_its_own_template_to_it():
    class Form(forms.Form):
        pick = forms.ChoiceField(choices=[(1, "Én")], widget=_OwnTemplate)

    form = Form()
    choice = next(iter(form["pick"]))
    rendered = Template("{% load frivillig_forms %}{% option_input c %}").render(
        Context({"c": choice})
    )
    assert rendered == choice.tag()
