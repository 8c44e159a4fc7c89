"""Rules every output shares: writing direction, formula-safe cells, slugs, labels, wording."""
