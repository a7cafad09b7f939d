from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from web import catalogs, organisation, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password"),
    path("don-vi/<slug:code>/", views.unit_page, name="unit"),
    path("don-vi/<slug:code>/luu/", views.save_evidence, name="save"),
    path("don-vi/<slug:code>/nop/", views.submit, name="submit"),
    path("don-vi/<slug:code>/tai-len/", views.upload, name="upload"),
    path("don-vi/<slug:code>/bieu-mau/", views.upload_workbook, name="workbook"),
    path("don-vi/<slug:code>/giai-trinh/", views.explain, name="explain"),
    path("don-vi/<slug:code>/tham-dinh/", views.appraise, name="appraise"),
    path("don-vi/<slug:code>/mo-lai/", views.reopen, name="reopen"),
    path("don-vi/<slug:code>/cong-bo/", views.publish, name="publish"),
    path("don-vi/<slug:code>/bao-cao/<str:fmt>/", views.unit_report, name="unit_report"),
    path("don-vi/<slug:code>/bieu-mau-excel/", views.unit_template, name="unit_template"),
    path("tep/<int:pk>/", views.attachment, name="attachment"),
    path("tham-dinh/", views.inspector, name="inspector"),
    path("so/", views.dashboard, name="dashboard"),
    path("so/rut-mau/", views.draw, name="draw"),
    path("so/nam-moi/", views.new_year, name="new_year"),
    path("so/co-quan/", organisation.organisation, name="organisation"),
    path("so/bo-tieu-chi/", catalogs.catalogs, name="catalogs"),
    path("so/bo-tieu-chi/tai-len/", catalogs.upload, name="catalog_upload"),
    path("so/bo-tieu-chi/<int:pk>/", catalogs.catalog, name="catalog"),
    path("so/bo-tieu-chi/<int:pk>/sua/<str:code>/", catalogs.edit, name="catalog_edit"),
    path("so/bo-tieu-chi/<int:pk>/chung/", catalogs.edit_catalog, name="catalog_settings"),
    path("so/bo-tieu-chi/<int:pk>/phien-ban-moi/", catalogs.new_version, name="catalog_new_version"),
    path("so/bo-tieu-chi/<int:pk>/cong-bo/", catalogs.publish, name="catalog_publish"),
    path("so/bo-tieu-chi/<int:pk>/yaml/", catalogs.download, name="catalog_yaml"),
    path("nam/", views.choose_year, name="choose_year"),
    path("so/bao-cao/<str:fmt>/", views.reports, name="reports"),
    path("api/units", views.api_units, name="api_units"),
    path("api/units/<slug:code>/score", views.api_score, name="api_score"),
    path("admin/", admin.site.urls),
]

if settings.OIDC_ENABLED:  # the province's sign-in (web/oidc.py): its two views are reached before a login
    from mozilla_django_oidc import views as oidc

    urlpatterns += [
        path(
            "oidc/authenticate/",
            login_not_required(oidc.OIDCAuthenticationRequestView.as_view()),
            name="oidc_authentication_init",
        ),
        path(
            "oidc/callback/",
            login_not_required(oidc.OIDCAuthenticationCallbackView.as_view()),
            name="oidc_authentication_callback",
        ),
    ]
