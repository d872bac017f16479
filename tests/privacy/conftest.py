"""Fixtures every privacy test folder uses."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.staff import staff_sign_in


@pytest.fixture
def staff(db):
    """A privacy officer, logged in to the admin."""
    user = get_user_model().objects.create_superuser("privacy-officer", "po@roochi.com",
                                                     "a-long-staff-password")
    client = Client()
    staff_sign_in(client, user)
    client.user = user
    return client
