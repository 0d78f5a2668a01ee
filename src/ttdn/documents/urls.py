from django.urls import path

from ttdn.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("import/", views.import_start, name="import"),
    path("import/bulk/", views.import_bulk, name="import_bulk"),
    path("import/runs/<int:pk>/", views.import_run, name="import_run"),
    path("import/<str:token>/", views.import_preview, name="import_preview"),
    path("import/<str:token>/save/", views.import_save, name="import_save"),
    path("import/<str:token>/cancel/", views.import_cancel, name="import_cancel"),
    path("expired-bases/", views.expired_bases, name="expired_bases"),
    path("relations/<int:pk>/delete/", views.relation_delete, name="relation_delete"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/reparse/", views.document_reparse, name="reparse"),
    path("<int:pk>/relations/", views.relation_add, name="relation_add"),
    path("<int:pk>/source/", views.document_source, name="source"),
]
