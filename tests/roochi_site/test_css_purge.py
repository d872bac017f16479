"""Issue 16, first visit in one round trip: the collected Bootstrap holds the rules the
site uses and none of those it does not (roochi_site/css_purge.py)."""

import json

from roochi_site.css_purge import css_purged, words_used

STYLESHEET = """
:root{--bs-used:1px;--bs-chain:var(--bs-used);--bs-unused:2px}
.btn{padding:var(--bs-chain)}
.carousel,.btn-primary:hover{color:red}
.carousel-item{color:blue}
.form-control:not(.is-valid){border:0}
[data-bs-theme=dark] .btn{color:white}
@media (min-width:576px){.carousel{x:1}.btn{margin:0}}
@keyframes spin{to{transform:rotate(1turn)}}
"""


def test_only_the_rules_and_properties_a_used_class_needs_are_kept():
    css = css_purged(STYLESHEET, words={"btn", "btn-primary", "form-control"})
    assert ".btn{" in css
    assert ".btn-primary:hover{color:red}" in css
    assert ".carousel" not in css
    # A class inside :not() is not required.
    assert ".form-control:not(.is-valid)" in css
    assert "data-bs-theme=dark" not in css
    assert "@media (min-width:576px){.btn{margin:0}}" in css
    assert "--bs-used:1px" in css
    assert "--bs-chain" in css
    assert "--bs-unused" not in css


def test_a_property_read_by_our_own_stylesheet_is_kept():
    css = css_purged(STYLESHEET, words={"btn"}, elsewhere="a{color:var(--bs-unused)}")
    assert "--bs-unused:2px" in css


def test_the_words_of_our_templates_and_python_strings_count():
    words = words_used()
    assert {"skip-link", "form-control", "invalid-feedback"} <= words


def test_the_collected_bootstrap_keeps_what_the_pages_use_and_drops_the_rest(
        collected_static):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())["paths"]
    css = (collected_static / manifest["bootstrap/css/bootstrap.min.css"]).read_text()
    for used in [".container{", ".form-control{", ".btn-primary{", ".invalid-feedback{"]:
        assert used in css, used
    for unused in [".carousel", ".offcanvas", ".toast", ".popover", ".tooltip"]:
        assert unused not in css, unused
    assert len(css) < 60_000


def test_of_the_bootstrap_package_only_the_stylesheet_the_pages_link_is_collected(
        collected_static):
    """Its other bundles and source maps were most of collectstatic's time
    (roochi_site.css_purge.ServedAppDirectoriesFinder)."""
    manifest = json.loads((collected_static / "staticfiles.json").read_text())["paths"]
    assert sorted(name for name in manifest if name.startswith("bootstrap/")) == [
        "bootstrap/css/bootstrap.min.css"]
    assert "admin/js/vendor/jquery/jquery.min.js" in manifest
