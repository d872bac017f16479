from django.db import models
from django.utils import timezone

from privacy.models.people import Person
from privacy.models.policy import PolicyVersion


class PolicyChoice(models.Model):
    """P9: a person's answer to a version that changes how their information is used,
    given through the signed link of the policy-change mail. Whoever declines stays
    governed by the version their data was collected under."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="policy_choices")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    accepted = models.BooleanField()
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version__number"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"],
                                    name="one_policy_choice_per_person_and_version"),
        ]

    def __str__(self):
        return f"Policy choice {self.pk}"
