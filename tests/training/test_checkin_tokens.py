"""The rotating QR token and the personal code: what is accepted, what is refused."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from training import checkin


def test_token_works_in_its_30_seconds_and_the_next_then_expires():
    shown = timezone.now().replace(microsecond=0)
    shown -= timedelta(seconds=int(shown.timestamp()) % 30)  # the start of a slot
    token = checkin.rotating_token(7, shown)
    checkin.read_rotating_token(token, session_pk=7, now=shown)
    checkin.read_rotating_token(token, session_pk=7, now=shown + timedelta(seconds=59))
    with pytest.raises(checkin.CheckinError) as refused:
        checkin.read_rotating_token(token, session_pk=7, now=shown + timedelta(seconds=60))
    assert refused.value.code == "expired_token"
    assert "hết hạn" in str(refused.value.message)


def test_code_changes_every_30_seconds():
    now = timezone.now()
    assert checkin.rotating_token(7, now) != checkin.rotating_token(7, now + timedelta(seconds=30))
    assert 1 <= checkin.seconds_left(now) <= 30


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature altered
        lambda t: t.replace("7.", "7.1", 1),  # slot altered under the old signature
        lambda t: signing.Signer(salt="other").sign("7." + t.split(".")[1].split(":")[0]),
        lambda t: "7.123",  # unsigned
        lambda t: "",
        lambda t: "x" * 150,
    ],
)
def test_forged_tokens_are_refused(forge):
    token = checkin.rotating_token(7)
    with pytest.raises(checkin.CheckinError) as refused:
        checkin.read_rotating_token(forge(token), session_pk=7)
    assert refused.value.code == "invalid_token"


def test_token_of_another_session_is_refused_by_name():
    with pytest.raises(checkin.CheckinError) as refused:
        checkin.read_rotating_token(checkin.rotating_token(8), session_pk=7)
    assert refused.value.code == "other_session"
    assert "buổi tập huấn khác" in str(refused.value.message)


def test_token_signed_for_the_future_is_refused():
    future = checkin.rotating_token(7, timezone.now() + timedelta(minutes=5))
    with pytest.raises(checkin.CheckinError) as refused:
        checkin.read_rotating_token(future, session_pk=7)
    assert refused.value.code == "invalid_token"


def test_personal_code_reads_back_forgivingly():
    code = checkin.personal_code(42)
    assert code.startswith("42-") and len(code) == len("42-ABCD-EFGH-JKLM")
    assert checkin.read_personal_code(code) == 42
    assert checkin.read_personal_code(" " + code.lower().replace("-", " - ") + " ") == 42


@pytest.mark.parametrize("mangle", [
    lambda c: "43" + c[2:],  # someone else's number with this card's letters
    lambda c: c[:-1] + ("A" if c[-1] != "A" else "B"),
    lambda c: c[:-2],
    lambda c: "42",
    lambda c: "",
    lambda c: "abc-" + c[3:],
])  # fmt: skip
def test_tampered_personal_codes_are_refused(mangle):
    with pytest.raises(checkin.CheckinError) as refused:
        checkin.read_personal_code(mangle(checkin.personal_code(42)))
    assert refused.value.code == "invalid_code"


def test_personal_codes_differ_per_person_and_depend_on_the_secret(settings):
    codes = {checkin.personal_code(pk).split("-", 1)[1] for pk in range(1, 200)}
    assert len(codes) == 199
    before = checkin.personal_code(42)
    settings.SECRET_KEY = "another-secret-key-for-another-installation-0123456789"
    assert checkin.personal_code(42) != before
