from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tradewind.platform.db.migrate import current_head
from tradewind.platform.db.schema import metadata


def test_migrated_schema_matches_the_tables(engine):
    """`alembic upgrade head` builds exactly the schema the code declares."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        assert ctx.get_current_revision() == current_head()
        diffs = compare_metadata(ctx, metadata)
    assert diffs == []
