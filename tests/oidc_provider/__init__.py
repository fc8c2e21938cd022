"""A real OpenID Connect provider for the tests (django-oauth-toolkit), run as a process of its
own by tests/oidc.py; nothing here is imported by the application or by the tests' settings.

Run by hand (state kept in the folder `OIDC_PROVIDER_DIR`; the issuer is the base of the
discovery URL, without a trailing slash):

    export OIDC_PROVIDER_DIR=/tmp/idp OIDC_PROVIDER_ISSUER=http://127.0.0.1:8900/o
    python -m tests.oidc_provider oidc_provider_setup setup.json
    python -m tests.oidc_provider runserver 127.0.0.1:8900 --noreload

Test-only control endpoints (POST, JSON body, header `X-Control-Token` with the content of
`$OIDC_PROVIDER_DIR/control-token`):

* /test/faults/ {"tamper": true} | {"expired": true} | {"wrong_key": true} | {} (reset):
  how the ID tokens issued from then on are broken (see validators.py);
* /test/users/ {"username": ..., "password"?, "email"?, "first_name"?, "last_name"?,
  "groups"?: [...]}: creates the user or updates the fields given.
"""
