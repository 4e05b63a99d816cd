from django.urls import path

from . import accountability_views, checks_views, reconsider_views, survey_views, views

app_name = "selection"

urlpatterns = [
    path("", views.index, name="index"),
    path("overdue/", views.overdue, name="overdue"),
    path("cases/new/", views.new_case, name="new_case"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/stage/<str:stage>/", views.record_stage, name="record_stage"),
    path("cases/<int:pk>/candidates/new/", views.add_candidate, name="add_candidate"),
    path("cases/<int:pk>/canvassing/", views.record_canvassing, name="record_canvassing"),
    path("cases/<int:pk>/approval/", views.prior_approval, name="prior_approval"),
    path("cases/<int:pk>/vetting/send/", views.send_vetting, name="send_vetting"),
    path("cases/<int:pk>/candidates/<int:candidate_pk>/override/", views.override_vetting, name="override_vetting"),
    path("cases/<int:pk>/decision/", views.record_decision, name="record_decision"),
    path("cases/<int:pk>/notice/", views.start_notice, name="start_notice"),
    path("cases/<int:pk>/objections/new/", views.record_objection, name="record_objection"),
    path("cases/<int:pk>/objections/<int:objection_pk>/resolve/", views.resolve_objection, name="resolve_objection"),
    path("cases/<int:pk>/candidates/<int:candidate_pk>/file-review/", checks_views.file_review, name="file_review"),
    path("cases/<int:pk>/candidates/<int:candidate_pk>/reconsider/", reconsider_views.reconsider, name="reconsider"),
    path("cases/<int:pk>/candidates/<int:candidate_pk>/appoint/", views.appoint, name="appoint"),
    path("cases/<int:pk>/candidates/<int:candidate_pk>/probation/", views.review_probation, name="review_probation"),
    path("cases/<int:pk>/candidates/<int:candidate_pk>/sheet.pdf", views.record_sheet_pdf, name="sheet_pdf"),
    path("cases/<int:pk>/candidates/<int:candidate_pk>/sheet.xlsx", views.record_sheet_xlsx, name="sheet_xlsx"),
    path("cases/<int:pk>/candidates/<int:candidate_pk>/trace/", accountability_views.trace_report, name="trace"),
    path("cases/<int:pk>/candidates/<int:candidate_pk>/trace.pdf", accountability_views.trace_pdf, name="trace_pdf"),
    path("cases/<int:pk>/candidates/<int:candidate_pk>/trace.xlsx", accountability_views.trace_xlsx, name="trace_xlsx"),
    path("cases/<int:pk>/candidates/<int:candidate_pk>/reviews/new/", accountability_views.review_new, name="review_new"),
    path("cases/<int:pk>/reviews/<int:review_pk>/conclude/", accountability_views.review_conclude, name="review_conclude"),
    path("tenures/<int:tenure_pk>/trace/", accountability_views.trace_tenure, name="trace_tenure"),
    path("vetting/<int:pk>/", views.vetting_request, name="vetting"),
    path("survey/", survey_views.surveys, name="surveys"),
    path("survey/new/", survey_views.new_survey, name="new_survey"),
    path("survey/<int:pk>/", survey_views.survey_detail, name="survey"),
    path("survey/<int:pk>/close/", survey_views.close_survey, name="close_survey"),
    path("survey/<int:pk>/report/", survey_views.survey_report, name="survey_report"),
    path("survey/<int:pk>/results.xlsx", survey_views.survey_xlsx, name="survey_xlsx"),
    path("survey/<int:pk>/appointees/<int:appointee_pk>/note/", survey_views.survey_note, name="survey_note"),
]
