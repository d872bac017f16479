"""After the commit, in the background: the acknowledgement and the staff notice go
out through a real SMTP conversation; an outage loses nothing; many people sending at
once each get their own inquiry and reference."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from communications.models import OutboundMail
from inquiries.models import Inquiry
from tests.conftest import text_of
from tests.inquiries.conftest import valid_post

pytestmark = pytest.mark.usefixtures("committed_db")

URL = "/support-request/"


def post(data: dict, address: str = "127.0.0.1"):
    try:
        return Client(headers={"Sec-Fetch-Site": "same-origin"}).post(
            URL, data, REMOTE_ADDR=address
        )
    finally:
        connection.close()  # each thread's own connection


def test_acknowledgement_and_staff_notice_are_delivered_by_smtp(smtp_server, run_tasks):
    response = post(valid_post("support", phone="(323) 722-5592", reply_by="phone"))
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert smtp_server.messages == []  # nothing is sent inside the request

    run_tasks()
    by_recipient = {message["To"]: message for message in smtp_server.messages}
    assert set(by_recipient) == {"ana.perez@example.com", "support@roochi.com"}
    acknowledgement = by_recipient["ana.perez@example.com"]
    assert acknowledgement["Subject"] == f"We received your request {inquiry.reference}"
    text = text_of(acknowledgement)
    assert inquiry.reference in text
    assert "Topic: A delivery" in text
    assert "by phone, on the number ending in 92" in text
    assert "40 tonnes" not in text  # not the full message
    notice = text_of(by_recipient["support@roochi.com"])
    assert inquiry.reference in notice
    assert f"/admin/inquiries/inquiry/{inquiry.reference}/change/" in notice
    assert "Ana" not in notice


def test_an_smtp_outage_keeps_the_inquiry_and_the_mail_goes_out_later(
    smtp_server, run_tasks, settings
):
    settings.MAIL_RETRY_DELAYS = [1, 1]
    smtp_server.stop()
    assert post(valid_post("support")).status_code == 302
    run_tasks()
    assert Inquiry.objects.count() == 1
    assert set(OutboundMail.objects.values_list("status", flat=True)) == {"queued"}

    smtp_server.start()
    time.sleep(1.1)
    run_tasks()
    assert Inquiry.objects.count() == 1
    assert set(OutboundMail.objects.values_list("status", flat=True)) == {"sent"}
    assert len(smtp_server.messages) == 2


def test_fifty_people_sending_at_once_get_fifty_inquiries_and_references(settings):
    settings.INQUIRY_LIMIT_PER_HOUR = 1000
    forms = [valid_post("support", email=f"person{n}@example.com") for n in range(50)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(post, forms))
    assert [response.status_code for response in responses] == [302] * 50
    assert Inquiry.objects.count() == 50
    assert len(set(Inquiry.objects.values_list("reference", flat=True))) == 50
    assert len({response.url for response in responses}) == 50
    assert OutboundMail.objects.count() == 100


def test_a_double_click_stores_one_inquiry_and_thanks_both_posts(settings):
    settings.INQUIRY_LIMIT_PER_HOUR = 1000
    data = valid_post("support")
    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(post, [data, data]))
    assert [response.status_code for response in responses] == [302, 302]
    assert responses[0].url == responses[1].url
    assert Inquiry.objects.count() == 1
    assert OutboundMail.objects.count() == 2


def test_the_hourly_limit_holds_under_concurrent_posts(settings):
    settings.INQUIRY_LIMIT_PER_HOUR = 3
    forms = [valid_post("support", email=f"person{n}@example.com") for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(post, forms, ["198.51.100.7"] * 8))
    assert sorted(response.status_code for response in responses) == [302] * 3 + [400] * 5
    assert Inquiry.objects.count() == 3
