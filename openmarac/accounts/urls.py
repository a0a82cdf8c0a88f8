from django.urls import path

from . import hub_views, passkeys, setup_views, timeout_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.verify, name="verify"),
    path("sign-in/email-code/", views.email_code, name="email_code"),
    path("sign-in/set-up/", views.enrol, name="enrol"),
    path("sign-in/new-password/", views.new_password, name="new_password"),
    path("set-up/password/", setup_views.setup_password, name="setup_password"),
    path("set-up/<str:token>/", setup_views.setup_link, name="setup_link"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("session/keep-alive/", timeout_views.keep_alive, name="session_keep_alive"),
    path("confirm/", views.confirm, name="confirm"),
    path("security/", views.security, name="security"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/recovery-codes/new/", views.recovery_codes_new, name="recovery_codes_new"),
    path("security/authenticator/", views.totp_add, name="totp_add"),
    path("security/authenticator/<int:device_id>/remove/", views.totp_remove, name="totp_remove"),
    path("security/password/", views.password_change, name="password_change"),
    path("security/sessions/<int:session_id>/end/", views.session_end, name="session_end"),
    path("passkeys/sign-in/options/", passkeys.sign_in_options, name="passkey_sign_in_options"),
    path("passkeys/sign-in/", passkeys.sign_in_complete, name="passkey_sign_in"),
    path("passkeys/register/options/", passkeys.register_options, name="passkey_register_options"),
    path("passkeys/register/", passkeys.register_complete, name="passkey_register"),
    path("passkeys/<int:passkey_id>/remove/", passkeys.remove, name="passkey_remove"),
    path("hub/", hub_views.hub_accounts, name="hub_accounts"),
    path("hub/security-policy/", hub_views.hub_security_policy, name="hub_security_policy"),
    path("hub/<int:user_id>/", hub_views.hub_account, name="hub_account"),
    path(
        "hub/<int:user_id>/<slug:action>/", hub_views.hub_account_action, name="hub_account_action"
    ),
    path("hub/sessions/<int:session_id>/end/", hub_views.hub_session_end, name="hub_session_end"),
]
