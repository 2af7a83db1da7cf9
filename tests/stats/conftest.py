from tests.db_fixtures import database, database_url  # noqa: F401 - fixtures
