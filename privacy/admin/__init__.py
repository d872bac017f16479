# The privacy app's admin, one module per concern; importing registers them.
from privacy.admin import (
    newsletter,  # noqa: F401
    policy,  # noqa: F401
    requests,  # noqa: F401
)
