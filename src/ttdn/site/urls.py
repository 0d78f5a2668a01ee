from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ttdn.accounts.forms import LoginForm
from ttdn.site.views import attachment, home

handler400 = "ttdn.site.views.bad_request"
handler403 = "ttdn.site.views.permission_denied"
handler404 = "ttdn.site.views.page_not_found"
handler500 = "ttdn.site.views.server_error"

urlpatterns = [
    path("", home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            redirect_authenticated_user=True,
            authentication_form=LoginForm,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("files/<int:pk>/", attachment, name="attachment"),
    path("orgs/", include("ttdn.orgs.urls")),
    path("docs/", include("ttdn.documents.urls")),
    path("reporting/", include("ttdn.reporting.urls")),
    path("tasks/", include("ttdn.tasks.urls")),
    path("plans/", include("ttdn.plans.urls")),
    path("monitoring/", include("ttdn.monitoring.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
