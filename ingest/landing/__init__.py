"""Stage 1 — the landing folder: what arrived (walked, hashed, classified) and what is new."""
