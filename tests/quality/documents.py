"""Every HTML document a visitor can be shown, found by discovery: the sitemap's
addresses, the error pages, each form target's page, error state and thank-you
page, and the pages behind the newsletter's links. The accessibility and HTML gates
check each of them."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.views import defaults

from tests.quality.targets import ADMIN_LISTS, FORM_TARGETS, STAFF_PAGES, FormTarget
from tests.staff import staff_sign_in


@dataclass(frozen=True)
class Document:
    name: str
    path: str
    status: int
    headers: dict[str, str]
    html: str


def public_client() -> Client:
    """A browser's same-origin requests; a server error is a page, not an exception."""
    return Client(raise_request_exception=False, headers={"Sec-Fetch-Site": "same-origin"})


def sitemap_paths(client: Client) -> list[str]:
    xml = client.get("/sitemap.xml").text
    return [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", xml)]


def document(name: str, path: str, response) -> Document:
    return Document(
        name=name, path=path, status=response.status_code,
        headers=dict(response.headers.items()),
        html=response.content.decode(),
    )


class HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden" and attributes.get("name"):
            self.values[attributes["name"]] = attributes.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    parser = HiddenInputs()
    parser.feed(html)
    return parser.values


def form_documents(client: Client, target: FormTarget) -> list[Document]:
    shown = client.get(target.path)
    documents = [document(f"form {target.path}", target.path, shown)]
    errors = client.post(target.path, hidden_fields(shown.text))
    documents.append(document(f"form {target.path} with errors", target.path, errors))
    fresh = client.get(target.path)
    with override_settings(**target.settings):
        sent = client.post(target.path, {**hidden_fields(fresh.text), **target.valid},
                           follow=True)
    if sent["Content-Type"].startswith("text/html"):
        path = sent.redirect_chain[-1][0] if sent.redirect_chain else target.path
        documents.append(document(f"thank-you page of {target.path}", path, sent))
    return documents


def error_documents(client: Client) -> list[Document]:
    anywhere = FORM_TARGETS[0].path
    request = RequestFactory().get("/staff-only/")
    return [
        document("404 page", "/no-such-page/", client.get("/no-such-page/")),
        document("500 page", "/broken/", client.get("/broken/")),
        document("503 page (database unavailable)", "/database-away/",
                 client.get("/database-away/")),
        document("400 page", "/", client.get("/", headers={"host": "not-our-site.example"})),
        document("403 page", "/staff-only/", defaults.permission_denied(request, None)),
        document("403 cross-site form page", anywhere,
                 Client(raise_request_exception=False).post(anywhere, {})),
        document("413 page", anywhere, client.post(
            anywhere, {"message": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})),
    ]


def staff_documents() -> list[Document]:
    """The staff pages, as a superuser sees them: those of our own making, and every
    admin list with rows in it and the page of one of its rows."""
    from django.contrib.auth import get_user_model

    client = Client(raise_request_exception=False)
    staff_sign_in(client, get_user_model().objects.create_superuser(
        "quality", "quality@roochi.com", "x" * 16))
    documents = []
    for name, page in STAFF_PAGES.items():
        response = page.show(client)
        documents.append(document(f"staff page {name}", response.request["PATH_INFO"],
                                  response))
    return documents + admin_documents(client)


def admin_documents(client: Client) -> list[Document]:
    from django.apps import apps
    from django.contrib.admin.utils import quote
    from django.urls import reverse

    documents = []
    for label, rows_add in ADMIN_LISTS.items():
        options = apps.get_model(label)._meta
        rows_add(2)
        path = reverse(f"admin:{options.app_label}_{options.model_name}_changelist")
        documents.append(document(f"staff list {path}", path, client.get(path)))
        row = apps.get_model(label)._default_manager.order_by("pk").first()
        path = reverse(f"admin:{options.app_label}_{options.model_name}_change",
                       args=[quote(row.pk)])
        shown = client.get(path, follow=True)
        documents.append(document(f"staff page {path}", shown.request["PATH_INFO"], shown))
    return documents


def newsletter_link_documents(client: Client) -> list[Document]:
    """The pages behind the newsletter's links in a mail, which no sitemap lists: the
    confirmation button and its answer, the unsubscribe page with its two buttons,
    their answers and its error state, and a link that does not work."""
    from privacy.policy import current_version
    from privacy.services.newsletter import newsletter_signup_start, newsletter_unsubscribe_url
    from tests.privacy.newsletter.conftest import WORDING, confirm_path

    newsletter_signup_start(email="link-pages@example.com", source="newsletter-signup",
                            wording=WORDING, policy_version=current_version())
    confirm = confirm_path("link-pages@example.com")
    shown = client.get(confirm)
    documents = [
        document("newsletter confirmation", confirm, shown),
        document("newsletter confirmed", confirm, client.post(confirm, hidden_fields(shown.text))),
    ]
    unsubscribe = urlsplit(newsletter_unsubscribe_url("link-pages@example.com")).path
    documents += [
        document("newsletter unsubscribe", unsubscribe, client.get(unsubscribe)),
        document("newsletter unsubscribe with no choice", unsubscribe,
                 client.post(unsubscribe, {})),
        document("newsletter unsubscribed", unsubscribe,
                 client.post(unsubscribe, {"scope": "newsletter"})),
        document("all communication stopped", unsubscribe,
                 client.post(unsubscribe, {"scope": "all"})),
        document("newsletter link that does not work", "/newsletter/unsubscribe/x/",
                 client.get("/newsletter/unsubscribe/x/")),
    ]
    return documents


def status_link_documents(client: Client) -> list[Document]:
    """The status page behind a mailed link, which no sitemap lists, with a reply on
    it, and a link that does not work."""
    from inquiries.services import status_link_token
    from tests.inquiries.conftest import InquiryFactory, StaffFactory

    inquiry = InquiryFactory(status="answered")
    inquiry.events.create(kind="email-reply", author=StaffFactory(),
                          text="Hello Ana,\n\nYes, by the pallet.")
    path = f"/request-status/view/{status_link_token(inquiry)}/"
    return [document("status page", path, client.get(path)),
            document("status link that does not work", "/request-status/view/x/",
                     client.get("/request-status/view/x/"))]


def public_documents() -> list[Document]:
    client = public_client()
    for target in FORM_TARGETS:
        target.prepare()  # before the sitemap, which lists what they make
    # The demo page of links to other sites (tests/roochi_site/urls.py) stands for
    # every page that has one. The search answers by its query string, which the
    # sitemap cannot list: results, none, and words too long.
    searches = ["/search/?q=shipping+company", "/search/?q=zyzzyva", "/search/?q=" + "x" * 201]
    documents = [document(f"page {path}", path, client.get(path))
                 for path in [*sitemap_paths(client), "/demo-links/", *searches]]
    for target in FORM_TARGETS:
        documents += form_documents(client, target)
    return (documents + newsletter_link_documents(client) + status_link_documents(client)
            + error_documents(client))
