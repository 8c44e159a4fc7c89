"""Every label a reader sees, in one place: the PDF, the DOCX and the XLSX all name things alike."""

from __future__ import annotations

LABELS: dict[str, str] = {
    # sections
    "contents": "Contents",
    "introduction": "Introduction",
    "comparison": "Side-by-side comparison",
    "scrolls_sideways": "scrolls sideways",  # the HTML table's region label, after its title
    "scroll_cue": "Scroll sideways to see every column →",  # above the table on a narrow screen
    "alternatives": "The alternatives",
    "how_to_pick": "How to pick",
    "closing": "Closing words",
    "about": "About this guide",
    "best_matches": "Your best matches",
    "best_matches_none": "No clear match yet",  # the heading when nothing in the profile matched
    "best_match": "Best match {n}",  # fit order, worded so it cannot be taken for the page's rank
    "page_rank": "#{rank} on the page",  # the source page's own rank of an alternative
    # what a fit rests on when no phrase of the profile points to the role (score above 0, or 0)
    "fit_shared_only": "Nothing in the profile points to this role on its own; its score comes from words "
                       "it shares with other roles.",
    "fit_nothing": "Nothing in the profile points to this role.",
    "caution": "Caution",  # before "you said you'd rather leave … behind; this role involves it"
    "fit_chart": "How every role fits you",
    "profile_summary": "What this ranking is based on",
    "notes": "Notes",
    "prepared_for": "Prepared for",
    "current_role_marker": "Current role",
    "your_current_role": "Your current role",  # an alternative the person holds (never among their matches)
    "page_role_marker": "This guide's role",  # the page's own role when the person holds another
    "library_has_guide": "This library has a guide for {role}: {page}.",
    "library_no_guide": "This library has no guide for {role} yet.",
    "role_kind": "Role type",  # XLSX: "Current role" or "Alternative", so a filter finds the baseline
    "alternative_marker": "Alternative",
    # fields and column headings
    "rank": "Rank",
    "role": "Role",
    "tagline": "Tagline",
    "description": "Description",
    "primary_focus": "Primary focus",
    "key_responsibility": "Key responsibility",
    "tools": "Tools",
    "tool": "Tool",
    "deliverable": "Typical deliverable",
    "best_for": "Best for",
    "pick_if": "Pick this if…",
    "pick_if_lead": "Pick this if",  # followed by the condition without its own "If"
    "fit_badge": "{band} · {score}/100",
    "fit_spoken": "{band}, {score} out of 100",  # what a screen reader says for the badge
    "fit_score": "Fit score",
    "fit_band": "Fit",
    "why": "Why it fits",
    "current_role": "Current role",
    "interests": "Interests",
    "strengths": "Strengths",
    "goals": "Goals",
    "source": "Source",
    "source_date": "Source date",
    # sheet names (Excel allows 31 characters)
    "sheet_roles": "Roles",
    "sheet_tools": "Tools",
    "sheet_best_for": "Best for",
    "sheet_about": "About",
    # the Excel matrix
    "sheet_fit": "Your fit",
    "matrix_title": "Role matrix",
    "tools_title": "Which role uses which tool",
    "best_for_title": "Who each role is best for",
    "about_workbook": "About this workbook",
    "filter_hint": "How to filter: click the ▼ button in any heading cell and tick what you want to see. "
    "Help for Excel, LibreOffice and Google Sheets is on the About sheet.",
    "tools_hint": "Which roles use a tool? Click ▼ in the Tool heading and tick that tool.",
    "tool_family": "Family",  # XLSX: what an entry names within its tool ("Django, Flask" in Python)
    "tool_as_written": "As written",
    "fit_hint": "Why it fits lists the phrases from the profile and the source behind each score; "
    "Caution, what the profile would rather leave behind.",
    "fit_note": "Note",  # XLSX: what the ranking cannot rest on (a profile too short to score)
    "best_for_hint": "Looking for a phrase? Click ▼ in the Best for heading, then Text Filters ▸ Contains…",
    "uses_tool": "✓",
    # the title property of a personalised PDF, DOCX and XLSX, so files cannot be confused
    "personal_title": "{title} – {name}",
    "sorted_by_fit": "Sorted by how well each role fits {name}; your current role stays on top for comparison.",
}

# Fit bands, best first: a score at or above the threshold earns the band.
BANDS: tuple[tuple[str, int], ...] = (
    ("Strong fit", 70),
    ("Good fit", 45),
    ("Possible fit", 20),
    ("Weak fit", 0),
)


def band_for(score: int) -> str:
    for name, threshold in BANDS:
        if score >= threshold:
            return name
    return BANDS[-1][0]
