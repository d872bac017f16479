"""P7: staff views, exports and actions on personal data are logged."""

from django.conf import settings
from django.db import models


class StaffAccess(models.Model):
    """One look at, export of, or action on personal data by a staff member.

    Whose data it was is kept as the keyed hash of their address, never the address,
    so the log itself survives an erasure without holding the person (P8).
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        ACT = "act", "Acted on"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action)
    what = models.CharField(max_length=200,
                            help_text="Which screen, export or action, e.g. request 12.")
    subject_hash = models.CharField(max_length=64, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "staff access to personal data"
        verbose_name_plural = "staff access log"

    def __str__(self):
        return f"{self.get_action_display()} {self.what}"
