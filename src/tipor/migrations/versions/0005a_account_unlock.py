"""account unlock: when an administrator last cleared a user's failed sign-ins

Failed sign-ins before this time no longer count towards the account lock, so an administrator
(or `tipor users unlock`) can let a locked-out user in before the window has passed.

Revision ID: 0005a
Revises: 0004
Create Date: 2026-12-02 20:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005a'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE on both engines: a batch copy of `users` on SQLite would drop the table
    # that sessions, tokens and cases point at, which foreign keys refuse on a populated database.
    op.add_column('users', sa.Column('unlocked_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('users', 'unlocked_at')  # SQLite >= 3.35 drops a column in place
