from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("", views.index, name="index"),
    path("files/<int:pk>/", views.download, name="download"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("cadres/<int:cadre_pk>/", views.cadre_oversight, name="cadre"),
    # dispositions and yellow cards
    path("dispositions/", views.disposition_list, name="disposition_list"),
    path("dispositions/new/", views.disposition_create, name="disposition_create"),
    path("dispositions/yellow-card/", views.admonishment_create, name="admonishment_create"),
    path("dispositions/<int:pk>/", views.disposition_detail, name="disposition_detail"),
    path("dispositions/<int:pk>/correct/", views.disposition_correct, name="disposition_correct"),
    path("dispositions/<int:pk>/revoke/", views.disposition_revoke, name="disposition_revoke"),
    path("dispositions/<int:pk>/document/", views.disposition_document, name="disposition_document"),
    # yellow cards from the annual appraisal
    path("yellow-cards/", views.yellow_card_list, name="yellow_card_list"),
    path("yellow-cards/<int:pk>/", views.yellow_card_detail, name="yellow_card_detail"),
    path("yellow-cards/<int:pk>/confirm/", views.yellow_card_confirm, name="yellow_card_confirm"),
    path("yellow-cards/<int:pk>/dismiss/", views.yellow_card_dismiss, name="yellow_card_dismiss"),
    # talks
    path("talks/", views.talk_list, name="talk_list"),
    path("talks/new/", views.talk_create, name="talk_create"),
    path("talks/<int:pk>/", views.talk_detail, name="talk_detail"),
    path("talks/<int:pk>/hold/", views.talk_hold, name="talk_hold"),
    path("talks/<int:pk>/follow-up/", views.talk_follow_up, name="talk_follow_up"),
    path("talks/<int:pk>/explanation/", views.talk_explanation, name="talk_explanation"),
    path("talks/<int:pk>/sign-off/", views.talk_sign_off, name="talk_sign_off"),
    path("talks/<int:pk>/cancel/", views.talk_cancel, name="talk_cancel"),
    # written inquiries
    path("inquiries/", views.inquiry_list, name="inquiry_list"),
    path("inquiries/mine/", views.my_inquiries, name="my_inquiries"),
    path("inquiries/new/", views.inquiry_create, name="inquiry_create"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("inquiries/<int:pk>/letter.pdf", views.inquiry_letter, name="inquiry_letter"),
    path("inquiries/<int:pk>/edit/", views.inquiry_edit, name="inquiry_edit"),
    path("inquiries/<int:pk>/issue/", views.inquiry_issue, name="inquiry_issue"),
    path("inquiries/<int:pk>/delivery/", views.inquiry_deliver, name="inquiry_deliver"),
    path("inquiries/<int:pk>/reply/", views.inquiry_reply, name="inquiry_reply"),
    path("inquiries/<int:pk>/sign-off/", views.inquiry_sign_off, name="inquiry_sign_off"),
    path("inquiries/<int:pk>/assess/", views.inquiry_assess, name="inquiry_assess"),
    path("inquiries/<int:pk>/withdraw/", views.inquiry_withdraw, name="inquiry_withdraw"),
    # clues and the joint meeting
    path("clues/", views.clue_list, name="clue_list"),
    path("clues/new/", views.clue_create, name="clue_create"),
    path("clues/<int:pk>/", views.clue_detail, name="clue_detail"),
    path("clues/<int:pk>/transfer/", views.clue_transfer, name="clue_transfer"),
    path("clues/<int:pk>/receipt/", views.clue_receive, name="clue_receive"),
    path("clues/<int:pk>/feedback/", views.clue_feedback, name="clue_feedback"),
    path("clues/<int:pk>/close/", views.clue_close, name="clue_close"),
    path("joint/", views.joint, name="joint"),
    path("joint/members/new/", views.member_add, name="member_add"),
    path("joint/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("joint/meetings/new/", views.meeting_create, name="meeting_create"),
    path("joint/meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    # inspection tours
    path("tours/", views.tour_list, name="tour_list"),
    path("tours/new/", views.tour_create, name="tour_create"),
    path("tours/rectification/", views.rectification_list, name="rectification_list"),
    path("tours/<int:pk>/", views.tour_detail, name="tour_detail"),
    path("tours/<int:pk>/<slug:step>/", views.tour_step, name="tour_step"),
    path("tours/<int:pk>/<slug:step>/<int:child>/", views.tour_step, name="tour_step_child"),
    # duty and integrity reports
    path("duty/", views.duty_report_list, name="duty_report_list"),
    path("duty/plan/", views.duty_plan, name="duty_plan"),
    path("duty/sessions/", views.duty_session_list, name="duty_session_list"),
    path("duty/sessions/new/", views.duty_session_create, name="duty_session_create"),
    path("duty/sessions/<int:pk>/", views.duty_session_detail, name="duty_session_detail"),
    path("duty/sessions/<int:pk>/ballot/", views.duty_session_ballot, name="duty_session_ballot"),
    path("duty/sessions/<int:pk>/import/", views.duty_session_import, name="duty_session_import"),
    path("duty/<int:pk>/", views.duty_report_detail, name="duty_report_detail"),
    path("duty/<int:pk>/submit/", views.duty_submit, name="duty_submit"),
    path("duty/<int:pk>/evaluate/", views.duty_evaluate, name="duty_evaluate"),
    path("duty/<int:pk>/opinion/", views.duty_opinion, name="duty_opinion"),
]
