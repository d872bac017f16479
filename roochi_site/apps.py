from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin as the staff site (roochi_site/staff_site.py)."""

    default = False  # this module's default is RoochiSiteConfig
    default_site = "roochi_site.staff_site.StaffAdminSite"


class RoochiSiteConfig(AppConfig):
    """The site's own shared mechanisms; an app only for its one table (the per-client
    submission counts that every public form's spam limit shares)."""

    default = True
    name = "roochi_site"
    verbose_name = "Site"

    def ready(self):
        from django.db.models.signals import post_migrate

        from roochi_site import working_days  # noqa: F401 (its system check)
        from roochi_site.models import SignInFailure, SubmissionCount
        from roochi_site.personal_data import not_personal, staff_data
        from roochi_site.staff_roles import roles_sync_after_migrate

        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="roochi_site.staff_roles")

        not_personal(
            SubmissionCount,
            fields=("client_key",),
            reason="A keyed hash of a client address and the hour, deleted once the hour "
            "is over and never linked to a submission (P4).",
        )
        staff_data(
            SignInFailure,
            fields=("account_key", "client_key"),
            about="failed staff sign-ins: keyed hashes of the name typed and of the "
            "client's address (bound to the day), never the name or the address.",
            kept="STAFF_SIGN_IN_RECORD_DAYS (90 days), then purge_staff_records deletes them.",
        )
