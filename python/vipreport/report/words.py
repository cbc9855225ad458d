"""The report's narrative, from the profile: every sentence a reader sees that is not a number.

The words are the program's own (its profile's ``[text]``, ``[branding]``
and page keys), or the package's neutral wording where a profile gives none
(``profiles/neutral.toml``). Nothing here is fixed to one city.
"""

from __future__ import annotations

from typing import Any

from ..config import Config


def words(config: Config) -> dict[str, Any]:
    """Every narrative block of the report, keyed by where it goes."""
    return {
        "introduction_heading": config.introduction_heading,
        "introduction": [(p.heading, p.body) for p in config.introduction],
        "no_activities": config.no_activities,
        "trc_description": list(config.trc_description),
        "trc_services": list(config.trc_services),
        "cora_description": list(config.cora_description),
        "oep_description": list(config.oep_description),
        "contact": config.contact,
    }


def success_sentence(config: Config, rate: str, cohort_months: int) -> str:
    """The profile's sentence under the headline success rate, with the rate and the cohort's span."""
    years = cohort_months / 12
    period = f"{years:g} years" if years != 1 else "year"
    if not years.is_integer():
        period = f"{cohort_months} months"
    return config.success_sentence.format(rate=rate, period=period)


def caseload_caption(config: Config) -> str:
    return f"{config.short_name} active caseload".strip()
