from django.urls import path

from ttdn.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.csv", views.export_csv, name="export"),
    path("<str:code>/", views.unit_detail, name="detail"),
    path("<str:code>/private/", views.unit_private, name="private"),
    path("<str:code>/audit/", views.unit_audit, name="audit"),
]
