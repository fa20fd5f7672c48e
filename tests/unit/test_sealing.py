"""Personal data sealed per person (AES-GCM), keys wrapped by the master key: in memory, no database."""

from __future__ import annotations

import secrets

import pytest
from cryptography.exceptions import InvalidTag

from hexie.domain.identifiers import ERASED
from hexie.domain.sealing import is_sealed, seal, seal_fields, unseal, unseal_fields, unwrap, wrap

PERSON, OTHER = "7b0e6a5c-0000-4000-8000-000000000001", "7b0e6a5c-0000-4000-8000-000000000002"
DATA = {"name": "李明", "id_number": "11010519491231002X", "phone": "13807301234", "headcount": 3}


def test_personal_fields_are_sealed_and_open_again_with_the_persons_key():
    key = secrets.token_bytes(32)
    sealed = seal_fields(DATA, PERSON, key)
    assert sealed["name"] == "李明" and sealed["headcount"] == 3  # only personal data is sealed
    assert is_sealed(sealed["id_number"]) and is_sealed(sealed["phone"])
    assert "11010519491231002X" not in str(sealed) and "13807301234" not in str(sealed)
    assert unseal_fields(sealed, PERSON, key) == DATA


def test_the_same_value_seals_differently_each_time():
    key = secrets.token_bytes(32)
    assert seal(key, PERSON, "phone", "13807301234") != seal(key, PERSON, "phone", "13807301234")


def test_a_sealed_value_is_bound_to_its_person_and_field():
    key = secrets.token_bytes(32)
    token = seal(key, PERSON, "phone", "13807301234")
    with pytest.raises(InvalidTag):  # copied onto another person's event
        unseal(key, OTHER, "phone", token)
    with pytest.raises(InvalidTag):  # moved to another field
        unseal(key, PERSON, "contact_phone", token)
    with pytest.raises(InvalidTag):  # under another key
        unseal(secrets.token_bytes(32), PERSON, "phone", token)


def test_without_the_key_sealed_fields_read_as_erased():
    key = secrets.token_bytes(32)
    sealed = seal_fields(DATA, PERSON, key)
    assert unseal_fields(sealed, PERSON, None) == {**DATA, "id_number": ERASED, "phone": ERASED}


def test_person_keys_are_wrapped_by_the_master_key_for_their_own_case():
    master, key = secrets.token_bytes(32), secrets.token_bytes(32)
    wrapped = wrap(master, PERSON, key)
    assert unwrap(master, PERSON, wrapped) == key
    with pytest.raises(InvalidTag):
        unwrap(master, OTHER, wrapped)
    with pytest.raises(InvalidTag):
        unwrap(secrets.token_bytes(32), PERSON, wrapped)


def test_an_erased_value_is_never_sealed_again():
    key = secrets.token_bytes(32)
    assert seal_fields({"phone": ERASED}, PERSON, key) == {"phone": ERASED}
