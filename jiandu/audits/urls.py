from django.urls import path

from . import views

app_name = "audits"

urlpatterns = [
    path("", views.index, name="index"),
    path("departures/", views.departures, name="departures"),
    path("departures/<int:pk>/exempt/", views.departure_exempt, name="departure_exempt"),
    path("handovers/", views.handover_list, name="handovers"),
    path("handovers/<int:pk>/", views.handover_detail, name="handover_detail"),
    path("handovers/<int:pk>/parties/", views.handover_parties, name="handover_parties"),
    path("handovers/<int:pk>/item/", views.handover_item, name="handover_item"),
    path("handovers/<int:pk>/sign/", views.handover_sign, name="handover_sign"),
    path("handovers/<int:pk>/handover.pdf", views.handover_pdf, name="handover_pdf"),
    path("exemptions/<int:pk>/decision/", views.exemption_decide, name="exemption_decide"),
    path("audits/", views.audit_list, name="audits"),
    path("audits/in-term/", views.start_in_term, name="start_in_term"),
    path("candidates/", views.candidates, name="candidates"),
    path("plans/", views.plans, name="plans"),
    path("plans/draft/", views.plan_draft, name="plan_draft"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/add/", views.plan_add, name="plan_add"),
    path("plans/<int:pk>/remove/", views.plan_remove, name="plan_remove"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("audits/<int:pk>/", views.audit_detail, name="audit_detail"),
    path("audits/<int:pk>/notice/", views.audit_notice, name="audit_notice"),
    path("audits/<int:pk>/fieldwork/", views.audit_fieldwork, name="audit_fieldwork"),
    path("audits/<int:pk>/draft/", views.audit_draft, name="audit_draft"),
    path("audits/<int:pk>/comments/", views.audit_comments, name="audit_comments"),
    path("audits/<int:pk>/report/", views.audit_report, name="audit_report"),
    path("audits/<int:pk>/finding/", views.audit_finding, name="audit_finding"),
    path("audits/<int:pk>/close/", views.audit_close, name="audit_close"),
    path("findings/", views.findings, name="findings"),
    path("findings/<int:pk>/progress/", views.finding_progress, name="finding_progress"),
    path("findings/<int:pk>/verify/", views.finding_verify, name="finding_verify"),
    path("findings/<int:pk>/clue/", views.finding_clue, name="finding_clue"),
    path("audits/<int:pk>/notice.pdf", views.audit_notice_pdf, name="audit_notice_pdf"),
]
