"""Sign-in through the province's OpenID Connect provider (mozilla-django-oidc): the provider says
who the person is, this workspace says what they may do. A person is let in only as an account
created here (`cchc user add` or the admin site), matched by the normalised user name the
provider gives (settings.OIDC_USERNAME_CLAIM), else by e-mail; nobody is created on the fly."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from web.accounts import normalise_username


class ProvinceAccounts(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        name = normalise_username(str(claims.get(settings.OIDC_USERNAME_CLAIM) or ""))
        if name:
            found = User.objects.filter(username=name, is_active=True)
            if found.exists():
                return found
        email = claims.get("email")
        return User.objects.filter(email__iexact=email, is_active=True) if email else User.objects.none()

    def verify_claims(self, claims) -> bool:
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("email"))

    def describe_user_by_claims(self, claims) -> str:
        return f"{settings.OIDC_USERNAME_CLAIM} {claims.get(settings.OIDC_USERNAME_CLAIM)}"
