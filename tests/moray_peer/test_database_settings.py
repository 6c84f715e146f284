"""The database connection as production opens it."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_postgresql_plans_a_page_query_without_compiling_it():
    # PostgreSQL's JIT starts on any search of a large directory and took 14 ms of a 46 ms
    # query at 10,000 groups (make bench).
    if connection.vendor != "postgresql":
        pytest.skip("JIT is a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
