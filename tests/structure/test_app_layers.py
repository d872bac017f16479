"""The app graph has no cycles, and every import goes down the layers of
docs/decisions.md ("The apps' layers"). Imports are read from the source, those inside
functions included, so a deferred import cannot hide an edge."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# From the bottom. An app may import only apps of a lower layer; apps of one layer do
# not import each other. A lower layer offers a hook that a higher one registers with
# at ready() (the page cache's key parts, the mail delivery rule, the registry).
LAYERS = [
    {"roochi_site"},
    {"communications"},
    {"privacy"},
    {"mailings"},
    {"inquiries", "pages", "surveys"},
]
# Apps that stand apart (DESIGN.md, Layers): each may import roochi_site alone, and no
# other app imports them. The visit statistics must never be joined to anything that
# holds personal data (P4).
APART = {"sitestats"}
# The root URLconf gathers every app's urls and sitemaps; nothing else is exempt.
MAY_IMPORT_ANY_APP = {"roochi_site/urls.py"}


def layer_of(app: str) -> int:
    return next(index for index, apps in enumerate(LAYERS) if app in apps)


def project_apps() -> set[str]:
    return set().union(*LAYERS, APART)


def imported_apps(path: Path, apps: set[str]) -> set[str]:
    """The project apps a module imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in apps)
    return found


def app_imports() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) -> the modules that make that edge."""
    apps = project_apps()
    edges: dict[tuple[str, str], list[str]] = {}
    for app in sorted(apps):
        for path in sorted((ROOT / app).rglob("*.py")):
            module = path.relative_to(ROOT).as_posix()
            if "/migrations/" in module or module in MAY_IMPORT_ANY_APP:
                continue
            for imported in imported_apps(path, apps) - {app}:
                edges.setdefault((app, imported), []).append(module)
    return edges


def allowed(importer: str, imported: str) -> bool:
    if imported in APART:
        return False
    if importer in APART:
        return imported == "roochi_site"
    return layer_of(imported) < layer_of(importer)


def forbidden(edges: dict[tuple[str, str], list[str]]) -> list[str]:
    return sorted(
        f"{importer} imports {imported} ({', '.join(modules)})"
        for (importer, imported), modules in edges.items()
        if not allowed(importer, imported)
    )


def cycles(edges) -> list[list[str]]:
    """Every app that can reach itself by imports, with one such path."""
    graph: dict[str, set[str]] = {}
    for importer, imported in edges:
        graph.setdefault(importer, set()).add(imported)
    found = []
    for start in sorted(graph):
        stack = [(start, [start])]
        seen = set()
        while stack:
            app, route = stack.pop()
            for following in sorted(graph.get(app, ())):
                if following == start:
                    found.append([*route, start])
                    stack.clear()
                    break
                if following not in seen:
                    seen.add(following)
                    stack.append((following, [*route, following]))
    return found


def test_every_app_is_placed_in_a_layer():
    local_apps = {
        app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()
    }
    assert local_apps | {"roochi_site"} == project_apps()


def test_no_app_imports_an_app_of_its_own_layer_or_above():
    assert forbidden(app_imports()) == []


def test_the_app_graph_has_no_cycle():
    assert cycles(app_imports()) == []


@pytest.mark.parametrize(("edge", "problem"), [
    (("communications", "privacy"), "communications imports privacy"),
    (("roochi_site", "pages"), "roochi_site imports pages"),
    (("inquiries", "pages"), "inquiries imports pages"),
    (("sitestats", "privacy"), "sitestats imports privacy"),
    (("sitestats", "inquiries"), "sitestats imports inquiries"),
    (("sitestats", "communications"), "sitestats imports communications"),
    (("sitestats", "pages"), "sitestats imports pages"),
    (("pages", "sitestats"), "pages imports sitestats"),
    (("roochi_site", "sitestats"), "roochi_site imports sitestats"),
    (("privacy", "sitestats"), "privacy imports sitestats"),
])
def test_the_checks_catch_an_upward_or_sideways_import(edge, problem):
    edges = {**app_imports(), edge: ["made/up.py"]}
    assert any(line.startswith(problem) for line in forbidden(edges))


def test_an_app_apart_may_import_roochi_site():
    assert forbidden({("sitestats", "roochi_site"): ["sitestats/middleware.py"]}) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles({("privacy", "communications"): [], ("communications", "privacy"): []}) == [
        ["communications", "privacy", "communications"],
        ["privacy", "communications", "privacy"],
    ]


def test_an_import_inside_a_function_counts(tmp_path):
    module = tmp_path / "late.py"
    module.write_text("def f():\n    from privacy.models import Person\n    import pages.views\n")
    assert imported_apps(module, project_apps()) == {"privacy", "pages"}
