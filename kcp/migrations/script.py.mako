"""${message}

Revision ${up_revision} (after ${down_revision | n,repr}), generated ${create_date} by `kcp migrate revision`.
Review before committing: autogenerate sees tables, columns, indexes and constraints, not renames
or data moves.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}
revision: str = ${repr(up_revision)}
down_revision: str | None = ${repr(down_revision)}
branch_labels: str | None = ${repr(branch_labels)}
depends_on: str | None = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
