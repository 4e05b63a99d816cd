"""Target supervision (目标监督) pages, mounted at /appraisals/."""

from django.urls import path

from .views import cycles, evaluation, proposals, units

app_name = "appraisals"

urlpatterns = [
    path("", cycles.index, name="index"),
    path("my-unit/", cycles.unit_results, name="unit_results"),
    path("new/", cycles.cycle_create, name="cycle_create"),
    path("<int:pk>/", cycles.cycle_detail, name="cycle_detail"),
    path("<int:pk>/edit/", cycles.cycle_update, name="cycle_update"),
    path("<int:pk>/units/add/", cycles.add_unit, name="add_unit"),
    path("<int:pk>/complete/", cycles.complete, name="complete"),
    path("<int:pk>/targets/", cycles.targets_page, name="targets"),
    path("<int:pk>/targets/template.xlsx", cycles.targets_template, name="targets_template"),
    path("<int:pk>/evaluation/", evaluation.evaluation, name="evaluation"),
    path("<int:pk>/evaluation/close/", evaluation.evaluation_close, name="evaluation_close"),
    path("<int:pk>/grades/", evaluation.grades, name="grades"),
    path("<int:pk>/grades/propose/", evaluation.grades_propose, name="grades_propose"),
    path("<int:pk>/results/", evaluation.results, name="results"),
    path("<int:pk>/results.xlsx", evaluation.results_export, name="results_export"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("units/<int:pk>/targets/", units.unit_targets, name="unit_targets"),
    path("units/<int:pk>/remove/", units.unit_remove, name="unit_remove"),
    path("units/<int:pk>/report/", units.unit_report, name="unit_report"),
    path("units/<int:pk>/cadres/add/", units.cadre_add, name="cadre_add"),
    path("cadres/<int:pk>/", units.cadre_detail, name="cadre_detail"),
    path("cadres/<int:pk>/report.pdf", units.cadre_report_file, name="cadre_report_file"),
    path("cadres/<int:pk>/remove/", units.cadre_remove, name="cadre_remove"),
    path("cadres/<int:pk>/uses/", units.cadre_use, name="cadre_use"),
    path("cadres/<int:pk>/follow-ups/", units.follow_up_done, name="follow_up_done"),
    path("proposals/", proposals.proposals, name="proposals"),
    path("proposals/<int:pk>/confirm/", proposals.proposal_confirm, name="proposal_confirm"),
    path("proposals/<int:pk>/dismiss/", proposals.proposal_dismiss, name="proposal_dismiss"),
    path("events/", proposals.events, name="events"),
    path("events/<int:pk>/withdraw/", proposals.event_withdraw, name="event_withdraw"),
]
