from django.urls import path

from . import views

app_name = "dossier"

urlpatterns = [
    path("", views.my_dossier, name="index"),
    path("cadres/<int:pk>/", views.cadre_dossier, name="cadre"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("cadres/<int:pk>/photo/", views.cadre_photo, name="cadre_photo"),
    path("cadres/<int:pk>/dossier.pdf", views.cadre_pdf, name="cadre_pdf"),
    path("cadres/<int:pk>/dossier.xlsx", views.cadre_xlsx, name="cadre_xlsx"),
]
