from django.urls import path

from ttdn.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/plan.docx", views.plan_docx, name="docx"),
    path("<int:pk>/budget.xlsx", views.plan_xlsx, name="xlsx"),
    path("<int:pk>/actual/", views.plan_actual, name="actual"),
    path("national/", views.national, name="national"),
    path("anniversaries/", views.anniversaries, name="anniversaries"),
    path("staff/", views.staff, name="staff"),
]
