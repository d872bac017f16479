"""The staff roles (P7: "Only those who need the information to perform a specific job
... are granted access"): each is a group holding the permissions of one job and no
more. A staff member's account is put in the groups of their jobs; superusers exist
only to operate the site (accounts, second factors, task results, raw mail).

The table is the truth: after every ``migrate`` each group holds exactly these
permissions (``roles_sync``), so a permission given by hand in the admin does not
outlive the next deploy, and a role that names a permission no app defines stops the
migration instead of silently granting less (docs/decisions.md, "Staff roles").

Permissions are named "app_label.codename", as ``User.has_perm`` takes them, so this
module imports none of the apps it names.
"""

from django.apps import apps as global_apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, router


def _model_permissions(label: str, *actions: str) -> tuple[str, ...]:
    app_label, model = label.split(".")
    return tuple(f"{app_label}.{action}_{model.lower()}" for action in actions)


READS = ("view",)
EDITS = ("view", "change")
KEEPS = ("view", "add", "change")

SUPPORT = "Support"
PRIVACY_OFFICER = "Privacy officer"
MARKETING = "Marketing"
CONTENT_EDITOR = "Content editor"
BILLING = "Billing"
LEGAL = "Legal"

STAFF_ROLES: dict[str, tuple[str, ...]] = {
    # Answers Information Requests and Support requests: replies, calls, notes; and
    # lifts a bounce's mark when a customer says their mailbox works again.
    SUPPORT: (
        *_model_permissions("inquiries.Inquiry", *EDITS),
        "inquiries.export_inquiry",
        # The canned replies they start from: theirs to write, correct and retire.
        *_model_permissions("inquiries.CannedReply", "view", "add", "change", "delete"),
        *_model_permissions("communications.UndeliverableAddress", "view", "delete"),
    ),
    # Handles privacy requests over the registry, keeps the disclosure register, reads
    # the record of staff access and of failed sign-ins, and publishes a policy version
    # that the content editors drafted.
    PRIVACY_OFFICER: (
        *_model_permissions("privacy.PrivacyRequest", *EDITS),
        *_model_permissions("privacy.Person", *EDITS),
        *_model_permissions("privacy.ClientProfile", *READS),
        *_model_permissions("privacy.Disclosure", *KEEPS),
        *_model_permissions("privacy.ObtainedInformation", *KEEPS),
        *_model_permissions("privacy.Recipient", *KEEPS),
        *_model_permissions("privacy.StaffAccess", *READS),
        *_model_permissions("privacy.NewsletterSubscription", *READS),
        *_model_permissions("privacy.PolicyVersion", *READS),
        "privacy.publish_policyversion",
        *_model_permissions("inquiries.InquiryExport", *READS),
        *_model_permissions("communications.UndeliverableAddress", *READS),
        *_model_permissions("roochi_site.SignInFailure", *READS),
        "roochi_site.unlock_sign_in",
        # A survey entry taken back by the person who sent it.
        *_model_permissions("surveys.Survey", *READS),
        *_model_permissions("surveys.Entry", "view", "delete"),
    ),
    # Writes the newsletter and the service announcements and sees who subscribed and
    # how many visit; never an inquiry, a request or a person's page.
    MARKETING: (
        *_model_permissions("mailings.NewsletterIssue", *KEEPS),
        *_model_permissions("mailings.ServiceAnnouncement", *KEEPS),
        *_model_permissions("privacy.NewsletterSubscription", *READS),
        *_model_permissions("sitestats.Count", *READS),
        # Surveys and contests: writing them, reading their results, drawing winners.
        *_model_permissions("surveys.Survey", *KEEPS),
        *_model_permissions("surveys.Question", "view", "add", "change", "delete"),
        *_model_permissions("surveys.Entry", *READS),
        "surveys.export_survey",
        "surveys.draw_survey",
    ),
    # Edits the public pages, the product categories and their pictures (drafts,
    # scheduled publication, restoring a revision) and drafts policy versions;
    # publishing a policy version is the privacy officer's.
    CONTENT_EDITOR: (
        *_model_permissions("pages.Page", *KEEPS),
        *_model_permissions("pages.Category", *KEEPS),
        *_model_permissions("pages.Image", *KEEPS),
        *_model_permissions("privacy.PolicyVersion", *KEEPS),
    ),
    # Keeps the client profiles (company, account number) of the clients we serve.
    BILLING: (
        *_model_permissions("privacy.Person", "view", "add", "change"),
        *_model_permissions("privacy.ClientProfile", *KEEPS),
    ),
    # Records what is disclosed to whom (P10) and what was obtained from others.
    LEGAL: (
        *_model_permissions("privacy.Disclosure", *KEEPS),
        *_model_permissions("privacy.ObtainedInformation", *KEEPS),
        *_model_permissions("privacy.Recipient", *READS),
        # A contest's rules and the record of its draw are on the survey's page.
        *_model_permissions("surveys.Survey", *READS),
    ),
}


def roles_sync(*, using: str = DEFAULT_DB_ALIAS, apps=global_apps) -> None:
    """Make each role's group hold exactly its permissions. Refuses a name no app
    defines: a typo would otherwise leave a job without what it needs."""
    from django.contrib.auth.management import create_permissions

    # Permissions are made by post_migrate too, app by app; make them all first, so a
    # role may name an app that comes later in INSTALLED_APPS.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    if not router.allow_migrate_model(using, Group):
        return
    known = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename")
    }
    unknown = sorted({name for names in STAFF_ROLES.values() for name in names} - set(known))
    if unknown:
        raise ImproperlyConfigured(
            f"roochi_site/staff_roles.py names permissions no app defines: {', '.join(unknown)}")
    for role, names in STAFF_ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([known[name] for name in names])


def roles_sync_after_migrate(sender, *, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """post_migrate is sent once for each app with models (after ``migrate`` and after a
    test's ``flush``); the roles are synced once, after the last."""
    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if sender.label == with_models[-1].label:
        roles_sync(using=using, apps=apps)
