from django.urls import path

from . import views

app_name = "matters"

urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.open_year, name="open_year"),
    path("years/<int:year>/", views.year_detail, name="year"),
    path("years/<int:year>/export.xlsx", views.year_export, name="year_export"),
    path("years/<int:year>/draw/", views.draw_make, name="draw_make"),
    path("draws/<int:pk>/", views.draw_detail, name="draw"),
    path("draws/<int:pk>/rerun/", views.draw_rerun, name="draw_rerun"),
    path("mine/", views.mine, name="mine"),
    path("mine/changes/", views.my_events, name="my_events"),
    path("changes/", views.events, name="events"),
    path("reporters/<int:pk>/", views.reporter_detail, name="reporter"),
    path("reporters/<int:pk>/start/", views.reporter_start, name="reporter_start"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/item/", views.report_item, name="report_item"),
    path("reports/<int:pk>/items/<int:position>/remove/", views.report_item_remove, name="report_item_remove"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("checks/", views.checks, name="checks"),
    path("checks/targeted/", views.check_targeted, name="check_targeted"),
    path("checks/<int:pk>/", views.check_detail, name="check"),
    path("checks/<int:pk>/request/", views.check_request, name="check_request"),
    path("checks/<int:pk>/classify/", views.check_classify, name="check_classify"),
    path("checks/<int:pk>/conclude/", views.check_conclude, name="check_conclude"),
    path("requests/<int:pk>/reply/", views.request_reply, name="request_reply"),
    path("passports/", views.passports, name="passports"),
    path("passports/export.xlsx", views.passports_export, name="passports_export"),
    path("passports/register/", views.passports_register, name="passports_register"),
    path("holders/<int:pk>/", views.holder_detail, name="holder"),
    path("holders/<int:pk>/document/", views.holder_document, name="holder_document"),
    path("holders/<int:pk>/travel/", views.holder_travel, name="holder_travel"),
    path("holders/<int:pk>/lend/", views.holder_lend, name="holder_lend"),
    path("travels/<int:pk>/decide/", views.travel_decide, name="travel_decide"),
    path("loans/<int:pk>/return/", views.loan_return, name="loan_return"),
]
