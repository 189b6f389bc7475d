from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from config.ids import IdConverter
from courses import api as courses_api
from courses.certificates import api as certificates_api
from courses.reports import api as reports_api
from frontend import views as frontend_views
from frontend.views import certificates as certificate_views
from quizzes import api as quizzes_api
from training import api as training_api
from training import api_checkin as checkin_api
from training.surveys import api as surveys_api

register_converter(IdConverter, "id")  # before any pattern uses <id:...>
router = DefaultRouter()
router.register("units", accounts_api.UnitViewSet, basename="unit")
router.register("users", accounts_api.UserViewSet, basename="user")
router.register("audit", accounts_api.AuditLogViewSet, basename="audit")
router.register("courses", courses_api.CourseViewSet, basename="course")
router.register("modules", courses_api.ModuleViewSet, basename="module")
router.register("lessons", courses_api.LessonViewSet, basename="lesson")
router.register("enrollments", courses_api.EnrollmentViewSet, basename="enrollment")
router.register("certificates", certificates_api.CertificateViewSet, basename="certificate")
quizzes_api.register(router)
training_api.register(router)
router.register("exports", reports_api.ExportViewSet, basename="report-export")
router.register("surveys", surveys_api.SurveyViewSet, basename="survey")

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", accounts_api.obtain_token, name="api-token"),
    path("me/", accounts_api.me, name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "certificates/verify/<str:code>/",
        certificates_api.verify,
        name="api-certificate-verify",
    ),
    # Reports live under prefixes the router owns: plain paths first.
    path("courses/<id:pk>/gradebook/", reports_api.course_gradebook, name="api-gradebook"),
    path("units/<id:pk>/report/", reports_api.unit_report, name="api-unit-report"),
    path(
        "quizzes/<id:pk>/statistics/",
        reports_api.quiz_statistics_view,
        name="api-quiz-statistics",
    ),
    path("sessions/<id:pk>/check-in/", checkin_api.check_in, name="api-session-check-in"),
    path("sessions/<id:pk>/attendance/", checkin_api.attendance, name="api-session-attendance"),
    path("", include(router.urls)),
]

urlpatterns = [
    # The exam wave's hot path first, before any other route is tried (the
    # router's route stays for the schema; the contract is the same).
    path(
        "api/attempts/<id:pk>/answers/<id:slot>/",
        quizzes_api.save_answer_view,
        name="attempt-answers",  # the router gives the same name to the same URL
    ),
    path("healthz", frontend_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("training/", include("training.urls")),
    path("api/", include(api_urlpatterns)),
    path(".well-known/jwks.json", certificates_api.jwks, name="jwks"),
    path("issuers/<id:pk>", certificates_api.issuer_profile, name="certificate-issuer"),
    path(
        "issuers/<id:pk>/status/<id:number>",
        certificates_api.status_list,
        name="certificate-status-list",
    ),
    path("verify/", certificate_views.verify_form, name="certificate-verify-form"),
    path("verify/<str:code>", certificate_views.verify_detail, name="certificate-verify"),
    path("", include("frontend.urls")),
]

if settings.BENCHMARK:  # `make bench` only: the hello-world ceiling
    urlpatterns.insert(0, path("bench/", include("config.bench")))
