"""The methodology page: each measure stated in three parts, as the BJS recidivism reports do."""

from __future__ import annotations

from ..config import Config


def definitions(config: Config) -> list[tuple[str, dict[str, str]]]:
    """(measure, {start event, outcome event, follow-up}) for every rate and count the report prints."""
    c = config
    fy = f"The fiscal year starts in month {c.fiscal_year_start_month}; FYTD runs from its first day through the report month."
    return [
        ("Running success rate (headline)", {
            "Start event": f"A person's first custom notification, if it fell in the {c.recidivism_cohort_months} "
                           "calendar months ending with the report month.",
            "Failure event": "A violent incident after the day of that notification (an incident on the same "
                             "day is what prompted it, not an outcome).",
            "Follow-up": "Until the last day of the report month, however short. People notified recently "
                         "have had little time to fail, which is why the fixed-window rate and the "
                         "Kaplan-Meier estimate are shown beside it.",
        }),
        ("Fixed-window success rate", {
            "Start event": f"A person's first custom notification, at least {c.recidivism_window_days} days "
                           "before the end of the report month.",
            "Failure event": f"A violent incident within {c.recidivism_window_days} days after the notification "
                             f"(an incident on day {c.recidivism_window_days} counts).",
            "Follow-up": f"Exactly {c.recidivism_window_days} days for everyone counted.",
        }),
        ("Kaplan-Meier survival S(t)", {
            "Start event": "A person's first custom notification, on or before the end of the report month.",
            "Failure event": "The first violent incident after it. A death ends follow-up (censored); the "
                             "competing-risk estimate treats it as a competing event instead.",
            "Follow-up": "Each person's own, censored at the end of the report month; 95% intervals by "
                         "Greenwood's formula on the log(-log) scale.",
        }),
        ("Engagement rate", {
            "Start event": "The first custom notification of each person notified in the report month.",
            "Failure event": f"Not a failure: engagement is a service with status "
                             f"{' or '.join(c.engagement_statuses)} on or after the notification.",
            "Follow-up": f"{c.engagement_window_days} days from the notification, observed up to the end of "
                         "the report month; marked provisional while a window is still open.",
        }),
        ("Counts and caseload", {
            "Start event": "Referrals, notifications, services and responses are counted by their date. " + fy,
            "Failure event": "None.",
            "Follow-up": "The active caseload is the distinct persons with an enrollment open on the "
                         "month's last day.",
        }),
    ]


def notes(config: Config) -> list[str]:
    c = config
    return [
        "Every share carries a 95% Wilson score interval; a difference between two independent groups or "
        "periods carries a Newcombe (hybrid score) interval.",
        f"In the public edition, counts from {c.suppress_min} to {c.suppress_max} are hidden (*), with any "
        f"cell from which one could be worked out. Rates over fewer than {c.unstable_below} persons are "
        "marked unstable (\u2020). The internal edition shows every number.",
    ]
