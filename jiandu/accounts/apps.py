from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jiandu.accounts"
    label = "accounts"
    verbose_name = "Accounts"
