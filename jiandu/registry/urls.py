from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import RedirectView

from . import views
from .views import conflicts
from .views import lrmx as lrmx_views

app_name = "registry"

urlpatterns = [
    path("", login_required(RedirectView.as_view(pattern_name="registry:cadre_list")), name="index"),
    # units
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/export/", views.units_export, name="units_export"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:parent_pk>/units/new/", views.unit_create, name="unit_create_child"),
    path("units/<int:unit_pk>/positions/new/", views.position_create, name="position_create"),
    # cadres
    path("cadres/", views.cadre_list, name="cadre_list"),
    path("cadres/export/", views.cadres_export, name="cadres_export"),
    path("cadres/new/", views.cadre_create, name="cadre_create"),
    path("cadres/<int:pk>/", views.cadre_detail, name="cadre_detail"),
    path("cadres/<int:pk>/edit/", views.cadre_edit, name="cadre_edit"),
    path("cadres/lrmx/", lrmx_views.cadres_lrmx, name="cadres_lrmx"),
    path("cadres/<int:pk>/lrmx/", lrmx_views.cadre_lrmx, name="cadre_lrmx"),
    path("cadres/<int:pk>/form.pdf", lrmx_views.cadre_form_pdf, name="cadre_form_pdf"),
    path("cadres/<int:pk>/record/", lrmx_views.cadre_record_edit, name="cadre_record_edit"),
    path("cadres/<int:pk>/move/", views.cadre_move, name="cadre_move"),
    path("cadres/<int:pk>/appoint/", views.appoint_cadre, name="appoint_cadre"),
    path("cadres/<int:pk>/relatives/new/", views.relative_add, name="relative_add"),
    path("relatives/<int:pk>/remove/", views.relative_remove, name="relative_remove"),
    path("me/", views.my_record, name="my_record"),
    # positions and tenures
    path("positions/", views.position_list, name="position_list"),
    path("positions/export/", views.positions_export, name="positions_export"),
    path("positions/<int:pk>/", views.position_detail, name="position_detail"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("positions/<int:pk>/appoint/", views.appoint_to_position, name="appoint"),
    path("tenures/", views.tenure_list, name="tenure_list"),
    path("tenures/export/", views.tenures_export, name="tenures_export"),
    path("tenures/<int:pk>/end/", views.tenure_end, name="tenure_end"),
    path("conflicts/", conflicts.conflicts, name="conflicts"),
    # pickers (htmx fragments)
    path("pick/cadres/", views.pick_cadres, name="pick_cadres"),
    path("pick/units/", views.pick_units, name="pick_units"),
    path("pick/positions/", views.pick_positions, name="pick_positions"),
    # xlsx import
    path("import/", views.import_index, name="import_index"),
    path("import/lrmx/", lrmx_views.lrmx_import, name="lrmx_import"),
    path("import/lrmx/<str:token>/", lrmx_views.lrmx_preview, name="lrmx_preview"),
    path("import/template/<slug:kind>.xlsx", views.import_template, name="import_template"),
    path("import/<str:token>/", views.import_preview, name="import_preview"),
    path("import/<str:token>/commit/", views.import_commit, name="import_commit"),
    path("import/<str:token>/cancel/", views.import_cancel, name="import_cancel"),
]
