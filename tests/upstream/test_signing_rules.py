"""The PandaPon sign rule is settings: names as headers or camelCase, which fields, where the
secret goes and the digest's case; Dajisaas may send its documented `appSecret` form."""

from __future__ import annotations

import hashlib

import pytest

from tests.config.factories import run_manage
from upstream import accounts, errors, signing

AK, NONCE, TS, SECRET = "ak-1", "n" * 32, "1715669977082", "s3cret"
HEADERS = {"access-key": AK, "nonce-str": NONCE, "timestamp": TS, "user-id": "42"}


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def test_the_default_rule_is_the_documented_assumption():
    expected = md5(f"access-key={AK}&nonce-str={NONCE}&timestamp={TS}&secret={SECRET}").upper()

    assert signing.pandapon_signature(HEADERS, SECRET) == expected


def test_camel_case_names_sign_the_header_values_instead_of_raising_key_error():
    fields = ("accessKey", "nonceStr", "timestamp")

    got = signing.pandapon_signature(HEADERS, SECRET, fields=fields)

    assert got == md5(f"accessKey={AK}&nonceStr={NONCE}&timestamp={TS}&secret={SECRET}").upper()


def test_the_user_id_can_be_signed_too():
    fields = ("access-key", "nonce-str", "timestamp", "user-id")

    got = signing.pandapon_signature(HEADERS, SECRET, fields=fields)

    signed = f"access-key={AK}&nonce-str={NONCE}&timestamp={TS}&user-id=42&secret={SECRET}"
    assert got == md5(signed).upper()


@pytest.mark.parametrize(
    ("form", "text"),
    [
        ("key", f"access-key={AK}&nonce-str={NONCE}&timestamp={TS}&key={SECRET}"),
        ("secret:start", f"secret={SECRET}&access-key={AK}&nonce-str={NONCE}&timestamp={TS}"),
        (":both", f"{SECRET}access-key={AK}&nonce-str={NONCE}&timestamp={TS}{SECRET}"),
    ],
)
def test_the_secret_takes_the_name_and_place_the_settings_give(form, text):
    assert signing.pandapon_signature(HEADERS, SECRET, secret_key=form) == md5(text).upper()


def test_a_lower_case_digest_is_sent_lower_case_and_verified_in_either_case():
    form = signing.secret_form("secret", "end", "lower")
    headers = signing.pandapon_headers(AK, SECRET, "42", secret_key=form)

    assert headers["signature"] == headers["signature"].lower()
    shouted = {**headers, "signature": headers["signature"].upper()}
    assert signing.pandapon_headers_valid(shouted, AK, SECRET, secret_key=form)


def test_camel_case_header_names_on_a_push_are_verified():
    fields = ("accessKey", "nonceStr", "timestamp")
    sent = signing.pandapon_headers(AK, SECRET, "42", fields=fields)
    camel = {"accessKey": sent["access-key"], "nonceStr": sent["nonce-str"]}
    camel |= {"timestamp": sent["timestamp"], "signature": sent["signature"]}

    assert signing.pandapon_headers_valid(camel, AK, SECRET, fields=fields)
    assert not signing.pandapon_headers_valid(camel, AK, "other", fields=fields)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PANDAPON_SIGN_FIELDS", "access-key,password"),
        ("PANDAPON_SIGN_SECRET_POSITION", "middle"),
        ("PANDAPON_SIGN_HEX_CASE", "mixed"),
        ("DAJISAAS_AUTH", "password"),
    ],
)
def test_a_sign_setting_that_names_no_rule_stops_startup_with_one_sentence(variable, value):
    result = run_manage("check", **{variable: value})

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert variable in result.stderr


def test_the_client_and_the_sandbox_follow_a_camel_case_lower_case_rule(sandbox, settings):
    settings.PANDAPON_SIGN_FIELDS = ("accessKey", "nonceStr", "timestamp")
    settings.PANDAPON_SIGN_SECRET_KEY = signing.secret_form("key", "both", "lower")

    reply = accounts.pandapon().transport.call("address_get", {})

    assert reply.code == 200


def test_a_client_on_another_rule_than_the_upstream_is_refused(sandbox, settings):
    client = accounts.pandapon()  # the documented rule
    settings.PANDAPON_SIGN_SECRET_KEY = signing.secret_form("key", "end", "upper")

    with pytest.raises(errors.AuthenticationFailed):
        client.transport.call("address_get", {})


def test_dajisaas_in_its_debug_form_sends_the_app_secret_and_no_sign(sandbox, settings):
    settings.DAJISAAS_AUTH = "app_secret"
    client = accounts.dajisaas()
    sent = []
    real = client.transport.session.request

    def spy(method, url, **kwargs):
        sent.append(kwargs)
        return real(method, url, **kwargs)

    client.transport.session.request = spy
    reply = client.transport.call("dj_order_list", {"pageSize": 1})

    assert reply.code == 200
    assert sent[0]["json"]["appSecret"] == settings.DAJISAAS_APP_SECRET
    assert "sign" not in sent[0]["json"]
    client.transport.session.close()
