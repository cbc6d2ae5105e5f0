"""The toolbox's quick widgets write the same HTML as Django's widget templates."""

from __future__ import annotations

from django import forms

from frivillig_blocks.widgets import QuickCheckboxSelectMultiple

CHOICES = [("born", "Børn"), ("a&b", 'Unge <"under 25">'), ("1", "Én")]


def _form(widget, data=None):
    class Form(forms.Form):
        tema = forms.MultipleChoiceField(
            choices=CHOICES, required=False, widget=widget(attrs={"data-x": 'a"b'})
        )

    return Form(data)


def test_checkboxes_are_written_as_djangos_templates_write_them():
    for data in (None, {"tema": ["a&b", "1"]}, {"tema": ["<script>"]}):
        quick = _form(QuickCheckboxSelectMultiple, data)["tema"]
        django = _form(forms.CheckboxSelectMultiple, data)["tema"]
        quick_tags = [str(checkbox.tag()) for checkbox in quick]
        assert quick_tags == [str(checkbox.tag()) for checkbox in django]
        assert len(quick_tags) == 3 and "&lt;" not in "".join(quick_tags)  # values, not labels
        # The whole widget (labels wrapped by its own templates) is Django's as well.
        assert str(quick) == str(django)
    chosen = [str(c.tag()) for c in _form(QuickCheckboxSelectMultiple, {"tema": ["1"]})["tema"]]
    assert (
        chosen[2]
        == '<input type="checkbox" name="tema" value="1" data-x="a&quot;b" id="id_tema_2" checked>'
    )
    assert " checked" not in chosen[0] and 'value="a&amp;b"' in chosen[1]
