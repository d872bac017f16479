from django.conf import settings
from django.db import models


class SubmissionCount(models.Model):
    """How many submissions of one kind (a scope: a form family) one client address
    made in one clock hour, for the spam limit every public form shares.

    P4: the address itself is never stored: `client_key` is an HMAC of the scope, the
    hour and the address under the site's secret key, so it cannot be reversed, cannot
    be linked across hours, and the row is deleted once its hour is over. It is never
    joined to a submission.
    """

    scope = models.CharField(max_length=40)
    client_key = models.CharField(max_length=64)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "client_key", "hour"], name="one_count_per_scope_client_hour"
            ),
        ]

    def __str__(self):
        return f"{self.count} from one client at {self.hour:%Y-%m-%d %H}:00"


class SignInFailure(models.Model):
    """A failed staff sign-in, for the throttle (roochi_site/sign_in_throttle.py) and
    for the privacy officer to see.

    Neither the name typed nor the client's address is kept: the account is a keyed
    hash of the name (and the account itself when one has it), the client a keyed hash
    of its address bound to the day (P4), as the public forms' limit keeps them.
    """

    account = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    account_key = models.CharField(max_length=64, db_index=True, editable=False)
    client_key = models.CharField(max_length=64, db_index=True, editable=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # An administrator unlocked the account, or its owner then signed in.
    released_at = models.DateTimeField(null=True, blank=True, editable=False)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    editable=False)

    class Meta:
        ordering = ["-at"]
        verbose_name = "failed staff sign-in"
        permissions = [("unlock_sign_in", "Can unlock an account held back after failed "
                                          "sign-ins")]

    def __str__(self):
        return f"Failed sign-in {self.pk}"


class FieldChange(models.Model):
    """One field of a record staff handle changed: which, from what to what, by whom,
    when (roochi_site/change_history.py). The values are blanked when the person is
    erased; the fact of the change stays."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE,
                                     related_name="+")
    object_id = models.CharField(max_length=40)
    field = models.CharField(max_length=60)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"Change {self.pk} of {self.field}"
