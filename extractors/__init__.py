"""Text stages: read → normalise → segment → entities → relations."""
