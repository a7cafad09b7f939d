"""Accounts: one normalisation of user names for every path (login, throttle, `cchc user add`),
Django's password validators wherever a password is set, and the login throttle, kept in the
database so that it survives a restart and is shared by every server process."""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone

from rules.errors import InputError

NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,149}$")


def normalise_username(name: str) -> str:
    """The one form of a user name: NFKC (full-width "ｂ" is "b"), no surrounding spaces, case folded.
    Login, the throttle and `cchc user add` all use it, so " BV-YDCT" is the same account as "bv-ydct"."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def checked_username(name: str) -> str:
    """A new account's name, normalised; InputError unless it is 2-150 of a-z 0-9 . _ @ -."""
    normal = normalise_username(name)
    if not NAME.match(normal):
        raise InputError(
            f"tên đăng nhập «{name}» không hợp lệ: 2–150 ký tự gồm chữ không dấu, số, '.', '_', '@', '-', "
            "bắt đầu bằng chữ hoặc số"
        )
    return normal


def check_password(password: str, user) -> None:
    """Django's validators (length, common passwords, similar to the name, all digits): InputError."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as e:
        raise InputError("mật khẩu không đạt: " + " ".join(e.messages)) from None


# ---- the login throttle ------------------------------------------------------------------------

# One password check at a time: each costs a CPU core for a few hundred ms (PBKDF2), so a flood of
# logins would otherwise take every core from the pages. A login that cannot get its turn soon is
# refused (429) before any hashing: the flood costs the attacker, not the server.
_checking = threading.BoundedSemaphore(1)
CHECK_WAIT_S = 3.0


def password_check_slot() -> bool:
    return _checking.acquire(timeout=CHECK_WAIT_S)


def release_password_check_slot() -> None:
    _checking.release()


def _since() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_WINDOW_S)


def login_refused(name: str, address: str) -> bool:
    """Too many failures within the window: for this name from this address, or for any names from
    this address (guessing across accounts)."""
    from web.models import LoginFailure

    recent = LoginFailure.objects.filter(address=address, at__gte=_since())
    return (
        recent.filter(username=name).count() >= settings.LOGIN_ATTEMPTS
        or recent.count() >= settings.LOGIN_ATTEMPTS_PER_ADDRESS
    )


def login_failed(name: str, address: str) -> None:
    from web.models import LoginFailure

    LoginFailure.objects.filter(at__lt=_since()).delete()  # the table holds one window, no more
    LoginFailure.objects.create(username=name[:150], address=address)


def login_succeeded(name: str, address: str) -> None:
    from web.models import LoginFailure

    LoginFailure.objects.filter(username=name, address=address).delete()
