"""Production settings that matter for security."""

from django.contrib.auth.hashers import check_password, identify_hasher, make_password

from quickcare import settings as production


def test_argon2_is_the_first_production_hasher():
    assert production.PASSWORD_HASHERS[0] == "users.hashers.QuickCareArgon2PasswordHasher"


def test_argon2_hashes_and_verifies(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    encoded = make_password("Quick@Care2026")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert check_password("Quick@Care2026", encoded)


def test_argon2_runs_argon2id_at_the_owasp_minimum(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    encoded = make_password("Quick@Care2026")
    # $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
    assert encoded.split("$")[1:4] == ["argon2id", "v=19", "m=19456,t=2,p=1"]


def test_password_validators_compare_with_name_and_contact():
    names = [v["NAME"].rsplit(".", 1)[1] for v in production.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    options = production.AUTH_PASSWORD_VALIDATORS[0]["OPTIONS"]
    assert set(options["user_attributes"]) >= {"name", "contact"}


def test_refresh_tokens_rotate_and_are_blacklisted():
    jwt = production.SIMPLE_JWT
    assert jwt["ROTATE_REFRESH_TOKENS"] is True
    assert jwt["BLACKLIST_AFTER_ROTATION"] is True
    assert jwt["TOKEN_REFRESH_SERIALIZER"] == "users.serializers.TokenRefreshInputSerializer"
