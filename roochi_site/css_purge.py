"""First visit in one round trip (issue 16): Bootstrap's stylesheet is 23 KB compressed,
most of it rules no page of ours uses. At `collectstatic` the collected copy keeps only
the rules whose class names appear somewhere in our templates or our Python code
(roochi_site/form_markup.py draws the form fields); the files in the package stay
as they are, so `make dev`, which serves them directly, shows the whole of Bootstrap.

A class counts as used when its name appears as a word anywhere in a template, or
in a string of our Python code, as PurgeCSS's default extractor does: generous (a
word in the text keeps a rule), never wrong for a name written out in full. A class
name put together at run time (``"alert-" + level``) is not seen: write it out in full.
"""

import re
from collections.abc import Iterable
from pathlib import Path

import tinycss2
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import AppDirectoriesFinder
from whitenoise.storage import CompressedManifestStaticFilesStorage

# The collected files purged, as their names are in the static files.
PURGED = ("bootstrap/css/bootstrap.min.css", "bootstrap/css/bootstrap.css")
# Of the Bootstrap package, collectstatic leaves out everything but the stylesheet
# templates/base.html links: the JavaScript, the grid, reboot, utilities and RTL
# builds, the unminified copy and every source map (fnmatch patterns, on a file's name
# and on its path).
UNSERVED = (
    "bootstrap/js/*",
    "bootstrap/css/*.map",
    "bootstrap/css/bootstrap-*",
    "bootstrap/css/bootstrap.rtl*",
    "bootstrap/css/bootstrap.css",
)
WORD = re.compile(r"[A-Za-z0-9_-]+")
# In Python, a class name is a string: words of comments and names do not count.
PYTHON_STRING = re.compile(r""""[^"\n]*"|'[^'\n]*'""")
CUSTOM_PROPERTY_USE = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")
# Blocks whose rules are purged like the top level's.
NESTING_AT_RULES = {"media", "supports", "layer", "container"}


def sources() -> Iterable[Path]:
    """Every file that may name a class: our templates and code."""
    base = Path(settings.BASE_DIR)
    yield from (base / "templates").rglob("*.html")
    for config in apps.get_app_configs():
        path = Path(config.path)
        if path.is_relative_to(base):
            yield from path.rglob("*.py")
            yield from path.rglob("*.html")


def words_used() -> set[str]:
    words: set[str] = set()
    for source in sources():
        text = source.read_text(errors="replace")
        if source.suffix == ".py":
            text = " ".join(PYTHON_STRING.findall(text))
        words.update(WORD.findall(text))
    return words


def selector_used(tokens: list, words: set[str]) -> bool:
    """Whether every class a selector requires is used, and every attribute value it
    matches (``[data-bs-theme=dark]``). Classes inside a function (``:not(.x)``,
    ``:is(.x, .y)``) are not required, so the rule is kept."""
    for token in tokens:
        if token.type == "[] block":
            values = [part.value for part in token.content if part.type in {"ident", "string"}]
            if len(values) == 2 and not set(WORD.findall(values[1])) <= words:
                return False
    for before, token in zip([None, *tokens], tokens, strict=False):
        if (token.type == "ident" and before is not None and before.type == "literal"
                and before.value == "." and token.value not in words):
            return False
    return True


def selectors_split(prelude: list) -> list[list]:
    selectors: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def rules_purged(rules: list, words: set[str]) -> list[str]:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [selector for selector in selectors_split(rule.prelude)
                         if selector_used(selector, words)]
            if selectors:
                prelude = ",".join(tinycss2.serialize(selector).strip()
                                   for selector in selectors)
                kept.append(f"{prelude}{{{tinycss2.serialize(rule.content).strip()}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in NESTING_AT_RULES \
                and rule.content is not None:
            inner = rules_purged(tinycss2.parse_rule_list(
                rule.content, skip_comments=True, skip_whitespace=True), words)
            if inner:
                kept.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude).rstrip()}"
                            f"{{{''.join(inner)}}}")
        elif rule.type == "at-rule":
            kept.append(rule.serialize())
    return kept


def custom_properties_purged(css: str, elsewhere: str) -> str:
    """Drop the declarations of custom properties (Bootstrap's ``--bs-*``) that nothing
    left reads: repeated, since a property may be read only by one that went."""
    declaration = re.compile(r"(?<=[{;])\s*(--[A-Za-z0-9_-]+)\s*:[^;{}]*(;|(?=}))")
    while True:
        used = set(CUSTOM_PROPERTY_USE.findall(css)) | set(CUSTOM_PROPERTY_USE.findall(elsewhere))
        purged = declaration.sub(lambda match, used=used: match[0] if match[1] in used else "",
                                 css)
        purged = re.sub(r"[^{}]+\{\s*\}", "", purged)
        if purged == css:
            return css
        css = purged


def css_purged(css: str, *, words: set[str], elsewhere: str = "") -> str:
    """`css` with only the rules a page of ours can use. `elsewhere`: our own CSS and
    templates, which may read Bootstrap's custom properties."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return custom_properties_purged("".join(rules_purged(rules, words)), elsewhere)


class PurgedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage (hashed names, gzip and Brotli copies), with the collected
    Bootstrap purged before it is hashed and compressed."""

    def post_process(self, paths, dry_run=False, **options):
        if not dry_run:
            words = words_used()
            elsewhere = "".join(source.read_text(errors="replace") for source in sources())
            elsewhere += "".join(path.read_text() for path in Path(self.location).rglob("*.css")
                                 if not str(path).endswith(PURGED))
            for name in PURGED:
                if name in paths and self.exists(name):
                    file = Path(self.path(name))
                    file.write_text(css_purged(file.read_text(), words=words,
                                               elsewhere=elsewhere))
                    # Hashed and compressed from the purged copy, not the package's.
                    paths = {**paths, name: (self, name)}
        yield from super().post_process(paths, dry_run=dry_run, **options)


class ServedAppDirectoriesFinder(AppDirectoriesFinder):
    """Django's finder of the apps' static files, listing to collectstatic only what the
    site serves: the rest of Bootstrap was 17 of the 21 MB collected and most of
    collectstatic's time (each file hashed, gzipped and Brotli-compressed). Finding one
    file by name (`make dev`, findstatic) still finds every file."""

    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or ()), *UNSERVED])
