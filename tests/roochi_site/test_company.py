"""The company's contact details are written once, in settings: every page, mail and
file that shows them follows a change there."""

import pytest
from django.test import Client

from communications.models import OutboundMail
from communications.services import mail_queue

pytestmark = pytest.mark.django_db

NEW = {
    "COMPANY_SUPPORT_EMAIL": "help@example.org",
    "COMPANY_INFO_EMAIL": "hello@example.org",
    "COMPANY_PHONE": "+12125550123",
    "COMPANY_PHONE_EXTENSION": "7",
}
OLD_WORDS = ["support@roochi.com", "info@roochi.com", "722-5592", "ext. 118"]


@pytest.fixture
def moved(settings):
    for name, value in NEW.items():
        setattr(settings, name, value)


@pytest.mark.usefixtures("moved")
@pytest.mark.parametrize("path", ["/", "/contact/", "/privacy/requests/", "/information/",
                                  "/.well-known/security.txt"])
def test_pages_show_the_configured_contact_details(path):
    text = Client().get(path).text
    for old in OLD_WORDS:
        assert old not in text
    if path == "/.well-known/security.txt":
        assert "Contact: mailto:hello@example.org" in text
    else:
        assert 'href="mailto:help@example.org"' in text
        assert '<a href="tel:+12125550123,7">(212) 555-0123 ext. 7</a>' in text


@pytest.mark.usefixtures("moved")
def test_mail_and_the_server_error_page_show_the_configured_contact_details():
    mail = mail_queue(to="ana@example.com", subject="Hello",
                      template_name="communications/mail/footer.txt", context={},
                      category=OutboundMail.Category.SERVICE, purpose="test")
    assert "help@example.org | (212) 555-0123 ext. 7" in mail.body

    from pages.views import server_error

    error = server_error(None).content.decode()
    assert 'href="mailto:help@example.org"' in error
    assert "722-5592" not in error
