"""schemathesis against /openapi.json: generated requests to every API operation never get a server error."""
import datetime as dt
import warnings

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402

from web_store import build_store  # noqa: E402

EXAMPLES = 25  # per operation and mode (valid and invalid requests): about 15 s in all


def test_web_schema_no_server_error_on_generated_requests():
    from filiere.web.app import create_app

    warnings.filterwarnings("ignore", message=".*httpx.*")
    app = create_app(build_store(), dt.date(2026, 11, 24))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    statuses = []
    for operation, mode in [(o, m) for o in operations for m in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            statuses.append(case.call_and_validate(checks=[not_a_server_error]).status_code)

        run()
    assert 200 in statuses and 422 in statuses  # both valid and invalid requests were sent
