"""Plain text for the search's index and summaries."""

from __future__ import annotations

from frivillig_blocks.search.text import plain, summary


def test_plain_drops_markup_and_reads_entities():
    html = "<p>Kom og <strong>dans</strong> med &amp; os.</p><ul><li>Kaffe</li><li>Kage</li></ul>"
    assert plain(html) == "Kom og dans med & os. Kaffe Kage"
    assert plain("<script>alert(1)</script>Hej") == "Hej"
    assert plain("Linje 1\n\n  Linje 2") == "Linje 1 Linje 2"
    assert plain(None) == plain("") == ""


def test_summary_cuts_a_long_text_at_a_word():
    text = "ord " * 100
    cut = summary(text, limit=30)
    assert len(cut) <= 30
    assert cut.endswith("ord…")
    assert summary("Kort tekst.", limit=30) == "Kort tekst."
