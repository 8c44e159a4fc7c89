"""`make eval-fit`: how well fit scoring does on profiles written as people write them.

Reads eval/fit/pages.yaml and eval/fit/profiles.yaml (see its header) and prints:
- top-1: profiles whose first role is one a coach accepts and is named a best match (a first
  role that only leads by the page's order, with no reason of its own, is a miss);
- the median margin between the first and the second score;
- plain profiles reaching at least "Good fit", and profiles without an accepted role that
  nevertheless claim one ("Good fit" or better);
- the share of accepted evidence lines (over the annotated profiles' top three roles);
- lines quoting a negated clause or the current role as a reason (should be none);
- limits: profiles that say too little or are not in English, told so;
- every negation probe: the rejected role's score with the negated sentence and without it.

`--fit FILE` scores with another implementation of `rank_fits` (a module file), e.g. an older
fit.py, for a before/after comparison. Exit status 1 when a probe or a limit check fails.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from rolereport.model import Fit, Guide, Profile
from rolereport.sources import read_source

HERE = Path(__file__).resolve().parent / "fit"
GOOD = 45
POSSIBLE = 20


@dataclass
class Case:
    id: str
    page: str
    accept: list[str]
    profile: Profile
    limit: bool = False
    probe: dict[str, str] | None = None
    evidence: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    split: str = "old"  # "old" (before issue 31), "tune" or "holdout"
    negated: list[str] = field(default_factory=list)  # words of negated clauses: never a reason


def load_cases(folder: Path = HERE) -> tuple[dict[str, Guide], list[Case]]:
    pages = yaml.safe_load((folder / "pages.yaml").read_text(encoding="utf-8"))
    guides = {name: read_source(str((folder / path).resolve()))[0] for name, path in pages.items()}
    cases = []
    for raw in yaml.safe_load((folder / "profiles.yaml").read_text(encoding="utf-8")):
        cases.append(Case(raw["id"], raw["page"], list(raw.get("accept") or []), Profile(**raw["profile"]),
                          bool(raw.get("limit")), raw.get("probe"), raw.get("evidence") or {},
                          raw.get("split", "old"), list(raw.get("negated") or [])))
    return guides, cases


def without(profile: Profile, probe: dict[str, str]) -> Profile:
    """The profile with the probe's negated sentence removed."""
    text = probe["text"]
    if probe["field"] == "goals":
        goals = " ".join((profile.goals or "").split())
        if text not in goals:
            raise ValueError(f"probe text not in goals: {text!r}")
        return profile.model_copy(update={"goals": " ".join(goals.replace(text, " ").split()) or None})
    items = getattr(profile, probe["field"])
    if text not in items:
        raise ValueError(f"probe text not in {probe['field']}: {text!r}")
    return profile.model_copy(update={probe["field"]: tuple(i for i in items if i != text)})


def accepted_line(case: Case, role: str, profile_text: str, source_text: str) -> bool:
    for key, quotes in case.evidence.get(role, {}).items():
        if key.casefold() in profile_text.casefold() and (
                "*" in quotes or any(q.casefold() in source_text.casefold() for q in quotes)):
            return True
    return False


def negated_texts(case: Case) -> list[str]:
    return [case.probe["text"]] if case.probe else []


def quotes_context(case: Case, text: str) -> bool:
    """A reason line that quotes the current role, a negated sentence whole, or a word of a
    negated clause."""
    low = text.casefold()
    if case.profile.current_role and case.profile.current_role.casefold() in low:
        return True
    if any(n.casefold() in low for n in case.negated):
        return True
    return any(n.casefold().rstrip(".") == low.rstrip(".") for n in negated_texts(case))


def best_of(module: ModuleType | None, fits: list[Fit]) -> list[Fit]:
    """The roles the outputs call best matches (the module's `best_matches`, else the top three)."""
    chooser = getattr(module, "best_matches", None)
    return list(chooser(fits)) if chooser else fits[:3]


def evaluate(guides: dict[str, Guide], cases: list[Case], rank: Callable[[Profile, Guide], list[Fit]],
             limits: Callable[[Profile, list[Fit]], list[str]] | None,
             module: ModuleType | None = None) -> dict[str, Any]:
    top1 = judged = 0
    splits: dict[str, list[int]] = {}
    misses: list[str] = []
    empty_best: list[str] = []
    margins: list[int] = []
    good = plain = 0
    claims: list[str] = []
    lines = accepted = 0
    rejected_lines: list[str] = []
    bad_quotes: list[str] = []
    limit_ok = limit_total = 0
    limit_misses: list[str] = []
    probes: list[tuple[str, str, int, int]] = []
    for case in cases:
        guide = guides[case.page]
        fits = rank(case.profile, guide)
        if case.accept:
            judged += 1
            # the first role counts when the outputs name it a best match (with a reason of its own)
            best = best_of(module, fits)
            ok = bool(best) and best[0].role == fits[0].role and fits[0].role in case.accept
            top1 += ok
            tally = splits.setdefault(case.split, [0, 0])
            tally[0] += ok
            tally[1] += 1
            if not ok:
                misses.append(f"{case.id} ({case.split}): {fits[0].role} {fits[0].score}")
            margins.append(fits[0].score - fits[1].score if len(fits) > 1 else fits[0].score)
            if len(case.accept) == 1:
                plain += 1
                best = next(f for f in fits if f.role == case.accept[0])
                good += best.score >= GOOD
        elif fits and fits[0].score >= GOOD:
            claims.append(f"{case.id}: {fits[0].role} {fits[0].score}")
        for fit in best_of(module, fits):
            if not fit.evidence or fit.score < POSSIBLE:
                empty_best.append(f"{case.id}: {fit.role} {fit.score}")
        for fit in fits:
            for ev in fit.evidence:
                if quotes_context(case, ev.profile_text):
                    bad_quotes.append(f"{case.id} {fit.role}: {ev.profile_text!r}")
        for fit in fits[:3]:
            for ev in fit.evidence:
                if case.evidence:
                    lines += 1
                    if accepted_line(case, fit.role, ev.profile_text, ev.source_text):
                        accepted += 1
                    else:
                        rejected_lines.append(f"{case.id} {fit.role}: “{ev.profile_text}” ↔ “{ev.source_text}”")
        if case.limit:
            limit_total += 1
            said = limits(case.profile, fits) if limits else []
            if said:
                limit_ok += 1
            else:
                limit_misses.append(case.id)
        if case.probe:
            role = case.probe["rejected"]
            with_s = next(f.score for f in fits if f.role == role)
            without_s = next(f.score for f in rank(without(case.profile, case.probe), guide) if f.role == role)
            probes.append((case.id, role, with_s, without_s))
    return {
        "profiles": len(cases), "judged": judged, "top1": top1, "splits": splits, "misses": misses,
        "empty_best": empty_best,
        "median_margin": statistics.median(margins) if margins else 0,
        "plain": plain, "plain_good": good, "claims": claims,
        "lines": lines, "accepted_lines": accepted, "rejected_lines": rejected_lines,
        "bad_quotes": bad_quotes,
        "limit_total": limit_total, "limit_ok": limit_ok, "limit_misses": limit_misses,
        "probes": probes,
    }


def _probe_ok(with_s: int, without_s: int) -> bool:
    """The rejected role scores lower with the negated sentence, or nothing at all."""
    return with_s < without_s or with_s == 0


def report(r: dict[str, Any], verbose: bool = False) -> str:
    share = r["accepted_lines"] / r["lines"] if r["lines"] else 0.0
    probes_ok = sum(1 for _, _, w, wo in r["probes"] if _probe_ok(w, wo))
    out = [
        f"profiles: {r['profiles']} ({r['judged']} with an accepted role)",
        f"top-1: {r['top1']}/{r['judged']} ({r['top1'] / max(1, r['judged']):.0%})",
        "  by set: " + ", ".join(f"{k} {a}/{n}" for k, (a, n) in sorted(r["splits"].items())),
        f"median margin 1st-2nd: {r['median_margin']}",
        f"plain profiles at Good fit or better for their role: {r['plain_good']}/{r['plain']}",
        f"profiles without a role that claim one at Good fit or better: {len(r['claims'])}"
        + (f" ({'; '.join(r['claims'])})" if r["claims"] else ""),
        f"accepted evidence lines: {r['accepted_lines']}/{r['lines']} ({share:.0%})",
        f"reasons quoting a negated phrase or the current role (any role): {len(r['bad_quotes'])}",
        f"best matches without evidence of their own or below Possible fit: {len(r['empty_best'])}"
        + (f" ({'; '.join(r['empty_best'])})" if r["empty_best"] else ""),
        f"too little / not English told so: {r['limit_ok']}/{r['limit_total']}"
        + (f" (missed: {', '.join(r['limit_misses'])})" if r["limit_misses"] else ""),
        f"negation probes (rejected role lower with the sentence, or at 0): {probes_ok}/{len(r['probes'])}",
    ]
    for case_id, role, w, wo in r["probes"]:
        out.append(f"  {case_id:<28} {role:<28} with {w:>3}  without {wo:>3}  {'ok' if _probe_ok(w, wo) else 'FAIL'}")
    out += ["top-1 misses:"] + [f"  {line}" for line in r["misses"]]
    out += ["reasons quoting a negated phrase:"] + [f"  {line}" for line in r["bad_quotes"]]
    if verbose:
        out += ["rejected evidence lines:"] + [f"  {line}" for line in r["rejected_lines"]]
        out += ["quoted context:"] + [f"  {line}" for line in r["bad_quotes"]]
    return "\n".join(out)


def _module(path: str | None) -> ModuleType:
    if path is None:
        import rolereport.fit as module

        return module
    spec = importlib.util.spec_from_file_location("fit_under_test", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", help="score with the rank_fits of this module file instead")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the rejected evidence lines")
    parser.add_argument("--show", help="print the ranking of one profile id")
    args = parser.parse_args(argv)
    module = _module(args.fit)
    guides, cases = load_cases()
    if args.show:
        case = next(c for c in cases if c.id == args.show)
        for f in module.rank_fits(case.profile, guides[case.page]):
            print(f.role, f.score, f.band)
            for e in f.evidence:
                print("   +", repr(e.profile_text), "↔", repr(e.source_text), e.field, e.read_as)
            for e in getattr(f, "cautions", ()):
                print("   -", repr(e.profile_text), "↔", repr(e.source_text), e.field)
        if hasattr(module, "limits"):
            print(module.limits(case.profile, module.rank_fits(case.profile, guides[case.page])))
        return 0
    r = evaluate(guides, cases, module.rank_fits, getattr(module, "limits", None), module)
    print(report(r, args.verbose))
    failed = any(not _probe_ok(w, wo) for _, _, w, wo in r["probes"]) or r["limit_misses"] or r["bad_quotes"] \
        or r["empty_best"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
