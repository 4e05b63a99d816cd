from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("cadres/", views.cadre_list, name="cadre_list"),
    path("cadres/<int:pk>/", views.cadre_detail, name="cadre_detail"),
    path("me/", views.my_record, name="my_record"),
]
