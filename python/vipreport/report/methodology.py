"""The methodology page: each measure stated in three parts, as the BJS recidivism reports do."""

from __future__ import annotations

from ..config import Config


def definitions(config: Config) -> list[tuple[str, dict[str, str]]]:
    """(measure, {start event, outcome event, follow-up}) for every rate and count the report prints."""
    c = config
    fy = f"The fiscal year starts in month {c.fiscal_year_start_month}; FYTD runs from its first day through the report month."
    w, e = c.success_window_days, c.engagement_window_days
    deaths = {
        "exclude": "A person who dies in the window before any violent incident has not succeeded and has not "
        "failed: they leave the denominator, and the number of such deaths is printed beside the rate.",
        "success": "A person who dies in the window before any violent incident is counted a success "
        "(this profile's choice; the count of such deaths is printed beside the rate).",
        "failure": "A person who dies in the window before any violent incident is counted a failure "
        "(this profile's choice; the count of such deaths is printed beside the rate).",
    }[c.success_deaths]
    bjs = (
        "Reference: Bureau of Justice Statistics recidivism studies (a fixed follow-up period from a "
        "common start event; Durose & Antenangeli, Recidivism of Prisoners Released in 34 States, 2021)."
    )
    return [
        (
            "Success rate (running)",
            {
                "Start event": f"A person's first custom notification, if it fell in the {c.success_cohort_months} "
                "calendar months ending with the report month.",
                "Failure event": "A violent incident after the day of that notification (an incident on the same "
                "day is what prompted it, not an outcome).",
                "Follow-up": "Until the last day of the report month, however short. People notified recently "
                "have had little time to fail, which is why the fixed-window rate and the "
                "Kaplan-Meier estimate are shown beside it.",
                "Deaths": deaths,
                "Reason": "It is the figure the program has always published; its short follow-up is shown, not hidden.",
            },
        ),
        (
            "Success rate (fixed window)",
            {
                "Start event": f"A person's first custom notification whose {w}-day window has ended by the last "
                "day of the report month.",
                "Failure event": f"A violent incident in the window: days 1 to {w} after the notification, both "
                f"included, so exactly {w} days (an incident on day {w} counts).",
                "Follow-up": f"Exactly {w} days for everyone counted.",
                "Deaths": deaths,
                "Reason": "Everyone counted has had the same time to fail, so months and groups compare fairly. " + bjs,
            },
        ),
        (
            "Kaplan-Meier survival S(t)",
            {
                "Start event": "A person's first custom notification, on or before the end of the report month.",
                "Failure event": "The first violent incident after it. A death ends follow-up (censored); the "
                "Aalen-Johansen estimate treats it as a competing outcome instead, as the success "
                "rates do.",
                "Follow-up": "Each person's own, censored at the end of the report month; 95% intervals by "
                "Greenwood's formula on the log(-log) scale. S(t) is not given (n/a) past the last "
                "day on which anyone is still followed.",
                "Reason": "It uses everyone, each for as long as they have been followed, so recent notifications "
                "neither inflate nor drop out of the estimate. Reference: Kaplan & Meier (1958); "
                "Aalen & Johansen (1978).",
            },
        ),
        (
            "Engagement rate",
            {
                "Start event": "The first custom notification of each person notified in the report month.",
                "Failure event": f"Not a failure: engagement is a service with status "
                f"{' or '.join(c.engagement_statuses)} in the window.",
                "Follow-up": f"A window of exactly {e} days: the notification day is day 0 and the window's last "
                f"day is day {e - 1}, both included. A person's outcome is provisional while their "
                "window is still open on the as-of date; a month's rate is provisional while any of "
                "its persons' is, and is drawn hollow and labelled. A month with no one notified has "
                "no rate.",
                "Reason": "A rate read before its windows close can only rise; comparing it with a final month "
                "would show a fall that is not there. " + bjs,
            },
        ),
        (
            "Area trends",
            {
                "Start event": f"Referrals per {c.area_label.lower()} per month, over the observed months only: months before "
                "the first referral in the data are left out, never counted as zero.",
                "Failure event": "None: the counts are modelled as a quasi-Poisson log-linear regression on time, "
                "with a yearly seasonal term (sine and cosine of the month) from 24 observed months; "
                "the trend is the rate ratio per year with its interval, and the overdispersion is "
                "estimated and widens the interval when above 1.",
                "Follow-up": f"Up to {c.trend_months} months ending with the report month; below {c.trend_min_months} "
                "observed months the report says 'too few months to say'.",
                "Reason": "Monthly counts are small whole numbers, so a count model fits them; the seven areas are "
                "tested together, with Benjamini-Hochberg adjusted p-values (false discovery rate), and "
                "an area whose adjusted test does not reject is said to show 'no clear change'. "
                "Reference: the statsmodels GLM (Poisson family) is the reference the fit is tested "
                "against; Benjamini & Hochberg (1995).",
            },
        ),
        (
            "Counts and caseload",
            {
                "Start event": "Referrals, notifications, services and responses are counted by their date. " + fy,
                "Failure event": "None.",
                "Follow-up": "The active caseload is the distinct persons with an enrollment open on the "
                "month's last day. Tables and charts start at the first month with a record for "
                f"that program (the {c.trc_title} page at its first referral); earlier months are "
                "absent, not zero.",
            },
        ),
        (
            "Dates and windows",
            {
                "Start event": "A month written YYYY-MM used as an as-of date means that month's last day.",
                "Failure event": "A window of n days that opens on day a holds days a to a + n - 1, both included; "
                "it has closed on the as-of date d once a + n - 1 is on or before d.",
                "Follow-up": "The same calendar (proleptic Gregorian days) is used by every measure.",
            },
        ),
    ]


def notes(config: Config) -> list[str]:
    c = config
    return [
        "Every share carries a 95% Wilson score interval; a difference between two independent groups or "
        "periods carries a Newcombe (hybrid score) interval, and is given only between final values.",
        f"In the public edition, counts from {c.suppress_min} to {c.suppress_max} are hidden (*), with any "
        "cell from which one could be worked out, in this table or another that prints the same totals. A "
        "rate is hidden when the people it counts, or the rest of its denominator, are that few; monthly "
        "death counts are not printed there at all. "
        f"Rates over fewer than {c.unstable_below} persons are "
        "marked unstable (\u2020). The internal edition shows every number. Reference: CDC/NCHS data "
        "presentation standards for proportions (Parker et al., 2017) and NCHS suppression of small counts.",
    ]
