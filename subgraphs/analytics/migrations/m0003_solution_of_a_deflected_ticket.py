"""Events name the suggested solution that made a ticket unnecessary (ticket_deflected)

Revision 0003 (after '0002'), written 2026-12-07 in the shape `kcp migrate revision` generates.
A nullable column: rows stored before it simply name no solution.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("solution_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("solution_id")
