from django.urls import path

from ttdn.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.items, name="items"),
    path("<int:pk>/", views.item, name="item"),
    path("digest.docx", views.digest, name="digest"),
    path("add/", views.add, name="add"),
    path("add/runs/<int:pk>/", views.run, name="run"),
    path("sources/", views.sources, name="sources"),
    path("sources/<int:pk>/", views.source, name="source"),
    path("sources/<int:pk>/action/", views.source_action, name="source_action"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/", views.alert, name="alert"),
    path("claims/", views.claims, name="claims"),
    path("claims/<int:pk>/", views.claim, name="claim"),
]
