"""unique case prefix per agency

Two agencies sharing a prefix could mint the same reference; each agency now has its own.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 21:01:30.365939
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Agencies that shared a prefix get "AG<id>"; references already issued keep their text.
    op.execute(
        "UPDATE agencies SET case_prefix = 'AG' || CAST(id AS VARCHAR(12)) WHERE case_prefix IN "
        "(SELECT case_prefix FROM agencies GROUP BY case_prefix HAVING count(*) > 1)"
    )
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.alter_column('case_prefix', existing_type=sa.String(length=12), server_default=None)
        batch_op.create_unique_constraint(batch_op.f('uq_agencies_case_prefix'), ['case_prefix'])


def downgrade() -> None:
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_agencies_case_prefix'), type_='unique')
        batch_op.alter_column('case_prefix', existing_type=sa.String(length=12),
                              server_default='CASE')
