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
