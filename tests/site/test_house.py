"""The house rules, read from the tree (the README's "One idiom per app"): apps import only the
shared base, every app has the same layout (conf.py, exceptions.py, integration.py), its
wagtail_hooks.py only registers, every hook is declared in frivillig_blocks/hooks.py, settings
are read through each app's conf.py and never written, errors live in exceptions.py, and a
routable page's routes are one table."""

from __future__ import annotations

import ast
import importlib
import inspect

import pytest
from django.apps import apps

from .test_settings import REPO

BASE = "frivillig_blocks"
APPS = [
    BASE,
    "booking",
    "kalender",
    "boers",
    "initiativpris",
    "kurser",
    "henvendelser",
    *(["opfoelgning"] if (REPO / "opfoelgning").is_dir() else []),
]
SETTING_PREFIXES = (*(f"{app.upper()}_" for app in APPS if app != BASE), "FRIVILLIG_")
#: Registrations still made where their modules live: the council follow-up moves to an app of
#: its own (#19) and brings its own integration.py and wagtail_hooks.py.
FOLLOW_UP = ()


def sources(app: str):
    for path in sorted((REPO / app).rglob("*.py")):
        relative = path.relative_to(REPO).as_posix()
        if "/migrations/" in relative:
            continue
        yield relative, ast.parse(path.read_text(encoding="utf-8"), relative)


def imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def test_apps_import_only_the_base_and_the_base_no_app():
    offenders = []
    for app in APPS:
        allowed = {app} if app == BASE else {app, BASE}
        for relative, tree in sources(app):
            for line, module in imported_modules(tree):
                top = module.partition(".")[0]
                if top in APPS and top not in allowed:
                    offenders.append(f"{relative}:{line} imports {module}")
    assert offenders == []


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_the_same_layout(app):
    for module in ("conf.py", "exceptions.py", "integration.py", "wagtail_hooks.py"):
        assert (REPO / app / module).is_file(), f"{app}/{module} is missing"
    conf = ast.parse((REPO / app / "conf.py").read_text(encoding="utf-8"))
    built = [
        node
        for node in ast.walk(conf)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "AppSettings"
    ]
    assert len(built) == 1, f"{app}/conf.py builds one AppSettings (its defaults table)"


def _is_registration(node: ast.stmt) -> bool:
    """``hooks.register(NAME, integration.function)`` or ``register_snippet(ViewSet)``: a
    call whose arguments are names, attributes or strings (no lambda, no inline code)."""
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return False
    call = node.value
    name = ast.unparse(call.func)
    if name not in {"hooks.register", "register_snippet"}:
        return False
    return all(isinstance(a, ast.Name | ast.Attribute | ast.Constant) for a in call.args)


@pytest.mark.parametrize("app", APPS)
def test_wagtail_hooks_only_registers_what_integration_implements(app):
    relative = f"{app}/wagtail_hooks.py"
    tree = ast.parse((REPO / relative).read_text(encoding="utf-8"))
    declared = set(vars(importlib.import_module(f"{BASE}.hooks")))
    offenders = []
    for index, node in enumerate(tree.body):
        if index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if not _is_registration(node):
            offenders.append(f"{relative}:{node.lineno}: {ast.unparse(node)[:80]}")
            continue
        call = node.value
        if ast.unparse(call.func) != "hooks.register":
            continue
        hook, *implementation = call.args
        if isinstance(hook, ast.Constant):
            # Wagtail's own hooks by name; ours only through frivillig_blocks.hooks.
            if str(hook.value).startswith("frivillig_"):
                offenders.append(f"{relative}:{node.lineno}: hook {hook.value!r} by string")
        elif not (
            isinstance(hook, ast.Attribute)
            and ast.unparse(hook.value) == "frivillig_hooks"
            and hook.attr in declared
        ):
            offenders.append(f"{relative}:{node.lineno}: {ast.unparse(hook)} is not declared")
        if not implementation or not ast.unparse(implementation[0]).startswith("integration."):
            offenders.append(f"{relative}:{node.lineno}: implemented outside integration.py")
    assert offenders == []


def test_hooks_are_registered_only_in_wagtail_hooks_and_read_by_declared_name():
    offenders = []
    for app in APPS:
        for relative, tree in sources(app):
            if relative.endswith("/wagtail_hooks.py") or relative.startswith(FOLLOW_UP):
                continue
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = ast.unparse(node.func)
                if name.endswith("hooks.register"):
                    offenders.append(f"{relative}:{node.lineno}: registers a hook")
                if name.endswith("get_hooks") and any(
                    isinstance(a, ast.Constant) and str(a.value).startswith("frivillig_")
                    for a in node.args
                ):
                    offenders.append(f"{relative}:{node.lineno}: reads a hook by string")
    assert offenders == []


def test_settings_are_read_through_conf_and_never_written():
    offenders = []
    for app in APPS:
        for relative, tree in sources(app):
            is_conf = relative == f"{app}/conf.py"
            for node in ast.walk(tree):
                # settings.X = …, setattr(settings, …)
                if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        if isinstance(target, ast.Attribute) and ast.unparse(target.value) == (
                            "settings"
                        ):
                            offenders.append(f"{relative}:{node.lineno}: writes a setting")
                if (
                    isinstance(node, ast.Call)
                    and ast.unparse(node.func) == "setattr"
                    and node.args
                    and ast.unparse(node.args[0]) == "settings"
                ):
                    offenders.append(f"{relative}:{node.lineno}: writes a setting")
                if is_conf:
                    continue
                # getattr(settings, "BOOKING_…"), settings.BOOKING_…
                if (
                    isinstance(node, ast.Call)
                    and ast.unparse(node.func) in {"getattr", "hasattr"}
                    and len(node.args) >= 2
                    and ast.unparse(node.args[0]) == "settings"
                    and isinstance(node.args[1], ast.Constant)
                    and str(node.args[1].value).startswith(SETTING_PREFIXES)
                ):
                    offenders.append(f"{relative}:{node.lineno}: {ast.unparse(node)}")
                if (
                    isinstance(node, ast.Attribute)
                    and ast.unparse(node.value) == "settings"
                    and node.attr.startswith(SETTING_PREFIXES)
                ):
                    offenders.append(f"{relative}:{node.lineno}: settings.{node.attr}")
    assert offenders == []


def _modules(app: str):
    for path in sorted((REPO / app).rglob("*.py")):
        relative = path.relative_to(REPO)
        if "migrations" in relative.parts or "management" in relative.parts:
            continue
        parts = relative.with_suffix("").parts
        yield relative.as_posix(), ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize("app", APPS)
def test_every_error_of_an_app_is_in_its_exceptions_module(app):
    if not apps.is_installed(app):
        pytest.skip(f"{app} is not installed in this run")
    offenders = []
    for relative, name in _modules(app):
        if relative.endswith("/exceptions.py"):
            continue
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
                and not relative.startswith(FOLLOW_UP)
            ):
                offenders.append(f"{relative}: {attribute}")
    assert offenders == []


def test_a_routable_pages_routes_are_one_table_not_wrapper_methods():
    """A method under Wagtail's @path/@re_path/@route that only imports a view and calls it
    is a row of the page's ``routes`` table (frivillig_blocks.routing)."""
    offenders = []
    for app in APPS:
        for relative, tree in sources(app):
            for node in ast.walk(tree):
                if not isinstance(node, ast.FunctionDef):
                    continue
                decorators = [ast.unparse(d).partition("(")[0] for d in node.decorator_list]
                if not {"path", "re_path", "route"} & set(decorators):
                    continue
                body = [s for s in node.body if not isinstance(s, ast.Import | ast.ImportFrom)]
                only_calls = (
                    len(body) == 1
                    and isinstance(body[0], ast.Return)
                    and isinstance(body[0].value, ast.Call)
                    and len(body) < len(node.body)
                )
                if only_calls:
                    offenders.append(f"{relative}:{node.lineno}: {node.name}")
    assert offenders == []
