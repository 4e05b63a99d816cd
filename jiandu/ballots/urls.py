"""Officers' ballot pages, mounted at /ballots/."""

from django.urls import path

from . import views

app_name = "ballots"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.update, name="update"),
    path("<int:pk>/window/", views.window, name="window"),
    path("<int:pk>/rates/", views.rate_display, name="rate_display"),
    path("<int:pk>/eligibility/", views.eligibility, name="eligibility"),
    path("<int:pk>/open/", views.open_view, name="open"),
    path("<int:pk>/close/", views.close_view, name="close"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/codes/", views.codes, name="codes"),
    path("<int:pk>/batches/<int:batch_pk>/void/", views.void_batch, name="void_batch"),
    path("<int:pk>/subjects/<int:subject_pk>/report/", views.report, name="report"),
    path("<int:pk>/paper/", views.paper, name="paper"),
    path("<int:pk>/paper/issue/", views.paper_issue, name="paper_issue"),
    path("<int:pk>/paper/form.pdf", views.paper_form_pdf, name="paper_form_pdf"),
    path("<int:pk>/paper/sheet/", views.paper_sheet, name="paper_sheet"),
    path("<int:pk>/paper/counts/", views.paper_counts, name="paper_counts"),
    path("<int:pk>/paper/post/", views.paper_post_counts, name="paper_post_counts"),
    path("<int:pk>/paper/<int:entry_pk>/resolve/", views.paper_resolve, name="paper_resolve"),
    path("<int:pk>/paper/<int:entry_pk>/void/", views.paper_void, name="paper_void"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.<str:fmt>", views.results_export, name="results_export"),
]
