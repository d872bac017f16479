"""Fixtures every privacy test folder uses."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.fixture
def staff(db):
    """A privacy officer, logged in to the admin."""
    user = get_user_model().objects.create_superuser("privacy-officer", "po@roochi.com",
                                                     "a-long-staff-password")
    client = Client()
    client.force_login(user)
    client.user = user
    return client
