from django.contrib.auth import views as auth_views
from django.urls import path

from tilik.web.accounts import views

urlpatterns = [
    path("masuk/", views.SignIn.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
]

account_urlpatterns = [
    path("", views.account, name="account"),
    path("kata-sandi/", views.PasswordChange.as_view(), name="password_change"),
    path("atur-ulang/<uidb64>/<token>/", views.PasswordResetConfirm.as_view(), name="reset"),
    path("2fa/pasang/", views.otp_setup, name="otp_setup"),
    path("2fa/verifikasi/", views.otp_verify, name="otp_verify"),
    path("2fa/matikan/", views.otp_disable, name="otp_disable"),
    path("2fa/kode-cadangan/", views.otp_codes, name="otp_codes"),
    path("undangan/<str:token>/", views.accept_invite, name="invite"),
    path("instansi/", views.organisations, name="organisations"),
    path("instansi/<int:org_id>/", views.organisation, name="organisation"),
    path("instansi/<int:org_id>/undang/", views.invite, name="invite_new"),
    path(
        "instansi/<int:org_id>/undangan/<int:invitation_id>/tarik/",
        views.withdraw_invite,
        name="invite_withdraw",
    ),
    path("instansi/<int:org_id>/unit/", views.add_unit, name="unit_add"),
    path("instansi/<int:org_id>/pengaturan/", views.organisation_settings, name="org_settings"),
    path(
        "instansi/<int:org_id>/pengguna/<int:user_id>/aktif/", views.set_active, name="set_active"
    ),
    path("instansi/<int:org_id>/pengguna/<int:user_id>/unit/", views.place_member, name="place"),
    path(
        "instansi/<int:org_id>/pengguna/<int:user_id>/atur-ulang/",
        views.issue_reset,
        name="issue_reset",
    ),
    path(
        "instansi/<int:org_id>/pengguna/<int:user_id>/2fa-ulang/",
        views.reset_second_step,
        name="reset_second_step",
    ),
    path("instansi/<int:org_id>/jejak/", views.organisation_audit, name="org_audit"),
    path("instansi/<int:org_id>/jejak.csv", views.organisation_audit_csv, name="org_audit_csv"),
]
