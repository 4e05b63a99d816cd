from django.urls import path

from . import statistics_views, views

app_name = "dossier"

urlpatterns = [
    path("", views.my_dossier, name="index"),
    path("cadres/<int:pk>/", views.cadre_dossier, name="cadre"),
    path("alerts/", views.alert_list, name="alerts"),
    path("statistics/", statistics_views.yearly_statistics, name="statistics"),
    path("alerts/scan/", views.alert_scan, name="alert_scan"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/handle/", views.alert_handle, name="alert_handle"),
    path("cadres/<int:pk>/photo/", views.cadre_photo, name="cadre_photo"),
    path("cadres/<int:pk>/dossier.pdf", views.cadre_pdf, name="cadre_pdf"),
    path("cadres/<int:pk>/dossier.xlsx", views.cadre_xlsx, name="cadre_xlsx"),
]
