from django.urls import path

from ttdn.tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("review/<int:doc_pk>/", views.review, name="review"),
    path("overdue/", views.overdue, name="overdue"),
    path("overdue/letter.docx", views.overdue_letter, name="letter"),
    path("calendar/<str:unit_code>.ics", views.calendar_feed, name="calendar"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.open_notification, name="notification"),
]
