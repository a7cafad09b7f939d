"""Settings, read from the environment `cchc serve` sets: CCHC_DATA (the data folder: the SQLite
database, the secret key, uploaded files) and DATABASE_URL (PostgreSQL instead of SQLite)."""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path

import dj_database_url

DATA = Path(os.environ.get("CCHC_DATA", "cchc-data")).resolve()
DATA.mkdir(parents=True, exist_ok=True)
DATA.chmod(0o700)  # the evidence, the database and the secret key are for the server's account only


def _secret_key() -> str:
    """Generated into the data folder on first start, never kept in the repository."""
    path = DATA / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    path.chmod(0o600)  # also one made by an earlier version
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("CCHC_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("CCHC_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
# Behind an HTTPS proxy (or served over HTTPS): cookies only travel encrypted.
HTTPS = os.environ.get("CCHC_HTTPS") == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # a working day
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "web.views.csrf_failure"  # in Vietnamese, like the 400/403/404/500 pages (web/jinja2/)
SECURE_CONTENT_TYPE_NOSNIFF = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "web.apps.WebConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # the admin site's CSS and scripts, from the app itself
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",  # every page needs a login but the login page
]
ROOT_URLCONF = "web.urls"
TEMPLATES = [
    {  # the workspace's pages (web/jinja2/)
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "web.jinja.environment",
            "autoescape": True,
            "context_processors": ["django.contrib.auth.context_processors.auth"],
        },
    },
    {  # Django's admin
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]
WSGI_APPLICATION = "web.wsgi.application"
DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{DATA / 'cchc.sqlite3'}", conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Each transaction takes SQLite's write lock when it begins (BEGIN IMMEDIATE), so a save that
    # reads a row then writes it cannot interleave with another; a writer waits up to 20 s for it.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LANGUAGE_CODE = "vi"
FORMAT_MODULE_PATH = ["web.formats"]  # dates day first (dd/mm/yyyy) in every field and widget
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True  # served from the installed apps' folders: no collectstatic step to forget
LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/dang-nhap/"
FILES = DATA / "files"  # uploads, stored under their SHA-256
UPLOAD_MAX_BYTES = int(os.environ.get("CCHC_UPLOAD_MAX_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
LOGIN_ATTEMPTS = 5  # failed logins per user name and address ...
LOGIN_ATTEMPTS_PER_ADDRESS = 30  # ... or for any names from one address ...
LOGIN_WINDOW_S = 15 * 60  # ... within this window, then refused until it passes
AUTH_PASSWORD_VALIDATORS = [  # every path that sets a password: `cchc user add`, the admin site
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Waitress refuses a larger request body before spooling it to disk (`cchc serve`).
MAX_REQUEST_BODY = UPLOAD_MAX_BYTES + 1024 * 1024


def _config() -> dict:
    """The data folder's own settings (config.toml): today the e-mail server for reminders."""
    path = DATA / "config.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


# E-mail for reminders (`cchc remind`): SMTP when config.toml has [email] host = "…"; otherwise each
# message is written as a file under the data folder's thu-gui/ (outbox), for the admin to read.
_EMAIL = _config().get("email", {})
if _EMAIL.get("host"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT = _EMAIL["host"], int(_EMAIL.get("port", 587))
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _EMAIL.get("user", ""), _EMAIL.get("password", "")
    EMAIL_USE_TLS, EMAIL_USE_SSL = bool(_EMAIL.get("tls", True)), bool(_EMAIL.get("ssl", False))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA / "thu-gui"
DEFAULT_FROM_EMAIL = _EMAIL.get("from", "cchc@localhost")
REMIND_DAYS_BEFORE = int(_EMAIL.get("days_before", 3))  # a unit not yet submitted is reminded this many days ahead

# Sign-in through the province's OpenID Connect provider, when config.toml has [oidc] client_id = "…"
# (and the provider's endpoints). Local accounts stay: the provider's user is matched to an account
# already created here (by user name, else e-mail), never created, so roles are still given here.
_OIDC = _config().get("oidc", {})
OIDC_ENABLED = bool(_OIDC.get("client_id"))
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS = ["web.oidc.ProvinceAccounts", "django.contrib.auth.backends.ModelBackend"]
    OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET = _OIDC["client_id"], _OIDC.get("client_secret", "")
    OIDC_OP_AUTHORIZATION_ENDPOINT = _OIDC["authorization_endpoint"]
    OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT = _OIDC["token_endpoint"], _OIDC["userinfo_endpoint"]
    OIDC_OP_JWKS_ENDPOINT = _OIDC.get("jwks_endpoint", "")
    OIDC_RP_SIGN_ALGO = _OIDC.get("sign_algo", "RS256")
    OIDC_RP_SCOPES = _OIDC.get("scopes", "openid email profile")
    OIDC_CREATE_USER = False
    LOGIN_REDIRECT_URL_FAILURE = "/dang-nhap/?oidc=khong-duoc"
OIDC_USERNAME_CLAIM = _OIDC.get("username_claim", "preferred_username")
OIDC_LABEL = _OIDC.get("label", "Đăng nhập bằng tài khoản của tỉnh")
