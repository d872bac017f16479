import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from mailings.models import ServiceAnnouncement
from tests.staff import staff_sign_in

MAINTENANCE = ("Our order desk is closed on **Sunday 6 December** for planned maintenance.\n\n"
               "Orders placed that day are shipped on Monday. [Shipping times](http://127.0.0.1:8000/shipping/)")


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_superuser("announcer", "announcer@roochi.com",
                                                     "a-long-staff-password")


@pytest.fixture
def staff_client(staff_user):
    client = Client()
    staff_sign_in(client, staff_user)
    return client


@pytest.fixture
def announcement(staff_user) -> ServiceAnnouncement:
    return ServiceAnnouncement.objects.create(subject="Planned maintenance on Sunday",
                                              body=MAINTENANCE, created_by=staff_user)
