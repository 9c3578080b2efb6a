"""saved screenings (input and result encrypted; level, flags and versions in clear)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 20:19:24.091536
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('screenings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('attached_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attached_by_id', sa.Integer(), nullable=True),
    sa.Column('profile', sa.String(length=60), nullable=False),
    sa.Column('observer', sa.String(length=40), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('catalogue_version', sa.String(length=20), nullable=False),
    sa.Column('engine_version', sa.String(length=20), nullable=False),
    sa.Column('level', sa.Enum('none', 'low', 'medium', 'high', name='screening_level', native_enum=False, length=40), nullable=False),
    sa.Column('urgent', sa.JSON(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.Integer(), nullable=False),
    sa.Column('input_enc', sa.Text(), nullable=False),
    sa.Column('result_enc', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_screenings_agency_id_agencies')),
    sa.ForeignKeyConstraint(['attached_by_id'], ['users.id'], name=op.f('fk_screenings_attached_by_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_screenings_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_screenings_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screenings'))
    )
    with op.batch_alter_table('screenings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screenings_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_screenings_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_screenings_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_screenings_profile'), ['profile'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('screenings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screenings_profile'))
        batch_op.drop_index(batch_op.f('ix_screenings_level'))
        batch_op.drop_index(batch_op.f('ix_screenings_case_id'))
        batch_op.drop_index(batch_op.f('ix_screenings_agency_id'))

    op.drop_table('screenings')
