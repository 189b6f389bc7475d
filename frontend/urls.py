from django.urls import path

from . import views
from .views import certificates, checkin, people
from .views.courses import authoring as course_authoring
from .views.courses import enrolment as course_enrolment
from .views.courses import learner as course_learner
from .views.quizzes import bank as quiz_bank
from .views.quizzes import builder as quiz_builder
from .views.quizzes import builder_slots as quiz_slots
from .views.quizzes import editor as quiz_editor
from .views.quizzes import grading as quiz_grading
from .views.quizzes import learner as quiz_learner
from .views.quizzes import media as quiz_media
from .views.reports import attempts as report_attempts
from .views.reports import exports as report_exports
from .views.reports import gradebook as report_gradebook
from .views.reports import pages as report_pages
from .views.reports import quizzes as report_quizzes
from .views.reports import units as report_units
from .views.surveys import learner as survey_learner
from .views.surveys import sheets as session_sheets
from .views.surveys import trainer as survey_trainer
from .views.training import sessions as training_sessions

app_name = "frontend"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("units/", people.unit_list, name="unit-list"),
    path("units/new/", people.unit_form, name="unit-create"),
    path("units/<id:pk>/", people.unit_detail, name="unit-detail"),
    path("units/<id:pk>/edit/", people.unit_form, name="unit-edit"),
    path("users/", people.user_list, name="user-list"),
    path("users/new/", people.user_form, name="user-create"),
    path("users/import/", people.user_import, name="user-import"),
    path("users/import/template.xlsx", people.user_import_template, name="user-import-template"),
    path("users/<id:pk>/edit/", people.user_form, name="user-edit"),
    path("users/<id:pk>/deactivate/", people.user_deactivate, name="user-deactivate"),
    path("audit/", people.audit_list, name="audit-list"),
    # Courses: learner pages
    path("courses/", course_learner.course_list, name="course-list"),
    path("courses/<id:pk>/", course_learner.course_detail, name="course-detail"),
    path("courses/<id:pk>/enrol/", course_learner.course_enrol, name="course-enrol"),
    path("lessons/<id:pk>/", course_learner.lesson_detail, name="lesson-detail"),
    path("lessons/<id:pk>/done/", course_learner.lesson_done, name="lesson-done"),
    path("attachments/<id:pk>/", course_learner.attachment_download, name="attachment-download"),
    path("notices/read/", course_learner.notices_read, name="notices-read"),
    # Courses: enrolment (admins) and authoring (trainers)
    path(
        "courses/<id:pk>/enrolments/",
        course_enrolment.course_enrolments,
        name="course-enrolments",
    ),
    path(
        "enrolments/<id:pk>/unenrol/",
        course_enrolment.enrolment_unenrol,
        name="enrolment-unenrol",
    ),
    path("authoring/", course_authoring.course_list, name="authoring-list"),
    path("authoring/new/", course_authoring.course_form, name="authoring-course-create"),
    path("authoring/<id:pk>/", course_authoring.course_builder, name="authoring-course"),
    path("authoring/<id:pk>/edit/", course_authoring.course_form, name="authoring-course-edit"),
    path(
        "authoring/<id:pk>/status/",
        course_authoring.course_status,
        name="authoring-course-status",
    ),
    path("authoring/<id:pk>/modules/", course_authoring.module_add, name="authoring-module-add"),
    path(
        "authoring/<id:pk>/modules/<id:module_pk>/edit/",
        course_authoring.module_edit,
        name="authoring-module-edit",
    ),
    path(
        "authoring/<id:pk>/modules/<id:module_pk>/move/",
        course_authoring.module_move,
        name="authoring-module-move",
    ),
    path(
        "authoring/<id:pk>/modules/<id:module_pk>/delete/",
        course_authoring.module_delete,
        name="authoring-module-delete",
    ),
    path(
        "authoring/<id:pk>/modules/<id:module_pk>/lessons/new/",
        course_authoring.lesson_form,
        name="authoring-lesson-create",
    ),
    path(
        "authoring/<id:pk>/lessons/<id:lesson_pk>/",
        course_authoring.lesson_form,
        name="authoring-lesson-edit",
    ),
    path(
        "authoring/<id:pk>/lessons/<id:lesson_pk>/move/",
        course_authoring.lesson_move,
        name="authoring-lesson-move",
    ),
    path(
        "authoring/<id:pk>/lessons/<id:lesson_pk>/delete/",
        course_authoring.lesson_delete,
        name="authoring-lesson-delete",
    ),
    path(
        "authoring/<id:pk>/lessons/<id:lesson_pk>/attachments/",
        course_authoring.attachment_add,
        name="authoring-attachment-add",
    ),
    path(
        "authoring/<id:pk>/attachments/<id:attachment_pk>/delete/",
        course_authoring.attachment_delete,
        name="authoring-attachment-delete",
    ),
    # Quizzes: taking them (learners)
    path("quizzes/<id:pk>/", quiz_learner.quiz_start, name="quiz-start"),
    path("quizzes/<id:pk>/start/", quiz_learner.attempt_start, name="quiz-attempt-start"),
    path("attempts/<id:pk>/", quiz_learner.attempt_page, name="quiz-attempt"),
    path("attempts/<id:pk>/flag/<id:slot_pk>/", quiz_learner.attempt_flag, name="quiz-flag"),
    path("attempts/<id:pk>/page/", quiz_learner.attempt_reach_page, name="quiz-page"),
    path("attempts/<id:pk>/summary/", quiz_learner.attempt_summary, name="quiz-summary"),
    path("attempts/<id:pk>/submit/", quiz_learner.attempt_submit, name="quiz-submit"),
    path("attempts/<id:pk>/result/", quiz_learner.attempt_result, name="quiz-result"),
    # Quizzes: bank, builder and hand marking (trainers)
    path("bank/", quiz_bank.bank_index, name="quiz-bank"),
    path("bank/categories/new/", quiz_bank.category_create, name="quiz-category-create"),
    path("bank/questions/new/", quiz_editor.question_create, name="quiz-question-create"),
    path("bank/questions/<id:pk>/edit/", quiz_editor.question_edit, name="quiz-question-edit"),
    path(
        "bank/questions/<id:pk>/fix-key/",
        quiz_bank.question_fix_key,
        name="quiz-question-fix-key",
    ),
    path(
        "bank/questions/<id:pk>/media/<str:name>",
        quiz_media.question_media,
        name="quiz-question-media",
    ),
    path("bank/import/", quiz_bank.bank_import, name="quiz-bank-import"),
    path("bank/import/confirm/", quiz_bank.bank_import_confirm, name="quiz-bank-import-confirm"),
    path("bank/import/template.xlsx", quiz_bank.bank_import_template, name="quiz-bank-template"),
    path("bank/export/<str:fmt>/", quiz_bank.bank_export, name="quiz-bank-export"),
    path("quiz-admin/", quiz_builder.quiz_list, name="quiz-manage"),
    path("quiz-admin/new/", quiz_builder.quiz_form, name="quiz-create"),
    path("quiz-admin/<id:pk>/", quiz_builder.quiz_builder, name="quiz-builder"),
    path("quiz-admin/<id:pk>/edit/", quiz_builder.quiz_form, name="quiz-edit"),
    path("quiz-admin/<id:pk>/add/", quiz_builder.quiz_add_questions, name="quiz-add-questions"),
    path("quiz-admin/<id:pk>/random/", quiz_builder.quiz_add_random, name="quiz-add-random"),
    path("quiz-admin/<id:pk>/pool/", quiz_builder.quiz_pool, name="quiz-pool"),
    path("quiz-admin/<id:pk>/preview/", quiz_builder.quiz_preview, name="quiz-preview"),
    path("quiz-admin/<id:pk>/reorder/", quiz_slots.quiz_reorder, name="quiz-reorder"),
    path("quiz-admin/<id:pk>/max-grade/", quiz_slots.quiz_max_grade, name="quiz-max-grade"),
    path(
        "quiz-admin/<id:pk>/items/<id:item_pk>/",
        quiz_slots.quiz_item_update,
        name="quiz-item-update",
    ),
    path(
        "quiz-admin/<id:pk>/items/<id:item_pk>/move/",
        quiz_slots.quiz_item_move,
        name="quiz-item-move",
    ),
    path(
        "quiz-admin/<id:pk>/items/<id:item_pk>/delete/",
        quiz_slots.quiz_item_delete,
        name="quiz-item-delete",
    ),
    path("quiz-admin/<id:pk>/overrides/", quiz_builder.quiz_override, name="quiz-override"),
    path("grading/", quiz_grading.grading_queue, name="grading-queue"),
    path("grading/<id:pk>/", quiz_grading.grading_attempt, name="grading-attempt"),
    path("grading/slots/<id:pk>/", quiz_grading.grading_slot, name="grading-slot"),
    # Training sessions (tập huấn)
    path("sessions/", training_sessions.session_list, name="session-list"),
    path("sessions/new/", training_sessions.session_form, name="session-create"),
    path("sessions/calendar/", training_sessions.calendar_page, name="session-calendar"),
    path("sessions/<id:pk>/", training_sessions.session_detail, name="session-detail"),
    path("sessions/<id:pk>/edit/", training_sessions.session_form, name="session-edit"),
    path("sessions/<id:pk>/cancel/", training_sessions.session_cancel, name="session-cancel"),
    path("sessions/<id:pk>/respond/", training_sessions.session_respond, name="session-respond"),
    path("sessions/<id:pk>/materials/", training_sessions.material_add, name="material-add"),
    path("materials/<id:pk>/", training_sessions.material_download, name="material-download"),
    path("materials/<id:pk>/delete/", training_sessions.material_delete, name="material-delete"),
    path(
        "authoring/<id:pk>/attendance/",
        training_sessions.attendance_rules,
        name="attendance-rules",
    ),
    path("certificates/", certificates.my_certificates, name="my-certificates"),
    path("certificates/<id:pk>/pdf/", certificates.certificate_pdf, name="certificate-pdf"),
    path(
        "certificates/<id:pk>/credential/",
        certificates.certificate_credential,
        name="certificate-credential",
    ),
    path(
        "certificates/<id:pk>/revoke/", certificates.certificate_revoke, name="certificate-revoke"
    ),
    path(
        "certificates/<id:pk>/reissue/",
        certificates.certificate_reissue,
        name="certificate-reissue",
    ),
    path("certificates/<id:pk>/keep/", certificates.certificate_keep, name="certificate-keep"),
    path("certificates/register/", certificates.register, name="certificate-register"),
    path(
        "certificates/courses/",
        certificates.course_settings_list,
        name="certificate-settings-list",
    ),
    path(
        "certificates/courses/<id:pk>/",
        certificates.course_settings,
        name="certificate-settings",
    ),
    path(
        "certificates/courses/<id:pk>/preview.pdf",
        certificates.course_settings_preview,
        name="certificate-settings-preview",
    ),
    path(
        "certificates/register/export.xlsx",
        certificates.register_export,
        name="certificate-register-xlsx",
    ),
    path("certificates/register/zip/", certificates.register_zip, name="certificate-register-zip"),
    path("certificates/exports/<id:pk>/", certificates.export_status, name="certificate-export"),
    path(
        "certificates/exports/<id:pk>/download/",
        certificates.export_download,
        name="certificate-export-download",
    ),
    # Reports (trainers and admins)
    path("reports/", report_pages.index, name="reports"),
    path("reports/review/", report_pages.review_queue, name="report-review"),
    path(
        "reports/courses/<id:pk>/gradebook/",
        report_gradebook.course_gradebook,
        name="report-gradebook",
    ),
    path(
        "reports/courses/<id:course_pk>/learners/<id:user_pk>/",
        report_gradebook.learner_report,
        name="report-learner",
    ),
    path("reports/units/<id:pk>/", report_units.unit_report, name="report-unit"),
    path(
        "reports/quizzes/<id:pk>/statistics/",
        report_quizzes.statistics,
        name="report-statistics",
    ),
    path("reports/quizzes/<id:pk>/monitor/", report_quizzes.quiz_monitor, name="report-monitor"),
    path("reports/attempts/<id:pk>/", report_attempts.attempt_detail, name="report-attempt"),
    path(
        "reports/attempts/<id:pk>/override/",
        report_attempts.attempt_override,
        name="report-attempt-override",
    ),
    path("reports/exports/", report_exports.export_create, name="report-export-create"),
    path("reports/exports/<id:pk>/", report_exports.export_status, name="report-export"),
    path(
        "reports/exports/<id:pk>/download/",
        report_exports.export_download,
        name="report-export-download",
    ),
    # Evaluation surveys, attendance sheets and the attendance drill-down (issue 19)
    path("surveys/<id:pk>/", survey_learner.survey_fill, name="survey-fill"),
    path("courses/<id:pk>/surveys/", survey_trainer.course_surveys, name="course-surveys"),
    path("surveys/<id:pk>/edit/", survey_trainer.survey_edit, name="survey-edit"),
    path(
        "surveys/<id:pk>/questions/<id:question_pk>/delete/",
        survey_trainer.question_delete,
        name="survey-question-delete",
    ),
    path("surveys/<id:pk>/results/", survey_trainer.survey_results_page, name="survey-results"),
    path(
        "surveys/<id:pk>/results.xlsx",
        survey_trainer.survey_results_xlsx,
        name="survey-results-xlsx",
    ),
    path(
        "sessions/<id:pk>/attendance-sheet.xlsx",
        session_sheets.sheet_xlsx_view,
        name="session-sheet-xlsx",
    ),
    path(
        "sessions/<id:pk>/attendance-sheet.pdf",
        session_sheets.sheet_pdf_view,
        name="session-sheet-pdf",
    ),
    path(
        "reports/units/<id:pk>/attendance/",
        session_sheets.unit_attendance,
        name="report-unit-attendance",
    ),
    # Training sessions: attendance (issue 19)
    path("profile/", checkin.profile, name="profile"),
    path("sessions/<id:pk>/check-in/", checkin.checkin_scan, name="checkin-scan"),
    path("sessions/<id:pk>/check-in/screen/", checkin.checkin_screen, name="checkin-screen"),
    path("sessions/<id:pk>/check-in/scanner/", checkin.checkin_scanner, name="checkin-scanner"),
    path("sessions/<id:pk>/roll-call/", checkin.roll_call, name="roll-call"),
    path(
        "sessions/<id:pk>/roll-call/<id:user_pk>/",
        checkin.roll_call_edit,
        name="roll-call-edit",
    ),
]
