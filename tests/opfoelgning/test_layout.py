"""The follow-up is an app like the others (issue #19): it imports the shared base only, and
the base does not import it (the registry of figures, the page's feedback slot and the page
cache's models are hooks in frivillig_blocks/hooks.py)."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
SIBLINGS = {"booking", "kalender", "boers", "initiativpris", "kurser", "henvendelser"}


def imported(path: pathlib.Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_follow_up_imports_the_base_and_no_sibling():
    found = {
        str(path.relative_to(ROOT)): imported(path) & SIBLINGS
        for path in (ROOT / "opfoelgning").rglob("*.py")
    }
    assert {path: names for path, names in found.items() if names} == {}
    assert any("frivillig_blocks" in imported(p) for p in (ROOT / "opfoelgning").rglob("*.py"))


def test_the_base_does_not_import_the_follow_up():
    found = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "frivillig_blocks").rglob("*.py")
        if "opfoelgning" in imported(path)
    ]
    assert found == []
