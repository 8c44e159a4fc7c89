"""Everything read and validated at the edge: profiles, rosters and survey exports, themes."""
