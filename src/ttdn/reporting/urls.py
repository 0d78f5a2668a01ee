from django.urls import path

from ttdn.reporting.views import submissions as report_views
from ttdn.reporting.views import tracking as views

app_name = "reporting"
urlpatterns = [
    path("", report_views.form_list, name="forms"),
    path("forms/<str:form_code>/<str:period_code>/", report_views.period_view, name="period"),
    path("forms/<str:form_code>/<str:period_code>/totals/", report_views.totals_view, name="totals"),
    path(
        "forms/<str:form_code>/<str:period_code>/<str:unit_code>/",
        report_views.submission_view,
        name="submission",
    ),
    path("tracking/", views.tracking_table, name="tracking"),
    path("tracking/import/", views.tracking_import, name="tracking_import"),
    path("tracking/export.<str:fmt>", views.tracking_export, name="tracking_export"),
]
