"""rolereport: career-transition source pages into personalised guides, handouts and matrices."""

__version__ = "0.1.0"
