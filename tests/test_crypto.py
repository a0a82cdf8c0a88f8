import base64
import io
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from openmarac.core import crypto
from openmarac.people.models import Person
from openmarac.people.services import PersonDetails, people_matching_exactly, person_create


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def test_encrypt_then_decrypt_gives_back_the_text():
    sealed = crypto.encrypt("Ada Example")
    assert "Ada" not in sealed
    assert crypto.decrypt(sealed) == "Ada Example"


def test_the_same_text_encrypts_differently_each_time():
    assert crypto.encrypt("same") != crypto.encrypt("same")


def test_a_tampered_ciphertext_is_refused():
    sealed = crypto.encrypt("Ada Example")
    prefix, key_id, body = sealed.split(":", 2)
    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(f"{prefix}:{key_id}:{base64.b64encode(bytes(raw)).decode()}")


def test_a_ciphertext_relabelled_with_another_key_id_is_refused():
    old, new = new_key(), new_key()
    ring = crypto.parse_keyring(f"k2:{new},k1:{old}", new_key())
    sealed = crypto.encrypt("secret", ring=ring)
    relabelled = sealed.replace(":k2:", ":k1:")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(relabelled, ring=ring)


def test_blind_indexes_are_stable_and_keyed():
    ring_a = crypto.parse_keyring(f"a:{new_key()}", new_key())
    ring_b = crypto.parse_keyring(f"a:{new_key()}", new_key())
    assert crypto.blind_index("x", purpose="p", ring=ring_a) == crypto.blind_index(
        "x", purpose="p", ring=ring_a
    )
    assert crypto.blind_index("x", purpose="p", ring=ring_a) != crypto.blind_index(
        "x", purpose="p", ring=ring_b
    )
    assert crypto.blind_index("x", purpose="p", ring=ring_a) != crypto.blind_index(
        "x", purpose="q", ring=ring_a
    )


@pytest.mark.django_db
def test_rotating_keys_reencrypts_rows_under_the_new_key_and_old_rows_still_read(settings):
    from openmarac.partnerships.models import Partnership

    partnership = Partnership.objects.create(name="P", hub_email="hub@example.org")
    person = person_create(
        partnership=partnership, details=PersonDetails(forenames="Rota", surname="Tion")
    )
    old_ring = settings.OPENMARAC_DATA_KEYS
    new_entry = f"rot2:{new_key()}"
    with override_settings(OPENMARAC_DATA_KEYS=f"{new_entry},{old_ring}"):
        # Old rows still decrypt with the old key listed second.
        assert Person.objects.get(pk=person.pk).surname == "Tion"
        call_command("rotate_data_keys", stdout=io.StringIO())
        with connection.cursor() as cursor:
            cursor.execute("SELECT surname FROM people_person WHERE id = %s", [person.pk])
            raw = cursor.fetchone()[0]
        assert raw.startswith("v1:rot2:")
        # The old key can now be dropped.
        with override_settings(OPENMARAC_DATA_KEYS=new_entry):
            assert Person.objects.get(pk=person.pk).surname == "Tion"


@pytest.mark.django_db
def test_exact_search_works_through_blind_indexes_only():
    import datetime

    from openmarac.partnerships.models import Partnership

    partnership = Partnership.objects.create(name="P", hub_email="hub@example.org")
    wanted = person_create(
        partnership=partnership,
        details=PersonDetails(
            forenames="Jo", surname="Smith-Jones", date_of_birth=datetime.date(1980, 2, 3)
        ),
    )
    person_create(
        partnership=partnership,
        details=PersonDetails(
            forenames="Jo", surname="Smith-Jones", date_of_birth=datetime.date(1981, 2, 3)
        ),
    )
    found = people_matching_exactly(
        partnership=partnership, surname="smith jones", dob=datetime.date(1980, 2, 3)
    )
    assert found == [wanted.pk]


def test_a_malformed_keyring_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        crypto.parse_keyring("nokeyhere", new_key())
    with pytest.raises(ImproperlyConfigured):
        crypto.parse_keyring(f"a:{base64.b64encode(b'short').decode()}", new_key())
