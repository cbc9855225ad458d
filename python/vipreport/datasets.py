"""Synthetic record-level data with the magnitudes of Albuquerque's VIP reports.

The city's records are confidential, so examples, notebooks, tests and
benchmarks run on data drawn here. Everything is seeded and vectorised:
``scale`` multiplies every monthly rate, up to millions of rows.

Examples
--------
>>> import vipreport as vr
>>> data = vr.datasets.demo()  # loaded and validated, like vr.load
>>> data.synthetic, len(data.table("referrals"))
(True, 1659)
>>> raw = vr.datasets.generate(seed=1)  # raw tables, as an export would hold them
>>> sorted(raw)[:3]
['cora_responses', 'deaths', 'enrollments']
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .config import Config
from .errors import ArgumentError
from .io import Dataset, load

# Monthly rates at scale 1 and category mixes, read off the published reports.
REFERRALS_PER_MONTH = 40
AREA_MIX = {
    "Southeast": 0.30,
    "Northeast": 0.10,
    "Northwest": 0.10,
    "Foothills": 0.07,
    "Southwest": 0.17,
    "Valley": 0.13,
    "": 0.13,
}  # "" = area left blank in the export
SOURCE_MIX = {"Law Enforcement": 0.72, "Hospital": 0.14, "Community": 0.07, "Self-Referral": 0.03, "Other": 0.04}
PROGRAM_MIX = {"VIP": 0.55, "HVIP": 0.15, "Peer Support": 0.18, "Re-entry": 0.12}
NOTIFIED_SHARE = 0.65
ENGAGED_SHARE = 0.6
TWO_YEAR_FAILURE = 0.045  # with the repeat-notified, about 93% two-year success
SERVICE_TYPE_MIX = {
    "Housing": 0.16,
    "Employment": 0.18,
    "Behavioral Health": 0.14,
    "Substance Use Treatment": 0.08,
    "Education": 0.1,
    "Legal": 0.08,
    "Medical": 0.08,
    "Basic Needs": 0.13,
    "Relocation": 0.05,
}
VIOLENT = ["Aggravated Assault", "Shooting", "Armed Robbery", "Homicide", "Aggravated Battery"]
NONVIOLENT = ["Drug Possession", "Larceny", "Warrant", "Trespass", "Auto Theft", "Traffic"]
TRC_START = "2023-12-01"  # the Center for Healing and Trauma Recovery opened in December 2023
TRC_MIX = {
    "ACS": 0.25,
    "VIP": 0.2,
    "CORA": 0.2,
    "Comm. Member": 0.1,
    "RIWP/UVNR": 0.08,
    "Other": 0.07,
    "Self-Referral": 0.1,
}
CORA_TYPE_MIX = {
    "Gun/Other Violence": 0.3,
    "DV/Sexual Assault": 0.2,
    "Homicide": 0.07,
    "Other Deaths": 0.12,
    "Suicide": 0.06,
    "Other": 0.25,
}
CORA_AREA_MIX = {
    "Southeast": 0.35,
    "Northeast": 0.15,
    "Northwest": 0.1,
    "Foothills": 0.08,
    "Southwest": 0.12,
    "Valley": 0.14,
    "": 0.06,
}


def generate(
    *,
    seed: int = 0,
    start: str = "2021-07-01",
    end: str = "2024-12-31",
    scale: float = 1.0,
    history: float = 0.0,
    services_per_engaged: float = 2.0,
    episodes_per_engaged: int = 1,
    config: Config | None = None,
) -> dict[str, pd.DataFrame]:
    """Draw every record table of DESIGN.md as raw export-like DataFrames.

    Parameters
    ----------
    seed
        The random seed; equal seeds give equal tables.
    start, end
        The first and last day with events.
    scale
        Multiplies every monthly rate (1.0 gives about 40 referrals a month).
    history, services_per_engaged, episodes_per_engaged
        Shape knobs for benchmarks: the mean number of extra (mostly
        nonviolent) incidents per notification, as from a statewide arrest
        history; services per engaged person; caseload episodes per engaged person.

    Returns
    -------
    dict of DataFrame
        Keyed by table name, ready for :func:`vipreport.load`. Person ids are
        pseudonyms like ``"P0000123"``; notifications carry synthetic birth dates.
    """
    if not scale > 0:
        raise ArgumentError(f"scale must be positive, got {scale!r}")
    rng = np.random.default_rng(seed)
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    if last <= first:
        raise ArgumentError("end must be after start")
    lo, hi = _day(first), _day(last)

    referrals, person = _referrals(rng, lo, hi, scale)
    notices = _notifications(rng, referrals, person, hi)
    services, engaged_first = _services(rng, notices, hi, services_per_engaged)
    tables = {
        "referrals": referrals,
        "notifications": notices.drop(columns=["_day"]),
        "services": services,
        "enrollments": _enrollments(rng, engaged_first, hi, episodes_per_engaged),
        "incidents": _incidents(rng, notices, lo, hi, history),
        "deaths": _deaths(rng, notices, hi),
        "trc_referrals": _trc(rng, max(lo, _day(pd.Timestamp(TRC_START))), hi, scale),
        "cora_responses": _cora(rng, lo, hi, scale),
        "oep_referrals": _oep(rng, lo, hi, scale),
    }
    tables["deaths"] = _alive_after(tables["deaths"], tables)
    return tables if config is None else _fit_profile(tables, config)


def _alive_after(deaths: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The deaths that no later record contradicts.

    Deaths are drawn apart from the other tables, so a person may have a
    referral, service or incident dated after the drawn death. Such a record
    is impossible (the loader's event_after_death rule refuses it); the person
    is evidently alive then, so that death is not recorded.
    """
    death = deaths.set_index("person_id")["death_date"]
    later: set[str] = set()
    for name, column in (
        ("referrals", "referral_date"),
        ("notifications", "notification_date"),
        ("services", "service_date"),
        ("enrollments", "start_date"),
        ("incidents", "incident_date"),
    ):
        frame = tables[name]
        died = death.reindex(frame["person_id"]).to_numpy("datetime64[ns]")  # NaT for the living
        later.update(frame.loc[frame[column].to_numpy("datetime64[ns]") > died, "person_id"])
    return deaths[~deaths["person_id"].isin(later)].reset_index(drop=True)


def demo(*, config: Config | None = None, data_as_of: str | dt.date | pd.Timestamp | None = None) -> Dataset:
    """The bundled demo dataset: seed 2024, Jul 2021 - Dec 2024 (three and a half fiscal years).

    ``data_as_of`` is passed to :func:`vipreport.load` (its ``event_after_as_of`` rule).
    """
    data = load(generate(seed=2024, config=config), config=config, data_as_of=data_as_of)
    data.activities_text = resources.files("vipreport").joinpath("data/demo_activities.md").read_text("utf-8")
    data.synthetic = True
    return data


def write_exports(
    directory: str | Path, tables: dict[str, pd.DataFrame] | None = None, *, file_format: str = "csv"
) -> Path:
    """Write tables (default: the demo's) as one export file per table, like the city's exports."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tables = generate(seed=2024) if tables is None else tables
    for name, frame in tables.items():
        path = directory / f"{name}.{'xlsx' if file_format == 'excel' else file_format}"
        if file_format == "csv":
            frame.to_csv(path, index=False, date_format="%Y-%m-%d")
        elif file_format == "parquet":
            frame.to_parquet(path, index=False)
        elif file_format == "excel":
            frame.to_excel(path, index=False)
        else:
            raise ArgumentError(f"file_format must be csv, parquet or excel, got {file_format!r}")
    return directory


# -- another profile's categories ---------------------------------------------


def _fit_profile(tables: dict[str, pd.DataFrame], config: Config) -> dict[str, pd.DataFrame]:
    """Albuquerque's category labels replaced by the profile's, position for position."""
    areas = list(AREA_MIX)[:-1]  # the blank area stays blank
    swaps: dict[str, dict[str, tuple[list[str], tuple[str, ...]]]] = {
        "referrals": {
            "area_command": (areas, config.area_commands),
            "source": (list(SOURCE_MIX), config.referral_sources),
            "program": (list(PROGRAM_MIX), config.referral_programs),
        },
        "services": {
            "service_type": (list(SERVICE_TYPE_MIX), config.service_types),
            "program": (list(PROGRAM_MIX), config.service_programs),
        },
        "incidents": {"offense": (VIOLENT + NONVIOLENT, tuple(_offenses(config)))},
        "trc_referrals": {"source": (list(TRC_MIX), config.trc_sources)},
        "cora_responses": {
            "incident_type": (list(CORA_TYPE_MIX), config.cora_incident_types),
            "area_command": (areas, config.area_commands),
        },
    }
    shown = {"trc_referrals": config.trc_show, "cora_responses": config.cora_show, "oep_referrals": config.oep_show}
    out: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        if not shown.get(name, True):
            continue
        frame = frame.copy()
        for column, (old, new) in swaps.get(name, {}).items():
            if column in frame:
                mapping = {label: new[i % len(new)] for i, label in enumerate(old)}
                frame[column] = frame[column].map(lambda v, m=mapping: m.get(v, v))
        out[name] = frame
    return out


def _offenses(config: Config) -> list[str]:
    """Violent offenses for violent places and nonviolent for nonviolent, so success rates keep their meaning."""
    violent, other = list(config.violent_offenses), list(config.nonviolent_offenses) or list(config.violent_offenses)
    return [violent[i % len(violent)] for i in range(len(VIOLENT))] + [
        other[i % len(other)] for i in range(len(NONVIOLENT))
    ]


# -- the tables ---------------------------------------------------------------

_EPOCH = pd.Timestamp("1970-01-01")


def _day(ts: pd.Timestamp) -> int:
    return (ts - _EPOCH).days


def _dates(days: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[ns]"))


def _pick(rng: np.random.Generator, mix: dict[str, float], n: int) -> np.ndarray:
    names = np.array(list(mix), dtype=object)
    p = np.array(list(mix.values()))
    return names[rng.choice(len(names), size=n, p=p / p.sum())]


def _events_per_month(rng: np.random.Generator, lo: int, hi: int, rate: float) -> np.ndarray:
    """Event days: Poisson(rate) per calendar month, uniform within it."""
    months = pd.period_range(_dates(np.array([lo]))[0], _dates(np.array([hi]))[0], freq="M")
    days = []
    for month in months:
        a = max(lo, _day(month.start_time))
        b = min(hi, _day(month.end_time.normalize()))
        n = rng.poisson(rate * (b - a + 1) / month.days_in_month)
        days.append(rng.integers(a, b + 1, size=n))
    return np.sort(np.concatenate(days)) if days else np.array([], dtype=np.int64)


def _ids(index: np.ndarray) -> np.ndarray:
    # zfill's width is the widest id: numpy 1.x cuts zfill's output to the width it is given.
    width = max(7, len(str(int(index.max())))) if len(index) else 7
    return np.char.add("P", np.char.zfill(index.astype(str), width)).astype(object)


def _referrals(rng: np.random.Generator, lo: int, hi: int, scale: float) -> tuple[pd.DataFrame, np.ndarray]:
    day = _events_per_month(rng, lo, hi, REFERRALS_PER_MONTH * scale)
    n = len(day)
    person = np.arange(n)
    # About one referral in ten is of someone referred before.
    repeat = rng.random(n) < 0.1
    earlier = np.floor(rng.random(n) * np.arange(n)).astype(np.int64)
    person = np.where(repeat & (np.arange(n) > 0), earlier, person)
    frame = pd.DataFrame(
        {
            "person_id": _ids(person),
            "referral_date": _dates(day),
            "source": _pick(rng, SOURCE_MIX, n),
            "area_command": _pick(rng, AREA_MIX, n),
            "program": _pick(rng, PROGRAM_MIX, n),
        }
    )
    return frame, person


def _notifications(rng: np.random.Generator, referrals: pd.DataFrame, person: np.ndarray, hi: int) -> pd.DataFrame:
    n = len(referrals)
    chosen = rng.random(n) < NOTIFIED_SHARE
    day = _day_array(referrals["referral_date"])[chosen] + rng.integers(0, 22, size=chosen.sum())
    keep = day <= hi
    who = person[chosen][keep]
    day = day[keep]
    # Ages 14-60, most in their twenties.
    age_days = (14 + rng.gamma(2.2, 4.5, size=len(day))) * 365.25
    birth = day - np.minimum(age_days, 60 * 365.25).astype(np.int64)
    # One person has one birth date: a repeat notification carries the first one's (the loader's
    # conflicting_birth_date rule counts persons whose notifications disagree).
    birth = pd.Series(birth).groupby(who).transform("first").to_numpy()
    return pd.DataFrame(
        {
            "person_id": _ids(who),
            "notification_date": _dates(day),
            "birth_date": _dates(birth),
            "_day": day,
        }
    )


def _day_array(dates: pd.Series) -> np.ndarray:
    return dates.to_numpy().astype("datetime64[D]").astype(np.int64)


def _services(
    rng: np.random.Generator, notices: pd.DataFrame, hi: int, per_engaged: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = len(notices)
    engaged = rng.random(n) < ENGAGED_SHARE
    first = notices["_day"].to_numpy() + rng.geometric(1 / 9, size=n) - 1
    engaged &= first <= hi
    per_person = rng.integers(1, max(2, round(2 * per_engaged)), size=n) * engaged
    # Some of the not engaged ask for a service but never take it up.
    asked = ~engaged & (rng.random(n) < 0.2) & (first <= hi)
    counts = per_person + asked
    rows = np.repeat(np.arange(n), counts)
    step = _ranks_within(counts)
    day = first[rows] + step * rng.integers(3, 40, size=len(rows))
    status = np.where(engaged[rows], _pick(rng, {"referred": 0.45, "connected": 0.55}, len(rows)), "requested").astype(
        object
    )
    keep = day <= hi
    frame = pd.DataFrame(
        {
            "person_id": notices["person_id"].to_numpy()[rows][keep],
            "service_date": _dates(day[keep]),
            "service_type": _pick(rng, SERVICE_TYPE_MIX, len(rows))[keep],
            "status": status[keep],
            "program": _pick(rng, PROGRAM_MIX, len(rows))[keep],
        }
    )
    engaged_first = pd.DataFrame({"person_id": notices["person_id"][engaged].to_numpy(), "day": first[engaged]})
    return frame, engaged_first


def _ranks_within(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., k-1 for each group of k repeated rows (np.repeat's companion)."""
    total = int(counts.sum())
    ranks: np.ndarray = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return ranks


def _enrollments(
    rng: np.random.Generator, engaged_first: pd.DataFrame, hi: int, episodes: np.ndarray | int
) -> pd.DataFrame:
    ids = np.repeat(engaged_first["person_id"].to_numpy(), episodes)
    start = np.repeat(engaged_first["day"].to_numpy(), episodes)
    # Later episodes of one person start after a gap, and may overlap the earlier ones.
    if episodes > 1:
        start = start + _ranks_within(np.full(len(engaged_first), episodes)) * rng.integers(30, 400, size=len(start))
    end = start + rng.exponential(200, size=len(start)).astype(np.int64) + 1
    keep = start <= hi
    end_dates = _dates(end[keep]).where(end[keep] <= hi, pd.NaT)
    return pd.DataFrame({"person_id": ids[keep], "start_date": _dates(start[keep]), "end_date": end_dates})


def _incidents(rng: np.random.Generator, notices: pd.DataFrame, lo: int, hi: int, history: float = 0.0) -> pd.DataFrame:
    n = len(notices)
    t0 = notices["_day"].to_numpy()
    ids = notices["person_id"].to_numpy()
    rate = -np.log(1 - TWO_YEAR_FAILURE) / 730
    violent_day = t0 + 1 + rng.exponential(1 / rate, size=n).astype(np.int64)
    other_day = t0 + 1 + rng.exponential(365 / 0.35, size=n).astype(np.int64)
    before = t0 - rng.integers(1, 730, size=n)  # what put them on the list
    day = np.concatenate([violent_day, other_day, before])
    offense = np.concatenate(
        [
            rng.choice(VIOLENT, size=n),
            rng.choice(NONVIOLENT, size=n),
            rng.choice(VIOLENT + NONVIOLENT, size=n),
        ]
    ).astype(object)
    who = np.concatenate([ids, ids, ids])
    if history:  # an arrest history around each notification, one in ten violent
        extra = rng.poisson(history, size=n)
        extra_day = np.repeat(t0, extra) + rng.integers(-5 * 365, 3 * 365, size=int(extra.sum()))
        extra_offense = np.where(
            rng.random(len(extra_day)) < 0.1,
            rng.choice(VIOLENT, size=len(extra_day)),
            rng.choice(NONVIOLENT, size=len(extra_day)),
        )
        day = np.concatenate([day, extra_day])
        offense = np.concatenate([offense, extra_offense.astype(object)])
        who = np.concatenate([who, np.repeat(ids, extra)])
    keep = (day <= hi) & (day >= lo - 730)
    order = np.argsort(day[keep], kind="stable")
    return pd.DataFrame(
        {"person_id": who[keep][order], "incident_date": _dates(day[keep][order]), "offense": offense[keep][order]}
    )


def _deaths(rng: np.random.Generator, notices: pd.DataFrame, hi: int) -> pd.DataFrame:
    """About 1.5% of the notified die within two years: a competing risk for recidivism."""
    rate = -np.log(1 - 0.015) / 730
    day = notices["_day"].to_numpy() + 1 + rng.exponential(1 / rate, size=len(notices)).astype(np.int64)
    frame = pd.DataFrame({"person_id": notices["person_id"].to_numpy(), "death_date": day})
    frame = frame[frame["death_date"] <= hi].drop_duplicates("person_id")
    frame["death_date"] = _dates(frame["death_date"].to_numpy()).to_numpy()
    return frame.reset_index(drop=True)


def _trc(rng: np.random.Generator, lo: int, hi: int, scale: float) -> pd.DataFrame:
    day = _events_per_month(rng, lo, hi, 12 * scale)
    discharge = day + rng.exponential(150, size=len(day)).astype(np.int64)
    return pd.DataFrame(
        {
            "referral_date": _dates(day),
            "source": _pick(rng, TRC_MIX, len(day)),
            "person_id": _ids(900_000_000 + np.arange(len(day))),
            "discharge_date": _dates(discharge).where(discharge <= hi, pd.NaT),
        }
    )


def _cora(rng: np.random.Generator, lo: int, hi: int, scale: float) -> pd.DataFrame:
    day = _events_per_month(rng, lo, hi, 30 * scale)
    n = len(day)
    return pd.DataFrame(
        {
            "response_date": _dates(day),
            "incident_type": _pick(rng, CORA_TYPE_MIX, n),
            "area_command": _pick(rng, CORA_AREA_MIX, n),
            "adults_assisted": rng.poisson(5, size=n),
            "children_assisted": rng.poisson(0.3, size=n),
            "referrals_made": rng.poisson(8, size=n),
            "outreach_operations": rng.poisson(4, size=n),
        }
    )


def _oep(rng: np.random.Generator, lo: int, hi: int, scale: float) -> pd.DataFrame:
    day = _events_per_month(rng, lo, hi, 35 * scale)
    n = len(day)
    located = day + rng.integers(0, 15, size=n)
    is_located = (rng.random(n) < 0.65) & (located <= hi)
    treatment = located + rng.integers(1, 20, size=n)
    in_treatment = is_located & (rng.random(n) < 0.3) & (treatment <= hi)
    narcan = located + rng.integers(0, 3, size=n)
    has_narcan = is_located & (rng.random(n) < 0.5) & (narcan <= hi)
    return pd.DataFrame(
        {
            "referral_date": _dates(day),
            "person_id": _ids(950_000_000 + np.arange(n)),
            "located_date": _dates(located).where(is_located, pd.NaT),
            "treatment_date": _dates(treatment).where(in_treatment, pd.NaT),
            "narcan_date": _dates(narcan).where(has_narcan, pd.NaT),
        }
    )
