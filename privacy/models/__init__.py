# The privacy app's models, one module per concern.
from privacy.models.policy import (  # noqa: F401
    CollectedSubmission,
    PolicySection,
    PolicyVersion,
    PolicyVersionQuerySet,
    PublishedPolicyError,
)
