"""Check characters of the national identifiers (GB 32100, GB 11643) and how personal data is masked."""

from __future__ import annotations

import pytest

from hexie.domain.identifiers import (
    ERASED,
    id_check_char,
    id_number_problem,
    mask_id_number,
    mask_personal,
    mask_phone,
    uscc_check_char,
    uscc_problem,
)

# Published codes of real enterprises and the example printed in GB 11643-1999 itself.
REAL_USCC = ("91440300708461136T", "914403001922038216", "91330100716105852F", "9144030071526726XG")
STANDARD_ID = "11010519491231002X"
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@pytest.mark.parametrize("code", REAL_USCC)
def test_published_credit_codes_are_valid(code):
    assert uscc_problem(code) is None
    assert uscc_check_char(code[:17]) == code[17]


def test_the_standards_example_id_number_is_valid():
    assert id_number_problem(STANDARD_ID) is None
    assert id_check_char(STANDARD_ID[:17]) == "X"


@pytest.mark.parametrize("code", REAL_USCC)
def test_any_single_mistyped_character_of_a_credit_code_is_caught(code):
    for i in range(17):
        for c in USCC_CHARS:
            if c != code[i]:
                typo = code[:i] + c + code[i + 1:]
                assert uscc_problem(typo) is not None, typo


def test_any_single_mistyped_digit_of_an_id_number_is_caught():
    for i in range(17):
        for d in "0123456789":
            typo = STANDARD_ID[:i] + d + STANDARD_ID[i + 1:]
            if d != STANDARD_ID[i] and id_number_problem(typo) is None:
                pytest.fail(f"{typo} passes")


def test_swapped_neighbours_of_an_id_number_are_caught():
    for i in range(16):
        a, b = STANDARD_ID[i], STANDARD_ID[i + 1]
        if a != b:
            swapped = STANDARD_ID[:i] + b + a + STANDARD_ID[i + 2:]
            assert id_number_problem(swapped) is not None, swapped


@pytest.mark.parametrize("bad, says", [
    ("91440300708461136", "18"),  # one short
    ("91440300708461136I", "I"),  # a letter the code never uses
    ("91440300708461136t", "18"),  # lower case
])
def test_malformed_credit_codes_say_what_is_wrong(bad, says):
    assert says in uscc_problem(bad)


def test_an_id_number_with_an_impossible_birth_date_is_refused():
    body = "11010519490231002"  # 31 February
    assert "出生日期" in id_number_problem(body + id_check_char(body))
    future = "110105" + "2999" + "0101" + "002"
    assert "出生日期" in id_number_problem(future + id_check_char(future))


def test_masks_keep_region_and_last_four_of_an_id_and_the_ends_of_a_phone():
    assert mask_id_number(STANDARD_ID) == "110105********002X"
    assert mask_phone("13807301234") == "138****1234"
    assert mask_phone("0730-8221948") == "073*-***1948"  # the area code stays, as on a mobile
    assert mask_id_number(ERASED) == ERASED


def test_mask_personal_reaches_nested_fields_and_leaves_the_rest():
    data = {"name": "李明", "id_number": STANDARD_ID, "people": [{"phone": "13807301234", "note": "x"}]}
    masked = mask_personal(data)
    assert masked == {"name": "李明", "id_number": "110105********002X", "people": [{"phone": "138****1234", "note": "x"}]}
    assert data["id_number"] == STANDARD_ID  # a copy: the original is untouched
