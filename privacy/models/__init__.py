# The privacy app's models, one module per concern.
from privacy.models.access import StaffAccess  # noqa: F401
from privacy.models.choices import PolicyChoice  # noqa: F401
from privacy.models.disclosures import (  # noqa: F401
    Disclosure,
    LegalBasis,
    ObtainedInformation,
    Recipient,
)
from privacy.models.newsletter import (  # noqa: F401
    NewsletterSource,
    NewsletterSubscription,
    OptOut,
    OptOutChannel,
)
from privacy.models.people import ClientProfile, Person  # noqa: F401
from privacy.models.policy import (  # noqa: F401
    CollectedSubmission,
    PolicySection,
    PolicyVersion,
    PolicyVersionQuerySet,
    PublishedPolicyError,
)
from privacy.models.requests import PrivacyRequest, PrivacyRequestEvent  # noqa: F401
