"""The unit admin in Chromium: assign a course with a relative deadline, read the roll-up and
the certificate register, revoke a certificate and see the public page say so."""

import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from courses.certificates.models import Certificate
from courses.models import Enrollment

from ..conftest import PASSWORD
from .conftest import check_page, log_in
from .world import complete, learner_world

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_text(path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("needs poppler-utils (pdftotext)")
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_admin_assigns_reads_rollup_and_revokes_a_certificate(cast, page, new_page):
    world = learner_world(cast)
    appointed = date.today() - timedelta(days=3)
    User.objects.filter(pk=cast.other_learner.pk).update(appointment_date=appointed)
    complete(world, cast.learner)
    certificate = Certificate.objects.get(user=cast.learner)

    log_in(page, "admin", PASSWORD)
    page.goto(f"/courses/{world.course.pk}/enrolments/")
    check_page(page, focus=True)
    page.get_by_label(re.compile(r"^Đơn vị:?$")).select_option(str(cast.cell_a1.pk))
    expect(page.locator("input[name=deadline_kind][value=relative]")).to_be_checked()
    page.get_by_role("spinbutton", name=re.compile("Số ngày sau ngày bổ nhiệm")).fill("30")
    page.get_by_role("button", name="Giao khóa học").click()
    due = appointed + timedelta(days=30)
    expect(page.get_by_role("row", name=re.compile("Đặng Quốc Việt"))).to_contain_text(
        due.strftime("%d/%m/%Y")
    )
    assert Enrollment.objects.get(user=cast.other_learner, course=world.course).due_date == due
    check_page(page)

    # The roll-up: two enrolled in cell A1, one complete.
    page.goto("/reports/")
    check_page(page)
    page.goto(f"/reports/units/{cast.bloc.pk}/?course={world.course.pk}")
    expect(page.get_by_role("heading", name=re.compile("Tổng hợp"))).to_be_visible()
    total = page.locator("tfoot tr")
    expect(total).to_contain_text("Tổng")
    assert [c.strip() for c in total.locator("td").all_inner_texts()[:2]] == ["2", "1"]
    check_page(page)

    # The register, then the revocation.
    page.get_by_role("link", name="Chứng nhận").first.click()
    page.goto("/certificates/register/")
    row = page.get_by_role("row", name=re.compile(certificate.serial))
    expect(row).to_contain_text("Nguyễn Thị Hồng Nhung")
    check_page(page)
    row.get_by_role("link", name=re.compile("Thu hồi")).click()
    check_page(page)
    page.get_by_label(re.compile("Lý do thu hồi")).fill("Cấp nhầm người.")
    page.get_by_role("button", name="Thu hồi").click()
    page.wait_for_url(re.compile(r"/certificates/register/"))
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED

    # The PDF the register hands out from now on is stamped (issue 17, item 5).
    row = page.get_by_role("row", name=re.compile(certificate.serial))
    expect(row).to_contain_text("Đã thu hồi")
    with page.expect_download() as download:
        row.get_by_role("link", name=re.compile(r"^PDF")).click()
    text = pdf_text(download.value.path())
    assert "ĐÃ THU HỒI" in text
    assert f"Ngày thu hồi: {timezone.localdate(certificate.revoked_at):%d/%m/%Y}" in text

    stranger = new_page(bypass_csp=True)
    stranger.goto(certificate.get_absolute_url())
    expect(stranger.get_by_text("Đã thu hồi").first).to_be_visible()
    expect(stranger.locator("main")).to_contain_text("Cấp nhầm người.")
    check_page(stranger)
