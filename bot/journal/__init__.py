"""State an instance keeps and shares: the journal, per-chat settings, delivery claims, SQLite and
PostgreSQL stores."""
