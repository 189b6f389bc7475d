import pytest

from accounts import demo as accounts_demo
from courses import demo as courses_demo
from courses.certificates import demo
from courses.certificates.models import Certificate

pytestmark = pytest.mark.django_db


def test_demo_learner_holds_a_verifiable_certificate_and_loading_twice_changes_nothing(client):
    accounts_demo.load()
    courses_demo.load()
    demo.load()
    demo.load()
    certificate = Certificate.objects.get()
    assert certificate.user.username == demo.LEARNER
    assert certificate.course.code == demo.COURSE_CODE
    assert certificate.pdf and certificate.notified_at
    page = client.get(f"/verify/{certificate.display_code}").content.decode()
    assert "Còn hiệu lực" in page
