import math

from courses.certificates import codes


def test_codes_carry_at_least_64_random_bits_and_a_check_symbol():
    code = codes.generate()
    assert len(code) == 16
    assert set(code) <= set(codes.ALPHABET)
    assert codes.RANDOM_LENGTH * math.log2(len(codes.ALPHABET)) >= 64
    assert codes.check_symbol(code[:-1]) == code[-1]


def test_codes_are_not_repeated():
    assert len({codes.generate() for _ in range(2000)}) == 2000


def test_typed_code_is_normalised_ignoring_case_hyphens_and_look_alikes():
    code = codes.generate()
    typed = codes.display(code).lower()
    assert codes.normalize(typed) == code
    assert codes.normalize(f"  {code[:8]} {code[8:]} ") == code
    if "0" in code:
        assert codes.normalize(code.replace("0", "O")) == code
    if "1" in code:
        assert codes.normalize(code.replace("1", "l")) == code


def test_every_single_typo_is_caught_by_the_check_symbol():
    code = codes.generate()
    for i in range(len(code)):
        for ch in codes.ALPHABET:
            if ch != code[i]:
                assert codes.normalize(code[:i] + ch + code[i + 1 :]) is None


def test_swapping_neighbours_is_caught():
    for _ in range(50):
        code = codes.generate()
        for i in range(len(code) - 1):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
                assert codes.normalize(swapped) is None


def test_malformed_input_is_not_a_code():
    for bad in ["", None, "abc", "x" * 17, "'; DROP TABLE--", "ĐẶNG-QUỐC-VIỆT-1234", "U" * 16]:
        assert codes.normalize(bad) is None
