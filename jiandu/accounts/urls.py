from django.urls import path

from . import admin_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_verify, name="login_verify"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("me/", views.me, name="me"),
    path("me/sessions/end/", views.end_my_sessions, name="end_my_sessions"),
    path("two-factor/", views.totp_enrol, name="totp_enrol"),
    path("two-factor/off/", views.totp_disable, name="totp_disable"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    # Administration (system and security administrators).
    path("users/", admin_views.user_list, name="user_list"),
    path("users/new/", admin_views.user_create, name="user_create"),
    path("users/<int:pk>/", admin_views.user_detail, name="user_detail"),
    path("users/<int:pk>/password/", admin_views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/disable/", admin_views.user_disable, name="user_disable"),
    path("users/<int:pk>/enable/", admin_views.user_enable, name="user_enable"),
    path("users/<int:pk>/sessions/end/", admin_views.user_end_sessions, name="user_end_sessions"),
    path("users/<int:pk>/roles/", admin_views.role_assign, name="role_assign"),
    path("users/<int:pk>/roles/<int:assignment_pk>/revoke/", admin_views.role_revoke, name="role_revoke"),
    path("users/<int:pk>/unlock/", admin_views.user_unlock, name="user_unlock"),
    path("users/<int:pk>/two-factor/reset/", admin_views.user_reset_totp, name="user_reset_totp"),
]
