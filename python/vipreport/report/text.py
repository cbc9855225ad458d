"""The report's fixed text, as the city publishes it (as in the published reports)."""

VIP_INTRODUCTION = {
    "Custom Notifications": (
        "VIP Peer Support Workers and APD officers identify and intervene with the individuals most "
        "likely to engage in gun violence. This intervention is called a Custom Notification. They "
        "often bring trusted community leaders with them who may connect with particular individuals."
    ),
    "Referrals": (
        "Candidates for the VIP Program are usually identified through law enforcement crime data. "
        "However, they can also be referred by hospitals or other means."
    ),
    "Engaging with Services": (
        "A key part of what makes the City's VIP Program successful is that VIP Peer Support Workers "
        "work with clients to identify and address their individual needs, then guide clients through "
        "risk-reduction resources. We measure success by how many of the individuals we provide Custom "
        "Notifications to engage with other services."
    ),
    "Enforcement": (
        "The goal of Custom Notifications and ongoing peer support is that people do not engage in "
        "further violence. However, when they do, the consequence is swift and targeted law "
        "enforcement action."
    ),
}

TRC_DESCRIPTION = (
    "The Center for Healing and Trauma Recovery began taking clients in December 2023. The Center is "
    "designed to offer assertive outreach, advocacy, evidence-based mental health services, and "
    "comprehensive case management to individuals least likely to receive such vital support. The "
    "primary objective of the center is to provide a trauma-informed, healing system of care for "
    "victims of violence and trauma."
)
TRC_SERVICES = ["Care Coordination", "Resource Connection", "Peer Support", "Workshops and Education",
                "Trauma-informed Therapy"]

OEP_DESCRIPTION = [
    "The Opioid Education and Prevention Program (OEP) receives referrals for individuals who can "
    "benefit from substance use resources and education. Overdose cases are referred for potential "
    "Narcan education and distribution for overdose prevention.",
    "When Opioid Peer workers are able to locate and meet with referred individuals, they encourage "
    "them to enter substance use treatment (Tx) centers and if requested, help them to apply and enter "
    "treatment, sometimes also providing transportation and setting up other medical transport.",
    "Once individuals enter treatment, Opioid Peer workers continue to follow-up and check in on their "
    "progress. Upon completion with treatment, OEP Workers assist individuals to find jobs and housing. "
    "OEP provides a full circle of services to help prevent overdose, help break the cycles of "
    "addiction, and help individuals build a new sober life.",
]

NO_ACTIVITIES = "No significant response activities were recorded for this month."


def success_sentence(rate_pct: str, cohort_months: int) -> str:
    years = cohort_months / 12
    span = f"{years:g} years" if years != 1 else "year"
    return f"{rate_pct} of participants have not engaged in further violent crime in the past {span}"
