"""Issue 32: sign-in through the province's OpenID Connect provider lets in only accounts made
here, matched by the provider's user name (normalised) or e-mail; local accounts stay."""

import pytest
from django.contrib.auth.models import User

OIDC = {
    "OIDC_RP_CLIENT_ID": "cchc",
    "OIDC_RP_CLIENT_SECRET": "bi-mat",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://sso.tinh.example/auth",
    "OIDC_OP_TOKEN_ENDPOINT": "https://sso.tinh.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://sso.tinh.example/userinfo",
    "OIDC_RP_SIGN_ALGO": "HS256",
    "OIDC_CREATE_USER": False,
}


@pytest.fixture()
def backend(settings):
    for key, value in OIDC.items():
        setattr(settings, key, value)
    from web.oidc import ProvinceAccounts

    return ProvinceAccounts()


def test_the_provider_user_is_the_account_of_the_same_name(workspace, backend):
    found = backend.filter_users_by_claims({"preferred_username": " TTYT-An-Phu "})
    assert [u.username for u in found] == ["ttyt-an-phu"]


def test_an_unknown_provider_user_is_matched_by_email_or_not_at_all(workspace, backend):
    User.objects.filter(username="tham-dinh").update(email="td@syt.example")
    assert [
        u.username for u in backend.filter_users_by_claims({"preferred_username": "x", "email": "TD@syt.example"})
    ] == ["tham-dinh"]
    assert not backend.filter_users_by_claims({"preferred_username": "nguoi-la"}).exists()
    assert not backend.verify_claims({"sub": "123"})  # neither a name nor an e-mail: refused


def test_the_login_page_offers_the_province_sign_in_only_when_configured(db, client, settings):
    assert 'id="oidc"' not in client.get("/dang-nhap/").content.decode()
    settings.OIDC_ENABLED = True
    page = client.get("/dang-nhap/").content.decode()
    assert 'href="/oidc/authenticate/"' in page and "Đăng nhập bằng tài khoản của tỉnh" in page
    assert "chưa được gán" in client.get("/dang-nhap/?oidc=khong-duoc").content.decode()
